"""Report periods in a site's wall-clock time: a month, its quarter, a day, the twelve months before."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError


@dataclass(frozen=True)
class Period:
    first_day: date
    end_day: date  # exclusive
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.end_day, time.min, tzinfo=self.zone)

    @property
    def label(self) -> str:
        return f"{self.first_day:%Y-%m}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def month_period(month: str | date, zone: ZoneInfo) -> Period:
    if isinstance(month, str):
        try:
            first = datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise ApplicationError(_("Give the month as YYYY-MM."), field="month") from None
    else:
        first = month.replace(day=1)
    return Period(first, add_months(first, 1), zone)


def quarter_to_date(period: Period) -> Period:
    """From the first day of the month's quarter to the end of the month."""
    first = period.first_day.replace(month=(period.first_day.month - 1) // 3 * 3 + 1)
    return Period(first, period.end_day, period.zone)


def day_period(day: date, zone: ZoneInfo) -> Period:
    return Period(day, day + timedelta(days=1), zone)


def trailing_months(period: Period, count: int = 12) -> Period:
    """The `count` months ending with `period` (for trends)."""
    return Period(add_months(period.first_day, -(count - 1)), period.end_day, period.zone)
