from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from servicedesk.core.errors import ApplicationError

from .messaging.services import message_resend
from .models import ArchiveEvent, ContactLog, Customer, MileageReading, OutboundMessage, Vehicle
from .service_due import vehicles_refresh_service_due


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "mobile", "site", "tier", "marketing_consent", "updated_at"]
    list_filter = ["site", "tier", "kind"]
    search_fields = ["name", "mobile"]
    raw_id_fields = ["merged_into"]


@admin.register(Vehicle)
class VehicleAdmin(SimpleHistoryAdmin):
    list_display = ["plate", "vin", "make", "model", "owner", "site"]
    list_filter = ["site", "make"]
    search_fields = ["plate", "vin"]
    raw_id_fields = ["owner", "vin_exception_by"]
    readonly_fields = ["service_due_on"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        vehicles_refresh_service_due([obj.pk])  # its next service or registration may have changed


@admin.register(ContactLog)
class ContactLogAdmin(admin.ModelAdmin):
    list_display = ["at", "customer", "channel", "reason", "by"]
    raw_id_fields = ["customer", "vehicle"]


@admin.register(MileageReading)
class MileageReadingAdmin(admin.ModelAdmin):
    list_display = ["vehicle", "km", "read_on", "source"]
    raw_id_fields = ["vehicle"]

    # A reading added, edited or deleted here moves the vehicle's reminder day like one recorded at the desk.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        vehicles_refresh_service_due([obj.vehicle_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        vehicles_refresh_service_due([obj.vehicle_id])

    def delete_queryset(self, request, queryset):
        vehicle_ids = set(queryset.values_list("vehicle_id", flat=True))
        super().delete_queryset(request, queryset)
        vehicles_refresh_service_due(vehicle_ids)


@admin.register(ArchiveEvent)
class ArchiveEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "customer", "vehicle", "actor"]
    list_filter = ["kind"]
    raw_id_fields = ["customer", "vehicle"]

    def has_change_permission(self, request, obj=None):
        return False  # append-only


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent to whom, and why a message failed."""

    list_display = ["created_at", "site", "channel", "recipient", "template_key", "purpose", "status", "attempts",
                    "sent_at"]
    list_filter = ["status", "channel", "template_key", "purpose", "site"]
    search_fields = ["recipient"]
    list_select_related = ["site"]
    raw_id_fields = ["customer"]
    date_hierarchy = "created_at"
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected messages again"))
    def resend(self, request, queryset):
        queued = 0
        for message_id in queryset.values_list("pk", flat=True):
            try:
                queued += message_resend(message_id=message_id, actor=request.user) is not None
            except ApplicationError as error:
                self.message_user(request, f"#{message_id}: {error.message}", messages.WARNING)
        self.message_user(request, ngettext("%(count)d message queued again.", "%(count)d messages queued again.",
                                            queued) % {"count": queued})
