"""The follow-up scans at scale (followups.services.scans and .reminders, with `as_of`), each run inside a
transaction that is rolled back, so every run starts from the same data:

- callback scan: 10,000 ROs delivered in the 14 days before `as_of` (bulk inserts, 60 days past the dataset's
  last day, so nothing else is due), the scan creates their 20,000 calls; a second scan creates 0;
- reminder scan: maintenance and first-service reminders over every vehicle of every site at the dataset's now.
Budgets: ≤ 3 s; ≤ 0.5 s creating 0; ≤ 5 s."""

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from customers.models import Vehicle
from followups.services.reminders import first_service_reminders_send, maintenance_reminders_send
from followups.services.scans import callbacks_create_due
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.accounts.roles import ADVISOR

from . import fixtures
from .common import Measure, say, timed_ms

DELIVERIES = 10_000
FIRST_BUDGET_S, SECOND_BUDGET_S, REMINDER_BUDGET_S = 3, 0.5, 5


class Rollback(Exception):
    pass


def deliveries(site, as_of) -> None:
    """10,000 delivered ROs (bulk), spread over the 14 days before `as_of`, on the site's vehicles."""
    rng = random.Random("callback-scan")
    advisor = fixtures.site_user(site, ADVISOR)
    vehicles = list(Vehicle.objects.filter(site=site).values_list("pk", "owner_id")[:DELIVERIES])
    RepairOrder.objects.bulk_create(
        (RepairOrder(site=site, number=f"BENCH-CB-{n:06d}", customer_id=vehicles[n % len(vehicles)][1],
                     vehicle_id=vehicles[n % len(vehicles)][0], advisor=advisor, state=ROState.DELIVERED,
                     delivered_at=as_of - timedelta(minutes=rng.randrange(10, 13 * 24 * 60)))
         for n in range(DELIVERIES)), batch_size=2_000)


def callback_scan_run(site, as_of) -> tuple[float, int, float, int]:
    took = {}
    try:
        with transaction.atomic():
            deliveries(site, as_of)
            took["first"] = timed_ms(lambda: took.setdefault("created", callbacks_create_due(as_of=as_of))) / 1000
            took["second"] = timed_ms(lambda: took.setdefault("again", callbacks_create_due(as_of=as_of))) / 1000
            raise Rollback
    except Rollback:
        pass
    return took["first"], took["created"], took["second"], took["again"]


def reminder_scan_run(as_of) -> tuple[float, int]:
    found = {}
    try:
        with transaction.atomic():
            found["s"] = timed_ms(lambda: found.setdefault("n", maintenance_reminders_send(as_of=as_of)
                                                           + first_service_reminders_send(as_of=as_of))) / 1000
            raise Rollback
    except Rollback:
        pass
    return found["s"], found["n"]


def measure_scans(site, *, runs: int) -> list[Measure]:
    last = RepairOrder.objects.aggregate(last=Max("delivered_at"))["last"] or timezone.now()
    say(f"scans, {runs} runs each (rolled back)")
    first, second, created, again = [], [], set(), set()
    for _run in range(runs):
        one, made, two, made_again = callback_scan_run(site, last + timedelta(days=60))
        first.append(one)
        second.append(two)
        created.add(made)
        again.add(made_again)
    reminders, reminded = [], set()
    vehicles = Vehicle.objects.count()
    for _run in range(runs):
        took, made = reminder_scan_run(last)
        reminders.append(took)
        reminded.add(made)
    measures = [
        Measure("scans", f"callback scan after {DELIVERIES:,} deliveries", "s", first, FIRST_BUDGET_S,
                note=f"created {sorted(created)} calls"),
        Measure("scans", "second callback scan", "s", second, SECOND_BUDGET_S, note=f"created {sorted(again)}"),
        Measure("scans", "second callback scan: calls created", "calls", [max(again)], 0),
        Measure("scans", f"reminder scan over {vehicles:,} vehicles", "s", reminders, REMINDER_BUDGET_S,
                note=f"created {sorted(reminded)} reminders; as_of {last:%Y-%m-%d}"),
    ]
    for m in measures:
        say(f"  {m.name:<40} median {m.median:.3f} {m.unit} (min {min(m.runs):.3f}, max {max(m.runs):.3f}); {m.note}")
    return measures
