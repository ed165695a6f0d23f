"""Beat's scans of the workshop (schedule in settings.CELERY_BEAT_SCHEDULE); each is idempotent."""

from celery import shared_task

from servicedesk.core.tasks import BaseTask

from .services import clocking


@shared_task(base=BaseTask)
def close_forgotten_entries() -> int:
    """Clocks left running after closing time: stopped, flagged for the foreman, jobs paused."""
    return clocking.close_forgotten_entries()
