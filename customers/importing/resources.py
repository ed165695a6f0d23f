"""django-import-export resources for customers and vehicles, scoped to one site.

A row is judged by the same form the desk uses (CustomerForm, VehicleForm), so an import accepts and
refuses exactly what a person could type; duplicates are checked against the site's archive and
against the earlier rows of the file. Rows are written through the archive's services, and each
created record gets an IMPORTED event. With `write=False` (the dry run) nothing is written.
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields

from .. import services
from ..forms import CustomerForm, VehicleForm
from ..models import ArchiveEvent, Customer, MileageReading, Vehicle
from ..validation import normalize_mobile, normalize_vin
from .columns import (
    CUSTOMER_COLUMNS,
    KIND_ALIASES,
    TIER_ALIASES,
    VEHICLE_COLUMNS,
    choice_lookup,
    parse_yes_no,
    yes_no,
)
from .rows import ROW, RowErrors, RowResource


def _mobile_or_none(text: str) -> str | None:
    try:
        return normalize_mobile(text) if text else None
    except ValidationError:
        return None


def _model_defaults(model, names) -> dict:
    """Form data for fields the file has no column for: the model's default (e.g. warranty years)."""
    defaults = {}
    for name in names:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.has_default():
            defaults[name] = model_field.get_default()
    return defaults


class ArchiveResource(RowResource):
    """Customers and vehicles: each created record gets an IMPORTED event in the archive's history."""

    permission = "customers.import_archive"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.pending_events: list[ArchiveEvent] = []

    def saved(self, record, row_number):
        self.pending_events.append(ArchiveEvent(
            site=self.site, kind=ArchiveEvent.Kind.IMPORTED, actor=self.actor, at=timezone.now(),
            data={"job": self.job_id, "row": row_number}, **self.event_subjects(record),
        ))

    def after_import(self, dataset, result, **kwargs):
        # This chunk's events in one query.
        if self.write and self.pending_events:
            ArchiveEvent.objects.bulk_create(self.pending_events)
        self.pending_events = []

    def form_data(self, row: dict, form_class, model) -> dict:
        data = {column.key: row.get(column.key, "") for column in self.columns}
        defaults = _model_defaults(model, [name for name in form_class.base_fields if name not in data])
        return {**defaults, **data}

    def event_subjects(self, record) -> dict:
        raise NotImplementedError


class CustomerResource(ArchiveResource):
    columns = CUSTOMER_COLUMNS
    list_url_name = "customers:customer_list"

    name = fields.Field(attribute="name", column_name="name")
    mobile = fields.Field(attribute="mobile", column_name="mobile")
    mobile2 = fields.Field(attribute="mobile2", column_name="mobile2")
    kind = fields.Field(attribute="kind", column_name="kind")
    tier = fields.Field(attribute="tier", column_name="tier")
    wechat_id = fields.Field(attribute="wechat_id", column_name="wechat_id")
    email = fields.Field(attribute="email", column_name="email")
    address = fields.Field(attribute="address", column_name="address")
    birthday = fields.Field(attribute="birthday", column_name="birthday")
    notes = fields.Field(attribute="notes", column_name="notes")
    marketing_consent = fields.Field(attribute="marketing_consent", column_name="marketing_consent")

    class Meta:
        model = Customer
        fields = tuple(column.key for column in CUSTOMER_COLUMNS)
        export_order = fields
        force_init_instance = True
        skip_diff = True
        use_transactions = False
        clean_model_instances = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.kinds = choice_lookup(Customer.Kind.choices, KIND_ALIASES)
        self.tiers = choice_lookup(Customer.Tier.choices, TIER_ALIASES)
        self.on_file: dict[str, str] = {}  # mobile -> name of the customer of this site who has it

    def get_queryset(self):
        return Customer.objects.filter(site=self.site, merged_into__isnull=True).order_by("pk")

    def before_import(self, dataset, **kwargs):
        """One query per chunk: which of its mobiles the site already has."""
        mobiles = {_mobile_or_none(text) for key in ("mobile", "mobile2") for text in dataset[key]} - {None}
        self.on_file = {}
        for customer in Customer.objects.filter(site=self.site, merged_into__isnull=True).filter(
            Q(mobile__in=mobiles) | Q(mobile2__in=mobiles)
        ).only("name", "mobile", "mobile2"):
            for mobile in (customer.mobile, customer.mobile2):
                if mobile:
                    self.on_file.setdefault(mobile, customer.name)

    def judge_row(self, row, errors):
        data = self.form_data(row, CustomerForm, Customer)
        data["kind"] = self.kinds.get(data["kind"].lower(), data["kind"]) or Customer.Kind.PERSON
        data["tier"] = self.tiers.get(data["tier"].lower(), data["tier"]) or Customer.Tier.REGULAR
        consent = parse_yes_no(data["marketing_consent"])
        if consent is None:
            errors.add("marketing_consent", _("Write 是 or 否 (yes or no), not “%(value)s”.")
                       % {"value": data["marketing_consent"]})
        data["marketing_consent"] = bool(consent)
        form = CustomerForm(data=data)
        form.is_valid()
        errors.add_form(form)
        cleaned = getattr(form, "cleaned_data", {})
        for key in ("mobile", "mobile2"):
            mobile = cleaned.get(key)
            if not mobile or not self.remember(key, mobile, row[ROW], errors,
                                               _("%(value)s is also in row %(row)s of this file.")):
                continue
            if mobile in self.on_file:
                errors.add(key, _("%(mobile)s is already on file (%(name)s).")
                           % {"mobile": mobile, "name": self.on_file[mobile]})
        return cleaned

    def save_row(self, data):
        return services.customer_create(
            site=self.site, data=data, actor=self.actor, allow_duplicate_mobile=True,
            consent_source=_("Import #%(job)s") % {"job": self.job_id},
        )

    def event_subjects(self, customer):
        return {"customer": customer}

    # ---- export: the same columns the import reads

    def dehydrate_kind(self, customer):
        return customer.get_kind_display()

    def dehydrate_tier(self, customer):
        return customer.get_tier_display()

    def dehydrate_marketing_consent(self, customer):
        return yes_no(customer.marketing_consent)


