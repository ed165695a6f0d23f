"""The RO page: header, the stages as tabs, the timeline, and the state actions of the header."""

from django.contrib import messages
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.accounts.names import staff_name
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, staff_view

from .. import page_cache, selectors, services
from ..forms import (
    CancelForm,
    DamageMarkForm,
    FreeTextJobForm,
    PackageJobForm,
    PartLineForm,
    SignatureForm,
    WalkaroundForm,
)
from ..models import JobLine, PartLine, Signature
from ..totals import repair_order_totals
from ..workflow import EDITABLE_RO_STATES, JobState, ROState, can_move_ro
from .common import EVENT_LABELS, TAB_LABELS, TABS, pdf_links, render_site, repair_order_of, site_zone, to_tab

CHECK_IN_SIGNATURE_IDS, APPROVAL_SIGNATURE_IDS = "checkin_sign_%s", "approval_%s"
ADDITIONAL_WORK_TEMPLATE = "repair_orders/_additional_work.html"  # helper I's partial, when it exists


def _default_tab(state: str) -> str:
    if state == ROState.CHECKED_IN:
        return "checkin"
    if state in (ROState.AWAITING_APPROVAL, ROState.APPROVED, ROState.CANCELLED):
        return "work"
    if state == ROState.IN_PROGRESS:
        return "workshop"
    return "qc" if state == ROState.QUALITY_CHECK else "handover"


