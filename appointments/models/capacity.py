"""What the workshop can take per day: the site's booking settings, technicians' weekly shifts and
absences, and one row per site and day that bookings lock so capacity is checked one at a time."""

from datetime import datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.accounts.models import Site


def hours_between(starts_at: time, ends_at: time, break_minutes: int = 0) -> Decimal:
    minutes = (datetime.combine(datetime.min, ends_at) - datetime.combine(datetime.min, starts_at)).seconds // 60
    return (Decimal(max(minutes - break_minutes, 0)) / 60).quantize(Decimal("0.01"))


class BookingSettings(models.Model):
    """A site's booking rules; a site without a row uses the field defaults."""

    class SlotMinutes(models.IntegerChoices):
        QUARTER = 15, _("15 minutes")
        HALF = 30, _("30 minutes")

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="booking_settings",
                                verbose_name=_("site"))
    slot_minutes = models.PositiveSmallIntegerField(_("reception slot"), choices=SlotMinutes.choices,
                                                    default=SlotMinutes.HALF)
    arrivals_per_slot = models.PositiveSmallIntegerField(
        _("arrivals per slot and advisor"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Spreads arrivals so reception is never jammed."),
    )
    availability_factor = models.DecimalField(
        _("availability factor"), max_digits=3, decimal_places=2, default=Decimal("0.85"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("1.00"))],
        help_text=_("Share of the technicians' shift hours that can be booked (walk-ins, comebacks, rework)."),
    )
    confirmation_hour = models.PositiveSmallIntegerField(
        _("confirmation message hour"), default=10, validators=[MaxValueValidator(23)],
        help_text=_("From this hour (site time) the day-before confirmation message goes out."),
    )
    call_hour = models.PositiveSmallIntegerField(
        _("confirmation call hour"), default=16, validators=[MaxValueValidator(23)],
        help_text=_("Appointments still unconfirmed at this hour the day before become a call for the advisor."),
    )
    late_after_minutes = models.PositiveSmallIntegerField(_("late after (minutes)"), default=15)
    self_booking = models.BooleanField(_("customers may book online"), default=True)

    class Meta:
        verbose_name = _("booking settings")
        verbose_name_plural = _("booking settings")

    def __str__(self) -> str:
        return str(self.site)

    def clean(self) -> None:
        if self.call_hour < self.confirmation_hour:
            raise ValidationError({"call_hour": _("The call hour must not be before the message hour.")})


class DayCapacity(models.Model):
    """One row per site and day. Booking locks it (select_for_update), so two bookings of the last
    free hours are checked one after the other; a day may also be closed (holiday)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    day = models.DateField(_("day"))
    closed = models.BooleanField(_("closed for bookings"), default=False)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("day capacity")
        verbose_name_plural = _("day capacities")
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="appointments_day_capacity_unique")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day}"


class TechnicianShift(models.Model):
    """A technician's working hours on one weekday (the weekly pattern)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts",
                                   verbose_name=_("technician"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("starts at"), default=time(8, 30))
    ends_at = models.TimeField(_("ends at"), default=time(17, 30))
    break_minutes = models.PositiveSmallIntegerField(_("break (minutes)"), default=60)

    class Meta:
        ordering = ["technician_id", "weekday"]
        verbose_name = _("technician shift")
        verbose_name_plural = _("technician shifts")
        constraints = [
            models.UniqueConstraint(fields=["site", "technician", "weekday"], name="appointments_shift_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointments_shift_order"),
        ]

    def __str__(self) -> str:
        return f"{self.technician} {self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"

    @property
    def hours(self) -> Decimal:
        return hours_between(self.starts_at, self.ends_at, self.break_minutes)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The shift must end after it starts.")})


class TechnicianAbsence(models.Model):
    """Leave, training or sickness on one day: hours off, or the whole shift when blank."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, verbose_name=_("site"))
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences",
                                   verbose_name=_("technician"))
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours off"), max_digits=4, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("0.25"))],
                                help_text=_("Leave blank for the whole day."))
    reason = models.CharField(_("reason"), max_length=100)

    class Meta:
        ordering = ["day", "technician_id"]
        verbose_name = _("technician absence")
        verbose_name_plural = _("technician absences")
        indexes = [models.Index(fields=["site", "day"], name="appointments_absence_day")]

    def __str__(self) -> str:
        return f"{self.technician} {self.day} {self.reason}"
