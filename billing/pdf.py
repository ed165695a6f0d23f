"""The cashier's printed documents: the invoice (结算单) or credit note, and the gate pass (出厂通知单).
Rendered by WeasyPrint in the request, outside any transaction (slow I/O), in the customers' language and
the site's time zone, with the fonts subset (core.pdf)."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation

from repair_orders.models import PartLine, RepairOrder
from servicedesk.accounts.names import staff_name
from servicedesk.core.pdf import render_pdf

from .models import GatePass, Invoice
from .selectors import invoice_detail
from .services.payments import paid_on

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VatRow:
    rate: Decimal | None  # None: VAT-exempt lines
    net: Decimal
    vat: Decimal
    gross: Decimal


def vat_breakdown(invoice: Invoice) -> list[VatRow]:
    """Net, VAT and gross per rate: the invoice's rate, and the exempt lines (net charged without VAT)."""
    rows = []
    for exempt in (False, True):
        lines = [line for line in invoice.lines.all() if (line.vat == 0 and line.net > 0) == exempt]
        if lines and (not exempt or any(line.net for line in lines)):
            rows.append(VatRow(rate=None if exempt else invoice.vat_rate, net=sum((x.net for x in lines), ZERO),
                               vat=sum((x.vat for x in lines), ZERO), gross=sum((x.gross for x in lines), ZERO)))
    return rows



def latest_invoice(*, site, repair_order_pk) -> Invoice:
    """The RO's newest invoice or credit note (the one the cashier just issued), loaded for printing."""
    newest = (Invoice.objects.filter(site=site, repair_order_id=repair_order_pk).order_by("-pk")
              .values_list("pk", flat=True).first())
    if newest is None:
        raise Http404("no invoice")
    return invoice_detail(site=site, pk=newest)


def invoice_pdf(invoice: Invoice, *, request=None) -> bytes:
    paid = paid_on(invoice.repair_order_id)
    repair_order = invoice.repair_order
    context = {
        "invoice": invoice, "site": invoice.site, "ro": repair_order, "vehicle": repair_order.vehicle,
        "customer": invoice.customer, "lines": list(invoice.lines.all()), "payments": list(invoice.payments.all()),
        "paid": paid, "due": max(invoice.customer_amount - paid, ZERO), "vat_rows": vat_breakdown(invoice),
        "advisor_name": staff_name(repair_order.advisor), "cashier_name": staff_name(invoice.issued_by),
        "credit": invoice.kind == Invoice.Kind.CREDIT_NOTE,
        "has_customer_parts": any(line.source == PartLine.Source.CUSTOMER_SUPPLIED for line in invoice.lines.all()),
        "has_free": any(line.free for line in invoice.lines.all()),
    }
    return _render("billing/pdf/invoice.html", context, invoice.site, request)


def gate_pass_pdf(*, site, repair_order_pk, request=None) -> bytes:
    gate_pass = (GatePass.objects.select_related("repair_order__vehicle", "repair_order__customer",
                                                 "repair_order__site", "issued_by__profile")
                 .filter(repair_order__site=site, repair_order_id=repair_order_pk).first())
    if gate_pass is None:
        raise Http404("no gate pass")
    repair_order: RepairOrder = gate_pass.repair_order
    invoice = (Invoice.objects.filter(repair_order=repair_order, kind=Invoice.Kind.INVOICE, credit_note__isnull=True)
               .order_by("-pk").first())
    context = {"gate_pass": gate_pass, "ro": repair_order, "site": repair_order.site,
               "vehicle": repair_order.vehicle, "customer": repair_order.customer, "invoice": invoice,
               "paid": paid_on(repair_order.pk), "cashier_name": staff_name(gate_pass.issued_by)}
    return _render("billing/pdf/gate_pass.html", context, repair_order.site, request)


def _render(template: str, context: dict, site, request) -> bytes:
    with translation.override(settings.MESSAGING_LANGUAGE), timezone.override(site.time_zone):
        return render_pdf(template, {**context, "printed_at": timezone.now()}, request=request)
