"""API of the workshop: clocking (DESIGN.md §7). `POST repair-orders/{id}/jobs/{job_id}/start/` (clock on or
resume), `pause/` ({reason, note}) and `finish/` call the same services as the technician's screen: 200 with
the job, 400 for bad input (not your job, already clocked on elsewhere, never started, no reason), 409 when
the job's state does not allow the action. The job's technician (workshop.clock_time) or a foreman
(workshop.dispatch_jobs, acting for the technician) may call them."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from repair_orders.models import JobLine, RepairOrder
from servicedesk.core.api import SiteScopedMixin

from .services.clocking import job_finish, job_pause, job_start


class CanClock(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated
                    and (user.has_perm("workshop.clock_time") or user.has_perm("workshop.dispatch_jobs")))


class PauseInputSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=JobLine.PauseReason.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ClockedJobSerializer(serializers.ModelSerializer):
    repair_order_state = serializers.CharField(source="repair_order.state", read_only=True)

    class Meta:
        model = JobLine
        fields = ["id", "repair_order", "repair_order_state", "description", "hours", "state", "technician",
                  "pause_reason", "started_at", "finished_at", "clocked_hours", "clocked_on_since", "rework_count"]
        read_only_fields = fields


ERROR_RESPONSE = inline_serializer("ClockingError", {"detail": serializers.CharField(),
                                                     "code": serializers.CharField()})
RESPONSES = {
    200: ClockedJobSerializer,
    400: OpenApiResponse(ERROR_RESPONSE, description="`not_assigned`: not your job; `already_clocked_on`: "
                         "pause or finish the running job first; `not_started`, `paused`; field errors"),
    409: OpenApiResponse(ERROR_RESPONSE, description="`illegal_transition`: the job's state does not allow it; "
                         "`locked`: the RO is not in the workshop"),
}


class JobClockView(SiteScopedMixin, APIView):
    permission_classes = [CanClock]

    def _job(self, pk, job_id) -> JobLine:
        repair_order = get_object_or_404(RepairOrder, site=self.site, pk=pk)
        return get_object_or_404(JobLine, repair_order=repair_order, pk=job_id)

    def _answer(self, job: JobLine) -> Response:
        return Response(ClockedJobSerializer(JobLine.objects.select_related("repair_order").get(pk=job.pk)).data)


class JobStartView(JobClockView):
    @extend_schema(operation_id="repair_orders_jobs_start", request=None, responses=RESPONSES)
    def post(self, request, pk, job_id):
        """Clock on: an assigned job starts, a paused one resumes; a time entry opens for its technician."""
        job = self._job(pk, job_id)
        return self._answer(job_start(job_line=job, actor=request.user))


class JobPauseView(JobClockView):
    @extend_schema(operation_id="repair_orders_jobs_pause", request=PauseInputSerializer, responses=RESPONSES)
    def post(self, request, pk, job_id):
        """Pause with a reason (waiting parts tells the parts clerks, waiting customer the advisor)."""
        job = self._job(pk, job_id)
        serializer = PauseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(job_pause(job_line=job, actor=request.user, **serializer.validated_data))


class JobFinishView(JobClockView):
    @extend_schema(operation_id="repair_orders_jobs_finish", request=None, responses=RESPONSES)
    def post(self, request, pk, job_id):
        """Finish: the entry closes; the RO's last authorised job sends the RO to quality check."""
        job = self._job(pk, job_id)
        return self._answer(job_finish(job_line=job, actor=request.user))


urls: list = [
    path("repair-orders/<int:pk>/jobs/<int:job_id>/start/", JobStartView.as_view(), name="repair-order-job-start"),
    path("repair-orders/<int:pk>/jobs/<int:job_id>/pause/", JobPauseView.as_view(), name="repair-order-job-pause"),
    path("repair-orders/<int:pk>/jobs/<int:job_id>/finish/", JobFinishView.as_view(),
         name="repair-order-job-finish"),
]
