"""Workshop capacity (平准化): how many labour hours a day can take and how many cars a reception
slot can greet. Pure arithmetic on rows loaded in a fixed number of queries, shared by the booking
check (one day, under the day's lock) and the availability screens (fourteen days).

  available hours = Σ over technicians (weekday shift − absences that day) × availability factor
  booked hours    = Σ estimated hours of booked, confirmed and arrived appointments
  a slot          = at most `arrivals_per_slot` arrivals per advisor, and that × advisors in all
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.accounts.roles import ADVISOR
from servicedesk.core.errors import ApplicationError

from .models import Appointment, BookingSettings, DayCapacity, TechnicianAbsence, TechnicianShift

HOURS = Decimal("0.01")
DEFAULT_HOURS = Decimal("1.00")  # a concern with nothing from the catalogue yet: an hour to diagnose
WINDOW_DAYS = 14


def booking_settings(site) -> BookingSettings:
    """The site's row, or the defaults (unsaved) when the site has none."""
    return BookingSettings.objects.filter(site=site).first() or BookingSettings(site=site)


def advisors_of(site):
    """Active advisors who work in the site, by name."""
    return (get_user_model().objects.filter(is_active=True, groups__name=ADVISOR, profile__sites=site)
            .select_related("profile").distinct().order_by("profile__display_name", "username"))


def site_advisors(site) -> list:
    return list(advisors_of(site))


def site_zone(site) -> ZoneInfo:
    return ZoneInfo(site.time_zone)


def local_day(site, moment: datetime) -> date:
    return moment.astimezone(site_zone(site)).date()


def local_iso(site, moment: datetime) -> str:
    """For event data and API answers: the site's wall-clock time with its offset."""
    return moment.astimezone(site_zone(site)).isoformat()


def slot_starts(site, rules: BookingSettings, day: date) -> list[datetime]:
    """Every reception slot of the day, aware in the site's zone; the last one ends by closing time."""
    zone, step = site_zone(site), timedelta(minutes=rules.slot_minutes)
    moment = datetime.combine(day, site.opens_at, tzinfo=zone)
    closing = datetime.combine(day, site.closes_at, tzinfo=zone)
    starts = []
    while moment + step <= closing:
        starts.append(moment)
        moment += step
    return starts


@dataclass
class Slot:
    start: datetime
    arrivals: int = 0
    by_advisor: dict = field(default_factory=dict)  # advisor id (None: unassigned) -> arrivals
    free: bool = False  # room for the hours and advisor asked about (see mark_free)


@dataclass
class DayLoad:
    day: date
    closed: bool
    available_hours: Decimal
    booked_hours: Decimal
    slots: list[Slot]
    per_advisor: int  # arrivals per slot and advisor
    slot_capacity: int  # arrivals per slot, all advisors together

    @property
    def remaining_hours(self) -> Decimal:
        return max(self.available_hours - self.booked_hours, Decimal("0")).quantize(HOURS)

    @property
    def free_slots(self) -> list[Slot]:
        return [s for s in self.slots if s.free]

    def slot_at(self, start: datetime) -> Slot | None:
        return next((s for s in self.slots if s.start == start), None)

    def slot_has_room(self, slot: Slot, advisor_id: int | None) -> bool:
        if slot.arrivals >= self.slot_capacity:
            return False
        return advisor_id is None or slot.by_advisor.get(advisor_id, 0) < self.per_advisor

    def mark_free(self, *, hours: Decimal, advisor_id: int | None, now: datetime) -> None:
        fits = not self.closed and hours <= self.remaining_hours
        for slot in self.slots:
            slot.free = fits and slot.start > now and self.slot_has_room(slot, advisor_id)


def technician_hours(shifts, absences, day: date) -> Decimal:
    """Attended hours of the day: each technician's shift on that weekday less their absences."""
    off = defaultdict(Decimal)
    whole_day = set()
    for absence in absences:
        if absence.day != day:
            continue
        if absence.hours is None:
            whole_day.add(absence.technician_id)
        else:
            off[absence.technician_id] += absence.hours
    total = Decimal("0")
    for shift in shifts:
        if shift.weekday == day.weekday() and shift.technician_id not in whole_day:
            total += max(shift.hours - off[shift.technician_id], Decimal("0"))
    return total


