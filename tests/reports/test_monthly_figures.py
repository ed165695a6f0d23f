"""The monthly figures of DESIGN.md §6 against a dataset counted by hand (tests/reports/dataset.py).
Every expected number is worked out in the comment beside it, not computed by the code under test."""

from datetime import date
from decimal import Decimal

import pytest

from repair_orders.models import JobLine
from reports.figures.business import advisors, car_count, revenue, show_rate
from reports.figures.churn import churn
from reports.figures.complaints import complaints
from reports.figures.daily import daily
from reports.figures.satisfaction import satisfaction
from reports.figures.workshop import first_time_fix
from reports.periods import day_period, month_period

from .dataset import SH, Dataset, appointment, at, questions

D = Decimal


@pytest.fixture
def november(site, advisor):
    questions()
    data = Dataset(site, advisor)
    r0 = data.ro(created=at(26, month=10), delivered=at(27, month=10))
    r1 = data.ro(created=at(1), delivered=at(2))
    r2 = data.ro(created=at(9, 8), delivered=at(9))
    r3 = data.ro(created=at(16), delivered=at(17))
    r4 = data.ro(created=at(21), delivered=at(22))
    r5 = data.ro(created=at(24), delivered=at(25))
    data.ro(created=at(26), state="in_progress", ro_type="comeback", comeback_of=r3)
    data.ro(created=at(10), state="cancelled")
    data.ro(created=at(27), state="checked_in")
    # Churn: vehicles whose last visit was long ago.
    v1 = data.ro(created=at(14, month=11, year=2025), delivered=at(15, month=11, year=2025))
    data.ro(created=at(9, month=3), delivered=at(10, month=3))
    data.ro(created=at(30, month=10), delivered=at(31, month=10))
    v4 = data.ro(created=at(19, month=10, year=2025), delivered=at(20, month=10, year=2025))
    data.lost(v1, lost_on=date(2026, 11, 15), reason="price")
    data.lost(v4, lost_on=date(2026, 10, 20), won_back=at(18))

    cb_oct = data.callback(r0, kind="advisor_72h", due=at(30, month=10), status="done", completed=at(30, 9, 10))
    cb1 = data.callback(r1, kind="advisor_72h", due=at(5), status="done", completed=at(5, 9))
    cb2 = data.callback(r2, kind="csi_3day", due=at(12, 23), status="done", completed=at(13))
    cb3 = data.callback(r3, kind="advisor_72h", due=at(20), status="done", completed=at(20, 8))
    data.callback(r4, kind="csi_3day", due=at(25), status="unreachable")
    data.callback(r5, kind="advisor_72h", due=at(28))
    data.callback(r3, kind="complaint_recheck", due=at(23), status="done", completed=at(23))
    data.survey(cb_oct, taken=at(30, 9, 10), overall=5, recommend=9, scores={"reception": 5})
    data.survey(cb1, taken=at(5, 9), overall=5, recommend=10, scores={"reception": 5, "quality": 4, "wash": 5})
    data.survey(cb2, taken=at(13), overall=4, recommend=8, scores={"reception": 4, "quality": 4, "wash": 3})
    data.survey(cb3, taken=at(20, 8), overall=2, recommend=3, scores={"reception": 3, "quality": 1, "wash": 4},
                verbatim="异响还在")

    data.complaint(r3, created=at(20), deadline=at(22), department="workshop", category="quality",
                   resolved=at(21, 16))
    data.complaint(r2, created=at(10), deadline=at(12), department="reception", category="time", resolved=at(14))
    data.complaint(r5, created=at(25), deadline=at(27), department="workshop", category="price")
    data.complaint(r0, created=at(28, month=10), deadline=at(30, month=10), department="wash", resolved=at(2))

    data.invoice(r0, issued=at(27, month=10), lines=[("labour", "customer", "999.00")])
    data.invoice(r1, issued=at(2), lines=[("labour", "customer", "300.00"), ("part", "customer", "200.00")])
    data.invoice(r2, issued=at(9), lines=[("labour", "warranty", "400.00"), ("part", "warranty", "100.00"),
                                          ("labour", "customer", "100.00")])
    data.invoice(r3, issued=at(17), lines=[("labour", "internal", "50.00")])
    wrong = data.invoice(r4, issued=at(22), lines=[("labour", "customer", "200.00"), ("fee", "customer", "80.00")])
    data.invoice(r4, issued=at(23), kind="credit_note", credits=wrong,
                 lines=[("labour", "customer", "200.00"), ("fee", "customer", "80.00")])
    data.invoice(r4, issued=at(23, 11), lines=[("labour", "customer", "180.00"), ("fee", "customer", "80.00")])

    for day, status in [(3, "arrived"), (9, "arrived"), (12, "no_show"), (29, "booked"), (15, "cancelled")]:
        appointment(site, start=at(day), status=status)
    for approved in (True, False):
        JobLine.objects.create(repair_order=r1, description="追加", additional=True, created_by=advisor,
                               approved_at=at(1, 15) if approved else None)
    JobLine.objects.filter(repair_order=r1).update(created_at=at(1, 14))
    return month_period("2026-11", SH)


