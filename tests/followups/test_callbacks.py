"""Working a callback: one agent at a time (a second agent is told who claimed it and when), attempts until
the site's limit makes it unreachable, "call back later" with a time, completion with the survey; every change
a CallbackEvent, every contact a line in the customer's contact log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import ContactLog
from followups.models import CallAttempt, Callback, CallbackEvent, FollowupSettings, Survey, SurveyAnswer
from followups.services.callbacks import (
    callback_attempt,
    callback_claim,
    callback_complete,
    callback_release,
)
from servicedesk.accounts.roles import CUSTOMER_CARE
from servicedesk.core.errors import ApplicationError
from tests.factories import make_staff

from .calls_helpers import make_callback, scores

pytestmark = pytest.mark.django_db
Status = Callback.Status


@pytest.fixture
def second_agent(site):
    return make_staff(role=CUSTOMER_CARE, sites=[site], username="care2", display_name="吴客服")


def events(callback) -> list[tuple[str, str, str]]:
    return list(CallbackEvent.objects.filter(callback=callback).values_list("kind", "from_status", "to_status"))


def test_a_claim_locks_the_call_for_one_agent(csi_call, care, second_agent):
    claimed = callback_claim(callback=csi_call, actor=care)
    assert (claimed.status, claimed.claimed_by, claimed.version) == (Status.CLAIMED, care, 2)
    callback_claim(callback=csi_call, actor=care)  # again: harmless, no second event
    with pytest.raises(ApplicationError) as refused:
        callback_claim(callback=csi_call, actor=second_agent)
    local = timezone.localtime(claimed.claimed_at).strftime("%Y-%m-%d %H:%M")
    assert refused.value.code == "locked" and refused.value.is_conflict
    assert "care" in str(refused.value.message) and local in str(refused.value.message)
    with pytest.raises(ApplicationError):  # nor may the other agent record anything on it
        callback_attempt(callback=csi_call, actor=second_agent, outcome="no_answer")
    assert events(csi_call) == [("claimed", "open", "claimed")]
    released = callback_release(callback=csi_call, actor=care)
    assert (released.status, released.claimed_by) == (Status.OPEN, None)
    assert callback_claim(callback=csi_call, actor=second_agent).claimed_by == second_agent
    assert [kind for kind, _f, _t in events(csi_call)] == ["claimed", "released", "claimed"]


def test_failed_attempts_reach_the_limit_and_the_call_is_unreachable(csi_call, care, second_agent, site):
    FollowupSettings.objects.create(site=site, attempt_limit=3)
    first = callback_attempt(callback=csi_call, actor=care, outcome="no_answer", note="响铃无人接")
    assert (first.status, first.attempts, first.claimed_by) == (Status.OPEN, 1, None)  # back to the queue
    second = callback_attempt(callback=csi_call, actor=second_agent, outcome="busy")
    assert (second.status, second.attempts) == (Status.OPEN, 2)
    third = callback_attempt(callback=csi_call, actor=care, outcome="no_answer")
    assert (third.status, third.attempts, third.completed_by) == (Status.UNREACHABLE, 3, care)
    assert list(CallAttempt.objects.filter(callback=csi_call).values_list("outcome", flat=True)) == [
        "no_answer", "busy", "no_answer"]
    assert [(kind, to) for kind, _f, to in events(csi_call)] == [
        ("attempt", "open"), ("attempt", "open"), ("attempt", "unreachable")]
    contacts = ContactLog.objects.filter(customer=csi_call.customer).order_by("at", "pk")
    assert contacts.count() == 3 and contacts[0].channel == "phone" and "响铃无人接" in contacts[0].outcome
    assert contacts[0].vehicle_id == csi_call.vehicle_id and contacts[0].by == care
    with pytest.raises(ApplicationError) as closed:
        callback_claim(callback=csi_call, actor=care)
    assert closed.value.code == "illegal_transition"


def test_call_back_later_needs_a_future_time_and_does_not_count(csi_call, care):
    with pytest.raises(ApplicationError) as missing:
        callback_attempt(callback=csi_call, actor=care, outcome="call_back_later")
    assert missing.value.field == "call_back_at"
    later = timezone.now() + timedelta(hours=2)
    callback = callback_attempt(callback=csi_call, actor=care, outcome="call_back_later", call_back_at=later)
    assert (callback.status, callback.attempts, callback.call_back_at) == (Status.OPEN, 0, later)


def test_a_wrong_number_makes_the_call_unreachable_at_once(csi_call, care):
    assert callback_attempt(callback=csi_call, actor=care, outcome="wrong_number").status == Status.UNREACHABLE


def test_completing_records_the_survey_and_the_contact(csi_call, care, questions):
    callback_claim(callback=csi_call, actor=care)
    done = callback_complete(callback=csi_call, actor=care, scores=scores(overall=5, cleanliness=4), recommend=9,
                             verbatim="服务很好", version=2)
    assert (done.status, done.completed_by) == (Status.DONE, care) and done.completed_at is not None
    survey = Survey.objects.get(callback=csi_call)
    assert (survey.overall, survey.recommend, survey.verbatim, survey.repair_order) == (5, 9, "服务很好",
                                                                                          csi_call.repair_order)
    assert SurveyAnswer.objects.filter(survey=survey).count() == 11  # every 1–5 question; recommend is not one
    assert SurveyAnswer.objects.get(survey=survey, question__code="cleanliness").department == "wash"
    assert events(csi_call)[-1] == ("completed", "claimed", "done")
    assert CallAttempt.objects.filter(callback=csi_call).last().outcome == "reached"
    assert "服务很好" in ContactLog.objects.get(customer=csi_call.customer).outcome
    assert not csi_call.repair_order.complaints.exists()  # all high: nothing opened


def test_an_open_call_is_claimed_by_completing_it(csi_call, care, questions):
    assert callback_complete(callback=csi_call, actor=care, overall=4).claimed_by == care


def test_completion_checks_its_input(csi_call, care, questions):
    with pytest.raises(ApplicationError) as no_overall:
        callback_complete(callback=csi_call, actor=care, scores={})
    assert no_overall.value.field == "overall"  # the 3-day call is a survey
    with pytest.raises(ApplicationError) as bad_score:
        callback_complete(callback=csi_call, actor=care, scores={questions[0].pk: 7}, overall=4)
    assert bad_score.value.field == "answers"
    with pytest.raises(ApplicationError) as bad_recommend:
        callback_complete(callback=csi_call, actor=care, overall=4, recommend=11)
    assert bad_recommend.value.field == "recommend"
    with pytest.raises(ApplicationError) as stale:
        callback_complete(callback=csi_call, actor=care, overall=4, version=7)
    assert stale.value.code == "stale_version"
    assert not Survey.objects.exists() and csi_call.events.count() == 0


def test_an_advisor_works_only_their_own_calls(delivered, advisor, questions):
    queue_call = make_callback(delivered)
    own = make_callback(delivered, kind=Callback.Kind.ADVISOR_72H, assignee=advisor)
    with pytest.raises(ApplicationError):
        callback_claim(callback=queue_call, actor=advisor)
    done = callback_complete(callback=own, actor=advisor, overall=5)  # no overall required, but given
    assert done.status == Status.DONE
