import pytest

from servicedesk.accounts.roles import ADVISOR
from tests.factories import CustomerFactory, SiteFactory, VehicleFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_advisor_logs_in_finds_a_plate_and_switches_to_english(live_server, page, shot):
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    user = make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")
    user.set_password("demo1234")
    user.save()
    owner = CustomerFactory(site=site, name="张伟", mobile="13800138000")
    VehicleFactory(owner=owner, plate="沪A12345", make="大众", model="朗逸", mileage=23000)

    page.goto(live_server.url + "/login/")
    assert page.locator("h1").inner_text() == "登录服务前台"
    shot(page, "01-login-zh")
    page.fill("input[name=username]", "advisor")
    page.fill("input[name=password]", "demo1234")
    page.click("#login-submit")
    page.wait_for_selector("text=欢迎")
    shot(page, "02-home-zh")

    page.fill("#global-search", "A12345")
    page.press("#global-search", "Enter")
    page.wait_for_selector("#vehicle-title")
    assert "沪A12345" in page.inner_text("#vehicle-title")
    assert "23000 km" in page.inner_text("#vehicle-mileage")
    assert "张伟" in page.content()
    shot(page, "03-vehicle-zh")

    page.click("#lang-menu")
    page.click("button[lang=en]")
    page.wait_for_selector("text=Mileage")
    assert "History" in page.content() and "Transfer owner" in page.content()
    shot(page, "04-vehicle-en")

    page.goto(live_server.url + "/customers/")
    page.fill("#q", "1380013")
    page.wait_for_selector("#customer-rows >> text=张伟")
    shot(page, "05-customers-en")
