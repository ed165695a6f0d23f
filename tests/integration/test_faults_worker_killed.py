"""A worker killed with -9 in the middle of its work and started again (issue 11, Faults; issue 8): the
callback scan dies inside its transaction (held at its insert by a table lock the test takes), a message
dies inside its send (held by the recording backend), the rest wait in the broker or sit prefetched by
the dead worker. After the restart, beat's next scan and the outbox sweep (run for a moment three minutes
on, when the claim of the dead worker has gone stale) reconcile: every callback and message exists once,
every message is handed over once and logged once."""

import time
from collections import Counter

import pytest
from django.db import transaction

from customers.models import ContactLog, OutboundMessage
from followups.models import Callback
from followups.tasks import create_due_callbacks
from servicedesk.core.management.commands.run_scheduled import BY_NAME

from .fault_backend import sends, started
from .faults import (
    database_connection,
    elapsed,
    minutes_on,
    other_backends,
    ready_and_delivered,
    wait_or_fail,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ORDERS = 8
SCAN_WAITING = "wait_event_type = 'Lock' AND query LIKE 'INSERT INTO \"followups_callback\"%%'"


def test_a_worker_killed_mid_batch_and_restarted_loses_nothing_and_doubles_nothing(fault_stack, site, advisor,
                                                                                    inspector):
    clock = time.monotonic()
    # Prefork with two processes, as in production: one runs the scan, the other the sends.
    worker = fault_stack.worker(beat=False, env={"FAULT_SEND_SECONDS": "0.2"},
                                pool=("--pool=prefork", "--concurrency=2")).start()
    locker = database_connection()
    try:
        with locker.cursor() as cursor:  # the scan's insert waits here; its select and row locks go through
            cursor.execute("LOCK TABLE followups_callback IN SHARE ROW EXCLUSIVE MODE")
        with transaction.atomic():
            transaction.on_commit(lambda: create_due_callbacks.apply_async())  # first in the queue
            orders = ready_and_delivered(site, advisor, inspector, ORDERS)  # + a message each, after commit
        messages = OutboundMessage.objects.filter(template_key="vehicle_ready")
        assert messages.count() == ORDERS
        wait_or_fail(lambda: len(sends(worker.send_log)) >= 2 and other_backends(SCAN_WAITING) == 1, 60,
                     lambda: f"sent {sends(worker.send_log)}, scan waiting: {other_backends(SCAN_WAITING)}", worker)
        worker.hold_file.touch()  # the next send starts and stays in the "gateway"
        held = len(started(worker.send_log))
        wait_or_fail(lambda: len(started(worker.send_log)) > held, 30, "no send under way", worker)
        worker.kill()
    finally:
        locker.rollback()
        locker.close()
    worker.hold_file.unlink()
    before = sends(worker.send_log)
    assert 0 < len(before) < ORDERS, before
    assert not Callback.objects.exists()  # the scan's transaction died with the worker
    assert messages.filter(status=OutboundMessage.Status.SENDING).count() == 1  # the one killed mid-send
    # The dead worker's orphaned scan backend meets the closed socket and rolls back.
    wait_or_fail(lambda: other_backends() == 0, 30, lambda: f"{other_backends()} orphaned backends")

    worker.start()
    create_due_callbacks.apply_async()  # beat's next run of the scan
    BY_NAME["message_sweep"].run(as_of=minutes_on(3))  # the sweep, once the dead worker's claim is stale
    wait_or_fail(lambda: messages.filter(status=OutboundMessage.Status.SENT).count() == ORDERS
                 and Callback.objects.count() == 2 * ORDERS, 60,
                 lambda: f"statuses {Counter(messages.values_list('status', flat=True))}, "
                         f"{Callback.objects.count()} callbacks", worker)
    time.sleep(1)  # a second hand-over would show up now: the sweep enqueued some messages twice
    worker.kill()
    handed_over = sends(worker.send_log)
    assert handed_over == {message.pk: 1 for message in messages}, handed_over
    assert Counter(started(worker.send_log)).most_common(1)[0][1] == 2  # only the killed send was tried again
    assert Counter(Callback.objects.values_list("repair_order", "kind")) == {
        (ro.pk, kind): 1 for ro in orders for kind in ("advisor_72h", "csi_3day")}
    assert ContactLog.objects.count() == ORDERS  # one line per message sent
    print(f"worker killed mid-batch: {elapsed(clock)}")
