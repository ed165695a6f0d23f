"""Repair orders ready for the cashier: estimated and signed through the repair-order services, then the
workshop's part (dispatch, clocking, QC, pre-delivery check) stood in for by setting the finished states."""

from decimal import Decimal

from parts.services import stock_receive
from repair_orders.models import JobLine, RepairOrder
from repair_orders.services import (
    job_add_free_text,
    part_line_add,
    repair_order_approve,
    repair_order_record_walkaround,
    repair_order_submit_estimate,
)
from repair_orders.workflow import JobState, ROState
from tests.repair_orders.conftest import make_part
from tests.repair_orders.helpers import open_ro, signature_png


def estimate(site, advisor, jobs, **open_extra) -> RepairOrder:
    """An RO awaiting approval. `jobs`: (description, labour price, pay type, diagnostic fee, [(part, qty)])."""
    repair_order = open_ro(site, advisor, **open_extra)
    repair_order = repair_order_record_walkaround(repair_order=repair_order, data={"mileage": 12000},
                                                  version=repair_order.version, actor=advisor)
    for description, price, pay_type, fee, parts in jobs:
        job = job_add_free_text(repair_order=repair_order, description=description, labour_price=Decimal(price),
                                hours=Decimal("1.5"), pay_type=pay_type, diagnostic_fee=Decimal(fee), actor=advisor)
        for part, quantity in parts:
            part_line_add(job_line=job, part=part, quantity=quantity, actor=advisor)
    return repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)


def sign(repair_order, advisor, *, approve=None) -> RepairOrder:
    """The customer signs; `approve`: the descriptions approved (default all)."""
    jobs = repair_order.jobs.all()
    ids = [job.pk for job in jobs if approve is None or job.description in approve]
    return repair_order_approve(repair_order=repair_order, approved_line_ids=ids, signer_name="张伟",
                                signature_image=signature_png(), version=None, actor=advisor)


def finish(repair_order, *, job_state=JobState.PASSED) -> RepairOrder:
    """The workshop's part: authorised jobs finished, the RO ready."""
    JobLine.objects.filter(repair_order=repair_order, state=JobState.APPROVED).update(state=job_state)
    RepairOrder.objects.filter(pk=repair_order.pk, state__in=[ROState.APPROVED, ROState.READY]).update(
        state=ROState.READY)
    return RepairOrder.objects.get(pk=repair_order.pk)


def ready_ro(site, advisor, *, jobs=None, **open_extra) -> RepairOrder:
    """A ready RO: by default a customer job (labour 300.00, a filter 48.00 × 2 in stock) and a warranty job
    (labour 200.00)."""
    if jobs is None:
        part = make_part(site, f"F-{RepairOrder.objects.count() + 1:03d}", brand="MANN")
        stock_receive(part=part, quantity=10, actor=advisor)
        jobs = [("更换机油滤清器", "300.00", "customer", "0", [(part, 2)]),
                ("更换水泵(索赔)", "200.00", "warranty", "0", [])]
    return finish(sign(estimate(site, advisor, jobs, **open_extra), advisor))


def paid_invoice(site, *, with_payment: bool = True):
    """An invoice of `site` (and its payment when `with_payment`), built by a manager of that site."""
    from billing.services.invoicing import invoice_issue
    from billing.services.payments import payment_take
    from servicedesk.accounts.roles import SERVICE_MANAGER
    from tests.factories import make_staff

    staff = make_staff(role=SERVICE_MANAGER, sites=[site])
    invoice = invoice_issue(repair_order=ready_ro(site, staff), actor=staff)
    if not with_payment:
        return invoice
    return payment_take(invoice=invoice, method="card", amount="10.00", actor=staff)


def other_site_object(kind: str, site):
    """For the permission harness: a settlement discount request, or a customer account, of `site`."""
    from billing.models import CustomerAccount
    from billing.services.settlement_discount import settlement_discount_give
    from servicedesk.accounts.roles import CASHIER
    from tests.factories import CustomerFactory, make_staff

    if kind == "customer_account":
        return CustomerAccount.objects.create(site=site, customer=CustomerFactory(site=site), credit_limit=1000)
    cashier = make_staff(role=CASHIER, sites=[site])
    return settlement_discount_give(repair_order=ready_ro(site, cashier), actor=cashier, amount="10")
