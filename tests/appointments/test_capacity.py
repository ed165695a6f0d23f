"""Capacity arithmetic: shifts × factor − absences, booked hours, reception slots, next free times."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from appointments import capacity
from appointments.models import AppointmentEvent, DayCapacity, TechnicianAbsence
from appointments.services import appointment_cancel
from servicedesk.accounts.roles import ADVISOR
from servicedesk.core.errors import ApplicationError
from tests.factories import make_staff

from .factories import book, configure, local

TUESDAY = date(2026, 3, 3)


def load(site, day=TUESDAY):
    return capacity.load_days(site, day, day)[0]


def test_available_hours_are_shifts_times_factor_less_absences(workshop, advisor):
    tech0, tech1 = [s.technician for s in workshop.technicianshift_set.filter(weekday=1)]
    assert load(workshop).available_hours == Decimal("12.80")  # 2 × 8 h × 0.80
    TechnicianAbsence.objects.create(site=workshop, technician=tech1, day=TUESDAY, hours=Decimal("2"), reason="培训")
    assert load(workshop).available_hours == Decimal("11.20")  # (8 + 6) × 0.80
    TechnicianAbsence.objects.create(site=workshop, technician=tech0, day=TUESDAY, reason="年假")
    assert load(workshop).available_hours == Decimal("4.80")  # tech0 off all day: 6 × 0.80
    assert load(workshop, date(2026, 3, 8)).available_hours == 0  # Sunday: nobody on shift


def test_booked_hours_count_open_and_arrived_appointments_only(workshop, advisor):
    first = book(workshop, advisor, "2026-03-03 09:00", hours="2.5")
    book(workshop, advisor, "2026-03-03 10:00", hours="1.5")
    assert (load(workshop).booked_hours, load(workshop).remaining_hours) == (Decimal("4.00"), Decimal("8.80"))
    appointment_cancel(appointment=first, actor=advisor, reason="客户改期")
    assert load(workshop).booked_hours == Decimal("1.50")


def test_slots_span_opening_hours_in_the_sites_zone(workshop):
    slots = load(workshop).slots
    assert slots[0].start == local(workshop, "2026-03-03 08:30")
    assert slots[-1].start == local(workshop, "2026-03-03 17:30")  # the last one ends at 18:00
    assert len(slots) == 19
    configure(workshop, slot_minutes=15)
    assert len(load(workshop).slots) == 38


def test_a_full_day_refuses_and_offers_the_next_free_times(workshop, advisor):
    book(workshop, advisor, "2026-03-03 09:00", hours="12")
    with pytest.raises(ApplicationError) as refused:
        book(workshop, advisor, "2026-03-03 14:00", hours="1")
    assert refused.value.code == "capacity_full" and refused.value.field == "start"
    offered = refused.value.extra["next_free"]
    assert len(offered) == 5
    assert offered[0] == local(workshop, "2026-03-04 08:30").isoformat()  # Wednesday opens
    # 0.8 hours still fit on Tuesday
    assert book(workshop, advisor, "2026-03-03 14:00", hours="0.8").day == TUESDAY


def test_reception_slots_spread_arrivals_per_advisor(workshop, advisor):
    second = make_staff(role=ADVISOR, sites=[workshop], username="advisor2")
    book(workshop, advisor, "2026-03-03 09:00", advisor=advisor)
    book(workshop, advisor, "2026-03-03 09:00", advisor=advisor)
    with pytest.raises(ApplicationError) as refused:
        book(workshop, advisor, "2026-03-03 09:00", advisor=advisor)
    assert refused.value.code == "slot_full"
    assert refused.value.extra["next_free"][0] == local(workshop, "2026-03-03 09:30").isoformat()
    # Two advisors greet four cars a slot: the other advisor and unassigned bookings still fit.
    book(workshop, advisor, "2026-03-03 09:00", advisor=second)
    book(workshop, advisor, "2026-03-03 09:00")
    with pytest.raises(ApplicationError) as full:
        book(workshop, advisor, "2026-03-03 09:00", advisor=second)
    assert full.value.code == "slot_full"


@pytest.mark.parametrize("when, code", [
    ("2026-03-03 09:10", "not_a_slot"),
    ("2026-03-03 18:00", "not_a_slot"),
    ("2026-03-03 07:30", "not_a_slot"),
    ("2026-03-02 08:30", "in_the_past"),
])
def test_a_start_must_be_a_future_slot(workshop, advisor, when, code):
    with pytest.raises(ApplicationError) as refused:
        book(workshop, advisor, when)
    assert refused.value.code == code


def test_a_closed_day_takes_no_bookings(workshop, advisor):
    DayCapacity.objects.create(site=workshop, day=TUESDAY, closed=True, note="清明")
    with pytest.raises(ApplicationError) as refused:
        book(workshop, advisor, "2026-03-03 09:00")
    assert refused.value.code == "day_closed"
    assert refused.value.extra["next_free"][0].startswith("2026-03-04T08:30")


def test_a_manager_overrides_with_a_reason_that_is_recorded(workshop, advisor, manager):
    book(workshop, advisor, "2026-03-03 09:00", hours="12.8")
    with pytest.raises(ApplicationError) as refused:
        book(workshop, advisor, "2026-03-03 11:00", override_reason="老客户")
    assert refused.value.code == "forbidden"
    appointment = book(workshop, manager, "2026-03-03 11:00", hours="2", override_reason="老客户急修")
    event = appointment.events.get(kind=AppointmentEvent.Kind.BOOKED)
    assert event.actor == manager
    assert event.data["override"]["reason"] == "老客户急修" and event.data["override"]["refused"] == "capacity_full"
    assert load(workshop).booked_hours == Decimal("14.80") and load(workshop).remaining_hours == 0


def test_next_free_skips_full_days_and_sundays(workshop, advisor):
    for day in ("2026-03-03", "2026-03-04"):
        book(workshop, advisor, f"{day} 09:00", hours="12.8")
    found = capacity.next_free(workshop, after=local(workshop, "2026-03-03 09:00"), hours=Decimal("1"),
                               advisor_id=None, limit=3)
    assert [m.date() for m in found] == [date(2026, 3, 5)] * 3
    saturday_full = capacity.next_free(workshop, after=local(workshop, "2026-03-07 17:30"), hours=Decimal("1"),
                                       advisor_id=None, limit=1)
    assert saturday_full[0] == local(workshop, "2026-03-09 08:30")  # Sunday has no technician: Monday
    assert saturday_full[0] - local(workshop, "2026-03-07 17:30") > timedelta(days=1)
