"""The repair order (任务委托书), its check-in sheet (接车单), its audit trail and the customer's signatures.

States and transitions live in repair_orders/workflow.py; every change goes through repair_orders.services.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, Vehicle
from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly

from ..workflow import OPEN_RO_STATES, ROState


class RepairOrder(models.Model):
    class Type(models.TextChoices):
        MAINTENANCE = "maintenance", _("Maintenance")
        REPAIR = "repair", _("Repair")
        WARRANTY = "warranty", _("Warranty")
        ACCIDENT = "accident", _("Accident / body")
        INTERNAL = "internal", _("Internal")
        COMEBACK = "comeback", _("Comeback")

    class FuelLevel(models.IntegerChoices):
        EMPTY = 0, _("Empty")
        QUARTER = 1, _("1/4")
        HALF = 2, _("1/2")
        THREE_QUARTERS = 3, _("3/4")
        FULL = 4, _("Full")

    class OldParts(models.TextChoices):
        RETURN = "return", _("Return to the customer")
        DISCARD = "discard", _("Discard")
        KEEP_FOR_WARRANTY = "keep_for_warranty", _("Keep for the warranty claim")

    class PaymentMethod(models.TextChoices):
        CASH = "cash", _("Cash")
        CARD = "card", _("Bank card")
        WECHAT_PAY = "wechat_pay", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")
        TRANSFER = "transfer", _("Bank transfer")
        ON_ACCOUNT = "on_account", _("On account")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    number = models.CharField(_("number"), max_length=30)
    ro_type = models.CharField(_("type"), max_length=12, choices=Type.choices, default=Type.REPAIR)
    # A comeback (返修) returns to an RO delivered at most 30 days earlier.
    comeback_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="comebacks", verbose_name=_("comeback of"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="repair_orders",
                                 verbose_name=_("customer"))
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="repair_orders",
                                verbose_name=_("vehicle"))
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("service advisor"))
    # The appointment's id; a plain number so the two apps migrate independently.
    appointment_ref = models.PositiveBigIntegerField(_("appointment"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ROState.choices, default=ROState.CHECKED_IN)
    version = models.PositiveIntegerField(default=1)
    promised_at = models.DateTimeField(_("promised for"), null=True, blank=True)
    waiting = models.BooleanField(_("customer waits"), default=False)

    # The check-in sheet (接车单).
    mileage = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    fuel_level = models.PositiveSmallIntegerField(_("fuel level"), choices=FuelLevel.choices, null=True, blank=True)
    belongings = models.JSONField(_("belongings"), default=list, blank=True)
    valuables_reminder_given = models.BooleanField(_("valuables reminder given"), default=False)
    cover_seat = models.BooleanField(_("seat cover fitted"), default=False)
    cover_steering_wheel = models.BooleanField(_("steering wheel cover fitted"), default=False)
    cover_floor_mat = models.BooleanField(_("floor mat fitted"), default=False)
    cover_gear_lever = models.BooleanField(_("gear lever cover fitted"), default=False)
    key_tag = models.CharField(_("key tag"), max_length=20, blank=True)
    concerns = models.TextField(_("customer's concerns"), blank=True)
    old_parts_disposition = models.CharField(_("old parts"), max_length=20, choices=OldParts.choices, blank=True)
    payment_method = models.CharField(_("payment method"), max_length=12, choices=PaymentMethod.choices,
                                      blank=True)
    wash_wanted = models.BooleanField(_("wash wanted"), default=False)
    courtesy_car = models.BooleanField(_("courtesy car"), default=False)

    cancel_reason = models.CharField(_("cancellation reason"), max_length=200, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("repair order")
        verbose_name_plural = _("repair orders")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="ro_unique_number"),
            models.UniqueConstraint(
                fields=["site", "key_tag"], name="ro_key_tag_unique_while_open",
                condition=~Q(key_tag="") & Q(state__in=sorted(OPEN_RO_STATES)),
                violation_error_message=_("This key tag is on another open repair order.")),
            # One appointment checks in once (a cancelled RO gives the appointment back).
            models.UniqueConstraint(
                fields=["appointment_ref"], name="ro_one_per_appointment",
                condition=Q(appointment_ref__isnull=False) & ~Q(state=ROState.CANCELLED)),
        ]
        indexes = [
            models.Index(fields=["site", "state"], name="ro_site_state"),
            models.Index(fields=["vehicle", "-created_at"], name="ro_vehicle_recent"),
            # The follow-up scans (callbacks after delivery, lost vehicles) and the reports: delivered ROs by time.
            models.Index(fields=["delivered_at"], name="ro_delivered_at", condition=Q(state="delivered")),
            # Reports by month: ROs opened per site and period.
            models.Index(fields=["site", "created_at"], name="ro_site_created"),
            # The monthly report's churn (vehicles active at the start) and first-time fix (delivered in the month).
            models.Index(fields=["site", "delivered_at"], include=["vehicle"], condition=Q(state="delivered"),
                         name="ro_report_site_delivered"),
            # The monthly report's technicians' table (workshop.kpis sold hours): a site's RO ids, index-only.
            models.Index(fields=["site", "id"], name="ro_report_site_ids"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_RO_STATES


class RepairOrderEvent(AppendOnly):
    """The RO's timeline: who did what when; a state change has from/to, an edit has them equal."""

    repair_order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_state}→{self.to_state}"


class DamageMark(models.Model):
    """A mark on the car diagram of the check-in sheet; x and y are percentages of the diagram."""

    class Kind(models.TextChoices):
        SCRATCH = "scratch", _("Scratch")
        DENT = "dent", _("Dent")
        CRACK = "crack", _("Crack")
        CHIP = "chip", _("Chip")
        OTHER = "other", _("Other")

    repair_order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="damage_marks")
    x = models.DecimalField(_("x (%)"), max_digits=5, decimal_places=2,
                            validators=[MinValueValidator(0), MaxValueValidator(100)])
    y = models.DecimalField(_("y (%)"), max_digits=5, decimal_places=2,
                            validators=[MinValueValidator(0), MaxValueValidator(100)])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("damage mark")
        verbose_name_plural = _("damage marks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.x}, {self.y})"


class Signature(models.Model):
    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in sheet")
        WORK_ORDER = "work_order", _("Work order")
        RECOMMENDATIONS = "recommendations", _("Recommendations")
        ADDITIONAL = "additional", _("Additional work")

    repair_order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="signatures")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    signer_name = models.CharField(_("signed by"), max_length=100)
    image = models.FileField(_("signature"), upload_to="signatures/%Y/%m/")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.signer_name}"
