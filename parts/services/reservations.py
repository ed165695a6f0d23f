"""Reservations: stock held for a repair order line until it is issued or released."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError

from ..models import Part, Reservation, Shortage
from ..quantities import clean_quantity
from .ledger import clean_ro_ref, insufficient_stock, lock_part, save_quantities
from .shortages import new_shortage


@dataclass(frozen=True)
class ReserveResult:
    reservation: Reservation | None
    shortage: Shortage | None


@transaction.atomic
def parts_reserve(*, part: Part, quantity, repair_order_ref: str, actor, line_ref: int | None = None,
                  record_shortage: bool = True, expected_on=None) -> ReserveResult:
    """Reserve what is available; the rest becomes a shortage (or, without record_shortage, nothing is
    reserved and the refusal says what is left and for whom the rest is held)."""
    quantity = clean_quantity(part, quantity)
    ref = clean_ro_ref(repair_order_ref)
    locked = lock_part(part)
    reservable = min(quantity, max(locked.available, Decimal("0")))
    if locked.counted_in_whole_units:
        reservable = reservable.to_integral_value(rounding=ROUND_FLOOR)
    if reservable < quantity and not record_shortage:
        raise insufficient_stock(locked, quantity)
    reservation = shortage = None
    if reservable > 0:
        reservation = Reservation.objects.create(site_id=locked.site_id, part=locked, quantity=reservable,
                                                 repair_order_ref=ref, line_ref=line_ref, created_by=actor)
        locked.reserved += reservable
        save_quantities(locked, part)
    if reservable < quantity:
        shortage = new_shortage(locked, quantity=quantity - reservable, actor=actor, repair_order_ref=ref,
                                line_ref=line_ref, expected_on=expected_on)
    return ReserveResult(reservation=reservation, shortage=shortage)


@transaction.atomic
def reservation_release(*, reservation: Reservation, actor) -> Reservation:
    """Give a HELD reservation's outstanding quantity back to available."""
    locked = lock_part(reservation.part)
    held = Reservation.objects.select_for_update().get(pk=reservation.pk)
    if held.status != Reservation.Status.HELD:
        raise ApplicationError(_("This reservation was already issued or released."), code="illegal_transition")
    locked.reserved -= held.outstanding
    held.status, held.closed_at = Reservation.Status.RELEASED, timezone.now()
    held.save(update_fields=["status", "closed_at"])
    save_quantities(locked, reservation.part)
    reservation.status, reservation.closed_at = held.status, held.closed_at
    return held
