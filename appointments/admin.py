"""IT's side (DESIGN.md §1): booking settings, technicians' shifts and absences, closed days; the
appointments themselves are changed on the desk's screens, through the services."""

from django.contrib import admin

from .models import (
    Appointment,
    AppointmentEvent,
    BookingSettings,
    ConfirmationCall,
    DayCapacity,
    TechnicianAbsence,
    TechnicianShift,
)


@admin.register(BookingSettings)
class BookingSettingsAdmin(admin.ModelAdmin):
    list_display = ["site", "slot_minutes", "arrivals_per_slot", "availability_factor", "confirmation_hour",
                    "call_hour", "self_booking"]


@admin.register(TechnicianShift)
class TechnicianShiftAdmin(admin.ModelAdmin):
    list_display = ["technician", "site", "weekday", "starts_at", "ends_at", "break_minutes"]
    list_filter = ["site", "weekday"]
    raw_id_fields = ["technician"]


@admin.register(TechnicianAbsence)
class TechnicianAbsenceAdmin(admin.ModelAdmin):
    list_display = ["day", "technician", "site", "hours", "reason"]
    list_filter = ["site"]
    date_hierarchy = "day"
    raw_id_fields = ["technician"]


@admin.register(DayCapacity)
class DayCapacityAdmin(admin.ModelAdmin):
    list_display = ["day", "site", "closed", "note"]
    list_filter = ["site", "closed"]
    date_hierarchy = "day"


class ReadOnlyAdmin(admin.ModelAdmin):
    """State changes go through the services (events, capacity); the admin only looks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["start", "site", "plate", "contact_name", "status", "channel", "advisor"]
    list_filter = ["site", "status", "channel"]
    search_fields = ["plate", "contact_mobile", "contact_name"]
    date_hierarchy = "day"


@admin.register(AppointmentEvent)
class AppointmentEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "appointment", "kind", "from_status", "to_status", "actor"]
    list_filter = ["kind"]


@admin.register(ConfirmationCall)
class ConfirmationCallAdmin(ReadOnlyAdmin):
    list_display = ["due_at", "appointment", "assigned_to", "status", "outcome"]
    list_filter = ["site", "status"]
