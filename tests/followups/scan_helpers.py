"""Data for the scan tests: repair orders delivered at a chosen moment (set directly: the scans only read
state and delivered_at), site-local times."""

from datetime import datetime
from zoneinfo import ZoneInfo

from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from tests.repair_orders.helpers import open_ro


def local(site, text: str) -> datetime:
    """'2026-11-20 15:00' in the site's zone, aware."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(site.time_zone))


def delivered_ro(site, advisor, *, at: datetime, **extra) -> RepairOrder:
    repair_order = open_ro(site, advisor, **extra)
    RepairOrder.objects.filter(pk=repair_order.pk).update(state=ROState.DELIVERED, delivered_at=at)
    repair_order.refresh_from_db()
    return repair_order


def lost_vehicle(site, advisor=None, **fields):
    """A vehicle lost after its last RO (written directly)."""
    from followups.models import LostVehicle
    from servicedesk.accounts.roles import ADVISOR
    from tests.factories import make_staff

    advisor = advisor or make_staff(role=ADVISOR, sites=[site])
    repair_order = delivered_ro(site, advisor, at=local(site, "2025-06-01 10:00"))
    return LostVehicle.objects.create(site=site, vehicle=repair_order.vehicle, last_repair_order=repair_order,
                                      lost_on=local(site, "2026-06-01 10:00").date(), **fields)


def other_site_object(kind: str, site):
    """For tests/test_permission_harness.py: a lost vehicle or a reminder of `site`."""
    if kind == "lost_vehicle":
        return lost_vehicle(site)
    from followups.models import Reminder
    from tests.factories import VehicleFactory

    vehicle = VehicleFactory(owner__site=site)
    return Reminder.objects.create(site=site, kind=Reminder.Kind.MAINTENANCE, vehicle=vehicle,
                                   customer=vehicle.owner, cycle="2026-12-01", due_on="2026-12-01", due_by="date")
