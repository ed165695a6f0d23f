"""RO page requests/s under gunicorn (workers = 2 × cores + 1, dev settings with DEBUG off, persistent database
connections) against the trivial view /healthz (a Django view through the whole middleware stack) on the same
server, in alternating wrk runs; the ratio of each pair must be ≥ 20%. wrk logs in with a session cookie of
the bench advisor (made like the test client's force_login).

The page as production serves it comes from the page cache while nothing on it changes (repair_orders/
page_cache.py: each request still signs the user in, checks the permission and reads the fingerprint of the
rows the page shows). A second server with RO_PAGE_CACHE=False measures the page rendered on every request,
reported beside it without a budget."""

import re
import shutil
import subprocess
import sys

from django.conf import settings
from django.test import Client

from servicedesk.accounts.roles import ADVISOR

from . import fixtures
from .common import Measure, say
from .server import default_workers, free_port, start_gunicorn, stop

RATIO_BUDGET = 0.2


def wrk(url: str, cookie: str, *, connections: int, duration: int) -> float:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "-H", f"Cookie: {cookie}",
                          "-H", "Host: localhost", url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url} answered errors under wrk:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _pairs(path: str, cookie: str, *, workers: int, runs: int, duration: int, env: dict) -> tuple[list, list, list]:
    """(page req/s, trivial req/s, ratios) of `runs` alternating pairs on one fresh server."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    page_url, trivial_url = base + path, f"{base}/healthz"
    server = start_gunicorn(port, workers, env=env)
    try:
        for url in (page_url, trivial_url):
            wrk(url, cookie, connections=workers * 2, duration=2)  # warm every worker
        pages, trivials, ratios = [], [], []
        for n in range(runs):
            order = [page_url, trivial_url] if n % 2 == 0 else [trivial_url, page_url]
            found = {url: wrk(url, cookie, connections=workers * 2, duration=duration) for url in order}
            pages.append(found[page_url])
            trivials.append(found[trivial_url])
            ratios.append(found[page_url] / found[trivial_url])
    finally:
        stop(server)
    return pages, trivials, ratios


def measure_throughput(site, *, runs: int, duration: int) -> list[Measure]:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    advisor = fixtures.site_user(site, ADVISOR)
    ro = fixtures.big_repair_order(site, advisor)
    client = Client()
    client.force_login(advisor)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    workers = default_workers()
    path = f"/repair-orders/{ro.pk}/"
    say(f"throughput: gunicorn {workers} workers, wrk {workers * 2} connections, {runs} pairs of {duration} s")
    served, trivial, ratios = _pairs(path, cookie, workers=workers, runs=runs, duration=duration, env={})
    rendered, _trivial, ratios_off = _pairs(path, cookie, workers=workers, runs=runs, duration=duration,
                                               env={"RO_PAGE_CACHE": "False"})
    measures = [
        Measure("throughput", "RO page (20 jobs, 40 parts lines)", "req/s", served,
                note=f"{workers} workers; page cache on, as served"),
        Measure("throughput", "trivial Django view (/healthz)", "req/s", trivial, note="same server"),
        Measure("throughput", "RO page ÷ trivial view, pairwise", "×", ratios, RATIO_BUDGET, direction="min",
                note=f"{runs} alternating pairs of {duration} s"),
        Measure("throughput", "RO page rendered every time (cache off)", "req/s", rendered,
                note="RO_PAGE_CACHE=False"),
        Measure("throughput", "… ÷ trivial view on that server", "×", ratios_off, note="no budget: see above"),
    ]
    for m in measures:
        say(f"  {m.name:<40} median {m.median:8.2f} {m.unit} (min {min(m.runs):.2f}, max {max(m.runs):.2f})")
    return measures
