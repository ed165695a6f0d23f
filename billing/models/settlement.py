"""At the cashier's desk, besides the invoice: the discount on the whole bill (结算优惠) with its approval, and
the on-account customer settling the account (挂账结算)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from repair_orders.models import RepairOrder
from servicedesk.core.models import AppendOnly

from .invoices import MONEY, CustomerAccount, Payment

LIVE_DISCOUNT_STATES = ("pending", "granted", "approved")


class SettlementDiscount(models.Model):
    """A discount on the customer's part of an RO's bill, asked before the invoice is issued. Within the asker's
    limit it is granted at once; above it a service manager approves or rejects it. A newer discount withdraws
    the older one; the invoice spreads the granted or approved amount over the customer-paid lines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the manager's approval")
        GRANTED = "granted", _("Given within the limit")
        APPROVED = "approved", _("Approved by the manager")
        REJECTED = "rejected", _("Rejected by the manager")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    repair_order = models.ForeignKey(RepairOrder, on_delete=models.CASCADE, related_name="settlement_discounts",
                                     verbose_name=_("repair order"))
    amount = models.DecimalField(_("discount"), **MONEY)
    percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2)
    base = models.DecimalField(_("customer's part before the discount"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("settlement discount")
        verbose_name_plural = _("settlement discounts")
        constraints = [
            models.UniqueConstraint(fields=["repair_order"], condition=Q(status__in=LIVE_DISCOUNT_STATES),
                                    name="billing_one_live_settlement_discount"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_settlement_discount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.repair_order_id}: {self.amount} ({self.get_status_display()})"

    @property
    def applies(self) -> bool:
        return self.status in (self.Status.GRANTED, self.Status.APPROVED)


class AccountSettlement(AppendOnly):
    """The on-account customer paying off (part of) the open balance of the account."""

    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT, related_name="settlements",
                                verbose_name=_("account"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    method = models.CharField(_("method"), max_length=10,
                              choices=[c for c in Payment.Method.choices if c[0] != Payment.Method.ACCOUNT])
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("received by"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("account settlement")
        verbose_name_plural = _("account settlements")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="billing_account_settlement_positive")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount}"

