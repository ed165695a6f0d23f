"""Reception in the browser, on a tablet: check a car in from today's appointment, mark a scratch on the car
diagram, the customer signs with the pen, the estimate is built from a package and the labour book, and the
customer approves one line and declines another. Screenshots: test-output/screenshots/3x_ro_*."""

from datetime import timedelta

import pytest
from django.utils import timezone

from appointments.models import Status
from repair_orders.models import DamageMark, JobLine, RepairOrder, Signature
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import ADVISOR
from tests.appointments.factories import appointment_on_file, configure
from tests.factories import CustomerFactory, SiteFactory, VehicleFactory, make_staff
from tests.repair_orders.conftest import make_operation, make_package, make_part

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk():
    site = SiteFactory(code="SH01", name="上海浦东4S店", address="上海市浦东新区张杨路1888号", phone="021-58881234")
    configure(site)
    user = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    user.set_password("demo1234")
    user.save()
    owner = CustomerFactory(site=site, name="张伟", mobile="13800138000")
    vehicle = VehicleFactory(owner=owner, plate="沪A12345", make="大众", model="朗逸", mileage=10000)
    oil, check = make_operation("BY001", hours="0.5"), make_operation("BY010", name="常规检查", hours="0.3")
    make_operation("ZD001", name="更换前刹车片", hours="1.2", category="mechanical")
    filter_ = make_part(site, "F-OIL", name="机油滤清器", sale_price="48.00")
    make_package(site, code="PK5000", name="5000公里保养", operations=[oil, check], parts=[(filter_, "1")])
    appointment_on_file(site, vehicle=vehicle, start=timezone.now() + timedelta(minutes=15), advisor=user,
                        status=Status.CONFIRMED, concern="刹车有异响，顺便保养")
    return site


def _shot(shot, page, name):
    page.evaluate("window.scrollTo(0, 0)")  # the sticky menu at the top of the full-page picture
    shot(page, name)


def _sign(page, canvas_selector):
    """A signature drawn with the mouse, as a customer's finger would on the tablet."""
    page.locator(canvas_selector).scroll_into_view_if_needed()
    box = page.locator(canvas_selector).bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 22, box["y"] + box["height"] * (0.7 - 0.4 * (step % 2)), steps=3)
    page.mouse.up()
    pad_id = canvas_selector.lstrip("#")
    assert not page.evaluate(f"window.roSignaturePads['{pad_id}'].pad.isEmpty()")


def test_an_advisor_checks_a_car_in_and_the_customer_approves_the_work_order(live_server, page, shot, desk):
    page.set_viewport_size({"width": 1024, "height": 1366})  # a tablet, upright
    login(page, live_server, "advisor")
    page.goto(live_server.url + "/repair-orders/")
    page.wait_for_selector("#front-desk-board")
    _shot(shot, page, "3x_ro_01_board_before")
    page.click("#board-arrivals button:has-text('Check in'), #board-arrivals button:has-text('接车')")

    # The check-in tab opens on the new RO.
    page.wait_for_selector("#walkaround-form")
    repair_order = RepairOrder.objects.get()
    assert repair_order.concerns == "刹车有异响，顺便保养"
    page.fill("#walk_mileage", "12500")
    page.fill("#walk_key_tag", "K-08")
    page.click("label[for=walk_fuel_level_2]")
    for cover in ("seat", "steering_wheel", "floor_mat", "gear_lever"):
        page.click(f"label[for=walk_cover_{cover}]")
    page.fill("#walk_belongings", "行车记录仪\n雨伞")
    page.check("#walk_valuables_reminder_given")
    page.click("label[for=walk_old_parts_disposition_0]")
    page.select_option("#walk_payment_method", "wechat_pay")
    page.check("#walk_wash_wanted")
    page.click("label[for=walk_waiting_0]")
    page.fill("#walk_promised_at", (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:00"))

    # A scratch on the left front door, then the sheet is saved (the mark raised the version; the form follows).
    page.locator(".car-diagram").click(position={"x": 60, "y": 150})
    page.wait_for_selector("#damage-form:not(.d-none)")
    page.fill("#damage-form input[name=note]", "左前门划痕")
    page.click("#damage-save")
    page.wait_for_selector(".damage-mark")
    assert DamageMark.objects.get().kind == "scratch"
    page.click("#walkaround-save")
    page.wait_for_selector("#messages .alert-success")
    repair_order.refresh_from_db()
    assert (repair_order.mileage, repair_order.key_tag, repair_order.cover_gear_lever) == (12500, "K-08", True)

    _sign(page, "#check-in-pad")
    _shot(shot, page, "3x_ro_02_check_in")
    page.click("#check-in-sign")
    page.wait_for_selector("#check-in-signed")
    assert Signature.objects.get().kind == Signature.Kind.CHECK_IN

    # The estimate: a package in one step, and an operation from the labour-time book.
    page.click("#tab-work")
    page.select_option("#package-select", label="PK5000 5000公里保养")
    page.click("#package-add")
    page.wait_for_selector("#job-table >> text=5000公里保养")
    # Back on the work tab, the check-in tab comes when shown (repair_orders:checkin_tab), its pad working.
    assert not page.locator("#walkaround-form").count()
    page.click("#tab-checkin")
    page.wait_for_selector("#check-in-pad")
    assert page.evaluate("!!window.roSignaturePads['check-in-pad']") and page.is_visible("#check-in-signed")
    page.click("#tab-work")
    page.fill("#operation-q", "刹车")
    page.wait_for_selector("#operation-results >> text=ZD001")
    page.click("#operation-results button")
    page.wait_for_selector("#job-table >> text=更换前刹车片")
    _shot(shot, page, "3x_ro_03_estimate")
    page.click("#submit-estimate")
    page.wait_for_selector("#approval-form")
    assert not page.is_visible("#estimate-builder")  # folded away while the customer answers

    package_job, brakes = JobLine.objects.order_by("pk")
    page.click(f"label[for=approve-{package_job.pk}]")
    page.click(f"label[for=decline-{brakes.pk}]")
    _sign(page, "#approval-pad")
    _shot(shot, page, "3x_ro_04_approval")
    page.click("#approve-submit")
    page.wait_for_selector("#recommendations")
    package_job.refresh_from_db()
    brakes.refresh_from_db()
    repair_order.refresh_from_db()
    assert (package_job.state, brakes.state, repair_order.state) == (JobState.APPROVED, JobState.DECLINED,
                                                                     ROState.APPROVED)
    _shot(shot, page, "3x_ro_05_approved")
    page.click("#tab-checkin")
    page.wait_for_selector("#walkaround-form fieldset[disabled]")
    assert page.locator(".damage-mark").count() == 1
    _shot(shot, page, "3x_ro_05b_check_in_read_only")

    # The work-order PDF (repair_orders/api.py) behind the page's link.
    href = page.get_attribute(".pdf-link[href$='work-order.pdf']", "href")
    assert href == f"/api/v1/repair-orders/{repair_order.pk}/work-order.pdf"
    pdf = page.request.get(live_server.url + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"

    page.goto(live_server.url + "/repair-orders/")
    page.wait_for_selector(f"#ro-card-{repair_order.pk}")
    _shot(shot, page, "3x_ro_06_board_after")
