"""A site's follow-up rules: its FollowupSettings row, or the defaults when it has none."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .models import FollowupSettings


def followup_settings(site) -> FollowupSettings:
    """The site's row, or an unsaved row holding the defaults (never saved by the callers)."""
    try:
        return site.followup_settings
    except FollowupSettings.DoesNotExist:
        return FollowupSettings(site=site)


def local_date(zone: str, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def start_of_day(zone: str, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


def end_of_day(zone: str, day: date) -> datetime:
    """The last second of `day` in the site's zone (what a person means by "by the end of that day")."""
    return start_of_day(zone, day + timedelta(days=1)) - timedelta(seconds=1)
