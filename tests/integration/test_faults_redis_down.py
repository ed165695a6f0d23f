"""Redis stopped while repair orders are delivered and messages queued, then started again (issue 11,
Faults; issue 8). The worker and this process use a redis-server of the test's own (the shared one stays
up). While it is down the "vehicle ready" messages and the maintenance reminders (run_scheduled's scan, as
an operator would) are written to the outbox and the requests do not fail; when it is back, the worker
reconnects and beat's sweep hands each message over once."""

import time
from collections import Counter

import pytest
from django.utils import timezone

from customers.models import ContactLog, OutboundMessage
from followups.models import Reminder
from servicedesk.core.management.commands.run_scheduled import BY_NAME
from servicedesk.core.models import Heartbeat

from .fault_backend import sends
from .faults import app_broker, elapsed, ready_and_delivered, vehicles_due_for_service, wait_or_fail

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ORDERS, DUE = 4, 3


def test_messages_queued_while_redis_is_down_go_out_once_when_it_is_back(fault_stack, site, advisor, inspector):
    clock = time.monotonic()
    redis = fault_stack.redis()
    worker = fault_stack.worker(broker_url=redis.url, env={
        "FAULT_BEAT_SECONDS": "1", "FAULT_BEAT_ONLY": "message-sweep,beat-heartbeat",
        "FAULT_SWEEP_AFTER_SECONDS": "2"}).start()
    messages = OutboundMessage.objects.all()
    with app_broker(redis.url):
        wait_or_fail(lambda: Heartbeat.objects.filter(name="beat").exists(), 60, "the worker did not start", worker)
        redis.stop()
        down = time.monotonic()
        ready_and_delivered(site, advisor, inspector, ORDERS)
        vehicles_due_for_service(site, DUE)
        assert BY_NAME["followup_maintenance_reminders"].run(as_of=timezone.now()) == DUE
        outage = elapsed(down)
        assert messages.count() == ORDERS + DUE
        assert Reminder.objects.filter(message_ref__isnull=False).count() == DUE
        assert set(messages.values_list("status", flat=True)) == {OutboundMessage.Status.QUEUED}
        assert not sends(worker.send_log)
        redis.start()
        wait_or_fail(lambda: messages.filter(status=OutboundMessage.Status.SENT).count() == ORDERS + DUE, 60,
                     lambda: f"statuses {Counter(messages.values_list('status', flat=True))}", worker)
    time.sleep(2)  # two more sweeps: nothing goes out again
    worker.kill()
    assert sends(worker.send_log) == {message.pk: 1 for message in messages}
    assert ContactLog.objects.count() == ORDERS + DUE
    print(f"redis down: {elapsed(clock)} (writes during the outage {outage})")