def test_satisfaction_by_department_rate_nps_and_callbacks(site, november):
    figures = satisfaction([site], november)
    # reception (5+4+3)/3 = 4 → 80; workshop (4+4+1)/3 = 3 → 60; wash (5+3+4)/3 = 4 → 80; October not counted.
    assert figures["departments"] == {"reception": D("80.0"), "workshop": D("60.0"), "parts": None,
                                      "cashier": None, "wash": D("80.0"), "overall": None}
    assert figures["surveys"] == 3
    assert figures["satisfaction_rate"] == D("66.7")  # overall ≥ 4: 2 of 3
    assert figures["nps"] == D("0.0")  # promoters 1 (10), detractors 1 (3), of 3
    # Due in November: five satisfaction calls; on time: cb1, cb3; reached 3, unreachable 1.
    assert (figures["callbacks_due"], figures["callbacks_on_time"]) == (5, 2)
    assert figures["on_time_rate"] == D("40.0")
    assert figures["reachability"] == D("75.0")
    assert figures["trend"] == [
        {"month": "2026-10", "scores": {"reception": D("100.0")}},
        {"month": "2026-11", "scores": {"reception": D("80.0"), "workshop": D("60.0"), "wash": D("80.0")}},
    ]
    assert [c["verbatim"] for c in figures["low_score_comments"]] == ["异响还在"]


def test_complaints(site, november):
    figures = complaints([site], november)
    assert figures["opened"] == 3
    assert figures["by_department"] == {"workshop": 2, "reception": 1}
    assert figures["by_category"] == {"quality": 1, "time": 1, "price": 1}
    # Resolved in November: 30 h, 96 h, and October's 120 h → median 96.
    assert figures["resolved"] == 3
    assert figures["median_hours_to_resolve"] == D("96.0")
    assert figures["resolved_by_deadline_rate"] == D("33.3")  # of the three opened, one by its deadline
    assert figures["rechecks_done"] == 1


def test_churn_month_and_quarter(site, november):
    figures = churn([site], november)
    # Active on 1 Nov (delivered 1 Nov 2025 – 31 Oct 2026): v1, the March car, the 31 Oct car, r0 → 4; lost: v1.
    assert figures["month"] == {"active_at_start": 4, "lost": 1, "rate": D("25.0")}
    # Active on 1 Oct (delivered 1 Oct 2025 – 30 Sep 2026): v4, v1, the March car → 3; lost Oct–Nov: v4, v1.
    assert figures["quarter"] == {"active_at_start": 3, "lost": 2, "rate": D("66.7")}
    assert figures["target_percent"] == D("5.0")
    assert figures["quarter_on_target"] is False
    assert figures["reasons"] == {"price": 1}
    assert figures["won_back"] == 1


def test_first_time_fix_and_car_count(site, november):
    # Delivered in November: r1–r5 → 5; comebacks opened: 1 → 1 − 1/5 = 80%.
    assert first_time_fix([site], november) == {"delivered": 5, "comebacks": 1, "first_time_fix": D("80.0")}
    # Opened in November, not cancelled: r1–r5, the comeback, the open one → 7.
    assert car_count([site], november) == 7


def test_revenue_and_aro(site, november):
    figures = revenue([site], november)
    # 500 + 600 + 50 + 280 − 280 (credit note) + 260 = 1,410; the credited invoice's RO counts once.
    assert figures["total"] == D("1410.00")
    assert figures["labour"] == D("660.00")  # customer labour and fees: 300 + 100 + 280 − 280 + 260
    assert figures["parts"] == D("200.00")
    assert figures["warranty"] == D("500.00")
    assert figures["internal"] == D("50.00")
    assert figures["labour_all_pay_types"] == D("1030.00")  # 300 + 500 + 50 + 200 − 200 + 180
    assert figures["invoiced_ros"] == 4
    assert figures["aro"] == D("352.50")


def test_show_rate_and_advisors(site, advisor, november):
    # Due (not cancelled): 4; arrived 2; no-show 1.
    assert show_rate([site], november) == {"due": 4, "arrived": 2, "no_shows": 1, "show_rate": D("50.0")}
    [row] = advisors([site], november)
    assert (row["repair_orders"], row["revenue"]) == (7, D("1410.00"))
    assert (row["additional_proposed"], row["additional_accepted"]) == (2, 1)
    assert row["satisfaction_rate"] == D("66.7")


def test_daily_report(site, november):
    figures = daily([site], day_period(date(2026, 11, 9), SH))
    assert (figures["repair_orders_opened"], figures["repair_orders_delivered"]) == (1, 1)
    assert figures["invoices_issued"] == 1
    assert figures["invoiced_gross"] == D("678.00")  # 600 + 13%
    assert figures["appointments"] == {"due": 1, "arrived": 1, "no_shows": 0}


def test_whole_report_and_its_tables(site, november):
    from reports.monthly import monthly_report
    from reports.tables import monthly_tables

    figures = monthly_report(sites=[site], month="2026-11")
    assert figures["month"] == "2026-11"
    assert figures["workshop"]["first_time_fix"] == D("80.0")
    tables = {table.key: table for table in monthly_tables(figures)}
    assert {"departments", "complaints", "churn", "technicians", "revenue", "advisors"} <= set(tables)
    assert tables["revenue"].rows[-1][1] == D("1410.00")  # the total row
