"""A real Celery worker with embedded beat, on the Redis broker and the PostgreSQL test database."""

import pytest

from servicedesk.core.models import Heartbeat

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_beat_heartbeat_runs_on_a_real_worker_and_readyz_sees_it(worker, client):
    assert client.get("/readyz").status_code == 503
    ran = wait_for(lambda: Heartbeat.objects.filter(name="beat").exists(), 90)
    if not ran:
        worker.terminate()
        pytest.fail("no heartbeat from beat within 90 s:\n" + (worker.communicate(timeout=20)[0] or "")[-3000:])
    first = Heartbeat.objects.get(name="beat").last_seen
    assert wait_for(lambda: Heartbeat.objects.get(name="beat").last_seen > first, 30), "beat fired only once"
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()


def test_a_task_enqueued_after_commit_reaches_the_worker(worker, settings):
    from servicedesk.celery import app
    from servicedesk.core.tasks import beat_heartbeat

    app.conf.task_always_eager = False
    try:
        Heartbeat.objects.all().delete()
        beat_heartbeat.delay()  # outside a transaction: sent at once to Redis
        assert wait_for(lambda: Heartbeat.objects.filter(name="beat").exists(), 60)
    finally:
        app.conf.task_always_eager = True
