"""The day-before confirmation, the call task and end-of-day no-shows: each once, whatever the reruns."""

from datetime import date

import pytest

from appointments.models import AppointmentEvent, ConfirmationCall, Status
from appointments.services import (
    appointment_cancel,
    appointment_confirm,
    confirmation_call_complete,
    create_confirmation_calls,
    mark_no_shows,
    send_confirmations,
)
from customers.models import ContactLog, OutboundMessage
from servicedesk.core.errors import ApplicationError
from servicedesk.core.models import Notification

from .factories import book


@pytest.fixture
def tomorrow_bookings(workshop, advisor):
    """Tuesday: one booked, one confirmed, one cancelled; Wednesday: one booked."""
    booked = book(workshop, advisor, "2026-03-03 09:00", advisor=advisor)
    confirmed = appointment_confirm(appointment=book(workshop, advisor, "2026-03-03 10:00"), actor=advisor)
    appointment_cancel(appointment=book(workshop, advisor, "2026-03-03 11:00"), actor=advisor, reason="改期")
    later = book(workshop, advisor, "2026-03-04 09:00")
    OutboundMessage.objects.all().delete()  # the "booked" messages; these tests count reminders
    return booked, confirmed, later


def test_the_reminder_goes_from_the_sites_hour_once_per_appointment(workshop, clock, tomorrow_bookings):
    booked, confirmed, _later = tomorrow_bookings
    clock.move_to("2026-03-02T09:59:00+08:00")
    assert send_confirmations() == 0
    clock.move_to("2026-03-02T10:00:00+08:00")
    assert send_confirmations() == 2
    assert send_confirmations() == 0
    reminders = OutboundMessage.objects.filter(template_key="appointment_reminder")
    assert sorted(m.cause_id for m in reminders) == sorted([str(booked.pk), str(confirmed.pk)])
    assert AppointmentEvent.objects.filter(kind=AppointmentEvent.Kind.REMINDER_SENT).count() == 2


def test_a_moved_appointment_is_reminded_again_for_its_new_day(workshop, clock, advisor, tomorrow_bookings):
    from appointments.services import appointment_reschedule

    from .factories import local

    booked = tomorrow_bookings[0]
    clock.move_to("2026-03-02T10:00:00+08:00")
    send_confirmations()
    appointment_reschedule(appointment=booked, actor=advisor, start=local(workshop, "2026-03-04 14:00"))
    clock.move_to("2026-03-03T10:00:00+08:00")
    assert send_confirmations() == 2  # the moved one and Wednesday's
    assert OutboundMessage.objects.filter(cause_id=str(booked.pk)).count() == 2


def test_unconfirmed_appointments_become_one_call_for_their_advisor(workshop, clock, advisor, tomorrow_bookings):
    booked = tomorrow_bookings[0]
    clock.move_to("2026-03-02T15:59:00+08:00")
    assert create_confirmation_calls() == 0
    clock.move_to("2026-03-02T16:00:00+08:00")
    assert create_confirmation_calls() == 1
    assert create_confirmation_calls() == 0
    call = ConfirmationCall.objects.get()
    assert (call.appointment, call.assigned_to, call.for_day) == (booked, advisor, date(2026, 3, 3))
    assert Notification.objects.filter(recipient=advisor, url=f"/appointments/{booked.pk}/").count() == 1

    done = confirmation_call_complete(call=call, actor=advisor, outcome=ConfirmationCall.Outcome.CONFIRMED)
    booked.refresh_from_db()
    assert done.status == ConfirmationCall.Status.DONE and booked.status == Status.CONFIRMED
    assert booked.events.filter(kind="confirmed").get().data == {"via": "call"}
    with pytest.raises(ApplicationError):
        confirmation_call_complete(call=call, actor=advisor, outcome=ConfirmationCall.Outcome.NO_ANSWER)


def test_a_call_that_cancels_frees_the_slot(workshop, clock, advisor, tomorrow_bookings):
    clock.move_to("2026-03-02T16:00:00+08:00")
    create_confirmation_calls()
    call = ConfirmationCall.objects.get()
    confirmation_call_complete(call=call, actor=advisor, outcome=ConfirmationCall.Outcome.CANCELLED, note="出差")
    call.appointment.refresh_from_db()
    assert call.appointment.status == Status.CANCELLED and call.appointment.cancel_reason == "出差"


def test_no_shows_after_closing_time_once(workshop, clock, advisor, tomorrow_bookings):
    booked, confirmed, later = tomorrow_bookings
    clock.move_to("2026-03-03T17:59:00+08:00")
    assert mark_no_shows() == 0
    clock.move_to("2026-03-03T18:00:00+08:00")
    assert mark_no_shows() == 2
    assert mark_no_shows() == 0
    booked.refresh_from_db()
    later.refresh_from_db()
    assert booked.status == Status.NO_SHOW and later.status == Status.BOOKED
    assert ContactLog.objects.filter(customer__in=[booked.customer, confirmed.customer], channel="visit").count() == 2
    event = booked.events.get(kind="no_show")
    assert event.actor is None and event.from_status == "booked"


def test_the_scan_tasks_run_the_scans(workshop, clock, tomorrow_bookings):
    from appointments import tasks

    clock.move_to("2026-03-03T18:30:00+08:00")
    assert tasks.mark_no_shows.apply().get() == 2
    assert tasks.mark_no_shows.apply().get() == 0
    clock.move_to("2026-03-03T16:00:00+08:00")
    assert (tasks.send_confirmations.apply().get(), tasks.create_confirmation_calls.apply().get()) == (1, 1)
