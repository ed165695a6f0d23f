"""The reminders' messages go to the outbox in batches: a constant number of queries per batch of 500, one
after-commit hand-over per batch, consent read by the outbox (no consent: skipped)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.messaging.tasks import message_send
from customers.models import OutboundMessage, Vehicle
from followups.models import Reminder
from followups.services.reminders import _messages_batch
from followups.services.scans import BATCH
from tests.factories import CustomerFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def pending_reminders(site, count):
    """`count` reminders waiting for their message; every other customer without marketing consent."""
    owners = [CustomerFactory(site=site, marketing_consent=n % 2 == 0) for n in range(10)]
    vehicles = Vehicle.objects.bulk_create(VehicleFactory.build(site=site, owner=owners[n % 10]) for n in range(count))
    due = timezone.localdate() + timedelta(days=7)
    return Reminder.objects.bulk_create(
        Reminder(site=site, kind=Reminder.Kind.MAINTENANCE, vehicle=vehicle, customer_id=vehicle.owner_id,
                 cycle=due.isoformat(), due_on=due, due_by="date") for vehicle in vehicles)


def test_a_batch_of_500_reminders_costs_a_constant_number_of_queries(site, django_capture_on_commit_callbacks):
    assert BATCH == 500
    pending_reminders(site, BATCH)
    with django_capture_on_commit_callbacks() as after_commit, CaptureQueriesContext(connection) as queries:
        assert _messages_batch(site) == (BATCH, BATCH)
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    # SELECT: the pending reminders with customer and vehicle (FOR UPDATE), the dedupe keys already used, the
    # customers' consent, the new messages' ids read back by key; then their INSERT and the reminders' UPDATE.
    assert statements.count("SELECT") == 4
    if connection.vendor == "postgresql":  # one statement each (SQLite splits them at 999 variables)
        assert (statements.count("INSERT"), statements.count("UPDATE")) == (1, 1)
    assert len(after_commit) == 1  # one hand-over to the broker for the batch
    assert OutboundMessage.objects.count() == BATCH // 2
    assert Reminder.objects.filter(status=Reminder.Status.SKIPPED, message_ref=None).count() == BATCH // 2
    sent = Reminder.objects.filter(status=Reminder.Status.SENT).values_list("pk", "message_ref")
    keys = dict(OutboundMessage.objects.values_list("pk", "dedupe_key"))
    assert all(keys[ref] == f"reminder:{pk}" for pk, ref in sent)
    with mock.patch.object(message_send, "apply_async") as send:
        after_commit[0]()
    assert sorted(call.args[0][0] for call in send.call_args_list) == sorted(keys)


def test_the_second_batch_finds_nothing_and_a_used_key_is_not_queued_again(site, django_capture_on_commit_callbacks):
    reminder, *_ = pending_reminders(site, 2)
    with django_capture_on_commit_callbacks(execute=True):
        _messages_batch(site)
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SENT, message_ref=None)  # a lost update
    with django_capture_on_commit_callbacks() as after_commit:
        assert _messages_batch(site) == (1, 1)
    assert after_commit == []  # the message of its key exists: nothing new to send
    reminder.refresh_from_db()
    assert reminder.message_ref == OutboundMessage.objects.get(dedupe_key=f"reminder:{reminder.pk}").pk
    assert OutboundMessage.objects.count() == 1
