from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import MileageForm, TransferForm, VehicleForm
from ..models import Customer, Vehicle
from .common import call_service, current_site, paginate, staff_view


@staff_view("customers.view_vehicle")
def vehicle_list(request):
    site = current_site(request)
    q = request.GET.get("q", "")
    page = paginate(request, selectors.vehicle_list(site=site, q=q))
    template = "customers/_vehicle_rows.html" if request.htmx else "customers/vehicle_list.html"
    return render(request, template, {"page": page, "q": q})


def _vehicle_form(request, site, **kwargs):
    return VehicleForm(request.POST or None, site=site,
                       can_accept_vin_exception=request.user.has_perm("customers.approve_vin_exception"),
                       **kwargs)


@staff_view("customers.add_vehicle")
def vehicle_create(request):
    site = current_site(request)
    owner_id = request.POST.get("owner") or request.GET.get("owner") or ""
    owner = get_object_or_404(Customer, site=site, merged_into__isnull=True,
                              pk=int(owner_id) if owner_id.isdecimal() else 0)
    form = _vehicle_form(request, site, initial={"owner": owner.pk})
    duplicate_id = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        vehicle = call_service(
            form, services.vehicle_create, site=site, owner=owner, data=data, actor=request.user,
            vin_exception_reason=data.get("vin_exception_reason", ""), mileage=data.get("mileage"),
        )
        if vehicle:
            messages.success(request, _("Vehicle %(v)s registered.") % {"v": vehicle})
            return redirect("customers:vehicle_detail", pk=vehicle.pk)
        duplicate_id = form.application_error.extra.get("existing_vehicle_id")
    return render(request, "customers/vehicle_form.html",
                  {"form": form, "owner": owner, "duplicate_id": duplicate_id})


@staff_view("customers.view_vehicle")
def vehicle_detail(request, pk):
    site = current_site(request)
    vehicle = get_object_or_404(Vehicle.objects.filter(site=site).only("pk"), pk=pk)
    vehicle = selectors.vehicle_detail(site=site, pk=vehicle.pk)
    return render(request, "customers/vehicle_detail.html", {
        "vehicle": vehicle,
        "timeline": selectors.vehicle_timeline(vehicle),
        "mileage_form": MileageForm(),
    })


@staff_view("customers.change_vehicle")
def vehicle_edit(request, pk):
    site = current_site(request)
    vehicle = get_object_or_404(Vehicle, site=site, pk=pk)
    form = _vehicle_form(request, site, instance=vehicle)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        updated = call_service(
            form, services.vehicle_update, vehicle_id=vehicle.pk, site=site, version=data.get("version"),
            data=data, actor=request.user, vin_exception_reason=data.get("vin_exception_reason", ""),
        )
        if updated:
            messages.success(request, _("Changes saved."))
            return redirect("customers:vehicle_detail", pk=vehicle.pk)
    return render(request, "customers/vehicle_form.html", {"form": form, "vehicle": vehicle,
                                                           "owner": vehicle.owner})


@staff_view("customers.transfer_vehicle")
def vehicle_transfer(request, pk):
    site = current_site(request)
    vehicle = get_object_or_404(Vehicle.objects.select_related("owner"), site=site, pk=pk)
    form = TransferForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form, services.vehicle_transfer, vehicle_id=vehicle.pk, site=site,
            new_owner_id=data["new_owner"].pk, on_date=data.get("on_date"), note=data.get("note", ""),
            actor=request.user,
        )
        if done:
            messages.success(request, _("Vehicle transferred to %(name)s.") % {"name": data["new_owner"].name})
            return redirect("customers:vehicle_detail", pk=vehicle.pk)
    return render(request, "customers/vehicle_transfer.html", {"form": form, "vehicle": vehicle})


@staff_view("customers.change_vehicle")
def vehicle_mileage(request, pk):
    site = current_site(request)
    vehicle = get_object_or_404(Vehicle, site=site, pk=pk)
    form = MileageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(form, services.vehicle_record_mileage, vehicle_id=vehicle.pk, site=site,
                            actor=request.user, **form.cleaned_data)
        if done:
            messages.success(request, _("Mileage recorded."))
            return redirect("customers:vehicle_detail", pk=vehicle.pk)
    return render(request, "customers/vehicle_mileage.html", {"form": form, "vehicle": vehicle})
