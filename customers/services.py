"""Writes to the customer archive. Every change is one atomic service that records an event."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.accounts.names import staff_name
from servicedesk.audit.untracked import save_untracked
from servicedesk.core.errors import ApplicationError, StaleVersion

from .models import ArchiveEvent, ConsentRecord, ContactLog, Customer, MileageReading, Ownership, Vehicle
from .service_due import vehicles_refresh_service_due
from .validation import normalize_mobile, normalize_plate, normalize_vin, validate_plate, validate_vin

CUSTOMER_FIELDS = [
    "kind", "name", "mobile", "mobile2", "wechat_id", "email", "address", "preferred_channel",
    "birthday", "tier", "club_member", "notes",
]
VEHICLE_FIELDS = [
    "vin", "plate", "make", "model", "model_year", "engine_number", "colour", "registration_date",
    "warranty_start", "warranty_years", "warranty_km",
]


def _event(*, site, kind, actor=None, customer=None, vehicle=None, **data) -> ArchiveEvent:
    return ArchiveEvent.objects.create(site=site, kind=kind, actor=actor, customer=customer,
                                       vehicle=vehicle, data=data, at=timezone.now())


def _field_error(error: ValidationError, field: str) -> ApplicationError:
    return ApplicationError(error.messages[0], code=error.code or "invalid", field=field)



# ---------------------------------------------------------------- customers

def _clean_customer_data(data: dict) -> dict:
    cleaned = {k: v for k, v in data.items() if k in CUSTOMER_FIELDS}
    for field in ("mobile", "mobile2"):
        if cleaned.get(field):
            try:
                cleaned[field] = normalize_mobile(cleaned[field])
            except ValidationError as error:
                raise _field_error(error, field) from None
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            raise ApplicationError(_("Please enter the customer's name."), field="name", code="required")
    return cleaned


def customer_create(*, site, data: dict, actor, allow_duplicate_mobile: bool = False,
                    consent_source: str = "") -> Customer:
    from .selectors import customers_with_mobile

    cleaned = _clean_customer_data(data)
    if not cleaned.get("mobile"):
        raise ApplicationError(_("Please enter a mobile number."), field="mobile", code="required")
    with transaction.atomic():
        duplicates = [] if allow_duplicate_mobile else customers_with_mobile(
            site=site, mobiles=[cleaned["mobile"], cleaned.get("mobile2")])
        if duplicates:
            raise ApplicationError(
                _("%(name)s already has this mobile number. Open that customer, or confirm this is "
                  "a different person.") % {"name": duplicates[0].name},
                code="duplicate_mobile", field="mobile", extra={"duplicate_ids": [c.pk for c in duplicates]},
            )
        customer = Customer.objects.create(site=site, updated_by=actor, **cleaned)
        _event(site=site, kind=ArchiveEvent.Kind.CUSTOMER_CREATED, actor=actor, customer=customer)
        if data.get("marketing_consent"):
            _record_consent(customer, granted=True, source=consent_source or _("at the front desk"),
                            actor=actor)
    return customer


def _lock_current(model, *, pk, site, version: int | None):
    """Lock the row of the current site; a stale form version is refused with who changed it."""
    try:
        obj = model.objects.select_for_update().get(pk=pk, site=site)
    except model.DoesNotExist:
        raise ApplicationError(_("This record no longer exists."), code="not_found") from None
    if version is not None and obj.version != version:
        raise StaleVersion(changed_by=staff_name(obj.updated_by),
                           changed_at=timezone.localtime(obj.updated_at).strftime("%Y-%m-%d %H:%M"))
    return obj


def _save_versioned(obj, actor) -> None:
    """Bump the version and remember who changed it (for the stale-form message and the history)."""
    obj.version += 1
    obj.updated_by = actor
    obj._history_user = actor
    obj.save()


@transaction.atomic
def customer_update(*, customer_id: int, site, version: int | None, data: dict, actor) -> Customer:
    customer = _lock_current(Customer, pk=customer_id, site=site, version=version)
    if customer.is_merged:
        raise ApplicationError(_("This customer was merged into another; edit that one."), code="merged")
    cleaned = _clean_customer_data(data)
    changed = [f for f, v in cleaned.items() if getattr(customer, f) != v]
    if not changed:
        return customer
    for field in changed:
        setattr(customer, field, cleaned[field])
    _save_versioned(customer, actor)
    _event(site=site, kind=ArchiveEvent.Kind.CUSTOMER_UPDATED, actor=actor, customer=customer, fields=changed)
    return customer


def _record_consent(customer: Customer, *, granted: bool, source: str, actor) -> None:
    now = timezone.now()
    customer.marketing_consent = granted
    customer.marketing_consent_at = now
    customer.marketing_consent_source = source[:50]
    customer.save(update_fields=["marketing_consent", "marketing_consent_at", "marketing_consent_source"])
    ConsentRecord.objects.create(customer=customer, granted=granted, at=now, source=source[:50], by=actor)
    kind = ArchiveEvent.Kind.CONSENT_GRANTED if granted else ArchiveEvent.Kind.CONSENT_WITHDRAWN
    _event(site=customer.site, kind=kind, actor=actor, customer=customer, source=source)


@transaction.atomic
def customer_set_marketing_consent(*, customer_id: int, site, granted: bool, source: str, actor) -> Customer:
    """Give or withdraw marketing consent; withdrawing is always possible and takes effect at once."""
    customer = _lock_current(Customer, pk=customer_id, site=site, version=None)
    if not source.strip():
        raise ApplicationError(_("Say how the customer gave or withdrew consent."), field="source")
    if customer.marketing_consent != granted:
        _record_consent(customer, granted=granted, source=source.strip(), actor=actor)
    return customer


@transaction.atomic
def customers_merge(*, site, source_id: int, target_id: int, actor) -> Customer:
    """Move everything of `source` onto `target`; the source stays, marked as merged, for the trail."""
    if source_id == target_id:
        raise ApplicationError(_("Choose two different customers to merge."), code="same_customer")
    locked = {c.pk: c for c in Customer.objects.select_for_update().filter(site=site,
                                                                           pk__in=[source_id, target_id])}
    if len(locked) != 2:
        raise ApplicationError(_("Both customers must exist in this site."), code="not_found")
    source, target = locked[source_id], locked[target_id]
    if source.is_merged or target.is_merged:
        raise ApplicationError(_("One of these customers was already merged."), code="merged")
    moved = {}
    # Every relation that points at a customer moves, including those later capabilities add.
    for relation in Customer._meta.related_objects:
        if relation.hidden or relation.remote_field.name == "merged_into" or relation.many_to_many:
            continue
        field = relation.field.name
        count = relation.related_model.objects.filter(**{field: source}).update(**{field: target})
        if count:
            moved[relation.related_model._meta.model_name] = count
    for field in ("mobile2", "wechat_id", "email", "address", "birthday"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
    if not target.mobile2 and source.mobile != target.mobile:
        target.mobile2 = source.mobile
    _save_versioned(target, actor)
    source.merged_into = target
    _save_versioned(source, actor)
    _event(site=site, kind=ArchiveEvent.Kind.CUSTOMER_MERGED, actor=actor, customer=target,
           merged_from=source.pk, merged_name=source.name, moved=moved)
    return target


def contact_log_add(*, site, customer: Customer, channel: str, reason: str, outcome: str = "", actor=None,
                    vehicle: Vehicle | None = None, at=None) -> ContactLog:
    if not reason.strip():
        raise ApplicationError(_("Say why the customer was contacted."), field="reason")
    return ContactLog.objects.create(site=site, customer=customer, vehicle=vehicle, channel=channel,
                                     reason=reason.strip(), outcome=outcome.strip(), by=actor,
                                     at=at or timezone.now())


# ---------------------------------------------------------------- vehicles

def _clean_vehicle_data(data: dict, *, vin_exception: bool) -> dict:
    cleaned = {k: v for k, v in data.items() if k in VEHICLE_FIELDS}
    if "vin" in cleaned:
        cleaned["vin"] = normalize_vin(cleaned["vin"])
        if not (vin_exception and not cleaned["vin"]):
            try:
                validate_vin(cleaned["vin"])
            except ValidationError as error:
                if not vin_exception:
                    raise _field_error(error, "vin") from None
    if cleaned.get("plate"):
        cleaned["plate"] = normalize_plate(cleaned["plate"])
        try:
            validate_plate(cleaned["plate"])
        except ValidationError as error:
            raise _field_error(error, "plate") from None
    return cleaned


def _check_vin_exception(actor, reason: str) -> bool:
    if not reason:
        return False
    if not actor.has_perm("customers.approve_vin_exception"):
        raise ApplicationError(_("Only a service manager may accept a vehicle without a valid VIN."),
                               code="forbidden", field="vin_exception_reason")
    return True


def _duplicate_vin_error(site, vin: str) -> ApplicationError:
    existing = Vehicle.objects.filter(site=site, vin=vin).only("pk", "plate").first()
    return ApplicationError(
        _("A vehicle with VIN %(vin)s is already on file (%(plate)s).")
        % {"vin": vin, "plate": existing.plate if existing else ""},
        code="duplicate_vin", field="vin", extra={"existing_vehicle_id": existing.pk if existing else None},
    )


def vehicle_create(*, site, owner: Customer, data: dict, actor, vin_exception_reason: str = "",
                   mileage: int | None = None) -> Vehicle:
    exception = _check_vin_exception(actor, (vin_exception_reason or "").strip())
    cleaned = _clean_vehicle_data({"vin": "", **data}, vin_exception=exception)
    if owner.site_id != site.pk or owner.is_merged:
        raise ApplicationError(_("Choose an owner of this site."), field="owner")
    if cleaned["vin"] and Vehicle.objects.filter(site=site, vin=cleaned["vin"]).exists():
        raise _duplicate_vin_error(site, cleaned["vin"])
    try:
        with transaction.atomic():
            vehicle = Vehicle.objects.create(
                site=site, owner=owner, updated_by=actor, **cleaned,
                vin_exception_reason=vin_exception_reason.strip() if exception else "",
                vin_exception_by=actor if exception else None,
            )
            Ownership.objects.create(vehicle=vehicle, customer=owner, started_on=timezone.localdate())
            _event(site=site, kind=ArchiveEvent.Kind.VEHICLE_CREATED, actor=actor, vehicle=vehicle,
                   customer=owner)
            if exception:
                _event(site=site, kind=ArchiveEvent.Kind.VIN_EXCEPTION, actor=actor, vehicle=vehicle,
                       reason=vin_exception_reason.strip(), vin=cleaned["vin"])
            if mileage is not None:
                _record_mileage(vehicle, km=mileage, read_on=timezone.localdate(),
                                source=MileageReading.Source.CUSTOMER, actor=actor)
            vehicles_refresh_service_due([vehicle.pk])
    except IntegrityError:
        raise _duplicate_vin_error(site, cleaned["vin"]) from None  # entered at the same moment elsewhere
    return vehicle


def vehicle_update(*, vehicle_id: int, site, version: int | None, data: dict, actor,
                   vin_exception_reason: str = "") -> Vehicle:
    try:
        with transaction.atomic():
            vehicle = _lock_current(Vehicle, pk=vehicle_id, site=site, version=version)
            reason = (vin_exception_reason or "").strip()
            exception = _check_vin_exception(actor, reason) if reason else bool(vehicle.vin_exception_reason)
            cleaned = _clean_vehicle_data(data, vin_exception=exception)
            changed = [f for f, v in cleaned.items() if getattr(vehicle, f) != v]
            if cleaned.get("vin") and "vin" in changed and (
                Vehicle.objects.filter(site=site, vin=cleaned["vin"]).exclude(pk=vehicle.pk).exists()
            ):
                raise _duplicate_vin_error(site, cleaned["vin"])
            if not changed and not reason:
                return vehicle
            for field in changed:
                setattr(vehicle, field, cleaned[field])
            if reason:
                vehicle.vin_exception_reason, vehicle.vin_exception_by = reason, actor
                _event(site=site, kind=ArchiveEvent.Kind.VIN_EXCEPTION, actor=actor, vehicle=vehicle,
                       reason=reason, vin=vehicle.vin)
            _save_versioned(vehicle, actor)
            _event(site=site, kind=ArchiveEvent.Kind.VEHICLE_UPDATED, actor=actor, vehicle=vehicle,
                   fields=changed)
            if SERVICE_DUE_INPUTS.intersection(changed):
                vehicles_refresh_service_due([vehicle.pk])
    except IntegrityError:
        raise _duplicate_vin_error(site, data.get("vin", "")) from None
    return vehicle


@transaction.atomic
def vehicle_transfer(*, vehicle_id: int, site, new_owner_id: int, actor, on_date: date | None = None,
                     note: str = "") -> Vehicle:
    """过户: the vehicle and its whole history go to another customer."""
    vehicle = _lock_current(Vehicle, pk=vehicle_id, site=site, version=None)
    new_owner = Customer.objects.filter(pk=new_owner_id, site=site, merged_into__isnull=True).first()
    if new_owner is None:
        raise ApplicationError(_("Choose the new owner from this site's customers."), field="new_owner")
    if new_owner.pk == vehicle.owner_id:
        raise ApplicationError(_("This customer already owns the vehicle."), field="new_owner")
    on_date = on_date or timezone.localdate()
    current = vehicle.ownerships.filter(ended_on__isnull=True).first()
    if current and on_date < current.started_on:
        raise ApplicationError(_("The transfer date cannot be before the current owner's start (%(d)s).")
                               % {"d": current.started_on}, field="on_date")
    previous_owner_id = vehicle.owner_id
    if current:
        current.ended_on = on_date
        current.save(update_fields=["ended_on"])
    Ownership.objects.create(vehicle=vehicle, customer=new_owner, started_on=on_date, note=note)
    vehicle.owner = new_owner
    _save_versioned(vehicle, actor)
    _event(site=site, kind=ArchiveEvent.Kind.VEHICLE_TRANSFERRED, actor=actor, vehicle=vehicle,
           customer=new_owner, from_customer=previous_owner_id, on=str(on_date), note=note)
    return vehicle


# The vehicle's fields its reminder date depends on (customers/service_due.py), besides readings and next service.
SERVICE_DUE_INPUTS = frozenset({"registration_date", "make", "model"})


def _record_mileage(vehicle: Vehicle, *, km: int, read_on: date, source: str, actor, note: str = "") -> None:
    MileageReading.objects.create(vehicle=vehicle, km=km, read_on=read_on, source=source, recorded_by=actor,
                                  note=note)
    vehicle.mileage, vehicle.mileage_on = km, read_on
    save_untracked(vehicle, ["mileage", "mileage_on", "updated_at"])  # the readings are the mileage's history


@transaction.atomic
def vehicle_record_mileage(*, vehicle_id: int, site, km: int, actor, source: str = MileageReading.Source.CUSTOMER,
                           read_on: date | None = None, correction_reason: str = "") -> Vehicle:
    """A reading below the last one is refused unless it is an explicit correction with a reason."""
    vehicle = _lock_current(Vehicle, pk=vehicle_id, site=site, version=None)
    if km is None or km < 0 or km > 2_000_000:
        raise ApplicationError(_("Enter the odometer reading in kilometres."), field="km")
    read_on = read_on or timezone.localdate()
    correction_reason = (correction_reason or "").strip()
    if vehicle.mileage is not None and km < vehicle.mileage:
        if not correction_reason:
            raise ApplicationError(
                _("%(km)s km is lower than the last reading, %(last)s km on %(on)s. Check the odometer, "
                  "or record a correction with its reason.")
                % {"km": km, "last": vehicle.mileage, "on": vehicle.mileage_on},
                code="mileage_lower", field="km",
            )
        source = MileageReading.Source.CORRECTION
    _record_mileage(vehicle, km=km, read_on=read_on, source=source, actor=actor, note=correction_reason)
    vehicles_refresh_service_due([vehicle.pk])
    kind = (ArchiveEvent.Kind.MILEAGE_CORRECTED if source == MileageReading.Source.CORRECTION
            else ArchiveEvent.Kind.MILEAGE_RECORDED)
    _event(site=site, kind=kind, actor=actor, vehicle=vehicle, km=km, reason=correction_reason)
    return vehicle
