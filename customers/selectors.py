"""Reads of the customer archive. Each runs a fixed number of queries, whatever the list length."""

from django.db.models import F, Prefetch, Q, QuerySet

from .models import ArchiveEvent, ContactLog, Customer, MileageReading, Ownership, Vehicle
from .validation import clean_search_text, normalize_plate

SEARCH_MIN_LENGTH = 2


def customers_with_mobile(*, site, mobiles) -> list[Customer]:
    wanted = [m for m in mobiles if m]
    return list(
        Customer.objects.filter(site=site, merged_into__isnull=True)
        .filter(Q(mobile__in=wanted) | Q(mobile2__in=wanted))
        .only("pk", "name", "mobile")[:5]
    )


def _vehicle_match(q: str) -> Q:
    key = normalize_plate(q)
    return Q(plate__contains=key) | Q(vin__contains=key)


def _customer_match(q: str) -> Q:
    return Q(name__contains=q) | Q(mobile__contains=q) | Q(mobile2__contains=q)


def customer_list(*, site, q: str = "", tier: str = "") -> QuerySet[Customer]:
    """Customers of the site, newest first; `q` finds name, mobile, or a vehicle's plate or VIN.
    Queries when iterated: customers, then their vehicles (one prefetch)."""
    customers = Customer.objects.filter(site=site, merged_into__isnull=True)
    q = clean_search_text(q)
    if len(q) >= SEARCH_MIN_LENGTH:
        # One id list from both trigram searches: `match OR pk IN (subquery)` makes PostgreSQL scan every
        # customer of the site against a hashed subplan (bench/README.md).
        by_customer = Customer.objects.filter(site=site).filter(_customer_match(q)).order_by().values("pk")
        by_vehicle = Vehicle.objects.filter(site=site).filter(_vehicle_match(q)).order_by().values("owner_id")
        customers = customers.filter(pk__in=by_customer.union(by_vehicle))
    if tier:
        customers = customers.filter(tier=tier)
    return customers.prefetch_related(
        Prefetch("vehicles", queryset=Vehicle.objects.only("pk", "plate", "make", "model", "owner_id"))
    )


def vehicle_list(*, site, q: str = "") -> QuerySet[Vehicle]:
    """Vehicles of the site with their owner (one query); `q` finds plate, VIN, owner name or mobile."""
    vehicles = Vehicle.objects.filter(site=site).select_related("owner")
    q = clean_search_text(q)
    if len(q) >= SEARCH_MIN_LENGTH:
        # One id list from both searches, as in customer_list.
        owners = Customer.objects.filter(site=site).filter(_customer_match(q)).values("pk")
        by_vehicle = Vehicle.objects.filter(site=site).filter(_vehicle_match(q)).order_by().values("pk")
        by_owner = Vehicle.objects.filter(site=site, owner_id__in=owners).order_by().values("pk")
        vehicles = vehicles.filter(pk__in=by_vehicle.union(by_owner))
    return vehicles


def archive_search(*, site, q: str, limit: int = 20) -> dict:
    """The global search box: plate, VIN, mobile or name. Two queries: vehicles, customers."""
    q = clean_search_text(q)
    if len(q) < SEARCH_MIN_LENGTH:
        return {"q": q, "vehicles": [], "customers": [], "too_short": bool(q)}
    # NULLS FIRST (the columns are never null) so the planner can't walk the (site, plate) / (site, name)
    # b-tree in order, filtering row by row, instead of using the trigram indexes (bench/README.md).
    vehicles = list(
        Vehicle.objects.filter(site=site).filter(_vehicle_match(q)).select_related("owner")
        .order_by(F("plate").asc(nulls_first=True), "pk")[:limit]
    )
    customers = list(
        Customer.objects.filter(site=site, merged_into__isnull=True).filter(_customer_match(q))
        .order_by(F("name").asc(nulls_first=True), "pk")[:limit]
    )
    return {"q": q, "vehicles": vehicles, "customers": customers, "too_short": False}


def customer_detail(*, site, pk: int) -> Customer:
    """The customer with vehicles, recent contacts, consent history and events (five queries)."""
    return (
        Customer.objects.filter(site=site)
        .select_related("merged_into")
        .prefetch_related(
            Prefetch("vehicles", queryset=Vehicle.objects.order_by("plate")),
            Prefetch("contacts", queryset=ContactLog.objects.select_related("by", "vehicle")),
            "consent_records",
            Prefetch("events", queryset=ArchiveEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def vehicle_detail(*, site, pk: int) -> Vehicle:
    """The vehicle with owner, ownership history, mileage readings and its timeline (four queries)."""
    return (
        Vehicle.objects.filter(site=site)
        .select_related("owner", "vin_exception_by")
        .prefetch_related(
            Prefetch("ownerships", queryset=Ownership.objects.select_related("customer")),
            Prefetch("mileage_readings", queryset=MileageReading.objects.select_related("recorded_by")),
            Prefetch("events", queryset=ArchiveEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def vehicle_timeline(vehicle: Vehicle) -> list[dict]:
    """Events, mileage readings and ownership changes of the vehicle, newest first. Later capabilities
    (repair orders, callbacks) add their entries here."""
    entries = [
        {"at": e.at, "kind": e.get_kind_display(), "actor": e.actor, "data": e.data, "type": "event"}
        for e in vehicle.events.all()
    ]
    return sorted(entries, key=lambda entry: entry["at"], reverse=True)


def possible_duplicates(customer: Customer, limit: int = 5) -> list[Customer]:
    """Other customers of the site with the same name or sharing a mobile: merge candidates."""
    mobiles = [m for m in (customer.mobile, customer.mobile2) if m]
    return list(
        Customer.objects.filter(site_id=customer.site_id, merged_into__isnull=True)
        .filter(Q(name=customer.name) | Q(mobile__in=mobiles) | Q(mobile2__in=mobiles))
        .exclude(pk=customer.pk)
        .only("pk", "name", "mobile")[:limit]
    )
