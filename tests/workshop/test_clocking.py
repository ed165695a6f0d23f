"""Clocking rules (DESIGN.md §4): clock on, pause with a reason, resume, finish, clock off; one running entry per
technician unless the site allows parallel jobs; every refusal a clear error with nothing changed."""

import zoneinfo
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine

from repair_orders.models import JobLine, JobLineEvent
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import PARTS_CLERK, TECHNICIAN
from servicedesk.core.errors import ApplicationError
from servicedesk.core.models import Notification
from tests.factories import make_staff
from workshop.models import TimeEntry, WorkshopSettings
from workshop.services.clocking import clock_off, job_finish, job_pause, job_start

from .clocking_fixtures import assigned_jobs

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 3):
    """A moment of 3 March 2025 (a Monday) on the site's wall clock."""
    return time_machine.travel(datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def job(site, advisor, technician, foreman):
    return assigned_jobs(site, advisor, technician, foreman)[0]


def snapshot(job):
    job = JobLine.objects.get(pk=job.pk)
    return (job.state, job.started_at, job.finished_at, job.clocked_hours, job.clocked_on_since, job.pause_reason,
            TimeEntry.objects.count(), JobLineEvent.objects.filter(job_line=job).count())


def refused(job, service, **kwargs) -> ApplicationError:
    """The service refuses, and the job, its entries and its events are as they were."""
    before = snapshot(job)
    with pytest.raises(ApplicationError) as caught:
        service(**kwargs)
    assert snapshot(job) == before
    return caught.value


def test_clocking_on_starts_the_job_and_opens_an_entry(job, technician):
    with at(9):
        job_start(job_line=job, actor=technician)
    job.refresh_from_db()
    started = datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)
    assert job.state == JobState.IN_PROGRESS
    assert job.started_at == started and job.clocked_on_since == started
    entry = TimeEntry.objects.get()
    assert (entry.technician, entry.job_line, entry.started_at, entry.ended_at) == (technician, job, started, None)
    event = JobLineEvent.objects.filter(job_line=job).latest("pk")
    assert (event.from_state, event.to_state, event.actor) == (JobState.ASSIGNED, JobState.IN_PROGRESS, technician)
    assert event.data["action"] == "start" and event.data["entry"] == entry.pk


def test_hours_accumulate_over_pauses_and_the_finish(job, technician):
    with at(9):
        job_start(job_line=job, actor=technician)
    with at(10, 30):
        job_pause(job_line=job, reason=JobLine.PauseReason.WAITING_PARTS, actor=technician, note="缺刹车片")
    job.refresh_from_db()
    assert (job.state, job.pause_reason, job.clocked_hours, job.clocked_on_since) == (
        JobState.PAUSED, "waiting_parts", Decimal("1.50"), None)
    with at(13):
        job_start(job_line=job, actor=technician)  # resume
    job.refresh_from_db()
    assert job.state == JobState.IN_PROGRESS and job.pause_reason == ""
    assert job.started_at == datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)  # the first clock-on stays
    with at(13, 45):
        job_finish(job_line=job, actor=technician)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.clocked_hours == Decimal("2.25")
    assert job.finished_at == datetime(2025, 3, 3, 13, 45, tzinfo=SHANGHAI)
    assert list(TimeEntry.objects.values_list("ended_by", flat=True)) == ["pause", "finish"]
    actions = [e.data.get("action") for e in JobLineEvent.objects.filter(job_line=job).order_by("pk")]
    assert actions[-4:] == ["start", "pause", "resume", "finish"]


def test_the_last_finished_job_sends_the_repair_order_to_quality_check(site, advisor, technician, foreman):
    first, second = assigned_jobs(site, advisor, technician, foreman, hours=("1.0", "0.5"))
    for job in (first, second):
        job_start(job_line=job, actor=technician)
        job_finish(job_line=job, actor=technician)
        job.repair_order.refresh_from_db()
        expected = ROState.QUALITY_CHECK if job is second else ROState.IN_PROGRESS
        assert job.repair_order.state == expected


