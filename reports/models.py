"""The report archive: each site's monthly report PDF, generated once on the 3rd of the next month."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicedesk.accounts.models import Site


class MonthlyReport(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    month = models.DateField(_("month"))  # its first day
    figures = models.JSONField(_("figures"), default=dict, encoder=DjangoJSONEncoder)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent to the managers at"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "site_id"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [models.UniqueConstraint(fields=["site", "month"], name="reports_one_per_site_month")]
        permissions = [("view_reports", _("Can read the manager's reports"))]

    def __str__(self) -> str:
        return f"{self.site} {self.month:%Y-%m}"
