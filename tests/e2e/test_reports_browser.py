"""The manager's dashboard and monthly report in the browser, on a laptop and a tablet: tiles, the Chart.js
charts drawn from the hand-counted month, a table exported. Screenshots: test-output/screenshots/9x_*."""

import pytest
import time_machine

from servicedesk.accounts.roles import ADVISOR, SERVICE_MANAGER
from tests.factories import SiteFactory, make_staff
from tests.reports.test_monthly_figures import november

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def month():
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    manager = make_staff(role=SERVICE_MANAGER, sites=[site], username="manager", display_name="李经理")
    manager.set_password("demo1234")
    manager.save()
    november.__wrapped__(site, advisor)
    return site


def test_dashboard_and_monthly_report(live_server, page, shot, month):
    with time_machine.travel("2026-11-28 10:00 +0800", tick=True):
        login(page, live_server, "manager")
        page.goto(live_server.url + "/reports/")
        page.wait_for_selector("text=1410.00")  # revenue this month, ex-VAT, credit note subtracted
        shot(page, "9x_dashboard")

        page.goto(live_server.url + "/reports/monthly/?month=2026-11")
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-trend') && "
                               "Chart.getChart('chart-departments')")
        assert page.locator("#table-revenue").inner_text().count("1410.00") == 1
        shot(page, "9x_monthly_report")
        with page.expect_download() as download:
            page.locator("#table-advisors a", has_text="XLSX").click()
        assert download.value.suggested_filename == "report-2026-11-advisors.xlsx"

        page.set_viewport_size({"width": 820, "height": 1180})
        page.goto(live_server.url + "/reports/monthly/?month=2026-13")
        page.wait_for_selector(".alert")  # a month typed wrong is said, the last full month shown
        shot(page, "9x_monthly_report_tablet")
