"""Settlement (结算单): invoices and credit notes. Both are written once, with their lines, and never changed
(DESIGN.md §3.10); a correction is a credit note referencing the invoice, then a new invoice. Amounts are
positive on both kinds; the kind says which way they count. Payments are separate rows."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from repair_orders.models import JobLine, PayType, RepairOrder
from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0.00")}


class Invoice(AppendOnly):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    repair_order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="invoices",
                                     verbose_name=_("repair order"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(_("number"), max_length=30)
    credits = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="credit_note", verbose_name=_("credits invoice"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    # As printed: the archive may change later, the invoice may not.
    customer_name = models.CharField(_("customer name"), max_length=100)
    vehicle_plate = models.CharField(_("plate"), max_length=10, blank=True)
    vehicle_vin = models.CharField(_("VIN"), max_length=17, blank=True)
    mileage = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    labour_total = models.DecimalField(_("labour"), **MONEY)
    parts_total = models.DecimalField(_("parts"), **MONEY)
    fees_total = models.DecimalField(_("diagnostic fees"), **MONEY)
    discount_total = models.DecimalField(_("discounts"), **MONEY)
    net_total = models.DecimalField(_("net"), **MONEY)
    vat_total = models.DecimalField(_("VAT"), **MONEY)
    gross_total = models.DecimalField(_("total"), **MONEY)
    # Gross split by who pays: the customer's part is what the cashier collects.
    customer_amount = models.DecimalField(_("customer pays"), **MONEY)
    warranty_amount = models.DecimalField(_("warranty (maker)"), **MONEY)
    internal_amount = models.DecimalField(_("internal"), **MONEY)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=3)
    on_account = models.BooleanField(_("on account"), default=False)
    next_service_on = models.DateField(_("next service by"), null=True, blank=True)
    next_service_km = models.PositiveIntegerField(_("next service at (km)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)  # of a credit note
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="billing_invoice_unique_number"),
            models.CheckConstraint(condition=Q(kind="invoice", credits__isnull=True)
                                   | Q(kind="credit_note", credits__isnull=False),
                                   name="billing_credit_note_references_invoice"),
        ]
        indexes = [
            models.Index(fields=["site", "issued_at"], name="billing_invoice_site_issued"),
            # Revenue and ARO in the reports and the dashboard (index-only).
            models.Index(fields=["site", "issued_at"], include=["id", "kind", "repair_order"],
                         name="billing_invoice_report"),
        ]
        permissions = [
            ("issue_invoice", _("Can issue invoices")),
            ("issue_credit_note", _("Can issue credit notes")),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(AppendOnly):
    class Kind(models.TextChoices):
        LABOUR = "labour", _("Labour")
        PART = "part", _("Part")
        FEE = "fee", _("Diagnostic fee")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    pay_type = models.CharField(_("pay type"), max_length=10, choices=PayType.choices)
    job_line = models.ForeignKey(JobLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=200)
    part_number = models.CharField(_("part number"), max_length=40, blank=True)
    brand = models.CharField(_("brand"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=20, blank=True)  # PartLine.Source
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=Decimal("1"))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    discount = models.DecimalField(_("discount"), **MONEY)
    net = models.DecimalField(_("net"), **MONEY)
    vat = models.DecimalField(_("VAT"), **MONEY)
    gross = models.DecimalField(_("amount"), **MONEY)
    free = models.BooleanField(_("free of charge"), default=False)

    class Meta:
        ordering = ["invoice_id", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="billing_line_unique_position"),
            models.CheckConstraint(condition=Q(net__gte=0) & Q(vat__gte=0) & Q(gross__gte=0),
                                   name="billing_line_amounts_not_negative"),
        ]
        # Revenue in the reports and the dashboard: each invoice's lines, index-only.
        indexes = [models.Index(fields=["invoice"], include=["kind", "pay_type", "net"], name="billing_line_report")]

    def __str__(self) -> str:
        return self.description


class Payment(AppendOnly):
    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        CARD = "card", _("Bank card")
        WECHAT = "wechat", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")
        TRANSFER = "transfer", _("Bank transfer")
        ACCOUNT = "account", _("On account")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments",
                                verbose_name=_("invoice"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # Cash only: what the customer handed over, and the change given back.
    tendered = models.DecimalField(_("tendered"), max_digits=12, decimal_places=2, null=True, blank=True)
    change_given = models.DecimalField(_("change"), **MONEY)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("received by"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_positive")]
        indexes = [models.Index(fields=["site", "received_at"], name="billing_payment_site_received")]
        permissions = [("take_payment", _("Can take payments"))]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"


class CustomerAccount(models.Model):
    """A fleet or company customer who may pay on account, up to a credit limit."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="accounts",
                                 verbose_name=_("customer"))
    credit_limit = models.DecimalField(_("credit limit"), max_digits=12, decimal_places=2)
    active = models.BooleanField(_("active"), default=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")
        constraints = [models.UniqueConstraint(fields=["site", "customer"], name="billing_one_account_per_customer")]

    def __str__(self) -> str:
        return str(self.customer)
