"""Signed links in the text that asks the customer to approve additional work, as appointments.links does
for bookings: the token names the RO, its site and the lines sent, and expires; a changed character fails."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from servicedesk.core.signed_links import LinkExpired, LinkInvalid, sign, unsign

SALT = "repair_orders.additional-approval"
MAX_AGE_SECONDS = getattr(settings, "REPAIR_ORDER_APPROVAL_LINK_HOURS", 48) * 3600

__all__ = ["LinkExpired", "LinkInvalid", "approval_url", "make_token", "read_token"]


@dataclass(frozen=True)
class ApprovalToken:
    repair_order_id: int
    site_id: int
    line_ids: tuple[int, ...]


def make_token(repair_order, line_ids) -> str:
    return sign({"r": repair_order.pk, "s": repair_order.site_id, "j": sorted(int(pk) for pk in line_ids)}, salt=SALT)


def read_token(token: str) -> ApprovalToken:
    return unsign(token, salt=SALT, max_age=MAX_AGE_SECONDS, read=lambda data: ApprovalToken(
        int(data["r"]), int(data["s"]), tuple(int(pk) for pk in data["j"])))


def approval_path(token: str) -> str:
    return reverse("ro_public:approval", kwargs={"token": token})


def approval_url(token: str) -> str:
    """Absolute: the text is sent by a worker with no request at hand."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + approval_path(token)
