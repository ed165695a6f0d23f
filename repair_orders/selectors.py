"""Reads of the labour-time book and service packages; each runs a constant number of queries."""

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from appointments.models import Appointment
from appointments.selectors import todays_arrivals
from parts.models import Shortage

from .models import JobLine, LabourOperation, PartLine, RepairOrder, RepairOrderEvent, ServicePackage
from .pricing import package_lines_prefetch
from .progress import DEFAULT_AT_RISK_SHARE, UNFINISHED_JOB_STATES, job_at_risk, repair_order_at_risk
from .workflow import OPEN_RO_STATES, JobState, ROState

WAITING_PARTS = [Shortage.Status.OPEN, Shortage.Status.ORDERED]
COMEBACK_DAYS = 30  # a comeback (返修) returns to an RO delivered at most this many days earlier (DESIGN.md §6)


def _specificity():
    """2 for a make, 1 for a model: a make-and-model operation (3) beats a make-only one (2) beats generic (0)."""
    return (Case(When(make="", then=Value(0)), default=Value(2), output_field=IntegerField())
            + Case(When(model="", then=Value(0)), default=Value(1), output_field=IntegerField()))


def _applicable(make: str, model: str) -> Q:
    return (Q(make="") | Q(make__iexact=make.strip())) & (Q(model="") | Q(model__iexact=model.strip()))


def operations_for_vehicle(*, make: str = "", model: str = "", category: str = "", q: str = "",
                           codes: Iterable[str] | None = None, active_only: bool = True
                           ) -> QuerySet[LabourOperation]:
    """Operations that apply to a vehicle: their make/model are blank or match (case-insensitive).

    Of several operations with one code the most specific wins: the vehicle's make and model, then its
    make, then the generic one. One query.
    """
    candidates = LabourOperation.objects.filter(_applicable(make, model))
    if active_only:
        candidates = candidates.filter(active=True)
    if codes is not None:
        candidates = candidates.filter(code__in=list(codes))
    more_specific = candidates.annotate(specificity=_specificity()).filter(
        code=OuterRef("code"), specificity__gt=OuterRef("specificity"))
    operations = candidates.annotate(specificity=_specificity()).exclude(Exists(more_specific))
    if category:
        operations = operations.filter(category=category)
    if q:
        operations = operations.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q))
    return operations.order_by("code")


def operation_search(*, q: str = "", category: str = "", make: str = "", active_only: bool = True
                     ) -> QuerySet[LabourOperation]:
    """The whole book (every variant), for the catalogue screens. One query."""
    operations = LabourOperation.objects.all()
    if active_only:
        operations = operations.filter(active=True)
    if category:
        operations = operations.filter(category=category)
    if make:
        operations = operations.filter(make__iexact=make)
    if q:
        operations = operations.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q))
    return operations.order_by("code", "make", "model")


def package_list(*, site, active_only: bool = True) -> QuerySet[ServicePackage]:
    """The site's packages with their lines (three queries, however many): ready for pricing.package_price."""
    packages = ServicePackage.objects.filter(site=site).prefetch_related(*package_lines_prefetch())
    if active_only:
        packages = packages.filter(active=True)
    return packages.order_by(F("mileage_km").asc(nulls_last=True), "code")


def package_choices(*, site) -> list[ServicePackage]:
    """The site's active packages for the RO page's menu: code, name and mileage only (one query)."""
    return list(ServicePackage.objects.filter(site=site, active=True).only("pk", "code", "name", "mileage_km")
                .order_by(F("mileage_km").asc(nulls_last=True), "code"))


def package_detail(*, site, pk: int) -> ServicePackage:
    """One package of the site with its lines (three queries); 404 for another site's."""
    return get_object_or_404(ServicePackage.objects.prefetch_related(*package_lines_prefetch()), site=site, pk=pk)


# ---------------------------------------------------------------- the front desk and the RO page

def open_repair_orders(*, site) -> QuerySet[RepairOrder]:
    """Every open RO of the site for the front-desk board, with its holds derived from the job lines
    (`waiting_parts`, `waiting_customer`) and `additional_pending` (extra work the customer has not answered).
    One query: the holds are EXISTS subqueries."""
    jobs = JobLine.objects.filter(repair_order=OuterRef("pk"))
    return (RepairOrder.objects.filter(site=site, state__in=OPEN_RO_STATES)
            .select_related("customer", "vehicle", "advisor__profile")
            .annotate(
                waiting_parts=Exists(PartLine.objects.filter(job_line__repair_order=OuterRef("pk"),
                                                             shortage__status__in=WAITING_PARTS)),
                waiting_customer=Exists(jobs.filter(state=JobState.PAUSED,
                                                    pause_reason=JobLine.PauseReason.WAITING_CUSTOMER)),
                additional_pending=Exists(jobs.filter(additional=True, state=JobState.PROPOSED)))
            .order_by(F("promised_at").asc(nulls_last=True), "pk"))


