"""What `/api/v1/callbacks/` and `/api/v1/complaints/` read and write (followups.api_calls). Input serializers
only parse; every rule is checked by the service they feed."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers.models import Customer
from repair_orders.models import RepairOrder

from .models import Callback, Complaint, Department
from .services.callbacks import ATTEMPT_OUTCOMES


class CallbackSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_mobile = serializers.CharField(source="customer.mobile", read_only=True)
    plate = serializers.CharField(source="vehicle.plate", read_only=True, allow_null=True, default=None)
    repair_order_number = serializers.CharField(source="repair_order.number", read_only=True, allow_null=True,
                                                default=None)

    class Meta:
        model = Callback
        fields = ["id", "kind", "status", "customer", "customer_name", "customer_mobile", "vehicle", "plate",
                  "repair_order", "repair_order_number", "complaint", "assignee", "due_at", "call_back_at",
                  "attempts", "claimed_by", "claimed_at", "completed_at", "completed_by", "escalated_at", "version"]
        read_only_fields = fields


class AttemptInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[str(outcome) for outcome in ATTEMPT_OUTCOMES])
    call_back_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    score = serializers.IntegerField(min_value=1, max_value=5)


class CompleteInputSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(many=True, required=False, default=list)
    overall = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True, default=None)
    recommend = serializers.IntegerField(min_value=0, max_value=10, required=False, allow_null=True, default=None)
    verbatim = serializers.CharField(required=False, allow_blank=True, default="")
    complaint_stated = serializers.BooleanField(required=False, default=False)
    fault_back = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate_answers(self, answers):
        questions = [answer["question"] for answer in answers]
        if len(set(questions)) != len(questions):
            raise serializers.ValidationError("Each question is answered once.")
        return answers

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data["scores"] = {answer["question"]: answer["score"] for answer in data.pop("answers")}
        return data


class ComplaintSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    repair_order_number = serializers.CharField(source="repair_order.number", read_only=True, allow_null=True,
                                                default=None)

    class Meta:
        model = Complaint
        fields = ["id", "customer", "customer_name", "repair_order", "repair_order_number", "survey", "department",
                  "category", "owner", "deadline", "description", "status", "resolution", "resolved_at",
                  "closed_at", "rechecks", "escalated_at", "created_by", "created_at", "version"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class SiteCustomerField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Customer.objects.filter(site=self.context["site"], merged_into__isnull=True)


@extend_schema_field(OpenApiTypes.INT)
class SiteRepairOrderField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return RepairOrder.objects.filter(site=self.context["site"]).select_related("advisor")


class ComplaintCreateSerializer(serializers.Serializer):
    customer = SiteCustomerField()
    repair_order = SiteRepairOrderField(required=False, allow_null=True, default=None)
    department = serializers.ChoiceField(choices=Department.choices, default=Department.OVERALL)
    category = serializers.ChoiceField(choices=Complaint.Category.choices, default=Complaint.Category.OTHER)
    description = serializers.CharField()


class ResolveInputSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    version = serializers.IntegerField(required=False, allow_null=True, default=None)
