"""The 3-day satisfaction call on a tablet: customer care claims the call, records "no answer", claims it again
and completes the survey with low scores → a complaint (快速处理表) opens for its owner; the service manager
resolves it and the recheck call (二次回访) appears in the queue. Screenshots: test-output/screenshots/8c_*."""

import pytest

from followups.models import Callback, Complaint
from followups.survey_defaults import seed_questions
from servicedesk.accounts.roles import ADVISOR, CUSTOMER_CARE, SERVICE_MANAGER
from tests.factories import CustomerFactory, SiteFactory, VehicleFactory, make_staff
from tests.followups.calls_helpers import delivered_ro, make_callback

from .conftest import browser_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def call_centre():
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    people = {}
    for username, role, name in (("advisor", ADVISOR, "王顾问"), ("care", CUSTOMER_CARE, "周婷"),
                                 ("manager", SERVICE_MANAGER, "孙经理")):
        people[username] = make_staff(role=role, sites=[site], username=username, display_name=name)
        people[username].set_password("demo1234")
        people[username].save()
    seed_questions()
    vehicle = VehicleFactory(owner=CustomerFactory(site=site, name="张伟", mobile="13800138000"), plate="沪A12345",
                             mileage=10000)
    repair_order = delivered_ro(site, people["advisor"], vehicle=vehicle, concerns="刹车异响")
    return make_callback(repair_order, due_in_hours=-1)


def _shot(shot, page, name):
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, name)


def test_care_claims_a_call_records_no_answer_then_a_low_score_opens_a_complaint(live_server, browser, shot,
                                                                                   call_centre):
    callback = call_centre
    with browser_page(browser, viewport={"width": 1024, "height": 1366}) as page:
        login(page, live_server, "care")
        page.goto(live_server.url + "/followups/")
        page.wait_for_selector(f"#call-{callback.pk}")
        _shot(shot, page, "8c_01_queue")
        page.click(f"#claim-{callback.pk}")
        page.wait_for_selector("#attempt-form")
        assert page.is_visible("text=沪A12345") and page.is_visible("#ro-summary")
        page.click("label[for=id_outcome_0]")  # no answer
        page.click("#record-attempt")
        page.wait_for_selector(f"#call-{callback.pk}")
        callback.refresh_from_db()
        assert (callback.attempts, callback.status) == (1, "open")

        page.click(f"#claim-{callback.pk}")
        page.wait_for_selector("#survey-form")
        for question in ("overall",):
            page.click(f"label[for=id_{question}_1]")  # overall 2
        quality = page.locator(".question", has_text="维修质量")
        quality.locator("label", has_text="1").first.click()
        page.click("label[for=id_recommend_5]")
        page.fill("#id_verbatim", "刹车还是有异响，很失望")
        _shot(shot, page, "8c_02_call_screen")
        page.click("#complete-call")
        page.wait_for_selector("text=快速处理表")
        _shot(shot, page, "8c_03_complaint_opened")

    complaint = Complaint.objects.get()
    assert complaint.department == "workshop" and complaint.survey.overall == 2
    callback.refresh_from_db()
    assert callback.status == "done"

    with browser_page(browser, viewport={"width": 1024, "height": 1366}) as page:
        login(page, live_server, "manager")
        page.goto(live_server.url + "/followups/complaints/")
        page.click(f"#complaint-{complaint.pk} a")
        page.wait_for_selector("#resolve-form")
        page.fill("#id_resolution", "安排免费复检，更换刹车片")
        page.click("#resolve")
        page.wait_for_selector("#complaint-resolution")
        _shot(shot, page, "8c_04_complaint_resolved")
        recheck = Callback.objects.get(kind=Callback.Kind.COMPLAINT_RECHECK)
        page.goto(live_server.url + "/followups/")
        page.wait_for_selector(f"#call-{recheck.pk}")
        _shot(shot, page, "8c_05_recheck_in_queue")
