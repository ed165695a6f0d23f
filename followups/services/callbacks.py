"""Working a callback (回访, DESIGN.md §5): claim it (one agent at a time), record attempts (no answer, busy,
wrong number, call back later), complete it with the survey, or release it. Each change locks the row,
writes a CallbackEvent, and each contact with the customer lands in their contact log."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Channel, ContactLog
from servicedesk.core.errors import ApplicationError

from ..models import CallAttempt, Callback, CallbackEvent, Question, Survey, SurveyAnswer
from ..rules import followup_settings
from ..survey_defaults import OVERALL_CODE
from . import comebacks, complaints
from .people import local_text, lock_versioned, who, works_queue
from .survey_rollup import survey_rollup_add

Status = Callback.Status
Outcome = CallAttempt.Outcome
# Attempts that did not reach the customer count towards the site's limit; "call back later" reached them.
FAILED_OUTCOMES = (Outcome.NO_ANSWER, Outcome.BUSY, Outcome.WRONG_NUMBER)
ATTEMPT_OUTCOMES = (*FAILED_OUTCOMES, Outcome.CALL_BACK_LATER)
# The calls whose completion needs the overall score (the survey is the point of the call).
SURVEY_KINDS = (Callback.Kind.CSI_3DAY, Callback.Kind.COMPLAINT_RECHECK)


def lock_callback(callback: Callback | int, *, version: int | None = None) -> Callback:
    return lock_versioned(Callback.objects.select_related("customer"), getattr(callback, "pk", callback),
                          version=version, missing=_("This callback no longer exists."))


def callback_event(callback: Callback, kind: str, actor, *, from_status: str, **data) -> CallbackEvent:
    return CallbackEvent.objects.create(callback=callback, kind=kind, actor=actor, from_status=from_status,
                                        to_status=callback.status, data=data)


def check_may_work(callback: Callback, actor) -> None:
    """Customer care and the manager work any call; anybody else only the calls assigned to them."""
    if callback.assignee_id != actor.pk and not works_queue(actor):
        raise ApplicationError(_("This call is not assigned to you."), code="forbidden")


def _take(callback: Callback, actor) -> None:
    """Refuse a call that is finished or being worked by somebody else; claim an open one for `actor`."""
    check_may_work(callback, actor)
    if not callback.is_open:
        raise ApplicationError(_("This call is %(status)s already; nothing more can be recorded on it.")
                               % {"status": callback.get_status_display()}, code="illegal_transition")
    if callback.status == Status.CLAIMED and callback.claimed_by_id != actor.pk:
        raise ApplicationError(
            _("Claimed by %(who)s at %(when)s. Pick another call, or ask them to release it.")
            % {"who": who(callback.claimed_by), "when": local_text(callback.site, callback.claimed_at)},
            code="locked")
    if callback.status == Status.OPEN:
        callback.status, callback.claimed_by, callback.claimed_at = Status.CLAIMED, actor, timezone.now()


def _save(callback: Callback, *fields: str) -> None:
    callback.version += 1
    callback.save(update_fields=[*fields, "version"])


def _contact(callback: Callback, actor, outcome: str) -> ContactLog:
    return ContactLog.objects.create(site=callback.site, customer=callback.customer, vehicle_id=callback.vehicle_id,
                                     channel=Channel.PHONE, reason=callback.get_kind_display()[:100],
                                     outcome=outcome[:200], by=actor, at=timezone.now())


@transaction.atomic
def callback_claim(*, callback: Callback, actor) -> Callback:
    """Lock the call for `actor`; claiming it again is harmless, somebody else's claim is refused by name."""
    locked = lock_callback(callback)
    before = locked.status
    _take(locked, actor)
    if before == Status.OPEN:
        _save(locked, "status", "claimed_by", "claimed_at")
        callback_event(locked, "claimed", actor, from_status=before)
    return locked


@transaction.atomic
def callback_release(*, callback: Callback, actor) -> Callback:
    """Give a claimed call back to the queue (the agent's own claim, or any claim for the service manager)."""
    locked = lock_callback(callback)
    if locked.status != Status.CLAIMED:
        raise ApplicationError(_("This call is not claimed."), code="illegal_transition")
    if locked.claimed_by_id != actor.pk and not works_queue(actor):
        raise ApplicationError(_("Only the agent who claimed this call can release it."), code="forbidden")
    claimed_by = locked.claimed_by_id
    locked.status, locked.claimed_by, locked.claimed_at = Status.OPEN, None, None
    _save(locked, "status", "claimed_by", "claimed_at")
    callback_event(locked, "released", actor, from_status=Status.CLAIMED, claimed_by=claimed_by)
    return locked


