"""Complaints (快速处理表) of the period: opened by department and category, median hours to resolve, share
resolved by the deadline (of those opened in the period), rechecks (二次回访) done."""

from django.db.models import Count, F, Q

from followups.models import Callback, Complaint

from ..periods import Period
from .common import median, one_place, percent, ratio


def complaints(sites, period: Period) -> dict:
    opened = Complaint.objects.filter(site__in=sites, created_at__gte=period.start, created_at__lt=period.end)
    by_department = dict(opened.values_list("department").annotate(n=Count("pk")).order_by())
    by_category = dict(opened.values_list("category").annotate(n=Count("pk")).order_by())
    counts = opened.aggregate(total=Count("pk"), by_deadline=Count("pk", filter=Q(
        resolved_at__isnull=False, resolved_at__lte=F("deadline"))))
    resolved = (Complaint.objects.filter(site__in=sites, resolved_at__gte=period.start, resolved_at__lt=period.end)
                .values_list("created_at", "resolved_at"))
    hours = [(done - opened_at).total_seconds() / 3600 for opened_at, done in resolved]
    rechecks = Callback.objects.filter(site__in=sites, kind=Callback.Kind.COMPLAINT_RECHECK,
                                       status=Callback.Status.DONE, completed_at__gte=period.start,
                                       completed_at__lt=period.end).count()
    return {
        "opened": counts["total"],
        "by_department": by_department,
        "by_category": by_category,
        "resolved": len(hours),
        "median_hours_to_resolve": one_place(median(hours)),
        "resolved_by_deadline_rate": percent(ratio(counts["by_deadline"], counts["total"])),
        "rechecks_done": rechecks,
    }

