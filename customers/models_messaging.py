"""The outbox of messages to customers (SMS, WeChat, email): one row per message, written in the same
transaction as its cause and sent by a task after commit (customers/messaging/, docs/messaging.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.accounts.models import Site

from .models import Channel, Customer

MESSAGE_CHANNELS = [(c.value, c.label) for c in (Channel.SMS, Channel.WECHAT, Channel.EMAIL)]


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        SERVICE = "service", _("Service")
        MARKETING = "marketing", _("Marketing")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    # Empty when sent to a bare address (no customer on file); the recipient is kept either way.
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="outbound_messages", verbose_name=_("customer"))
    channel = models.CharField(_("channel"), max_length=10, choices=MESSAGE_CHANNELS)
    recipient = models.CharField(_("recipient"), max_length=254)  # mobile, WeChat openid or email
    template_key = models.CharField(_("template"), max_length=50)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.SERVICE)
    subject = models.CharField(_("subject"), max_length=100)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # The sweep resends a queued row once this is a minute past (the broker was down, or a retry was lost).
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True)  # when a worker took it (status sending)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    # A scan names each message it may send (e.g. "appointment-reminder:42"): a second scan sends nothing new.
    dedupe_key = models.CharField(_("deduplication key"), max_length=100, blank=True)
    # What the message is about, e.g. ("appointments.appointment", "42"); no foreign key, any app may be a cause.
    cause_type = models.CharField(_("cause type"), max_length=60, blank=True)
    cause_id = models.CharField(_("cause id"), max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        constraints = [
            models.UniqueConstraint(fields=["site", "dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="uniq_outbound_site_dedupe_key"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_status_due"),
            models.Index(fields=["cause_type", "cause_id"], name="outbound_cause"),
            models.Index(fields=["site", "-created_at"], name="outbound_site_created"),
        ]

    def __str__(self) -> str:
        return f"{self.template_key} → {self.recipient} ({self.get_status_display()})"
