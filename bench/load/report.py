"""The load run's figures from locust's per-request record: per request kind count, errors, conflicts, p50, p95,
max; overall p95 and requests/s of the workload (the sign-ins excluded: once a shift, counted on their own rows).
Written as bench/results/load-<timestamp>.json and .md, and bench/results/load-latest.md."""

import json
import statistics
from datetime import datetime

from bench.suite.common import RESULTS, p95, say
from bench.suite.results import environment

P95_BUDGET_MS = 300
SIGN_IN = ("login form", "login")


def _row(name: str, times: list[float], outcomes: list[str]) -> dict:
    return {"name": name, "count": len(times), "errors": outcomes.count("error"),
            "conflicts": outcomes.count("conflict"), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95(times), 1), "max_ms": round(max(times), 1)}


def summarise(record: dict, *, seconds: float) -> dict:
    by_name: dict[str, tuple[list, list]] = {}
    for name, ms, outcome, _second in record["requests"]:
        times, outcomes = by_name.setdefault(name, ([], []))
        times.append(ms)
        outcomes.append(outcome)
    rows = [_row(name, *by_name[name]) for name in sorted(by_name, key=lambda n: (n not in SIGN_IN, n))]
    work = [(ms, outcome) for name, ms, outcome, _s in record["requests"] if name not in SIGN_IN]
    overall = _row("all requests but the sign-ins", [ms for ms, _o in work], [o for _ms, o in work]) if work else None
    # The sign-ins (PBKDF2, ~0.5 s of CPU each) crowd the first seconds; the same figures once they are over:
    last_sign_in = max((second for name, _ms, _o, second in record["requests"] if name in SIGN_IN), default=0)
    after = [(ms, outcome) for name, ms, outcome, second in record["requests"]
             if name not in SIGN_IN and second > last_sign_in]
    steady = _row("the same, after the last sign-in", [ms for ms, _o in after], [o for _ms, o in after]) \
        if after else None
    errors = sum(row["errors"] for row in rows)
    return {"rows": rows, "overall": overall, "steady": steady, "errors": errors, "users": record["users"],
            "rps": round(len(work) / seconds, 1), "seconds": round(seconds),
            "met": bool(overall) and errors == 0 and overall["p95_ms"] <= P95_BUDGET_MS}


def markdown(summary: dict, env: dict, stamp: str, setup: str) -> str:
    overall = summary["overall"] or {}
    lines = [f"# Load, {stamp}", "",
             f"Site data of the bench dataset ({env['site']}: {env['site_repair_orders']:,} repair orders), PostgreSQL "
             f"{env['postgresql']}, {env['cpus']} CPUs, load average at the end {env['load_average']}. {setup}", "",
             f"Users: {', '.join(f'{n} {role}' for role, n in sorted(summary['users'].items()))}. "
             f"{summary['seconds']} s, {summary['rps']} requests/s (sign-ins excluded). "
             f"Overall p95 {overall.get('p95_ms', '—')} ms (budget ≤ {P95_BUDGET_MS} ms), errors {summary['errors']} "
             f"(budget 0): {'met' if summary['met'] else '**NOT met**'}.", "",
             "| request | count | errors | conflicts | p50 ms | p95 ms | max ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for row in summary["rows"] + [row for row in (overall, summary["steady"]) if row]:
        lines.append(f"| {row['name']} | {row['count']} | {row['errors']} | {row['conflicts']} | {row['p50_ms']} | "
                     f"{row['p95_ms']} | {row['max_ms']} |")
    return "\n".join(lines) + "\n"


def write(summary: dict, *, site, setup: str, save: bool) -> None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    env = environment(site)
    table = markdown(summary, env, stamp, setup)
    say(f"\n{table}")
    if not save:
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"stamp": stamp, "environment": env, "setup": setup, **summary}
    (RESULTS / f"load-{stamp}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1))
    (RESULTS / f"load-{stamp}.md").write_text(table)
    (RESULTS / "load-latest.md").write_text(table)
    say(f"Written bench/results/load-{stamp}.json, load-{stamp}.md and load-latest.md")
