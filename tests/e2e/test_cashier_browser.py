"""The cashier in the browser, on a tablet: an RO with a warranty line and a discount above the advisor's
limit (requested, then approved by the manager) is invoiced from the Cashier queue, paid by WeChat Pay,
delivered, and the gate pass printed. Screenshots: test-output/screenshots/7x_cashier_*."""

import pytest

from billing.models import Invoice, Payment
from repair_orders.models import RepairOrder
from repair_orders.services.discounts import discount_approve, job_line_set_discount
from repair_orders.workflow import ROState
from servicedesk.accounts.roles import ADVISOR, CASHIER, SERVICE_MANAGER
from tests.billing.invoicing_fixtures import estimate, finish, sign
from tests.factories import SiteFactory, VehicleFactory, make_staff

from .conftest import browser_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cashier_invoices_takes_wechat_and_prints_the_gate_pass(browser, live_server, shot):
    site = SiteFactory(code="SH01", name="上海浦东4S店", address="上海市浦东新区张杨路1888号", phone="021-58881234")
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    manager = make_staff(role=SERVICE_MANAGER, sites=[site], username="manager", display_name="李经理")
    cashier = make_staff(role=CASHIER, sites=[site], username="cashier", display_name="钱收银")
    cashier.set_password("demo1234")
    cashier.save()
    vehicle = VehicleFactory(owner__site=site, owner__name="张伟", plate="沪A12345", make="大众", model="朗逸")
    repair_order = estimate(site, advisor, [("钣金喷漆 左前门", "1000.00", "customer", "0", []),
                                            ("更换水泵", "450.00", "warranty", "0", [])], vehicle=vehicle)
    paint = repair_order.jobs.get(description__startswith="钣金")
    request = job_line_set_discount(job_line=paint, actor=advisor, percent=20, reason="老客户").request
    assert request is not None  # 20 % is above the advisor's 10 %: it waits for the manager
    discount_approve(request=request, actor=manager)
    repair_order = finish(sign(repair_order, advisor))
    assert repair_order.state == ROState.READY

    with browser_page(browser, viewport={"width": 1024, "height": 768}) as page:  # a tablet
        login(page, live_server, "cashier")
        assert page.locator("nav a[href='/billing/cashier/']").count() == 1  # the Cashier entry (collapsed menu)
        page.goto(live_server.url + "/billing/cashier/")
        page.wait_for_selector("#queue-to_invoice >> text=沪A12345")
        shot(page, "7x_cashier_queues")
        page.click("#queue-to_invoice >> text=沪A12345")
        page.wait_for_selector("#issue-invoice")
        assert "800.00" in page.inner_text("#customer-amount")
        page.click("#issue-invoice")
        page.wait_for_selector("#payment-form")
        invoice = Invoice.objects.get()
        assert (invoice.customer_amount, invoice.warranty_amount, invoice.discount_total) == (800, 450, 200)
        page.select_option("#id_method", "wechat")
        page.fill("#id_amount", "800.00")
        page.fill("#id_reference", "WX420000123")
        page.click("#take-payment")
        page.wait_for_selector("#deliver")
        assert Payment.objects.get().method == "wechat"
        shot(page, "7x_cashier_settlement_paid")
        page.click("#deliver")
        page.wait_for_selector("#print-gate-pass")
        shot(page, "7x_cashier_delivered")
        pdf = page.request.get(live_server.url + page.get_attribute("#print-gate-pass", "href"))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    delivered = RepairOrder.objects.get(pk=repair_order.pk)
    assert delivered.state == ROState.DELIVERED and delivered.delivered_at is not None
