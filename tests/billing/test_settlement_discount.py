"""The settlement discount at the cashier (结算优惠): within the giver's limit at once, above it a request the
manager approves or rejects in the app; the invoice spreads it over the customer-paid lines to the fen;
warranty and internal lines keep their price; bad input is a clear message with nothing changed;
permissions for every role; constant query counts."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.drafting import draft_prefetch, invoice_draft
from billing.models import Invoice, SettlementDiscount
from billing.selectors import cashier_queues, settlement
from billing.services.invoicing import credit_note_issue, invoice_issue
from billing.services.settlement_discount import (
    settlement_discount_approve,
    settlement_discount_give,
    settlement_discount_reject,
)
from repair_orders.models import JobLine, RepairOrder
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import ROLE_LABELS
from servicedesk.core.errors import ApplicationError
from servicedesk.core.models import Notification
from tests.factories import make_staff
from tests.repair_orders.helpers import open_ro

from .invoicing_fixtures import ready_ro

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal
Status = SettlementDiscount.Status
GIVERS = {"advisor", "cashier", "service_manager"}


@pytest.fixture
def ro(site, advisor):
    """Customer's part 396.00 (labour 300.00, filters 2 × 48.00); warranty 200.00."""
    return ready_ro(site, advisor)


def test_the_cashier_asks_the_manager_approves_in_the_app_and_the_invoice_carries_it(
        client, site, ro, cashier, manager):
    client.force_login(cashier)
    response = client.post(reverse("billing:settlement_discount", args=[ro.pk]),
                           {"kind": "amount", "value": "40.01", "reason": "老客户"}, follow=True)
    page = response.content.decode()
    assert "waits for the manager&#x27;s approval" in page or "waits for the manager's approval" in page
    assert 'id="discount-pending"' in page and "Waiting for the manager" in page
    assert 'id="issue-invoice" disabled' in page and 'id="approve-discount"' not in page  # a cashier cannot
    request = SettlementDiscount.objects.get()
    assert (request.status, request.amount, request.base, request.requested_by) == (Status.PENDING, D("40.01"),
                                                                                   D("396.00"), cashier)
    note = Notification.objects.get(recipient=manager)
    assert note.url == reverse("billing:settlement", args=[ro.pk]) and "40.01" in note.text
    refused = client.post(reverse("billing:invoice_issue", args=[ro.pk]), follow=True)
    assert "waiting for the manager" in refused.content.decode() and not Invoice.objects.exists()
    assert client.post(reverse("billing:settlement_discount_decide", args=[request.pk]),
                       {"decision": "approve"}).status_code == 403

    client.force_login(manager)
    page = client.get(note.url).content.decode()
    assert 'id="approve-discount"' in page and 'id="reject-discount"' in page
    client.post(reverse("billing:settlement_discount_decide", args=[request.pk]), {"decision": "approve",
                                                                                   "note": "同意"})
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.note) == (Status.APPROVED, manager, "同意")
    assert request.decided_at is not None
    assert Notification.objects.filter(recipient=cashier, url=note.url).exists()

    client.force_login(cashier)
    page = client.get(note.url).content.decode()
    assert 'id="discount-applied"' in page and "355.99" in page  # 396.00 − 40.01, before issuing
    client.post(reverse("billing:invoice_issue", args=[ro.pk]))
    invoice = Invoice.objects.get()
    assert (invoice.customer_amount, invoice.warranty_amount) == (D("355.99"), D("200.00"))
    customer_lines = invoice.lines.filter(pay_type="customer")
    assert sum(line.discount for line in customer_lines) == D("40.01")  # no fen lost
    assert all(line.discount == 0 for line in invoice.lines.exclude(pay_type="customer"))
    assert invoice.discount_total == D("40.01")
    assert sum(line.gross for line in invoice.lines.all()) == invoice.gross_total
    assert ro.events.filter(kind="invoiced", data__settlement_discount=request.pk).exists()
    # Issued: the bill takes no new discount.
    with pytest.raises(ApplicationError, match="no longer be discounted"):
        settlement_discount_give(repair_order=ro, actor=manager, amount="1")


def test_within_the_advisors_limit_it_applies_at_once(site, ro, advisor, cashier):
    discount = settlement_discount_give(repair_order=ro, actor=advisor, percent="10", reason="会员")
    assert (discount.status, discount.amount, discount.percent, discount.decided_by) == (
        Status.GRANTED, D("39.60"), D("10.00"), advisor)
    assert not Notification.objects.exists()
    invoice = invoice_issue(repair_order=ro, actor=cashier)
    assert invoice.customer_amount == D("356.40")


