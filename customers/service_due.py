"""Vehicle.service_due_on: the day the vehicle's next service reminder is due, kept on the row so that the
reminder scans (followups/services/reminders.py) read an indexed range instead of every vehicle's mileage
history on every run.

- With a next service stored (set at delivery): the earlier of next_service_on and the day the odometer is
  projected to reach next_service_km at the vehicle's average km/day between its first and last reading.
- Without one: the first service (首保) by the maker's interval (billing.schedule), counted from the
  registration date, by date or by the mileage projected from 0 km on that day.
- Neither (no next service, no registration date): None.

The value depends only on the vehicle's row and readings, never on today, so it stays true until one of
them changes. Whatever writes a reading, a next service, a registration date or a make/model calls
`vehicles_refresh_service_due` after the write, in the same transaction (the caller's write holds the row lock,
so two writers recompute one after the other). Nothing else writes the field."""

import math
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Min

from billing.schedule import add_months, intervals_for, schedule_key

from .models import Vehicle

# Vehicles per SELECT of a refresh; changed rows per UPDATE (a CASE over the batch, kept short for PostgreSQL).
REFRESH_BATCH = 2_000
UPDATE_BATCH = 500


@dataclass(frozen=True)
class Readings:
    first_on: date | None
    last_on: date | None
    low: int | None
    high: int | None


def projected_day(readings: Readings, target_km: int | None) -> date | None:
    """The day the odometer reaches `target_km` at the vehicle's average km/day so far; None without a
    target or without two readings at least a day apart showing some driving."""
    if target_km is None or None in (readings.first_on, readings.last_on, readings.low, readings.high):
        return None
    days = (readings.last_on - readings.first_on).days
    if days <= 0 or readings.high <= readings.low:
        return None
    if target_km <= readings.high:
        return readings.last_on
    per_day = (readings.high - readings.low) / days
    return readings.last_on + timedelta(days=math.ceil((target_km - readings.high) / per_day))


def earliest(by_date: date | None, by_mileage: date | None) -> tuple[date, str] | None:
    """The due day and what made it due ("date" or "mileage"; a tie is "date")."""
    if by_mileage is not None and (by_date is None or by_mileage < by_date):
        return by_mileage, "mileage"
    return (by_date, "date") if by_date is not None else None


def first_service_by_date(registered: date, first_months: int) -> date:
    return add_months(registered, first_months)


FIELDS = ("pk", "site_id", "make", "model", "registration_date", "next_service_on", "next_service_km",
          "service_due_on", "first_on", "last_on", "low", "high")


def _due(row: dict, interval) -> date | None:
    readings = Readings(row["first_on"], row["last_on"], row["low"], row["high"])
    if row["next_service_on"] is not None:
        due = earliest(row["next_service_on"], projected_day(readings, row["next_service_km"]))
    elif row["registration_date"] is not None:
        since_registration = Readings(row["registration_date"], readings.last_on, 0, readings.high)
        due = earliest(first_service_by_date(row["registration_date"], interval.first_months),
                       projected_day(since_registration, interval.first_km))
    else:
        due = None
    return due[0] if due else None


def _refresh(vehicles) -> int:
    """One batch: its rows with their readings' range (1 query), the schedule of their sites (1), the changed
    dates (1 per UPDATE_BATCH changed rows, none when nothing moved)."""
    rows = list(vehicles.annotate(first_on=Min("mileage_readings__read_on"), last_on=Max("mileage_readings__read_on"),
                                  low=Min("mileage_readings__km"), high=Max("mileage_readings__km"))
                .order_by().values(*FIELDS))
    intervals = intervals_for(schedule_key(row["site_id"], row["make"], row["model"]) for row in rows
                              if row["next_service_on"] is None and row["registration_date"] is not None)
    changed = []
    for row in rows:
        due = _due(row, intervals.get(schedule_key(row["site_id"], row["make"], row["model"])))
        if due != row["service_due_on"]:
            changed.append(Vehicle(pk=row["pk"], service_due_on=due))
    Vehicle.objects.bulk_update(changed, ["service_due_on"], batch_size=UPDATE_BATCH)
    return len(changed)


def vehicles_refresh_service_due(vehicle_ids: Iterable[int]) -> int:
    """Recompute `service_due_on` of these vehicles (after a write to them or their readings; see the module's
    note); the number whose date moved. 2 queries per REFRESH_BATCH ids, plus the UPDATEs of those that moved."""
    ids = sorted(set(vehicle_ids))
    return sum(_refresh(Vehicle.objects.filter(pk__in=ids[start:start + REFRESH_BATCH]))
               for start in range(0, len(ids), REFRESH_BATCH))


def service_due_refresh_all(*, site_id: int | None = None, atomic=nullcontext) -> int:
    """Every vehicle (of one site), in pk ranges of REFRESH_BATCH, each batch inside `atomic()` (the command
    commits per batch; a migration is already one transaction): the backfill after a migration or a bulk load
    that wrote vehicles or readings without the services. The number whose date moved."""
    vehicles = Vehicle.objects.all() if site_id is None else Vehicle.objects.filter(site_id=site_id)
    moved, after = 0, 0
    while True:
        ids = list(vehicles.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:REFRESH_BATCH])
        if not ids:
            return moved
        with atomic():
            moved += _refresh(vehicles.filter(pk__gt=after, pk__lte=ids[-1]))
        after = ids[-1]
