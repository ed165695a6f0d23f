"""Customer care's work on lost vehicles: why the customer left, and the win-back call."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError

from ..models import Callback, CallbackEvent, LostVehicle


@transaction.atomic
def lost_vehicle_record_reason(*, lost_vehicle: LostVehicle, reason: str, note: str = "", actor) -> LostVehicle:
    if reason not in LostVehicle.Reason.values:
        raise ApplicationError(_("Choose why the customer left."), field="reason")
    locked = LostVehicle.objects.select_for_update().get(pk=lost_vehicle.pk)
    locked.reason, locked.reason_note, locked.recorded_by = reason, (note or "").strip()[:200], actor
    locked.save(update_fields=["reason", "reason_note", "recorded_by"])
    return locked


@transaction.atomic
def win_back_call_start(*, lost_vehicle: LostVehicle, actor) -> Callback:
    """A win-back call in the customer-care queue, due now; one per loss (dedupe key "winback:<id>"):
    starting it again returns the call already there."""
    locked = (LostVehicle.objects.select_for_update(of=("self",)).select_related("vehicle")
              .get(pk=lost_vehicle.pk))
    if locked.won_back_at is not None:
        raise ApplicationError(_("This vehicle is back already (won back on %(day)s).")
                               % {"day": timezone.localdate(locked.won_back_at)}, code="conflict")
    key = f"winback:{locked.pk}"
    if existing := Callback.objects.filter(site_id=locked.site_id, dedupe_key=key).first():
        return existing
    try:
        with transaction.atomic():
            call = Callback.objects.create(
                site_id=locked.site_id, kind=Callback.Kind.WIN_BACK, dedupe_key=key,
                customer_id=locked.vehicle.owner_id, vehicle=locked.vehicle,
                repair_order_id=locked.last_repair_order_id, due_at=timezone.now())
    except IntegrityError:  # the row lock makes this unlikely; the unique key makes it harmless
        return Callback.objects.get(site_id=locked.site_id, dedupe_key=key)
    CallbackEvent.objects.create(callback=call, kind="created", actor=actor, to_status=call.status,
                                 data={"lost_vehicle": locked.pk})
    return call
