"""The work-order tab (任务委托书): job lines from the labour book, a package or free text, parts lines, and the
customer's signed approval, line by line."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parts.models import Part
from parts.selectors import part_search as parts_matching
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import call_service, staff_view

from .. import selectors, services
from ..forms import FreeTextJobForm, OperationJobForm, PackageJobForm, PartLineForm, SignatureForm
from ..models import JobLine, LabourOperation, ServicePackage
from ..workflow import JobState
from .common import repair_order_of, to_tab
from .detail import APPROVAL_SIGNATURE_IDS, render_page

SEARCH_LIMIT = 15
DECISIONS = ("approve", "decline", "diagnosis")


def _invalid(form) -> ApplicationError:
    """A form that did not parse, as the one message the page shows (nothing was saved)."""
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    return ApplicationError(f"{label}: {errors[0]}" if label else errors[0], field=field)


@staff_view("repair_orders.change_repairorder")
def operation_search(request, pk):
    """The labour-time book's operations that apply to this RO's vehicle (htmx rows with an Add button)."""
    repair_order = repair_order_of(request, pk)
    q = request.GET.get("q", "").strip()[:50]
    operations = list(selectors.operations_for_vehicle(
        make=repair_order.vehicle.make, model=repair_order.vehicle.model, q=q)[:SEARCH_LIMIT]) if q else []
    return render(request, "repair_orders/_operation_results.html", {
        "ro": repair_order, "operations": operations, "q": q, "form": OperationJobForm()})


@staff_view("repair_orders.change_repairorder")
def part_search(request, pk):
    """Parts of the site's catalogue by number or name, with what is available now (htmx radio rows)."""
    repair_order = repair_order_of(request, pk)
    q = request.GET.get("part_q", "").strip()[:50]
    parts = list(parts_matching(site=repair_order.site, q=q)[:SEARCH_LIMIT]) if len(q) >= 2 else []
    return render(request, "repair_orders/_part_results.html", {"parts": parts, "q": q})


@staff_view("repair_orders.change_repairorder")
@require_POST
def add_operation(request, pk):
    repair_order = repair_order_of(request, pk)
    form = OperationJobForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    operation = LabourOperation.objects.filter(pk=form.cleaned_data["operation"], active=True).first()
    if operation is None:
        raise ApplicationError(_("Choose an operation from the labour-time book."), field="operation")
    job = services.job_add_from_operation(repair_order=repair_order, operation=operation, actor=request.user,
                                          version=form.cleaned_data["version"], pay_type=form.cleaned_data["pay_type"])
    messages.success(request, _("Added: %(job)s.") % {"job": job.description})
    return to_tab(repair_order, "work")


@staff_view("repair_orders.change_repairorder")
@require_POST
def add_package(request, pk):
    repair_order = repair_order_of(request, pk)
    form = PackageJobForm(request.POST)
    if not form.is_valid():
        raise _invalid(form)
    package = ServicePackage.objects.filter(site=repair_order.site, pk=form.cleaned_data["package"],
                                             active=True).first()
    if package is None:
        raise ApplicationError(_("Choose an active service package of this site."), field="package")
    job = services.job_add_from_package(repair_order=repair_order, package=package, actor=request.user,
                                        version=form.cleaned_data["version"], pay_type=form.cleaned_data["pay_type"])
    messages.success(request, _("Added: %(job)s.") % {"job": job.description})
    return to_tab(repair_order, "work")


@staff_view("repair_orders.change_repairorder")
@require_POST
def add_free_text(request, pk):
    repair_order = repair_order_of(request, pk)
    form = FreeTextJobForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        job = call_service(form, services.job_add_free_text, repair_order=repair_order,
                           description=data["description"], labour_price=data["labour_price"], hours=data["hours"],
                           pay_type=data["pay_type"], diagnostic_fee=data["diagnostic_fee"],
                           version=data["version"], actor=request.user)
        if job is not None:
            messages.success(request, _("Added: %(job)s.") % {"job": job.description})
            return to_tab(repair_order, "work")
    return render_page(request, pk, tab="work", free_text_form=form)


@staff_view("repair_orders.change_repairorder")
@require_POST
def add_part(request, pk):
    repair_order = repair_order_of(request, pk)
    form = PartLineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        job = JobLine.objects.filter(repair_order=repair_order, pk=data["job_line"]).first()
        part = Part.objects.filter(site=repair_order.site, pk=data["part"]).first() if data["part"] else None
        if job is None:
            form.add_error("job_line", _("Choose a job of this repair order."))
        elif data["part"] and part is None:
            form.add_error(None, _("Choose an active part of this site's catalogue."))
        elif call_service(form, services.part_line_add, job_line=job, part=part, quantity=data["quantity"],
                          source=data["source"] or None, description=data["description"],
                          version=data["version"], actor=request.user):
            messages.success(request, _("Part added to %(job)s.") % {"job": job.description})
            return to_tab(repair_order, "work")
    return render_page(request, pk, tab="work", part_form=form)


@staff_view("repair_orders.change_repairorder")
@require_POST
def approve(request, pk):
    """The customer's answer per line (approve / decline / diagnose first), the signer and the signature."""
    repair_order = repair_order_of(request, pk)
    form = SignatureForm(request.POST, auto_id=APPROVAL_SIGNATURE_IDS)
    if form.is_valid():
        proposed = JobLine.objects.filter(repair_order=repair_order, state=JobState.PROPOSED).values_list(
            "pk", flat=True)
        decisions = {job_id: request.POST.get(f"decision_{job_id}", "decline") for job_id in proposed}
        if set(decisions.values()) - set(DECISIONS):
            form.add_error(None, _("Choose approve, decline or diagnose first for every line."))
        elif call_service(
                form, services.repair_order_approve, repair_order=repair_order,
                approved_line_ids=[pk for pk, choice in decisions.items() if choice == "approve"],
                diagnosis_line_ids=[pk for pk, choice in decisions.items() if choice == "diagnosis"],
                signer_name=form.cleaned_data["signer_name"], signature_image=form.cleaned_data["signature"],
                version=form.cleaned_data["version"], actor=request.user):
            messages.success(request, _("The customer signed the work order."))
            return to_tab(repair_order, "work")
    return render_page(request, pk, tab="work", approval_form=form)
