import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        skip_or_fail("Debian's chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@contextmanager
def browser_page(browser, **options):
    """A page in a fresh browser context (a desktop in Chinese unless `options` say otherwise)."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 860}, "locale": "zh-CN", **options})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser):
    with browser_page(browser) as page:
        yield page


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


def login(page, live_server, username: str, password: str = "demo1234") -> None:
    """Sign in through the login page and wait for the home page's greeting."""
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-submit")
    page.wait_for_selector("text=欢迎")


def drag(page, card_selector: str, lane_selector: str) -> None:
    """Press on the card, move the mouse over the lane in small steps, release: as a foreman would (SortableJS
    starts a drag only after the pointer has moved a little)."""
    card = page.locator(card_selector).bounding_box()
    lane = page.locator(lane_selector).bounding_box()
    page.mouse.move(card["x"] + card["width"] / 2, card["y"] + card["height"] / 2)
    page.mouse.down()
    page.mouse.move(card["x"] + card["width"] / 2 + 10, card["y"] + card["height"] / 2 + 10, steps=5)
    page.mouse.move(lane["x"] + lane["width"] * 0.8, lane["y"] + lane["height"] / 2, steps=20)
    page.mouse.up()
