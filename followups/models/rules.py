"""A site's follow-up rules (DESIGN.md §5); a site without a row uses the defaults."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicedesk.accounts.models import Site


def default_contact_tiers() -> list[str]:
    return ["vip"]


class FollowupSettings(models.Model):
    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="followup_settings")
    attempt_limit = models.PositiveSmallIntegerField(_("attempts before unreachable"), default=3,
                                                     validators=[MinValueValidator(1)])
    # A callback older than this past its due time goes to the service manager.
    escalate_after_hours = models.PositiveSmallIntegerField(_("escalate overdue callbacks after (hours)"),
                                                            default=24)
    low_score_threshold = models.PositiveSmallIntegerField(
        _("a score at or below this opens a complaint"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    complaint_deadline_hours = models.PositiveSmallIntegerField(_("complaint deadline (hours)"), default=48)
    recheck_after_days = models.PositiveSmallIntegerField(_("recheck callback after (days)"), default=1)
    reminder_window_days = models.PositiveSmallIntegerField(_("maintenance reminder window (days)"), default=14)
    # No booking this many days after the reminder message: a call task for customer care.
    reminder_call_after_days = models.PositiveSmallIntegerField(_("call if no booking after (days)"), default=5)
    lost_after_months = models.PositiveSmallIntegerField(_("a vehicle is lost after (months)"), default=12,
                                                         validators=[MinValueValidator(1)])
    monthly_contact_tiers = models.JSONField(_("tiers contacted every month"), default=default_contact_tiers,
                                             blank=True)
    churn_target = models.DecimalField(_("quarterly churn target"), max_digits=4, decimal_places=3,
                                       default=Decimal("0.050"))

    class Meta:
        verbose_name = _("follow-up settings")
        verbose_name_plural = _("follow-up settings")

    def __str__(self) -> str:
        return str(self.site)
