"""Reads of the cashier's desk: what a customer still owes, the three queues, an invoice with its lines and
payments. Each runs a fixed number of queries whatever the size (tests assert it)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum, prefetch_related_objects

from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.core.money import money

from .drafting import Draft, draft_prefetch, invoice_draft, issued_quantities, with_settlement_discount
from .models import GatePass, Invoice, InvoiceLine, Payment, SettlementDiscount
from .models.settlement import LIVE_DISCOUNT_STATES

ZERO = Decimal("0.00")


def _paid_by_ro(ro_ids) -> dict[int, Decimal]:
    rows = (Payment.objects.filter(invoice__repair_order_id__in=ro_ids)
            .values("invoice__repair_order_id").annotate(total=Sum("amount")))
    return {row["invoice__repair_order_id"]: money(row["total"]) for row in rows}


def _applied_discounts(ro_ids) -> dict[int, Decimal]:
    """The granted or approved settlement discount of each RO that has one."""
    rows = SettlementDiscount.objects.filter(
        repair_order_id__in=ro_ids, status__in=[SettlementDiscount.Status.GRANTED, SettlementDiscount.Status.APPROVED])
    return dict(rows.values_list("repair_order_id", "amount"))


def _live_invoices(ro_ids) -> dict[int, Invoice]:
    invoices = Invoice.objects.filter(repair_order_id__in=ro_ids, kind=Invoice.Kind.INVOICE,
                                      credit_note__isnull=True).order_by("pk")
    return {invoice.repair_order_id: invoice for invoice in invoices}


def amount_due(repair_order: RepairOrder) -> Decimal:
    """The customer's part still to pay: the live invoice's less the RO's payments; before invoicing, what
    the invoice would charge the customer now, after the settlement discount (less anything already taken).
    Two queries once invoiced, six before (RO's site, jobs, part lines, ledger, discount, payments)."""
    invoice = _live_invoices([repair_order.pk]).get(repair_order.pk)
    paid = _paid_by_ro([repair_order.pk]).get(repair_order.pk, ZERO)
    if invoice is not None:
        return invoice.customer_amount - paid
    loaded = RepairOrder.objects.select_related("site").prefetch_related(*draft_prefetch()).get(pk=repair_order.pk)
    discount = _applied_discounts([repair_order.pk]).get(repair_order.pk, ZERO)
    return _discounted_draft(loaded, discount).customer_amount - paid


def _discounted_draft(repair_order: RepairOrder, discount: Decimal, *, issued=None) -> Draft:
    """The draft less `discount`; a discount the bill has since outgrown is left out (invoicing refuses it)."""
    draft = invoice_draft(repair_order, issued=issued)
    return with_settlement_discount(draft, discount) if 0 < discount <= draft.discountable else draft


@dataclass
class QueueRow:
    repair_order: RepairOrder
    invoice: Invoice | None
    paid: Decimal
    amount: Decimal  # the customer's part: of the invoice, or of the draft before invoicing

    @property
    def due(self) -> Decimal:
        return self.amount - self.paid


@dataclass
class Queues:
    to_invoice: list[QueueRow] = field(default_factory=list)
    to_pay: list[QueueRow] = field(default_factory=list)
    to_deliver: list[QueueRow] = field(default_factory=list)


def cashier_queues(*, site) -> Queues:
    """Ready to invoice (ready, or invoiced with its invoice credited); invoiced and awaiting payment; paid and
    awaiting delivery. Seven queries: ROs (customer, vehicle), jobs, part lines, live invoices, payments,
    the ledger's issues, settlement discounts."""
    orders = list(RepairOrder.objects.filter(site=site, state__in=[ROState.READY, ROState.INVOICED])
                  .select_related("site", "customer", "vehicle").prefetch_related(*draft_prefetch())
                  .order_by("updated_at", "pk"))
    ids = [ro.pk for ro in orders]
    invoices, paid = _live_invoices(ids), _paid_by_ro(ids)
    to_draft = [ro for ro in orders if ro.pk not in invoices]
    issued = issued_quantities(to_draft) if to_draft else {}
    discounts = _applied_discounts([ro.pk for ro in to_draft]) if to_draft else {}
    queues = Queues()
    for ro in orders:
        invoice = invoices.get(ro.pk)
        if invoice is None:
            draft = _discounted_draft(ro, discounts.get(ro.pk, ZERO), issued=issued.get(ro.number, {}))
            amount = draft.customer_amount
            queues.to_invoice.append(QueueRow(ro, None, paid.get(ro.pk, ZERO), amount))
            continue
        row = QueueRow(ro, invoice, paid.get(ro.pk, ZERO), invoice.customer_amount)
        (queues.to_pay if row.due > 0 else queues.to_deliver).append(row)
    return queues


def invoice_queryset(*, site):
    """The site's invoices loaded for their detail: lines, payments and the RO's particulars. Three queries."""
    return (Invoice.objects.filter(site=site).select_related(
        "site", "repair_order__vehicle", "repair_order__advisor__profile", "customer", "issued_by__profile",
        "credits", "credit_note")
        .prefetch_related(Prefetch("lines", InvoiceLine.objects.order_by("position")),
                          Prefetch("payments", Payment.objects.select_related("received_by__profile"))))


def invoice_detail(*, site, pk) -> Invoice:
    """An invoice (or credit note) with its lines, payments and the RO's particulars. Three queries."""
    return invoice_queryset(site=site).get(pk=pk)


def invoices_of_site(*, site, kind: str | None = None, repair_order_id: int | None = None):
    """The site's invoices and credit notes, newest first (the API's list); one query per page."""
    invoices = Invoice.objects.filter(site=site).order_by("-issued_at", "-pk")
    if kind:
        invoices = invoices.filter(kind=kind)
    return invoices.filter(repair_order_id=repair_order_id) if repair_order_id else invoices


@dataclass
class Settlement:
    repair_order: RepairOrder
    invoice: Invoice | None  # the live one
    draft: Draft | None  # before invoicing: what the invoice would hold
    payments: list[Payment]
    paid: Decimal
    credited: list[Invoice]  # earlier invoices of the RO and their credit notes
    gate_pass: GatePass | None
    discounts: list[SettlementDiscount] = field(default_factory=list)  # settlement discounts, newest first

    @property
    def live_discount(self) -> SettlementDiscount | None:
        """The bill's discount that waits, or applies, if any."""
        return next((d for d in self.discounts if d.status in LIVE_DISCOUNT_STATES), None)

    @property
    def discount_pending(self) -> bool:
        return self.live_discount is not None and self.live_discount.status == SettlementDiscount.Status.PENDING

    @property
    def discount_open(self) -> bool:
        """The bill may still take a (new) settlement discount: not invoiced yet, or credited."""
        return self.invoice is None and self.draft is not None and self.repair_order.state != ROState.DELIVERED

    @property
    def amount(self) -> Decimal:
        if self.invoice is not None:
            return self.invoice.customer_amount
        return self.draft.customer_amount if self.draft else ZERO

    @property
    def due(self) -> Decimal:
        return self.amount - self.paid


def settlement(*, site, pk) -> Settlement:
    """The RO's settlement page: its invoices, payments, gate pass, and the draft when there is no live
    invoice. Six queries with a live invoice (RO, invoices, lines, payments, gate pass, settlement
    discounts), nine before invoicing (the draft's jobs, part lines and ledger), see tests."""
    repair_order = (RepairOrder.objects.filter(site=site)
                    .select_related("site", "customer", "vehicle", "advisor__profile").get(pk=pk))
    invoices = list(Invoice.objects.filter(repair_order=repair_order)
                    .select_related("credits", "issued_by__profile").order_by("pk")
                    .prefetch_related(Prefetch("lines", InvoiceLine.objects.order_by("position"))))
    credited_ids = {inv.credits_id for inv in invoices if inv.credits_id}
    live = next((inv for inv in reversed(invoices)
                 if inv.kind == Invoice.Kind.INVOICE and inv.pk not in credited_ids), None)
    payments = list(Payment.objects.filter(invoice__repair_order=repair_order)
                    .select_related("invoice", "received_by__profile").order_by("received_at", "pk"))
    discounts = list(SettlementDiscount.objects.filter(repair_order=repair_order)
                     .select_related("requested_by__profile", "decided_by__profile"))
    applied = next((d.amount for d in discounts if d.applies), ZERO)
    draft = None
    if live is None and repair_order.state in (ROState.READY, ROState.INVOICED, ROState.DELIVERED):
        prefetch_related_objects([repair_order], *draft_prefetch())
        draft = _discounted_draft(repair_order, applied)
    gate_pass = GatePass.objects.filter(repair_order=repair_order).select_related("issued_by__profile").first()
    return Settlement(repair_order=repair_order, invoice=live, draft=draft, payments=payments,
                      paid=sum((p.amount for p in payments), ZERO),
                      credited=[inv for inv in invoices if inv is not live], gate_pass=gate_pass, discounts=discounts)


def payments_of_site(*, site, invoice_id: int | None = None):
    """Payments at `site`, newest first (the API's list); one query per page."""
    payments = Payment.objects.filter(site=site).select_related("invoice").order_by("-received_at", "-pk")
    return payments.filter(Q(invoice_id=invoice_id)) if invoice_id else payments
