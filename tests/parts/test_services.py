from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from parts import services
from parts.models import Part, PurchaseRequest, Reservation, Shortage, ShortageEvent, StockAdjustment, StockMovement
from parts.quantities import clean_quantity
from parts.selectors import stock_ledger_disagreements
from parts.services.shortages import site_today
from servicedesk.core.errors import ApplicationError
from servicedesk.core.models import Notification

from .factories import PartFactory, SupplierFactory, make_clerk, stocked_part

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def clerk(site):
    return make_clerk(site)


def _error(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as error:
        call(**kwargs)
    return error.value


def _fresh(part) -> Part:
    return Part.objects.get(pk=part.pk)


# ---------------------------------------------------------------- quantities

@pytest.mark.parametrize(("value", "unit", "message"), [
    ("0", Part.Unit.PIECE, "can't be zero"),
    ("-1", Part.Unit.PIECE, "more than zero"),
    ("1.5", Part.Unit.PIECE, "whole units"),
    ("0.5", Part.Unit.PAIR, "whole units"),
    ("abc", Part.Unit.LITRE, "as a number"),
    ("NaN", Part.Unit.LITRE, "as a number"),
    ("1.234", Part.Unit.LITRE, "two decimal places"),
    ("99999999999", Part.Unit.LITRE, "too large"),
])
def test_bad_quantities_are_refused_with_a_clear_message(site, value, unit, message):
    error = _error(clean_quantity, part=PartFactory(site=site, unit=unit), value=value)
    assert error.code == "invalid_quantity" and error.field == "quantity" and message in error.message


def test_good_quantities(site):
    assert clean_quantity(PartFactory(site=site, unit=Part.Unit.LITRE), "1.5") == D("1.50")
    assert clean_quantity(PartFactory(site=site), 3) == D("3")
    assert clean_quantity(PartFactory(site=site), "-2", allow_negative=True) == D("-2")


# ---------------------------------------------------------------- catalogue

def test_part_number_is_normalised_and_a_duplicate_refused(site, other_site, clerk):
    part = services.part_create(site=site, data={"number": " 06a 115  561b ", "name": "机油滤清器"}, actor=clerk)
    assert part.number == "06A 115 561B"
    error = _error(services.part_create, site=site, data={"number": "06A-115-561-b", "name": "x"}, actor=clerk)
    assert (error.code, error.field, error.extra["duplicate_id"]) == ("duplicate", "number", part.pk)
    assert "06A 115 561B" in error.message and "机油滤清器" in error.message
    assert services.part_create(site=other_site, data={"number": "06A115561B", "name": "x"}, actor=clerk)


def test_part_update_keeps_quantities_and_checks_the_number(site, clerk):
    first = stocked_part(site, clerk, number="A1")
    second = PartFactory(site=site, number="B1")
    updated = services.part_update(part=first, data={"name": "刹车片", "on_hand": 99}, actor=clerk)
    assert updated.name == "刹车片" and _fresh(first).on_hand == D("5")
    assert _error(services.part_update, part=second, data={"number": "a-1"}, actor=clerk).code == "duplicate"
    assert services.part_update(part=first, data={"number": "a1"}, actor=clerk).number == "A1"
    assert _error(services.part_update, part=first, data={"name": " "}, actor=clerk).field == "name"
    assert _error(services.part_update, part=first, data={"unit": "dozen"}, actor=clerk).code == "invalid_choice"


def test_supersession_refuses_cycles_and_other_sites(site, other_site, clerk):
    a, b, c = (PartFactory(site=site, number=n) for n in ("A", "B", "C"))
    assert _error(services.part_supersede, part=a, superseded_by=a, actor=clerk).code == "supersession_cycle"
    services.part_supersede(part=a, superseded_by=b, actor=clerk)
    services.part_supersede(part=b, superseded_by=c, actor=clerk)
    error = _error(services.part_supersede, part=c, superseded_by=a, actor=clerk)
    assert error.code == "supersession_cycle" and "loop" in error.message
    elsewhere = PartFactory(site=other_site, number="D")
    assert _error(services.part_supersede, part=c, superseded_by=elsewhere, actor=clerk).code == "other_site"
    assert services.part_final_replacement(_fresh(a)) == c
    assert services.part_final_replacement(c) == c
    services.part_supersede(part=a, superseded_by=None, actor=clerk)
    assert services.part_final_replacement(_fresh(a)) == _fresh(a)


# ---------------------------------------------------------------- receipts, issues, returns, transfers

def test_every_movement_records_the_balance_after(site, clerk):
    part = PartFactory(site=site)
    services.stock_receive(part=part, quantity="5", actor=clerk, unit_cost=D("12.50"))
    services.stock_issue(part=part, quantity="2", repair_order_ref="RO1", actor=clerk)
    services.stock_return(part=part, quantity="1", repair_order_ref="RO1", actor=clerk)
    rows = list(StockMovement.objects.filter(part=part).order_by("pk").values_list("kind", "quantity", "balance_after"))
    assert rows == [("receipt", D("5"), D("5")), ("issue", D("-2"), D("3")), ("return", D("1"), D("4"))]
    assert part.on_hand == _fresh(part).on_hand == D("4")  # the caller's instance is kept current


def test_issue_above_available_names_what_is_left_and_who_holds_it(site, clerk):
    part = stocked_part(site, clerk, quantity="5")
    services.parts_reserve(part=part, quantity="2", repair_order_ref="RO123", actor=clerk)
    services.parts_reserve(part=part, quantity="1", repair_order_ref="RO124", actor=clerk)
    error = _error(services.stock_issue, part=part, quantity="3", repair_order_ref="RO200", actor=clerk)
    assert error.code == "insufficient_stock" and error.field == "quantity"
    assert error.message == "Only 5 left, 3 reserved for RO123, RO124."
    assert _fresh(part).on_hand == D("5") and not StockMovement.objects.filter(kind="issue").exists()
    services.stock_issue(part=part, quantity="2", repair_order_ref="RO200", actor=clerk)
    assert (_fresh(part).on_hand, _fresh(part).reserved) == (D("3"), D("3"))


def test_issue_refusals_without_reservations(site, clerk):
    part = stocked_part(site, clerk, quantity="2")
    assert _error(services.stock_issue, part=part, quantity="3", repair_order_ref="RO1",
                  actor=clerk).message == "Only 2 left."
    empty = PartFactory(site=site, number="EMPTY")
    assert _error(services.stock_issue, part=empty, quantity="1", repair_order_ref="RO1",
                  actor=clerk).message == "EMPTY is out of stock."
    assert _error(services.stock_issue, part=part, quantity="1", repair_order_ref=" ",
                  actor=clerk).field == "repair_order_ref"


def test_issue_from_a_reservation(site, clerk):
    part = stocked_part(site, clerk, quantity="5")
    reservation = services.parts_reserve(part=part, quantity="3", repair_order_ref="RO1", actor=clerk,
                                         line_ref=7).reservation
    movement = services.stock_issue(part=part, quantity="2", repair_order_ref="RO1", actor=clerk,
                                    reservation=reservation)
    assert movement.reservation == reservation and reservation.status == Reservation.Status.HELD
    assert (_fresh(part).on_hand, _fresh(part).reserved) == (D("3"), D("1"))
    error = _error(services.stock_issue, part=part, quantity="2", repair_order_ref="RO1", actor=clerk,
                   reservation=reservation)
    assert error.code == "exceeds_reservation" and "Only 1" in error.message
    assert _error(services.stock_issue, part=part, quantity="1", repair_order_ref="RO2", actor=clerk,
                  reservation=reservation).field == "repair_order_ref"
    # the line reference finds the line's reservation
    services.stock_issue(part=part, quantity="1", repair_order_ref="RO1", actor=clerk, line_ref=7)
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.ISSUED and reservation.closed_at is not None
    assert (_fresh(part).on_hand, _fresh(part).reserved) == (D("2"), D("0"))
    assert _error(services.stock_issue, part=part, quantity="1", repair_order_ref="RO1", actor=clerk,
                  reservation=reservation).code == "illegal_transition"


def test_return_cannot_exceed_what_the_order_has(site, clerk):
    part = stocked_part(site, clerk, quantity="5")
    services.stock_issue(part=part, quantity="2", repair_order_ref="RO1", actor=clerk)
    services.stock_return(part=part, quantity="1", repair_order_ref="RO1", actor=clerk, reason="未使用")
    error = _error(services.stock_return, part=part, quantity="2", repair_order_ref="RO1", actor=clerk)
    assert error.code == "return_exceeds_issue" and "has 1" in error.message
    assert _error(services.stock_return, part=part, quantity="1", repair_order_ref="RO9",
                  actor=clerk).code == "return_exceeds_issue"


def test_transfer_moves_stock_to_the_same_number_elsewhere(site, other_site, clerk):
    part = stocked_part(site, clerk, quantity="5", number="T1")
    there = PartFactory(site=other_site, number="T1")
    out, into = services.stock_transfer(part=part, to_site=other_site, quantity="2", actor=clerk, reason="调拨")
    assert (out.quantity, out.balance_after, into.quantity, into.balance_after) == (D("-2"), D("3"), D("2"), D("2"))
    assert into.transfer_from == out and into.site == other_site and _fresh(there).on_hand == D("2")
    assert _error(services.stock_transfer, part=part, to_site=other_site, quantity="4",
                  actor=clerk).code == "insufficient_stock"
    assert _error(services.stock_transfer, part=part, to_site=site, quantity="1", actor=clerk).code == "same_site"
    lonely = stocked_part(site, clerk, number="T2")
    assert _error(services.stock_transfer, part=lonely, to_site=other_site, quantity="1",
                  actor=clerk).code == "not_found"


# ---------------------------------------------------------------- reservations

def test_reserve_what_is_available_and_record_the_rest_as_a_shortage(site, clerk):
    part = stocked_part(site, clerk, quantity="2")
    result = services.parts_reserve(part=part, quantity="5", repair_order_ref="RO1", actor=clerk, line_ref=3)
    assert result.reservation.quantity == D("2") and result.shortage.quantity == D("3")
    assert result.shortage.repair_order_ref == "RO1" and result.shortage.status == Shortage.Status.OPEN
    assert _fresh(part).reserved == D("2")
    nothing_left = services.parts_reserve(part=part, quantity="1", repair_order_ref="RO2", actor=clerk)
    assert nothing_left.reservation is None and nothing_left.shortage.quantity == D("1")


def test_reserve_without_shortage_refuses_and_reserves_nothing(site, clerk):
    part = stocked_part(site, clerk, quantity="2")
    error = _error(services.parts_reserve, part=part, quantity="3", repair_order_ref="RO1", actor=clerk,
                   record_shortage=False)
    assert error.code == "insufficient_stock" and error.message == "Only 2 left."
    assert not Reservation.objects.exists() and not Shortage.objects.exists()


def test_release_gives_the_outstanding_quantity_back(site, clerk):
    part = stocked_part(site, clerk, quantity="4")
    reservation = services.parts_reserve(part=part, quantity="3", repair_order_ref="RO1", actor=clerk).reservation
    services.stock_issue(part=part, quantity="1", repair_order_ref="RO1", actor=clerk, reservation=reservation)
    services.reservation_release(reservation=reservation, actor=clerk)
    assert reservation.status == Reservation.Status.RELEASED
    assert (_fresh(part).on_hand, _fresh(part).reserved) == (D("3"), D("0"))
    assert _error(services.reservation_release, reservation=reservation, actor=clerk).code == "illegal_transition"


# ---------------------------------------------------------------- shortages and purchase requests

def test_shortage_status_changes_write_events(site, clerk):
    part = PartFactory(site=site)
    shortage = services.shortage_record(part=part, quantity="2", actor=clerk, repair_order_ref="RO1", note="急")
    assert _error(services.shortage_cancel, shortage=shortage, actor=clerk, reason=" ").field == "reason"
    services.shortage_cancel(shortage=shortage, actor=clerk, reason="客户不修了")
    events = list(shortage.events.values_list("from_status", "to_status"))
    assert events == [("", "open"), ("open", "cancelled")]
    assert shortage.events.last().data == {"reason": "客户不修了"}
    assert _error(services.shortage_cancel, shortage=shortage, actor=clerk, reason="x").code == "illegal_transition"


def test_purchase_requests_group_open_shortages_by_supplier(site, clerk):
    bosch, mann = SupplierFactory(site=site, name="博世", lead_days=3), SupplierFactory(site=site, name="曼牌")
    brake, filter_, bulb = (PartFactory(site=site, supplier=bosch), PartFactory(site=site, supplier=mann),
                            PartFactory(site=site))
    for part, quantity in ((brake, "2"), (brake, "1"), (filter_, "4"), (bulb, "1")):
        services.shortage_record(part=part, quantity=quantity, actor=clerk)
    requests = services.purchase_requests_from_shortages(site=site, actor=clerk)
    assert [r.supplier for r in requests] == [bosch, mann, None]
    today = site_today(site)
    assert [r.number for r in requests] == [f"SH01-PR-{today.year}-00000{n}" for n in (1, 2, 3)]
    assert requests[0].expected_on == today + timedelta(days=3) and requests[2].expected_on is None
    assert all(r.status == PurchaseRequest.Status.ORDERED for r in requests)
    assert list(requests[0].lines.values_list("part", "quantity")) == [(brake.pk, D("3"))]
    assert set(Shortage.objects.values_list("status", flat=True)) == {"ordered"}
    assert Shortage.objects.filter(purchase_request=requests[0], expected_on=requests[0].expected_on).count() == 2
    assert ShortageEvent.objects.filter(to_status="ordered").count() == 4
    assert services.purchase_requests_from_shortages(site=site, actor=clerk) == []


def test_delivery_closes_covered_shortages_oldest_first_and_tells_the_requester(site, clerk, advisor):
    supplier = SupplierFactory(site=site)
    part = PartFactory(site=site, supplier=supplier, number="BP-1", name="刹车片")
    first = services.shortage_record(part=part, quantity="2", actor=advisor, repair_order_ref="RO1")
    second = services.shortage_record(part=part, quantity="3", actor=advisor, repair_order_ref="RO2")
    third = services.shortage_record(part=part, quantity="1", actor=clerk)
    [purchase_request] = services.purchase_requests_from_shortages(site=site, actor=clerk)
    delivery = services.delivery_receive(site=site, lines=[{"part": part, "quantity": "4", "unit_cost": D("30")}],
                                         actor=clerk, delivery_note="DN-1", purchase_request=purchase_request)
    assert delivery.supplier == supplier and delivery.movements.get().quantity == D("4")
    statuses = [Shortage.objects.get(pk=s.pk).status for s in (first, second, third)]
    assert statuses == ["received", "ordered", "ordered"]  # the third would fit, but may not jump the queue
    [note] = Notification.objects.all()
    assert note.recipient == advisor and "BP-1" in note.text and "RO1" in note.text
    line = purchase_request.lines.get()
    assert line.received_quantity == D("4") and _fresh(part).on_hand == D("4")
    services.delivery_receive(site=site, lines=[{"part": part, "quantity": "4"}], actor=clerk)
    assert [Shortage.objects.get(pk=s.pk).status for s in (second, third)] == ["received", "received"]
    assert PurchaseRequest.objects.get().status == PurchaseRequest.Status.RECEIVED
    assert Notification.objects.count() == 3 and not stock_ledger_disagreements(site=site)


def test_a_rolled_back_delivery_tells_nobody(site, clerk, advisor):
    part = PartFactory(site=site)
    services.shortage_record(part=part, quantity="1", actor=advisor)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.delivery_receive(site=site, lines=[{"part": part, "quantity": "1"}], actor=clerk)
        raise RuntimeError
    assert not Notification.objects.exists() and Shortage.objects.get().status == "open"


def test_delivery_refuses_bad_lines_before_booking_anything(site, other_site, clerk):
    part = PartFactory(site=site)
    assert _error(services.delivery_receive, site=site, lines=[], actor=clerk).code == "required"
    lines = [{"part": part, "quantity": "1"}, {"part": part, "quantity": "0.5"}]
    assert _error(services.delivery_receive, site=site, lines=lines, actor=clerk).code == "invalid_quantity"
    foreign = PartFactory(site=other_site)
    assert _error(services.delivery_receive, site=site, lines=[{"part": foreign, "quantity": "1"}],
                  actor=clerk).code == "other_site"
    assert not StockMovement.objects.exists()


# ---------------------------------------------------------------- adjustments

def test_adjustment_needs_a_reason_and_waits_for_a_manager(site, clerk, manager):
    part = stocked_part(site, clerk, quantity="5")
    assert _error(services.adjustment_request, part=part, quantity="-1", reason="", actor=clerk).field == "reason"
    adjustment = services.adjustment_request(part=part, quantity="-1", reason="盘点少一件", actor=clerk)
    assert adjustment.status == StockAdjustment.Status.PENDING and _fresh(part).on_hand == D("5")
    approved = services.adjustment_approve(adjustment=adjustment, actor=manager)
    assert approved.status == "approved" and approved.decided_by == manager
    movement = approved.movement
    assert (movement.kind, movement.quantity, movement.balance_after) == ("adjustment", D("-1"), D("4"))
    assert movement.approved_by == manager and movement.created_by == clerk and movement.reason == "盘点少一件"
    assert _error(services.adjustment_approve, adjustment=adjustment, actor=manager).code == "illegal_transition"


def test_a_manager_adjustment_is_approved_at_once(site, manager):
    part = stocked_part(site, manager, quantity="1")
    adjustment = services.adjustment_request(part=part, quantity="2", reason="找到两件", actor=manager)
    assert adjustment.status == "approved" and _fresh(part).on_hand == D("3")


def test_adjustment_cannot_take_stock_below_reserved(site, clerk, manager):
    part = stocked_part(site, clerk, quantity="3")
    services.parts_reserve(part=part, quantity="2", repair_order_ref="RO1", actor=clerk)
    error = _error(services.adjustment_request, part=part, quantity="-2", reason="损坏", actor=manager)
    assert error.code == "below_reserved" and "2 reserved" in error.message
    assert not StockAdjustment.objects.exists()  # the whole request rolled back
    empty = PartFactory(site=site)
    assert "only 0 on hand" in _error(services.adjustment_request, part=empty, quantity="-1", reason="x",
                                      actor=manager).message


def test_rejected_adjustment_books_nothing(site, clerk, manager):
    part = stocked_part(site, clerk, quantity="3")
    adjustment = services.adjustment_request(part=part, quantity="5", reason="多了", actor=clerk)
    rejected = services.adjustment_reject(adjustment=adjustment, actor=manager, note="再数一次")
    assert rejected.status == "rejected" and rejected.movement is None and _fresh(part).on_hand == D("3")
    assert _error(services.adjustment_reject, adjustment=adjustment, actor=manager).code == "illegal_transition"


# ---------------------------------------------------------------- the check command

def _check(*args) -> str:
    out = StringIO()
    call_command("check_stock_ledger", *args, stdout=out)
    return out.getvalue()


def test_check_command_passes_on_a_ledger_kept_by_the_services(site, clerk):
    part = stocked_part(site, clerk, quantity="5")
    services.parts_reserve(part=part, quantity="2", repair_order_ref="RO1", actor=clerk)
    assert "agrees" in _check() and "agrees" in _check("--site", "sh01")


def test_check_command_catches_quantities_changed_behind_the_ledger(site, other_site, clerk):
    part = stocked_part(site, clerk, quantity="5", number="X-1")
    stocked_part(other_site, clerk, quantity="1")
    Part.objects.filter(pk=part.pk).update(on_hand=D("6"))
    out = StringIO()
    with pytest.raises(CommandError, match="1 part"):
        call_command("check_stock_ledger", stdout=out)
    assert "SH01 X-1: on_hand 6, movements sum 5, last balance 5;" in out.getvalue()
    assert "agrees" in _check("--site", "BJ01")
    Part.objects.filter(pk=part.pk).update(on_hand=D("5"), reserved=D("1"))
    assert "held by reservations 0" in "\n".join(stock_ledger_disagreements(site=site))
    with pytest.raises(CommandError, match="no site"):
        _check("--site", "NOPE")


def test_ledger_rows_can_be_neither_changed_nor_deleted(site):
    clerk = make_clerk(site)
    part = stocked_part(site, clerk, quantity="3")
    movement = part.movements.get()
    movement.quantity = 30
    with pytest.raises(ValueError):
        movement.save()
    with pytest.raises(ValueError):
        movement.delete()
    assert part.movements.get().quantity == 3
