"""Admin of maintenance schedules, customer accounts and warranty claims. Claims are changed through their
screens (each step is an event); the admin reads them with their history."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from servicedesk.core.admin_readonly import ReadOnly

from .models import CustomerAccount, MaintenanceSchedule, WarrantyClaim, WarrantyClaimEvent


@admin.register(MaintenanceSchedule)
class MaintenanceScheduleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "site", "make", "model", "interval_months", "interval_km", "first_service_months",
                    "first_service_km")
    list_filter = ("site",)
    search_fields = ("make", "model")

    # The vehicles' stored reminder day (customers/service_due.py) follows the schedule: recomputed in the
    # background once the change is committed (a whole site's fleet is too much for the request).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._refresh_later(request, obj.site_id)

    def delete_model(self, request, obj):
        site_id = obj.site_id
        super().delete_model(request, obj)
        self._refresh_later(request, site_id)

    def delete_queryset(self, request, queryset):
        site_ids = set(queryset.values_list("site_id", flat=True))
        super().delete_queryset(request, queryset)
        for site_id in site_ids:
            self._refresh_later(request, site_id, say=False)
        if site_ids:
            self._say(request)

    def _refresh_later(self, request, site_id, say=True):
        transaction.on_commit(lambda: self._start_refresh(request, site_id))
        if say:
            self._say(request)

    def _say(self, request):
        messages.info(request, _("The vehicles' service reminder dates are being recalculated in the background."))

    @staticmethod
    def _start_refresh(request, site_id):
        from customers.tasks import service_due_refresh

        try:
            service_due_refresh.delay(site_id)
        except (OperationalError, OSError):  # the broker is down: nothing would retry it, so say what to run
            messages.warning(request, _("The background recalculation could not be started; run "
                                        "'manage.py refresh_service_due' once the task queue is back."))


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
