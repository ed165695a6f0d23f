"""Invoice arithmetic as properties (hypothesis): for any lines, discounts, pay types, VAT rates and price
basis, every line has net + VAT = gross, the totals are the sums of the lines, customer + warranty +
internal = gross, and no fen is lost against the RO's own totals (repair_orders.totals).

Each example runs in a savepoint that is rolled back, so the function-scoped fixtures are shared."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.services.invoicing import invoice_issue
from repair_orders.models import JobLine, PartLine, RepairOrder
from repair_orders.totals import repair_order_totals
from repair_orders.workflow import JobState, ROState
from tests.repair_orders.conftest import make_part
from tests.repair_orders.helpers import open_ro

pytestmark = pytest.mark.django_db
D = Decimal

cents = st.integers(min_value=0, max_value=500_000).map(lambda n: D(n) / 100)
pay_types = st.sampled_from(["customer", "warranty", "internal"])
parts = st.lists(st.tuples(st.integers(1, 40).map(lambda n: D(n) / 4), cents, st.floats(0, 1), st.booleans()),
                 max_size=3)
jobs = st.lists(st.tuples(st.sampled_from([JobState.PASSED, JobState.DONE, JobState.DECLINED]), cents,
                          st.floats(0, 1), cents, pay_types, parts), min_size=1, max_size=5)


class Rollback(Exception):
    pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(jobs=jobs, vat=st.sampled_from(["0.130", "0.060", "0.090", "0"]), inclusive=st.booleans())
def test_invoice_totals_are_consistent(site, advisor, cashier, jobs, vat, inclusive):
    try:
        with transaction.atomic():
            _check(site, advisor, cashier, jobs, vat, inclusive)
            raise Rollback
    except Rollback:
        pass


def _check(site, advisor, cashier, jobs, vat, inclusive):
    site.vat_rate, site.prices_include_vat = D(vat), inclusive
    site.save()
    repair_order = open_ro(site, advisor)
    part = make_part(site, "PROP-1")
    for state, labour, share, fee, pay_type, part_rows in jobs:
        job = JobLine.objects.create(repair_order=repair_order, description="工", pay_type=pay_type, state=state,
                                     labour_price=labour, discount=(labour * D(share)).quantize(D("0.01")),
                                     diagnostic_fee=fee, created_by=advisor)
        for quantity, price, row_share, taxable in part_rows:
            PartLine.objects.create(job_line=job, part=part, quantity=quantity, unit_price=price, taxable=taxable,
                                    discount=(price * quantity * D(row_share)).quantize(D("0.01")))
    RepairOrder.objects.filter(pk=repair_order.pk).update(state=ROState.READY)
    invoice = invoice_issue(repair_order=repair_order, actor=cashier)
    lines = list(invoice.lines.all())
    for line in lines:
        assert line.net + line.vat == line.gross
        assert line.free == (line.gross == 0)
    assert invoice.net_total == sum((line.net for line in lines), D(0))
    assert invoice.vat_total == sum((line.vat for line in lines), D(0))
    assert invoice.gross_total == sum((line.gross for line in lines), D(0))
    assert invoice.net_total + invoice.vat_total == invoice.gross_total
    assert invoice.customer_amount + invoice.warranty_amount + invoice.internal_amount == invoice.gross_total
    for pay_type, total in (("customer", invoice.customer_amount), ("warranty", invoice.warranty_amount),
                            ("internal", invoice.internal_amount)):
        assert total == sum((line.gross for line in lines if line.pay_type == pay_type), D(0))
    assert invoice.labour_total + invoice.fees_total + invoice.parts_total - invoice.discount_total == (
        invoice.gross_total if inclusive else invoice.net_total)
    ro_totals = repair_order_totals(RepairOrder.objects.select_related("site").get(pk=repair_order.pk))
    assert (ro_totals.net, ro_totals.vat, ro_totals.gross) == (invoice.net_total, invoice.vat_total,
                                                               invoice.gross_total)
