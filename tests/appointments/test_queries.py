"""The calendar and the arrivals list run a fixed number of queries however many appointments."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments import selectors
from appointments.services import appointment_check_in
from tests.repair_orders.conftest import make_operation, make_package

from .factories import book


def _fill(site, actor, times, day="2026-03-03"):
    oil = make_operation(f"BY{len(times)}", hours="0.5")
    package = make_package(site, code=f"PK{len(times)}", operations=[oil])
    return [book(site, actor, f"{day} {t}", hours="0.5", operations=[oil], packages=[package], advisor=actor)
            for t in times]


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_calendar_selector_runs_nine_queries(workshop, advisor, django_assert_num_queries):
    _fill(workshop, advisor, ["09:00", "09:30", "10:00", "10:30", "11:00", "14:00"])
    # advisors, settings, shifts, absences, closed days, booked hours per slot, appointments,
    # their operations, their packages
    with django_assert_num_queries(9):
        board = selectors.calendar(site=workshop, first=date(2026, 3, 2), days=7)
        assert sum(len(d.appointments) for d in board["days"]) == 6


def test_the_calendar_pages_do_not_grow_with_appointments(workshop, advisor, advisor_client):
    _fill(workshop, advisor, ["09:00"])
    day_url = reverse("appointments:calendar") + "?date=2026-03-03"
    week_url = day_url + "&view=week"
    advisor_client.get(day_url)  # the user's access, read once, then cached
    few = (_queries(lambda: advisor_client.get(day_url)), _queries(lambda: advisor_client.get(week_url)))
    _fill(workshop, advisor, ["10:00", "10:30", "11:00", "13:00", "15:00"])
    _fill(workshop, advisor, ["10:00", "11:00", "16:00"], day="2026-03-05")
    many = (_queries(lambda: advisor_client.get(day_url)), _queries(lambda: advisor_client.get(week_url)))
    assert few == many


def test_the_arrivals_selector_runs_four_queries(workshop, advisor, django_assert_num_queries, advisor_client):
    today = _fill(workshop, advisor, ["09:30", "10:00", "11:00"], day="2026-03-02")
    appointment_check_in(appointment=today[0], actor=advisor)
    # settings, appointments of the day, their operations, their packages
    with django_assert_num_queries(4):
        arrivals = selectors.todays_arrivals(site=workshop)
        assert arrivals.counts == {"late": 0, "expected": 2, "arrived": 1, "no_show": 0}
    advisor_client.get(reverse("appointments:arrivals"))  # the user's access, read once, then cached
    few = _queries(lambda: advisor_client.get(reverse("appointments:arrivals")))
    _fill(workshop, advisor, ["13:00", "13:30", "14:00", "15:00"], day="2026-03-02")
    assert _queries(lambda: advisor_client.get(reverse("appointments:arrivals"))) == few


def test_availability_for_fourteen_days_runs_six_queries(workshop, advisor, django_assert_num_queries):
    _fill(workshop, advisor, ["09:00", "10:00"])
    # settings, advisors, shifts, absences, closed days, booked hours per slot
    with django_assert_num_queries(6):
        assert len(selectors.availability(site=workshop)) == 14
