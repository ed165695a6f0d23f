from django.db import models
from django.utils.translation import gettext_lazy as _


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
