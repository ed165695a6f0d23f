"""Technician figures of DESIGN.md §6 for a site and a period of local days (first and last included):

  sold hours     flat-rate hours of the jobs the technician finished in the period (done or QC passed)
  clocked hours  closed time entries begun in the period
  attended hours each day's shift (appointments.TechnicianShift, less the break) minus absences
  efficiency = sold ÷ clocked · productivity = clocked ÷ attended · proficiency = sold ÷ attended

A ratio is None when its divisor is 0. Six queries whatever the number of technicians or days."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum

from appointments.capacity import technician_hours
from appointments.models import TechnicianAbsence, TechnicianShift
from repair_orders.models import JobLine
from repair_orders.workflow import JobState
from servicedesk.accounts.names import staff_name

from .models import TechnicianProfile, TimeEntry

HOURS = Decimal("0.01")
RATIO = Decimal("0.001")
FINISHED_JOB_STATES = (JobState.DONE, JobState.PASSED)


@dataclass(frozen=True)
class TechnicianFigures:
    technician: object
    sold_hours: Decimal
    clocked_hours: Decimal
    attended_hours: Decimal

    @property
    def efficiency(self) -> Decimal | None:
        return ratio(self.sold_hours, self.clocked_hours)

    @property
    def productivity(self) -> Decimal | None:
        return ratio(self.clocked_hours, self.attended_hours)

    @property
    def proficiency(self) -> Decimal | None:
        return ratio(self.sold_hours, self.attended_hours)


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole).quantize(RATIO, rounding=ROUND_HALF_UP) if whole else None


def technician_figures(*, site, first: date, last: date) -> list[TechnicianFigures]:
    """One row per technician of the site (a profile, a shift, a finished job or an entry in the period),
    by name. Queries: profiles, shifts, absences, sold hours, clocked entries, users."""
    zone = zoneinfo.ZoneInfo(site.time_zone)
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    profiles = set(TechnicianProfile.objects.filter(site=site, active=True).values_list("user_id", flat=True))
    shifts = list(TechnicianShift.objects.filter(site=site))
    absences = list(TechnicianAbsence.objects.filter(site=site, day__range=(first, last)))
    sold = dict(JobLine.objects.filter(repair_order__site=site, state__in=FINISHED_JOB_STATES,
                                       technician__isnull=False, finished_at__gte=start, finished_at__lt=end)
                .order_by().values_list("technician_id").annotate(hours=Sum("hours")))
    clocked: dict[int, Decimal] = {}
    entries = (TimeEntry.objects.filter(site=site, ended_at__isnull=False, started_at__gte=start, started_at__lt=end)
               .values_list("technician_id", "started_at", "ended_at"))
    for technician_id, started_at, ended_at in entries:
        seconds = Decimal((ended_at - started_at).total_seconds())
        clocked[technician_id] = clocked.get(technician_id, Decimal(0)) + seconds / 3600
    ids = profiles | {s.technician_id for s in shifts} | set(sold) | set(clocked)
    users = get_user_model().objects.filter(pk__in=ids).select_related("profile")
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    rows = []
    for user in users:
        own_shifts = [s for s in shifts if s.technician_id == user.pk]
        own_absences = [a for a in absences if a.technician_id == user.pk]
        attended = sum((technician_hours(own_shifts, own_absences, day) for day in days), Decimal(0))
        rows.append(TechnicianFigures(
            technician=user, sold_hours=Decimal(sold.get(user.pk) or 0).quantize(HOURS),
            clocked_hours=clocked.get(user.pk, Decimal(0)).quantize(HOURS), attended_hours=attended.quantize(HOURS)))
    return sorted(rows, key=lambda row: (staff_name(row.technician), row.technician.pk))


def site_totals(rows: list[TechnicianFigures]) -> TechnicianFigures:
    """The workshop as one: sums of the hours, ratios of the sums."""
    return TechnicianFigures(technician=None, sold_hours=sum((r.sold_hours for r in rows), Decimal(0)),
                             clocked_hours=sum((r.clocked_hours for r in rows), Decimal(0)),
                             attended_hours=sum((r.attended_hours for r in rows), Decimal(0)))

