"""Quality control (质检): checklist templates per job category (edited in admin) and the inspections done
against them. An inspection is a record of what was checked and found; it is never changed afterwards."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from repair_orders.models import JobLine, LabourOperation, RepairOrder
from servicedesk.core.models import AppendOnly


class ChecklistTemplate(models.Model):
    # Blank category: the checks every RO gets (e.g. no warning lights, no tools left in the car).
    category = models.CharField(_("job category"), max_length=12, choices=LabourOperation.Category.choices,
                                blank=True)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("QC checklist")
        verbose_name_plural = _("QC checklists")

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("check"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["template_id", "position", "pk"]
        verbose_name = _("QC check")
        verbose_name_plural = _("QC checks")

    def __str__(self) -> str:
        return self.text


class Inspection(AppendOnly):
    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", pgettext_lazy("inspection result", "Failed")

    repair_order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("inspector"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    road_test_done = models.BooleanField(_("road test done"), default=False)
    road_test_km = models.PositiveIntegerField(_("road test distance (km)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("QC inspection")
        verbose_name_plural = _("QC inspections")
        permissions = [("inspect_quality", _("Can do quality control"))]

    def __str__(self) -> str:
        return f"{self.repair_order_id} {self.result}"


class InspectionAnswer(AppendOnly):
    """One check of one job (or of the whole RO when `job_line` is blank), as the inspector found it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    job_line = models.ForeignKey(JobLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    check_text = models.CharField(_("check"), max_length=200)
    ok = models.BooleanField(_("OK"))
    remark = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.check_text}: {'OK' if self.ok else 'NG'}"
