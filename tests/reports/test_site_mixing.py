"""Reports never mix sites (issue 11, "Access"): a manager of site A reads A's figures only, on every screen,
export, PDF and API answer, and another site named in ?site= is a 404; a manager of A and B reads group-wide
figures that are A + B. The dataset is counted by hand:

    A (SH01): RO A-1 opened and delivered 9 Nov, invoiced labour 100 + parts 200 = 300.00 net;
              RO A-2 opened and delivered 16 Nov (today), invoiced labour 150 = 150.00 net.
              → 2 cars, 450.00 net in November; today 1 delivered, 169.50 invoiced gross (150 + 13% VAT).
    B (BJ01): RO B-1 opened and delivered 16 Nov, invoiced labour 1000 = 1000.00 net.
              → 1 car, 1000.00 net; today 1 delivered, 1130.00 gross.
    A + B:    3 cars, 1450.00 net; today 2 delivered, 1299.50 gross.
"""

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from servicedesk.accounts.roles import SERVICE_MANAGER
from tests.factories import make_staff
from tests.security.test_prices_hidden import pdf_text

from .dataset import Dataset, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MONTH, TODAY = "2026-11", "2026-11-16"
A_NET, B_NET, GROUP_NET = "450.00", "1000.00", "1450.00"


@pytest.fixture(autouse=True)
def mid_november():
    with time_machine.travel(at(16, 15), tick=False):
        yield


@pytest.fixture
def two_sites(site, other_site):
    other_site.time_zone = site.time_zone  # one calendar, so "today" and "November" are the same days at both
    other_site.save()
    a, b = Dataset(site, make_staff(role=SERVICE_MANAGER, sites=[site], username="adv_a"), prefix="A"), \
        Dataset(other_site, make_staff(role=SERVICE_MANAGER, sites=[other_site], username="adv_b"), prefix="B")
    a1 = a.ro(created=at(9, 9), delivered=at(9, 17))
    a.invoice(a1, issued=at(9, 17), lines=[("labour", "customer", "100.00"), ("part", "customer", "200.00")])
    a2 = a.ro(created=at(16, 9), delivered=at(16, 12))
    a.invoice(a2, issued=at(16, 12), lines=[("labour", "customer", "150.00")])
    b1 = b.ro(created=at(16, 8), delivered=at(16, 11))
    b.invoice(b1, issued=at(16, 11), lines=[("labour", "customer", "1000.00")])
    return site, other_site


@pytest.fixture
def manager_a(client, two_sites):
    client.force_login(make_staff(role=SERVICE_MANAGER, sites=[two_sites[0]], username="mgr_a"))
    return client


@pytest.fixture
def manager_ab(client, two_sites):
    client.force_login(make_staff(role=SERVICE_MANAGER, sites=list(two_sites), username="mgr_ab"))
    return client


def _monthly(client, **params) -> dict:
    response = client.get("/api/v1/reports/monthly", {"month": MONTH, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _daily(client, **params) -> dict:
    response = client.get("/api/v1/reports/daily", {"date": TODAY, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _revenue_total(data) -> Decimal:
    return Decimal(str(data["business"]["revenue"]["total"]))


def _revenue_export(client, fmt, **params):
    response = client.get(reverse("reports:monthly_export"),
                          {"month": MONTH, "table": "revenue", "format": fmt, **params})
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        return Decimal(str(sheet.cell(sheet.max_row, 2).value)).quantize(Decimal("0.01"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return Decimal(rows[-1][1])


def _daily_export(client, **params) -> list[list[str]]:
    """The daily summary's rows (measure, value), without the header."""
    response = client.get(reverse("reports:daily_export"), {"date": TODAY, "table": "daily", **params},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]


def test_a_manager_of_one_site_reads_its_figures_only(manager_a, two_sites, tmp_path):
    site_a, _site_b = two_sites
    data = _monthly(manager_a)
    assert data["sites"] == [site_a.code]
    assert _revenue_total(data) == Decimal(A_NET) and data["business"]["car_count"] == 2
    day = _daily(manager_a)
    assert day["repair_orders_delivered"] == 1 and Decimal(str(day["invoiced_gross"])) == Decimal("169.50")
    page = manager_a.get(reverse("reports:monthly"), {"month": MONTH}).content.decode()
    assert A_NET in page and B_NET not in page and GROUP_NET not in page
    assert _revenue_export(manager_a, "csv") == Decimal(A_NET) == _revenue_export(manager_a, "xlsx")
    text = pdf_text(manager_a.get(reverse("reports:monthly_pdf"), {"month": MONTH}).content, tmp_path)
    assert A_NET in text and B_NET not in text and GROUP_NET not in text
    dashboard = manager_a.get(reverse("reports:dashboard")).content.decode()
    assert A_NET in dashboard and B_NET not in dashboard and GROUP_NET not in dashboard
    assert manager_a.get(reverse("reports:daily"), {"date": TODAY}).status_code == 200
    assert _daily_export(manager_a)[:2] == [["Repair orders opened", "1"], ["Repair orders delivered", "1"]]


@pytest.mark.parametrize("wanted", ["BJ01", "all"])
def test_naming_the_other_site_is_refused_everywhere(manager_a, two_sites, wanted):
    site_b = two_sites[1]
    if wanted == "all":  # "all" is the one site the manager has: never B's rows
        assert _monthly(manager_a, site="all")["sites"] == [two_sites[0].code]
        assert _revenue_total(_monthly(manager_a, site="all")) == Decimal(A_NET)
        return
    assert wanted == site_b.code
    for url, params in [("/api/v1/reports/monthly", {"month": MONTH}), ("/api/v1/reports/daily", {"date": TODAY}),
                        (reverse("reports:dashboard"), {}), (reverse("reports:monthly"), {"month": MONTH}),
                        (reverse("reports:monthly_export"), {"month": MONTH, "table": "revenue"}),
                        (reverse("reports:monthly_pdf"), {"month": MONTH}),
                        (reverse("reports:daily"), {"date": TODAY}),
                        (reverse("reports:daily_export"), {"date": TODAY, "table": "payments"})]:
        response = manager_a.get(url, {**params, "site": wanted})
        assert response.status_code == 404, (url, response.status_code)


def test_a_manager_of_both_sites_reads_each_and_the_group(manager_ab, two_sites):
    site_a, site_b = two_sites
    assert _revenue_total(_monthly(manager_ab, site=site_a.code)) == Decimal(A_NET)
    assert _revenue_total(_monthly(manager_ab, site=site_b.code)) == Decimal(B_NET)
    group = _monthly(manager_ab, site="all")
    assert sorted(group["sites"]) == sorted([site_a.code, site_b.code])
    assert _revenue_total(group) == Decimal(GROUP_NET) and group["business"]["car_count"] == 3
    day = _daily(manager_ab, site="all")
    assert day["repair_orders_delivered"] == 2 and Decimal(str(day["invoiced_gross"])) == Decimal("1299.50")
    assert _revenue_export(manager_ab, "csv", site="all") == Decimal(GROUP_NET)
    assert _daily_export(manager_ab, site="all")[:2] == [["Repair orders opened", "2"],
                                                         ["Repair orders delivered", "2"]]
    page = manager_ab.get(reverse("reports:monthly"), {"month": MONTH, "site": "all"}).content.decode()
    assert GROUP_NET in page
    dashboard = manager_ab.get(reverse("reports:dashboard"), {"site": "all"}).content.decode()
    assert GROUP_NET in dashboard
