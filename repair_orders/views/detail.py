"""The RO page: header, the stages as tabs, the timeline, and the state actions of the header."""

from django.contrib import messages
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, staff_view

from .. import selectors, services
from ..forms import (
    CancelForm,
    DamageMarkForm,
    FreeTextJobForm,
    PackageJobForm,
    PartLineForm,
    SignatureForm,
    WalkaroundForm,
)
from ..models import Signature
from ..totals import repair_order_totals
from ..workflow import EDITABLE_RO_STATES, JobState, ROState, can_move_ro
from .common import EVENT_LABELS, TAB_LABELS, TABS, pdf_links, render_site, repair_order_of, to_tab

CHECK_IN_SIGNATURE_IDS, APPROVAL_SIGNATURE_IDS = "checkin_sign_%s", "approval_%s"
ADDITIONAL_WORK_TEMPLATE = "repair_orders/_additional_work.html"  # helper I's partial, when it exists


def _default_tab(repair_order) -> str:
    if repair_order.state == ROState.CHECKED_IN:
        return "checkin"
    if repair_order.state in (ROState.AWAITING_APPROVAL, ROState.APPROVED, ROState.CANCELLED):
        return "work"
    if repair_order.state == ROState.IN_PROGRESS:
        return "workshop"
    return "qc" if repair_order.state == ROState.QUALITY_CHECK else "handover"


def _optional_template(name: str) -> str | None:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def page_context(request, repair_order, *, tab: str | None = None, **forms) -> dict:
    """Everything the RO page shows; `forms` replaces a blank form by a posted one with its errors."""
    site = current_site(request)
    jobs = list(repair_order.jobs.all())
    for event in repair_order.events.all():
        event.label = EVENT_LABELS.get(event.kind, event.kind)
    signatures = {signature.kind: signature for signature in repair_order.signatures.all()}
    can_change = request.user.has_perm("repair_orders.change_repairorder")
    editable = can_change and repair_order.state in EDITABLE_RO_STATES
    version = {"version": repair_order.version}
    tab = tab if tab in TABS else _default_tab(repair_order)
    walkaround_form = forms.get("walkaround_form") or WalkaroundForm(initial=WalkaroundForm.initial_from(repair_order))
    last_km = repair_order.vehicle.mileage
    if last_km is not None:  # ro.js shows the correction reason when the reading typed is lower
        walkaround_form.fields["mileage"].widget.attrs["data-last"] = last_km
        walkaround_form.fields["mileage"].help_text = _("Last reading: %(km)s km") % {"km": last_km}
    return {
        "ro": repair_order, "tab": tab, "tab_labels": TAB_LABELS, "jobs": jobs,
        "totals": repair_order_totals(repair_order),
        "proposed_jobs": [job for job in jobs if job.state == JobState.PROPOSED],
        "recommendations": [job for job in jobs if job.state == JobState.DECLINED],
        "authorised_jobs": [job for job in jobs if job.state not in (JobState.PROPOSED, JobState.DECLINED)],
        "check_in_signature": signatures.get(Signature.Kind.CHECK_IN),
        "work_order_signature": signatures.get(Signature.Kind.WORK_ORDER),
        "can_change": can_change, "editable": editable,
        "can_submit": can_change and can_move_ro(repair_order.state, ROState.AWAITING_APPROVAL),
        "can_approve": can_change and repair_order.state == ROState.AWAITING_APPROVAL,
        "can_cancel": can_change and can_move_ro(repair_order.state, ROState.CANCELLED),
        "packages": selectors.package_list(site=site) if editable else [],
        "pdf_links": pdf_links(repair_order),
        # From check-in on: it also offers the vehicle's recommendations of earlier visits again.
        "additional_work_template": _optional_template(ADDITIONAL_WORK_TEMPLATE)
        if repair_order.state != ROState.CANCELLED else None,
        "walkaround_form": walkaround_form,
        "damage_form": DamageMarkForm(initial=version),
        "signature_form": forms.get("signature_form") or SignatureForm(
            initial={**version, "signer_name": repair_order.customer.name}, auto_id=CHECK_IN_SIGNATURE_IDS),
        "package_form": PackageJobForm(initial=version),
        "free_text_form": forms.get("free_text_form") or FreeTextJobForm(initial=version),
        "part_form": forms.get("part_form") or PartLineForm(initial=version),
        "approval_form": forms.get("approval_form") or SignatureForm(
            initial={**version, "signer_name": repair_order.customer.name}, auto_id=APPROVAL_SIGNATURE_IDS),
        "cancel_form": CancelForm(initial=version),
    }


@staff_view("repair_orders.view_repairorder")
def detail(request, pk):
    repair_order = selectors.repair_order_page(site=current_site(request), pk=pk)
    return render_site(request, "repair_orders/detail.html",
                       page_context(request, repair_order, tab=request.GET.get("tab")))


def render_page(request, pk, *, tab: str, status: int = 200, **forms):
    """The RO page again, on `tab`, with a posted form and its errors (nothing was saved)."""
    repair_order = selectors.repair_order_page(site=current_site(request), pk=pk)
    return render_site(request, "repair_orders/detail.html", page_context(request, repair_order, tab=tab, **forms),
                       status=status)


@staff_view("repair_orders.change_repairorder")
@require_POST
def submit_estimate(request, pk):
    repair_order = repair_order_of(request, pk)
    services.repair_order_submit_estimate(repair_order=repair_order, version=_posted_version(request),
                                          actor=request.user)
    messages.success(request, _("The estimate waits for the customer's signature."))
    return to_tab(repair_order, "work")


@staff_view("repair_orders.change_repairorder")
@require_POST
def cancel(request, pk):
    repair_order = repair_order_of(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Say why the repair order is cancelled."), field="reason")
    services.repair_order_cancel(repair_order=repair_order, reason=form.cleaned_data["reason"],
                                 version=form.cleaned_data["version"], actor=request.user)
    messages.success(request, _("Repair order %(number)s is cancelled.") % {"number": repair_order.number})
    return to_tab(repair_order, "work")


def _posted_version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdecimal() else None
