"""The machinery of the fault tests (test_faults_*.py): Celery workers in their own process groups that a
test kills with -9 and starts again, a private redis-server it stops and starts, and the data they work on.
The workers run tests/integration/fault_settings.py: the test database, the recording outbox backend."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import skip_or_fail

from .conftest import ROOT, _database_url, wait_for


def require_stack() -> None:
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        skip_or_fail("needs DATABASE_URL (PostgreSQL) and REDIS_URL")


@dataclass
class Worker:
    """`celery worker` (with embedded beat unless beat=False) in a new session, so -9 reaches the whole
    group: the worker, its beat process, anything they started."""

    folder: Path
    broker_url: str
    name: str = "w"
    beat: bool = True
    env: dict = field(default_factory=dict)
    pool: tuple = ("--pool=solo",)
    loglevel: str = "warning"
    process: subprocess.Popen | None = None
    starts: int = 0

    @property
    def send_log(self) -> Path:
        return self.folder / "sends.log"

    @property
    def hold_file(self) -> Path:
        return self.folder / "hold"

    def start(self) -> "Worker":
        self.starts += 1
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.integration.fault_settings",
               "DATABASE_URL": _database_url(), "REDIS_URL": self.broker_url, "CELERY_BROKER_URL": self.broker_url,
               "FAULT_SEND_LOG": str(self.send_log), "FAULT_HOLD": str(self.hold_file),
               "HEARTBEAT_INTERVAL_SECONDS": "2", "DJANGO_ALLOW_ASYNC_UNSAFE": "", **self.env}
        command = [sys.executable, "-m", "celery", "-A", "servicedesk", "worker", *self.pool, "-l", self.loglevel,
                   "-n", f"{self.name}-{self.starts}@%h", "--without-gossip", "--without-mingle"]
        if self.beat:
            command += ["-B", "--schedule", str(self.folder / f"beat-{self.name}")]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdin=subprocess.DEVNULL,
                                        stdout=self.log_path.open("a"), stderr=subprocess.STDOUT)
        return self

    @property
    def log_path(self) -> Path:
        return self.folder / f"worker-{self.name}.log"

    def kill(self) -> None:
        """kill -9 of the process group: no shutdown, no ack, no cleanup."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def output(self, whole: bool = False) -> str:
        text = self.log_path.read_text() if self.log_path.exists() else ""
        return text if whole else text[-4000:]

    def fail(self, what: str):
        self.kill()
        pytest.fail(f"{what}\n--- worker {self.name} log:\n{self.output()}")


def wait_or_fail(predicate, seconds: float, what, *workers: Worker) -> None:
    """Wait for `predicate`; else fail with `what()` and the workers' logs."""
    if not wait_for(predicate, seconds):
        for worker in workers:
            worker.kill()
        logs = "\n".join(f"--- worker {w.name} log:\n{w.output()}" for w in workers)
        pytest.fail(f"{what() if callable(what) else what} after {seconds} s\n{logs}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RedisServer:
    """A redis-server of the test's own, on a free port, that the test may stop and start again."""

    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for(self._answers, 10):
            pytest.fail(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()  # as a crash: nothing is saved (and --save '' kept nothing anyway)
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def purge(broker_url: str) -> None:
    """Drop what earlier tests left in the broker's default queue (their rows are gone)."""
    from servicedesk.celery import app

    with app.connection_for_write(broker_url) as conn:
        conn.default_channel.queue_purge("celery")


# ---------------------------------------------------------------- data

def ready_and_delivered(site, advisor, inspector, count: int, *, delivered_ago=timedelta(days=4)):
    """`count` ROs through the pre-delivery check (each queues its "vehicle ready" message in the outbox),
    then delivered `delivered_ago` (written directly: the scans read state and delivered_at)."""
    from billing.services.handover import pre_delivery_check_sign
    from repair_orders.models import RepairOrder
    from repair_orders.workflow import ROState
    from tests.billing.handover_helpers import ALL_CHECKS, ro_passed_qc

    orders = []
    for _ in range(count):
        repair_order = ro_passed_qc(site, advisor, inspector)
        pre_delivery_check_sign(repair_order=repair_order, checks=ALL_CHECKS, notes="", actor=advisor)
        orders.append(repair_order)
    RepairOrder.objects.filter(pk__in=[ro.pk for ro in orders]).update(
        state=ROState.DELIVERED, delivered_at=timezone.now() - delivered_ago)
    return orders


def minutes_on(minutes: int):
    """A moment `minutes` from now: the sweep run then finds the claims of a dead worker stale."""
    return timezone.now() + timedelta(minutes=minutes)


def elapsed(started: float) -> str:
    return f"{time.monotonic() - started:.1f} s"


def database_connection():
    """A psycopg2 connection of the test's own, outside Django's (to hold a lock while Django works)."""
    import psycopg2

    s = connection.settings_dict
    return psycopg2.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"] or "127.0.0.1",
                            port=s["PORT"] or 5432)


def other_backends(where: str = "true") -> int:
    """Backends on the test database other than this connection (the workers', orphans of a killed one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       f"AND pid <> pg_backend_pid() AND {where}")
        return cursor.fetchone()[0]


def terminate_other_backends() -> int:
    """As a PostgreSQL restart looks to a client: every other connection to the test database is cut."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


@dataclass
class Stack:
    """What a fault test starts (the `fault_stack` fixture): the app sends to the real broker, not eagerly,
    until the end, when every worker and redis-server started here is killed."""

    folder: Path
    started: list = field(default_factory=list)

    def __post_init__(self):
        from servicedesk.celery import app

        require_stack()
        purge(self.broker_url)
        app.conf.task_always_eager = False

    @property
    def broker_url(self) -> str:
        return os.environ["REDIS_URL"]

    def worker(self, name: str = "w", broker_url: str | None = None, **options) -> Worker:
        worker = Worker(self.folder, broker_url or self.broker_url, name=name, **options)
        self.started.append(worker)
        return worker

    def redis(self) -> RedisServer:
        server = RedisServer(free_port())
        self.started.append(server)
        server.start()
        return server

    def kill_all(self) -> None:
        from servicedesk.celery import app

        for thing in reversed(self.started):
            thing.kill() if isinstance(thing, Worker) else thing.stop()
        app.conf.task_always_eager = True


@contextmanager
def app_broker(url: str):
    """This process's app sends to `url` (a private redis-server) for the block, with fresh pools."""
    from servicedesk.celery import app

    previous = app.conf.broker_url
    app.close()
    app.conf.broker_url = url
    try:
        yield
    finally:
        app.close()
        app.conf.broker_url = previous


def vehicles_due_for_service(site, count: int) -> list:
    """Vehicles of consenting customers whose next service is in five days: the reminder scan's work."""
    from zoneinfo import ZoneInfo

    from tests.factories import CustomerFactory, VehicleFactory

    due_on = timezone.localdate(timezone.now(), timezone=ZoneInfo(site.time_zone)) + timedelta(days=5)
    return [VehicleFactory(owner=CustomerFactory(site=site, marketing_consent=True), next_service_on=due_on)
            for _ in range(count)]
