"""The repair order's totals (DESIGN.md §4 "Pricing"), computed on the server from its lines, never stored.

Each chargeable line is split into net / VAT / gross on its own, rounded half-up (pricing.vat_amounts);
the totals are the sums of the lines, so net + VAT = gross holds for the RO as it does for every line.
What a job line charges depends on its state: a declined line, or one still waiting for its diagnosis,
bills only its diagnostic fee; any other line bills its labour and parts, less their discounts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import prefetch_related_objects

from servicedesk.core.money import money

from .models import JobLine, RepairOrder
from .pricing import Amounts, vat_amounts
from .workflow import FEE_ONLY_JOB_STATES

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineAmount:
    kind: str  # "labour", "part" or "diagnostic_fee"
    price: Decimal  # before the discount, on the site's price basis
    discount: Decimal
    amounts: Amounts  # of price − discount
    pay_type: str = "customer"
    job_line_id: int | None = None
    part_line_id: int | None = None


@dataclass(frozen=True)
class Totals:
    labour: Decimal  # labour and diagnostic fees, before discounts
    parts: Decimal  # before discounts
    discount: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    lines: tuple[LineAmount, ...] = ()
    by_pay_type: dict[str, Amounts] = field(default_factory=dict)  # who pays what: customer, warranty, internal


def line_amount(*, kind: str, price, site, discount=ZERO, taxable: bool = True, **refs) -> LineAmount:
    price, discount = money(price), money(discount)
    return LineAmount(kind=kind, price=price, discount=discount,
                      amounts=vat_amounts(amount=price - discount, site=site, taxable=taxable), **refs)


def totals_of(lines: Iterable[LineAmount]) -> Totals:
    lines = tuple(lines)
    by_pay_type: dict[str, list[Amounts]] = defaultdict(list)
    for line in lines:
        by_pay_type[line.pay_type].append(line.amounts)
    return Totals(
        labour=sum((line.price for line in lines if line.kind != "part"), ZERO),
        parts=sum((line.price for line in lines if line.kind == "part"), ZERO),
        discount=sum((line.discount for line in lines), ZERO),
        net=sum((line.amounts.net for line in lines), ZERO),
        vat=sum((line.amounts.vat for line in lines), ZERO),
        gross=sum((line.amounts.gross for line in lines), ZERO),
        lines=lines,
        by_pay_type={pay_type: _sum_amounts(amounts) for pay_type, amounts in by_pay_type.items()},
    )


def _sum_amounts(amounts: list[Amounts]) -> Amounts:
    return Amounts(net=sum((a.net for a in amounts), ZERO), vat=sum((a.vat for a in amounts), ZERO),
                   gross=sum((a.gross for a in amounts), ZERO))


def job_line_amounts(job: JobLine, *, site) -> list[LineAmount]:
    refs = {"pay_type": job.pay_type, "job_line_id": job.pk}
    if job.state in FEE_ONLY_JOB_STATES:
        if not job.diagnostic_fee:
            return []
        return [line_amount(kind="diagnostic_fee", price=job.diagnostic_fee, site=site, **refs)]
    lines = [line_amount(kind="labour", price=job.labour_price, discount=job.discount, site=site, **refs)]
    for part_line in job.part_lines.all():
        lines.append(line_amount(kind="part", price=part_line.unit_price * part_line.quantity,
                                 discount=part_line.discount, taxable=part_line.taxable, site=site,
                                 part_line_id=part_line.pk, **refs))
    return lines


def repair_order_totals(repair_order: RepairOrder) -> Totals:
    """Labour, parts, discount, net, VAT and gross of the RO. Two queries (jobs, parts lines), none when
    `jobs__part_lines` is already prefetched; load the RO with its site."""
    prefetch_related_objects([repair_order], "jobs__part_lines")
    site = repair_order.site
    return totals_of(line for job in repair_order.jobs.all() for line in job_line_amounts(job, site=site))
