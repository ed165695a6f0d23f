"""The outbox: rendering, channel choice, consent, dedupe, after-commit sending, retries, the sweep, resend."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from customers.messaging.services import message_queue, message_resend, retry_delay
from customers.messaging.tasks import message_send, message_sweep
from customers.messaging.templates import TEMPLATES, render
from customers.models import ContactLog, Customer, OutboundMessage
from customers.services import customer_set_marketing_consent
from servicedesk.core.errors import ApplicationError
from tests.factories import CustomerFactory

from .messaging_fakes import RECORDING, RecordingBackend

pytestmark = pytest.mark.django_db
Status = OutboundMessage.Status
REMINDER = {"plate": "沪A12345", "time": "09:30", "link": "https://desk.example.com/a/xyz"}


@pytest.fixture(autouse=True)
def recording_backend(settings):
    settings.MESSAGING_BACKEND = RECORDING
    RecordingBackend.reset()
    return RecordingBackend


@pytest.fixture
def customer(site):
    return CustomerFactory(site=site, name="张伟", mobile="13800138000", wechat_id="wx-openid-1",
                           email="zhang@example.com")


def queue(site, customer, **kwargs):
    kwargs.setdefault("template", "appointment_reminder")
    kwargs.setdefault("context", REMINDER)
    return message_queue(site=site, customer=customer, **kwargs)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `action` in a transaction and then what it left for after commit (the tasks, eagerly)."""
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()
    return run


# ---------------------------------------------------------------- rendering and channel

def test_a_template_is_filled_with_the_context_site_and_customer(site, customer):
    message = queue(site, customer)
    assert message.status == Status.QUEUED and message.template_key == "appointment_reminder"
    for part in ("沪A12345", "09:30", "https://desk.example.com/a/xyz", site.name, "张伟"):
        assert part in message.text
    with translation.override(django_settings.MESSAGING_LANGUAGE):  # the customers' language, not the user's
        assert message.subject == str(TEMPLATES["appointment_reminder"].title)


def test_every_template_renders_and_a_missing_placeholder_is_a_programming_error():
    context = {"site": "店", "customer": "客", "plate": "沪A1", "time": "9:00", "link": "L", "due": "D",
               "closes_at": "18:00", "amount": "0.00", "month": "2026-11"}
    for key in TEMPLATES:
        assert render(key, context).text
    with pytest.raises(KeyError, match="plate"):
        render("ready_for_pickup", {"site": "店", "customer": "客", "closes_at": "18:00"})


@pytest.mark.parametrize(("preferred", "blank", "expected"), [
    ("wechat", "", ("wechat", "wx-openid-1")),
    ("email", "", ("email", "zhang@example.com")),
    ("email", "email", ("sms", "13800138000")),  # preferred but no address: SMS to the mobile
    ("phone", "", ("sms", "13800138000")),
])
def test_the_channel_is_the_customers_preference_else_sms(site, customer, preferred, blank, expected):
    customer.preferred_channel = preferred
    if blank:
        setattr(customer, blank, "")
    message = queue(site, customer)
    assert (message.channel, message.recipient) == expected


def test_no_address_on_the_asked_channel_queues_nothing(site, customer):
    customer.email = ""
    assert queue(site, customer, channel="email") is None
    assert not OutboundMessage.objects.exists()


def test_a_bare_recipient_needs_no_customer_and_leaves_no_contact_line(site, committed, recording_backend):
    message = committed(lambda: message_queue(site=site, customer=None, template="ready_for_pickup",
                                              context={"plate": "沪A1", "closes_at": "18:00"},
                                              channel="sms", recipient="13900001111"))
    message.refresh_from_db()
    assert message.status == Status.SENT and message.customer is None
    assert recording_backend.sent[0][1:3] == ("sms", "13900001111")
    assert not ContactLog.objects.exists()


def test_a_customer_of_another_site_is_refused(site, other_site, customer):
    with pytest.raises(ApplicationError) as error:
        queue(other_site, customer)
    assert error.value.code == "wrong_site"


# ---------------------------------------------------------------- consent and dedupe

