import zoneinfo
from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(tz)s is not a known time zone, e.g. Asia/Shanghai.") % {"tz": value})


class Site(models.Model):
    """One dealership of a group. Every operational record belongs to one."""

    code = models.CharField(
        _("code"), max_length=10, unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{2,10}$", _("2-10 capital letters or digits, e.g. SH01."))],
    )
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=50, default="Asia/Shanghai",
                                 validators=[validate_time_zone])
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    labour_rate = models.DecimalField(_("labour rate per hour"), max_digits=8, decimal_places=2,
                                      default=Decimal("300.00"), validators=[MinValueValidator(0)])
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=4, decimal_places=3, default=Decimal("0.130"),
                                   validators=[MinValueValidator(0), MaxValueValidator(1)])
    prices_include_vat = models.BooleanField(_("prices include VAT"), default=True)
    opens_at = models.TimeField(_("opens at"), default=time(8, 30))
    closes_at = models.TimeField(_("closes at"), default=time(18, 0))
    bays = models.PositiveSmallIntegerField(_("number of bays"), default=8)

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("Closing time must be after opening time.")})


class StaffProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    sites = models.ManyToManyField(Site, through="Membership", related_name="staff", verbose_name=_("sites"))
    default_site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("default site"))

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


class Membership(models.Model):
    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE)
    site = models.ForeignKey(Site, on_delete=models.CASCADE)
    joined_on = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "site"], name="uniq_membership")]
        verbose_name = _("site membership")

    def __str__(self) -> str:
        return f"{self.profile} @ {self.site.code}"
