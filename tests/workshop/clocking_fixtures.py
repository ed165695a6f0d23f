"""Repair orders in the workshop for the clocking tests: approved, and their jobs given to a technician through
the dispatch service (job_assign, warnings acknowledged)."""

from decimal import Decimal

from repair_orders.models import JobLine, LabourOperation
from repair_orders.services import (
    job_add_from_operation,
    repair_order_approve,
    repair_order_record_walkaround,
    repair_order_submit_estimate,
)
from tests.repair_orders.conftest import make_operation
from tests.repair_orders.helpers import open_ro, signature_png
from workshop.models import TechnicianProfile
from workshop.services.dispatch import job_assign

NAMES = ("更换前刹车片", "四轮定位", "更换机油机滤", "检查异响")


def operation(n: int, hours: str) -> LabourOperation:
    code = f"KC{n % len(NAMES):02d}"
    return LabourOperation.objects.filter(code=code).first() or make_operation(code, name=NAMES[n % len(NAMES)],
                                                                              hours=hours)


def ro_with_jobs(site, advisor, hours=("1.5",)):
    """An approved RO with one job per entry of `hours` (flat-rate hours), none assigned yet."""
    repair_order = open_ro(site, advisor)
    repair_order = repair_order_record_walkaround(repair_order=repair_order, data={"mileage": 12000},
                                                  version=repair_order.version, actor=advisor)
    for n, value in enumerate(hours):
        job_add_from_operation(repair_order=repair_order, operation=operation(n, value),
                               actor=advisor, hours=Decimal(value))
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    ids = list(repair_order.jobs.values_list("pk", flat=True))
    return repair_order_approve(repair_order=repair_order, approved_line_ids=ids, signer_name="张三",
                                signature_image=signature_png(), version=None, actor=advisor)


def assign(job: JobLine, technician, foreman) -> JobLine:
    TechnicianProfile.objects.get_or_create(site=job.repair_order.site, user=technician)
    job_assign(job_line=job, technician=technician, actor=foreman, acknowledge_warnings=True)
    return JobLine.objects.get(pk=job.pk)


def assigned_jobs(site, advisor, technician, foreman, hours=("1.5",)) -> list[JobLine]:
    """The jobs of a new RO, each assigned to `technician` (the RO is then in progress)."""
    repair_order = ro_with_jobs(site, advisor, hours)
    return [assign(job, technician, foreman) for job in repair_order.jobs.order_by("pk")]


def other_site_object(kind: str, site):
    """For the permission harness: a job line (assigned) or a closed time entry of `site`."""
    from django.utils import timezone

    from servicedesk.accounts.roles import ADVISOR, FOREMAN, TECHNICIAN
    from tests.factories import make_staff
    from workshop.models import TimeEntry

    technician = make_staff(role=TECHNICIAN, sites=[site])
    job = assigned_jobs(site, make_staff(role=ADVISOR, sites=[site]), technician,
                        make_staff(role=FOREMAN, sites=[site]))[0]
    if kind == "job_line":
        return job
    now = timezone.now()
    return TimeEntry.objects.create(site=site, technician=technician, job_line=job, started_at=now, ended_at=now,
                                    ended_by=TimeEntry.EndedBy.NIGHTLY_SCAN, needs_review=True)
