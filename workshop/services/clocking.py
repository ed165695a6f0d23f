"""Technicians' time on jobs (DESIGN.md §4 job states, §6 clocked hours): clock on (start or resume), pause with
a reason, finish, clock off at the end of the shift, and the nightly scan that stops clocks left running.

Who may clock: the job's technician, or a foreman (workshop.dispatch_jobs) acting for them — the entry is
always the assigned technician's, the event row names who pressed the button. One running entry per
technician unless the site allows parallel clocking; the check runs under a lock on the technician's user row
(the profile is per site, the rule is per person), so two clock-ons at once leave one running entry.
Lock order everywhere: repair order → job line → technician / time entries (no deadlocks with the scan)."""

import zoneinfo
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from repair_orders.models import JobLine, RepairOrder
from repair_orders.services.additional import ro_url
from repair_orders.services.common import lock_repair_order, move_job, who
from repair_orders.workflow import JobState, ROState, check_job_transition
from servicedesk.accounts.models import Site
from servicedesk.accounts.roles import FOREMAN, PARTS_CLERK
from servicedesk.core.errors import ApplicationError
from servicedesk.core.notifications import notify

from ..models import TimeEntry
from ..rules import workshop_settings
from .qc import repair_order_to_quality_check_if_done

CLOCK_TIME = "workshop.clock_time"
DISPATCH_JOBS = "workshop.dispatch_jobs"
REVIEW_TIME = "workshop.review_time"
HOURS = Decimal("0.01")
CLOCKABLE_JOB_STATES = frozenset({JobState.ASSIGNED, JobState.IN_PROGRESS, JobState.PAUSED})
PauseReason = JobLine.PauseReason
# A technician finishing a job just after closing time keeps their clock: the scan waits this long.
SCAN_GRACE = timedelta(hours=1)


def entry_hours(started_at: datetime, ended_at: datetime) -> Decimal:
    return (Decimal((ended_at - started_at).total_seconds()) / 3600).quantize(HOURS)


@transaction.atomic
def job_start(*, job_line: JobLine, actor) -> JobLine:
    """Clock on: an assigned or paused job becomes in progress and a time entry opens for its technician."""
    repair_order, job = _lock_job(job_line)
    _check_actor(job, actor)
    check_job_transition(job.state, JobState.IN_PROGRESS)
    # Serialises this technician's clock-ons: the running-entry check below sees every committed entry.
    technician = get_user_model().objects.select_for_update().get(pk=job.technician_id)
    if not workshop_settings(repair_order.site).allow_parallel_clocking:
        running = (TimeEntry.objects.filter(technician=technician, ended_at__isnull=True)
                   .select_related("job_line__repair_order").first())
        if running is not None:
            raise ApplicationError(
                _("%(who)s is still clocked on “%(job)s” (%(number)s); pause or finish it first.")
                % {"who": who(technician), "job": running.job_line.description,
                   "number": running.job_line.repair_order.number}, code="already_clocked_on")
    now = timezone.now()
    entry = TimeEntry.objects.create(site=repair_order.site, technician=technician, job_line=job, started_at=now)
    action = "resume" if job.state == JobState.PAUSED else "start"
    job.started_at = job.started_at or now
    job.clocked_on_since, job.pause_reason = now, ""
    move_job(job, JobState.IN_PROGRESS, actor, fields=["started_at", "clocked_on_since", "pause_reason"],
             action=action, entry=entry.pk, technician=technician.pk)
    return job


@transaction.atomic
def job_pause(*, job_line: JobLine, reason: str, actor, note: str = "") -> JobLine:
    """In progress → paused with a reason; the running entry closes. Waiting for parts tells the site's parts
    clerks, waiting for the customer tells the RO's advisor."""
    if reason not in PauseReason.values:
        raise ApplicationError(_("Choose why the job stops."), code="required", field="reason")
    repair_order, job = _lock_job(job_line)
    _check_actor(job, actor)
    note = (note or "").strip()[:200]
    _stop(job, actor, to_state=JobState.PAUSED, reason=reason, ended_by=TimeEntry.EndedBy.PAUSE, note=note)
    _tell_about_pause(repair_order, job, reason=reason, note=note, actor=actor)
    return job


@transaction.atomic
def job_finish(*, job_line: JobLine, actor) -> JobLine:
    """In progress → done: the entry closes and the finish time is kept; when it was the RO's last authorised
    job, the RO moves on to quality control."""
    repair_order, job = _lock_job(job_line)
    _check_actor(job, actor)
    if job.started_at is None:
        raise ApplicationError(_("Nobody has clocked on this job yet; it cannot be finished."), code="not_started")
    if job.state == JobState.PAUSED:
        raise ApplicationError(_("This job is paused; clock on again before finishing it."), code="paused")
    _stop(job, actor, to_state=JobState.DONE, ended_by=TimeEntry.EndedBy.FINISH)
    repair_order_to_quality_check_if_done(repair_order=repair_order, actor=actor)
    return job


