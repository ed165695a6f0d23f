"""The technician's screen on a phone (390 px): clock on, watch the timer run, pause waiting for parts, resume,
report extra work with a photo, clock off at the end of the shift; and the same list on a tablet.
Screenshots: test-output/screenshots/6c_technician_*."""

import pytest

from repair_orders.models import JobLine
from repair_orders.workflow import JobState
from servicedesk.accounts.roles import ADVISOR, FOREMAN, TECHNICIAN
from tests.factories import CustomerFactory, SiteFactory, VehicleFactory, make_staff
from tests.repair_orders.test_photos import jpeg_bytes
from tests.workshop.clocking_fixtures import assign, ro_with_jobs
from workshop.models import TimeEntry

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workshop():
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    foreman = make_staff(role=FOREMAN, sites=[site], username="foreman", display_name="赵主管")
    technician = make_staff(role=TECHNICIAN, sites=[site], username="tech", display_name="张师傅")
    technician.set_password("demo1234")
    technician.save()
    repair_order = ro_with_jobs(site, advisor, hours=("1.5", "0.8"))
    repair_order.vehicle.plate, repair_order.vehicle.make, repair_order.vehicle.model = "沪A12345", "大众", "朗逸"
    repair_order.vehicle.save()
    repair_order.concerns = "刹车时有异响，方向盘抖动"
    repair_order.save(update_fields=["concerns"])
    second = ro_with_jobs(site, advisor, hours=("2.0",))
    second.vehicle = VehicleFactory(owner=CustomerFactory(site=site), plate="沪B66666", make="别克", model="英朗")
    second.save(update_fields=["vehicle"])
    jobs = [assign(job, technician, foreman) for job in [*repair_order.jobs.order_by("pk"), *second.jobs.all()]]
    return jobs


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_technician_clocks_on_and_off_on_a_phone(live_server, page, shot, workshop):
    job = workshop[0]
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "tech")
    page.goto(live_server.url + "/workshop/my-jobs/")
    page.wait_for_selector(f"#job-{job.pk}")
    _no_sideways_scroll(page)
    shot(page, "6c_technician_01_phone_assigned")

    page.click(f"#start-{job.pk}")
    page.wait_for_selector(f"#finish-{job.pk}")
    timer = page.locator(f"#job-{job.pk} .job-timer")
    first = timer.inner_text()
    page.wait_for_timeout(1500)
    assert timer.inner_text() != first  # the clock runs on the screen
    shot(page, "6c_technician_02_phone_running")

    page.select_option(f"#reason-{job.pk}", "waiting_parts")
    page.fill(f"#job-{job.pk} input[name=note]", "缺前刹车片")
    page.click(f"#pause-{job.pk}")
    page.wait_for_selector(f"#start-{job.pk}")
    assert JobLine.objects.get(pk=job.pk).pause_reason == "waiting_parts"

    page.click(f"#start-{job.pk}")  # resume
    page.wait_for_selector(f"#finish-{job.pk}")
    page.click(f"#job-{job.pk} [data-bs-target='#extra-{job.pk}']")
    page.fill(f"#finding-{job.pk}", "前刹车盘磨损严重，建议更换")
    page.set_input_files(f"#photos-{job.pk}", files=[{"name": "disc.jpg", "mimeType": "image/jpeg",
                                                      "buffer": jpeg_bytes((1600, 1200))}])
    page.click(f"#extra-{job.pk} button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert JobLine.objects.filter(repair_order=job.repair_order, additional=True).count() == 1

    page.click("#clock-off")
    page.wait_for_selector(f"#start-{job.pk}")
    _no_sideways_scroll(page)
    shot(page, "6c_technician_03_phone_clocked_off")
    job.refresh_from_db()
    assert (job.state, job.pause_reason, job.clocked_on_since) == (JobState.PAUSED, "end_of_shift", None)
    assert not TimeEntry.objects.filter(ended_at__isnull=True).exists()


def test_the_same_screen_on_a_tablet(live_server, page, shot, workshop):
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, live_server, "tech")
    page.goto(live_server.url + "/workshop/my-jobs/")
    page.click(f"#start-{workshop[2].pk}")
    page.wait_for_selector(f"#finish-{workshop[2].pk}")
    _no_sideways_scroll(page)
    shot(page, "6c_technician_04_tablet")
