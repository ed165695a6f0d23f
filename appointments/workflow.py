"""Which appointment state may follow which (DESIGN.md §3 rule 2). Arrival hands over to the repair
order; no-show and cancelled are final."""

from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError

from .models import Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.BOOKED: frozenset({Status.CONFIRMED, Status.ARRIVED, Status.NO_SHOW, Status.CANCELLED}),
    Status.CONFIRMED: frozenset({Status.ARRIVED, Status.NO_SHOW, Status.CANCELLED}),
    Status.ARRIVED: frozenset(),
    Status.NO_SHOW: frozenset(),
    Status.CANCELLED: frozenset(),
}
RESCHEDULABLE = frozenset({Status.BOOKED, Status.CONFIRMED})


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, ())


def check_move(from_status: str, to_status: str) -> None:
    if not can_move(from_status, to_status):
        raise ApplicationError(
            _("This appointment is %(now)s; it cannot become %(next)s.")
            % {"now": Status(from_status).label, "next": Status(to_status).label},
            code="illegal_transition",
        )
