"""The handover tab of the RO page (htmx partial): the pre-delivery checklist the advisor ticks and signs on
the tablet, or the signed check once done."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from repair_orders.views.common import render_site, repair_order_of
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import staff_view

from ..selectors_handover import handover_panel
from ..services.handover import REQUIRED_CHECKS, ROAD_TEST, amount_due, pre_delivery_check_sign

VIEW, SIGN = "billing.view_predeliverycheck", "billing.add_predeliverycheck"
TEMPLATE = "billing/handover_panel.html"


def _render(request, repair_order, *, ticked=(), notes="", error=None, missing=()):
    panel = handover_panel(repair_order=repair_order)
    return render_site(request, TEMPLATE, {
        "ro": repair_order, "panel": panel, "can_sign": request.user.has_perm(SIGN) and panel.can_sign_now,
        "ticked": set(ticked), "notes": notes, "error": error, "missing": set(missing),
        "amount_due": amount_due(repair_order) if panel.check is None and panel.can_sign_now else None,
    })


@staff_view(VIEW)
@require_GET
def panel(request, pk):
    return _render(request, repair_order_of(request, pk))


@staff_view(SIGN)
@require_POST
def sign(request, pk):
    repair_order = repair_order_of(request, pk)
    ticked = [key for key in (*REQUIRED_CHECKS, ROAD_TEST) if request.POST.get(key)]
    notes = request.POST.get("notes", "")[:2000]
    version = request.POST.get("version", "")
    try:
        pre_delivery_check_sign(repair_order=repair_order, checks=dict.fromkeys(ticked, True), notes=notes,
                                actor=request.user, version=int(version) if version.isdecimal() else None)
    except ApplicationError as error:
        repair_order = repair_order_of(request, pk)
        return _render(request, repair_order, ticked=ticked, notes=notes, error=error.message,
                       missing=error.extra.get("missing", ()))
    done = _("The pre-delivery check is signed; the customer is told the car is ready.")
    target = f"{reverse('repair_orders:detail', args=[repair_order.pk])}?tab=handover"
    if getattr(request, "htmx", False):
        messages.success(request, done)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target  # the whole page: the RO's state badge and history change too
        return response
    messages.success(request, done)
    return redirect(target)
