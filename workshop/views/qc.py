"""The inspector's screens (质检): the queue of ROs waiting for QC, the inspection form of one RO with its
earlier inspections, and the QC tab of the RO page (an htmx partial, so repair_orders need not know us)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from repair_orders.models import RepairOrder
from repair_orders.views.common import render_site
from repair_orders.workflow import ROState
from servicedesk.core.views_common import call_service, current_site, paginate, staff_view

from ..forms_qc import InspectionForm
from ..selectors import qc as selectors
from ..services.qc import qc_record


@staff_view("workshop.inspect_quality")
def queue(request):
    page = paginate(request, selectors.qc_queue(site=current_site(request)))
    for repair_order in page:
        repair_order.technicians = sorted({job.technician for job in repair_order.work if job.technician},
                                          key=lambda user: user.pk)
        repair_order.rework = sum(job.rework_count for job in repair_order.work)
    return render_site(request, "workshop/qc_queue.html", {"page": page})


@staff_view("workshop.inspect_quality")
def inspect(request, pk):
    repair_order = _repair_order(request, pk)
    jobs = selectors.jobs_to_inspect(repair_order) if repair_order.state == ROState.QUALITY_CHECK else []
    sections = selectors.checklist_for(jobs)
    form = InspectionForm(request.POST or None, sections=sections, initial={"version": repair_order.version})
    if request.method == "POST" and not jobs:  # not waiting for QC: the service says why (middleware shows it)
        qc_record(repair_order=repair_order, inspector=request.user, passed=True, answers=[])
    if request.method == "POST" and form.is_valid():
        inspection = call_service(
            form, qc_record, repair_order=repair_order, inspector=request.user, passed=form.passed,
            answers=form.answers(), failed_jobs=form.failed_jobs(), notes=form.cleaned_data["notes"],
            road_test_done=form.cleaned_data["road_test_done"], road_test_km=form.cleaned_data["road_test_km"],
            version=form.cleaned_data["version"])
        if inspection:
            if inspection.result == inspection.Result.PASSED:
                messages.success(request, _("%(number)s passed QC; the pre-delivery check comes next.")
                                 % {"number": repair_order.number})
            else:
                messages.warning(request, _("%(number)s failed QC; the jobs went back to their technicians as "
                                            "rework.") % {"number": repair_order.number})
            return redirect("workshop:qc_queue")
    workers = selectors.technicians_of(jobs)
    own_work = [job for job in jobs if request.user.pk in workers[job.pk]]
    return render_site(request, "workshop/qc_inspect.html", {
        "ro": repair_order, "jobs": jobs, "form": form, "own_work": own_work,
        "inspections": selectors.inspections_of(repair_order),
    }, status=400 if request.method == "POST" else None)


@staff_view("repair_orders.view_repairorder")
def tab(request, pk):
    """The RO page's QC tab: where QC stands, the inspections so far, and the way to inspect."""
    repair_order = _repair_order(request, pk)
    awaiting = repair_order.state == ROState.QUALITY_CHECK and bool(selectors.jobs_to_inspect(repair_order))
    return render_site(request, "workshop/qc_tab.html", {
        "ro": repair_order, "awaiting": awaiting, "inspections": selectors.inspections_of(repair_order),
        "can_inspect": awaiting and request.user.has_perm("workshop.inspect_quality"),
    })


def _repair_order(request, pk) -> RepairOrder:
    return get_object_or_404(RepairOrder.objects.select_related("vehicle", "customer"), site=current_site(request),
                             pk=pk)
