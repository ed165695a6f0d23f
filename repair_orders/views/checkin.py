"""The check-in tab (接车): the walk-around form, damage marks on the car diagram, the customer's signature."""

import mimetypes

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import call_service, current_site, staff_view

from .. import services
from ..forms import DamageMarkForm, SignatureForm, WalkaroundForm
from ..models import DamageMark, RepairOrder, Signature
from ..workflow import EDITABLE_RO_STATES
from .common import repair_order_of, site_zone, to_tab
from .detail import CHECK_IN_SIGNATURE_IDS, render_page


@staff_view("repair_orders.change_repairorder")
@require_POST
def walkaround(request, pk):
    repair_order = repair_order_of(request, pk)
    with timezone.override(site_zone(repair_order.site)):
        form = WalkaroundForm(request.POST)
        if form.is_valid() and call_service(
                form, services.repair_order_record_walkaround, repair_order=repair_order,
                data=form.service_data(), version=form.cleaned_data["version"], actor=request.user):
            messages.success(request, _("Check-in sheet saved."))
            return to_tab(repair_order, "checkin")
    # Nothing was saved: the page again with what was typed and why it was refused.
    return render_page(request, pk, tab="checkin", walkaround_form=form)


def _diagram(request, repair_order: RepairOrder, *, form=None, error: str = ""):
    marks = list(DamageMark.objects.filter(repair_order=repair_order).prefetch_related("photos"))
    return render(request, "repair_orders/_damage_diagram.html", {
        "ro": repair_order, "marks": marks, "damage_form": form or DamageMarkForm(), "error": error,
        "editable": repair_order.state in EDITABLE_RO_STATES})


@staff_view("repair_orders.change_repairorder")
@require_POST
def damage_add(request, pk):
    """A tap on the diagram (htmx): the mark, with any photos taken, is saved and the diagram redrawn. Marks
    overwrite nothing, so they are not refused for an older version; the page's version inputs follow
    (static/repair_orders/ro.js)."""
    repair_order = repair_order_of(request, pk)
    form = DamageMarkForm(request.POST)
    if not form.is_valid():
        return _diagram(request, repair_order, form=form, error=_("Tap the diagram where the damage is."))
    try:
        services.damage_mark_add(repair_order=repair_order, x=form.cleaned_data["x"], y=form.cleaned_data["y"],
                                 kind=form.cleaned_data["kind"], note=form.cleaned_data["note"],
                                 photos=request.FILES.getlist("photos"), actor=request.user)
    except ApplicationError as error:
        return _diagram(request, repair_order, form=form, error=error.message)
    repair_order.refresh_from_db(fields=["version", "state"])
    return _diagram(request, repair_order)


def _change_mark(request, pk, change):
    """`change(mark)` for the mark posted (of this RO), then the diagram redrawn, with the refusal if any."""
    repair_order = repair_order_of(request, pk)
    mark_id = request.POST.get("mark", "")
    mark = get_object_or_404(DamageMark, repair_order=repair_order, pk=int(mark_id) if mark_id.isdecimal() else 0)
    try:
        change(mark)
    except ApplicationError as error:
        return _diagram(request, repair_order, error=error.message)
    repair_order.refresh_from_db(fields=["version", "state"])
    return _diagram(request, repair_order)


@staff_view("repair_orders.change_repairorder")
@require_POST
def damage_photos(request, pk):
    """More photos of a mark already on the diagram (htmx, posted as soon as they are taken)."""
    return _change_mark(request, pk, lambda mark: services.photos_attach(
        images=request.FILES.getlist("photos"), damage_mark=mark, actor=request.user))


@staff_view("repair_orders.change_repairorder")
@require_POST
def damage_remove(request, pk):
    return _change_mark(request, pk, lambda mark: services.damage_mark_remove(mark=mark, actor=request.user))


@staff_view("repair_orders.change_repairorder")
@require_POST
def sign_check_in(request, pk):
    repair_order = repair_order_of(request, pk)
    form = SignatureForm(request.POST, auto_id=CHECK_IN_SIGNATURE_IDS)
    if form.is_valid() and call_service(
            form, services.repair_order_sign_check_in, repair_order=repair_order,
            signer_name=form.cleaned_data["signer_name"], signature_image=form.cleaned_data["signature"],
            version=form.cleaned_data["version"], actor=request.user):
        messages.success(request, _("The customer signed the check-in sheet."))
        return to_tab(repair_order, "checkin")
    return render_page(request, pk, tab="checkin", signature_form=form)


@staff_view("repair_orders.view_repairorder")
def signature_image(request, pk):
    """A signature's image, for the RO page (media files are not served as such: they belong to a site)."""
    signature = get_object_or_404(Signature, repair_order__site=current_site(request), pk=pk)
    content_type = mimetypes.guess_type(signature.image.name)[0] or "image/png"
    return FileResponse(signature.image.open("rb"), content_type=content_type)
