"""`POST /api/v1/repair-orders/{id}/jobs/{job_id}/start|pause|finish/`: the clocking services over the API,
400 for bad input, 409 for a state that does not allow it, 403 for roles that do not clock, 404 elsewhere."""

import pytest

from repair_orders.models import JobLine
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import ROLE_LABELS, TECHNICIAN
from tests.factories import make_staff

from .clocking_fixtures import assigned_jobs, other_site_object

pytestmark = pytest.mark.django_db


def url(job, action, pk=None):
    return f"/api/v1/repair-orders/{pk or job.repair_order_id}/jobs/{job.pk}/{action}/"


@pytest.fixture
def job(site, advisor, technician, foreman):
    return assigned_jobs(site, advisor, technician, foreman)[0]


@pytest.fixture
def api(client, technician):
    client.force_login(technician)
    return client


def test_start_pause_resume_finish(api, job):
    answer = api.post(url(job, "start"))
    assert answer.status_code == 200 and answer.json()["state"] == "in_progress"
    answer = api.post(url(job, "pause"), {"reason": "waiting_customer", "note": "等客户确认"},
                      content_type="application/json")
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["pause_reason"]) == ("paused", "waiting_customer")
    assert api.post(url(job, "start")).status_code == 200
    answer = api.post(url(job, "finish"))
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["repair_order_state"]) == ("done", ROState.QUALITY_CHECK)


def test_bad_input_is_a_400_and_an_illegal_move_a_409(api, job, site):
    answer = api.post(url(job, "finish"))
    assert (answer.status_code, answer.json()["code"]) == (400, "not_started")
    api.post(url(job, "start"))
    answer = api.post(url(job, "pause"), {"reason": "lunch"}, content_type="application/json")
    assert answer.status_code == 400 and "reason" in answer.json()
    answer = api.post(url(job, "start"))
    assert (answer.status_code, answer.json()["code"]) == (409, "illegal_transition")
    assert JobLine.objects.get(pk=job.pk).state == JobState.IN_PROGRESS


def test_someone_elses_job_is_refused(client, site, job):
    client.force_login(make_staff(role=TECHNICIAN, sites=[site], username="tech2"))
    answer = client.post(url(job, "start"))
    assert (answer.status_code, answer.json()["code"]) == (400, "not_assigned")
    assert JobLine.objects.get(pk=job.pk).state == JobState.ASSIGNED


def test_other_sites_and_other_ros_are_not_found(api, job, site, other_site, advisor, technician, foreman):
    other_ro_job = assigned_jobs(site, advisor, technician, foreman)[0]
    assert api.post(url(job, "start", pk=other_ro_job.repair_order_id)).status_code == 404
    elsewhere = other_site_object("job_line", other_site)
    assert api.post(url(elsewhere, "start")).status_code == 404
    assert JobLine.objects.filter(state=JobState.IN_PROGRESS).count() == 0


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_who_may_clock_on(client, site, advisor, foreman, role):
    """The job's technician, or a foreman / manager acting for them; nobody else."""
    allowed = {"technician", "foreman", "service_manager"}
    user = make_staff(role=role, sites=[site], username=f"u-{role}")
    technician = user if role == TECHNICIAN else make_staff(role=TECHNICIAN, sites=[site], username="assigned")
    job = assigned_jobs(site, advisor, technician, foreman)[0]
    client.force_login(user)
    answer = client.post(url(job, "start"))
    assert answer.status_code == (200 if role in allowed else 403), (role, answer.content)
    assert JobLine.objects.get(pk=job.pk).state == (JobState.IN_PROGRESS if role in allowed else JobState.ASSIGNED)
