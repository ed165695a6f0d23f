"""The advisor's confirmation call: its outcome confirms or cancels the appointment."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError

from ..models import ConfirmationCall, Status
from .transitions import appointment_cancel, appointment_confirm


@transaction.atomic
def confirmation_call_complete(*, call: ConfirmationCall, actor, outcome: str, note: str = "") -> ConfirmationCall:
    locked = ConfirmationCall.objects.select_for_update().select_related("appointment").get(pk=call.pk)
    if locked.status != ConfirmationCall.Status.OPEN:
        raise ApplicationError(_("This call was already recorded."), code="illegal_transition")
    if outcome not in ConfirmationCall.Outcome.values:
        raise ApplicationError(_("Choose how the call went."), field="outcome")
    note = (note or "").strip()[:200]
    appointment = locked.appointment
    if outcome == ConfirmationCall.Outcome.CONFIRMED and appointment.status == Status.BOOKED:
        appointment_confirm(appointment=appointment, actor=actor, via="call")
    elif outcome == ConfirmationCall.Outcome.CANCELLED:
        appointment_cancel(appointment=appointment, actor=actor, reason=note or _("Cancelled on the confirmation call"))
    locked.status, locked.outcome, locked.note = ConfirmationCall.Status.DONE, outcome, note
    locked.done_at, locked.done_by = timezone.now(), actor
    locked.save(update_fields=["status", "outcome", "note", "done_at", "done_by"])
    return locked
