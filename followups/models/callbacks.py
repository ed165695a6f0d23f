"""Callbacks (回访): one row per call customer care or an advisor owes a customer, created by the scans of
followups/services/scans.py and worked from the queues. `dedupe_key` makes every scan safe to repeat: the
same cause always yields the same key, and (site, dedupe_key) is unique."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customers.models import Customer, Vehicle
from repair_orders.models import RepairOrder
from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly


class Callback(models.Model):
    class Kind(models.TextChoices):
        ADVISOR_72H = "advisor_72h", _("72-hour call (advisor)")
        CSI_3DAY = "csi_3day", _("3-day satisfaction call")
        COMPLAINT_RECHECK = "complaint_recheck", _("Complaint recheck")
        MAINTENANCE = "maintenance", _("Maintenance reminder call")
        FIRST_SERVICE = "first_service", _("First service reminder call")
        MONTHLY_CONTACT = "monthly_contact", _("Monthly contact")
        WIN_BACK = "win_back", _("Win-back call")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("callback status", "Open")
        CLAIMED = "claimed", _("Being worked")
        DONE = "done", _("Done")
        UNREACHABLE = "unreachable", _("Unreachable")
        CANCELLED = "cancelled", _("Cancelled")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    dedupe_key = models.CharField(max_length=80)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="callbacks",
                                 verbose_name=_("customer"))
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("vehicle"))
    repair_order = models.ForeignKey(RepairOrder, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="callbacks", verbose_name=_("repair order"))
    complaint = models.ForeignKey("followups.Complaint", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="callbacks", verbose_name=_("complaint"))
    reminder = models.ForeignKey("followups.Reminder", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="callbacks", verbose_name=_("reminder"))
    # The advisor for advisor_72h; blank means the customer-care queue.
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="assigned_callbacks", verbose_name=_("assigned to"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("claimed by"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # "Call back later": the agent's time; the queue sorts by it when set.
    call_back_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("completed by"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        constraints = [
            models.UniqueConstraint(fields=["site", "dedupe_key"], name="followups_callback_unique_cause"),
            # DESIGN.md §5: one 72-hour and one 3-day call per delivered RO, whatever the scans do.
            models.UniqueConstraint(fields=["repair_order", "kind"], name="followups_one_call_per_ro_kind",
                                    condition=Q(kind__in=["advisor_72h", "csi_3day"])),
        ]
        indexes = [
            # The queues: open work of a site by due time; the escalation scan: overdue open work.
            models.Index(fields=["site", "status", "due_at"], name="followups_callback_queue"),
            models.Index(fields=["assignee", "status", "due_at"], name="followups_callback_assignee"),
            # The monthly report: satisfaction calls due in the month (on-time rate, reachability)…
            models.Index(fields=["site", "due_at"], include=["status", "completed_at"],
                         condition=Q(kind__in=["advisor_72h", "csi_3day"]), name="followups_callback_csi_due"),
            # …and complaint rechecks done in the month.
            models.Index(fields=["site", "completed_at"], condition=Q(kind="complaint_recheck", status="done"),
                         name="followups_callback_rechecks"),
        ]
        permissions = [("work_callbacks", _("Can work callbacks"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.customer_id} {self.due_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.CLAIMED)


class CallAttempt(AppendOnly):
    class Outcome(models.TextChoices):
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("Busy")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        CALL_BACK_LATER = "call_back_later", _("Call back later")
        REACHED = "reached", _("Reached")

    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="call_attempts")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    call_back_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")

    def __str__(self) -> str:
        return f"{self.callback_id} {self.outcome}"


class CallbackEvent(AppendOnly):
    """Claims, releases, escalations and status changes of a callback (the audit trail)."""

    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
