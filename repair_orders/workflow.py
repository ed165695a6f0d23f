"""The repair order's state machine (DESIGN.md §4): the one place that says which states exist and which
may follow which, for the repair order and for its job lines. Services check every change here."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.core.errors import ApplicationError


class ROState(models.TextChoices):
    CHECKED_IN = "checked_in", gettext_lazy("Checked in")
    AWAITING_APPROVAL = "awaiting_approval", gettext_lazy("Awaiting approval")
    APPROVED = "approved", gettext_lazy("Approved")
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    QUALITY_CHECK = "quality_check", gettext_lazy("Quality check")
    READY = "ready", gettext_lazy("Ready")
    INVOICED = "invoiced", gettext_lazy("Invoiced")
    DELIVERED = "delivered", gettext_lazy("Delivered")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


class JobState(models.TextChoices):
    PROPOSED = "proposed", gettext_lazy("Proposed")
    APPROVED = "approved", gettext_lazy("Approved")
    DECLINED = "declined", gettext_lazy("Declined")
    PENDING_DIAGNOSIS = "pending_diagnosis", gettext_lazy("Pending diagnosis")
    ASSIGNED = "assigned", gettext_lazy("Assigned")
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    PAUSED = "paused", gettext_lazy("Paused")
    DONE = "done", gettext_lazy("Done")
    PASSED = "passed", gettext_lazy("QC passed")
    REWORK = "rework", gettext_lazy("Rework")


RO = ROState
RO_TRANSITIONS: dict[str, frozenset[str]] = {
    RO.CHECKED_IN: frozenset({RO.AWAITING_APPROVAL, RO.CANCELLED}),
    # READY: the customer declined everything; only the diagnostic fee is billed.
    RO.AWAITING_APPROVAL: frozenset({RO.APPROVED, RO.READY, RO.CANCELLED}),
    RO.APPROVED: frozenset({RO.IN_PROGRESS, RO.CANCELLED}),
    RO.IN_PROGRESS: frozenset({RO.QUALITY_CHECK}),
    RO.QUALITY_CHECK: frozenset({RO.READY, RO.IN_PROGRESS}),  # QC failed → rework
    RO.READY: frozenset({RO.INVOICED}),
    RO.INVOICED: frozenset({RO.DELIVERED}),
    RO.DELIVERED: frozenset(),
    RO.CANCELLED: frozenset(),
}

JOB = JobState
JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    JOB.PROPOSED: frozenset({JOB.APPROVED, JOB.DECLINED, JOB.PENDING_DIAGNOSIS}),
    # Once diagnosed, the customer is told the exact plan and price and answers then.
    JOB.PENDING_DIAGNOSIS: frozenset({JOB.APPROVED, JOB.DECLINED}),
    JOB.APPROVED: frozenset({JOB.ASSIGNED}),
    # APPROVED: the foreman puts a job nobody has started back in the dispatch queue (workshop.services.dispatch).
    JOB.ASSIGNED: frozenset({JOB.IN_PROGRESS, JOB.APPROVED}),
    JOB.IN_PROGRESS: frozenset({JOB.PAUSED, JOB.DONE}),
    JOB.PAUSED: frozenset({JOB.IN_PROGRESS}),
    JOB.DONE: frozenset({JOB.PASSED, JOB.REWORK}),
    JOB.REWORK: frozenset({JOB.ASSIGNED}),
    JOB.DECLINED: frozenset(),
    JOB.PASSED: frozenset(),
}

# The car is still with us: its key tag is taken and it shows on the front-desk board.
OPEN_RO_STATES = frozenset(set(RO) - {RO.DELIVERED, RO.CANCELLED})
# The check-in sheet and the estimate may change until the customer signs the work order.
EDITABLE_RO_STATES = frozenset({RO.CHECKED_IN, RO.AWAITING_APPROVAL})
# After the signature, new lines are extra work found during repair (追加项目).
ADDITIONAL_WORK_RO_STATES = frozenset({RO.APPROVED, RO.IN_PROGRESS})
# Lines the customer authorised: they are dispatched, and they are billed at their full price.
AUTHORISED_JOB_STATES = frozenset({JOB.APPROVED, JOB.ASSIGNED, JOB.IN_PROGRESS, JOB.PAUSED, JOB.DONE, JOB.PASSED,
                                   JOB.REWORK})
# Lines whose work is not done: declined, or waiting for the diagnosis; only their diagnostic fee is billed.
FEE_ONLY_JOB_STATES = frozenset({JOB.DECLINED, JOB.PENDING_DIAGNOSIS})


def can_move_ro(from_state: str, to_state: str) -> bool:
    return to_state in RO_TRANSITIONS.get(from_state, ())


def can_move_job(from_state: str, to_state: str) -> bool:
    return to_state in JOB_TRANSITIONS.get(from_state, ())


def check_ro_transition(from_state: str, to_state: str) -> None:
    if not can_move_ro(from_state, to_state):
        raise _illegal(_("This repair order is %(now)s; it cannot become %(next)s."), ROState, from_state, to_state)


def check_job_transition(from_state: str, to_state: str) -> None:
    if not can_move_job(from_state, to_state):
        raise _illegal(_("This job is %(now)s; it cannot become %(next)s."), JobState, from_state, to_state)


def _illegal(message: str, states, from_state: str, to_state: str) -> ApplicationError:
    return ApplicationError(message % {"now": states(from_state).label, "next": states(to_state).label},
                            code="illegal_transition")
