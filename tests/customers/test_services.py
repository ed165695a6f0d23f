import pytest
from django.utils import timezone

from customers import services
from customers.models import ArchiveEvent, ConsentRecord, ContactLog, Customer, Vehicle
from servicedesk.core.errors import ApplicationError
from tests.factories import CustomerFactory, VehicleFactory, valid_vin

pytestmark = pytest.mark.django_db


def _customer(site, actor, **data):
    return services.customer_create(site=site, data={"name": "张伟", "mobile": "13800138000", **data}, actor=actor)


def test_create_customer_normalises_and_records_an_event(site, advisor):
    customer = _customer(site, advisor, mobile="+86 138 0013 8000", marketing_consent=True)
    assert customer.mobile == "13800138000"
    assert customer.marketing_consent and customer.consent_records.count() == 1
    kinds = set(customer.events.values_list("kind", flat=True))
    assert kinds == {ArchiveEvent.Kind.CUSTOMER_CREATED, ArchiveEvent.Kind.CONSENT_GRANTED}


def test_duplicate_mobile_is_flagged_unless_confirmed(site, advisor):
    first = _customer(site, advisor)
    with pytest.raises(ApplicationError) as error:
        _customer(site, advisor, name="张伟伟")
    assert error.value.code == "duplicate_mobile" and error.value.extra["duplicate_ids"] == [first.pk]
    services.customer_create(site=site, data={"name": "张伟伟", "mobile": "13800138000"}, actor=advisor,
                             allow_duplicate_mobile=True)
    assert Customer.objects.filter(mobile="13800138000").count() == 2


def test_same_mobile_in_another_site_is_no_duplicate(site, other_site, advisor):
    _customer(site, advisor)
    assert _customer(other_site, advisor).site == other_site


def test_stale_edit_is_refused_and_names_who_changed_it(site, advisor, manager):
    customer = _customer(site, advisor)
    services.customer_update(customer_id=customer.pk, site=site, version=1, data={"name": "张三"}, actor=manager)
    with pytest.raises(ApplicationError) as error:
        services.customer_update(customer_id=customer.pk, site=site, version=1, data={"name": "李四"},
                                 actor=advisor)
    assert error.value.code == "stale_version" and "李经理" in str(error.value)
    customer.refresh_from_db()
    assert customer.name == "张三" and customer.version == 2


def test_consent_withdrawal_is_recorded_and_immediate(site, advisor):
    customer = _customer(site, advisor, marketing_consent=True)
    services.customer_set_marketing_consent(customer_id=customer.pk, site=site, granted=False,
                                            source="电话", actor=advisor)
    customer.refresh_from_db()
    assert customer.marketing_consent is False
    assert list(ConsentRecord.objects.filter(customer=customer).values_list("granted", flat=True)) == [False, True]
    with pytest.raises(ApplicationError):
        services.customer_set_marketing_consent(customer_id=customer.pk, site=site, granted=True, source=" ",
                                                actor=advisor)


def test_vehicle_with_bad_vin_is_refused_unless_a_manager_accepts_it(site, advisor, manager):
    owner = _customer(site, advisor)
    data = {"vin": "LSVAB2180N218329", "plate": "沪A12345", "make": "大众", "model": "朗逸"}
    with pytest.raises(ApplicationError) as error:
        services.vehicle_create(site=site, owner=owner, data=data, actor=advisor)
    assert error.value.field == "vin" and error.value.code == "vin_length"
    with pytest.raises(ApplicationError) as error:
        services.vehicle_create(site=site, owner=owner, data=data, actor=advisor, vin_exception_reason="进口车")
    assert error.value.code == "forbidden"
    vehicle = services.vehicle_create(site=site, owner=owner, data=data, actor=manager,
                                      vin_exception_reason="平行进口车，车架号缺位")
    assert vehicle.vin_exception_by == manager
    assert vehicle.events.filter(kind=ArchiveEvent.Kind.VIN_EXCEPTION).exists()


def test_duplicate_vin_points_at_the_vehicle_on_file(site, advisor):
    existing = VehicleFactory(owner=CustomerFactory(site=site))
    owner = _customer(site, advisor)
    with pytest.raises(ApplicationError) as error:
        services.vehicle_create(site=site, owner=owner, actor=advisor,
                                data={"vin": existing.vin.lower(), "make": "丰田", "model": "凯美瑞"})
    assert error.value.code == "duplicate_vin" and error.value.extra["existing_vehicle_id"] == existing.pk


def test_mileage_lower_than_last_needs_a_correction_reason(site, advisor):
    vehicle = VehicleFactory(owner=CustomerFactory(site=site))
    services.vehicle_record_mileage(vehicle_id=vehicle.pk, site=site, km=30000, actor=advisor)
    with pytest.raises(ApplicationError) as error:
        services.vehicle_record_mileage(vehicle_id=vehicle.pk, site=site, km=3000, actor=advisor)
    assert error.value.code == "mileage_lower" and "30000" in str(error.value)
    services.vehicle_record_mileage(vehicle_id=vehicle.pk, site=site, km=3000, actor=advisor,
                                    correction_reason="上次录入多打了一个0")
    vehicle.refresh_from_db()
    assert vehicle.mileage == 3000
    assert vehicle.events.filter(kind=ArchiveEvent.Kind.MILEAGE_CORRECTED).count() == 1


def test_transfer_keeps_history_with_the_vehicle(site, advisor):
    vehicle = VehicleFactory(owner=CustomerFactory(site=site))
    old_owner = vehicle.owner
    buyer = CustomerFactory(site=site)
    services.vehicle_transfer(vehicle_id=vehicle.pk, site=site, new_owner_id=buyer.pk, actor=advisor,
                              on_date=timezone.localdate())
    vehicle.refresh_from_db()
    assert vehicle.owner == buyer
    owners = list(vehicle.ownerships.order_by("started_on", "pk").values_list("customer_id", "ended_on"))
    assert owners[0][0] == old_owner.pk and owners[0][1] is not None
    assert owners[1] == (buyer.pk, None)
    with pytest.raises(ApplicationError):
        services.vehicle_transfer(vehicle_id=vehicle.pk, site=site, new_owner_id=buyer.pk, actor=advisor)


def test_merge_moves_vehicles_contacts_and_history(site, advisor, manager):
    target = _customer(site, advisor)
    source = services.customer_create(site=site, data={"name": "张伟", "mobile": "13900139000"}, actor=advisor)
    vehicle = VehicleFactory(owner=source)
    services.contact_log_add(site=site, customer=source, channel="phone", reason="保养提醒", actor=advisor)
    merged = services.customers_merge(site=site, source_id=source.pk, target_id=target.pk, actor=manager)
    source.refresh_from_db()
    assert source.merged_into == merged
    assert Vehicle.objects.get(pk=vehicle.pk).owner == merged
    assert ContactLog.objects.filter(customer=merged).count() == 1
    assert merged.mobile2 == "13900139000"
    assert merged.events.filter(kind=ArchiveEvent.Kind.CUSTOMER_MERGED).exists()
    with pytest.raises(ApplicationError):
        services.customers_merge(site=site, source_id=source.pk, target_id=target.pk, actor=manager)


def test_merge_across_sites_is_refused(site, other_site, advisor, manager):
    a = _customer(site, advisor)
    b = _customer(other_site, advisor)
    with pytest.raises(ApplicationError):
        services.customers_merge(site=site, source_id=b.pk, target_id=a.pk, actor=manager)


def test_vin_is_valid_helper():
    assert len(valid_vin(1)) == 17
