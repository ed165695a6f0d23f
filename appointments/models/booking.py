"""The appointment (预约), its append-only event trail, and the advisor's confirmation call."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, Vehicle
from repair_orders.models import LabourOperation, ServicePackage
from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    WECHAT = "wechat", _("WeChat")
    APP = "app", _("App")
    WEB = "web", _("Web self-service")


class Status(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CONFIRMED = "confirmed", _("Confirmed")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class Appointment(models.Model):
    """A booked visit. `day` is the start's date in the site's time zone, the key of capacity."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    # Null when a self-booked plate is not on file yet: the advisor links the vehicle at check-in.
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="appointments", verbose_name=_("customer"))
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="appointments", verbose_name=_("vehicle"))
    # Copies shown on boards and used in messages, so lists need no joins and history stays as booked.
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_mobile = models.CharField(_("contact mobile"), max_length=20, blank=True)
    plate = models.CharField(_("plate"), max_length=10, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    operations = models.ManyToManyField(LabourOperation, blank=True, related_name="+",
                                        verbose_name=_("requested operations"))
    packages = models.ManyToManyField(ServicePackage, blank=True, related_name="+",
                                      verbose_name=_("requested service packages"))
    concern = models.TextField(_("concern in the customer's words"), blank=True)
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="appointments", verbose_name=_("advisor"))
    start = models.DateTimeField(_("start"))
    day = models.DateField(_("day"), editable=False)
    estimated_hours = models.DecimalField(_("estimated labour hours"), max_digits=5, decimal_places=2)
    courtesy_car = models.BooleanField(_("courtesy car wanted"), default=False)
    pickup = models.BooleanField(_("pick-up wanted"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=200, blank=True)
    # The day whose day-before message went out: claimed by compare-and-set, so it goes once per day.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    ACTIVE = (Status.BOOKED, Status.CONFIRMED, Status.ARRIVED)  # these take capacity
    OPEN = (Status.BOOKED, Status.CONFIRMED)  # not yet arrived, still expected

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(fields=["site", "day", "status"], name="appointment_site_day"),
            models.Index(fields=["site", "start"], name="appointment_site_start"),
        ]
        permissions = [("override_capacity", _("Can book over the workshop's capacity"))]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.plate or self.contact_name}"


class AppointmentEvent(AppendOnly):
    """Append-only: who moved the appointment from which state to which, when, with what data."""

    class Kind(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Marked as no-show")
        ARRIVED = "arrived", _("Arrived")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        REMINDER_SENT = "reminder_sent", _("Confirmation message sent")
        CALL_DUE = "call_due", _("Confirmation call assigned")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("appointment event")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class ConfirmationCall(models.Model):
    """A call the advisor owes a customer who has not confirmed tomorrow's appointment. One per
    appointment and day (a unique constraint), so a second scan creates nothing. The follow-ups
    capability may later absorb this into its callback queue."""

    class Status(models.TextChoices):
        OPEN = "open", _("To call")
        DONE = "done", _("Done")

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Customer confirmed")
        CANCELLED = "cancelled", _("Customer cancelled")
        NO_ANSWER = "no_answer", _("No answer")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="calls")
    for_day = models.DateField(_("appointment day"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("assigned to"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("confirmation call")
        verbose_name_plural = _("confirmation calls")
        constraints = [
            models.UniqueConstraint(fields=["appointment", "for_day"], name="appointments_one_call_per_day"),
        ]
        indexes = [models.Index(fields=["site", "status", "due_at"], name="appointments_call_queue")]

    def __str__(self) -> str:
        return f"{self.for_day} {self.appointment_id} {self.status}"
