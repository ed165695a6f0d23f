"""`/api/v1/repair-orders/` (DESIGN.md §7): list and read, walk-in create, the actions walk-around,
damage-marks, sign-check-in, submit-estimate, approve and cancel, job lines (`jobs`) and parts lines
(`parts`), and the printed documents as PDFs. The same services as the screens; serializers in
repair_orders.serializers."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, renderers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from servicedesk.core.api import SiteScopedMixin, choice_param
from servicedesk.core.errors import ApplicationError

from . import pdf, services
from . import serializers as s
from .models import JobLine, PartLine, RepairOrder
from .workflow import ROState

LIST_PARAMETERS = [
    OpenApiParameter("state", str, enum=ROState.values),
    OpenApiParameter("date", date, description="opened on this day (the site's calendar)"),
    OpenApiParameter("search", str, description="RO number or plate (fragment)"),
]


class CanChangeRepairOrder(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated
                    and request.user.has_perm("repair_orders.change_repairorder"))


def detail_queryset(site):
    """An RO with its jobs, parts lines (part, shortage), marks and signatures: six queries for any size."""
    return (RepairOrder.objects.filter(site=site).select_related("site", "customer", "vehicle", "advisor__profile")
            .prefetch_related(Prefetch("jobs", JobLine.objects.select_related("operation")),
                              Prefetch("jobs__part_lines", PartLine.objects.select_related("part", "shortage")),
                              "damage_marks", "signatures"))


@extend_schema_view(list=extend_schema(parameters=LIST_PARAMETERS),
                    retrieve=extend_schema(responses=s.RepairOrderDetailSerializer))
class RepairOrderViewSet(SiteScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = RepairOrder.objects.none()

    def get_serializer_class(self):
        return s.RepairOrderSerializer if self.action == "list" else s.RepairOrderDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "site": self.site}

    def get_queryset(self):
        if self.action != "list":
            return detail_queryset(self.site)
        orders = RepairOrder.objects.filter(site=self.site).select_related("customer", "vehicle", "advisor__profile")
        params = self.request.query_params
        if state := choice_param(self.request, "state", ROState.values):
            orders = orders.filter(state=state)
        if params.get("date"):
            orders = orders.filter(created_at__range=_day_bounds(params["date"], self.site))
        if search := params.get("search", "").strip()[:30]:
            orders = orders.filter(Q(number__icontains=search) | Q(vehicle__plate__icontains=search))
        return orders.order_by("-created_at", "-pk")

    def _answer(self, repair_order, status=200):
        fresh = detail_queryset(self.site).get(pk=repair_order.pk)
        return Response(s.RepairOrderDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=s.WalkInSerializer, responses={201: s.RepairOrderDetailSerializer})
    def create(self, request, *args, **kwargs):
        """A walk-in: opens a checked-in RO for a customer and vehicle on file."""
        data = self._input(s.WalkInSerializer)
        data["advisor"] = data["advisor"] or request.user
        repair_order = services.repair_order_open(site=self.site, actor=request.user, **data)
        return self._answer(repair_order, status=201)

    @extend_schema(request=s.WalkaroundSerializer, responses=s.RepairOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path="walk-around", url_name="walk-around",
            permission_classes=[CanChangeRepairOrder])
    def walk_around(self, request, pk=None):
        """Records the check-in sheet's fields sent (a lower mileage needs `mileage_correction_reason`)."""
        repair_order = self.get_object()  # another site's id: 404 before anything else
        data = self._input(s.WalkaroundSerializer)
        version = data.pop("version")
        return self._answer(services.repair_order_record_walkaround(repair_order=repair_order, data=data,
                                                                    version=version, actor=request.user))

    @extend_schema(request=s.DamageMarkInputSerializer, responses={201: s.RepairOrderDetailSerializer})
    @action(detail=True, methods=["post"], url_path="damage-marks", url_name="damage-marks",
            permission_classes=[CanChangeRepairOrder])
    def damage_marks(self, request, pk=None):
        """A mark on the car diagram (x, y in % of it)."""
        repair_order = self.get_object()
        services.damage_mark_add(repair_order=repair_order, actor=request.user,
                                 **self._input(s.DamageMarkInputSerializer))
        return self._answer(repair_order, status=201)

    @extend_schema(request=s.CheckInSignatureSerializer, responses=s.RepairOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path="sign-check-in", url_name="sign-check-in",
            permission_classes=[CanChangeRepairOrder])
    def sign_check_in(self, request, pk=None):
        """The customer signs the check-in sheet."""
        repair_order = self.get_object()
        data = self._input(s.CheckInSignatureSerializer)
        services.repair_order_sign_check_in(repair_order=repair_order, actor=request.user,
                                            signature_image=data.pop("signature"), **data)
        return self._answer(repair_order)

    @extend_schema(request=s.RepairOrderVersionSerializer, responses=s.RepairOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path="submit-estimate", url_name="submit-estimate",
            permission_classes=[CanChangeRepairOrder])
    def submit_estimate(self, request, pk=None):
        repair_order = self.get_object()
        return self._answer(services.repair_order_submit_estimate(
            repair_order=repair_order, actor=request.user, **self._input(s.RepairOrderVersionSerializer)))

    @extend_schema(request=s.RepairOrderApproveSerializer, responses=s.RepairOrderDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanChangeRepairOrder])
    def approve(self, request, pk=None):
        """The customer signs the work order: the listed lines are approved, the other proposed lines are
        declined onto the recommendations list; nothing approved → the RO is ready (diagnostic fees only)."""
        repair_order = self.get_object()
        data = self._input(s.RepairOrderApproveSerializer)
        return self._answer(services.repair_order_approve(repair_order=repair_order, actor=request.user,
                                                          signature_image=data.pop("signature"), **data))

    @extend_schema(request=s.RepairOrderCancelSerializer, responses=s.RepairOrderDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanChangeRepairOrder])
    def cancel(self, request, pk=None):
        repair_order = self.get_object()
        return self._answer(services.repair_order_cancel(repair_order=repair_order, actor=request.user,
                                                         **self._input(s.RepairOrderCancelSerializer)))

    @extend_schema(request=s.JobInputSerializer, responses={201: s.JobAddedSerializer})
    @action(detail=True, methods=["post"], permission_classes=[CanChangeRepairOrder])
    def jobs(self, request, pk=None):
        """Adds a job line from a labour operation, a service package (its parts too) or free text."""
        repair_order = self.get_object()
        data = self._input(s.JobInputSerializer)
        common = {"repair_order": repair_order, "actor": request.user, "version": data["version"],
                  "pay_type": data["pay_type"]}
        if data["operation"]:
            job = services.job_add_from_operation(operation=data["operation"], hours=data["hours"],
                                                  diagnostic_fee=data["diagnostic_fee"], **common)
        elif data["package"]:
            job = services.job_add_from_package(package=data["package"], **common)
        else:
            job = services.job_add_free_text(description=data["description"], labour_price=data["labour_price"],
                                             hours=data["hours"] or 0, diagnostic_fee=data["diagnostic_fee"],
                                             **common)
        job = (JobLine.objects.select_related("operation", "repair_order")
               .prefetch_related(Prefetch("part_lines", PartLine.objects.select_related("part", "shortage")))
               .get(pk=job.pk))
        return Response(s.JobAddedSerializer(job).data, status=201)

    @extend_schema(request=s.PartInputSerializer, responses={201: s.PartAddedSerializer})
    @action(detail=True, methods=["post"], permission_classes=[CanChangeRepairOrder])
    def parts(self, request, pk=None):
        """Adds a parts line to a job of this RO the customer has not answered yet."""
        repair_order = self.get_object()
        data = self._input(s.PartInputSerializer)
        line = services.part_line_add(job_line=self._job(repair_order, data.pop("job")), actor=request.user, **data)
        line = PartLine.objects.select_related("part", "shortage", "job_line__repair_order").get(pk=line.pk)
        return Response(s.PartAddedSerializer(line).data, status=201)


    @extend_schema(request=s.JobAnswerSerializer, responses=s.RepairOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"jobs/(?P<job_id>[0-9]+)/approve", url_name="job-approve",
            permission_classes=[CanChangeRepairOrder])
    def job_approve(self, request, pk=None, job_id=None):
        """Records the customer's yes to an additional line (or one that waited for its diagnosis): who, by
        which channel, for what amount. Lines of the estimate itself are answered by `approve`."""
        return self._answer_job(job_id, approved=True)

    @extend_schema(request=s.JobAnswerSerializer, responses=s.RepairOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"jobs/(?P<job_id>[0-9]+)/decline", url_name="job-decline",
            permission_classes=[CanChangeRepairOrder])
    def job_decline(self, request, pk=None, job_id=None):
        """Records the customer's no: the line goes on the recommendations list."""
        return self._answer_job(job_id, approved=False)

    def _answer_job(self, job_id, *, approved: bool):
        repair_order = self.get_object()
        job = self._job(repair_order, job_id)
        data = self._input(s.JobAnswerSerializer)
        if data["amount"] is None and not approved:
            data["amount"] = 0
        services.additional_work_record_answer(job_line=job, approved=approved, actor=self.request.user, **data)
        return self._answer(repair_order)

    @staticmethod
    def _job(repair_order, job_id) -> JobLine:
        job = JobLine.objects.filter(repair_order=repair_order, pk=job_id).first()
        if job is None:
            raise ApplicationError(_("This job is not on the repair order; reload it."), field="job")
        return job


