"""The labour-time book (工时价目手册) and service packages that estimates are filled from."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parts.models import Part
from servicedesk.accounts.models import Site


class LabourOperation(models.Model):
    """One operation of a maker's flat-rate book; shared by every site of the group."""

    class Category(models.TextChoices):
        MAINTENANCE = "maintenance", _("Maintenance")
        MECHANICAL = "mechanical", _("Mechanical")
        ELECTRICAL = "electrical", _("Electrical")
        BODY = "body", _("Body")
        PAINT = "paint", _("Paint")
        DIAGNOSIS = "diagnosis", _("Diagnosis")

    class Skill(models.TextChoices):
        GENERAL = "general", _("General technician")
        MECHANICAL = "mechanical", _("Mechanic")
        ELECTRICAL = "electrical", _("Electrician")
        BODY = "body", _("Body repairer")
        PAINT = "paint", _("Painter")
        DIAGNOSTIC = "diagnostic", _("Diagnostic specialist")

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    hours = models.DecimalField(_("flat-rate hours"), max_digits=6, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0"))])
    skill = models.CharField(_("skill needed"), max_length=12, choices=Skill.choices, default=Skill.GENERAL)
    # Blank make/model: applies to every vehicle.
    make = models.CharField(_("make"), max_length=50, blank=True)
    model = models.CharField(_("model"), max_length=50, blank=True)
    # When set, the line costs this whatever the hours and the site's rate.
    fixed_price = models.DecimalField(_("fixed price"), max_digits=10, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(Decimal("0"))])
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()  # who changed the hours or the price, when (the audit screen)

    class Meta:
        ordering = ["code"]
        verbose_name = _("labour operation")
        verbose_name_plural = _("labour operations")
        constraints = [models.UniqueConstraint(fields=["code", "make", "model"], name="labour_op_unique_code")]
        permissions = [("import_catalogue", _("Can import the labour-time book and packages"))]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ServicePackage(models.Model):
    """A canned job (e.g. the 5,000 km service): operations and parts that fill an estimate at once."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    mileage_km = models.PositiveIntegerField(_("service interval (km)"), null=True, blank=True)
    # When set, the whole package costs this instead of the sum of its lines.
    fixed_price = models.DecimalField(_("package price"), max_digits=10, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(Decimal("0"))])
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service package")
        verbose_name_plural = _("service packages")
        constraints = [models.UniqueConstraint(fields=["site", "code"], name="service_package_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ServicePackageOperation(models.Model):
    package = models.ForeignKey(ServicePackage, on_delete=models.CASCADE, related_name="operations")
    operation = models.ForeignKey(LabourOperation, on_delete=models.PROTECT, verbose_name=_("labour operation"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["package", "operation"], name="package_operation_unique")]

    def __str__(self) -> str:
        return str(self.operation)


class ServicePackagePart(models.Model):
    package = models.ForeignKey(ServicePackage, on_delete=models.CASCADE, related_name="parts")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, verbose_name=_("part"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["package", "part"], name="package_part_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="package_part_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.part} × {self.quantity}"
