"""Reception (接车): opening the repair order, the walk-around of the check-in sheet, its signature, and
cancelling an RO before any work is done."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from customers.models import Customer, MileageReading, Vehicle
from customers.services import vehicle_record_mileage
from parts.models import Reservation, Shortage, StockMovement
from parts.services import reservation_release, shortage_cancel
from servicedesk.core.errors import ApplicationError
from servicedesk.core.numbering import next_number

from ..models import DamageMark, PartLine, RepairOrder, Signature
from ..selectors import COMEBACK_DAYS, comeback_candidates
from ..workflow import OPEN_RO_STATES, ROState, check_ro_transition
from .common import check_editable, lock_repair_order, move_ro, ro_event, save_changes, signature_file, site_today
from .photos import clean_photo, store_photos

BOOLEAN_FIELDS = ("waiting", "valuables_reminder_given", "cover_seat", "cover_steering_wheel", "cover_floor_mat",
                  "cover_gear_lever", "wash_wanted", "courtesy_car")
CHOICE_FIELDS = ("fuel_level", "old_parts_disposition", "payment_method")
TEXT_FIELDS = ("key_tag", "concerns")
WALKAROUND_FIELDS = (*BOOLEAN_FIELDS, *CHOICE_FIELDS, *TEXT_FIELDS, "mileage", "belongings", "promised_at")


@transaction.atomic
def repair_order_open(*, site, customer: Customer, vehicle: Vehicle, advisor, actor,
                      ro_type: str = RepairOrder.Type.REPAIR, appointment_ref: int | None = None,
                      concerns: str = "", promised_at: datetime | None = None, waiting: bool = False,
                      comeback_of: RepairOrder | None = None) -> RepairOrder:
    """Open an RO at reception (walk-in, or the arrival of appointment `appointment_ref`): checked in,
    numbered from the site's gapless sequence (e.g. SH01-2026-000123)."""
    _check_parties(site=site, customer=customer, vehicle=vehicle, advisor=advisor)
    if ro_type not in RepairOrder.Type.values:
        raise ApplicationError(_("Choose the type of repair order."), field="ro_type")
    _check_comeback(ro_type=ro_type, comeback_of=comeback_of, vehicle=vehicle)
    if appointment_ref is not None:
        _check_appointment_free(appointment_ref)
    repair_order = RepairOrder(
        site=site, customer=customer, vehicle=vehicle, advisor=advisor, ro_type=ro_type, comeback_of=comeback_of,
        appointment_ref=appointment_ref, concerns=(concerns or "").strip(), promised_at=promised_at,
        waiting=bool(waiting), updated_by=actor,
        number=next_number(site=site, kind="RO", year=site_today(site).year))
    try:
        with transaction.atomic():
            repair_order.save()
    except IntegrityError:
        _check_appointment_free(appointment_ref)  # checked in at the same moment elsewhere
        raise
    ro_event(repair_order, "opened", actor, from_state="", to_state=ROState.CHECKED_IN, ro_type=ro_type,
             appointment_ref=appointment_ref, comeback_of=comeback_of.number if comeback_of else None)
    return repair_order


def _check_parties(*, site, customer: Customer, vehicle: Vehicle, advisor) -> None:
    if customer.site_id != site.pk or customer.is_merged:
        raise ApplicationError(_("Choose a customer of this site."), field="customer")
    if vehicle.site_id != site.pk:
        raise ApplicationError(_("Choose a vehicle of this site."), field="vehicle")
    profile = getattr(advisor, "profile", None)
    if profile is None or not profile.sites.filter(pk=site.pk).exists():
        raise ApplicationError(_("Choose a service advisor who works at this site."), field="advisor")


def _check_comeback(*, ro_type: str, comeback_of: RepairOrder | None, vehicle: Vehicle) -> None:
    if ro_type != RepairOrder.Type.COMEBACK:
        if comeback_of is not None:
            raise ApplicationError(_("Only a comeback refers to an earlier repair order."), field="comeback_of")
        return
    if comeback_of is None:
        raise ApplicationError(_("Choose the repair order this comeback returns to."), field="comeback_of")
    if not comeback_candidates(vehicle_id=vehicle.pk).filter(pk=comeback_of.pk).exists():
        raise ApplicationError(
            _("A comeback returns to a repair order of the same vehicle delivered at most %(days)s days ago; "
              "%(number)s is not one.") % {"days": COMEBACK_DAYS, "number": comeback_of.number},
            field="comeback_of")


