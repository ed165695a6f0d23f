"""Progress marks (repair_orders.progress): time used so far, the 75% check, an RO whose remaining work no
longer fits before the promised time; and the same marks on the dispatch board and the front-desk board."""

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from repair_orders.models import JobLine
from repair_orders.progress import (
    clocked_hours_now,
    flat_rate_share_used,
    job_at_risk,
    remaining_hours,
    repair_order_at_risk,
)
from repair_orders.workflow import JobState
from workshop.models import WorkshopSettings
from workshop.selectors.board import dispatch_board
from workshop.services.dispatch import job_assign

from .dispatch_helpers import approved_ro, technician

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def job(hours="2.00", clocked="0", since_minutes=None, state=JobState.IN_PROGRESS, technician_id=1):
    return SimpleNamespace(hours=Decimal(hours), clocked_hours=Decimal(clocked), state=state,
                           technician_id=technician_id,
                           clocked_on_since=NOW - timedelta(minutes=since_minutes) if since_minutes else None)


def test_clocked_hours_count_the_running_entry():
    assert clocked_hours_now(job(clocked="1.00"), NOW) == Decimal("1.00")
    assert clocked_hours_now(job(clocked="1.00", since_minutes=30), NOW) == Decimal("1.50")
    assert flat_rate_share_used(job(clocked="1.00", since_minutes=30), NOW) == Decimal("0.75")
    assert flat_rate_share_used(job(hours="0"), NOW) is None


def test_a_job_is_at_risk_from_75_percent_until_it_is_done():
    assert not job_at_risk(job(clocked="1.40"), NOW)  # 70%
    assert job_at_risk(job(clocked="1.50"), NOW)  # 75%
    assert job_at_risk(job(clocked="1.00", since_minutes=45), NOW)  # 1.75 h of 2 on the clock
    assert not job_at_risk(job(clocked="1.90", state=JobState.DONE), NOW)
    assert not job_at_risk(job(clocked="1.50"), NOW, Decimal("0.80"))  # the site's own share
    assert not job_at_risk(job(hours="0", clocked="3"), NOW)


def test_remaining_hours_never_go_below_zero():
    assert remaining_hours(job(clocked="0.50"), NOW) == Decimal("1.50")
    assert remaining_hours(job(clocked="3.00"), NOW) == 0
    assert remaining_hours(job(state=JobState.PASSED), NOW) == 0


def test_an_ro_is_at_risk_when_its_longest_technician_queue_passes_the_promised_time():
    jobs = [job(hours="1.5", technician_id=1), job(hours="1.0", technician_id=1), job(hours="2.0", technician_id=2)]
    # technician 1 has 2.5 h left, technician 2 has 2 h: the work ends at 12:30
    assert not repair_order_at_risk(NOW + timedelta(hours=3), jobs, NOW)
    assert repair_order_at_risk(NOW + timedelta(hours=2), jobs, NOW)
    assert not repair_order_at_risk(None, jobs, NOW)
    assert not repair_order_at_risk(NOW - timedelta(hours=1), [job(state=JobState.DONE)], NOW)
    queue = [job(hours="1.5", state=JobState.APPROVED, technician_id=None)] * 2  # nobody has them: one after another
    assert repair_order_at_risk(NOW + timedelta(hours=2, minutes=30), queue, NOW)


@pytest.mark.django_db
def test_both_boards_show_the_marks(client, site, advisor, foreman):
    WorkshopSettings.objects.create(site=site, at_risk_share=Decimal("0.50"))
    mechanic = technician(site, "mechanic", skills=["mechanical"])
    repair_order = approved_ro(site, advisor, codes=("JX001", "DQ001"),
                               promised_at=timezone.now() + timedelta(hours=1))  # 3.2 h of work
    brakes = repair_order.jobs.get(operation__code="JX001")
    job_assign(job_line=brakes, technician=mechanic, actor=foreman, acknowledge_warnings=True)
    JobLine.objects.filter(pk=brakes.pk).update(state=JobState.IN_PROGRESS, clocked_hours=Decimal("0.70"),
                                                started_at=timezone.now())  # 0.7 of 1.2 h: 58%
    board = dispatch_board(site=site)
    (card,) = board.rows[0].cards
    assert card.at_risk and card.ro_at_risk and card.colour == "in_progress"
    assert board.queue[0].ro_at_risk and not board.queue[0].at_risk
    client.force_login(foreman)
    html = client.get(reverse("workshop:board")).content.decode()
    assert "job-at-risk" in html and "ro-risk-badge" in html
    client.force_login(advisor)
    response = client.get(reverse("repair_orders:board"))
    (ro,) = [ro for column in response.context["columns"] for ro in column["orders"]]
    assert ro.at_risk and ro.jobs_at_risk == 1
    html = response.content.decode()
    assert 'class="badge text-bg-danger ro-at-risk"' in html and "job-at-risk-count" in html


@pytest.mark.django_db
def test_the_demo_fills_the_board_once(site, advisor, foreman):
    from tests.factories import VehicleFactory
    from workshop.demo import seed_workshop
    from workshop.models import Bay, TechnicianProfile

    from .dispatch_helpers import operation

    for code in ("JX001", "DQ001", "BY001"):
        operation(code)
    techs = [technician(site, f"demo{n}", skills=[]) for n in range(3)]
    TechnicianProfile.objects.filter(user__in=techs).delete()  # the demo gives them their profiles
    for _n in range(4):
        VehicleFactory(owner__site=site)
    assert seed_workshop(site, advisor=advisor, foreman=foreman, orders=4) == 4
    assert TechnicianProfile.objects.filter(site=site).count() == 3 and Bay.objects.filter(site=site).count() == 9
    board = dispatch_board(site=site)
    assert board.queue and any(row.cards for row in board.rows)
    assert seed_workshop(site, advisor=advisor, foreman=foreman, orders=4) == 0
