"""收货: a supplier's delivery booked line by line; the service closes the shortages it covers."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from servicedesk.core.views_common import call_service, current_site, staff_view

from .. import services
from ..forms import DeliveryForm, DeliveryLineFormSet
from ..models import PurchaseRequest, Shortage
from ..quantities import format_quantity
from .catalogue import WAITING


def _initial_lines(request, site) -> tuple[list[dict], dict]:
    """Lines to start from: a part named in ?part=, or what an ordered purchase request still awaits."""
    if request.GET.get("part"):
        return [{"part_number": request.GET["part"]}], {}
    wanted = request.GET.get("purchase_request", "")
    pr = PurchaseRequest.objects.filter(site=site, status=PurchaseRequest.Status.ORDERED,
                                        pk=int(wanted) if wanted.isdecimal() else None).first()
    if pr is None:
        return [], {}
    lines = [{"part_number": line.part.number, "quantity": line.quantity - line.received_quantity}
             for line in pr.lines.select_related("part") if line.quantity > line.received_quantity]
    return lines, {"purchase_request": pr, "supplier": pr.supplier_id}


def _closed_message(closed) -> str:
    def label(shortage):
        text = f"{shortage.part.number} × {format_quantity(shortage.quantity)}"
        return f"{text} ({shortage.repair_order_ref})" if shortage.repair_order_ref else text

    names = ", ".join(label(s) for s in closed)
    return _("Shortages closed: %(list)s. The people waiting for them have been told.") % {"list": names}


@staff_view("parts.receive_stock")
def receive(request):
    site = current_site(request)
    initial_lines, initial = _initial_lines(request, site) if request.method == "GET" else ([], {})
    form = DeliveryForm(request.POST or None, site=site, initial=initial)
    lines = DeliveryLineFormSet(request.POST or None, form_kwargs={"site": site}, prefix="lines",
                                initial=initial_lines or None)
    if request.method == "POST" and all([form.is_valid(), lines.is_valid()]):
        booked = lines.lines()
        # Which shortages were waiting before, to name the ones this delivery closed.
        waiting = list(Shortage.objects.filter(site=site, part__in=[line["part"] for line in booked],
                                               status__in=WAITING).values_list("pk", flat=True))
        delivery = call_service(form, services.delivery_receive, site=site, lines=booked, actor=request.user,
                                **form.cleaned_data)
        if delivery:
            messages.success(request, _("Delivery received: %(count)d lines booked.") % {"count": len(booked)})
            closed = Shortage.objects.filter(pk__in=waiting, status=Shortage.Status.RECEIVED).select_related("part")
            if closed:
                messages.success(request, _closed_message(closed))
            return redirect("parts:receive")
    return render(request, "parts/receive.html", {"form": form, "lines": lines})
