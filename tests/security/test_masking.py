"""Mobiles masked for roles that do not call customers; technicians see mobiles and prices only where the
site allows it (servicedesk/core/masking.py, the `privacy` template filters, MaskedMobilesMixin)."""

import pytest
from django.urls import reverse

from servicedesk.accounts.roles import (
    ADVISOR,
    CASHIER,
    CUSTOMER_CARE,
    FOREMAN,
    PARTS_CLERK,
    QC_INSPECTOR,
    SERVICE_MANAGER,
    TECHNICIAN,
)
from servicedesk.core.masking import mask_mobile
from tests.factories import CustomerFactory, VehicleFactory, make_staff
from tests.repair_orders.helpers import estimated_ro
from workshop.models import WorkshopSettings

pytestmark = pytest.mark.django_db

MOBILE, MASKED = "13812345678", "138****5678"
CALLERS = (ADVISOR, CUSTOMER_CARE, SERVICE_MANAGER, CASHIER)
NON_CALLERS = (FOREMAN, QC_INSPECTOR, PARTS_CLERK, TECHNICIAN)


def test_a_mobile_keeps_its_first_three_and_last_four_digits():
    assert mask_mobile(MOBILE) == MASKED
    assert mask_mobile("+8613812345678") == "+86*******5678"
    assert mask_mobile("12345") == "***45"
    assert mask_mobile("") == ""


def _page(client, site, role, url):
    client.force_login(make_staff(role=role, sites=[site]))
    return client.get(url).content.decode()


@pytest.mark.parametrize("role", CALLERS + NON_CALLERS)
def test_lists_and_pages_mask_mobiles_for_roles_that_do_not_call(client, site, role):
    customer = CustomerFactory(site=site, mobile=MOBILE)
    vehicle = VehicleFactory(owner=customer)
    urls = [reverse("customers:customer_list"), reverse("customers:vehicle_list"),
            reverse("customers:customer_detail", args=[customer.pk]),
            reverse("customers:vehicle_detail", args=[vehicle.pk]),
            reverse("customers:search") + "?q=1381234"]
    for url in urls:
        body = _page(client, site, role, url)
        if role in CALLERS:
            assert MOBILE in body, (role, url)
        else:
            assert MOBILE not in body and MASKED in body, (role, url)


@pytest.mark.parametrize("role", CALLERS + NON_CALLERS)
def test_the_api_masks_mobiles_for_roles_that_do_not_call(client, site, role):
    CustomerFactory(site=site, mobile=MOBILE, mobile2="13987654321")
    client.force_login(make_staff(role=role, sites=[site]))
    row = client.get("/api/v1/customers/").json()["results"][0]
    if role in CALLERS:
        assert (row["mobile"], row["mobile2"]) == (MOBILE, "13987654321")
    else:
        assert (row["mobile"], row["mobile2"]) == (MASKED, "139****4321")


def test_a_technician_sees_mobiles_where_the_site_allows(client, site):
    customer = CustomerFactory(site=site, mobile=MOBILE)
    WorkshopSettings.objects.create(site=site, technicians_see_mobiles=True)
    technician = make_staff(role=TECHNICIAN, sites=[site])
    client.force_login(technician)
    assert MOBILE in client.get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
    assert client.get("/api/v1/customers/").json()["results"][0]["mobile"] == MOBILE
    client.force_login(make_staff(role=FOREMAN, sites=[site]))  # the setting is for technicians only
    assert MOBILE not in client.get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()


def _ro_page(client, site, role, repair_order):
    body = _page(client, site, role, reverse("repair_orders:detail", args=[repair_order.pk]))
    assert repair_order.customer.mobile[-4:] in body  # the page itself rendered
    return body


@pytest.mark.parametrize("role, sees", [(TECHNICIAN, False), (FOREMAN, True), (QC_INSPECTOR, True),
                                        (ADVISOR, True), (CASHIER, True)])
def test_the_repair_order_page_hides_prices_from_technicians(client, site, advisor, role, sees):
    repair_order = estimated_ro(site, advisor)
    body = _ro_page(client, site, role, repair_order)
    assert ('id="ro-totals"' in body) is sees
    assert (f">{repair_order.jobs.get().labour_price}<" in body) is sees


def test_a_technician_sees_prices_where_the_site_allows(client, site, advisor):
    repair_order = estimated_ro(site, advisor)
    WorkshopSettings.objects.create(site=site, technicians_see_prices=True)
    assert 'id="ro-totals"' in _ro_page(client, site, TECHNICIAN, repair_order)


def test_the_repair_order_page_masks_the_mobile_for_the_workshop(client, site, advisor):
    repair_order = estimated_ro(site, advisor)
    mobile = repair_order.customer.mobile
    assert mobile in _ro_page(client, site, ADVISOR, repair_order)
    body = _ro_page(client, site, FOREMAN, repair_order)
    assert mobile not in body and mask_mobile(mobile) in body
