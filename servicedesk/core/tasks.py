from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone


class BaseTask(Task):
    """Late acks, requeue when the worker dies, time limits; `delay` enqueues after commit so a
    worker never looks for a row the web request has not committed yet (DESIGN.md §3 rule 4)."""

    acks_late = True
    reject_on_worker_lost = True
    soft_time_limit = 120
    time_limit = 180

    def delay(self, *args, **kwargs):
        transaction.on_commit(lambda: self.apply_async(args, kwargs))


@shared_task
def beat_heartbeat() -> None:
    """Run by beat every minute; /readyz reports how long ago it last ran."""
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name="beat", defaults={"last_seen": timezone.now()})
