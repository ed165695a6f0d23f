"""Booking in the browser: the advisor's form with live availability, the calendar and the front desk,
and the customer's public page with its signed link. Screenshots: test-output/screenshots/2x_appt_*."""

import re

import pytest
from playwright.sync_api import expect

from servicedesk.accounts.roles import ADVISOR
from tests.appointments.factories import configure, technicians_on_shift
from tests.factories import CustomerFactory, SiteFactory, VehicleFactory, make_staff
from tests.repair_orders.conftest import make_operation, make_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk():
    site = SiteFactory(code="SH01", name="上海浦东4S店", address="上海市浦东新区张杨路1888号", phone="021-58881234")
    configure(site)
    technicians_on_shift(site, 3, weekdays=range(7))
    user = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    user.set_password("demo1234")
    user.save()
    owner = CustomerFactory(site=site, name="张伟", mobile="13800138000")
    VehicleFactory(owner=owner, plate="沪A12345", make="大众", model="朗逸")
    oil, check = make_operation("BY001", hours="0.5"), make_operation("BY010", name="常规检查", hours="0.3")
    make_operation("ZD001", name="更换前刹车片", hours="1.2", category="mechanical")
    make_package(site, code="PK5000", name="5000公里保养", operations=[oil, check])
    return site


def _today_at_the_desk(site):
    """Three of today's appointments: one 40 minutes late, one expected, one already here."""
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.utils import timezone

    from appointments.models import Status
    from tests.appointments.factories import appointment_on_file

    now, advisor = timezone.now(), User.objects.get(username="advisor")
    appointment_on_file(site, start=now - timedelta(minutes=40), advisor=advisor, concern="发动机故障灯亮")
    appointment_on_file(site, start=now + timedelta(minutes=50), status=Status.CONFIRMED, courtesy_car=True)
    appointment_on_file(site, start=now - timedelta(minutes=90), status=Status.ARRIVED,
                        arrived_at=now - timedelta(minutes=95), advisor=advisor)


def _login(page, live_server):
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "advisor")
    page.fill("input[name=password]", "demo1234")
    page.click("#login-submit")
    page.wait_for_selector("text=欢迎")


def test_an_advisor_books_with_live_availability_and_moves_it_on_the_calendar(live_server, page, shot, desk):
    _login(page, live_server)
    page.goto(live_server.url + "/appointments/new/")
    page.wait_for_selector("#slot-grid")
    page.fill("#lookup", "A123")
    page.wait_for_selector("#lookup-results >> text=沪A12345")
    page.check("#lookup-results input[name=party]")
    page.check("text=5000公里保养")
    page.wait_for_selector("#availability-hours >> text=0.8")  # the panel followed the package's hours
    page.fill("#id_concern", "顺便检查空调")
    page.locator("#day-strip button").nth(1).click()
    # The panel is swapped in by htmx: wait for the new day to be the chosen one before picking a slot.
    expect(page.locator("#day-strip button").nth(1)).to_have_class(re.compile(r"\bbtn-primary\b"))
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.locator("#slot-grid label").nth(2).click()
    expect(page.locator("#slot-grid input").nth(2)).to_be_checked()
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)  # the button's colour transition
    shot(page, "2x_appt_01_booking_form")
    page.click("#book-submit")
    page.wait_for_selector("#appointment-title")
    assert "沪A12345" in page.inner_text("#appointment-title")
    shot(page, "2x_appt_02_detail")

    page.click("a.btn[href*='/appointments/calendar/?date=']")
    page.wait_for_selector("#calendar-board")
    card = page.locator(".appt-card[data-movable]").first
    before = card.evaluate("c => c.closest('.slot-cell').dataset.start")
    target = page.locator(".slot-cell[data-droppable]").nth(12)
    card.drag_to(target)
    page.wait_for_selector("#messages .alert")
    moved = page.locator(".appt-card[data-movable]").first.evaluate("c => c.closest('.slot-cell').dataset.start")
    assert moved != before
    shot(page, "2x_appt_03_calendar_day")
    page.click("#view-week")
    page.wait_for_selector("#week-grid")
    shot(page, "2x_appt_04_calendar_week")

    _today_at_the_desk(desk)
    page.goto(live_server.url + "/appointments/")
    page.wait_for_selector("#arrivals-late")
    assert page.locator("#arrivals-late .list-group-item").count() == 1
    shot(page, "2x_appt_05_arrivals_late")
    page.click("#arrivals-late button:has-text('Check in'), #arrivals-late button:has-text('接车')")
    page.wait_for_selector("#ro-title")  # check-in opens the repair order's page for the walk-around
    page.goto(live_server.url + "/appointments/")
    page.wait_for_selector("#arrivals-arrived")
    assert page.locator("#arrivals-arrived .list-group-item").count() == 2
    shot(page, "2x_appt_05_arrivals_checked_in")

    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, upright
    page.goto(live_server.url + "/appointments/new/")
    page.wait_for_selector("#slot-grid")
    shot(page, "2x_appt_10_booking_tablet")


def test_a_customer_books_online_and_confirms_on_the_link(live_server, page, shot, desk):
    page.goto(live_server.url + "/appointments/book/")
    page.wait_for_selector("#slot-grid")
    page.fill("#id_name", "陈先生")
    page.fill("#id_mobile", "13912345678")
    page.fill("#id_plate", "沪B54321")
    page.fill("#id_concern", "保养，顺便看看刹车")
    # Tomorrow, whatever the time of the run (today's earlier slots are gone by the afternoon).
    page.locator("#day-strip button").nth(1).click()
    expect(page.locator("#day-strip button").nth(1)).to_have_class(re.compile(r"\bbtn-primary\b"))
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.locator("#slot-grid input:not([disabled]) + label").nth(3).click()
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    shot(page, "2x_appt_06_public_book")
    page.click("#public-submit")
    page.wait_for_selector("#booked-message")
    shot(page, "2x_appt_07_public_done")
    page.click("#manage-link")
    page.click("#confirm-visit")
    page.wait_for_selector("#self-service-message")
    assert "cancel-visit" in page.content()
    shot(page, "2x_appt_08_public_confirmed")
    page.goto(page.url.rstrip("/")[:-3] + "xyz/")
    page.wait_for_selector("#public-message-title")
    shot(page, "2x_appt_09_public_bad_link")
