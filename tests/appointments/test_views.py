"""The booking screen with live availability, the calendar (drag to move), arrivals and the detail page."""

import pytest
from django.urls import reverse

from appointments.models import Appointment, ConfirmationCall, Status
from servicedesk.accounts.roles import ROLE_LABELS
from tests.factories import make_staff, valid_vin

from .factories import a_vehicle, book, local


def test_the_booking_form_books_a_vehicle_on_file(workshop, advisor_client, advisor):
    vehicle = a_vehicle(workshop, plate="沪A12345")
    page = advisor_client.get(reverse("appointments:book") + f"?vehicle={vehicle.pk}")
    assert page.status_code == 200 and "沪A12345" in page.content.decode()
    response = advisor_client.post(reverse("appointments:book"), {
        "party": f"vehicle:{vehicle.pk}", "channel": "phone", "concern": "空调不凉",
        "start": local(workshop, "2026-03-03 09:30").isoformat(), "advisor": advisor.pk,
    })
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response.url == reverse("appointments:detail", args=[appointment.pk])
    assert (appointment.vehicle, appointment.advisor, appointment.concern) == (vehicle, advisor, "空调不凉")


def test_a_new_customer_is_checked_on_the_form_and_by_the_archive(workshop, advisor_client):
    data = {"channel": "phone", "concern": "保养", "start": local(workshop, "2026-03-03 09:30").isoformat(),
            "customer_name": "赵六", "customer_mobile": "12345"}
    page = advisor_client.post(reverse("appointments:book"), data)
    assert page.status_code == 200 and "customer_mobile" in page.context["form"].errors
    data.update(customer_mobile="13912345678", vehicle_plate="沪C88888", vehicle_vin="LSVAB2180N1234567",
                vehicle_make="大众", vehicle_model="朗逸")
    page = advisor_client.post(reverse("appointments:book"), data)
    assert "vehicle_vin" in page.context["form"].errors and not Appointment.objects.exists()
    data["vehicle_vin"] = valid_vin()
    assert advisor_client.post(reverse("appointments:book"), data).status_code == 302
    assert Appointment.objects.get().vehicle.plate == "沪C88888"


def test_a_full_day_offers_the_next_free_times_on_the_form(workshop, advisor_client, advisor):
    book(workshop, advisor, "2026-03-03 09:00", hours="12.8")
    page = advisor_client.post(reverse("appointments:book"), {
        "party": f"vehicle:{a_vehicle(workshop).pk}", "channel": "phone", "concern": "保养",
        "start": local(workshop, "2026-03-03 14:00").isoformat()})
    assert page.status_code == 200
    assert [m.isoformat() for m in page.context["next_free"]][0] == local(workshop, "2026-03-04 08:30").isoformat()
    assert 'id="next-free"' in page.content.decode()


def test_the_availability_panel_follows_hours_advisor_and_day(workshop, advisor_client, advisor):
    book(workshop, advisor, "2026-03-03 09:00", hours="12")
    url = reverse("appointments:availability_panel")
    panel = advisor_client.get(url, {"estimated_hours": "1"})
    html = panel.content.decode()
    assert panel.context["selected"].day.isoformat() == "2026-03-02"  # today still has free slots after 09:00
    assert 'value="2026-03-02T09:30:00+08:00"' in html
    assert 'value="2026-03-02T09:00:00+08:00" autocomplete="off" disabled' in html
    tuesday = advisor_client.get(url, {"estimated_hours": "1", "day": "2026-03-03"})
    assert tuesday.context["selected"].free_slots == []  # 0.8 hours left
    assert "no-slots" in tuesday.content.decode()
    small = advisor_client.get(url, {"estimated_hours": "0.5", "day": "2026-03-03"})
    assert len(small.context["selected"].free_slots) == 19  # 0.8 hours left; 09:00 greets one more car
    chosen = local(workshop, "2026-03-03 10:00").isoformat()
    assert f'value="{chosen}" autocomplete="off" checked' in advisor_client.get(
        url, {"estimated_hours": "0.5", "start": chosen}).content.decode()


def test_the_archive_lookup_offers_vehicles_and_customers(workshop, advisor_client):
    a_vehicle(workshop, plate="沪A12345")
    html = advisor_client.get(reverse("appointments:archive_lookup"), {"lookup": "A123"}).content.decode()
    assert 'name="party" value="vehicle:' in html and "沪A12345" in html


