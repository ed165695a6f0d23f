"""The manager's screens: dashboard, monthly report (charts, tables, exports, PDF), daily report, the
definitions behind every number, and the archive of monthly packs."""

from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from followups.models import Department
from servicedesk.core.errors import ApplicationError
from servicedesk.core.views_common import paginate, staff_view

from .dashboard import dashboard
from .exports import table_response
from .models import MonthlyReport
from .monthly import daily_report, monthly_report, zone_of
from .pdf import charts, monthly_report_pdf
from .periods import add_months
from .scope import ALL_SITES, report_sites
from .tables import daily_tables, monthly_tables

PERMISSION = "reports.view_reports"


def _month(request, sites) -> str:
    return request.GET.get("month") or _last_full_month(sites)


def _scope(request):
    wanted = request.GET.get("site") or ""
    return wanted, report_sites(request, wanted)


@staff_view(PERMISSION)
def dashboard_view(request):
    _wanted, sites = _scope(request)
    figures = dashboard(sites=sites)
    return render(request, "reports/dashboard.html", {"figures": figures, "tiles": _tiles(figures)})


def _tiles(figures: dict) -> list[dict]:
    """Each number with the list behind it; the ones that need someone's attention are marked."""
    revenue, before = figures["revenue"], figures["revenue_last_month"]
    appointments = figures["appointments"]
    board, monthly = reverse("repair_orders:board"), reverse("reports:monthly")
    return [
        {"label": _("Cars today"), "value": figures["car_count_today"], "url": board,
         "note": _("%(n)s this month") % {"n": figures["car_count_month"]}},
        {"label": _("Arrivals / appointments today"), "value": f"{appointments['arrived']} / {appointments['due']}",
         "url": reverse("appointments:arrivals")},
        {"label": _("Past the promised time"), "value": figures["promised_late"], "url": board,
         "alert": figures["promised_late"] > 0},
        {"label": _("Promised times at risk"), "value": figures["promised_at_risk"], "url": board,
         "alert": figures["promised_at_risk"] > 0},
        {"label": _("Callbacks overdue"), "value": figures["callbacks_overdue"],
         "url": reverse("followups:queue") + "?overdue=on", "alert": figures["callbacks_overdue"] > 0},
        {"label": _("Complaints past deadline"), "value": figures["complaints_late"],
         "url": reverse("followups:complaint_list") + "?overdue=on", "alert": figures["complaints_late"] > 0},
        {"label": _("Revenue this month (ex-VAT)"), "value": revenue["total"], "url": monthly,
         "note": _("same days last month: %(amount)s") % {"amount": before["total"]}},
        {"label": _("ARO this month"), "value": revenue["aro"] if revenue["aro"] is not None else "—", "url": monthly,
         "note": _("same days last month: %(amount)s") % {"amount": before["aro"] if before["aro"] else "—"}},
    ]


def _monthly(request):
    wanted, sites = _scope(request)
    month = _month(request, sites)
    try:
        figures = monthly_report(sites=sites, month=month)
    except ApplicationError as error:  # a month typed wrong: say so, show the last full month
        messages.error(request, error.message)
        figures = monthly_report(sites=sites, month=_last_full_month(sites))
    return wanted, sites, figures


def _last_full_month(sites) -> str:
    today = timezone.now().astimezone(zone_of(sites)).date()
    return f"{add_months(today.replace(day=1), -1):%Y-%m}"


@staff_view(PERMISSION)
def monthly_view(request):
    wanted, sites, figures = _monthly(request)
    return render(request, "reports/monthly.html", {
        "figures": figures, "tables": monthly_tables(figures), "site_choice": wanted, "all_sites": ALL_SITES,
        "chart_data": _chart_data(figures), "svg_charts": charts(figures),
    })


def _chart_data(figures: dict) -> dict:
    trend = figures["satisfaction"]["trend"]
    return {"months": [row["month"] for row in trend],
            "labels": {code: str(label) for code, label in Department.choices},
            "departments": {code: [_number(row["scores"].get(code)) for row in trend]
                            for code in figures["satisfaction"]["departments"] if code != Department.OVERALL}}


def _number(value):
    return None if value is None else float(value)


@staff_view(PERMISSION)
def monthly_export(request):
    _wanted, sites, figures = _monthly(request)
    return _export(request, monthly_tables(figures), f"report-{figures['month']}")


@staff_view(PERMISSION)
def monthly_pdf(request):
    _wanted, sites, figures = _monthly(request)
    response = HttpResponse(monthly_report_pdf(site=sites[0], figures=figures), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{figures["month"]}.pdf"'
    return response


def _daily(request):
    wanted, sites = _scope(request)
    try:
        day = date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        day = timezone.now().astimezone(zone_of(sites)).date()
    return wanted, daily_report(sites=sites, day=day)


@staff_view(PERMISSION)
def daily_view(request):
    wanted, figures = _daily(request)
    return render(request, "reports/daily.html", {"figures": figures, "tables": daily_tables(figures),
                                                  "site_choice": wanted, "all_sites": ALL_SITES})


@staff_view(PERMISSION)
def daily_export(request):
    _wanted, figures = _daily(request)
    return _export(request, daily_tables(figures), f"daily-{figures['day']}")


def _export(request, tables, name: str):
    by_key = {table.key: table for table in tables}
    table = by_key.get(request.GET.get("table", ""))
    if table is None:
        raise Http404
    return table_response(table, request.GET.get("format", "csv"), f"{name}-{table.key}")


@staff_view(PERMISSION)
def definitions_view(request):
    return render(request, "reports/definitions.html")


@staff_view(PERMISSION)
def archive_view(request):
    reports = MonthlyReport.objects.filter(site__in=request.site_context.sites).select_related("site")
    return render(request, "reports/archive.html", {"page": paginate(request, reports)})


@staff_view(PERMISSION)
def archive_download(request, pk: int):
    report = get_object_or_404(MonthlyReport, pk=pk, site__in=request.site_context.sites)
    if not report.pdf:
        messages.info(request, _("This report is still being prepared; try again in a minute."))
        raise Http404
    return FileResponse(report.pdf.open("rb"), content_type="application/pdf",
                        filename=f"{report.site.code}-{report.month:%Y-%m}.pdf")
