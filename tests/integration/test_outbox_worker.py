"""The outbox on a real Celery worker (Redis broker, PostgreSQL test database): a message written in a
committed transaction is sent by the worker, and the sweep run by the worker sends what was left queued."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from customers.messaging.services import message_queue
from customers.messaging.tasks import message_send, message_sweep
from customers.models import ContactLog, OutboundMessage
from servicedesk.celery import app
from tests.factories import CustomerFactory

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
CONTEXT = {"plate": "沪A12345", "closes_at": "18:00"}


@pytest.fixture
def real_broker(worker):
    app.conf.task_always_eager = False
    yield worker
    app.conf.task_always_eager = True


def _status(message) -> str:
    return OutboundMessage.objects.get(pk=message.pk).status


def _fail_with_output(worker_process, what: str):
    worker_process.terminate()
    pytest.fail(f"{what}:\n" + (worker_process.communicate(timeout=20)[0] or "")[-3000:])


def test_a_queued_message_reaches_the_worker_and_becomes_sent(real_broker, site, advisor):
    customer = CustomerFactory(site=site)
    with transaction.atomic():
        message = message_queue(site=site, customer=customer, template="ready_for_pickup", context=CONTEXT,
                                actor=advisor)
    if not wait_for(lambda: _status(message) == OutboundMessage.Status.SENT, 60):
        _fail_with_output(real_broker, f"message still {_status(message)} after 60 s")
    assert ContactLog.objects.filter(customer=customer, by=advisor).count() == 1


def test_the_sweep_on_the_worker_sends_a_message_the_broker_missed(real_broker, site):
    customer = CustomerFactory(site=site)
    with mock.patch.object(message_send, "apply_async", side_effect=OperationalError("broker down")):
        with transaction.atomic():
            message = message_queue(site=site, customer=customer, template="ready_for_pickup", context=CONTEXT)
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=2))
    message_sweep.apply_async()
    if not wait_for(lambda: _status(message) == OutboundMessage.Status.SENT, 60):
        _fail_with_output(real_broker, f"message still {_status(message)} after the sweep")
