"""Technician figures (DESIGN.md §6) on a small fixture whose expected numbers are worked out by hand below."""

import zoneinfo
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from appointments.models import TechnicianAbsence, TechnicianShift
from repair_orders.models import JobLine
from repair_orders.workflow import JobState
from servicedesk.accounts.roles import TECHNICIAN
from tests.factories import make_staff
from tests.repair_orders.helpers import open_ro
from workshop.kpis import site_totals, technician_figures
from workshop.models import TechnicianProfile, TimeEntry

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY, TUESDAY = date(2025, 3, 3), date(2025, 3, 4)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def workshop(site, other_site, advisor):
    """Period: Monday 3 and Tuesday 4 March 2025.

    张师傅 (a): shifts Mon + Tue 08:30–17:30 less 60 min break = 8 h each; 2 h off on Tuesday → attended 14 h.
      finished: 2.0 h (Mon) + 1.5 h (Tue) = sold 3.5 h; 3.0 h finished Wednesday and 1.0 h unfinished don't count.
      entries: Mon 09:00–11:30 (2.5) + Tue 13:00–14:30 (1.5) + Tue 15:00–16:00 (1.0) = clocked 5.0 h;
      a Wednesday entry and a running one don't count.
    李师傅 (b): shift Mon 09:00–13:00 without break = 4 h; Tuesday off (no shift, an absence anyway) → 4 h.
      finished (QC passed) 2.0 h on Monday → sold 2.0 h; a 5.0 h job at the other site doesn't count.
      entries: Mon 07:30–08:00 (0.5, i.e. Sunday 23:30 UTC) + Mon 09:00–10:00 (1.0) = clocked 1.5 h;
      Sunday 23:00–23:30 (local) doesn't count.
    王师傅 (c): a profile, nothing else.
    """
    a = make_staff(role=TECHNICIAN, sites=[site], username="a", display_name="张师傅")
    b = make_staff(role=TECHNICIAN, sites=[site, other_site], username="b", display_name="李师傅")
    c = make_staff(role=TECHNICIAN, sites=[site], username="c", display_name="王师傅")
    for user in (a, b, c):
        TechnicianProfile.objects.create(site=site, user=user)
    for weekday in (0, 1):
        TechnicianShift.objects.create(site=site, technician=a, weekday=weekday, starts_at=time(8, 30),
                                       ends_at=time(17, 30), break_minutes=60)
    TechnicianShift.objects.create(site=site, technician=b, weekday=0, starts_at=time(9), ends_at=time(13),
                                   break_minutes=0)
    TechnicianAbsence.objects.create(site=site, technician=a, day=TUESDAY, hours=Decimal("2"), reason="体检")
    TechnicianAbsence.objects.create(site=site, technician=b, day=TUESDAY, reason="调休")
    here, there = open_ro(site, advisor), open_ro(other_site, make_staff(role=None, sites=[other_site]))

    def job(technician, hours, state, finished_at=None, repair_order=here):
        return JobLine.objects.create(repair_order=repair_order, description="作业", hours=Decimal(hours), state=state,
                                      technician=technician, finished_at=finished_at, created_by=advisor)

    def entry(technician, job_line, started_at, ended_at=None, site_=site):
        TimeEntry.objects.create(site=site_, technician=technician, job_line=job_line, started_at=started_at,
                                 ended_at=ended_at)

    a1, a2 = job(a, "2.0", JobState.DONE, at(3, 16)), job(a, "1.5", JobState.DONE, at(4, 14, 30))
    a3, a4 = job(a, "3.0", JobState.DONE, at(5, 10)), job(a, "1.0", JobState.IN_PROGRESS)
    entry(a, a1, at(3, 9), at(3, 11, 30))
    entry(a, a2, at(4, 13), at(4, 14, 30))
    entry(a, a4, at(4, 15), at(4, 16))
    entry(a, a4, at(4, 16, 30))  # still running
    entry(a, a3, at(5, 8), at(5, 10))
    b1 = job(b, "2.0", JobState.PASSED, at(3, 12))
    b2 = job(b, "5.0", JobState.DONE, at(3, 12), repair_order=there)
    entry(b, b1, at(3, 7, 30), at(3, 8))
    entry(b, b1, at(3, 9), at(3, 10))
    entry(b, b1, at(2, 23), at(2, 23, 30))
    entry(b, b2, at(3, 9), at(3, 12), site_=other_site)
    return a, b, c


def test_figures_per_technician_worked_out_by_hand(site, workshop, django_assert_num_queries):
    a, b, c = workshop
    # profiles, shifts, absences, sold hours, clocked entries, users with their profiles
    with django_assert_num_queries(6):
        rows = technician_figures(site=site, first=MONDAY, last=TUESDAY)
    figures = {row.technician: (row.sold_hours, row.clocked_hours, row.attended_hours, row.efficiency,
                                row.productivity, row.proficiency) for row in rows}
    assert figures[a] == (Decimal("3.50"), Decimal("5.00"), Decimal("14.00"),
                          Decimal("0.700"), Decimal("0.357"), Decimal("0.250"))
    assert figures[b] == (Decimal("2.00"), Decimal("1.50"), Decimal("4.00"),
                          Decimal("1.333"), Decimal("0.375"), Decimal("0.500"))
    assert figures[c] == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), None, None, None)
    assert [row.technician for row in rows] == [a, b, c]  # by name: a, b, c are the usernames' order too


def test_the_workshop_as_a_whole(site, workshop):
    total = site_totals(technician_figures(site=site, first=MONDAY, last=TUESDAY))
    # sold 3.5 + 2.0 = 5.5; clocked 5.0 + 1.5 = 6.5; attended 14 + 4 = 18
    assert (total.sold_hours, total.clocked_hours, total.attended_hours) == (
        Decimal("5.50"), Decimal("6.50"), Decimal("18.00"))
    assert (total.efficiency, total.productivity, total.proficiency) == (
        Decimal("0.846"), Decimal("0.361"), Decimal("0.306"))


def test_a_period_without_work(site, workshop):
    rows = technician_figures(site=site, first=date(2025, 3, 10), last=date(2025, 3, 10))
    # Monday 10 March: a and b are on shift (8 h, 4 h) and did nothing recorded.
    assert {row.technician.username: (row.attended_hours, row.productivity) for row in rows} == {
        "a": (Decimal("8.00"), Decimal("0.000")), "b": (Decimal("4.00"), Decimal("0.000")),
        "c": (Decimal("0.00"), None)}
