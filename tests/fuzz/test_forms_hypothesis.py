"""Hypothesis on the main forms through the test client (check-in sheet, estimate lines, booking, payment):
whatever is posted, never a 500; either it is saved, or the page says why and nothing of it was written."""

import pytest
from django.contrib.messages import constants, get_messages
from hypothesis import given
from hypothesis import strategies as st

from appointments.models import Appointment
from billing.models import Payment
from repair_orders.models import PartLine, RepairOrder
from tests.appointments.factories import configure, local, technicians_on_shift
from tests.billing.invoicing_fixtures import paid_invoice
from tests.repair_orders.conftest import make_part
from tests.repair_orders.helpers import estimated_ro

from .strategies import SETTINGS, choice_text, free_text, number_text

pytestmark = pytest.mark.django_db
FORM_ERROR_MARKS = (b"is-invalid", b"invalid-feedback", b"alert-danger", b"errorlist")


@pytest.fixture
def repair_order(site, manager):
    return estimated_ro(site, manager)


def ro_state(repair_order) -> tuple:
    """What a post may change: the version, the lines, the events (the audit trail)."""
    fresh = RepairOrder.objects.get(pk=repair_order.pk)
    return (fresh.version, fresh.jobs.count(), PartLine.objects.filter(job_line__repair_order=fresh).count(),
            fresh.events.count())


def assert_saved_or_refused(response, before, after):
    assert response.status_code in (200, 302, 400, 404, 409), response.status_code
    if response.status_code == 302:
        assert after != before, "redirected as saved, but nothing was written"
    else:
        assert after == before, "refused, but something was written"
        if response.status_code == 200:
            assert any(mark in response.content for mark in FORM_ERROR_MARKS), "refused without saying why"


@SETTINGS
@given(data=st.fixed_dictionaries({
    "mileage": number_text(), "fuel_level": choice_text(["0", "1", "2", "3", "4", "8"]), "belongings": free_text(),
    "key_tag": free_text(30), "concerns": free_text(), "payment_method": choice_text(["", "cash", "card"]),
    "old_parts_disposition": choice_text(["return", "discard"]), "waiting": choice_text(["0", "1"]),
    "promised_at": st.one_of(st.just("2031-05-01T10:00"), free_text(20)),
    "mileage_correction_reason": free_text(), "cover_seat": st.sampled_from(["on", "", "\x00"]),
}))
def test_the_check_in_sheet_is_saved_or_refused_whole(manager_client, repair_order, data):
    before = ro_state(repair_order)
    response = manager_client.post(f"/repair-orders/{repair_order.pk}/walk-around/",
                                   {**data, "version": before[0]})
    assert_saved_or_refused(response, before, ro_state(repair_order))


@SETTINGS
@given(data=st.fixed_dictionaries({
    "description": free_text(), "hours": number_text(), "labour_price": number_text(),
    "diagnostic_fee": number_text(), "pay_type": choice_text(["customer", "warranty", "internal"]),
}))
def test_a_free_text_job_is_saved_or_refused_whole(manager_client, repair_order, data):
    before = ro_state(repair_order)
    response = manager_client.post(f"/repair-orders/{repair_order.pk}/jobs/free-text/", {**data, "version": before[0]})
    assert_saved_or_refused(response, before, ro_state(repair_order))


@pytest.fixture
def catalogue_part(site):
    return make_part(site, "FUZZ-1")


@SETTINGS
@given(data=st.fixed_dictionaries({
    "quantity": number_text(), "source": choice_text(["", "oem", "aftermarket", "customer_supplied"]),
    "description": free_text(), "part": st.sampled_from(["mine", "", "²", "99999"]),
    "job_line": st.one_of(st.just("mine"), number_text()),
}))
def test_a_part_line_is_saved_or_refused_whole(manager_client, repair_order, catalogue_part, data):
    mine = {"part": catalogue_part.pk, "job_line": repair_order.jobs.first().pk}
    data = {key: mine[key] if value == "mine" else value for key, value in data.items()}
    before = ro_state(repair_order)
    response = manager_client.post(f"/repair-orders/{repair_order.pk}/parts/", {**data, "version": before[0]})
    assert_saved_or_refused(response, before, ro_state(repair_order))


@pytest.fixture
def bookable(site):
    configure(site)
    technicians_on_shift(site)
    return site


@SETTINGS
@given(data=st.fixed_dictionaries({
    "customer_name": free_text(), "customer_mobile": st.one_of(st.just("13912345678"), free_text(20)),
    "vehicle_plate": st.one_of(st.just("沪A12345"), free_text(12)), "vehicle_vin": free_text(20),
    "vehicle_make": free_text(40), "vehicle_model": free_text(60), "concern": free_text(), "notes": free_text(),
    "channel": choice_text(["phone", "walk_in", "wechat"]), "estimated_hours": number_text(),
    "party": st.one_of(st.just(""), st.sampled_from(["vehicle:²", "customer:١", "vehicle:99999", "x:1"]),
                       free_text(20)),
    "start_kind": st.sampled_from(["slot", "naive", "garbage"]), "start_text": free_text(30),
}))
def test_a_booking_is_saved_or_refused_whole(manager_client, bookable, data):
    day = local(bookable, "2031-06-02 10:00")  # a Monday, technicians on shift
    garbage = data.pop("start_text")
    data["start"] = {"slot": day.isoformat(), "naive": "2031-06-02T10:00", "garbage": garbage}[data.pop("start_kind")]
    before = Appointment.objects.count()
    response = manager_client.post("/appointments/new/", {**data, "day": day.date().isoformat()})
    after = Appointment.objects.count()
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert after == before + 1
    else:
        assert after == before
        assert any(mark in response.content for mark in FORM_ERROR_MARKS), "refused without saying why"


@pytest.fixture
def invoice(site):
    return paid_invoice(site, with_payment=False)


@SETTINGS
@given(data=st.fixed_dictionaries({
    "method": choice_text(["cash", "card", "wechat_pay", "on_account"]), "amount": number_text(),
    "tendered": number_text(), "reference": free_text(80),
    "invoice": st.one_of(st.just("mine"), st.sampled_from(["", "²", "abc", "99999", "\x00", "1.5"])),
}))
def test_a_payment_is_taken_or_refused_whole(manager_client, invoice, data):
    if data["invoice"] == "mine":
        data["invoice"] = invoice.pk
    before = Payment.objects.count()
    response = manager_client.post(f"/billing/repair-orders/{invoice.repair_order_id}/payments/", data)
    after = Payment.objects.count()
    assert response.status_code in (302, 404), response.status_code
    levels = {message.level for message in get_messages(response.wsgi_request)}
    if after == before + 1:
        assert constants.SUCCESS in levels
    else:
        assert after == before
        assert response.status_code == 404 or constants.ERROR in levels, "refused without saying why"
