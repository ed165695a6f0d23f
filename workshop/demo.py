"""Demo workshop for `seed_demo`: the site's workshop rules, bays and lifts, a profile (skills, level, team) for
each technician, and a morning's approved repair orders for the dispatch board, some jobs already given out and
the rest waiting in the queue. Idempotent: a site that already has ROs in the workshop gets no new ones."""

import random
import zoneinfo
from datetime import datetime, time, timedelta
from io import BytesIO

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from customers.models import Vehicle
from repair_orders.models import LabourOperation, RepairOrder
from repair_orders.services import (
    job_add_from_operation,
    repair_order_approve,
    repair_order_open,
    repair_order_record_walkaround,
    repair_order_submit_estimate,
)
from repair_orders.workflow import JobState, ROState
from servicedesk.accounts.roles import TECHNICIAN

from .models import Bay, TechnicianProfile, WorkshopSettings
from .services.dispatch import job_assign

BAYS = [("L01", "1号举升机", Bay.Kind.LIFT), ("L02", "2号举升机", Bay.Kind.LIFT), ("L03", "3号举升机", Bay.Kind.LIFT),
        ("L04", "4号举升机", Bay.Kind.LIFT), ("F01", "快修工位", Bay.Kind.FLOOR),
        ("A01", "四轮定位", Bay.Kind.ALIGNMENT), ("B01", "钣金工位", Bay.Kind.BODY), ("P01", "烤漆房", Bay.Kind.PAINT),
        ("W01", "洗车位", Bay.Kind.WASH)]
# (skills, level, team), given to the site's technicians in turn
PROFILES = [
    (["general", "mechanical"], TechnicianProfile.Level.SENIOR, "机修一组"),
    (["general", "mechanical", "electrical", "diagnostic"], TechnicianProfile.Level.MASTER, "机修一组"),
    (["general", "mechanical"], TechnicianProfile.Level.JUNIOR, "机修二组"),
    (["body"], TechnicianProfile.Level.SENIOR, "钣喷组"),
    (["paint"], TechnicianProfile.Level.SENIOR, "钣喷组"),
    (["general"], TechnicianProfile.Level.APPRENTICE, "机修二组"),
]
CONCERNS = ["做保养", "刹车有异响", "空调不凉", "发动机故障灯亮", "右前门有异响", "前保险杠刮擦", "方向盘抖动"]
WORKSHOP_RO_STATES = (ROState.APPROVED, ROState.IN_PROGRESS, ROState.QUALITY_CHECK)


def seed_workshop(site, *, advisor, foreman, orders: int = 10) -> int:
    """Rules, bays, profiles, and `orders` approved ROs (about half their jobs dispatched); returns ROs made."""
    WorkshopSettings.objects.get_or_create(site=site)
    for code, name, kind in BAYS:
        Bay.objects.get_or_create(site=site, code=code, defaults={"name": name, "kind": kind})
    technicians = list(User.objects.filter(is_active=True, groups__name=TECHNICIAN, profile__sites=site)
                       .distinct().order_by("username"))
    for n, user in enumerate(technicians):
        skills, level, team = PROFILES[n % len(PROFILES)]
        TechnicianProfile.objects.get_or_create(site=site, user=user,
                                                defaults={"skills": skills, "level": level, "team": team})
    if RepairOrder.objects.filter(site=site, state__in=WORKSHOP_RO_STATES).exists() or not technicians:
        return 0
    rng = random.Random(f"workshop-{site.code}")  # nosec B311 # seeded demo data
    operations = list(LabourOperation.objects.filter(active=True, make="", model="", hours__gt=0).order_by("code"))
    busy = RepairOrder.objects.filter(site=site).exclude(state__in=(ROState.DELIVERED, ROState.CANCELLED))
    vehicles = list(Vehicle.objects.filter(site=site).exclude(repair_orders__in=busy).select_related("owner")
                    .order_by("pk")[:orders])
    if not operations:
        return 0
    zone = zoneinfo.ZoneInfo(site.time_zone)
    today = timezone.localtime(timezone.now(), zone).date()
    made = 0
    with transaction.atomic():
        for n, vehicle in enumerate(vehicles):
            promised = datetime.combine(today, time(11, 0), tzinfo=zone) + timedelta(minutes=30 * n)
            repair_order = _approved_ro(site, advisor, vehicle, rng.sample(operations, k=rng.randint(1, 3)),
                                        promised_at=promised, concern=rng.choice(CONCERNS))
            for job in repair_order.jobs.filter(state=JobState.APPROVED).order_by("pk"):
                if rng.random() < 0.5:
                    job_assign(job_line=job, technician=_suited(job, site, technicians, rng), actor=foreman,
                               acknowledge_warnings=True)
            made += 1
    return made


def _approved_ro(site, advisor, vehicle, operations, *, promised_at, concern) -> RepairOrder:
    repair_order = repair_order_open(site=site, customer=vehicle.owner, vehicle=vehicle, advisor=advisor,
                                     actor=advisor, concerns=concern, promised_at=promised_at)
    repair_order = repair_order_record_walkaround(repair_order=repair_order,
                                                  data={"mileage": (vehicle.mileage or 0) + 120},
                                                  version=repair_order.version, actor=advisor)
    jobs = [job_add_from_operation(repair_order=repair_order, operation=operation, actor=advisor)
            for operation in operations]
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    return repair_order_approve(repair_order=repair_order, approved_line_ids=[job.pk for job in jobs],
                                signer_name=vehicle.owner.name, signature_image=_signature(), version=None,
                                actor=advisor)


def _suited(job, site, technicians, rng):
    """A technician with the skill the job needs, else anyone (the warning is acknowledged)."""
    skill = job.operation.skill if job.operation_id else ""
    profiles = TechnicianProfile.objects.filter(site=site, user__in=technicians, active=True).select_related("user")
    suited = [profile.user for profile in profiles if profile.has_skill(skill)]
    return rng.choice(suited or technicians)


def _signature() -> bytes:
    picture = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(picture).line([(20, 60), (110, 30), (200, 70), (280, 40)], fill=(0, 0, 0, 255), width=3)
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()
