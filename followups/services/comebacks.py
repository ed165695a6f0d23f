"""Comebacks (返修): "the fault is back" said on a call becomes a report for the service manager, linked to the
RO it returns to; the report links to the walk-in form pre-filled as a comeback RO of that RO."""

from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.core.errors import ApplicationError
from servicedesk.core.notifications import notify_managers

from ..models import Comeback, Survey

FAULT_BACK = gettext_lazy("The fault is back on %(plate)s (repair order %(number)s): %(text)s")


def comeback_walk_in_url(comeback: Comeback) -> str:
    """The walk-in form with the vehicle chosen, type comeback and the RO it returns to."""
    query = {"vehicle": comeback.vehicle_id, "ro_type": "comeback", "comeback_of": comeback.repair_order_id}
    return f"{reverse('repair_orders:walk_in')}?{urlencode(query)}"


@transaction.atomic
def comeback_open(*, survey: Survey, actor, description: str = "") -> Comeback:
    """A comeback report for the RO the call is about; the site's service managers are told."""
    callback = survey.callback
    repair_order = callback.repair_order
    if repair_order is None:
        raise ApplicationError(_("This call is not about a repair order, so no fault can be back."),
                               field="fault_back")
    comeback = Comeback.objects.create(
        site=callback.site, repair_order=repair_order, vehicle_id=repair_order.vehicle_id, survey=survey,
        description=(description or survey.verbatim).strip() or _("The customer says the fault is back."),
        created_by=actor)
    notify_managers(site=callback.site, message=FAULT_BACK, url=reverse("followups:comeback_list"), params={
        "plate": repair_order.vehicle.plate, "number": repair_order.number, "text": comeback.description[:120]})
    return comeback


@transaction.atomic
def comeback_close(*, comeback: Comeback, actor) -> Comeback:
    """The manager closes a report (dealt with, or the customer did not come back)."""
    locked = Comeback.objects.select_for_update().get(pk=comeback.pk)
    if locked.status == Comeback.Status.CLOSED:
        raise ApplicationError(_("This comeback report is closed already."), code="illegal_transition")
    locked.status = Comeback.Status.CLOSED
    locked.save(update_fields=["status"])
    return locked
