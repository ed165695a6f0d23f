"""Signed links in the customer's messages: confirm or cancel an appointment without logging in.
The token names the appointment and expires; a changed character fails the signature."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "appointments.self-service"
MAX_AGE_SECONDS = 30 * 24 * 3600  # longer than the booking window: a link works until the visit


class LinkInvalid(Exception):
    """The token was tampered with or is not one of ours."""


class LinkExpired(Exception):
    pass


def make_token(appointment) -> str:
    return signing.dumps({"a": appointment.pk, "s": appointment.site_id}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int]:
    """(appointment id, site id) of a valid token; LinkExpired or LinkInvalid otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    try:
        return int(data["a"]), int(data["s"])
    except (KeyError, TypeError, ValueError):
        raise LinkInvalid from None


def self_service_path(appointment) -> str:
    return reverse("appointments:self_service", kwargs={"token": make_token(appointment)})


def self_service_url(appointment) -> str:
    """Absolute, for messages sent with no request at hand (scans)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + self_service_path(appointment)
