"""The reports API (DESIGN.md §7): the figures of §6 as JSON, for a month or a day."""

from datetime import date

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from servicedesk.core.errors import ApplicationError

from .monthly import daily_report, monthly_report
from .scope import report_sites

SITE_PARAMETER = OpenApiParameter("site", str, description="A site code of yours, or `all` (group-wide); "
                                                           "default: the current site.")


class CanReadReports(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("reports.view_reports")


class MonthlyReportView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanReadReports]

    @extend_schema(operation_id="reports_monthly", responses=OpenApiTypes.OBJECT,
                   parameters=[SITE_PARAMETER, OpenApiParameter("month", str, required=True,
                                                                description="YYYY-MM")])
    def get(self, request):
        """The month's figures of DESIGN.md §6: satisfaction, complaints, churn, workshop, business."""
        month = request.query_params.get("month") or ""
        sites = report_sites(request, request.query_params.get("site"))
        return Response(monthly_report(sites=sites, month=month))


class DailyReportView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanReadReports]

    @extend_schema(operation_id="reports_daily", responses=OpenApiTypes.OBJECT,
                   parameters=[SITE_PARAMETER, OpenApiParameter("date", str, required=True,
                                                                description="YYYY-MM-DD")])
    def get(self, request):
        """The daily report (日报): ROs opened and delivered, payments by method, appointments, no-shows."""
        try:
            day = date.fromisoformat(request.query_params.get("date") or "")
        except ValueError:
            raise ApplicationError(_("Give the date as YYYY-MM-DD."), field="date") from None
        sites = report_sites(request, request.query_params.get("site"))
        return Response(daily_report(sites=sites, day=day))


urls = [path("reports/monthly", MonthlyReportView.as_view(), name="reports-monthly"),
        path("reports/daily", DailyReportView.as_view(), name="reports-daily")]
