"""Issuing the invoice (结算单) of a repair order, and the credit note that corrects it.

An issued invoice is never changed (AppendOnly refuses save and delete); a correction is a full credit note
referencing it, after which the RO is invoiced again. The RO stays `invoiced` through a credit note — it
has no live invoice then, and the cashier's "to invoice" queue shows it again — so the state machine needs
no way back. Payments of a credited invoice count towards the RO's next invoice (selectors.amount_due).
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from repair_orders.models import DiscountRequest, RepairOrder
from repair_orders.models import PayType as Pay
from repair_orders.services.common import lock_repair_order, move_ro, ro_event, site_today
from repair_orders.workflow import ROState
from servicedesk.core.errors import ApplicationError
from servicedesk.core.numbering import next_number

from ..drafting import Draft, draft_prefetch, invoice_draft, with_settlement_discount
from ..models import Invoice, InvoiceLine, SettlementDiscount
from .settlement_discount import live_settlement_discount

INVOICE_SEQUENCE, CREDIT_NOTE_SEQUENCE = "INV", "CN"


def live_invoice(repair_order: RepairOrder, *, lock: bool = False) -> Invoice | None:
    """The RO's invoice that no credit note cancels, if any."""
    invoices = Invoice.objects.filter(repair_order=repair_order, kind=Invoice.Kind.INVOICE, credit_note__isnull=True)
    if lock:
        invoices = invoices.select_for_update(of=("self",))
    return invoices.order_by("-pk").first()


def check_invoiceable(repair_order: RepairOrder, draft: Draft) -> None:
    """Why `repair_order` cannot be invoiced now, as an ApplicationError; nothing when it can."""
    invoiced_again = repair_order.state in (ROState.INVOICED, ROState.DELIVERED) and not live_invoice(repair_order)
    if repair_order.state != ROState.READY and not invoiced_again:
        if repair_order.state in (ROState.INVOICED, ROState.DELIVERED):
            raise ApplicationError(_("Repair order %(number)s is already invoiced.") % {"number": repair_order.number},
                                   code="conflict")
        raise ApplicationError(
            _("Repair order %(number)s is %(state)s; only a ready repair order is invoiced.")
            % {"number": repair_order.number, "state": repair_order.get_state_display()}, code="illegal_transition")
    pending = DiscountRequest.objects.filter(job_line__repair_order=repair_order,
                                             status=DiscountRequest.Status.PENDING).select_related("job_line").first()
    if pending is not None:
        raise ApplicationError(
            _("The discount on “%(job)s” is waiting for the manager's approval; invoice once it is decided.")
            % {"job": pending.job_line.description}, code="discount_pending")
    waiting = live_settlement_discount(repair_order.pk)
    if waiting is not None and waiting.status == SettlementDiscount.Status.PENDING:
        raise ApplicationError(
            _("The settlement discount of ¥%(amount)s is waiting for the manager's approval; invoice once it is "
              "decided (or remove it).") % {"amount": waiting.amount}, code="discount_pending")
    if draft.unfinished:
        raise ApplicationError(_("“%(job)s” is not finished; only finished work is invoiced.")
                               % {"job": draft.unfinished[0].description}, code="conflict")