def test_the_calendar_day_and_week(workshop, advisor_client, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00", advisor=advisor)
    day = advisor_client.get(reverse("appointments:calendar"), {"date": "2026-03-03"})
    html = day.content.decode()
    assert day.status_code == 200 and f'id="appt-{appointment.pk}"' in html and "data-movable" in html
    assert f'data-start="2026-03-03T09:00:00+08:00" data-advisor="{advisor.pk}"' in html
    week = advisor_client.get(reverse("appointments:calendar"), {"date": "2026-03-04", "view": "week"})
    assert len(week.context["days"]) == 7 and week.context["days"][0].load.day.isoformat() == "2026-03-02"
    assert 'data-day="2026-03-03"' in week.content.decode()


def test_dragging_a_card_reschedules_or_snaps_back(workshop, advisor_client, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    url = reverse("appointments:board_move", args=[appointment.pk])
    moved = advisor_client.post(url, {"start": local(workshop, "2026-03-03 11:00").isoformat(), "advisor": advisor.pk,
                                      "version": 1, "view": "day", "date": "2026-03-03"}, HTTP_HX_REQUEST="true")
    appointment.refresh_from_db()
    assert moved.status_code == 200 and appointment.start == local(workshop, "2026-03-03 11:00")
    assert appointment.advisor == advisor and 'hx-swap-oob="true"' in moved.content.decode()
    book(workshop, advisor, "2026-03-04 09:00", hours="12.8")
    refused = advisor_client.post(url, {"day": "2026-03-04", "version": 2, "view": "week", "date": "2026-03-03"},
                                  HTTP_HX_REQUEST="true")
    appointment.refresh_from_db()
    assert refused.status_code == 200 and appointment.day.isoformat() == "2026-03-03"
    assert "alert-danger" in refused.content.decode()


def test_arrivals_sort_late_expected_and_arrived(workshop, advisor_client, advisor, clock):
    late = book(workshop, advisor, "2026-03-02 09:30")
    expected = book(workshop, advisor, "2026-03-02 11:00")
    here = book(workshop, advisor, "2026-03-02 10:00")
    clock.move_to("2026-03-02T10:00:00+08:00")
    advisor_client.post(reverse("appointments:check_in", args=[here.pk]), {"next": reverse("appointments:arrivals")})
    page = advisor_client.get(reverse("appointments:arrivals"))
    arrivals = page.context["arrivals"]
    assert (arrivals.late, arrivals.expected, arrivals.arrived) == ([late], [expected], [here])
    assert arrivals.late[0].late_minutes == 30
    assert f'id="check-in-{late.pk}"' in page.content.decode()


def test_the_detail_page_moves_cancels_and_records(workshop, advisor_client, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    page = advisor_client.get(reverse("appointments:detail", args=[appointment.pk]))
    assert page.status_code == 200 and 'id="check-in"' in page.content.decode()
    advisor_client.post(reverse("appointments:reschedule", args=[appointment.pk]),
                        {"day": "2026-03-05", "time": "14:30", "advisor": "none", "version": 1})
    appointment.refresh_from_db()
    assert appointment.start == local(workshop, "2026-03-05 14:30") and appointment.advisor is None
    advisor_client.post(reverse("appointments:cancel", args=[appointment.pk]), {"reason": "", "version": 2})
    assert Appointment.objects.get().status == Status.BOOKED  # no reason: refused with a message
    advisor_client.post(reverse("appointments:cancel", args=[appointment.pk]), {"reason": "出差", "version": 2})
    assert Appointment.objects.get().status == Status.CANCELLED


def test_a_stale_page_gets_the_message_not_a_change(workshop, advisor_client, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    advisor_client.post(reverse("appointments:confirm", args=[appointment.pk]), {"version": 1})
    response = advisor_client.post(reverse("appointments:no_show", args=[appointment.pk]), {"version": 1}, follow=True)
    assert Appointment.objects.get().status == Status.CONFIRMED
    assert "王顾问" in response.content.decode()


def test_a_call_is_completed_from_the_arrivals_page(workshop, advisor_client, advisor, clock):
    from appointments.services import create_confirmation_calls

    appointment = book(workshop, advisor, "2026-03-03 09:00", advisor=advisor)
    clock.move_to("2026-03-02T16:30:00+08:00")
    create_confirmation_calls()
    call = ConfirmationCall.objects.get()
    assert "confirmation-calls" in advisor_client.get(reverse("appointments:arrivals")).content.decode()
    advisor_client.post(reverse("appointments:call_complete", args=[call.pk]), {"outcome": "confirmed"})
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED


@pytest.mark.parametrize("url_name, allowed", [
    ("appointments:arrivals", {"advisor", "service_manager", "customer_care", "foreman"}),
    ("appointments:calendar", {"advisor", "service_manager", "customer_care", "foreman"}),
    ("appointments:book", {"advisor", "service_manager", "customer_care"}),
    ("appointments:availability_panel", {"advisor", "service_manager", "customer_care"}),
])
def test_roles_reach_only_their_booking_pages(client, workshop, url_name, allowed):
    for role in ROLE_LABELS:
        client.force_login(make_staff(role=role, sites=[workshop]))
        status = client.get(reverse(url_name)).status_code
        assert status == (200 if role in allowed else 403), (role, url_name, status)


def test_only_staff_who_may_change_move_or_check_in(client, workshop, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    client.force_login(make_staff(role="foreman", sites=[workshop]))
    assert client.get(reverse("appointments:detail", args=[appointment.pk])).status_code == 200
    assert client.post(reverse("appointments:check_in", args=[appointment.pk])).status_code == 403
    assert client.post(reverse("appointments:board_move", args=[appointment.pk])).status_code == 403


def test_it_manages_shifts_and_settings_in_the_admin(client, workshop):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("it", password="pw"))
    for model in ("bookingsettings", "technicianshift", "technicianabsence", "daycapacity", "appointment",
                  "appointmentevent", "confirmationcall"):
        assert client.get(f"/admin/appointments/{model}/").status_code == 200, model
    assert client.get("/admin/appointments/technicianshift/add/").status_code == 200
