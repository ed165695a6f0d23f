"""Complaints (快速处理表, DESIGN.md §5): opened from a low score or a complaint stated on a call (or by hand),
owned by the department's person until resolved; resolving schedules the recheck call (二次回访), whose outcome
closes the complaint or reopens it. Every change locks the row and writes a ComplaintEvent."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.core.errors import ApplicationError
from servicedesk.core.notifications import notify

from ..models import Callback, Complaint, ComplaintEvent, Department, Survey
from ..rules import followup_settings
from ..survey_defaults import CATEGORY_OF_QUESTION
from .people import default_owner, local_text, lock_versioned, works_queue

Status = Complaint.Status
OPEN_STATUSES = (Status.OPEN, Status.REOPENED)


def recheck_key(complaint: Complaint, n: int) -> str:
    return f"complaint:{complaint.pk}:recheck:{n}"


def lock_complaint(complaint: Complaint | int, *, version: int | None = None) -> Complaint:
    return lock_versioned(Complaint.objects.all(), getattr(complaint, "pk", complaint), version=version,
                          missing=_("This complaint no longer exists."))


def complaint_event(complaint: Complaint, kind: str, actor, *, from_status: str = "", **data) -> ComplaintEvent:
    return ComplaintEvent.objects.create(complaint=complaint, kind=kind, actor=actor, from_status=from_status,
                                         to_status=complaint.status, data=data)


def _save(complaint: Complaint, *fields: str) -> None:
    complaint.version += 1
    complaint.save(update_fields=[*fields, "version"])


NEW_COMPLAINT = gettext_lazy("A complaint for you to resolve by %(deadline)s: %(text)s")
REOPENED = gettext_lazy("The customer is still unhappy after the recheck; the complaint is open again: %(text)s")


def _tell_owner(complaint: Complaint, message, text: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):  # stored rendered, in the staff's language
        rendered = str(message) % {"deadline": local_text(complaint.site, complaint.deadline), "text": text[:120]}
    notify(site=complaint.site, recipient=complaint.owner, text=rendered,
           url=reverse("followups:complaint_detail", args=[complaint.pk]))


@transaction.atomic
def complaint_open(*, site, customer, description: str, actor, repair_order=None, survey: Survey | None = None,
                   department: str = Department.OVERALL, category: str = Complaint.Category.OTHER,
                   owner=None) -> Complaint:
    """A complaint for the department's owner (people.default_owner unless `owner` is given), due within the
    site's complaint deadline."""
    if not description.strip():
        raise ApplicationError(_("Write down what the customer complains about."), field="description")
    if department not in Department.values:
        raise ApplicationError(_("Choose the department."), field="department")
    if category not in Complaint.Category.values:
        raise ApplicationError(_("Choose the category."), field="category")
    if customer.site_id != site.pk or (repair_order is not None and repair_order.customer_id != customer.pk):
        raise ApplicationError(_("The repair order is not this customer's."), field="repair_order")
    owner = owner or default_owner(site=site, department=department, repair_order=repair_order) or actor
    hours = followup_settings(site).complaint_deadline_hours
    complaint = Complaint.objects.create(
        site=site, customer=customer, repair_order=repair_order, survey=survey, department=department,
        category=category, owner=owner, deadline=timezone.now() + timedelta(hours=hours),
        description=description.strip(), created_by=actor)
    complaint_event(complaint, "opened", actor, owner=owner.pk, department=department)
    _tell_owner(complaint, NEW_COMPLAINT, complaint.description)
    return complaint


