"""A comeback (返修) opened from the walk-in form or the API: it returns to the same vehicle's RO delivered at
most 30 days earlier; the form offers those ROs once the vehicle is chosen, and refuses anything else clearly."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from tests.factories import CustomerFactory, VehicleFactory

from .helpers import open_ro

pytestmark = pytest.mark.django_db

WALK_IN = reverse("repair_orders:walk_in")
COMEBACKS = reverse("repair_orders:walk_in_comebacks")
API = "/api/v1/repair-orders/"


def delivered(site, advisor, *, days_ago, vehicle=None, concerns="刹车异响"):
    repair_order = open_ro(site, advisor, vehicle=vehicle, concerns=concerns)
    RepairOrder.objects.filter(pk=repair_order.pk).update(
        state=ROState.DELIVERED, delivered_at=timezone.now() - timedelta(days=days_ago))
    repair_order.refresh_from_db()
    return repair_order


@pytest.fixture
def history(site, advisor):
    """A vehicle delivered 5 and 40 days ago, and another vehicle delivered 3 days ago."""
    vehicle = VehicleFactory(owner=CustomerFactory(site=site), plate="沪A12345", mileage=10000)
    recent = delivered(site, advisor, days_ago=5, vehicle=vehicle)
    old = delivered(site, advisor, days_ago=40, vehicle=vehicle)
    elsewhere = delivered(site, advisor, days_ago=3)
    return vehicle, recent, old, elsewhere


def form(vehicle, advisor, **changes):
    return {"vehicle": vehicle.pk, "ro_type": "comeback", "advisor": advisor.pk, "concerns": "刹车还是响",
            **changes}


def test_the_form_offers_the_vehicles_recent_deliveries_only(advisor_client, history):
    vehicle, recent, old, elsewhere = history
    html = advisor_client.get(COMEBACKS, {"vehicle": vehicle.pk}).content.decode()
    assert recent.number in html and old.number not in html and elsewhere.number not in html
    assert f'value="{recent.pk}" selected' in html  # the only one: chosen already
    assert 'id="comeback-help"' in advisor_client.get(COMEBACKS).content.decode()  # no vehicle yet
    nothing = advisor_client.get(COMEBACKS, {"vehicle": VehicleFactory(owner__site=recent.site).pk})
    assert 'id="comeback-none"' in nothing.content.decode()
    page = advisor_client.get(WALK_IN, {"vehicle": vehicle.pk}).content.decode()
    assert 'id="comeback-field"' in page and recent.number in page


def test_a_comeback_is_opened_linked_to_the_earlier_ro(advisor_client, advisor, history):
    vehicle, recent, _old, _elsewhere = history
    response = advisor_client.post(WALK_IN, form(vehicle, advisor, comeback_of=recent.pk))
    comeback = RepairOrder.objects.get(ro_type="comeback")
    assert response.status_code == 302 and response.url == reverse("repair_orders:detail", args=[comeback.pk])
    assert comeback.comeback_of == recent and comeback.vehicle == vehicle


@pytest.mark.parametrize("pick", ["none", "old", "elsewhere", "unknown"])
def test_a_comeback_without_a_recent_ro_of_the_vehicle_is_refused(advisor_client, advisor, history, pick):
    vehicle, _recent, old, elsewhere = history
    comeback_of = {"none": "", "old": old.pk, "elsewhere": elsewhere.pk, "unknown": 987654}[pick]
    response = advisor_client.post(WALK_IN, form(vehicle, advisor, comeback_of=comeback_of))
    assert response.status_code == 200
    errors = response.context["form"].errors["comeback_of"]
    if pick in ("old", "elsewhere"):
        assert {"old": old, "elsewhere": elsewhere}[pick].number in errors[0]
    else:
        assert errors == [_("Choose the repair order this comeback returns to.")]
    assert 'id="comeback-field" class=""' in response.content.decode()  # shown, with the error
    assert not RepairOrder.objects.filter(ro_type="comeback").exists()


def test_another_type_ignores_a_leftover_choice(advisor_client, advisor, history):
    vehicle, recent, _old, _elsewhere = history
    response = advisor_client.post(WALK_IN, form(vehicle, advisor, ro_type="repair", comeback_of=recent.pk))
    assert response.status_code == 302
    assert RepairOrder.objects.get(concerns="刹车还是响").comeback_of is None


def test_the_api_creates_a_comeback_with_the_same_rule(advisor_client, history):
    vehicle, recent, old, elsewhere = history
    body = {"customer": vehicle.owner_id, "vehicle": vehicle.pk, "ro_type": "comeback"}
    for refused in (old, elsewhere):
        response = advisor_client.post(API, {**body, "comeback_of": refused.pk}, content_type="application/json")
        assert response.status_code == 400 and refused.number in str(response.json()["comeback_of"])
    response = advisor_client.post(API, {**body, "comeback_of": recent.pk}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["comeback_of"] == recent.pk
    assert RepairOrder.objects.get(pk=response.json()["id"]).comeback_of == recent
