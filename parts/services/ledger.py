"""The stock ledger: receipts, issues, returns and transfers, each an immutable StockMovement row.

Every service locks the Part rows first (in pk order when several), then reads on_hand/reserved, books
the movement with balance_after and writes the new quantities, all in one transaction. The check
constraints on Part (on_hand >= 0, reserved <= on_hand) are the last line of defence, not the rule.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicedesk.audit.untracked import save_untracked
from servicedesk.core.errors import ApplicationError
from servicedesk.core.notifications import notify

from ..models import Delivery, Part, PurchaseRequest, PurchaseRequestLine, Reservation, Shortage, StockMovement
from ..quantities import clean_quantity, format_quantity
from .shortages import shortage_transition

Kind = StockMovement.Kind


# ---------------------------------------------------------------- shared by the stock services

def lock_parts(*parts: Part) -> list[Part]:
    """The current rows of `parts`, locked in pk order (so two services never wait on each other crosswise),
    returned in the order given."""
    pks = sorted({p.pk for p in parts})
    locked = {p.pk: p for p in Part.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
    return [locked[p.pk] for p in parts]


def lock_part(part: Part) -> Part:
    return lock_parts(part)[0]


def save_quantities(locked: Part, caller_copy: Part | None = None) -> None:
    save_untracked(locked, ["on_hand", "reserved", "updated_at"])  # the history keeps prices; the ledger quantities
    if caller_copy is not None and caller_copy is not locked:  # so the caller's instance is not stale
        caller_copy.on_hand, caller_copy.reserved = locked.on_hand, locked.reserved


def book(locked: Part, *, kind: str, quantity: Decimal, actor, **fields) -> StockMovement:
    """Write one ledger row for a locked part and move its on_hand by the signed `quantity`."""
    locked.on_hand += quantity
    if locked.on_hand < 0 or locked.on_hand < locked.reserved:  # the callers check first; this is a guard
        raise ApplicationError(_("This would take the stock of %(number)s below what is reserved.")
                               % {"number": locked.number}, code="insufficient_stock", field="quantity")
    return StockMovement.objects.create(site_id=locked.site_id, part=locked, kind=kind, quantity=quantity,
                                        balance_after=locked.on_hand, created_by=actor, **fields)


def insufficient_stock(locked: Part, wanted: Decimal) -> ApplicationError:
    """"Only 2 left, 3 reserved for RO …": what is on hand and who holds the rest."""
    values = {"number": locked.number, "wanted": format_quantity(wanted),
              "on_hand": format_quantity(locked.on_hand), "reserved": format_quantity(locked.reserved)}
    if locked.reserved > 0:
        orders = (Reservation.objects.filter(part=locked, status=Reservation.Status.HELD)
                  .order_by("repair_order_ref").values_list("repair_order_ref", flat=True).distinct())
        values["orders"] = ", ".join(orders)
        message = _("Only %(on_hand)s left, %(reserved)s reserved for %(orders)s.") % values
    elif locked.on_hand > 0:
        message = _("Only %(on_hand)s left.") % values
    else:
        message = _("%(number)s is out of stock.") % values
    return ApplicationError(message, code="insufficient_stock", field="quantity",
                            extra={"on_hand": locked.on_hand, "reserved": locked.reserved, "wanted": wanted})


def clean_ro_ref(repair_order_ref: str) -> str:
    ref = (repair_order_ref or "").strip()
    if not ref:
        raise ApplicationError(_("Name the repair order."), field="repair_order_ref", code="required")
    if len(ref) > Reservation._meta.get_field("repair_order_ref").max_length:
        raise ApplicationError(_("This is not a repair order number."), field="repair_order_ref", code="invalid")
    return ref


# ---------------------------------------------------------------- receipts

@transaction.atomic
def stock_receive(*, part: Part, quantity, actor, unit_cost: Decimal | None = None,
                  delivery: Delivery | None = None, reason: str = "") -> StockMovement:
    """Book a receipt of `quantity` into `part`."""
    quantity = clean_quantity(part, quantity)
    locked = lock_part(part)
    movement = _receive_locked(locked, quantity=quantity, actor=actor, unit_cost=unit_cost, delivery=delivery,
                               reason=reason)
    save_quantities(locked, part)
    return movement


def _receive_locked(locked: Part, *, quantity: Decimal, actor, unit_cost, delivery, reason: str) -> StockMovement:
    if unit_cost is not None and unit_cost < 0:
        raise ApplicationError(_("The unit cost can't be negative."), field="unit_cost", code="negative")
    return book(locked, kind=Kind.RECEIPT, quantity=quantity, actor=actor, unit_cost=unit_cost,
                delivery=delivery, reason=(reason or "").strip()[:200])


@transaction.atomic
def delivery_receive(*, site, lines: list[dict], actor, supplier=None, delivery_note: str = "",
                     purchase_request=None) -> Delivery:
    """Book a delivery: lines [{"part", "quantity", "unit_cost"}].

    Then, per part: the open/ordered shortages it covers are closed, oldest first and whole ones only
    (stopping at the first that no longer fits), their requesters are told; the quantity is counted
    against the ordered purchase request lines of the part (the given request first, then the oldest),
    and a request with every line received becomes RECEIVED.
    """
    if not lines:
        raise ApplicationError(_("Add at least one line to the delivery."), code="required")
    if purchase_request is not None:
        if purchase_request.site_id != site.pk:
            raise ApplicationError(_("This purchase request belongs to another site."), field="purchase_request",
                                   code="other_site")
        supplier = supplier or purchase_request.supplier
    if supplier is not None and supplier.site_id != site.pk:
        raise ApplicationError(_("Choose a supplier of this site."), field="supplier", code="other_site")
    received: dict[int, Decimal] = {}
    for line in lines:
        part = line["part"]
        if part.site_id != site.pk:
            raise ApplicationError(_("%(number)s is not in this site's catalogue.") % {"number": part.number},
                                   field="part", code="other_site")
        received[part.pk] = received.get(part.pk, Decimal("0")) + clean_quantity(part, line["quantity"])
    locked = {p.pk: p for p in lock_parts(*(line["part"] for line in lines))}
    delivery = Delivery.objects.create(site=site, supplier=supplier, purchase_request=purchase_request,
                                       delivery_note=(delivery_note or "").strip()[:50], received_by=actor)
    for line in lines:
        part = locked[line["part"].pk]
        _receive_locked(part, quantity=clean_quantity(part, line["quantity"]), actor=actor,
                        unit_cost=line.get("unit_cost"), delivery=delivery, reason="")
    for pk, part in locked.items():
        save_quantities(part)
        _close_covered_shortages(part, received[pk], actor=actor, delivery=delivery)
    _count_against_purchase_requests(site=site, received=received, first=purchase_request)
    return delivery


def _close_covered_shortages(part: Part, quantity: Decimal, *, actor, delivery: Delivery) -> None:
    waiting = (Shortage.objects.select_for_update()
               .filter(part=part, status__in=[Shortage.Status.OPEN, Shortage.Status.ORDERED])
               .order_by("created_at", "pk"))
    left = quantity
    for shortage in waiting:
        if shortage.quantity > left:
            break  # oldest first: a younger shortage does not jump the queue
        left -= shortage.quantity
        shortage_transition(shortage, to=Shortage.Status.RECEIVED, actor=actor, delivery=delivery.pk)
        _tell_requester(shortage, part)


def _tell_requester(shortage: Shortage, part: Part) -> None:
    # No per-user language yet: the product's language (zh-hans), whatever the clerk's screen shows.
    with translation.override(settings.LANGUAGE_CODE):
        values = {"number": part.number, "name": part.name, "quantity": format_quantity(shortage.quantity)}
        if shortage.repair_order_ref:
            text = _("Part %(number)s %(name)s has arrived (%(quantity)s), repair order %(ro)s.") % {
                **values, "ro": shortage.repair_order_ref}
        else:
            text = _("Part %(number)s %(name)s has arrived (%(quantity)s).") % values
    try:
        url = reverse("parts:part_detail", kwargs={"pk": part.pk})
    except NoReverseMatch:
        url = ""
    notify(site=part.site, recipient=shortage.requested_by, text=text, url=url)


def _count_against_purchase_requests(*, site, received: dict[int, Decimal], first) -> None:
    lines = (PurchaseRequestLine.objects.select_for_update()
             .filter(part_id__in=received, purchase_request__site=site,
                     purchase_request__status=PurchaseRequest.Status.ORDERED)
             .select_related("purchase_request").order_by("purchase_request__created_at", "pk"))
    first_pk = getattr(first, "pk", None)
    left = dict(received)
    touched = set()
    for line in sorted(lines, key=lambda line: line.purchase_request_id != first_pk):
        take = min(left[line.part_id], line.quantity - line.received_quantity)
        if take <= 0:
            continue
        line.received_quantity += take
        line.save(update_fields=["received_quantity"])
        left[line.part_id] -= take
        touched.add(line.purchase_request_id)
    for purchase_request in PurchaseRequest.objects.filter(pk__in=touched):
        if all(line.received_quantity >= line.quantity for line in purchase_request.lines.all()):
            purchase_request.status = PurchaseRequest.Status.RECEIVED
            purchase_request.save(update_fields=["status"])


# ---------------------------------------------------------------- issues and returns

@transaction.atomic
def stock_issue(*, part: Part, quantity, repair_order_ref: str, actor, reservation: Reservation | None = None,
                line_ref: int | None = None) -> StockMovement:
    """Issue to a repair order.

    With a reservation (or, without one, the HELD reservation of this repair order line when `line_ref`
    names one) the quantity comes out of it and may not exceed what it still holds; otherwise it needs
    available stock (on_hand - reserved) and a refusal says what is left and for whom the rest is held.
    """
    quantity = clean_quantity(part, quantity)
    ref = clean_ro_ref(repair_order_ref)
    locked = lock_part(part)
    if reservation is None and line_ref is not None:
        reservation = (Reservation.objects.filter(part=locked, repair_order_ref=ref, line_ref=line_ref,
                                                  status=Reservation.Status.HELD).order_by("pk").first())
    if reservation is not None:
        reservation = _take_from_reservation(locked, reservation, quantity=quantity, ref=ref)
    elif quantity > locked.available:
        raise insufficient_stock(locked, quantity)
    movement = book(locked, kind=Kind.ISSUE, quantity=-quantity, actor=actor, repair_order_ref=ref,
                    reservation=reservation)
    save_quantities(locked, part)
    return movement


def _take_from_reservation(locked: Part, reservation: Reservation, *, quantity: Decimal, ref: str) -> Reservation:
    held = Reservation.objects.select_for_update().get(pk=reservation.pk)
    if held.part_id != locked.pk:
        raise ApplicationError(_("This reservation is for another part."), code="invalid", field="reservation")
    if held.status != Reservation.Status.HELD:
        raise ApplicationError(_("This reservation was already issued or released."), code="illegal_transition")
    if held.repair_order_ref != ref:
        raise ApplicationError(_("This reservation is for repair order %(ro)s.") % {"ro": held.repair_order_ref},
                               code="invalid", field="repair_order_ref")
    if quantity > held.outstanding:
        raise ApplicationError(
            _("Only %(held)s of %(number)s are reserved for %(ro)s.")
            % {"held": format_quantity(held.outstanding), "number": locked.number, "ro": held.repair_order_ref},
            code="exceeds_reservation", field="quantity")
    held.issued_quantity += quantity
    if held.issued_quantity == held.quantity:
        held.status, held.closed_at = Reservation.Status.ISSUED, timezone.now()
    held.save(update_fields=["issued_quantity", "status", "closed_at"])
    locked.reserved -= quantity
    reservation.issued_quantity, reservation.status = held.issued_quantity, held.status
    return held


@transaction.atomic
def stock_return(*, part: Part, quantity, repair_order_ref: str, actor, reason: str = "") -> StockMovement:
    """Take back parts issued to a repair order (not more than it has net of earlier returns)."""
    quantity = clean_quantity(part, quantity)
    ref = clean_ro_ref(repair_order_ref)
    locked = lock_part(part)
    net = -(StockMovement.objects.filter(part=locked, repair_order_ref=ref, kind__in=[Kind.ISSUE, Kind.RETURN])
            .aggregate(total=Sum("quantity"))["total"] or Decimal("0"))
    if quantity > net:
        raise ApplicationError(
            _("Repair order %(ro)s has %(net)s of %(number)s issued and not returned; it can't return %(wanted)s.")
            % {"ro": ref, "net": format_quantity(net), "number": locked.number, "wanted": format_quantity(quantity)},
            code="return_exceeds_issue", field="quantity")
    movement = book(locked, kind=Kind.RETURN, quantity=quantity, actor=actor, repair_order_ref=ref,
                    reason=(reason or "").strip()[:200])
    save_quantities(locked, part)
    return movement


# ---------------------------------------------------------------- transfers

@transaction.atomic
def stock_transfer(*, part: Part, to_site, quantity, actor,
                   reason: str = "") -> tuple[StockMovement, StockMovement]:
    """Move stock to the same part number at another site; returns (transfer_out, transfer_in)."""
    quantity = clean_quantity(part, quantity)
    if to_site.pk == part.site_id:
        raise ApplicationError(_("Choose another site to transfer to."), field="to_site", code="same_site")
    target = Part.objects.filter(site=to_site, number=part.number).first()
    if target is None:
        raise ApplicationError(
            _("%(site)s has no part %(number)s in its catalogue; add it there first.")
            % {"site": to_site.name, "number": part.number}, field="to_site", code="not_found")
    source, target = lock_parts(part, target)
    if quantity > source.available:
        raise insufficient_stock(source, quantity)
    reason = (reason or "").strip()[:200]
    out = book(source, kind=Kind.TRANSFER_OUT, quantity=-quantity, actor=actor, reason=reason)
    into = book(target, kind=Kind.TRANSFER_IN, quantity=quantity, actor=actor, reason=reason, transfer_from=out,
                unit_cost=source.cost)
    save_quantities(source, part)
    save_quantities(target)
    return out, into
