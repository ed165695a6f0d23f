"""Server time of the staff pages in-process (Django's test client, session and middleware included), their
query counts, and the customer search (bench/search_bench.py's samples and selectors)."""

import gc

from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from servicedesk.accounts.roles import ADVISOR, CUSTOMER_CARE, FOREMAN, SERVICE_MANAGER

from . import fixtures
from .common import Measure, p95, say, timed_ms

PAGE_BUDGET_MS, SEARCH_BUDGET_MS = 100, 30


def client_for(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def page_measure(group: str, name: str, client: Client, url: str, *, runs: int, requests: int,
                 budget=PAGE_BUDGET_MS, note: str = "") -> Measure:
    for _n in range(5):  # warm the connection, the caches and the templates
        response = client.get(url)
        assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    reset_queries()  # request_started clears the log: start the capture from an empty one
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured.captured_queries)  # now: the log is cleared by the next request
    p95s = []
    for _run in range(runs):
        p95s.append(p95([timed_ms(lambda: client.get(url)) for _n in range(requests)]))
    measure = Measure(group, name, "ms p95", p95s, budget, queries=queries, note=note or url)
    say(f"  {name:<34} p95 {measure.median:7.1f} ms (min {min(p95s):.1f}, max {max(p95s):.1f}), "
        f"{measure.queries} queries")
    return measure


def dispatch_foreman(site):
    """The dataset's big site has 20 technicians and 150 open jobs today; elsewhere bench/bench_dispatch_board.py's
    site BENCHD is filled to that size."""
    from bench import bench_dispatch_board as board
    from servicedesk.accounts.models import Site

    if site.code == "BSH":
        return fixtures.site_user(site, FOREMAN), "/workshop/board/ on BSH (the dataset's day)"
    site, _ = Site.objects.get_or_create(code=board.SITE_CODE, defaults={"name": "Dispatch benchmark"})
    foreman = board.staff(site, "bench-foreman-d", FOREMAN, "基准主管")
    board.populate(site, foreman)
    return foreman, "/workshop/board/ on site BENCHD (bench/bench_dispatch_board.py)"


def measure_pages(site, *, runs: int, requests: int) -> list[Measure]:
    advisor = fixtures.site_user(site, ADVISOR)
    big_ro = fixtures.big_repair_order(site, advisor)
    customer_id = fixtures.busiest_customer(site)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    desk = client_for(advisor)
    foreman, board_note = dispatch_foreman(site)
    pages = [
        ("front-desk board", desk, "/repair-orders/", ""),
        ("RO page (20 jobs, 40 parts lines)", desk, f"/repair-orders/{big_ro.pk}/", ""),
        ("dispatch board (20 techs, 150 jobs)", client_for(foreman), "/workshop/board/", board_note),
        ("callback queue", client_for(fixtures.site_user(site, CUSTOMER_CARE)), "/followups/", ""),
        ("customer detail (most ROs)", desk, f"/customers/{customer_id}/", ""),
        ("manager dashboard", client_for(fixtures.site_user(site, SERVICE_MANAGER)), "/reports/", ""),
    ]
    # As servicedesk/wsgi.py does at a worker's start-up: what the process holds before it serves (here also
    # the suite's own objects) stays out of every full collection, which would otherwise scan it mid-request.
    gc.collect()
    gc.freeze()
    say(f"pages on {site.code}, {runs} runs of {requests} requests")
    # Every page rendered on every request: the RO page cache (repair_orders/page_cache.py) is off here and
    # measured on its own below.
    with override_settings(RO_PAGE_CACHE=False):
        measures = [page_measure("pages", name, client, url, runs=runs, requests=requests, note=note)
                    for name, client, url, note in pages]
    measures.append(page_measure("pages", "RO page from the page cache", desk, f"/repair-orders/{big_ro.pk}/",
                                 runs=runs, requests=requests, note="nothing on it changed since the last view"))
    return measures


def measure_search(site, *, runs: int) -> list[Measure]:
    from bench import search_bench

    queries = search_bench.sample_queries(site)
    out = []
    say(f"customer search on {site.code}, {runs} runs of {search_bench.QUERIES_PER_KIND} queries per kind")
    for selector, run in search_bench.SELECTORS.items():
        for kind, texts in queries.items():
            if kind.startswith("plate") and kind != "plate, 4 chars":
                continue  # the three kinds: a plate fragment (4), a mobile suffix, a VIN suffix
            for q in texts[:10]:
                run(site, q)
            p95s = [p95([timed_ms(lambda q=q, run=run: run(site, q)) for q in texts]) for _run in range(runs)]
            with CaptureQueriesContext(connection) as captured:
                run(site, texts[0])
            measure = Measure("search", f"{selector}: {kind}", "ms p95", p95s, SEARCH_BUDGET_MS,
                              queries=len(captured.captured_queries))
            say(f"  {measure.name:<34} p95 {measure.median:7.1f} ms (min {min(p95s):.1f}, max {max(p95s):.1f})")
            out.append(measure)
    return out
