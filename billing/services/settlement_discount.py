"""The discount on the bill at the cashier's desk (结算优惠), before the invoice is issued: an amount or a
percentage of the customer's part. Within the giver's limit (repair_orders.services.discounts.discount_limit:
the same limits as on job lines) it is granted at once; above it a request waits for a service manager, who
approves or rejects it in the app. The invoice spreads a granted or approved discount over the customer-paid
lines (billing.drafting); warranty and internal lines are never discounted."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from repair_orders.models import RepairOrder
from repair_orders.services.common import lock_repair_order, ro_event
from repair_orders.services.discounts import APPROVE_DISCOUNT, clean_discount, discount_limit
from repair_orders.workflow import ROState
from servicedesk.core.errors import ApplicationError
from servicedesk.core.notifications import notify, notify_managers

from ..drafting import draft_prefetch, invoice_draft
from ..models import SettlementDiscount
from ..models.settlement import LIVE_DISCOUNT_STATES

Status = SettlementDiscount.Status

SETTLEMENT_DISCOUNT_WAITS = gettext_lazy(
    "Settlement discount of ¥%(amount)s (%(percent)s%%) on %(number)s waits for your approval.")


def live_settlement_discount(repair_order_id: int, *, lock: bool = False) -> SettlementDiscount | None:
    """The RO's discount that is waiting, granted or approved (at most one), if any."""
    discounts = SettlementDiscount.objects.filter(repair_order_id=repair_order_id, status__in=LIVE_DISCOUNT_STATES)
    return (discounts.select_for_update() if lock else discounts).first()


def check_open_for_discount(repair_order: RepairOrder) -> None:
    """The bill can take a discount until its invoice is issued (again, after a credit note)."""
    from .invoicing import live_invoice

    if repair_order.state not in (ROState.READY, ROState.INVOICED) or live_invoice(repair_order) is not None:
        raise ApplicationError(_("Repair order %(number)s has an issued invoice (or is not ready); its bill can no "
                                 "longer be discounted.") % {"number": repair_order.number}, code="conflict")


def discountable(repair_order: RepairOrder) -> Decimal:
    """The customer's part of the bill before any settlement discount, on the site's price basis."""
    loaded = RepairOrder.objects.select_related("site").prefetch_related(*draft_prefetch()).get(pk=repair_order.pk)
    return invoice_draft(loaded).discountable


@transaction.atomic
def settlement_discount_give(*, repair_order: RepairOrder, actor, amount=None, percent=None,
                             reason: str = "") -> SettlementDiscount | None:
    """A discount on the customer's part of the bill. Within the actor's limit it is granted; above it it waits
    for a manager (who is told). Any earlier discount of the bill is withdrawn; zero only withdraws it."""
    locked = lock_repair_order(repair_order, version=None)
    check_open_for_discount(locked)
    base = discountable(locked)
    amount, percent = clean_discount(base, amount=amount, percent=percent,
                                     too_much=_("The discount cannot exceed the customer's part of %(base)s."))
    earlier = live_settlement_discount(locked.pk, lock=True)
    if earlier is not None:
        _decide(earlier, Status.WITHDRAWN, actor)
        ro_event(locked, "settlement_discount_withdrawn", actor, discount=earlier.pk, amount=str(earlier.amount))
    if amount == 0:
        if earlier is None:
            raise ApplicationError(_("There is no discount to remove."), field="amount")
        return None
    limit = discount_limit(actor)
    within = limit is None or percent <= limit
    discount = SettlementDiscount.objects.create(
        repair_order=locked, amount=amount, percent=percent, base=base, requested_by=actor,
        reason=(reason or "").strip()[:200], status=Status.GRANTED if within else Status.PENDING,
        decided_by=actor if within else None, decided_at=timezone.now() if within else None)
    ro_event(locked, "settlement_discount_granted" if within else "settlement_discount_requested", actor,
             discount=discount.pk, amount=str(amount), percent=str(percent), base=str(base),
             limit=None if limit is None else str(limit))
    if not within:
        _tell_managers(locked, discount)
    return discount


def _settlement_url(repair_order: RepairOrder) -> str:
    return reverse("billing:settlement", args=[repair_order.pk])


def _tell_managers(repair_order: RepairOrder, discount: SettlementDiscount) -> None:
    notify_managers(site=repair_order.site, message=SETTLEMENT_DISCOUNT_WAITS, url=_settlement_url(repair_order),
                    params={"amount": discount.amount, "percent": discount.percent, "number": repair_order.number})


def _decide(discount: SettlementDiscount, status: str, actor, note: str = "") -> None:
    discount.status, discount.decided_by, discount.decided_at = status, actor, timezone.now()
    discount.note = (note or "").strip()[:200]
    discount.save(update_fields=["status", "decided_by", "decided_at", "note"])


def _lock_pending(discount: SettlementDiscount, *, actor) -> tuple[RepairOrder, SettlementDiscount]:
    if not (actor.is_superuser or actor.has_perm(APPROVE_DISCOUNT)):
        raise ApplicationError(_("Only a service manager decides on discounts above the limit."), code="forbidden")
    locked = lock_repair_order(discount.repair_order_id, version=None)
    pending = SettlementDiscount.objects.select_for_update().get(pk=discount.pk)
    if pending.status != Status.PENDING:
        raise ApplicationError(_("This discount request was already decided (%(status)s).")
                               % {"status": pending.get_status_display()}, code="conflict")
    check_open_for_discount(locked)
    return locked, pending


@transaction.atomic
def settlement_discount_approve(*, discount: SettlementDiscount, actor, note: str = "") -> SettlementDiscount:
    """The manager approves the waiting discount; the invoice will carry it."""
    locked, pending = _lock_pending(discount, actor=actor)
    base = discountable(locked)
    if pending.amount > base:
        raise ApplicationError(_("The customer's part is now %(base)s, less than the discount asked; ask again.")
                               % {"base": base}, code="conflict")
    _decide(pending, Status.APPROVED, actor, note)
    ro_event(locked, "settlement_discount_approved", actor, discount=pending.pk, amount=str(pending.amount))
    _tell_requester(locked, pending)
    return pending


@transaction.atomic
def settlement_discount_reject(*, discount: SettlementDiscount, actor, note: str = "") -> SettlementDiscount:
    locked, pending = _lock_pending(discount, actor=actor)
    _decide(pending, Status.REJECTED, actor, note)
    ro_event(locked, "settlement_discount_rejected", actor, discount=pending.pk, note=pending.note)
    _tell_requester(locked, pending)
    return pending


def _tell_requester(repair_order: RepairOrder, discount: SettlementDiscount) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Settlement discount of ¥%(amount)s on %(number)s: %(status)s.") % {
            "amount": discount.amount, "number": repair_order.number, "status": discount.get_status_display()}
    notify(site=repair_order.site, recipient=discount.requested_by, text=text, url=_settlement_url(repair_order))
