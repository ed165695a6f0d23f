"""Delivery: refused unpaid or uninvoiced; gate pass, key tag freed, delivered_at, next service on the vehicle."""

from decimal import Decimal

import pytest

from billing.models import CustomerAccount, GatePass
from billing.services.delivery import repair_order_deliver
from billing.services.invoicing import credit_note_issue, invoice_issue
from billing.services.payments import payment_take
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.core.errors import ApplicationError

from .invoicing_fixtures import ready_ro

# These tests read messages in English, the second language (the fixture sets the pages and services).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_delivery_refused_before_invoicing_and_unpaid(site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    with pytest.raises(ApplicationError) as refused:
        repair_order_deliver(repair_order=repair_order, actor=cashier)
    assert refused.value.is_conflict
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    payment_take(invoice=invoice, method="card", amount="100", actor=cashier)
    with pytest.raises(ApplicationError, match="296.00 is still to pay") as refused:
        repair_order_deliver(repair_order=repair_order, actor=cashier)
    assert refused.value.code == "unpaid"
    credit_note_issue(invoice=invoice, reason="更正", actor=cashier)
    with pytest.raises(ApplicationError, match="Issue the invoice"):
        repair_order_deliver(repair_order=repair_order, actor=cashier)
    assert not GatePass.objects.exists()
    assert RepairOrder.objects.get(pk=repair_order.pk).state == ROState.INVOICED


def test_delivery_of_a_paid_car(site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    RepairOrder.objects.filter(pk=repair_order.pk).update(key_tag="A12")
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    payment_take(invoice=invoice, method="wechat", amount="396.00", actor=cashier)
    gate_pass = repair_order_deliver(repair_order=repair_order, actor=cashier)
    assert gate_pass.number.startswith("SH01-GP-")
    repair_order.refresh_from_db()
    assert repair_order.state == ROState.DELIVERED and repair_order.key_tag == "" and repair_order.delivered_at
    assert repair_order.events.get(kind="delivered").data["key_tag"] == "A12"
    vehicle = repair_order.vehicle
    vehicle.refresh_from_db()
    assert vehicle.next_service_km == 17000 and vehicle.next_service_on == invoice.next_service_on
    # the key tag is free for the next car
    other = ready_ro(site, advisor)
    RepairOrder.objects.filter(pk=other.pk).update(key_tag="A12")
    with pytest.raises(ApplicationError):
        repair_order_deliver(repair_order=repair_order, actor=cashier)


def test_on_account_customer_leaves_with_the_account_booked(site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    CustomerAccount.objects.create(site=site, customer=invoice.customer, credit_limit=Decimal("10000"))
    payment_take(invoice=invoice, method="account", amount=invoice.customer_amount, actor=cashier)
    repair_order_deliver(repair_order=repair_order, actor=cashier)
    assert RepairOrder.objects.get(pk=repair_order.pk).state == ROState.DELIVERED


def test_a_stale_version_is_refused(site, advisor, cashier):
    repair_order = ready_ro(site, advisor)
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    payment_take(invoice=invoice, method="card", amount="396.00", actor=cashier)
    with pytest.raises(ApplicationError) as refused:
        repair_order_deliver(repair_order=repair_order, actor=cashier, version=1)
    assert refused.value.code == "stale_version"
