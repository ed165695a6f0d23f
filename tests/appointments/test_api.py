"""/api/v1/appointments/: booking, availability and the actions, with 400/409 from the shared handler."""

from appointments.models import Appointment, Status

from .factories import a_vehicle, book

URL = "/api/v1/appointments/"


def test_booking_through_the_api_uses_the_sites_clock(workshop, advisor_client, advisor):
    vehicle = a_vehicle(workshop)
    response = advisor_client.post(URL, {"vehicle": vehicle.pk, "start": "2026-03-03T09:00", "concern": "异响",
                                         "advisor": advisor.pk}, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["start"] == "2026-03-03T09:00:00+08:00" and body["status"] == "booked"
    assert body["customer"] == vehicle.owner_id and body["estimated_hours"] == "1.00"


def test_a_full_day_is_a_400_with_the_next_free_times(workshop, advisor_client, advisor):
    book(workshop, advisor, "2026-03-03 09:00", hours="12.8")
    response = advisor_client.post(URL, {"vehicle": a_vehicle(workshop).pk, "start": "2026-03-03T10:00+08:00",
                                         "concern": "保养"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "capacity_full" and body["start"] and body["next_free"][0] == "2026-03-04T08:30:00+08:00"


def test_inline_customer_errors_name_the_inline_field(workshop, advisor_client):
    response = advisor_client.post(URL, {"new_customer": {"name": "赵六", "mobile": "123"},
                                         "start": "2026-03-03T10:00", "concern": "保养"},
                                   content_type="application/json")
    assert response.status_code == 400 and "customer_mobile" in response.json()


def test_availability_lists_free_slots_and_remaining_hours(workshop, advisor_client, advisor):
    book(workshop, advisor, "2026-03-03 09:00", hours="12")
    body = advisor_client.get(URL + "availability/", {"date": "2026-03-03", "days": 2}).json()
    tuesday, wednesday = body["days"]
    assert (tuesday["date"], tuesday["remaining_hours"], tuesday["free_slots"]) == ("2026-03-03", "0.80", [])
    assert wednesday["remaining_hours"] == "12.80" and wednesday["free_slots"][0] == "2026-03-04T08:30:00+08:00"
    assert len(advisor_client.get(URL + "availability/").json()["days"]) == 14
    small = advisor_client.get(URL + "availability/", {"date": "2026-03-03", "days": 1, "hours": "0.5"}).json()
    assert len(small["days"][0]["free_slots"]) == 19


def test_actions_and_their_conflicts(workshop, advisor_client, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    base = f"{URL}{appointment.pk}/"
    assert advisor_client.post(base + "confirm/", {"version": 1}, content_type="application/json").json()[
        "status"] == "confirmed"
    stale = advisor_client.post(base + "cancel/", {"version": 1, "reason": "x"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert advisor_client.post(base + "cancel/", {}, content_type="application/json").status_code == 400
    moved = advisor_client.post(base + "reschedule/", {"start": "2026-03-04T10:00", "version": 2},
                                content_type="application/json")
    assert moved.status_code == 200 and moved.json()["start"] == "2026-03-04T10:00:00+08:00"
    arrived = advisor_client.post(base + "check-in/", {}, content_type="application/json")
    assert arrived.status_code == 200 and arrived.json()["status"] == "arrived"
    again = advisor_client.post(base + "no-show/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    assert Appointment.objects.get().status == Status.ARRIVED


def test_list_by_day_and_status(workshop, advisor_client, advisor):
    book(workshop, advisor, "2026-03-03 09:00")
    book(workshop, advisor, "2026-03-04 09:00")
    assert advisor_client.get(URL, {"date": "2026-03-03"}).json()["count"] == 1
    assert advisor_client.get(URL, {"date": "2026-03-03", "days": 7}).json()["count"] == 2
    assert advisor_client.get(URL, {"date": "2026-03-03", "status": "confirmed"}).json()["count"] == 0


def test_a_foreman_reads_but_does_not_book_or_act(client, workshop, advisor):
    from tests.factories import make_staff

    appointment = book(workshop, advisor, "2026-03-03 09:00")
    client.force_login(make_staff(role="foreman", sites=[workshop]))
    assert client.get(URL, {"date": "2026-03-03"}).status_code == 200
    assert client.post(URL, {}, content_type="application/json").status_code == 403
    assert client.post(f"{URL}{appointment.pk}/check-in/", {}, content_type="application/json").status_code == 403
