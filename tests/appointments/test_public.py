"""The public self-booking page and the signed link: no login, rate-limited, honeypot, tamper-proof."""

import time_machine
from django.core.cache import cache
from django.urls import reverse

from appointments.links import make_token
from appointments.models import Appointment, Channel, Status
from customers.models import OutboundMessage

from .factories import a_vehicle, book, local


def _booking(site, **changes):
    data = {"site": site.code, "name": "陈先生", "mobile": "13912345678", "plate": "沪A54321", "concern": "保养",
            "start": local(site, "2026-03-03 09:30").isoformat(), "website": ""}
    return {**data, **changes}


def test_a_customer_books_online_and_gets_the_link(client, workshop):
    cache.clear()
    page = client.get(reverse("appointments:public_book"))
    assert page.status_code == 200 and "public-form" in page.content.decode()
    slots = client.get(reverse("appointments:public_slots"), {"site": workshop.code, "day": "2026-03-03"})
    assert 'value="2026-03-03T09:30:00+08:00"' in slots.content.decode()
    assert "hours left" not in slots.content.decode() and "小时" not in slots.content.decode()
    response = client.post(reverse("appointments:public_book"), _booking(workshop))
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response.url == reverse("appointments:public_done",
                                                                     args=[make_token(appointment)])
    assert (appointment.channel, appointment.customer, appointment.plate) == (Channel.WEB, None, "沪A54321")
    assert appointment.events.get().actor is None
    message = OutboundMessage.objects.get()
    assert message.recipient == "13912345678" and message.channel == "sms"
    done = client.get(response.url)
    assert "manage-link" in done.content.decode()


def test_a_known_vehicle_and_mobile_link_the_archive(client, workshop):
    cache.clear()
    vehicle = a_vehicle(workshop, plate="沪A54321")
    client.post(reverse("appointments:public_book"), _booking(workshop, mobile=vehicle.owner.mobile))
    assert Appointment.objects.get().vehicle == vehicle
    # A stranger typing someone's plate gets no link to that car.
    client.post(reverse("appointments:public_book"), _booking(workshop, start=local(workshop, "2026-03-03 10:00")
                                                              .isoformat()))
    assert Appointment.objects.filter(vehicle__isnull=True).count() == 1


def test_the_honeypot_books_nothing(client, workshop):
    cache.clear()
    response = client.post(reverse("appointments:public_book"), _booking(workshop, website="http://spam"))
    assert response.status_code == 200 and not Appointment.objects.exists()


def test_bookings_are_rate_limited_per_address(client, workshop, settings):
    cache.clear()
    settings.APPOINTMENT_SELF_BOOKINGS_PER_HOUR = 2
    for minute in ("09:00", "09:30"):
        client.post(reverse("appointments:public_book"), _booking(workshop, start=local(
            workshop, f"2026-03-03 {minute}").isoformat()))
    refused = client.post(reverse("appointments:public_book"), _booking(workshop, start=local(
        workshop, "2026-03-03 10:00").isoformat()))
    assert refused.status_code == 429 and Appointment.objects.count() == 2


def test_a_full_slot_shows_on_the_form(client, workshop, advisor):
    cache.clear()
    book(workshop, advisor, "2026-03-03 09:00", hours="12.8")
    page = client.post(reverse("appointments:public_book"), _booking(workshop))
    assert page.status_code == 200 and "start-error" in page.content.decode()


def test_the_signed_link_confirms_then_cancels(client, workshop, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    url = reverse("appointments:self_service", args=[make_token(appointment)])
    assert "confirm-visit" in client.get(url).content.decode()
    client.post(url, {"action": "confirm"})
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED and appointment.events.last().data == {"via": "link"}
    page = client.post(url, {"action": "cancel"})
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED and "self-service-message" in page.content.decode()
    assert "cancel-visit" not in page.content.decode()


def test_a_tampered_link_gets_a_clear_page(client, workshop, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    token = make_token(appointment)
    other = book(workshop, advisor, "2026-03-03 10:00")
    forged = make_token(other).split(":")[0] + ":" + token.split(":", 1)[1]  # another id, this signature
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense"):
        page = client.get(reverse("appointments:self_service", args=[bad]))
        assert page.status_code == 400 and "public-message-title" in page.content.decode()
        assert client.post(reverse("appointments:self_service", args=[bad]), {"action": "cancel"}).status_code == 400
    assert set(Appointment.objects.values_list("status", flat=True)) == {"booked"}


def test_an_expired_link_gets_a_clear_page(client, workshop, advisor):
    appointment = book(workshop, advisor, "2026-03-03 09:00")
    url = reverse("appointments:self_service", args=[make_token(appointment)])
    with time_machine.travel("2026-04-02T09:00:00+08:00"):
        page = client.post(url, {"action": "cancel"})
    assert page.status_code == 410
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_another_sites_token_cannot_be_built_from_an_id(client, workshop, other_site, advisor):
    from django.core import signing

    appointment = book(workshop, advisor, "2026-03-03 09:00")
    wrong_salt = signing.dumps({"a": appointment.pk, "s": workshop.pk}, compress=True)
    assert client.get(reverse("appointments:self_service", args=[wrong_salt])).status_code == 400
