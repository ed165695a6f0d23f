"""The check-in sheet, work order and recommendations PDFs: served inline under the RO's number, in Chinese
with an embedded subset font, the customer's signature image in them. Each is also written to
test-output/pdf/ to be looked at."""

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from repair_orders.models import JobLine, PartLine
from repair_orders.services import (
    damage_mark_add,
    job_add_free_text,
    part_line_add,
    repair_order_approve,
    repair_order_record_walkaround,
    repair_order_sign_check_in,
    repair_order_submit_estimate,
)
from repair_orders.totals import repair_order_totals
from tests.conftest import skip_or_fail
from tests.factories import CustomerFactory, VehicleFactory

from .conftest import make_operation, make_part
from .helpers import open_ro, signature_png

pytestmark = pytest.mark.django_db
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "pdf"
WARRANTY_NOTE = "Customer-supplied parts carry no warranty."


def _require_poppler():
    if not all(shutil.which(tool) for tool in ("pdftotext", "pdfimages", "pdffonts", "fc-list")):
        skip_or_fail("poppler-utils / fontconfig not installed")
    if "Noto Sans CJK" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout:
        skip_or_fail("fonts-noto-cjk not installed")


def _run(*command) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def signed_ro(site, advisor):
    """An RO walked around, marked, signed at check-in, estimated and approved: one line approved (with a
    catalogue part and a customer-supplied one), one declined onto the recommendations."""
    site.address, site.phone = "上海市浦东新区张江路 88 号", "021-5888 8888"
    site.save()
    vehicle = VehicleFactory(owner=CustomerFactory(site=site, name="张伟", mobile="13912345678"), plate="沪A12345",
                             mileage=10000)
    repair_order = open_ro(site, advisor, vehicle=vehicle, concerns="刹车时有异响，方向盘抖动")
    repair_order_record_walkaround(repair_order=repair_order, actor=advisor, version=None, data={
        "mileage": 12345, "fuel_level": 3, "key_tag": "K08", "belongings": ["行车记录仪", "儿童座椅"],
        "valuables_reminder_given": True, "cover_seat": True, "cover_steering_wheel": True, "cover_floor_mat": True,
        "old_parts_disposition": "return", "payment_method": "wechat_pay", "wash_wanted": True})
    damage_mark_add(repair_order=repair_order, x="18", y="25", kind="scratch", note="左前翼子板划痕", actor=advisor)
    damage_mark_add(repair_order=repair_order, x="80", y="70", kind="dent", note="右后门凹陷", actor=advisor)
    repair_order_sign_check_in(repair_order=repair_order, signer_name="张伟", signature_image=signature_png(),
                               actor=advisor)
    from repair_orders.services import job_add_from_operation

    brakes = job_add_from_operation(repair_order=repair_order, actor=advisor,
                                    operation=make_operation("ZD010", name="更换前刹车片", hours="1.2"))
    part_line_add(job_line=brakes, part=make_part(site, "BP-01", name="前刹车片", sale_price="450.00", brand="博世"),
                  quantity=1, actor=advisor)
    part_line_add(job_line=brakes, description="客户自带刹车油", quantity=1, actor=advisor,
                  source=PartLine.Source.CUSTOMER_SUPPLIED)
    aircon = job_add_free_text(repair_order=repair_order, description="空调管路清洗", labour_price=Decimal("280"),
                               hours=Decimal("1"), actor=advisor)
    repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    return repair_order_approve(repair_order=repair_order, approved_line_ids=[brakes.pk], signer_name="张伟",
                                signature_image=signature_png(), version=None, actor=advisor), brakes, aircon


