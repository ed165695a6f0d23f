"""Business figures: car count, show rate, ARO, revenue split, the advisors' table, hours per RO and the
effective labour rate. Revenue is invoiced amounts ex-VAT, credit notes subtracted (DESIGN.md §6)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When

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

ZERO = Decimal("0.00")
SIGNED = Case(When(invoice__kind=Invoice.Kind.CREDIT_NOTE, then=Value(-1)), default=Value(1))


def _signed_sum(field: str, **filters):
    return Sum(F(field) * SIGNED, filter=Q(**filters) if filters else None,
               output_field=DecimalField(max_digits=14, decimal_places=2))


def revenue(sites, period: Period) -> dict:
    lines = InvoiceLine.objects.filter(invoice__site__in=sites, invoice__issued_at__gte=period.start,
                                       invoice__issued_at__lt=period.end)
    sums = lines.aggregate(
        total=_signed_sum("net"),
        labour=_signed_sum("net", pay_type=PayType.CUSTOMER, kind__in=["labour", "fee"]),
        parts=_signed_sum("net", pay_type=PayType.CUSTOMER, kind="part"),
        warranty=_signed_sum("net", pay_type=PayType.WARRANTY),
        internal=_signed_sum("net", pay_type=PayType.INTERNAL),
        labour_all=_signed_sum("net", kind="labour"),
    )
    invoiced = (Invoice.objects.filter(site__in=sites, kind=Invoice.Kind.INVOICE, issued_at__gte=period.start,
                                       issued_at__lt=period.end, credit_note__isnull=True)
                .values("repair_order_id").distinct().count())
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


def car_count(sites, period: Period) -> int:
    return (RepairOrder.objects.filter(site__in=sites, created_at__gte=period.start, created_at__lt=period.end)
            .exclude(state=ROState.CANCELLED).count())


def show_rate(sites, period: Period) -> dict:
    counts = (Appointment.objects.filter(site__in=sites, day__gte=period.first_day, day__lt=period.end_day)
              .exclude(status=AppointmentStatus.CANCELLED)
              .aggregate(due=Count("pk"), arrived=Count("pk", filter=Q(status=AppointmentStatus.ARRIVED)),
                         no_shows=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW))))
    return {**counts, "show_rate": percent(ratio(counts["arrived"], counts["due"]))}


def advisors(sites, period: Period) -> list[dict]:
    """Per advisor: ROs opened, revenue invoiced, additional work proposed and accepted, satisfaction rate."""
    opened = dict(RepairOrder.objects.filter(site__in=sites, created_at__gte=period.start, created_at__lt=period.end)
                  .exclude(state=ROState.CANCELLED).values_list("advisor_id").annotate(n=Count("pk")).order_by())
    revenue_by = dict(InvoiceLine.objects.filter(invoice__site__in=sites, invoice__issued_at__gte=period.start,
                                                 invoice__issued_at__lt=period.end)
                      .values_list("invoice__repair_order__advisor_id").annotate(total=_signed_sum("net")).order_by())
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
