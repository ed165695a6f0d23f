"""Handover in the browser, on a tablet: the advisor opens the RO's handover tab after QC passed, ticks the
pre-delivery checklist (a missing tick is named first), signs, and the RO shows ready; the customer's "your
car is ready" message is queued. Screenshots: test-output/screenshots/7x_handover_*."""

import pytest
from django.utils import translation

from customers.models import OutboundMessage
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.accounts.roles import ADVISOR, QC_INSPECTOR
from tests.billing.handover_helpers import ro_passed_qc
from tests.factories import SiteFactory, make_staff

from .conftest import login


def _label(state) -> str:
    with translation.override("zh-hans"):
        return str(state.label)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ready_for_handover():
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    advisor.set_password("demo1234")
    advisor.save()
    inspector = make_staff(role=QC_INSPECTOR, sites=[site], username="inspector", display_name="孙质检")
    return ro_passed_qc(site, advisor, inspector, road_test=True)


def test_the_advisor_signs_the_pre_delivery_check_and_the_ro_is_ready(live_server, page, shot, ready_for_handover):
    repair_order = ready_for_handover
    page.set_viewport_size({"width": 1024, "height": 1366})  # a tablet, upright
    login(page, live_server, "advisor")
    page.goto(f"{live_server.url}/repair-orders/{repair_order.pk}/?tab=handover")
    page.wait_for_selector("#handover-form")
    assert page.locator("#ro-state").inner_text().strip() == _label(ROState.QUALITY_CHECK)

    for key in ("exterior_clean", "interior_clean", "faults_fixed", "old_parts_as_agreed",
                "special_requests_honoured", "covers_removed", "belongings_returned"):
        page.check(f"#check-{key}")
    page.fill("#handover-notes", "旧件已放后备箱，已向客户说明路试结果")
    page.click("#handover-sign")
    error = page.wait_for_selector("#handover-error")
    assert "路试" in error.inner_text() or "road test" in error.inner_text()
    assert page.is_checked("#check-exterior_clean")  # the ticks are kept
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "7x_handover_missing_check")

    page.check("#check-road_test_checked")
    page.click("#handover-sign")
    page.wait_for_selector("#handover-signed")
    assert page.locator("#ro-state").inner_text().strip() == _label(ROState.READY)
    assert RepairOrder.objects.get(pk=repair_order.pk).state == ROState.READY
    assert OutboundMessage.objects.filter(template_key="vehicle_ready", dedupe_key=f"vehicle-ready:{repair_order.pk}"
                                          ).count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "7x_handover_signed")


def test_the_claims_and_day_close_screens(live_server, page, shot, ready_for_handover):
    """The warranty clerk's list and a claim; the cashier's day close with a difference explained."""
    from billing.models import Payment
    from billing.services.warranty import claim_submit, claims_open_for_invoice
    from servicedesk.accounts.roles import SERVICE_MANAGER
    from tests.billing.handover_helpers import invoice_row, payment_row

    repair_order = ready_for_handover
    manager = make_staff(role=SERVICE_MANAGER, sites=[repair_order.site], username="manager", display_name="李经理")
    manager.set_password("demo1234")
    manager.save()
    customer_job, pump = repair_order.jobs.order_by("pk")
    invoice = invoice_row(repair_order, manager, lines=[(customer_job, "labour", "customer", "300.00"),
                                                        (pump, "labour", "warranty", "200.00"),
                                                        (pump, "part", "warranty", "420.00")])
    claim_submit(claim=claims_open_for_invoice(invoice=invoice, actor=manager)[0], maker_reference="VW-2025-0815",
                 actor=manager)
    payment_row(invoice, Payment.Method.CASH, "100.00", manager)
    payment_row(invoice, Payment.Method.WECHAT, "200.00", manager)
    page.set_viewport_size({"width": 1024, "height": 1000})
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/billing/claims/")
    assert "620.00" in page.locator("#claims-outstanding").inner_text()
    shot(page, "7x_claims_list")
    page.click("#claims-table a")
    page.fill("#reason", "旧件照片不清晰")
    page.click("text=厂家已拒赔")  # "The maker rejected"
    page.wait_for_selector("text=旧件照片不清晰")
    shot(page, "7x_claim_detail")
    page.goto(f"{live_server.url}/billing/day-close/")
    page.fill("#counted_cash", "90")
    page.click("#day-close-submit")
    assert "-10.00" in page.locator("#day-close-error").inner_text()
    page.fill("#note", "找零少收10元")
    page.click("#day-close-submit")
    page.wait_for_selector("#day-closed")
    shot(page, "7x_day_close")
