"""What every appointment service shares: the row lock with its version check, the event row, and
the day's capacity lock."""

from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError, StaleVersion

from ..models import Appointment, AppointmentEvent, DayCapacity


def who(user) -> str:
    if user is None:
        return ""
    return getattr(getattr(user, "profile", None), "display_name", "") or user.get_username()


def lock_appointment(appointment: Appointment, *, version: int | None = None) -> Appointment:
    """The row, locked until commit; a stale version is refused with who changed it and when."""
    try:
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk, site_id=appointment.site_id)
    except Appointment.DoesNotExist:
        raise ApplicationError(_("This appointment no longer exists."), code="not_found") from None
    if version is not None and locked.version != version:
        raise StaleVersion(changed_by=who(locked.updated_by),
                           changed_at=timezone.localtime(locked.updated_at).strftime("%Y-%m-%d %H:%M"))
    return locked


def save_versioned(appointment: Appointment, actor, fields: list[str]) -> None:
    appointment.version += 1
    appointment.updated_by = actor
    appointment.save(update_fields=[*fields, "version", "updated_by", "updated_at"])


def record_event(appointment: Appointment, *, kind: str, actor=None, from_status: str = "", to_status: str = "",
                 **data) -> AppointmentEvent:
    return AppointmentEvent.objects.create(appointment=appointment, kind=kind, actor=actor, from_status=from_status,
                                           to_status=to_status, data=data, at=timezone.now())


def lock_day(site, day) -> DayCapacity:
    """Create the site's row for `day` if missing and lock it: bookings of one day queue here, so the
    capacity each one reads cannot change before it commits."""
    DayCapacity.objects.bulk_create([DayCapacity(site=site, day=day)], ignore_conflicts=True)
    return DayCapacity.objects.select_for_update().get(site=site, day=day)
