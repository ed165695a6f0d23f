"""Two foremen drop the same queued job on two technicians at the same moment (PostgreSQL): one wins, the other
is told who moved it (code "stale", an HTTP 409), and the job is assigned once."""

import threading

import pytest
from django.db import connection

from repair_orders.models import JobLine, JobLineEvent, RepairOrderEvent
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import FOREMAN
from servicedesk.core.errors import ApplicationError
from tests.conftest import skip_or_fail
from tests.factories import make_staff
from workshop.services.dispatch import job_assign

from .dispatch_helpers import approved_ro, technician

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_job_dropped_twice_at_once_is_assigned_once(site, advisor, foreman):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL")
    other_foreman = make_staff(role=FOREMAN, sites=[site], username="foreman2", display_name="钱主管")
    first, second = (technician(site, name, skills=["mechanical"]) for name in ("tech-a", "tech-b"))
    repair_order = approved_ro(site, advisor)
    job = repair_order.jobs.get()
    start, outcomes = threading.Barrier(2), {}

    def drop(actor, tech):
        try:
            start.wait()
            outcomes[tech.pk] = job_assign(job_line=job.pk, technician=tech, actor=actor, expected_technician_id=None)
        except ApplicationError as error:
            outcomes[tech.pk] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=drop, args=(foreman, first)),
               threading.Thread(target=drop, args=(other_foreman, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [pk for pk, outcome in outcomes.items() if not isinstance(outcome, ApplicationError)]
    assert len(winners) == 1 and outcomes[winners[0]].assigned, outcomes
    (loser,) = [outcome for outcome in outcomes.values() if isinstance(outcome, ApplicationError)]
    assert loser.code == "stale" and loser.is_conflict
    winner_actor = "赵主管" if winners[0] == first.pk else "钱主管"
    assert winner_actor in loser.message
    job.refresh_from_db()
    assert job.state == JobState.ASSIGNED and job.technician_id == winners[0]
    assert JobLineEvent.objects.filter(job_line=job, to_state=JobState.ASSIGNED).count() == 1
    assert RepairOrderEvent.objects.filter(repair_order=repair_order, kind="dispatched").count() == 1
    repair_order.refresh_from_db()
    assert repair_order.state == ROState.IN_PROGRESS
    assert JobLine.objects.filter(technician__isnull=False).count() == 1
