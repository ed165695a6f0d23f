"""Reads for additional work, discounts and recommendations; each runs a constant number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import DiscountRequest, JobLine, Photo, RecommendationOffer, RepairOrder
from .totals import job_line_amounts
from .workflow import AUTHORISED_JOB_STATES, JobState, ROState

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PricedLine:
    job: JobLine
    gross: Decimal  # what the customer pays for the line if approved, VAT included

    @property
    def answered(self) -> bool:
        return self.job.state not in (JobState.PROPOSED, JobState.PENDING_DIAGNOSIS)


def _lines_with_details(lines: QuerySet[JobLine]) -> QuerySet[JobLine]:
    """Line, answer (joined), parts lines with their parts, photos: three queries, whatever the count."""
    return (lines.select_related("customer_answer", "operation")
            .prefetch_related("part_lines__part", Prefetch("photos", queryset=Photo.objects.order_by("pk")))
            .order_by("pk"))


def _priced(jobs, site) -> list[PricedLine]:
    return [PricedLine(job=job, gross=_full_gross(job, site)) for job in jobs]


def _full_gross(job: JobLine, site) -> Decimal:
    """The line's price as if approved (a proposed line is not billed yet, so the totals would skip it)."""
    state, job.state = job.state, JobState.APPROVED
    try:
        return sum((line.amounts.gross for line in job_line_amounts(job, site=site)), ZERO)
    finally:
        job.state = state


def approval_page(*, repair_order_id: int, site_id: int, line_ids) -> tuple[RepairOrder, list[PricedLine]] | None:
    """The RO of a signed link and the lines it named, priced, with answers and photos: five queries
    (RO with site, customer and vehicle; lines with answers; parts lines; parts; photos)."""
    repair_order = (RepairOrder.objects.select_related("site", "customer", "vehicle")
                    .filter(pk=repair_order_id, site_id=site_id).first())
    if repair_order is None:
        return None
    jobs = _lines_with_details(JobLine.objects.filter(repair_order=repair_order, pk__in=list(line_ids)))
    return repair_order, _priced(jobs, repair_order.site)


@dataclass(frozen=True)
class AdditionalWorkPanel:
    repair_order: RepairOrder
    lines: list[PricedLine]
    waiting: int  # additional lines still waiting for the customer's answer
    discount_requests: list[DiscountRequest]
    recommendations: list[JobLine]


def additional_work_panel(*, repair_order: RepairOrder) -> AdditionalWorkPanel:
    """The RO's additional lines (with parts, photos and answers), its pending discount requests and the
    vehicle's open recommendations: seven queries. Load the RO with its site."""
    jobs = list(_lines_with_details(JobLine.objects.filter(repair_order=repair_order, additional=True)))
    requests = list(DiscountRequest.objects.filter(job_line__repair_order=repair_order,
                                                   status=DiscountRequest.Status.PENDING)
                    .select_related("job_line", "requested_by__profile"))
    lines = _priced(jobs, repair_order.site)
    return AdditionalWorkPanel(
        repair_order=repair_order, lines=lines, waiting=sum(1 for line in lines if not line.answered),
        discount_requests=requests,
        recommendations=list(recommendations_for_check_in(repair_order=repair_order)))


def vehicle_open_recommendations(*, vehicle, exclude_repair_order: RepairOrder | None = None) -> QuerySet[JobLine]:
    """Declined lines of the vehicle's repair orders not since done: not offered again on a later RO (still
    alive), and no later authorised line of the same operation (or, without one, the same description).
    One query (add select/prefetch as needed), newest first."""
    declined = JobLine.objects.filter(repair_order__vehicle=vehicle, state=JobState.DECLINED)
    if exclude_repair_order is not None:
        declined = declined.exclude(repair_order=exclude_repair_order)
    offered = RecommendationOffer.objects.filter(declined_line=OuterRef("pk")).exclude(
        job_line__repair_order__state=ROState.CANCELLED)
    later_done = JobLine.objects.filter(
        repair_order__vehicle=vehicle, state__in=AUTHORISED_JOB_STATES,
        created_at__gt=OuterRef("created_at")).filter(
        Q(operation__isnull=False, operation=OuterRef("operation"))
        | Q(description__iexact=OuterRef("description")))
    return (declined.exclude(Exists(offered)).exclude(Exists(later_done))
            .select_related("repair_order").order_by("-declined_at", "-pk"))


def recommendations_for_check_in(*, repair_order: RepairOrder) -> QuerySet[JobLine]:
    """What the check-in screen offers again for this RO's vehicle (its own declined lines excluded)."""
    return vehicle_open_recommendations(vehicle=repair_order.vehicle_id, exclude_repair_order=repair_order)
