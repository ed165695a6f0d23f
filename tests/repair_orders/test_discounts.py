"""Discounts within the role's limit, requests above it approved by a manager, and no price or discount
change on a line the customer has signed."""

from decimal import Decimal

import pytest

from parts.services import stock_receive
from repair_orders.models import DiscountRequest, LineDiscount, RepairOrderEvent
from repair_orders.services import (
    discount_approve,
    discount_limit,
    discount_reject,
    job_add_free_text,
    job_line_set_discount,
    job_line_set_price,
    part_line_add,
)
from repair_orders.totals import repair_order_totals
from servicedesk.accounts.roles import CASHIER
from servicedesk.core.errors import ApplicationError
from servicedesk.core.models import Notification
from tests.factories import make_staff

from .conftest import make_part
from .helpers import open_ro
from .test_additional import approved_ro, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(site, advisor):
    """A proposed line: labour 200.00 and a part at 100.00 (300.00 in all)."""
    repair_order = open_ro(site, advisor)
    job = job_add_free_text(repair_order=repair_order, description="更换雨刮", labour_price="200.00", actor=advisor)
    part = make_part(site, "WB-01", name="雨刮片", sale_price="100.00")
    part_line_add(job_line=job, part=part, quantity=1, actor=advisor)
    return job


def kinds(job):
    return list(RepairOrderEvent.objects.filter(repair_order=job.repair_order_id).values_list("kind", flat=True))


def test_limits_per_role(site, advisor, manager):
    assert discount_limit(advisor) == Decimal("10")
    assert discount_limit(manager) is None
    assert discount_limit(make_staff(role=CASHIER, sites=[site])) == Decimal("0")


def test_a_discount_within_the_limit_is_spread_over_labour_and_parts(line, advisor):
    outcome = job_line_set_discount(job_line=line, percent="10", actor=advisor)
    assert outcome.applied and outcome.request is None
    line.refresh_from_db()
    assert line.discount == Decimal("20.00") and line.part_lines.get().discount == Decimal("10.00")
    totals = repair_order_totals(line.repair_order)
    assert totals.discount == Decimal("30.00")
    manual = LineDiscount.objects.get(job_line=line)
    assert (manual.amount, manual.percent, manual.set_by) == (Decimal("30.00"), Decimal("10.00"), advisor)
    assert "discount_set" in kinds(line)


def test_a_new_discount_replaces_the_old_one_and_zero_removes_it(line, advisor):
    job_line_set_discount(job_line=line, amount="30", actor=advisor)
    job_line_set_discount(job_line=line, amount="15", actor=advisor)
    line.refresh_from_db()
    assert line.discount + line.part_lines.get().discount == Decimal("15.00")
    job_line_set_discount(job_line=line, amount="0", actor=advisor)
    line.refresh_from_db()
    assert line.discount == 0 and line.part_lines.get().discount == 0


def test_a_package_saving_stays_under_a_hand_given_discount(site, advisor, oil_service):
    from repair_orders.services import job_add_from_package

    repair_order = open_ro(site, advisor)
    oil_service.fixed_price = Decimal("500.00")
    oil_service.save()
    job = job_add_from_package(repair_order=repair_order, package=oil_service, actor=advisor)
    before = repair_order_totals(repair_order).gross
    job_line_set_discount(job_line=job, percent="10", actor=advisor)
    repair_order.refresh_from_db()
    assert repair_order_totals(repair_order).gross == before - (before * Decimal("0.1")).quantize(Decimal("0.01"))
    job_line_set_discount(job_line=job, amount="0", actor=advisor)
    repair_order.refresh_from_db()
    assert repair_order_totals(repair_order).gross == before


def test_above_the_limit_a_request_waits_for_a_manager(line, advisor, manager):
    outcome = job_line_set_discount(job_line=line, percent="25", actor=advisor, reason="老客户")
    assert not outcome.applied
    request = outcome.request
    assert (request.status, request.amount, request.percent) == ("pending", Decimal("75.00"), Decimal("25.00"))
    line.refresh_from_db()
    assert line.discount == 0  # nothing given yet
    assert Notification.objects.filter(recipient=manager).exists()
    discount_approve(request=request, actor=manager)
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == manager
    assert repair_order_totals(line.repair_order).discount == Decimal("75.00")
    assert LineDiscount.objects.get(job_line=line).approved_by == manager
    assert {"discount_requested", "discount_set", "discount_approved"} <= set(kinds(line))


def test_a_manager_gives_any_discount_at_once(line, manager):
    assert job_line_set_discount(job_line=line, percent="60", actor=manager).applied


def test_a_rejected_request_changes_no_price(line, advisor, manager):
    request = job_line_set_discount(job_line=line, percent="25", actor=advisor).request
    discount_reject(request=request, actor=manager, note="超出政策")
    request.refresh_from_db()
    assert request.status == "rejected" and repair_order_totals(line.repair_order).discount == 0
    with pytest.raises(ApplicationError) as error:
        discount_approve(request=request, actor=manager)
    assert error.value.code == "conflict"


def test_only_a_manager_approves(line, advisor):
    request = job_line_set_discount(job_line=line, percent="25", actor=advisor).request
    with pytest.raises(ApplicationError):
        discount_approve(request=request, actor=advisor)
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_second_request_withdraws_the_first(line, advisor):
    first = job_line_set_discount(job_line=line, percent="25", actor=advisor).request
    second = job_line_set_discount(job_line=line, percent="30", actor=advisor).request
    first.refresh_from_db()
    assert first.status == "withdrawn" and second.status == "pending"
    assert DiscountRequest.objects.filter(status="pending").count() == 1


@pytest.mark.parametrize("values", [{"percent": "101"}, {"amount": "301"}, {"amount": "-5"}, {},
                                    {"amount": "1", "percent": "1"}])
def test_bad_discounts_are_refused(line, advisor, values):
    with pytest.raises(ApplicationError):
        job_line_set_discount(job_line=line, actor=advisor, **values)
    assert not LineDiscount.objects.exists() and not DiscountRequest.objects.exists()


def test_price_and_discount_of_a_signed_line_are_fixed(site, advisor, manager):
    repair_order = approved_ro(site, advisor)
    signed = repair_order.jobs.get()
    for change in (lambda: job_line_set_discount(job_line=signed, percent="5", actor=advisor),
                   lambda: job_line_set_price(job_line=signed, labour_price="1", actor=manager)):
        with pytest.raises(ApplicationError) as error:
            change()
        assert error.value.code == "locked"
    signed.refresh_from_db()
    assert signed.discount == 0


def test_an_additional_line_is_discounted_before_the_customer_answers(site, advisor, technician):
    repair_order = approved_ro(site, advisor)
    stock_receive(part=make_part(site, "X-1"), quantity=1, actor=advisor)
    job = report(repair_order, technician)
    assert job_line_set_discount(job_line=job, percent="10", actor=advisor).applied
    job.refresh_from_db()
    assert job.discount == Decimal("30.00")


def test_the_price_of_an_unsigned_line_changes_with_an_event(line, advisor):
    job_line_set_price(job_line=line, labour_price="180", hours="1.5", actor=advisor)
    line.refresh_from_db()
    assert (line.labour_price, line.hours) == (Decimal("180.00"), Decimal("1.50"))
    assert "price_changed" in kinds(line)
