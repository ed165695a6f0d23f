"""The technician's screen: my jobs today (constant queries, no prices or mobiles unless the site allows), its
buttons, extra work with photos, and the foreman's review of clocks the nightly scan stopped."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from repair_orders.models import JobLine, Photo
from repair_orders.workflow import JobState
from servicedesk.accounts.roles import TECHNICIAN
from servicedesk.core.models import Notification
from tests.factories import make_staff
from tests.repair_orders.test_photos import jpeg_bytes
from workshop.models import TimeEntry, WorkshopSettings
from workshop.services.clocking import close_forgotten_entries, job_start

from .clocking_fixtures import assigned_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech_client(client, technician):
    client.force_login(technician)
    return client


@pytest.fixture
def job(site, advisor, technician, foreman):
    return assigned_jobs(site, advisor, technician, foreman)[0]


def page(client):
    response = client.get(reverse("workshop:my_jobs"))
    assert response.status_code == 200
    return response.content.decode()


def test_my_jobs_show_the_car_and_the_work_but_no_prices_or_mobiles(tech_client, job):
    job.repair_order.customer.mobile = "13800138000"
    job.repair_order.customer.save()
    JobLine.objects.filter(pk=job.pk).update(labour_price="388.00")
    html = page(tech_client)
    assert job.description in html and job.repair_order.vehicle.plate in html and f'id="start-{job.pk}"' in html
    assert "13800138000" not in html and "¥388" not in html


def test_the_site_may_show_prices_and_mobiles(tech_client, job, site):
    WorkshopSettings.objects.create(site=site, technicians_see_prices=True, technicians_see_mobiles=True)
    job.repair_order.customer.mobile = "13800138000"
    job.repair_order.customer.save()
    JobLine.objects.filter(pk=job.pk).update(labour_price="388.00")
    html = page(tech_client)
    assert "13800138000" in html and "¥388.00" in html


def test_the_page_reads_a_constant_number_of_queries(tech_client, site, advisor, technician, foreman):
    assigned_jobs(site, advisor, technician, foreman)
    page(tech_client)  # the user's access, read once, then cached
    with CaptureQueriesContext(connection) as one:
        page(tech_client)
    assigned_jobs(site, advisor, technician, foreman, hours=("1.0", "2.0", "0.5"))
    page(tech_client)
    with CaptureQueriesContext(connection) as four:
        page(tech_client)
    assert len(four) == len(one)


def test_only_my_jobs_are_listed(tech_client, site, advisor, foreman):
    other = make_staff(role=TECHNICIAN, sites=[site], username="tech2")
    theirs = assigned_jobs(site, advisor, other, foreman)[0]
    assert f'id="job-{theirs.pk}"' not in page(tech_client)


def test_the_buttons_clock_on_pause_resume_and_finish(tech_client, job):
    def press(action, **data):
        response = tech_client.post(reverse(f"workshop:job_{action}", args=[job.pk]), data, follow=True)
        assert response.status_code == 200
        return JobLine.objects.get(pk=job.pk), response.content.decode()

    state, html = press("start")
    assert state.state == JobState.IN_PROGRESS and f'id="finish-{job.pk}"' in html and "data-since" in html
    state, _html = press("pause", reason="waiting_parts", note="缺滤芯")
    assert (state.state, state.pause_reason) == (JobState.PAUSED, "waiting_parts")
    state, _html = press("start")
    state, html = press("finish")
    assert state.state == JobState.DONE and f'id="job-{job.pk}"' in html  # finished today: still listed


def test_a_refusal_is_a_message_and_changes_nothing(tech_client, job):
    response = tech_client.post(reverse("workshop:job_finish", args=[job.pk]), follow=True)
    assert "alert-danger" in response.content.decode()
    assert JobLine.objects.get(pk=job.pk).state == JobState.ASSIGNED


def test_clock_off_pauses_the_running_job(tech_client, job, technician):
    job_start(job_line=job, actor=technician)
    assert 'id="clock-off"' in page(tech_client)
    tech_client.post(reverse("workshop:clock_off"))
    assert JobLine.objects.get(pk=job.pk).pause_reason == "end_of_shift"


def test_extra_work_is_reported_with_photos(tech_client, job, advisor):
    photo = SimpleUploadedFile("brake.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = tech_client.post(reverse("workshop:report_extra", args=[job.pk]),
                                {"description": "前刹车片磨损至2mm", "photos": [photo]})
    assert response.status_code == 302
    found = JobLine.objects.get(repair_order=job.repair_order, additional=True)
    assert found.state == JobState.PROPOSED and Photo.objects.filter(job_line=found).count() == 1
    assert Notification.objects.filter(recipient=advisor, text__contains="前刹车片").exists()


def test_extra_work_needs_a_description(tech_client, job):
    response = tech_client.post(reverse("workshop:report_extra", args=[job.pk]), {"description": ""}, follow=True)
    assert "alert-danger" in response.content.decode()
    assert not JobLine.objects.filter(additional=True).exists()


def test_the_foreman_confirms_a_clock_the_scan_stopped(client, job, technician, foreman, site):
    shanghai = ZoneInfo("Asia/Shanghai")
    job_start(job_line=job, actor=technician)
    TimeEntry.objects.update(started_at=datetime(2025, 3, 3, 9, tzinfo=shanghai))
    close_forgotten_entries(as_of=datetime(2025, 3, 3, 20, tzinfo=shanghai))
    entry = TimeEntry.objects.get()
    client.force_login(foreman)
    html = client.get(reverse("workshop:time_review")).content.decode()
    assert f'id="entry-{entry.pk}"' in html
    client.post(reverse("workshop:time_review_confirm", args=[entry.pk]), {"ended_at": "12:30", "note": "午饭前完工"})
    entry.refresh_from_db()
    assert entry.ended_at == datetime(2025, 3, 3, 12, 30, tzinfo=shanghai) and not entry.needs_review
    assert 'id="nothing-to-review"' in client.get(reverse("workshop:time_review")).content.decode()
