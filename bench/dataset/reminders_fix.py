"""Bring an existing dataset's reminders to what the scans would have left (bench/dataset/reminders.py), at the
dataset's day (that of its last delivery, as the suite's reminder scan): `.venv/bin/python -m
bench.dataset.reminders_fix` with DATABASE_URL set. Idempotent; a dataset generated since needs nothing."""

from bench.suite.common import setup_django

setup_django()

from zoneinfo import ZoneInfo  # noqa: E402

from django.db.models import Max  # noqa: E402

from repair_orders.models import RepairOrder  # noqa: E402
from servicedesk.accounts.models import Site  # noqa: E402

from . import SITE_CODES  # noqa: E402
from .reminders import reminders_as_left  # noqa: E402


def main() -> None:
    last = RepairOrder.objects.aggregate(last=Max("delivered_at"))["last"]
    if last is None:
        raise SystemExit("No delivered repair orders: generate the dataset first (make bench-data).")
    for site in Site.objects.filter(code__in=SITE_CODES).order_by("pk"):
        today = last.astimezone(ZoneInfo(site.time_zone)).date()
        print(f"{site.code} ({today}): {reminders_as_left(site, today)}", flush=True)


if __name__ == "__main__":
    main()