def test_marketing_needs_current_consent_service_does_not(site, customer):
    with pytest.raises(ApplicationError) as error:
        queue(site, customer, purpose="marketing")
    assert error.value.code == "no_consent"
    assert queue(site, customer).purpose == "service"
    customer_set_marketing_consent(customer_id=customer.pk, site=site, granted=True, source="短信回复", actor=None)
    assert queue(site, customer, purpose="marketing").purpose == "marketing"
    stale = Customer.objects.get(pk=customer.pk)
    customer_set_marketing_consent(customer_id=customer.pk, site=site, granted=False, source="电话", actor=None)
    with pytest.raises(ApplicationError):
        queue(site, stale, purpose="marketing")  # withdrawn since this instance was read


def test_a_used_dedupe_key_returns_the_same_message_and_sends_once(site, other_site, customer, committed,
                                                                   recording_backend):
    first = committed(lambda: queue(site, customer, dedupe_key="appointment-reminder:7"))
    again = committed(lambda: queue(site, customer, dedupe_key="appointment-reminder:7"))
    assert again.pk == first.pk and OutboundMessage.objects.count() == 1
    assert len(recording_backend.sent) == 1
    elsewhere = CustomerFactory(site=other_site)
    assert queue(other_site, elsewhere, dedupe_key="appointment-reminder:7").pk != first.pk


def test_the_cause_is_remembered_as_type_and_id(site, customer):
    message = queue(site, customer, cause=customer)
    assert (message.cause_type, message.cause_id) == ("customers.customer", str(customer.pk))


# ---------------------------------------------------------------- after commit

def test_nothing_is_sent_before_commit(site, customer, django_capture_on_commit_callbacks, recording_backend):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue(site, customer)
    assert len(callbacks) == 1 and recording_backend.sent == []
    callbacks[0]()
    message.refresh_from_db()
    assert message.status == Status.SENT and message.sent_at and message.attempts == 1


def test_nothing_is_written_or_sent_when_the_cause_rolls_back(site, customer, django_capture_on_commit_callbacks,
                                                              recording_backend):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            queue(site, customer)
            raise RuntimeError("the appointment could not be saved")
    assert callbacks == [] and recording_backend.sent == []
    assert not OutboundMessage.objects.exists()


def test_a_sent_message_is_one_line_in_the_contact_log(site, customer, advisor, committed):
    message = committed(lambda: queue(site, customer, actor=advisor))
    line = ContactLog.objects.get(customer=customer)
    assert (line.channel, line.reason, line.by, line.site) == ("sms", message.subject, advisor, site)
    assert "沪A12345" in line.outcome
    assert not ContactLog.objects.exclude(pk=line.pk).exists()


def test_a_queued_message_is_not_yet_in_the_contact_log(site, customer):
    queue(site, customer)
    assert not ContactLog.objects.exists()


# ---------------------------------------------------------------- sending, retries, back-off

def test_a_sent_message_is_not_sent_again(site, customer, committed, recording_backend):
    message = committed(lambda: queue(site, customer))
    message_send(message.pk)
    message_send(message.pk)
    assert len(recording_backend.sent) == 1
    assert OutboundMessage.objects.get(pk=message.pk).attempts == 1


def test_a_failed_attempt_is_retried_with_doubling_back_off_then_fails_for_good(site, customer, settings,
                                                                                recording_backend):
    settings.MESSAGING_MAX_ATTEMPTS = 4
    recording_backend.reset(failures=99)
    message = queue(site, customer)
    countdowns = []
    with mock.patch.object(message_send, "apply_async",
                           side_effect=lambda args, countdown=None: countdowns.append(countdown)):
        for attempt in range(1, 5):
            before = timezone.now()
            message_send(message.pk)
            message.refresh_from_db()
            assert message.attempts == attempt and message.last_error == "gateway busy"
            if attempt < 4:
                assert message.status == Status.QUEUED
                assert message.next_attempt_at >= before + timedelta(seconds=retry_delay(attempt))
    assert countdowns == [30, 60, 120]  # nothing scheduled after the last attempt
    assert message.status == Status.FAILED and message.sent_at is None
    assert not ContactLog.objects.exists()


def test_retries_run_until_sent(site, customer, committed, recording_backend):
    recording_backend.reset(failures=2)
    message = committed(lambda: queue(site, customer))
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 3, "")


