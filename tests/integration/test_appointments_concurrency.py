"""Bookings and scans at the same moment on PostgreSQL: the day's row lock lets exactly one booking
take the last capacity, and two scans at once send, call and mark nothing twice."""

import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from appointments.models import Appointment, ConfirmationCall
from appointments.services import create_confirmation_calls, mark_no_shows, send_confirmations
from customers.models import ContactLog, OutboundMessage
from servicedesk.core.errors import ApplicationError
from tests.appointments.factories import a_vehicle, book, configure, technicians_on_shift
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
NOW = "2026-03-02T01:00:00+00:00"  # Monday 09:00 in Shanghai


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL)")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def at_once(count, work):
    """Run `work(i)` in `count` threads released together; return each result or ApplicationError."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except ApplicationError as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_the_last_hours_booked_twice_at_once_go_to_exactly_one(postgres, clock, site, advisor):
    configure(site, availability_factor=Decimal("1.00"))
    technicians_on_shift(site, 1)  # 8 hours
    book(site, advisor, "2026-03-03 08:30", hours="7")
    vehicles = [a_vehicle(site) for _ in range(4)]
    results = at_once(4, lambda i: book(site, advisor, f"2026-03-03 {10 + i}:00", hours="1", vehicle=vehicles[i]))
    won = [r for r in results if isinstance(r, Appointment)]
    lost = [r for r in results if isinstance(r, ApplicationError)]
    assert len(won) == 1 and len(lost) == 3, results
    assert {e.code for e in lost} == {"capacity_full"} and all(e.extra["next_free"] for e in lost)
    assert Appointment.objects.filter(day="2026-03-03").count() == 2


def test_the_last_arrival_of_a_slot_booked_twice_at_once_goes_to_exactly_one(postgres, clock, site, advisor):
    configure(site, arrivals_per_slot=1)
    technicians_on_shift(site, 2)
    vehicles = [a_vehicle(site) for _ in range(3)]
    results = at_once(3, lambda i: book(site, advisor, "2026-03-03 09:00", advisor=advisor, vehicle=vehicles[i]))
    assert sum(isinstance(r, Appointment) for r in results) == 1, results
    assert {r.code for r in results if isinstance(r, ApplicationError)} == {"slot_full"}


def test_scans_running_at_once_do_everything_once(postgres, clock, site, advisor):
    configure(site)
    technicians_on_shift(site, 2)
    for hour in range(9, 15):
        book(site, advisor, f"2026-03-03 {hour:02d}:00", advisor=advisor)
    OutboundMessage.objects.all().delete()

    clock.move_to("2026-03-02T16:00:00+08:00")
    sent = at_once(3, lambda i: send_confirmations())
    calls = at_once(3, lambda i: create_confirmation_calls())
    assert sum(sent) == 6 and OutboundMessage.objects.filter(template_key="appointment_reminder").count() == 6
    assert sum(calls) == 6 and ConfirmationCall.objects.count() == 6

    clock.move_to("2026-03-03T18:05:00+08:00")
    marked = at_once(3, lambda i: mark_no_shows())
    assert sum(marked) == 6 and ContactLog.objects.filter(channel="visit").count() == 6
    assert set(Appointment.objects.values_list("status", flat=True)) == {"no_show"}