def load_days(site, first: date, last: date, *, exclude_pk: int | None = None, rules=None,
              advisors=None) -> list[DayLoad]:
    """Capacity and load of each day from `first` to `last`. Queries: settings and advisors (unless
    passed), shifts, absences, closed days, appointments grouped by slot and advisor."""
    rules = rules or booking_settings(site)
    advisors = site_advisors(site) if advisors is None else advisors
    shifts = list(TechnicianShift.objects.filter(site=site, technician__is_active=True))
    absences = list(TechnicianAbsence.objects.filter(site=site, day__range=(first, last)))
    closed = set(DayCapacity.objects.filter(site=site, day__range=(first, last), closed=True)
                 .values_list("day", flat=True))
    booked = (Appointment.objects.filter(site=site, day__range=(first, last), status__in=Appointment.ACTIVE)
              .exclude(pk=exclude_pk).order_by().values("day", "start", "advisor_id")
              .annotate(n=Count("pk"), hours=Sum("estimated_hours")))
    per_day_hours, per_slot = defaultdict(Decimal), defaultdict(list)
    for row in booked:
        per_day_hours[row["day"]] += row["hours"] or 0
        per_slot[row["start"]].append(row)
    per_advisor = rules.arrivals_per_slot
    loads, day = [], first
    while day <= last:
        slots = []
        for start in slot_starts(site, rules, day):
            slot = Slot(start=start)
            for row in per_slot.get(start, ()):
                slot.arrivals += row["n"]
                slot.by_advisor[row["advisor_id"]] = slot.by_advisor.get(row["advisor_id"], 0) + row["n"]
            slots.append(slot)
        loads.append(DayLoad(
            day=day, closed=day in closed,
            available_hours=(technician_hours(shifts, absences, day) * rules.availability_factor).quantize(HOURS),
            booked_hours=per_day_hours[day].quantize(HOURS), slots=slots, per_advisor=per_advisor,
            slot_capacity=per_advisor * max(len(advisors), 1),
        ))
        day += timedelta(days=1)
    return loads


def refusal(load: DayLoad, *, start: datetime, hours: Decimal, advisor_id: int | None,
            now: datetime) -> ApplicationError | None:
    """Why `start` cannot take an appointment of `hours` (None when it can)."""
    if load.closed:
        return ApplicationError(_("The workshop takes no bookings on %(day)s.") % {"day": load.day},
                                code="day_closed", field="start")
    slot = load.slot_at(start)
    if slot is None:
        return ApplicationError(_("Choose one of the reception slots within opening hours."),
                                code="not_a_slot", field="start")
    if start <= now:
        return ApplicationError(_("This time has passed; choose a later one."), code="in_the_past", field="start")
    if hours > load.remaining_hours:
        return ApplicationError(
            _("The workshop is full on %(day)s: %(left)s hours left, %(hours)s needed.")
            % {"day": load.day, "left": load.remaining_hours, "hours": hours},
            code="capacity_full", field="start",
        )
    if not load.slot_has_room(slot, advisor_id):
        return ApplicationError(
            _("%(time)s already has as many arrivals as reception can greet; choose another time.")
            % {"time": slot.start.strftime("%H:%M")},  # the slot's own time is the site's wall clock
            code="slot_full", field="start",
        )
    return None


def next_free(site, *, after: datetime, hours: Decimal, advisor_id: int | None, limit: int = 5,
              exclude_pk: int | None = None) -> list[datetime]:
    """The first free slots from `after` on, over the booking window."""
    now = timezone.now()
    first = local_day(site, max(after, now))
    loads = load_days(site, first, first + timedelta(days=WINDOW_DAYS - 1), exclude_pk=exclude_pk)
    found = []
    for load in loads:
        load.mark_free(hours=hours, advisor_id=advisor_id, now=max(after, now))
        found.extend(slot.start for slot in load.free_slots)
        if len(found) >= limit:
            break
    return found[:limit]
