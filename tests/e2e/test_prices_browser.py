"""In the browser: a technician's RO page (work tab, additional work) shows the work but no price; the manager reads
a repriced part on "who changed what, when". Screenshots: test-output/screenshots/11_prices_*; the technician's
work order PDF is saved next to them as 11_prices_technician_work_order.pdf (and .png when pdftoppm is there)."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from parts.services import part_update
from tests.security.test_prices_hidden import LABOUR, PART, priced_ro  # noqa: F401 (fixture)

from .conftest import SCREENSHOTS, browser_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_technician_sees_the_work_without_prices(browser, live_server, shot, technician, priced_ro):  # noqa: F811
    technician.set_password("demo1234")
    technician.save()
    with browser_page(browser) as page:
        login(page, live_server, "tech")
        page.goto(f"{live_server.url}/repair-orders/{priced_ro.pk}/?tab=work")
        expect(page.locator("#additional-work-panel")).to_be_visible()
        body = page.locator("body").inner_text()
        assert LABOUR not in body and PART not in body
        shot(page, "11_prices_technician_ro")
        pdf = page.request.get(f"{live_server.url}/api/v1/repair-orders/{priced_ro.pk}/work-order.pdf")
        assert pdf.ok
        content = pdf.body()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / "11_prices_technician_work_order.pdf"
    path.write_bytes(content)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(path), str(path.with_suffix(""))],
                       check=True)


def test_the_manager_reads_the_price_history(browser, live_server, shot, manager, priced_ro):  # noqa: F811
    part = priced_ro.jobs.order_by("pk").first().part_lines.get().part
    part_update(part=part, data={"sale_price": Decimal("129.00")}, actor=manager)
    manager.set_password("demo1234")
    manager.save()
    with browser_page(browser) as page:
        login(page, live_server, "manager")
        page.goto(f"{live_server.url}/audit/?kind=part_price")
        expect(page.locator("table")).to_contain_text("129.00")
        shot(page, "11_prices_audit")
