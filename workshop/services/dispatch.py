"""Dispatch (派工): the foreman gives an approved job to a technician (and a bay), moves it to another one
before it is started, or puts it back in the queue.

Every move is checked against what the foreman's board showed: `expected_technician_id` is the technician
the board had for the job (None: the queue). If somebody moved the job meanwhile, nothing changes and the
foreman is told who moved it and when (code "stale"). Warnings (a missing skill, a technician with more work
than hours today, parts not arrived) are returned without saving until the foreman assigns anyway."""

import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from types import EllipsisType

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.capacity import technician_hours
from appointments.models import TechnicianAbsence, TechnicianShift
from repair_orders.models import JobLine, JobLineEvent, PartLine
from repair_orders.progress import remaining_hours
from repair_orders.services.common import lock_repair_order, move_job, move_ro, site_today, who
from repair_orders.workflow import JobState, ROState
from servicedesk.core.errors import ApplicationError

from ..models import Bay, TechnicianProfile

# The RO must be signed for and not yet at QC: its jobs are waiting for, or in, the workshop.
DISPATCHABLE_RO_STATES = frozenset({ROState.APPROVED, ROState.IN_PROGRESS})
# A technician's jobs that still take their time today.
OPEN_TECHNICIAN_STATES = frozenset({JobState.ASSIGNED, JobState.IN_PROGRESS, JobState.PAUSED, JobState.REWORK})


@dataclass(frozen=True)
class AssignWarning:
    code: str  # "skill", "hours", "not_on_shift", "parts"
    message: str


@dataclass
class AssignResult:
    job: JobLine
    assigned: bool  # False: warnings to acknowledge, nothing saved
    warnings: list[AssignWarning] = field(default_factory=list)
    previous_technician_id: int | None = None


@transaction.atomic
def job_assign(*, job_line: JobLine | int, technician, actor, bay: Bay | None = None,
               expected_technician_id: int | None | EllipsisType = ..., acknowledge_warnings: bool = False,
               position: int | None = None) -> AssignResult:
    """Give a job to `technician` (approved or rework → assigned; the RO approved → in progress at its first
    assignment), move an assigned job to another technician, or change its bay or place in the queue.
    `expected_technician_id` is the board's view (None: it showed the job in the queue; `...`: unchecked)."""
    job = _lock_job(job_line)
    repair_order = job.repair_order
    _check_dispatchable(job, repair_order)
    _check_not_moved(job, expected_technician_id, repair_order.site)
    profile = _technician_profile(repair_order.site, technician)
    if bay is not None and (bay.site_id != repair_order.site_id or not bay.active):
        raise ApplicationError(_("Choose an active bay of this workshop."), field="bay")
    previous = job.technician_id
    warnings = [] if previous == technician.pk else assignment_warnings(job=job, profile=profile)
    if warnings and not acknowledge_warnings:
        return AssignResult(job=job, assigned=False, warnings=warnings, previous_technician_id=previous)
    job.technician = technician
    if bay is not None:
        job.bay = bay
    data = {"technician": technician.pk, "technician_name": who(technician), "previous_technician": previous,
            "bay": job.bay_id, "warnings": [w.code for w in warnings]}
    if job.state == JobState.ASSIGNED:
        kind = "reassigned" if previous != technician.pk else "requeued"
        job.save(update_fields=["technician", "bay", "updated_at"])
        JobLineEvent.objects.create(job_line=job, actor=actor, from_state=job.state, to_state=job.state,
                                    data={"kind": kind, **data})
    else:
        move_job(job, JobState.ASSIGNED, actor, fields=["technician", "bay"], kind="assigned", **data)
    _place_in_queue(job, position)
    if repair_order.state == ROState.APPROVED:
        move_ro(repair_order, ROState.IN_PROGRESS, actor, kind="dispatched", job=job.pk, technician=technician.pk)
    return AssignResult(job=job, assigned=True, warnings=warnings, previous_technician_id=previous)


@transaction.atomic
def job_unassign(*, job_line: JobLine | int, actor,
                 expected_technician_id: int | None | EllipsisType = ...) -> JobLine:
    """Put an assigned job that nobody has started back in the queue (assigned → approved)."""
    job = _lock_job(job_line)
    _check_not_moved(job, expected_technician_id, job.repair_order.site)
    if job.state != JobState.ASSIGNED:
        raise ApplicationError(_("Only a job that is assigned and not started goes back to the queue."),
                               code="illegal_transition")
    previous = job.technician_id
    job.technician, job.bay, job.queue_position = None, None, 0
    return move_job(job, JobState.APPROVED, actor, fields=["technician", "bay", "queue_position"],
                    kind="unassigned", previous_technician=previous)


