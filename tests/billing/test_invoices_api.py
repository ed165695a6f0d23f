"""`/api/v1/invoices/`: the site's invoices and credit notes (list, detail) and `credit-note` — the same service
as the screen; 400 for a missing reason, 409 for a second credit; permissions for every role; query counts."""

import pytest

from billing.models import Invoice
from billing.services.invoicing import invoice_issue
from servicedesk.accounts.roles import ROLE_LABELS
from tests.factories import make_staff

from .invoicing_fixtures import paid_invoice, ready_ro

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
READERS = {"advisor", "cashier", "service_manager"}  # billing.view_invoice
CREDITORS = {"cashier", "service_manager"}  # billing.issue_credit_note


@pytest.fixture
def invoice(site, advisor, cashier):
    return invoice_issue(repair_order=ready_ro(site, advisor), actor=cashier)


def test_list_and_detail_are_the_sites(client, site, other_site, cashier, invoice):
    theirs = paid_invoice(other_site, with_payment=False)
    client.force_login(cashier)
    listed = client.get("/api/v1/invoices/").json()
    assert [row["number"] for row in listed["results"]] == [invoice.number]
    assert "lines" not in listed["results"][0] and listed["results"][0]["customer_amount"] == "396.00"
    detail = client.get(f"/api/v1/invoices/{invoice.pk}/").json()
    assert detail["number"] == invoice.number and len(detail["lines"]) == 3
    assert client.get(f"/api/v1/invoices/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/invoices/{theirs.pk}/credit-note/", {"reason": "x"},
                       content_type="application/json").status_code == 404


def test_credit_note(client, site, cashier, invoice):
    client.force_login(cashier)
    url = f"/api/v1/invoices/{invoice.pk}/credit-note/"
    missing = client.post(url, {"reason": ""}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()
    created = client.post(url, {"reason": "开票错误"}, content_type="application/json")
    body = created.json()
    assert created.status_code == 201 and body["kind"] == "credit_note" and body["credits"] == invoice.pk
    assert body["gross_total"] == str(invoice.gross_total) and len(body["lines"]) == 3
    assert client.post(url, {"reason": "again"}, content_type="application/json").status_code == 409
    note_url = f"/api/v1/invoices/{body['id']}/credit-note/"
    assert client.post(note_url, {"reason": "x"}, content_type="application/json").status_code == 409
    kinds = client.get("/api/v1/invoices/", {"kind": "credit_note"}).json()["results"]
    assert [row["id"] for row in kinds] == [body["id"]]
    of_ro = client.get("/api/v1/invoices/", {"repair_order": invoice.repair_order_id}).json()["results"]
    assert {row["id"] for row in of_ro} == {invoice.pk, body["id"]}


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_every_role(client, site, invoice, role):
    client.force_login(make_staff(role=role, sites=[site]))
    assert client.get("/api/v1/invoices/").status_code == (200 if role in READERS else 403)
    assert client.get(f"/api/v1/invoices/{invoice.pk}/").status_code == (200 if role in READERS else 403)
    credit = client.post(f"/api/v1/invoices/{invoice.pk}/credit-note/", {"reason": "更正"},
                         content_type="application/json")
    assert credit.status_code == (201 if role in CREDITORS else 403)
    assert Invoice.objects.filter(kind="credit_note").exists() == (role in CREDITORS)
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"/api/v1/invoices/{invoice.pk}/").status_code in (403, 405)


def test_queries_are_constant(client, site, advisor, cashier, django_assert_num_queries):
    for _ in range(3):
        invoice_issue(repair_order=ready_ro(site, advisor), actor=cashier)
    client.force_login(cashier)
    client.get("/api/v1/invoices/")  # warm the session and the user's permissions cache
    # session, user; count, page of invoices (permissions and site: cached, servicedesk/accounts/access.py)
    with django_assert_num_queries(4) as captured:
        client.get("/api/v1/invoices/")
    page_queries = len(captured.captured_queries)  # read now: the next request empties the query log
    more = [invoice_issue(repair_order=ready_ro(site, advisor), actor=cashier) for _ in range(3)]
    client.get("/api/v1/invoices/")  # ready_ro made staff: the access is read again once
    with django_assert_num_queries(page_queries):
        assert len(client.get("/api/v1/invoices/").json()["results"]) == 6
    with django_assert_num_queries(page_queries + 1):  # detail: lines, payments; no count
        client.get(f"/api/v1/invoices/{more[0].pk}/")
