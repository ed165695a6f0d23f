"""An appointment's arrival opens its repair order, carrying customer, vehicle, concern and services."""

from decimal import Decimal

import pytest
from django.urls import reverse

from appointments.models import Appointment, Status
from repair_orders.models import RepairOrder
from repair_orders.services import repair_order_open_from_appointment
from servicedesk.core.errors import ApplicationError
from tests.appointments.conftest import clock, workshop  # noqa: F401  (fixtures)
from tests.appointments.factories import book

from .conftest import make_operation

pytestmark = pytest.mark.django_db


def test_check_in_opens_the_repair_order_with_the_booked_work(workshop, advisor, oil_service):  # noqa: F811
    brakes = make_operation("JX001", name="更换前刹车片", hours="1.0", category="mechanical")
    appointment = book(workshop, advisor, "2026-03-03 09:00", hours="2.30", concern="刹车有异响",
                       packages=[oil_service], operations=[brakes])

    repair_order = repair_order_open_from_appointment(appointment=appointment, actor=advisor)

    assert Appointment.objects.get(pk=appointment.pk).status == Status.ARRIVED
    assert repair_order.appointment_ref == appointment.pk and repair_order.state == "checked_in"
    assert (repair_order.customer, repair_order.vehicle) == (appointment.customer, appointment.vehicle)
    assert repair_order.concerns == "刹车有异响" and repair_order.ro_type == RepairOrder.Type.MAINTENANCE
    lines = list(repair_order.jobs.order_by("pk"))
    assert [line.package_id for line in lines] == [oil_service.pk, None]
    assert lines[1].operation == brakes and lines[1].hours == Decimal("1.00")


def test_a_second_check_in_opens_nothing(workshop, advisor, oil_service):  # noqa: F811
    appointment = book(workshop, advisor, "2026-03-03 09:00", packages=[oil_service])
    repair_order_open_from_appointment(appointment=appointment, actor=advisor)
    with pytest.raises(ApplicationError):
        repair_order_open_from_appointment(appointment=Appointment.objects.get(pk=appointment.pk), actor=advisor)
    assert RepairOrder.objects.count() == 1


def test_the_arrivals_screen_and_the_api_say_which_ro_was_opened(workshop, advisor, advisor_client):  # noqa: F811
    first = book(workshop, advisor, "2026-03-03 09:00")
    page = advisor_client.post(reverse("appointments:check_in", args=[first.pk]), follow=True)
    number = RepairOrder.objects.get(appointment_ref=first.pk).number
    assert number in page.content.decode()

    second = book(workshop, advisor, "2026-03-03 10:00")
    answer = advisor_client.post(f"/api/v1/appointments/{second.pk}/check-in/", {}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "arrived"
    assert answer.json()["repair_order"]["number"] == RepairOrder.objects.get(appointment_ref=second.pk).number
