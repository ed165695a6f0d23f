"""A real Celery worker (with beat) for the integration tests: PostgreSQL test database, Redis broker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_for(predicate, seconds: float) -> bool:
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


@pytest.fixture
def fault_stack(tmp_path):
    """For the fault tests (faults.py): workers and redis-servers started through it are killed at the end,
    whatever the test did; the broker is the test's REDIS_URL, emptied of earlier tests' tasks."""
    from .faults import Stack

    stack = Stack(tmp_path)
    yield stack
    stack.kill_all()
