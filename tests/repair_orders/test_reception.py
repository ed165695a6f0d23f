"""Reception: opening an RO, the walk-around, damage marks, the check-in signature and cancelling."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import MileageReading
from repair_orders.models import DamageMark, RepairOrder, RepairOrderEvent, Signature
from repair_orders.services import (
    damage_mark_add,
    damage_mark_remove,
    repair_order_cancel,
    repair_order_open,
    repair_order_record_walkaround,
    repair_order_sign_check_in,
)
from repair_orders.services.common import site_today
from repair_orders.workflow import ROState
from servicedesk.accounts.roles import ADVISOR
from servicedesk.core.errors import ApplicationError, StaleVersion
from tests.factories import CustomerFactory, VehicleFactory, make_staff

from .helpers import open_ro, repair_order_fixture, signature_png  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _events(repair_order):
    return list(RepairOrderEvent.objects.filter(repair_order=repair_order).values_list("kind", "from_state",
                                                                                     "to_state"))


# ---------------------------------------------------------------- opening

def test_a_walk_in_is_checked_in_with_the_next_gapless_number(site, advisor):
    first, second = open_ro(site, advisor, concerns=" 刹车异响 "), open_ro(site, advisor, waiting=True)
    year = site_today(site).year
    assert (first.number, second.number) == (f"SH01-{year}-000001", f"SH01-{year}-000002")
    assert first.state == ROState.CHECKED_IN and first.version == 1 and first.concerns == "刹车异响"
    assert second.waiting and first.ro_type == RepairOrder.Type.REPAIR
    assert _events(first) == [("opened", "", "checked_in")]


def test_an_appointment_checks_in_once_unless_its_ro_was_cancelled(site, advisor):
    first = open_ro(site, advisor, appointment_ref=41)
    with pytest.raises(ApplicationError) as refused:
        open_ro(site, advisor, appointment_ref=41)
    assert refused.value.code == "conflict" and first.number in refused.value.message
    repair_order_cancel(repair_order=first, reason="客户改期", actor=advisor)
    assert open_ro(site, advisor, appointment_ref=41).appointment_ref == 41


def test_the_parties_must_belong_to_the_site(site, other_site, advisor):
    vehicle = VehicleFactory(owner__site=site)
    with pytest.raises(ApplicationError) as refused:
        repair_order_open(site=site, customer=CustomerFactory(site=other_site), vehicle=vehicle, advisor=advisor,
                          actor=advisor)
    assert refused.value.field == "customer"
    stranger = make_staff(role=ADVISOR, sites=[other_site])
    with pytest.raises(ApplicationError) as refused:
        repair_order_open(site=site, customer=vehicle.owner, vehicle=vehicle, advisor=stranger, actor=advisor)
    assert refused.value.field == "advisor"
    assert not RepairOrder.objects.exists()


def test_a_comeback_returns_to_a_recent_delivery_of_the_same_vehicle(site, advisor):
    earlier = open_ro(site, advisor)
    with pytest.raises(ApplicationError, match=earlier.number):  # not delivered
        open_ro(site, advisor, vehicle=earlier.vehicle, ro_type="comeback", comeback_of=earlier)
    RepairOrder.objects.filter(pk=earlier.pk).update(state=ROState.DELIVERED,
                                                     delivered_at=timezone.now() - timedelta(days=10))
    earlier.refresh_from_db()
    comeback = open_ro(site, advisor, vehicle=earlier.vehicle, ro_type="comeback", comeback_of=earlier)
    assert comeback.comeback_of == earlier
    with pytest.raises(ApplicationError) as refused:
        open_ro(site, advisor, ro_type="comeback")
    assert refused.value.field == "comeback_of"
    with pytest.raises(ApplicationError):
        open_ro(site, advisor, vehicle=earlier.vehicle, ro_type="repair", comeback_of=earlier)
    RepairOrder.objects.filter(pk=earlier.pk).update(delivered_at=timezone.now() - timedelta(days=31))
    earlier.refresh_from_db()
    with pytest.raises(ApplicationError):
        open_ro(site, advisor, vehicle=earlier.vehicle, ro_type="comeback", comeback_of=earlier)


# ---------------------------------------------------------------- the walk-around

WALKAROUND = {
    "mileage": "12345", "fuel_level": "2", "belongings": "行车记录仪\n雨伞\n", "valuables_reminder_given": True,
    "cover_seat": True, "cover_steering_wheel": True, "cover_floor_mat": True, "cover_gear_lever": True,
    "key_tag": " 17 ", "concerns": "冷车启动抖动", "old_parts_disposition": "return", "payment_method": "wechat_pay",
    "wash_wanted": True, "courtesy_car": False, "waiting": True, "unknown_field": "ignored",
}


def test_the_walkaround_records_the_check_in_sheet_and_the_vehicles_mileage(repair_order, advisor):
    saved = repair_order_record_walkaround(repair_order=repair_order, data=WALKAROUND, version=1, actor=advisor)
    saved.refresh_from_db()
    assert (saved.mileage, saved.fuel_level, saved.key_tag) == (12345, 2, "17")
    assert saved.belongings == ["行车记录仪", "雨伞"]
    assert saved.cover_seat and saved.cover_gear_lever and saved.wash_wanted and saved.waiting
    assert (saved.old_parts_disposition, saved.payment_method, saved.version) == ("return", "wechat_pay", 2)
    reading = MileageReading.objects.get(vehicle=saved.vehicle, km=12345)
    assert reading.source == MileageReading.Source.CHECK_IN
    event = saved.events.get(kind="walkaround")
    assert "mileage" in event.data["fields"] and event.actor == advisor


def test_mileage_below_the_last_reading_needs_a_correction_reason(repair_order, advisor):
    with pytest.raises(ApplicationError) as refused:
        repair_order_record_walkaround(repair_order=repair_order, data={"mileage": 9000, "key_tag": "5"},
                                       version=1, actor=advisor)
    assert (refused.value.code, refused.value.field) == ("mileage_lower", "mileage")
    repair_order.refresh_from_db()
    assert repair_order.mileage is None and repair_order.key_tag == "" and repair_order.version == 1
    repair_order_record_walkaround(repair_order=repair_order, actor=advisor, version=1,
                                   data={"mileage": 9000, "mileage_correction_reason": "上次录入错误"})
    assert repair_order.vehicle.mileage_readings.get(km=9000).source == MileageReading.Source.CORRECTION


def test_a_key_tag_is_unique_among_the_sites_open_orders(site, advisor, repair_order):
    repair_order_record_walkaround(repair_order=repair_order, data={"key_tag": "A7"}, version=1, actor=advisor)
    second = open_ro(site, advisor)
    with pytest.raises(ApplicationError) as refused:
        repair_order_record_walkaround(repair_order=second, data={"key_tag": "A7"}, version=1, actor=advisor)
    assert refused.value.code == "key_tag_in_use" and repair_order.number in refused.value.message
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the line too
        RepairOrder.objects.filter(pk=second.pk).update(key_tag="A7")
    repair_order_cancel(repair_order=repair_order, reason="客户取消", actor=advisor)
    assert repair_order_record_walkaround(repair_order=second, data={"key_tag": "A7"}, version=1,
                                          actor=advisor).key_tag == "A7"


def test_a_stale_form_is_refused_naming_who_changed_the_order(repair_order, advisor):
    repair_order_record_walkaround(repair_order=repair_order, data={"fuel_level": 1}, version=1, actor=advisor)
    with pytest.raises(StaleVersion) as refused:
        repair_order_record_walkaround(repair_order=repair_order, data={"fuel_level": 4}, version=1, actor=advisor)
    assert refused.value.code == "stale_version" and "王顾问" in refused.value.message
    repair_order.refresh_from_db()
    assert repair_order.fuel_level == 1


@pytest.mark.parametrize(("data", "field"), [
    ({"fuel_level": 9}, "fuel_level"), ({"payment_method": "bitcoin"}, "payment_method"),
    ({"mileage": "a lot"}, "mileage"), ({"key_tag": "X" * 21}, "key_tag"),
    ({"promised_at": "tomorrow"}, "promised_at"),
])
def test_bad_walkaround_input_names_its_field(repair_order, advisor, data, field):
    with pytest.raises(ApplicationError) as refused:
        repair_order_record_walkaround(repair_order=repair_order, data=data, version=1, actor=advisor)
    assert refused.value.field == field


def test_an_unchanged_walkaround_writes_nothing(repair_order, advisor):
    repair_order_record_walkaround(repair_order=repair_order, data={"waiting": False}, version=1, actor=advisor)
    assert repair_order.events.count() == 1 and RepairOrder.objects.get().version == 1


def test_the_check_in_cannot_change_after_the_work_order_is_signed(repair_order, advisor):
    RepairOrder.objects.filter(pk=repair_order.pk).update(state=ROState.APPROVED)
    with pytest.raises(ApplicationError) as refused:
        repair_order_record_walkaround(repair_order=repair_order, data={"key_tag": "9"}, version=1, actor=advisor)
    assert refused.value.code == "locked"


# ---------------------------------------------------------------- damage marks and the signature

def test_damage_marks_are_added_and_removed_with_events(repair_order, advisor):
    mark = damage_mark_add(repair_order=repair_order, x="12.5", y="40", kind="scratch", note="左前门", version=1,
                           actor=advisor)
    with pytest.raises(ApplicationError) as refused:
        damage_mark_add(repair_order=repair_order, x=150, y=40, kind="dent", actor=advisor)
    assert refused.value.field == "x"
    with pytest.raises(ApplicationError):
        damage_mark_add(repair_order=repair_order, x=10, y=10, kind="rust", actor=advisor)
    damage_mark_remove(mark=mark, actor=advisor, version=2)
    assert not DamageMark.objects.exists()
    assert [kind for kind, *_ in _events(repair_order)] == ["opened", "damage_mark_added", "damage_mark_removed"]


def test_the_customer_signs_the_check_in_sheet(repair_order, advisor):
    for image in (b"", None, signature_png(blank=True)):
        with pytest.raises(ApplicationError) as refused:
            repair_order_sign_check_in(repair_order=repair_order, signer_name="张三", signature_image=image,
                                       actor=advisor)
        assert refused.value.code == "signature_required"
    with pytest.raises(ApplicationError) as refused:
        repair_order_sign_check_in(repair_order=repair_order, signer_name="张三", signature_image=b"%PDF-1.4",
                                   actor=advisor)
    assert refused.value.field == "signature" and refused.value.code == "invalid"
    with pytest.raises(ApplicationError) as refused:
        repair_order_sign_check_in(repair_order=repair_order, signer_name=" ", signature_image=signature_png(),
                                   actor=advisor)
    assert refused.value.field == "signer_name"
    signature = repair_order_sign_check_in(repair_order=repair_order, signer_name="张三",
                                           signature_image=signature_png(), actor=advisor)
    assert signature.kind == Signature.Kind.CHECK_IN and signature.image.read() == signature_png()
    assert signature.signed_at and signature.captured_by == advisor


# ---------------------------------------------------------------- cancelling

def test_cancelling_needs_a_reason_and_a_cancellable_state(repair_order, advisor):
    with pytest.raises(ApplicationError) as refused:
        repair_order_cancel(repair_order=repair_order, reason="  ", actor=advisor)
    assert refused.value.field == "reason"
    cancelled = repair_order_cancel(repair_order=repair_order, reason="客户不修了", actor=advisor)
    assert (cancelled.state, cancelled.cancel_reason) == (ROState.CANCELLED, "客户不修了")
    assert _events(repair_order)[-1] == ("cancelled", "checked_in", "cancelled")
    with pytest.raises(ApplicationError) as refused:
        repair_order_cancel(repair_order=repair_order, reason="again", actor=advisor)
    assert refused.value.code == "illegal_transition"


def test_the_event_trail_is_append_only(repair_order):
    event = repair_order.events.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
