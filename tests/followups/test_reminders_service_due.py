"""Vehicle.service_due_on, the stored reminder day: kept by the services that write readings, the next service
or the registration, recomputed by one function in a constant number of queries, and the only way the
reminder scans find a vehicle (their query count does not grow with the vehicles)."""

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import MaintenanceSchedule
from billing.schedule import add_months
from billing.services.delivery import repair_order_deliver
from billing.services.invoicing import invoice_issue
from billing.services.payments import payment_take
from customers.models import MileageReading, Vehicle
from customers.service_due import vehicles_refresh_service_due
from customers.services import vehicle_create, vehicle_record_mileage, vehicle_update
from followups.models import Reminder
from followups.services.reminders import first_service_reminders_send, maintenance_reminders_send
from tests.billing.invoicing_fixtures import ready_ro
from tests.factories import CustomerFactory, VehicleFactory, valid_vin

pytestmark = pytest.mark.django_db


def today(site):
    return timezone.localdate(timezone.now(), timezone=ZoneInfo(site.time_zone))


def due_on(vehicle):
    return Vehicle.objects.values_list("service_due_on", flat=True).get(pk=vehicle.pk)


def test_a_recorded_reading_moves_the_day_to_the_mileage_projection(site, advisor):
    day = today(site)
    vehicle = VehicleFactory(owner__site=site, next_service_on=day + timedelta(days=150), next_service_km=15500)
    assert due_on(vehicle) == day + timedelta(days=150)  # no readings: by date
    MileageReading.objects.create(vehicle=vehicle, km=10000, read_on=day - timedelta(days=100), source="check_in")
    vehicle_record_mileage(vehicle_id=vehicle.pk, site=site, km=15000, actor=advisor)  # 50 km/day
    assert due_on(vehicle) == day + timedelta(days=10)


