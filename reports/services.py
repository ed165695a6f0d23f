"""The monthly report pack: on the 3rd of each month at 08:00 site time a scan creates one archive row per
site for the previous month (unique per site and month, so a second scan or two at once create nothing);
a task per row computes the figures, renders the PDF outside any transaction, stores both once and queues
an email to each of the site's service managers through the outbox (one per manager, deduplicated)."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from customers.messaging.services import message_queue
from customers.models import Channel
from servicedesk.accounts.models import Site
from servicedesk.core.notifications import site_managers

from .models import MonthlyReport
from .periods import add_months, month_period

SEND_DAY, SEND_TIME = 3, time(8, 0)


def previous_month_if_due(site: Site, as_of: datetime):
    """The first day of the month to report on, once the site's clock has passed the 3rd at 08:00."""
    local = as_of.astimezone(ZoneInfo(site.time_zone))
    if (local.day, local.time()) < (SEND_DAY, SEND_TIME):
        return None
    return add_months(local.date().replace(day=1), -1)


def monthly_reports_create_due(*, as_of: datetime) -> int:
    rows = [MonthlyReport(site=site, month=month) for site in Site.objects.all()
            if (month := previous_month_if_due(site, as_of)) is not None]
    existing = {(r.site_id, r.month) for r in MonthlyReport.objects.filter(
        site__in=[r.site for r in rows], month__in={r.month for r in rows})}
    new = [r for r in rows if (r.site_id, r.month) not in existing]
    MonthlyReport.objects.bulk_create(new, ignore_conflicts=True)
    pending = list(MonthlyReport.objects.filter(generated_at__isnull=True).values_list("pk", flat=True))
    if pending:
        from .tasks import monthly_report_generate

        transaction.on_commit(lambda: [monthly_report_generate.delay(pk) for pk in pending])
    return len(new)


def monthly_report_generate(*, report_id: int) -> bool:
    """Figures and PDF for one archive row; False when another run has done it already."""
    from .monthly import monthly_figures
    from .pdf import monthly_report_pdf

    report = MonthlyReport.objects.select_related("site").get(pk=report_id)
    if report.generated_at is not None:
        return False
    sites = [report.site]
    figures = monthly_figures(sites, month_period(report.month, ZoneInfo(report.site.time_zone)))
    pdf = monthly_report_pdf(site=report.site, figures=figures)  # slow: outside the transaction
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().get(pk=report_id)
        if locked.generated_at is not None:
            return False
        locked.figures = figures
        locked.pdf.save(f"{report.site.code}-{report.month:%Y-%m}.pdf", ContentFile(pdf), save=False)
        locked.generated_at = locked.sent_at = timezone.now()
        locked.save()
        _email_managers(locked)
    return True


def _email_managers(report: MonthlyReport) -> None:
    managers = site_managers(report.site).exclude(email="")
    for manager in managers:
        message_queue(site=report.site, customer=None, template="monthly_report", channel=Channel.EMAIL,
                      recipient=manager.email, dedupe_key=f"monthly-report:{report.pk}:{manager.pk}",
                      context={"month": f"{report.month:%Y-%m}", "link": f"/reports/archive/{report.pk}/"},
                      cause=report)