@transaction.atomic
def clock_off(*, technician, actor) -> list[JobLine]:
    """End of the shift: every job the technician is clocked on is paused (reason: end of shift), nothing is
    finished. Returns the jobs paused (none when nothing was running)."""
    running = (TimeEntry.objects.filter(technician=technician, ended_at__isnull=True)
               .values_list("job_line_id", flat=True).distinct())
    return [job_pause(job_line=job, reason=PauseReason.END_OF_SHIFT, actor=actor)
            for job in JobLine.objects.filter(pk__in=list(running))]


@transaction.atomic
def time_entry_review(*, entry: TimeEntry, actor, ended_at: datetime | None = None, note: str = "") -> TimeEntry:
    """The foreman checks an entry the scan closed: confirms it, or corrects its end (the job's clocked hours
    follow). Recorded as an event row of the job."""
    if not actor.has_perm(REVIEW_TIME):
        raise ApplicationError(_("Only a foreman reviews time entries."), code="forbidden")
    job_id = TimeEntry.objects.values_list("job_line_id", flat=True).get(pk=entry.pk)
    _repair_order, job = _lock_job(job_id, clocking=False)
    locked = TimeEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.ended_at is None:
        raise ApplicationError(_("This entry is still running."), code="conflict")
    before = locked.ended_at
    if ended_at is not None:
        if not (locked.started_at <= ended_at <= timezone.now()):
            raise ApplicationError(_("The end must lie between the clock-on time and now."), field="ended_at")
        job.clocked_hours += entry_hours(before, ended_at)
        job.save(update_fields=["clocked_hours", "updated_at"])
        locked.ended_at = ended_at
    locked.needs_review, locked.reviewed_by = False, actor
    locked.note = (note or locked.note).strip()[:200]
    locked.save(update_fields=["ended_at", "needs_review", "reviewed_by", "note"])
    job.events.create(actor=actor, from_state=job.state, to_state=job.state,
                      data={"action": "time_reviewed", "entry": locked.pk, "ended_before": before.isoformat(),
                            "ended_after": locked.ended_at.isoformat()})
    return locked


def close_forgotten_entries(*, as_of: datetime | None = None) -> int:
    """The nightly scan: entries still running after the site's closing time (plus a grace hour), or from an
    earlier day, are stopped at that day's closing time (or their start, for overtime begun later), flagged
    for the foreman's review, their jobs paused (end of shift), and the foremen told. Running it again finds
    nothing; an RO or entry another transaction holds is left for the next run."""
    as_of = as_of or timezone.now()
    closed = 0
    for site in Site.objects.all():
        due = (TimeEntry.objects.filter(site=site, ended_at__isnull=True, started_at__lt=_scan_cutoff(site, as_of))
               .values_list("pk", "job_line__repair_order_id"))
        for entry_id, repair_order_id in list(due):
            with transaction.atomic():
                closed += _close_forgotten(site, entry_id, repair_order_id)
    return closed


def _close_forgotten(site, entry_id: int, repair_order_id: int) -> int:
    claimed = RepairOrder.objects.select_for_update(skip_locked=True).filter(pk=repair_order_id).first()
    entry = (TimeEntry.objects.select_for_update(skip_locked=True).filter(pk=entry_id, ended_at__isnull=True)
             .first()) if claimed else None
    if entry is None:
        return 0
    job = JobLine.objects.select_for_update().get(pk=entry.job_line_id)
    zone = zoneinfo.ZoneInfo(site.time_zone)
    closing = datetime.combine(timezone.localtime(entry.started_at, zone).date(), site.closes_at, tzinfo=zone)
    stop = {"ended_by": TimeEntry.EndedBy.NIGHTLY_SCAN, "at": closing, "needs_review": True}
    if job.state == JobState.IN_PROGRESS:
        _stop(job, None, to_state=JobState.PAUSED, reason=PauseReason.END_OF_SHIFT, **stop)
    else:  # the job moved on without its clock being stopped: close the entry alone
        _close_entries(job, **stop)
        job.save(update_fields=["clocked_hours", "clocked_on_since", "updated_at"])
    _tell_foremen(site, claimed, job, entry, closing)
    return 1


def _scan_cutoff(site, as_of: datetime) -> datetime:
    """Entries begun before this moment are due: today's closing time once the grace hour has passed, else
    midnight (only earlier days' entries)."""
    zone = zoneinfo.ZoneInfo(site.time_zone)
    local = timezone.localtime(as_of, zone)
    closing = datetime.combine(local.date(), site.closes_at, tzinfo=zone)
    return closing if local >= closing + SCAN_GRACE else datetime.combine(local.date(), time.min, tzinfo=zone)


