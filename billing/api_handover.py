"""API of handover (DESIGN.md §7): the RO action `ready` (the pre-delivery check) and `warranty-claims`
(list, read; actions submit, approve, reject, pay). The same services as the screens."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from repair_orders.models import RepairOrder
from servicedesk.core.api import SiteScopedMixin, choice_param

from .models import PreDeliveryCheck, WarrantyClaim
from .selectors_handover import claims_of_site
from .services import warranty
from .services.handover import REQUIRED_CHECKS, ROAD_TEST, pre_delivery_check_sign

MONEY = {"max_digits": 12, "decimal_places": 2}


def _holding(permission: str):
    class HoldsPermission(permissions.BasePermission):
        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_perm(permission))

    return HoldsPermission


# ---------------------------------------------------------------- ready (pre-delivery check)


class ReadyInputSerializer(serializers.Serializer):
    exterior_clean = serializers.BooleanField(default=False)
    interior_clean = serializers.BooleanField(default=False)
    faults_fixed = serializers.BooleanField(default=False)
    road_test_checked = serializers.BooleanField(default=False, help_text="Required when QC recorded a road test.")
    old_parts_as_agreed = serializers.BooleanField(default=False)
    special_requests_honoured = serializers.BooleanField(default=False)
    covers_removed = serializers.BooleanField(default=False)
    belongings_returned = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class PreDeliveryCheckSerializer(serializers.ModelSerializer):
    repair_order_state = serializers.CharField(source="repair_order.state", read_only=True)
    repair_order_version = serializers.IntegerField(source="repair_order.version", read_only=True)

    class Meta:
        model = PreDeliveryCheck
        fields = ["id", "repair_order", "repair_order_state", "repair_order_version", *REQUIRED_CHECKS, ROAD_TEST,
                  "notes", "signed_by", "signed_at"]


class RepairOrderReadyView(SiteScopedMixin, APIView):
    permission_classes = [_holding("billing.add_predeliverycheck")]

    @extend_schema(request=ReadyInputSerializer, responses=PreDeliveryCheckSerializer,
                   operation_id="repair_orders_ready",
                   description="The advisor signs the pre-delivery check (交车前检查): the RO in quality check with "
                               "a passed inspection becomes ready and the customer is told, with the amount due. "
                               "400 names the missing checks; 409 for a stale version, an RO not passed QC, or a "
                               "check signed already.")
    def post(self, request, pk):
        repair_order = get_object_or_404(RepairOrder.objects.filter(site=self.site), pk=pk)
        data = ReadyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        notes, version = values.pop("notes"), values.pop("version")
        check = pre_delivery_check_sign(repair_order=repair_order, checks=values, notes=notes, actor=request.user,
                                        version=version)
        check = PreDeliveryCheck.objects.select_related("repair_order").get(pk=check.pk)
        return Response(PreDeliveryCheckSerializer(check).data)


# ---------------------------------------------------------------- warranty claims


class WarrantyClaimSerializer(serializers.ModelSerializer):
    repair_order_number = serializers.CharField(source="repair_order.number", read_only=True)
    plate = serializers.CharField(source="repair_order.vehicle.plate", read_only=True)
    job_description = serializers.CharField(source="job_line.description", read_only=True)
    amount = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = WarrantyClaim
        fields = ["id", "repair_order", "repair_order_number", "plate", "job_line", "job_description",
                  "maker_reference", "labour_amount", "parts_amount", "amount", "status", "rejection_reason",
                  "paid_amount", "version", "created_at", "updated_at"]


class ClaimVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class ClaimSubmitSerializer(ClaimVersionSerializer):
    maker_reference = serializers.CharField(max_length=50, allow_blank=True)


class ClaimRejectSerializer(ClaimVersionSerializer):
    reason = serializers.CharField(max_length=200, allow_blank=True)


class ClaimPaySerializer(ClaimVersionSerializer):
    paid_amount = serializers.DecimalField(**MONEY)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("status", str,
                                                                     enum=WarrantyClaim.Status.values)]))
class WarrantyClaimViewSet(SiteScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    serializer_class = WarrantyClaimSerializer
    queryset = WarrantyClaim.objects.none()
    permission_classes = [_holding("billing.manage_claims")]

    def get_queryset(self):
        return claims_of_site(self.site, status=choice_param(self.request, "status", WarrantyClaim.Status.values))

    def _act(self, serializer_class, service):
        claim = self.get_object()  # another site's id: 404 first
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        service(claim=claim, actor=self.request.user, **data.validated_data)
        return Response(WarrantyClaimSerializer(self.get_queryset().get(pk=claim.pk)).data)

    @extend_schema(request=ClaimSubmitSerializer, responses=WarrantyClaimSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Draft (or rejected) → submitted, with the maker's reference."""
        return self._act(ClaimSubmitSerializer, warranty.claim_submit)

    @extend_schema(request=ClaimVersionSerializer, responses=WarrantyClaimSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(ClaimVersionSerializer, warranty.claim_approve)

    @extend_schema(request=ClaimRejectSerializer, responses=WarrantyClaimSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(ClaimRejectSerializer, warranty.claim_reject)

    @extend_schema(request=ClaimPaySerializer, responses=WarrantyClaimSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return self._act(ClaimPaySerializer, warranty.claim_pay)


router = DefaultRouter()
router.register("warranty-claims", WarrantyClaimViewSet, basename="warranty-claim")
urls = [path("repair-orders/<int:pk>/ready/", RepairOrderReadyView.as_view(), name="repair-order-ready"),
        *router.urls]
