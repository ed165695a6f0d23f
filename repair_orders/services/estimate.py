"""The estimate and work order (任务委托书): job lines from the labour-time book, a service package or free
text, their parts lines, submitting the estimate, and the customer's signed approval."""

from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parts.models import Part
from parts.quantities import clean_quantity
from parts.services import parts_reserve
from servicedesk.core.errors import ApplicationError
from servicedesk.core.money import money

from .. import pricing
from ..models import (
    DiscountRequest,
    JobLine,
    JobLineEvent,
    LabourOperation,
    PartLine,
    PayType,
    RepairOrder,
    ServicePackage,
    Signature,
)
from ..totals import repair_order_totals
from ..workflow import EDITABLE_RO_STATES, JobState, ROState, check_ro_transition
from .common import check_editable, lock_repair_order, move_job, move_ro, ro_event, save_changes, signature_file
from .reception import new_signature

SOURCE_OF_KIND = {Part.Kind.OEM: PartLine.Source.OEM, Part.Kind.AFTERMARKET: PartLine.Source.AFTERMARKET,
                  Part.Kind.ACCESSORY: PartLine.Source.OEM}


def _amount(value, *, field: str) -> Decimal:
    """A non-negative Decimal with two places from a form or API value."""
    try:
        amount = money(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError(_("Enter an amount."), field=field) from None
    if amount < 0:
        raise ApplicationError(_("The amount cannot be negative."), field=field)
    return amount


def _new_job(repair_order: RepairOrder, *, actor, version: int | None, **fields) -> JobLine:
    """Lock the RO and add a proposed line: to the estimate, or as extra work once the customer has signed."""
    locked = lock_repair_order(repair_order, version=version)
    check_editable(locked, additional_work=True)
    if fields.get("pay_type", PayType.CUSTOMER) not in PayType.values:
        raise ApplicationError(_("Choose who pays for this job."), field="pay_type")
    job = JobLine.objects.create(repair_order=locked, created_by=actor,
                                 additional=locked.state not in EDITABLE_RO_STATES, **fields)
    JobLineEvent.objects.create(job_line=job, actor=actor, from_state="", to_state=job.state,
                                data={"additional": job.additional})
    save_changes(locked, actor)
    ro_event(locked, "job_added", actor, job=job.pk, description=job.description, additional=job.additional,
             labour_price=str(job.labour_price))
    repair_order.version = locked.version  # the caller's copy stays postable
    return job


@transaction.atomic
def job_add_from_operation(*, repair_order: RepairOrder, operation: LabourOperation, actor,
                           version: int | None = None, pay_type: str = PayType.CUSTOMER,
                           hours: Decimal | None = None, diagnostic_fee: Decimal | None = None) -> JobLine:
    """A line from the labour-time book: its flat-rate hours (or `hours`) × the site's rate, or its fixed price."""
    vehicle = repair_order.vehicle
    if not operation.active or not _applies(operation.make, vehicle.make) or not _applies(operation.model,
                                                                                           vehicle.model):
        raise ApplicationError(_("Operation %(code)s does not apply to this vehicle.") % {"code": operation.code},
                               field="operation")
    hours = operation.hours if hours is None else _amount(hours, field="hours")
    return _new_job(repair_order, actor=actor, version=version, operation=operation, description=operation.name,
                    pay_type=pay_type, hours=hours,
                    labour_price=pricing.labour_line_price(operation=operation, site=repair_order.site, hours=hours),
                    diagnostic_fee=_amount(diagnostic_fee or 0, field="diagnostic_fee"))


def _applies(wanted: str, actual: str) -> bool:
    return not wanted or wanted.strip().lower() == (actual or "").strip().lower()


@transaction.atomic
def job_add_free_text(*, repair_order: RepairOrder, description: str, labour_price: Decimal, actor,
                      version: int | None = None, hours: Decimal = Decimal("0"), pay_type: str = PayType.CUSTOMER,
                      diagnostic_fee: Decimal | None = None) -> JobLine:
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("Describe the job."), code="required", field="description")
    return _new_job(repair_order, actor=actor, version=version, description=description[:200], pay_type=pay_type,
                    hours=_amount(hours, field="hours"), labour_price=_amount(labour_price, field="labour_price"),
                    diagnostic_fee=_amount(diagnostic_fee or 0, field="diagnostic_fee"))


