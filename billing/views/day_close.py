"""The cashier's day close (日结): the day's figures before closing, the cash count, and the closed days."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from repair_orders.services.common import site_today
from repair_orders.views.common import render_site
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, paginate, staff_view

from ..selectors_handover import closed_days, day_closed, day_figures
from ..services.day_close import day_close

CLOSE_DAY = "billing.close_day"


def _day(value: str, site) -> date:
    try:
        return date.fromisoformat(value) if value else site_today(site)
    except ValueError:
        return site_today(site)


@staff_view(CLOSE_DAY)
def day_close_page(request):
    site = current_site(request)
    day = _day(request.POST.get("day") or request.GET.get("day", ""), site)
    error, counted, note = None, request.POST.get("counted_cash", ""), request.POST.get("note", "")
    if request.method == "POST":
        try:
            closed = day_close(site=site, day=day, counted_cash=decimal_or_none(counted), note=note, actor=request.user)
        except ApplicationError as failure:
            error = failure.message
        else:
            messages.success(request, _("%(day)s is closed.") % {"day": closed.day.isoformat()})
            return redirect(f"{reverse('billing:day_close')}?day={closed.day.isoformat()}")
    return render_site(request, "billing/day_close.html", {
        "day": day, "today": site_today(site), "figures": day_figures(site=site, day=day),
        "closed": day_closed(site, day), "page": paginate(request, closed_days(site)),
        "error": error, "counted": counted, "note": note})


def decimal_or_none(text: str) -> Decimal | None:
    """An amount as typed ("1,200.50"); anything unreadable counts as not entered (the service says so)."""
    try:
        return Decimal(text.strip().replace(",", "")) if text.strip() else None
    except InvalidOperation:
        return None
