"""Extra work found during repair (追加项目) and what hangs on job lines besides their prices: photos (of a
finding or of a damage mark), the customer's recorded answer, the advisor's discount and its approval, and
the link from a re-offered recommendation (建议项目) back to the line the customer declined."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.core.models import AppendOnly

from .jobs import MONEY, JobLine
from .order import DamageMark, RepairOrder


def photo_path(instance, filename: str) -> str:
    # A random name: the file's URL says nothing about the car or the customer.
    return timezone.now().strftime(f"ro_photos/%Y/%m/{uuid.uuid4().hex}.jpg")


class Photo(models.Model):
    """A picture of a finding (on a job line) or of a damage mark; stored as a resized JPEG without EXIF."""

    repair_order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="photos")
    job_line = models.ForeignKey(JobLine, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    damage_mark = models.ForeignKey(DamageMark, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=(Q(job_line__isnull=False) & Q(damage_mark__isnull=True))
                | (Q(job_line__isnull=True) & Q(damage_mark__isnull=False)),
                name="photo_of_a_job_or_a_mark"),
        ]

    def __str__(self) -> str:
        return self.image.name


class AnswerChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    WECHAT = "wechat", _("WeChat")
    SMS_LINK = "sms_link", _("Link in a text message")


class CustomerAnswer(AppendOnly):
    """The customer's yes or no to an additional line: who, when, how, for what amount (and from where)."""

    job_line = models.OneToOneField(JobLine, on_delete=models.CASCADE, related_name="customer_answer")
    approved = models.BooleanField(_("approved"))
    customer_name = models.CharField(_("answered by"), max_length=100)
    channel = models.CharField(_("channel"), max_length=12, choices=AnswerChannel.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # None: the customer answered through the link
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer's answer")
        verbose_name_plural = _("customers' answers")

    def __str__(self) -> str:
        return f"{self.customer_name}: {'yes' if self.approved else 'no'}"


class LineDiscount(models.Model):
    """The discount given on a job line by hand, and how it was spread over the line's labour and parts rows
    (added to their `discount`, so the totals see it; a package's own saving stays as it was)."""

    job_line = models.OneToOneField(JobLine, on_delete=models.CASCADE, related_name="manual_discount")
    amount = models.DecimalField(_("discount"), **MONEY)
    percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2)
    spread = models.JSONField(default=dict)  # {"labour": "12.30", "parts": {"<part line id>": "4.10"}}
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("line discount")
        verbose_name_plural = _("line discounts")

    def __str__(self) -> str:
        return f"{self.job_line_id}: {self.amount}"


class DiscountRequest(models.Model):
    """A discount above the requester's limit, waiting for a manager."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    job_line = models.ForeignKey(JobLine, on_delete=models.CASCADE, related_name="discount_requests")
    amount = models.DecimalField(_("discount"), **MONEY)
    percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("discount request")
        verbose_name_plural = _("discount requests")
        permissions = [("approve_discount", _("Can give and approve discounts above the limit"))]
        constraints = [
            models.UniqueConstraint(fields=["job_line"], condition=Q(status="pending"),
                                    name="one_pending_discount_per_line"),
        ]

    def __str__(self) -> str:
        return f"{self.job_line_id}: {self.amount} ({self.get_status_display()})"


class RecommendationOffer(models.Model):
    """A declined line of an earlier visit offered again on a new repair order as `job_line`."""

    declined_line = models.ForeignKey(JobLine, on_delete=models.PROTECT, related_name="offers")
    job_line = models.OneToOneField(JobLine, on_delete=models.CASCADE, related_name="recommended_from")
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation offered again")
        verbose_name_plural = _("recommendations offered again")

    def __str__(self) -> str:
        return f"{self.declined_line_id} → {self.job_line_id}"
