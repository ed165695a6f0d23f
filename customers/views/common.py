"""Kept for the imports in customers.views; the helpers live in servicedesk.core.views_common."""

from servicedesk.core.views_common import PAGE_SIZE, call_service, current_site, paginate, staff_view

__all__ = ["PAGE_SIZE", "call_service", "current_site", "paginate", "staff_view"]
