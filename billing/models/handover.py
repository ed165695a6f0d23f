"""Handover (交车): the pre-delivery check the advisor signs, the gate pass (出厂通知单), the cashier's day
close (日结), and the maintenance schedule from which delivery computes the next service due."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from repair_orders.models import RepairOrder
from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly


class PreDeliveryCheck(AppendOnly):
    repair_order = models.OneToOneField(RepairOrder, on_delete=models.PROTECT, related_name="pre_delivery_check")
    exterior_clean = models.BooleanField(_("exterior clean"))
    interior_clean = models.BooleanField(_("interior clean"))
    faults_fixed = models.BooleanField(_("reported faults fixed"))
    road_test_checked = models.BooleanField(_("road test result checked"), default=False)
    old_parts_as_agreed = models.BooleanField(_("old parts as the customer chose"))
    special_requests_honoured = models.BooleanField(_("special requests honoured"))
    covers_removed = models.BooleanField(_("protective covers removed"))
    belongings_returned = models.BooleanField(_("belongings in place"))
    notes = models.TextField(_("notes"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("signed by"))
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pre-delivery check")
        verbose_name_plural = _("pre-delivery checks")

    def __str__(self) -> str:
        return str(self.repair_order)


class GatePass(AppendOnly):
    repair_order = models.OneToOneField(RepairOrder, on_delete=models.PROTECT, related_name="gate_pass")
    number = models.CharField(_("number"), max_length=30)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("gate pass")
        verbose_name_plural = _("gate passes")
        permissions = [("deliver_vehicle", _("Can deliver vehicles (gate pass)"))]

    def __str__(self) -> str:
        return self.number


class DayClose(AppendOnly):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    day = models.DateField(_("day"))
    # Payments by method, invoices and credit notes issued: the figures as they stood at closing.
    figures = models.JSONField(_("figures"), default=dict)
    expected_cash = models.DecimalField(_("cash expected"), max_digits=12, decimal_places=2)
    counted_cash = models.DecimalField(_("cash counted"), max_digits=12, decimal_places=2)
    difference = models.DecimalField(_("difference"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("day close")
        verbose_name_plural = _("day closes")
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="billing_one_close_per_day")]
        permissions = [("close_day", _("Can close the cashier's day"))]

    def __str__(self) -> str:
        return f"{self.site} {self.day}"


class MaintenanceSchedule(models.Model):
    """Service interval of a make (and model); the most specific row wins, then the site's default."""

    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("site"),
                             help_text=_("Leave blank for every site."))
    make = models.CharField(_("make"), max_length=40, blank=True, help_text=_("Leave blank for the default."))
    model = models.CharField(_("model"), max_length=60, blank=True)
    interval_months = models.PositiveSmallIntegerField(_("interval (months)"), default=6)
    interval_km = models.PositiveIntegerField(_("interval (km)"), default=5000)
    # 首保: the first service of a new vehicle, counted from its registration.
    first_service_months = models.PositiveSmallIntegerField(_("first service (months)"), default=3)
    first_service_km = models.PositiveIntegerField(_("first service (km)"), default=3000)

    class Meta:
        ordering = ["make", "model"]
        verbose_name = _("maintenance schedule")
        verbose_name_plural = _("maintenance schedules")
        constraints = [
            models.UniqueConstraint(fields=["site", "make", "model"], name="billing_schedule_unique_site"),
            models.UniqueConstraint(fields=["make", "model"], condition=models.Q(site__isnull=True),
                                    name="billing_schedule_unique_group"),
        ]

    def __str__(self) -> str:
        return " ".join(filter(None, [self.make, self.model])) or str(_("Default"))
