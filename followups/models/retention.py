"""Maintenance and first-service reminders, and vehicles lost and won back (流失客户, DESIGN.md §6)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, Vehicle
from repair_orders.models import RepairOrder
from servicedesk.accounts.models import Site


class Reminder(models.Model):
    class Kind(models.TextChoices):
        MAINTENANCE = "maintenance", _("Maintenance")
        FIRST_SERVICE = "first_service", _("First service")

    class Status(models.TextChoices):
        SENT = "sent", _("Message sent")
        CALL = "call", _("Call task created")
        CONVERTED = "converted", _("Booked")
        SKIPPED = "skipped", _("Not sent (no consent or no contact)")
        CLOSED = "closed", _("Closed")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="reminders",
                                verbose_name=_("vehicle"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    # The due cycle this reminder is for (the due date as set at delivery): once per cycle.
    cycle = models.CharField(max_length=20)
    due_on = models.DateField(_("due on"))
    due_km = models.PositiveIntegerField(_("due at (km)"), null=True, blank=True)
    # Why it is due now: by date, or by the mileage projected from the vehicle's own history.
    due_by = models.CharField(_("due by"), max_length=10, choices=[("date", _("Date")), ("mileage", _("Mileage"))])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    message_ref = models.PositiveBigIntegerField(_("message"), null=True, blank=True)
    appointment_ref = models.PositiveBigIntegerField(_("appointment"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    converted_at = models.DateTimeField(_("booked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["vehicle", "kind", "cycle"], name="followups_once_per_cycle")]
        indexes = [models.Index(fields=["site", "status", "created_at"], name="followups_reminder_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.vehicle_id} {self.due_on}"


class LostVehicle(models.Model):
    """A vehicle that crossed N months since its last delivered RO; one row per loss (the RO it left after)."""

    class Reason(models.TextChoices):
        PRICE = "price", _("Price")
        DISTANCE = "distance", _("Distance")
        SERVICE_QUALITY = "service_quality", _("Service quality")
        SOLD = "sold", _("Vehicle sold")
        MOVED = "moved", _("Moved away")
        OTHER = "other", _("Other")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="losses", verbose_name=_("vehicle"))
    last_repair_order = models.ForeignKey(RepairOrder, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("last repair order"))
    lost_on = models.DateField(_("lost on"), db_index=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    reason_note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    won_back_at = models.DateTimeField(_("won back at"), null=True, blank=True)
    won_back_repair_order = models.ForeignKey(RepairOrder, null=True, blank=True, on_delete=models.PROTECT,
                                              related_name="+", verbose_name=_("returned with"))

    class Meta:
        ordering = ["-lost_on", "-pk"]
        verbose_name = _("lost vehicle")
        verbose_name_plural = _("lost vehicles")
        constraints = [models.UniqueConstraint(fields=["vehicle", "last_repair_order"],
                                               name="followups_one_loss_per_last_ro")]
        indexes = [models.Index(fields=["site", "lost_on"], name="followups_lost_site_day")]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.lost_on}"
