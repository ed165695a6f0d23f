"""Calls for the tests, made directly (the scans that create them in production are tested on their own)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import Callback, Question
from followups.survey_defaults import seed_questions
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from tests.repair_orders.helpers import open_ro


def delivered_ro(site, advisor, *, days_ago: int = 3, **extra) -> RepairOrder:
    repair_order = open_ro(site, advisor, **extra)
    RepairOrder.objects.filter(pk=repair_order.pk).update(
        state=ROState.DELIVERED, delivered_at=timezone.now() - timedelta(days=days_ago))
    repair_order.refresh_from_db()
    return repair_order


def make_callback(repair_order, *, kind=Callback.Kind.CSI_3DAY, due_in_hours: float = 1, assignee=None,
                  **extra) -> Callback:
    return Callback.objects.create(
        site=repair_order.site, kind=kind, dedupe_key=extra.pop("dedupe_key", f"ro:{repair_order.pk}:{kind}"),
        customer=repair_order.customer, vehicle=repair_order.vehicle, repair_order=repair_order,
        assignee=assignee, due_at=timezone.now() + timedelta(hours=due_in_hours), **extra)


def scores(**by_code) -> dict[int, int]:
    """Question pk → score for the default questions named by code; the others 5 (every score question)."""
    questions = Question.objects.filter(kind=Question.Kind.SCORE)
    return {question.pk: by_code.get(question.code, 5) for question in questions}


@pytest.fixture
def questions(db):
    seed_questions()
    return list(Question.objects.order_by("position"))


@pytest.fixture
def delivered(site, advisor):
    return delivered_ro(site, advisor)


@pytest.fixture
def csi_call(delivered, questions):
    return make_callback(delivered)


def other_site_object(kind: str, site):
    """A call, complaint or comeback report of `site` (for the permission harness: another site's → 404)."""
    from followups.models import Comeback, Complaint
    from servicedesk.accounts.roles import SERVICE_MANAGER
    from tests.factories import make_staff

    staff = make_staff(role=SERVICE_MANAGER, sites=[site])
    repair_order = delivered_ro(site, staff)
    if kind == "callback":
        return make_callback(repair_order)
    if kind == "complaint":
        return Complaint.objects.create(site=site, customer=repair_order.customer, repair_order=repair_order,
                                        department="overall", owner=staff, deadline=timezone.now(),
                                        description="x", created_by=staff)
    return Comeback.objects.create(site=site, repair_order=repair_order, vehicle=repair_order.vehicle,
                                   description="x", created_by=staff)
