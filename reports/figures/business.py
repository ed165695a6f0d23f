"""Business figures: car count, show rate, ARO, revenue split, the advisors' table, hours per RO and the
effective labour rate. Revenue is invoiced amounts ex-VAT, credit notes subtracted (DESIGN.md §6)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Case, Count, DecimalField, F, Max, Q, Sum, Value, When
from django.utils import timezone

from appointments.models import Appointment
from appointments.models.booking import Status as AppointmentStatus
from billing.models import Invoice, InvoiceLine
from followups.models import Survey
from repair_orders.models import JobLine, PayType, RepairOrder
from repair_orders.workflow import ROState
from servicedesk.accounts.names import staff_name
from servicedesk.core.money import money

from ..periods import Period
from .common import percent, ratio
from .workshop import repair_order_counts

ZERO = Decimal("0.00")
KEEP_SECONDS = 40 * 24 * 3600  # a month's report is read in the weeks after it; recomputing later costs one query
SIGNED = Case(When(invoice__kind=Invoice.Kind.CREDIT_NOTE, then=Value(-1)), default=Value(1))
# The revenue split of DESIGN.md §6: each part is a filter on the invoice lines.
SPLITS = {
    "total": Q(),
    "labour": Q(pay_type=PayType.CUSTOMER, kind__in=["labour", "fee"]),
    "parts": Q(pay_type=PayType.CUSTOMER, kind="part"),
    "warranty": Q(pay_type=PayType.WARRANTY),
    "internal": Q(pay_type=PayType.INTERNAL),
    "labour_all": Q(kind="labour"),
}


def _signed_sum(field: str, condition: Q):
    return Sum(F(field) * SIGNED, filter=condition or None, output_field=DecimalField(max_digits=14, decimal_places=2))


def _issued_in(period: Period, prefix: str = "") -> Q:
    return Q(**{f"{prefix}issued_at__gte": period.start, f"{prefix}issued_at__lt": period.end})


def _lines(sites, periods: list[Period]):
    return InvoiceLine.objects.filter(invoice__site__in=sites, invoice__issued_at__gte=min(p.start for p in periods),
                                      invoice__issued_at__lt=max(p.end for p in periods))


def _invoice_counts(sites, periods: list[Period]) -> list[dict]:
    """Per period (one index-only query on billing_invoice_report): `invoiced`, the distinct ROs with an invoice
    that no credit note cancels — credited invoices are few, so PostgreSQL hashes them once (NOT IN) rather than
    probing per invoice — and the count and last id of all its invoices and credit notes (a cache key)."""
    credited = Invoice.objects.filter(credits__isnull=False).values("credits_id")
    aggregates = {}
    for n, period in enumerate(periods):
        issued = _issued_in(period)
        aggregates.update({
            f"invoiced{n}": Count("repair_order_id", distinct=True,
                                  filter=issued & Q(kind=Invoice.Kind.INVOICE) & ~Q(pk__in=credited)),
            f"count{n}": Count("pk", filter=issued), f"last{n}": Max("pk", filter=issued)})
    found = Invoice.objects.filter(_issued_in(_span(periods)), site__in=sites).aggregate(**aggregates)
    return [{key: found[f"{key}{n}"] for key in ("invoiced", "count", "last")} for n in range(len(periods))]


def _span(periods: list[Period]) -> Period:
    return Period(min(p.first_day for p in periods), max(p.end_day for p in periods), periods[0].zone)


def _revenue_figures(sums: dict, invoiced: int) -> dict:
    total = sums["total"] or ZERO
    return {
        "total": money(total),
        "labour": money(sums["labour"] or ZERO),
        "parts": money(sums["parts"] or ZERO),
        "warranty": money(sums["warranty"] or ZERO),
        "internal": money(sums["internal"] or ZERO),
        "labour_all_pay_types": money(sums["labour_all"] or ZERO),
        "invoiced_ros": invoiced,
        "aro": money(total / invoiced) if invoiced else None,
    }


def _line_sums(sites, periods: list[Period]) -> list[dict]:
    """The revenue split of each period (one query over the lines of all of them)."""
    sums = _lines(sites, periods).aggregate(**{
        f"{name}{n}": _signed_sum("net", condition & _issued_in(period, "invoice__"))
        for n, period in enumerate(periods) for name, condition in SPLITS.items()})
    return [{name: sums[f"{name}{n}"] for name in SPLITS} for n in range(len(periods))]


def sites_key(sites) -> str:
    return ",".join(str(pk) for pk in sorted(site.pk for site in sites))


def _sums_key(sites, period: Period, counts: dict) -> str:
    return (f"reports:revenue:{sites_key(sites)}:{period.start.isoformat()}:{period.end.isoformat()}:"
            f"{counts['count']}:{counts['last']}")


def revenues(sites, periods: list[Period]) -> list[dict]:
    """The revenue figures of several periods in two queries (the dashboard: this month and last month to the
    same day), the split of a period that has ended from the cache. Why that needs no invalidation: invoices,
    credit notes and their lines are append-only and issued_at is the moment of issue (auto_now_add), so an
    ended period's lines are final (a later credit note counts in its own period); the key carries the count and
    last id of the period's invoices, so a backdated row would make a new key. What an ended period's invoices
    still change — a credit note cancelling one, hence ARO's invoiced ROs — is counted live each time."""
    counts = _invoice_counts(sites, periods)
    now = timezone.now()
    keys = {n: _sums_key(sites, period, counts[n]) for n, period in enumerate(periods) if period.end <= now}
    cached = cache.get_many(list(keys.values()))
    sums = {n: cached[key] for n, key in keys.items() if key in cached}
    missing = [n for n in range(len(periods)) if n not in sums]
    if missing:
        sums.update(zip(missing, _line_sums(sites, [periods[n] for n in missing]), strict=True))
        cache.set_many({keys[n]: sums[n] for n in missing if n in keys}, KEEP_SECONDS)
    return [_revenue_figures(sums[n], counts[n]["invoiced"]) for n in range(len(periods))]


