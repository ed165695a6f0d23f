"""Churn (流失率, DESIGN.md §6), per vehicle: lost once N months pass after its last delivered RO with no new
one (followups marks it, LostVehicle.lost_on = that day). Churn of a period = vehicles that became lost in
it ÷ vehicles active at its start (a delivered RO within the N months before). N is the site's setting."""

from datetime import datetime, time
from decimal import Decimal

from django.db.models import Count

from followups.models import FollowupSettings, LostVehicle
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState

from ..periods import Period, add_months, quarter_to_date
from .common import percent, ratio

DEFAULT_LOST_AFTER_MONTHS = 12
DEFAULT_TARGET = Decimal("0.050")


def _settings(sites) -> list[tuple]:
    """(site_id, lost_after_months, churn_target) of the sites that have settings, in creation order."""
    return list(FollowupSettings.objects.filter(site__in=sites).order_by("pk")
                .values_list("site_id", "lost_after_months", "churn_target"))


def lost_after_months(sites, settings: list[tuple] | None = None) -> dict[int, int]:
    configured = {site_id: months for site_id, months, _target in
                  (_settings(sites) if settings is None else settings)}
    return {site.pk: configured.get(site.pk, DEFAULT_LOST_AFTER_MONTHS) for site in sites}


def churn_rate(sites, period: Period, months: dict[int, int]) -> dict:
    active = 0
    for site in sites:  # one query per site: each site has its own N (index-only on ro_report_site_delivered)
        since = datetime.combine(add_months(period.first_day, -months[site.pk]), time.min, tzinfo=period.zone)
        active += (RepairOrder.objects.filter(site=site, state=ROState.DELIVERED, delivered_at__gte=since,
                                              delivered_at__lt=period.start)
                   .values("vehicle_id").distinct().count())
    lost = LostVehicle.objects.filter(site__in=sites, lost_on__gte=period.first_day, lost_on__lt=period.end_day)
    counts = lost.aggregate(lost=Count("vehicle_id", distinct=True))
    return {"active_at_start": active, "lost": counts["lost"], "rate": percent(ratio(counts["lost"], active))}


def churn(sites, period: Period, *, target_percent=None) -> dict:
    settings = _settings(sites)
    months = lost_after_months(sites, settings)
    lost_rows = LostVehicle.objects.filter(site__in=sites, lost_on__gte=period.first_day, lost_on__lt=period.end_day)
    won_back = LostVehicle.objects.filter(site__in=sites, won_back_at__gte=period.start,
                                          won_back_at__lt=period.end).count()
    month = churn_rate(sites, period, months)
    quarter_period = quarter_to_date(period)
    # The first month of a quarter is its quarter to date: the same figures, not counted twice.
    quarter = month if quarter_period == period else churn_rate(sites, quarter_period, months)
    configured = settings[0][2] if settings else None
    target = target_percent if target_percent is not None else percent(
        configured if configured is not None else DEFAULT_TARGET)
    return {
        "month": month,
        "quarter": quarter,
        "quarter_first_day": quarter_period.first_day,
        "target_percent": target,
        "quarter_on_target": None if quarter["rate"] is None else quarter["rate"] <= target,
        "reasons": dict(lost_rows.values_list("reason").annotate(n=Count("pk")).order_by()),
        "won_back": won_back,
    }
