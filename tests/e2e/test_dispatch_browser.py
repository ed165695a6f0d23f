"""The dispatch board in the browser: the foreman drags a job from the queue onto a technician with the mouse,
assigns a job anyway after its warnings, sees another foreman's move arrive by polling, and a stale drag is
refused with the refreshed board. Screenshots: test-output/screenshots/6x_dispatch_*."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from repair_orders.models import JobLine
from repair_orders.workflow import JobState
from servicedesk.accounts.roles import FOREMAN, SERVICE_MANAGER
from tests.factories import SiteFactory, make_staff
from workshop.models import Bay, WorkshopSettings
from workshop.services.dispatch import job_assign

from .conftest import drag as _drag
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def morning():
    """Mid-morning on a working day, the clock running: the technicians' shifts (08:30-17:30) are on, whenever
    the suite runs."""
    with time_machine.travel("2026-11-25 10:30 +0800", tick=True):
        yield


@pytest.fixture
def workshop(morning):
    from tests.workshop.dispatch_helpers import approved_ro, technician

    site = SiteFactory(code="SH01", name="上海浦东4S店")
    WorkshopSettings.objects.create(site=site, board_refresh_seconds=1)
    foreman = make_staff(role=FOREMAN, sites=[site], username="foreman", display_name="张建国")
    foreman.set_password("demo1234")
    foreman.save()
    manager = make_staff(role=SERVICE_MANAGER, sites=[site], username="manager", display_name="孙志红")
    advisor = make_staff(role="advisor", sites=[site], username="advisor", display_name="王磊")
    mechanic = technician(site, "liu", skills=["general", "mechanical", "electrical"], display_name="刘强")
    painter = technician(site, "zhou", skills=["paint"], display_name="周师傅")
    technician(site, "wang", skills=["general", "mechanical"], display_name="王师傅")
    for code, name in (("L01", "1号举升机"), ("L02", "2号举升机"), ("P01", "烤漆房")):
        Bay.objects.create(site=site, code=code, name=name)
    soon = timezone.now() + timedelta(hours=2)
    brakes_ro = approved_ro(site, advisor, codes=("JX001", "DQ001"), promised_at=soon)
    paint_ro = approved_ro(site, advisor, codes=("PQ001",), promised_at=soon + timedelta(hours=3))
    oil_ro = approved_ro(site, advisor, codes=("BY001",), promised_at=soon + timedelta(hours=1))
    jobs = {code: JobLine.objects.get(repair_order=ro, operation__code=code)
            for ro, code in ((brakes_ro, "JX001"), (brakes_ro, "DQ001"), (paint_ro, "PQ001"), (oil_ro, "BY001"))}
    # Something already on the board: the painter on the clock for an hour of the paint job.
    job_assign(job_line=jobs["PQ001"], technician=painter, actor=foreman)
    JobLine.objects.filter(pk=jobs["PQ001"].pk).update(state=JobState.IN_PROGRESS, clocked_hours=1,
                                                       started_at=timezone.now() - timedelta(hours=1),
                                                       clocked_on_since=timezone.now() - timedelta(minutes=10))
    return {"site": site, "manager": manager, "mechanic": mechanic, "painter": painter, "jobs": jobs}


def test_the_foreman_dispatches_jobs_by_dragging_them(live_server, page, shot, workshop):
    jobs, mechanic, painter = workshop["jobs"], workshop["mechanic"], workshop["painter"]
    page.set_viewport_size({"width": 1366, "height": 1024})  # a tablet on its side
    login(page, live_server, "foreman")
    page.click("nav a.dropdown-toggle:has-text('车间')")  # the Workshop menu
    page.click("nav a[href='/workshop/board/']")  # its entry
    page.wait_for_selector("#dispatch-board")
    expect(page.locator("#dispatch-queue .job-card")).to_have_count(3)
    shot(page, "6x_dispatch_01_board")

    brakes = f"#job-card-{jobs['JX001'].pk}"
    _drag(page, f"#dispatch-queue {brakes}", f"#row-tech-{mechanic.pk} .dispatch-lane")
    page.wait_for_selector(f"#row-tech-{mechanic.pk} {brakes}")
    expect(page.locator("#messages .alert-success")).to_contain_text("刘强")
    assert JobLine.objects.get(pk=jobs["JX001"].pk).technician_id == mechanic.pk

    # The light repair to the painter, who is no electrician: the warning first, then "assign anyway".
    lights = f"#job-card-{jobs['DQ001'].pk}"
    _drag(page, f"#dispatch-queue {lights}", f"#row-tech-{painter.pk} .dispatch-lane")
    page.wait_for_selector("#assign-warnings [data-code=skill]")
    assert JobLine.objects.get(pk=jobs["DQ001"].pk).technician_id is None
    page.mouse.move(0, 0)
    shot(page, "6x_dispatch_02_warnings")
    page.click("#assign-anyway")
    page.wait_for_selector(f"#row-tech-{painter.pk} {lights}")
    expect(page.locator("#assign-warnings")).to_have_count(0)

    # Another foreman gives the oil change to the mechanic: it shows here within seconds (polling).
    oil = f"#job-card-{jobs['BY001'].pk}"
    job_assign(job_line=jobs["BY001"].pk, technician=mechanic, actor=workshop["manager"], expected_technician_id=None)
    page.wait_for_selector(f"#row-tech-{mechanic.pk} {oil}", timeout=8000)

    # A stale drag: this board is frozen (as if the poll had not come yet) while the manager moves the job.
    page.evaluate("window.dispatchBusy = true")
    job_assign(job_line=jobs["JX001"].pk, technician=painter, actor=workshop["manager"],
               expected_technician_id=mechanic.pk, acknowledge_warnings=True)
    _drag(page, f"#row-tech-{mechanic.pk} {brakes}", "#dispatch-queue")
    page.wait_for_selector("#messages .alert-danger")
    expect(page.locator("#messages .alert-danger")).to_contain_text("孙志红")
    page.wait_for_selector(f"#row-tech-{painter.pk} {brakes}")  # the refreshed board
    assert JobLine.objects.get(pk=jobs["JX001"].pk).technician_id == painter.pk
    page.evaluate("window.dispatchBusy = false")
    page.mouse.move(0, 0)
    shot(page, "6x_dispatch_03_after_moves")

    page.click("#view-bays")
    page.wait_for_selector("#dispatch-board[data-view=bays]")
    shot(page, "6x_dispatch_04_bays")
