"""One appointment: its details and trail, and the buttons for each state change."""

from datetime import datetime, time

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from repair_orders.services import repair_order_open_from_appointment
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, staff_view

from .. import capacity, selectors, services
from ..forms import CallOutcomeForm, CancelForm, RescheduleForm
from ..models import Appointment, ConfirmationCall
from ..workflow import RESCHEDULABLE, can_move
from .common import render_site


@staff_view("appointments.view_appointment")
def detail(request, pk):
    site = current_site(request)
    get_object_or_404(Appointment.objects.only("pk"), site=site, pk=pk)
    appointment = selectors.appointment_detail(site=site, pk=pk)
    local = appointment.start.astimezone(capacity.site_zone(site))
    return render_site(request, site, "appointments/detail.html", {
        "appointment": appointment, "local_start": local, "can": {
            state: can_move(appointment.status, state) for state in ("confirmed", "arrived", "no_show", "cancelled")
        },
        "reschedulable": appointment.status in RESCHEDULABLE, "advisors": capacity.site_advisors(site),
        "slot_minutes": capacity.booking_settings(site).slot_minutes * 60,
    })


def _back(request, *fallback, **fallback_kwargs):
    """To the page the button was on (`next`), else to `fallback`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(*fallback, **fallback_kwargs)


def _appointment(request, pk) -> Appointment:
    return get_object_or_404(Appointment, site=current_site(request), pk=pk)


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdecimal() else None


@staff_view("appointments.change_appointment")
@require_POST
def confirm(request, pk):
    appointment = _appointment(request, pk)
    services.appointment_confirm(appointment=appointment, actor=request.user, via=request.POST.get("via", "phone"),
                                 version=_version(request))
    messages.success(request, _("Appointment confirmed."))
    return _back(request, "appointments:detail", pk=appointment.pk)


@staff_view("appointments.change_appointment")
@require_POST
def check_in(request, pk):
    appointment = _appointment(request, pk)
    # The one place where booking hands over to reception: the RO is opened in the same transaction.
    repair_order = repair_order_open_from_appointment(appointment=appointment, actor=request.user,
                                                      version=_version(request))
    messages.success(request, _("%(who)s has arrived: repair order %(number)s is open.")
                     % {"who": appointment.plate or appointment.contact_name, "number": repair_order.number})
    return redirect("repair_orders:detail", pk=repair_order.pk)  # on to the walk-around


@staff_view("appointments.change_appointment")
@require_POST
def no_show(request, pk):
    appointment = _appointment(request, pk)
    services.appointment_mark_no_show(appointment=appointment, actor=request.user, version=_version(request))
    messages.success(request, _("Marked as no-show."))
    return _back(request, "appointments:detail", pk=appointment.pk)


@staff_view("appointments.change_appointment")
@require_POST
def cancel(request, pk):
    appointment = _appointment(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Say why the appointment is cancelled."), field="reason")
    services.appointment_cancel(appointment=appointment, actor=request.user, reason=form.cleaned_data["reason"],
                                version=_version(request))
    messages.success(request, _("Appointment cancelled."))
    return _back(request, "appointments:detail", pk=appointment.pk)


@staff_view("appointments.change_appointment")
@require_POST
def reschedule(request, pk):
    """The detail page's form: a date and a time in the site's zone, and the advisor."""
    from .board import _move_target

    site = current_site(request)
    appointment = _appointment(request, pk)
    form = RescheduleForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("day"):
        raise ApplicationError(_("Choose the new date and time."), field="start")
    try:
        clock = time.fromisoformat(request.POST.get("time", ""))
    except ValueError:
        raise ApplicationError(_("Choose the new date and time."), field="start") from None
    start = datetime.combine(form.cleaned_data["day"], clock, tzinfo=capacity.site_zone(site))
    target = _move_target(site, appointment, {**form.cleaned_data, "start": start.isoformat(), "day": None})
    services.appointment_reschedule(appointment=appointment, actor=request.user, **target)
    messages.success(request, _("Appointment moved to %(time)s.") % {"time": start.strftime("%Y-%m-%d %H:%M")})
    return _back(request, "appointments:detail", pk=appointment.pk)


@staff_view("appointments.change_confirmationcall")
@require_POST
def call_complete(request, pk):
    call = get_object_or_404(ConfirmationCall, site=current_site(request), pk=pk)
    form = CallOutcomeForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Choose how the call went."), field="outcome")
    services.confirmation_call_complete(call=call, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Call recorded."))
    return _back(request, "appointments:arrivals")
