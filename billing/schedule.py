"""When a vehicle is next due for service (定期保养) and when its first service (首保) falls, from the maintenance
schedule: the most specific row for the vehicle's make and model wins, the site's rows before the group's
(site blank), and without any row 6 months / 5,000 km. Delivery stores the result on the vehicle for the
maintenance reminders; the first-service reminders of the follow-ups read `first_service_due`."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from .models import MaintenanceSchedule


@dataclass(frozen=True)
class Interval:
    months: int
    km: int
    first_months: int
    first_km: int


DEFAULT_INTERVAL = Interval(months=6, km=5000, first_months=3, first_km=3000)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31 Aug + 6 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _rank(row: MaintenanceSchedule, make: str, model: str) -> tuple[int, int] | None:
    """Lower is more specific; None when the row does not apply (another model, or a model without a make)."""
    if row.make and row.make.casefold() != make:
        return None
    if row.model and (not row.make or row.model.casefold() != model):
        return None
    specificity = 0 if row.model else 1 if row.make else 2
    return (0 if row.site_id else 1, specificity)


def _normalised(text: str | None) -> str:
    return (text or "").strip().casefold()


def _chosen(rows, make: str, model: str) -> Interval:
    ranked = [(rank, row) for row in rows if (rank := _rank(row, make, model)) is not None]
    if not ranked:
        return DEFAULT_INTERVAL
    row = min(ranked, key=lambda pair: pair[0])[1]
    return Interval(months=row.interval_months, km=row.interval_km, first_months=row.first_service_months,
                    first_km=row.first_service_km)


def interval_for(vehicle) -> Interval:
    """The vehicle's service interval: site+make+model > site+make > site default > the same three of
    the group (site blank) > 6 months / 5,000 km. One query."""
    make, model = _normalised(vehicle.make), _normalised(vehicle.model)
    rows = MaintenanceSchedule.objects.filter(Q(site_id=vehicle.site_id) | Q(site__isnull=True),
                                              Q(make__iexact=make) | Q(make=""))
    return _chosen(rows, make, model)


def schedule_key(site_id: int, make: str | None, model: str | None) -> tuple[int, str, str]:
    """The key of `intervals_for`'s answer for a vehicle."""
    return site_id, _normalised(make), _normalised(model)


def intervals_for(keys) -> dict[tuple[int, str, str], Interval]:
    """`interval_for` of many vehicles at once, by `schedule_key`: one query (the schedule of their sites and
    the group's rows is a short table)."""
    keys = set(keys)
    if not keys:
        return {}
    rows = list(MaintenanceSchedule.objects.filter(Q(site_id__in={site_id for site_id, _, _ in keys})
                                                   | Q(site__isnull=True)))
    return {(site_id, make, model): _chosen([row for row in rows if row.site_id in (None, site_id)], make, model)
            for site_id, make, model in keys}


def next_service_due(*, vehicle, delivered_on: date, mileage: int | None) -> tuple[date, int | None]:
    """The date and odometer reading of the next periodic service after a visit delivered on
    `delivered_on` at `mileage` km (no mileage: no kilometre target)."""
    interval = interval_for(vehicle)
    return add_months(delivered_on, interval.months), (mileage + interval.km if mileage is not None else None)


def first_service_due(vehicle) -> tuple[date | None, int]:
    """首保: registration date + the first-service months (None without a registration date), and the
    first-service kilometres (an odometer reading, counted from zero)."""
    interval = interval_for(vehicle)
    registered = vehicle.registration_date
    return (add_months(registered, interval.first_months) if registered else None), interval.first_km
