"""The labour-time book and packages in the Django admin: lists, search, filters and package inlines."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from parts.models import Part
from repair_orders.models import ServicePackage

from .conftest import make_operation, make_package, make_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("it", "it@example.com", "pw"))
    client.cookies["django_language"] = "en"  # messages asserted below in English, whatever the catalogue has
    return client


def _inline_data(package_site, *, parts=(), operations=()):
    data = {
        "site": package_site.pk, "code": "PK10000", "name": "10000公里保养", "mileage_km": "10000",
        "fixed_price": "", "active": "on",
        "operations-TOTAL_FORMS": str(len(operations)), "operations-INITIAL_FORMS": "0",
        "parts-TOTAL_FORMS": str(len(parts)), "parts-INITIAL_FORMS": "0",
    }
    for n, operation in enumerate(operations):
        data[f"operations-{n}-operation"] = operation.pk
    for n, (part, quantity) in enumerate(parts):
        data[f"parts-{n}-part"], data[f"parts-{n}-quantity"] = part.pk, quantity
    return data


def test_operation_list_searches_and_filters(admin_client):
    make_operation("BY001", name="更换机油机滤")
    make_operation("PQ001", name="前保险杠喷漆", category="paint", hours="3.0", make="大众")
    url = reverse("admin:repair_orders_labouroperation_changelist")
    assert "前保险杠喷漆" in admin_client.get(url, {"q": "保险杠"}).content.decode()
    html = admin_client.get(url, {"category__exact": "maintenance"}).content.decode()
    assert "更换机油机滤" in html and "前保险杠喷漆" not in html
    html = admin_client.get(url, {"make": "大众"}).content.decode()
    assert "前保险杠喷漆" in html and "更换机油机滤" not in html
    assert admin_client.get(url, {"active__exact": "1"}).status_code == 200


def test_operation_autocomplete_serves_the_package_inline(admin_client):
    make_operation("BY001", name="更换机油机滤")
    response = admin_client.get(reverse("admin:autocomplete"), {
        "term": "机油", "app_label": "repair_orders", "model_name": "servicepackageoperation",
        "field_name": "operation"})
    assert [row["text"] for row in response.json()["results"]] == ["BY001 更换机油机滤"]


def test_a_package_is_added_with_operations_and_parts(admin_client, site):
    operation, oil = make_operation(), make_part(site, "OIL", unit=Part.Unit.LITRE, sale_price="80.00")
    response = admin_client.post(reverse("admin:repair_orders_servicepackage_add"),
                                 _inline_data(site, operations=[operation], parts=[(oil, "4.5")]))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    package = ServicePackage.objects.get(code="PK10000")
    assert [line.operation for line in package.operations.all()] == [operation]
    assert [(line.part, line.quantity) for line in package.parts.all()] == [(oil, Decimal("4.50"))]
    html = admin_client.get(reverse("admin:repair_orders_servicepackage_change", args=[package.pk])).content.decode()
    assert "510.00" in html  # 0.5 h × 300 + 4.5 l × 80, shown as the price at the site's rate


def test_a_package_refuses_another_sites_part_and_fractions_of_pieces(admin_client, site, other_site):
    elsewhere, filter_ = make_part(other_site, "F-1"), make_part(site, "F-2")
    response = admin_client.post(reverse("admin:repair_orders_servicepackage_add"),
                                 _inline_data(site, parts=[(elsewhere, "1"), (filter_, "1.5")]))
    assert response.status_code == 200 and not ServicePackage.objects.exists()
    errors = str(response.context["inline_admin_formsets"][1].formset.errors)
    assert "SH01" in errors and "whole units" in errors


def test_package_list_and_change_pages_render(admin_client, site, oil_service):
    make_package(site, "AC01", name="空调清洗套餐")
    html = admin_client.get(reverse("admin:repair_orders_servicepackage_changelist")).content.decode()
    assert "空调清洗套餐" in html and "5000公里保养" in html
    response = admin_client.get(reverse("admin:repair_orders_servicepackage_change", args=[oil_service.pk]))
    assert response.status_code == 200 and "684.00" in response.content.decode()
