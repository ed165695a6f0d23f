"""Run the load benchmark: .venv/bin/python -m bench.load [--users 50] [--spawn-rate 10] [--run-time 2m] [--no-save]

Starts gunicorn (bench/suite/server.py: 2 × cores + 1 workers) against DATABASE_URL and REDIS_URL, reads the
dataset's accounts, plates and RO ids (samples.py), then runs locust headless in one process (gevent) on the same
machine with the mixed workload of locustfile.py, and writes the table of report.py. gunicorn's output (any
traceback) goes to var/bench-load/gunicorn.log, locust's CSV files next to it."""

import argparse
import json
import os
import subprocess
import time

from bench.suite.common import ROOT, say, setup_django

WORK = ROOT / "var" / "bench-load"
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    # Staff arrive over the first 50 s (one sign-in a second), then all 50 work for over 2 minutes.
    parser.add_argument("--spawn-rate", type=float, default=1)
    parser.add_argument("--run-time", default="3m", help="locust's --run-time (3m, 90s), arrivals included")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--no-save", action="store_true", help="print only, write nothing to bench/results/")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from bench.suite import fixtures
    from bench.suite.server import default_workers, free_port, start_gunicorn, stop

    from . import report, samples

    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL with the dataset of `make bench-data`) and REDIS_URL.")
    site = fixtures.bench_site(None)
    load_before = [round(n, 2) for n in os.getloadavg()]  # the machine may be shared: say how busy it was
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "samples.json").write_text(json.dumps(samples.collect(args.users), ensure_ascii=False))
    connection.close()
    users = sum(samples.mix(args.users).values())  # each role its share, at least one
    workers, port = args.workers or default_workers(), free_port()
    record = WORK / "record.json"
    record.unlink(missing_ok=True)
    with open(WORK / "gunicorn.log", "w") as log:
        server = start_gunicorn(port, workers, log=log)
        say(f"load: gunicorn {workers} workers on 127.0.0.1:{port}; locust {users} users (spawn rate "
            f"{args.spawn_rate}/s) for {args.run_time}, one process (gevent) on the same machine")
        started = time.monotonic()
        try:
            subprocess.run([str(ROOT / ".venv" / "bin" / "locust"), "-f", str(LOCUSTFILE),
                            "--headless", "--users", str(users), "--spawn-rate", str(args.spawn_rate),
                            "--run-time", args.run_time, "--host", f"http://127.0.0.1:{port}",
                            "--csv", str(WORK / "locust"), "--only-summary", "--loglevel", "WARNING"],
                           cwd=ROOT, env={**os.environ, "LOAD_SAMPLES": str(WORK / "samples.json"),
                                          "LOAD_RECORD": str(record)}, check=False)
            seconds = time.monotonic() - started
        finally:
            stop(server)
    if not record.exists():
        raise SystemExit("locust wrote no record (see its output above)")
    summary = report.summarise(json.loads(record.read_text()), seconds=seconds)
    setup = (f"gunicorn {workers} sync workers (dev settings, DEBUG off, CONN_MAX_AGE 60, Redis cache); locust "
             f"{users} users, spawn rate {args.spawn_rate}/s, {args.run_time}, one process (gevent) on the "
             f"same machine. Load average at the start {load_before}.")
    report.write(summary, site=site, setup=setup, save=not args.no_save)
    if summary["errors"]:
        say(f"{summary['errors']} error(s): see var/bench-load/locust_failures.csv and gunicorn.log")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
