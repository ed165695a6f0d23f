"""One repair order through the workshop's screens, three people on three devices at once: the foreman drags the
approved job onto a technician (tablet on its side), the technician clocks on, pauses, resumes and finishes on
their phone, the inspector fails the job with a reason (tablet, upright), the technician does the rework, and the
second inspection passes; the RO's timeline tells the whole story. Screenshots: test-output/screenshots/6z_*."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from repair_orders.models import JobLine, RepairOrder
from repair_orders.services import (
    job_add_from_operation,
    repair_order_approve,
    repair_order_open,
    repair_order_record_walkaround,
    repair_order_submit_estimate,
)
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import ADVISOR, FOREMAN, QC_INSPECTOR
from tests.factories import CustomerFactory, SiteFactory, VehicleFactory, make_staff
from tests.repair_orders.helpers import signature_png
from tests.workshop.dispatch_helpers import operation, technician
from workshop.models import Inspection, TimeEntry, WorkshopSettings
from workshop.qc_defaults import seed_checklists

from .conftest import browser_page, drag, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET_LANDSCAPE = {"viewport": {"width": 1366, "height": 1024}, "has_touch": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
TABLET_UPRIGHT = {"viewport": {"width": 820, "height": 1180}, "has_touch": True}


def _with_password(user):
    user.set_password("demo1234")
    user.save()
    return user


@pytest.fixture
def workshop():
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    WorkshopSettings.objects.create(site=site, board_refresh_seconds=2)
    seed_checklists()
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    _with_password(make_staff(role=FOREMAN, sites=[site], username="foreman", display_name="张建国"))
    _with_password(make_staff(role=QC_INSPECTOR, sites=[site], username="qc", display_name="陈静"))
    mechanic = _with_password(technician(site, "liu", skills=["general", "mechanical"], display_name="刘强"))
    technician(site, "wang", skills=["general", "mechanical"], display_name="王师傅")

    # Reception, through repair_orders' services: open, walk-around, a job from the labour book, the estimate,
    # the customer's signature.
    vehicle = VehicleFactory(owner=CustomerFactory(site=site, name="李娜", mobile="13912345678"), plate="沪A88H21",
                             make="大众", model="帕萨特", mileage=41000)
    repair_order = repair_order_open(site=site, customer=vehicle.owner, vehicle=vehicle, advisor=advisor,
                                     actor=advisor, concerns="刹车时前轮有尖锐异响",
                                     promised_at=timezone.now() + timedelta(hours=3))
    repair_order = repair_order_record_walkaround(repair_order=repair_order, data={"mileage": 41250},
                                                  version=repair_order.version, actor=advisor)
    job = job_add_from_operation(repair_order=repair_order, operation=operation("JX001"), actor=advisor)
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    repair_order_approve(repair_order=repair_order, approved_line_ids=[job.pk], signer_name="李娜",
                         signature_image=signature_png(), version=None, actor=advisor)
    return {"ro": repair_order, "job": job, "mechanic": mechanic}


def _top(page):
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")


def _open_menu_entry(page, href):
    """The navbar's "车间" (workshop) entry, behind the burger on narrow screens: a dropdown for the foreman,
    a plain link when the role sees one workshop screen only."""
    if page.locator(".navbar-toggler").is_visible():
        page.click(".navbar-toggler")
    dropdown = page.locator("nav a.dropdown-toggle:has-text('车间')")
    if dropdown.count():
        dropdown.click()
    page.click(f"nav a[href='{href}']")


def _job_state(job):
    return JobLine.objects.values_list("state", flat=True).get(pk=job.pk)


def _inspect(page, repair_order):
    page.click(f"#qc-queue tr[data-ro='{repair_order.pk}'] a.btn")
    page.wait_for_selector("#qc-form")
    for label in page.locator("#qc-form label.btn-outline-success").all():
        label.click()


def test_a_job_goes_from_the_board_through_rework_to_passed_qc(live_server, browser, shot, workshop):
    repair_order, job, mechanic = workshop["ro"], workshop["job"], workshop["mechanic"]
    card = f"#job-{job.pk}"
    with (browser_page(browser, **TABLET_LANDSCAPE) as board, browser_page(browser, **PHONE) as phone,
          browser_page(browser, **TABLET_UPRIGHT) as qc):
        # The foreman: the approved job waits in the queue; drag it onto 刘强's row.
        login(board, live_server, "foreman")
        _open_menu_entry(board, "/workshop/board/")
        board.wait_for_selector(f"#dispatch-queue #job-card-{job.pk}")
        shot(board, "6z_01_board_queue")
        drag(board, f"#dispatch-queue #job-card-{job.pk}", f"#row-tech-{mechanic.pk} .dispatch-lane")
        board.wait_for_selector(f"#row-tech-{mechanic.pk} #job-card-{job.pk}")
        expect(board.locator("#messages .alert-success")).to_contain_text("刘强")
        assert _job_state(job) == JobState.ASSIGNED
        assert RepairOrder.objects.get(pk=repair_order.pk).state == ROState.IN_PROGRESS
        _top(board)
        shot(board, "6z_02_board_assigned")

        # The technician on the phone: clock on, pause waiting for parts, resume, finish.
        login(phone, live_server, "liu")
        _open_menu_entry(phone, "/workshop/my-jobs/")
        phone.wait_for_selector(f"{card} #start-{job.pk}")
        expect(phone.locator(card)).to_contain_text("沪A88H21")
        shot(phone, "6z_03_phone_assigned")
        phone.click(f"#start-{job.pk}")
        phone.wait_for_selector(f"#finish-{job.pk}")
        shot(phone, "6z_04_phone_running")
        phone.select_option(f"#reason-{job.pk}", "waiting_parts")
        phone.fill(f"{card} input[name=note]", "前刹车片型号不对，等配件")
        phone.click(f"#pause-{job.pk}")
        phone.wait_for_selector(f"#start-{job.pk}")
        assert _job_state(job) == JobState.PAUSED
        expect(phone.locator(f"#start-{job.pk}")).to_contain_text("继续")  # resume, not a fresh start
        _top(phone)
        shot(phone, "6z_05_phone_paused")
        phone.click(f"#start-{job.pk}")
        phone.click(f"#finish-{job.pk}")
        phone.wait_for_selector(f"{card}.job-done")
        assert TimeEntry.objects.filter(job_line=job).count() == 2
        assert not TimeEntry.objects.filter(ended_at__isnull=True).exists()
        assert RepairOrder.objects.get(pk=repair_order.pk).state == ROState.QUALITY_CHECK
        _top(phone)
        shot(phone, "6z_06_phone_done")

        # The inspector: the brakes still squeal on the road test; fail the job with the reason.
        login(qc, live_server, "qc")
        _open_menu_entry(qc, "/workshop/qc/")
        qc.wait_for_selector(f"#qc-queue tr[data-ro='{repair_order.pk}']")
        shot(qc, "6z_07_qc_queue")
        _inspect(qc, repair_order)
        section = qc.locator(f".qc-section[data-job='{job.pk}']")
        section.locator(".qc-check", has_text="无异响").locator("label.btn-outline-danger").click()
        assert section.locator(".qc-failed").is_checked()
        section.locator(".qc-reason").fill("路试时右前轮仍有异响，需重新检查刹车片安装")
        _top(qc)
        qc.wait_for_timeout(300)  # the toggle buttons' colour transition
        shot(qc, "6z_08_qc_fail")
        qc.click("#qc-fail")
        qc.wait_for_selector("#qc-queue")
        assert Inspection.objects.get().result == Inspection.Result.FAILED
        job.refresh_from_db()
        assert (job.state, job.technician_id, job.rework_count) == (JobState.ASSIGNED, mechanic.pk, 1)

        # Back on the technician's phone as rework: clock on and finish again.
        phone.reload()
        phone.wait_for_selector(f"{card} #start-{job.pk}")
        expect(phone.locator(f"{card} .badge.text-bg-danger")).to_be_visible()  # the rework badge
        expect(phone.locator(card)).to_contain_text("返工")
        shot(phone, "6z_09_phone_rework")
        phone.click(f"#start-{job.pk}")
        phone.click(f"#finish-{job.pk}")
        phone.wait_for_selector(f"{card}.job-done")
        assert RepairOrder.objects.get(pk=repair_order.pk).state == ROState.QUALITY_CHECK

        # The second inspection sees the first one's reason, and passes.
        qc.reload()
        _inspect(qc, repair_order)
        expect(qc.locator("#qc-history .qc-failed")).to_contain_text("右前轮仍有异响")
        qc.check("#id_road_test_done")
        qc.fill("#id_road_test_km", "3")
        _top(qc)
        shot(qc, "6z_10_qc_pass")
        qc.click("#qc-pass")
        qc.wait_for_selector("#qc-queue")
        assert _job_state(job) == JobState.PASSED

        # The RO page: the timeline has the failed and the passed inspection.
        qc.goto(f"{live_server.url}/repair-orders/{repair_order.pk}/")
        events = qc.locator("#ro-events")
        expect(events).to_contain_text("质检不合格")
        expect(events).to_contain_text("质检通过")
        expect(qc.locator("#qc-tab #qc-history .qc-passed")).to_have_count(1)
        shot(qc, "6z_11_ro_timeline")

        # The foreman's board follows by polling: the job is done, no longer in the queue.
        board.wait_for_selector(f"#row-tech-{mechanic.pk} #job-card-{job.pk}")
        expect(board.locator(f"#dispatch-queue #job-card-{job.pk}")).to_have_count(0)
        shot(board, "6z_12_board_end")
