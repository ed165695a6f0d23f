"""In the browser: the manager opens a customer's personal data page from the customer page, takes the readable
copy, erases after typing the name, and reads both on "who changed what, when".
Screenshots: test-output/screenshots/11_privacy_*, 11_audit_*."""

import pytest
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.followups.calls_helpers import questions  # noqa: F401 (fixture)
from tests.privacy.conftest import customer_with_history  # noqa: F401 (fixture)

from .conftest import browser_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_erase_and_audit(browser, live_server, shot, manager, customer_with_history):  # noqa: F811
    customer = customer_with_history[0]
    manager.set_password("demo1234")
    manager.save()
    with browser_page(browser) as page:
        login(page, live_server, "manager")
        page.goto(f"{live_server.url}/customers/{customer.pk}/")
        page.click(f"a[href='/customers/{customer.pk}/privacy/']")
        expect(page.locator("#erasure-form")).to_be_visible()
        shot(page, "11_privacy_page")
        page.select_option("select[name=fmt]", "html")
        page.click("form[action$='/privacy/export/'] button")
        expect(page.locator("#section-repair_orders")).to_contain_text("发动机异响")
        shot(page, "11_privacy_summary")
        page.goto(f"{live_server.url}/customers/{customer.pk}/privacy/")
        page.fill("input[name=confirmation]", "张")
        page.click("#erasure-form button")
        expect(page.locator("#erasure-form")).to_contain_text("张伟")
        shot(page, "11_privacy_wrong_confirmation")
        page.fill("input[name=confirmation]", "张伟")
        page.click("#erasure-form button")
        expect(page.locator(".alert-secondary")).to_be_visible()
        shot(page, "11_privacy_erased")
        page.goto(f"{live_server.url}/audit/")
        expect(page.locator("#audit-rows")).to_contain_text(gettext("Personal data erased"))
        shot(page, "11_audit_timeline")
        page.select_option("select[name=kind]", "invoice")
        page.click("#audit-filter button[type=submit]")
        expect(page.locator("#audit-rows tbody tr")).to_have_count(1)
        shot(page, "11_audit_filtered")
