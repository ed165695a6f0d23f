"""Repair orders brought to quality check for the QC tests. The workshop's own steps (dispatch, clocking) are
other modules' services; here the jobs are moved directly with repair_orders' guarded moves."""

from django.db import transaction

from repair_orders.models import JobLine, LabourOperation
from repair_orders.services import (
    job_add_free_text,
    repair_order_approve,
    repair_order_submit_estimate,
)
from repair_orders.services.common import lock_repair_order, move_job, move_ro
from repair_orders.workflow import JobState, ROState
from tests.repair_orders.conftest import make_operation
from tests.repair_orders.helpers import estimated_ro, signature_png
from workshop.qc_defaults import seed_checklists
from workshop.services.qc import repair_order_to_quality_check_if_done

# code -> (name, category) of the labour operations the QC tests use
OPERATIONS = {"BY001": ("更换机油机滤", "maintenance"), "JX001": ("更换前刹车片", "mechanical"),
              "DQ001": ("检修大灯", "electrical"), "PQ001": ("前保险杠喷漆", "paint"),
              "ZD001": ("故障诊断", "diagnosis")}


def approved_ro(site, advisor, *, operations=("BY001",), free_text=()):
    """An RO whose jobs (one per operation code, plus free-text ones) the customer approved."""
    for code in operations:
        if code in OPERATIONS and not LabourOperation.objects.filter(code=code).exists():
            name, category = OPERATIONS[code]
            make_operation(code, name=name, category=category)
    repair_order = estimated_ro(site, advisor, operations=operations)
    for description in free_text:
        job_add_free_text(repair_order=repair_order, description=description, labour_price=100, hours=1,
                          actor=advisor)
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    ids = list(repair_order.jobs.values_list("pk", flat=True))
    return repair_order_approve(repair_order=repair_order, approved_line_ids=ids, signer_name="张三",
                                signature_image=signature_png(), version=None, actor=advisor)


@transaction.atomic
def start_work(repair_order, technician):
    """Dispatch: the RO in progress, every approved job assigned to `technician`."""
    locked = lock_repair_order(repair_order, version=None)
    move_ro(locked, ROState.IN_PROGRESS, technician, kind="dispatched")
    for job in JobLine.objects.filter(repair_order=locked, state=JobState.APPROVED):
        job.technician = technician
        move_job(job, JobState.ASSIGNED, technician, fields=["technician"])


@transaction.atomic
def finish(job):
    """The technician clocks on and finishes an assigned job (the clocking module's moves, done directly)."""
    job = JobLine.objects.select_for_update().get(pk=job.pk)
    move_job(job, JobState.IN_PROGRESS, job.technician)
    move_job(job, JobState.DONE, job.technician)
    return job


def ro_in_quality_check(site, advisor, technician, *, operations=("BY001",), free_text=(), seed=True):
    """An RO whose jobs `technician` has finished, waiting for QC (default checklists seeded)."""
    if seed:
        seed_checklists()
    repair_order = approved_ro(site, advisor, operations=operations, free_text=free_text)
    start_work(repair_order, technician)
    for job in repair_order.jobs.all():
        finish(job)
    assert repair_order_to_quality_check_if_done(repair_order=repair_order, actor=technician)
    repair_order.refresh_from_db()
    return repair_order


def all_ok(repair_order, *, but=()):
    """Answers for every check of the RO's checklist, OK unless (job id or None, check text) is in `but`."""
    from workshop.selectors.qc import checklist_for, jobs_to_inspect

    return [{"job": section.job_id, "check": item.pk, "ok": (section.job_id, item.text) not in but,
             "remark": "" if (section.job_id, item.text) not in but else "不合格"}
            for section in checklist_for(jobs_to_inspect(repair_order)) for item in section.items]
