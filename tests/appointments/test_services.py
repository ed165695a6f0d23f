"""Booking with inline customers, hours from the catalogue, every state change and its guard."""

from decimal import Decimal

import pytest

from appointments.models import Appointment, AppointmentEvent, Channel, Status
from appointments.services import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_confirm,
    appointment_mark_no_show,
    appointment_reschedule,
)
from customers.models import ArchiveEvent, ContactLog, Customer, OutboundMessage, Vehicle
from servicedesk.core.errors import ApplicationError
from tests.factories import valid_vin
from tests.repair_orders.conftest import make_operation, make_package

from .factories import a_vehicle, book, local


def test_booking_a_vehicle_on_file_copies_its_contact_and_queues_the_confirmation(workshop, advisor):
    vehicle = a_vehicle(workshop, plate="沪A12345")
    appointment = book(workshop, advisor, "2026-03-03 09:00", vehicle=vehicle, advisor=advisor, courtesy_car=True)
    assert (appointment.customer, appointment.plate, appointment.contact_mobile) == (
        vehicle.owner, "沪A12345", vehicle.owner.mobile)
    assert appointment.status == Status.BOOKED and appointment.version == 1
    event = appointment.events.get()
    assert (event.kind, event.to_status, event.actor) == (AppointmentEvent.Kind.BOOKED, Status.BOOKED, advisor)
    message = OutboundMessage.objects.get()
    assert message.template_key == "appointment_confirmation" and message.customer == vehicle.owner
    assert "沪A12345" in message.text and "2026-03-03 09:00" in message.text and "/appointments/self/" in message.text


def test_a_new_customer_and_vehicle_are_created_through_the_archive(workshop, advisor):
    vin = valid_vin()
    appointment = appointment_book(
        site=workshop, actor=advisor, start=local(workshop, "2026-03-03 10:00"), channel=Channel.WECHAT,
        new_customer={"name": "赵六", "mobile": "139 1234 5678"},
        new_vehicle={"vin": vin, "plate": "沪c 88888", "make": "大众", "model": "帕萨特"},
        concern="刹车有异响",
    )
    customer, vehicle = Customer.objects.get(name="赵六"), Vehicle.objects.get(vin=vin)
    assert customer.mobile == "13912345678" and vehicle.plate == "沪C88888" and vehicle.owner == customer
    assert (appointment.customer, appointment.vehicle, appointment.plate) == (customer, vehicle, "沪C88888")
    assert ArchiveEvent.objects.filter(kind=ArchiveEvent.Kind.CUSTOMER_CREATED, customer=customer).exists()
    assert appointment.estimated_hours == Decimal("1.00")  # concern only: an hour to diagnose


@pytest.mark.parametrize("new_customer, new_vehicle, field", [
    ({"name": "赵六", "mobile": "12345"}, None, "customer_mobile"),
    ({"name": "赵六", "mobile": "13912345678"}, {"vin": "LSVAB2180N1234567", "make": "大众", "model": "朗逸"},
     "vehicle_vin"),
    ({"name": "", "mobile": "13912345678"}, None, "customer_name"),
])
def test_an_inline_customer_fails_the_archives_validation_and_nothing_is_kept(workshop, advisor, new_customer,
                                                                              new_vehicle, field):
    with pytest.raises(ApplicationError) as refused:
        appointment_book(site=workshop, actor=advisor, start=local(workshop, "2026-03-03 10:00"),
                         new_customer=new_customer, new_vehicle=new_vehicle, concern="保养")
    assert refused.value.field == field
    assert not Customer.objects.exists() and not Appointment.objects.exists()


def test_estimated_hours_come_from_operations_and_packages_each_operation_once(workshop, advisor):
    oil = make_operation("BY001", hours="0.5")
    check = make_operation("BY010", hours="0.3")
    brakes = make_operation("ZD001", name="更换前刹车片", hours="1.2", category="mechanical")
    package = make_package(workshop, operations=[oil, check])
    appointment = book(workshop, advisor, "2026-03-03 09:00", hours=None, operations=[oil, brakes],
                       packages=[package], concern="")
    assert appointment.estimated_hours == Decimal("2.00")
    assert set(appointment.operations.all()) == {oil, brakes} and list(appointment.packages.all()) == [package]
    edited = book(workshop, advisor, "2026-03-03 09:30", hours="3.5", operations=[brakes], concern="")
    assert edited.estimated_hours == Decimal("3.50")


def test_a_booking_says_what_the_customer_wants(workshop, advisor):
    with pytest.raises(ApplicationError) as refused:
        book(workshop, advisor, "2026-03-03 09:00", concern="  ")
    assert refused.value.field == "concern"


