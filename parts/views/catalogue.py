"""The catalogue: search, the part page with its ledger, and the reorder list."""

from decimal import Decimal

from django.shortcuts import render

from servicedesk.core.views_common import current_site, paginate, staff_view

from .. import selectors
from ..models import Part, Shortage

LEDGER_PAGE_SIZE = 20
WAITING = [Shortage.Status.OPEN, Shortage.Status.ORDERED]


@staff_view("parts.view_part")
def part_list(request):
    site = current_site(request)
    q, kind = request.GET.get("q", "").strip()[:50], request.GET.get("kind", "")
    if kind not in Part.Kind.values:
        kind = ""
    parts = selectors.part_search(site=site, q=q, kind=kind)
    template = "parts/_part_rows.html" if request.htmx else "parts/part_list.html"
    return render(request, template, {"page": paginate(request, parts), "q": q, "kind": kind,
                                      "kinds": Part.Kind.choices})


@staff_view("parts.view_part")
def part_detail(request, pk):
    site = current_site(request)
    part = selectors.part_detail(site=site, pk=pk)
    other_sites = [s for s in request.site_context.sites if s.pk != site.pk]
    movements = selectors.part_movements(part=part)
    return render(request, "parts/part_detail.html", {
        "part": part,
        "movements": paginate(request, movements, per_page=LEDGER_PAGE_SIZE),
        "reservations": selectors.part_open_reservations(part=part),
        "availability": selectors.part_availability(part=part, sites=other_sites) if other_sites else [],
        "shortages": selectors.shortage_list(site=site).filter(part=part, status__in=WAITING),
        "pending_adjustments": selectors.pending_adjustments(site=site).filter(part=part),
        "superseded_parts": part.supersedes.all(),
    })


def suggested_order_quantity(part) -> Decimal:
    """The reorder quantity, or more when that would still leave the part below its reorder point."""
    shortfall = part.reorder_point - part.on_hand - part.on_order
    return max(part.reorder_quantity, shortfall)


@staff_view("parts.view_purchaserequest")
def reorder_list(request):
    site = current_site(request)
    page = paginate(request, selectors.reorder_list(site=site))
    for part in page:
        part.suggested = suggested_order_quantity(part)
    return render(request, "parts/reorder_list.html", {"page": page})
