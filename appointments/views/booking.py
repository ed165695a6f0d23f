"""The booking screen: archive lookup, what the customer wants, and live availability (htmx)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from customers.models import Customer, Vehicle
from customers.selectors import archive_search
from repair_orders.models import LabourOperation, ServicePackage
from servicedesk.core.views_common import call_service, current_site, staff_view

from .. import capacity, selectors, services
from ..forms import BookingForm, parse_start
from .common import render_site


@staff_view("appointments.add_appointment")
def book(request):
    site = current_site(request)
    form = BookingForm(request.POST or None, site=site,
                       can_override=request.user.has_perm("appointments.override_capacity"),
                       initial={"party": _initial_party(request)})
    next_free = []
    if request.method == "POST" and form.is_valid():
        appointment = call_service(form, services.appointment_book, site=site, actor=request.user,
                                   **form.service_kwargs())
        if appointment:
            messages.success(request, _("Appointment booked for %(time)s.")
                             % {"time": appointment.start.astimezone(capacity.site_zone(site)).strftime("%m-%d %H:%M")})
            return redirect("appointments:detail", pk=appointment.pk)
        error = getattr(form, "application_error", None)
        next_free = [parse_start(s) for s in (error.extra.get("next_free", []) if error else [])]
    return render_site(request, site, "appointments/book.html", {
        "form": form, "chosen": _chosen_party(site, form["party"].value()), "next_free": next_free,
    })


def _initial_party(request) -> str:
    vehicle = request.GET.get("vehicle", "")
    return f"vehicle:{vehicle}" if vehicle.isdecimal() else ""


def _chosen_party(site, value):
    """The vehicle or customer picked before a failed submit, shown checked again in the lookup."""
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdecimal():
        return None
    if kind == "vehicle":
        return Vehicle.objects.filter(site=site, pk=pk).select_related("owner").first()
    if kind == "customer":
        return Customer.objects.filter(site=site, pk=pk).first()
    return None


@staff_view("appointments.add_appointment")
def archive_lookup(request):
    """Vehicles and customers matching a plate, mobile, VIN or name, as radio buttons for the form."""
    site = current_site(request)
    results = archive_search(site=site, q=request.GET.get("lookup", ""), limit=8)
    return render(request, "appointments/_archive_lookup.html", results)


def _hours_param(value) -> Decimal | None:
    try:
        hours = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return hours.quantize(capacity.HOURS) if Decimal("0.1") <= hours <= Decimal("99") else None


def _day_param(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _int_param(value) -> int | None:
    return int(value) if (value or "").isdecimal() else None


@staff_view("appointments.add_appointment")
def availability_panel(request):
    """The next fourteen days with their remaining hours, and the chosen day's slots for the hours
    and advisor on the form."""
    site = current_site(request)
    params = request.GET
    operations = LabourOperation.objects.filter(active=True, pk__in=[p for p in params.getlist("operations")
                                                                      if p.isdecimal()])
    packages = ServicePackage.objects.filter(site=site, active=True, pk__in=[p for p in params.getlist("packages")
                                                                            if p.isdecimal()])
    catalogue_hours = services.requested_hours(list(operations), list(packages))
    hours = _hours_param(params.get("estimated_hours")) or catalogue_hours or capacity.DEFAULT_HOURS
    return render_site(request, site, "appointments/_availability.html", _panel_context(
        site, hours=hours, advisor_id=_int_param(params.get("advisor")), day=_day_param(params.get("day")),
        chosen=parse_start(params.get("start", "")), catalogue_hours=catalogue_hours,
    ))


def _panel_context(site, *, hours, advisor_id, day, chosen, catalogue_hours=None, public=False) -> dict:
    days = selectors.availability(site=site, hours=hours, advisor_id=advisor_id)
    if chosen is not None and day is None:
        day = capacity.local_day(site, chosen)
    selected = next((d for d in days if d.day == day), None) or next((d for d in days if d.free_slots), days[0])
    return {"days": days, "selected": selected, "hours": hours, "catalogue_hours": catalogue_hours,
            "chosen": chosen.isoformat() if chosen else "", "public": public,
            "panel_url": reverse("appointments:public_slots" if public else "appointments:availability_panel"),
            "form_id": "public-form" if public else "booking-form"}
