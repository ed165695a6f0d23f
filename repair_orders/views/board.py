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
from .common import render_site, site_zone


@staff_view("repair_orders.view_repairorder")
def board(request):
    site = current_site(request)
    context = selectors.front_desk_board(site=site)
    template = "repair_orders/_board.html" if request.htmx else "repair_orders/board.html"
    return render_site(request, template, context)


def _advisors(request, site) -> list:
    advisors = site_advisors(site)
    if request.user.pk not in {user.pk for user in advisors}:
        advisors = [request.user, *advisors]  # a manager opening an RO is its advisor unless they choose one
    return advisors


@staff_view("repair_orders.add_repairorder")
def walk_in(request):
    site = current_site(request)
    advisors = _advisors(request, site)
    vehicle = None
    with timezone.override(site_zone(site)):
        if request.method == "POST":
            form = WalkInForm(request.POST, advisors=advisors)
            if form.is_valid():
                vehicle = Vehicle.objects.filter(site=site, pk=form.cleaned_data["vehicle"]).select_related(
                    "owner").first()
                if vehicle is None:
                    form.add_error(None, _("Find the vehicle in the archive and choose it."))
                else:
                    repair_order = call_service(
                        form, services.repair_order_open, site=site, customer=vehicle.owner, vehicle=vehicle,
                        advisor=next(user for user in advisors if user.pk == form.cleaned_data["advisor"]),
                        actor=request.user, ro_type=form.cleaned_data["ro_type"],
                        concerns=form.cleaned_data["concerns"], promised_at=form.cleaned_data["promised_at"],
                        waiting=form.cleaned_data["waiting"])
                    if repair_order is not None:
                        messages.success(request, _("Repair order %(number)s is open. Walk around the car now.")
                                         % {"number": repair_order.number})
                        return redirect("repair_orders:detail", pk=repair_order.pk)
        else:
            form = WalkInForm(advisors=advisors, initial={"advisor": request.user.pk})
            vehicle_id = request.GET.get("vehicle", "")
            if vehicle_id.isdigit():
                vehicle = Vehicle.objects.filter(site=site, pk=vehicle_id).select_related("owner").first()
        return render(request, "repair_orders/walk_in.html", {
            "form": form, "preselected": vehicle, "preselected_list": [vehicle] if vehicle else []})


@staff_view("repair_orders.add_repairorder")
def walk_in_lookup(request):
    """Vehicles matching a plate, mobile, VIN or name, as radio buttons for the walk-in form."""
    results = archive_search(site=current_site(request), q=request.GET.get("lookup", ""), limit=8)
    return render(request, "repair_orders/_vehicle_lookup.html", results)
