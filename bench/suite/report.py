"""The monthly report of one site against hand-written SQL of the same aggregates (bench/suite/report_sql.py),
in alternating pairs in one run; the EXPLAIN (ANALYZE, BUFFERS) of every query the report sends."""

from zoneinfo import ZoneInfo

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from reports.monthly import monthly_report
from reports.periods import month_period

from . import fixtures
from .common import RESULTS, Measure, say, timed_ms
from .report_sql import differences, monthly_sql

REPORT_BUDGET_MS, RATIO_BUDGET = 500, 1.5


def measure_report(site, *, runs: int) -> list[Measure]:
    month = fixtures.report_month(site)
    period = month_period(month, ZoneInfo(site.time_zone))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    orm, sql = monthly_report(sites=[site], month=month), monthly_sql(site, period)  # warm, and compare
    disagree = differences(orm, sql)
    for line in disagree:
        say(f"  DIFFERENCE {line}")
    orm_ms, sql_ms, ratios = [], [], []
    for n in range(runs):
        pair = [lambda: monthly_report(sites=[site], month=month), lambda: monthly_sql(site, period)]
        if n % 2:  # alternate which goes first: the second of a pair finds warmer caches
            took = list(reversed([timed_ms(call) for call in reversed(pair)]))
        else:
            took = [timed_ms(call) for call in pair]
        orm_ms.append(took[0])
        sql_ms.append(took[1])
        ratios.append(took[0] / took[1])
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        monthly_report(sites=[site], month=month)
    queries = len(captured.captured_queries)
    explain(captured.captured_queries, site, month)
    note = f"month {month}; " + ("same figures as the SQL" if not disagree else f"{len(disagree)} figures differ")
    measures = [
        Measure("report", f"monthly report, one site ({month})", "ms", orm_ms, REPORT_BUDGET_MS, queries=queries,
                note=note),
        Measure("report", "same aggregates, hand-written SQL", "ms", sql_ms, queries=9,
                note="bench/suite/report_sql.py"),
        Measure("report", "report ÷ SQL, pairwise", "×", ratios, RATIO_BUDGET, note=f"{runs} alternating pairs"),
    ]
    for m in measures:
        say(f"  {m.name:<40} median {m.median:8.2f} {m.unit} (min {min(m.runs):.2f}, max {max(m.runs):.2f})")
    return measures


def explain(queries: list[dict], site, month: str) -> None:
    out = [f"EXPLAIN (ANALYZE, BUFFERS) of the {len(queries)} queries of reports.monthly.monthly_report, "
           f"site {site.code}, month {month}\n"]
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
    (RESULTS / "explain_monthly_report.txt").write_text("\n".join(out))
    say(f"  EXPLAIN of {len(queries)} queries ({total:.1f} ms in the database) in bench/results/"
        "explain_monthly_report.txt")
