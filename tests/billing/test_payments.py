"""Payments: several per invoice, overpayment refused, cash change, on account within the credit limit,
credited invoices refused and their payments carried over."""

from decimal import Decimal

import pytest

from billing.models import CustomerAccount, Payment
from billing.selectors import amount_due
from billing.services.invoicing import credit_note_issue, invoice_issue
from billing.services.payments import payment_take
from servicedesk.core.errors import ApplicationError

from .invoicing_fixtures import ready_ro

# These tests read messages in English, the second language (the fixture sets the pages and services).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def invoice(site, advisor, cashier):
    return invoice_issue(repair_order=ready_ro(site, advisor), actor=cashier)  # customer pays 396.00


def test_amount_due_before_and_after_invoicing(site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    assert amount_due(repair_order) == Decimal("396.00")
    invoice_issue(repair_order=repair_order, actor=cashier)
    assert amount_due(repair_order) == Decimal("396.00")


def test_several_payments_until_settled(invoice, cashier):
    payment_take(invoice=invoice, method="wechat", amount="100.00", reference="WX123", actor=cashier)
    payment_take(invoice=invoice, method="card", amount="296.00", actor=cashier)
    assert amount_due(invoice.repair_order) == 0
    with pytest.raises(ApplicationError, match="already paid") as refused:
        payment_take(invoice=invoice, method="cash", amount="1", actor=cashier)
    assert refused.value.is_conflict


def test_overpayment_by_card_is_refused(invoice, cashier):
    with pytest.raises(ApplicationError, match="more than the amount due") as refused:
        payment_take(invoice=invoice, method="card", amount="396.01", actor=cashier)
    assert refused.value.field == "amount" and not Payment.objects.exists()


@pytest.mark.parametrize("bad", ["0", "-5", "abc"])
def test_bad_amounts(invoice, cashier, bad):
    with pytest.raises(ApplicationError):
        payment_take(invoice=invoice, method="alipay", amount=bad, actor=cashier)


def test_cash_gives_change(invoice, cashier):
    payment = payment_take(invoice=invoice, method="cash", amount=None, tendered="500", actor=cashier)
    assert (payment.amount, payment.tendered, payment.change_given) == (Decimal("396.00"), Decimal("500.00"),
                                                                        Decimal("104.00"))
    assert amount_due(invoice.repair_order) == 0


def test_cash_tendered_below_the_amount_is_refused(invoice, cashier):
    with pytest.raises(ApplicationError, match="less than the amount"):
        payment_take(invoice=invoice, method="cash", amount="200", tendered="100", actor=cashier)


def test_on_account_needs_an_account_within_its_limit(site, advisor, cashier, invoice):
    with pytest.raises(ApplicationError, match="no account"):
        payment_take(invoice=invoice, method="account", amount="396.00", actor=cashier)
    account = CustomerAccount.objects.create(site=site, customer=invoice.customer, credit_limit=Decimal("500.00"))
    payment_take(invoice=invoice, method="account", amount="396.00", actor=cashier)
    second = invoice_issue(repair_order=ready_ro(site, advisor, vehicle=invoice.repair_order.vehicle),
                           actor=cashier)
    with pytest.raises(ApplicationError, match="credit limit leaves 104.00"):
        payment_take(invoice=second, method="account", amount="105.00", actor=cashier)
    payment_take(invoice=second, method="account", amount="104.00", actor=cashier)
    account.active = False
    account.save()
    with pytest.raises(ApplicationError, match="no account"):
        payment_take(invoice=second, method="account", amount="1.00", actor=cashier)


def test_payments_carry_over_a_credit_note(invoice, cashier):
    payment_take(invoice=invoice, method="card", amount="100.00", actor=cashier)
    credit_note_issue(invoice=invoice, reason="价格更正", actor=cashier)
    with pytest.raises(ApplicationError, match="credited"):
        payment_take(invoice=invoice, method="card", amount="1.00", actor=cashier)
    again = invoice_issue(repair_order=invoice.repair_order, actor=cashier)
    assert amount_due(again.repair_order) == Decimal("296.00")