def test_delivery_sets_the_next_service_and_the_day(site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    vehicle = repair_order.vehicle
    assert due_on(vehicle) is None
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    payment_take(invoice=invoice, method="card", amount=str(invoice.customer_amount), actor=cashier)
    repair_order_deliver(repair_order=repair_order, actor=cashier)
    vehicle.refresh_from_db()
    assert vehicle.next_service_on is not None
    assert vehicle.service_due_on == vehicle.next_service_on


def test_first_service_day_from_registration_and_the_makers_interval(site, advisor):
    day = today(site)
    MaintenanceSchedule.objects.create(site=site, make="大众", model="", interval_months=12, interval_km=10000,
                                       first_service_months=6, first_service_km=5000)
    vehicle = vehicle_create(site=site, owner=CustomerFactory(site=site), actor=advisor,
                             data={"vin": valid_vin(), "plate": "沪A12345", "make": "大众", "model": "朗逸",
                                   "registration_date": day - timedelta(days=30)})
    assert due_on(vehicle) == add_months(day - timedelta(days=30), 6)  # the make's row: 6 months
    vehicle_record_mileage(vehicle_id=vehicle.pk, site=site, km=3000, actor=advisor)  # 100 km/day from 0
    assert due_on(vehicle) == day + timedelta(days=20)
    vehicle_update(vehicle_id=vehicle.pk, site=site, version=None, actor=advisor,
                   data={"registration_date": day - timedelta(days=60)})  # 50 km/day: 5,000 in 40 more days
    assert due_on(vehicle) == day + timedelta(days=40)


def test_the_scans_find_a_vehicle_only_through_the_stored_day(site):
    day = today(site)
    within = VehicleFactory(owner__site=site, next_service_on=day + timedelta(days=3))
    moved_out = VehicleFactory(owner__site=site, next_service_on=day + timedelta(days=3))
    moved_in = VehicleFactory(owner__site=site, next_service_on=day + timedelta(days=300))
    Vehicle.objects.filter(pk=moved_out.pk).update(service_due_on=day + timedelta(days=100))
    Vehicle.objects.filter(pk=moved_in.pk).update(service_due_on=day + timedelta(days=2))
    too_old = VehicleFactory(owner__site=site, next_service_on=day + timedelta(days=3))
    Vehicle.objects.filter(pk=too_old.pk).update(service_due_on=day - timedelta(days=61))  # past the lookback

    assert maintenance_reminders_send(as_of=timezone.now()) == 2
    reminders = dict(Reminder.objects.values_list("vehicle_id", "due_by"))
    assert reminders == {within.pk: "date", moved_in.pk: "mileage"}

    new = VehicleFactory(owner__site=site, registration_date=day - timedelta(days=80))  # due in ~10 days
    hidden = VehicleFactory(owner__site=site, registration_date=day - timedelta(days=80))
    Vehicle.objects.filter(pk=hidden.pk).update(service_due_on=None)
    assert first_service_reminders_send(as_of=timezone.now()) == 1
    assert Reminder.objects.get(kind=Reminder.Kind.FIRST_SERVICE).vehicle_id == new.pk


def scan_queries(site, count):
    for _ in range(count):
        VehicleFactory(owner=CustomerFactory(site=site, marketing_consent=False),
                       next_service_on=today(site) + timedelta(days=3))
    with CaptureQueriesContext(connection) as queries:
        assert maintenance_reminders_send(as_of=timezone.now()) == count
    return len(queries)


def test_the_scan_costs_the_same_queries_for_one_vehicle_or_many(site, django_assert_num_queries):
    one = scan_queries(site, 1)
    Reminder.objects.all().delete()
    Vehicle.objects.all().update(next_service_on=None, service_due_on=None)
    assert scan_queries(site, 12) == one
    # the sites with their rules, the due vehicles not reminded (one index range), their reminders (bulk),
    # the messages batch: claim, bulk update, and the claim that finds none left
    Reminder.objects.all().delete()
    with django_assert_num_queries(one):
        maintenance_reminders_send(as_of=timezone.now())


def test_the_refresh_costs_constant_queries(site, django_assert_num_queries):
    vehicles = [VehicleFactory(owner__site=site) for _ in range(15)]
    Vehicle.objects.filter(pk__in=[v.pk for v in vehicles]).update(registration_date=today(site))
    # the vehicles with their readings' range; the maintenance schedule of their sites; one UPDATE of those moved
    with django_assert_num_queries(3):
        assert vehicles_refresh_service_due([v.pk for v in vehicles]) == 15
    with django_assert_num_queries(2):  # nothing moved: no UPDATE
        assert vehicles_refresh_service_due([v.pk for v in vehicles]) == 0


def test_the_command_recomputes_rows_written_without_the_services(site):
    vehicle = VehicleFactory(owner__site=site)
    Vehicle.objects.filter(pk=vehicle.pk).update(next_service_on=today(site))
    call_command("refresh_service_due", "--site", site.code, stdout=io.StringIO())
    assert due_on(vehicle) == today(site)


def test_a_schedule_changed_in_the_admin_moves_the_first_service_day(
        site, advisor, client, django_capture_on_commit_callbacks):
    """The maker's first-service interval edited in the admin recomputes the stored day (a background task after
    commit, eager in tests), so the next scan reminds on the new date."""
    from django.contrib.auth import get_user_model

    day = today(site)
    schedule = MaintenanceSchedule.objects.create(site=site, make="大众", model="", first_service_months=6,
                                                  first_service_km=50000)
    vehicle = vehicle_create(site=site, owner=CustomerFactory(site=site), actor=advisor,
                             data={"vin": valid_vin(), "plate": "沪A54321", "make": "大众", "model": "朗逸",
                                   "registration_date": day - timedelta(days=30)})
    assert due_on(vehicle) == add_months(day - timedelta(days=30), 6)
    admin_user = get_user_model().objects.create_superuser("schedule_admin", password="x-admin-password-1")
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/billing/maintenanceschedule/{schedule.pk}/change/", {
            "site": site.pk, "make": "大众", "model": "", "interval_months": 6, "interval_km": 5000,
            "first_service_months": 3, "first_service_km": 50000}, follow=True)
    assert response.status_code == 200
    assert due_on(vehicle) == add_months(day - timedelta(days=30), 3)


@pytest.mark.django_db(transaction=True)  # the warning comes from the admin's own commit, inside the request
def test_a_schedule_saved_while_the_broker_is_down_says_what_to_run(site, client, monkeypatch, english):
    from django.contrib.auth import get_user_model
    from kombu.exceptions import OperationalError

    from customers import tasks

    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.service_due_refresh, "delay", refused)
    client.force_login(get_user_model().objects.create_superuser("schedule_admin2", password="x-admin-password-1"))
    response = client.post("/admin/billing/maintenanceschedule/add/", {
        "site": site.pk, "make": "丰田", "model": "", "interval_months": 6, "interval_km": 5000,
        "first_service_months": 3, "first_service_km": 3000}, follow=True)
    assert MaintenanceSchedule.objects.filter(make="丰田").exists()  # the change itself is kept
    assert "refresh_service_due" in response.content.decode()
