"""IT's view of the parts store. The catalogue is editable here; stock moves only through parts.services,
so ledger, reservations, shortages and adjustments are read-only."""

from django.contrib import admin

from servicedesk.core.admin_readonly import ReadOnlyAdmin

from .models import (
    Delivery,
    Part,
    PurchaseRequest,
    PurchaseRequestLine,
    Reservation,
    Shortage,
    ShortageEvent,
    StockAdjustment,
    StockMovement,
    Supplier,
)


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "contact", "phone", "lead_days"]
    list_filter = ["site"]
    search_fields = ["name", "contact"]


@admin.register(Part)
class PartAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "brand", "kind", "site", "bin_location", "on_hand", "reserved", "sale_price",
                    "active"]
    list_filter = ["site", "kind", "active", "brand"]
    search_fields = ["number", "name", "name_en", "brand"]
    readonly_fields = ["on_hand", "reserved", "superseded_by"]  # supersession through part_supersede (cycle check)
    raw_id_fields = ["supplier"]
    list_select_related = ["site"]


class PurchaseRequestLineInline(admin.TabularInline):
    model = PurchaseRequestLine
    raw_id_fields = ["part"]
    extra = 0


@admin.register(PurchaseRequest)
class PurchaseRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "site", "supplier", "status", "expected_on", "created_at"]
    list_filter = ["site", "status"]
    search_fields = ["number"]
    readonly_fields = ["created_by", "ordered_at"]
    inlines = [PurchaseRequestLineInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "site", "supplier", "delivery_note", "purchase_request", "received_by"]
    list_filter = ["site"]
    search_fields = ["delivery_note"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "site", "part", "kind", "quantity", "balance_after", "repair_order_ref",
                    "created_by"]
    list_filter = ["site", "kind"]
    search_fields = ["part__number", "repair_order_ref"]
    list_select_related = ["site", "part", "created_by"]


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "site", "part", "repair_order_ref", "quantity", "issued_quantity", "status"]
    list_filter = ["site", "status"]
    search_fields = ["part__number", "repair_order_ref"]


@admin.register(StockAdjustment)
class StockAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "site", "part", "quantity", "reason", "status", "requested_by", "decided_by"]
    list_filter = ["site", "status"]


class ShortageEventInline(admin.TabularInline):
    model = ShortageEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_status", "to_status", "data"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Shortage)
class ShortageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "site", "part", "repair_order_ref", "quantity", "status", "expected_on",
                    "requested_by"]
    list_filter = ["site", "status"]
    search_fields = ["part__number", "repair_order_ref"]
    inlines = [ShortageEventInline]
