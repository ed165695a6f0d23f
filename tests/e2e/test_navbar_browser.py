"""The navbar at the widths staff use: desktops (1600 down to 1200 px), tablets (1024, 768 px), a phone (390 px).
The manager has the most menus; the global search must stay wide enough to type a VIN into.
Screenshots: test-output/screenshots/6p_navbar_<role>_<lang>_<width>."""

import pytest

from servicedesk.accounts.roles import ADVISOR, SERVICE_MANAGER
from tests.factories import SiteFactory, make_staff

from .conftest import browser_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEIGHT = 600
MIN_SEARCH_WIDTH = 200  # px: a 17-character VIN, or a plate and a name, fits without scrolling


@pytest.fixture
def staff():
    site = SiteFactory(code="SH01", name="上海浦东4S店")
    other = SiteFactory(code="BJ01", name="北京朝阳4S店")
    users = {
        "manager": make_staff(role=SERVICE_MANAGER, sites=[site, other], username="manager", display_name="李经理"),
        "advisor": make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问"),
    }
    for user in users.values():
        user.set_password("demo1234")
        user.save()
    return users


def _search_box(page):
    """The search input's box, after opening the burger menu where the navbar is collapsed."""
    if page.locator(".navbar-toggler").is_visible():
        page.click(".navbar-toggler")
        page.wait_for_selector("#mainnav.show")
    return page.locator("#global-search").bounding_box()


def _set_language(page, live_server, code):
    page.goto(live_server.url + "/")
    page.evaluate(f"document.cookie = 'django_language={code}; path=/'")
    page.goto(live_server.url + "/")


@pytest.mark.parametrize("role", ["manager", "advisor"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_search_box_is_usable_at_every_width(live_server, browser, shot, staff, role, language):
    with browser_page(browser, viewport={"width": 1280, "height": HEIGHT}) as page:
        login(page, live_server, role)
        if language == "en":
            page.click("#lang-menu")
            page.click("button[lang=en]")
            page.wait_for_selector("html[lang=en]", state="attached")
        seen = {}
        for width in (1600, 1440, 1280, 1200, 1024, 768, 390):
            page.set_viewport_size({"width": width, "height": HEIGHT})
            page.goto(live_server.url + "/")
            box = _search_box(page)
            shot(page, f"6p_navbar_{role}_{language}_{width}")
            seen[width] = (round(box["width"]), round(box["x"] + box["width"]),
                           page.evaluate("document.documentElement.scrollWidth"))
    # Every width is shot before any is judged, so one failure still leaves all the pictures to look at.
    for width, (search_width, search_right, page_width) in seen.items():
        assert search_width >= MIN_SEARCH_WIDTH, seen
        assert search_right <= width, seen  # nothing spills past the right edge
        assert page_width <= width, seen  # no sideways scrolling
