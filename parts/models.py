"""The parts store (配件): catalogue, an append-only stock ledger, reservations, shortages, receiving.

A part's `on_hand` and `reserved` are kept by `parts.services` in the same transaction as the ledger
row or reservation that changes them; `manage.py check_stock_ledger` proves they agree.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly

QTY = {"max_digits": 12, "decimal_places": 2}
MONEY = {"max_digits": 12, "decimal_places": 2}


class Supplier(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    lead_days = models.PositiveSmallIntegerField(_("lead time in days"), default=2)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="supplier_unique_name")]

    def __str__(self) -> str:
        return self.name


class Part(models.Model):
    class Kind(models.TextChoices):
        OEM = "oem", _("OEM (原厂)")
        AFTERMARKET = "aftermarket", _("Aftermarket (副厂)")
        ACCESSORY = "accessory", _("Accessory")

    class Unit(models.TextChoices):
        # Only PIECE, SET and PAIR are counted in whole numbers; the others may be fractional.
        PIECE = "piece", _("piece")
        SET = "set", _("set")
        PAIR = "pair", _("pair")
        LITRE = "litre", _("litre")
        METRE = "metre", _("metre")
        KILOGRAM = "kg", _("kg")

    class VatClass(models.TextChoices):
        STANDARD = "standard", _("Standard rate")
        EXEMPT = "exempt", _("Exempt")

    WHOLE_UNITS = {Unit.PIECE, Unit.SET, Unit.PAIR}

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    number = models.CharField(_("part number"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    brand = models.CharField(_("brand"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OEM)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    sale_price = models.DecimalField(_("sale price"), **MONEY, default=Decimal("0.00"),
                                     validators=[MinValueValidator(0)])
    cost = models.DecimalField(_("cost"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)])
    vat_class = models.CharField(_("VAT class"), max_length=10, choices=VatClass.choices,
                                 default=VatClass.STANDARD)
    bin_location = models.CharField(_("bin location"), max_length=20, blank=True)
    reorder_point = models.DecimalField(_("reorder point"), **QTY, default=Decimal("0"),
                                        validators=[MinValueValidator(0)])
    reorder_quantity = models.DecimalField(_("reorder quantity"), **QTY, default=Decimal("0"),
                                           validators=[MinValueValidator(0)])
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL,
                                 verbose_name=_("usual supplier"))
    # The number that replaces this one; a search for the old number finds the new part.
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="supersedes", verbose_name=_("superseded by"))
    active = models.BooleanField(_("active"), default=True)
    # Kept by parts.services together with the ledger; never written anywhere else.
    on_hand = models.DecimalField(_("on hand"), **QTY, default=Decimal("0"), editable=False)
    reserved = models.DecimalField(_("reserved"), **QTY, default=Decimal("0"), editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who changed a price, when (the audit screen). The stock counters move with every ledger row: not kept, and
    # the ledger's saves write no history row (parts.services.ledger.save_quantities).
    history = HistoricalRecords(excluded_fields=["on_hand", "reserved", "created_at", "updated_at"])

    class Meta:
        ordering = ["number"]
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="part_unique_number"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="part_on_hand_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="part_reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=models.F("on_hand")),
                                   name="part_reserved_within_on_hand"),
        ]
        permissions = [
            ("receive_stock", _("Can receive deliveries")),
            ("issue_stock", _("Can issue and return parts for repair orders")),
            ("adjust_stock", _("Can adjust stock")),
            ("approve_adjustment", _("Can approve stock adjustments")),
            ("transfer_stock", _("Can transfer stock between sites")),
            ("manage_shortages", _("Can manage shortages and purchase requests")),
            ("import_parts", _("Can import the parts catalogue")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    @property
    def counted_in_whole_units(self) -> bool:
        return self.unit in self.WHOLE_UNITS


class PurchaseRequest(models.Model):
    """An order to one supplier, grouping the open shortages it should cover (请购单)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ORDERED = "ordered", _("Ordered")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    number = models.CharField(_("number"), max_length=30)
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.PROTECT,
                                 verbose_name=_("supplier"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ordered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        constraints = [models.UniqueConstraint(fields=["site", "number"], name="purchase_request_unique_number")]

    def __str__(self) -> str:
        return self.number


class PurchaseRequestLine(models.Model):
    purchase_request = models.ForeignKey(PurchaseRequest, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, verbose_name=_("part"))
    quantity = models.DecimalField(_("quantity"), **QTY)
    received_quantity = models.DecimalField(_("received"), **QTY, default=Decimal("0"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["purchase_request", "part"], name="pr_line_unique_part")]

    def __str__(self) -> str:
        return f"{self.part_id} × {self.quantity}"


class Delivery(models.Model):
    """A supplier's delivery as received at the counter (收货); its receipts are ledger rows."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.PROTECT,
                                 verbose_name=_("supplier"))
    purchase_request = models.ForeignKey(PurchaseRequest, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="deliveries", verbose_name=_("purchase request"))
    delivery_note = models.CharField(_("delivery note number"), max_length=50, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return self.delivery_note or f"#{self.pk}"


class Reservation(models.Model):
    """Stock held for a repair order line until it is issued or released."""

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        ISSUED = "issued", _("Issued")
        RELEASED = "released", _("Released")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("part"))
    quantity = models.DecimalField(_("quantity"), **QTY, validators=[MinValueValidator(0)])
    # Of `quantity`, how much has been issued; the rest is still held while status is HELD.
    issued_quantity = models.DecimalField(_("issued"), **QTY, default=Decimal("0"))
    # The repair order is a later app; until its line model exists the reference is its number and line id.
    repair_order_ref = models.CharField(_("repair order"), max_length=30)
    line_ref = models.PositiveBigIntegerField(_("repair order line"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        indexes = [models.Index(fields=["part", "status"]), models.Index(fields=["site", "repair_order_ref"])]
        constraints = [
            models.CheckConstraint(condition=Q(issued_quantity__lte=models.F("quantity")),
                                   name="reservation_issued_within_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.repair_order_ref} {self.part_id} × {self.quantity}"

    @property
    def outstanding(self) -> Decimal:
        return self.quantity - self.issued_quantity if self.status == self.Status.HELD else Decimal("0")


class StockMovement(AppendOnly):
    """One immutable row of the stock ledger. `quantity` is signed: positive in, negative out."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        ISSUE = "issue", _("Issue to repair order")
        RETURN = "return", _("Return from repair order")
        ADJUSTMENT = "adjustment", _("Adjustment")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        TRANSFER_IN = "transfer_in", _("Transfer in")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="movements", verbose_name=_("part"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    quantity = models.DecimalField(_("quantity"), **QTY)
    balance_after = models.DecimalField(_("on hand after"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), **MONEY, null=True, blank=True)
    repair_order_ref = models.CharField(_("repair order"), max_length=30, blank=True)
    reservation = models.ForeignKey(Reservation, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="movements")
    delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.PROTECT, related_name="movements")
    # On a transfer_in row: the transfer_out row at the sending site it balances.
    transfer_from = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="transfer_to")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [models.Index(fields=["part", "-created_at", "-id"]), models.Index(fields=["site", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="movement_quantity_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="movement_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+} → {self.balance_after}"



class StockAdjustment(models.Model):
    """A count correction asked for by the counter; booked as a ledger row once a manager approves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("part"))
    quantity = models.DecimalField(_("change in quantity"), **QTY)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(null=True, blank=True)
    movement = models.OneToOneField(StockMovement, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="adjustment_request")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("stock adjustment")
        verbose_name_plural = _("stock adjustments")
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="adjustment_quantity_not_zero")]

    def __str__(self) -> str:
        return f"{self.quantity:+} ({self.reason})"


class Shortage(models.Model):
    """缺货记录: a quantity that was asked for and could not be reserved."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ORDERED = "ordered", _("Ordered")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="shortages", verbose_name=_("part"))
    repair_order_ref = models.CharField(_("repair order"), max_length=30, blank=True)
    line_ref = models.PositiveBigIntegerField(_("repair order line"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), **QTY, validators=[MinValueValidator(0)])
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    purchase_request = models.ForeignKey(PurchaseRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="shortages", verbose_name=_("purchase request"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shortage")
        verbose_name_plural = _("shortages")
        indexes = [models.Index(fields=["site", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.repair_order_ref or '-'} {self.part_id} × {self.quantity}"


class ShortageEvent(AppendOnly):
    """The audit trail of a shortage's status changes (DESIGN.md §3.2)."""

    shortage = models.ForeignKey(Shortage, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
