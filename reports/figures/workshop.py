"""Workshop figures: first-time fix = 1 − comebacks ÷ delivered ROs (a comeback returns to an RO delivered
≤ 30 days earlier), the technicians' table (workshop.kpis), hours per RO and the effective labour rate."""

from decimal import Decimal

from django.db.models import Count, Q

from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.core.money import money

from ..periods import Period
from .common import one_place, percent, ratio


def first_time_fix(sites, period: Period) -> dict:
    counts = RepairOrder.objects.filter(site__in=sites).aggregate(
        delivered=Count("pk", filter=Q(state=ROState.DELIVERED, delivered_at__gte=period.start,
                                       delivered_at__lt=period.end)),
        comebacks=Count("pk", filter=Q(ro_type=RepairOrder.Type.COMEBACK, created_at__gte=period.start,
                                       created_at__lt=period.end)))
    share = ratio(counts["comebacks"], counts["delivered"])
    return {**counts, "first_time_fix": None if share is None else percent(1 - share)}


def technicians(sites, period: Period) -> list[dict]:
    from workshop import kpis

    return kpis.technician_figures(sites=sites, start=period.start, end=period.end)


def workshop_figures(sites, period: Period, *, revenue: dict) -> dict:
    table = technicians(sites, period)
    sold = sum((row["sold_hours"] for row in table), Decimal("0"))
    invoiced = revenue["invoiced_ros"]
    labour = revenue["labour_all_pay_types"]
    return {
        **first_time_fix(sites, period),
        "technicians": table,
        "sold_hours": sold,
        "hours_per_ro": one_place(sold / invoiced) if invoiced else None,
        "effective_labour_rate": money(labour / sold) if sold else None,
    }
