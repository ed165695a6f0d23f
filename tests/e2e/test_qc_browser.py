"""Quality control in the browser, on a tablet: the inspector finds a paint run, fails the job (it goes back to
its technician as rework), the technician finishes it again, and the second inspection passes with a road
test. Screenshots: test-output/screenshots/6q_qc_*."""

import pytest

from repair_orders.models import JobLine
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import ADVISOR, QC_INSPECTOR, TECHNICIAN
from tests.factories import SiteFactory, make_staff
from tests.workshop.qc_helpers import finish, ro_in_quality_check
from workshop.models import Inspection
from workshop.services.qc import repair_order_to_quality_check_if_done

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workshop():
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    technician = make_staff(role=TECHNICIAN, sites=[site], username="technician", display_name="刘强")
    inspector = make_staff(role=QC_INSPECTOR, sites=[site], username="qc", display_name="陈静")
    inspector.set_password("demo1234")
    inspector.save()
    repair_order = ro_in_quality_check(site, advisor, technician, operations=("BY001", "PQ001"))
    return repair_order, technician


def _shot(shot, page, name):
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, name)


def _answer_all_ok(page):
    for label in page.locator("#qc-form label.btn-outline-success").all():
        label.click()


def test_an_inspector_fails_a_job_once_and_passes_it_after_the_rework(live_server, page, shot, workshop):
    repair_order, technician = workshop
    paint = repair_order.jobs.get(operation__code="PQ001")
    page.set_viewport_size({"width": 1024, "height": 1366})  # a tablet, upright
    login(page, live_server, "qc")
    page.click(".navbar-toggler")  # the menu is collapsed on a tablet
    page.click("nav a[href='/workshop/qc/']")
    page.wait_for_selector(f"#qc-queue tr[data-ro='{repair_order.pk}']")
    _shot(shot, page, "6q_qc_queue")

    page.click(f"#qc-queue tr[data-ro='{repair_order.pk}'] a.btn")
    page.wait_for_selector("#qc-form")
    _answer_all_ok(page)
    paint_card = page.locator(f".qc-section[data-job='{paint.pk}']")
    paint_card.locator(".qc-check", has_text="流挂").locator("label.btn-outline-danger").click()
    assert paint_card.locator(".qc-failed").is_checked()  # not OK ticks "send back"
    paint_card.locator(".qc-reason").fill("左前门流挂，需重新抛光")
    _shot(shot, page, "6q_qc_inspection_form")
    page.click("#qc-fail")
    page.wait_for_selector("#qc-queue")
    paint.refresh_from_db()
    assert (paint.state, paint.technician, paint.rework_count) == (JobState.ASSIGNED, technician, 1)
    assert Inspection.objects.get().result == Inspection.Result.FAILED

    # The technician's screen is another module's: the rework is finished directly.
    finish(JobLine.objects.get(pk=paint.pk))
    assert repair_order_to_quality_check_if_done(repair_order=repair_order, actor=technician)

    page.reload()
    page.click(f"#qc-queue tr[data-ro='{repair_order.pk}'] a.btn")
    page.wait_for_selector("#qc-history .qc-failed")  # the first inspection, with its reason
    assert "左前门流挂" in page.inner_text("#qc-history")
    assert page.locator(f".qc-section[data-job='{paint.pk}'] .badge", has_text="1").count() == 1  # rework ×1
    _answer_all_ok(page)
    page.check("#id_road_test_done")
    page.fill("#id_road_test_km", "5")
    page.fill("textarea[name=notes]", "路试正常，漆面合格")
    _shot(shot, page, "6q_qc_second_inspection")
    page.click("#qc-pass")
    page.wait_for_selector("#qc-queue")
    repair_order.refresh_from_db()
    assert repair_order.state == ROState.QUALITY_CHECK
    assert set(repair_order.jobs.values_list("state", flat=True)) == {JobState.PASSED}

    # The RO page's QC tab comes from the workshop (htmx).
    page.goto(f"{live_server.url}/repair-orders/{repair_order.pk}/?tab=qc")
    page.wait_for_selector("#qc-tab #qc-history .qc-passed")
    _shot(shot, page, "6q_qc_ro_tab")