class VehicleResource(ArchiveResource):
    columns = VEHICLE_COLUMNS
    list_url_name = "customers:vehicle_list"

    vin = fields.Field(attribute="vin", column_name="vin")
    plate = fields.Field(attribute="plate", column_name="plate")
    make = fields.Field(attribute="make", column_name="make")
    model = fields.Field(attribute="model", column_name="model")
    model_year = fields.Field(attribute="model_year", column_name="model_year")
    engine_number = fields.Field(attribute="engine_number", column_name="engine_number")
    colour = fields.Field(attribute="colour", column_name="colour")
    registration_date = fields.Field(attribute="registration_date", column_name="registration_date")
    warranty_start = fields.Field(attribute="warranty_start", column_name="warranty_start")
    owner_mobile = fields.Field(attribute="owner__mobile", column_name="owner_mobile")
    mileage = fields.Field(attribute="mileage", column_name="mileage")

    class Meta:
        model = Vehicle
        fields = tuple(column.key for column in VEHICLE_COLUMNS)
        export_order = fields
        force_init_instance = True
        skip_diff = True
        use_transactions = False
        clean_model_instances = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.owners: dict[str, list[int]] = {}  # mobile -> customers of this site with it
        self.vins_on_file: dict[str, str] = {}  # VIN -> plate of the vehicle on file

    def get_queryset(self):
        return Vehicle.objects.filter(site=self.site).select_related("owner").order_by("pk")

    def before_import(self, dataset, **kwargs):
        """Two queries per chunk: the owners its mobiles name, and which of its VINs are on file."""
        mobiles = {_mobile_or_none(text) for text in dataset["owner_mobile"]} - {None}
        self.owners = {}
        for pk, mobile in Customer.objects.filter(site=self.site, merged_into__isnull=True,
                                                  mobile__in=mobiles).values_list("pk", "mobile"):
            self.owners.setdefault(mobile, []).append(pk)
        vins = {normalize_vin(text) for text in dataset["vin"]} - {""}
        on_file = Vehicle.objects.filter(site=self.site, vin__in=vins).values_list("vin", "plate")
        self.vins_on_file = dict(on_file)

    def judge_row(self, row, errors):
        data = self.form_data(row, VehicleForm, Vehicle)
        data["owner"] = self.find_owner(data.pop("owner_mobile"), errors)
        form = VehicleForm(data=data, site=self.site)
        form.is_valid()
        errors.add_form(form, {"owner": "owner_mobile"})
        cleaned = getattr(form, "cleaned_data", {})
        vin = cleaned.get("vin")
        if vin and self.remember("vin", vin, row[ROW], errors,
                                 _("VIN %(value)s is also in row %(row)s of this file.")):
            if vin in self.vins_on_file:
                errors.add("vin", _("A vehicle with VIN %(vin)s is already on file (%(plate)s).")
                           % {"vin": vin, "plate": self.vins_on_file[vin]})
        return cleaned

    def find_owner(self, text: str, errors: RowErrors) -> int | None:
        if not text:
            errors.add("owner_mobile", _("Enter the owner's mobile; the owner must be a customer of this "
                                         "site."))
            return None
        try:
            mobile = normalize_mobile(text)
        except ValidationError as error:
            errors.add("owner_mobile", error.messages[0])
            return None
        owners = self.owners.get(mobile, [])
        if not owners:
            errors.add("owner_mobile", _("No customer of this site has the mobile %(mobile)s; import or "
                                         "create the owner first.") % {"mobile": mobile})
            return None
        if len(owners) > 1:
            errors.add("owner_mobile", _("Several customers have this mobile; merge them first."))
            return None
        return owners[0]

    def save_row(self, data):
        vehicle = services.vehicle_create(site=self.site, owner=data["owner"], data=data, actor=self.actor)
        if data.get("mileage") is not None:
            services.vehicle_record_mileage(vehicle_id=vehicle.pk, site=self.site, km=data["mileage"],
                                            actor=self.actor, source=MileageReading.Source.IMPORT)
        return vehicle

    def event_subjects(self, vehicle):
        return {"vehicle": vehicle, "customer": vehicle.owner}

    # ---- export

    def dehydrate_owner_mobile(self, vehicle):
        return vehicle.owner.mobile
