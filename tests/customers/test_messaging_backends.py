"""The backends: a real local HTTP server stands in for the SMS gateway; email goes to Django's test outbox."""

import socket
from unittest import mock

import pytest
from django.core import mail

from customers.messaging.backends import ConsoleBackend, backend_for
from customers.messaging.services import message_queue
from customers.messaging.tasks import message_send
from customers.models import ContactLog, OutboundMessage
from tests.factories import CustomerFactory

from .messaging_fakes import RECORDING, LocalGateway

pytestmark = pytest.mark.django_db
Status = OutboundMessage.Status
WEBHOOK = "customers.messaging.backends.WebhookBackend"


@pytest.fixture
def customer(site):
    return CustomerFactory(site=site, name="张伟", mobile="13800138000", email="zhang@example.com")


@pytest.fixture
def gateway(settings):
    settings.MESSAGING_BACKEND = WEBHOOK
    settings.MESSAGING_WEBHOOK_TOKEN = "gateway-token"
    with LocalGateway() as server:
        settings.MESSAGING_WEBHOOK_URL = server.url
        yield server


def _queue(site, customer, **kwargs):
    return message_queue(site=site, customer=customer, template="ready_for_pickup",
                         context={"plate": "沪A12345", "closes_at": "18:00"}, **kwargs)


def _send_once(message):
    """One attempt, the retry's enqueue captured instead of run."""
    with mock.patch.object(message_send, "apply_async") as retry:
        message_send(message.pk)
    message.refresh_from_db()
    return retry


def test_webhook_posts_json_with_the_bearer_token(site, customer, gateway):
    message = _queue(site, customer)
    retry = _send_once(message)
    assert message.status == Status.SENT and not retry.called
    [request] = gateway.requests
    assert request["path"] == "/sms/send" and request["authorization"] == "Bearer gateway-token"
    assert request["content_type"] == "application/json"
    assert request["json"] == {"id": message.pk, "site": site.code, "channel": "sms",
                               "recipient": "13800138000", "text": message.text}
    assert ContactLog.objects.filter(customer=customer, channel="sms").count() == 1


def test_webhook_500_is_a_failed_attempt_with_a_retry(site, customer, gateway):
    gateway.answer(500)
    message = _queue(site, customer)
    retry = _send_once(message)
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    assert "HTTP 500" in message.last_error and "internal error" in message.last_error
    assert retry.call_args.kwargs["countdown"] == 30
    _send_once(message)  # the retry: the gateway answers 200 now
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")
    assert len(gateway.requests) == 2


def test_webhook_refused_connection_is_a_failed_attempt(site, customer, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MESSAGING_BACKEND = WEBHOOK
    settings.MESSAGING_WEBHOOK_URL = f"http://127.0.0.1:{port}/sms/send"
    message = _queue(site, customer)
    retry = _send_once(message)
    assert message.status == Status.QUEUED and "unreachable" in message.last_error and retry.called


def test_webhook_timeout_is_a_failed_attempt(site, customer, gateway, settings):
    settings.MESSAGING_WEBHOOK_TIMEOUT_SECONDS = 0.3
    gateway.stall(5)
    message = _queue(site, customer)
    _send_once(message)
    assert message.status == Status.QUEUED and "timed out" in message.last_error


def test_webhook_without_a_url_fails_clearly(site, customer, settings):
    settings.MESSAGING_BACKEND, settings.MESSAGING_WEBHOOK_URL = WEBHOOK, ""
    message = _queue(site, customer)
    _send_once(message)
    assert "MESSAGING_WEBHOOK_URL" in message.last_error


def test_email_goes_through_django_mail(site, customer, settings):
    settings.MESSAGING_CHANNEL_BACKENDS = {**settings.MESSAGING_CHANNEL_BACKENDS,
                                           "email": "customers.messaging.backends.EmailBackend"}
    settings.MESSAGING_BACKEND = RECORDING  # every other channel
    message = _queue(site, customer, channel="email")
    _send_once(message)
    assert message.status == Status.SENT
    [email] = mail.outbox
    assert email.to == ["zhang@example.com"] and email.subject == message.subject and "沪A12345" in email.body


def test_a_channel_backend_overrides_the_default(settings):
    settings.MESSAGING_CHANNEL_BACKENDS = {"sms": WEBHOOK, "wechat": "", "email": ""}
    assert type(backend_for("sms")).__name__ == "WebhookBackend"
    assert isinstance(backend_for("wechat"), ConsoleBackend)


def test_the_console_backend_logs_and_marks_sent(site, customer, caplog):
    message = _queue(site, customer)
    with caplog.at_level("INFO", logger="customers.messaging"):
        _send_once(message)
    assert message.status == Status.SENT and message.text in caplog.text
