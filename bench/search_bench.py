"""Search latency on a big site (PostgreSQL): .venv/bin/python bench/search_bench.py [--reset] [--explain]

Fills site BENCH with 150,000 customers and 180,000 vehicles once (bulk_create, no services), then times
archive_search and the first page of customer_list for plate, mobile and VIN fragments. Target: p95 <= 30 ms.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from customers import fakedata  # noqa: E402
from customers.models import Customer, Vehicle  # noqa: E402
from customers.selectors import archive_search, customer_list  # noqa: E402
from servicedesk.accounts.models import Site  # noqa: E402

SITE_CODE = "BENCH"
N_CUSTOMERS, N_VEHICLES, BATCH = 150_000, 180_000, 5_000
QUERIES_PER_KIND = 200
TARGET_P95_MS = 30


def reset(site: Site) -> None:
    with connection.cursor() as cursor, transaction.atomic():
        for model in (Vehicle, Customer):  # nothing else is ever created for BENCH
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE site_id = %s", [site.pk])
    print("BENCH data dropped.")


def populate(site: Site) -> None:
    if Customer.objects.filter(site=site).count() == N_CUSTOMERS and (
            Vehicle.objects.filter(site=site).count() == N_VEHICLES):
        return
    if Customer.objects.filter(site=site).exists():
        reset(site)  # partial data from an interrupted run
    rng, started = random.Random("bench"), time.perf_counter()
    for start in range(0, N_CUSTOMERS, BATCH):
        Customer.objects.bulk_create(
            Customer(site=site, **fakedata.customer_data(rng, company=rng.random() < 0.05))
            for _ in range(min(BATCH, N_CUSTOMERS - start)))
    owner_ids = list(Customer.objects.filter(site=site).values_list("pk", flat=True))
    for start in range(0, N_VEHICLES, BATCH):
        # The serial makes every VIN unique within the site.
        Vehicle.objects.bulk_create(
            Vehicle(site=site, owner_id=owner_ids[serial % len(owner_ids)],
                    **fakedata.vehicle_data(rng, serial=serial))
            for serial in range(start, min(start + BATCH, N_VEHICLES)))
    took = time.perf_counter() - started
    print(f"Created {N_CUSTOMERS} customers and {N_VEHICLES} vehicles in {took:.0f} s.")


def sample_queries(site: Site) -> dict[str, list[str]]:
    rng = random.Random("queries")

    def pick(model, field: str) -> list[str]:
        values = list(model.objects.filter(site=site).values_list(field, flat=True))
        return rng.sample(values, QUERIES_PER_KIND)

    plates, vins, mobiles = pick(Vehicle, "plate"), pick(Vehicle, "vin"), pick(Customer, "mobile")

    def fragment(plate: str, length: int) -> str:  # from the part after the province, e.g. A1234 or 12345
        start = rng.randrange(1, len(plate) - length + 1)
        return plate[start:start + length]

    return {
        **{f"plate, {n} chars": [fragment(p, n) for p in plates] for n in (3, 4, 5)},
        "mobile, last 4": [m[-4:] for m in mobiles],
        "VIN, last 6": [v[-6:] for v in vins],
    }


SELECTORS = {
    "archive_search": lambda site, q: archive_search(site=site, q=q),
    "customer_list[:25]": lambda site, q: list(customer_list(site=site, q=q)[:25]),
}


def explain(site: Site, run, q: str) -> None:
    with CaptureQueriesContext(connection) as captured:
        run(site, q)
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print(query["sql"][:300], "\n  " + "\n  ".join(row[0] for row in cursor.fetchall()), "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="drop the BENCH data and stop")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each row's slowest query")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at PostgreSQL, e.g. postgres://servicedesk:servicedesk@127.0.0.1:5432/servicedesk")
    site, _ = Site.objects.get_or_create(code=SITE_CODE, defaults={"name": "Benchmark"})
    if args.reset:
        return reset(site)
    populate(site)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer; ANALYZE customers_vehicle")
    queries = sample_queries(site)
    print(f"\n{'selector':<20}{'query':<16}{'count':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    misses = 0
    for name, run in SELECTORS.items():
        for kind, texts in queries.items():
            for q in texts[:10]:  # warm the cache and the connection
                run(site, q)
            timings = []
            for q in texts:
                started = time.perf_counter()
                run(site, q)
                timings.append(((time.perf_counter() - started) * 1000, q))
            ms = sorted(t for t, _q in timings)
            p95 = statistics.quantiles(ms, n=100)[94]
            misses += p95 > TARGET_P95_MS
            print(f"{name:<20}{kind:<16}{len(ms):>6}{statistics.median(ms):>9.1f}{p95:>9.1f}{ms[-1]:>9.1f}"
                  + ("  > target" if p95 > TARGET_P95_MS else ""))
            if args.explain:
                explain(site, run, max(timings)[1])
    print(f"\nTarget p95 <= {TARGET_P95_MS} ms: " + ("met." if not misses else f"missed in {misses} rows."))


if __name__ == "__main__":
    main()
