"""/api/v1/repair-orders/: walk-in, the walk-around, the estimate's lines, approval with the signature, cancel;
400 for bad input, 409 for a stale version or an illegal transition, 404 for another site's RO, 403 by role."""

import base64
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from repair_orders.models import JobLine, RepairOrder
from repair_orders.services.common import site_today
from servicedesk.accounts.roles import CUSTOMER_CARE, PARTS_CLERK, SERVICE_MANAGER, TECHNICIAN
from tests.factories import CustomerFactory, VehicleFactory, make_staff

from .conftest import make_operation, make_part
from .helpers import estimated_ro, open_ro, signature_png

pytestmark = pytest.mark.django_db
URL = "/api/v1/repair-orders/"
JSON = {"content_type": "application/json"}


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def post(client, url, body):
    return client.post(url, body, **JSON)


def test_a_walk_in_opens_a_checked_in_ro_and_reads_back_whole(advisor_client, site, advisor):
    vehicle = VehicleFactory(owner=CustomerFactory(site=site, name="张伟"), mileage=10000)
    response = post(advisor_client, URL, {"customer": vehicle.owner_id, "vehicle": vehicle.pk, "ro_type": "repair",
                                          "concerns": "刹车异响", "waiting": True,
                                          "promised_at": "2026-03-03T17:00+08:00"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("SH01-") and body["state"] == "checked_in" and body["version"] == 1
    assert body["advisor"] == advisor.pk and body["customer_name"] == "张伟" and body["waiting"] is True
    assert body["jobs"] == [] and body["totals"]["gross"] == "0.00"
    assert body["documents"]["work_order"] == f"{URL}{body['id']}/work-order.pdf"
    assert advisor_client.get(f"{URL}{body['id']}/").json()["concerns"] == "刹车异响"


def test_a_walk_in_with_another_sites_vehicle_is_a_400_on_that_field(advisor_client, site, other_site):
    theirs = VehicleFactory(owner=CustomerFactory(site=other_site))
    response = post(advisor_client, URL, {"customer": CustomerFactory(site=site).pk, "vehicle": theirs.pk})
    assert response.status_code == 400 and "vehicle" in response.json()
    mismatch = post(advisor_client, URL, {"customer": CustomerFactory(site=site).pk,
                                          "vehicle": VehicleFactory(owner=CustomerFactory(site=site)).pk,
                                          "ro_type": "comeback"})
    assert mismatch.status_code == 400 and "comeback_of" in mismatch.json()
    assert not RepairOrder.objects.exists()


def test_the_list_filters_by_state_date_and_number_or_plate(advisor_client, site, advisor, other_site):
    first = open_ro(site, advisor, vehicle=VehicleFactory(owner__site=site, plate="沪A12345"))
    second = open_ro(site, advisor)
    RepairOrder.objects.filter(pk=second.pk).update(state="approved")
    open_ro(other_site, make_staff(role="advisor", sites=[other_site]))
    ids = lambda **params: [row["id"] for row in advisor_client.get(URL, params).json()["results"]]  # noqa: E731
    assert ids() == [second.pk, first.pk]
    assert ids(state="checked_in") == [first.pk]
    assert ids(search="a123") == [first.pk] and ids(search=second.number[-6:]) == [second.pk]
    assert ids(date=site_today(site).isoformat()) == [second.pk, first.pk]
    assert ids(date="2001-01-01") == []
    assert advisor_client.get(URL, {"date": "yesterday"}).status_code == 400


def test_the_list_runs_the_same_queries_however_long(advisor_client, site, advisor):
    open_ro(site, advisor)
    advisor_client.get(URL)  # the user's access, read once, then cached
    with CaptureQueriesContext(connection) as one:
        advisor_client.get(URL)
    for _ in range(5):
        open_ro(site, advisor)
    with CaptureQueriesContext(connection) as six:
        assert len(advisor_client.get(URL).json()["results"]) == 6
    assert len(six) == len(one)


def test_walk_around_estimate_and_signed_approval(advisor_client, site, advisor, oil_service):
    repair_order = open_ro(site, advisor)
    base = f"{URL}{repair_order.pk}/"
    walked = post(advisor_client, base + "walk-around/", {
        "version": 1, "mileage": 12000, "fuel_level": 2, "key_tag": "K07", "belongings": ["行车记录仪", "雨伞"],
        "cover_seat": True, "cover_floor_mat": True, "old_parts_disposition": "return", "payment_method": "wechat_pay",
        "wash_wanted": True})
    assert walked.status_code == 200, walked.json()
    assert (walked.json()["mileage"], walked.json()["key_tag"], walked.json()["version"]) == (12000, "K07", 2)
    mark = post(advisor_client, base + "damage-marks/", {"x": "20.5", "y": "30", "kind": "scratch", "note": "左前门"})
    assert mark.status_code == 201 and mark.json()["damage_marks"][0]["kind"] == "scratch"

    operation = make_operation("JX100", name="更换刹车片", hours="1.2")
    by_operation = post(advisor_client, base + "jobs/", {"operation": operation.pk})
    assert by_operation.status_code == 201, by_operation.json()
    assert by_operation.json()["labour_price"] == "360.00" and by_operation.json()["state"] == "proposed"
    by_package = post(advisor_client, base + "jobs/", {"package": oil_service.pk})
    assert by_package.status_code == 201 and len(by_package.json()["part_lines"]) == 2
    free = post(advisor_client, base + "jobs/", {"description": "空调除味", "labour_price": "120", "hours": "0.5"})
    assert free.status_code == 201 and free.json()["description"] == "空调除味"
    part = make_part(site, "BP-01", name="前刹车片", sale_price="450.00", brand="博世")
    line = post(advisor_client, base + "parts/", {"job": by_operation.json()["id"], "part": part.pk, "quantity": "1"})
    assert line.status_code == 201, line.json()
    assert (line.json()["brand"], line.json()["unit_price"]) == ("博世", "450.00")

    version = line.json()["repair_order_version"]
    submitted = post(advisor_client, base + "submit-estimate/", {"version": version})
    assert submitted.status_code == 200 and submitted.json()["state"] == "awaiting_approval"
    approved = post(advisor_client, base + "approve/", {
        "version": submitted.json()["version"], "signer_name": "张伟",
        "approved_line_ids": [by_operation.json()["id"], by_package.json()["id"]],
        "signature": data_url(signature_png())})
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    states = {job["id"]: job["state"] for job in body["jobs"]}
    assert body["state"] == "approved" and states[free.json()["id"]] == "declined"
    assert {s["kind"] for s in body["signatures"]} == {"work_order", "recommendations"}
    # prices include VAT: the gross is what the approved lines cost, the declined one costs nothing
    assert Decimal(body["totals"]["gross"]) == sum(job_total(job) for job in body["jobs"] if job["state"] == "approved")


def job_total(job) -> Decimal:
    parts = sum((Decimal(p["unit_price"]) * Decimal(p["quantity"]) - Decimal(p["discount"])
                 for p in job["part_lines"]), Decimal("0"))
    return Decimal(job["labour_price"]) - Decimal(job["discount"]) + parts


def test_a_stale_version_and_an_illegal_transition_are_409s(advisor_client, site, advisor):
    repair_order = estimated_ro(site, advisor)
    base = f"{URL}{repair_order.pk}/"
    stale = post(advisor_client, base + "walk-around/", {"version": repair_order.version - 1, "key_tag": "K1"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    early = post(advisor_client, base + "approve/", {"version": repair_order.version, "approved_line_ids": [],
                                                      "signer_name": "张伟", "signature": data_url(signature_png())})
    assert early.status_code == 409 and early.json()["code"] == "illegal_transition"
    assert post(advisor_client, base + "cancel/", {"reason": "客户改期"}).json()["state"] == "cancelled"
    again = post(advisor_client, base + "cancel/", {"reason": "再次"})
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    assert RepairOrder.objects.get(pk=repair_order.pk).key_tag == ""


def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(advisor_client, site, advisor):
    repair_order = estimated_ro(site, advisor)
    base = f"{URL}{repair_order.pk}/"
    version = repair_order.version
    cases = [
        ("walk-around/", {"mileage": 9000}, "version"),
        ("walk-around/", {"version": version, "mileage": 9000}, "mileage"),  # lower than the last reading
        ("walk-around/", {"version": version, "fuel_level": 9}, "fuel_level"),
        ("cancel/", {}, "reason"),
        ("jobs/", {}, "operation"),
        ("jobs/", {"description": "清洗节气门"}, "labour_price"),
        ("jobs/", {"operation": make_operation("X1").pk, "description": "两个"}, "operation"),
        ("parts/", {"job": 999999, "part": make_part(site).pk, "quantity": "1"}, "job"),
        ("damage-marks/", {"x": "120", "y": "5", "kind": "dent"}, "x"),
        ("sign-check-in/", {"signer_name": "张伟", "signature": "not a data url"}, "signature"),
        ("sign-check-in/", {"signer_name": "张伟", "signature": data_url(signature_png(blank=True))}, "signature"),
    ]
    for path, body, field in cases:
        response = post(advisor_client, base + path, body)
        assert response.status_code == 400 and field in response.json(), (path, body, response.json())
    assert RepairOrder.objects.get(pk=repair_order.pk).version == version


def test_approval_without_a_signature_is_refused(advisor_client, site, advisor):
    repair_order = estimated_ro(site, advisor)
    base = f"{URL}{repair_order.pk}/"
    submitted = post(advisor_client, base + "submit-estimate/", {"version": repair_order.version}).json()
    job = submitted["jobs"][0]["id"]
    for signature in ("", data_url(signature_png(blank=True)), data_url(b"not a png")):
        response = post(advisor_client, base + "approve/", {"version": submitted["version"], "approved_line_ids": [job],
                                                             "signer_name": "张伟", "signature": signature})
        assert response.status_code == 400 and "signature" in response.json(), response.json()
    assert JobLine.objects.get(pk=job).state == "proposed"


def test_another_sites_repair_order_is_not_found(client, site, other_site):
    theirs = open_ro(other_site, make_staff(role="advisor", sites=[other_site]))
    client.force_login(make_staff(role=SERVICE_MANAGER, sites=[site]))
    base = f"{URL}{theirs.pk}/"
    assert client.get(base).status_code == 404
    for path in ("walk-around/", "submit-estimate/", "approve/", "cancel/", "jobs/", "parts/"):
        assert post(client, base + path, {"version": 1, "reason": "x"}).status_code == 404, path
    assert client.get(base + "work-order.pdf").status_code == 404
    assert client.get(URL).json()["results"] == []


@pytest.mark.parametrize("role, reads, writes", [
    ("advisor", True, True), (SERVICE_MANAGER, True, True), (TECHNICIAN, True, False), ("foreman", True, False),
    ("cashier", True, False), ("qc_inspector", True, False), (CUSTOMER_CARE, False, False), (PARTS_CLERK, False, False),
])
def test_roles(client, site, advisor, role, reads, writes):
    repair_order = open_ro(site, advisor)
    client.force_login(make_staff(role=role, sites=[site]))
    assert client.get(f"{URL}{repair_order.pk}/").status_code == (200 if reads else 403)
    assert client.get(URL).status_code == (200 if reads else 403)
    walked = post(client, f"{URL}{repair_order.pk}/walk-around/", {"version": repair_order.version, "key_tag": "K9"})
    assert walked.status_code == (200 if writes else 403)
    created = post(client, URL, {"customer": repair_order.customer_id, "vehicle": repair_order.vehicle_id})
    assert created.status_code == (201 if writes else 403)


def test_anonymous_and_token_access(client, site, advisor):
    from rest_framework.authtoken.models import Token

    repair_order = open_ro(site, advisor)
    assert client.get(f"{URL}{repair_order.pk}/").status_code in (401, 403)
    token = Token.objects.create(user=advisor)
    response = client.get(f"{URL}{repair_order.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["number"] == repair_order.number


def test_the_customers_answer_to_additional_work_per_job(advisor_client, site, advisor):
    repair_order = estimated_ro(site, advisor)
    base = f"{URL}{repair_order.pk}/"
    submitted = post(advisor_client, base + "submit-estimate/", {"version": repair_order.version}).json()
    post(advisor_client, base + "approve/", {"version": submitted["version"], "signer_name": "张伟",
                                             "approved_line_ids": [submitted["jobs"][0]["id"]],
                                             "signature": data_url(signature_png())})
    extra = [post(advisor_client, base + "jobs/", {"description": name, "labour_price": "150"}).json()
             for name in ("更换雨刮", "更换空调滤芯")]
    assert all(job["additional"] and job["state"] == "proposed" for job in extra)

    no_amount = post(advisor_client, f"{base}jobs/{extra[0]['id']}/approve/", {"customer_name": "张伟",
                                                                              "channel": "phone"})
    assert no_amount.status_code == 400 and "amount" in no_amount.json()
    yes = post(advisor_client, f"{base}jobs/{extra[0]['id']}/approve/",
               {"customer_name": "张伟", "channel": "phone", "amount": "150"})
    no = post(advisor_client, f"{base}jobs/{extra[1]['id']}/decline/", {"customer_name": "张伟", "channel": "wechat"})
    assert yes.status_code == 200 and no.status_code == 200, (yes.json(), no.json())
    states = {job["id"]: job["state"] for job in no.json()["jobs"]}
    assert (states[extra[0]["id"]], states[extra[1]["id"]]) == ("approved", "declined")
    again = post(advisor_client, f"{base}jobs/{extra[1]['id']}/approve/",
                 {"customer_name": "张伟", "channel": "phone", "amount": "150"})
    assert again.status_code == 409
    elsewhere = post(advisor_client, f"{URL}{open_ro(site, advisor).pk}/jobs/{extra[0]['id']}/decline/",
                     {"customer_name": "张伟", "channel": "phone"})
    assert elsewhere.status_code == 400 and "job" in elsewhere.json()


def test_the_detail_runs_the_same_queries_for_20_jobs_and_40_parts_lines(advisor_client, site, advisor):
    from repair_orders.services import job_add_free_text, part_line_add

    def grow(repair_order, jobs):
        for n in range(jobs):
            job = job_add_free_text(repair_order=repair_order, description=f"项目{n}", labour_price=Decimal("100"),
                                    actor=advisor)
            for m in range(2):
                part_line_add(job_line=job, description=f"自带件{m}", quantity=1, actor=advisor,
                              source="customer_supplied")

    small, large = open_ro(site, advisor), open_ro(site, advisor)
    grow(small, 1)
    grow(large, 20)
    advisor_client.get(f"{URL}{small.pk}/")  # the user's access, read once, then cached
    with CaptureQueriesContext(connection) as one:
        advisor_client.get(f"{URL}{small.pk}/")
    with CaptureQueriesContext(connection) as twenty:
        body = advisor_client.get(f"{URL}{large.pk}/").json()
    assert len(body["jobs"]) == 20 and sum(len(job["part_lines"]) for job in body["jobs"]) == 40
    assert len(twenty) == len(one)
