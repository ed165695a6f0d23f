"""A mileage reading is the vehicle's own history (its readings); it writes no empty "changed" row into the
vehicle's audit history, while a real change of the vehicle still does."""

import pytest

from customers.models import Vehicle
from customers.services import vehicle_record_mileage
from tests.factories import VehicleFactory

pytestmark = pytest.mark.django_db


def test_a_reading_writes_no_vehicle_history_row(site, advisor):
    vehicle = VehicleFactory(owner__site=site, mileage=10000)
    before = vehicle.history.count()
    vehicle_record_mileage(vehicle_id=vehicle.pk, site=site, km=12000, actor=advisor)
    assert Vehicle.objects.get(pk=vehicle.pk).mileage == 12000 and vehicle.mileage_readings.count() >= 1
    assert vehicle.history.count() == before
    vehicle.colour = "白色"
    vehicle.save()
    assert vehicle.history.count() == before + 1
