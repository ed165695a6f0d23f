"""Shortages (缺货记录) and the purchase requests that order them.

Every status change goes through `shortage_transition`, which writes the ShortageEvent.
"""

import zoneinfo
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError
from servicedesk.core.numbering import next_number

from ..models import Part, PurchaseRequest, PurchaseRequestLine, Shortage, ShortageEvent
from ..quantities import clean_quantity

Status = Shortage.Status
# Which status may follow which; RECEIVED and CANCELLED are final.
TRANSITIONS = {
    "": {Status.OPEN},
    Status.OPEN: {Status.ORDERED, Status.RECEIVED, Status.CANCELLED},
    Status.ORDERED: {Status.RECEIVED, Status.CANCELLED},
}
PURCHASE_REQUEST_KIND = "PR"


def site_today(site) -> date:
    return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(site.time_zone)).date()


def shortage_transition(shortage: Shortage, *, to: str, actor, **data) -> Shortage:
    """Move a shortage (locked by the caller, or just created) to `to` and record the event."""
    before = shortage.status if shortage.pk else ""
    if to not in TRANSITIONS.get(before, set()):
        raise ApplicationError(
            _("This shortage is %(status)s and can't become %(to)s.")
            % {"status": shortage.get_status_display(), "to": Status(to).label},
            code="illegal_transition")
    shortage.status = to
    if to in (Status.RECEIVED, Status.CANCELLED):
        shortage.closed_at = timezone.now()
    shortage.save()
    ShortageEvent.objects.create(shortage=shortage, actor=actor, from_status=before, to_status=to, data=data)
    return shortage


def new_shortage(part: Part, *, quantity: Decimal, actor, repair_order_ref: str = "", line_ref: int | None = None,
                 expected_on=None, note: str = "") -> Shortage:
    shortage = Shortage(site_id=part.site_id, part=part, quantity=quantity, requested_by=actor,
                        repair_order_ref=(repair_order_ref or "").strip()[:30], line_ref=line_ref,
                        expected_on=expected_on, note=(note or "").strip()[:200], status="")
    return shortage_transition(shortage, to=Status.OPEN, actor=actor, quantity=str(quantity))


@transaction.atomic
def shortage_record(*, part: Part, quantity, actor, repair_order_ref: str = "", line_ref: int | None = None,
                    expected_on=None, note: str = "") -> Shortage:
    """Record a quantity that was asked for and could not be reserved."""
    return new_shortage(part, quantity=clean_quantity(part, quantity), actor=actor,
                        repair_order_ref=repair_order_ref, line_ref=line_ref, expected_on=expected_on, note=note)


@transaction.atomic
def shortage_cancel(*, shortage: Shortage, actor, reason: str) -> Shortage:
    """Cancel an open or ordered shortage; the reason is kept in its event."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the shortage is cancelled."), field="reason", code="required")
    locked = Shortage.objects.select_for_update().get(pk=shortage.pk)
    shortage_transition(locked, to=Status.CANCELLED, actor=actor, reason=reason)
    shortage.status, shortage.closed_at = locked.status, locked.closed_at
    return locked


@transaction.atomic
def purchase_requests_from_shortages(*, site, actor) -> list[PurchaseRequest]:
    """One ORDERED purchase request per supplier (parts without one form their own group) for the site's
    OPEN shortages, with one line per part summing its shortages; the shortages become ORDERED with the
    request's expected date (today + the supplier's lead days)."""
    shortages = list(Shortage.objects.select_for_update(of=("self",))
                     .filter(site=site, status=Status.OPEN).select_related("part__supplier").order_by("pk"))
    groups = defaultdict(list)
    for shortage in shortages:
        groups[shortage.part.supplier_id].append(shortage)
    today, now = site_today(site), timezone.now()
    created = []
    # Named suppliers in name order, then the "no supplier" group.
    for supplier_id in sorted(groups, key=lambda pk: (pk is None, groups[pk][0].part.supplier.name if pk else "")):
        group = groups[supplier_id]
        supplier = group[0].part.supplier
        expected_on = today + timedelta(days=supplier.lead_days) if supplier else None
        purchase_request = PurchaseRequest.objects.create(
            site=site, supplier=supplier, status=PurchaseRequest.Status.ORDERED, expected_on=expected_on,
            number=next_number(site=site, kind=PURCHASE_REQUEST_KIND, year=today.year),
            created_by=actor, ordered_at=now)
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for shortage in group:
            totals[shortage.part_id] += shortage.quantity
        PurchaseRequestLine.objects.bulk_create(
            PurchaseRequestLine(purchase_request=purchase_request, part_id=part_id, quantity=quantity)
            for part_id, quantity in totals.items())
        for shortage in group:
            shortage.purchase_request, shortage.expected_on = purchase_request, expected_on
            shortage_transition(shortage, to=Status.ORDERED, actor=actor, purchase_request=purchase_request.number)
        created.append(purchase_request)
    return created
