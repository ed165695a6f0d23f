"""The manager's "who changed what, when": every source on one paged timeline, filters, links, site isolation,
permission, and a constant number of queries per page."""

import pytest
from django.urls import reverse

from billing.services.invoicing import invoice_issue
from billing.services.payments import payment_take
from customers.services import customer_update
from servicedesk.accounts.roles import ROLE_LABELS, SERVICE_MANAGER
from servicedesk.audit.selectors import TimelineFilter, decorate, timeline
from tests.billing.invoicing_fixtures import ready_ro
from tests.factories import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def history(site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    payment_take(invoice=invoice, method="card", amount="10.00", actor=cashier)
    customer = repair_order.customer
    customer_update(customer_id=customer.pk, site=site, version=customer.version,
                    data={"name": "改名客户", "mobile": customer.mobile}, actor=advisor)
    return repair_order, invoice


def _sources(rows):
    return {row["t_source"] for row in rows}


def test_every_kind_of_record_on_one_timeline(site, history):
    repair_order, invoice = history
    rows = decorate(timeline(site=site, flt=TimelineFilter()))
    assert {"repair_order", "job_line", "invoice", "payment", "customer", "vehicle"} <= _sources(rows)
    assert [r["t_at"] for r in rows] == sorted((r["t_at"] for r in rows), reverse=True)
    invoice_row = next(r for r in rows if r["t_source"] == "invoice")
    assert invoice_row["t_title"] == invoice.number and invoice_row["who"] == "钱收银"
    assert invoice_row["url"] == reverse("billing:settlement", args=[repair_order.pk])
    renamed = next(r for r in rows if r["t_source"] == "customer" and r["t_action"] == "changed")
    assert renamed["t_title"] == "改名客户" and renamed["who"] == "王顾问"


def test_filters(site, history, advisor, cashier):
    repair_order, invoice = history
    by_cashier = list(timeline(site=site, flt=TimelineFilter(actor_id=cashier.pk)))
    assert _sources(by_cashier) >= {"invoice", "payment"} and {r["t_actor"] for r in by_cashier} == {cashier.pk}
    assert "customer" not in _sources(by_cashier)
    payments = list(timeline(site=site, flt=TimelineFilter(kinds=("payment",))))
    assert len(payments) == 1 and payments[0]["t_after"].startswith("10")
    by_number = list(timeline(site=site, flt=TimelineFilter(record=repair_order.number)))
    assert by_number and all(repair_order.number in r["t_title"] for r in by_number)
    assert {r["t_record"] for r in by_number if r["t_source"] in ("repair_order", "job_line")} == {repair_order.pk}
    assert _sources(by_number) >= {"repair_order", "job_line"}
    assert list(timeline(site=site, flt=TimelineFilter(record=invoice.number, kinds=("invoice",))))
    tomorrow = repair_order.created_at.date().replace(year=repair_order.created_at.year + 1)
    assert not list(timeline(site=site, flt=TimelineFilter(date_from=tomorrow)))
    assert list(timeline(site=site, flt=TimelineFilter(date_to=tomorrow)))


def test_other_sites_rows_never_show(site, other_site, history):
    other_manager = make_staff(role=SERVICE_MANAGER, sites=[other_site])
    ready_ro(other_site, other_manager)
    assert not list(timeline(site=other_site, flt=TimelineFilter(kinds=("invoice", "payment"))))
    ours = list(timeline(site=site, flt=TimelineFilter(kinds=("repair_order",))))
    theirs = list(timeline(site=other_site, flt=TimelineFilter(kinds=("repair_order",))))
    assert ours and theirs and not {r["t_record"] for r in ours} & {r["t_record"] for r in theirs}


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_only_managers_open_it(client, site, role):
    client.force_login(make_staff(role=role, sites=[site]))
    assert client.get(reverse("audit:timeline")).status_code == (200 if role == SERVICE_MANAGER else 403)


def test_screen_pages_with_constant_queries(client, site, manager, advisor, history, django_assert_num_queries):
    for _ in range(3):
        ready_ro(site, advisor)
    client.force_login(manager)
    url = reverse("audit:timeline")
    client.get(url)  # warm the session and the user's permission cache paths
    with django_assert_num_queries(6):
        # session, user, staff for the "who" filter, COUNT over the union, the page's rows, the page's users
        # (the user's permissions, roles and sites are cached: servicedesk/accounts/access.py)
        response = client.get(url + "?page=2")
    assert response.status_code == 200


def test_bad_filter_is_a_message_not_an_error(client, site, manager):
    client.force_login(manager)
    response = client.get(reverse("audit:timeline"), {"date_from": "2025-05-02", "date_to": "2025-05-01",
                                                      "actor": "abc", "record": "x" * 500})
    assert response.status_code == 200
    assert "The start date is after the end date." in response.content.decode()
