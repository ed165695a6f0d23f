import re

import pytest

from tests.factories import CustomerFactory, valid_vin

pytestmark = pytest.mark.django_db


def test_api_field_error_is_a_400_with_the_field(advisor_client, site):
    response = advisor_client.post("/api/v1/customers/", {"name": "张伟", "mobile": "12345"},
                                   content_type="application/json")
    assert response.status_code == 400 and "mobile" in response.json()


def test_api_stale_version_is_a_409(advisor_client, site, manager):
    from customers import services

    customer = CustomerFactory(site=site)
    services.customer_update(customer_id=customer.pk, site=site, version=1, data={"name": "张三"}, actor=manager)
    response = advisor_client.patch(f"/api/v1/customers/{customer.pk}/", {"name": "李四", "version": 1},
                                    content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "stale_version"


def test_api_create_and_search_vehicle(advisor_client, site):
    owner = CustomerFactory(site=site)
    vin = valid_vin()
    response = advisor_client.post("/api/v1/vehicles/", {"owner": owner.pk, "vin": vin, "plate": "沪A12345",
                                                          "make": "大众", "model": "帕萨特"},
                                   content_type="application/json")
    assert response.status_code == 201, response.json()
    found = advisor_client.get("/api/v1/vehicles/", {"search": "A123"}).json()["results"]
    assert [v["vin"] for v in found] == [vin]
    duplicate = advisor_client.post("/api/v1/vehicles/", {"owner": owner.pk, "vin": vin, "make": "大众",
                                                           "model": "帕萨特"}, content_type="application/json")
    assert duplicate.status_code == 400 and duplicate.json()["existing_vehicle_id"] == response.json()["id"]


def test_api_token_auth_works(client, advisor, site):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=advisor)
    CustomerFactory(site=site)
    response = client.get("/api/v1/customers/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["count"] == 1


def test_api_read_only_role_cannot_write(client, technician, site):
    client.force_login(technician)
    assert client.get("/api/v1/customers/").status_code == 200
    assert client.post("/api/v1/customers/", {"name": "x", "mobile": "13800138000"},
                       content_type="application/json").status_code == 403


def test_openapi_schema_and_offline_docs(advisor_client):
    schema = advisor_client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/vehicles/" in schema.content
    docs = advisor_client.get("/api/docs/").content.decode()
    # No script or style from a CDN (a bare "cdn" could be part of the page's random CSRF token).
    assert "drf_spectacular_sidecar" in docs and not re.search(r"cdn\.|jsdelivr|unpkg|cdnjs", docs.lower())
