"""Quality control (质检, DESIGN.md §4): the RO moves to quality check once every authorised job is finished;
an inspector who did not work on the jobs answers the checklist and passes them (the RO waits in quality
check for handover's pre-delivery check, which makes it ready) or fails some with reasons (they go back to
their technician as rework, counted, and the RO is in progress again)."""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from repair_orders.models import JobLine, RepairOrder
from repair_orders.services.additional import ro_url
from repair_orders.services.common import lock_repair_order, move_job, move_ro, ro_event, save_changes, who
from repair_orders.workflow import AUTHORISED_JOB_STATES, JobState, ROState
from servicedesk.core.errors import ApplicationError
from servicedesk.core.notifications import notify

from ..models import Inspection, InspectionAnswer
from ..selectors.qc import CheckSection, checklist_for, technicians_of

FINISHED_JOB_STATES = frozenset({JobState.DONE, JobState.PASSED})
MAX_ROAD_TEST_KM = 1000
MAX_REMARK = 200


@transaction.atomic
def repair_order_to_quality_check_if_done(*, repair_order: RepairOrder, actor) -> bool:
    """Called when a job is finished: once every authorised job is done (or passed) the RO waits for QC.
    Calling it again, or while work remains, changes nothing; returns whether the RO moved."""
    locked = lock_repair_order(repair_order, version=None)
    if locked.state != ROState.IN_PROGRESS:
        return False
    states = list(JobLine.objects.filter(repair_order=locked, state__in=AUTHORISED_JOB_STATES)
                  .values_list("state", flat=True))
    if not states or not set(states) <= FINISHED_JOB_STATES:
        return False
    move_ro(locked, ROState.QUALITY_CHECK, actor, kind="quality_check")
    _refresh(repair_order, locked)
    return True


@transaction.atomic
def qc_record(*, repair_order: RepairOrder, inspector, passed: bool, answers: Iterable[Mapping],
              failed_jobs: Mapping[int, str] | None = None, road_test_done: bool = False,
              road_test_km: int | None = None, notes: str = "", version: int | None = None) -> Inspection:
    """Record an inspection of the RO's finished jobs. `answers`: one {job (None: the whole RO), check
    (ChecklistItem id), ok, remark} per check of the RO's checklist. A pass needs every check OK; a fail
    names the jobs sent back in `failed_jobs` {job id: reason}."""
    locked = lock_repair_order(repair_order, version=version)
    if locked.state != ROState.QUALITY_CHECK:
        raise ApplicationError(
            _("Repair order %(number)s is %(state)s; only a repair order waiting for quality check is inspected.")
            % {"number": locked.number, "state": locked.get_state_display()}, code="illegal_transition")
    jobs = list(JobLine.objects.select_for_update(of=("self",)).filter(repair_order=locked, state=JobState.DONE)
                .select_related("operation", "technician__profile").order_by("pk"))
    if not jobs:
        raise ApplicationError(_("Quality check of %(number)s has already passed; the pre-delivery check comes "
                                 "next.") % {"number": locked.number}, code="conflict")
    _refuse_own_work(jobs, inspector)
    rows = _answer_rows(checklist_for(jobs), answers)
    road_test_km = _road_test(road_test_done, road_test_km)
    sent_back = _sent_back(jobs, failed_jobs or {}, passed=passed)
    if passed and any(not row.ok for row in rows):
        raise ApplicationError(_("A check is marked not OK: fail the inspection and send the job back, or "
                                 "correct the answer."), field="answers")
    inspection = Inspection.objects.create(
        repair_order=locked, inspector=inspector, road_test_done=road_test_done, road_test_km=road_test_km,
        notes=(notes or "").strip()[:2000], result=Inspection.Result.PASSED if passed else Inspection.Result.FAILED)
    for row in rows:
        row.inspection = inspection
    InspectionAnswer.objects.bulk_create(rows)
    if passed:
        for job in jobs:
            move_job(job, JobState.PASSED, inspector, inspection=inspection.pk)
        save_changes(locked, inspector)
        ro_event(locked, "qc_passed", inspector, inspection=inspection.pk, road_test_km=road_test_km)
    else:
        _send_back(locked, sent_back, inspection, inspector)
    _refresh(repair_order, locked)
    return inspection


def _refuse_own_work(jobs: list[JobLine], inspector) -> None:
    workers = technicians_of(jobs)
    for job in jobs:
        if inspector.pk in workers[job.pk]:
            raise ApplicationError(
                _("You worked on “%(job)s”: a technician does not inspect their own work. Ask another inspector.")
                % {"job": job.description}, code="own_work")


