"""Booking and rescheduling: both check the workshop's capacity under the day's lock."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from customers import services as archive
from customers.models import Customer, Vehicle
from customers.validation import normalize_mobile, normalize_plate, validate_plate
from repair_orders.models import LabourOperation, ServicePackageOperation
from servicedesk.core.errors import ApplicationError

from .. import capacity
from ..models import Appointment, AppointmentEvent, Channel
from ..workflow import RESCHEDULABLE
from .common import lock_appointment, lock_day, record_event, save_versioned
from .messages import queue_booking_message

OVERRIDABLE = frozenset({"capacity_full", "slot_full"})
MAX_HOURS = Decimal("99")
UNCHANGED = object()


def requested_hours(operations, packages) -> Decimal:
    """Flat-rate hours of the operations and of the packages' operations, each operation once."""
    ids = {op.pk for op in operations}
    if packages:
        ids |= set(ServicePackageOperation.objects.filter(package__in=packages)
                   .values_list("operation_id", flat=True))
    if not ids:
        return Decimal("0")
    total = LabourOperation.objects.filter(pk__in=ids).aggregate(total=Sum("hours"))["total"]
    return (total or Decimal("0")).quantize(capacity.HOURS)


def _clean_hours(value, operations, packages) -> Decimal:
    if value in (None, ""):
        value = requested_hours(operations, packages) or capacity.DEFAULT_HOURS
    try:
        hours = Decimal(str(value)).quantize(capacity.HOURS)
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("Enter the estimated hours as a number, e.g. 1.5."),
                               field="estimated_hours") from None
    if not Decimal("0.1") <= hours <= MAX_HOURS:
        raise ApplicationError(_("Estimated hours must be between 0.1 and 99."), field="estimated_hours")
    return hours


def _prefixed(error: ApplicationError, prefix: str) -> ApplicationError:
    """An inline customer or vehicle failed the archive's validation: name the inline field."""
    if error.field:
        error.field = f"{prefix}{error.field}"
    return error


def _resolve_party(*, site, actor, customer, vehicle, new_customer, new_vehicle, plate, contact_name,
                   contact_mobile) -> dict:
    if vehicle is not None:
        if vehicle.site_id != site.pk:
            raise ApplicationError(_("Choose a vehicle of this site."), field="vehicle")
        if customer is not None and customer.pk != vehicle.owner_id:
            raise ApplicationError(_("This vehicle belongs to another customer."), field="vehicle")
        customer = customer or vehicle.owner
    if customer is not None and (customer.site_id != site.pk or customer.is_merged):
        raise ApplicationError(_("Choose a customer of this site."), field="customer")
    if new_customer and customer is None:
        try:
            customer = archive.customer_create(site=site, data=new_customer, actor=actor)
        except ApplicationError as error:
            raise _prefixed(error, "customer_") from None
    if new_vehicle and vehicle is None:
        if customer is None:
            raise ApplicationError(_("Enter the owner before the vehicle."), field="customer_name")
        try:
            vehicle = archive.vehicle_create(site=site, owner=customer, data=new_vehicle, actor=actor)
        except ApplicationError as error:
            raise _prefixed(error, "vehicle_") from None
    plate = vehicle.plate if vehicle is not None and vehicle.plate else normalize_plate(plate)
    if plate:
        try:
            validate_plate(plate)
        except ValidationError as error:
            raise ApplicationError(error.messages[0], field="plate", code="plate_format") from None
    if contact_mobile:
        try:
            contact_mobile = normalize_mobile(contact_mobile)
        except ValidationError as error:
            raise ApplicationError(error.messages[0], field="contact_mobile", code="mobile_invalid") from None
    if customer is None and not contact_mobile:
        raise ApplicationError(_("Choose the customer's vehicle, enter a new customer, or give a mobile number."),
                               field="customer", code="required")
    return {
        "customer": customer, "vehicle": vehicle, "plate": plate,
        "contact_name": (contact_name or (customer.name if customer else "")).strip()[:100],
        "contact_mobile": contact_mobile or customer.mobile,
    }


def _check_advisor(site, advisor) -> None:
    if advisor is None:
        return
    if not get_user_model().objects.filter(pk=advisor.pk, is_active=True, profile__sites=site).exists():
        raise ApplicationError(_("Choose an advisor who works in this site."), field="advisor")


def _clean_start(start) -> datetime:
    if not isinstance(start, datetime) or timezone.is_naive(start):
        raise ApplicationError(_("Choose a date and a time."), field="start", code="required")
    return start


