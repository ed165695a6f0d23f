"""The daily report (日报): ROs opened and delivered, money taken by payment method, appointments and
no-shows, for one local day."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from appointments.models import Appointment
from appointments.models.booking import Status as AppointmentStatus
from billing.models import Invoice, Payment
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.core.money import money

from ..periods import Period


def daily(sites, period: Period) -> dict:
    ros = RepairOrder.objects.filter(site__in=sites).aggregate(
        opened=Count("pk", filter=Q(created_at__gte=period.start, created_at__lt=period.end)),
        delivered=Count("pk", filter=Q(state=ROState.DELIVERED, delivered_at__gte=period.start,
                                       delivered_at__lt=period.end)))
    payments = dict(Payment.objects.filter(site__in=sites, received_at__gte=period.start, received_at__lt=period.end)
                    .values_list("method").annotate(total=Sum("amount")).order_by())
    invoices = Invoice.objects.filter(site__in=sites, issued_at__gte=period.start, issued_at__lt=period.end).aggregate(
        invoices=Count("pk", filter=Q(kind=Invoice.Kind.INVOICE)),
        credit_notes=Count("pk", filter=Q(kind=Invoice.Kind.CREDIT_NOTE)),
        invoiced=Sum("gross_total", filter=Q(kind=Invoice.Kind.INVOICE)),
        credited=Sum("gross_total", filter=Q(kind=Invoice.Kind.CREDIT_NOTE)))
    appointments = (Appointment.objects.filter(site__in=sites, day__gte=period.first_day, day__lt=period.end_day)
                    .exclude(status=AppointmentStatus.CANCELLED)
                    .aggregate(due=Count("pk"), arrived=Count("pk", filter=Q(status=AppointmentStatus.ARRIVED)),
                               no_shows=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW))))
    by_method = {method: money(payments.get(method) or Decimal("0")) for method in Payment.Method.values}
    return {
        "day": period.first_day,
        "repair_orders_opened": ros["opened"],
        "repair_orders_delivered": ros["delivered"],
        "payments_by_method": by_method,
        "payments_total": money(sum(by_method.values(), Decimal("0"))),
        "invoices_issued": invoices["invoices"],
        "credit_notes": invoices["credit_notes"],
        "invoiced_gross": money(invoices["invoiced"] or Decimal("0")),
        "credited_gross": money(invoices["credited"] or Decimal("0")),
        "appointments": appointments,
    }
