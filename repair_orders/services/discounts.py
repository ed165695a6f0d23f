"""Prices and discounts on job lines the customer has not signed yet (DESIGN.md §4 "Pricing"): a discount
within the role's limit applies at once; above it a service manager approves a request. Once the customer
has signed a line its price and discount are fixed."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.accounts.roles import ADVISOR, SERVICE_MANAGER, roles_of
from servicedesk.core.errors import ApplicationError
from servicedesk.core.money import money
from servicedesk.core.notifications import notify_managers

from ..models import DiscountRequest, JobLine, LineDiscount, PartLine, RepairOrder
from ..workflow import JobState
from .common import check_editable, lock_repair_order, ro_event, save_changes
from .estimate import _amount, spread

APPROVE_DISCOUNT = "repair_orders.approve_discount"
# Highest discount (% of the line) each role may give on its own; None: no limit. A role not listed: 0 %.
DEFAULT_DISCOUNT_LIMITS: dict[str, Decimal | None] = {ADVISOR: Decimal("10"), SERVICE_MANAGER: None}
UNSIGNED_JOB_STATES = frozenset({JobState.PROPOSED, JobState.PENDING_DIAGNOSIS})
HUNDRED = Decimal("100")

DISCOUNT_WAITS = gettext_lazy("Discount of %(percent)s%% on %(number)s “%(job)s” waits for your approval.")


@dataclass(frozen=True)
class DiscountOutcome:
    job_line: JobLine
    applied: bool  # False: above the limit, `request` waits for a manager
    request: DiscountRequest | None = None


def discount_limit(user) -> Decimal | None:
    """The highest discount (%) `user` may give without approval; None when unlimited."""
    if user.is_superuser or user.has_perm(APPROVE_DISCOUNT):
        return None
    limits = getattr(settings, "REPAIR_ORDER_DISCOUNT_LIMITS", DEFAULT_DISCOUNT_LIMITS)
    best = Decimal("0")
    for role in roles_of(user):
        if role in limits and limits[role] is None:
            return None
        best = max(best, Decimal(str(limits.get(role) or 0)))
    return best


def _lock_unsigned_line(job_line: JobLine | int, *, version: int | None) -> tuple[RepairOrder, JobLine]:
    job_id = getattr(job_line, "pk", job_line)
    ro_id = JobLine.objects.filter(pk=job_id).values_list("repair_order_id", flat=True).first()
    if ro_id is None:
        raise ApplicationError(_("This job line no longer exists."), code="not_found")
    locked = lock_repair_order(ro_id, version=version)
    check_editable(locked, additional_work=True)
    job = JobLine.objects.select_for_update().get(pk=job_id)
    if job.state not in UNSIGNED_JOB_STATES:
        raise ApplicationError(
            _("The customer has signed for “%(job)s”; its price and discount can no longer change. "
              "Add a new line for anything else.") % {"job": job.description}, code="locked")
    return locked, job


def _rows(job: JobLine) -> list[PartLine]:
    return list(PartLine.objects.select_for_update().filter(job_line=job).order_by("pk"))


def _without_manual(job: JobLine, parts: list[PartLine], manual: LineDiscount | None) -> tuple[Decimal, list[Decimal]]:
    """What the labour row and each parts row cost before the hand-given discount (a package's saving stays)."""
    old = (manual.spread if manual else {}) or {}
    old_parts = old.get("parts", {})
    labour = job.labour_price - job.discount + Decimal(old.get("labour", "0"))
    return labour, [line.unit_price * line.quantity - line.discount + Decimal(old_parts.get(str(line.pk), "0"))
                    for line in parts]


def line_base(job: JobLine) -> Decimal:
    """The line's price a hand-given discount is a share of. Reads; no lock."""
    manual = LineDiscount.objects.filter(job_line=job).first()
    labour, parts = _without_manual(job, list(job.part_lines.all()), manual)
    return money(labour + sum(parts, Decimal("0")))


def _discount_number(value, *, field: str) -> Decimal:
    try:
        number = money(value)
        if not number.is_finite():  # "NaN" parses, then fails every comparison
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("Enter a number like 120.50."), field=field) from None
    if number < 0:
        raise ApplicationError(_("A discount cannot be negative."), field=field)
    return number


