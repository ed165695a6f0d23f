import pytest
from django.urls import reverse

from customers.models import Customer, Vehicle
from tests.factories import CustomerFactory, VehicleFactory, valid_vin

pytestmark = pytest.mark.django_db


def test_create_customer_and_see_it(advisor_client, site):
    response = advisor_client.post(reverse("customers:customer_create"), {
        "kind": "person", "name": "张伟", "mobile": "138 0013 8000", "preferred_channel": "phone",
        "tier": "regular", "marketing_consent": "on",
    }, follow=True)
    customer = Customer.objects.get(site=site)
    assert response.redirect_chain[-1][0] == reverse("customers:customer_detail", args=[customer.pk])
    assert customer.mobile == "13800138000" and customer.marketing_consent
    assert "张伟" in response.content.decode()


def test_duplicate_mobile_shows_the_customer_on_file(advisor_client, site):
    existing = CustomerFactory(site=site, name="张伟", mobile="13800138000")
    data = {"kind": "person", "name": "张小伟", "mobile": "13800138000", "preferred_channel": "phone",
            "tier": "regular"}
    response = advisor_client.post(reverse("customers:customer_create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="duplicate-warning"' in html
    assert reverse("customers:customer_detail", args=[existing.pk]) in html
    advisor_client.post(reverse("customers:customer_create"), {**data, "confirm_duplicate": "1"})
    assert Customer.objects.filter(mobile="13800138000").count() == 2


def test_bad_vin_and_plate_get_field_messages(advisor_client, site):
    owner = CustomerFactory(site=site)
    response = advisor_client.post(reverse("customers:vehicle_create") + f"?owner={owner.pk}", {
        "owner": owner.pk, "vin": "LSVAB2I80N2183294", "plate": "沪12345", "make": "大众", "model": "朗逸",
        "warranty_years": 3, "warranty_km": 60000,
    })
    form = response.context["form"]
    assert "I" in form.errors["vin"][0] and "沪12345" in form.errors["plate"][0]
    assert not Vehicle.objects.exists()


def test_duplicate_vin_links_the_vehicle_on_file(advisor_client, site):
    existing = VehicleFactory(owner=CustomerFactory(site=site))
    owner = CustomerFactory(site=site)
    response = advisor_client.post(reverse("customers:vehicle_create"), {
        "owner": owner.pk, "vin": existing.vin, "make": "丰田", "model": "卡罗拉",
        "warranty_years": 3, "warranty_km": 60000,
    })
    html = response.content.decode()
    assert 'id="duplicate-vin"' in html and reverse("customers:vehicle_detail", args=[existing.pk]) in html


def test_new_vehicle_with_mileage(advisor_client, site):
    owner = CustomerFactory(site=site)
    vin = valid_vin()
    response = advisor_client.post(reverse("customers:vehicle_create"), {
        "owner": owner.pk, "vin": vin.lower(), "plate": "沪ad12345", "make": "比亚迪", "model": "秦PLUS",
        "warranty_years": 3, "warranty_km": 60000, "mileage": 1200,
    }, follow=True)
    vehicle = Vehicle.objects.get(vin=vin)
    assert vehicle.plate == "沪AD12345" and vehicle.mileage == 1200
    assert "1200 km" in response.content.decode()


def test_stale_form_is_refused_with_a_message(advisor_client, manager, site):
    from customers import services

    customer = CustomerFactory(site=site, name="张伟", mobile="13800138000")
    services.customer_update(customer_id=customer.pk, site=site, version=1, data={"name": "张三"}, actor=manager)
    response = advisor_client.post(reverse("customers:customer_edit", args=[customer.pk]), {
        "kind": "person", "name": "李四", "mobile": "13800138000", "preferred_channel": "phone",
        "tier": "regular", "version": 1,
    })
    assert "李经理" in response.content.decode()
    customer.refresh_from_db()
    assert customer.name == "张三"


def test_lower_mileage_message_on_the_form(advisor_client, site):
    vehicle = VehicleFactory(owner=CustomerFactory(site=site), mileage=50000)
    response = advisor_client.post(reverse("customers:vehicle_mileage", args=[vehicle.pk]), {"km": 4000})
    assert "50000" in response.content.decode()
    vehicle.refresh_from_db()
    assert vehicle.mileage == 50000


def test_search_by_plate_opens_the_vehicle(advisor_client, site):
    vehicle = VehicleFactory(owner=CustomerFactory(site=site), plate="沪A12345")
    response = advisor_client.get(reverse("customers:search"), {"q": "a12345"})
    assert response.status_code == 302 and response.url == reverse("customers:vehicle_detail", args=[vehicle.pk])


@pytest.mark.parametrize("q", ["\x00\x00", "沪" * 10000, "'; DROP TABLE x; --", "%_%"])
def test_hostile_search_input_is_handled(advisor_client, site, q):
    CustomerFactory(site=site)
    for name in ("customers:search", "customers:customer_list", "customers:vehicle_list"):
        assert advisor_client.get(reverse(name), {"q": q}).status_code == 200


def test_long_and_nul_form_input_gets_messages_not_errors(advisor_client, site):
    response = advisor_client.post(reverse("customers:customer_create"), {
        "kind": "person", "name": "张\x00" + "伟" * 10000, "mobile": "1" * 10000, "preferred_channel": "phone",
        "tier": "regular",
    })
    assert response.status_code == 200 and response.context["form"].errors
    assert not Customer.objects.exists()


def test_transfer_by_mobile(advisor_client, site):
    vehicle = VehicleFactory(owner=CustomerFactory(site=site))
    buyer = CustomerFactory(site=site, mobile="13912345678")
    advisor_client.post(reverse("customers:vehicle_transfer", args=[vehicle.pk]), {"new_owner_mobile": "13912345678"})
    vehicle.refresh_from_db()
    assert vehicle.owner == buyer
    response = advisor_client.post(reverse("customers:vehicle_transfer", args=[vehicle.pk]),
                                   {"new_owner_mobile": "13700000000"})
    assert "create the new owner first" in response.content.decode() or response.context["form"].errors


def test_manager_merges_duplicates(manager_client, site):
    target = CustomerFactory(site=site)
    dup = CustomerFactory(site=site, name=target.name)
    VehicleFactory(owner=dup)
    manager_client.post(reverse("customers:customer_merge", args=[target.pk]), {"duplicate": dup.pk})
    assert target.vehicles.count() == 1
    response = manager_client.get(reverse("customers:customer_detail", args=[dup.pk]))
    assert response.status_code == 302 and response.url.endswith(f"/customers/{target.pk}/")


def test_customer_list_query_count(advisor_client, site, django_assert_num_queries):
    for _ in range(30):
        VehicleFactory(owner=CustomerFactory(site=site))
    advisor_client.get(reverse("customers:customer_list"))  # warm the session
    # session, user, count for the paginator, customers, their vehicles (the user's permissions, roles and
    # sites are cached: servicedesk/accounts/access.py)
    with django_assert_num_queries(5):
        response = advisor_client.get(reverse("customers:customer_list"), {"q": "客户"})
    assert len(response.context["page"].object_list) == 25


def test_vehicle_list_and_search_query_counts(advisor_client, site, django_assert_num_queries):
    for i in range(30):
        VehicleFactory(owner=CustomerFactory(site=site), plate=f"沪C{i:05d}")
    advisor_client.get(reverse("customers:vehicle_list"))
    # session, user, count, vehicles with owners (access cached)
    with django_assert_num_queries(4):
        advisor_client.get(reverse("customers:vehicle_list"), {"q": "沪C"})
    # session, user, vehicles with owners, customers (access cached)
    with django_assert_num_queries(4):
        response = advisor_client.get(reverse("customers:search"), {"q": "沪C"})
    assert len(response.context["vehicles"]) == 20