@transaction.atomic
def job_add_from_package(*, repair_order: RepairOrder, package: ServicePackage, actor, version: int | None = None,
                         pay_type: str = PayType.CUSTOMER) -> JobLine:
    """One line for the whole package, with its operations' hours and labour and a parts line per part.

    A fixed package price is kept as a discount spread over the labour and parts in proportion to their
    prices, so the lines add up to exactly the package price."""
    if package.site_id != repair_order.site_id or not package.active:
        raise ApplicationError(_("Choose an active service package of this site."), field="package")
    vehicle = repair_order.vehicle
    price = pricing.package_price(package=package, site=repair_order.site, make=vehicle.make, model=vehicle.model)
    discounts = spread(price.saving, [price.labour_total, *(line.amount for line in price.part_lines)])
    job = _new_job(repair_order, actor=actor, version=version, package=package, description=package.name,
                   pay_type=pay_type, hours=sum((line.quantity for line in price.labour_lines), Decimal("0")),
                   labour_price=price.labour_total, discount=discounts[0])
    PartLine.objects.bulk_create(
        PartLine(job_line=job, part=line.part, quantity=line.quantity, unit_price=line.unit_price,
                 discount=discount, taxable=line.taxable, source=SOURCE_OF_KIND[line.part.kind])
        for line, discount in zip(price.part_lines, discounts[1:], strict=True))
    return job


