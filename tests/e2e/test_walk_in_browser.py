"""A walk-in at the front desk, on a tablet: the advisor finds the car by its plate, opens the repair order and
lands on its check-in tab, where a dent is marked on the diagram with photos; and a comeback (返修), which
must name the car's RO delivered in the last 30 days (offered as soon as the car is chosen).
Screenshots: test-output/screenshots/3y_walk_in_*."""

from datetime import timedelta

import pytest
from django.utils import timezone

from repair_orders.models import DamageMark, RepairOrder
from repair_orders.workflow import ROState
from servicedesk.accounts.roles import ADVISOR
from tests.factories import CustomerFactory, SiteFactory, VehicleFactory, make_staff
from tests.repair_orders.helpers import open_ro
from tests.repair_orders.test_photos import jpeg_bytes

from .conftest import SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk():
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    advisor.set_password("demo1234")
    advisor.save()
    owner = CustomerFactory(site=site, name="张伟", mobile="13800138000")
    vehicle = VehicleFactory(owner=owner, plate="沪A12345", make="大众", model="朗逸", mileage=10000)
    return site, advisor, vehicle


def _shot(shot, page, name):
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, name)


def _jpeg(name):
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes((1600, 1200))}


def _find(page, plate):
    page.fill("#lookup", plate)
    page.wait_for_selector(f"#lookup-list >> text={plate}")


def test_an_advisor_opens_a_repair_order_for_a_walk_in(live_server, page, shot, desk):
    _site, _advisor, vehicle = desk
    page.set_viewport_size({"width": 1024, "height": 1366})
    login(page, live_server, "advisor")
    page.goto(live_server.url + "/repair-orders/")
    page.click("#walk-in")
    page.wait_for_selector("#walk-in-form")
    assert not page.is_visible("#comeback-field")  # a repair, not a comeback
    _find(page, "A12345")
    assert page.is_checked("#lookup-list input[name=vehicle]")  # the only match is chosen
    page.fill("#id_concerns", "空调不制冷")
    page.check("#id_waiting")
    _shot(shot, page, "3y_walk_in_01_form")
    page.click("#walk-in-submit")

    page.wait_for_selector("#walkaround-form")
    repair_order = RepairOrder.objects.get()
    assert page.url.endswith(f"/repair-orders/{repair_order.pk}/")
    assert (repair_order.vehicle, repair_order.concerns, repair_order.waiting) == (vehicle, "空调不制冷", True)
    assert repair_order.state == ROState.CHECKED_IN and repair_order.comeback_of is None
    assert page.is_visible(f"text={repair_order.number}")
    _shot(shot, page, "3y_walk_in_02_ro_page")

    # A dent on the diagram with a photo taken on the tablet; then one more photo of it, and a file that is not one.
    page.locator(".car-diagram").click(position={"x": 150, "y": 300})
    page.wait_for_selector("#damage-form:not(.d-none)")
    page.click("label[for=damage_kind_1]")
    page.fill("#damage-form input[name=note]", "右后门凹陷")
    page.set_input_files("#damage-photos", files=[_jpeg("IMG_0001.jpg")])
    page.click("#damage-save")
    page.wait_for_selector(".damage-thumb")
    mark = DamageMark.objects.get()
    assert (mark.kind, mark.photos.count()) == ("dent", 1)
    page.set_input_files(f"#damage-item-{mark.pk} input[type=file]", files=[_jpeg("IMG_0002.jpg")])
    page.wait_for_function("() => document.querySelectorAll('.damage-thumb').length === 2")
    # The list was just swapped in by htmx: let it settle before using its new file input.
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    page.set_input_files(f"#damage-item-{mark.pk} input[type=file]",
                         files=[{"name": "合同.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 nope"}])
    page.wait_for_selector("#damage-error")
    assert mark.photos.count() == 2
    page.locator("#damage-diagram").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "3y_walk_in_03_damage_photos.png"))


def test_a_comeback_names_the_cars_recent_repair_order(live_server, page, shot, desk):
    site, advisor, vehicle = desk
    earlier = open_ro(site, advisor, vehicle=vehicle, concerns="刹车异响")
    RepairOrder.objects.filter(pk=earlier.pk).update(state=ROState.DELIVERED,
                                                     delivered_at=timezone.now() - timedelta(days=6))
    page.set_viewport_size({"width": 1024, "height": 1366})
    login(page, live_server, "advisor")
    page.goto(live_server.url + "/repair-orders/walk-in/")
    page.select_option("#id_ro_type", "comeback")
    page.wait_for_selector("#comeback-field:not(.d-none)")
    assert page.is_visible("#comeback-help")  # "choose the vehicle first"

    # Without an earlier RO the comeback is refused, and says why.
    _find(page, "A12345")
    page.wait_for_selector(f"#id_comeback_of option:has-text('{earlier.number}')", state="attached")
    page.select_option("#id_comeback_of", "")
    page.fill("#id_concerns", "刹车还是响")
    page.click("#walk-in-submit")
    page.wait_for_selector("#comeback-field .invalid-feedback")
    assert RepairOrder.objects.count() == 1
    _shot(shot, page, "3y_walk_in_04_comeback_refused")

    # The car stays chosen; its RO delivered six days ago is offered, picked, and the comeback opens.
    assert page.is_checked("#lookup-list input[name=vehicle]")
    page.select_option("#id_comeback_of", str(earlier.pk))
    _shot(shot, page, "3y_walk_in_05_comeback_form")
    page.click("#walk-in-submit")
    page.wait_for_selector("#walkaround-form")
    comeback = RepairOrder.objects.get(ro_type=RepairOrder.Type.COMEBACK)
    assert comeback.comeback_of == earlier and comeback.concerns == "刹车还是响"
    _shot(shot, page, "3y_walk_in_06_comeback_ro")
