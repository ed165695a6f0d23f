"""One guarded service per state change: lock the row, check the move against the workflow, write
the event in the same transaction."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.models import Channel as ContactChannel
from customers.services import contact_log_add
from servicedesk.core.errors import ApplicationError

from ..capacity import site_zone
from ..models import Appointment, AppointmentEvent, Status
from ..workflow import check_move
from .common import lock_appointment, record_event, save_versioned


def _move(locked: Appointment, *, to: str, kind: str, actor, fields=(), **data) -> Appointment:
    check_move(locked.status, to)
    from_status, locked.status = locked.status, to
    save_versioned(locked, actor, ["status", *fields])
    record_event(locked, kind=kind, actor=actor, from_status=from_status, to_status=to, **data)
    return locked


@transaction.atomic
def appointment_confirm(*, appointment: Appointment, actor, via: str = "", version: int | None = None) -> Appointment:
    """The customer confirmed (by phone, on the signed link, at the call)."""
    locked = lock_appointment(appointment, version=version)
    return _move(locked, to=Status.CONFIRMED, kind=AppointmentEvent.Kind.CONFIRMED, actor=actor, via=via)


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor, reason: str, version: int | None = None) -> Appointment:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the appointment is cancelled."), field="reason", code="required")
    locked = lock_appointment(appointment, version=version)
    locked.cancel_reason = reason[:200]
    return _move(locked, to=Status.CANCELLED, kind=AppointmentEvent.Kind.CANCELLED, actor=actor,
                 fields=["cancel_reason"], reason=reason[:200])


def mark_no_show(locked: Appointment, *, actor) -> Appointment:
    """On a locked row: the customer did not come; their contact log shows it."""
    _move(locked, to=Status.NO_SHOW, kind=AppointmentEvent.Kind.NO_SHOW, actor=actor)
    if locked.customer_id:
        local = timezone.localtime(locked.start, timezone=site_zone(locked.site))
        # Stored text of the archive: in the site's language, not the acting user's.
        with translation.override(settings.LANGUAGE_CODE):
            contact_log_add(site=locked.site, customer=locked.customer, vehicle=locked.vehicle,
                            channel=ContactChannel.VISIT, reason=_("Missed appointment"), actor=actor,
                            outcome=_("Did not come to the appointment of %(time)s.")
                            % {"time": local.strftime("%Y-%m-%d %H:%M")})
    return locked


@transaction.atomic
def appointment_mark_no_show(*, appointment: Appointment, actor, version: int | None = None) -> Appointment:
    return mark_no_show(lock_appointment(appointment, version=version), actor=actor)


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, actor, version: int | None = None) -> Appointment:
    """The customer has arrived: booked or confirmed → arrived, with the time and how late or early.
    The repair order is opened by the reception capability (repair_orders), which calls this to mark
    the arrival and then carries the appointment's customer, vehicle, concern and services over."""
    locked = lock_appointment(appointment, version=version)
    now = timezone.now()
    locked.arrived_at = now
    late_minutes = int((now - locked.start).total_seconds() // 60)
    return _move(locked, to=Status.ARRIVED, kind=AppointmentEvent.Kind.ARRIVED, actor=actor, fields=["arrived_at"],
                 late_minutes=late_minutes)