def _check_appointment_free(appointment_ref: int | None) -> None:
    taken = (RepairOrder.objects.filter(appointment_ref=appointment_ref).exclude(state=ROState.CANCELLED)
             .only("pk", "number").first()) if appointment_ref is not None else None
    if taken is not None:
        raise ApplicationError(
            _("This appointment was already checked in as repair order %(number)s.") % {"number": taken.number},
            code="conflict", field="appointment", extra={"repair_order_id": taken.pk})


# ---------------------------------------------------------------- the walk-around (环车检查)

@transaction.atomic
def repair_order_record_walkaround(*, repair_order: RepairOrder, data: dict, version: int | None,
                                   actor) -> RepairOrder:
    """Record the check-in sheet's fields given in `data` (any of WALKAROUND_FIELDS; a `mileage` lower than
    the vehicle's last reading also needs `mileage_correction_reason`)."""
    locked = lock_repair_order(repair_order, version=version)
    check_editable(locked)
    changes = {name: value for name, value in _clean_walkaround(data).items() if getattr(locked, name) != value}
    if not changes:
        return locked
    if "mileage" in changes:
        _record_mileage(locked, km=changes["mileage"], actor=actor,
                        correction_reason=str(data.get("mileage_correction_reason") or ""))
    if changes.get("key_tag"):
        _check_key_tag_free(locked, changes["key_tag"])
    for name, value in changes.items():
        setattr(locked, name, value)
    try:
        with transaction.atomic():
            save_changes(locked, actor, fields=list(changes))
    except IntegrityError:
        _check_key_tag_free(locked, changes.get("key_tag", ""))  # taken at the same moment elsewhere
        raise
    ro_event(locked, "walkaround", actor, fields=sorted(changes), mileage=changes.get("mileage"),
             key_tag=changes.get("key_tag"))
    return locked


def _clean_walkaround(data: dict) -> dict:
    cleaned = {}
    for name in BOOLEAN_FIELDS:
        if name in data:
            cleaned[name] = bool(data[name])
    for name in TEXT_FIELDS:
        if name in data:
            cleaned[name] = str(data[name] or "").strip()
    if "belongings" in data:
        items = data["belongings"] or []
        cleaned["belongings"] = [str(item).strip() for item in
                                 (items.splitlines() if isinstance(items, str) else items) if str(item).strip()]
    if "mileage" in data and data["mileage"] not in (None, ""):
        try:
            cleaned["mileage"] = int(Decimal(str(data["mileage"])))
        except (InvalidOperation, ValueError):
            raise ApplicationError(_("Enter the odometer reading in kilometres."), field="mileage") from None
    if data.get("promised_at") is not None and not isinstance(data["promised_at"], datetime):
        raise ApplicationError(_("Enter the promised date and time."), field="promised_at")
    if "promised_at" in data:
        cleaned["promised_at"] = data["promised_at"]
    for name in CHOICE_FIELDS:
        if name in data:
            cleaned[name] = data[name] if data[name] not in (None, "") else (None if name == "fuel_level" else "")
    return _validated_fields(cleaned)


def _validated_fields(values: dict) -> dict:
    """The values converted and checked by the model's own fields (choices, lengths), or an ApplicationError."""
    instance, cleaned = RepairOrder(), {}
    for name, value in values.items():
        field = RepairOrder._meta.get_field(name)
        try:
            cleaned[name] = value if value in field.empty_values else field.clean(value, instance)
        except ValidationError as error:
            raise ApplicationError(error.messages[0], field=name) from None
    return cleaned


def _record_mileage(repair_order: RepairOrder, *, km: int, actor, correction_reason: str) -> None:
    try:
        vehicle_record_mileage(vehicle_id=repair_order.vehicle_id, site=repair_order.site, km=km, actor=actor,
                               source=MileageReading.Source.CHECK_IN, correction_reason=correction_reason)
    except ApplicationError as error:
        raise ApplicationError(error.message, code=error.code, field="mileage", extra=error.extra) from None


def _check_key_tag_free(repair_order: RepairOrder, key_tag: str) -> None:
    holder = (RepairOrder.objects.filter(site_id=repair_order.site_id, key_tag=key_tag, state__in=OPEN_RO_STATES)
              .exclude(pk=repair_order.pk).only("pk", "number").first()) if key_tag else None
    if holder is not None:
        raise ApplicationError(
            _("Key tag %(tag)s is on repair order %(number)s, which is still open. Use another tag.")
            % {"tag": key_tag, "number": holder.number},
            code="key_tag_in_use", field="key_tag", extra={"repair_order_id": holder.pk})


