"""Query counts of the monthly report and the dashboard; the trend read from the survey month scores (kept with
each survey, so a survey added to a past month is seen) and the dashboard's cache of finished revenue figures
(business.revenues): read once, kept."""

from datetime import datetime
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.dashboard import dashboard
from reports.monthly import monthly_report

from .dataset import SH, Dataset, at
from .test_monthly_figures import november  # noqa: F401  (the hand-counted dataset)

D = Decimal
DECEMBER = datetime(2026, 12, 10, 9, tzinfo=SH)  # November has ended: its figures are final

# The monthly report of one site (a calendar month that is not a quarter's first):
MONTHLY_QUERIES = [
    "invoice lines: the revenue split per advisor (the totals are their sums)",
    "invoices: ROs invoiced and not credited; the month's invoice count and last id",
    "ROs delivered or opened in the month: delivered, comebacks, car count",
    "survey month scores: the department scores of the trend's twelve months (the month's are its last)",
    "surveys: rates and NPS",
    "satisfaction callbacks due in the month",
    "low-score verbatims",
    "complaints by department", "complaints by category", "complaints: opened, by deadline",
    "complaints resolved in the month", "rechecks done",
    "follow-up settings (lost after N months, churn target)", "won back",
    "vehicles active at the month's start", "lost in the month",
    "vehicles active at the quarter's start", "lost in the quarter", "reasons lost",
    "technicians (workshop.kpis): profiles", "shifts", "absences", "sold hours", "time entries",
    "appointments: show rate",
    "advisors: ROs opened", "advisors: additional work", "advisors: satisfaction", "advisors' names",
]
DASHBOARD_QUERIES = [
    "open ROs by state", "cars today and this month, past the promised time", "appointments today",
    "ROs that may miss their promised time (none here, so no query for their jobs)", "callbacks overdue",
    "invoices of this month and last month to the same day: invoiced ROs, count and last id",
    "invoice lines: the split of the periods not in the cache", "complaints past their deadline",
]


@time_machine.travel(DECEMBER, tick=False)
def test_monthly_report_queries_and_the_second_read(site, november, django_assert_num_queries):  # noqa: F811
    with django_assert_num_queries(len(MONTHLY_QUERIES)):
        first = monthly_report(sites=[site], month="2026-11")
    # Read again: the same queries (nothing of the report depends on what the first read left in the cache).
    with django_assert_num_queries(len(MONTHLY_QUERIES)):
        again = monthly_report(sites=[site], month="2026-11")
    assert again == first


@time_machine.travel(DECEMBER, tick=False)
def test_a_survey_added_to_a_finished_month_is_counted(site, advisor, november):  # noqa: F811
    assert monthly_report(sites=[site], month="2026-11")["satisfaction"]["departments"]["workshop"] == D("60.0")
    # A survey recorded in November after the report was read first adds to November's month scores.
    more = Dataset(site, advisor, prefix="U")
    call = more.callback(more.ro(created=at(3), delivered=at(4)), kind="csi_3day", due=at(6), status="done",
                         completed=at(6))
    more.survey(call, taken=at(6), overall=5, recommend=10, scores={"quality": 5})
    # workshop (4 + 4 + 1 + 5) / 4 = 3.5 → 70
    assert monthly_report(sites=[site], month="2026-11")["satisfaction"]["departments"]["workshop"] == D("70.0")


@time_machine.travel(at(24, 16), tick=False)
def test_dashboard_queries_and_last_month_from_the_cache(site, november):  # noqa: F811
    with CaptureQueriesContext(connection) as captured:
        first = dashboard(sites=[site])
    assert len(captured) == len(DASHBOARD_QUERIES), [query["sql"] for query in captured]
    with CaptureQueriesContext(connection) as again_captured:
        again = dashboard(sites=[site])
    assert again == first
    # The second time the lines are read for this month only: October 1–24 has ended and is in the cache.
    lines_query = again_captured[len(DASHBOARD_QUERIES) - 2]["sql"]
    assert "billing_invoiceline" in lines_query and "2026-09-30" not in lines_query
    assert first["revenue"]["total"] == D("1410.00")  # every November invoice is before the 24th (see revenue)
    assert first["revenue_last_month"]["total"] == D("0.00")  # r0's invoice is on 27 October, after the 24th
