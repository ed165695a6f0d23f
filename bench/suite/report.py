"""The monthly report of one site against hand-written SQL of the same aggregates (bench/suite/report_sql.py),
in alternating pairs in one run; the EXPLAIN (ANALYZE, BUFFERS) of every query the report sends. Both read the
trend from the survey month scores (followups_surveymonthscore); the report keeps an ended month's revenue split in
the cache (reports.figures.business.revenues): the pairs are measured as a manager meets them (the month read
before) and cold (nothing in the cache: the first read of a month)."""

from contextlib import nullcontext
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.cache.backends.dummy import DummyCache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.dashboard import dashboard
from reports.monthly import monthly_report
from reports.periods import month_period

from . import fixtures
from .common import RESULTS, Measure, say, timed_ms
from .report_sql import differences, monthly_sql

REPORT_BUDGET_MS, RATIO_BUDGET = 500, 1.5
EXPLAIN_MARK = "=== plans ===\n"


def measure_report(site, *, runs: int) -> list[Measure]:
    month = fixtures.report_month(site)
    period = month_period(month, ZoneInfo(site.time_zone))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    orm, sql = monthly_report(sites=[site], month=month), monthly_sql(site, period)  # warm, and compare
    disagree = differences(orm, sql)
    for line in disagree:
        say(f"  DIFFERENCE {line}")
    orm_ms, sql_ms, ratios = _pairs(site, month, period, runs=runs, cold=False)
    cold_orm, cold_sql, cold_ratios = _pairs(site, month, period, runs=runs, cold=True)
    with CaptureQueriesContext(connection) as captured_sql:
        monthly_sql(site, period)
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        monthly_report(sites=[site], month=month)
    queries = len(captured.captured_queries)
    with _no_cache(), CaptureQueriesContext(connection) as cold:
        monthly_report(sites=[site], month=month)
    explain(cold.captured_queries, site, month)
    note = f"month {month}; " + ("same figures as the SQL" if not disagree else f"{len(disagree)} figures differ")
    measures = [
        Measure("report", f"monthly report, one site ({month})", "ms", orm_ms, REPORT_BUDGET_MS, queries=queries,
                note=note),
        Measure("report", "same aggregates, hand-written SQL", "ms", sql_ms, queries=len(captured_sql.captured_queries),
                note="bench/suite/report_sql.py"),
        Measure("report", "report ÷ SQL, pairwise", "×", ratios, RATIO_BUDGET, note=f"{runs} alternating pairs"),
        Measure("report", "monthly report, nothing cached", "ms", cold_orm, REPORT_BUDGET_MS,
                note="first read of a month"),
        Measure("report", "hand-written SQL, report not cached", "ms", cold_sql),
        Measure("report", "report ÷ SQL, report not cached", "×", cold_ratios, RATIO_BUDGET,
                note=f"{runs} alternating pairs"),
    ]
    for m in measures:
        say(f"  {m.name:<40} median {m.median:8.2f} {m.unit} (min {min(m.runs):.2f}, max {max(m.runs):.2f})")
    return measures


def _pairs(site, month: str, period, *, runs: int, cold: bool) -> tuple[list, list, list]:
    """Report and SQL in alternating pairs; `cold` reads and keeps nothing in the cache."""
    orm_ms, sql_ms, ratios = [], [], []
    with _no_cache() if cold else nullcontext():
        for n in range(runs):
            pair = [lambda: monthly_report(sites=[site], month=month), lambda: monthly_sql(site, period)]
            if n % 2:  # alternate which goes first: the second of a pair finds warmer caches
                took = list(reversed([timed_ms(call) for call in reversed(pair)]))
            else:
                took = [timed_ms(call) for call in pair]
            orm_ms.append(took[0])
            sql_ms.append(took[1])
            ratios.append(took[0] / took[1])
    return orm_ms, sql_ms, ratios


def _no_cache():
    return mock.patch("reports.figures.business.cache", DummyCache("none", {}))


def explain(queries: list[dict], site, month: str) -> None:
    write_explain(queries, "explain_monthly_report.txt",
                  f"reports.monthly.monthly_report, site {site.code}, month {month}, read first (nothing in the "
                  "cache; read again, the revenue split comes from the cache)")
    with CaptureQueriesContext(connection) as captured:
        dashboard(sites=[site])
    write_explain(captured.captured_queries, "explain_dashboard.txt",
                  f"reports.dashboard.dashboard (/reports/), site {site.code}, {timezone.now():%Y-%m-%d}")


def write_explain(queries: list[dict], name: str, what: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each query into bench/results/<name>. A note written above the marker line
    (the before/after of a change) is kept."""
    path = RESULTS / name
    kept = path.read_text().split(EXPLAIN_MARK)[0] if path.exists() and EXPLAIN_MARK in path.read_text() else ""
    out = [f"{EXPLAIN_MARK}EXPLAIN (ANALYZE, BUFFERS) of the {len(queries)} queries of {what}\n"]
    total = 0.0
    with connection.cursor() as cursor:
        for n, query in enumerate(queries, 1):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = [row[0] for row in cursor.fetchall()]
            took = next((float(line.split(":")[1].split()[0]) for line in plan if line.startswith("Execution Time")),
                        0.0)
            total += took
            out.append(f"-- query {n} ({took:.2f} ms)\n{query['sql']}\n\n" + "\n".join(plan) + "\n")
    out.insert(1, f"Sum of execution times: {total:.1f} ms\n")
    path.write_text(kept + "\n".join(out))
    say(f"  EXPLAIN of {len(queries)} queries ({total:.1f} ms in the database) in bench/results/{name}")
