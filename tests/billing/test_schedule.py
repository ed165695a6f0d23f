"""Next service due (定期保养) and first service (首保) from the maintenance schedule: which row wins."""

from datetime import date

import pytest

from billing.models import MaintenanceSchedule
from billing.schedule import add_months, first_service_due, next_service_due
from tests.factories import VehicleFactory

pytestmark = pytest.mark.django_db
DELIVERED = date(2025, 3, 10)


def _row(site, make="", model="", months=6, km=5000, **extra):
    return MaintenanceSchedule.objects.create(site=site, make=make, model=model, interval_months=months,
                                              interval_km=km, **extra)


def _due(vehicle, mileage=20000):
    return next_service_due(vehicle=vehicle, delivered_on=DELIVERED, mileage=mileage)


def test_without_any_row_six_months_and_five_thousand_km(site):
    vehicle = VehicleFactory(owner__site=site)
    assert _due(vehicle) == (date(2025, 9, 10), 25000)
    assert _due(vehicle, mileage=None) == (date(2025, 9, 10), None)


def test_precedence_most_specific_first_the_sites_before_the_groups(site, other_site, django_assert_num_queries):
    vehicle = VehicleFactory(owner__site=site, make="大众", model="朗逸")
    _row(None, months=11, km=11000)                                # group default
    assert _due(vehicle) == (date(2026, 2, 10), 31000)
    _row(None, make="大众", months=10, km=10000)                   # group make
    assert _due(vehicle)[1] == 30000
    _row(None, make="大众", model="朗逸", months=9, km=9000)        # group make + model
    assert _due(vehicle)[1] == 29000
    _row(site, months=8, km=8000)                                  # site default beats every group row
    assert _due(vehicle)[1] == 28000
    _row(site, make="大众", months=7, km=7000)                     # site make
    assert _due(vehicle)[1] == 27000
    _row(site, make="大众", model="朗逸", months=4, km=4000)        # site make + model
    _row(other_site, make="大众", model="朗逸", months=1, km=1000)  # another site's: never
    _row(site, make="大众", model="帕萨特", months=2, km=2000)      # another model: never
    _row(site, make="丰田", months=3, km=3000)                     # another make: never
    with django_assert_num_queries(1):  # the candidate rows of the vehicle's site and the group
        assert _due(vehicle) == (date(2025, 7, 10), 24000)


def test_make_and_model_match_whatever_the_case(site):
    _row(site, make="BMW", model="X3", months=12, km=10000)
    vehicle = VehicleFactory(owner__site=site, make="bmw", model=" x3 ")
    assert _due(vehicle) == (date(2026, 3, 10), 30000)


def test_first_service_from_registration(site):
    _row(site, make="大众", first_service_months=3, first_service_km=3000)
    vehicle = VehicleFactory(owner__site=site, make="大众", registration_date=date(2024, 11, 30))
    assert first_service_due(vehicle) == (date(2025, 2, 28), 3000)
    unregistered = VehicleFactory(owner__site=site, make="大众")
    assert first_service_due(unregistered) == (None, 3000)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2025, 8, 31), 6, date(2026, 2, 28)),
    (date(2023, 8, 31), 6, date(2024, 2, 29)),
    (date(2025, 1, 15), 12, date(2026, 1, 15)),
    (date(2025, 12, 1), 1, date(2026, 1, 1)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected
