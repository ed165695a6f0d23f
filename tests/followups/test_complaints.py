"""Complaints (快速处理表): opened from a low score (the lowest question's department) or a stated complaint,
owned by the department's person, resolved with what was done → the recheck call (二次回访) with its dedupe
key and due time; the recheck closes the complaint when the customer is satisfied and reopens it otherwise.
"The fault is back" → a comeback report for the manager with a link that pre-fills the comeback RO."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import Callback, Comeback, Complaint, ComplaintEvent, FollowupSettings
from followups.services.callbacks import callback_complete
from followups.services.comebacks import comeback_walk_in_url
from followups.services.complaints import complaint_open, complaint_resolve
from servicedesk.accounts.roles import PARTS_CLERK
from servicedesk.core.errors import ApplicationError
from servicedesk.core.models import Notification
from tests.factories import make_staff

from .calls_helpers import scores

pytestmark = pytest.mark.django_db
Status = Complaint.Status


def complete(callback, actor, **kwargs):
    return callback_complete(callback=callback, actor=actor, **{"overall": 4, **kwargs})


def test_a_low_score_opens_a_complaint_for_the_lowest_questions_department(csi_call, care, site):
    clerk = make_staff(role=PARTS_CLERK, sites=[site], username="parts", display_name="杨配件")
    before = timezone.now()
    complete(csi_call, care, scores=scores(parts_price=2, cleanliness=3), verbatim="机油太贵了")
    complaint = Complaint.objects.get()
    assert (complaint.department, complaint.category, complaint.owner) == ("parts", "price", clerk)
    assert complaint.survey == csi_call.survey and complaint.repair_order == csi_call.repair_order
    assert "机油太贵了" in complaint.description and "您对配件价格满意吗？ 2/5" in complaint.description
    assert before + timedelta(hours=48) <= complaint.deadline <= timezone.now() + timedelta(hours=48)
    assert list(complaint.events.values_list("kind", "to_status")) == [("opened", "open")]
    note = Notification.objects.get(recipient=clerk)
    assert note.url == reverse("followups:complaint_detail", args=[complaint.pk])


def test_the_sites_threshold_decides_what_is_low(csi_call, care, site):
    FollowupSettings.objects.create(site=site, low_score_threshold=2)
    complete(csi_call, care, scores=scores(parts_price=3))
    assert not Complaint.objects.exists()


def test_a_stated_complaint_with_good_scores_goes_to_the_manager(csi_call, care, manager):
    complete(csi_call, care, scores=scores(), complaint_stated=True, verbatim="等太久")
    complaint = Complaint.objects.get()
    assert (complaint.department, complaint.owner, complaint.description) == ("overall", manager, "等太久")


@pytest.mark.parametrize("low, department, owner", [
    ("reception_speed", "reception", "advisor"), ("work_explained", "reception", "advisor"),
    ("repair_quality", "workshop", "foreman"), ("settlement_speed", "cashier", "cashier"),
    ("cleanliness", "wash", "manager"), ("parts_price", "parts", "manager"),  # no parts clerk: the manager
])
def test_the_owner_follows_the_department(csi_call, care, low, department, owner, request):
    people = {name: request.getfixturevalue(name) for name in ("advisor", "foreman", "cashier", "manager")}
    complete(csi_call, care, scores=scores(**{low: 1}))
    complaint = Complaint.objects.get()
    assert (complaint.department, complaint.owner) == (department, people[owner])


@pytest.fixture
def complaint(csi_call, care, advisor):
    complete(csi_call, care, scores=scores(work_explained=2), verbatim="没讲清楚换了什么")
    return Complaint.objects.get()


def test_resolving_schedules_the_recheck_call(complaint, advisor, site):
    FollowupSettings.objects.create(site=site, recheck_after_days=2)
    assert complaint.owner == advisor
    resolved = complaint_resolve(complaint=complaint, resolution="电话致歉并逐项解释", actor=advisor,
                                 version=complaint.version)
    assert (resolved.status, resolved.rechecks, resolved.resolution) == (Status.RESOLVED, 1, "电话致歉并逐项解释")
    recheck = Callback.objects.get(kind=Callback.Kind.COMPLAINT_RECHECK)
    assert recheck.dedupe_key == f"complaint:{complaint.pk}:recheck:1"
    assert recheck.due_at == resolved.resolved_at + timedelta(days=2)
    assert (recheck.complaint, recheck.assignee, recheck.customer, recheck.repair_order) == (
        complaint, None, complaint.customer, complaint.repair_order)
    assert list(complaint.events.values_list("kind", "to_status")) == [("opened", "open"), ("resolved", "resolved")]
    with pytest.raises(ApplicationError) as again:
        complaint_resolve(complaint=complaint, resolution="再次", actor=advisor)
    assert again.value.code == "illegal_transition"


def test_resolving_is_for_the_owner_with_a_current_version(complaint, foreman, advisor, manager):
    with pytest.raises(ApplicationError) as not_owner:
        complaint_resolve(complaint=complaint, resolution="x", actor=foreman)
    assert not_owner.value.code == "forbidden"
    with pytest.raises(ApplicationError) as blank:
        complaint_resolve(complaint=complaint, resolution="  ", actor=advisor)
    assert blank.value.field == "resolution"
    with pytest.raises(ApplicationError) as stale:
        complaint_resolve(complaint=complaint, resolution="x", actor=advisor, version=complaint.version - 1)
    assert stale.value.code == "stale_version" and stale.value.is_conflict and "care" in stale.value.message
    assert complaint_resolve(complaint=complaint, resolution="经理处理", actor=manager).status == Status.RESOLVED


def test_a_recheck_still_unhappy_reopens_and_a_happy_one_closes(complaint, advisor, care):
    complaint_resolve(complaint=complaint, resolution="致歉", actor=advisor)
    first = Callback.objects.get(kind=Callback.Kind.COMPLAINT_RECHECK)
    callback_complete(callback=first, actor=care, overall=2, verbatim="还是不满意")
    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED and complaint.escalated_at is None
    assert complaint.deadline > timezone.now() + timedelta(hours=47)
    assert Complaint.objects.count() == 1  # the recheck reopens; it opens nothing new
    assert ComplaintEvent.objects.filter(complaint=complaint).last().data["verbatim"] == "还是不满意"

    complaint_resolve(complaint=complaint, resolution="免费重新讲解并赠送保养", actor=advisor)
    second = Callback.objects.get(dedupe_key=f"complaint:{complaint.pk}:recheck:2")
    callback_complete(callback=second, actor=care, overall=5)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.closed_at is not None
    assert [kind for kind in complaint.events.values_list("kind", flat=True)] == [
        "opened", "resolved", "reopened", "resolved", "closed"]


def test_a_complaint_taken_by_hand(delivered, care, advisor):
    complaint = complaint_open(site=delivered.site, customer=delivered.customer, repair_order=delivered,
                               department="reception", description="顾问态度差", actor=care)
    assert complaint.owner == advisor and complaint.created_by == care
    with pytest.raises(ApplicationError):
        complaint_open(site=delivered.site, customer=delivered.customer, description=" ", actor=care)


def test_the_fault_is_back_opens_a_comeback_report(csi_call, care, manager, advisor_client):
    complete(csi_call, care, scores=scores(), fault_back=True, verbatim="异响又出现了")
    comeback = Comeback.objects.get()
    assert (comeback.repair_order, comeback.vehicle, comeback.description, comeback.status) == (
        csi_call.repair_order, csi_call.vehicle, "异响又出现了", Comeback.Status.OPEN)
    assert Notification.objects.filter(recipient=manager, url=reverse("followups:comeback_list")).exists()
    url = comeback_walk_in_url(comeback)
    assert url == (f"/repair-orders/walk-in/?vehicle={comeback.vehicle_id}&ro_type=comeback"
                   f"&comeback_of={comeback.repair_order_id}")
    page = advisor_client.get(url).content.decode()  # the walk-in form, pre-filled as this RO's comeback
    assert 'value="comeback" selected' in page and f'value="{comeback.repair_order_id}" selected' in page
    assert csi_call.repair_order.number in page


def test_no_fault_can_be_back_on_a_call_without_a_repair_order(csi_call, care):
    monthly = Callback.objects.create(site=csi_call.site, kind=Callback.Kind.MONTHLY_CONTACT, dedupe_key="monthly:x",
                                      customer=csi_call.customer, due_at=timezone.now())
    with pytest.raises(ApplicationError) as refused:
        callback_complete(callback=monthly, actor=care, fault_back=True)
    assert refused.value.field == "fault_back"