@transaction.atomic
def invoice_issue(*, repair_order: RepairOrder, actor) -> Invoice:
    """Issue the invoice of a ready RO (or of one whose invoice was credited) from its finished work, issued
    parts and diagnostic fees, less the granted or approved settlement discount, with a gapless number; the RO
    becomes invoiced; warranty lines open claims."""
    locked = lock_repair_order(repair_order, version=None)
    loaded = (RepairOrder.objects.select_related("site", "customer", "vehicle").prefetch_related(*draft_prefetch())
              .get(pk=locked.pk))
    draft = invoice_draft(loaded)
    check_invoiceable(locked, draft)
    discount = live_settlement_discount(locked.pk, lock=True)
    if discount is not None:
        if discount.amount > draft.discountable:
            raise ApplicationError(
                _("The customer's part is now %(base)s, less than the settlement discount of %(amount)s; give the "
                  "discount again.") % {"base": draft.discountable, "amount": discount.amount}, code="conflict")
        draft = with_settlement_discount(draft, discount.amount)
    today = site_today(locked.site)
    totals = draft.totals
    next_on, next_km = _next_service(loaded, today)
    invoice = Invoice.objects.create(
        site=locked.site, repair_order=locked, kind=Invoice.Kind.INVOICE,
        number=next_number(site=locked.site, kind=INVOICE_SEQUENCE, year=today.year),
        customer=loaded.customer, customer_name=loaded.customer.name, vehicle_plate=loaded.vehicle.plate,
        vehicle_vin=loaded.vehicle.vin, mileage=loaded.mileage,
        labour_total=totals.labour - draft.fees, parts_total=totals.parts, fees_total=draft.fees,
        discount_total=totals.discount, net_total=totals.net, vat_total=totals.vat, gross_total=totals.gross,
        customer_amount=draft.paid_by(Pay.CUSTOMER), warranty_amount=draft.paid_by(Pay.WARRANTY),
        internal_amount=draft.paid_by(Pay.INTERNAL), vat_rate=locked.site.vat_rate,
        on_account=locked.payment_method == RepairOrder.PaymentMethod.ON_ACCOUNT,
        next_service_on=next_on, next_service_km=next_km, issued_by=actor)
    InvoiceLine.objects.bulk_create(
        InvoiceLine(invoice=invoice, position=position, kind=line.kind, pay_type=line.job.pay_type,
                    job_line=line.job, description=line.description[:200], part_number=line.part_number,
                    brand=line.brand[:40], source=line.source, hours=line.hours, quantity=line.quantity,
                    unit_price=line.unit_price, discount=line.amount.discount, net=line.amount.amounts.net,
                    vat=line.amount.amounts.vat, gross=line.amount.amounts.gross, free=line.free)
        for position, line in enumerate(draft.lines, start=1))
    data = {"invoice": invoice.number, "total": str(invoice.gross_total), "customer": str(invoice.customer_amount),
            "settlement_discount": discount.pk if discount else None}
    if locked.state == ROState.READY:
        move_ro(locked, ROState.INVOICED, actor, kind="invoiced", **data)
    else:
        ro_event(locked, "invoiced_again", actor, **data)
    _open_warranty_claims(invoice, actor)
    return invoice


def _next_service(repair_order: RepairOrder, today: date) -> tuple[date | None, int | None]:
    """Printed on the invoice; delivery stores the same computation on the vehicle."""
    from .delivery import next_service_due

    return next_service_due(vehicle=repair_order.vehicle, delivered_on=today, mileage=repair_order.mileage)


def _open_warranty_claims(invoice: Invoice, actor) -> None:
    if invoice.warranty_amount <= 0:
        return
    try:
        from .warranty import claims_open_for_invoice  # the handover stage's; may not be installed yet
    except ImportError:
        return
    claims_open_for_invoice(invoice=invoice, actor=actor)


@transaction.atomic
def credit_note_issue(*, invoice: Invoice, reason: str, actor) -> Invoice:
    """Credit `invoice` in full (same lines, same amounts); the RO may then be invoiced again. A second credit
    of the same invoice, or a credit of a credit note, is refused."""
    reason = (reason or "").strip()[:200]
    if not reason:
        raise ApplicationError(_("Say why the invoice is credited."), field="reason")
    locked = lock_repair_order(invoice.repair_order_id, version=None)
    original = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if original.kind != Invoice.Kind.INVOICE:
        raise ApplicationError(_("A credit note cannot be credited."), code="conflict")
    if Invoice.objects.filter(credits=original).exists():
        raise ApplicationError(_("Invoice %(number)s is already credited.") % {"number": original.number},
                               code="conflict")
    today = site_today(locked.site)
    copied = {name: getattr(original, name) for name in (
        "site_id", "repair_order_id", "customer_id", "customer_name", "vehicle_plate", "vehicle_vin", "mileage",
        "labour_total", "parts_total", "fees_total", "discount_total", "net_total", "vat_total", "gross_total",
        "customer_amount", "warranty_amount", "internal_amount", "vat_rate", "on_account")}
    note = Invoice.objects.create(
        **copied, kind=Invoice.Kind.CREDIT_NOTE, credits=original, reason=reason, issued_by=actor,
        number=next_number(site=locked.site, kind=CREDIT_NOTE_SEQUENCE, year=today.year))
    line_fields = ("position", "kind", "pay_type", "job_line_id", "description", "part_number", "brand", "source",
                   "hours", "quantity", "unit_price", "discount", "net", "vat", "gross", "free")
    InvoiceLine.objects.bulk_create(InvoiceLine(invoice=note, **{name: getattr(line, name) for name in line_fields})
                                    for line in original.lines.all())
    ro_event(locked, "credit_note", actor, invoice=original.number, credit_note=note.number, reason=reason)
    return note
