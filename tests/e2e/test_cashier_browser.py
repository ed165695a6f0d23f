"""The cashier in the browser, on a tablet: an RO with a warranty line is ready; the cashier gives a settlement
discount (结算优惠) above her limit, which waits visibly; the service manager, in a second browser, follows the
notification to the settlement page and approves it there; the cashier then invoices (the discount spread
over the customer's lines only), takes a WeChat payment, delivers and prints the gate pass.
Screenshots: test-output/screenshots/7x_cashier_*."""

from decimal import Decimal

import pytest

from billing.models import Invoice, Payment, SettlementDiscount
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.accounts.roles import ADVISOR, CASHIER, SERVICE_MANAGER
from tests.billing.invoicing_fixtures import estimate, finish, sign
from tests.factories import SiteFactory, VehicleFactory, make_staff

from .conftest import browser_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TABLET = {"width": 1024, "height": 768}


def _staff(role, site, username, name):
    user = make_staff(role=role, sites=[site], username=username, display_name=name)
    user.set_password("demo1234")
    user.save()
    return user


def test_manager_approves_the_discount_then_the_cashier_invoices_takes_wechat_and_prints_the_gate_pass(
        browser, live_server, shot):
    site = SiteFactory(code="SH01", name="上海浦东4S店", address="上海市浦东新区张杨路1888号", phone="021-58881234")
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    _staff(SERVICE_MANAGER, site, "manager", "李经理")
    _staff(CASHIER, site, "cashier", "钱收银")
    vehicle = VehicleFactory(owner__site=site, owner__name="张伟", plate="沪A12345", make="大众", model="朗逸")
    repair_order = estimate(site, advisor, [("钣金喷漆 左前门", "1000.00", "customer", "0", []),
                                            ("更换水泵", "450.00", "warranty", "0", [])], vehicle=vehicle)
    repair_order = finish(sign(repair_order, advisor))
    assert repair_order.state == ROState.READY

    with browser_page(browser, viewport=TABLET) as cashier, browser_page(browser, viewport=TABLET) as manager:
        login(cashier, live_server, "cashier")
        assert cashier.locator("nav a[href='/billing/cashier/']").count() == 1  # the Cashier entry (collapsed menu)
        cashier.goto(live_server.url + "/billing/cashier/")
        cashier.wait_for_selector("#queue-to_invoice >> text=沪A12345")
        shot(cashier, "7x_cashier_queues")
        cashier.click("#queue-to_invoice >> text=沪A12345")
        cashier.wait_for_selector("#discount-form")
        assert "1000.00" in cashier.inner_text("#customer-amount")
        # 200.00 of the customer's 1,000.00 is 20 %: a cashier gives nothing on her own, so it waits.
        cashier.select_option("#id_discount_kind", "amount")
        cashier.fill("#id_discount_value", "200")
        cashier.fill("#id_discount_reason", "老客户 十年车主")
        cashier.click("#give-discount")
        cashier.wait_for_selector("#discount-pending")
        assert cashier.is_disabled("#issue-invoice") and cashier.locator("#approve-discount").count() == 0
        shot(cashier, "7x_cashier_discount_waiting")

        login(manager, live_server, "manager")
        manager.goto(live_server.url + "/notifications/")
        manager.click("#notification-list >> text=200.00")  # the notification links to the settlement page
        manager.wait_for_selector("#approve-discount")
        shot(manager, "7x_cashier_manager_approves")
        manager.fill("#discount-decision input[name=note]", "同意,老客户")
        manager.click("#approve-discount")
        manager.wait_for_selector("#discount-applied")
        decided = SettlementDiscount.objects.get()
        assert (decided.status, decided.decided_by.username) == ("approved", "manager")

        cashier.reload()
        cashier.wait_for_selector("#discount-applied")
        assert "800.00" in cashier.inner_text("#customer-amount")
        cashier.click("#issue-invoice")
        cashier.wait_for_selector("#payment-form")
        invoice = Invoice.objects.get()
        assert (invoice.customer_amount, invoice.warranty_amount, invoice.discount_total) == (800, 450, 200)
        assert invoice.lines.get(pay_type="warranty").discount == Decimal("0.00")
        cashier.select_option("#id_method", "wechat")
        cashier.fill("#id_amount", "800.00")
        cashier.fill("#id_reference", "WX420000123")
        cashier.click("#take-payment")
        cashier.wait_for_selector("#deliver")
        assert Payment.objects.get().method == "wechat"
        shot(cashier, "7x_cashier_settlement_paid")
        cashier.click("#deliver")
        cashier.wait_for_selector("#print-gate-pass")
        shot(cashier, "7x_cashier_delivered")
        pdf = cashier.request.get(live_server.url + cashier.get_attribute("#print-gate-pass", "href"))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    delivered = RepairOrder.objects.get(pk=repair_order.pk)
    assert delivered.state == ROState.DELIVERED and delivered.delivered_at is not None


def test_the_cashier_records_a_fleet_customer_settling_the_account(browser, live_server, shot):
    from billing.models import AccountSettlement, CustomerAccount
    from billing.services.invoicing import invoice_issue
    from billing.services.payments import payment_take
    from tests.billing.invoicing_fixtures import ready_ro

    site = SiteFactory(code="SH01", name="上海浦东4S店")
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    cashier_user = _staff(CASHIER, site, "cashier", "钱收银")
    vehicle = VehicleFactory(owner__site=site, owner__name="顺丰车队", plate="沪B88888")
    CustomerAccount.objects.create(site=site, customer=vehicle.owner, credit_limit=Decimal("5000.00"))
    for _ in range(2):
        invoice = invoice_issue(repair_order=ready_ro(site, advisor, vehicle=vehicle), actor=cashier_user)
        payment_take(invoice=invoice, method="account", amount=invoice.customer_amount, actor=cashier_user)

    with browser_page(browser, viewport=TABLET) as page:
        login(page, live_server, "cashier")
        page.goto(live_server.url + "/billing/cashier/")
        page.click("#accounts-link")
        page.wait_for_selector("#accounts >> text=顺丰车队")
        shot(page, "7x_cashier_accounts")
        page.click("#accounts >> text=顺丰车队")
        page.wait_for_selector("#settle-form")
        assert "792.00" in page.inner_text("#balance")
        page.fill("#id_amount", "500.00")
        page.select_option("#id_method", "transfer")
        page.fill("#id_reference", "BANK-20261124")
        page.click("#settle")
        page.wait_for_selector("#settlements >> text=BANK-20261124")
        assert "292.00" in page.inner_text("#balance")
        shot(page, "7x_cashier_account_settled")
    assert AccountSettlement.objects.get().amount == Decimal("500.00")
