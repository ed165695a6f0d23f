"""Additional work found during repair (追加项目): reported with photos, the advisor told, the customer's
answer recorded, the promised time moved, the approval link sent; recommendations offered again."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import OutboundMessage
from parts.models import Reservation, Shortage
from parts.services import stock_receive
from repair_orders.models import CustomerAnswer, JobLine, RepairOrderEvent
from repair_orders.selectors_additional import recommendations_for_check_in, vehicle_open_recommendations
from repair_orders.services import (
    additional_work_record_answer,
    additional_work_report,
    approval_link_send,
    recommendation_add_to_repair_order,
    repair_order_approve,
    repair_order_cancel,
    repair_order_move_promised_time,
    repair_order_submit_estimate,
)
from repair_orders.workflow import JobState, ROState, check_job_transition
from servicedesk.core.errors import ApplicationError
from servicedesk.core.models import Notification

from .conftest import make_operation, make_part
from .helpers import estimated_ro, open_ro, signature_png
from .test_photos import jpeg_bytes

pytestmark = pytest.mark.django_db


def approved_ro(site, advisor):
    """An RO whose work order the customer signed (one approved job): extra work may now be found."""
    repair_order = estimated_ro(site, advisor)
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    return repair_order_approve(repair_order=repair_order, approved_line_ids=[repair_order.jobs.get().pk],
                                signer_name="张三", signature_image=signature_png(), version=None, actor=advisor)


def report(repair_order, technician, **extra):
    extra.setdefault("labour_price", Decimal("300.00"))
    return additional_work_report(repair_order=repair_order, description="前刹车片磨损至2mm", actor=technician,
                                  **extra)


def kinds(repair_order):
    return list(RepairOrderEvent.objects.filter(repair_order=repair_order).values_list("kind", flat=True))


def test_a_finding_becomes_a_proposed_additional_line_with_photos_and_tells_the_advisor(site, advisor, technician):
    repair_order = approved_ro(site, advisor)
    part = make_part(site, "BRK-01", name="前刹车片", sale_price="420.00")
    job = report(repair_order, technician, photos=[jpeg_bytes()], parts=[{"part": part, "quantity": 1}])
    assert job.state == JobState.PROPOSED and job.additional and job.labour_price == Decimal("300.00")
    assert job.photos.count() == 1 and job.part_lines.get().part == part
    event = RepairOrderEvent.objects.filter(repair_order=repair_order, kind="additional_reported").get()
    assert event.actor == technician and event.data["finding"] == "前刹车片磨损至2mm"
    note = Notification.objects.get(recipient=advisor)
    assert repair_order.number in note.text and "前刹车片" in note.text


def test_a_finding_priced_from_the_labour_time_book(site, advisor, technician):
    repair_order = approved_ro(site, advisor)
    operation = make_operation("ZD001", name="更换前刹车片", hours="1.0")
    job = report(repair_order, technician, operation=operation, labour_price=None)
    assert job.operation == operation and job.hours == Decimal("1.0") and job.additional


def test_extra_work_is_reported_only_after_the_signature(site, advisor, technician):
    repair_order = open_ro(site, advisor)
    with pytest.raises(ApplicationError) as error:
        report(repair_order, technician)
    assert error.value.code == "locked"
    assert not JobLine.objects.filter(repair_order=repair_order).exists()


def test_a_bad_photo_refuses_the_whole_report(site, advisor, technician):
    repair_order = approved_ro(site, advisor)
    with pytest.raises(ApplicationError):
        report(repair_order, technician, photos=[b"not an image"])
    assert repair_order.jobs.count() == 1


def test_a_proposed_additional_line_is_not_dispatched_before_the_answer():
    with pytest.raises(ApplicationError) as error:
        check_job_transition(JobState.PROPOSED, JobState.ASSIGNED)
    assert error.value.code == "illegal_transition"


def test_approved_answer_records_who_when_channel_amount_and_reserves_parts(site, advisor, technician):
    repair_order = approved_ro(site, advisor)
    part = make_part(site, "BRK-01", sale_price="420.00")
    stock_receive(part=part, quantity=1, actor=advisor)
    job = report(repair_order, technician, parts=[{"part": part, "quantity": 2}])
    job = additional_work_record_answer(job_line=job, approved=True, customer_name="张三", channel="phone",
                                        amount="1140.00", actor=advisor)
    assert job.state == JobState.APPROVED and job.approved_at is not None
    answer = CustomerAnswer.objects.get(job_line=job)
    assert (answer.customer_name, answer.channel, answer.amount, answer.recorded_by) == (
        "张三", "phone", Decimal("1140.00"), advisor)
    line = job.part_lines.get()
    assert line.reservation.status == Reservation.Status.HELD and line.reservation.quantity == 1
    assert line.shortage.status == Shortage.Status.OPEN and line.shortage.quantity == 1
    event = RepairOrderEvent.objects.get(repair_order=repair_order, kind="additional_answered")
    assert event.data["approved"] is True and event.data["channel"] == "phone"
    check_job_transition(job.state, JobState.ASSIGNED)  # now it may be dispatched


def test_declined_answer_puts_the_line_on_the_recommendations(site, advisor, technician):
    repair_order = approved_ro(site, advisor)
    job = report(repair_order, technician)
    additional_work_record_answer(job_line=job, approved=False, customer_name="张三", channel="wechat",
                                  amount="300.00", actor=advisor)
    job.refresh_from_db()
    assert job.state == JobState.DECLINED and job.declined_at is not None
    assert list(vehicle_open_recommendations(vehicle=repair_order.vehicle)) == [job]


@pytest.mark.parametrize("data, field", [
    ({"customer_name": ""}, "customer_name"),
    ({"channel": "telepathy"}, "channel"),
    ({"amount": "-1"}, "amount"),
])
def test_an_answer_needs_who_how_and_an_amount(site, advisor, technician, data, field):
    job = report(approved_ro(site, advisor), technician)
    values = {"customer_name": "张三", "channel": "phone", "amount": "300", **data}
    with pytest.raises(ApplicationError) as error:
        additional_work_record_answer(job_line=job, approved=True, actor=advisor, **values)
    assert error.value.field == field
    job.refresh_from_db()
    assert job.state == JobState.PROPOSED and not CustomerAnswer.objects.exists()


def test_a_line_is_answered_once(site, advisor, technician):
    job = report(approved_ro(site, advisor), technician)
    additional_work_record_answer(job_line=job, approved=False, customer_name="张三", channel="phone",
                                  amount="300", actor=advisor)
    with pytest.raises(ApplicationError) as error:
        additional_work_record_answer(job_line=job, approved=True, customer_name="张三", channel="phone",
                                      amount="300", actor=advisor)
    assert error.value.code == "conflict"


def test_a_stale_version_changes_nothing(site, advisor, technician):
    repair_order = approved_ro(site, advisor)
    job = report(repair_order, technician)
    with pytest.raises(ApplicationError) as error:
        additional_work_record_answer(job_line=job, approved=True, customer_name="张三", channel="phone",
                                      amount="300", actor=advisor, version=1)
    assert error.value.code == "stale_version"
    assert not CustomerAnswer.objects.exists()


def test_the_promised_time_moves_with_the_customers_agreement(site, advisor):
    repair_order = approved_ro(site, advisor)
    later = timezone.now() + timedelta(hours=5)
    repair_order_move_promised_time(repair_order=repair_order, promised_at=later, agreed_by="张三",
                                    actor=advisor, version=repair_order.version)
    repair_order.refresh_from_db()
    assert repair_order.promised_at == later
    event = RepairOrderEvent.objects.get(repair_order=repair_order, kind="promised_time_moved")
    assert event.data["agreed_by"] == "张三" and event.data["after"] == later.isoformat()
    with pytest.raises(ApplicationError) as error:
        repair_order_move_promised_time(repair_order=repair_order, promised_at=later, agreed_by="",
                                        actor=advisor, version=repair_order.version)
    assert error.value.field == "agreed_by"


def test_the_approval_link_goes_through_the_outbox(site, advisor, technician):
    repair_order = approved_ro(site, advisor)
    first, second = report(repair_order, technician), report(repair_order, technician)
    message = approval_link_send(repair_order=repair_order, actor=advisor)
    assert message.template_key == "additional_work_approval" and message.customer == repair_order.customer
    assert repair_order.vehicle.plate in message.text and "/r/" in message.text
    event = RepairOrderEvent.objects.get(repair_order=repair_order, kind="approval_link_sent")
    assert event.data["lines"] == [first.pk, second.pk] and event.data["message"] == message.pk


def test_no_link_without_lines_waiting(site, advisor):
    repair_order = approved_ro(site, advisor)
    with pytest.raises(ApplicationError) as error:
        approval_link_send(repair_order=repair_order, actor=advisor)
    assert error.value.code == "nothing_to_send"
    assert not OutboundMessage.objects.exists()


# ---------------------------------------------------------------- recommendations at the next check-in

def _declined_on_a_past_visit(site, advisor, technician):
    past = approved_ro(site, advisor)
    job = report(past, technician)
    additional_work_record_answer(job_line=job, approved=False, customer_name="张三", channel="phone",
                                  amount="300", actor=advisor)
    return past, job


def test_recommendations_are_offered_at_the_next_check_in_and_copied_as_proposed(site, advisor, technician):
    past, declined = _declined_on_a_past_visit(site, advisor, technician)
    visit = open_ro(site, advisor, vehicle=past.vehicle)
    assert list(recommendations_for_check_in(repair_order=visit)) == [declined]
    copy = recommendation_add_to_repair_order(repair_order=visit, declined_line=declined, actor=advisor)
    assert copy.repair_order == visit and copy.state == JobState.PROPOSED and not copy.additional
    assert (copy.description, copy.labour_price) == (declined.description, declined.labour_price)
    assert "recommendation_offered" in kinds(visit)
    assert list(recommendations_for_check_in(repair_order=visit)) == []  # not offered twice
    with pytest.raises(ApplicationError):
        recommendation_add_to_repair_order(repair_order=visit, declined_line=declined, actor=advisor)


def test_a_recommendation_comes_back_when_its_offer_was_cancelled(site, advisor, technician):
    past, declined = _declined_on_a_past_visit(site, advisor, technician)
    visit = open_ro(site, advisor, vehicle=past.vehicle)
    recommendation_add_to_repair_order(repair_order=visit, declined_line=declined, actor=advisor)
    repair_order_cancel(repair_order=visit, reason="客户改期", actor=advisor)
    assert list(vehicle_open_recommendations(vehicle=past.vehicle)) == [declined]


def test_a_recommendation_done_since_is_no_longer_open(site, advisor, technician):
    past, declined = _declined_on_a_past_visit(site, advisor, technician)
    later = approved_ro(site, advisor)
    JobLine.objects.filter(repair_order=later).update(description=declined.description)
    later.vehicle = past.vehicle
    later.save(update_fields=["vehicle"])
    assert list(vehicle_open_recommendations(vehicle=past.vehicle)) == []


def test_other_vehicles_recommendations_are_refused(site, advisor, technician):
    _past, declined = _declined_on_a_past_visit(site, advisor, technician)
    stranger = open_ro(site, advisor)
    assert list(recommendations_for_check_in(repair_order=stranger)) == []
    with pytest.raises(ApplicationError):
        recommendation_add_to_repair_order(repair_order=stranger, declined_line=declined, actor=advisor)


def test_recommendations_query_count_is_constant(site, advisor, technician, django_assert_num_queries):
    past, _declined = _declined_on_a_past_visit(site, advisor, technician)
    for _ in range(3):
        job = report(past, technician)
        additional_work_record_answer(job_line=job, approved=False, customer_name="张三", channel="phone",
                                      amount="300", actor=advisor)
    vehicle = past.vehicle
    with django_assert_num_queries(1):  # declined lines of the vehicle with their RO
        assert len(list(vehicle_open_recommendations(vehicle=vehicle))) == 4
    assert past.state == ROState.APPROVED


def test_the_check_in_screen_offers_earlier_recommendations(site, advisor, technician, client):
    from django.urls import reverse

    past, declined = _declined_on_a_past_visit(site, advisor, technician)
    visit = open_ro(site, advisor, vehicle=past.vehicle)
    client.force_login(advisor)
    page = client.get(reverse("repair_orders:detail", args=[visit.pk])).content.decode()
    assert reverse("ro_additional:panel", args=[visit.pk]) in page  # the panel loads from check-in on
    panel = client.get(reverse("ro_additional:panel", args=[visit.pk])).content.decode()
    assert declined.description in panel
    client.post(reverse("ro_additional:recommendation", args=[visit.pk]),
                {"declined_line": declined.pk, "version": visit.version})
    assert visit.jobs.get().description == declined.description
