"""The customer's text-to-approve page (/r/<token>/) on a phone (390×844): two extra items found in the workshop,
with price and photo; the customer approves one and declines the other and sees both answers.
Screenshots: test-output/screenshots/3z_public_approval_*."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from repair_orders import links
from repair_orders.models import CustomerAnswer
from repair_orders.services import additional_work_report
from repair_orders.workflow import JobState
from servicedesk.accounts.roles import ADVISOR, TECHNICIAN
from tests.factories import SiteFactory, make_staff
from tests.repair_orders.test_additional import approved_ro, report
from tests.repair_orders.test_photos import jpeg_bytes

from .conftest import browser_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    with browser_page(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True) as page:
        yield page


@pytest.fixture
def findings():
    cache.clear()  # the page's per-address rate limit
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    advisor = make_staff(role=ADVISOR, sites=[site], display_name="王顾问")
    technician = make_staff(role=TECHNICIAN, sites=[site])
    repair_order = approved_ro(site, advisor)
    brakes = report(repair_order, technician, photos=[jpeg_bytes((1200, 900))])
    wipers = additional_work_report(repair_order=repair_order, actor=technician, labour_price=Decimal("168.00"),
                                    description="雨刮片老化，刮不干净，建议更换前后雨刮片一套（原厂配件）")
    token = links.make_token(repair_order, [brakes.pk, wipers.pk])
    yield repair_order, brakes, wipers, links.approval_path(token)
    cache.clear()


def _assert_fits(page):
    """Nothing wider than the phone: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_customer_approves_one_item_and_declines_another_on_the_phone(live_server, phone, shot, findings):
    repair_order, brakes, wipers, path = findings
    phone.goto(live_server.url + path)
    phone.wait_for_selector(f"#line-{brakes.pk} img")
    assert phone.is_visible(f"text={repair_order.number}")
    _assert_fits(phone)
    shot(phone, "3z_public_approval_01_phone")

    phone.click(f"#line-{brakes.pk} button[value='approve:{brakes.pk}']")
    phone.wait_for_selector(f"#line-{brakes.pk} .answer")
    phone.click(f"#line-{wipers.pk} button[value='decline:{wipers.pk}']")
    phone.wait_for_selector(f"#line-{wipers.pk} .answer")
    # The customer's word is 同意 (msgctxt "customer answer"); English until the lead has translated it.
    assert phone.locator(f"#line-{brakes.pk} .answer").inner_text().startswith(("已同意", "Approved"))
    assert phone.locator(f"#line-{wipers.pk} .answer").inner_text().startswith("已拒绝")
    assert phone.is_visible("#approval-done")
    _assert_fits(phone)
    shot(phone, "3z_public_approval_02_answered")

    brakes.refresh_from_db()
    wipers.refresh_from_db()
    assert (brakes.state, wipers.state) == (JobState.APPROVED, JobState.DECLINED)
    assert CustomerAnswer.objects.get(job_line=brakes).channel == "sms_link"