def test_the_manager_rejects_and_the_bill_stays_whole(site, ro, cashier, manager):
    request = settlement_discount_give(repair_order=ro, actor=cashier, amount="50")
    settlement_discount_reject(discount=request, actor=manager, note="超出权限")
    assert SettlementDiscount.objects.get().status == Status.REJECTED
    assert invoice_issue(repair_order=ro, actor=cashier).customer_amount == D("396.00")
    with pytest.raises(ApplicationError, match="already decided"):
        settlement_discount_approve(discount=request, actor=manager)


def test_a_new_discount_withdraws_the_older_and_zero_removes_it(site, ro, advisor, cashier):
    first = settlement_discount_give(repair_order=ro, actor=cashier, amount="80")
    second = settlement_discount_give(repair_order=ro, actor=advisor, amount="20")
    first.refresh_from_db()
    assert (first.status, first.decided_by, second.status) == (Status.WITHDRAWN, advisor, Status.GRANTED)
    assert settlement_discount_give(repair_order=ro, actor=advisor, amount="0") is None
    assert not SettlementDiscount.objects.filter(status__in=["pending", "granted", "approved"]).exists()
    with pytest.raises(ApplicationError, match="no discount to remove"):
        settlement_discount_give(repair_order=ro, actor=advisor, amount="0")


@pytest.mark.parametrize("values, message", [
    ({"amount": "396.01"}, "cannot exceed the customer's part of 396.00"),
    ({"percent": "101"}, "cannot exceed 100%"),
    ({"amount": "-1"}, "cannot be negative"),
    ({"amount": "abc"}, "Enter a number"),
    ({"percent": "NaN"}, "Enter a number"),
    ({}, "as an amount or as a percentage"),
    ({"amount": "1", "percent": "1"}, "as an amount or as a percentage"),
])
def test_bad_input_is_a_clear_message_and_changes_nothing(site, ro, manager, values, message):
    with pytest.raises(ApplicationError, match=message):
        settlement_discount_give(repair_order=ro, actor=manager, **values)
    assert not SettlementDiscount.objects.exists()


def test_bad_input_on_the_screen(client, site, ro, cashier):
    client.force_login(cashier)
    page = client.post(reverse("billing:settlement_discount", args=[ro.pk]), {"kind": "amount", "value": "9999"},
                       follow=True).content.decode()
    assert "cannot exceed the customer" in page and not SettlementDiscount.objects.exists()
    page = client.post(reverse("billing:settlement_discount", args=[ro.pk]), {"kind": "amount", "value": "x"},
                       follow=True).content.decode()
    assert "Enter a number" in page
    bad = client.post(reverse("billing:settlement_discount_decide",
                              args=[settlement_discount_give(repair_order=ro, actor=cashier, amount="5").pk]),
                      {"decision": "maybe"})
    assert bad.status_code == 403  # a cashier may not decide at all


def test_only_the_managers_decide_and_not_after_the_bill_changed(site, ro, cashier, manager, advisor):
    request = settlement_discount_give(repair_order=ro, actor=cashier, amount="396.00")
    with pytest.raises(ApplicationError, match="Only a service manager"):
        settlement_discount_approve(discount=request, actor=advisor)
    JobLine.objects.filter(repair_order=ro, pay_type="customer").update(labour_price=D("100.00"))
    with pytest.raises(ApplicationError, match="ask again"):
        settlement_discount_approve(discount=request, actor=manager)
    assert SettlementDiscount.objects.get().status == Status.PENDING


def test_after_a_credit_note_the_approved_discount_carries_to_the_new_invoice(site, ro, cashier, manager):
    settlement_discount_approve(discount=settlement_discount_give(repair_order=ro, actor=cashier, amount="96"),
                                actor=manager)
    invoice = invoice_issue(repair_order=ro, actor=cashier)
    credit_note_issue(invoice=invoice, reason="开票错误", actor=cashier)
    again = invoice_issue(repair_order=ro, actor=cashier)
    assert again.customer_amount == invoice.customer_amount == D("300.00")


