"""`/api/v1/repair-orders/<pk>/qc/` (DESIGN.md §7): GET the checklist to answer and the inspections so far;
POST an inspection (pass, or fail with the jobs sent back). The same service as the inspector's screen."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from repair_orders.api import detail_queryset
from repair_orders.models import RepairOrder
from repair_orders.serializers import OptionalVersionSerializer, RepairOrderDetailSerializer
from repair_orders.workflow import ROState
from servicedesk.core.api import SiteScopedMixin

from .models import Inspection, InspectionAnswer
from .selectors import qc as selectors
from .services.qc import qc_record


class QcPermission(permissions.BasePermission):
    """Reading QC needs workshop.view_inspection; recording an inspection workshop.inspect_quality."""

    def has_permission(self, request, view):
        needed = "workshop.view_inspection" if request.method in permissions.SAFE_METHODS else \
            "workshop.inspect_quality"
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(needed))


class QcAnswerSerializer(serializers.Serializer):
    job = serializers.IntegerField(allow_null=True, default=None, help_text="job line id; null: the whole vehicle")
    check = serializers.IntegerField(help_text="checklist item id (GET …/qc/ lists them)")
    ok = serializers.BooleanField()
    remark = serializers.CharField(max_length=200, allow_blank=True, default="")


class QcFailedJobSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    reason = serializers.CharField(max_length=200)


class QcInputSerializer(OptionalVersionSerializer):
    result = serializers.ChoiceField(choices=["pass", "fail"])
    answers = QcAnswerSerializer(many=True, help_text="one per check of the checklist")
    failed_jobs = QcFailedJobSerializer(many=True, default=list, help_text="a fail: the jobs sent back as rework")
    road_test_done = serializers.BooleanField(default=False)
    road_test_km = serializers.IntegerField(min_value=0, max_value=1000, allow_null=True, default=None)
    notes = serializers.CharField(max_length=2000, allow_blank=True, default="")


class QcCheckSerializer(serializers.Serializer):
    job = serializers.IntegerField(allow_null=True)
    check = serializers.IntegerField()
    text = serializers.CharField()


class QcJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    technician = serializers.IntegerField(source="technician_id", allow_null=True)
    rework_count = serializers.IntegerField()


class InspectionAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionAnswer
        fields = ["job_line", "check_text", "ok", "remark"]


class InspectionSerializer(serializers.ModelSerializer):
    answers = InspectionAnswerSerializer(many=True, source="answer_rows")
    sent_back = QcFailedJobSerializer(many=True)

    class Meta:
        model = Inspection
        fields = ["id", "at", "inspector", "result", "road_test_done", "road_test_km", "notes", "answers",
                  "sent_back"]


class QcStatusSerializer(serializers.Serializer):
    repair_order = serializers.IntegerField()
    state = serializers.CharField()
    version = serializers.IntegerField()
    jobs = QcJobSerializer(many=True, help_text="the finished jobs this inspection covers")
    checks = QcCheckSerializer(many=True)
    inspections = InspectionSerializer(many=True)


class RepairOrderQcView(SiteScopedMixin, APIView):
    permission_classes = [QcPermission]

    @extend_schema(operation_id="repair_orders_qc_checklist", responses=QcStatusSerializer)
    def get(self, request, pk):
        """The checklist of the RO's finished jobs (empty when nothing waits for QC) and its inspections."""
        repair_order = self._repair_order(pk)
        jobs = selectors.jobs_to_inspect(repair_order) if repair_order.state == ROState.QUALITY_CHECK else []
        checks = [{"job": section.job_id, "check": item.pk, "text": item.text}
                  for section in selectors.checklist_for(jobs) for item in section.items]
        return Response(QcStatusSerializer({
            "repair_order": repair_order.pk, "state": repair_order.state, "version": repair_order.version,
            "jobs": jobs, "checks": checks, "inspections": selectors.inspections_of(repair_order)}).data)

    @extend_schema(operation_id="repair_orders_qc", request=QcInputSerializer, responses=RepairOrderDetailSerializer)
    def post(self, request, pk):
        """Record an inspection: `pass` (every check OK; the jobs are passed, the RO waits for the
        pre-delivery check) or `fail` (the jobs in `failed_jobs` go back to their technician as rework and
        the RO is in progress again). The inspector must not have worked on the jobs. 409: stale version or
        the RO is not waiting for QC."""
        repair_order = self._repair_order(pk)
        data = QcInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        qc_record(repair_order=repair_order, inspector=request.user, passed=data["result"] == "pass",
                  answers=data["answers"], failed_jobs={row["job"]: row["reason"] for row in data["failed_jobs"]},
                  road_test_done=data["road_test_done"], road_test_km=data["road_test_km"], notes=data["notes"],
                  version=data["version"])
        fresh = detail_queryset(self.site).get(pk=repair_order.pk)
        return Response(RepairOrderDetailSerializer(fresh, context={"request": request, "site": self.site}).data)

    def _repair_order(self, pk) -> RepairOrder:
        return get_object_or_404(RepairOrder.objects.select_related("site"), site=self.site, pk=pk)


urls = [path("repair-orders/<int:pk>/qc/", RepairOrderQcView.as_view(), name="repair-order-qc")]