def spread(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`total` split over `weights` in proportion, in whole cents that add up to `total` exactly
    (the largest remainders get the odd cents; without any weight the first share takes it all)."""
    cents, weight_sum = int(money(total) * 100), sum(weights, Decimal("0"))
    if not weights:
        return []
    if weight_sum <= 0:
        return [money(total)] + [Decimal("0.00")] * (len(weights) - 1)
    sign, cents = (-1 if cents < 0 else 1), abs(cents)
    exact = [Decimal(cents) * weight / weight_sum for weight in weights]
    shares = [int(share.to_integral_value(rounding=ROUND_FLOOR)) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[:cents - sum(shares)]:
        shares[i] += 1
    return [Decimal(sign * share) / 100 for share in shares]


@transaction.atomic
def part_line_add(*, job_line: JobLine, quantity, actor, part: Part | None = None, source: str | None = None,
                  unit_price: Decimal | None = None, description: str = "", version: int | None = None) -> PartLine:
    """A parts line on a job the customer has not answered yet. Without a catalogue part it must be
    customer-supplied and described; customer-supplied parts cost nothing and are not reserved."""
    locked = lock_repair_order(job_line.repair_order_id, version=version)
    check_editable(locked, additional_work=True)
    job = JobLine.objects.select_for_update().get(pk=job_line.pk)
    if job.state != JobState.PROPOSED:
        raise ApplicationError(_("The customer has already answered for this job; add the parts to a new line."),
                               code="locked")
    source = source or (SOURCE_OF_KIND[part.kind] if part else PartLine.Source.CUSTOMER_SUPPLIED)
    if source not in PartLine.Source.values:
        raise ApplicationError(_("Choose where the part comes from."), field="source")
    line = PartLine(job_line=job, part=part, source=source, description=(description or "").strip()[:200])
    if part is None:
        if source != PartLine.Source.CUSTOMER_SUPPLIED or not line.description:
            raise ApplicationError(_("Choose a part from the catalogue, or describe the customer's own part."),
                                   field="part")
        line.quantity = _amount(quantity, field="quantity")
        if line.quantity <= 0:
            raise ApplicationError(_("Enter a quantity above zero."), code="invalid_quantity", field="quantity")
    else:
        if part.site_id != locked.site_id or not part.active:
            raise ApplicationError(_("Choose an active part of this site's catalogue."), field="part")
        line.quantity = clean_quantity(part, quantity)
        line.taxable = part.vat_class != Part.VatClass.EXEMPT
    supplied = source == PartLine.Source.CUSTOMER_SUPPLIED
    line.unit_price = Decimal("0.00") if supplied else (
        part.sale_price if unit_price is None else _amount(unit_price, field="unit_price"))
    line.save()
    save_changes(locked, actor)
    ro_event(locked, "part_added", actor, job=job.pk, part_line=line.pk, part=part.number if part else None,
             quantity=str(line.quantity), unit_price=str(line.unit_price), source=source)
    return line


# ---------------------------------------------------------------- submit and approve

@transaction.atomic
def repair_order_submit_estimate(*, repair_order: RepairOrder, version: int | None, actor) -> RepairOrder:
    """The estimate goes to the customer for signature (checked_in → awaiting_approval)."""
    locked = lock_repair_order(repair_order, version=version)
    if locked.state == ROState.CHECKED_IN:
        if not locked.jobs.filter(state=JobState.PROPOSED).exists():
            raise ApplicationError(_("Add at least one job before submitting the estimate."), code="empty_estimate")
        if locked.mileage is None:
            raise ApplicationError(_("Record the mileage in the walk-around first."), code="required",
                                   field="mileage")
    totals = repair_order_totals(locked)
    return move_ro(locked, ROState.AWAITING_APPROVAL, actor, kind="estimate_submitted", gross=str(totals.gross))


@transaction.atomic
def repair_order_approve(*, repair_order: RepairOrder, approved_line_ids: Iterable[int], signer_name: str,
                         signature_image, version: int | None, actor,
                         diagnosis_line_ids: Iterable[int] = ()) -> RepairOrder:
    """The customer signs the work order. Lines in `approved_line_ids` are approved and their parts reserved
    (what is not in stock becomes a shortage: the job waits for parts); lines in `diagnosis_line_ids` wait
    for the diagnosis; every other proposed line is declined onto the recommendations list (建议项目表),
    which the same signature covers. If the customer declines everything the RO is ready at once."""
    approved_ids, diagnosis_ids = {int(pk) for pk in approved_line_ids}, {int(pk) for pk in diagnosis_line_ids}
    locked = lock_repair_order(repair_order, version=version)
    target = ROState.APPROVED if approved_ids or diagnosis_ids else ROState.READY
    if locked.state != ROState.AWAITING_APPROVAL:
        check_ro_transition(locked.state, ROState.APPROVED)  # only an RO awaiting approval is approved
    if approved_ids & diagnosis_ids:
        raise ApplicationError(_("A line is either approved or waits for the diagnosis, not both."),
                               field="approved_lines")
    jobs = list(JobLine.objects.select_for_update().filter(repair_order=locked, state=JobState.PROPOSED)
                .order_by("pk"))
    if (approved_ids | diagnosis_ids) - {job.pk for job in jobs}:
        raise ApplicationError(_("Some of the chosen lines are not on this estimate; reload it."),
                               code="conflict", field="approved_lines")
    _check_no_pending_discount(jobs)
    signature = new_signature(locked, kind=Signature.Kind.WORK_ORDER, signer_name=signer_name,
                              image=signature_file(signature_image), actor=actor)
    declined = [job for job in jobs if job.pk not in approved_ids | diagnosis_ids]
    if declined:  # the recommendations list is signed with the same stroke
        new_signature(locked, kind=Signature.Kind.RECOMMENDATIONS, signer_name=signature.signer_name,
                      image=signature.image.name, actor=actor)
    now = timezone.now()
    for job in jobs:
        if job.pk in approved_ids:
            job.approved_at = now
            move_job(job, JobState.APPROVED, actor, fields=["approved_at"], signature=signature.pk)
        elif job.pk in diagnosis_ids:
            move_job(job, JobState.PENDING_DIAGNOSIS, actor, signature=signature.pk)
        else:
            job.declined_at = now
            move_job(job, JobState.DECLINED, actor, fields=["declined_at"], signature=signature.pk)
    shortages = _reserve_parts(locked, [job for job in jobs if job.pk in approved_ids], actor=actor)
    return move_ro(locked, target, actor, kind="approved" if target == ROState.APPROVED else "declined_all",
                   signature=signature.pk, approved=sorted(approved_ids), diagnosis=sorted(diagnosis_ids),
                   declined=[job.pk for job in declined], shortages=shortages)


def _check_no_pending_discount(jobs: list[JobLine]) -> None:
    """The customer signs the final price: a discount still waiting for a manager is decided first (once
    signed, a line's price no longer changes, so the request could never be decided)."""
    waiting = (DiscountRequest.objects.filter(job_line__in=jobs, status=DiscountRequest.Status.PENDING)
               .select_related("job_line").first())
    if waiting is not None:
        raise ApplicationError(
            _("The discount on “%(line)s” is waiting for a manager's approval; have it decided before the "
              "customer signs.") % {"line": waiting.job_line.description}, code="discount_pending")


def _reserve_parts(repair_order: RepairOrder, jobs: list[JobLine], *, actor) -> list[int]:
    """Reserve the catalogue parts of the approved jobs (in part order, as parts.services locks them);
    returns the shortages recorded for what was not in stock."""
    lines = (PartLine.objects.filter(job_line__in=jobs, part__isnull=False, reservation__isnull=True,
                                     shortage__isnull=True)
             .exclude(source=PartLine.Source.CUSTOMER_SUPPLIED).select_related("part").order_by("part_id", "pk"))
    shortages = []
    for line in lines:
        result = parts_reserve(part=line.part, quantity=line.quantity, repair_order_ref=repair_order.number,
                               line_ref=line.pk, actor=actor, record_shortage=True)
        line.reservation, line.shortage = result.reservation, result.shortage
        line.save(update_fields=["reservation", "shortage"])
        if result.shortage is not None:
            shortages.append(result.shortage.pk)
    return shortages
