"""Importing the parts catalogue: dry run and per-row errors, create or update by number (as the catalogue
compares numbers), supersessions that may point further down the file, CSV and XLSX, the parts clerk."""

from decimal import Decimal

import pytest
from django.urls import reverse

from customers.models_import import ImportJob
from parts import services
from parts.models import Part
from tests.import_helpers import confirm, csv_upload, errors_by_row, upload, xlsx_upload

from .factories import PartFactory, SupplierFactory, make_clerk

pytestmark = pytest.mark.django_db
Status = ImportJob.Status

HEADERS = ["配件编号", "名称", "品牌", "类型", "单位", "销售价", "成本价", "税类", "库位", "订货点", "订货量",
           "供应商", "替代件号"]


@pytest.fixture
def clerk(client, site):
    SupplierFactory(site=site, name="上汽大众配件中心")
    SupplierFactory(site=site, name="博世汽车配件")
    client.force_login(make_clerk(site))
    client.cookies["django_language"] = "en"  # the report's messages are asserted in English
    return client


def good_rows():
    return [
        ["06a-115-561", "机油滤清器(旧)", "原厂", "原厂", "件", "68", "40", "标准", "A-01-01", "5", "20",
         "上汽大众配件中心", "06A 115 561 B"],  # superseded by a part further down the file
        ["06A 115 561 B", "机油滤清器", "原厂", "原厂", "个", "¥72.00", "43.5", "", "A-01-02", "10", "30",
         "上汽大众配件中心", ""],
        ["SHELL-HX8-5W30", "壳牌喜力HX8 5W-30机油", "壳牌", "副厂", "升", "88", "55", "", "B-02-01", "40.5", "100",
         "", ""],
        ["DM-001", "脚垫(全包围)", "精品", "精品", "套", "680", "320", "免税", "C-01-01", "", "", "", ""],
    ]


def test_dry_run_writes_nothing_then_the_real_run_creates_the_catalogue(clerk, site):
    job = upload(clerk, "parts", csv_upload(HEADERS, good_rows()))
    assert job.status == Status.DRY_RUN_OK, job.report
    assert (job.valid_rows, job.report["created"], job.report["updated"]) == (4, 4, 0)
    assert not Part.objects.exists()
    job = confirm(clerk, job)
    assert job.status == Status.DONE, job.report
    parts = {part.number: part for part in Part.objects.filter(site=site)}
    assert set(parts) == {"06A-115-561", "06A 115 561 B", "SHELL-HX8-5W30", "DM-001"}
    old, new, oil, mats = (parts[n] for n in ("06A-115-561", "06A 115 561 B", "SHELL-HX8-5W30", "DM-001"))
    assert old.superseded_by == new and new.superseded_by is None
    assert (new.kind, new.unit, new.sale_price, new.cost, new.bin_location) == (
        "oem", "piece", Decimal("72.00"), Decimal("43.50"), "A-01-02")
    assert new.supplier.name == "上汽大众配件中心" and (new.reorder_point, new.reorder_quantity) == (10, 30)
    assert (oil.kind, oil.unit, oil.reorder_point, oil.supplier) == ("aftermarket", "litre", Decimal("40.50"), None)
    assert (mats.kind, mats.unit, mats.vat_class) == ("accessory", "set", "exempt")
    assert all(part.on_hand == 0 for part in parts.values())  # stock comes through the ledger, never an import
    html = clerk.get(reverse("customers:import_status", args=[job.pk])).content.decode()
    assert 'id="import-done"' in html and reverse("parts:part_list") in html


def test_reimport_updates_by_number_whatever_its_spelling(clerk, site):
    part = PartFactory(site=site, number="06A 115 561 B", name="机油滤清器", sale_price=Decimal("70"),
                       bin_location="Z-9")
    job = upload(clerk, "parts", csv_upload(["件号", "售价"], [["06a-115-561b", "75.50"]]))
    assert (job.report["created"], job.report["updated"]) == (0, 1), job.report
    confirm(clerk, job)
    part.refresh_from_db()
    assert (part.number, part.name, part.sale_price, part.bin_location) == (
        "06A 115 561 B", "机油滤清器", Decimal("75.50"), "Z-9")
    assert Part.objects.count() == 1


