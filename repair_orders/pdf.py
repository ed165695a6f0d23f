"""The repair order's printed documents: the check-in sheet (接车单), the work order (任务委托书) and the
recommendations list (建议项目表). Rendered by WeasyPrint in the request, outside any transaction (slow I/O);
in the customers' language and the site's time zone whoever prints them. A technician the site keeps from
prices (servicedesk.core.masking) gets the workshop's copy: the same papers without a price on them, and a
role that does not call customers gets the mobile masked."""

import base64
import mimetypes
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from servicedesk.accounts.names import staff_name
from servicedesk.core.masking import mobile_for, sees_prices
from servicedesk.core.money import money
from servicedesk.core.pdf import render_pdf

from .models import JobLine, PartLine, RepairOrder, Signature
from .totals import repair_order_totals
from .workflow import FEE_ONLY_JOB_STATES, JobState

DIAGRAM_WIDTH, DIAGRAM_HEIGHT = 400, 200  # the car diagram's SVG box; marks are percentages of it
ZERO = Decimal("0.00")
MARK_COLOURS = {"scratch": "#d62728", "dent": "#1f77b4", "crack": "#9467bd", "chip": "#ff7f0e", "other": "#555"}


@dataclass(frozen=True)
class Document:
    slug: str  # in the URL and the file name
    template: str
    signature_kind: str


DOCUMENTS = {
    "check_in_sheet": Document("check-in-sheet", "pdf/repair_orders/check_in_sheet.html", Signature.Kind.CHECK_IN),
    "work_order": Document("work-order", "pdf/repair_orders/work_order.html", Signature.Kind.WORK_ORDER),
    "recommendations": Document("recommendations", "pdf/repair_orders/recommendations.html",
                                Signature.Kind.RECOMMENDATIONS),
}


@dataclass(frozen=True)
class PartRow:
    line: PartLine
    amount: Decimal  # quantity × unit price, less the discount


@dataclass
class JobRow:
    job: JobLine
    amount: Decimal  # what the line bills: labour less its discount, or only its diagnostic fee
    parts: list[PartRow] = field(default_factory=list)  # the parts it bills (none when fee-only)

    @property
    def fee_only(self) -> bool:
        return self.job.state in FEE_ONLY_JOB_STATES


def repair_order_for_documents(*, site, pk) -> RepairOrder:
    """The site's RO with everything the documents print (six queries); another site's is a 404."""
    queryset = (RepairOrder.objects.select_related("site", "customer", "vehicle", "advisor__profile")
                .prefetch_related(Prefetch("jobs", JobLine.objects.select_related("operation")),
                                  Prefetch("jobs__part_lines", PartLine.objects.select_related("part")),
                                  "damage_marks", "signatures"))
    return get_object_or_404(queryset, site=site, pk=pk)


def document_pdf(repair_order: RepairOrder, name: str, *, request=None) -> bytes:
    document = DOCUMENTS[name]
    with translation.override(settings.MESSAGING_LANGUAGE), timezone.override(repair_order.site.time_zone):
        context = {**_context(repair_order, document),
                   "show_prices": request is None or sees_prices(request),
                   "customer_mobile": mobile_for(request, repair_order.customer.mobile)}
        return render_pdf(document.template, context, request=request)


def pdf_filename(repair_order: RepairOrder, name: str) -> str:
    return f"{repair_order.number}-{DOCUMENTS[name].slug}.pdf"


def _context(repair_order: RepairOrder, document: Document) -> dict:
    rows = [_job_row(job) for job in repair_order.jobs.all()]
    declined = [_recommendation(row.job) for row in rows if row.job.state == JobState.DECLINED]
    printed = [row for row in rows if row.job.state != JobState.DECLINED or row.amount]
    return {
        "ro": repair_order, "site": repair_order.site, "customer": repair_order.customer,
        "vehicle": repair_order.vehicle, "advisor_name": staff_name(repair_order.advisor),
        "signature": _latest_signature(repair_order, document.signature_kind),
        "printed_at": timezone.now(),
        "marks": _marks(repair_order), "diagram": {"width": DIAGRAM_WIDTH, "height": DIAGRAM_HEIGHT},
        "rows": printed,
        # The work order prints a discount column only when something is discounted: a column of zeros is
        # ~60 more table cells on a long order (its render time) and says nothing the totals do not.
        "discounts": any(row.job.discount or any(item.line.discount for item in row.parts) for row in printed),
        "declined": declined, "declined_total": sum((row.amount for row in declined), ZERO),
        "totals": repair_order_totals(repair_order),
        "has_customer_parts": any(item.line.source == PartLine.Source.CUSTOMER_SUPPLIED
                                  for row in rows for item in row.parts),
    }


def _job_row(job: JobLine) -> JobRow:
    if job.state in FEE_ONLY_JOB_STATES:
        return JobRow(job=job, amount=money(job.diagnostic_fee))
    return JobRow(job=job, amount=money(job.labour_price - job.discount), parts=_part_rows(job))


def _recommendation(job: JobLine) -> JobRow:
    """A declined line at the price it would have cost, labour and parts."""
    parts = _part_rows(job)
    return JobRow(job=job, amount=money(job.labour_price - job.discount) + sum((p.amount for p in parts), ZERO),
                  parts=parts)


def _part_rows(job: JobLine) -> list[PartRow]:
    return [PartRow(line=line, amount=money(line.unit_price * line.quantity - line.discount))
            for line in job.part_lines.all()]


def _marks(repair_order: RepairOrder) -> list[dict]:
    marks = []
    for number, mark in enumerate(repair_order.damage_marks.all(), start=1):
        # Tapped on the screen's upright car (front at the top, x across, y along it); printed on the sheet's
        # car turned a quarter to the left (front at the left): along → x, across → y with the car's left side
        # (the screen's left) at the bottom.
        cx, cy = float(mark.y) * DIAGRAM_WIDTH / 100, (100 - float(mark.x)) * DIAGRAM_HEIGHT / 100
        marks.append({"number": number, "mark": mark, "colour": MARK_COLOURS.get(mark.kind, "#555"),
                      "cx": f"{cx:.1f}", "cy": f"{cy:.1f}", "text_y": f"{cy + 3.5:.1f}"})
    return marks


def _latest_signature(repair_order: RepairOrder, kind: str) -> dict | None:
    """The last signature of this kind with its image inlined (no file URL for WeasyPrint to fetch)."""
    signature = next((s for s in reversed(repair_order.signatures.all()) if s.kind == kind), None)
    if signature is None:
        return None
    try:
        with signature.image.open("rb") as image:
            content = image.read()
    except (OSError, ValueError):
        content = b""
    mime = mimetypes.guess_type(signature.image.name)[0] or "image/png"
    return {"signer_name": signature.signer_name, "signed_at": signature.signed_at,
            "data_uri": f"data:{mime};base64,{base64.b64encode(content).decode()}" if content else ""}

