"""The technician's screen (tablet or phone): my jobs today with big buttons — clock on, pause with a reason,
resume, finish, clock off — and extra work found, reported with photos. The foreman's list of clocks the
nightly scan stopped is here too. Every button posts, calls one service and comes back to the list."""

import zoneinfo
from datetime import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from repair_orders.models import JobLine
from repair_orders.services.additional import additional_work_report
from repair_orders.workflow import JobState
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import current_site, paginate, staff_view

from ..models import TimeEntry
from ..rules import workshop_settings
from ..selectors.technician import entries_to_review, my_jobs
from ..services.clocking import clock_off, job_finish, job_pause, job_start, time_entry_review

CLOCK_TIME = "workshop.clock_time"
DISPATCH_JOBS = "workshop.dispatch_jobs"
REVIEW_TIME = "workshop.review_time"
MAX_PHOTOS = 6


class ReviewForm(forms.Form):
    ended_at = forms.TimeField(label=gettext_lazy("Actually stopped at"), required=False,
                               widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


def clocking_view(view):
    """The technician, or a foreman acting for them (the service checks whose job it is)."""

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not (request.user.has_perm(CLOCK_TIME) or request.user.has_perm(DISPATCH_JOBS)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _render(request, template: str, context: dict):
    with timezone.override(zoneinfo.ZoneInfo(current_site(request).time_zone)):
        return render(request, template, context)


@staff_view(CLOCK_TIME)
def technician_jobs(request):
    site = current_site(request)
    now = timezone.now()
    jobs = my_jobs(site=site, technician=request.user, now=now)
    for job in jobs:  # the running timer starts from the closed entries' hours
        job.clocked_seconds = int(job.clocked_hours * 3600)
    return _render(request, "workshop/technician.html", {
        "jobs": jobs, "rules": workshop_settings(site), "now": now, "pause_reasons": JobLine.PauseReason.choices,
        "running": any(job.clocked_on_since for job in jobs), "max_photos": MAX_PHOTOS})


def _job(request, pk) -> JobLine:
    return get_object_or_404(JobLine.objects.select_related("repair_order__vehicle"), pk=pk,
                             repair_order__site=current_site(request))


def _act(request, service, done: str, **kwargs):
    """Run the service; its refusal shows as the page's message, nothing changed."""
    try:
        service(actor=request.user, **kwargs)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("workshop:my_jobs")


@clocking_view
@require_POST
def start(request, pk):
    job = _job(request, pk)
    done = _("Resumed: %(job)s.") if job.state == JobState.PAUSED else _("Clocked on: %(job)s.")
    return _act(request, job_start, done % {"job": job.description}, job_line=job)


@clocking_view
@require_POST
def pause(request, pk):
    job = _job(request, pk)
    return _act(request, job_pause, _("Paused: %(job)s.") % {"job": job.description}, job_line=job,
                reason=request.POST.get("reason", ""), note=request.POST.get("note", ""))


@clocking_view
@require_POST
def finish(request, pk):
    job = _job(request, pk)
    return _act(request, job_finish, _("Finished: %(job)s.") % {"job": job.description}, job_line=job)


@staff_view(CLOCK_TIME)
@require_POST
def off(request):
    return _act(request, clock_off, _("Clocked off; your jobs are paused until your next shift."),
                technician=request.user)


@clocking_view
@require_POST
def report_extra(request, pk):
    """Extra work found on this job's car: a proposed line for the advisor, with the photos taken."""
    job = _job(request, pk)
    photos = request.FILES.getlist("photos")
    if len(photos) > MAX_PHOTOS:
        messages.error(request, _("Send at most %(count)s photos at a time.") % {"count": MAX_PHOTOS})
        return redirect("workshop:my_jobs")
    return _act(request, additional_work_report, _("Reported to the service advisor: %(finding)s.") % {
        "finding": request.POST.get("description", "").strip()[:200]}, repair_order=job.repair_order,
        description=request.POST.get("description", ""), photos=photos)


@staff_view(REVIEW_TIME)
def time_review(request):
    """Clocks the nightly scan stopped, for the foreman to confirm or correct."""
    site = current_site(request)
    return _render(request, "workshop/technician_review.html", {
        "page": paginate(request, entries_to_review(site=site)), "form": ReviewForm()})


@staff_view(REVIEW_TIME)
@require_POST
def time_review_confirm(request, pk):
    site = current_site(request)
    entry = get_object_or_404(TimeEntry, pk=pk, site=site)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the time as HH:MM."))
        return redirect("workshop:time_review")
    ended_at = None
    if form.cleaned_data["ended_at"] is not None:
        zone = zoneinfo.ZoneInfo(site.time_zone)
        day = timezone.localtime(entry.started_at, zone).date()
        ended_at = datetime.combine(day, form.cleaned_data["ended_at"], tzinfo=zone)
    try:
        time_entry_review(entry=entry, actor=request.user, ended_at=ended_at, note=form.cleaned_data["note"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Time entry checked."))
    return redirect("workshop:time_review")
