"""Maintenance and first-service reminders: due by date or by projected mileage, once per cycle, marketing
consent respected, a call task when no booking follows, converted when one does."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from customers.models import MileageReading, OutboundMessage
from customers.service_due import vehicles_refresh_service_due
from followups.models import Callback, FollowupSettings, Reminder
from followups.services.reminders import (
    Readings,
    first_service_reminders_send,
    maintenance_reminders_send,
    projected_day,
    reminder_calls_create,
    reminders_mark_converted,
)
from tests.appointments.factories import appointment_on_file
from tests.factories import CustomerFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def a_vehicle(site, *, consent=True, **fields):
    return VehicleFactory(owner=CustomerFactory(site=site, marketing_consent=consent), **fields)


def today(site):
    return timezone.localdate(timezone.now(), timezone=ZoneInfo(site.time_zone))


def readings(vehicle, *pairs):
    """Written directly, so the stored reminder day is recomputed as the mileage services do."""
    for read_on, km in pairs:
        MileageReading.objects.create(vehicle=vehicle, km=km, read_on=read_on, source="check_in")
    vehicles_refresh_service_due([vehicle.pk])


def test_projected_day_from_the_average_km_per_day():
    history = Readings(first_on=date(2026, 1, 1), last_on=date(2026, 4, 11), low=10000, high=15000)  # 50 km/day
    assert projected_day(history, 15500) == date(2026, 4, 21)
    assert projected_day(history, 14000) == date(2026, 4, 11)  # already past: due now
    assert projected_day(history, None) is None
    assert projected_day(Readings(date(2026, 1, 1), date(2026, 1, 1), 10000, 10000), 15000) is None


def test_due_by_date_within_the_window_once_per_cycle_with_a_marketing_message(site):
    now = timezone.now()
    vehicle = a_vehicle(site, next_service_on=today(site) + timedelta(days=10), next_service_km=20000)
    a_vehicle(site, next_service_on=today(site) + timedelta(days=40))  # outside the 14-day window

    assert maintenance_reminders_send(as_of=now) == 1
    assert maintenance_reminders_send(as_of=now) == 0
    reminder = Reminder.objects.get()
    assert (reminder.vehicle, reminder.kind, reminder.due_by) == (vehicle, Reminder.Kind.MAINTENANCE, "date")
    assert reminder.cycle == vehicle.next_service_on.isoformat()
    assert reminder.status == Reminder.Status.SENT
    message = OutboundMessage.objects.get()
    assert (message.pk, message.purpose, message.template_key) == (
        reminder.message_ref, OutboundMessage.Purpose.MARKETING, "maintenance_reminder")
    assert message.dedupe_key == f"reminder:{reminder.pk}"


def test_a_new_cycle_gets_a_new_reminder(site):
    vehicle = a_vehicle(site, next_service_on=today(site) + timedelta(days=3))
    maintenance_reminders_send(as_of=timezone.now())
    vehicle.next_service_on = today(site) + timedelta(days=5)  # serviced again: a new due date
    vehicle.save()
    vehicles_refresh_service_due([vehicle.pk])
    assert maintenance_reminders_send(as_of=timezone.now()) == 1
    assert Reminder.objects.filter(vehicle=vehicle).count() == 2


def test_due_by_projected_mileage_before_the_date(site):
    day = today(site)
    vehicle = a_vehicle(site, next_service_on=day + timedelta(days=150), next_service_km=15500, mileage=15000,
                        mileage_on=day)
    readings(vehicle, (day - timedelta(days=100), 10000), (day, 15000))  # 50 km/day: 15,500 in 10 days
    slow = a_vehicle(site, next_service_on=day + timedelta(days=150), next_service_km=15500, mileage=15000,
                     mileage_on=day)
    readings(slow, (day - timedelta(days=1000), 10000), (day, 15000))  # 5 km/day: 100 days

    assert maintenance_reminders_send(as_of=timezone.now()) == 1
    reminder = Reminder.objects.get()
    assert (reminder.vehicle, reminder.due_by, reminder.due_on) == (vehicle, "mileage", day + timedelta(days=10))
    assert reminder.cycle == vehicle.next_service_on.isoformat()


def test_without_marketing_consent_no_message_and_no_call(site):
    a_vehicle(site, consent=False, next_service_on=today(site) + timedelta(days=3))
    assert maintenance_reminders_send(as_of=timezone.now()) == 1
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.message_ref) == (Reminder.Status.SKIPPED, None)
    assert not OutboundMessage.objects.exists()
    assert reminder_calls_create(as_of=timezone.now() + timedelta(days=30)) == 0
    assert maintenance_reminders_send(as_of=timezone.now()) == 0  # the cycle is not tried again


def test_a_call_task_when_no_booking_follows_within_the_site_days(site):
    FollowupSettings.objects.create(site=site, reminder_call_after_days=5)
    vehicle = a_vehicle(site, next_service_on=today(site) + timedelta(days=3))
    now = timezone.now()
    maintenance_reminders_send(as_of=now)
    reminder = Reminder.objects.get()

    assert reminder_calls_create(as_of=now + timedelta(days=4)) == 0
    assert reminder_calls_create(as_of=now + timedelta(days=6)) == 1
    assert reminder_calls_create(as_of=now + timedelta(days=7)) == 0
    call = Callback.objects.get()
    assert (call.kind, call.dedupe_key, call.reminder, call.vehicle) == (
        Callback.Kind.MAINTENANCE, f"reminder:{reminder.pk}", reminder, vehicle)
    assert call.assignee is None
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.CALL


def test_a_booking_after_the_reminder_converts_it_and_cancels_its_open_call(site):
    vehicle = a_vehicle(site, next_service_on=today(site) + timedelta(days=3))
    now = timezone.now()
    maintenance_reminders_send(as_of=now)
    reminder_calls_create(as_of=now + timedelta(days=6))
    appointment = appointment_on_file(site, vehicle=vehicle)

    assert reminders_mark_converted(as_of=timezone.now()) == 1
    assert reminders_mark_converted(as_of=timezone.now()) == 0
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.appointment_ref) == (Reminder.Status.CONVERTED, appointment.pk)
    assert reminder.converted_at == appointment.created_at
    assert Callback.objects.get().status == Callback.Status.CANCELLED


def test_a_booking_before_the_call_is_due_means_no_call(site):
    vehicle = a_vehicle(site, next_service_on=today(site) + timedelta(days=3))
    now = timezone.now()
    maintenance_reminders_send(as_of=now)
    appointment_on_file(site, vehicle=vehicle)
    assert reminder_calls_create(as_of=now + timedelta(days=6)) == 0


def test_first_service_of_a_new_vehicle_by_the_makers_interval(site):
    day = today(site)
    vehicle = a_vehicle(site, registration_date=day - timedelta(days=80))  # default: 3 months / 3,000 km
    a_vehicle(site, registration_date=day - timedelta(days=20))  # not yet within the window
    a_vehicle(site, registration_date=day - timedelta(days=80), next_service_on=day + timedelta(days=100))

    assert first_service_reminders_send(as_of=timezone.now()) == 1
    assert first_service_reminders_send(as_of=timezone.now()) == 0
    reminder = Reminder.objects.get()
    assert (reminder.vehicle, reminder.kind, reminder.cycle, reminder.due_by) == (
        vehicle, Reminder.Kind.FIRST_SERVICE, "first", "date")
    assert reminder.due_km == 3000
    assert OutboundMessage.objects.filter(pk=reminder.message_ref).exists()


def test_first_service_by_mileage_counted_from_registration(site):
    day = today(site)
    vehicle = a_vehicle(site, registration_date=day - timedelta(days=30), mileage=2800, mileage_on=day)
    readings(vehicle, (day, 2800))  # 2,800 km in 30 days: 3,000 in 3 more days
    assert first_service_reminders_send(as_of=timezone.now()) == 1
    reminder = Reminder.objects.get()
    assert (reminder.due_by, reminder.due_on) == ("mileage", day + timedelta(days=3))
