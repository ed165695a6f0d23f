"""The estimate: job lines from the book, a package or free text, parts lines, submit, the signed approval
(per line, with reservations and shortages), cancelling with parts held, and the totals."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from hypothesis import given, settings
from hypothesis import strategies as st

from parts.models import Part, Reservation, Shortage
from parts.services import stock_issue, stock_receive
from repair_orders.models import JobLine, PartLine, RepairOrder, Signature
from repair_orders.services import (
    job_add_free_text,
    job_add_from_operation,
    job_add_from_package,
    part_line_add,
    repair_order_approve,
    repair_order_cancel,
    repair_order_record_walkaround,
    repair_order_submit_estimate,
)
from repair_orders.services.estimate import spread
from repair_orders.totals import line_amount, repair_order_totals, totals_of
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.models import Site
from servicedesk.core.errors import ApplicationError, StaleVersion
from servicedesk.core.money import money

from .conftest import make_operation, make_package, make_part
from .helpers import estimated_ro, repair_order_fixture, signature_png, submitted_with_part  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _submitted(site, advisor, codes=("BY001", "BY002")):
    repair_order = estimated_ro(site, advisor, operations=codes)
    return repair_order_submit_estimate(repair_order=repair_order, version=repair_order.version, actor=advisor)


def _approve(repair_order, advisor, approved, **extra):
    return repair_order_approve(repair_order=repair_order, approved_line_ids=approved, signer_name="张三",
                                signature_image=extra.pop("image", signature_png()), version=repair_order.version,
                                actor=advisor, **extra)


# ---------------------------------------------------------------- job lines

def test_a_line_from_the_book_costs_hours_times_the_sites_rate(repair_order, advisor):
    job = job_add_from_operation(repair_order=repair_order, operation=make_operation(hours="1.5"), actor=advisor,
                                 version=1)
    fixed = job_add_from_operation(repair_order=repair_order, actor=advisor, pay_type="warranty",
                                   operation=make_operation("BY099", fixed_price=Decimal("199.00")))
    assert (job.hours, job.labour_price, job.state, job.additional) == (Decimal("1.5"), Decimal("450.00"),
                                                                        "proposed", False)
    assert (fixed.labour_price, fixed.pay_type) == (Decimal("199.00"), "warranty")
    assert list(job.events.values_list("from_state", "to_state")) == [("", "proposed")]
    assert RepairOrder.objects.get().version == 3
    assert list(repair_order.events.filter(kind="job_added").values_list("data__job", flat=True)) == [job.pk, fixed.pk]


def test_an_operation_for_another_make_is_refused(repair_order, advisor):
    with pytest.raises(ApplicationError) as refused:
        job_add_from_operation(repair_order=repair_order, operation=make_operation(make="宝马"), actor=advisor)
    assert refused.value.field == "operation"
    assert job_add_from_operation(repair_order=repair_order, operation=make_operation("X1", make="大众"),
                                  actor=advisor).operation.make == "大众"


def test_free_text_lines_need_a_description_and_a_price(repair_order, advisor):
    with pytest.raises(ApplicationError) as refused:
        job_add_free_text(repair_order=repair_order, description=" ", labour_price="100", actor=advisor)
    assert refused.value.field == "description"
    with pytest.raises(ApplicationError) as refused:
        job_add_free_text(repair_order=repair_order, description="检查异响", labour_price="-1", actor=advisor)
    assert refused.value.field == "labour_price"
    job = job_add_free_text(repair_order=repair_order, description="检查异响", labour_price="88.888", actor=advisor,
                            diagnostic_fee="50")
    assert (job.labour_price, job.diagnostic_fee) == (Decimal("88.89"), Decimal("50.00"))


def test_a_package_fills_labour_and_parts_in_one_step(site, repair_order, advisor, oil_service):
    job = job_add_from_package(repair_order=repair_order, package=oil_service, actor=advisor)
    assert (job.description, job.hours, job.labour_price, job.discount) == (
        "5000公里保养", Decimal("0.80"), Decimal("240.00"), Decimal("0.00"))
    assert [(line.part.number, line.quantity, line.unit_price, line.source) for line in job.part_lines.all()] == [
        ("OIL-5W30", Decimal("4.50"), Decimal("88.00"), "oem"), ("F-OIL", Decimal("1.00"), Decimal("48.00"), "oem")]
    assert repair_order_totals(repair_order).gross == Decimal("684.00")


def test_a_fixed_package_price_is_honoured_to_the_cent(site, repair_order, advisor, oil_service):
    oil_service.fixed_price = Decimal("599.99")
    oil_service.save()
    job = job_add_from_package(repair_order=repair_order, package=oil_service, actor=advisor)
    totals = repair_order_totals(repair_order)
    assert totals.gross == Decimal("599.99") and totals.discount == Decimal("84.01")
    assert totals.labour + totals.parts - totals.discount == totals.gross
    assert job.discount + sum(line.discount for line in job.part_lines.all()) == Decimal("84.01")


def test_a_package_of_another_site_is_refused(repair_order, advisor, other_site):
    with pytest.raises(ApplicationError):
        job_add_from_package(repair_order=repair_order, package=make_package(other_site), actor=advisor)


def test_parts_lines(site, other_site, repair_order, advisor):
    job = job_add_free_text(repair_order=repair_order, description="更换刹车片", labour_price="200", actor=advisor)
    pads = make_part(site, "BP-1", name="刹车片", sale_price="350.00", kind=Part.Kind.AFTERMARKET)
    line = part_line_add(job_line=job, part=pads, quantity="1", actor=advisor)
    assert (line.unit_price, line.source, line.taxable) == (Decimal("350.00"), "aftermarket", True)
    with pytest.raises(ApplicationError) as refused:
        part_line_add(job_line=job, part=pads, quantity="1.5", actor=advisor)  # a piece is whole
    assert refused.value.code == "invalid_quantity"
    with pytest.raises(ApplicationError):
        part_line_add(job_line=job, part=make_part(other_site, "BP-1"), quantity="1", actor=advisor)
    own = part_line_add(job_line=job, quantity="1", description="客户自带机油", actor=advisor)
    assert (own.part, own.unit_price, own.source) == (None, Decimal("0.00"), "customer_supplied")
    with pytest.raises(ApplicationError) as refused:
        part_line_add(job_line=job, quantity="1", actor=advisor)
    assert refused.value.field == "part"


# ---------------------------------------------------------------- submit and approve

def test_submit_needs_a_job_and_the_mileage(site, advisor, repair_order):
    with pytest.raises(ApplicationError) as refused:
        repair_order_submit_estimate(repair_order=repair_order, version=1, actor=advisor)
    assert refused.value.code == "empty_estimate"
    job_add_free_text(repair_order=repair_order, description="检查", labour_price="100", actor=advisor)
    with pytest.raises(ApplicationError) as refused:
        repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    assert refused.value.field == "mileage"
    submitted = _submitted(site, advisor)
    assert submitted.state == ROState.AWAITING_APPROVAL
    event = submitted.events.get(kind="estimate_submitted")
    assert (event.from_state, event.to_state, event.data["gross"]) == ("checked_in", "awaiting_approval", "300.00")


def test_approval_per_line_reserves_parts_and_declines_the_rest(site, advisor):
    repair_order = estimated_ro(site, advisor, operations=("BY001", "BY002"))
    kept, declined = repair_order.jobs.all()
    filter_, pads = make_part(site, "F-OIL"), make_part(site, "BP-1", sale_price="350.00")
    stock_receive(part=filter_, quantity=5, actor=advisor)
    stock_receive(part=pads, quantity=1, actor=advisor)
    part_line_add(job_line=kept, part=filter_, quantity=2, actor=advisor)
    part_line_add(job_line=kept, part=pads, quantity=3, actor=advisor)  # only 1 in stock
    part_line_add(job_line=declined, part=filter_, quantity=1, actor=advisor)
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)

    approved = _approve(repair_order, advisor, [kept.pk])

    assert approved.state == ROState.APPROVED
    kept.refresh_from_db(), declined.refresh_from_db()
    assert (kept.state, declined.state) == (JobState.APPROVED, JobState.DECLINED)
    assert kept.approved_at and declined.declined_at
    filter_.refresh_from_db(), pads.refresh_from_db()
    assert (filter_.reserved, pads.reserved) == (Decimal("2"), Decimal("1"))
    shortage = Shortage.objects.get()
    assert (shortage.part, shortage.quantity, shortage.repair_order_ref) == (pads, Decimal("2"), repair_order.number)
    job = JobLine.objects.prefetch_related("part_lines__shortage").get(pk=kept.pk)
    assert job.waiting_parts
    assert not PartLine.objects.filter(job_line=declined, reservation__isnull=False).exists()
    kinds = sorted(approved.signatures.values_list("kind", flat=True))
    assert kinds == [Signature.Kind.RECOMMENDATIONS, Signature.Kind.WORK_ORDER]
    event = approved.events.get(kind="approved")
    assert (event.data["approved"], event.data["declined"], event.data["shortages"]) == (
        [kept.pk], [declined.pk], [shortage.pk])
    assert event.from_state == "awaiting_approval" and event.to_state == "approved"


def test_declining_everything_bills_only_the_diagnostic_fee(site, advisor, repair_order):
    repair_order_record_walkaround(repair_order=repair_order, data={"mileage": 20000}, version=1, actor=advisor)
    job_add_free_text(repair_order=repair_order, description="变速箱异响诊断后维修", labour_price="1200",
                      diagnostic_fee="150", actor=advisor)
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    ready = _approve(repair_order, advisor, [])
    assert ready.state == ROState.READY and ready.events.filter(kind="declined_all").exists()
    totals = repair_order_totals(ready)
    assert (totals.labour, totals.gross, totals.vat) == (Decimal("150.00"), Decimal("150.00"), Decimal("17.26"))


def test_lines_can_wait_for_the_diagnosis(site, advisor):
    repair_order = _submitted(site, advisor)
    first, second = repair_order.jobs.all()
    approved = _approve(repair_order, advisor, [first.pk], diagnosis_line_ids=[second.pk])
    assert approved.state == ROState.APPROVED
    assert JobLine.objects.get(pk=second.pk).state == JobState.PENDING_DIAGNOSIS
    assert not approved.signatures.filter(kind=Signature.Kind.RECOMMENDATIONS).exists()


@pytest.mark.parametrize("image", [None, b"", "blank", ContentFile(b"not a picture")])
def test_no_approval_without_a_signature(site, advisor, image):
    repair_order = _submitted(site, advisor)
    image = signature_png(blank=True) if image == "blank" else image
    with pytest.raises(ApplicationError) as refused:
        _approve(repair_order, advisor, [job.pk for job in repair_order.jobs.all()], image=image)
    assert refused.value.field == "signature"
    repair_order.refresh_from_db()
    assert repair_order.state == ROState.AWAITING_APPROVAL
    assert set(repair_order.jobs.values_list("state", flat=True)) == {JobState.PROPOSED}
    assert not Signature.objects.exists()


def test_an_approval_is_refused_from_the_wrong_state_over_a_stale_version_or_for_foreign_lines(site, advisor):
    checked_in = estimated_ro(site, advisor)
    with pytest.raises(ApplicationError) as refused:
        _approve(checked_in, advisor, [checked_in.jobs.get().pk])
    assert refused.value.code == "illegal_transition"
    repair_order = _submitted(site, advisor)
    with pytest.raises(ApplicationError) as refused:
        _approve(repair_order, advisor, [checked_in.jobs.get().pk])
    assert refused.value.code == "conflict"
    stale_version = repair_order.version - 1
    with pytest.raises(StaleVersion):
        repair_order_approve(repair_order=repair_order, approved_line_ids=[], signer_name="张三",
                             signature_image=signature_png(), version=stale_version, actor=advisor)


def test_extra_work_after_the_signature_is_an_additional_proposed_line(site, advisor):
    repair_order = _submitted(site, advisor)
    job = repair_order.jobs.first()
    approved = _approve(repair_order, advisor, [job.pk])
    extra = job_add_free_text(repair_order=approved, description="更换雨刮", labour_price="80", actor=advisor)
    assert (extra.state, extra.additional) == (JobState.PROPOSED, True)
    with pytest.raises(ApplicationError) as refused:  # a signed line's parts cannot change
        part_line_add(job_line=job, part=make_part(site), quantity=1, actor=advisor)
    assert refused.value.code == "locked"


# ---------------------------------------------------------------- cancelling with parts held

def test_cancelling_releases_reservations_and_withdraws_shortages(site, advisor):
    repair_order, job, part = submitted_with_part(site, advisor, in_stock=1, quantity=3)
    repair_order = _approve(repair_order, advisor, [job.pk])
    cancelled = repair_order_cancel(repair_order=repair_order, reason="客户车辆拖走", actor=advisor)
    assert cancelled.state == ROState.CANCELLED
    part.refresh_from_db()
    assert part.reserved == 0 and Reservation.objects.get().status == Reservation.Status.RELEASED
    assert Shortage.objects.get().status == Shortage.Status.CANCELLED


def test_cancelling_is_refused_once_parts_were_issued(site, advisor):
    repair_order, job, part = submitted_with_part(site, advisor, in_stock=2, quantity=1)
    repair_order = _approve(repair_order, advisor, [job.pk])
    stock_issue(part=part, quantity=1, repair_order_ref=repair_order.number, actor=advisor,
                reservation=Reservation.objects.get())
    with pytest.raises(ApplicationError) as refused:
        repair_order_cancel(repair_order=repair_order, reason="客户取消", actor=advisor)
    assert refused.value.code == "parts_issued"
    assert RepairOrder.objects.get(pk=repair_order.pk).state == ROState.APPROVED



# ---------------------------------------------------------------- totals

def test_totals_split_tax_inclusive_prices_per_line(site, advisor, repair_order):
    job = job_add_free_text(repair_order=repair_order, description="检查", labour_price="100.00", actor=advisor)
    part_line_add(job_line=job, part=make_part(site, "A", sale_price="10.01"), quantity=3, actor=advisor)
    part_line_add(job_line=job, part=make_part(site, "B", sale_price="20.00", vat_class="exempt"), quantity=1,
                  actor=advisor)
    totals = repair_order_totals(RepairOrder.objects.get())
    # 100 → 88.50 + 11.50; 30.03 → 26.58 + 3.45; exempt 20 → 20 + 0
    assert (totals.labour, totals.parts, totals.net, totals.vat, totals.gross) == (
        Decimal("100.00"), Decimal("50.03"), Decimal("135.08"), Decimal("14.95"), Decimal("150.03"))
    site.prices_include_vat = False
    site.save()
    totals = repair_order_totals(RepairOrder.objects.get())
    # VAT on top, per line: 13.00 + 3.90 + 0
    assert (totals.net, totals.vat, totals.gross) == (Decimal("150.03"), Decimal("16.90"), Decimal("166.93"))


def test_totals_run_two_queries(site, advisor, repair_order, django_assert_num_queries):
    for _ in range(3):
        job = job_add_free_text(repair_order=repair_order, description="检查", labour_price="100", actor=advisor)
        part_line_add(job_line=job, part=make_part(site, f"P{job.pk}"), quantity=1, actor=advisor)
    fresh = RepairOrder.objects.select_related("site").get()
    with django_assert_num_queries(2):  # the jobs; their parts lines
        assert len(repair_order_totals(fresh).lines) == 6


# ---------------------------------------------------------------- the pricing properties

def _site_settings(include_vat: bool, rate: str) -> Site:
    return Site(code="PROP", prices_include_vat=include_vat, vat_rate=Decimal(rate))


cents = st.decimals(min_value=0, max_value=1_000_000, places=2)
lines_strategy = st.lists(
    st.tuples(st.sampled_from(["labour", "part", "diagnostic_fee"]), cents, st.floats(0, 1), st.booleans(),
              st.sampled_from(["customer", "warranty", "internal"])),
    max_size=25)


@given(lines=lines_strategy, include_vat=st.booleans(), rate=st.sampled_from(["0.13", "0.09", "0.06", "0.03", "0"]))
@settings(max_examples=300, deadline=None)
def test_net_plus_vat_is_gross_and_the_totals_are_the_sum_of_the_lines(lines, include_vat, rate):
    site = _site_settings(include_vat, rate)
    amounts = [line_amount(kind=kind, price=price, discount=money(price * Decimal(share)), taxable=taxable,
                           pay_type=pay_type, site=site) for kind, price, share, taxable, pay_type in lines]
    totals = totals_of(amounts)
    assert totals.net + totals.vat == totals.gross
    assert totals.gross == sum((line.amounts.gross for line in amounts), Decimal(0))
    assert totals.net == sum((line.amounts.net for line in amounts), Decimal(0))
    assert totals.vat == sum((line.amounts.vat for line in amounts), Decimal(0))
    assert totals.labour + totals.parts - totals.discount == (totals.gross if include_vat else totals.net)
    assert sum((a.gross for a in totals.by_pay_type.values()), Decimal(0)) == totals.gross
    for line, (_kind, _price, _share, taxable, _pay_type) in zip(amounts, lines, strict=True):
        assert line.amounts.net + line.amounts.vat == line.amounts.gross
        assert line.amounts.gross == line.amounts.gross.quantize(Decimal("0.01"))  # two places, per line
        assert line.amounts.vat >= 0 and (taxable or line.amounts.vat == 0)


@given(total=st.decimals(min_value=-10_000, max_value=10_000, places=2),
       weights=st.lists(st.decimals(min_value=0, max_value=100_000, places=2), min_size=1, max_size=12))
def test_a_spread_package_price_adds_up_to_the_cent(total, weights):
    shares = spread(total, weights)
    assert sum(shares, Decimal(0)) == total and len(shares) == len(weights)
    assert all(share == share.quantize(Decimal("0.01")) for share in shares)
    if total >= 0 and sum(weights) >= total:
        assert all(share <= weight for share, weight in zip(shares, weights, strict=True))
