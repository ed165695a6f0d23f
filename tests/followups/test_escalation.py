"""Callbacks overdue by the site's hours and complaints past their deadline go to the service managers once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import Callback, CallbackEvent, Complaint, FollowupSettings
from followups.services.scans import escalate_overdue
from servicedesk.core.models import Notification
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def a_callback(site, *, due_at, status=Callback.Status.OPEN, key="x"):
    return Callback.objects.create(site=site, kind=Callback.Kind.CSI_3DAY, dedupe_key=key, due_at=due_at,
                                   customer=CustomerFactory(site=site), status=status)


def a_complaint(site, owner, *, deadline, status=Complaint.Status.OPEN):
    return Complaint.objects.create(site=site, customer=CustomerFactory(site=site), department="workshop",
                                    owner=owner, deadline=deadline, description="异响", status=status,
                                    created_by=owner)


def test_overdue_callbacks_and_late_complaints_escalate_once(site, manager, advisor, other_site):
    FollowupSettings.objects.create(site=site, escalate_after_hours=24)
    now = timezone.now()
    overdue = a_callback(site, due_at=now - timedelta(hours=25), key="a")
    a_callback(site, due_at=now - timedelta(hours=23), key="b")  # not yet 24 h late
    a_callback(site, due_at=now - timedelta(hours=48), status=Callback.Status.DONE, key="c")
    late = a_complaint(site, advisor, deadline=now - timedelta(minutes=1))
    a_complaint(site, advisor, deadline=now - timedelta(hours=1), status=Complaint.Status.RESOLVED)
    a_complaint(site, advisor, deadline=now + timedelta(hours=3))

    assert escalate_overdue(as_of=now) == 2
    assert escalate_overdue(as_of=now) == 0
    assert escalate_overdue(as_of=now + timedelta(hours=1)) == 1  # "b" is now 24 h late

    overdue.refresh_from_db()
    late.refresh_from_db()
    assert overdue.escalated_at == now
    assert late.escalated_at == now
    assert CallbackEvent.objects.filter(callback=overdue, kind="escalated").count() == 1
    notes = Notification.objects.filter(recipient=manager).order_by("pk")
    assert notes.count() == 2  # one per batch, not one per item
    assert not Notification.objects.exclude(recipient=manager).exists()


def test_a_claimed_callback_still_escalates_but_other_sites_rules_apply_to_them(site, other_site, manager):
    FollowupSettings.objects.create(site=other_site, escalate_after_hours=72)
    now = timezone.now()
    mine = a_callback(site, due_at=now - timedelta(hours=30), status=Callback.Status.CLAIMED, key="a")
    theirs = a_callback(other_site, due_at=now - timedelta(hours=30), key="b")
    assert escalate_overdue(as_of=now) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.escalated_at == now and theirs.escalated_at is None
