"""The pre-delivery check (交车前检查): the rules of the service, the message after commit, the screen and the API."""

import pytest
from django.urls import reverse

from billing.models import PreDeliveryCheck
from billing.services.handover import pre_delivery_check_sign
from customers.models import OutboundMessage
from repair_orders.models import RepairOrder, RepairOrderEvent
from repair_orders.workflow import ROState
from servicedesk.accounts.roles import ROLE_LABELS
from servicedesk.core.errors import ApplicationError
from tests.factories import make_staff
from workshop.models import Inspection

from .handover_helpers import ALL_CHECKS, ro_declined_everything, ro_passed_qc

# These tests read messages in English, the second language (the fixture sets the pages and services).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def passed(site, advisor, inspector):
    return ro_passed_qc(site, advisor, inspector)


def _sign(repair_order, actor, checks=ALL_CHECKS, **extra):
    return pre_delivery_check_sign(repair_order=repair_order, checks=dict(checks), notes=extra.pop("notes", ""),
                                   actor=actor, **extra)


def test_signing_makes_the_ro_ready_and_queues_the_message_once_after_commit(
        passed, advisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        check = _sign(passed, advisor, notes="旧件已放后备箱", version=passed.version)
    assert check.signed_by == advisor and check.notes == "旧件已放后备箱" and check.exterior_clean
    passed.refresh_from_db()
    assert passed.state == ROState.READY
    assert RepairOrderEvent.objects.filter(repair_order=passed, kind="ready", from_state="quality_check",
                                           to_state="ready").count() == 1
    message = OutboundMessage.objects.get()
    assert message.template_key == "vehicle_ready" and message.dedupe_key == f"vehicle-ready:{passed.pk}"
    assert passed.vehicle.plate in message.text and "300.00" in message.text  # the customer's part, not warranty
    assert len(callbacks) == 1  # the send is enqueued after commit, not before


def test_every_check_must_be_ticked_and_the_message_names_the_missing(passed, advisor):
    checks = {**ALL_CHECKS, "covers_removed": False, "belongings_returned": False}
    with pytest.raises(ApplicationError) as failure:
        _sign(passed, advisor, checks)
    assert "保护" in str(failure.value) or "protective covers removed" in str(failure.value)
    assert failure.value.extra["missing"] == ["covers_removed", "belongings_returned"]
    assert not PreDeliveryCheck.objects.exists() and not OutboundMessage.objects.exists()
    assert RepairOrder.objects.get(pk=passed.pk).state == ROState.QUALITY_CHECK


def test_a_road_test_recorded_by_qc_must_be_checked(site, advisor, inspector):
    repair_order = ro_passed_qc(site, advisor, inspector, road_test=True)
    with pytest.raises(ApplicationError) as failure:
        _sign(repair_order, advisor)
    assert failure.value.extra["missing"] == ["road_test_checked"]
    check = _sign(repair_order, advisor, {**ALL_CHECKS, "road_test_checked": True})
    assert check.road_test_checked


def test_refused_when_qc_has_not_passed(site, advisor, inspector):
    failed = ro_passed_qc(site, advisor, inspector, result=Inspection.Result.FAILED)
    with pytest.raises(ApplicationError, match="quality check|质检"):
        _sign(failed, advisor)
    RepairOrder.objects.filter(pk=failed.pk).update(state=ROState.IN_PROGRESS)
    with pytest.raises(ApplicationError) as failure:
        _sign(failed, advisor)
    assert failure.value.code == "illegal_transition"


def test_the_latest_inspection_counts(site, advisor, inspector, passed):
    Inspection.objects.create(repair_order=passed, inspector=inspector, result=Inspection.Result.FAILED)
    with pytest.raises(ApplicationError):
        _sign(passed, advisor)


def test_a_second_check_is_refused_with_who_signed(passed, advisor, manager):
    _sign(passed, advisor)
    with pytest.raises(ApplicationError) as failure:
        _sign(passed, manager)
    assert failure.value.code == "conflict" and "王顾问" in str(failure.value)
    assert PreDeliveryCheck.objects.count() == 1 and OutboundMessage.objects.count() == 1


def test_a_stale_version_is_refused(passed, advisor):
    with pytest.raises(ApplicationError) as failure:
        _sign(passed, advisor, version=passed.version - 1)
    assert failure.value.code == "stale_version"


def test_declined_everything_records_the_check_without_a_transition(site, advisor):
    repair_order = ro_declined_everything(site, advisor)
    assert repair_order.state == ROState.READY
    # Nothing was repaired or replaced: those two checks do not apply.
    checks = {**ALL_CHECKS, "faults_fixed": False, "old_parts_as_agreed": False}
    _sign(repair_order, advisor, checks)
    repair_order.refresh_from_db()
    assert repair_order.state == ROState.READY
    assert RepairOrderEvent.objects.filter(repair_order=repair_order, kind="pre_delivery_checked").exists()
    assert "80.00" in OutboundMessage.objects.get().text  # the diagnostic fee


def test_no_address_no_message_but_the_check_stands(passed, advisor):
    passed.customer.__class__.objects.filter(pk=passed.customer_id).update(mobile="", wechat_id="", email="")
    passed = RepairOrder.objects.get(pk=passed.pk)
    _sign(passed, advisor)
    assert not OutboundMessage.objects.exists()
    assert RepairOrderEvent.objects.filter(repair_order=passed, kind="ready_message_not_sent").exists()


# ---------------------------------------------------------------- screen


def test_the_panel_shows_the_checklist_and_signing_redirects_to_the_ro(client, passed, advisor):
    client.force_login(advisor)
    url = reverse("billing:handover", args=[passed.pk])
    body = client.get(url).content.decode()
    assert 'id="handover-form"' in body and "check-belongings_returned" in body
    response = client.post(reverse("billing:handover_sign", args=[passed.pk]),
                           {**dict.fromkeys(ALL_CHECKS, "1"), "version": passed.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('repair_orders:detail', args=[passed.pk])}?tab=handover"
    assert 'id="handover-signed"' in client.get(url).content.decode()


def test_a_missing_check_is_shown_on_the_form_with_the_ticks_kept(client, passed, advisor):
    client.force_login(advisor)
    posted = {**dict.fromkeys(ALL_CHECKS, "1"), "version": passed.version}
    del posted["covers_removed"]
    response = client.post(reverse("billing:handover_sign", args=[passed.pk]), posted, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="handover-error"' in body
    assert 'id="check-exterior_clean" checked' in body and 'id="check-covers_removed" checked' not in body


def test_the_ro_page_loads_the_handover_tab_from_billing(client, passed, advisor):
    client.force_login(advisor)
    body = client.get(reverse("repair_orders:detail", args=[passed.pk])).content.decode()
    assert f'hx-get="{reverse("billing:handover", args=[passed.pk])}"' in body


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_who_may_see_and_sign(client, site, passed, role):
    client.force_login(make_staff(role=role, sites=[site]))
    sees = client.get(reverse("billing:handover", args=[passed.pk])).status_code
    signs = client.post(reverse("billing:handover_sign", args=[passed.pk]), dict.fromkeys(ALL_CHECKS, "1"))
    assert sees == (200 if role in {"advisor", "service_manager", "cashier"} else 403), role
    assert signs.status_code == (302 if role in {"advisor", "service_manager"} else 403), role


# ---------------------------------------------------------------- API


def test_api_ready(client, passed, advisor, site):
    client.force_login(advisor)
    url = f"/api/v1/repair-orders/{passed.pk}/ready/"
    missing = client.post(url, {"exterior_clean": True}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["code"] == "checks_missing"
    stale = client.post(url, {**ALL_CHECKS, "version": passed.version - 1}, content_type="application/json")
    assert stale.status_code == 409
    done = client.post(url, {**ALL_CHECKS, "notes": "ok", "version": passed.version},
                       content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["repair_order_state"] == "ready" and done.json()["exterior_clean"] is True
    again = client.post(url, ALL_CHECKS, content_type="application/json")
    assert again.status_code == 409
    client.force_login(make_staff(role="technician", sites=[site]))
    assert client.post(url, ALL_CHECKS, content_type="application/json").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_advisors_signing_at_once_make_one_check_and_one_message(site, advisor, manager, inspector):
    from django.db import connection

    from tests.conftest import skip_or_fail
    from tests.integration.test_appointments_concurrency import at_once

    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL)")
    repair_order = ro_passed_qc(site, advisor, inspector)
    results = at_once(2, lambda i: _sign(RepairOrder.objects.get(pk=repair_order.pk), (advisor, manager)[i]))
    assert PreDeliveryCheck.objects.count() == 1 and OutboundMessage.objects.count() == 1
    assert sorted(type(r).__name__ for r in results) == ["ApplicationError", "PreDeliveryCheck"]
