"""Reads of the calls screens and API: the queues, one call with what the agent needs on the phone, complaints
and comeback reports. Each runs a fixed number of queries whatever the list holds (DESIGN.md §3 rule 9)."""

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from repair_orders.models import JobLine, RepairOrder

from .models import CallAttempt, Callback, Comeback, Complaint, ComplaintEvent, Question, SurveyAnswer
from .services.people import works_queue

OPEN_CALL = (Callback.Status.OPEN, Callback.Status.CLAIMED)
ACTIVE_COMPLAINT = (Complaint.Status.OPEN, Complaint.Status.REOPENED)
ATTEMPT_FILTERS = ("0", "1", "2+")
_ROW_RELATED = ("customer", "vehicle", "repair_order", "claimed_by__profile", "assignee__profile")


def visible_callbacks(*, site, user) -> QuerySet[Callback]:
    """Customer care and the manager see every call of the site; anybody else the calls assigned to them."""
    callbacks = Callback.objects.filter(site=site)
    return callbacks if works_queue(user) else callbacks.filter(assignee=user)


def callback_queue(*, site, user, kind: str = "", overdue: bool = False, attempts: str = "", mine: bool = False,
                   status: str = "", now=None) -> QuerySet[Callback]:
    """The customer-care queue (unassigned calls still to make), the next to call first: a "call back later"
    time when one was given, else the due time. One query per page (plus the paginator's count)."""
    calls = (Callback.objects.filter(site=site, assignee__isnull=True)
             .select_related(*_ROW_RELATED).annotate(next_at=Coalesce("call_back_at", "due_at")))
    return _filtered(calls, user=user, kind=kind, overdue=overdue, attempts=attempts, mine=mine, status=status,
                     now=now).order_by("next_at", "pk")


def my_calls(*, user, site, status: str = "", now=None) -> QuerySet[Callback]:
    """The calls assigned to `user` (the advisor's 72-hour list), by due time."""
    calls = (Callback.objects.filter(site=site, assignee=user).select_related(*_ROW_RELATED)
             .annotate(next_at=Coalesce("call_back_at", "due_at")))
    return _filtered(calls, user=user, status=status, now=now).order_by("next_at", "pk")


def _filtered(calls, *, user, kind="", overdue=False, attempts="", mine=False, status="", now=None):
    calls = calls.filter(status=status) if status in Callback.Status.values else calls.filter(status__in=OPEN_CALL)
    if kind in Callback.Kind.values:
        calls = calls.filter(kind=kind)
    if overdue:
        calls = calls.filter(due_at__lt=now or timezone.now())
    if attempts == "2+":
        calls = calls.filter(attempts__gte=2)
    elif attempts in ATTEMPT_FILTERS:
        calls = calls.filter(attempts=int(attempts))
    if mine:
        calls = calls.filter(claimed_by=user)
    return calls


def call_detail(*, site, user, pk: int) -> Callback:
    """One call with the customer, vehicle, RO and its jobs, the attempts so far, the survey if taken and the
    complaint a recheck is about: six queries. Raises Callback.DoesNotExist for a call the user may not see."""
    jobs = Prefetch("repair_order__jobs", JobLine.objects.select_related("operation", "technician__profile")
                    .order_by("pk"))
    attempts = Prefetch("call_attempts", CallAttempt.objects.select_related("agent__profile"))
    answers = Prefetch("survey__answers", SurveyAnswer.objects.select_related("question"))
    return (visible_callbacks(site=site, user=user)
            .select_related("site", "customer", "vehicle", "repair_order__advisor__profile",
                            "complaint__owner__profile", "claimed_by__profile", "assignee__profile", "survey")
            .prefetch_related(jobs, attempts, answers)
            .get(pk=pk))


def survey_questions() -> list[Question]:
    return list(Question.objects.filter(active=True).order_by("position", "pk"))


def visible_complaints(*, site, user) -> QuerySet[Complaint]:
    """Owners see the complaints they own; customer care and the manager see all of the site's."""
    complaints = Complaint.objects.filter(site=site)
    return complaints if works_queue(user) else complaints.filter(owner=user)


def complaint_list(*, site, user, status: str = "", department: str = "", overdue: bool = False,
                   now=None) -> QuerySet[Complaint]:
    """Complaints to act on first (nearest deadline); `status` "" means the ones still open. One query a page."""
    complaints = visible_complaints(site=site, user=user).select_related(
        "customer", "repair_order__vehicle", "owner__profile")
    if status == "all":
        pass
    elif status in Complaint.Status.values:
        complaints = complaints.filter(status=status)
    else:
        complaints = complaints.filter(status__in=ACTIVE_COMPLAINT)
    if department:
        complaints = complaints.filter(department=department)
    if overdue:
        complaints = complaints.filter(status__in=ACTIVE_COMPLAINT, deadline__lt=now or timezone.now())
    return complaints.order_by("deadline", "pk")


def complaint_detail(*, site, user, pk: int) -> Complaint:
    """A complaint with its history, its recheck calls and the survey it came from: five queries."""
    return (visible_complaints(site=site, user=user)
            .select_related("site", "customer", "repair_order__vehicle", "owner__profile", "created_by__profile",
                            "survey")
            .prefetch_related(Prefetch("events", ComplaintEvent.objects.select_related("actor__profile")),
                              Prefetch("callbacks", Callback.objects.order_by("due_at", "pk")),
                              Prefetch("survey__answers", SurveyAnswer.objects.select_related("question")))
            .get(pk=pk))


def comeback_list(*, site, status: str = "") -> QuerySet[Comeback]:
    """Comeback reports, newest first, with the comeback RO opened for each since (if any). One query a page."""
    returned = (RepairOrder.objects.filter(comeback_of=OuterRef("repair_order"), ro_type=RepairOrder.Type.COMEBACK)
                .order_by("-created_at", "-pk"))
    comebacks = (Comeback.objects.filter(site=site)
                 .select_related("repair_order__advisor__profile", "vehicle__owner", "created_by__profile", "survey")
                 .annotate(returned_pk=Subquery(returned.values("pk")[:1]),
                           returned_number=Subquery(returned.values("number")[:1]),
                           delivered_at=F("repair_order__delivered_at")))
    if status in Comeback.Status.values:
        comebacks = comebacks.filter(status=status)
    return comebacks.order_by("-created_at", "-pk")
