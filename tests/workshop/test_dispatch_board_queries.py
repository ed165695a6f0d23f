"""The dispatch board reads in a constant number of queries: 20 technicians and 150 open jobs cost what two
technicians and a few jobs cost."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from repair_orders.models import JobLine
from repair_orders.workflow import JobState
from workshop.models import Bay
from workshop.selectors.board import BAYS, dispatch_board

from .dispatch_helpers import approved_ro, technician

pytestmark = pytest.mark.django_db

CODES = ("JX001", "DQ001", "BY001", "PQ001", "JX001")


def workshop(site, advisor, *, technicians: int, orders: int):
    """`technicians` on shift and `orders` approved ROs of five jobs, spread over every state the board
    draws: queue, assigned, in progress (on the clock), paused, done today."""
    techs = [technician(site, f"t{n}-{site.pk}-{orders}", skills=["mechanical"]) for n in range(technicians)]
    for n in range(orders):
        approved_ro(site, advisor, codes=CODES, promised_at=timezone.now() + timedelta(hours=n % 9))
    now = timezone.now()
    jobs = list(JobLine.objects.filter(repair_order__site=site, state=JobState.APPROVED).order_by("pk"))
    cycle = itertools.cycle(techs)
    for n, job in enumerate(jobs):
        kind = n % 5
        if kind == 0:
            continue  # stays in the queue
        job.technician = next(cycle)
        job.state = {1: JobState.ASSIGNED, 2: JobState.IN_PROGRESS, 3: JobState.PAUSED, 4: JobState.DONE}[kind]
        job.clocked_hours = job.hours / 2
        job.clocked_on_since = now - timedelta(minutes=20) if kind == 2 else None
        job.pause_reason = JobLine.PauseReason.WAITING_PARTS if kind == 3 else ""
        job.started_at = now - timedelta(hours=1) if kind > 1 else None
        job.finished_at = now - timedelta(minutes=5) if kind == 4 else None
        job.queue_position = n
    JobLine.objects.bulk_update(jobs, ["technician", "state", "clocked_hours", "clocked_on_since", "pause_reason",
                                       "started_at", "finished_at", "queue_position"])
    for n in range(3):
        Bay.objects.get_or_create(site=site, code=f"L{n}", defaults={"name": f"举升机{n}"})
    return techs


def test_the_board_selector_runs_seven_queries_at_any_size(site, advisor, django_assert_num_queries):
    workshop(site, advisor, technicians=20, orders=30)
    assert JobLine.objects.filter(repair_order__site=site).count() == 150
    # settings, version, technician profiles + users, today's shifts, today's absences, the jobs (RO, vehicle,
    # operation, technician, bay, waiting-for-parts flag), the bays
    with django_assert_num_queries(7):
        board = dispatch_board(site=site)
    assert len(board.rows) == 20 and len(board.queue) == 30
    assert sum(len(row.cards) for row in board.rows) == 120
    with django_assert_num_queries(7):
        bays = dispatch_board(site=site, mode=BAYS)
    assert len(bays.rows) == 4  # three bays and "no bay"


def test_the_board_page_costs_the_same_for_20_technicians_and_150_jobs(client, site, advisor, foreman,
                                                                        django_assert_num_queries):
    workshop(site, advisor, technicians=2, orders=1)
    client.force_login(foreman)
    url = reverse("workshop:board")
    client.get(url)  # warm the per-process caches (content types)
    # The request's own (session, user; permissions, roles and sites cached), then the seven above.
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    small = len(small.captured_queries)  # read now: the next request empties the query log it points into
    workshop(site, advisor, technicians=18, orders=29)
    assert JobLine.objects.filter(repair_order__site=site).count() == 150
    client.get(url)  # new staff renewed the access stamp: the foreman's access is read again once
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["board"].rows) == 20
    html = response.content.decode()
    assert html.count('class="job-card ') == 150
    # polling when nothing changed: the request's own and the version, whatever the size
    version = response.context["board"].version
    with CaptureQueriesContext(connection) as poll:
        assert client.get(url, {"version": version}, HTTP_HX_REQUEST="true").status_code == 204
    assert len(poll.captured_queries) < small - 5
