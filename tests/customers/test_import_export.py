"""Import (dry run, confirm, one transaction) and export of customers and vehicles."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from customers import services
from customers.importing import reading
from customers.models import ArchiveEvent, ConsentRecord, Customer, MileageReading, Ownership, Vehicle
from customers.models_import import ImportJob
from customers.tasks import import_run
from customers.validation import validate_vin
from servicedesk.accounts.models import Membership, Site, StaffProfile
from tests.import_helpers import csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

CUSTOMER_HEADERS = ["姓名", "手机", "客户类型", "客户等级", "生日", "同意营销", "备注"]
VEHICLE_HEADERS = ["车架号", "车牌", "品牌", "车型", "年款", "注册日期", "车主手机", "里程"]
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VALUES = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ",
                   (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))


def vin(serial: int) -> str:
    """A VIN with a correct check digit (9th character)."""
    body = f"LSVAB2180N{serial:07d}"
    total = sum(w * (int(c) if c.isdigit() else _VALUES[c]) for w, c in zip(_WEIGHTS, body, strict=True))
    check = "X" if total % 11 == 10 else str(total % 11)
    result = body[:8] + check + body[9:]
    validate_vin(result)
    return result


def bad_check_digit(good: str) -> str:
    wrong = "1" if good[8] != "1" else "2"
    return good[:8] + wrong + good[9:]


# ---------------------------------------------------------------- fixtures

def _staff(username: str, role: str, sites) -> User:
    user = User.objects.create_user(username=username, password="pw")
    profile = StaffProfile.objects.create(user=user, display_name=username, default_site=sites[0])
    for site in sites:
        Membership.objects.create(profile=profile, site=site)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def shop(db):
    return Site.objects.create(code="IMP1", name="导入一店")


@pytest.fixture
def other_shop(db):
    return Site.objects.create(code="IMP2", name="导入二店")


@pytest.fixture
def importer(shop):
    return _staff("importer", "service_manager", [shop])


@pytest.fixture
def importer_client(client, importer):
    client.force_login(importer)
    return client


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Tasks are enqueued after commit; run them (eagerly) when the request's work is done."""
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()
    return run


# ---------------------------------------------------------------- helpers

def upload(client, run_tasks, kind, file) -> ImportJob:
    response = run_tasks(lambda: client.post(reverse("customers:import"), {"kind": kind, "file": file}))
    job = ImportJob.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("customers:import_status",
                                                                            args=[job.pk])
    return job


def confirm(client, run_tasks, job) -> ImportJob:
    run_tasks(lambda: client.post(reverse("customers:import_status", args=[job.pk])))
    job.refresh_from_db()
    return job


def errors_by_row(job) -> dict:
    found = {}
    for error in job.report["errors"]:
        found.setdefault(error["row"], []).append((error["field"], error["column"], error["message"]))
    return found


def good_customers():
    return [
        ["张伟", "138 0013 8000", "个人", "VIP", "1985/3/7", "是", "老客户"],
        ["上海某某物流有限公司", "13900139000", "公司", "车队", "", "否", ""],
        ["李娜", "+86 137-0013-7000", "", "", "", "", ""],
    ]


def good_vehicles():
    return [
        [vin(1), "沪A12345", "大众", "朗逸", "2021", "2021-05-01", "13800138000", "35000"],
        [vin(2), "沪AD12345", "比亚迪", "汉", "2023", "2023年6月1日", "13900139000", ""],
    ]


# ---------------------------------------------------------------- dry run and errors

def test_dry_run_of_good_file_reports_rows_and_creates_nothing(importer_client, run_tasks, shop):
    job = upload(importer_client, run_tasks, "customers", csv_upload(CUSTOMER_HEADERS, good_customers()))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK and job.dry_run, job.report
    assert (job.total_rows, job.valid_rows, job.error_rows) == (3, 3, 0)
    assert not Customer.objects.exists() and not ArchiveEvent.objects.exists()
    html = importer_client.get(reverse("customers:import_status", args=[job.pk])).content.decode()
    assert 'id="confirm-import"' in html and "3" in html and "every 1s" not in html


