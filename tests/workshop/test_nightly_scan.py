"""The nightly scan of clocks left running (DESIGN.md §3 rule 6): stopped at closing time, flagged for the
foreman, the job paused (end of shift), the foremen told; a second run changes nothing."""

import zoneinfo
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings

from repair_orders.models import JobLine, JobLineEvent
from repair_orders.workflow import JobState
from servicedesk.accounts.roles import FOREMAN
from servicedesk.core.errors import ApplicationError
from servicedesk.core.models import Notification
from tests.factories import make_staff
from workshop import tasks
from workshop.models import TimeEntry
from workshop.services.clocking import close_forgotten_entries, job_start, time_entry_review

from .clocking_fixtures import assigned_jobs

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def moment(hour, minute=0, day=3):
    return datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def forgotten(site, advisor, technician, foreman):
    """Clocked on at 09:00 on Monday 3 March and never clocked off (the site closes at 18:00)."""
    job = assigned_jobs(site, advisor, technician, foreman)[0]
    with time_machine.travel(moment(9), tick=False):
        job_start(job_line=job, actor=technician)
    return job


def test_a_clock_left_running_is_stopped_at_closing_time_and_flagged(forgotten, foreman):
    assert close_forgotten_entries(as_of=moment(18, 30)) == 0  # within the grace hour: maybe still working
    assert close_forgotten_entries(as_of=moment(19, 5)) == 1
    entry = TimeEntry.objects.get()
    assert (entry.ended_at, entry.ended_by, entry.needs_review) == (moment(18), "nightly_scan", True)
    job = JobLine.objects.get(pk=forgotten.pk)
    assert (job.state, job.pause_reason, job.clocked_hours, job.clocked_on_since) == (
        JobState.PAUSED, "end_of_shift", Decimal("9.00"), None)
    event = JobLineEvent.objects.filter(job_line=job).latest("pk")
    assert (event.actor, event.data["action"]) == (None, "nightly_scan")
    [notice] = Notification.objects.filter(recipient=foreman)
    assert forgotten.repair_order.number in notice.text and "18:00" in notice.text


def test_running_the_scan_twice_changes_nothing_more(forgotten, foreman):
    assert close_forgotten_entries(as_of=moment(23)) == 1
    counts = (JobLineEvent.objects.count(), Notification.objects.count(), TimeEntry.objects.count())
    assert close_forgotten_entries(as_of=moment(23, 30)) == 0
    assert close_forgotten_entries(as_of=moment(2, day=4)) == 0
    assert (JobLineEvent.objects.count(), Notification.objects.count(), TimeEntry.objects.count()) == counts
    assert JobLine.objects.get(pk=forgotten.pk).clocked_hours == Decimal("9.00")


def test_overtime_begun_after_closing_waits_for_midnight_and_invents_no_hours(site, advisor, technician, foreman):
    job = assigned_jobs(site, advisor, technician, foreman)[0]
    with time_machine.travel(moment(19, 30), tick=False):
        job_start(job_line=job, actor=technician)
    assert close_forgotten_entries(as_of=moment(23, 50)) == 0
    assert close_forgotten_entries(as_of=moment(0, 10, day=4)) == 1
    entry = TimeEntry.objects.get()
    assert entry.ended_at == moment(19, 30) and entry.needs_review  # the foreman sets the real end
    assert JobLine.objects.get(pk=job.pk).clocked_hours == Decimal("0.00")


def test_only_foremen_of_the_site_are_told(forgotten, other_site, foreman):
    elsewhere = make_staff(role=FOREMAN, sites=[other_site], username="foreman2")
    close_forgotten_entries(as_of=moment(20))
    assert Notification.objects.filter(recipient=foreman).count() == 1
    assert not Notification.objects.filter(recipient=elsewhere).exists()


def test_the_foreman_corrects_a_flagged_entry(forgotten, foreman, technician):
    close_forgotten_entries(as_of=moment(20))
    entry = TimeEntry.objects.get()
    with pytest.raises(ApplicationError):
        time_entry_review(entry=entry, actor=technician, ended_at=moment(12))
    with pytest.raises(ApplicationError) as refused:
        time_entry_review(entry=entry, actor=foreman, ended_at=moment(8))
    assert refused.value.field == "ended_at"
    time_entry_review(entry=entry, actor=foreman, ended_at=moment(12), note="中午已完工")
    entry.refresh_from_db()
    assert (entry.ended_at, entry.needs_review, entry.reviewed_by) == (moment(12), False, foreman)
    assert JobLine.objects.get(pk=forgotten.pk).clocked_hours == Decimal("3.00")
    assert JobLineEvent.objects.filter(job_line=forgotten).latest("pk").data["action"] == "time_reviewed"


def test_the_beat_task_runs_the_scan(forgotten):
    scheduled = settings.CELERY_BEAT_SCHEDULE["workshop-forgotten-clocks"]
    assert scheduled["task"] == "workshop.tasks.close_forgotten_entries"
    with time_machine.travel(moment(21), tick=False):
        assert tasks.close_forgotten_entries.apply().get() == 1
        assert tasks.close_forgotten_entries.apply().get() == 0
