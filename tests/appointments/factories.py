"""Booking test data: technicians with weekly shifts, site-local times, and appointments booked through
the service (so capacity and events are real)."""

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from appointments.models import BookingSettings, TechnicianShift
from appointments.services import appointment_book
from servicedesk.accounts.roles import TECHNICIAN
from tests.factories import CustomerFactory, VehicleFactory, make_staff

WORKDAYS = range(0, 6)  # Monday to Saturday


def configure(site, **rules) -> BookingSettings:
    defaults = {"slot_minutes": 30, "arrivals_per_slot": 2, "availability_factor": Decimal("0.80")}
    settings, _ = BookingSettings.objects.update_or_create(site=site, defaults={**defaults, **rules})
    return settings


def technicians_on_shift(site, count=2, *, starts=time(8, 30), ends=time(17, 30), break_minutes=60,
                         weekdays=WORKDAYS, prefix="tech"):
    """`count` technicians working `starts`-`ends` on `weekdays` (8 hours a day by default)."""
    techs = []
    for n in range(count):
        tech = make_staff(role=TECHNICIAN, sites=[site], username=f"{prefix}{n}-{site.code}", display_name=f"技师{n}")
        for weekday in weekdays:
            TechnicianShift.objects.create(site=site, technician=tech, weekday=weekday, starts_at=starts,
                                           ends_at=ends, break_minutes=break_minutes)
        techs.append(tech)
    return techs


def local(site, text: str) -> datetime:
    """'2026-03-03 09:00' in the site's zone, aware."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(site.time_zone))


def a_vehicle(site, **fields):
    return VehicleFactory(owner=CustomerFactory(site=site), **fields)


def book(site, actor, when: str, *, hours="1.00", vehicle=None, **kwargs):
    vehicle = vehicle or a_vehicle(site)
    kwargs.setdefault("concern", "保养")
    return appointment_book(site=site, actor=actor, start=local(site, when), vehicle=vehicle,
                            estimated_hours=hours, **kwargs)


def appointment_on_file(site, **fields):
    """An appointment written directly (no capacity check): for tests about who may see it."""
    from datetime import timedelta

    from django.utils import timezone

    from appointments.capacity import local_day
    from appointments.models import Appointment

    vehicle = fields.pop("vehicle", None) or a_vehicle(site)
    start = fields.pop("start", None) or timezone.now() + timedelta(days=1)
    defaults = {"customer": vehicle.owner, "vehicle": vehicle, "plate": vehicle.plate,
                "contact_name": vehicle.owner.name, "contact_mobile": vehicle.owner.mobile, "start": start,
                "day": local_day(site, start),
                "estimated_hours": Decimal("1.00"), "concern": "保养"}
    return Appointment.objects.create(site=site, **{**defaults, **fields})