def test_bad_customer_rows_are_reported_with_row_column_and_reason(importer_client, run_tasks, shop):
    Customer.objects.create(site=shop, name="老王", mobile="13600136000")
    rows = [
        ["张伟", "13800138000", "", "", "", "", ""],          # row 2: fine
        ["坏号码", "12345", "", "", "", "", ""],              # row 3: not a mobile
        ["重复", "138-0013-8000", "", "", "", "", ""],        # row 4: same mobile as row 2
        ["已有", "13600136000", "", "", "", "", ""],          # row 5: on file already
        ["", "13500135000", "外星人", "", "", "也许", ""],     # row 6: no name, unknown kind, bad yes/no
    ]
    job = upload(importer_client, run_tasks, "customers", csv_upload(CUSTOMER_HEADERS, rows))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_FAILED and job.error_rows == 4 and job.valid_rows == 1
    found = errors_by_row(job)
    assert set(found) == {3, 4, 5, 6}
    assert found[3][0][:2] == ("mobile", "手机") and "12345" in found[3][0][2]
    assert found[4][0][0] == "mobile" and "2" in found[4][0][2]
    assert found[5][0][0] == "mobile" and "老王" in found[5][0][2]
    assert {field for field, _column, _message in found[6]} == {"name", "kind", "marketing_consent"}
    assert Customer.objects.count() == 1
    html = importer_client.get(reverse("customers:import_status", args=[job.pk])).content.decode()
    assert 'id="import-errors"' in html and 'id="confirm-import"' not in html and "老王" in html
    assert importer_client.post(reverse("customers:import_status", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_FAILED  # a failed check cannot be confirmed


def test_bad_vehicle_rows_are_reported(importer_client, run_tasks, shop):
    owner = Customer.objects.create(site=shop, name="张伟", mobile="13800138000")
    on_file = Vehicle.objects.create(site=shop, owner=owner, vin=vin(9), plate="沪B00001", make="大众",
                                     model="速腾")
    rows = [
        [vin(1), "沪A12345", "大众", "朗逸", "", "", "13800138000", ""],               # row 2: fine
        [bad_check_digit(vin(3)), "", "大众", "朗逸", "", "", "13800138000", ""],      # row 3: check digit
        [on_file.vin, "", "大众", "朗逸", "", "", "13800138000", ""],                 # row 4: VIN on file
        [vin(1), "", "大众", "朗逸", "", "", "13800138000", ""],                      # row 5: VIN repeated
        [vin(4), "", "大众", "朗逸", "", "", "13700137000", ""],                      # row 6: unknown owner
        [vin(5), "沪12345", "大众", "朗逸", "", "", "13800138000", "-5"],             # row 7: plate, mileage
    ]
    job = upload(importer_client, run_tasks, "vehicles", csv_upload(VEHICLE_HEADERS, rows))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_FAILED
    found = errors_by_row(job)
    assert set(found) == {3, 4, 5, 6, 7}
    assert found[3] == [("vin", "车架号", found[3][0][2])] and "9" in found[3][0][2]
    assert found[4][0][0] == "vin" and "沪B00001" in found[4][0][2]
    assert found[5][0][0] == "vin" and "2" in found[5][0][2]
    assert found[6] == [("owner_mobile", "车主手机", found[6][0][2])] and "13700137000" in found[6][0][2]
    assert {field for field, _column, _message in found[7]} == {"plate", "mileage"}
    assert Vehicle.objects.count() == 1


def test_reasons_are_in_the_users_language(importer_client, run_tasks, shop):
    importer_client.cookies["django_language"] = "en"
    rows = [["Zhang Wei", "12345", "", "", "", "", ""]]
    headers = ["name", "Mobile", "kind", "tier", "birthday", "marketing consent", "notes"]
    job = upload(importer_client, run_tasks, "customers", csv_upload(headers, rows))
    job.refresh_from_db()
    assert job.language == "en"
    assert job.report["errors"] == [{"row": 2, "field": "mobile", "column": "Mobile",
                                     "message": job.report["errors"][0]["message"]}]
    assert "is not a valid phone number" in job.report["errors"][0]["message"]


# ---------------------------------------------------------------- real import

def test_confirming_good_files_creates_everything_with_events(importer_client, run_tasks, importer, shop):
    job = upload(importer_client, run_tasks, "customers", csv_upload(CUSTOMER_HEADERS, good_customers()))
    job = confirm(importer_client, run_tasks, job)
    assert job.status == ImportJob.Status.DONE and job.created_count == 3 and not job.dry_run
    zhang = Customer.objects.get(site=shop, mobile="13800138000")
    assert (zhang.name, zhang.tier, zhang.kind) == ("张伟", "vip", "person")
    assert str(zhang.birthday) == "1985-03-07"
    assert zhang.marketing_consent and ConsentRecord.objects.filter(customer=zhang, granted=True).exists()
    assert Customer.objects.get(mobile="13900139000").tier == "fleet"
    assert Customer.objects.get(mobile="13700137000").kind == "person"
    imported = ArchiveEvent.objects.filter(kind=ArchiveEvent.Kind.IMPORTED, site=shop)
    assert imported.count() == 3 and all(e.actor == importer and e.data["job"] == job.pk for e in imported)
    assert zhang.history.first().history_user == importer

    job = upload(importer_client, run_tasks, "vehicles", csv_upload(VEHICLE_HEADERS, good_vehicles()))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK and job.valid_rows == 2
    job = confirm(importer_client, run_tasks, job)
    assert job.status == ImportJob.Status.DONE and job.created_count == 2
    langyi = Vehicle.objects.get(site=shop, vin=vin(1))
    assert (langyi.owner, langyi.plate, langyi.model_year, langyi.mileage) == (zhang, "沪A12345", 2021, 35000)
    assert Ownership.objects.get(vehicle=langyi, ended_on__isnull=True).customer == zhang
    assert MileageReading.objects.get(vehicle=langyi).source == MileageReading.Source.IMPORT
    han = Vehicle.objects.get(vin=vin(2))
    assert str(han.registration_date) == "2023-06-01" and not han.mileage_readings.exists()
    events = ArchiveEvent.objects.filter(kind=ArchiveEvent.Kind.IMPORTED, vehicle=langyi, customer=zhang)
    assert events.count() == 1
    html = importer_client.get(reverse("customers:import_status", args=[job.pk])).content.decode()
    assert 'id="import-done"' in html


def test_confirming_twice_or_rerunning_a_finished_job_does_nothing(importer_client, run_tasks, shop):
    job = upload(importer_client, run_tasks, "customers", csv_upload(CUSTOMER_HEADERS, good_customers()))
    job = confirm(importer_client, run_tasks, job)
    confirm(importer_client, run_tasks, job)
    import_run(job.pk)
    assert Customer.objects.count() == 3 and ArchiveEvent.objects.filter(kind="imported").count() == 3


def test_a_row_failing_in_the_real_run_leaves_nothing(importer_client, run_tasks, shop):
    job = upload(importer_client, run_tasks, "customers", csv_upload(CUSTOMER_HEADERS, good_customers()))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK
    # Between the check and the confirmation, someone at the desk registers the third row's customer.
    Customer.objects.create(site=shop, name="李娜", mobile="13700137000")
    job = confirm(importer_client, run_tasks, job)
    assert job.status == ImportJob.Status.FAILED and job.created_count == 0
    assert [e["row"] for e in job.report["errors"]] == [4]
    assert list(Customer.objects.values_list("name", flat=True)) == ["李娜"]
    assert not ArchiveEvent.objects.exists() and not ConsentRecord.objects.exists()
    html = importer_client.get(reverse("customers:import_status", args=[job.pk])).content.decode()
    assert 'id="import-failed"' in html


def test_an_unexpected_failure_rolls_back_every_row(importer_client, run_tasks, shop, monkeypatch):
    real_create, calls = services.customer_create, []

    def flaky_create(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_create(**kwargs)

    job = upload(importer_client, run_tasks, "customers", csv_upload(CUSTOMER_HEADERS, good_customers()))
    monkeypatch.setattr(services, "customer_create", flaky_create)
    job = confirm(importer_client, run_tasks, job)
    assert job.status == ImportJob.Status.FAILED
    assert job.report["errors"][0]["row"] == 4 and "RuntimeError" in job.report["errors"][0]["message"]
    assert not Customer.objects.exists() and not ArchiveEvent.objects.exists()


# ---------------------------------------------------------------- formats and limits

def test_gbk_csv_imports(importer_client, run_tasks, shop):
    job = upload(importer_client, run_tasks, "customers",
                 csv_upload(CUSTOMER_HEADERS, good_customers(), encoding="gbk"))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK, job.report
    confirm(importer_client, run_tasks, job)
    assert Customer.objects.get(mobile="13800138000").name == "张伟"
    assert Customer.objects.get(mobile="13900139000").name == "上海某某物流有限公司"


def test_utf8_csv_without_bom_and_english_headers_imports(importer_client, run_tasks, shop):
    rows = [["Zhang Wei", "13800138000", "person", "regular", "1985-03-07", "yes", ""]]
    headers = ["Name", "mobile", "Kind", "tier", "Birthday", "Marketing consent", "Notes"]
    job = upload(importer_client, run_tasks, "customers", csv_upload(headers, rows, encoding="utf-8"))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK, job.report


def test_xlsx_imports_with_numeric_and_date_cells(importer_client, run_tasks, shop):
    from datetime import datetime

    Customer.objects.create(site=shop, name="张伟", mobile="13800138000")
    rows = [[vin(7), "沪A54321", "丰田", "凯美瑞", 2020, datetime(2020, 8, 1), 13800138000, 12000.0]]
    job = upload(importer_client, run_tasks, "vehicles", xlsx_upload(VEHICLE_HEADERS, rows))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK, job.report
    confirm(importer_client, run_tasks, job)
    camry = Vehicle.objects.get(vin=vin(7))
    assert (camry.model_year, str(camry.registration_date), camry.mileage) == (2020, "2020-08-01", 12000)


def test_unknown_file_type_and_too_large_files_are_refused(importer_client, run_tasks, shop, monkeypatch):
    response = importer_client.post(reverse("customers:import"), {
        "kind": "customers", "file": SimpleUploadedFile("data.xls", b"\xd0\xcf\x11\xe0 old excel")})
    assert response.status_code == 200 and ".xlsx" in response.context["form"].errors["file"][0]
    monkeypatch.setattr(reading, "MAX_BYTES", 50)
    response = importer_client.post(reverse("customers:import"), {
        "kind": "customers", "file": csv_upload(CUSTOMER_HEADERS, good_customers())})
    assert "MB" in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists()


def test_too_many_rows_or_missing_columns_are_refused_clearly(importer_client, run_tasks, shop, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    job = upload(importer_client, run_tasks, "customers", csv_upload(CUSTOMER_HEADERS, good_customers()))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_FAILED and "2" in job.report["file_error"]
    job = upload(importer_client, run_tasks, "customers", csv_upload(["姓名", "地址"], [["张伟", "上海"]]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_FAILED and "手机" in job.report["file_error"]
    job = upload(importer_client, run_tasks, "vehicles", SimpleUploadedFile("fake.xlsx", b"not a zip"))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_FAILED and ".xlsx" in job.report["file_error"]
    html = importer_client.get(reverse("customers:import_status", args=[job.pk])).content.decode()
    assert 'id="import-file-error"' in html


def test_large_file_is_processed_in_chunks_with_progress(importer_client, run_tasks, shop, monkeypatch):
    from customers.importing import runner

    seen = []
    real_set = cache.set
    def recording_set(key, value, *args):
        if not key.startswith("access:"):  # the uploader's cached permissions are not progress
            seen.append(value)
        real_set(key, value, *args)

    monkeypatch.setattr(runner.cache, "set", recording_set)
    rows = [[f"客户{n}", f"139{n:08d}", "", "", "", "", ""] for n in range(250)]
    job = upload(importer_client, run_tasks, "customers", csv_upload(CUSTOMER_HEADERS, rows))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK and job.valid_rows == 250
    assert seen == [0, 100, 200, 250]


def test_status_page_polls_and_shows_progress_while_running(importer_client, importer, shop):
    job = ImportJob.objects.create(site=shop, created_by=importer, kind="customers", file="imports/x.csv",
                                   original_name="x.csv", format="csv", status=ImportJob.Status.RUNNING,
                                   total_rows=400)
    cache.set(job.progress_key, 100)
    response = importer_client.get(reverse("customers:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html and "25%" in html and "<html" not in html


# ---------------------------------------------------------------- export and templates

def test_export_round_trips_through_the_import(client, run_tasks, shop, other_shop):
    manager = _staff("two-sites", "service_manager", [shop, other_shop])
    client.force_login(manager)
    zhang = Customer.objects.create(site=shop, name="=HYPERLINK(\"x\")", mobile="13800138000", tier="vip",
                                    marketing_consent=True, birthday="1985-03-07")
    Customer.objects.create(site=shop, name="李娜", mobile="+85291234567", notes="香港号码")
    Vehicle.objects.create(site=shop, owner=zhang, vin=vin(1), plate="沪A12345", make="大众", model="朗逸",
                           mileage=1000, registration_date="2021-05-01")
    exported = client.get(reverse("customers:export", args=["customers", "csv"]))
    customers_csv = b"".join(exported.streaming_content)
    assert customers_csv.startswith(b"\xef\xbb\xbf") and "'=HYPERLINK" in customers_csv.decode("utf-8-sig")
    vehicles_xlsx = client.get(reverse("customers:export", args=["vehicles", "xlsx"]))
    vehicles_bytes = b"".join(vehicles_xlsx.streaming_content)
    sheet = load_workbook(io.BytesIO(vehicles_bytes)).active
    assert [c.value for c in sheet[1]] == [*VEHICLE_HEADERS[:5], "发动机号", "颜色", "注册日期",
                                           "保修开始日期", "车主手机", "里程"]

    session = client.session
    session["current_site_id"] = other_shop.pk
    session.save()
    job = upload(client, run_tasks, "customers", SimpleUploadedFile("customers.csv", customers_csv))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK and job.valid_rows == 2, job.report
    confirm(client, run_tasks, job)
    copy = Customer.objects.get(site=other_shop, mobile="13800138000")
    assert (copy.name, copy.tier, copy.marketing_consent, str(copy.birthday)) == (
        zhang.name, "vip", True, "1985-03-07")
    assert Customer.objects.get(site=other_shop, mobile="+85291234567").notes == "香港号码"
    job = upload(client, run_tasks, "vehicles", SimpleUploadedFile("vehicles.xlsx", vehicles_bytes))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK and job.valid_rows == 1, job.report


def test_export_is_scoped_to_the_site(importer_client, shop, other_shop):
    Customer.objects.create(site=shop, name="本店", mobile="13800138000")
    Customer.objects.create(site=other_shop, name="别店", mobile="13900139000")
    text = b"".join(importer_client.get(reverse("customers:export", args=["customers", "csv"]))
                    .streaming_content).decode("utf-8-sig")
    assert "本店" in text and "别店" not in text


def test_unknown_export_kind_or_format_is_404(importer_client):
    assert importer_client.get(reverse("customers:export", args=["parts", "csv"])).status_code == 404
    assert importer_client.get(reverse("customers:export", args=["customers", "xls"])).status_code == 404


def test_template_download_has_the_headers(importer_client):
    response = importer_client.get(reverse("customers:import") + "?template=vehicles")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv") and text.startswith("车架号,车牌,品牌")
    html = importer_client.get(reverse("customers:import")).content.decode()
    assert "?template=customers" in html and 'enctype="multipart/form-data"' in html


# ---------------------------------------------------------------- permissions and sites

def test_an_advisor_may_not_import_or_export(client, shop, importer):
    advisor = _staff("advisor-x", "advisor", [shop])
    job = ImportJob.objects.create(site=shop, created_by=importer, kind="customers", file="imports/x.csv",
                                   original_name="x.csv", format="csv")
    client.force_login(advisor)
    assert client.get(reverse("customers:import")).status_code == 403
    assert client.post(reverse("customers:import"), {"kind": "customers"}).status_code == 403
    assert client.get(reverse("customers:import_status", args=[job.pk])).status_code == 403
    assert client.get(reverse("customers:export", args=["customers", "csv"])).status_code == 403


def test_another_sites_job_is_not_found(client, shop, other_shop, importer):
    job = ImportJob.objects.create(site=shop, created_by=importer, kind="customers", file="imports/x.csv",
                                   original_name="x.csv", format="csv", status=ImportJob.Status.DRY_RUN_OK)
    client.force_login(_staff("elsewhere", "service_manager", [other_shop]))
    assert client.get(reverse("customers:import_status", args=[job.pk])).status_code == 404
    assert client.post(reverse("customers:import_status", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DRY_RUN_OK
