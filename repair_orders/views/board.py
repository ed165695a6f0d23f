"""The front-desk board (today's arrivals and every open RO) and opening an RO for a walk-in customer."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.capacity import site_advisors
from customers.models import Vehicle
from customers.selectors import archive_search
from servicedesk.core.views_common import call_service, current_site, staff_view

from .. import selectors, services
from ..forms import WalkInForm
from ..models import RepairOrder
from .common import render_site, site_zone, url_of


def _link(context: dict) -> None:
    """The URLs of the board's rows, each view reversed once."""
    appointment_url, check_in_url = url_of("appointments:detail"), url_of("appointments:check_in")
    repair_order_url = url_of("repair_orders:detail")
    for appointment in context["arrival_rows"]:
        appointment.url, appointment.check_in_url = appointment_url(appointment.pk), check_in_url(appointment.pk)
        appointment.repair_order_url = repair_order_url(appointment.repair_order_id) \
            if appointment.repair_order_id else ""
    for column in context["columns"]:
        for repair_order in column["orders"]:
            repair_order.url = repair_order_url(repair_order.pk)


@staff_view("repair_orders.view_repairorder")
def board(request):
    site = current_site(request)
    context = selectors.front_desk_board(site=site)
    _link(context)
    template = "repair_orders/_board.html" if request.htmx else "repair_orders/board.html"
    return render_site(request, template, context)


def _advisors(request, site) -> list:
    advisors = site_advisors(site)
    if request.user.pk not in {user.pk for user in advisors}:
        advisors = [request.user, *advisors]  # a manager opening an RO is its advisor unless they choose one
    return advisors


def _vehicle(site, vehicle_id) -> Vehicle | None:
    vehicle_id = str(vehicle_id or "")
    return Vehicle.objects.filter(site=site, pk=vehicle_id).select_related("owner").first() if vehicle_id.isdecimal() \
        else None


def _comeback_of(site, form) -> RepairOrder | None:
    """The earlier RO a comeback returns to (only for a comeback: the select may keep a value when the type
    changed); the service checks it is this vehicle's and recent enough."""
    if form.cleaned_data["ro_type"] != RepairOrder.Type.COMEBACK or not form.cleaned_data["comeback_of"]:
        return None
    return RepairOrder.objects.filter(site=site, pk=form.cleaned_data["comeback_of"]).first()


def _prefill(query) -> dict:
    """`?ro_type=comeback&comeback_of=<id>` (a link from a comeback report) pre-fills the form; the service
    checks the RO on submit."""
    initial = {"ro_type": query["ro_type"]} if query.get("ro_type") in RepairOrder.Type.values else {}
    if query.get("comeback_of", "").isdecimal():
        initial["comeback_of"] = int(query["comeback_of"])
    return initial


@staff_view("repair_orders.add_repairorder")
def walk_in(request):
    site = current_site(request)
    advisors = _advisors(request, site)
    with timezone.override(site_zone(site)):
        if request.method == "POST":
            form = WalkInForm(request.POST, advisors=advisors)
            vehicle = _vehicle(site, request.POST.get("vehicle"))
            if form.is_valid():
                if vehicle is None:
                    form.add_error(None, _("Find the vehicle in the archive and choose it."))
                else:
                    repair_order = call_service(
                        form, services.repair_order_open, site=site, customer=vehicle.owner, vehicle=vehicle,
                        advisor=next(user for user in advisors if user.pk == form.cleaned_data["advisor"]),
                        actor=request.user, ro_type=form.cleaned_data["ro_type"],
                        comeback_of=_comeback_of(site, form), concerns=form.cleaned_data["concerns"],
                        promised_at=form.cleaned_data["promised_at"], waiting=form.cleaned_data["waiting"])
                    if repair_order is not None:
                        messages.success(request, _("Repair order %(number)s is open. Walk around the car now.")
                                         % {"number": repair_order.number})
                        return redirect("repair_orders:detail", pk=repair_order.pk)
        else:
            vehicle = _vehicle(site, request.GET.get("vehicle"))
            form = WalkInForm(advisors=advisors, initial={"advisor": request.user.pk, **_prefill(request.GET)})
        if vehicle is not None:
            form.set_comebacks(selectors.comeback_candidates(vehicle_id=vehicle.pk))
        return render(request, "repair_orders/walk_in.html", {
            "form": form, "preselected": vehicle, "preselected_list": [vehicle] if vehicle else [],
            "comeback_days": selectors.COMEBACK_DAYS})


@staff_view("repair_orders.add_repairorder")
def walk_in_lookup(request):
    """Vehicles matching a plate, mobile, VIN or name, as radio buttons for the walk-in form."""
    results = archive_search(site=current_site(request), q=request.GET.get("lookup", ""), limit=8)
    return render(request, "repair_orders/_vehicle_lookup.html", results)


@staff_view("repair_orders.add_repairorder")
def walk_in_comebacks(request):
    """The comeback select of the walk-in form for the vehicle chosen (htmx): its ROs delivered recently."""
    site = current_site(request)
    vehicle = _vehicle(site, request.GET.get("vehicle"))
    with timezone.override(site_zone(site)):
        form = WalkInForm(advisors=[], initial={"ro_type": request.GET.get("ro_type", "")})
        if vehicle is not None:
            form.set_comebacks(selectors.comeback_candidates(vehicle_id=vehicle.pk))
        return render(request, "repair_orders/_walk_in_comeback.html", {
            "form": form, "vehicle": vehicle, "comeback_days": selectors.COMEBACK_DAYS})