def test_the_life_of_an_appointment(workshop, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    appointment_confirm(appointment=appointment, actor=advisor, via="phone")
    arrived = appointment_check_in(appointment=appointment, actor=advisor)
    assert arrived.status == Status.ARRIVED and arrived.arrived_at is not None and arrived.version == 3
    kinds = list(appointment.events.values_list("kind", "from_status", "to_status"))
    assert kinds == [("booked", "", "booked"), ("confirmed", "booked", "confirmed"),
                     ("arrived", "confirmed", "arrived")]
    assert appointment.events.last().data["late_minutes"] < 0  # came a day early
    with pytest.raises(ApplicationError) as refused:
        appointment_cancel(appointment=appointment, actor=advisor, reason="x")
    assert refused.value.code == "illegal_transition"


def test_cancelling_needs_a_reason_and_frees_the_capacity(workshop, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00", hours="12.8")
    with pytest.raises(ApplicationError):
        appointment_cancel(appointment=appointment, actor=advisor, reason=" ")
    cancelled = appointment_cancel(appointment=appointment, actor=advisor, reason="车已卖")
    assert cancelled.cancel_reason == "车已卖" and cancelled.events.last().data == {"reason": "车已卖"}
    book(workshop, advisor, "2026-03-03 09:00", hours="12.8")


def test_a_no_show_is_on_the_customers_record(workshop, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    appointment_mark_no_show(appointment=appointment, actor=advisor)
    line = ContactLog.objects.get(customer=appointment.customer)
    assert line.channel == "visit" and "2026-03-03 09:00" in line.outcome
    with pytest.raises(ApplicationError) as again:
        appointment_mark_no_show(appointment=appointment, actor=advisor)
    assert again.value.code == "illegal_transition"


def test_a_stale_version_is_refused_with_who_changed_it(workshop, advisor, manager):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    appointment_confirm(appointment=appointment, actor=manager, version=1)
    with pytest.raises(ApplicationError) as stale:
        appointment_reschedule(appointment=appointment, actor=advisor, start=local(workshop, "2026-03-03 10:00"),
                               version=1)
    assert stale.value.code == "stale_version" and "李经理" in str(stale.value)


def test_rescheduling_checks_capacity_without_counting_itself(workshop, advisor):
    big = book(workshop, advisor, "2026-03-03 09:00", hours="12.8")
    moved = appointment_reschedule(appointment=big, actor=advisor, start=local(workshop, "2026-03-03 15:00"),
                                   advisor=advisor)
    assert moved.start == local(workshop, "2026-03-03 15:00") and moved.advisor == advisor and moved.version == 2
    event = moved.events.get(kind=AppointmentEvent.Kind.RESCHEDULED)
    assert event.data["from_start"] == local(workshop, "2026-03-03 09:00").isoformat()
    other = book(workshop, advisor, "2026-03-04 09:00", hours="2")
    with pytest.raises(ApplicationError) as refused:
        appointment_reschedule(appointment=other, actor=advisor, start=local(workshop, "2026-03-03 10:00"))
    assert refused.value.code == "capacity_full" and refused.value.extra["next_free"]
    other.refresh_from_db()
    assert other.day.isoformat() == "2026-03-04" and other.version == 1


def test_a_cancelled_appointment_cannot_be_moved(workshop, advisor):
    appointment = appointment_cancel(appointment=book(workshop, advisor, "2026-03-03 09:00"), actor=advisor,
                                     reason="不来了")
    with pytest.raises(ApplicationError) as refused:
        appointment_reschedule(appointment=appointment, actor=advisor, start=local(workshop, "2026-03-03 10:00"))
    assert refused.value.code == "illegal_transition"


def test_another_sites_vehicle_or_advisor_is_refused(workshop, advisor, other_site):
    from tests.factories import make_staff

    with pytest.raises(ApplicationError) as wrong_vehicle:
        book(workshop, advisor, "2026-03-03 09:00", vehicle=a_vehicle(other_site))
    assert wrong_vehicle.value.field == "vehicle"
    stranger = make_staff(role="advisor", sites=[other_site], username="stranger")
    with pytest.raises(ApplicationError) as wrong_advisor:
        book(workshop, advisor, "2026-03-03 09:00", advisor=stranger)
    assert wrong_advisor.value.field == "advisor"


def test_the_demo_seed_is_idempotent(site, clock):
    from appointments.demo import seed_appointments
    from appointments.models import TechnicianShift
    from tests.factories import make_staff

    advisor = make_staff(role="advisor", sites=[site], username="demo-advisor")
    for _n in range(30):
        a_vehicle(site)
    clock.move_to("2026-03-02T11:00:00+08:00")
    made = seed_appointments(site, advisors=[advisor])
    assert made >= 20 and Appointment.objects.filter(site=site).count() == made
    assert Appointment.objects.filter(status="arrived").exists()
    assert TechnicianShift.objects.filter(site=site).count() == 5 * 6
    assert seed_appointments(site, advisors=[advisor]) == 0
    assert TechnicianShift.objects.filter(site=site).count() == 5 * 6
