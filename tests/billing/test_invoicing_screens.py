"""The cashier's screens and API: permissions for every role, the flow through the screens, bad input as
messages, 400/409 from the API, no way to edit an issued invoice, constant query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import Invoice, Payment
from billing.selectors import amount_due, cashier_queues, invoice_detail, settlement
from billing.services.invoicing import invoice_issue
from billing.services.payments import payment_take
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.accounts.roles import ROLE_LABELS
from tests.factories import make_staff

from .invoicing_fixtures import ready_ro

# These tests read messages in English, the second language (the fixture sets the pages and services).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
WRITERS = {"cashier", "service_manager"}


@pytest.fixture
def ro(site, advisor):
    return ready_ro(site, advisor)


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_every_role(client, site, ro, role):
    user = make_staff(role=role, sites=[site])
    client.force_login(user)
    assert client.get(reverse("billing:cashier")).status_code == (200 if role in WRITERS else 403)
    readers = WRITERS | {"advisor"}  # billing.view_invoice: the advisor follows the bill
    assert client.get(reverse("billing:settlement", args=[ro.pk])).status_code == (200 if role in readers else 403)
    response = client.post(reverse("billing:invoice_issue", args=[ro.pk]))
    assert response.status_code == (302 if role in WRITERS else 403)
    assert Invoice.objects.exists() == (role in WRITERS)
    api = client.post(f"/api/v1/repair-orders/{ro.pk}/deliver/", content_type="application/json")
    assert api.status_code == (400 if role in WRITERS else 403)  # unpaid: 400; others: not allowed


def test_the_flow_through_the_screens(client, site, ro, cashier):
    client.force_login(cashier)
    page = client.get(reverse("billing:settlement", args=[ro.pk])).content.decode()
    assert "396.00" in page and 'id="issue-invoice"' in page
    client.post(reverse("billing:invoice_issue", args=[ro.pk]))
    invoice = Invoice.objects.get()
    over = client.post(reverse("billing:payment_take", args=[ro.pk]),
                       {"invoice": invoice.pk, "method": "card", "amount": "500"}, follow=True)
    assert "more than the amount due" in over.content.decode() and not Payment.objects.exists()
    cash = client.post(reverse("billing:payment_take", args=[ro.pk]),
                       {"invoice": invoice.pk, "method": "cash", "amount": "", "tendered": "400"}, follow=True)
    assert "4.00" in cash.content.decode()  # the change
    receipt = client.get(reverse("billing:receipt", args=[Payment.objects.get().pk])).content.decode()
    assert "400.00" in receipt and invoice.number in receipt
    client.post(reverse("billing:deliver", args=[ro.pk]))
    assert RepairOrder.objects.get(pk=ro.pk).state == ROState.DELIVERED
    page = client.get(reverse("billing:settlement", args=[ro.pk])).content.decode()
    assert 'id="print-gate-pass"' in page and "edit" not in page.lower().replace("credit", "")


def test_credit_note_screen(client, site, ro, cashier):
    client.force_login(cashier)
    invoice = invoice_issue(repair_order=ro, actor=cashier)
    refused = client.post(reverse("billing:credit_note", args=[invoice.pk]), {"reason": ""}, follow=True)
    assert "why" in refused.content.decode()
    client.post(reverse("billing:credit_note", args=[invoice.pk]), {"reason": "开票错误"})
    assert Invoice.objects.filter(kind="credit_note", credits=invoice).exists()
    queues = cashier_queues(site=site)
    assert [row.repair_order.pk for row in queues.to_invoice] == [ro.pk]


def test_no_screen_or_api_edits_an_invoice(client, site, ro, manager):
    client.force_login(manager)
    invoice = invoice_issue(repair_order=ro, actor=manager)
    paths = [f"/api/v1/invoices/{invoice.pk}/", f"/billing/invoices/{invoice.pk}/edit/"]
    for path in paths:
        for method in ("put", "patch", "delete"):
            assert getattr(client, method)(path).status_code in (404, 405)
    assert client.patch(f"/api/v1/repair-orders/{ro.pk}/invoice/").status_code == 405
    assert client.delete(f"/api/v1/repair-orders/{ro.pk}/invoice/").status_code == 405


def test_api_invoice_payments_deliver(client, site, ro, cashier, other_site):
    client.force_login(cashier)
    created = client.post(f"/api/v1/repair-orders/{ro.pk}/invoice/")
    assert created.status_code == 201 and created.json()["customer_amount"] == "396.00"
    again = client.post(f"/api/v1/repair-orders/{ro.pk}/invoice/")
    assert again.status_code == 409
    invoice_id = created.json()["id"]
    over = client.post("/api/v1/payments/", {"invoice": invoice_id, "method": "wechat", "amount": "400"},
                       content_type="application/json")
    assert over.status_code == 400 and "amount" in over.json()
    paid = client.post("/api/v1/payments/", {"invoice": invoice_id, "method": "wechat", "amount": "396.00",
                                             "reference": "WX1"}, content_type="application/json")
    assert paid.status_code == 201
    assert client.post("/api/v1/payments/", {"invoice": invoice_id, "method": "card", "amount": "1"},
                       content_type="application/json").status_code == 409
    listed = client.get("/api/v1/payments/").json()["results"]
    assert [row["reference"] for row in listed] == ["WX1"]
    stale = client.post(f"/api/v1/repair-orders/{ro.pk}/deliver/", {"version": 1}, content_type="application/json")
    assert stale.status_code == 409
    delivered = client.post(f"/api/v1/repair-orders/{ro.pk}/deliver/", content_type="application/json")
    assert delivered.status_code == 201 and delivered.json()["number"].startswith("SH01-GP-")
    assert client.get(f"/api/v1/repair-orders/{ro.pk}/gate-pass.pdf").content.startswith(b"%PDF")


def test_queries_are_constant(site, advisor, cashier, django_assert_num_queries):
    rows = [ready_ro(site, advisor) for _ in range(3)]
    for ro in rows[1:]:
        invoice = invoice_issue(repair_order=ro, actor=cashier)
    payment_take(invoice=invoice, method="card", amount=invoice.customer_amount, actor=cashier)
    # ROs (customer, vehicle), jobs, part lines, live invoices, payments, ledger issues, settlement discounts
    with django_assert_num_queries(7):
        queues = cashier_queues(site=site)
    assert (len(queues.to_invoice), len(queues.to_pay), len(queues.to_deliver)) == (1, 1, 1)
    more = [ready_ro(site, advisor) for _ in range(4)]
    with django_assert_num_queries(7):
        cashier_queues(site=site)
    # invoice (site, RO, customer, issuer...), lines, payments
    with django_assert_num_queries(3):
        detail = invoice_detail(site=site, pk=invoice.pk)
        list(detail.lines.all()), list(detail.payments.all())
    # RO, invoices, lines, payments, settlement discounts, gate pass
    with django_assert_num_queries(6):
        settlement(site=site, pk=invoice.repair_order_id)
    # live invoice, payments
    with django_assert_num_queries(2):
        assert amount_due(invoice.repair_order) == Decimal("0.00")
    assert more


def test_other_sites_invoice_is_not_found(client, site, other_site, ro, cashier):
    intruder = make_staff(role="cashier", sites=[other_site])
    client.force_login(intruder)
    assert client.get(reverse("billing:settlement", args=[ro.pk])).status_code == 404
    assert client.post(reverse("billing:invoice_issue", args=[ro.pk])).status_code == 404
    assert client.post(f"/api/v1/repair-orders/{ro.pk}/invoice/").status_code == 404
    assert not Invoice.objects.exists()