@transaction.atomic
def callback_attempt(*, callback: Callback, actor, outcome: str, call_back_at: datetime | None = None,
                     note: str = "", version: int | None = None) -> Callback:
    """An attempt that did not get the survey done. The call goes back to the queue (so the next try can be
    anybody's), at `call_back_at` when given; a wrong number, or the site's attempt limit of failed tries,
    makes it unreachable."""
    if outcome not in ATTEMPT_OUTCOMES:
        raise ApplicationError(_("Choose what happened on the call."), field="outcome")
    now = timezone.now()
    if outcome == Outcome.CALL_BACK_LATER and (call_back_at is None or call_back_at <= now):
        raise ApplicationError(_("Give the time the customer asked to be called back (in the future)."),
                               field="call_back_at")
    locked = lock_callback(callback, version=version)
    before = locked.status
    _take(locked, actor)
    CallAttempt.objects.create(callback=locked, agent=actor, outcome=outcome, call_back_at=call_back_at,
                               note=note.strip()[:300])
    if outcome in FAILED_OUTCOMES:
        locked.attempts += 1
    limit = followup_settings(locked.site).attempt_limit
    unreachable = outcome == Outcome.WRONG_NUMBER or locked.attempts >= limit
    locked.status = Status.UNREACHABLE if unreachable else Status.OPEN
    locked.claimed_by, locked.claimed_at = None, None
    locked.call_back_at = call_back_at if call_back_at and call_back_at > now else locked.call_back_at
    if unreachable:
        locked.completed_at, locked.completed_by = now, actor
    _save(locked, "status", "claimed_by", "claimed_at", "attempts", "call_back_at", "completed_at", "completed_by")
    callback_event(locked, "attempt", actor, from_status=before, outcome=outcome, attempts=locked.attempts,
                   call_back_at=call_back_at.isoformat() if call_back_at else None)
    label = str(Outcome(outcome).label)
    _contact(locked, actor, f"{label}: {note.strip()}" if note.strip() else label)
    return locked


def _survey_answers(scores: dict[int, int]) -> list[tuple[Question, int]]:
    """The 1–5 answers given, checked against the active score questions (one query)."""
    questions = Question.objects.in_bulk([int(pk) for pk in scores])
    answers = []
    for pk, score in scores.items():
        question = questions.get(int(pk))
        if question is None or not question.active or question.kind != Question.Kind.SCORE:
            raise ApplicationError(_("A question of the survey no longer exists; reload the page."),
                                   field="answers")
        if not 1 <= int(score) <= 5:
            raise ApplicationError(_("Scores go from 1 to 5 (%(question)s).") % {"question": question.text},
                                   field="answers")
        answers.append((question, int(score)))
    return answers


@transaction.atomic
def callback_complete(*, callback: Callback, actor, scores: dict[int, int] | None = None, overall: int | None = None,
                      recommend: int | None = None, verbatim: str = "", complaint_stated: bool = False,
                      fault_back: bool = False, version: int | None = None) -> Callback:
    """The customer was reached: the survey is recorded (answers per question, overall 1–5, recommend 0–10,
    their words), and what it says follows — a low score or a stated complaint opens a complaint (快速处理表),
    "the fault is back" a comeback report; on a recheck (二次回访) the complaint closes or reopens."""
    answers = _survey_answers(scores or {})
    if overall is None:
        overall = next((score for question, score in answers if question.code == OVERALL_CODE), None)
    if overall is not None and not 1 <= overall <= 5:
        raise ApplicationError(_("The overall score goes from 1 to 5."), field="overall")
    if recommend is not None and not 0 <= recommend <= 10:
        raise ApplicationError(_("Would-recommend goes from 0 to 10."), field="recommend")
    locked = lock_callback(callback, version=version)
    before = locked.status
    _take(locked, actor)
    if locked.kind in SURVEY_KINDS and overall is None:
        raise ApplicationError(_("Ask for the overall score before completing this call."), field="overall")
    if fault_back and locked.repair_order_id is None:
        raise ApplicationError(_("This call is not about a repair order, so no fault can be back."),
                               field="fault_back")
    survey = Survey.objects.create(
        site=locked.site, callback=locked, repair_order_id=locked.repair_order_id, overall=overall,
        recommend=recommend, verbatim=verbatim.strip(), complaint_stated=complaint_stated, fault_back=fault_back,
        taken_by=actor)
    SurveyAnswer.objects.bulk_create([SurveyAnswer(survey=survey, question=question, department=question.department,
                                                   score=score) for question, score in answers])
    survey_rollup_add(survey)
    CallAttempt.objects.create(callback=locked, agent=actor, outcome=Outcome.REACHED)
    locked.status, locked.completed_at, locked.completed_by = Status.DONE, timezone.now(), actor
    _save(locked, "status", "completed_at", "completed_by")
    callback_event(locked, "completed", actor, from_status=before, survey=survey.pk, overall=overall,
                   complaint_stated=complaint_stated, fault_back=fault_back)
    _contact(locked, actor, _("Reached; overall %(overall)s. %(words)s")
             % {"overall": overall if overall is not None else "—", "words": verbatim.strip()})
    threshold = followup_settings(locked.site).low_score_threshold
    if locked.kind == Callback.Kind.COMPLAINT_RECHECK and locked.complaint_id:
        unhappy = complaint_stated or (overall is not None and overall <= threshold)
        complaints.complaint_recheck_outcome(complaint=locked.complaint, satisfied=not unhappy, survey=survey,
                                             actor=actor)
    else:
        complaints.complaint_open_from_survey(survey=survey, answers=answers, threshold=threshold, actor=actor)
    if fault_back:
        comebacks.comeback_open(survey=survey, actor=actor)
    return locked
