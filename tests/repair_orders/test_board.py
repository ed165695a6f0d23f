"""The front-desk board: today's arrivals, the open ROs by state with their holds, late ones, walk-ins."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Status
from repair_orders.models import RepairOrder
from repair_orders.services import repair_order_approve, repair_order_cancel, repair_order_open_from_appointment
from servicedesk.accounts.roles import ROLE_LABELS
from tests.appointments.factories import appointment_on_file
from tests.factories import VehicleFactory, make_staff

from .helpers import estimated_ro, open_ro, signature_png, submitted_with_part

pytestmark = pytest.mark.django_db

BOARD = reverse("repair_orders:board")


def test_the_board_shows_arrivals_and_open_orders_by_state_with_holds(site, advisor, advisor_client):
    expected = appointment_on_file(site, start=timezone.now() + timedelta(minutes=5), advisor=advisor)
    arrived = appointment_on_file(site, start=timezone.now() - timedelta(minutes=5), advisor=advisor)
    from_appointment = repair_order_open_from_appointment(appointment=arrived, actor=advisor)
    late = open_ro(site, advisor, promised_at=timezone.now() - timedelta(hours=1))
    waiting, job, _part = submitted_with_part(site, advisor, in_stock=1, quantity=3)
    repair_order_approve(repair_order=waiting, approved_line_ids=[job.pk], signer_name="张伟",
                         signature_image=signature_png(), version=None, actor=advisor)
    response = advisor_client.get(BOARD)
    assert response.status_code == 200
    columns = {column["state"].value: column["orders"] for column in response.context["columns"]}
    assert {ro.pk for ro in columns["checked_in"]} == {from_appointment.pk, late.pk}
    assert [ro.pk for ro in columns["approved"]] == [waiting.pk]
    assert columns["approved"][0].waiting_parts and not columns["checked_in"][0].waiting_parts
    assert [ro.late for ro in columns["checked_in"] if ro.pk == late.pk] == [True]
    assert response.context["late_count"] == 1
    html = response.content.decode()
    assert f'id="board-arrival-{expected.pk}"' in html and f'id="board-check-in-{expected.pk}"' in html
    assert reverse("repair_orders:detail", args=[from_appointment.pk]) in html  # the arrival links to its RO
    assert f'id="ro-card-{late.pk}"' in html and "ro-late" in html


def test_closed_orders_and_other_sites_stay_off_the_board(site, other_site, advisor, advisor_client):
    cancelled = open_ro(site, advisor)
    repair_order_cancel(repair_order=cancelled, reason="客户改期", actor=advisor)
    elsewhere = make_staff(role="advisor", sites=[other_site])
    theirs = open_ro(other_site, elsewhere, vehicle=VehicleFactory(owner__site=other_site))
    html = advisor_client.get(BOARD).content.decode()
    assert f"ro-card-{cancelled.pk}" not in html and f"ro-card-{theirs.pk}" not in html


def test_the_board_runs_a_constant_number_of_queries(site, advisor, advisor_client, django_assert_num_queries):
    open_ro(site, advisor)
    appointment_on_file(site, start=timezone.now() + timedelta(hours=1))
    arrived = appointment_on_file(site, start=timezone.now() - timedelta(minutes=5))
    repair_order_open_from_appointment(appointment=arrived, actor=advisor)
    advisor_client.get(BOARD)  # warm the per-process caches (content types)
    # The request's own (session, user, site context, permissions), then: booking settings, appointments,
    # their operations, their packages (the arrivals), the ROs of arrived appointments, the open ROs with holds.
    with CaptureQueriesContext(connection) as small:
        advisor_client.get(BOARD)
    for n in range(6):
        open_ro(site, advisor, promised_at=timezone.now() + timedelta(hours=n))
        estimated_ro(site, advisor)
        later = appointment_on_file(site, start=timezone.now() - timedelta(minutes=10 + n))
        repair_order_open_from_appointment(appointment=later, actor=advisor)
        appointment_on_file(site, start=timezone.now() + timedelta(hours=2, minutes=n), status=Status.CONFIRMED)
    with django_assert_num_queries(len(small.captured_queries)):
        response = advisor_client.get(BOARD)
    assert response.context["open_count"] == 1 + 1 + 18


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_who_sees_the_board_and_who_opens_walk_ins(client, site, role):
    client.force_login(make_staff(role=role, sites=[site]))
    can_view = role in {"advisor", "service_manager", "foreman", "technician", "qc_inspector", "cashier"}
    assert client.get(BOARD).status_code == (200 if can_view else 403)
    can_open = role in {"advisor", "service_manager"}
    assert client.get(reverse("repair_orders:walk_in")).status_code == (200 if can_open else 403)


def test_a_walk_in_opens_an_ro_for_the_vehicle_picked_from_the_archive(site, advisor, advisor_client):
    vehicle = VehicleFactory(owner__site=site, plate="沪B77777", mileage=30000)
    lookup = advisor_client.get(reverse("repair_orders:walk_in_lookup"), {"lookup": "B777"})
    assert f'value="{vehicle.pk}"' in lookup.content.decode()
    response = advisor_client.post(reverse("repair_orders:walk_in"), {
        "vehicle": vehicle.pk, "ro_type": "repair", "advisor": advisor.pk, "waiting": "on",
        "promised_at": "2030-05-01T17:30", "concerns": "空调不凉"})
    repair_order = RepairOrder.objects.get(vehicle=vehicle)
    assert response.status_code == 302 and response.url == reverse("repair_orders:detail", args=[repair_order.pk])
    assert repair_order.customer == vehicle.owner and repair_order.waiting and repair_order.concerns == "空调不凉"
    assert timezone.localtime(repair_order.promised_at, timezone.get_fixed_timezone(480)).hour == 17


def test_a_walk_in_without_a_vehicle_is_refused_clearly(site, advisor, advisor_client, other_site):
    theirs = VehicleFactory(owner__site=other_site)
    for data in ({}, {"vehicle": theirs.pk}):
        response = advisor_client.post(reverse("repair_orders:walk_in"), {
            "ro_type": "repair", "advisor": advisor.pk, **data})
        assert response.status_code == 200
        assert _("Find the vehicle in the archive and choose it.") in response.content.decode()
    assert not RepairOrder.objects.exists()
