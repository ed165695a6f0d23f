"""Demo bookings for `seed_demo`: booking settings, weekly shifts for the site's technicians (plus a few
workshop technicians without a login, so the capacity looks like a real workshop), and appointments
for today and the coming week. Idempotent: a site that already has appointments gets none."""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from customers.models import Vehicle
from repair_orders.models import LabourOperation, ServicePackage
from servicedesk.accounts.models import Membership, StaffProfile
from servicedesk.accounts.roles import TECHNICIAN
from servicedesk.core.errors import ApplicationError

from . import capacity, services
from .models import Appointment, AppointmentEvent, BookingSettings, Channel, TechnicianShift

WORKSHOP_TECHNICIANS = ["王师傅", "李师傅", "赵师傅", "孙师傅", "周师傅"]
CONCERNS = ["做保养", "刹车有异响", "空调不凉", "发动机故障灯亮", "更换轮胎", "右前门有异响", "方向盘抖动",
            "仪表盘提示胎压低", "雨刮器刮不干净", "车辆年检前检查"]


def _technicians(site) -> list[User]:
    group = Group.objects.get(name=TECHNICIAN)
    for n, name in enumerate(WORKSHOP_TECHNICIANS, start=1):
        user, created = User.objects.get_or_create(username=f"tech{n}-{site.code.lower()}")
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
        profile, _ = StaffProfile.objects.get_or_create(user=user, defaults={"display_name": name,
                                                                             "default_site": site})
        Membership.objects.get_or_create(profile=profile, site=site)
    return list(User.objects.filter(is_active=True, groups=group, profile__sites=site).distinct())


def _shifts(site, technicians) -> None:
    for tech in technicians:
        for weekday in range(6):  # Monday to Saturday, 8:30-17:30 with an hour's lunch
            TechnicianShift.objects.get_or_create(site=site, technician=tech, weekday=weekday, defaults={
                "starts_at": time(8, 30), "ends_at": time(17, 30), "break_minutes": 60})


def _book_past(site, advisor, vehicle, start, concern, hours) -> Appointment:
    """This morning's bookings, made yesterday: the service refuses a start that has passed."""
    appointment = Appointment.objects.create(
        site=site, customer=vehicle.owner, vehicle=vehicle, plate=vehicle.plate, contact_name=vehicle.owner.name,
        contact_mobile=vehicle.owner.mobile, channel=Channel.PHONE, start=start, day=capacity.local_day(site, start),
        estimated_hours=hours, advisor=advisor, concern=concern, created_by=advisor, updated_by=advisor)
    AppointmentEvent.objects.create(appointment=appointment, kind=AppointmentEvent.Kind.BOOKED, actor=advisor,
                                    to_status=appointment.status, at=start - timedelta(days=1),
                                    data={"start": capacity.local_iso(site, start), "hours": str(hours)})
    return appointment


def seed_appointments(site, *, advisors: list[User]) -> int:
    """Shifts and a week of appointments for `site`; returns how many appointments were made."""
    BookingSettings.objects.get_or_create(site=site)
    _shifts(site, _technicians(site))
    if Appointment.objects.filter(site=site).exists() or not advisors:
        return 0
    rng = random.Random(f"appointments-{site.code}")  # nosec B311 # seeded demo data, not a secret
    vehicles = list(Vehicle.objects.filter(site=site).select_related("owner").order_by("pk")[:80])
    operations = list(LabourOperation.objects.filter(active=True)[:30])
    packages = list(ServicePackage.objects.filter(site=site, active=True)[:5])
    rng.shuffle(vehicles)
    now = timezone.now()
    today = capacity.local_day(site, now)
    made = 0
    with transaction.atomic():
        for offset in range(7):
            day = today + timedelta(days=offset)
            starts = capacity.slot_starts(site, capacity.booking_settings(site), day)
            if day.weekday() == 6 or not starts:
                continue
            for start in sorted(rng.sample(starts, k=min(len(starts), 9 if offset == 0 else rng.randint(4, 7)))):
                if not vehicles:
                    return made
                made += _one(site, rng, vehicles.pop(), start, now, rng.choice(advisors), operations, packages)
    return made


def _one(site, rng, vehicle, start: datetime, now, advisor, operations, packages) -> int:
    concern = rng.choice(CONCERNS)
    chosen_ops = rng.sample(operations, k=min(len(operations), rng.randint(0, 2)))
    chosen_packages = rng.sample(packages, k=1) if packages and concern == "做保养" else []
    if start <= now:
        appointment = _book_past(site, advisor, vehicle, start, concern, capacity.DEFAULT_HOURS)
        if rng.random() < 0.7:
            services.appointment_check_in(appointment=appointment, actor=advisor)
        return 1
    try:
        appointment = services.appointment_book(
            site=site, actor=advisor, start=start, vehicle=vehicle, advisor=advisor, concern=concern,
            operations=chosen_ops, packages=chosen_packages, channel=rng.choice(list(Channel.values)),
            courtesy_car=rng.random() < 0.15, pickup=rng.random() < 0.1)
    except ApplicationError:
        return 0  # the day or slot is full: a real desk would offer another time
    if rng.random() < 0.5:
        services.appointment_confirm(appointment=appointment, actor=advisor, via="phone")
    return 1
