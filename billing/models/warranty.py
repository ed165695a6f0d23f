"""Warranty claims (索赔): each warranty-paid job line of an invoiced RO becomes a claim to the maker."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from repair_orders.models import JobLine, RepairOrder
from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0.00")}


class WarrantyClaim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    repair_order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="warranty_claims",
                                     verbose_name=_("repair order"))
    job_line = models.OneToOneField(JobLine, on_delete=models.PROTECT, related_name="warranty_claim",
                                    verbose_name=_("job"))
    maker_reference = models.CharField(_("maker's reference"), max_length=50, blank=True)
    labour_amount = models.DecimalField(_("labour"), **MONEY)
    parts_amount = models.DecimalField(_("parts"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.CharField(_("rejection reason"), max_length=200, blank=True)
    paid_amount = models.DecimalField(_("paid by the maker"), max_digits=12, decimal_places=2, null=True,
                                      blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        indexes = [models.Index(fields=["site", "status"], name="billing_claim_site_status")]
        permissions = [("manage_claims", _("Can manage warranty claims"))]

    def __str__(self) -> str:
        return f"{self.repair_order} / {self.job_line}"

    @property
    def amount(self) -> Decimal:
        return self.labour_amount + self.parts_amount


class WarrantyClaimEvent(AppendOnly):
    claim = models.ForeignKey(WarrantyClaim, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
