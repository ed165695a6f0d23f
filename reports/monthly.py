"""The monthly report of DESIGN.md §6 for one site or a group of sites, as a plain dict (the API returns it
as JSON, the screens and the PDF render it). Group reports use the first site's time zone."""

from zoneinfo import ZoneInfo

from .figures.business import advisors, revenue_by_advisor, revenue_from_advisors, show_rate
from .figures.churn import churn
from .figures.complaints import complaints
from .figures.daily import daily
from .figures.satisfaction import satisfaction
from .figures.workshop import repair_order_counts, workshop_figures
from .periods import Period, day_period, month_period


def zone_of(sites) -> ZoneInfo:
    return ZoneInfo(sites[0].time_zone)


def monthly_report(*, sites, month) -> dict:
    sites = list(sites)
    period = month_period(month, zone_of(sites))
    return monthly_figures(sites, period)


def monthly_figures(sites, period: Period) -> dict:
    # Shared between sections: one pass over the month's invoice lines, one over its ROs.
    by_advisor = revenue_by_advisor(sites, period)
    money_in = revenue_from_advisors(sites, period, by_advisor)
    counts = repair_order_counts(sites, period)
    return {
        "month": period.label,
        "sites": [site.code for site in sites],
        "satisfaction": satisfaction(sites, period),
        "complaints": complaints(sites, period),
        "churn": churn(sites, period),
        "workshop": workshop_figures(sites, period, revenue=money_in, counts=counts),
        "business": {
            "car_count": counts["car_count"],
            **show_rate(sites, period),
            "revenue": money_in,
            "advisors": advisors(sites, period, by_advisor=by_advisor),
        },
    }


def daily_report(*, sites, day) -> dict:
    sites = list(sites)
    return daily(sites, day_period(day, zone_of(sites)))
