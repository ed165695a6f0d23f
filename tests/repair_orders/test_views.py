"""The RO page and its forms: check-in, damage marks, signatures, the estimate, approval, cancelling."""

import base64
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from repair_orders.models import DamageMark, JobLine, PartLine, RepairOrder, Signature
from repair_orders.services import part_line_add, repair_order_record_walkaround
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import ROLE_LABELS
from tests.factories import make_staff

from .conftest import make_operation, make_part
from .helpers import estimated_ro, open_ro, repair_order_fixture, signature_png  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

VIEWERS = {"advisor", "service_manager", "foreman", "technician", "qc_inspector", "cashier"}
CHANGERS = {"advisor", "service_manager"}


def url(name, repair_order, **query):
    target = reverse(f"repair_orders:{name}", args=[repair_order.pk])
    return target + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def sheet(repair_order, **changes) -> dict:
    """The walk-around form as the page posts it."""
    return {"version": repair_order.version, "mileage": "15000", "fuel_level": "2", "belongings": "行车记录仪\n雨伞",
            "valuables_reminder_given": "on", "cover_seat": "on", "cover_steering_wheel": "on",
            "cover_floor_mat": "on", "cover_gear_lever": "on", "key_tag": "K-12", "concerns": "刹车有异响",
            "old_parts_disposition": "return", "payment_method": "wechat_pay", "wash_wanted": "on",
            "waiting": "0", "promised_at": "2030-05-01T17:30", **changes}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------- who sees what

@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_the_ro_page_is_for_the_roles_that_may_see_it(client, site, advisor, repair_order, role):
    client.force_login(make_staff(role=role, sites=[site]))
    response = client.get(url("detail", repair_order))
    assert response.status_code == (200 if role in VIEWERS else 403)
    if role in VIEWERS:
        html = response.content.decode()
        assert repair_order.number in html and 'id="ro-tabs"' in html
        assert f"/api/v1/repair-orders/{repair_order.pk}/work-order.pdf" in html
        assert ('id="walkaround-save"' in html) == (role in CHANGERS)
    status = client.post(url("walkaround", repair_order), sheet(repair_order)).status_code
    assert status == (302 if role in CHANGERS else 403)


# ---------------------------------------------------------------- check-in

def test_the_walk_around_is_saved_with_every_field(advisor_client, site, repair_order):
    response = advisor_client.post(url("walkaround", repair_order), sheet(repair_order))
    assert response.status_code == 302 and response.url.endswith("?tab=checkin")
    saved = RepairOrder.objects.get(pk=repair_order.pk)
    assert (saved.mileage, saved.fuel_level, saved.key_tag, saved.payment_method) == (15000, 2, "K-12", "wechat_pay")
    assert saved.belongings == ["行车记录仪", "雨伞"] and saved.cover_gear_lever and saved.wash_wanted
    assert not saved.courtesy_car and not saved.waiting and saved.version == repair_order.version + 1
    assert saved.promised_at.astimezone(ZoneInfo(site.time_zone)).strftime("%H:%M") == "17:30"  # the site's clock
    page = advisor_client.get(url("detail", repair_order, tab="checkin")).content.decode()
    assert 'value="K-12"' in page and "刹车有异响" in page


def test_a_lower_mileage_needs_the_correction_reason(advisor_client, site, advisor):
    repair_order = open_ro(site, advisor)  # the vehicle last read 10,000 km
    response = advisor_client.post(url("walkaround", repair_order), sheet(repair_order, mileage="9000"))
    assert response.status_code == 200 and 'id="mileage-correction"' in response.content.decode()
    assert response.context["walkaround_form"].errors["mileage"]
    assert RepairOrder.objects.get(pk=repair_order.pk).mileage is None  # nothing saved
    response = advisor_client.post(url("walkaround", repair_order), sheet(
        repair_order, mileage="9000", mileage_correction_reason="仪表总成更换"))
    assert response.status_code == 302 and RepairOrder.objects.get(pk=repair_order.pk).mileage == 9000


def test_a_key_tag_on_another_open_ro_is_refused(advisor_client, site, advisor):
    holder = open_ro(site, advisor)
    repair_order_record_walkaround(repair_order=holder, data={"key_tag": "K-7"}, version=None, actor=advisor)
    repair_order = open_ro(site, advisor)
    response = advisor_client.post(url("walkaround", repair_order), sheet(repair_order, key_tag="K-7"))
    errors = response.context["walkaround_form"].errors["key_tag"]
    assert response.status_code == 200 and holder.number in errors[0]
    assert RepairOrder.objects.get(pk=repair_order.pk).key_tag == ""


