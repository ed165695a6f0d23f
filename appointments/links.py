"""Signed links in the customer's messages: confirm or cancel an appointment without logging in.
The token names the appointment and expires; a changed character fails the signature."""

from django.conf import settings
from django.urls import reverse

from servicedesk.core.signed_links import LinkExpired, LinkInvalid, sign, unsign

SALT = "appointments.self-service"
MAX_AGE_SECONDS = 30 * 24 * 3600  # longer than the booking window: a link works until the visit


__all__ = ["LinkExpired", "LinkInvalid", "make_token", "read_token", "self_service_path"]


def make_token(appointment) -> str:
    return sign({"a": appointment.pk, "s": appointment.site_id}, salt=SALT)


def read_token(token: str) -> tuple[int, int]:
    """(appointment id, site id) of a valid token; LinkExpired or LinkInvalid otherwise."""
    return unsign(token, salt=SALT, max_age=MAX_AGE_SECONDS, read=lambda data: (int(data["a"]), int(data["s"])))


def self_service_path(appointment) -> str:
    return reverse("appointments:self_service", kwargs={"token": make_token(appointment)})


def self_service_url(appointment) -> str:
    """Absolute, for messages sent with no request at hand (scans)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + self_service_path(appointment)
