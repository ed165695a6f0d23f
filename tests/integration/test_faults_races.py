"""The races issue 11 lists that had no test of their own yet (the others: tests/integration/README.md): the
same repair order invoiced by two cashiers at once, and delivered by two at once. On PostgreSQL (row locks;
SQLite serialises writers) exactly one wins; the other is told why with a 409 code, and nothing is doubled."""

import threading

import pytest
from django.db import connection

from billing.models import GatePass, Invoice
from billing.services.delivery import repair_order_deliver
from billing.services.invoicing import invoice_issue
from billing.services.payments import payment_take
from repair_orders.models import RepairOrder
from servicedesk.core.errors import ApplicationError
from tests.billing.invoicing_fixtures import ready_ro
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres():
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL")


def at_once(count: int, work) -> list:
    """`work()` in `count` threads released together; each thread's result or exception."""
    start, outcomes = threading.Barrier(count), []

    def run():
        try:
            start.wait(timeout=10)
            outcomes.append(work())
        except Exception as error:  # judged by the test
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def one_winner(outcomes: list, kind: type) -> ApplicationError:
    """Exactly one `kind` and every other outcome a conflict with a message; the first conflict."""
    assert sum(isinstance(outcome, kind) for outcome in outcomes) == 1, outcomes
    losers = [outcome for outcome in outcomes if not isinstance(outcome, kind)]
    assert all(isinstance(loser, ApplicationError) and loser.is_conflict and str(loser) for loser in losers), losers
    return losers[0]


def test_one_ro_invoiced_by_three_cashiers_at_once_gets_one_invoice(site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    loser = one_winner(at_once(3, lambda: invoice_issue(
        repair_order=RepairOrder.objects.get(pk=repair_order.pk), actor=cashier)), Invoice)
    assert loser.code == "conflict", (loser.code, str(loser))  # "Repair order ... is already invoiced."
    assert Invoice.objects.filter(repair_order=repair_order).count() == 1
    assert RepairOrder.objects.get(pk=repair_order.pk).events.filter(kind="invoiced").count() == 1


def test_one_ro_delivered_by_three_cashiers_at_once_gets_one_gate_pass(site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    payment_take(invoice=invoice, method="card", amount=invoice.customer_amount, actor=cashier)
    loser = one_winner(at_once(3, lambda: repair_order_deliver(
        repair_order=RepairOrder.objects.get(pk=repair_order.pk), actor=cashier)), GatePass)
    assert loser.code == "illegal_transition", loser.code  # "... is delivered; only an invoiced one ..."
    assert GatePass.objects.filter(repair_order=repair_order).count() == 1
