"""缺货记录: the shortage list, cancelling, recording by hand, and ordering what is open."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from servicedesk.core.views_common import call_service, current_site, paginate, staff_view

from .. import selectors, services
from ..forms import ShortageCancelForm, ShortageForm
from ..models import Shortage


@staff_view("parts.view_shortage")
def shortage_list(request):
    site = current_site(request)
    status = request.GET.get("status", "")
    if status not in Shortage.Status.values:
        status = ""
    return render(request, "parts/shortage_list.html", {
        "page": paginate(request, selectors.shortage_list(site=site, status=status)),
        "status": status, "statuses": Shortage.Status.choices,
        "cancellable": {Shortage.Status.OPEN, Shortage.Status.ORDERED},
    })


@staff_view("parts.manage_shortages")
def shortage_create(request):
    site = current_site(request)
    form = ShortageForm(request.POST or None, site=site, initial={"part_number": request.GET.get("part", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        shortage = call_service(
            form, services.shortage_record, part=data["part"], quantity=data["quantity"], actor=request.user,
            repair_order_ref=data["repair_order_ref"], expected_on=data["expected_on"], note=data["note"],
        )
        if shortage:
            messages.success(request, _("Shortage of %(part)s recorded.") % {"part": shortage.part})
            return redirect("parts:shortage_list")
    return render(request, "parts/shortage_form.html", {"form": form})


@staff_view("parts.manage_shortages")
@require_POST
def shortage_cancel(request, pk):
    site = current_site(request)
    shortage = get_object_or_404(Shortage.objects.select_related("part"), site=site, pk=pk)
    form = ShortageCancelForm(request.POST)
    if form.is_valid():
        services.shortage_cancel(shortage=shortage, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Shortage of %(part)s cancelled.") % {"part": shortage.part})
    else:
        messages.error(request, _("Say why the shortage is cancelled."))
    return redirect("parts:shortage_list")


@staff_view("parts.manage_shortages")
@require_POST
def purchase_requests_create(request):
    site = current_site(request)
    created = services.purchase_requests_from_shortages(site=site, actor=request.user)
    if created:
        numbers = ", ".join(pr.number for pr in created)
        messages.success(request, ngettext(
            "Purchase request %(numbers)s created for the open shortages.",
            "%(count)d purchase requests created for the open shortages: %(numbers)s.",
            len(created),
        ) % {"count": len(created), "numbers": numbers})
    else:
        messages.info(request, _("There are no open shortages to order."))
    return redirect("parts:shortage_list")