def damage_mark_add(*, repair_order: RepairOrder, x, y, kind: str, actor, note: str = "", photos=(),
                    version: int | None = None) -> DamageMark:
    """A tap on the car diagram: where (x, y in % of the diagram), what kind, a note, and any photos (uploads,
    checked and resized before the transaction opens; one bad file refuses the mark)."""
    cleaned = [clean_photo(photo) for photo in photos]
    with transaction.atomic():
        locked = lock_repair_order(repair_order, version=version)
        check_editable(locked)
        mark = DamageMark(repair_order=locked, x=x, y=y, kind=kind, note=(note or "").strip(), created_by=actor)
        try:
            mark.full_clean(exclude=["repair_order", "created_by"])
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise ApplicationError(messages[0], field=field) from None
        mark.save()
        stored = store_photos(locked, cleaned, actor=actor, damage_mark=mark)
        save_changes(locked, actor)
        ro_event(locked, "damage_mark_added", actor, mark=mark.pk, kind=kind, x=str(mark.x), y=str(mark.y),
                 photos=[photo.pk for photo in stored])
    return mark


@transaction.atomic
def damage_mark_remove(*, mark: DamageMark, actor, version: int | None = None) -> RepairOrder:
    locked = lock_repair_order(mark.repair_order_id, version=version)
    check_editable(locked)
    deleted, _rows = DamageMark.objects.filter(pk=mark.pk, repair_order=locked).delete()
    if deleted:
        save_changes(locked, actor)
        ro_event(locked, "damage_mark_removed", actor, mark=mark.pk, kind=mark.kind)
    return locked


@transaction.atomic
def repair_order_sign_check_in(*, repair_order: RepairOrder, signer_name: str, signature_image, actor,
                               version: int | None = None) -> Signature:
    """The customer signs the check-in sheet on the pad; image, name and time are kept."""
    locked = lock_repair_order(repair_order, version=version)
    check_editable(locked)
    signature = new_signature(locked, kind=Signature.Kind.CHECK_IN, signer_name=signer_name,
                              image=signature_file(signature_image), actor=actor)
    save_changes(locked, actor)
    ro_event(locked, "signed", actor, signature=signature.pk, kind=signature.kind, signer=signature.signer_name)
    return signature


def new_signature(repair_order: RepairOrder, *, kind: str, signer_name: str, image, actor) -> Signature:
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise ApplicationError(_("Enter the name of the person who signs."), code="required", field="signer_name")
    return Signature.objects.create(repair_order=repair_order, kind=kind, signer_name=signer_name[:100],
                                    image=image, captured_by=actor)


# ---------------------------------------------------------------- cancelling

@transaction.atomic
def repair_order_cancel(*, repair_order: RepairOrder, reason: str, actor, version: int | None = None) -> RepairOrder:
    """Nothing done and nothing to bill: the RO is cancelled, its reserved parts go back to stock and its
    parts shortages are withdrawn. Refused once parts were issued to it."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the repair order is cancelled."), code="required", field="reason")
    locked = lock_repair_order(repair_order, version=version)
    check_ro_transition(locked.state, ROState.CANCELLED)
    _check_no_parts_issued(locked)
    released, withdrawn = _give_back_parts(locked, actor=actor, reason=reason)
    locked.cancel_reason = reason[:200]
    return move_ro(locked, ROState.CANCELLED, actor, kind="cancelled", fields=["cancel_reason"], reason=reason,
                   released_reservations=released, withdrawn_shortages=withdrawn)


def _check_no_parts_issued(repair_order: RepairOrder) -> None:
    issued = StockMovement.objects.filter(
        site_id=repair_order.site_id, repair_order_ref=repair_order.number,
        kind__in=[StockMovement.Kind.ISSUE, StockMovement.Kind.RETURN]).aggregate(net=Sum("quantity"))["net"]
    if issued and issued < 0:
        raise ApplicationError(
            _("Parts were issued to repair order %(number)s; return them to the store before cancelling it.")
            % {"number": repair_order.number}, code="parts_issued")


def _give_back_parts(repair_order: RepairOrder, *, actor, reason: str) -> tuple[list[int], list[int]]:
    lines = list(PartLine.objects.filter(job_line__repair_order=repair_order)
                 .select_related("reservation__part", "shortage").order_by("part_id", "pk"))
    released, withdrawn = [], []
    for line in lines:
        if line.reservation and line.reservation.status == Reservation.Status.HELD:
            reservation_release(reservation=line.reservation, actor=actor)
            released.append(line.reservation.pk)
        if line.shortage and line.shortage.status in (Shortage.Status.OPEN, Shortage.Status.ORDERED):
            shortage_cancel(shortage=line.shortage, actor=actor,
                            reason=_("Repair order %(number)s cancelled: %(reason)s")
                            % {"number": repair_order.number, "reason": reason})
            withdrawn.append(line.shortage.pk)
    return released, withdrawn
