"""Workshop figures: first-time fix = 1 − comebacks ÷ delivered ROs (a comeback returns to an RO delivered
≤ 30 days earlier), the technicians' table (workshop.kpis), hours per RO and the effective labour rate."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q

from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.accounts.names import staff_name
from servicedesk.core.money import money
from workshop import kpis

from ..periods import Period
from .common import one_place, percent, ratio


def repair_order_counts(sites, period: Period) -> dict:
    """Delivered ROs, comebacks opened and the car count (opened, not cancelled) of the period: one query over
    the ROs delivered or opened in it (ro_report_site_delivered, ro_site_created), not all the site's ROs."""
    created = Q(created_at__gte=period.start, created_at__lt=period.end)
    delivered = Q(state=ROState.DELIVERED, delivered_at__gte=period.start, delivered_at__lt=period.end)
    return RepairOrder.objects.filter(delivered | created, site__in=sites).aggregate(
        delivered=Count("pk", filter=delivered),
        comebacks=Count("pk", filter=created & Q(ro_type=RepairOrder.Type.COMEBACK)),
        car_count=Count("pk", filter=created & ~Q(state=ROState.CANCELLED)))


def first_time_fix(sites, period: Period, *, counts: dict | None = None) -> dict:
    counts = counts or repair_order_counts(sites, period)
    share = ratio(counts["comebacks"], counts["delivered"])
    return {"delivered": counts["delivered"], "comebacks": counts["comebacks"],
            "first_time_fix": None if share is None else percent(1 - share)}


def technicians(sites, period: Period) -> list[dict]:
    """workshop.kpis per site (six queries each), as plain rows with the ratios in percent."""
    last = period.end_day - timedelta(days=1)
    return [{"site": site.code, "technician_id": row.technician.pk, "technician": staff_name(row.technician),
             "sold_hours": row.sold_hours, "clocked_hours": row.clocked_hours, "attended_hours": row.attended_hours,
             "efficiency": percent(row.efficiency), "productivity": percent(row.productivity),
             "proficiency": percent(row.proficiency)}
            for site in sites for row in kpis.technician_figures(site=site, first=period.first_day, last=last)]


def workshop_figures(sites, period: Period, *, revenue: dict, counts: dict | None = None) -> dict:
    table = technicians(sites, period)
    sold = sum((row["sold_hours"] for row in table), Decimal("0"))
    invoiced = revenue["invoiced_ros"]
    labour = revenue["labour_all_pay_types"]
    return {
        **first_time_fix(sites, period, counts=counts),
        "technicians": table,
        "sold_hours": sold,
        "hours_per_ro": one_place(sold / invoiced) if invoiced else None,
        "effective_labour_rate": money(labour / sold) if sold else None,
    }