def _day_bounds(value: str, site) -> tuple[datetime, datetime]:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(_("Give the date as YYYY-MM-DD."), field="date") from None
    start = datetime.combine(day, time.min, tzinfo=zoneinfo.ZoneInfo(site.time_zone))
    return start, start + timedelta(days=1) - timedelta(microseconds=1)


# ---------------------------------------------------------------- documents


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for application/pdf; an error it is sent as is rendered as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else renderers.JSONRenderer().render(data)


DOCUMENT_DESCRIPTIONS = {
    "check_in_sheet": "The check-in sheet (接车单) as a PDF: walk-around, car diagram with damage marks, signature.",
    "work_order": "The work order (任务委托书) as a PDF: jobs, parts, totals with VAT, terms, signature.",
    "recommendations": "The recommendations list (建议项目表) as a PDF: the declined work with prices, signature.",
}


class RepairOrderDocumentView(SiteScopedMixin, APIView):
    """A printed document of the RO, inline, named after its number. Rendered in the request, outside any
    transaction (ATOMIC_REQUESTS is off): WeasyPrint is slow I/O."""

    document = ""
    queryset = RepairOrder.objects.none()  # RolePermission: GET needs repair_orders.view_repairorder
    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    def get(self, request, pk):
        repair_order = pdf.repair_order_for_documents(site=self.site, pk=pk)
        response = HttpResponse(pdf.document_pdf(repair_order, self.document, request=request),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{pdf.pdf_filename(repair_order, self.document)}"'
        return response


def _document_path(name: str):
    slug = pdf.DOCUMENTS[name].slug
    view = type(f"{name.title().replace('_', '')}PdfView", (RepairOrderDocumentView,), {"document": name})
    view = extend_schema_view(get=extend_schema(
        operation_id=f"repair_orders_{name}_pdf", description=DOCUMENT_DESCRIPTIONS[name],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)}))(view)
    return path(f"repair-orders/<int:pk>/{slug}.pdf", view.as_view(), name=f"repair-order-{slug}-pdf")


router = DefaultRouter()
router.register("repair-orders", RepairOrderViewSet, basename="repair-order")
urls = [*router.urls, *(_document_path(name) for name in pdf.DOCUMENTS)]