def revenue(sites, period: Period) -> dict:
    return revenues(sites, [period])[0]


def revenue_by_advisor(sites, period: Period) -> dict[int | None, dict]:
    """The revenue split per advisor of the invoiced RO (one query: the monthly report sums it for the totals)."""
    rows = (_lines(sites, [period]).values("invoice__repair_order__advisor_id")
            .annotate(**{name: _signed_sum("net", condition) for name, condition in SPLITS.items()}).order_by())
    return {row.pop("invoice__repair_order__advisor_id"): row for row in rows}


def revenue_from_advisors(sites, period: Period, by_advisor: dict) -> dict:
    """revenue() from revenue_by_advisor's rows: the same sums, without a second pass over the lines."""
    sums = {name: sum((row[name] or ZERO for row in by_advisor.values()), ZERO) for name in SPLITS}
    return _revenue_figures(sums, _invoice_counts(sites, [period])[0]["invoiced"])


def car_count(sites, period: Period) -> int:
    return repair_order_counts(sites, period)["car_count"]


def show_rate(sites, period: Period) -> dict:
    counts = (Appointment.objects.filter(site__in=sites, day__gte=period.first_day, day__lt=period.end_day)
              .exclude(status=AppointmentStatus.CANCELLED)
              .aggregate(due=Count("pk"), arrived=Count("pk", filter=Q(status=AppointmentStatus.ARRIVED)),
                         no_shows=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW))))
    return {**counts, "show_rate": percent(ratio(counts["arrived"], counts["due"]))}


def advisors(sites, period: Period, *, by_advisor: dict | None = None) -> list[dict]:
    """Per advisor: ROs opened, revenue invoiced, additional work proposed and accepted, satisfaction rate.
    `by_advisor` is revenue_by_advisor's result when the caller has it already."""
    opened = dict(RepairOrder.objects.filter(site__in=sites, created_at__gte=period.start, created_at__lt=period.end)
                  .exclude(state=ROState.CANCELLED).values_list("advisor_id").annotate(n=Count("pk")).order_by())
    if by_advisor is None:
        by_advisor = revenue_by_advisor(sites, period)
    revenue_by = {advisor_id: row["total"] for advisor_id, row in by_advisor.items()}
    extra = {row["repair_order__advisor_id"]: row for row in
             JobLine.objects.filter(repair_order__site__in=sites, additional=True, created_at__gte=period.start,
                                    created_at__lt=period.end)
             .values("repair_order__advisor_id")
             .annotate(proposed=Count("pk"), accepted=Count("pk", filter=Q(approved_at__isnull=False))).order_by()}
    surveys = {row["repair_order__advisor_id"]: row for row in
               Survey.objects.filter(site__in=sites, taken_at__gte=period.start, taken_at__lt=period.end,
                                     repair_order__isnull=False)
               .values("repair_order__advisor_id")
               .annotate(rated=Count("overall"), satisfied=Count("pk", filter=Q(overall__gte=4))).order_by()}
    ids = set(opened) | set(revenue_by) | set(extra) | set(surveys)
    names = {user.pk: staff_name(user)
             for user in get_user_model().objects.filter(pk__in=ids).select_related("profile")}
    rows = []
    for advisor_id in sorted(ids, key=lambda pk: names.get(pk, "")):
        proposed = extra.get(advisor_id, {}).get("proposed", 0)
        accepted = extra.get(advisor_id, {}).get("accepted", 0)
        rated = surveys.get(advisor_id, {})
        rows.append({"advisor_id": advisor_id, "advisor": names.get(advisor_id, ""),
                     "repair_orders": opened.get(advisor_id, 0),
                     "revenue": money(revenue_by.get(advisor_id) or ZERO),
                     "additional_proposed": proposed, "additional_accepted": accepted,
                     "satisfaction_rate": percent(ratio(rated.get("satisfied", 0), rated.get("rated", 0)))})
    return rows
