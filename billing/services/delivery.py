"""Delivery (交车): the paid (or on-account) car leaves with its gate pass (出厂通知单); its key tag is freed,
the RO is delivered (the follow-up clock starts at delivered_at) and the next service due is stored on the
vehicle for the maintenance reminders."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Vehicle
from customers.service_due import vehicles_refresh_service_due
from repair_orders.models import RepairOrder
from repair_orders.services.common import lock_repair_order, move_ro, site_today
from repair_orders.workflow import ROState
from servicedesk.core.errors import ApplicationError
from servicedesk.core.numbering import next_number

from ..models import GatePass
from .invoicing import live_invoice
from .payments import paid_on

GATE_PASS_SEQUENCE = "GP"  # nosec B105 # a numbering prefix, not a password


def next_service_due(*, vehicle, delivered_on: date, mileage: int | None) -> tuple[date | None, int | None]:
    """billing.schedule's answer (the handover stage's), or 6 months / 5,000 km when it is not installed."""
    try:
        from ..schedule import next_service_due as scheduled
    except ImportError:
        month = delivered_on.month + 5  # 0-based month index, six months on
        year, month = delivered_on.year + month // 12, month % 12 + 1
        return (date(year, month, min(delivered_on.day, 28)), mileage + 5000 if mileage is not None else None)
    return scheduled(vehicle=vehicle, delivered_on=delivered_on, mileage=mileage)


@transaction.atomic
def repair_order_deliver(*, repair_order: RepairOrder, actor, version: int | None = None) -> GatePass:
    locked = lock_repair_order(repair_order, version=version)
    if locked.state != ROState.INVOICED:
        raise ApplicationError(_("Repair order %(number)s is %(state)s; only an invoiced one is delivered.")
                               % {"number": locked.number, "state": locked.get_state_display()},
                               code="illegal_transition")
    invoice = live_invoice(locked, lock=True)
    if invoice is None:
        raise ApplicationError(_("Issue the invoice before the car leaves."), code="not_invoiced")
    due = invoice.customer_amount - paid_on(locked.pk)
    if due > 0:
        raise ApplicationError(_("%(due)s is still to pay on invoice %(number)s; take the payment (or book it on "
                                 "account) before the car leaves.") % {"due": due, "number": invoice.number},
                               code="unpaid")
    today = site_today(locked.site)
    gate_pass = GatePass.objects.create(
        repair_order=locked, issued_by=actor,
        number=next_number(site=locked.site, kind=GATE_PASS_SEQUENCE, year=today.year))
    key_tag = locked.key_tag
    locked.key_tag, locked.delivered_at = "", timezone.now()
    move_ro(locked, ROState.DELIVERED, actor, kind="delivered", fields=["key_tag", "delivered_at"],
            gate_pass=gate_pass.number, invoice=invoice.number, key_tag=key_tag)
    vehicle = Vehicle.objects.get(pk=locked.vehicle_id)
    next_on, next_km = next_service_due(vehicle=vehicle, delivered_on=today, mileage=locked.mileage)
    Vehicle.objects.filter(pk=vehicle.pk).update(next_service_on=next_on, next_service_km=next_km)
    vehicles_refresh_service_due([vehicle.pk])
    return gate_pass
