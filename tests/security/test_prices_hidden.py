"""Technicians see no prices unless the site allows it (issue 11, "Access"): the RO page, its additional-work
panel, the repair-order API, the printed papers, the parts catalogue and its API. The site's setting
(workshop.WorkshopSettings.technicians_see_prices) shows them; the other roles always see them."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from parts.services import stock_receive
from repair_orders.models import JobLine
from repair_orders.services import part_line_add, repair_order_approve, repair_order_submit_estimate
from repair_orders.totals import repair_order_totals
from servicedesk.accounts.roles import ADVISOR, CASHIER, FOREMAN, SERVICE_MANAGER
from servicedesk.core.masking import mask_mobile
from tests.conftest import skip_or_fail
from tests.factories import make_staff
from tests.repair_orders.conftest import make_operation, make_part
from tests.repair_orders.helpers import estimated_ro, signature_png
from tests.repair_orders.test_additional import report
from workshop.models import WorkshopSettings

pytestmark = pytest.mark.django_db

LABOUR, PART, EXTRA_LABOUR, EXTRA_PART, DECLINED = "388.00", "123.45", "277.00", "66.60", "455.00"


@pytest.fixture
def priced_ro(site, advisor, technician):
    """An approved RO whose every amount is a figure that appears nowhere else: a job with a part, a declined
    job (the recommendations list) and an additional finding with a part (the panel)."""
    make_operation("BY002", name="更换空气滤芯")
    repair_order = estimated_ro(site, advisor, operations=("BY001", "BY002"))
    kept, declined = repair_order.jobs.order_by("pk")
    JobLine.objects.filter(pk=kept.pk).update(labour_price=Decimal(LABOUR))
    JobLine.objects.filter(pk=declined.pk).update(labour_price=Decimal(DECLINED))
    part = make_part(site, "OIL-01", sale_price=PART)
    stock_receive(part=part, quantity=5, actor=advisor)
    part_line_add(job_line=kept, part=part, quantity=1, actor=advisor)
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    repair_order = repair_order_approve(repair_order=repair_order, approved_line_ids=[kept.pk], signer_name="张三",
                                        signature_image=signature_png(), version=None, actor=advisor)
    extra_part = make_part(site, "BRK-01", name="前刹车片", sale_price=EXTRA_PART)
    report(repair_order, technician, labour_price=Decimal(EXTRA_LABOUR), parts=[{"part": extra_part, "quantity": 1}])
    repair_order.refresh_from_db()
    return repair_order


def _figures(repair_order) -> list[str]:
    totals = repair_order_totals(repair_order)
    return [LABOUR, PART, EXTRA_LABOUR, EXTRA_PART, DECLINED, str(totals.gross), str(totals.net)]


def pdf_text(content: bytes, tmp_path) -> str:
    """What pdftotext reads in a PDF (tests/reports/test_site_mixing.py uses it too)."""
    if not shutil.which("pdftotext"):
        skip_or_fail("poppler-utils not installed")
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _screens(client, repair_order, tmp_path) -> dict[str, str]:
    """What the user reads on every screen, API answer and paper of the RO, as text."""
    pk = repair_order.pk
    part = repair_order.jobs.order_by("pk").first().part_lines.get().part
    texts = {
        "ro page": client.get(reverse("repair_orders:detail", args=[pk])),
        "additional panel": client.get(reverse("ro_additional:panel", args=[pk])),
        "api detail": client.get(f"/api/v1/repair-orders/{pk}/"),
        "api list": client.get("/api/v1/repair-orders/"),
        "parts list": client.get(reverse("parts:part_list")),
        "part page": client.get(reverse("parts:part_detail", args=[part.pk])),
        "parts api": client.get("/api/v1/parts/"),
    }
    for name, response in texts.items():
        assert response.status_code == 200, (name, response.status_code)
        texts[name] = response.content.decode()
    for slug in ("work-order", "recommendations", "check-in-sheet"):
        response = client.get(reverse(f"repair-order-{slug}-pdf", kwargs={"pk": pk}))
        assert response.status_code == 200, slug
        texts[slug] = pdf_text(response.content, tmp_path)
    assert repair_order.number in texts["work-order"] and "更换空气滤芯" in texts["recommendations"]
    return texts


def test_a_technician_sees_no_price_anywhere(client, site, technician, priced_ro, tmp_path):
    client.force_login(technician)
    texts = _screens(client, priced_ro, tmp_path)
    for name, text in texts.items():
        for figure in _figures(priced_ro):
            assert figure not in text, (name, figure)
    assert "前刹车片" in texts["additional panel"]  # the panel itself is there, only its amounts are not
    job_table = client.get(f"/repair-orders/{priced_ro.pk}/").content.decode()
    header = job_table[job_table.index('id="job-table"'):job_table.index("</thead>", job_table.index('id="job-table"'))]
    assert "价格" not in header and "折扣" not in header  # no empty price columns either
    assert "workshop copy" in texts["work-order"].lower() or "车间" in texts["work-order"]
    mobile = priced_ro.customer.mobile  # and the papers mask the mobile, as the screens do
    assert all(mobile not in texts[slug] and mask_mobile(mobile) in texts[slug]
               for slug in ("work-order", "recommendations", "check-in-sheet"))


def test_the_api_says_null_where_a_technician_is_kept_from_a_price(client, technician, priced_ro):
    client.force_login(technician)
    body = client.get(f"/api/v1/repair-orders/{priced_ro.pk}/").json()
    assert body["totals"] is None
    for job in body["jobs"]:
        assert (job["labour_price"], job["discount"], job["diagnostic_fee"]) == (None, None, None)
        assert job["hours"] and job["description"]  # the work itself is still there
        for line in job["part_lines"]:
            assert (line["unit_price"], line["discount"]) == (None, None) and line["quantity"]
    assert all(row["sale_price"] is None for row in client.get("/api/v1/parts/").json()["results"])


def test_a_technician_sees_the_prices_where_the_site_allows(client, site, technician, priced_ro, tmp_path):
    WorkshopSettings.objects.create(site=site, technicians_see_prices=True)
    client.force_login(technician)
    texts = _screens(client, priced_ro, tmp_path)
    for name in ("ro page", "api detail", "work-order"):
        assert LABOUR in texts[name] and PART in texts[name], name
    assert EXTRA_LABOUR in texts["api detail"] and str(repair_order_totals(priced_ro).gross) in texts["work-order"]
    assert f"¥{_panel_gross(priced_ro)}" in texts["additional panel"]
    assert DECLINED in texts["recommendations"] and PART in texts["parts list"] and PART in texts["part page"]


def _panel_gross(repair_order) -> str:
    from repair_orders.selectors_additional import additional_work_panel

    return str(additional_work_panel(repair_order=repair_order).lines[0].gross)


@pytest.mark.parametrize("role", [ADVISOR, SERVICE_MANAGER, CASHIER, FOREMAN])
def test_the_other_roles_see_the_prices(client, site, priced_ro, role, tmp_path):
    client.force_login(make_staff(role=role, sites=[site], username=f"u_{role}"))
    response = client.get(f"/api/v1/repair-orders/{priced_ro.pk}/")
    assert response.json()["totals"]["gross"] == str(repair_order_totals(priced_ro).gross)
    pdf = client.get(reverse("repair-order-work-order-pdf", kwargs={"pk": priced_ro.pk}))
    text = pdf_text(pdf.content, tmp_path)
    assert LABOUR in text and PART in text and str(repair_order_totals(priced_ro).gross) in text
    assert (priced_ro.customer.mobile in text) is (role != FOREMAN)  # the foreman does not call customers
    panel = client.get(reverse("ro_additional:panel", args=[priced_ro.pk])).content.decode()
    assert f"¥{_panel_gross(priced_ro)}" in panel


def test_the_advisors_copy_of_the_work_order_is_unchanged(client, advisor, priced_ro, tmp_path):
    client.force_login(advisor)
    text = pdf_text(client.get(reverse("repair-order-work-order-pdf", kwargs={"pk": priced_ro.pk})).content,
                     tmp_path)
    assert "workshop copy" not in text.lower()
    for figure in (LABOUR, PART, EXTRA_LABOUR, str(repair_order_totals(priced_ro).gross)):
        assert figure in text, figure