def test_warranty_and_internal_lines_are_never_discounted(site, advisor, cashier, manager):
    repair_order = ready_ro(site, advisor, jobs=[("保养", "100.00", "customer", "0", []),
                                                 ("索赔", "300.00", "warranty", "0", []),
                                                 ("内部", "50.00", "internal", "0", [])])
    with pytest.raises(ApplicationError, match="customer's part of 100.00"):
        settlement_discount_give(repair_order=repair_order, actor=manager, amount="100.01")
    settlement_discount_give(repair_order=repair_order, actor=manager, percent="100")
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    assert (invoice.customer_amount, invoice.warranty_amount, invoice.internal_amount) == (0, D("300.00"),
                                                                                           D("50.00"))
    assert not invoice.lines.get(pay_type="customer").free  # discounted to zero, not free of charge


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_every_role(client, site, ro, role):
    user = make_staff(role=role, sites=[site])
    client.force_login(user)
    give = client.post(reverse("billing:settlement_discount", args=[ro.pk]), {"kind": "amount", "value": "500"})
    assert give.status_code == (302 if role in GIVERS else 403)
    request = SettlementDiscount.objects.first() or settlement_discount_give(
        repair_order=ro, actor=make_staff(role="cashier", sites=[site]), amount="10")
    decide = client.post(reverse("billing:settlement_discount_decide", args=[request.pk]), {"decision": "reject"})
    assert decide.status_code == (302 if role == "service_manager" else 403)


def test_another_sites_request_is_not_found(client, site, other_site, ro, cashier):
    request = settlement_discount_give(repair_order=ro, actor=cashier, amount="10")
    client.force_login(make_staff(role="service_manager", sites=[other_site]))
    assert client.post(reverse("billing:settlement_discount_decide", args=[request.pk]),
                       {"decision": "approve"}).status_code == 404
    assert client.post(reverse("billing:settlement_discount", args=[ro.pk]),
                       {"kind": "amount", "value": "1"}).status_code == 404


def test_queries_are_constant(site, advisor, cashier, manager, django_assert_num_queries):
    orders = [ready_ro(site, advisor) for _ in range(3)]
    for repair_order in orders:
        settlement_discount_give(repair_order=repair_order, actor=manager, amount="10")
    # ROs, jobs, part lines, live invoices, payments, ledger issues, settlement discounts
    with django_assert_num_queries(7):
        queues = cashier_queues(site=site)
    assert {row.amount for row in queues.to_invoice} == {D("386.00")}
    # RO, invoices, payments, settlement discounts (askers, deciders), jobs, part lines, ledger, gate pass
    with django_assert_num_queries(8):
        page = settlement(site=site, pk=orders[0].pk)
    assert page.draft.customer_amount == D("386.00") and page.live_discount.status == Status.GRANTED


class Rollback(Exception):
    pass


cents = st.integers(min_value=1, max_value=300_000).map(lambda n: D(n) / 100)
job_rows = st.lists(st.tuples(cents, st.sampled_from(["customer", "customer", "warranty", "internal"])),
                    min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(jobs=job_rows, share=st.integers(1, 10_000), inclusive=st.booleans())
def test_the_discount_is_spread_to_the_fen(site, advisor, manager, jobs, share, inclusive):
    try:
        with transaction.atomic():
            _check_spread(site, advisor, manager, jobs, share, inclusive)
            raise Rollback
    except Rollback:
        pass


def _check_spread(site, advisor, manager, jobs, share, inclusive):
    site.prices_include_vat = inclusive
    site.save()
    repair_order = open_ro(site, advisor)
    for price, pay_type in jobs:
        JobLine.objects.create(repair_order=repair_order, description="工", pay_type=pay_type, state=JobState.DONE,
                               labour_price=price, created_by=advisor)
    RepairOrder.objects.filter(pk=repair_order.pk).update(state=ROState.READY)
    loaded = RepairOrder.objects.select_related("site").prefetch_related(*draft_prefetch()).get(pk=repair_order.pk)
    before = invoice_draft(loaded)
    if before.discountable <= 0:
        return
    amount = max((before.discountable * share / 10_000).quantize(D("0.01")), D("0.01"))
    settlement_discount_give(repair_order=repair_order, actor=manager, amount=amount)
    invoice = invoice_issue(repair_order=repair_order, actor=manager)
    lines = list(invoice.lines.all())
    assert sum(line.discount for line in lines) == amount  # every fen of the discount, no more
    assert all(line.discount <= line.unit_price for line in lines)
    assert all(line.net + line.vat == line.gross for line in lines)
    assert invoice.customer_amount + invoice.warranty_amount + invoice.internal_amount == invoice.gross_total
    assert invoice.warranty_amount == before.paid_by("warranty")
    assert invoice.internal_amount == before.paid_by("internal")
    if inclusive:
        assert invoice.customer_amount == before.customer_amount - amount