def test_back_off_is_capped(settings):
    assert [retry_delay(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay(30) == settings.MESSAGING_RETRY_BACKOFF_MAX_SECONDS


def test_a_backend_bug_is_recorded_not_left_sending(site, customer, settings):
    settings.MESSAGING_BACKEND = "customers.messaging.backends.EmailBackend"  # cannot send SMS
    settings.MESSAGING_MAX_ATTEMPTS = 1
    message = queue(site, customer)
    message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Status.FAILED and "cannot send sms" in message.last_error


def test_the_send_task_takes_its_time_limits_from_settings():
    assert message_send.soft_time_limit == django_settings.MESSAGING_SEND_SOFT_TIME_LIMIT
    assert message_send.time_limit == django_settings.MESSAGING_SEND_TIME_LIMIT
    assert message_send.acks_late and message_send.reject_on_worker_lost


# ---------------------------------------------------------------- the sweep

def test_the_sweep_is_scheduled_every_five_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["message-sweep"]
    assert entry == {"task": "customers.messaging.tasks.message_sweep", "schedule": 300}


def test_the_sweep_sends_what_the_broker_missed_at_commit(site, customer, committed, recording_backend):
    with mock.patch.object(message_send, "apply_async", side_effect=OperationalError("broker down")):
        message = committed(lambda: queue(site, customer))  # the caller does not fail
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.QUEUED
    assert message_sweep() == 0  # not a minute old yet: its own task may still be on the way
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert message_sweep() == 1
        assert message_sweep() == 0
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.SENT
    assert len(recording_backend.sent) == 1


def test_the_sweep_gives_back_a_message_a_dead_worker_left_sending(site, customer, recording_backend):
    message = queue(site, customer)
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=10))
    assert message_sweep() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)


def test_the_sweep_leaves_a_message_sending_within_its_time_limit(site, customer):
    message = queue(site, customer)
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    assert message_sweep() == 0
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.SENDING


def test_the_sweep_does_not_touch_a_retry_still_backing_off(site, customer, recording_backend):
    recording_backend.reset(failures=1)
    message = queue(site, customer)
    with mock.patch.object(message_send, "apply_async"):  # the retry's countdown is pending at the broker
        message_send(message.pk)
    with time_machine.travel(timezone.now() + timedelta(seconds=retry_delay(1) + 30)):
        assert message_sweep() == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=retry_delay(1) + 90)):
        assert message_sweep() == 1  # the retry was lost
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.SENT


# ---------------------------------------------------------------- resend

def test_resend_queues_a_failed_message_again_and_copies_a_sent_one(site, customer, manager, committed, settings,
                                                                    recording_backend):
    settings.MESSAGING_MAX_ATTEMPTS = 1
    recording_backend.reset(failures=1)
    message = committed(lambda: queue(site, customer))
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.FAILED
    again = committed(lambda: message_resend(message_id=message.pk, actor=manager))
    again.refresh_from_db()
    assert again.pk == message.pk and (again.status, again.attempts) == (Status.SENT, 1)
    copy = committed(lambda: message_resend(message_id=message.pk, actor=manager))
    assert copy.pk != message.pk and copy.text == message.text and copy.created_by == manager
    assert OutboundMessage.objects.get(pk=copy.pk).status == Status.SENT
    assert ContactLog.objects.filter(customer=customer).count() == 2


def test_resend_of_marketing_after_consent_was_withdrawn_is_refused(site, customer, manager):
    customer.marketing_consent = True
    customer.save()
    message = queue(site, customer, purpose="marketing")
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.FAILED)
    customer.marketing_consent = False
    customer.save()
    with pytest.raises(ApplicationError) as error:
        message_resend(message_id=message.pk, actor=manager)
    assert error.value.code == "no_consent"


def test_resend_leaves_a_message_on_its_way_alone(site, customer, manager):
    message = queue(site, customer)
    assert message_resend(message_id=message.pk, actor=manager) is None


# ---------------------------------------------------------------- admin

@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def test_admin_lists_filters_and_searches_the_outbox_read_only(admin_client, site, customer):
    message = queue(site, customer)
    response = admin_client.get("/admin/customers/outboundmessage/", {"status__exact": "queued", "q": "1380013"})
    assert response.status_code == 200 and message.recipient in response.content.decode()
    assert admin_client.get("/admin/customers/outboundmessage/add/").status_code == 403
    detail = admin_client.get(f"/admin/customers/outboundmessage/{message.pk}/change/")
    assert detail.status_code == 200 and b'name="text"' not in detail.content


def test_admin_resend_action(admin_client, site, customer, settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_MAX_ATTEMPTS = 1
    message = queue(site, customer)
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=1, last_error="x")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/customers/outboundmessage/",
                                     {"action": "resend", "_selected_action": [message.pk]}, follow=True)
    assert response.status_code == 200
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.SENT
