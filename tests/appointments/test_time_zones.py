"""The server runs in UTC, the site in Asia/Shanghai: days, slots and scans follow the site's clock."""

from datetime import date

import pytest
import time_machine

from appointments import capacity
from appointments.selectors import availability
from appointments.services import mark_no_shows, send_confirmations
from customers.models import OutboundMessage

from .factories import book, local


@pytest.fixture
def utc_server(settings):
    settings.TIME_ZONE = "UTC"


def test_the_sites_day_starts_eight_hours_before_utcs(workshop, advisor, utc_server):
    # 2 March 17:00 UTC is already Tuesday 3 March 01:00 in Shanghai.
    with time_machine.travel("2026-03-02T17:00:00+00:00", tick=False):
        appointment = book(workshop, advisor, "2026-03-03 08:30")
        appointment.refresh_from_db()
        assert appointment.start.isoformat() == "2026-03-03T00:30:00+00:00"
        assert appointment.day == date(2026, 3, 3)
        days = availability(site=workshop)
        assert days[0].day == date(2026, 3, 3)
        assert days[0].slots[0].start == local(workshop, "2026-03-03 08:30")
        assert days[0].booked_hours == 1


def test_scans_use_the_sites_hours_not_the_servers(workshop, advisor, utc_server):
    from appointments.models import Appointment

    with time_machine.travel("2026-03-02T17:00:00+00:00", tick=False):
        tuesday = book(workshop, advisor, "2026-03-03 09:00")
        wednesday = book(workshop, advisor, "2026-03-04 09:00")
    OutboundMessage.objects.all().delete()
    with time_machine.travel("2026-03-03T01:59:00+00:00", tick=False):  # 09:59 in Shanghai
        assert send_confirmations() == 0
    with time_machine.travel("2026-03-03T02:00:00+00:00", tick=False):  # 10:00 in Shanghai
        assert send_confirmations() == 1
        assert OutboundMessage.objects.get().cause_id == str(wednesday.pk)
    with time_machine.travel("2026-03-03T09:59:00+00:00", tick=False):  # 17:59
        assert mark_no_shows() == 0
    with time_machine.travel("2026-03-03T10:00:00+00:00", tick=False):  # 18:00: closed
        assert mark_no_shows() == 1
    assert Appointment.objects.get(pk=tuesday.pk).status == "no_show"


def test_a_slot_is_the_sites_wall_clock(workshop):
    site_slots = capacity.slot_starts(workshop, capacity.booking_settings(workshop), date(2026, 3, 3))
    assert site_slots[0].isoformat() == "2026-03-03T08:30:00+08:00"
