"""Writes of the booking app (DESIGN.md §3); callers import from here."""

from .booking import appointment_book, appointment_reschedule, check_capacity, requested_hours
from .calls import confirmation_call_complete
from .public import appointment_cancel_by_link, appointment_confirm_by_link, appointment_self_book
from .scans import create_confirmation_calls, mark_no_shows, send_confirmations
from .transitions import appointment_cancel, appointment_check_in, appointment_confirm, appointment_mark_no_show

__all__ = [
    "appointment_book", "appointment_cancel", "appointment_cancel_by_link", "appointment_confirm_by_link",
    "appointment_self_book", "appointment_check_in", "appointment_confirm",
    "appointment_mark_no_show", "appointment_reschedule", "check_capacity", "confirmation_call_complete",
    "create_confirmation_calls", "mark_no_shows", "requested_hours", "send_confirmations",
]
