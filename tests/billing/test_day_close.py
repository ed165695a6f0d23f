"""The cashier's day close (日结): the day's figures, the cash count, one close per site and day."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from billing.models import DayClose, Invoice, Payment
from billing.selectors_handover import day_figures
from billing.services.day_close import day_close
from repair_orders.services.common import site_today
from servicedesk.accounts.roles import ROLE_LABELS
from servicedesk.core.errors import ApplicationError
from tests.factories import make_staff

from .handover_helpers import invoice_row, payment_row, ro_passed_qc

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def today(site):
    return site_today(site)


@pytest.fixture
def takings(site, advisor, inspector, cashier, other_site, today):
    """Today: two invoices (one credited), cash 300 + 120, WeChat 500; a payment of yesterday 23:59 and one
    of another site, which do not count."""
    repair_order = ro_passed_qc(site, advisor, inspector)
    first = invoice_row(repair_order, cashier, lines=[(None, "fee", "customer", "920.00")])
    second = invoice_row(repair_order, cashier, lines=[(None, "fee", "customer", "100.00")])
    invoice_row(repair_order, cashier, kind=Invoice.Kind.CREDIT_NOTE, credits=second,
                lines=[(None, "fee", "customer", "100.00")])
    payment_row(first, Payment.Method.CASH, "300.00", cashier)
    payment_row(first, Payment.Method.CASH, "120.00", cashier)
    payment_row(first, Payment.Method.WECHAT, "500.00", cashier)
    late = payment_row(first, Payment.Method.CASH, "77.00", cashier)
    last_night = datetime.combine(today, datetime.min.time(), tzinfo=SHANGHAI) - timedelta(minutes=1)
    Payment.objects.filter(pk=late.pk).update(received_at=last_night)
    elsewhere = ro_passed_qc(other_site, make_staff(role="advisor", sites=[other_site]), inspector)
    payment_row(invoice_row(elsewhere, cashier, lines=[(None, "fee", "customer", "50.00")]),
                Payment.Method.CASH, "50.00", cashier)
    return first


def test_figures_by_method_with_invoices_and_credit_notes_in_three_queries(site, takings, today,
                                                                           django_assert_num_queries):
    # payments grouped by method, invoices grouped by kind, account settlements grouped by method
    with django_assert_num_queries(3):
        figures = day_figures(site=site, day=today)
    by_method = {f.method: (f.count, f.amount) for f in figures.payments}
    assert by_method["cash"] == (2, Decimal("420.00")) and by_method["wechat"] == (1, Decimal("500.00"))
    assert by_method["card"] == (0, Decimal("0.00"))
    assert figures.cash == Decimal("420.00") and figures.payments_total == Decimal("920.00")
    assert (figures.invoices_count, figures.invoices_total) == (2, Decimal("1020.00"))
    assert (figures.credit_notes_count, figures.credit_notes_total) == (1, Decimal("100.00"))
    yesterday = day_figures(site=site, day=today - timedelta(days=1))
    assert yesterday.cash == Decimal("77.00") and yesterday.invoices_count == 0


def test_closing_with_the_cash_right(site, takings, cashier, today):
    closed = day_close(site=site, day=today, counted_cash="420.00", note="", actor=cashier)
    assert (closed.expected_cash, closed.counted_cash, closed.difference) == (Decimal("420.00"),) * 2 + (0,)
    assert closed.figures["payments"]["wechat"] == {"count": 1, "amount": "500.00"}
    assert closed.figures["invoices"] == {"count": 2, "total": "1020.00"}


def test_a_difference_needs_a_note(site, takings, cashier, today):
    with pytest.raises(ApplicationError) as failure:
        day_close(site=site, day=today, counted_cash="400", note=" ", actor=cashier)
    assert failure.value.field == "note" and "-20.00" in str(failure.value)
    assert not DayClose.objects.exists()
    closed = day_close(site=site, day=today, counted_cash="400", note="找零错误", actor=cashier)
    assert closed.difference == Decimal("-20.00") and closed.note == "找零错误"


def test_one_close_per_day_and_no_future_days(site, takings, cashier, manager, today):
    day_close(site=site, day=today, counted_cash="420", note="", actor=cashier)
    with pytest.raises(ApplicationError) as failure:
        day_close(site=site, day=today, counted_cash="420", note="", actor=manager)
    assert failure.value.code == "conflict" and "钱收银" in str(failure.value)
    with pytest.raises(ApplicationError) as failure:
        day_close(site=site, day=today + timedelta(days=1), counted_cash="0", note="", actor=cashier)
    assert failure.value.field == "day"
    for bad in (None, "", "-1"):
        with pytest.raises(ApplicationError) as failure:
            day_close(site=site, day=today - timedelta(days=1), counted_cash=bad, note="", actor=cashier)
        assert failure.value.field == "counted_cash"
    assert DayClose.objects.count() == 1


def test_the_screen_shows_the_figures_closes_and_lists_in_constant_queries(
        client, site, takings, cashier, today, django_assert_num_queries):
    client.force_login(cashier)
    url = reverse("billing:day_close")
    body = client.get(url).content.decode()
    assert "¥420.00" in body and 'id="day-close-form"' in body
    response = client.post(url, {"day": today.isoformat(), "counted_cash": "410", "note": ""})
    assert 'id="day-close-error"' in response.content.decode() and not DayClose.objects.exists()
    response = client.post(url, {"day": today.isoformat(), "counted_cash": "1,420.00", "note": "多收"})
    assert response.status_code == 302
    for back in range(1, 8):
        DayClose.objects.create(site=site, day=today - timedelta(days=back), expected_cash=0, counted_cash=0,
                                difference=0, closed_by=cashier)
    client.get(url)  # the user's access, read again after the closes were written, is cached
    # session, user, payments by method, invoices by kind, account settlements by method, the day's close,
    # closed days count (paginator), the page of closed days
    with django_assert_num_queries(8):
        body = client.get(url).content.decode()
    assert 'id="day-closed"' in body and "¥1000.00" in body and "多收" in body


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_only_cashiers_and_managers_close_the_day(client, site, role):
    client.force_login(make_staff(role=role, sites=[site]))
    assert client.get(reverse("billing:day_close")).status_code == (
        200 if role in {"cashier", "service_manager"} else 403)


@pytest.mark.django_db(transaction=True)
def test_two_cashiers_closing_at_once_make_one_close(site, cashier, manager, today):
    from django.db import connection

    from tests.conftest import skip_or_fail
    from tests.integration.test_appointments_concurrency import at_once

    if connection.vendor != "postgresql":
        skip_or_fail("concurrent writers need PostgreSQL (DATABASE_URL)")
    results = at_once(2, lambda i: day_close(site=site, day=today, counted_cash="0", note="",
                                             actor=(cashier, manager)[i]))
    assert DayClose.objects.count() == 1
    assert sorted(type(r).__name__ for r in results) == ["ApplicationError", "DayClose"]
    assert next(r for r in results if isinstance(r, ApplicationError)).code == "conflict"
