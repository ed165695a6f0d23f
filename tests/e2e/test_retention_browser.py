"""Customer care's retention screens in the browser: the lost customers list (record why, start a win-back
call) and the reminders list filtered by status, run by the scans. Screenshots: test-output/screenshots/8r_*."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import Callback, LostVehicle
from followups.services.reminders import maintenance_reminders_send
from followups.services.scans import lost_vehicles_mark
from servicedesk.accounts.roles import ADVISOR, CUSTOMER_CARE
from tests.factories import CustomerFactory, SiteFactory, VehicleFactory, make_staff
from tests.followups.scan_helpers import delivered_ro, local

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_care_records_a_reason_and_starts_a_win_back_call(page, live_server, shot):
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    advisor = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    agent = make_staff(role=CUSTOMER_CARE, sites=[site], username="care", display_name="周回访")
    agent.set_password("demo1234")
    agent.save()
    for n in range(3):
        delivered_ro(site, advisor, at=local(site, f"2025-11-0{1 + n} 15:00"))
    lost_vehicles_mark(as_of=timezone.now())
    for days in (3, 9):
        VehicleFactory(owner=CustomerFactory(site=site, marketing_consent=True),
                       next_service_on=timezone.localdate() + timedelta(days=days))
    VehicleFactory(owner=CustomerFactory(site=site), next_service_on=timezone.localdate() + timedelta(days=5))
    maintenance_reminders_send(as_of=timezone.now())

    login(page, live_server, "care")
    page.goto(live_server.url + "/followups/lost/")
    first = LostVehicle.objects.order_by("-lost_on", "-pk").first()
    row = page.locator("tr", has=page.locator(f"form[action='/followups/lost/{first.pk}/reason/']"))
    row.locator("select[name=reason]").select_option("price")
    row.locator("input[name=note]").fill("觉得保养价格比路边店贵")
    row.locator("button[type=submit]").first.click()
    page.wait_for_selector(".alert-success")
    page.locator(f"form[action='/followups/lost/{first.pk}/win-back/'] button").click()
    page.wait_for_selector(".alert-success")
    shot(page, "8r_lost_customers")
    assert LostVehicle.objects.get(pk=first.pk).reason == "price"
    assert Callback.objects.filter(kind="win_back", dedupe_key=f"winback:{first.pk}").count() == 1

    page.goto(live_server.url + "/followups/reminders/")
    page.select_option("select[name=status]", "skipped")
    page.wait_for_function("() => document.querySelectorAll('#reminder-rows tbody tr').length === 1")
    page.select_option("select[name=status]", "")
    page.wait_for_function("() => document.querySelectorAll('#reminder-rows tbody tr').length === 3")
    shot(page, "8r_reminders")
