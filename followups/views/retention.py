"""Retention screens for customer care: the reminders sent, and the lost customers (reason, win-back call)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, paginate, staff_view

from .. import selectors_retention as selectors
from ..models import LostVehicle, Reminder
from ..services.retention import lost_vehicle_record_reason, win_back_call_start


@staff_view("followups.view_reminder")
def reminder_list(request):
    site = current_site(request)
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    page = paginate(request, selectors.reminder_list(site=site, kind=kind, status=status))
    template = "followups/_reminder_rows.html" if request.htmx else "followups/reminders.html"
    return render(request, template, {"page": page, "kind": kind, "status": status,
                                      "kinds": Reminder.Kind.choices, "statuses": Reminder.Status.choices})


@staff_view("followups.view_lostvehicle")
def lost_list(request):
    site = current_site(request)
    state, reason = request.GET.get("state", "lost"), request.GET.get("reason", "")
    page = paginate(request, selectors.lost_list(site=site, state=state, reason=reason))
    template = "followups/_lost_rows.html" if request.htmx else "followups/lost.html"
    return render(request, template, {"page": page, "state": state, "reason": reason,
                                      "reasons": LostVehicle.Reason.choices})


def _back_to_list(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("followups:lost_list")


@staff_view("followups.change_lostvehicle")
@require_POST
def lost_reason(request, pk):
    lost = get_object_or_404(LostVehicle, site=current_site(request), pk=pk)
    try:
        lost_vehicle_record_reason(lost_vehicle=lost, reason=request.POST.get("reason", ""),
                                   note=request.POST.get("note", ""), actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reason recorded for %(vehicle)s.") % {"vehicle": lost.vehicle})
    return _back_to_list(request)


@staff_view("followups.change_lostvehicle")
@require_POST
def lost_win_back(request, pk):
    lost = get_object_or_404(LostVehicle, site=current_site(request), pk=pk)
    try:
        win_back_call_start(lost_vehicle=lost, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Win-back call for %(vehicle)s is in the customer-care queue.")
                         % {"vehicle": lost.vehicle})
    return _back_to_list(request)
