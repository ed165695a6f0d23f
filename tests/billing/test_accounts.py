"""On-account customers (挂账): the customer settles the account (amount, method, reference), the open balance
goes down and the credit-limit check uses it; the account page shows the open invoices on account, the
settlements, the balance and the limit; bad input is refused with nothing changed; every role; query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import AccountSettlement, CustomerAccount
from billing.selectors_accounts import account_page, accounts_of_site
from billing.services.accounts import account_settle
from billing.services.invoicing import invoice_issue
from billing.services.payments import account_balance, payment_take
from servicedesk.accounts.roles import ROLE_LABELS
from servicedesk.core.errors import ApplicationError
from tests.factories import make_staff

from .invoicing_fixtures import ready_ro

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal
READERS = {"cashier", "service_manager"}


@pytest.fixture
def fleet(site, advisor, cashier):
    """A fleet customer with a limit of 1,000.00 and two invoices of 396.00 booked on account (balance 792.00)."""
    first = invoice_issue(repair_order=ready_ro(site, advisor), actor=cashier)
    account = CustomerAccount.objects.create(site=site, customer=first.customer, credit_limit=D("1000.00"))
    second = invoice_issue(repair_order=ready_ro(site, advisor, vehicle=first.repair_order.vehicle), actor=cashier)
    for invoice in (first, second):
        payment_take(invoice=invoice, method="account", amount=invoice.customer_amount, actor=cashier)
    return account


def test_settling_lowers_the_balance_and_makes_room_under_the_limit(site, advisor, cashier, fleet):
    third = invoice_issue(repair_order=ready_ro(site, advisor, vehicle=fleet.customer.vehicles.first()),
                          actor=cashier)
    with pytest.raises(ApplicationError, match="credit limit leaves 208.00"):
        payment_take(invoice=third, method="account", amount="396.00", actor=cashier)
    settlement = account_settle(account=fleet, amount="500.00", method="transfer", reference="BANK-0425",
                                actor=cashier)
    assert (settlement.amount, settlement.method, settlement.reference, settlement.received_by) == (
        D("500.00"), "transfer", "BANK-0425", cashier)
    assert account_balance(site=site, customer=fleet.customer) == D("292.00")
    payment_take(invoice=third, method="account", amount="396.00", actor=cashier)  # room is 708.00 now
    page = account_page(site=site, pk=fleet.pk)
    assert (page.balance, page.room, page.settled) == (D("688.00"), D("312.00"), D("500.00"))
    # Settlements pay the oldest booking first: the first invoice is paid off, 292.00 of the second stays open.
    assert [item.open for item in page.open_items] == [D("292.00"), D("396.00")]


@pytest.mark.parametrize("values, message", [
    ({"amount": "792.01", "method": "cash"}, "more than the open balance of 792.00"),
    ({"amount": "0", "method": "cash"}, "more than zero"),
    ({"amount": "", "method": "cash"}, "Enter the amount"),
    ({"amount": "abc", "method": "cash"}, "like 120.50"),
    ({"amount": "10", "method": "account"}, "how the customer paid"),
    ({"amount": "10", "method": "bitcoin"}, "how the customer paid"),
])
def test_bad_settlements_are_refused(fleet, cashier, values, message):
    with pytest.raises(ApplicationError, match=message):
        account_settle(account=fleet, actor=cashier, **values)
    assert not AccountSettlement.objects.exists()


def test_cash_settled_is_in_the_day_close(site, cashier, fleet):
    from billing.selectors_handover import day_figures
    from repair_orders.services.common import site_today

    account_settle(account=fleet, amount="300.00", method="cash", actor=cashier)
    account_settle(account=fleet, amount="100.00", method="transfer", reference="BANK-2", actor=cashier)
    figures = day_figures(site=site, day=site_today(site))
    assert figures.cash == D("300.00") and figures.settlements_total == D("400.00")
    assert figures.as_json()["account_settlements"] == {"cash": {"count": 1, "amount": "300.00"},
                                                        "transfer": {"count": 1, "amount": "100.00"}}


def test_nothing_owed_is_a_conflict(site, cashier, fleet):
    account_settle(account=fleet, amount="792.00", method="wechat", actor=cashier)
    with pytest.raises(ApplicationError, match="owes nothing") as refused:
        account_settle(account=fleet, amount="1", method="wechat", actor=cashier)
    assert refused.value.is_conflict


def test_the_account_pages(client, site, cashier, fleet):
    client.force_login(cashier)
    listing = client.get(reverse("billing:account_list")).content.decode()
    assert fleet.customer.name in listing and "792.00" in listing and "208.00" in listing
    assert fleet.customer.name in client.get(reverse("billing:account_list"), {"q": fleet.customer.name[:2]}
                                             ).content.decode()
    assert fleet.customer.name not in client.get(reverse("billing:account_list"), {"q": "没有这个人"}).content.decode()
    page = client.get(reverse("billing:account_detail", args=[fleet.pk])).content.decode()
    assert 'id="open-items"' in page and 'id="settle-form"' in page and "1000.00" in page
    done = client.post(reverse("billing:account_settle", args=[fleet.pk]),
                       {"amount": "400.00", "method": "transfer", "reference": "BANK-1"}, follow=True)
    page = done.content.decode()
    assert "settled on the account" in page and "BANK-1" in page and "392.00" in page
    over = client.post(reverse("billing:account_settle", args=[fleet.pk]), {"amount": "9999", "method": "cash"},
                       follow=True)
    assert "more than the open balance" in over.content.decode() and AccountSettlement.objects.count() == 1
    empty = client.post(reverse("billing:account_settle", args=[fleet.pk]), {"amount": "", "method": "cash"},
                        follow=True)
    assert "required" in empty.content.decode() and AccountSettlement.objects.count() == 1


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_every_role(client, site, fleet, role):
    client.force_login(make_staff(role=role, sites=[site]))
    expected = 200 if role in READERS else 403
    assert client.get(reverse("billing:account_list")).status_code == expected
    assert client.get(reverse("billing:account_detail", args=[fleet.pk])).status_code == expected
    settle = client.post(reverse("billing:account_settle", args=[fleet.pk]), {"amount": "1", "method": "cash"})
    assert settle.status_code == (302 if role in READERS else 403)
    assert AccountSettlement.objects.exists() == (role in READERS)


def test_another_sites_account_is_not_found(client, other_site, fleet):
    client.force_login(make_staff(role="service_manager", sites=[other_site]))
    assert client.get(reverse("billing:account_detail", args=[fleet.pk])).status_code == 404
    assert client.post(reverse("billing:account_settle", args=[fleet.pk]),
                       {"amount": "1", "method": "cash"}).status_code == 404
    assert fleet.customer.name not in client.get(reverse("billing:account_list")).content.decode()


def test_queries_are_constant(site, advisor, cashier, fleet, django_assert_num_queries):
    for n in range(3):
        account_settle(account=fleet, amount="10", method="cash", reference=f"R{n}", actor=cashier)
    # account (customer, site), bookings (invoice, RO, receiver), settlements (receiver)
    with django_assert_num_queries(3):
        page = account_page(site=site, pk=fleet.pk)
        assert page.balance == D("762.00") and len(page.open_items) == 2
    # accounts with their balance and room, from subqueries
    with django_assert_num_queries(1):
        rows = list(accounts_of_site(site=site))
    assert [(row.balance, row.room) for row in rows] == [(D("762.00"), D("238.00"))]
