"""Admin of maintenance schedules, customer accounts and warranty claims. Claims are changed through their
screens (each step is an event); the admin reads them with their history."""

from django.contrib import admin

from servicedesk.core.admin_readonly import ReadOnly

from .models import CustomerAccount, MaintenanceSchedule, WarrantyClaim, WarrantyClaimEvent


@admin.register(MaintenanceSchedule)
class MaintenanceScheduleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "site", "make", "model", "interval_months", "interval_km", "first_service_months",
                    "first_service_km")
    list_filter = ("site",)
    search_fields = ("make", "model")


@admin.register(CustomerAccount)
class CustomerAccountAdmin(admin.ModelAdmin):
    list_display = ("customer", "site", "credit_limit", "active")
    list_filter = ("site", "active")
    search_fields = ("customer__name", "customer__mobile")
    autocomplete_fields = ("customer",)


class WarrantyClaimEventInline(ReadOnly, admin.TabularInline):
    model = WarrantyClaimEvent
    fields = ("at", "actor", "from_state", "to_state", "data")
    readonly_fields = fields
    extra = 0


@admin.register(WarrantyClaim)
class WarrantyClaimAdmin(admin.ModelAdmin):
    list_display = ("repair_order", "job_line", "status", "maker_reference", "labour_amount", "parts_amount",
                    "paid_amount", "created_at")
    list_filter = ("site", "status")
    search_fields = ("repair_order__number", "maker_reference")
    list_select_related = ("repair_order", "job_line")
    inlines = [WarrantyClaimEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
