"""Messages to staff. Written in the caller's transaction, so a rolled-back change tells nobody."""

from django.utils import timezone

from .models import Notification


def notify(*, site, recipient, text: str, url: str = "") -> Notification:
    """`text` is stored as rendered: translate it in the recipient's language before calling."""
    return Notification.objects.create(site=site, recipient=recipient, text=text[:300], url=url)


def notifications_mark_read(*, recipient, ids=None) -> int:
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
