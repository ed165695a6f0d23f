"""The advisor calendar (day and week, drag to reschedule) and today's arrivals at the front desk."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, staff_view

from .. import capacity, selectors, services
from ..forms import RescheduleForm, parse_start
from ..models import Appointment
from ..workflow import RESCHEDULABLE
from .common import render_site


def _day(value, site) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return selectors.site_today(site)


def _board_context(request, site, *, view: str, day: date) -> dict:
    first, days = (day - timedelta(days=day.weekday()), 7) if view == "week" else (day, 1)
    data = selectors.calendar(site=site, first=first, days=days)
    step = timedelta(days=days)
    context = {**data, "view": view, "day": day, "previous": day - step, "next": day + step,
               "today": selectors.site_today(site), "movable": sorted(RESCHEDULABLE),
               "can_move": request.user.has_perm("appointments.change_appointment")}
    if view == "day":
        context["rows"] = _day_rows(data["days"][0], data["advisors"])
    return context


def _day_rows(calendar_day, advisors) -> list[dict]:
    """Slots × advisor columns (the last column: unassigned); an appointment off the slot grid (the
    slot length changed) sits in the slot it falls in."""
    columns = [a.pk for a in advisors] + [None]
    rows = [{"slot": slot, "cells": [{"advisor_id": c, "appointments": []} for c in columns]}
            for slot in calendar_day.load.slots]
    for appointment in calendar_day.appointments:
        row = next((r for r in reversed(rows) if r["slot"].start <= appointment.local_start), rows[0] if rows else None)
        if row is None:
            continue
        column = columns.index(appointment.advisor_id) if appointment.advisor_id in columns else len(columns) - 1
        row["cells"][column]["appointments"].append(appointment)
    return rows


@staff_view("appointments.view_appointment")
def calendar(request):
    site = current_site(request)
    view = "week" if request.GET.get("view") == "week" else "day"
    context = _board_context(request, site, view=view, day=_day(request.GET.get("date"), site))
    template = "appointments/_calendar_board.html" if request.htmx else "appointments/calendar.html"
    return render_site(request, site, template, context)


@staff_view("appointments.change_appointment")
@require_POST
def board_move(request, pk):
    """A card dropped on another slot, advisor or day: reschedule, then redraw the board either way
    (a refused move snaps back, with the reason in the messages)."""
    site = current_site(request)
    appointment = get_object_or_404(Appointment, site=site, pk=pk)
    form = RescheduleForm(request.POST)
    view = "week" if request.POST.get("view") == "week" else "day"
    try:
        if not form.is_valid():
            raise ApplicationError(form.errors.as_text())
        services.appointment_reschedule(appointment=appointment, actor=request.user, **_move_target(
            site, appointment, form.cleaned_data))
        messages.success(request, _moved_message(site, appointment))
    except ApplicationError as error:
        messages.error(request, error.message)
    context = _board_context(request, site, view=view, day=_day(request.POST.get("date"), site))
    return render_site(request, site, "appointments/_calendar_response.html", context)


def _moved_message(site, appointment) -> str:
    appointment.refresh_from_db(fields=["start"])
    local = appointment.start.astimezone(capacity.site_zone(site))
    return _("%(plate)s moved to %(time)s.") % {"plate": appointment.plate or appointment.contact_name,
                                                 "time": local.strftime("%m-%d %H:%M")}


def _move_target(site, appointment, data) -> dict:
    """Where the card went: an explicit start (a slot), or a day keeping the time (the week view)."""
    start = parse_start(data.get("start") or "")
    if start is None and data.get("day"):
        local = appointment.start.astimezone(capacity.site_zone(site))
        start = datetime.combine(data["day"], local.time(), tzinfo=local.tzinfo)
    target = {"start": start or appointment.start, "version": data.get("version"),
              "override_reason": data.get("override_reason", "")}
    advisor = data.get("advisor") or ""
    if advisor == "none":
        target["advisor"] = None
    elif advisor.isdecimal():
        target["advisor"] = get_user_model().objects.filter(pk=advisor).first()
        if target["advisor"] is None:
            raise ApplicationError(_("Choose an advisor who works in this site."), field="advisor")
    return target


@staff_view("appointments.view_appointment")
def arrivals(request):
    site = current_site(request)
    context = {"arrivals": selectors.todays_arrivals(site=site), "today": selectors.site_today(site)}
    if request.user.has_perm("appointments.view_confirmationcall"):
        context["calls"] = list(selectors.open_calls(site=site, user=request.user)[:50])
    template = "appointments/_arrivals_lists.html" if request.htmx else "appointments/arrivals.html"
    return render_site(request, site, template, context)
