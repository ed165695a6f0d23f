"""`/api/v1/repair-orders/<pk>/qc/`: the checklist, an inspection passed or failed, 400s and 409s."""

import pytest

from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import ROLE_LABELS
from tests.factories import make_staff
from workshop.models import Inspection

from .qc_helpers import all_ok, ro_in_quality_check

pytestmark = pytest.mark.django_db

INSPECTORS = {"qc_inspector", "foreman", "service_manager"}


@pytest.fixture
def ro(site, advisor, technician):
    return ro_in_quality_check(site, advisor, technician, operations=("BY001", "JX001"))


def url(ro):
    return f"/api/v1/repair-orders/{ro.pk}/qc/"


def post(client, ro, **body):
    body = {"result": "pass", "answers": all_ok(ro), "version": ro.version, **body}
    return client.post(url(ro), body, content_type="application/json")


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_only_inspectors_record_and_read_qc(client, site, ro, role):
    client.force_login(make_staff(role=role, sites=[site]))
    assert client.get(url(ro)).status_code == (200 if role in INSPECTORS else 403)
    assert post(client, ro).status_code == (200 if role in INSPECTORS else 403)


def test_the_checklist_then_a_pass(client, ro, inspector):
    client.force_login(inspector)
    listed = client.get(url(ro)).json()
    assert listed["state"] == ROState.QUALITY_CHECK and len(listed["jobs"]) == 2
    assert {"job": None, "check": listed["checks"][0]["check"], "text": listed["checks"][0]["text"]} \
        == listed["checks"][0]
    answers = [{"job": check["job"], "check": check["check"], "ok": True} for check in listed["checks"]]
    response = client.post(url(ro), {"result": "pass", "answers": answers, "road_test_done": True, "road_test_km": 4,
                                     "version": listed["version"]}, content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == ROState.QUALITY_CHECK and body["version"] == ro.version + 1
    assert {job["state"] for job in body["jobs"]} == {JobState.PASSED}
    history = client.get(url(ro)).json()
    assert history["checks"] == [] and history["inspections"][0]["result"] == "passed"


def test_a_fail_sends_the_job_back(client, ro, inspector, technician):
    client.force_login(inspector)
    brakes = ro.jobs.get(operation__code="JX001")
    response = post(client, ro, result="fail", answers=all_ok(ro, but=[(brakes.pk, "无异响、无异常振动")]),
                    failed_jobs=[{"job": brakes.pk, "reason": "刹车异响未排除"}])
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == ROState.IN_PROGRESS
    brakes.refresh_from_db()
    assert (brakes.state, brakes.technician, brakes.rework_count) == (JobState.ASSIGNED, technician, 1)
    inspections = client.get(url(ro)).json()["inspections"]
    assert inspections[0]["sent_back"] == [{"job": brakes.pk, "reason": "刹车异响未排除"}]
    assert [a["remark"] for a in inspections[0]["answers"] if not a["ok"]] == ["不合格"]


def test_bad_input_is_a_400_and_changes_nothing(client, ro, inspector, technician):
    client.force_login(inspector)
    assert post(client, ro, answers=all_ok(ro)[1:]).status_code == 400  # a check unanswered
    assert post(client, ro, result="maybe").status_code == 400
    assert post(client, ro, result="fail").status_code == 400  # no failed job
    response = post(client, ro, road_test_km=5)
    assert response.status_code == 400 and "road_test_km" in response.json()
    client.force_login(technician)
    technician.user_permissions.add(*inspector.groups.get().permissions.all())
    response = post(client, ro)
    assert response.status_code == 400 and response.json()["code"] == "own_work"
    assert not Inspection.objects.exists()


def test_a_stale_version_or_the_wrong_state_is_a_409(client, ro, inspector):
    client.force_login(inspector)
    response = post(client, ro, version=ro.version - 1)
    assert response.status_code == 409 and response.json()["code"] == "stale_version"
    assert post(client, ro).status_code == 200
    assert post(client, ro, version=None).status_code == 409  # already passed
