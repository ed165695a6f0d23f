"""The inspector's screens: the queue, the inspection form (pass, fail, gaps, own work), the RO page's QC tab,
and who may see them."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import ROLE_LABELS
from tests.factories import make_staff
from workshop.models import Inspection
from workshop.selectors.qc import checklist_for, jobs_to_inspect, qc_queue

from .qc_helpers import ro_in_quality_check

pytestmark = pytest.mark.django_db

INSPECTORS = {"qc_inspector", "foreman", "service_manager"}
RO_VIEWERS = {"advisor", "service_manager", "foreman", "technician", "qc_inspector", "cashier"}


@pytest.fixture
def ro(site, advisor, technician):
    return ro_in_quality_check(site, advisor, technician, operations=("BY001", "PQ001"))


def form_data(ro, *, result="pass", but=(), **extra) -> dict:
    """The inspection form as the page posts it: every check answered OK unless its text is in `but`."""
    data = {"version": ro.version, "result": result}
    for section in checklist_for(jobs_to_inspect(ro)):
        for item in section.items:
            data[f"c-{section.job_id or 0}-{item.pk}"] = "ng" if item.text in but else "ok"
    return {**data, **extra}


def inspect_url(ro):
    return reverse("workshop:qc_inspect", args=[ro.pk])


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_the_qc_screens_are_for_inspectors_and_the_tab_for_ro_viewers(client, site, ro, role):
    client.force_login(make_staff(role=role, sites=[site]))
    assert client.get(inspect_url(ro)).status_code == (200 if role in INSPECTORS else 403)
    assert client.get(reverse("workshop:qc_tab", args=[ro.pk])).status_code == (200 if role in RO_VIEWERS else 403)
    response = client.post(inspect_url(ro), form_data(ro))
    assert response.status_code == (302 if role in INSPECTORS else 403)
    assert Inspection.objects.exists() == (role in INSPECTORS)


def test_the_queue_lists_what_waits_with_a_constant_number_of_queries(client, site, advisor, technician, inspector,
                                                                      django_assert_num_queries):
    for _n in range(3):
        ro_in_quality_check(site, advisor, technician, operations=("BY001", "PQ001"))
    waiting = list(qc_queue(site=site))
    with django_assert_num_queries(2):  # the ROs with vehicle and waiting-since; their jobs with technicians
        rows = list(qc_queue(site=site))
        assert all(row.waiting_since and row.work[0].technician.profile for row in rows)
    assert len(waiting) == 3
    client.force_login(inspector)
    html = client.get(reverse("workshop:qc_queue")).content.decode()
    assert all(row.number in html and row.vehicle.plate in html for row in waiting)
    assert "更换机油机滤" in html and 'id="qc-queue"' in html


def test_a_pass_from_the_form(client, ro, inspector):
    client.force_login(inspector)
    page = client.get(inspect_url(ro)).content.decode()
    assert "仪表无故障灯" in page and "流挂" in page and "机油液位正确" in page
    response = client.post(inspect_url(ro), form_data(ro, road_test_done="on", road_test_km="3", notes="正常"))
    assert response.status_code == 302 and response.url == reverse("workshop:qc_queue")
    inspection = Inspection.objects.get()
    assert (inspection.result, inspection.road_test_km, inspection.notes) == ("passed", 3, "正常")
    assert set(ro.jobs.values_list("state", flat=True)) == {JobState.PASSED}
    assert f'data-ro="{ro.pk}"' not in client.get(reverse("workshop:qc_queue")).content.decode()


def test_a_fail_from_the_form_sends_the_job_back(client, ro, inspector, technician):
    client.force_login(inspector)
    paint = ro.jobs.get(operation__code="PQ001")
    data = form_data(ro, result="fail", but=["流挂"],
                     **{f"failed-{paint.pk}": "on", f"reason-{paint.pk}": "左前门流挂"})
    assert client.post(inspect_url(ro), data).status_code == 302
    paint.refresh_from_db(), ro.refresh_from_db()
    assert (paint.state, paint.rework_count, ro.state) == (JobState.ASSIGNED, 1, ROState.IN_PROGRESS)
    tab = client.get(reverse("workshop:qc_tab", args=[ro.pk])).content.decode()
    assert "左前门流挂" in tab and "流挂" in tab


def test_the_form_shows_what_is_missing_and_saves_nothing(client, ro, inspector):
    client.force_login(inspector)
    data = form_data(ro)
    data.pop(next(key for key in data if key.startswith("c-")))
    response = client.post(inspect_url(ro), data)
    assert response.status_code == 400 and _("Answer this check.") in response.content.decode()
    # a fail without a chosen job, and a pass with a check not OK: the service's messages on the form
    for posted in (form_data(ro, result="fail"), form_data(ro, but=["流挂"])):
        response = client.post(inspect_url(ro), posted)
        assert response.status_code == 400 and 'id="qc-errors"' in response.content.decode()
    assert not Inspection.objects.exists()


def test_a_stale_form_is_refused(client, ro, inspector):
    client.force_login(inspector)
    response = client.post(inspect_url(ro), form_data(ro, version=ro.version - 1))
    assert response.status_code == 400 and 'id="qc-errors"' in response.content.decode()
    assert not Inspection.objects.exists()


def test_the_technician_who_did_the_work_is_warned_and_refused(client, ro, technician, site):
    # A foreman who also turned a spanner on this RO.
    foreman = make_staff(role="foreman", sites=[site])
    job = ro.jobs.first()
    job.technician = foreman
    job.save(update_fields=["technician"])
    client.force_login(foreman)
    page = client.get(inspect_url(ro)).content.decode()
    assert 'id="qc-own-work"' in page
    response = client.post(inspect_url(ro), form_data(ro))
    assert response.status_code == 400 and 'id="qc-errors"' in response.content.decode()
    assert not Inspection.objects.exists()


def test_posting_to_an_ro_not_waiting_for_qc_says_why(client, ro, inspector):
    client.force_login(inspector)
    client.post(inspect_url(ro), form_data(ro))
    response = client.post(inspect_url(ro), form_data(ro), HTTP_REFERER=inspect_url(ro), follow=True)
    assert _("Quality check of %(number)s has already passed; the pre-delivery check comes next.") % {
        "number": ro.number} in response.content.decode()
    assert Inspection.objects.count() == 1


def test_the_ro_page_loads_the_qc_tab_from_the_workshop(client, ro, inspector, advisor):
    client.force_login(advisor)
    page = client.get(reverse("repair_orders:detail", args=[ro.pk])).content.decode()
    assert f'hx-get="{reverse("workshop:qc_tab", args=[ro.pk])}"' in page
    tab = client.get(reverse("workshop:qc_tab", args=[ro.pk])).content.decode()
    assert 'id="qc-tab"' in tab and inspect_url(ro) not in tab  # an advisor does not inspect
    client.force_login(inspector)
    assert inspect_url(ro) in client.get(reverse("workshop:qc_tab", args=[ro.pk])).content.decode()
