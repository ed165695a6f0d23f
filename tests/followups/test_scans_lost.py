"""Lost vehicles (DESIGN.md §6): N months after the last delivered RO with no newer one; won back when a
new RO is opened; the dates the churn figures count by."""

from datetime import date, timedelta

import pytest

from followups.models import FollowupSettings, LostVehicle
from followups.services.scans import lost_vehicles_mark, lost_vehicles_won_back
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from tests.factories import VehicleFactory
from tests.repair_orders.helpers import open_ro

from .scan_helpers import delivered_ro, local

pytestmark = pytest.mark.django_db


def test_lost_on_the_day_it_crosses_12_months_once(site, advisor):
    repair_order = delivered_ro(site, advisor, at=local(site, "2025-11-20 16:00"))
    assert lost_vehicles_mark(as_of=local(site, "2026-11-19 23:00")) == 0
    assert lost_vehicles_mark(as_of=local(site, "2026-11-20 08:00")) == 1
    assert lost_vehicles_mark(as_of=local(site, "2026-11-21 08:00")) == 0
    lost = LostVehicle.objects.get()
    assert (lost.vehicle_id, lost.last_repair_order, lost.site) == (repair_order.vehicle_id, repair_order, site)
    assert lost.lost_on == date(2026, 11, 20)
    assert lost.won_back_at is None


def test_the_site_setting_and_the_local_day(site, advisor):
    FollowupSettings.objects.create(site=site, lost_after_months=6)
    # 00:30 on 1 May in Shanghai is still 30 April in UTC: the local day counts.
    delivered_ro(site, advisor, at=local(site, "2026-05-01 00:30"))
    assert lost_vehicles_mark(as_of=local(site, "2026-10-31 23:59")) == 0
    assert lost_vehicles_mark(as_of=local(site, "2026-11-01 00:01")) == 1
    assert LostVehicle.objects.get().lost_on == date(2026, 11, 1)


def test_a_newer_repair_order_keeps_the_vehicle(site, advisor):
    vehicle = VehicleFactory(owner__site=site)
    delivered_ro(site, advisor, at=local(site, "2025-06-01 10:00"), vehicle=vehicle)
    open_ro(site, advisor, vehicle=vehicle)  # back in the workshop now
    assert lost_vehicles_mark(as_of=local(site, "2026-06-02 10:00")) == 0


def test_a_cancelled_repair_order_does_not_count_as_a_visit(site, advisor):
    vehicle = VehicleFactory(owner__site=site)
    delivered_ro(site, advisor, at=local(site, "2025-06-01 10:00"), vehicle=vehicle)
    cancelled = open_ro(site, advisor, vehicle=vehicle)
    RepairOrder.objects.filter(pk=cancelled.pk).update(state=ROState.CANCELLED)
    assert lost_vehicles_mark(as_of=local(site, "2026-06-02 10:00")) == 1


def test_outside_the_look_back_only_when_asked(site, advisor):
    delivered_ro(site, advisor, at=local(site, "2024-01-10 10:00"))
    assert lost_vehicles_mark(as_of=local(site, "2026-11-20 10:00")) == 0
    assert lost_vehicles_mark(as_of=local(site, "2026-11-20 10:00"), lookback=timedelta(days=3650)) == 1
    assert LostVehicle.objects.get().lost_on == date(2025, 1, 10)


def test_won_back_with_the_first_new_repair_order_once(site, advisor):
    vehicle = VehicleFactory(owner__site=site)
    delivered_ro(site, advisor, at=local(site, "2025-06-01 10:00"), vehicle=vehicle)
    lost_vehicles_mark(as_of=local(site, "2026-06-02 10:00"))
    assert lost_vehicles_won_back(as_of=local(site, "2026-06-03 10:00")) == 0

    returned = open_ro(site, advisor, vehicle=vehicle)
    assert lost_vehicles_won_back(as_of=returned.created_at + timedelta(minutes=1)) == 1
    assert lost_vehicles_won_back(as_of=returned.created_at + timedelta(minutes=2)) == 0
    lost = LostVehicle.objects.get()
    assert (lost.won_back_repair_order, lost.won_back_at) == (returned, returned.created_at)
    # Back and delivered: not lost again until another N months pass.
    assert lost_vehicles_mark(as_of=local(site, "2026-06-04 10:00")) == 0
