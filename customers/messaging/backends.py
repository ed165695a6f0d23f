"""How a message leaves: one backend per channel, chosen by dotted path in settings (docs/messaging.md).

A backend's `send(message)` returns when the message was handed over and raises `DeliveryError` when it
was not; the caller records the attempt and retries. Backends never touch the database.
"""

import json
import logging
import smtplib
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("customers.messaging")


class DeliveryError(Exception):
    """The message was not handed over; the text says why (kept as the row's last error)."""


class ConsoleBackend:
    """The default: nothing leaves the machine. The message is logged and marked sent, and the admin's
    outbound-message list shows it."""

    def send(self, message) -> None:
        logger.info("message %s via %s to %s: %s", message.pk, message.channel, message.recipient, message.text)


class EmailBackend:
    """Email through Django's mail settings (EMAIL_URL)."""

    def send(self, message) -> None:
        if message.channel != "email":
            raise DeliveryError(f"the email backend cannot send {message.channel} messages")
        try:
            send_mail(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [message.recipient])
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"email: {error}") from error


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a gateway that redirects a POST is misconfigured: fail rather than re-send as GET


class WebhookBackend:
    """An SMS (or WeChat) gateway behind an HTTP endpoint: POST JSON with a bearer token; any answer
    but 2xx, a timeout or a refused connection is a failed attempt."""

    def send(self, message) -> None:
        url = settings.MESSAGING_WEBHOOK_URL
        if not url:
            raise DeliveryError("MESSAGING_WEBHOOK_URL is not set")
        body = json.dumps({
            "id": message.pk,  # the gateway may use it to drop a repeat of the same message
            "site": message.site.code,
            "channel": message.channel,
            "recipient": message.recipient,
            "text": message.text,
        }).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.MESSAGING_WEBHOOK_TOKEN}",
        })
        opener = urllib.request.build_opener(_NoRedirects)
        try:
            with opener.open(request, timeout=settings.MESSAGING_WEBHOOK_TIMEOUT_SECONDS) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            detail = error.read(300).decode(errors="replace")
            raise DeliveryError(f"gateway answered HTTP {error.code}: {detail}".strip()) from error
        except (urllib.error.URLError, OSError) as error:  # refused, unreachable, timed out
            raise DeliveryError(f"gateway unreachable: {getattr(error, 'reason', error)}") from error
        if not 200 <= status < 300:
            raise DeliveryError(f"gateway answered HTTP {status}")


def backend_for(channel: str):
    """The backend of a channel: its own setting when it has one, else MESSAGING_BACKEND."""
    path = settings.MESSAGING_CHANNEL_BACKENDS.get(channel) or settings.MESSAGING_BACKEND
    return import_string(path)()
