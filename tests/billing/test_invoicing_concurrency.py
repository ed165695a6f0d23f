"""Cashiers issuing invoices for different ROs at the same moment on PostgreSQL: the numbers are unique and
gapless; two cashiers paying the last amount due of one invoice at once: one payment, no overpayment."""

import threading

import pytest
from django.db import connection

from billing.models import Invoice, Payment
from billing.services.invoicing import invoice_issue
from billing.services.payments import payment_take
from repair_orders.models import RepairOrder
from servicedesk.core.errors import ApplicationError
from tests.conftest import skip_or_fail

from .invoicing_fixtures import ready_ro

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _at_once(count: int, work) -> list:
    start, outcomes = threading.Barrier(count), []

    def run(index):
        try:
            start.wait()
            outcomes.append(work(index))
        except Exception as error:  # surfaced by the asserts
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_numbers_stay_unique_and_gapless(site, advisor, cashier):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL")
    orders = [ready_ro(site, advisor) for _ in range(6)]
    outcomes = _at_once(6, lambda i: invoice_issue(repair_order=RepairOrder.objects.get(pk=orders[i].pk),
                                                    actor=cashier).number)
    assert all(isinstance(number, str) for number in outcomes), outcomes
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in outcomes)
    assert serials == [1, 2, 3, 4, 5, 6]
    assert Invoice.objects.count() == 6


def test_two_cashiers_cannot_both_take_the_last_amount(site, advisor, cashier):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL")
    invoice = invoice_issue(repair_order=ready_ro(site, advisor), actor=cashier)
    outcomes = _at_once(2, lambda i: payment_take(invoice=invoice, method="card", amount="396.00", actor=cashier))
    assert sum(isinstance(outcome, Payment) for outcome in outcomes) == 1, outcomes
    assert any(isinstance(outcome, ApplicationError) and outcome.is_conflict for outcome in outcomes)
    assert Payment.objects.count() == 1