def _optional_template(name: str) -> str | None:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def _choice_labels(model, name: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _label_lines(jobs) -> None:
    """The choice labels of the job table, looked up once per page: get_FOO_display() rebuilds the field's
    choices dict and translates the label on every call (here twice per line)."""
    states, pay_types = _choice_labels(JobLine, "state"), _choice_labels(JobLine, "pay_type")
    sources = _choice_labels(PartLine, "source")
    for job in jobs:
        job.state_label = states.get(job.state, job.state)
        job.pay_type_label = pay_types.get(job.pay_type, job.pay_type)
        for line in job.part_lines.all():
            line.source_label = sources.get(line.source, line.source)


def _describe(event, zone) -> None:
    """The timeline's words of an event, read from `data` here: each key a template looks up and the dict
    lacks costs three exceptions. Its time on the site's clock, as the page's `date:"m-d H:i"` would show it."""
    data = event.data if isinstance(event.data, dict) else {}
    event.when = event.at.astimezone(zone).strftime("%m-%d %H:%M")
    event.label = str(EVENT_LABELS.get(event.kind, event.kind))
    event.actor_name = staff_name(event.actor)
    event.details = [data[key] for key in ("description", "reason") if data.get(key)]
    event.failed_jobs = data.get("failed_jobs") or []
    event.signer = data.get("signer")


def checkin_context(request, repair_order, **forms) -> dict:
    """What the check-in tab shows: the walk-around form, the damage diagram, the customer's signature."""
    editable = request.user.has_perm("repair_orders.change_repairorder") and repair_order.state in EDITABLE_RO_STATES
    walkaround_form = forms.get("walkaround_form") or WalkaroundForm(initial=WalkaroundForm.initial_from(repair_order))
    last_km = repair_order.vehicle.mileage
    if last_km is not None:  # ro.js shows the correction reason when the reading typed is lower
        walkaround_form.fields["mileage"].widget.attrs["data-last"] = last_km
        walkaround_form.fields["mileage"].help_text = _("Last reading: %(km)s km") % {"km": last_km}
    return {
        "ro": repair_order, "editable": editable, "walkaround_form": walkaround_form,
        "cover_fields": [walkaround_form[name] for name in WalkaroundForm.COVERS],
        "damage_form": DamageMarkForm(initial={"version": repair_order.version}),
        "check_in_signature": next((signature for signature in repair_order.signatures.all()
                                    if signature.kind == Signature.Kind.CHECK_IN), None),
        "signature_form": forms.get("signature_form") or SignatureForm(
            initial={"version": repair_order.version, "signer_name": repair_order.customer.name},
            auto_id=CHECK_IN_SIGNATURE_IDS),
    }


def page_context(request, repair_order, *, tab: str, **forms) -> dict:
    """Everything the RO page shows on `tab`; `forms` replaces a blank form by a posted one with its errors.
    The check-in tab's forms only when the page opens on it: on another tab the browser fetches that tab
    (checkin_tab) when it is shown."""
    site = current_site(request)
    jobs = list(repair_order.jobs.all())
    _label_lines(jobs)
    zone = site_zone(repair_order.site)
    for event in repair_order.events.all():
        _describe(event, zone)
    signatures = {signature.kind: signature for signature in repair_order.signatures.all()}
    can_change = request.user.has_perm("repair_orders.change_repairorder")
    editable = can_change and repair_order.state in EDITABLE_RO_STATES
    version = {"version": repair_order.version}
    return {
        **(checkin_context(request, repair_order, **forms) if tab == "checkin" else {}),
        "ro": repair_order, "tab": tab, "tab_labels": TAB_LABELS, "jobs": jobs,
        "totals": repair_order_totals(repair_order),
        "proposed_jobs": [job for job in jobs if job.state == JobState.PROPOSED],
        "recommendations": [job for job in jobs if job.state == JobState.DECLINED],
        "authorised_jobs": [job for job in jobs if job.state not in (JobState.PROPOSED, JobState.DECLINED)],
        "work_order_signature": signatures.get(Signature.Kind.WORK_ORDER),
        "can_change": can_change, "editable": editable,
        "can_submit": can_change and can_move_ro(repair_order.state, ROState.AWAITING_APPROVAL),
        "can_approve": can_change and repair_order.state == ROState.AWAITING_APPROVAL,
        "can_cancel": can_change and can_move_ro(repair_order.state, ROState.CANCELLED),
        "packages": selectors.package_choices(site=site) if editable else [],
        "pdf_links": pdf_links(repair_order),
        # From check-in on: it also offers the vehicle's recommendations of earlier visits again.
        "additional_work_template": _optional_template(ADDITIONAL_WORK_TEMPLATE)
        if repair_order.state != ROState.CANCELLED else None,
        "package_form": PackageJobForm(initial=version),
        "free_text_form": forms.get("free_text_form") or FreeTextJobForm(initial=version),
        "part_form": forms.get("part_form") or PartLineForm(initial=version),
        "approval_form": forms.get("approval_form") or SignatureForm(
            initial={**version, "signer_name": repair_order.customer.name}, auto_id=APPROVAL_SIGNATURE_IDS),
        "cancel_form": CancelForm(initial=version),
    }


def _page(request, pk, tab: str | None, status: int | None = None, csrf_token: str | None = None, **forms):
    repair_order = selectors.repair_order_page(site=current_site(request), pk=pk)
    tab = tab if tab in TABS else _default_tab(repair_order.state)
    if tab == "checkin":
        selectors.add_damage_marks(repair_order)
    context = page_context(request, repair_order, tab=tab, **forms)
    if csrf_token:
        context["csrf_token"] = csrf_token
    return render_site(request, "repair_orders/detail.html", context, status=status, site=repair_order.site)


@staff_view("repair_orders.view_repairorder")
def detail(request, pk):
    """From the cache while nothing on the page has changed (page_cache), but the check-in tab, whose damage
    marks and photos the fingerprint does not cover."""
    tab = request.GET.get("tab")
    site = current_site(request)
    found = page_cache.fingerprint(site=site, pk=pk, viewer_id=request.user.pk) if page_cache.cacheable(
        request) else None
    if found is None or (tab if tab in TABS else _default_tab(found[0])) == "checkin":
        return _page(request, pk, tab)
    key = page_cache.page_key(request, site=site, pk=pk, digest=found[1])
    return page_cache.serve(request, key, lambda token_slot: _page(request, pk, tab, csrf_token=token_slot))


@staff_view("repair_orders.view_repairorder")
def checkin_tab(request, pk):
    """The check-in tab alone (htmx), for a page that opened on another tab."""
    repair_order = selectors.repair_order_checkin(site=current_site(request), pk=pk)
    return render_site(request, "repair_orders/_tab_checkin.html", checkin_context(request, repair_order))


def render_page(request, pk, *, tab: str, status: int = 200, **forms):
    """The RO page again, on `tab`, with a posted form and its errors (nothing was saved)."""
    return _page(request, pk, tab, status, **forms)


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
