"""Customers and vehicles (customers/fakedata.py's names, mobiles, plates and VINs). Vehicles are written first
as registered; their last mileage and next service are set from the history at the end (finish_vehicles)."""

import random
from dataclasses import dataclass, field

from customers import fakedata
from customers.service_due import vehicles_refresh_service_due

from .clock import DAY, Clock


@dataclass
class Archive:
    """One site's customers and vehicles, as the history needs them (by index)."""

    customer_ids: list[int] = field(default_factory=list)
    customer_names: list[str] = field(default_factory=list)
    customer_mobiles: list[str] = field(default_factory=list)
    vehicle_ids: list[int] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)  # index into the customers
    plates: list[str] = field(default_factory=list)
    vins: list[str] = field(default_factory=list)
    registered: list[int] = field(default_factory=list)  # minute (may be negative: before the first day)
    km_per_day: list[int] = field(default_factory=list)
    # Kept by the history: last delivered RO, when, its mileage, and the next service due (minute, km).
    last_ro: list[int] = field(default_factory=list)
    last_delivered: list[int] = field(default_factory=list)
    last_km: list[int] = field(default_factory=list)
    next_due: list[int] = field(default_factory=list)
    next_km: list[int] = field(default_factory=list)


def create(t, site, n_customers: int, n_vehicles: int, rng: random.Random, clock: Clock, serial0: int) -> Archive:
    archive = Archive()
    created = clock.ts(0)
    for _ in range(n_customers):
        data = fakedata.customer_data(rng, company=rng.random() < 0.05)
        pk = t.customers.add(site.pk, data["kind"], data["name"], data["mobile"], data["mobile2"], data["address"],
                             data["preferred_channel"], data["tier"], data["club_member"], rng.random() < 0.4,
                             created, created)
        archive.customer_ids.append(pk)
        archive.customer_names.append(data["name"])
        archive.customer_mobiles.append(data["mobile"])
    for n in range(n_vehicles):
        # The serial keeps every VIN of the site unique (uniq_site_vin); the first vehicles have one owner each.
        data = fakedata.vehicle_data(rng, serial=serial0 + n)
        owner = n if n < n_customers else rng.randrange(n_customers)
        registered = clock.minute_of(data["registration_date"])
        pk = t.vehicles.add(site.pk, data["vin"], data["plate"], data["make"], data["model"], data["model_year"],
                            data["engine_number"], data["colour"], data["registration_date"],
                            data["warranty_start"], archive.customer_ids[owner], created, created)
        archive.vehicle_ids.append(pk)
        archive.owner.append(owner)
        archive.plates.append(data["plate"])
        archive.vins.append(data["vin"])
        archive.registered.append(registered)
        archive.km_per_day.append(rng.randint(22, 68))
    count = len(archive.vehicle_ids)
    archive.last_ro = [0] * count
    archive.last_delivered = [-10**9] * count
    archive.last_km = [0] * count
    archive.next_due = [0] * count
    archive.next_km = [0] * count
    return archive


def mileage(archive: Archive, vehicle: int, minute: int) -> int:
    return max(10, (minute - archive.registered[vehicle]) // DAY * archive.km_per_day[vehicle])


def finish_vehicles(cursor, archive: Archive, clock: Clock) -> None:
    """Last mileage and next service of every vehicle that came in, through a temporary table (one UPDATE); then
    every vehicle's reminder day (Vehicle.service_due_on)."""
    rows = [f"{archive.vehicle_ids[v]}\t{archive.last_km[v]}\t{clock.day(archive.last_delivered[v])}\t"
            f"{clock.day(archive.next_due[v])}\t{archive.next_km[v]}"
            for v in range(len(archive.vehicle_ids)) if archive.last_ro[v]]
    update_from_rows(cursor, "customers_vehicle", ["mileage integer", "mileage_on date", "next_service_on date",
                                                   "next_service_km integer"], rows)
    # The reminder scans read the stored due day: computed by the one function that keeps it (in batches).
    vehicles_refresh_service_due(archive.vehicle_ids)


def update_from_rows(cursor, table: str, columns: list[str], rows: list[str]) -> None:
    import io

    names = [c.split()[0] for c in columns]
    cursor.execute(f"CREATE TEMP TABLE bench_update (id bigint, {', '.join(columns)})")
    cursor.copy_expert("COPY bench_update FROM STDIN", io.StringIO("\n".join(rows) + "\n" if rows else ""))
    assignments = ", ".join(f'"{n}" = u."{n}"' for n in names)
    cursor.execute(f'UPDATE "{table}" t SET {assignments} FROM bench_update u WHERE t.id = u.id')
    cursor.execute("DROP TABLE bench_update")