def test_bad_rows_are_reported_per_row_and_nothing_is_written(clerk, site):
    PartFactory(site=site, number="OLD-1", name="旧件")
    PartFactory(site=site, number="NEW-1", name="新件", superseded_by=Part.objects.get(number="OLD-1"))
    rows = [
        ["P-1", "正常", "", "", "", "10", "", "", "", "", "", "", ""],
        ["P-2", "供应商不对", "", "", "", "10", "", "", "", "", "", "不存在的供应商", ""],  # 3
        ["P-3", "类型不对", "", "翻新", "", "10", "", "", "", "", "", "", ""],  # 4
        ["P-4", "负价", "", "", "", "-5", "", "", "", "", "", "", ""],  # 5
        ["p 1", "重复", "", "", "", "10", "", "", "", "", "", "", ""],  # 6: P-1 again
        ["P-5", "半个", "", "", "件", "10", "", "", "", "2.5", "", "", ""],  # 7: half a piece as reorder point
        ["P-6", "", "", "", "", "10", "", "", "", "", "", "", ""],  # 8: new part without a name
        ["P-7", "替代件不存在", "", "", "", "10", "", "", "", "", "", "", "P-404"],  # 9
        ["OLD-1", "", "", "", "", "", "", "", "", "", "", "", "NEW-1"],  # 10: NEW-1 → OLD-1 is on file: a loop
        ["P-8", "自己替代自己", "", "", "", "10", "", "", "", "", "", "", "P-8"],  # 11
    ]
    job = upload(clerk, "parts", csv_upload(HEADERS, rows))
    assert job.status == Status.DRY_RUN_FAILED
    errors = errors_by_row(job)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert errors[3] == [("supplier", "This site has no supplier “不存在的供应商”; add it first or leave the cell "
                                      "blank.")]
    assert errors[4] == [("kind", "“翻新” is not one of: 原厂、副厂、精品.")]
    assert errors[5] == [("sale_price", "“-5” is negative; enter zero or more.")]
    assert errors[6] == [("number", "Part P 1 is also in row 2 of this file (numbers are compared without spaces, "
                                    "dashes or case).")]
    assert errors[7][0][0] == "reorder_point" and errors[8] == [("name", "Enter the name of the new part.")]
    assert errors[9] == [("superseded_by", "Part P-404 is neither in this site's catalogue nor in the file.")]
    assert errors[10] == [("superseded_by", "Superseding by NEW-1 would make a loop of replacements.")]
    assert errors[11][0][0] == "superseded_by"
    assert job.valid_rows == 1 and Part.objects.count() == 2


def test_a_loop_made_between_check_and_import_fails_the_whole_import(clerk, site):
    old, new = PartFactory(site=site, number="A-1"), PartFactory(site=site, number="B-1")
    job = upload(clerk, "parts", csv_upload(["配件编号", "替代件号"], [["A-1", "B-1"]]))
    assert job.status == Status.DRY_RUN_OK, job.report
    services.part_supersede(part=new, superseded_by=old, actor=None)  # meanwhile at the counter: B-1 → A-1
    job = confirm(clerk, job)
    assert job.status == Status.FAILED and errors_by_row(job)[2][0][0] == "superseded_by"
    old.refresh_from_db()
    assert old.superseded_by is None


def test_parts_from_xlsx_with_numeric_cells(clerk, site):
    rows = [[12345678, "火花塞", "博世", "副厂", "支", 45, 22.5, None, "D-01", 8, 16, "博世汽车配件", None]]
    job = upload(clerk, "parts", xlsx_upload(HEADERS, rows))
    assert job.status == Status.DRY_RUN_OK, job.report
    confirm(clerk, job)
    plug = Part.objects.get(site=site, number="12345678")
    assert (plug.brand, plug.kind, plug.cost, plug.reorder_point, plug.supplier.name) == (
        "博世", "aftermarket", Decimal("22.50"), Decimal("8.00"), "博世汽车配件")


def test_the_import_is_scoped_to_the_site(clerk, site, other_site):
    PartFactory(site=other_site, number="P-1", name="别店的")
    job = upload(clerk, "parts", csv_upload(["配件编号", "名称"], [["P-1", "本店的"]]))
    assert job.report["created"] == 1
    confirm(clerk, job)
    assert Part.objects.get(site=site).name == "本店的" and Part.objects.get(site=other_site).name == "别店的"