def test_a_stale_sheet_says_who_changed_it_and_overwrites_nothing(advisor_client, site, advisor, manager):
    repair_order = open_ro(site, advisor)
    repair_order_record_walkaround(repair_order=repair_order, data={"concerns": "经理写的"}, version=None,
                                   actor=manager)
    response = advisor_client.post(url("walkaround", repair_order), sheet(repair_order, concerns="顾问写的"))
    html = response.content.decode()
    assert response.status_code == 200 and "李经理" in html and 'id="walkaround-errors"' in html
    assert "顾问写的" in html  # what was typed is still on the form
    assert RepairOrder.objects.get(pk=repair_order.pk).concerns == "经理写的"


def test_damage_marks_are_added_and_removed_on_the_diagram(advisor_client, repair_order):
    response = advisor_client.post(url("damage_add", repair_order), {"x": "25.5", "y": "40", "kind": "scratch",
                                                                     "note": "左前门"}, HTTP_HX_REQUEST="true")
    mark = DamageMark.objects.get(repair_order=repair_order)
    html = response.content.decode()
    assert 'id="damage-diagram"' in html and f'data-mark="{mark.pk}"' in html and "左前门" in html
    assert f'data-version="{repair_order.version + 1}"' in html  # the page's forms follow (ro.js)
    refused = advisor_client.post(url("damage_add", repair_order), {"kind": "dent"}, HTTP_HX_REQUEST="true")
    assert _("Tap the diagram where the damage is.") in refused.content.decode()
    advisor_client.post(url("damage_remove", repair_order), {"mark": mark.pk}, HTTP_HX_REQUEST="true")
    assert not DamageMark.objects.exists()


def test_the_customer_signs_the_check_in_sheet(advisor_client, repair_order):
    response = advisor_client.post(url("sign_check_in", repair_order), {
        "version": repair_order.version, "signer_name": "张伟", "signature": data_url(signature_png())})
    assert response.status_code == 302
    signature = Signature.objects.get(repair_order=repair_order)
    assert (signature.kind, signature.signer_name) == (Signature.Kind.CHECK_IN, "张伟")
    assert 'id="check-in-signed"' in advisor_client.get(url("detail", repair_order)).content.decode()


def test_an_unsigned_pad_is_refused_clearly(advisor_client, repair_order):
    for signature in ("", data_url(signature_png(blank=True))):
        response = advisor_client.post(url("sign_check_in", repair_order), {
            "version": repair_order.version, "signer_name": "张伟", "signature": signature})
        assert response.status_code == 200
        assert _("The customer has not signed yet.") in response.content.decode()
    assert not Signature.objects.exists()


# ---------------------------------------------------------------- the work order

def test_jobs_come_from_the_labour_book_a_package_or_free_text(advisor_client, site, repair_order, oil_service):
    brakes = make_operation("ZD001", name="更换前刹车片", hours="1.2", category="mechanical")
    search = advisor_client.get(url("operation_search", repair_order), {"q": "刹车"}, HTTP_HX_REQUEST="true")
    assert "ZD001" in search.content.decode()
    advisor_client.post(url("add_operation", repair_order), {"operation": brakes.pk, "pay_type": "customer"})
    advisor_client.post(url("add_package", repair_order), {"package": oil_service.pk, "pay_type": "customer"})
    response = advisor_client.post(url("add_free_text", repair_order), {
        "description": "检查异响", "hours": "0.5", "labour_price": "100", "pay_type": "customer"})
    assert response.status_code == 302 and response.url.endswith("?tab=work")
    jobs = list(JobLine.objects.filter(repair_order=repair_order).values_list("description", flat=True))
    assert jobs == ["更换前刹车片", "5000公里保养", "检查异响"]
    assert PartLine.objects.filter(job_line__repair_order=repair_order).count() == 2  # the package's parts
    page = advisor_client.get(url("detail", repair_order, tab="work"))
    assert page.context["totals"].gross > 0 and "5000公里保养" in page.content.decode()


def test_a_free_text_job_without_a_description_is_refused(advisor_client, repair_order):
    response = advisor_client.post(url("add_free_text", repair_order), {
        "description": "", "hours": "0", "labour_price": "100", "pay_type": "customer"})
    assert response.status_code == 200 and response.context["free_text_form"].errors["description"]
    assert not JobLine.objects.exists()


def test_parts_are_searched_with_availability_and_added_to_a_job(advisor_client, site, advisor):
    repair_order = estimated_ro(site, advisor)
    job = repair_order.jobs.get()
    pads = make_part(site, "BP-100", name="前刹车片", sale_price="320.00")
    search = advisor_client.get(url("part_search", repair_order), {"part_q": "BP-1"}, HTTP_HX_REQUEST="true")
    assert f'value="{pads.pk}"' in search.content.decode()
    response = advisor_client.post(url("add_part", repair_order), {
        "job_line": job.pk, "part": pads.pk, "quantity": "1", "source": ""})
    assert response.status_code == 302
    line = PartLine.objects.get(job_line=job)
    assert (line.part, line.unit_price) == (pads, Decimal("320.00"))
    refused = advisor_client.post(url("add_part", repair_order), {"job_line": job.pk, "quantity": "1"})
    assert refused.status_code == 200 and 'id="part-errors"' in refused.content.decode()


