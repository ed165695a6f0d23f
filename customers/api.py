"""`/api/v1/customers/` and `/api/v1/vehicles/`: the same services as the screens."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import DefaultRouter

from servicedesk.core.api import SiteScopedMixin
from servicedesk.core.masking import MaskedMobilesMixin

from . import selectors, services
from .models import Customer, Vehicle

SEARCH_PARAM = OpenApiParameter("search", str, description="plate, VIN, mobile or name (fragment)")


class VehicleBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = ["id", "plate", "vin", "make", "model"]


class CustomerSerializer(MaskedMobilesMixin, serializers.ModelSerializer):
    masked_fields = ("mobile", "mobile2")
    vehicles = VehicleBriefSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False)
    allow_duplicate_mobile = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Customer
        fields = ["id", "kind", "name", "mobile", "mobile2", "wechat_id", "email", "address",
                  "preferred_channel", "birthday", "tier", "club_member", "notes", "marketing_consent",
                  "marketing_consent_at", "version", "vehicles", "created_at", "updated_at",
                  "allow_duplicate_mobile"]
        read_only_fields = ["marketing_consent_at", "created_at", "updated_at"]


class CustomerOwnerField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Customer.objects.filter(site=self.context["site"], merged_into__isnull=True)


class VehicleSerializer(serializers.ModelSerializer):
    owner = CustomerOwnerField()
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    version = serializers.IntegerField(required=False)
    vin_exception_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    vin = serializers.CharField(max_length=20, allow_blank=True, required=False)

    class Meta:
        model = Vehicle
        fields = ["id", "vin", "plate", "make", "model", "model_year", "engine_number", "colour",
                  "registration_date", "warranty_start", "warranty_years", "warranty_km", "owner",
                  "owner_name", "mileage", "mileage_on", "vin_exception_reason", "version",
                  "created_at", "updated_at"]
        read_only_fields = ["mileage", "mileage_on", "created_at", "updated_at"]
        validators = []  # the service reports duplicates with a link to the vehicle on file


class ArchiveViewSet(SiteScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "site": self.site}


@extend_schema_view(list=extend_schema(parameters=[SEARCH_PARAM]))
class CustomerViewSet(ArchiveViewSet):
    serializer_class = CustomerSerializer
    queryset = Customer.objects.none()

    def get_queryset(self):
        if self.action == "list":
            return selectors.customer_list(site=self.site, q=self.request.query_params.get("search", ""))
        return Customer.objects.filter(site=self.site).prefetch_related("vehicles")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.customer_create(
            site=self.site, data=data, actor=self.request.user,
            allow_duplicate_mobile=data.pop("allow_duplicate_mobile", False), consent_source="API",
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.customer_update(
            customer_id=serializer.instance.pk, site=self.site, version=data.pop("version", None),
            data=data, actor=self.request.user,
        )


@extend_schema_view(list=extend_schema(parameters=[SEARCH_PARAM]))
class VehicleViewSet(ArchiveViewSet):
    serializer_class = VehicleSerializer
    queryset = Vehicle.objects.none()

    def get_queryset(self):
        if self.action == "list":
            return selectors.vehicle_list(site=self.site, q=self.request.query_params.get("search", ""))
        return Vehicle.objects.filter(site=self.site).select_related("owner")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.vehicle_create(
            site=self.site, owner=data.pop("owner"), data=data, actor=self.request.user,
            vin_exception_reason=data.pop("vin_exception_reason", ""),
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("owner", None)  # ownership changes only by transfer
        serializer.instance = services.vehicle_update(
            vehicle_id=serializer.instance.pk, site=self.site, version=data.pop("version", None), data=data,
            actor=self.request.user, vin_exception_reason=data.pop("vin_exception_reason", ""),
        )


router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("vehicles", VehicleViewSet, basename="vehicle")