def assignment_warnings(*, job: JobLine, profile: TechnicianProfile, now=None) -> list[AssignWarning]:
    """What the foreman should know before giving `job` to the profile's technician (nothing is refused)."""
    now = now or timezone.now()
    name = who(profile.user)
    warnings = []
    skill = job.operation.skill if job.operation_id else ""
    if not profile.has_skill(skill):
        warnings.append(AssignWarning("skill", _("%(name)s is not a %(skill)s; this job needs one.") % {
            "name": name, "skill": job.operation.get_skill_display()}))
    site = job.repair_order.site
    attended = _attended_hours_today(site, profile.user_id)
    if attended <= 0:
        warnings.append(AssignWarning("not_on_shift", _("%(name)s is not on shift today.") % {"name": name}))
    else:
        others = JobLine.objects.filter(technician_id=profile.user_id, state__in=OPEN_TECHNICIAN_STATES,
                                        repair_order__site=site).exclude(pk=job.pk)
        load = sum((remaining_hours(other, now) for other in others), Decimal("0"))
        load += remaining_hours(job, now) if job.state != JobState.REWORK else job.hours
        if load > attended:
            warnings.append(AssignWarning("hours", _(
                "%(name)s would have %(load)s hours of work for %(attended)s hours on shift today.") % {
                "name": name, "load": load.quantize(Decimal("0.1")), "attended": attended.quantize(Decimal("0.1"))}))
    if job.waiting_parts:
        warnings.append(AssignWarning("parts", _("Parts for this job have not arrived yet.")))
    return warnings


def _lock_job(job_line: JobLine | int) -> JobLine:
    """The RO locked first (the order every RO service locks in), then the job with what the checks read."""
    pk = getattr(job_line, "pk", job_line)
    ro_id = JobLine.objects.filter(pk=pk).values_list("repair_order_id", flat=True).first()
    if ro_id is None:
        raise ApplicationError(_("This job no longer exists."), code="not_found")
    repair_order = lock_repair_order(ro_id, version=None)
    part_lines = PartLine.objects.select_related("shortage")
    job = (JobLine.objects.select_for_update(of=("self",)).select_related("operation", "technician__profile")
           .prefetch_related(Prefetch("part_lines", queryset=part_lines)).get(pk=pk))
    job.repair_order = repair_order
    return job


def _check_dispatchable(job: JobLine, repair_order) -> None:
    if repair_order.state not in DISPATCHABLE_RO_STATES:
        raise ApplicationError(
            _("Repair order %(number)s is %(state)s; its jobs are not dispatched any more.")
            % {"number": repair_order.number, "state": repair_order.get_state_display()}, code="illegal_transition")
    refusals = {
        JobState.PROPOSED: _("The customer has not approved this job yet; it cannot be dispatched."),
        JobState.PENDING_DIAGNOSIS: _("This job waits for the diagnosis and the customer's answer; "
                                      "it cannot be dispatched yet."),
        JobState.DECLINED: _("The customer declined this job; it is on the recommendations list."),
        JobState.DONE: _("This job is finished."),
        JobState.PASSED: _("This job is finished and passed QC."),
    }
    if job.state in refusals:
        raise ApplicationError(refusals[job.state], code="illegal_transition")
    if job.state in (JobState.IN_PROGRESS, JobState.PAUSED):
        raise ApplicationError(
            _("%(name)s has started this job; a started job stays with its technician.")
            % {"name": who(job.technician) or _("A technician")}, code="illegal_transition")


def _check_not_moved(job: JobLine, expected_technician_id, site) -> None:
    """Compare-and-set on the technician the board showed: a stale drag never overwrites another's move."""
    if expected_technician_id is ...:
        return
    expected = int(expected_technician_id) if expected_technician_id not in (None, "") else None
    if job.technician_id == expected:
        return
    last = (JobLineEvent.objects.filter(job_line=job).select_related("actor__profile").order_by("-at", "-pk")
            .first())
    when = timezone.localtime(last.at, zoneinfo.ZoneInfo(site.time_zone)).strftime("%H:%M") if last else ""
    holder = who(job.technician) if job.technician_id else _("the queue")
    raise ApplicationError(
        _("%(who)s moved this job to %(holder)s at %(when)s; the board is refreshed, move it again if needed.")
        % {"who": who(last.actor) if last and last.actor_id else _("Somebody"), "holder": holder, "when": when},
        code="stale")


def _technician_profile(site, technician) -> TechnicianProfile:
    profile = (TechnicianProfile.objects.select_related("user__profile")
               .filter(site=site, user_id=getattr(technician, "pk", None), active=True, user__is_active=True)
               .first())
    if profile is None:
        raise ApplicationError(_("Choose a technician of this workshop."), field="technician")
    return profile


def _attended_hours_today(site, user_id: int) -> Decimal:
    today = site_today(site)
    shifts = TechnicianShift.objects.filter(site=site, technician_id=user_id, weekday=today.weekday())
    absences = TechnicianAbsence.objects.filter(site=site, technician_id=user_id, day=today)
    return technician_hours(list(shifts), list(absences), today)


def _place_in_queue(job: JobLine, position: int | None) -> None:
    """The job at `position` (0 first; None: last) of its technician's not-started jobs, renumbered 0, 1, ..."""
    queue = [other for other in JobLine.objects.filter(technician_id=job.technician_id, state=JobState.ASSIGNED)
             .exclude(pk=job.pk).order_by("queue_position", "pk").only("pk", "queue_position")]
    position = len(queue) if position is None else max(0, min(int(position), len(queue)))
    queue.insert(position, job)
    changed = []
    for index, other in enumerate(queue):
        if other.queue_position != index or other.pk == job.pk:
            other.queue_position = index
            changed.append(other)
    JobLine.objects.bulk_update(changed, ["queue_position"])