@pytest.mark.parametrize("slug", ["check-in-sheet", "work-order", "recommendations"])
def test_each_document_is_an_inline_pdf_named_after_the_ro(advisor_client, signed_ro, slug):
    repair_order, _brakes, _aircon = signed_ro
    response = advisor_client.get(f"/api/v1/repair-orders/{repair_order.pk}/{slug}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{repair_order.number}-{slug}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_documents_carry_the_chinese_text_the_signature_and_an_embedded_font(advisor_client, signed_ro):
    _require_poppler()
    repair_order, brakes, aircon = signed_ro
    OUTPUT.mkdir(parents=True, exist_ok=True)
    texts = {}
    for slug in ("check-in-sheet", "work-order", "recommendations"):
        response = advisor_client.get(f"/api/v1/repair-orders/{repair_order.pk}/{slug}.pdf")
        path = OUTPUT / f"{slug}.pdf"
        path.write_bytes(response.content)
        texts[slug] = _run("pdftotext", str(path), "-")
        for common in (repair_order.number, "张伟", "沪A12345", "上海浦东店"):
            assert common in texts[slug], (slug, common)
        images = _run("pdfimages", "-list", str(path)).splitlines()[2:]  # two header lines, then one per image
        assert images, f"{slug}: no signature image"
        fonts = _run("pdffonts", str(path))
        cjk = [line for line in fonts.splitlines() if "CJK" in line]
        assert cjk and all("+" in line.split()[0] and " yes " in line for line in cjk), fonts

    check_in = texts["check-in-sheet"]
    assert "12345" in check_in and "K08" in check_in and "行车记录仪" in check_in
    assert "左前翼子板划痕" in check_in and "刹车时有异响" in check_in

    work_order = texts["work-order"]
    totals = repair_order_totals(repair_order)
    assert "更换前刹车片" in work_order and "前刹车片" in work_order and "博世" in work_order and "BP-01" in work_order
    assert "客户自带刹车油" in work_order and str(totals.gross) in work_order and str(totals.vat) in work_order
    assert totals.gross == Decimal("810.00")  # 1.2 h × 300 + 450; the customer's own part costs nothing
    with translation.override("zh-hans"):
        assert translation.gettext(WARRANTY_NOTE) in work_order
    assert "空调管路清洗" not in work_order  # declined: on the recommendations only

    assert "空调管路清洗" in texts["recommendations"] and "280.00" in texts["recommendations"]
    assert "更换前刹车片" not in texts["recommendations"]


def test_the_car_diagram_draws_each_mark_where_it_was_tapped(site, advisor):
    from repair_orders.pdf import DOCUMENTS, _context, repair_order_for_documents

    repair_order = open_ro(site, advisor)
    # On the screen's upright car: a fifth across from its left side, a quarter of the way back from the front.
    damage_mark_add(repair_order=repair_order, x="20", y="25", kind="dent", actor=advisor)
    context = _context(repair_order_for_documents(site=site, pk=repair_order.pk), DOCUMENTS["check_in_sheet"])
    (mark,) = context["marks"]
    # The sheet's car lies front to the left: a quarter along its 400 wide, the left side low in its 200 high.
    assert (mark["number"], mark["cx"], mark["cy"]) == (1, "100.0", "160.0")
    assert context["signature"] is None


def test_an_unsigned_ro_still_prints(advisor_client, site, advisor):
    repair_order = open_ro(site, advisor)
    for slug in ("check-in-sheet", "work-order", "recommendations"):
        assert advisor_client.get(f"/api/v1/repair-orders/{repair_order.pk}/{slug}.pdf").status_code == 200


def _work_order_text(client, repair_order, tmp_path) -> str:
    path = tmp_path / "work-order.pdf"
    path.write_bytes(client.get(f"/api/v1/repair-orders/{repair_order.pk}/work-order.pdf").content)
    return _run("pdftotext", str(path), "-")


def test_the_work_order_lists_each_jobs_parts_under_it_and_discounts_only_when_given(advisor_client, signed_ro,
                                                                                     tmp_path):
    _require_poppler()
    repair_order, brakes, _aircon = signed_ro
    with translation.override("zh-hans"):
        discount = translation.gettext("Discount")
    text = _work_order_text(advisor_client, repair_order, tmp_path)
    assert text.index("更换前刹车片") < text.index("BP-01") < text.index("客户自带刹车油")
    assert text.count(discount) == 1  # the totals' line; no column of zeros
    JobLine.objects.filter(pk=brakes.pk).update(discount=Decimal("36.00"))
    text = _work_order_text(advisor_client, repair_order, tmp_path)
    assert text.count(discount) == 2 and "36.00" in text  # the column is back, with the line's discount


def test_a_parts_line_of_the_work_order_stays_a_few_table_cells(site, advisor, signed_ro):
    """The render time of a long work order (20 jobs, 40 parts lines: issue 10's budget) goes on table cells;
    a parts line shares one cell for number, name, brand and source."""
    from django.template.loader import render_to_string

    from repair_orders.pdf import DOCUMENTS, _context, repair_order_for_documents

    repair_order, _brakes, _aircon = signed_ro
    document = DOCUMENTS["work_order"]
    context = {**_context(repair_order_for_documents(site=site, pk=repair_order.pk), document),
               "show_prices": True, "customer_mobile": ""}
    html = render_to_string(document.template, context)
    part_rows = re.findall(r'<tr class="part">(.*?)</tr>', html, re.S)
    assert len(part_rows) == 2 and all(row.count("<td") == 4 for row in part_rows)
    assert "BP-01 前刹车片" in part_rows[0]
