"""`/api/v1/parts/` and `/api/v1/stock-movements/`: the same selectors and services as the screens."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from servicedesk.core.api import RolePermission, SiteScopedMixin, choice_param
from servicedesk.core.masking import HiddenPricesMixin, nullable_prices

from . import selectors, services
from .models import Part, StockAdjustment, StockMovement, Supplier

QUANTITY = {"max_digits": 12, "decimal_places": 2}
SEARCH_PARAM = OpenApiParameter("search", str, description="part number (also a superseded one), name or brand")
KIND_PARAM = OpenApiParameter("kind", str, enum=Part.Kind.values)
# What a POST to stock-movements may book, and the permission each needs.
CREATE_PERMISSIONS = {
    StockMovement.Kind.RECEIPT: "parts.receive_stock",
    StockMovement.Kind.ADJUSTMENT: "parts.adjust_stock",
}


class PartSerializer(HiddenPricesMixin, serializers.ModelSerializer):
    available = serializers.DecimalField(**QUANTITY, read_only=True)
    superseded_by_number = serializers.CharField(source="superseded_by.number", read_only=True, allow_null=True)

    class Meta:
        model = Part
        fields = ["id", "number", "name", "name_en", "brand", "kind", "unit", "sale_price", "vat_class",
                  "bin_location", "reorder_point", "reorder_quantity", "supplier", "superseded_by",
                  "superseded_by_number", "active", "on_hand", "reserved", "available"]
        read_only_fields = fields
        extra_kwargs = nullable_prices(["sale_price"])

    price_fields = ("sale_price",)  # null for a technician the site keeps from prices


class AvailabilitySerializer(serializers.Serializer):
    site = serializers.CharField(source="site.code")
    site_name = serializers.CharField(source="site.name")
    on_hand = serializers.DecimalField(**QUANTITY, allow_null=True)
    reserved = serializers.DecimalField(**QUANTITY, allow_null=True)
    available = serializers.DecimalField(**QUANTITY, allow_null=True)


@extend_schema_view(list=extend_schema(parameters=[SEARCH_PARAM, KIND_PARAM]))
class PartViewSet(SiteScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PartSerializer
    queryset = Part.objects.none()

    def get_queryset(self):
        if self.action == "list":
            params = self.request.query_params
            kind = choice_param(self.request, "kind", Part.Kind.values)
            return selectors.part_search(site=self.site, q=params.get("search", "")[:50], kind=kind)
        return Part.objects.filter(site=self.site).select_related("superseded_by")

    @extend_schema(responses=AvailabilitySerializer(many=True))
    @action(detail=True, pagination_class=None)
    def availability(self, request, pk=None):
        """Stock of the same part number at each site the user works in."""
        rows = selectors.part_availability(part=self.get_object(), sites=request.site_context.sites)
        return Response(AvailabilitySerializer(rows, many=True).data)


class StockMovementSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part.number", read_only=True)
    created_by_name = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = StockMovement
        fields = ["id", "part", "part_number", "kind", "quantity", "balance_after", "unit_cost", "repair_order_ref",
                  "reason", "delivery", "approved_by", "created_by", "created_by_name", "created_at"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class SitePartField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Part.objects.filter(site=self.context["site"])


@extend_schema_field(OpenApiTypes.INT)
class SiteSupplierField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Supplier.objects.filter(site=self.context["site"])


class StockMovementCreateSerializer(serializers.Serializer):
    """A receipt (booked as a one-line delivery) or an adjustment request (booked once approved)."""

    kind = serializers.ChoiceField(choices=list(CREATE_PERMISSIONS))
    part = SitePartField()
    quantity = serializers.DecimalField(**QUANTITY)
    unit_cost = serializers.DecimalField(**QUANTITY, min_value=0, required=False, allow_null=True)
    supplier = SiteSupplierField(required=False, allow_null=True)
    delivery_note = serializers.CharField(max_length=50, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                   help_text="required for an adjustment")


class StockAdjustmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockAdjustment
        fields = ["id", "part", "quantity", "reason", "status", "requested_by", "requested_at", "movement"]
        read_only_fields = fields


class StockMovementPermission(RolePermission):
    """Reading needs view_stockmovement; writing needs the permission of what is booked (checked in create)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method == "POST":
            return any(user.has_perm(p) for p in CREATE_PERMISSIONS.values())
        if request.method.lower() not in view.http_method_names:
            return True  # the ledger is append-only: the view answers 405
        return super().has_permission(request, view)


@extend_schema_view(create=extend_schema(
    request=StockMovementCreateSerializer,
    responses={201: StockMovementSerializer, 202: StockAdjustmentSerializer},
    description="kind=receipt books a receipt (parts.receive_stock) and closes the shortages it covers; "
                "kind=adjustment asks for one (parts.adjust_stock): 201 with the movement when the user may "
                "approve it, else 202 with the pending adjustment.",
))
class StockMovementViewSet(SiteScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = StockMovement.objects.none()
    permission_classes = [StockMovementPermission]
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["part", "kind"]

    def get_queryset(self):
        return StockMovement.objects.filter(site=self.site).select_related("part", "created_by")

    def get_serializer_class(self):
        return StockMovementCreateSerializer if self.action == "create" else StockMovementSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "site": self.site}

    def create(self, request, *args, **kwargs):
        kind = request.data.get("kind") if hasattr(request.data, "get") else None
        needed = CREATE_PERMISSIONS.get(kind)
        if needed and not request.user.has_perm(needed):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["kind"] == StockMovement.Kind.RECEIPT:
            movement = self._receive(data)
        else:
            adjustment = services.adjustment_request(part=data["part"], quantity=data["quantity"],
                                                     reason=data.get("reason", ""), actor=request.user)
            if adjustment.movement_id is None:
                return Response(StockAdjustmentSerializer(adjustment).data, status=status.HTTP_202_ACCEPTED)
            movement = adjustment.movement
        movement = self.get_queryset().get(pk=movement.pk)
        return Response(StockMovementSerializer(movement).data, status=status.HTTP_201_CREATED)

    def _receive(self, data) -> StockMovement:
        line = {"part": data["part"], "quantity": data["quantity"], "unit_cost": data.get("unit_cost")}
        delivery = services.delivery_receive(site=self.site, lines=[line], actor=self.request.user,
                                             supplier=data.get("supplier"),
                                             delivery_note=data.get("delivery_note", ""))
        return delivery.movements.get()


router = DefaultRouter()
router.register("parts", PartViewSet, basename="part")
router.register("stock-movements", StockMovementViewSet, basename="stockmovement")
