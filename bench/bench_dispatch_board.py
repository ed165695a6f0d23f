"""Dispatch board speed (PostgreSQL): .venv/bin/python bench/bench_dispatch_board.py [--reset] [--requests N]

Fills site BENCHD once: 20 technicians on shift every day, 30 approved ROs of five jobs (150 open jobs: a queue
of 30, the rest assigned, on the clock, paused or done today) built through the services, and a history of
2,000 delivered ROs with 8,000 passed jobs (bulk inserts) so the job table is not tiny. Then times the board
view through Django's test client as the foreman's browser calls it: the full page, the htmx redraw, and the
poll that finds nothing changed (204). Target: page p95 <= 100 ms.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from appointments.models import TechnicianShift  # noqa: E402
from customers import fakedata  # noqa: E402
from customers.services import customer_create, vehicle_create  # noqa: E402
from repair_orders.models import (  # noqa: E402
    JobLine,
    JobLineEvent,
    LabourOperation,
    RepairOrder,
    RepairOrderEvent,
    Signature,  # noqa: E402
)
from repair_orders.workflow import JobState, ROState  # noqa: E402
from servicedesk.accounts.models import Membership, Site, StaffProfile  # noqa: E402
from servicedesk.accounts.roles import FOREMAN, TECHNICIAN  # noqa: E402
from workshop.demo import _approved_ro  # noqa: E402
from workshop.models import TechnicianProfile  # noqa: E402
from workshop.selectors.board import board_version, dispatch_board  # noqa: E402

SITE_CODE = "BENCHD"
N_TECHNICIANS, N_ORDERS, JOBS_PER_ORDER, N_HISTORY = 20, 30, 5, 2_000
TARGET_P95_MS = 100
OPERATIONS = [("BENCH-JX", "更换前刹车片", "mechanical", "1.2"), ("BENCH-DQ", "检修大灯线路", "electrical", "2.0"),
              ("BENCH-BY", "更换机油机滤", "general", "0.5"), ("BENCH-PQ", "前保险杠喷漆", "paint", "4.0"),
              ("BENCH-ZD", "故障诊断", "diagnostic", "1.0")]


def staff(site, username, role, name) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
    profile, _ = StaffProfile.objects.get_or_create(user=user, defaults={"display_name": name, "default_site": site})
    Membership.objects.get_or_create(profile=profile, site=site)
    return user


def reset(site: Site) -> None:
    """Raw deletes: events and signatures are append-only and refuse .delete(); only this script writes here."""
    orders = f"SELECT id FROM {RepairOrder._meta.db_table} WHERE site_id = %s"
    jobs = f"SELECT id FROM {JobLine._meta.db_table} WHERE repair_order_id IN ({orders})"
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(f"DELETE FROM {JobLineEvent._meta.db_table} WHERE job_line_id IN ({jobs})", [site.pk])
        cursor.execute(f"DELETE FROM {JobLine._meta.db_table} WHERE repair_order_id IN ({orders})", [site.pk])
        for model in (RepairOrderEvent, Signature):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE repair_order_id IN ({orders})", [site.pk])
        cursor.execute(f"DELETE FROM {RepairOrder._meta.db_table} WHERE site_id = %s", [site.pk])
    print("BENCHD repair orders dropped.")


def populate(site: Site, foreman: User) -> None:
    open_jobs = JobLine.objects.filter(repair_order__site=site, repair_order__state__in=(ROState.IN_PROGRESS,
                                                                                       ROState.APPROVED))
    if open_jobs.count() == N_ORDERS * JOBS_PER_ORDER:
        return
    if RepairOrder.objects.filter(site=site).exists():
        reset(site)
    started, rng = time.perf_counter(), random.Random("dispatch-bench")
    advisor = staff(site, "bench-advisor-d", "advisor", "基准顾问")
    operations = [LabourOperation.objects.get_or_create(code=code, make="", model="", defaults={
        "name": name, "category": "mechanical", "skill": skill, "hours": Decimal(hours)})[0]
        for code, name, skill, hours in OPERATIONS]
    technicians = []
    for n in range(N_TECHNICIANS):
        user = staff(site, f"bench-tech-{n:02d}-d", TECHNICIAN, f"技师{n:02d}")
        TechnicianProfile.objects.get_or_create(site=site, user=user, defaults={
            "skills": ["general", rng.choice(["mechanical", "electrical", "paint", "diagnostic"])]})
        for weekday in range(7):
            TechnicianShift.objects.get_or_create(site=site, technician=user, weekday=weekday)
        technicians.append(user)
    vehicles = []
    for _n in range(N_ORDERS):
        owner = customer_create(site=site, data=fakedata.customer_data(rng), actor=advisor,
                                allow_duplicate_mobile=True)
        vehicles.append(vehicle_create(site=site, owner=owner, data=fakedata.vehicle_data(rng), actor=advisor))
    now = timezone.now()
    with transaction.atomic():
        for n, vehicle in enumerate(vehicles):
            _approved_ro(site, advisor, vehicle, [operations[(n + k) % len(operations)] for k in range(JOBS_PER_ORDER)],
                         promised_at=now + timedelta(minutes=20 * n), concern="基准")
        RepairOrder.objects.filter(site=site).update(state=ROState.IN_PROGRESS)
        spread_states(site, technicians, now)
        history(site, advisor, vehicles, operations)
    print(f"BENCHD filled in {time.perf_counter() - started:.0f} s")


def spread_states(site, technicians, now) -> None:
    """Every fifth job stays in the queue; the others are assigned, on the clock, paused or done today."""
    jobs = list(JobLine.objects.filter(repair_order__site=site).order_by("pk"))
    for n, job in enumerate(jobs):
        kind = n % 5
        if kind == 0:
            continue
        job.technician = technicians[n % len(technicians)]
        job.state = {1: JobState.ASSIGNED, 2: JobState.IN_PROGRESS, 3: JobState.PAUSED, 4: JobState.DONE}[kind]
        job.clocked_hours = job.hours * Decimal("0.6")
        job.clocked_on_since = now - timedelta(minutes=15) if kind == 2 else None
        job.pause_reason = "waiting_parts" if kind == 3 else ""
        job.started_at = now - timedelta(hours=2) if kind > 1 else None
        job.finished_at = now - timedelta(minutes=30) if kind == 4 else None
        job.queue_position = n
    JobLine.objects.bulk_update(jobs, ["technician", "state", "clocked_hours", "clocked_on_since", "pause_reason",
                                       "started_at", "finished_at", "queue_position"], batch_size=500)


def history(site, advisor, vehicles, operations) -> None:
    orders = RepairOrder.objects.bulk_create(
        RepairOrder(site=site, number=f"BENCHD-H-{n:06d}", customer=vehicles[n % len(vehicles)].owner,
                    vehicle=vehicles[n % len(vehicles)], advisor=advisor, state=ROState.DELIVERED)
        for n in range(N_HISTORY))
    JobLine.objects.bulk_create(
        (JobLine(repair_order=order, operation=operation, description=operation.name, hours=operation.hours,
                 state=JobState.PASSED, technician=advisor, created_by=advisor,
                 finished_at=timezone.now() - timedelta(days=1 + n % 300))
         for n, order in enumerate(orders) for operation in operations[:4]), batch_size=2_000)


def percentile_95(ms: list[float]) -> float:
    return statistics.quantiles(ms, n=100)[94]


def timed(client, url, n, **headers) -> tuple[list[float], int]:
    ms, status = [], None
    for _n in range(n):
        started = time.perf_counter()
        response = client.get(url, **headers)
        ms.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return sorted(ms), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="drop the BENCHD repair orders and stop")
    parser.add_argument("--requests", type=int, default=200, help="requests of each kind")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at PostgreSQL, e.g. postgres://servicedesk:servicedesk@127.0.0.1:5432/servicedesk")
    site, _ = Site.objects.get_or_create(code=SITE_CODE, defaults={"name": "Dispatch benchmark"})
    if args.reset:
        return reset(site)
    foreman = staff(site, "bench-foreman-d", FOREMAN, "基准主管")
    populate(site, foreman)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {JobLine._meta.db_table}")
        cursor.execute(f"ANALYZE {RepairOrder._meta.db_table}")
    client = Client(HTTP_HOST="localhost")
    client.force_login(foreman)
    url = "/workshop/board/"
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    board = dispatch_board(site=site)  # the same read the view did (the test client keeps no context here)
    print(f"board: {len(board.rows)} technicians, {sum(len(r.cards) for r in board.rows) + len(board.queue)} "
          f"cards ({len(board.queue)} in the queue), {JobLine.objects.count()} job lines in the database\n")
    print(f"{'request':<32}{'count':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    met = True
    for label, path, headers in [("full page", url, {}),
                                 ("htmx redraw (changed)", url, {"HTTP_HX_REQUEST": "true"}),
                                 ("htmx poll, nothing changed", None, {"HTTP_HX_REQUEST": "true"})]:
        # the version turns every minute (the "now" line moves): take it just before the polls
        path = path or f"{url}?version={board_version(site)}"
        ms, status = timed(client, path, args.requests, **headers)
        p95 = percentile_95(ms)
        met = met and (p95 <= TARGET_P95_MS)
        print(f"{label:<32}{len(ms):>6}{statistics.median(ms):>9.1f}{p95:>9.1f}{ms[-1]:>9.1f}  (HTTP {status})")
    print(f"\nTarget (board p95 <= {TARGET_P95_MS} ms): " + ("met." if met else "MISSED."))


if __name__ == "__main__":
    main()
