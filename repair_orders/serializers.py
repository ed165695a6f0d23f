"""What `/api/v1/repair-orders/` reads and writes (repair_orders.api). Output serializers read rows loaded by
the view set; input serializers only parse: every rule is checked by the service they feed."""

import base64
import binascii
import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers.models import Customer, Vehicle
from parts.models import Part
from servicedesk.accounts.names import staff_name
from servicedesk.core.api import SiteField
from servicedesk.core.masking import HiddenPricesMixin, nullable_prices, sees_prices

from .models import (
    AnswerChannel,
    DamageMark,
    JobLine,
    LabourOperation,
    PartLine,
    PayType,
    RepairOrder,
    ServicePackage,
    Signature,
)
from .pdf import DOCUMENTS
from .totals import repair_order_totals

MONEY = {"max_digits": 12, "decimal_places": 2}
DATA_URL = re.compile(r"^data:image/(png|jpeg);base64,(?P<payload>[A-Za-z0-9+/=\s]+)$")


# ---------------------------------------------------------------- output


# What a technician is not shown unless the site allows it (servicedesk.core.masking): null in the answer.
PART_LINE_PRICES = ("unit_price", "discount")
JOB_LINE_PRICES = ("labour_price", "discount", "diagnostic_fee")


class PartLineSerializer(HiddenPricesMixin, serializers.ModelSerializer):
    part_number = serializers.CharField(source="part.number", read_only=True, allow_null=True, default=None)
    part_name = serializers.CharField(source="part.name", read_only=True, allow_null=True, default=None)
    brand = serializers.CharField(source="part.brand", read_only=True, allow_null=True, default=None)
    waiting = serializers.SerializerMethodField()

    class Meta:
        model = PartLine
        fields = ["id", "job_line", "part", "part_number", "part_name", "brand", "description", "quantity",
                  "unit_price", "discount", "taxable", "source", "reservation", "shortage", "waiting"]
        read_only_fields = fields
        extra_kwargs = nullable_prices(PART_LINE_PRICES)

    price_fields = PART_LINE_PRICES

    def get_waiting(self, line) -> bool:
        """Not reserved: a shortage is open or ordered for it."""
        return bool(line.shortage_id) and line.shortage.status in ("open", "ordered")


class JobLineSerializer(HiddenPricesMixin, serializers.ModelSerializer):
    part_lines = PartLineSerializer(many=True, read_only=True)
    operation_code = serializers.CharField(source="operation.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = JobLine
        fields = ["id", "description", "operation", "operation_code", "package", "pay_type", "hours",
                  "labour_price", "discount", "diagnostic_fee", "state", "additional", "technician",
                  "approved_at", "declined_at", "part_lines"]
        read_only_fields = fields
        extra_kwargs = nullable_prices(JOB_LINE_PRICES)

    price_fields = JOB_LINE_PRICES


class JobAddedSerializer(JobLineSerializer):
    repair_order_version = serializers.IntegerField(source="repair_order.version", read_only=True)

    class Meta(JobLineSerializer.Meta):
        fields = [*JobLineSerializer.Meta.fields, "repair_order", "repair_order_version"]
        read_only_fields = fields


class PartAddedSerializer(PartLineSerializer):
    repair_order_version = serializers.IntegerField(source="job_line.repair_order.version", read_only=True)

    class Meta(PartLineSerializer.Meta):
        fields = [*PartLineSerializer.Meta.fields, "repair_order_version"]
        read_only_fields = fields


class DamageMarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = DamageMark
        fields = ["id", "x", "y", "kind", "note", "created_at"]
        read_only_fields = fields


class SignatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = ["id", "kind", "signer_name", "signed_at"]
        read_only_fields = fields


class TotalsSerializer(serializers.Serializer):
    labour = serializers.DecimalField(**MONEY)
    parts = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)
    vat = serializers.DecimalField(**MONEY)
    gross = serializers.DecimalField(**MONEY)


class RepairOrderSerializer(serializers.ModelSerializer):
    """A row of the list: who, which car, where it stands."""

    customer_name = serializers.CharField(source="customer.name", read_only=True)
    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    advisor_name = serializers.SerializerMethodField()

    class Meta:
        model = RepairOrder
        fields = ["id", "number", "state", "ro_type", "customer", "customer_name", "vehicle", "plate", "advisor",
                  "advisor_name", "appointment_ref", "promised_at", "waiting", "key_tag", "version", "created_at",
                  "updated_at"]
        read_only_fields = fields

    def get_advisor_name(self, repair_order) -> str:
        return staff_name(repair_order.advisor)


class RepairOrderDetailSerializer(RepairOrderSerializer):
    """The whole RO: check-in sheet, jobs with their parts lines, totals, signatures and the PDFs' addresses."""

    jobs = JobLineSerializer(many=True, read_only=True)
    damage_marks = DamageMarkSerializer(many=True, read_only=True)
    signatures = SignatureSerializer(many=True, read_only=True)
    totals = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    # read-only model fields lose allow_blank, and the schema would not admit the "" of "not said yet"
    old_parts_disposition = serializers.ChoiceField(RepairOrder.OldParts.choices, allow_blank=True, read_only=True)
    payment_method = serializers.ChoiceField(RepairOrder.PaymentMethod.choices, allow_blank=True, read_only=True)

    class Meta(RepairOrderSerializer.Meta):
        fields = [*RepairOrderSerializer.Meta.fields, "comeback_of", "mileage", "fuel_level", "belongings",
                  "valuables_reminder_given", "cover_seat", "cover_steering_wheel", "cover_floor_mat",
                  "cover_gear_lever", "concerns", "old_parts_disposition", "payment_method", "wash_wanted",
                  "courtesy_car", "cancel_reason", "damage_marks", "signatures", "jobs", "totals", "documents"]
        read_only_fields = fields

    @extend_schema_field(TotalsSerializer(allow_null=True))
    def get_totals(self, repair_order):
        """null for a technician the site keeps from prices."""
        request = self.context.get("request")
        if request is not None and not sees_prices(request):
            return None
        return TotalsSerializer(repair_order_totals(repair_order)).data

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "uri-reference"}})
    def get_documents(self, repair_order) -> dict:
        return {name: reverse(f"repair-order-{document.slug}-pdf", kwargs={"pk": repair_order.pk})
                for name, document in DOCUMENTS.items()}