def complaint_open_from_survey(*, survey: Survey, answers, threshold: int, actor) -> Complaint | None:
    """A complaint when an answer or the overall score is at or below the threshold, or the customer stated one:
    the department is the lowest-scoring low question's (the first asked among equals), else "overall"."""
    ordered = sorted(answers, key=lambda pair: (pair[1], pair[0].position, pair[0].pk))
    low = [(question, score) for question, score in ordered if score <= threshold]
    overall_low = survey.overall is not None and survey.overall <= threshold
    if not (low or overall_low or survey.complaint_stated):
        return None
    lowest = low[0][0] if low else None  # no low answer (a stated complaint, a low overall): the manager's
    department = lowest.department if lowest is not None else Department.OVERALL
    category = CATEGORY_OF_QUESTION.get(lowest.code, Complaint.Category.OTHER) if lowest else Complaint.Category.OTHER
    lines = [f"{question.text} {score}/5" for question, score in low]
    if overall_low and not any(q.department == Department.OVERALL for q, _s in low):
        lines.append(_("Overall %(score)s/5") % {"score": survey.overall})
    description = "\n".join([survey.verbatim, *lines]).strip() or _("Complaint stated on the call.")
    callback = survey.callback
    return complaint_open(site=survey.site, customer=callback.customer, repair_order=callback.repair_order,
                          survey=survey, department=department, category=category, description=description,
                          actor=actor)


def check_may_resolve(complaint: Complaint, actor) -> None:
    if complaint.owner_id != actor.pk and not works_queue(actor):
        raise ApplicationError(_("Only the complaint's owner can resolve it."), code="forbidden")


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, resolution: str, actor, version: int | None = None) -> Complaint:
    """Record what was done and schedule the recheck call (二次回访), due `recheck_after_days` later, in the
    customer-care queue; one per resolution (dedupe key complaint:<id>:recheck:<n>)."""
    if not resolution.strip():
        raise ApplicationError(_("Write down what was done for the customer."), field="resolution")
    locked = lock_complaint(complaint, version=version)
    check_may_resolve(locked, actor)
    if locked.status not in OPEN_STATUSES:
        raise ApplicationError(_("This complaint is %(status)s; it cannot be resolved again.")
                               % {"status": locked.get_status_display()}, code="illegal_transition")
    before, now = locked.status, timezone.now()
    n = locked.rechecks + 1
    locked.status, locked.resolution, locked.resolved_at, locked.rechecks = Status.RESOLVED, resolution.strip(), now, n
    _save(locked, "status", "resolution", "resolved_at", "rechecks")
    days = followup_settings(locked.site).recheck_after_days
    repair_order = locked.repair_order
    recheck, _created = Callback.objects.get_or_create(
        site=locked.site, dedupe_key=recheck_key(locked, n),
        defaults={"kind": Callback.Kind.COMPLAINT_RECHECK, "customer_id": locked.customer_id,
                  "vehicle_id": repair_order.vehicle_id if repair_order else None,
                  "repair_order": repair_order, "complaint": locked, "due_at": now + timedelta(days=days)})
    complaint_event(locked, "resolved", actor, from_status=before, resolution=locked.resolution, recheck=recheck.pk)
    return locked


@transaction.atomic
def complaint_recheck_outcome(*, complaint: Complaint, satisfied: bool, survey: Survey, actor) -> Complaint:
    """The recheck call's answer: satisfied closes the complaint; still unhappy reopens it for its owner with
    a new deadline (and lets it escalate again)."""
    locked = lock_complaint(complaint)
    if locked.status != Status.RESOLVED:
        return locked  # reopened or closed by hand meanwhile: the survey stands, the complaint is left alone
    before = locked.status
    if satisfied:
        locked.status, locked.closed_at = Status.CLOSED, timezone.now()
        _save(locked, "status", "closed_at")
        complaint_event(locked, "closed", actor, from_status=before, survey=survey.pk)
        return locked
    hours = followup_settings(locked.site).complaint_deadline_hours
    locked.status, locked.deadline, locked.escalated_at = Status.REOPENED, timezone.now() + timedelta(hours=hours), None
    _save(locked, "status", "deadline", "escalated_at")
    complaint_event(locked, "reopened", actor, from_status=before, survey=survey.pk, verbatim=survey.verbatim)
    _tell_owner(locked, REOPENED, survey.verbatim or locked.description)
    return locked
