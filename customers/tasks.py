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

