"""Run the suite: .venv/bin/python -m bench.suite [--site BSH] [--only pages,search,...] [--runs 3]

Each measure is run `--runs` times; the results table shows the median with min and max, and whether the
budget of issue 10 is met. Writes bench/results/<timestamp>.json and .md, and bench/results/latest.md."""

import argparse

from .common import setup_django

GROUPS = ("pages", "search", "report", "pdf", "scans", "throughput")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="bench site code (default BSH, else the demo's SH01)")
    parser.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated groups of {GROUPS}")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (median, min, max)")
    parser.add_argument("--requests", type=int, default=200, help="requests per run for the p95 of a page")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--no-save", action="store_true", help="print only, write no results")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from . import fixtures, results

    if connection.vendor != "postgresql":
        raise SystemExit("Point DATABASE_URL at PostgreSQL (the dataset of `make bench-data`).")
    site = fixtures.bench_site(args.site)
    wanted = [group.strip() for group in args.only.split(",") if group.strip()]
    measures = []
    for group in wanted:
        measures += run_group(group, site, args)
    if not args.no_save:
        results.write(measures, site=site, args=args)


def run_group(group: str, site, args) -> list:
    if group == "pages":
        from .pages import measure_pages

        return measure_pages(site, runs=args.runs, requests=args.requests)
    if group == "search":
        from .pages import measure_search

        return measure_search(site, runs=args.runs)
    if group == "report":
        from .report import measure_report

        return measure_report(site, runs=max(args.runs, 5))
    if group == "pdf":
        from .pdfs import measure_pdfs

        return measure_pdfs(site, runs=max(args.runs, 10))
    if group == "scans":
        from .scans import measure_scans

        return measure_scans(site, runs=args.runs)
    if group == "throughput":
        from .throughput import measure_throughput

        return measure_throughput(site, runs=args.runs, duration=args.duration)
    raise SystemExit(f"Unknown group {group!r}; choose from {GROUPS}")


if __name__ == "__main__":
    main()
