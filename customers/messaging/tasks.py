"""Sending the outbox: one task per message (after commit, retried with back-off) and the periodic sweep.
customers/tasks.py imports these so the worker registers them."""

import logging

from celery import shared_task
from django.conf import settings
from kombu.exceptions import OperationalError

from servicedesk.core.tasks import BaseTask

from .services import message_deliver, messages_requeue_stale

logger = logging.getLogger("customers.messaging")


def enqueue(message_id: int, *, countdown: int | None = None) -> bool:
    """Hand the message to the broker now (True when it took it). When the broker is down the row stays
    queued and the sweep sends it later, so a request that wrote a message never fails after its commit."""
    try:
        message_send.apply_async((message_id,), countdown=countdown)
    except (OperationalError, OSError) as error:
        logger.warning("message %s not enqueued (%s); the sweep will send it", message_id, error)
        return False
    return True


def enqueue_many(message_ids: list[int]) -> None:
    """After a commit that queued several messages (a scan's batch): one task each. The first refusal of the
    broker stops the loop (no waiting on a dead broker once per message): the sweep sends the rest."""
    for message_id in message_ids:
        if not enqueue(message_id):
            return


@shared_task(base=BaseTask, soft_time_limit=settings.MESSAGING_SEND_SOFT_TIME_LIMIT,
             time_limit=settings.MESSAGING_SEND_TIME_LIMIT)
def message_send(message_id: int) -> None:
    """Send message `message_id` once; a sent message, or one another worker holds, is left alone.
    A failed attempt is tried again after the back-off (a short countdown, well inside the broker's
    visibility timeout), until MESSAGING_MAX_ATTEMPTS."""
    retry_in = message_deliver(message_id=message_id)
    if retry_in is not None:
        enqueue(message_id, countdown=retry_in)


@shared_task(base=BaseTask)
def message_sweep() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): enqueue the messages left queued."""
    ids = messages_requeue_stale()
    for message_id in ids:
        enqueue(message_id)
    return len(ids)
