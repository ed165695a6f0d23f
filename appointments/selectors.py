"""Reads of the booking app; each runs a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from repair_orders.models import LabourOperation, ServicePackage

from . import capacity
from .models import Appointment, ConfirmationCall, Status


def site_today(site) -> date:
    return capacity.local_day(site, timezone.now())


def availability(*, site, first: date | None = None, days: int = capacity.WINDOW_DAYS, hours=None,
                 advisor_id: int | None = None) -> list[capacity.DayLoad]:
    """Each day's remaining hours and its slots, `free` marked for an appointment of `hours` with
    `advisor_id`. Queries: settings, advisors, shifts, absences, closed days, appointments."""
    today = site_today(site)
    first = max(first or today, today)
    loads = capacity.load_days(site, first, first + timedelta(days=days - 1))
    hours = Decimal(hours) if hours not in (None, "") else capacity.DEFAULT_HOURS
    if not Decimal("0") < hours <= Decimal("99"):
        hours = capacity.DEFAULT_HOURS
    now = timezone.now()
    for load in loads:
        load.mark_free(hours=hours, advisor_id=advisor_id, now=now)
    return loads


def _board_queryset(site) -> QuerySet[Appointment]:
    return (Appointment.objects.filter(site=site)
            .select_related("advisor__profile", "vehicle")
            .prefetch_related(Prefetch("operations", queryset=LabourOperation.objects.only("pk", "code", "name")),
                              Prefetch("packages", queryset=ServicePackage.objects.only("pk", "code", "name"))))


@dataclass
class CalendarDay:
    load: capacity.DayLoad
    appointments: list = field(default_factory=list)
    # slot start -> advisor id (None: unassigned) -> appointments; the day view's grid
    grid: dict = field(default_factory=dict)


def calendar(*, site, first: date, days: int = 1) -> dict:
    """The advisor calendar: days × slots × advisors with each day's capacity. Queries: capacity (6),
    appointments, their operations, their packages."""
    last = first + timedelta(days=days - 1)
    advisors = capacity.site_advisors(site)
    loads = capacity.load_days(site, first, last, advisors=advisors)
    states = [*Appointment.ACTIVE, Status.NO_SHOW]  # cancelled ones leave the board
    rows = list(_board_queryset(site).filter(day__range=(first, last), status__in=states).order_by("start", "pk"))
    by_day = {load.day: CalendarDay(load=load) for load in loads}
    zone = capacity.site_zone(site)
    for appointment in rows:
        appointment.local_start = appointment.start.astimezone(zone)
        entry = by_day[appointment.day]
        entry.appointments.append(appointment)
        entry.grid.setdefault(appointment.local_start, {}).setdefault(appointment.advisor_id, []).append(appointment)
    return {"days": list(by_day.values()), "advisors": advisors, "first": first, "last": last}


@dataclass
class Arrivals:
    late: list
    expected: list
    arrived: list
    no_show: list

    @property
    def counts(self) -> dict:
        return {"late": len(self.late), "expected": len(self.expected), "arrived": len(self.arrived),
                "no_show": len(self.no_show)}


def todays_arrivals(*, site, now: datetime | None = None, rows: QuerySet[Appointment] | None = None) -> Arrivals:
    """Today's appointments at the front desk: late (past start + grace, not here), expected (booked or
    confirmed), arrived, no-show. Queries: settings, appointments, operations, packages. `rows` replaces the
    appointments' related rows for a screen that shows less of them (the front-desk board)."""
    now = now or timezone.now()
    rules = capacity.booking_settings(site)
    today = capacity.local_day(site, now)
    late_after = timedelta(minutes=rules.late_after_minutes)
    zone = capacity.site_zone(site)
    result = Arrivals([], [], [], [])
    rows = _board_queryset(site) if rows is None else rows.filter(site=site)
    for appointment in rows.filter(day=today).exclude(status=Status.CANCELLED).order_by("start"):
        appointment.local_start = appointment.start.astimezone(zone)
        if appointment.status == Status.ARRIVED:
            result.arrived.append(appointment)
        elif appointment.status == Status.NO_SHOW:
            result.no_show.append(appointment)
        elif appointment.start + late_after < now:
            appointment.late_minutes = int((now - appointment.start).total_seconds() // 60)
            result.late.append(appointment)
        else:
            result.expected.append(appointment)
    return result


def appointment_detail(*, site, pk: int) -> Appointment:
    """The appointment with its events and calls (four queries)."""
    return (_board_queryset(site).select_related("customer", "created_by__profile")
            .prefetch_related("events__actor__profile", "calls__done_by__profile").get(pk=pk))


def open_calls(*, site, user=None) -> QuerySet[ConfirmationCall]:
    """Confirmation calls still to make, soonest first; given a user, theirs and the unassigned ones."""
    calls = (ConfirmationCall.objects.filter(site=site, status=ConfirmationCall.Status.OPEN)
             .select_related("appointment", "assigned_to__profile").order_by("due_at", "pk"))
    if user is not None:
        calls = calls.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
    return calls