# ---------------------------------------------------------------- input


class SignatureImageField(serializers.CharField):
    """The signature pad's `toDataURL()`: data:image/png;base64,… → the image's bytes (checked by the service)."""

    def to_internal_value(self, data) -> bytes:
        match = DATA_URL.match(str(super().to_internal_value(data)).strip())
        try:
            if match:
                return base64.b64decode(match["payload"])
        except (binascii.Error, ValueError):
            pass
        raise serializers.ValidationError(_("Send the signature as a data:image/png;base64 URL."))


class OptionalVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="the version read; a newer one on file is a 409")


class RepairOrderVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version read; a newer one on file is a 409")


class WalkInSerializer(serializers.Serializer):
    customer = SiteField(Customer)
    vehicle = SiteField(Vehicle)
    advisor = SiteField(get_user_model(), required=False, allow_null=True, default=None,
                        help_text="the service advisor; the caller when absent")
    ro_type = serializers.ChoiceField(choices=RepairOrder.Type.choices, default=RepairOrder.Type.REPAIR)
    comeback_of = SiteField(RepairOrder, required=False, allow_null=True, default=None)
    concerns = serializers.CharField(required=False, allow_blank=True, default="")
    promised_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    waiting = serializers.BooleanField(default=False)


class WalkaroundSerializer(RepairOrderVersionSerializer):
    """Any of the check-in sheet's fields; only those sent change."""

    mileage = serializers.IntegerField(required=False, min_value=0)
    mileage_correction_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    fuel_level = serializers.ChoiceField(choices=RepairOrder.FuelLevel.choices, required=False, allow_null=True)
    belongings = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    valuables_reminder_given = serializers.BooleanField(required=False)
    cover_seat = serializers.BooleanField(required=False)
    cover_steering_wheel = serializers.BooleanField(required=False)
    cover_floor_mat = serializers.BooleanField(required=False)
    cover_gear_lever = serializers.BooleanField(required=False)
    key_tag = serializers.CharField(required=False, allow_blank=True, max_length=20)
    concerns = serializers.CharField(required=False, allow_blank=True)
    old_parts_disposition = serializers.ChoiceField(choices=RepairOrder.OldParts.choices, required=False,
                                                    allow_blank=True)
    payment_method = serializers.ChoiceField(choices=RepairOrder.PaymentMethod.choices, required=False,
                                             allow_blank=True)
    wash_wanted = serializers.BooleanField(required=False)
    courtesy_car = serializers.BooleanField(required=False)
    waiting = serializers.BooleanField(required=False)
    promised_at = serializers.DateTimeField(required=False, allow_null=True)


class DamageMarkInputSerializer(OptionalVersionSerializer):
    x = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    y = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    kind = serializers.ChoiceField(choices=DamageMark.Kind.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CheckInSignatureSerializer(OptionalVersionSerializer):
    signer_name = serializers.CharField(max_length=100)
    signature = SignatureImageField(help_text="data:image/png;base64,… from the signature pad")


class RepairOrderApproveSerializer(RepairOrderVersionSerializer):
    approved_line_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=True,
                                              help_text="job lines the customer approves; the others are declined")
    diagnosis_line_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                               help_text="job lines that wait for the diagnosis")
    signer_name = serializers.CharField(max_length=100)
    signature = SignatureImageField(help_text="data:image/png;base64,… from the signature pad")


class RepairOrderCancelSerializer(OptionalVersionSerializer):
    reason = serializers.CharField(max_length=200)


class JobInputSerializer(OptionalVersionSerializer):
    """One of: `operation` (labour-time book), `package` (service package) or `description` (free text)."""

    operation = SiteField(LabourOperation, required=False, allow_null=True, default=None)
    package = SiteField(ServicePackage, required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    labour_price = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None,
                                            help_text="free text only")
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True,
                                     default=None, help_text="instead of the operation's flat-rate hours")
    pay_type = serializers.ChoiceField(choices=PayType.choices, default=PayType.CUSTOMER)
    diagnostic_fee = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)

    def validate(self, attrs):
        given = [name for name in ("operation", "package") if attrs.get(name)] + (
            ["description"] if attrs.get("description", "").strip() else [])
        if len(given) != 1:
            raise serializers.ValidationError(
                {"operation": [_("Give one of: a labour operation, a service package, or a description.")]})
        if given == ["description"] and attrs.get("labour_price") is None:
            raise serializers.ValidationError({"labour_price": [_("Enter the labour price of the job.")]})
        return attrs


class PartInputSerializer(OptionalVersionSerializer):
    job = serializers.IntegerField(help_text="the job line of this repair order")
    part = SiteField(Part, required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                        help_text="what the customer's own part is (no catalogue part)")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    source = serializers.ChoiceField(choices=PartLine.Source.choices, required=False, allow_null=True, default=None)
    unit_price = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)


class JobAnswerSerializer(OptionalVersionSerializer):
    customer_name = serializers.CharField(max_length=100, help_text="who answered for the customer")
    channel = serializers.ChoiceField(choices=AnswerChannel.choices)
    amount = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None,
                                      help_text="the amount the customer agreed to (approve)")