def test_clocking_on_a_job_of_someone_else_is_refused(site, job):
    other = make_staff(role=TECHNICIAN, sites=[site], username="tech2")
    assert refused(job, job_start, job_line=job, actor=other).code == "not_assigned"


def test_a_foreman_clocks_on_for_the_technician(job, technician, foreman):
    job_start(job_line=job, actor=foreman)
    entry = TimeEntry.objects.get()
    assert entry.technician == technician
    assert JobLineEvent.objects.filter(job_line=job).latest("pk").actor == foreman


def test_a_second_running_entry_is_refused(site, advisor, technician, foreman):
    first, second = assigned_jobs(site, advisor, technician, foreman, hours=("1.0", "0.5"))
    job_start(job_line=first, actor=technician)
    error = refused(second, job_start, job_line=second, actor=technician)
    assert error.code == "already_clocked_on" and first.description in error.message
    assert TimeEntry.objects.filter(ended_at__isnull=True).count() == 1


def test_the_site_may_allow_parallel_jobs(site, advisor, technician, foreman):
    WorkshopSettings.objects.create(site=site, allow_parallel_clocking=True)
    first, second = assigned_jobs(site, advisor, technician, foreman, hours=("1.0", "0.5"))
    job_start(job_line=first, actor=technician)
    job_start(job_line=second, actor=technician)
    assert TimeEntry.objects.filter(ended_at__isnull=True, technician=technician).count() == 2


def test_clocking_on_twice_on_the_same_job_is_a_conflict(job, technician):
    job_start(job_line=job, actor=technician)
    assert refused(job, job_start, job_line=job, actor=technician).is_conflict


def test_finishing_a_job_never_started_is_refused(job, technician):
    assert refused(job, job_finish, job_line=job, actor=technician).code == "not_started"


def test_a_paused_job_is_resumed_before_it_is_finished(job, technician):
    job_start(job_line=job, actor=technician)
    job_pause(job_line=job, reason="end_of_shift", actor=technician)
    assert refused(job, job_finish, job_line=job, actor=technician).code == "paused"


def test_a_pause_needs_a_reason(job, technician):
    job_start(job_line=job, actor=technician)
    assert refused(job, job_pause, job_line=job, reason="coffee", actor=technician).field == "reason"


def test_waiting_for_parts_tells_the_sites_parts_clerks(site, other_site, job, technician):
    clerk = make_staff(role=PARTS_CLERK, sites=[site], username="clerk")
    elsewhere = make_staff(role=PARTS_CLERK, sites=[other_site], username="clerk2")
    job_start(job_line=job, actor=technician)
    job_pause(job_line=job, reason="waiting_parts", actor=technician, note="缺刹车片")
    texts = list(Notification.objects.filter(recipient=clerk).values_list("text", flat=True))
    assert len(texts) == 1 and job.repair_order.number in texts[0] and "缺刹车片" in texts[0]
    assert not Notification.objects.filter(recipient=elsewhere).exists()


def test_waiting_for_the_customer_tells_the_advisor(job, technician, advisor):
    job_start(job_line=job, actor=technician)
    already = Notification.objects.filter(recipient=advisor).count()
    job_pause(job_line=job, reason="waiting_customer", actor=technician)
    assert Notification.objects.filter(recipient=advisor).count() == already + 1


def test_clocking_off_pauses_what_runs_for_the_end_of_the_shift(job, technician):
    assert clock_off(technician=technician, actor=technician) == []
    with at(9):
        job_start(job_line=job, actor=technician)
    with at(17, 30):
        paused = clock_off(technician=technician, actor=technician)
    assert [p.pk for p in paused] == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.pause_reason, job.clocked_hours) == (JobState.PAUSED, "end_of_shift", Decimal("8.50"))


def test_another_technician_cannot_clock_someone_off(site, job, technician):
    job_start(job_line=job, actor=technician)
    other = make_staff(role=TECHNICIAN, sites=[site], username="tech2")
    with pytest.raises(ApplicationError):
        clock_off(technician=technician, actor=other)
    assert TimeEntry.objects.get().ended_at is None
