"""The labour-time book and service packages in the Django admin (DESIGN.md §1: IT and the service manager
maintain catalogues there). Bulk changes come through the import screen instead."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import LabourOperation, ServicePackage, ServicePackageOperation, ServicePackagePart
from .pricing import package_price


@admin.register(LabourOperation)
class LabourOperationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "hours", "skill", "make", "model", "fixed_price", "active"]
    list_filter = ["category", "active", "skill", "make"]
    search_fields = ["code", "name", "name_en"]
    list_editable = ["active"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["code", ("name", "name_en"), "category", ("hours", "skill"), "active"]}),
        (_("Applies to"), {"fields": [("make", "model")],
                           "description": _("Leave blank for every vehicle. An operation for a make or model "
                                            "replaces the generic one with the same code for those vehicles.")}),
        (_("Price"), {"fields": ["fixed_price"],
                      "description": _("Leave blank to price the line at hours × the site's labour rate.")}),
    ]


class PackagePartsFormSet(forms.BaseInlineFormSet):
    """A package's parts come from its own site's catalogue, in whole numbers where the part is counted so."""

    def clean(self):
        super().clean()
        site_id = self.instance.site_id
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", {})
            part, quantity = cleaned.get("part"), cleaned.get("quantity")
            if part is None:
                continue
            if site_id is not None and part.site_id != site_id:
                form.add_error("part", _("Choose a part of the package's site (%(site)s).")
                               % {"site": self.instance.site})
            elif quantity is not None and part.counted_in_whole_units and quantity % 1:
                form.add_error("quantity", _("%(part)s is counted in whole units.") % {"part": part})


class ServicePackageOperationInline(admin.TabularInline):
    model = ServicePackageOperation
    autocomplete_fields = ["operation"]
    extra = 1


class ServicePackagePartInline(admin.TabularInline):
    model = ServicePackagePart
    formset = PackagePartsFormSet
    autocomplete_fields = ["part"]
    extra = 1


@admin.register(ServicePackage)
class ServicePackageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "site", "mileage_km", "fixed_price", "active"]
    list_filter = ["site", "active"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["site"]
    inlines = [ServicePackageOperationInline, ServicePackagePartInline]
    readonly_fields = ["price_at_site_rate"]
    fields = ["site", "code", ("name", "name_en"), "description", "mileage_km", "fixed_price", "active",
              "price_at_site_rate"]

    @admin.display(description=_("price (saved lines, site's labour rate)"))
    def price_at_site_rate(self, package):
        if package.pk is None:
            return "—"
        price = package_price(package=package, site=package.site)
        return _("%(total)s (lines %(subtotal)s; VAT %(vat)s)") % {
            "total": price.total, "subtotal": price.subtotal, "vat": price.vat}