def _lock_job(job_line: JobLine | int, *, clocking: bool = True) -> tuple[RepairOrder, JobLine]:
    pk = getattr(job_line, "pk", job_line)
    repair_order_id = JobLine.objects.filter(pk=pk).values_list("repair_order_id", flat=True).first()
    if repair_order_id is None:
        raise ApplicationError(_("This job no longer exists."), code="not_found")
    repair_order = lock_repair_order(repair_order_id, version=None)
    job = JobLine.objects.select_for_update().get(pk=pk)
    job.repair_order = repair_order
    if clocking and repair_order.state != ROState.IN_PROGRESS and job.state in CLOCKABLE_JOB_STATES:
        raise ApplicationError(_("Repair order %(number)s is %(state)s; its jobs cannot be clocked now.")
                               % {"number": repair_order.number, "state": repair_order.get_state_display()},
                               code="locked")
    return repair_order, job


def _check_actor(job: JobLine, actor) -> None:
    if job.technician_id is None:
        raise ApplicationError(_("This job is not assigned to anyone yet; the foreman dispatches it first."),
                               code="not_assigned")
    if actor.pk == job.technician_id and actor.has_perm(CLOCK_TIME):
        return
    if actor.has_perm(DISPATCH_JOBS):  # a foreman clocking for the technician (e.g. the tablet is flat)
        return
    raise ApplicationError(_("This job is assigned to %(who)s, not to you.") % {"who": who(job.technician)},
                           code="not_assigned")


def _stop(job: JobLine, actor, *, to_state: str, ended_by: str, reason: str = "", note: str = "",
          at: datetime | None = None, needs_review: bool = False) -> JobLine:
    """Close the job's running entries, add their hours, and move the job with its event row."""
    check_job_transition(job.state, to_state)
    at = at or timezone.now()
    closed = _close_entries(job, ended_by=ended_by, at=at, needs_review=needs_review, note=note)
    job.pause_reason = reason
    fields = ["clocked_hours", "clocked_on_since", "pause_reason"]
    if to_state == JobState.DONE:
        job.finished_at = at
        fields.append("finished_at")
    move_job(job, to_state, actor, fields=fields, action=ended_by, reason=reason, note=note,
             entries=[entry.pk for entry in closed], hours=str(sum(closed.values(), Decimal(0))))
    return job


def _close_entries(job: JobLine, *, ended_by: str, at: datetime, needs_review: bool = False,
                   note: str = "") -> dict[TimeEntry, Decimal]:
    closed = {}
    for entry in TimeEntry.objects.select_for_update().filter(job_line=job, ended_at__isnull=True):
        entry.ended_at, entry.ended_by, entry.needs_review = max(at, entry.started_at), ended_by, needs_review
        entry.note = note or entry.note
        entry.save(update_fields=["ended_at", "ended_by", "needs_review", "note"])
        closed[entry] = entry_hours(entry.started_at, entry.ended_at)
    job.clocked_hours += sum(closed.values(), Decimal(0))
    job.clocked_on_since = None
    return closed


def _staff_of(site, role: str):
    return get_user_model().objects.filter(groups__name=role, is_active=True, profile__sites=site).distinct()


def _tell_about_pause(repair_order: RepairOrder, job: JobLine, *, reason: str, note: str, actor) -> None:
    if reason == PauseReason.WAITING_PARTS:
        recipients = list(_staff_of(repair_order.site, PARTS_CLERK))
    elif reason == PauseReason.WAITING_CUSTOMER:
        recipients = [repair_order.advisor]
    else:
        return
    # No per-user language yet: the product's language, whatever the technician's screen shows.
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(number)s (%(plate)s) “%(job)s”: %(reason)s — paused by %(who)s. %(note)s") % {
            "number": repair_order.number, "plate": repair_order.vehicle.plate, "job": job.description,
            "reason": PauseReason(reason).label, "who": who(actor), "note": note}
    for recipient in recipients:
        notify(site=repair_order.site, recipient=recipient, text=text.strip(), url=ro_url(repair_order))


def _tell_foremen(site, repair_order: RepairOrder, job: JobLine, entry: TimeEntry, closing: datetime) -> None:
    from django.urls import reverse

    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(who)s was still clocked on “%(job)s” (%(number)s) after closing time; the clock was stopped "
                 "at %(time)s. Check the hours.") % {
            "who": who(entry.technician), "job": job.description, "number": repair_order.number,
            "time": timezone.localtime(max(closing, entry.started_at), closing.tzinfo).strftime("%m-%d %H:%M")}
    for foreman in _staff_of(site, FOREMAN):
        notify(site=site, recipient=foreman, text=text, url=reverse("workshop:time_review"))
