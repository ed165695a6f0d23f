from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly(models.Model):
    """An audit row: written once, never changed or deleted (DESIGN.md §3.2)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("event rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("event rows are append-only")


class NumberSequence(models.Model):
    """Gapless counter per site, kind and year (RO and invoice numbers). See core.numbering."""

    site = models.ForeignKey("accounts.Site", on_delete=models.PROTECT)
    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "kind", "year"], name="uniq_sequence")]

    def __str__(self) -> str:
        return f"{self.site_id}/{self.kind}/{self.year}: {self.last_value}"


class Heartbeat(models.Model):
    """Last time a periodic process proved it was alive; /readyz reads the beat's."""

    name = models.CharField(max_length=40, unique=True)
    last_seen = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class Notification(models.Model):
    """A message to one member of staff ("the part you were waiting for has arrived")."""

    site = models.ForeignKey("accounts.Site", on_delete=models.CASCADE, verbose_name=_("site"))
    recipient = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text
