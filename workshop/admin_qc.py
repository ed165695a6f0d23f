"""QC in the admin: the checklist templates the workshop edits (one per job category, blank = every RO), and
the inspections, read only (they are a record of what was found)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from servicedesk.core.admin_readonly import ReadOnly  # an inspection is a record of what was found

from .models import ChecklistItem, ChecklistTemplate, Inspection, InspectionAnswer


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ["position", "text"]
    ordering = ["position", "pk"]
    extra = 3


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "category_label", "check_count", "active"]
    list_filter = ["category", "active"]
    list_editable = ["active"]
    search_fields = ["name", "items__text"]
    inlines = [ChecklistItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(check_count=Count("items"))

    @admin.display(description=_("job category"), ordering="category")
    def category_label(self, template):
        return template.get_category_display() or _("Every repair order")

    @admin.display(description=_("checks"), ordering="check_count")
    def check_count(self, template):
        return template.check_count


class InspectionAnswerInline(ReadOnly, admin.TabularInline):
    model = InspectionAnswer
    fields = ["job_line", "check_text", "ok", "remark"]
    readonly_fields = fields
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "repair_order", "result", "inspector", "road_test_done", "road_test_km"]
    list_filter = ["result", "road_test_done"]
    list_select_related = ["repair_order", "inspector"]
    search_fields = ["repair_order__number", "repair_order__vehicle__plate"]
    date_hierarchy = "at"
    fields = ["repair_order", "inspector", "result", "road_test_done", "road_test_km", "notes", "at"]
    readonly_fields = fields
    inlines = [InspectionAnswerInline]
