"""What the technician's screen reads: their jobs of today in the current site (open ones, and the ones they
finished today), and for the foreman the time entries the nightly scan flagged. Constant queries."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from repair_orders.models import JobLine
from repair_orders.workflow import JobState

from ..models import TimeEntry

OPEN_STATES = (JobState.ASSIGNED, JobState.IN_PROGRESS, JobState.PAUSED)
STATE_ORDER = {JobState.IN_PROGRESS: 0, JobState.PAUSED: 1, JobState.ASSIGNED: 2}


def my_jobs(*, site, technician, now: datetime | None = None) -> list[JobLine]:
    """One query: the technician's open jobs (running first, then paused, then their queue) and the jobs they
    finished today, with the RO, vehicle, customer, operation and bay."""
    zone = zoneinfo.ZoneInfo(site.time_zone)
    today = timezone.localtime(now or timezone.now(), zone).date()
    midnight = datetime.combine(today, time.min, tzinfo=zone)
    jobs = (JobLine.objects.filter(repair_order__site=site, technician=technician)
            .filter(Q(state__in=OPEN_STATES) | Q(state__in=(JobState.DONE, JobState.PASSED),
                                                  finished_at__gte=midnight, finished_at__lt=midnight + timedelta(1)))
            .select_related("repair_order__vehicle", "repair_order__customer", "operation", "bay"))
    return sorted(jobs, key=lambda job: (STATE_ORDER.get(job.state, 3), job.queue_position,
                                         job.repair_order.promised_at or midnight + timedelta(days=365), job.pk))


def entries_to_review(*, site) -> QuerySet[TimeEntry]:
    """Entries the scan closed that no foreman has looked at yet, oldest first (page it)."""
    return (TimeEntry.objects.filter(site=site, needs_review=True)
            .select_related("technician__profile", "job_line__repair_order__vehicle").order_by("started_at", "pk"))
