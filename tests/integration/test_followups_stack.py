"""The follow-up scans on the real stack (PostgreSQL, Redis, a Celery worker with beat): the callback scan
run by the worker for a moment 73 hours after a delivery creates one call of each kind; scans at the same
time (threads in this process, beat's own run on the worker) still create each call once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from followups.models import Callback
from followups.services.scans import callbacks_create_due
from followups.tasks import create_due_callbacks
from servicedesk.celery import app
from tests.followups.scan_helpers import delivered_ro

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_broker(worker):
    app.conf.task_always_eager = False
    yield worker
    app.conf.task_always_eager = True


def _fail_with_output(worker_process, what: str):
    worker_process.terminate()
    pytest.fail(f"{what}:\n" + (worker_process.communicate(timeout=20)[0] or "")[-3000:])


def test_the_worker_runs_the_callback_scan_for_a_moment_and_creates_each_call_once(real_broker, site, advisor):
    delivered_at = timezone.now() - timedelta(hours=1)
    repair_order = delivered_ro(site, advisor, at=delivered_at)
    as_of = (delivered_at + timedelta(hours=73)).isoformat()
    create_due_callbacks.apply_async(kwargs={"as_of": as_of})
    create_due_callbacks.apply_async(kwargs={"as_of": as_of})  # a second run, as after a redelivery
    calls = Callback.objects.filter(repair_order=repair_order)
    if not wait_for(lambda: calls.count() == 2, 60):
        _fail_with_output(real_broker, f"{calls.count()} callbacks after 60 s")
    assert sorted(calls.values_list("kind", flat=True)) == ["advisor_72h", "csi_3day"]
    assert calls.get(kind="advisor_72h").assignee == advisor


def test_two_scans_at_once_create_each_call_once_and_count_it_once(site, advisor):
    if connection.vendor != "postgresql":
        from tests.conftest import skip_or_fail

        skip_or_fail("needs PostgreSQL (row locks)")
    delivered_at = timezone.now() - timedelta(hours=2)
    for n in range(30):
        delivered_ro(site, advisor, at=delivered_at + timedelta(seconds=n))
    barrier, counts, errors = threading.Barrier(4), [], []

    def scan():
        try:
            barrier.wait(timeout=10)
            counts.append(callbacks_create_due(as_of=delivered_at + timedelta(hours=73)))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert Callback.objects.count() == 60
    assert Callback.objects.values("repair_order", "kind").distinct().count() == 60
    assert sum(counts) == 60  # every call counted by the one scan that wrote it
