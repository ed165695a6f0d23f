"""Data for the dispatch tests: technicians with a profile and today's shift, and approved repair orders whose
jobs wait in the queue (built through the repair-order services, so states and events are real)."""

from datetime import time

from appointments.models import TechnicianShift
from repair_orders.models import LabourOperation
from repair_orders.services import (
    job_add_from_operation,
    part_line_add,
    repair_order_approve,
    repair_order_record_walkaround,
    repair_order_submit_estimate,
)
from repair_orders.services.common import site_today
from servicedesk.accounts.roles import TECHNICIAN
from tests.factories import VehicleFactory, make_staff
from tests.repair_orders.conftest import make_operation, make_part
from tests.repair_orders.helpers import open_ro, signature_png
from workshop.models import TechnicianProfile

# code -> (name, category, skill, hours)
OPERATIONS = {
    "BY001": ("更换机油机滤", "maintenance", "general", "0.5"),
    "JX001": ("更换前刹车片", "mechanical", "mechanical", "1.2"),
    "DQ001": ("检修大灯线路", "electrical", "electrical", "2.0"),
    "PQ001": ("前保险杠喷漆", "paint", "paint", "4.0"),
}


def operation(code: str) -> LabourOperation:
    name, category, skill, hours = OPERATIONS[code]
    return (LabourOperation.objects.filter(code=code).first()
            or make_operation(code, name=name, category=category, skill=skill, hours=hours))


def technician(site, username: str, *, skills=("mechanical",), on_shift=True, display_name="",
               starts=time(8, 30), ends=time(17, 30), level=TechnicianProfile.Level.SENIOR):
    """A technician with a profile in `site` and (unless `on_shift` is False) a shift on today's weekday."""
    user = make_staff(role=TECHNICIAN, sites=[site], username=username, display_name=display_name or username)
    TechnicianProfile.objects.create(site=site, user=user, skills=list(skills), level=level)
    if on_shift:
        TechnicianShift.objects.create(site=site, technician=user, weekday=site_today(site).weekday(),
                                       starts_at=starts, ends_at=ends, break_minutes=60)
    return user


def approved_ro(site, advisor, *, codes=("JX001",), promised_at=None, short_part=False):
    """An approved RO (not dispatched) with one job per operation code; `short_part`: its first job needs a
    part that is not in stock (a shortage: the job waits for parts)."""
    repair_order = open_ro(site, advisor, vehicle=VehicleFactory(owner__site=site), promised_at=promised_at)
    repair_order = repair_order_record_walkaround(repair_order=repair_order, data={"mileage": 12000},
                                                  version=repair_order.version, actor=advisor)
    jobs = [job_add_from_operation(repair_order=repair_order, operation=operation(code), actor=advisor)
            for code in codes]
    if short_part:
        part = make_part(site, f"P-{repair_order.pk}")
        part_line_add(job_line=jobs[0], part=part, quantity=1, actor=advisor)
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    return repair_order_approve(repair_order=repair_order, approved_line_ids=[job.pk for job in jobs],
                                signer_name="张三", signature_image=signature_png(), version=None, actor=advisor)
