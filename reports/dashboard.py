"""The manager's dashboard: today and month to date, each tile a number and the list behind it."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from appointments.models import Appointment
from appointments.models.booking import Status as AppointmentStatus
from followups.models import Callback, Complaint
from repair_orders.models import JobLine, RepairOrder
from repair_orders.progress import UNFINISHED_JOB_STATES, repair_order_at_risk
from repair_orders.workflow import OPEN_RO_STATES, ROState

from .figures.business import revenues
from .periods import Period, add_months


def month_to_date(zone, now) -> tuple[Period, Period]:
    """This month up to the end of today, and last month up to the same day (for comparison)."""
    today = now.astimezone(zone).date()
    first = today.replace(day=1)
    this = Period(first, today + timedelta(days=1), zone)
    previous_first = add_months(first, -1)
    return this, Period(previous_first, min(add_months(today, -1) + timedelta(days=1), first), zone)


def _promised_times_at_risk(ros, now) -> int:
    """Open ROs, not yet late, whose unfinished work no longer fits before the promised time (two queries)."""
    unfinished = Prefetch("jobs", queryset=JobLine.objects.filter(state__in=UNFINISHED_JOB_STATES),
                          to_attr="unfinished_jobs")
    candidates = (ros.filter(state__in=[ROState.APPROVED, ROState.IN_PROGRESS], promised_at__gte=now)
                  .only("pk", "promised_at").prefetch_related(unfinished))
    return sum(repair_order_at_risk(ro.promised_at, ro.unfinished_jobs, now) for ro in candidates)


def dashboard(*, sites, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    zone = ZoneInfo(sites[0].time_zone)
    today = now.astimezone(zone).date()
    day_start = datetime.combine(today, time.min, tzinfo=zone)
    this_month, last_month = month_to_date(zone, now)
    ros = RepairOrder.objects.filter(site__in=sites)
    open_by_state = dict(ros.filter(state__in=OPEN_RO_STATES).values_list("state").annotate(n=Count("pk"))
                         .order_by())
    late_states = OPEN_RO_STATES - {ROState.READY, ROState.INVOICED}
    # Only this month's ROs and the open ones (ro_site_created, ro_site_state), not all the site's history.
    counts = ros.filter(Q(created_at__gte=this_month.start) | Q(state__in=late_states)).aggregate(
        today=Count("pk", filter=Q(created_at__gte=day_start) & ~Q(state=ROState.CANCELLED)),
        month=Count("pk", filter=Q(created_at__gte=this_month.start) & ~Q(state=ROState.CANCELLED)),
        late=Count("pk", filter=Q(state__in=late_states, promised_at__lt=now)))
    appointments = (Appointment.objects.filter(site__in=sites, day=today)
                    .exclude(status=AppointmentStatus.CANCELLED)
                    .aggregate(due=Count("pk"), arrived=Count("pk", filter=Q(status=AppointmentStatus.ARRIVED))))
    at_risk = _promised_times_at_risk(ros, now)
    overdue_callbacks = Callback.objects.filter(site__in=sites, status__in=["open", "claimed"], due_at__lt=now).count()
    money_in, money_before = revenues(sites, [this_month, last_month])  # one pass over both months' lines
    late_complaints = Complaint.objects.filter(site__in=sites, status__in=["open", "reopened"],
                                               deadline__lt=now).count()
    return {
        "today": today,
        "car_count_today": counts["today"],
        "car_count_month": counts["month"],
        "open_by_state": [(ROState(state).label, open_by_state.get(state, 0)) for state in ROState.values
                          if state in OPEN_RO_STATES],
        "promised_late": counts["late"],
        "promised_at_risk": at_risk,
        "appointments": appointments,
        "callbacks_overdue": overdue_callbacks,
        "complaints_late": late_complaints,
        "revenue": money_in,
        "revenue_last_month": money_before,
    }
