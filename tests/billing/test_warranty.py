"""Warranty claims (索赔): opened from an invoice's warranty lines, the maker's answers, the clerk's screens, API."""

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import Invoice, WarrantyClaim, WarrantyClaimEvent
from billing.services.warranty import claim_approve, claim_pay, claim_reject, claim_submit, claims_open_for_invoice
from servicedesk.accounts.roles import ROLE_LABELS
from servicedesk.core.errors import ApplicationError
from tests.factories import make_staff

from .handover_helpers import invoice_row, ro_passed_qc

pytestmark = pytest.mark.django_db
Status = WarrantyClaim.Status


@pytest.fixture
def invoiced(site, advisor, inspector, cashier):
    """An invoice with a customer job and two warranty jobs (labour and parts lines)."""
    repair_order = ro_passed_qc(site, advisor, inspector, jobs=[
        ("更换刹车片", "300.00", "customer", "0", []), ("更换水泵(索赔)", "200.00", "warranty", "0", []),
        ("更换节温器(索赔)", "150.00", "warranty", "0", [])])
    customer_job, pump, thermostat = repair_order.jobs.order_by("pk")
    return invoice_row(repair_order, cashier, lines=[
        (customer_job, "labour", "customer", "300.00"), (pump, "labour", "warranty", "200.00"),
        (pump, "part", "warranty", "380.50"), (pump, "part", "warranty", "19.50"),
        (thermostat, "labour", "warranty", "150.00"), (None, "fee", "warranty", "10.00")])


def test_one_draft_claim_per_warranty_job_with_its_amounts_and_a_second_call_creates_nothing(invoiced, cashier):
    claims = claims_open_for_invoice(invoice=invoiced, actor=cashier)
    assert [(c.job_line.description, c.labour_amount, c.parts_amount, c.status) for c in claims] == [
        ("更换水泵(索赔)", Decimal("200.00"), Decimal("400.00"), Status.DRAFT),
        ("更换节温器(索赔)", Decimal("150.00"), Decimal("0.00"), Status.DRAFT)]
    assert WarrantyClaimEvent.objects.filter(to_state=Status.DRAFT, from_state="").count() == 2
    assert claims_open_for_invoice(invoice=invoiced, actor=cashier) == []
    assert WarrantyClaim.objects.count() == 2


def test_a_credit_note_opens_no_claims(invoiced, cashier):
    credit_note = invoice_row(invoiced.repair_order, cashier, kind=Invoice.Kind.CREDIT_NOTE, credits=invoiced)
    assert claims_open_for_invoice(invoice=credit_note, actor=cashier) == []


@pytest.fixture
def claim(invoiced, cashier):
    return claims_open_for_invoice(invoice=invoiced, actor=cashier)[0]


def test_the_whole_way_to_paid_with_events(claim, advisor):
    claim = claim_submit(claim=claim, maker_reference=" VW-2025-001 ", actor=advisor, version=claim.version)
    assert claim.status == Status.SUBMITTED and claim.maker_reference == "VW-2025-001" and claim.version == 2
    claim = claim_approve(claim=claim, actor=advisor, version=claim.version)
    claim = claim_pay(claim=claim, paid_amount="580.00", actor=advisor)
    assert claim.status == Status.PAID and claim.paid_amount == Decimal("580.00")
    assert list(claim.events.values_list("from_state", "to_state")) == [
        ("", "draft"), ("draft", "submitted"), ("submitted", "approved"), ("approved", "paid")]


def test_rejected_needs_a_reason_and_may_be_submitted_again(claim, advisor):
    claim = claim_submit(claim=claim, maker_reference="R1", actor=advisor)
    with pytest.raises(ApplicationError) as failure:
        claim_reject(claim=claim, reason="  ", actor=advisor)
    assert failure.value.field == "reason"
    claim = claim_reject(claim=claim, reason="缺少旧件照片", actor=advisor)
    assert claim.status == Status.REJECTED and claim.rejection_reason == "缺少旧件照片"
    claim = claim_submit(claim=claim, maker_reference="R2", actor=advisor)
    assert claim.status == Status.SUBMITTED and claim.maker_reference == "R2" and claim.rejection_reason == ""
    assert claim.events.filter(to_state="rejected", data__reason="缺少旧件照片").exists()


@pytest.mark.parametrize("step", ["approve", "pay", "reject"])
def test_illegal_steps_from_draft_are_conflicts(claim, advisor, step):
    services = {"approve": lambda: claim_approve(claim=claim, actor=advisor),
                "pay": lambda: claim_pay(claim=claim, paid_amount=1, actor=advisor),
                "reject": lambda: claim_reject(claim=claim, reason="x", actor=advisor)}
    with pytest.raises(ApplicationError) as failure:
        services[step]()
    assert failure.value.code == "illegal_transition"
    assert WarrantyClaim.objects.get(pk=claim.pk).status == Status.DRAFT


