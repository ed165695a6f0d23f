"""The customer's messages about an appointment, through the outbox (customers.messaging): written in
the caller's transaction, sent after commit. Each names a dedupe key, so a rerun sends nothing twice."""

from django.utils import timezone

from customers.messaging.services import message_queue
from customers.models import Channel as ContactChannel

from ..capacity import site_zone
from ..links import self_service_url


def _context(appointment) -> dict:
    local = timezone.localtime(appointment.start, timezone=site_zone(appointment.site))
    return {"plate": appointment.plate or "-", "time": local.strftime("%Y-%m-%d %H:%M"),
            "link": self_service_url(appointment)}


def _send(appointment, *, template: str, dedupe_key: str, actor):
    bare = appointment.customer_id is None
    return message_queue(
        site=appointment.site, customer=appointment.customer, template=template, context=_context(appointment),
        channel=ContactChannel.SMS if bare else None, recipient=appointment.contact_mobile if bare else None,
        dedupe_key=dedupe_key, actor=actor, cause=appointment,
    )


def queue_booking_message(appointment, *, actor):
    """"Your appointment is booked", with the link to confirm or cancel. None without an address."""
    if appointment.customer_id is None and not appointment.contact_mobile:
        return None
    return _send(appointment, template="appointment_confirmation", actor=actor,
                 dedupe_key=f"appointment-booked:{appointment.pk}")


def queue_reminder_message(appointment):
    """The day-before confirmation; one per appointment and day (a moved appointment gets a new one)."""
    if appointment.customer_id is None and not appointment.contact_mobile:
        return None
    return _send(appointment, template="appointment_reminder", actor=None,
                 dedupe_key=f"appointment-reminder:{appointment.pk}:{appointment.day.isoformat()}")
