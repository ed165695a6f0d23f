"""Reads of the handover screens: the pre-delivery panel of an RO, the warranty claims list with its totals,
and the day-close figures. Each runs a fixed number of queries whatever the number of rows."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from repair_orders.workflow import ROState
from servicedesk.core.money import money

from .models import AccountSettlement, DayClose, Invoice, Payment, PreDeliveryCheck, WarrantyClaim
from .services.handover import REQUIRED_CHECKS, ROAD_TEST, latest_inspection, required_checks
from .services.warranty import OUTSTANDING

ZERO = Decimal("0.00")


# ---------------------------------------------------------------- pre-delivery check


@dataclass(frozen=True)
class HandoverPanel:
    check: PreDeliveryCheck | None
    can_sign_now: bool  # the RO is where a check may be signed (QC passed, or declined everything)
    blocked_reason: str
    wanted: dict  # {field: label} to tick
    road_test: bool
    declined_everything: bool


def handover_panel(*, repair_order) -> HandoverPanel:
    """Two queries: the signed check (with its signer) and the latest inspection."""
    check = (PreDeliveryCheck.objects.filter(repair_order=repair_order)
             .select_related("signed_by__profile").first())
    inspection = latest_inspection(repair_order)
    declined = repair_order.state == ROState.READY
    road_test = bool(inspection and inspection.road_test_done)
    blocked = ""
    if repair_order.state == ROState.QUALITY_CHECK and (inspection is None or inspection.result != "passed"):
        blocked = _("The quality check has not passed yet.")
    elif repair_order.state not in (ROState.QUALITY_CHECK, ROState.READY):
        blocked = _("The pre-delivery check comes after the quality check has passed.")
    wanted = required_checks(declined_everything=declined, road_test=road_test)
    if check is not None:  # as signed: the items ticked then
        labels = {**REQUIRED_CHECKS, ROAD_TEST: PreDeliveryCheck._meta.get_field(ROAD_TEST).verbose_name}
        wanted = {key: label for key, label in labels.items() if getattr(check, key)}
    return HandoverPanel(check=check, can_sign_now=check is None and not blocked, blocked_reason=blocked,
                         wanted=wanted, road_test=road_test, declined_everything=declined)


# ---------------------------------------------------------------- warranty claims


@dataclass(frozen=True)
class ClaimTotals:
    counts: dict  # status -> number of claims
    outstanding: Decimal  # submitted + approved, not yet paid
    outstanding_count: int


def claims_of_site(site, *, status: str | None = None):
    claims = (WarrantyClaim.objects.filter(site=site)
              .select_related("repair_order__vehicle", "job_line").order_by("-created_at", "-pk"))
    if status in WarrantyClaim.Status.values:
        claims = claims.filter(status=status)
    return claims


def claim_totals(site) -> ClaimTotals:
    """One query: the number of claims per status and the amount outstanding."""
    per_status = {status: Count("pk", filter=Q(status=status)) for status in WarrantyClaim.Status.values}
    row = WarrantyClaim.objects.filter(site=site).aggregate(
        **per_status, outstanding=Sum(F("labour_amount") + F("parts_amount"), filter=Q(status__in=OUTSTANDING)))
    counts = {status: row[status] for status in WarrantyClaim.Status.values}
    return ClaimTotals(counts=counts, outstanding=money(row["outstanding"] or ZERO),
                       outstanding_count=sum(counts[status] for status in OUTSTANDING))


def claim_detail(site, pk):
    return (WarrantyClaim.objects.filter(site=site, pk=pk)
            .select_related("repair_order__vehicle", "repair_order__customer", "job_line")
            .prefetch_related("events__actor__profile").first())


# ---------------------------------------------------------------- day close


@dataclass(frozen=True)
class MethodFigure:
    method: str
    label: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class DayFigures:
    day: date
    payments: list[MethodFigure] = field(default_factory=list)
    invoices_count: int = 0
    invoices_total: Decimal = ZERO
    credit_notes_count: int = 0
    credit_notes_total: Decimal = ZERO
    settlements: list[MethodFigure] = field(default_factory=list)  # on-account customers paying off the account

    @property
    def payments_total(self) -> Decimal:
        return sum((figure.amount for figure in self.payments), ZERO)

    @property
    def settlements_total(self) -> Decimal:
        return sum((figure.amount for figure in self.settlements), ZERO)

    @property
    def cash(self) -> Decimal:
        return sum((figure.amount for figure in [*self.payments, *self.settlements]
                    if figure.method == Payment.Method.CASH), ZERO)

    def as_json(self) -> dict:
        return {
            "payments": {f.method: {"count": f.count, "amount": str(f.amount)} for f in self.payments},
            "payments_total": str(self.payments_total),
            "invoices": {"count": self.invoices_count, "total": str(self.invoices_total)},
            "credit_notes": {"count": self.credit_notes_count, "total": str(self.credit_notes_total)},
            "account_settlements": {f.method: {"count": f.count, "amount": str(f.amount)} for f in self.settlements
                                    if f.count},
        }


def day_bounds(site, day: date) -> tuple[datetime, datetime]:
    """The site's local day as [start, next start)."""
    start = datetime.combine(day, time.min, tzinfo=zoneinfo.ZoneInfo(site.time_zone))
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zoneinfo.ZoneInfo(site.time_zone))


def day_figures(*, site, day: date) -> DayFigures:
    """Three queries: payments grouped by method, invoices and credit notes grouped by kind, account settlements
    grouped by method."""
    start, end = day_bounds(site, day)
    paid = {row["method"]: row for row in Payment.objects.filter(site=site, received_at__gte=start,
                                                                 received_at__lt=end)
            .values("method").annotate(count=Count("pk"), amount=Sum("amount")).order_by()}
    settled = {row["method"]: row for row in AccountSettlement.objects.filter(
        account__site=site, received_at__gte=start, received_at__lt=end)
        .values("method").annotate(count=Count("pk"), amount=Sum("amount")).order_by()}
    issued = {row["kind"]: row for row in Invoice.objects.filter(site=site, issued_at__gte=start, issued_at__lt=end)
              .values("kind").annotate(count=Count("pk"), total=Sum("gross_total")).order_by()}
    invoices, credits = issued.get(Invoice.Kind.INVOICE, {}), issued.get(Invoice.Kind.CREDIT_NOTE, {})
    return DayFigures(
        day=day,
        payments=[MethodFigure(method=value, label=str(label), count=paid.get(value, {}).get("count", 0),
                               amount=money(paid.get(value, {}).get("amount") or ZERO))
                  for value, label in Payment.Method.choices],
        invoices_count=invoices.get("count", 0), invoices_total=money(invoices.get("total") or ZERO),
        credit_notes_count=credits.get("count", 0), credit_notes_total=money(credits.get("total") or ZERO),
        settlements=[MethodFigure(method=method, label=str(Payment.Method(method).label), count=row["count"],
                                  amount=money(row["amount"])) for method, row in sorted(settled.items())],
    )


def closed_days(site):
    return DayClose.objects.filter(site=site).select_related("closed_by__profile").order_by("-day")


def day_closed(site, day: date) -> DayClose | None:
    return DayClose.objects.filter(site=site, day=day).select_related("closed_by__profile").first()
