"""What a customer does without logging in: book a slot, and confirm or cancel on the signed link."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from customers.models import Customer, Vehicle
from servicedesk.core.errors import ApplicationError

from ..models import Appointment, BookingSettings, Channel
from .booking import appointment_book
from .transitions import appointment_cancel, appointment_confirm


def _known_party(site, *, mobile: str, plate: str) -> dict:
    """The archive's vehicle when its owner has this mobile; else the customer with this mobile; else
    nothing (the advisor links the plate at check-in). A stranger's mobile never picks someone's car."""
    vehicle = Vehicle.objects.filter(site=site, plate=plate).select_related("owner").first()
    if vehicle and mobile in (vehicle.owner.mobile, vehicle.owner.mobile2):
        return {"vehicle": vehicle}
    customer = (Customer.objects.filter(site=site, merged_into__isnull=True)
                .filter(Q(mobile=mobile) | Q(mobile2=mobile)).order_by("pk").first())
    return {"customer": customer} if customer else {}


@transaction.atomic
def appointment_self_book(*, site, name: str, mobile: str, plate: str, concern: str, start) -> Appointment:
    """A web self-service booking: the same capacity checks as the desk's, no manager override."""
    rules = BookingSettings.objects.filter(site=site).first()
    if rules is not None and not rules.self_booking:
        raise ApplicationError(_("This site does not take online bookings; please call us."), code="closed")
    return appointment_book(
        site=site, actor=None, start=start, channel=Channel.WEB, plate=plate, contact_name=name,
        contact_mobile=mobile, concern=concern, **_known_party(site, mobile=mobile, plate=plate),
    )


def appointment_confirm_by_link(*, appointment: Appointment) -> Appointment:
    return appointment_confirm(appointment=appointment, actor=None, via="link")


def appointment_cancel_by_link(*, appointment: Appointment) -> Appointment:
    return appointment_cancel(appointment=appointment, actor=None, reason=_("Cancelled by the customer online"))