def clean_discount(base: Decimal, *, amount, percent, too_much: str,
                   nothing: str | None = None) -> tuple[Decimal, Decimal]:
    """(amount, percent of `base`) from one of the two (the other left blank), as a job line's discount and the
    cashier's settlement discount both take them. `too_much` is the message for an amount above `base` (it may
    name %(base)s); `nothing`, when given, refuses a zero base, else only a zero discount fits it."""
    if nothing is not None and base <= 0:
        raise ApplicationError(nothing, field="amount")
    if (amount in (None, "")) == (percent in (None, "")):
        raise ApplicationError(_("Enter the discount as an amount or as a percentage."), field="amount")
    if percent not in (None, ""):
        percent = _discount_number(percent, field="percent")
        if percent > HUNDRED:
            raise ApplicationError(_("A discount cannot exceed 100%."), field="percent")
        amount = money(base * percent / HUNDRED)
    else:
        amount = _discount_number(amount, field="amount")
    if amount > base:
        raise ApplicationError(too_much % {"base": base}, field="amount")
    return amount, (money(amount * HUNDRED / base) if base > 0 else Decimal("0.00"))


def _apply(locked: RepairOrder, job: JobLine, *, amount: Decimal, percent: Decimal, actor,
           approved_by=None) -> None:
    manual = LineDiscount.objects.select_for_update().filter(job_line=job).first()
    parts = _rows(job)
    labour_base, part_bases = _without_manual(job, parts, manual)
    old = (manual.spread if manual else {}) or {}
    shares = spread(amount, [labour_base, *part_bases])
    job.discount += shares[0] - Decimal(old.get("labour", "0"))
    job.save(update_fields=["discount", "updated_at"])
    for line, share in zip(parts, shares[1:], strict=True):
        line.discount += share - Decimal(old.get("parts", {}).get(str(line.pk), "0"))
        line.save(update_fields=["discount"])
    new_spread = {"labour": str(shares[0]),
                  "parts": {str(line.pk): str(share) for line, share in zip(parts, shares[1:], strict=True)}}
    LineDiscount.objects.update_or_create(job_line=job, defaults={
        "amount": amount, "percent": percent, "spread": new_spread, "set_by": actor, "approved_by": approved_by})
    save_changes(locked, actor)
    ro_event(locked, "discount_set", actor, job=job.pk, amount=str(amount), percent=str(percent),
             approved_by=getattr(approved_by, "pk", None))


@transaction.atomic
def job_line_set_discount(*, job_line: JobLine, actor, amount=None, percent=None, version: int | None = None,
                          reason: str = "") -> DiscountOutcome:
    """A discount on the whole line (labour and parts, spread in proportion), as an amount or a percentage.
    Within the actor's limit it applies; above it a request waits for a manager (an earlier pending request
    for the line is withdrawn). Zero removes the discount."""
    locked, job = _lock_unsigned_line(job_line, version=version)
    base = line_base(job)
    amount, percent = clean_discount(
        base, amount=amount, percent=percent, nothing=_("This line costs nothing; there is nothing to discount."),
        too_much=_("The discount cannot exceed the line's price of %(base)s."))
    limit = discount_limit(actor)
    if limit is None or percent <= limit:
        _apply(locked, job, amount=amount, percent=percent, actor=actor)
        return DiscountOutcome(job_line=job, applied=True)
    DiscountRequest.objects.filter(job_line=job, status=DiscountRequest.Status.PENDING).update(
        status=DiscountRequest.Status.WITHDRAWN, decided_by=actor, decided_at=timezone.now())
    request = DiscountRequest.objects.create(job_line=job, amount=amount, percent=percent, requested_by=actor,
                                             reason=(reason or "").strip()[:200])
    save_changes(locked, actor)
    ro_event(locked, "discount_requested", actor, job=job.pk, request=request.pk, amount=str(amount),
             percent=str(percent), limit=str(limit))
    _tell_managers(locked, job, request)
    return DiscountOutcome(job_line=job, applied=False, request=request)


