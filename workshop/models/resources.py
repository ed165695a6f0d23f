"""The workshop's people and places: technician profiles (skills, level), bays and lifts, and the site's
workshop rules. Shifts and absences are appointments.TechnicianShift / TechnicianAbsence (booking capacity
reads them too); attended hours come from there."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from repair_orders.models import LabourOperation
from servicedesk.accounts.models import Site

Skill = LabourOperation.Skill


class TechnicianProfile(models.Model):
    class Level(models.TextChoices):
        APPRENTICE = "apprentice", _("Apprentice")
        JUNIOR = "junior", _("Junior technician")
        SENIOR = "senior", _("Senior technician")
        MASTER = "master", _("Master technician")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="technician_profiles",
                             verbose_name=_("technician"))
    # Values of LabourOperation.Skill; "general" work needs no particular skill.
    skills = models.JSONField(_("skills"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.JUNIOR)
    team = models.CharField(_("team"), max_length=40, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["site_id", "team", "user__username"]
        verbose_name = _("technician profile")
        verbose_name_plural = _("technician profiles")
        constraints = [models.UniqueConstraint(fields=["site", "user"], name="workshop_one_profile_per_site")]

    def __str__(self) -> str:
        return str(self.user)

    def has_skill(self, skill: str) -> bool:
        return skill in ("", Skill.GENERAL) or skill in self.skills


class Bay(models.Model):
    class Kind(models.TextChoices):
        LIFT = "lift", _("Lift")
        FLOOR = "floor", _("Floor bay")
        ALIGNMENT = "alignment", _("Alignment")
        BODY = "body", _("Body bay")
        PAINT = "paint", _("Paint booth")
        WASH = "wash", _("Wash")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIFT)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["site_id", "code"]
        verbose_name = _("bay")
        verbose_name_plural = _("bays")
        constraints = [models.UniqueConstraint(fields=["site", "code"], name="workshop_bay_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WorkshopSettings(models.Model):
    """A site's workshop rules; a site without a row uses the defaults (workshop.rules.workshop_settings)."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="workshop_settings")
    # Some shops let a technician run two jobs at once (e.g. a paint cure while doing a small job).
    allow_parallel_clocking = models.BooleanField(_("a technician may clock on two jobs at once"), default=False)
    # The seeds' progress check: look at a job once it has used 70–80% of its flat-rate time.
    at_risk_share = models.DecimalField(
        _("at risk after this share of flat-rate time"), max_digits=3, decimal_places=2, default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("1.00"))])
    board_refresh_seconds = models.PositiveSmallIntegerField(_("board refresh (seconds)"), default=5)
    technicians_see_prices = models.BooleanField(_("technicians see prices"), default=False)
    technicians_see_mobiles = models.BooleanField(_("technicians see customers' mobiles"), default=False)

    class Meta:
        verbose_name = _("workshop settings")
        verbose_name_plural = _("workshop settings")

    def __str__(self) -> str:
        return str(self.site)