def _answer_rows(sections: list[CheckSection], answers: Iterable[Mapping]) -> list[InspectionAnswer]:
    """One unsaved answer row per check of the checklist; every check answered, nothing else."""
    expected = {(section.job_id, item.pk): (section.job, item) for section in sections for item in section.items}
    rows: dict[tuple, InspectionAnswer] = {}
    for answer in answers:
        key = (_optional_id(answer.get("job")), _optional_id(answer.get("check")))
        if key not in expected or key in rows:
            raise ApplicationError(_("An answer does not match a check of this repair order's checklist (or "
                                     "answers it twice); reload the page."), field="answers")
        job, item = expected[key]
        rows[key] = InspectionAnswer(job_line=job, check_text=item.text, ok=bool(answer.get("ok")),
                                     remark=str(answer.get("remark") or "").strip()[:MAX_REMARK])
    missing = [item.text for key, (_job, item) in expected.items() if key not in rows]
    if missing:
        raise ApplicationError(_("Answer every check: %(count)d not answered (%(first)s…).")
                               % {"count": len(missing), "first": missing[0]}, field="answers")
    return [rows[key] for key in expected]


def _optional_id(value) -> int | None:
    if value in (None, "", 0, "0"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApplicationError(_("An answer names a job or check that does not exist; reload the page."),
                               field="answers") from None


def _road_test(done: bool, km) -> int | None:
    if km in (None, ""):
        return None
    if not done:
        raise ApplicationError(_("Tick the road test before giving its distance."), field="road_test_km")
    try:
        km = int(km)
    except (TypeError, ValueError):
        km = -1
    if not 0 <= km <= MAX_ROAD_TEST_KM:
        raise ApplicationError(_("A road test is between 0 and %(max)d km.") % {"max": MAX_ROAD_TEST_KM},
                               field="road_test_km")
    return km


def _sent_back(jobs: list[JobLine], failed_jobs: Mapping[int, str], *, passed: bool) -> list[tuple[JobLine, str]]:
    """The failed jobs with their reasons, checked: jobs of this inspection, each with a reason."""
    if passed:
        if failed_jobs:
            raise ApplicationError(_("A passed inspection sends no job back."), field="failed_jobs")
        return []
    if not failed_jobs:
        raise ApplicationError(_("Choose the job that failed and say why."), field="failed_jobs")
    by_id = {job.pk: job for job in jobs}
    result = []
    for job_id, reason in failed_jobs.items():
        job = by_id.get(_optional_id(job_id))
        if job is None:
            raise ApplicationError(_("A failed job is not waiting for this inspection; reload the page."),
                                   code="conflict", field="failed_jobs")
        reason = str(reason or "").strip()
        if not reason:
            raise ApplicationError(_("Say why “%(job)s” failed.") % {"job": job.description}, field="failed_jobs")
        result.append((job, reason[:MAX_REMARK]))
    return result


def _send_back(locked: RepairOrder, sent_back: list[tuple[JobLine, str]], inspection: Inspection, inspector):
    """Failed jobs: done → rework (counted) → assigned to the same technician; the RO is in progress again.
    A job without a technician stays in rework for the foreman to assign."""
    for job, reason in sent_back:
        job.rework_count += 1
        move_job(job, JobState.REWORK, inspector, fields=["rework_count"], reason=reason, inspection=inspection.pk)
        if job.technician_id:
            move_job(job, JobState.ASSIGNED, inspector, reason=reason, rework=job.rework_count)
    move_ro(locked, ROState.IN_PROGRESS, inspector, kind="qc_failed", inspection=inspection.pk,
            failed_jobs=[{"job": job.pk, "description": job.description, "reason": reason}
                         for job, reason in sent_back])
    for job, reason in sent_back:
        if job.technician_id:
            _tell_technician(locked, job, reason, inspector)


def _tell_technician(repair_order: RepairOrder, job: JobLine, reason: str, inspector) -> None:
    # No per-user language yet: the product's language.
    with translation.override(settings.LANGUAGE_CODE):
        text = _("QC by %(who)s sent “%(job)s” on %(number)s (%(plate)s) back to you: %(reason)s") % {
            "who": who(inspector), "job": job.description, "number": repair_order.number,
            "plate": repair_order.vehicle.plate, "reason": reason}
    notify(site=repair_order.site, recipient=job.technician, text=text, url=ro_url(repair_order))


def _refresh(repair_order, locked: RepairOrder) -> None:
    """The caller's object follows the locked row (state, version) so it can be used again."""
    if isinstance(repair_order, RepairOrder) and repair_order is not locked:
        repair_order.state, repair_order.version = locked.state, locked.version