def check_capacity(*, site, start: datetime, hours: Decimal, advisor_id: int | None, actor,
                   override_reason: str = "", exclude_pk: int | None = None) -> dict:
    """Lock the day and check it can take the appointment. Refused: ApplicationError with the next
    free times in `extra["next_free"]`; a manager's override with a reason returns what it overrode."""
    day = capacity.local_day(site, start)
    lock_day(site, day)
    load = capacity.load_days(site, day, day, exclude_pk=exclude_pk)[0]
    problem = capacity.refusal(load, start=start, hours=hours, advisor_id=advisor_id, now=timezone.now())
    if problem is None:
        return {}
    reason = (override_reason or "").strip()
    if reason and problem.code in OVERRIDABLE:
        if actor is None or not actor.has_perm("appointments.override_capacity"):
            raise ApplicationError(_("Only a service manager may book over the workshop's capacity."),
                                   code="forbidden", field="override_reason")
        return {"override": {"reason": reason[:200], "refused": problem.code, "message": str(problem.message)}}
    if problem.code in OVERRIDABLE or problem.code == "day_closed":
        problem.extra["next_free"] = [moment.isoformat() for moment in capacity.next_free(
            site, after=start, hours=hours, advisor_id=advisor_id, exclude_pk=exclude_pk)]
    raise problem


@transaction.atomic
def appointment_book(
    *, site, actor, start: datetime, channel: str = Channel.PHONE, customer: Customer | None = None,
    vehicle: Vehicle | None = None, new_customer: dict | None = None, new_vehicle: dict | None = None,
    plate: str = "", contact_name: str = "", contact_mobile: str = "", operations=(), packages=(),
    concern: str = "", advisor=None, estimated_hours=None, courtesy_car: bool = False, pickup: bool = False,
    notes: str = "", override_reason: str = "",
) -> Appointment:
    """Book a visit for a customer on file, or one entered inline (created through the archive's
    services, so its validation applies). Refused over capacity unless a manager overrides."""
    if channel not in Channel.values:
        raise ApplicationError(_("Choose how the customer booked."), field="channel")
    start = _clean_start(start)
    operations, packages = list(operations), list(packages)
    if any(not op.active for op in operations):
        raise ApplicationError(_("One of the operations is no longer offered."), field="operations")
    if any(p.site_id != site.pk or not p.active for p in packages):
        raise ApplicationError(_("Choose service packages of this site."), field="packages")
    if not (operations or packages or (concern or "").strip()):
        raise ApplicationError(_("Say what the customer wants: services from the catalogue or the concern "
                                 "in their words."), field="concern", code="required")
    hours = _clean_hours(estimated_hours, operations, packages)
    _check_advisor(site, advisor)
    party = _resolve_party(site=site, actor=actor, customer=customer, vehicle=vehicle, new_customer=new_customer,
                           new_vehicle=new_vehicle, plate=plate, contact_name=contact_name,
                           contact_mobile=contact_mobile)
    override = check_capacity(site=site, start=start, hours=hours, advisor_id=advisor.pk if advisor else None,
                              actor=actor, override_reason=override_reason)
    appointment = Appointment.objects.create(
        site=site, channel=channel, start=start, day=capacity.local_day(site, start), estimated_hours=hours,
        advisor=advisor, concern=(concern or "").strip(), courtesy_car=courtesy_car, pickup=pickup,
        notes=(notes or "").strip(), created_by=actor, updated_by=actor, **party,
    )
    appointment.operations.set(operations)
    appointment.packages.set(packages)
    record_event(appointment, kind=AppointmentEvent.Kind.BOOKED, actor=actor, to_status=appointment.status,
                 start=capacity.local_iso(site, start), hours=str(hours), channel=channel, **override)
    queue_booking_message(appointment, actor=actor)
    return appointment


@transaction.atomic
def appointment_reschedule(*, appointment: Appointment, actor, start: datetime, advisor=UNCHANGED,
                           version: int | None = None, override_reason: str = "") -> Appointment:
    """Move to another time (and advisor) with the same capacity checks as booking."""
    locked = lock_appointment(appointment, version=version)
    if locked.status not in RESCHEDULABLE:
        raise ApplicationError(_("Only a booked or confirmed appointment can be moved."), code="illegal_transition")
    start = _clean_start(start)
    new_advisor = locked.advisor if advisor is UNCHANGED else advisor
    if advisor is not UNCHANGED:
        _check_advisor(locked.site, new_advisor)
    new_advisor_id = new_advisor.pk if new_advisor else None
    if start == locked.start and new_advisor_id == locked.advisor_id:
        return locked
    override = check_capacity(site=locked.site, start=start, hours=locked.estimated_hours, advisor_id=new_advisor_id,
                              actor=actor, override_reason=override_reason, exclude_pk=locked.pk)
    previous = {"from_start": capacity.local_iso(locked.site, locked.start), "from_advisor": locked.advisor_id}
    locked.start, locked.day = start, capacity.local_day(locked.site, start)
    locked.advisor = new_advisor
    save_versioned(locked, actor, ["start", "day", "advisor"])
    record_event(locked, kind=AppointmentEvent.Kind.RESCHEDULED, actor=actor, from_status=locked.status,
                 to_status=locked.status, to_start=capacity.local_iso(locked.site, start), to_advisor=new_advisor_id,
                 **previous, **override)
    return locked