def _board_arrivals(site, now):
    """Today's arrivals and their rows for the board: late ones first, then expected, then arrived, each with
    `late` and the `repair_order_id` of an arrived one. Only what a row shows: no advisor or vehicle rows; the
    packages' and operations' names as lists (`to_attr`: no related manager and queryset per row, as `.all()`
    needs). Queries: settings, appointments, packages, operations, the ROs of arrived appointments."""
    arrivals = todays_arrivals(site=site, now=now, rows=Appointment.objects.prefetch_related(
        Prefetch("packages", queryset=ServicePackage.objects.only("pk", "name"), to_attr="package_list"),
        Prefetch("operations", queryset=LabourOperation.objects.only("pk", "name"), to_attr="operation_list")))
    arrived_refs = [appointment.pk for appointment in arrivals.arrived]
    ro_of_appointment = dict(RepairOrder.objects.filter(site=site, appointment_ref__in=arrived_refs)
                             .exclude(state=ROState.CANCELLED).values_list("appointment_ref", "pk")
                             ) if arrived_refs else {}
    late_ids = {appointment.pk for appointment in arrivals.late}
    rows = [*arrivals.late, *arrivals.expected, *arrivals.arrived]
    for appointment in rows:  # set on every row: a template's lookup of a missing attribute is slow
        appointment.late = appointment.pk in late_ids
        appointment.repair_order_id = ro_of_appointment.get(appointment.pk)
    return arrivals, rows


def front_desk_board(*, site, now=None) -> dict:
    """Today's arrivals (`arrival_rows`) and the open ROs grouped by state in workflow order, late and at-risk
    ones marked. Queries: the arrivals (five), the open ROs (one), their unfinished jobs (one), the site's
    at-risk share (one)."""
    now = now or timezone.now()
    arrivals, arrival_rows = _board_arrivals(site, now)
    columns = {state: [] for state in ROState if state in OPEN_RO_STATES}
    late = 0
    share = _at_risk_share(site)
    unfinished = Prefetch("jobs", queryset=JobLine.objects.filter(state__in=UNFINISHED_JOB_STATES),
                          to_attr="unfinished_jobs")
    for repair_order in open_repair_orders(site=site).prefetch_related(unfinished):
        repair_order.late = (repair_order.promised_at is not None and repair_order.promised_at < now
                             and repair_order.state != ROState.READY)
        late += repair_order.late
        # The workshop's progress marks (the dispatch board shows the same): the work left no longer fits
        # before the promised time; jobs past the site's share of their flat-rate time.
        repair_order.at_risk = not repair_order.late and repair_order_at_risk(
            repair_order.promised_at, repair_order.unfinished_jobs, now)
        repair_order.jobs_at_risk = sum(job_at_risk(job, now, share) for job in repair_order.unfinished_jobs)
        columns[repair_order.state].append(repair_order)
    return {"arrivals": arrivals, "arrival_rows": arrival_rows, "late_count": late,
            "columns": [{"state": ROState(state), "orders": orders} for state, orders in columns.items()],
            "open_count": sum(len(orders) for orders in columns.values())}


def _at_risk_share(site) -> Decimal:
    """The site's workshop setting through the reverse relation (repair_orders does not import workshop)."""
    try:
        return site.workshop_settings.at_risk_share
    except ObjectDoesNotExist:
        return DEFAULT_AT_RISK_SHARE


def repair_order_page(*, site, pk: int) -> RepairOrder:
    """One RO of the site with everything its page shows but the check-in tab's damage marks (404 for another
    site's). Queries: the RO with its parties, the RO a comeback returns to (none for other ROs), jobs, their
    parts lines (with part, reservation, shortage), signatures, events (with their actors)."""
    part_lines = PartLine.objects.select_related("part", "reservation", "shortage")
    # Few joins in the RO's query: PostgreSQL took 2-10 ms to plan the nine-table join it was (the RO a comeback
    # returns to is a prefetch). The site is read with it, not taken from the request's: its prices and VAT are
    # on the page, and the request's copy is the user's cached access (servicedesk/accounts/access.py).
    queryset = (RepairOrder.objects.filter(site=site)
                .select_related("site", "customer", "vehicle", "advisor__profile")
                .prefetch_related(
                    "comeback_of",
                    Prefetch("jobs", queryset=JobLine.objects.select_related("operation", "technician__profile")
                             .prefetch_related(Prefetch("part_lines", queryset=part_lines))),
                    "signatures",
                    Prefetch("events", queryset=RepairOrderEvent.objects.select_related("actor__profile"))))
    return get_object_or_404(queryset, pk=pk)


def add_damage_marks(repair_order: RepairOrder) -> None:
    """The damage marks and their photos, for the check-in tab (two queries; one without marks)."""
    prefetch_related_objects([repair_order], "damage_marks__photos")


def repair_order_checkin(*, site, pk: int) -> RepairOrder:
    """One RO of the site with what its check-in tab shows. Queries: the RO with customer and vehicle, its
    damage marks, their photos (none without marks), signatures."""
    return get_object_or_404(RepairOrder.objects.filter(site=site).select_related("customer", "vehicle")
                             .prefetch_related("damage_marks__photos", "signatures"), pk=pk)


def comeback_candidates(*, vehicle_id: int, now=None) -> QuerySet[RepairOrder]:
    """The vehicle's ROs a comeback may return to: delivered within COMEBACK_DAYS, the latest first. One query."""
    since = (now or timezone.now()) - timedelta(days=COMEBACK_DAYS)
    return (RepairOrder.objects.filter(vehicle_id=vehicle_id, state=ROState.DELIVERED, delivered_at__gte=since)
            .order_by("-delivered_at", "-pk").only("pk", "number", "delivered_at", "concerns", "site_id"))
