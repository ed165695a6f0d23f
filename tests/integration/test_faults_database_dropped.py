"""PostgreSQL restarting under a running worker, as its clients see it: every connection to the database
is cut (pg_terminate_backend) while the worker and its beat are idle (beat keeps its connection; the worker
opens one per task) and again while a message is inside its send. Both recover on their own: beat goes on
firing, the next message goes out at once (not only when the sweep comes round), and the one whose
connection died mid-send is recorded sent, not left "sending" for the sweep to hand over a second time."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from customers.messaging.services import message_queue
from customers.models import ContactLog, OutboundMessage
from servicedesk.core.management.commands.run_scheduled import BY_NAME
from servicedesk.core.models import Heartbeat
from tests.factories import CustomerFactory

from .fault_backend import sends, started
from .faults import elapsed, minutes_on, terminate_other_backends, wait_or_fail

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
CONTEXT = {"plate": "沪A12345", "closes_at": "18:00"}



def _queue(site) -> OutboundMessage:
    with transaction.atomic():
        return message_queue(site=site, customer=CustomerFactory(site=site), template="ready_for_pickup",
                             context=CONTEXT)


def test_the_worker_recovers_from_dropped_database_connections_and_sends_each_message_once(fault_stack, site):
    clock = time.monotonic()
    worker = fault_stack.worker(env={"CONN_MAX_AGE": "60", "FAULT_BEAT_SECONDS": "1",
                                     "FAULT_BEAT_ONLY": "beat-heartbeat"}).start()
    messages = OutboundMessage.objects.all()
    heartbeat = Heartbeat.objects.filter(name="beat")

    def all_sent(count):
        return lambda: messages.filter(status=OutboundMessage.Status.SENT).count() == count

    def statuses():
        return f"statuses {Counter(messages.values_list('status', flat=True))}"

    _queue(site)
    wait_or_fail(lambda: all_sent(1)() and heartbeat.exists(), 60, statuses, worker)
    assert terminate_other_backends() >= 1  # beat's kept connection at least
    dropped_at = timezone.now()
    _queue(site)
    wait_or_fail(all_sent(2), 10, statuses, worker)  # no sweep runs: the task itself must succeed
    wait_or_fail(lambda: heartbeat.get().last_seen > dropped_at + timedelta(seconds=2), 10, "beat stopped", worker)

    worker.hold_file.touch()
    _queue(site)
    wait_or_fail(lambda: len(started(worker.send_log)) == 3, 10,
                 lambda: f"the third send did not start: {statuses()}, {worker.send_log.read_text()!r}", worker)
    assert terminate_other_backends() >= 1  # while the gateway has the message
    worker.hold_file.unlink()
    wait_or_fail(all_sent(3), 10, statuses, worker)

    BY_NAME["message_sweep"].run(as_of=minutes_on(3))  # nothing is left for it
    time.sleep(1)
    worker.kill()
    assert sends(worker.send_log) == {message.pk: 1 for message in messages}
    assert ContactLog.objects.count() == 3
    print(f"database connections dropped: {elapsed(clock)}")
