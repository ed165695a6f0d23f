"""The trail of what was done with a customer's personal data (PIPL): every export and every erasure.

The "who changed what, when" screen reads the other apps' event rows; this app only adds the privacy
events and the permissions of the screen and of the privacy actions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicedesk.accounts.models import Site
from servicedesk.core.models import AppendOnly


class PrivacyEvent(AppendOnly):
    class Kind(models.TextChoices):
        EXPORT = "export", _("Personal data exported")
        ERASURE = "erasure", _("Personal data erased")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    # The customer row stays (anonymised) after an erasure: invoices still point at it.
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("customer"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("by"))
    # What was exported (format, counts) or erased (counts per kind of record); never the personal data itself.
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("privacy event")
        verbose_name_plural = _("privacy events")
        permissions = [
            ("view_audit", _("Can read who changed what, when")),
            ("export_personal_data", _("Can export everything held about a customer")),
            ("erase_personal_data", _("Can erase a customer's personal data")),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.customer_id}"