def test_bad_input_and_stale_versions(claim, advisor):
    with pytest.raises(ApplicationError, match="reference|索赔"):
        claim_submit(claim=claim, maker_reference="", actor=advisor)
    with pytest.raises(ApplicationError) as failure:
        claim_submit(claim=claim, maker_reference="R1", actor=advisor, version=claim.version + 1)
    assert failure.value.code == "stale_version"
    claim = claim_approve(claim=claim_submit(claim=claim, maker_reference="R1", actor=advisor), actor=advisor)
    for amount in (None, "", 0, "-5"):
        with pytest.raises(ApplicationError) as failure:
            claim_pay(claim=claim, paid_amount=amount, actor=advisor)
        assert failure.value.field == "paid_amount"
    assert WarrantyClaim.objects.get(pk=claim.pk).status == Status.APPROVED


# ---------------------------------------------------------------- screens


def _many_claims(site, advisor, inspector, cashier, count):
    repair_order = ro_passed_qc(site, advisor, inspector, jobs=[
        (f"索赔项目{n}", "100.00", "warranty", "0", []) for n in range(count)])
    invoice = invoice_row(repair_order, cashier, lines=[(job, "labour", "warranty", "100.00")
                                                        for job in repair_order.jobs.all()])
    return claims_open_for_invoice(invoice=invoice, actor=cashier)


def test_claims_list_filters_totals_outstanding_in_constant_queries(
        client, site, advisor, inspector, cashier, django_assert_num_queries):
    claims = _many_claims(site, advisor, inspector, cashier, 4)
    claim_approve(claim=claim_submit(claim=claims[0], maker_reference="A", actor=advisor), actor=advisor)
    claim_submit(claim=claims[1], maker_reference="B", actor=advisor)
    claim_pay(claim=claim_approve(claim=claim_submit(claim=claims[2], maker_reference="C", actor=advisor),
                                  actor=advisor), paid_amount=100, actor=advisor)
    client.force_login(advisor)
    url = reverse("billing:claim_list")
    client.get(url)  # the user's access (permissions, roles, sites) read once, then cached
    # session, user, claims count (paginator), totals per status and outstanding, the page of claims
    with django_assert_num_queries(5):
        body = client.get(url).content.decode()
    assert "¥200.00" in body  # submitted + approved, the paid one is not outstanding
    _many_claims(site, advisor, inspector, cashier, 6)
    client.get(url)  # new staff renewed the access stamp
    with django_assert_num_queries(5):
        client.get(url)
    only_paid = client.get(url, {"status": "paid"}).context["page"]
    assert [c.status for c in only_paid] == ["paid"]


def test_claim_detail_actions(client, claim, advisor):
    client.force_login(advisor)
    act = reverse("billing:claim_act", args=[claim.pk])
    response = client.post(act, {"action": "submit", "maker_reference": "", "version": claim.version}, follow=True)
    assert "索赔" in response.content.decode() or "reference" in response.content.decode()
    client.post(act, {"action": "submit", "maker_reference": "VW-9", "version": claim.version})
    client.post(act, {"action": "reject", "reason": "超出保修期"})
    body = client.get(reverse("billing:claim_detail", args=[claim.pk])).content.decode()
    assert "超出保修期" in body and "VW-9" in body
    assert WarrantyClaim.objects.get(pk=claim.pk).status == Status.REJECTED


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_only_advisors_and_managers_manage_claims(client, site, claim, role):
    client.force_login(make_staff(role=role, sites=[site]))
    allowed = role in {"advisor", "service_manager"}
    assert client.get(reverse("billing:claim_list")).status_code == (200 if allowed else 403)
    assert client.get(reverse("billing:claim_detail", args=[claim.pk])).status_code == (200 if allowed else 403)
    assert client.get("/api/v1/warranty-claims/").status_code == (200 if allowed else 403)


def test_api_claims(client, claim, advisor):
    client.force_login(advisor)
    rows = client.get("/api/v1/warranty-claims/", {"status": "draft"}).json()["results"]
    assert claim.pk in [row["id"] for row in rows] and {row["status"] for row in rows} == {"draft"}
    base = f"/api/v1/warranty-claims/{claim.pk}"
    assert client.post(f"{base}/approve/", {}, content_type="application/json").status_code == 409
    missing = client.post(f"{base}/submit/", {"maker_reference": ""}, content_type="application/json")
    assert missing.status_code == 400 and "maker_reference" in missing.json()
    done = client.post(f"{base}/submit/", {"maker_reference": "VW-1", "version": 1}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert client.post(f"{base}/approve/", {"version": 1}, content_type="application/json").status_code == 409
    assert client.post(f"{base}/approve/", {"version": 2}, content_type="application/json").status_code == 200
    paid = client.post(f"{base}/pay/", {"paid_amount": "600.00"}, content_type="application/json")
    assert paid.json()["status"] == "paid" and paid.json()["paid_amount"] == "600.00"


def test_admin_reads_claims_with_their_events_and_edits_schedules(client, claim, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(admin_user)
    page = client.get(reverse("admin:billing_warrantyclaim_change", args=[claim.pk]))
    assert page.status_code == 200 and "INV-T" in page.content.decode()  # the event's invoice number, inline
    for name in ("warrantyclaim", "maintenanceschedule", "customeraccount"):
        assert client.get(reverse(f"admin:billing_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:billing_maintenanceschedule_add")).status_code == 200
