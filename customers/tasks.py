"""Background work of the customer archive."""

from celery import shared_task

from servicedesk.core.tasks import BaseTask

from .messaging.tasks import message_send, message_sweep  # noqa: F401  (so the worker registers them)


# A 50,000-row file takes minutes, not the default two.
@shared_task(base=BaseTask, soft_time_limit=30 * 60, time_limit=32 * 60)
def import_run(job_id: int) -> None:
    """Check or import the file of ImportJob `job_id`; a job already finished is not run again."""
    from .importing.runner import run_job

    run_job(job_id)



@shared_task(base=BaseTask, soft_time_limit=30 * 60, time_limit=32 * 60)
def service_due_refresh(site_id: int | None = None) -> int:
    """Recompute the vehicles' reminder day of one site (every site when None) after a maintenance schedule
    changed; idempotent (it recomputes from the readings and the schedule), committed per batch."""
    from django.db import transaction

    from .service_due import service_due_refresh_all

    return service_due_refresh_all(site_id=site_id, atomic=transaction.atomic)
