"""Put it together: staff and catalogues, then per site the archive, the parts, three years of history and the
current day, all through one COPY loader; then the last mileages and stock, the number sequences, ANALYZE."""

import random
import time
import zoneinfo
from datetime import datetime

from django.db import connection

from followups.models import SurveyMonthScore
from followups.services.survey_rollup import survey_rollup_rebuild
from repair_orders.models import RepairOrder
from servicedesk.core.models import NumberSequence

from . import (
    SITE_CODES,
    TECHNICIANS_PER_SITE,
    archive,
    catalogue,
    followups,
    history,
    indexes,
    reminders,
    reset,
    staff,
    stock,
    today,
)
from .clock import DAY, Clock
from .copyload import Loader
from .tables import MODELS, Tables

FULL = {"customers": 150_000, "vehicles": 180_000, "repair_orders": 600_000, "parts": 50_000}
SHARE = {"BSH": 0.5, "BBJ": 0.25, "BGZ": 0.25}
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


class Progress:
    def __init__(self):
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.started:6.1f} s] {message}", flush=True)


def existing_orders() -> int:
    return RepairOrder.objects.filter(site__code__in=SITE_CODES).count()


def build(*, scale: float, seed: int, now: datetime | None = None, progress=None) -> dict[str, int]:
    """Generate the dataset (the bench sites must hold no repair orders); returns rows written per table."""
    progress = progress or Progress()
    rng = random.Random(seed)
    now = (now or datetime.now(ZONE)).astimezone(ZONE)
    clock = Clock(now.date())
    now_minute = clock.minute_of(now.date(), now.hour, now.minute)
    sites, manager = staff.create_staff(rng, now.date())
    ops, questions = catalogue.labour_book(), catalogue.questions()
    progress(f"staff and catalogues ready; history from {clock.first} to {clock.today}")
    if fast := indexes.own_database():
        dropped = indexes.drop([model._meta.db_table for model in MODELS])
        progress(f"{dropped} secondary indexes dropped for the load (rebuilt at the end)")
    loader = Loader(progress)
    t = Tables(loader)
    finishing, left = [], {"created": 0, "messages": 0}
    for index, code in enumerate(SITE_CODES):
        share, site_staff = SHARE[code] * scale, sites[code]
        site = site_staff.site
        site_archive = archive.create(t, site, max(20, round(FULL["customers"] * share)),
                                      max(25, round(FULL["vehicles"] * share)), rng, clock, serial0=index * 300_000)
        parts = catalogue.parts(loader, t.parts, site, max(50, round(FULL["parts"] * share)), rng, clock)
        ledger = stock.Ledger(parts, site_staff.roles["parts"])
        ctx = history.Context(t=t, site=site, staff=site_staff, manager=manager, archive=site_archive, stock=ledger,
                              ops=ops, questions=questions, clock=clock, rng=rng, now=now_minute)
        stock.opening(ctx, ledger)
        progress(f"{code}: {len(site_archive.customer_ids):,} customers, {len(site_archive.vehicle_ids):,} vehicles, "
                 f"{len(parts.ids):,} parts")
        per_day = clock.per_day(round(FULL["repair_orders"] * share))

        def month_done(days, of, code=code):
            progress(f"{code}: history {days * 100 // of:3d}%  ({t.repair_orders.count:,} repair orders so far)")

        history.generate(ctx, per_day, month_done)
        followups.after_history(ctx)
        big = code == SITE_CODES[0]
        today.current_day(ctx, workshop_ros=30 if big else 8, jobs_per_ro=5 if big else 3,
                          daily_visits=sum(per_day[-30:]) // 30)
        finishing.append((ctx, site_archive, ledger))
        progress(f"{code}: done")
    loader.close()
    slowest = sorted(loader.seconds.items(), key=lambda item: -item[1])[:8]
    progress("COPY seconds: " + ", ".join(f"{sql.split()[1]} {s:.1f}" for sql, s in slowest))
    if fast:
        indexes.restore(progress)
    progress("all rows copied; setting the last mileages, stock and number sequences")
    with connection.cursor() as cursor:
        for ctx, site_archive, ledger in finishing:
            archive.finish_vehicles(cursor, site_archive, clock)
            stock.finish_parts(cursor, ledger)
            # Needs the vehicles' reminder days: first-service reminders, and each reminder's message or skip.
            site_left = reminders.reminders_as_left(ctx.site, clock.today)
            left = {name: count + site_left[name] for name, count in left.items()}
            progress(f"{ctx.site.code}: reminders as the scans left them: {site_left}")
            NumberSequence.objects.bulk_create(
                [NumberSequence(site=ctx.site, kind=kind, year=year, last_value=value)
                 for (kind, year), value in ctx.numbers.items()],
                update_conflicts=True, unique_fields=["site", "kind", "year"], update_fields=["last_value"])
            # The surveys were loaded by COPY: their month scores (read by the report) in one recount.
            progress(f"{ctx.site.code}: {survey_rollup_rebuild(site=ctx.site)} survey month scores")
        progress("ANALYZE")
        for model in [*MODELS, SurveyMonthScore]:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    counts = t.counts()
    counts["reminders"] += left["created"]
    return {**counts, "outbound_messages": left["messages"]}


def database_size() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


__all__ = ["build", "database_size", "existing_orders", "reset", "DAY", "TECHNICIANS_PER_SITE"]
