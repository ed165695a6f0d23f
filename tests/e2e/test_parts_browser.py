"""The parts counter in a real browser: a delivery closes a shortage and the advisor's bell rings."""

from decimal import Decimal

import pytest

from parts import services
from servicedesk.accounts.roles import ADVISOR, PARTS_CLERK, SERVICE_MANAGER
from tests.factories import SiteFactory, make_staff
from tests.parts.factories import PartFactory, SupplierFactory, stocked_part

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def user(role, site, username, display_name):
    person = make_staff(role=role, sites=[site], username=username, display_name=display_name)
    person.set_password("demo1234")
    person.save()
    return person


def log_in(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo1234")
    page.click("#login-submit")
    page.wait_for_selector("#notification-bell")


def test_clerk_receives_a_delivery_that_closes_the_advisors_shortage(live_server, page, shot):
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    clerk = user(PARTS_CLERK, site, "clerk", "赵库管")
    advisor = user(ADVISOR, site, "advisor", "王顾问")
    SupplierFactory(site=site, name="上汽大众配件中心")
    disc = PartFactory(site=site, number="1K0615301AA", name="前刹车盘", brand="大众原厂", bin_location="A-03-2",
                       sale_price=Decimal("680.00"))
    stocked_part(site, clerk, quantity="12", number="1K0698151", name="前刹车片", brand="大众原厂",
                 bin_location="A-03-1", sale_price=Decimal("420.00"))
    oil_filter = stocked_part(site, clerk, quantity="30", number="04E115561H", name="机油滤清器", brand="大众原厂",
                 bin_location="B-01-4", sale_price=Decimal("58.00"))
    services.shortage_record(part=disc, quantity="2", actor=advisor, repair_order_ref="RO20250042")

    log_in(page, live_server, "clerk")
    page.goto(live_server.url + "/parts/")
    page.fill("#q", "1K0")
    page.wait_for_selector(f"#part-{oil_filter.pk}", state="detached")  # htmx swapped in the matches
    assert disc.number in page.inner_text("#part-rows")
    shot(page, "1x_parts_01_catalogue")

    page.click(f"#part-{disc.pk} a")
    page.wait_for_selector("#part-title")
    assert "RO20250042" in page.inner_text("#part-shortages")
    shot(page, "1x_parts_02_part_detail")

    page.click(f"a[href='/parts/receive/?part={disc.number}']")
    page.select_option("#id_supplier", label="上汽大众配件中心")
    page.fill("#id_delivery_note", "DN-20250601-7")
    assert page.input_value("#id_lines-0-part_number") == disc.number
    page.fill("#id_lines-0-quantity", "2")
    page.fill("#id_lines-0-unit_cost", "410.00")
    page.click("#add-line")
    page.click("#add-line")
    page.fill("#id_lines-3-part_number", "04E115561H")
    page.fill("#id_lines-3-quantity", "10")
    shot(page, "1x_parts_03_receiving_form")
    page.click("#receive-submit")
    page.wait_for_selector("#messages .alert-success")
    said = page.inner_text("#messages")
    assert "1K0615301AA × 2 (RO20250042)" in said
    shot(page, "1x_parts_04_received")

    page.goto(live_server.url + "/parts/shortages/")
    assert "RO20250042" in page.inner_text("#shortage-table")
    shot(page, "1x_parts_05_shortages")
    page.context.clear_cookies()  # sign out

    log_in(page, live_server, "advisor")
    page.wait_for_selector("#unread-count")
    assert page.inner_text("#unread-count").startswith("1")
    shot(page, "1x_parts_06_advisor_bell")
    page.click("#notification-bell")
    page.wait_for_selector("#notification-list")
    assert "RO20250042" in page.inner_text("#notification-list")
    shot(page, "1x_parts_07_notifications")
    page.click("#notification-list a")
    page.wait_for_selector("#part-title")
    assert page.inner_text("#on-hand") == "2"
    assert page.locator("#unread-count").count() == 0


def test_manager_adjusts_approves_and_reads_the_reorder_list(live_server, page, shot):
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    clerk = user(PARTS_CLERK, site, "clerk", "赵库管")
    user(SERVICE_MANAGER, site, "manager", "李经理")
    supplier = SupplierFactory(site=site, name="博世汽车配件")
    low = stocked_part(site, clerk, quantity="2", number="0986AF0134", name="空气滤清器", brand="博世",
                       kind="aftermarket", supplier=supplier, reorder_point=Decimal("6"),
                       reorder_quantity=Decimal("10"))
    services.adjustment_request(part=low, quantity="-1", reason="盘点少一件，包装破损", actor=clerk)
    services.shortage_record(part=low, quantity="3", actor=clerk, repair_order_ref="RO20250050")

    log_in(page, live_server, "manager")
    page.goto(live_server.url + f"/parts/{low.pk}/adjust/")
    page.fill("#id_quantity", "1")
    shot(page, "1x_parts_08_adjust_form")
    page.click("#adjust-submit")  # no reason: the service says why it needs one
    page.wait_for_selector(".invalid-feedback")
    shot(page, "1x_parts_09_adjust_needs_reason")

    page.goto(live_server.url + "/parts/adjustments/")
    assert "包装破损" in page.inner_text("#adjustment-table")
    shot(page, "1x_parts_10_adjustments_to_approve")
    page.click("button[value=approve]")
    page.wait_for_selector("#messages .alert-success")

    page.goto(live_server.url + "/parts/reorder/")
    assert "0986AF0134" in page.inner_text("#reorder-table")
    shot(page, "1x_parts_11_reorder")

    page.goto(live_server.url + "/parts/shortages/new/")
    shot(page, "1x_parts_12_record_shortage")
    page.goto(live_server.url + "/parts/shortages/")
    page.click("#order-shortages")
    page.wait_for_selector("#messages .alert-success")
    shot(page, "1x_parts_13_shortages_ordered")

    page.set_viewport_size({"width": 768, "height": 1024})  # the counter's tablet
    page.goto(live_server.url + f"/parts/{low.pk}/")
    shot(page, "1x_parts_14_part_detail_tablet")
    page.goto(live_server.url + "/parts/receive/")
    shot(page, "1x_parts_15_receiving_tablet")
