"""Beat's scans of the follow-ups (schedule in settings.CELERY_BEAT_SCHEDULE): thin wrappers, each safe to
run twice or twice at once. `as_of` (ISO time) lets an operator or a test run a scan for another moment."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from servicedesk.core.tasks import BaseTask

from .services import reminders, scans


def _moment(as_of: str | None) -> datetime:
    return datetime.fromisoformat(as_of) if as_of else timezone.now()


@shared_task(base=BaseTask)
def create_due_callbacks(as_of: str | None = None) -> int:
    return scans.callbacks_create_due(as_of=_moment(as_of))


@shared_task(base=BaseTask)
def create_monthly_contacts(as_of: str | None = None) -> int:
    return scans.monthly_contacts_create(as_of=_moment(as_of))


@shared_task(base=BaseTask)
def mark_lost_vehicles(as_of: str | None = None) -> int:
    return scans.lost_vehicles_mark(as_of=_moment(as_of))


@shared_task(base=BaseTask)
def mark_won_back(as_of: str | None = None) -> int:
    return scans.lost_vehicles_won_back(as_of=_moment(as_of))


@shared_task(base=BaseTask)
def escalate_overdue(as_of: str | None = None) -> int:
    return scans.escalate_overdue(as_of=_moment(as_of))


@shared_task(base=BaseTask)
def send_maintenance_reminders(as_of: str | None = None) -> int:
    return reminders.maintenance_reminders_send(as_of=_moment(as_of))


@shared_task(base=BaseTask)
def send_first_service_reminders(as_of: str | None = None) -> int:
    return reminders.first_service_reminders_send(as_of=_moment(as_of))


@shared_task(base=BaseTask)
def create_reminder_calls(as_of: str | None = None) -> int:
    return reminders.reminder_calls_create(as_of=_moment(as_of))


@shared_task(base=BaseTask)
def mark_converted_reminders(as_of: str | None = None) -> int:
    return reminders.reminders_mark_converted(as_of=_moment(as_of))
