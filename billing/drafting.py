"""What an invoice of a repair order holds, before it is issued (結算單 preview) — read-only, no writes.

The lines come from the RO: the labour of finished jobs (done or QC-passed), the parts of those jobs as
issued from the store (issues less returns, from the stock ledger, matched to the job's part lines in
order; an RO with no issue booked at all bills its part lines as agreed, since not every site books its
issues), and the diagnostic fee of each declined or undiagnosed job. A settlement discount (结算优惠) is spread
over the customer-paid lines in proportion to what each still costs, in whole fen (warranty and internal
lines are never discounted). The arithmetic (VAT per line, half-up,
from the site's price basis; totals as sums of lines; who pays what) is repair_orders.totals', not repeated.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Prefetch, Sum

from parts.models import StockMovement
from repair_orders.models import JobLine, PartLine, PayType, RepairOrder
from repair_orders.services.estimate import spread
from repair_orders.totals import LineAmount, Totals, line_amount, totals_of
from repair_orders.workflow import FEE_ONLY_JOB_STATES, JobState
from servicedesk.core.money import money

from .models import InvoiceLine

ZERO = Decimal("0.00")
FINISHED_JOB_STATES = frozenset({JobState.DONE, JobState.PASSED})
NEVER_AUTHORISED = frozenset({JobState.PROPOSED})


@dataclass(frozen=True)
class DraftLine:
    kind: str  # InvoiceLine.Kind
    job: JobLine
    description: str
    amount: LineAmount
    quantity: Decimal = Decimal("1")
    unit_price: Decimal = ZERO
    hours: Decimal | None = None
    part_number: str = ""
    brand: str = ""
    source: str = ""
    taxable: bool = True
    settlement_share: Decimal = ZERO  # of the settlement discount, included in amount.discount

    @property
    def free(self) -> bool:
        return self.amount.amounts.gross == 0 and self.settlement_share == 0

    @property
    def chargeable(self) -> Decimal:
        """What the customer would pay for the line before a settlement discount, on the price basis."""
        return self.amount.price - self.amount.discount + self.settlement_share


@dataclass(frozen=True)
class Draft:
    repair_order: RepairOrder
    lines: list[DraftLine]
    totals: Totals
    unfinished: list[JobLine] = field(default_factory=list)  # authorised and not done: nothing to bill yet
    parts_tracked: bool = False  # issues booked in the stock ledger (else: the part lines as agreed)
    settlement_discount: Decimal = ZERO

    @property
    def fees(self) -> Decimal:
        return sum((line.amount.price for line in self.lines if line.kind == InvoiceLine.Kind.FEE), ZERO)

    def paid_by(self, pay_type: str) -> Decimal:
        amounts = self.totals.by_pay_type.get(pay_type)
        return amounts.gross if amounts else ZERO

    @property
    def customer_amount(self) -> Decimal:
        return self.paid_by(PayType.CUSTOMER)

    @property
    def discountable(self) -> Decimal:
        """The customer's part before any settlement discount, on the price basis: what one is a share of."""
        return sum((line.chargeable for line in self.lines if line.job.pay_type == PayType.CUSTOMER), ZERO)


def draft_prefetch() -> list[Prefetch]:
    return [Prefetch("jobs", JobLine.objects.select_related("operation").order_by("pk")),
            Prefetch("jobs__part_lines", PartLine.objects.select_related("part").order_by("pk"))]


def issued_quantities(repair_orders: list[RepairOrder]) -> dict[str, dict[int, Decimal]]:
    """Net quantity of each part issued to each RO (issues less returns), by RO number. One query."""
    rows = (StockMovement.objects
            .filter(site__in={ro.site_id for ro in repair_orders},
                    repair_order_ref__in=[ro.number for ro in repair_orders],
                    kind__in=[StockMovement.Kind.ISSUE, StockMovement.Kind.RETURN])
            .values("repair_order_ref", "part_id").annotate(total=Sum("quantity")))
    issued: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        issued[row["repair_order_ref"]][row["part_id"]] = -row["total"]
    return issued


