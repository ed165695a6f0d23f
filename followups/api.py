"""The follow-ups API (DESIGN.md §7): callbacks (claim, attempt, complete), complaints, reminders."""

from . import api_calls, api_retention

urls = [*api_calls.urls, *api_retention.urls]
