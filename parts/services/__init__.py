"""Writes to the parts store (DESIGN.md §3): every one keyword-only, atomic, locking the Part rows it changes.

Callers import from here; the modules split the store by concern.
"""

from .adjustments import adjustment_approve, adjustment_reject, adjustment_request
from .catalogue import part_create, part_final_replacement, part_supersede, part_update
from .ledger import delivery_receive, stock_issue, stock_receive, stock_return, stock_transfer
from .reservations import ReserveResult, parts_reserve, reservation_release
from .shortages import purchase_requests_from_shortages, shortage_cancel, shortage_record

__all__ = [
    "ReserveResult",
    "adjustment_approve",
    "adjustment_reject",
    "adjustment_request",
    "delivery_receive",
    "part_create",
    "part_final_replacement",
    "part_supersede",
    "part_update",
    "parts_reserve",
    "purchase_requests_from_shortages",
    "reservation_release",
    "shortage_cancel",
    "shortage_record",
    "stock_issue",
    "stock_receive",
    "stock_return",
    "stock_transfer",
]