def _tell_managers(repair_order: RepairOrder, job: JobLine, request: DiscountRequest) -> None:
    notify_managers(site=repair_order.site, message=DISCOUNT_WAITS, params={
        "percent": request.percent, "number": repair_order.number, "job": job.description})


def _lock_pending(request: DiscountRequest, *, actor) -> tuple[RepairOrder, JobLine, DiscountRequest]:
    if not (actor.is_superuser or actor.has_perm(APPROVE_DISCOUNT)):
        raise ApplicationError(_("Only a service manager decides on discounts above the limit."),
                               code="forbidden")
    locked, job = _lock_unsigned_line(request.job_line_id, version=None)
    pending = DiscountRequest.objects.select_for_update().get(pk=request.pk)
    if pending.status != DiscountRequest.Status.PENDING:
        raise ApplicationError(_("This discount request was already decided (%(status)s).")
                               % {"status": pending.get_status_display()}, code="conflict")
    return locked, job, pending


def _decide(pending: DiscountRequest, status: str, actor, note: str = "") -> None:
    pending.status, pending.decided_by, pending.decided_at = status, actor, timezone.now()
    pending.note = (note or "").strip()[:200]
    pending.save(update_fields=["status", "decided_by", "decided_at", "note"])


@transaction.atomic
def discount_approve(*, request: DiscountRequest, actor, note: str = "") -> DiscountRequest:
    """The manager approves: the requested amount applies to the line, still unsigned."""
    locked, job, pending = _lock_pending(request, actor=actor)
    base = line_base(job)
    if pending.amount > base:
        raise ApplicationError(_("The line now costs %(base)s, less than the requested discount; ask again.")
                               % {"base": base}, code="conflict")
    _apply(locked, job, amount=pending.amount, percent=money(pending.amount * HUNDRED / base),
           actor=pending.requested_by, approved_by=actor)
    _decide(pending, DiscountRequest.Status.APPROVED, actor, note)
    ro_event(locked, "discount_approved", actor, job=job.pk, request=pending.pk, amount=str(pending.amount))
    return pending


@transaction.atomic
def discount_reject(*, request: DiscountRequest, actor, note: str = "") -> DiscountRequest:
    locked, job, pending = _lock_pending(request, actor=actor)
    _decide(pending, DiscountRequest.Status.REJECTED, actor, note)
    save_changes(locked, actor)
    ro_event(locked, "discount_rejected", actor, job=job.pk, request=pending.pk, note=pending.note)
    return pending


@transaction.atomic
def job_line_set_price(*, job_line: JobLine, labour_price, actor, version: int | None = None,
                       hours=None) -> JobLine:
    """Change the labour price (and hours) of a line the customer has not signed; refused on a signed one."""
    locked, job = _lock_unsigned_line(job_line, version=version)
    before = {"labour_price": str(job.labour_price), "hours": str(job.hours)}
    job.labour_price = _amount(labour_price, field="labour_price")
    if hours is not None:
        job.hours = _amount(hours, field="hours")
    if job.discount > job.labour_price:
        raise ApplicationError(_("The labour price cannot be less than its discount of %(discount)s.")
                               % {"discount": job.discount}, field="labour_price")
    job.save(update_fields=["labour_price", "hours", "updated_at"])
    save_changes(locked, actor)
    ro_event(locked, "price_changed", actor, job=job.pk, before=before,
             after={"labour_price": str(job.labour_price), "hours": str(job.hours)})
    return job
