from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ArchiveEvent, ContactLog, Customer, MileageReading, Vehicle


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


@admin.register(ContactLog)
class ContactLogAdmin(admin.ModelAdmin):
    list_display = ["at", "customer", "channel", "reason", "by"]
    raw_id_fields = ["customer", "vehicle"]


@admin.register(MileageReading)
class MileageReadingAdmin(admin.ModelAdmin):
    list_display = ["vehicle", "km", "read_on", "source"]
    raw_id_fields = ["vehicle"]


@admin.register(ArchiveEvent)
class ArchiveEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "customer", "vehicle", "actor"]
    list_filter = ["kind"]
    raw_id_fields = ["customer", "vehicle"]

    def has_change_permission(self, request, obj=None):
        return False  # append-only
