"""Complaints (快速处理表) and comebacks (返修) opened from calls, owned until closed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customers.models import Customer, Vehicle
from repair_orders.models import RepairOrder
from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly

from .surveys import Department, Survey


class Complaint(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("complaint status", "Open")
        RESOLVED = "resolved", _("Resolved, recheck pending")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    class Category(models.TextChoices):
        QUALITY = "quality", _("Repair quality")
        TIME = "time", _("Waiting or late")
        PRICE = "price", _("Price")
        ATTITUDE = "attitude", _("Staff attitude")
        CLEANLINESS = "cleanliness", _("Cleanliness")
        COMMUNICATION = "communication", _("Explanation or information")
        OTHER = "other", _("Other")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="complaints",
                                 verbose_name=_("customer"))
    repair_order = models.ForeignKey(RepairOrder, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="complaints", verbose_name=_("repair order"))
    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    department = models.CharField(_("department"), max_length=10, choices=Department.choices)
    category = models.CharField(_("category"), max_length=15, choices=Category.choices, default=Category.OTHER)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_complaints",
                              verbose_name=_("owner"))
    deadline = models.DateTimeField(_("deadline"))
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("what was done"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rechecks = models.PositiveSmallIntegerField(_("rechecks"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["site", "status", "deadline"], name="followups_complaint_open")]
        permissions = [("resolve_complaint", _("Can resolve complaints"))]

    def __str__(self) -> str:
        return f"{self.get_department_display()} {self.created_at:%Y-%m-%d}"


class ComplaintEvent(AppendOnly):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class Comeback(models.Model):
    """"The fault is back": for the service manager, linked to the RO it returns to; pre-fills a comeback RO."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("complaint status", "Open")
        BOOKED = "booked", _("Booked in")
        CLOSED = "closed", _("Closed")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    repair_order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="comeback_reports",
                                     verbose_name=_("repair order"))
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="+", verbose_name=_("vehicle"))
    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    return_repair_order = models.ForeignKey(RepairOrder, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+", verbose_name=_("comeback repair order"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("comeback report")
        verbose_name_plural = _("comeback reports")

    def __str__(self) -> str:
        return f"{self.repair_order} {self.get_status_display()}"
