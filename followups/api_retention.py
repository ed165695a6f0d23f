"""`/api/v1/reminders/` (DESIGN.md §7): the maintenance and first-service reminders of the site, newest
first, `?kind=&status=`; read-only (the scans write them)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from servicedesk.core.api import RolePermission, SiteScopedMixin, choice_param

from . import selectors_retention as selectors
from .models import Reminder


class ReadOnlyPermission(RolePermission):
    """view_reminder to read; any other method is answered 405 by the view (the scans write reminders)."""

    def has_permission(self, request, view):
        if request.method.lower() not in view.http_method_names:
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


class ReminderSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="vehicle.plate", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)

    class Meta:
        model = Reminder
        fields = ["id", "kind", "vehicle", "plate", "customer", "customer_name", "cycle", "due_on", "due_km",
                  "due_by", "status", "message_ref", "appointment_ref", "created_at", "converted_at"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("kind", str, enum=Reminder.Kind.values, description="maintenance or first_service"),
    OpenApiParameter("status", str, enum=Reminder.Status.values),
]))
class ReminderViewSet(SiteScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReminderSerializer
    http_method_names = ["get", "head", "options"]
    permission_classes = [ReadOnlyPermission]
    queryset = Reminder.objects.none()

    def get_queryset(self):
        return selectors.reminder_list(site=self.site, kind=choice_param(self.request, "kind", Reminder.Kind.values),
                                       status=choice_param(self.request, "status", Reminder.Status.values))


router = SimpleRouter()
router.register("reminders", ReminderViewSet, basename="reminder")
urls = router.urls
