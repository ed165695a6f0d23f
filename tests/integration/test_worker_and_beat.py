"""A real Celery worker with embedded beat, on the Redis broker and the PostgreSQL test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from servicedesk.core.models import Heartbeat
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def worker(tmp_path):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        skip_or_fail("needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "servicedesk.settings.dev", "DATABASE_URL": _database_url(),
           "HEARTBEAT_INTERVAL_SECONDS": "2", "DJANGO_ALLOW_ASYNC_UNSAFE": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "servicedesk", "worker", "-B", "--pool=solo", "-l", "warning",
         "--schedule", str(tmp_path / "beat-schedule")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_beat_heartbeat_runs_on_a_real_worker_and_readyz_sees_it(worker, client):
    assert client.get("/readyz").status_code == 503
    ran = _wait_for(lambda: Heartbeat.objects.filter(name="beat").exists(), 90)
    if not ran:
        worker.terminate()
        pytest.fail("no heartbeat from beat within 90 s:\n" + (worker.communicate(timeout=20)[0] or "")[-3000:])
    first = Heartbeat.objects.get(name="beat").last_seen
    assert _wait_for(lambda: Heartbeat.objects.get(name="beat").last_seen > first, 30), "beat fired only once"
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()


def test_a_task_enqueued_after_commit_reaches_the_worker(worker, settings):
    from servicedesk.celery import app
    from servicedesk.core.tasks import beat_heartbeat

    app.conf.task_always_eager = False
    try:
        Heartbeat.objects.all().delete()
        beat_heartbeat.delay()  # outside a transaction: sent at once to Redis
        assert _wait_for(lambda: Heartbeat.objects.filter(name="beat").exists(), 60)
    finally:
        app.conf.task_always_eager = True