def invoice_draft(repair_order: RepairOrder, *, issued: dict[int, Decimal] | None = None,
                  settlement_discount: Decimal = ZERO) -> Draft:
    """The invoice `repair_order` would get now, less `settlement_discount` (no more than the customer's part).
    Load the RO with its site and `draft_prefetch()`; pass `issued` (from issued_quantities) when drafting
    many ROs, else one query reads the ledger."""
    if issued is None:
        issued = issued_quantities([repair_order]).get(repair_order.number, {})
    tracked = bool(issued)
    remaining = dict(issued)
    lines, unfinished = [], []
    site = repair_order.site
    for job in repair_order.jobs.all():
        refs = {"pay_type": job.pay_type, "job_line_id": job.pk}
        if job.state in FEE_ONLY_JOB_STATES:
            if job.diagnostic_fee:
                lines.append(DraftLine(
                    kind=InvoiceLine.Kind.FEE, job=job, description=job.description, unit_price=job.diagnostic_fee,
                    amount=line_amount(kind="diagnostic_fee", price=job.diagnostic_fee, site=site, **refs)))
        elif job.state in FINISHED_JOB_STATES:
            lines.append(DraftLine(
                kind=InvoiceLine.Kind.LABOUR, job=job, description=job.description, hours=job.hours,
                unit_price=job.labour_price,
                amount=line_amount(kind="labour", price=job.labour_price, discount=job.discount, site=site, **refs)))
            lines.extend(_part_lines(job, remaining if tracked else None, site=site, refs=refs))
        elif job.state not in NEVER_AUTHORISED:
            unfinished.append(job)
    draft = Draft(repair_order=repair_order, lines=lines, totals=totals_of(line.amount for line in lines),
                  unfinished=unfinished, parts_tracked=tracked)
    return with_settlement_discount(draft, settlement_discount) if settlement_discount > 0 else draft


def with_settlement_discount(draft: Draft, amount: Decimal) -> Draft:
    """`draft` less `amount` (at most draft.discountable): each customer-paid line gets its share, in proportion
    to what it costs (free lines none), in whole fen adding up to `amount`; its net, VAT and gross follow."""
    site = draft.repair_order.site
    lines = list(draft.lines)
    paying = [i for i, line in enumerate(lines) if line.job.pay_type == PayType.CUSTOMER and line.chargeable > 0]
    for i, share in zip(paying, spread(amount, [lines[i].chargeable for i in paying]), strict=True):
        line, old = lines[i], lines[i].amount
        lines[i] = replace(line, settlement_share=line.settlement_share + share, amount=line_amount(
            kind=old.kind, price=old.price, discount=old.discount + share, taxable=line.taxable, site=site,
            pay_type=old.pay_type, job_line_id=old.job_line_id, part_line_id=old.part_line_id))
    return replace(draft, lines=lines, totals=totals_of(line.amount for line in lines),
                   settlement_discount=draft.settlement_discount + amount)


def _part_lines(job: JobLine, remaining: dict[int, Decimal] | None, *, site, refs: dict) -> list[DraftLine]:
    """The job's parts as billed: with the ledger, no more than is still issued of that part (in line order);
    a customer-supplied part is not in the store and bills as agreed."""
    drafted = []
    for line in job.part_lines.all():
        quantity = line.quantity
        if remaining is not None and line.part_id is not None and line.source != PartLine.Source.CUSTOMER_SUPPLIED:
            quantity = min(quantity, max(remaining.get(line.part_id, ZERO), ZERO))
            remaining[line.part_id] = remaining.get(line.part_id, ZERO) - quantity
        if quantity <= 0:
            continue
        discount = line.discount if quantity == line.quantity else money(line.discount * quantity / line.quantity)
        drafted.append(DraftLine(
            kind=InvoiceLine.Kind.PART, job=job, quantity=quantity, unit_price=line.unit_price,
            description=line.part.name if line.part else line.description,
            part_number=line.part.number if line.part else "", brand=line.part.brand if line.part else "",
            source=line.source, taxable=line.taxable,
            amount=line_amount(kind="part", price=line.unit_price * quantity, discount=discount,
                               taxable=line.taxable, site=site, part_line_id=line.pk, **refs)))
    return drafted
