"""Importing the labour-time book and service packages: dry run first (nothing written, errors per row),
then the real run creates or updates; CSV and XLSX; who may import what."""

from decimal import Decimal

import pytest
from django.urls import reverse

from customers.models_import import ImportJob
from parts.models import Part
from repair_orders.models import LabourOperation, ServicePackage
from servicedesk.accounts.roles import ADVISOR, PARTS_CLERK
from tests.factories import make_staff
from tests.import_helpers import confirm, csv_upload, errors_by_row, upload, xlsx_upload

from .conftest import make_operation, make_package, make_part

pytestmark = pytest.mark.django_db
Status = ImportJob.Status

LABOUR_HEADERS = ["工时代码", "名称", "类别", "工时", "品牌", "车型", "固定价格", "启用"]
PACKAGE_HEADERS = ["套餐代码", "套餐名称", "保养里程", "套餐价格", "工时代码", "配件编号", "数量"]


@pytest.fixture
def importer(client, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"  # the report's messages are asserted in English
    return client


def good_book():
    return [
        ["BY001", "更换机油机滤", "保养", "0.5", "", "", "", ""],
        ["BY001", "更换机油机滤(帕萨特)", "保养", "0.6", "大众", "帕萨特", "", "是"],
        ["JX010", "更换前刹车片", "机修", "1.0", "", "", "", ""],
        ["ZD001", "故障诊断", "诊断", "1", "", "", "¥200", "是"],
        ["PQ001", "前保险杠喷漆", "喷漆", "3.0h", "", "", "", "否"],
    ]


# ---------------------------------------------------------------- labour operations

def test_labour_dry_run_writes_nothing_then_the_real_run_creates(importer):
    job = upload(importer, "labour", csv_upload(LABOUR_HEADERS, good_book()))
    assert job.status == Status.DRY_RUN_OK, job.report
    assert (job.valid_rows, job.report["created"], job.report["updated"]) == (5, 5, 0)
    assert not LabourOperation.objects.exists()
    html = importer.get(reverse("customers:import_status", args=[job.pk])).content.decode()
    assert 'id="confirm-import"' in html and 'id="import-counts"' in html

    job = confirm(importer, job)
    assert job.status == Status.DONE and job.created_count == 5
    book = {(op.code, op.make, op.model): op for op in LabourOperation.objects.all()}
    assert book[("BY001", "", "")].hours == Decimal("0.50")
    assert book[("BY001", "", "")].category == "maintenance" and book[("BY001", "", "")].skill == "general"
    assert book[("BY001", "大众", "帕萨特")].hours == Decimal("0.60")
    assert book[("ZD001", "", "")].fixed_price == Decimal("200.00") and book[("ZD001", "", "")].skill == "diagnostic"
    assert book[("PQ001", "", "")].active is False and book[("PQ001", "", "")].category == "paint"


def test_labour_reimport_updates_on_code_make_and_model(importer):
    make_operation("BY001", name="旧名称", hours="0.4", fixed_price=Decimal("99.00"))
    make_operation("BY001", name="帕萨特", hours="0.7", make="大众", model="帕萨特")
    job = upload(importer, "labour", csv_upload(LABOUR_HEADERS, good_book()))
    assert (job.report["created"], job.report["updated"]) == (3, 2)
    confirm(importer, job)
    assert LabourOperation.objects.count() == 5
    generic = LabourOperation.objects.get(code="BY001", make="")
    assert (generic.name, generic.hours, generic.fixed_price) == ("更换机油机滤", Decimal("0.50"), None)
    html = importer.get(reverse("customers:import_status", args=[job.pk])).content.decode()
    assert 'id="import-done"' in html and "3 added, 2 updated" in html


def test_a_file_of_some_columns_changes_only_those(importer):
    make_operation("JX010", name="更换前刹车片", hours="1.0", category="mechanical", fixed_price=Decimal("150"))
    job = upload(importer, "labour", csv_upload(["代码", "标准工时"], [["JX010", "1.2"]]))
    confirm(importer, job)
    operation = LabourOperation.objects.get()
    assert (operation.name, operation.hours, operation.category, operation.fixed_price) == (
        "更换前刹车片", Decimal("1.20"), "mechanical", Decimal("150.00"))


def test_bad_labour_rows_are_reported_per_row_and_nothing_is_written(importer):
    rows = [
        ["BY001", "更换机油机滤", "保养", "0.5", "", "", "", ""],
        ["BY002", "更换空气滤芯", "美容", "0.3", "", "", "", ""],  # 3: unknown category
        ["BY003", "更换空调滤芯", "保养", "-0.3", "", "", "", ""],  # 4: negative hours
        ["BY001", "更换机油机滤", "保养", "0.5", "", "", "", ""],  # 5: duplicate in the file
        ["BY004", "", "", "", "", "", "", ""],  # 6: a new operation without name, category, hours
        ["BY005", "检查", "保养", "0.125", "", "朗逸", "abc", "也许"],  # 7: 3 decimals, model without make, ...
    ]
    job = upload(importer, "labour", csv_upload(LABOUR_HEADERS, rows))
    assert job.status == Status.DRY_RUN_FAILED and job.error_rows == 5 and job.valid_rows == 1
    errors = errors_by_row(job)
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert errors[3] == [("category", "“美容” is not one of: 保养、机修、电器、钣金、喷漆、诊断.")]
    assert errors[4] == [("hours", "“-0.3” is negative; enter zero or more.")]
    assert errors[5] == [("code", "Operation BY001 is also in row 2 of this file.")]
    assert {field for field, _message in errors[6]} == {"name", "category", "hours"}
    assert {field for field, _message in errors[7]} == {"hours", "make", "fixed_price", "active"}
    assert job.report["errors"][0]["column"] == "类别"
    assert not LabourOperation.objects.exists()
    html = importer.get(reverse("customers:import_status", args=[job.pk])).content.decode()
    assert 'id="import-errors"' in html and 'id="confirm-import"' not in html and "美容" in html


def test_labour_xlsx_with_numbers_as_numbers_and_english_headers(importer):
    headers = ["Code", "Name", "Category", "Flat-rate hours", "Skill", "Fixed price"]
    rows = [["BY001", "Oil change", "Maintenance", 0.5, "", None],
            ["DQ001", "Replace battery", "electrical", 0.3, "电工", 120],
            [1001, "Numeric code", "body", 2, "Body repairer", 99.5]]
    job = upload(importer, "labour", xlsx_upload(headers, rows))
    assert job.status == Status.DRY_RUN_OK, job.report
    confirm(importer, job)
    battery = LabourOperation.objects.get(code="DQ001")
    assert (battery.category, battery.skill, battery.hours, battery.fixed_price) == (
        "electrical", "electrical", Decimal("0.30"), Decimal("120.00"))
    assert LabourOperation.objects.get(code="1001").fixed_price == Decimal("99.50")


# ---------------------------------------------------------------- service packages

@pytest.fixture
def catalogue(site):
    make_operation("BY001", name="更换机油机滤", hours="0.5")
    make_operation("BY001", name="更换机油机滤(朗逸)", hours="0.4", make="大众", model="朗逸")
    make_operation("BY010", name="常规检查", hours="0.3")
    make_operation("KT001", name="空调清洗", hours="0.8", make="大众")  # variants only, no generic one
    make_operation("KT001", name="空调清洗", hours="0.9", make="丰田")
    make_operation("KT002", name="空调系统检测", hours="0.5", make="大众")  # the only one: packages may use it
    old = make_part(site, "06A-115-561", name="机油滤清器(旧)")
    new = make_part(site, "06A 115 561 B", name="机油滤清器")
    old.superseded_by = new
    old.save()
    make_part(site, "OIL-5W30", name="机油 5W-30", unit=Part.Unit.LITRE, sale_price="88.00")
    return {"old_filter": old, "filter": new}


def good_packages():
    return [
        ["PK5000", "首保/5000公里保养", "5000", "", "BY001", "", ""],
        ["PK5000", "", "", "", "", "oil-5w30", "4.5"],
        ["PK5000", "首保/5000公里保养", "", "", "", "06A115561", "1"],  # the old number → its replacement
        ["PK10000", "10000公里保养", "10000", "599", "BY001", "", ""],
        ["PK10000", "", "", "", "BY010", "", ""],
    ]


def test_package_dry_run_then_real_run(importer, site, catalogue):
    job = upload(importer, "packages", csv_upload(PACKAGE_HEADERS, good_packages()))
    assert job.status == Status.DRY_RUN_OK, job.report
    assert (job.report["created"], job.report["updated"]) == (2, 0) and not ServicePackage.objects.exists()
    job = confirm(importer, job)
    assert job.status == Status.DONE, job.report
    first = ServicePackage.objects.get(site=site, code="PK5000")
    assert (first.name, first.mileage_km, first.fixed_price) == ("首保/5000公里保养", 5000, None)
    assert [(line.operation.code, line.operation.make) for line in first.operations.all()] == [("BY001", "")]
    assert [(line.part.number, line.quantity) for line in first.parts.all()] == [
        ("OIL-5W30", Decimal("4.50")), ("06A 115 561 B", Decimal("1.00"))]
    second = ServicePackage.objects.get(site=site, code="PK10000")
    assert second.fixed_price == Decimal("599.00") and second.operations.count() == 2


def test_reimporting_a_package_replaces_its_lines(importer, site, catalogue):
    package = make_package(site, "PK5000", name="旧", operations=[LabourOperation.objects.get(code="BY010")],
                           parts=[(catalogue["filter"], "2")], fixed_price=Decimal("1"))
    rows = [["PK5000", "", "5000", "", "BY001", "", ""]]
    job = upload(importer, "packages", csv_upload(PACKAGE_HEADERS, rows))
    assert (job.report["created"], job.report["updated"]) == (0, 1)
    confirm(importer, job)
    package.refresh_from_db()
    assert (package.name, package.mileage_km, package.fixed_price) == ("旧", 5000, None)
    assert [line.operation.code for line in package.operations.all()] == ["BY001"] and not package.parts.exists()


def test_bad_package_rows_are_reported(importer, site, catalogue):
    make_part(site, "F-AIR", name="空气滤芯")
    rows = [
        ["PK1", "", "", "", "BY001", "", ""],  # 2: a new package needs a name
        ["PK2", "套餐二", "5000", "", "XX999", "", ""],  # 3: unknown operation
        ["PK2", "", "", "", "", "NOPE", "1"],  # 4: unknown part
        ["PK2", "", "", "", "BY001", "F-AIR", "1"],  # 5: both
        ["PK2", "", "", "", "", "F-AIR", "1.5"],  # 6: half a piece
        ["PK2", "", "", "", "", "OIL-5W30", ""],  # 7: no quantity
        ["PK2", "", "", "", "BY010", "", ""],
        ["PK2", "", "", "", "BY010", "", ""],  # 9: twice
        ["PK2", "另一个名字", "", "", "", "", ""],  # 10: differs from row 3
        ["PK2", "", "", "", "KT001", "", ""],  # 11: only a make's variant exists
        ["PK2", "", "", "", "", "OIL-5W30", "-1"],  # 12: negative quantity
        ["PK2", "", "", "", "KT002", "", ""],
    ]
    job = upload(importer, "packages", csv_upload(PACKAGE_HEADERS, rows))
    assert job.status == Status.DRY_RUN_FAILED
    errors = errors_by_row(job)
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert errors[2] == [("package_name", "Enter the name of the new package PK1 on its first row.")]
    assert errors[3] == [("operation_code", "The labour-time book has no operation XX999; import or add it first.")]
    assert errors[4] == [("part_number", "This site's parts catalogue has no part NOPE; import it first.")]
    assert errors[5][0][0] == "operation_code" and errors[6][0][0] == "quantity" and errors[7][0][0] == "quantity"
    assert errors[9] == [("operation_code", "Operation BY010 is already in this package (row 8).")]
    assert errors[10][0][0] == "package_name" and "row 3" in errors[10][0][1]
    assert "particular vehicles" in errors[11][0][1] and errors[12][0][0] == "quantity"
    assert not ServicePackage.objects.exists()


def test_packages_from_xlsx(importer, site, catalogue):
    rows = [["AC01", "空调清洗套餐", None, 198, "BY010", None, None],
            ["AC01", None, None, None, None, "OIL-5W30", 1.5]]
    job = upload(importer, "packages", xlsx_upload(PACKAGE_HEADERS, rows))
    assert job.status == Status.DRY_RUN_OK, job.report
    confirm(importer, job)
    package = ServicePackage.objects.get(code="AC01")
    assert package.fixed_price == Decimal("198.00") and package.parts.get().quantity == Decimal("1.50")


# ---------------------------------------------------------------- who may import what

def test_each_role_is_offered_the_kinds_it_may_import(client, site, manager):
    client.force_login(manager)
    offered = [value for value, _label in client.get(reverse("customers:import")).context["form"]
               .fields["kind"].choices]
    assert offered == ["customers", "vehicles", "labour", "packages", "parts"]
    clerk = make_staff(role=PARTS_CLERK, sites=[site])
    client.force_login(clerk)
    response = client.get(reverse("customers:import"))
    assert [value for value, _label in response.context["form"].fields["kind"].choices] == ["parts"]
    assert "?template=parts" in response.content.decode() and "?template=labour" not in response.content.decode()
    assert client.get(reverse("customers:import") + "?template=labour").status_code == 404
    client.force_login(make_staff(role=ADVISOR, sites=[site]))
    assert client.get(reverse("customers:import")).status_code == 403


def test_a_parts_clerk_may_not_import_labour_or_see_its_jobs(client, site, manager):
    job = ImportJob.objects.create(site=site, created_by=manager, kind="labour", file="imports/x.csv",
                                   original_name="x.csv", format="csv", status=Status.DRY_RUN_OK)
    client.force_login(make_staff(role=PARTS_CLERK, sites=[site]))
    response = client.post(reverse("customers:import"), {
        "kind": "labour", "file": csv_upload(LABOUR_HEADERS, good_book())})
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert client.get(reverse("customers:import_status", args=[job.pk])).status_code == 403
    assert client.post(reverse("customers:import_status", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == Status.DRY_RUN_OK and ImportJob.objects.count() == 1


def test_templates_of_the_catalogues_have_their_headers(importer):
    text = b"".join(importer.get(reverse("customers:import") + "?template=labour").streaming_content)
    assert text.decode("utf-8-sig").startswith("Code,Name,English name,Category,Hours")
    text = b"".join(importer.get(reverse("customers:import") + "?template=packages").streaming_content)
    assert "Package code" in text.decode("utf-8-sig")
