"""`/api/v1/parts/` and `/api/v1/stock-movements/`: permissions per role, site scoping, and 400s for bad input."""

from decimal import Decimal

import pytest

from parts import services
from parts.models import Shortage, StockMovement
from servicedesk.accounts.models import Membership
from servicedesk.accounts.roles import QC_INSPECTOR
from tests.factories import make_staff

from .factories import PartFactory, SupplierFactory, stocked_part

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MOVEMENTS = "/api/v1/stock-movements/"


def as_user(client, user):
    client.force_login(user)
    return client


def post(client, data):
    return client.post(MOVEMENTS, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def test_parts_search_kind_filter_and_roles(client, site, other_site, technician):
    wanted = PartFactory(site=site, number="04E115561H", name="机油滤芯", kind="oem")
    PartFactory(site=site, number="04E115561X", kind="aftermarket")
    PartFactory(site=other_site, number="04E115561H")
    client = as_user(client, technician)
    found = client.get("/api/v1/parts/", {"search": "04e-115561", "kind": "oem"}).json()
    assert [p["id"] for p in found["results"]] == [wanted.pk]
    assert found["results"][0]["available"] == "0.00"
    assert client.get(MOVEMENTS).status_code == 403  # technicians read the catalogue, not the ledger
    assert as_user(client, make_staff(role=QC_INSPECTOR, sites=[site])).get("/api/v1/parts/").status_code == 403


def test_availability_per_site_of_the_user(client, site, other_site, manager):
    Membership.objects.create(profile=manager.profile, site=other_site)
    here = stocked_part(site, manager, quantity="3", number="8K0407151")
    stocked_part(other_site, manager, quantity="6", number="8K0407151")
    services.parts_reserve(part=here, quantity="1", repair_order_ref="RO1", actor=manager)
    rows = as_user(client, manager).get(f"/api/v1/parts/{here.pk}/availability/").json()
    assert {r["site"]: (r["on_hand"], r["available"]) for r in rows} == {
        "SH01": ("3.00", "2.00"), "BJ01": ("6.00", "6.00")}


def test_clerk_receives_through_the_api_and_closes_a_shortage(client, site, clerk, advisor):
    part = PartFactory(site=site)
    supplier = SupplierFactory(site=site)
    services.shortage_record(part=part, quantity="2", actor=advisor, repair_order_ref="RO7")
    response = post(as_user(client, clerk), {"kind": "receipt", "part": part.pk, "quantity": "2",
                                             "unit_cost": "35.50", "supplier": supplier.pk,
                                             "delivery_note": "DN1"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["quantity"], body["balance_after"], body["unit_cost"]) == (
        "receipt", "2.00", "2.00", "35.50")
    assert Shortage.objects.get().status == Shortage.Status.RECEIVED
    listed = client.get(MOVEMENTS, {"part": part.pk}).json()
    assert [m["id"] for m in listed["results"]] == [body["id"]]
    assert client.get(f"{MOVEMENTS}{body['id']}/").json()["part_number"] == part.number


def test_adjustments_wait_for_a_manager_unless_made_by_one(client, site, clerk, manager):
    part = stocked_part(site, clerk, quantity="4")
    pending = post(as_user(client, clerk), {"kind": "adjustment", "part": part.pk, "quantity": "-1",
                                            "reason": "破损"})
    assert pending.status_code == 202 and pending.json()["status"] == "pending"
    booked = post(as_user(client, manager), {"kind": "adjustment", "part": part.pk, "quantity": "2",
                                             "reason": "盘盈"})
    assert booked.status_code == 201 and booked.json()["approved_by"] == manager.pk
    part.refresh_from_db()
    assert part.on_hand == Decimal("6")


def test_writes_need_the_permission_of_what_is_booked(client, site, advisor, technician):
    part = PartFactory(site=site)
    receipt = {"kind": "receipt", "part": part.pk, "quantity": "1"}
    assert post(as_user(client, advisor), receipt).status_code == 403
    assert post(as_user(client, technician), {**receipt, "kind": "nonsense"}).status_code == 403
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize("data, field, words", [
    ({"kind": "adjustment", "quantity": "-1", "reason": ""}, "reason", "Say why"),
    ({"kind": "receipt", "quantity": "1.5"}, "quantity", "whole number"),
    ({"kind": "receipt", "quantity": "-2"}, "quantity", "more than zero"),
    ({"kind": "receipt", "quantity": "0"}, "quantity", "zero"),
    ({"kind": "receipt", "quantity": "1.001"}, "quantity", "decimal places"),
    ({"kind": "issue", "quantity": "1"}, "kind", "not a valid choice"),
    ({"kind": "receipt", "quantity": "1", "unit_cost": "-1"}, "unit_cost", "greater than or equal to 0"),
])
def test_bad_input_is_a_400_naming_the_field(client, site, clerk, data, field, words):
    part = PartFactory(site=site)
    response = post(as_user(client, clerk), {"part": part.pk, **data})
    assert response.status_code == 400
    assert words in str(response.json()[field]), response.json()


def test_another_sites_part_cannot_be_booked(client, site, other_site, clerk):
    theirs = PartFactory(site=other_site)
    response = post(as_user(client, clerk), {"kind": "receipt", "part": theirs.pk, "quantity": "1"})
    assert response.status_code == 400 and "part" in response.json()
    assert client.get(f"/api/v1/parts/{theirs.pk}/availability/").status_code == 404


def test_schema_lists_the_parts_api(client, clerk):
    schema = as_user(client, clerk).get("/api/schema/").content.decode()
    assert "/api/v1/parts/{id}/availability/" in schema and "/api/v1/stock-movements/" in schema
