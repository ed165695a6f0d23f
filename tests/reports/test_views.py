"""The manager's screens and API: who may read them, site scoping, exports that open, constant queries."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from servicedesk.accounts.roles import ADVISOR, CASHIER, CUSTOMER_CARE, FOREMAN, PARTS_CLERK, QC_INSPECTOR, TECHNICIAN
from tests.factories import make_staff

from .test_monthly_figures import november  # noqa: F401  (the hand-counted dataset)

PAGES = ["reports:dashboard", "reports:monthly", "reports:daily", "reports:definitions", "reports:archive"]


@pytest.mark.parametrize("role", [ADVISOR, TECHNICIAN, FOREMAN, QC_INSPECTOR, PARTS_CLERK, CASHIER, CUSTOMER_CARE])
def test_no_manager_pages_for_other_roles(client, site, role):
    client.force_login(make_staff(role=role, sites=[site], username=f"u-{role}"))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403
    assert client.get("/api/v1/reports/monthly?month=2026-11").status_code == 403


def test_manager_reads_every_page(manager_client):
    for name in PAGES:
        assert manager_client.get(reverse(name)).status_code == 200


def test_monthly_page_shows_the_figures_and_exports_open(manager_client, november):  # noqa: F811
    page = manager_client.get(reverse("reports:monthly"), {"month": "2026-11"})
    assert page.status_code == 200
    assert "1410.00" in page.content.decode()  # revenue ex-VAT of the hand-counted month
    xlsx = manager_client.get(reverse("reports:monthly_export"),
                              {"month": "2026-11", "table": "revenue", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 6 and sheet.cell(6, 2).value == 1410.0
    csv = manager_client.get(reverse("reports:monthly_export"), {"month": "2026-11", "table": "departments"})
    assert csv.content.decode("utf-8-sig").splitlines()[0].count(",") == 1
    assert manager_client.get(reverse("reports:monthly_export"), {"table": "nope"}).status_code == 404


def test_a_wrong_month_is_said_not_crashed(manager_client):
    page = manager_client.get(reverse("reports:monthly"), {"month": "2026-13"}, follow=True)
    assert page.status_code == 200
    assert "YYYY-MM" in page.content.decode()
    assert manager_client.get("/api/v1/reports/monthly?month=13-2026").status_code == 400


def test_reports_only_for_the_users_sites(manager_client, other_site):
    assert manager_client.get(reverse("reports:monthly"), {"site": other_site.code}).status_code == 404
    assert manager_client.get(f"/api/v1/reports/monthly?month=2026-11&site={other_site.code}").status_code == 404


def test_group_report_for_a_manager_of_two_sites(client, site, other_site):
    client.force_login(make_staff(role="service_manager", sites=[site, other_site], username="group"))
    data = client.get("/api/v1/reports/monthly?month=2026-11&site=all").json()
    assert sorted(data["sites"]) == sorted([site.code, other_site.code])


def test_api_monthly_and_daily(manager_client, november):  # noqa: F811
    data = manager_client.get("/api/v1/reports/monthly?month=2026-11").json()
    assert data["business"]["revenue"]["aro"] in ("352.50", 352.5)
    day = manager_client.get("/api/v1/reports/daily?date=2026-11-09").json()
    assert day["repair_orders_delivered"] == 1
    assert manager_client.get("/api/v1/reports/daily?date=yesterday").status_code == 400


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_dashboard_and_monthly_report_queries_do_not_grow_with_the_data(manager_client, site, advisor, november):  # noqa: F811
    from .dataset import Dataset, at

    dashboard, monthly = reverse("reports:dashboard"), reverse("reports:monthly") + "?month=2026-11"
    manager_client.get(dashboard)  # the user's access, read once, then cached
    before = (_queries(manager_client, dashboard), _queries(manager_client, monthly))
    more = Dataset(site, advisor, prefix="U")  # as many again: ROs, invoices, callbacks, surveys
    for day in range(1, 20):
        ro = more.ro(created=at(day), delivered=at(day, 15))
        more.invoice(ro, issued=at(day, 15), lines=[("labour", "customer", "100.00"), ("part", "warranty", "50.00")])
        call = more.callback(ro, kind="csi_3day", due=at(day + 3), status="done", completed=at(day + 2))
        more.survey(call, taken=at(day + 2), overall=day % 5 + 1, recommend=day % 11, scores={"quality": 4})
    manager_client.get(dashboard)  # the dataset's staff renewed the access stamp
    assert (_queries(manager_client, dashboard), _queries(manager_client, monthly)) == before
