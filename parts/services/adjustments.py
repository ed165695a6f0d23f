"""Stock adjustments: a count correction with a reason, booked as a ledger row once approved."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError

from ..models import Part, StockAdjustment, StockMovement
from ..quantities import clean_quantity, format_quantity
from .ledger import book, lock_part, save_quantities

APPROVE_PERMISSION = "parts.approve_adjustment"


@transaction.atomic
def adjustment_request(*, part: Part, quantity, reason: str, actor) -> StockAdjustment:
    """Ask for a signed correction; approved and booked in the same call when the actor may approve."""
    quantity = clean_quantity(part, quantity, allow_negative=True)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the stock is adjusted, e.g. \"counted 3, system says 4\"."),
                               field="reason", code="required")
    adjustment = StockAdjustment.objects.create(site_id=part.site_id, part=part, quantity=quantity,
                                                reason=reason[:200], requested_by=actor)
    if actor.has_perm(APPROVE_PERMISSION):
        adjustment = adjustment_approve(adjustment=adjustment, actor=actor)
    return adjustment


def _locked_pending(adjustment: StockAdjustment) -> StockAdjustment:
    locked = StockAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    if locked.status != StockAdjustment.Status.PENDING:
        raise ApplicationError(_("This adjustment was already decided."), code="illegal_transition")
    return locked


@transaction.atomic
def adjustment_approve(*, adjustment: StockAdjustment, actor) -> StockAdjustment:
    """Book the ADJUSTMENT movement; refused when it would take on_hand below reserved (or below zero)."""
    part = lock_part(adjustment.part)
    locked = _locked_pending(adjustment)
    if part.on_hand + locked.quantity < part.reserved:
        values = {"number": part.number, "on_hand": format_quantity(part.on_hand),
                  "reserved": format_quantity(part.reserved), "change": format_quantity(-locked.quantity)}
        if part.reserved > 0:
            message = _("%(number)s has %(on_hand)s on hand and %(reserved)s reserved: it can't go down by "
                        "%(change)s. Release reservations first.") % values
        else:
            message = _("%(number)s has only %(on_hand)s on hand: it can't go down by %(change)s.") % values
        raise ApplicationError(message, code="below_reserved", field="quantity")
    locked.movement = book(part, kind=StockMovement.Kind.ADJUSTMENT, quantity=locked.quantity,
                           actor=locked.requested_by, approved_by=actor, reason=locked.reason)
    locked.status, locked.decided_by, locked.decided_at = StockAdjustment.Status.APPROVED, actor, timezone.now()
    locked.save(update_fields=["movement", "status", "decided_by", "decided_at"])
    save_quantities(part, adjustment.part)
    return locked


@transaction.atomic
def adjustment_reject(*, adjustment: StockAdjustment, actor, note: str = "") -> StockAdjustment:
    """Refuse a pending adjustment. StockAdjustment has no field for `note` yet, so it is not kept."""
    locked = _locked_pending(adjustment)
    locked.status, locked.decided_by, locked.decided_at = StockAdjustment.Status.REJECTED, actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked
