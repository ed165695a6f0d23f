"""Two clerks taking the last unit at once (PostgreSQL row locks): one succeeds, the other is told why."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from parts import services
from parts.models import Part, Reservation, Shortage
from parts.selectors import stock_ledger_disagreements
from servicedesk.core.errors import ApplicationError
from tests.conftest import skip_or_fail
from tests.parts.factories import make_clerk, stocked_part

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL)")


def _at_once(calls) -> list:
    """Run each call in its own thread, released together; returns each result or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            with translation.override("en"):  # a new thread starts in the default language, zh-hans
                results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            results[index] = error
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


def _refusals(results) -> list[ApplicationError]:
    return [r for r in results if isinstance(r, ApplicationError)]


def _last_unit(site, quantity="1"):
    clerks = [make_clerk(site, username=f"clerk{n}") for n in range(8)]
    return stocked_part(site, clerks[0], quantity=quantity), clerks


def _issue(part, clerk, n):
    return lambda: services.stock_issue(part=Part.objects.get(pk=part.pk), quantity=1, repair_order_ref=f"RO{n}",
                                        actor=clerk)


def _reserve(part, clerk, n, **options):
    return lambda: services.parts_reserve(part=Part.objects.get(pk=part.pk), quantity=1, repair_order_ref=f"RO{n}",
                                          actor=clerk, **options)


@pytest.mark.parametrize("attempt", range(3))  # a race is a matter of timing: try it more than once
def test_two_clerks_issuing_the_last_unit(site, attempt):
    part, clerks = _last_unit(site)
    results = _at_once([_issue(part, clerk, n) for n, clerk in enumerate(clerks[:2])])
    [refusal] = _refusals(results)
    assert refusal.code == "insufficient_stock" and "out of stock" in refusal.message
    assert len([r for r in results if not isinstance(r, Exception)]) == 1
    assert Part.objects.get(pk=part.pk).on_hand == Decimal("0")
    assert stock_ledger_disagreements(site=site) == []


def test_many_clerks_never_take_more_than_is_there(site):
    part, clerks = _last_unit(site, quantity="5")
    results = _at_once([_issue(part, clerk, n) for n, clerk in enumerate(clerks)])
    assert len(_refusals(results)) == 3 and not [r for r in results if isinstance(r, Exception)
                                                 and not isinstance(r, ApplicationError)]
    assert Part.objects.get(pk=part.pk).on_hand == Decimal("0")
    assert stock_ledger_disagreements(site=site) == []


def test_two_reservations_of_the_last_unit(site):
    part, clerks = _last_unit(site)
    results = _at_once([_reserve(part, clerk, n, record_shortage=False) for n, clerk in enumerate(clerks[:2])])
    [refusal] = _refusals(results)
    assert refusal.code == "insufficient_stock" and "reserved for RO" in refusal.message
    stored = Part.objects.get(pk=part.pk)
    assert (stored.on_hand, stored.reserved) == (Decimal("1"), Decimal("1"))
    assert Reservation.objects.count() == 1 and not Shortage.objects.exists()
    assert stock_ledger_disagreements(site=site) == []


def test_the_second_reservation_becomes_a_shortage(site):
    part, clerks = _last_unit(site)
    results = _at_once([_reserve(part, clerk, n) for n, clerk in enumerate(clerks[:2])])
    assert sorted((r.reservation is None, r.shortage is None) for r in results) == [(False, True), (True, False)]
    assert Part.objects.get(pk=part.pk).reserved == Decimal("1") and Shortage.objects.count() == 1
    assert stock_ledger_disagreements(site=site) == []
