"""The suite's output: bench/results/<timestamp>.json and .md, and latest.md (the table of the last run)."""

import json
import os
import platform
from datetime import datetime

from .common import RESULTS, Measure, say


def environment(site) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM repair_orders_repairorder WHERE site_id = %s", [site.pk])
        site_ros = cursor.fetchone()[0]
    return {"site": site.code, "site_repair_orders": site_ros, "postgresql": server, "cpus": os.cpu_count(),
            "load_average": [round(n, 2) for n in os.getloadavg()], "python": platform.python_version()}


def _figure(value: float, unit: str) -> str:
    return f"{value:.0f}" if unit.startswith(("req", "KB")) else f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def markdown(measures: list[Measure], env: dict, stamp: str) -> str:
    lines = [f"# Benchmark suite, {stamp}", "",
             f"Site {env['site']} ({env['site_repair_orders']:,} repair orders), PostgreSQL {env['postgresql']}, "
             f"{env['cpus']} CPUs, load average at the end {env['load_average']}. Each figure: median of the runs, "
             "with min and max.", "",
             "| group | measure | median | min | max | unit | budget | met | queries | note |",
             "|---|---|---:|---:|---:|---|---|---|---:|---|"]
    for m in measures:
        budget = "" if m.budget is None else ("≤ " if m.direction == "max" else "≥ ") + _figure(m.budget, m.unit)
        met = "" if m.met is None else ("yes" if m.met else "**NO**")
        lines.append(f"| {m.group} | {m.name} | {_figure(m.median, m.unit)} | {_figure(min(m.runs), m.unit)} | "
                     f"{_figure(max(m.runs), m.unit)} | {m.unit} | {budget} | {met} | "
                     f"{'' if m.queries is None else m.queries} | {m.note} |")
    return "\n".join(lines) + "\n"


def write(measures: list[Measure], *, site, args) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    env = environment(site)
    data = {"stamp": stamp, "environment": env, "runs": args.runs, "requests": args.requests,
            "measures": [m.as_dict() for m in measures]}
    (RESULTS / f"{stamp}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    table = markdown(measures, env, stamp)
    (RESULTS / f"{stamp}.md").write_text(table)
    (RESULTS / "latest.md").write_text(table)
    say(f"\n{table}\nWritten bench/results/{stamp}.json, {stamp}.md and latest.md")
