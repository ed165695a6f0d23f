"""`/api/v1/appointments/`: booking, `availability`, and the actions confirm, cancel, no-show,
check-in and reschedule. The same services as the screens; times are the site's, with offset."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from customers.models import Customer, Vehicle
from repair_orders.models import LabourOperation, ServicePackage
from repair_orders.services import repair_order_open_from_appointment
from servicedesk.core.api import SiteField, SiteScopedMixin, choice_param, positive_int_param
from servicedesk.core.errors import ApplicationError
from servicedesk.core.masking import MaskedMobilesMixin

from . import capacity, selectors, services
from .models import Appointment, Channel, Status

DATE_PARAM = OpenApiParameter("date", date, description="first day (the site's today when absent)")


class CanChangeAppointment(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated
                    and request.user.has_perm("appointments.change_appointment"))


def parse_moment(value: str, site) -> datetime:
    """ISO 8601; without an offset it is the site's wall clock."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ApplicationError(_("Give the start as ISO 8601, e.g. 2026-03-03T09:00+08:00."), field="start") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=capacity.site_zone(site))


class AppointmentSerializer(MaskedMobilesMixin, serializers.ModelSerializer):
    masked_fields = ("contact_mobile",)
    start = serializers.SerializerMethodField()
    operations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    packages = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "status", "start", "day", "estimated_hours", "channel", "customer", "vehicle", "plate",
                  "contact_name", "contact_mobile", "advisor", "operations", "packages", "concern", "courtesy_car",
                  "pickup", "notes", "arrived_at", "cancel_reason", "version", "created_at", "updated_at"]
        read_only_fields = fields

    def get_start(self, appointment) -> str:
        return capacity.local_iso(self.context["site"], appointment.start)


class NewCustomerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    mobile = serializers.CharField(max_length=20)


class NewVehicleSerializer(serializers.Serializer):
    vin = serializers.CharField(max_length=20)
    plate = serializers.CharField(max_length=12, required=False, allow_blank=True)
    make = serializers.CharField(max_length=40)
    model = serializers.CharField(max_length=60)


class BookSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="ISO 8601; without an offset, the site's time")
    vehicle = SiteField(Vehicle, required=False, allow_null=True)
    customer = SiteField(Customer, required=False, allow_null=True)
    new_customer = NewCustomerSerializer(required=False)
    new_vehicle = NewVehicleSerializer(required=False)
    plate = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    contact_mobile = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
    operations = SiteField(LabourOperation, many=True, required=False, default=list)
    packages = SiteField(ServicePackage, many=True, required=False, default=list)
    concern = serializers.CharField(required=False, allow_blank=True, default="")
    advisor = SiteField(get_user_model(), queryset_for=capacity.advisors_of, required=False, allow_null=True,
                        default=None)
    estimated_hours = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    courtesy_car = serializers.BooleanField(default=False)
    pickup = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    override_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True)


class CancelSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=200)


class RescheduleSerializer(VersionSerializer):
    start = serializers.CharField()
    advisor = SiteField(get_user_model(), queryset_for=capacity.advisors_of, required=False, allow_null=True)
    override_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


@extend_schema_view(list=extend_schema(parameters=[
    DATE_PARAM, OpenApiParameter("status", str, enum=Status.values), OpenApiParameter("days", int)]))
class AppointmentViewSet(SiteScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = AppointmentSerializer
    queryset = Appointment.objects.none()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "site": self.site}

    def get_queryset(self):
        appointments = Appointment.objects.filter(site=self.site).prefetch_related("operations", "packages")
        if self.action == "list":
            first = _date_param(self.request, self.site)
            days = _days_param(self.request, default=1)
            appointments = appointments.filter(day__gte=first, day__lt=first.fromordinal(first.toordinal() + days))
            if status := choice_param(self.request, "status", Status.values):
                appointments = appointments.filter(status=status)
        return appointments.order_by("start", "pk")

    def _answer(self, appointment, status=200):
        appointment = Appointment.objects.prefetch_related("operations", "packages").get(pk=appointment.pk)
        return Response(AppointmentSerializer(appointment, context=self.get_serializer_context()).data, status=status)

    @extend_schema(request=BookSerializer, responses={201: AppointmentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = BookSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["start"] = parse_moment(data["start"], self.site)
        appointment = services.appointment_book(site=self.site, actor=request.user, **data)
        return self._answer(appointment, status=201)

    def _action(self, request, service, serializer_class=VersionSerializer, **extra):
        appointment = self.get_object()  # another site's id: 404 before anything else
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        appointment = service(appointment=appointment, actor=request.user, **serializer.validated_data, **extra)
        return self._answer(appointment)

    @extend_schema(request=VersionSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanChangeAppointment])
    def confirm(self, request, pk=None):
        return self._action(request, services.appointment_confirm, via="api")

    @extend_schema(request=CancelSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanChangeAppointment])
    def cancel(self, request, pk=None):
        return self._action(request, services.appointment_cancel, CancelSerializer)

    @extend_schema(request=VersionSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="no-show", url_name="no-show",
            permission_classes=[CanChangeAppointment])
    def no_show(self, request, pk=None):
        return self._action(request, services.appointment_mark_no_show)

    @extend_schema(request=VersionSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in",
            permission_classes=[CanChangeAppointment])
    def check_in(self, request, pk=None):
        """Marks the arrival and opens the repair order (its number is in the answer's `repair_order`)."""
        appointment = self.get_object()
        serializer = VersionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        repair_order = repair_order_open_from_appointment(appointment=appointment, actor=request.user,
                                                          **serializer.validated_data)
        answer = self._answer(appointment)
        answer.data["repair_order"] = {"id": repair_order.pk, "number": repair_order.number}
        return answer

    @extend_schema(request=RescheduleSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanChangeAppointment])
    def reschedule(self, request, pk=None):
        appointment = self.get_object()
        serializer = RescheduleSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["start"] = parse_moment(data["start"], self.site)
        appointment = services.appointment_reschedule(appointment=appointment, actor=request.user, **data)
        return self._answer(appointment)

    @extend_schema(parameters=[DATE_PARAM, OpenApiParameter("days", int), OpenApiParameter("hours", str),
                               OpenApiParameter("advisor", int)], responses={200: dict})
    @action(detail=False, methods=["get"])
    def availability(self, request):
        """Free slots and remaining hours per day (14 days from `date` unless `days` says otherwise)."""
        hours = request.query_params.get("hours") or None
        advisor = positive_int_param(request, "advisor", default=None)
        try:
            loads = selectors.availability(site=self.site, first=_date_param(request, self.site),
                                           days=_days_param(request, default=capacity.WINDOW_DAYS), hours=hours,
                                           advisor_id=advisor)
        except ArithmeticError:
            raise ApplicationError(_("Enter the estimated hours as a number, e.g. 1.5."), field="hours") from None
        return Response({"days": [{
            "date": load.day.isoformat(), "closed": load.closed, "available_hours": str(load.available_hours),
            "booked_hours": str(load.booked_hours), "remaining_hours": str(load.remaining_hours),
            "free_slots": [slot.start.isoformat() for slot in load.free_slots],
        } for load in loads]})


def _date_param(request, site) -> date:
    """The site's today when absent; a date that is not YYYY-MM-DD is a 400, never silently today."""
    value = request.query_params.get("date", "")
    if not value:
        return selectors.site_today(site)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(_("Give the date as YYYY-MM-DD."), field="date") from None


def _days_param(request, *, default: int) -> int:
    return positive_int_param(request, "days", default=default, maximum=31)


router = DefaultRouter()
router.register("appointments", AppointmentViewSet, basename="appointment")
