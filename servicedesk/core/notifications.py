"""Messages to staff. Written in the caller's transaction, so a rolled-back change tells nobody."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from servicedesk.accounts.roles import SERVICE_MANAGER

from .models import Notification


def notify(*, site, recipient, text: str, url: str = "") -> Notification:
    """`text` is stored as rendered: translate it in the recipient's language before calling."""
    return Notification.objects.create(site=site, recipient=recipient, text=text[:300], url=url)


def site_managers(site):
    """The site's active service managers (those who approve, get escalations and the monthly pack)."""
    return get_user_model().objects.filter(groups__name=SERVICE_MANAGER, is_active=True, profile__sites=site).distinct()


def notify_managers(*, site, message, params: dict | None = None, url: str = "") -> int:
    """One notification for each of the site's service managers (one insert): `message` (gettext_lazy) with
    `params`, rendered here in the staff's language (LANGUAGE_CODE). The number told."""
    with translation.override(settings.LANGUAGE_CODE):
        rendered = (str(message) % params if params is not None else str(message))[:300]
    rows = [Notification(site=site, recipient_id=pk, text=rendered, url=url)
            for pk in site_managers(site).values_list("pk", flat=True)]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notifications_mark_read(*, recipient, ids=None) -> int:
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
