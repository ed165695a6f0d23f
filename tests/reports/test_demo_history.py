"""The demo's report history: `make run` shows the manager reports with numbers, and seeding twice adds nothing."""

import io

from django.core.management import call_command

from repair_orders.models import RepairOrder
from reports.monthly import monthly_report
from servicedesk.accounts.models import Site


def test_seed_demo_fills_three_months_of_history_once(db):
    call_command("seed_demo", customers=40, vehicles=50, stdout=io.StringIO())
    site = Site.objects.get(code="SH01")
    history = RepairOrder.objects.filter(site=site, number__startswith="SH01-H-")
    assert history.count() == 120
    call_command("seed_demo", customers=40, vehicles=50, stdout=io.StringIO())
    assert history.count() == 120
    last = history.order_by("-delivered_at").first().delivered_at
    figures = monthly_report(sites=[site], month=f"{last:%Y-%m}")
    assert figures["business"]["revenue"]["invoiced_ros"] > 0
    assert figures["satisfaction"]["surveys"] > 0
    assert any(row["sold_hours"] > 0 for row in figures["workshop"]["technicians"])
