"""Beat's scan for the monthly pack and the task that renders one report (DESIGN.md §3 rules 5–6)."""

from celery import shared_task
from django.utils import timezone

from servicedesk.core.tasks import BaseTask

from . import services


@shared_task(base=BaseTask)
def monthly_reports_due() -> int:
    return services.monthly_reports_create_due(as_of=timezone.now())


@shared_task(base=BaseTask, soft_time_limit=120, time_limit=180)
def monthly_report_generate(report_id: int) -> bool:
    return services.monthly_report_generate(report_id=report_id)