def _submitted(advisor_client, site, advisor):
    repair_order = estimated_ro(site, advisor, operations=("BY001", "ZD001"))
    response = advisor_client.post(url("submit_estimate", repair_order), {"version": repair_order.version})
    assert response.status_code == 302
    repair_order.refresh_from_db()
    assert repair_order.state == ROState.AWAITING_APPROVAL
    return repair_order, list(repair_order.jobs.order_by("pk"))


def test_the_customer_approves_one_line_and_declines_another(advisor_client, site, advisor):
    repair_order, (oil, brakes) = _submitted(advisor_client, site, advisor)
    page = advisor_client.get(url("detail", repair_order, tab="work")).content.decode()
    assert 'id="approval-form"' in page
    response = advisor_client.post(url("approve", repair_order), {
        "version": repair_order.version, "signer_name": "张伟", "signature": data_url(signature_png()),
        f"decision_{oil.pk}": "approve", f"decision_{brakes.pk}": "decline"})
    assert response.status_code == 302
    repair_order.refresh_from_db()
    oil.refresh_from_db()
    brakes.refresh_from_db()
    assert (repair_order.state, oil.state, brakes.state) == (ROState.APPROVED, JobState.APPROVED, JobState.DECLINED)
    page = advisor_client.get(url("detail", repair_order, tab="work")).content.decode()
    assert 'id="recommendations"' in page and 'id="work-order-signed"' in page


def test_an_approval_without_a_signature_changes_nothing(advisor_client, site, advisor):
    repair_order, (oil, _brakes) = _submitted(advisor_client, site, advisor)
    response = advisor_client.post(url("approve", repair_order), {
        "version": repair_order.version, "signer_name": "张伟", "signature": "", f"decision_{oil.pk}": "approve"})
    assert response.status_code == 200 and _("The customer has not signed yet.") in response.content.decode()
    repair_order.refresh_from_db()
    assert repair_order.state == ROState.AWAITING_APPROVAL and not Signature.objects.exists()


def test_submitting_an_empty_estimate_says_why(advisor_client, repair_order):
    response = advisor_client.post(url("submit_estimate", repair_order), {"version": repair_order.version},
                                   HTTP_REFERER=url("detail", repair_order), follow=True)
    assert _("Add at least one job before submitting the estimate.") in messages_of(response)
    assert RepairOrder.objects.get(pk=repair_order.pk).state == ROState.CHECKED_IN


def test_cancelling_needs_a_reason(advisor_client, repair_order):
    response = advisor_client.post(url("cancel", repair_order), {"version": repair_order.version, "reason": ""},
                                   HTTP_REFERER=url("detail", repair_order), follow=True)
    assert _("Say why the repair order is cancelled.") in messages_of(response)
    advisor_client.post(url("cancel", repair_order), {"version": repair_order.version, "reason": "客户改期"})
    assert RepairOrder.objects.get(pk=repair_order.pk).state == ROState.CANCELLED


# ---------------------------------------------------------------- query counts

def _ro_with(site, advisor, *, jobs: int, parts_per_job: int):
    repair_order = estimated_ro(site, advisor, operations=[f"OP{n:03d}" for n in range(jobs)])
    parts = [make_part(site, f"P-{jobs}-{n:03d}") for n in range(parts_per_job)]
    for job in repair_order.jobs.all():
        for part in parts:
            part_line_add(job_line=job, part=part, quantity=1, actor=advisor)
    repair_order.refresh_from_db()
    return repair_order


def test_the_ro_page_runs_the_same_queries_for_a_small_and_a_large_ro(advisor_client, site, advisor, oil_service):
    small = _ro_with(site, advisor, jobs=1, parts_per_job=1)
    large = _ro_with(site, advisor, jobs=20, parts_per_job=2)  # 20 jobs, 40 parts lines
    for repair_order in (small, large):
        repair_order_record_walkaround(repair_order=repair_order, data={"key_tag": f"K{repair_order.pk}"},
                                       version=None, actor=advisor)
    advisor_client.get(url("detail", small))  # warm the per-process caches
    counts = []
    for repair_order in (small, large):
        # The request's own two (session, user; the user's permissions, roles and sites are cached); the RO
        # with its parties, its jobs, their parts lines (with part, reservation, shortage), signatures, events
        # with their actors; the site's packages (the menu). Rendered, not from the cache: the URL (tab=work)
        # differs from the warm-up's. The check-in
        # tab's damage marks only when the page opens on it (test_the_check_in_tab_comes_when_shown).
        with CaptureQueriesContext(connection) as captured:
            response = advisor_client.get(url("detail", repair_order, tab="work"))
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert PartLine.objects.filter(job_line__repair_order=large).count() == 40
    fingerprint = 1 if connection.vendor == "postgresql" else 0  # the page cache's key (repair_orders/page_cache.py)
    assert counts == [8 + fingerprint] * 2, counts
