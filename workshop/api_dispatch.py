"""API of the workshop: dispatch (DESIGN.md §7). `POST repair-orders/{id}/jobs/{job_id}/assign/` gives a job
to a technician with the same service as the board: 200 with the job, 400 with the warnings to acknowledge
(nothing saved), 409 when the job was moved meanwhile (`expected_technician`) or cannot be dispatched."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from repair_orders.models import JobLine, RepairOrder
from servicedesk.core.api import SiteScopedMixin
from servicedesk.core.errors import ApplicationError

from .models import Bay
from .services.dispatch import job_assign


class CanDispatch(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("workshop.dispatch_jobs"))


class AssignInputSerializer(serializers.Serializer):
    technician = serializers.IntegerField(help_text="user id of a technician with a profile in this site")
    bay = serializers.IntegerField(required=False, allow_null=True, default=None)
    expected_technician = serializers.IntegerField(
        required=False, allow_null=True,
        help_text="the technician you saw on the job (null: unassigned); another one on file is a 409. "
                  "Leave out to skip the check.")
    acknowledge_warnings = serializers.BooleanField(default=False)
    position = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                        help_text="place in the technician's queue (0 first); default last")


class DispatchedJobSerializer(serializers.ModelSerializer):
    repair_order_state = serializers.CharField(source="repair_order.state", read_only=True)

    class Meta:
        model = JobLine
        fields = ["id", "repair_order", "repair_order_state", "description", "hours", "state", "technician", "bay",
                  "queue_position", "rework_count"]
        read_only_fields = fields


WARNINGS_RESPONSE = inline_serializer("AssignWarnings", {
    "detail": serializers.CharField(), "code": serializers.CharField(),
    "warnings": inline_serializer("AssignWarning", {"code": serializers.CharField(),
                                                    "message": serializers.CharField()}, many=True,
                                required=False)})
ERROR_RESPONSE = inline_serializer("DispatchError", {"detail": serializers.CharField(),
                                                     "code": serializers.CharField()})


class JobAssignView(SiteScopedMixin, APIView):
    permission_classes = [CanDispatch]

    @extend_schema(operation_id="repair_orders_jobs_assign", request=AssignInputSerializer,
                   responses={200: DispatchedJobSerializer,
                              400: OpenApiResponse(WARNINGS_RESPONSE, description="warnings to acknowledge "
                                                   "(code `warnings`), or bad input"),
                              409: OpenApiResponse(ERROR_RESPONSE, description="`stale`: moved meanwhile; "
                                                   "`illegal_transition`: not dispatchable")})
    def post(self, request, pk, job_id):
        """Assign (or reassign before it is started) a job of this RO to a technician."""
        repair_order = get_object_or_404(RepairOrder, site=self.site, pk=pk)
        job = get_object_or_404(JobLine, repair_order=repair_order, pk=job_id)
        serializer = AssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        technician = get_user_model().objects.filter(pk=data["technician"]).first()
        bay = Bay.objects.filter(site=self.site, pk=data["bay"]).first() if data["bay"] is not None else None
        if technician is None or (data["bay"] is not None and bay is None):
            raise ApplicationError(_("Choose a technician of this workshop.") if technician is None
                                   else _("Choose an active bay of this workshop."),
                                   field="technician" if technician is None else "bay")
        result = job_assign(job_line=job, technician=technician, bay=bay, actor=request.user,
                            expected_technician_id=data.get("expected_technician", ...),
                            acknowledge_warnings=data["acknowledge_warnings"], position=data["position"])
        if not result.assigned:
            return Response({"detail": " ".join(w.message for w in result.warnings), "code": "warnings",
                             "warnings": [{"code": w.code, "message": w.message} for w in result.warnings]},
                            status=400)
        job = JobLine.objects.select_related("repair_order").get(pk=job.pk)
        return Response(DispatchedJobSerializer(job).data)


urls: list = [
    path("repair-orders/<int:pk>/jobs/<int:job_id>/assign/", JobAssignView.as_view(), name="repair-order-job-assign"),
]
