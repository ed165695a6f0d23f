"""Repair orders at handover for the handover tests: estimated and signed through the repair-order services,
then the workshop's part stood in for by setting the states and writing the QC inspection directly.
Invoices and payments are written as rows (the invoicing stage's services are tested on their own)."""

import itertools
from decimal import Decimal

from billing.models import Invoice, InvoiceLine, Payment
from repair_orders.models import JobLine, RepairOrder
from repair_orders.workflow import JobState, ROState
from tests.billing.invoicing_fixtures import estimate, sign
from workshop.models import Inspection

ALL_CHECKS = {"exterior_clean": True, "interior_clean": True, "faults_fixed": True, "old_parts_as_agreed": True,
              "special_requests_honoured": True, "covers_removed": True, "belongings_returned": True}
JOBS = [("更换刹车片", "300.00", "customer", "0", []), ("更换水泵(索赔)", "200.00", "warranty", "0", [])]
_numbers = itertools.count(1)


def ro_passed_qc(site, advisor, inspector, *, road_test=False, result=Inspection.Result.PASSED, jobs=JOBS):
    """An RO in quality check with its jobs passed and the inspection recorded."""
    repair_order = sign(estimate(site, advisor, jobs), advisor)
    JobLine.objects.filter(repair_order=repair_order, state=JobState.APPROVED).update(state=JobState.PASSED)
    RepairOrder.objects.filter(pk=repair_order.pk).update(state=ROState.QUALITY_CHECK)
    Inspection.objects.create(repair_order=repair_order, inspector=inspector, result=result,
                              road_test_done=road_test, road_test_km=5 if road_test else None)
    return RepairOrder.objects.select_related("site", "vehicle", "customer").get(pk=repair_order.pk)


def ro_declined_everything(site, advisor):
    """The customer declined all work: the RO went straight to ready (diagnostic fee only)."""
    repair_order = estimate(site, advisor, [("故障诊断", "100.00", "customer", "80.00", [])])
    return sign(repair_order, advisor, approve=[])


def invoice_row(repair_order, issued_by, *, lines=(), kind=Invoice.Kind.INVOICE, credits=None) -> Invoice:
    """An issued invoice (or credit note) as a row. `lines`: (job line, kind, pay type, gross)."""
    gross = sum((Decimal(amount) for *_rest, amount in lines), Decimal("0.00"))
    invoice = Invoice.objects.create(
        site=repair_order.site, repair_order=repair_order, kind=kind, credits=credits,
        number=f"INV-T{next(_numbers):05d}", customer=repair_order.customer, customer_name=repair_order.customer.name,
        net_total=gross, gross_total=gross, customer_amount=gross, vat_rate=Decimal("0.130"), issued_by=issued_by)
    for position, (job, line_kind, pay_type, amount) in enumerate(lines, start=1):
        InvoiceLine.objects.create(invoice=invoice, position=position, kind=line_kind, pay_type=pay_type,
                                   job_line=job, description=job.description if job else "费用",
                                   unit_price=Decimal(amount), net=Decimal(amount), gross=Decimal(amount))
    return invoice


def payment_row(invoice, method, amount, received_by) -> Payment:
    return Payment.objects.create(site=invoice.site, invoice=invoice, method=method, amount=Decimal(amount),
                                  received_by=received_by)


def other_site_claim(site):
    """A draft warranty claim of `site` (for the permission harness)."""
    from billing.services.warranty import claims_open_for_invoice
    from servicedesk.accounts.roles import ADVISOR, CASHIER, QC_INSPECTOR
    from tests.factories import make_staff

    advisor = make_staff(role=ADVISOR, sites=[site])
    repair_order = ro_passed_qc(site, advisor, make_staff(role=QC_INSPECTOR, sites=[site]))
    cashier = make_staff(role=CASHIER, sites=[site])
    job = repair_order.jobs.get(pay_type="warranty")
    invoice = invoice_row(repair_order, cashier, lines=[(job, "labour", "warranty", "200.00")])
    return claims_open_for_invoice(invoice=invoice, actor=cashier)[0]
