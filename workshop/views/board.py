"""The dispatch board screen: the board itself (polled by htmx, redrawn only when its version changed), and
the moves a card dropped on a technician, a bay or the queue posts. Every move answers with the redrawn board,
so a refused or stale move snaps back and the foreman sees why."""

import zoneinfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from repair_orders.models import JobLine
from repair_orders.services.common import who
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, staff_view

from ..models import Bay
from ..selectors.board import BAYS, TECHNICIANS, board_version, dispatch_board
from ..services.dispatch import job_assign, job_unassign

PERMISSION = "workshop.dispatch_jobs"


def _mode(value) -> str:
    return BAYS if value == BAYS else TECHNICIANS


def _render(request, template: str, context: dict):
    site = current_site(request)
    with timezone.override(zoneinfo.ZoneInfo(site.time_zone)):
        return render(request, template, context)


@staff_view(PERMISSION)
def board(request):
    """The whole page, or (htmx polling with the version it shows) 204 when nothing changed."""
    site = current_site(request)
    mode = _mode(request.GET.get("view"))
    version = board_version(site) if request.htmx and request.GET.get("version") else ""
    if version and request.GET["version"] == version:
        return HttpResponse(status=204)  # htmx leaves the board as it is
    context = {"board": dispatch_board(site=site, mode=mode, version=version)}
    return _render(request, "workshop/_board.html" if request.htmx else "workshop/board.html", context)


@staff_view(PERMISSION)
@require_POST
def assign(request, pk):
    """A card dropped on a technician (or a bay): assign, reassign or reorder; warnings come back with an
    "assign anyway" button that posts the same move acknowledged."""
    site = current_site(request)
    job = get_object_or_404(JobLine.objects.select_related("technician"), pk=pk, repair_order__site=site)
    data = request.POST
    technician = _technician(data.get("technician"), job)
    bay = Bay.objects.filter(site=site, pk=data["bay"]).first() if data.get("bay", "").isdecimal() else None
    warnings = None
    try:
        if technician is None:
            raise ApplicationError(_("Give the job to a technician first (the technicians view)."))
        result = job_assign(job_line=job, technician=technician, bay=bay, actor=request.user,
                            expected_technician_id=_expected(data), acknowledge_warnings=data.get("acknowledge") == "1",
                            position=int(data["position"]) if data.get("position", "").isdecimal() else None)
        if result.assigned:
            messages.success(request, _("%(job)s (%(number)s) is with %(name)s.") % {
                "job": job.description, "number": job.repair_order.number, "name": who(technician)})
        else:
            warnings = {"job": job, "items": result.warnings, "post": data}
    except ApplicationError as error:
        messages.error(request, error.message)
    return _response(request, site, data, warnings)


@staff_view(PERMISSION)
@require_POST
def unassign(request, pk):
    """A card dropped back on the queue."""
    site = current_site(request)
    job = get_object_or_404(JobLine, pk=pk, repair_order__site=site)
    try:
        job_unassign(job_line=job, actor=request.user, expected_technician_id=_expected(request.POST))
        messages.success(request, _("%(job)s is back in the queue.") % {"job": job.description})
    except ApplicationError as error:
        messages.error(request, error.message)
    return _response(request, site, request.POST, None)


def _technician(value, job: JobLine):
    """The technician posted; in the bays view a card keeps its technician."""
    if value and str(value).isdecimal():
        return get_user_model().objects.filter(pk=value).select_related("profile").first()
    return job.technician


def _expected(data):
    """The technician the board showed for the card ("" = the queue); absent: the move is not checked."""
    if "expected_technician" not in data:
        return ...
    return data["expected_technician"] or None


def _response(request, site, data, warnings):
    context = {"board": dispatch_board(site=site, mode=_mode(data.get("view"))), "warnings": warnings}
    return _render(request, "workshop/_board_response.html", context)
