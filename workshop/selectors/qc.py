"""Reads of quality control (质检): the checklist an RO is inspected against, the inspector's queue, and an RO's
inspections so far. Each runs a fixed number of queries whatever the number of jobs, checks or ROs."""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Subquery

from repair_orders.models import JobLine, RepairOrder, RepairOrderEvent
from repair_orders.workflow import AUTHORISED_JOB_STATES, JobState, ROState

from ..models import ChecklistItem, ChecklistTemplate, Inspection, InspectionAnswer, TimeEntry

GENERAL = ""  # the category of the checklist every RO gets


@dataclass
class CheckSection:
    """The checks of one job, or of the whole RO when `job` is None (the general checklist)."""

    job: JobLine | None
    items: list[ChecklistItem] = field(default_factory=list)

    @property
    def job_id(self) -> int | None:
        return self.job.pk if self.job else None


def job_category(job: JobLine) -> str | None:
    """The job's category from its labour operation; a free-text job has none (general checks only)."""
    return job.operation.category if job.operation_id else None


def checklist_for(jobs: list[JobLine]) -> list[CheckSection]:
    """The general checks for the RO, then each job's category checks (jobs need `operation` loaded).
    Two queries: the active templates and their items; none (and no checks) without a job to inspect."""
    if not jobs:
        return []
    templates = ChecklistTemplate.objects.filter(active=True).prefetch_related(
        Prefetch("items", ChecklistItem.objects.order_by("position", "pk")))
    by_category: dict[str, list[ChecklistItem]] = {}
    for template in templates:
        by_category.setdefault(template.category, []).extend(template.items.all())
    sections = [CheckSection(None, by_category.get(GENERAL, []))]
    for job in jobs:
        category = job_category(job)
        sections.append(CheckSection(job, by_category.get(category, []) if category else []))
    return sections


def jobs_to_inspect(repair_order) -> list[JobLine]:
    """The finished jobs QC looks at: DONE (a PASSED job was passed by an earlier inspection)."""
    return list(JobLine.objects.filter(repair_order=repair_order, state=JobState.DONE)
                .select_related("operation", "technician__profile").order_by("pk"))


def technicians_of(jobs: list[JobLine]) -> dict[int, set[int]]:
    """Job id -> ids of everyone who worked on it: the assigned technician and whoever clocked time on it."""
    workers = {job.pk: {job.technician_id} - {None} for job in jobs}
    entries = TimeEntry.objects.filter(job_line__in=[job.pk for job in jobs]).values_list("job_line_id",
                                                                                          "technician_id")
    for job_id, technician_id in entries.distinct():
        workers[job_id].add(technician_id)
    return workers


def qc_queue(*, site):
    """ROs of the site waiting for an inspection (in quality check with a finished job not yet passed),
    the promised ones first, then the longest waiting. A page costs three queries: count, ROs, jobs."""
    entered = (RepairOrderEvent.objects.filter(repair_order=OuterRef("pk"), to_state=ROState.QUALITY_CHECK)
               .exclude(from_state=ROState.QUALITY_CHECK).order_by("-at", "-pk").values("at")[:1])
    awaiting = JobLine.objects.filter(repair_order=OuterRef("pk"), state=JobState.DONE)
    jobs = (JobLine.objects.filter(state__in=AUTHORISED_JOB_STATES).select_related("technician__profile")
            .order_by("pk"))
    return (RepairOrder.objects.filter(site=site, state=ROState.QUALITY_CHECK).filter(Exists(awaiting))
            .select_related("vehicle").annotate(waiting_since=Subquery(entered))
            .prefetch_related(Prefetch("jobs", jobs, to_attr="work"))
            .order_by(F("promised_at").asc(nulls_last=True), F("waiting_since").asc(nulls_last=True), "pk"))


def inspections_of(repair_order) -> list[Inspection]:
    """The RO's inspections, newest first, with their answers and, for a failed one, the jobs sent back
    (`sent_back`: job description and reason, from the RO's qc_failed event). Three queries."""
    inspections = list(Inspection.objects.filter(repair_order=repair_order)
                       .select_related("inspector__profile")
                       .prefetch_related(Prefetch("answers", InspectionAnswer.objects.select_related("job_line"),
                                                  to_attr="answer_rows"))
                       .order_by("-at", "-pk"))
    failures = {event.data.get("inspection"): event.data.get("failed_jobs", [])
                for event in RepairOrderEvent.objects.filter(repair_order=repair_order, kind="qc_failed")}
    for inspection in inspections:
        inspection.sent_back = failures.get(inspection.pk, [])
    return inspections
