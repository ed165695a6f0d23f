"""Beat's scans of the booking app (schedule in settings.CELERY_BEAT_SCHEDULE); each is idempotent."""

from celery import shared_task

from servicedesk.core.tasks import BaseTask

from . import services


@shared_task(base=BaseTask)
def send_confirmations() -> int:
    return services.send_confirmations()


@shared_task(base=BaseTask)
def create_confirmation_calls() -> int:
    return services.create_confirmation_calls()


@shared_task(base=BaseTask)
def mark_no_shows() -> int:
    return services.mark_no_shows()
