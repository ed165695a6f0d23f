"""Stock adjustments: a count correction with a reason, and the approver's list."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.core.views_common import call_service, current_site, paginate, staff_view

from .. import selectors, services
from ..forms import AdjustmentDecisionForm, AdjustmentForm
from ..models import StockAdjustment
from ..quantities import format_quantity


@staff_view("parts.adjust_stock")
def part_adjust(request, pk):
    part = selectors.part_detail(site=current_site(request), pk=pk)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        adjustment = call_service(form, services.adjustment_request, part=part, actor=request.user,
                                  quantity=form.cleaned_data["quantity"], reason=form.cleaned_data["reason"])
        if adjustment:
            if adjustment.status == StockAdjustment.Status.APPROVED:
                part.refresh_from_db(fields=["on_hand"])
                messages.success(request, _("Stock adjusted; %(part)s now has %(on_hand)s on hand.")
                                 % {"part": part.number, "on_hand": format_quantity(part.on_hand)})
            else:
                messages.info(request, _("Adjustment sent to the service manager for approval."))
            return redirect("parts:part_detail", pk=part.pk)
    return render(request, "parts/adjust.html", {"part": part, "form": form})


@staff_view("parts.approve_adjustment")
def adjustment_list(request):
    site = current_site(request)
    pending = selectors.pending_adjustments(site=site)
    return render(request, "parts/adjustment_list.html", {"page": paginate(request, pending)})


@staff_view("parts.approve_adjustment")
@require_POST
def adjustment_decide(request, pk):
    site = current_site(request)
    adjustment = get_object_or_404(StockAdjustment.objects.select_related("part"), site=site, pk=pk)
    form = AdjustmentDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
    elif form.cleaned_data["decision"] == "approve":
        services.adjustment_approve(adjustment=adjustment, actor=request.user)
        messages.success(request, _("Adjustment of %(part)s approved and booked.") % {"part": adjustment.part.number})
    else:
        services.adjustment_reject(adjustment=adjustment, actor=request.user)
        messages.success(request, _("Adjustment of %(part)s rejected.") % {"part": adjustment.part.number})
    return redirect("parts:adjustment_list")
