"""The customer archive (客户档案): customers, their vehicles, consent, contacts and history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.accounts.models import Site


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")
    VISIT = "visit", _("In person")


class Customer(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        COMPANY = "company", _("Company")

    class Tier(models.TextChoices):
        REGULAR = "regular", _("Regular")
        VIP = "vip", _("VIP")
        FLEET = "fleet", _("Fleet")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=100)
    mobile = models.CharField(_("mobile"), max_length=20)
    mobile2 = models.CharField(_("second mobile"), max_length=20, blank=True)
    wechat_id = models.CharField(_("WeChat ID"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    preferred_channel = models.CharField(_("preferred contact channel"), max_length=10,
                                         choices=Channel.choices, default=Channel.PHONE)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.REGULAR)
    club_member = models.BooleanField(_("club member"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    # Marketing consent is separate from service messages (PIPL); its history is ConsentRecord.
    marketing_consent = models.BooleanField(_("marketing consent"), default=False)
    marketing_consent_at = models.DateTimeField(_("consent changed at"), null=True, blank=True)
    marketing_consent_source = models.CharField(_("consent source"), max_length=50, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("merged into"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords(excluded_fields=["version", "updated_at", "updated_by"])

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["site", "mobile"], name="customer_site_mobile"),
            models.Index(fields=["site", "name"], name="customer_site_name"),
            # The list without a query: newest first (the default ordering).
            models.Index(fields=["site", "-updated_at", "-id"], name="customer_site_updated"),
        ]
        permissions = [
            ("merge_customer", _("Can merge two customers")),
            ("import_archive", _("Can import customers and vehicles")),
            ("export_archive", _("Can export customers and vehicles")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Vehicle(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    plate = models.CharField(_("plate"), max_length=10, blank=True)
    make = models.CharField(_("make"), max_length=40)
    model = models.CharField(_("model"), max_length=60)
    model_year = models.PositiveSmallIntegerField(_("model year"), null=True, blank=True)
    engine_number = models.CharField(_("engine number"), max_length=30, blank=True)
    colour = models.CharField(_("colour"), max_length=20, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    warranty_start = models.DateField(_("warranty start"), null=True, blank=True)
    warranty_years = models.PositiveSmallIntegerField(_("warranty years"), default=3)
    warranty_km = models.PositiveIntegerField(_("warranty kilometres"), default=60000)
    owner = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="vehicles",
                              verbose_name=_("owner"))
    mileage = models.PositiveIntegerField(_("last mileage (km)"), null=True, blank=True)
    mileage_on = models.DateField(_("last mileage read on"), null=True, blank=True)
    # Set at delivery from the maintenance schedule; the maintenance reminders read it.
    next_service_on = models.DateField(_("next service by"), null=True, blank=True)
    next_service_km = models.PositiveIntegerField(_("next service at (km)"), null=True, blank=True)
    # Derived (customers/service_due.py, the only writer): the day the next reminder is due; the scans read a range.
    service_due_on = models.DateField(_("service reminder due"), null=True, blank=True, editable=False)
    # A vehicle without a valid VIN is refused unless a manager records an exception.
    vin_exception_reason = models.CharField(_("VIN exception reason"), max_length=200, blank=True)
    vin_exception_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords(excluded_fields=["version", "updated_at", "updated_by", "mileage", "mileage_on",
                                                "next_service_on", "next_service_km", "service_due_on"])

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        constraints = [
            models.UniqueConstraint(fields=["site", "vin"], condition=~Q(vin=""), name="uniq_site_vin",
                                    violation_error_message=_("A vehicle with this VIN is already on file.")),
        ]
        indexes = [
            models.Index(fields=["site", "plate"], name="vehicle_site_plate"),
            # The list without a query: newest first (the default ordering).
            models.Index(fields=["site", "-updated_at", "-id"], name="vehicle_site_updated"),
            # The maintenance and first-service reminder scans: a site's vehicles due in a range of days.
            models.Index(fields=["site", "service_due_on"], name="vehicle_site_service_due"),
            # The first-service (首保) scan: the same for vehicles never serviced here (a range of ~14 months).
            models.Index(fields=["site", "service_due_on"], condition=Q(next_service_on__isnull=True),
                         name="vehicle_site_first_service_due"),
        ]
        permissions = [
            ("transfer_vehicle", _("Can transfer a vehicle to another owner")),
            ("approve_vin_exception", _("Can accept a vehicle without a valid VIN")),
        ]

    def __str__(self) -> str:
        return f"{self.plate or _('(no plate)')} {self.make} {self.model}"


class MileageReading(models.Model):
    class Source(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        CUSTOMER = "customer", _("Told by the customer")
        IMPORT = "import", _("Import")
        CORRECTION = "correction", _("Correction")

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="mileage_readings")
    km = models.PositiveIntegerField(_("mileage (km)"))
    read_on = models.DateField(_("read on"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-read_on", "-pk"]
        verbose_name = _("mileage reading")

    def __str__(self) -> str:
        return f"{self.km} km @ {self.read_on}"


class Ownership(models.Model):
    """Who owned the vehicle when (过户 keeps the vehicle's history with it)."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="ownerships")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="ownerships")
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["vehicle"], condition=Q(ended_on__isnull=True),
                                    name="one_current_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} → {self.customer_id} ({self.started_on})"


class ContactLog(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reason = models.CharField(_("reason"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contact log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.channel} {self.reason}"


class ConsentRecord(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consent_records")
    granted = models.BooleanField()
    at = models.DateTimeField()
    source = models.CharField(_("source"), max_length=50)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{'+' if self.granted else '-'} {self.at:%Y-%m-%d} {self.source}"


class ArchiveEvent(models.Model):
    """Append-only trail of what happened to a customer or a vehicle; timelines read it."""

    class Kind(models.TextChoices):
        CUSTOMER_CREATED = "customer_created", _("Customer created")
        CUSTOMER_UPDATED = "customer_updated", _("Customer details changed")
        CUSTOMER_MERGED = "customer_merged", _("Customers merged")
        CONSENT_GRANTED = "consent_granted", _("Marketing consent given")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Marketing consent withdrawn")
        VEHICLE_CREATED = "vehicle_created", _("Vehicle registered")
        VEHICLE_UPDATED = "vehicle_updated", _("Vehicle details changed")
        VEHICLE_TRANSFERRED = "vehicle_transferred", _("Ownership transferred")
        MILEAGE_RECORDED = "mileage_recorded", _("Mileage recorded")
        MILEAGE_CORRECTED = "mileage_corrected", _("Mileage corrected")
        VIN_EXCEPTION = "vin_exception", _("Accepted without a valid VIN")
        IMPORTED = "imported", _("Imported")

    site = models.ForeignKey(Site, on_delete=models.PROTECT)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="events")
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


from .models_import import ImportJob  # noqa: E402,F401
from .models_messaging import OutboundMessage  # noqa: E402,F401
