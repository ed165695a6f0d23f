"""Additional work found during repair (追加项目): the technician's finding becomes a proposed line flagged
additional, the advisor is told at once and records the customer's answer (or texts a signed link so the
customer answers on the phone); the promised time moves with the customer's agreement. Declined lines are
recommendations (建议项目) of the vehicle, offered again at its next check-in."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.messaging.services import message_queue
from customers.models import OutboundMessage
from servicedesk.core.errors import ApplicationError
from servicedesk.core.notifications import notify

from .. import links
from ..models import AnswerChannel, CustomerAnswer, JobLine, LabourOperation, PartLine, RecommendationOffer, RepairOrder
from ..workflow import ADDITIONAL_WORK_RO_STATES, JobState, ROState
from .common import check_editable, lock_repair_order, move_job, ro_event, save_changes, who
from .estimate import _amount, _new_job, _reserve_parts, job_add_free_text, job_add_from_operation, part_line_add
from .photos import clean_photo, store_photos

ANSWERABLE_JOB_STATES = frozenset({JobState.PROPOSED, JobState.PENDING_DIAGNOSIS})


def additional_work_report(*, repair_order: RepairOrder, description: str, actor,
                           operation: LabourOperation | None = None, hours=None, labour_price=None,
                           parts=(), photos=(), version: int | None = None) -> JobLine:
    """A technician's finding on a car in the workshop: a proposed line flagged additional, priced from the
    labour-time book (`operation`) or by hand, with its parts (dicts of part_line_add's arguments) and
    photos; the RO's advisor is notified. Photos are checked and resized before anything is locked."""
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("Describe what you found."), code="required", field="description")
    cleaned = [clean_photo(photo) for photo in photos]
    with transaction.atomic():
        locked = lock_repair_order(repair_order, version=version)
        if locked.state not in ADDITIONAL_WORK_RO_STATES:
            raise ApplicationError(
                _("Additional work is reported once the customer has signed the work order and before QC; "
                  "repair order %(number)s is %(state)s.")
                % {"number": locked.number, "state": locked.get_state_display()}, code="locked")
        if operation is not None:
            job = job_add_from_operation(repair_order=locked, operation=operation, actor=actor, hours=hours)
        else:
            job = job_add_free_text(repair_order=locked, description=description, actor=actor,
                                    labour_price=labour_price or 0, hours=hours or 0)
        for spec in parts:
            part_line_add(job_line=job, actor=actor, **spec)
        stored = store_photos(locked, cleaned, actor=actor, job_line=job)
        ro_event(locked, "additional_reported", actor, job=job.pk, finding=description,
                 photos=[photo.pk for photo in stored])
        _tell_advisor(locked, job, finding=description, actor=actor)
    repair_order.version = RepairOrder.objects.values_list("version", flat=True).get(pk=locked.pk)
    return job


def _tell_advisor(repair_order: RepairOrder, job: JobLine, *, finding: str, actor) -> None:
    # No per-user language yet: the product's language, whatever the technician's screen shows.
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(who)s found additional work on %(number)s (%(plate)s): %(finding)s") % {
            "who": who(actor), "number": repair_order.number, "plate": repair_order.vehicle.plate,
            "finding": finding}
    notify(site=repair_order.site, recipient=repair_order.advisor, text=text, url=ro_url(repair_order))


def ro_url(repair_order: RepairOrder) -> str:
    try:
        return reverse("repair_orders:detail", kwargs={"pk": repair_order.pk})
    except NoReverseMatch:  # the RO page is not there yet
        return ""


@transaction.atomic
def additional_work_record_answer(*, job_line: JobLine, approved: bool, customer_name: str, channel: str, amount,
                                  actor, version: int | None = None, ip_address: str | None = None) -> JobLine:
    """The customer's answer to an additional line (or one that waited for its diagnosis): who, when, by
    which channel, for what amount. Approved: the line may be dispatched and its parts are reserved (what is
    not in stock becomes a shortage); declined: it joins the recommendations. `actor` is None when the
    customer answered through the link."""
    customer_name = (customer_name or "").strip()
    if not customer_name:
        raise ApplicationError(_("Enter who answered for the customer."), code="required", field="customer_name")
    if channel not in AnswerChannel.values:
        raise ApplicationError(_("Choose how the customer answered."), field="channel")
    amount = _amount(amount, field="amount")
    locked = lock_repair_order(job_line.repair_order_id, version=version)
    if locked.state not in ADDITIONAL_WORK_RO_STATES:
        raise ApplicationError(_("Repair order %(number)s is %(state)s; this answer can no longer be recorded.")
                               % {"number": locked.number, "state": locked.get_state_display()}, code="locked")
    job = JobLine.objects.select_for_update().get(pk=job_line.pk)
    if job.state not in ANSWERABLE_JOB_STATES:
        raise ApplicationError(_("The customer has already answered for “%(job)s” (%(state)s).")
                               % {"job": job.description, "state": job.get_state_display()}, code="conflict")
    answer = CustomerAnswer.objects.create(job_line=job, approved=bool(approved), customer_name=customer_name[:100],
                                           channel=channel, amount=amount, ip_address=ip_address or None,
                                           recorded_by=actor)
    if approved:
        job.approved_at = answer.answered_at
        move_job(job, JobState.APPROVED, actor, fields=["approved_at"], answer=answer.pk, channel=channel)
        shortages = _reserve_parts(locked, [job], actor=actor or locked.advisor)
    else:
        job.declined_at = answer.answered_at
        move_job(job, JobState.DECLINED, actor, fields=["declined_at"], answer=answer.pk, channel=channel)
        shortages = []
    save_changes(locked, actor)
    ro_event(locked, "additional_answered", actor, job=job.pk, approved=bool(approved), customer_name=customer_name,
             channel=channel, amount=str(amount), ip_address=ip_address, shortages=shortages)
    job_line.state = job.state
    return job


@transaction.atomic
def repair_order_move_promised_time(*, repair_order: RepairOrder, promised_at: datetime, agreed_by: str, actor,
                                    version: int | None) -> RepairOrder:
    """A new promised time, agreed with the customer (whose name is kept with the change)."""
    agreed_by = (agreed_by or "").strip()
    if not agreed_by:
        raise ApplicationError(_("Enter who agreed to the new time."), code="required", field="agreed_by")
    if not isinstance(promised_at, datetime) or timezone.is_naive(promised_at):
        raise ApplicationError(_("Enter the promised date and time."), field="promised_at")
    locked = lock_repair_order(repair_order, version=version)
    if not locked.is_open or locked.state == ROState.READY:
        raise ApplicationError(_("Repair order %(number)s is %(state)s; its promised time no longer moves.")
                               % {"number": locked.number, "state": locked.get_state_display()}, code="locked")
    before = locked.promised_at
    locked.promised_at = promised_at
    save_changes(locked, actor, fields=["promised_at"])
    ro_event(locked, "promised_time_moved", actor, before=before.isoformat() if before else None,
             after=promised_at.isoformat(), agreed_by=agreed_by[:100])
    repair_order.version, repair_order.promised_at = locked.version, locked.promised_at
    return locked


@transaction.atomic
def approval_link_send(*, repair_order: RepairOrder, actor) -> OutboundMessage:
    """Text the customer a signed, expiring link to the page where they approve or decline each additional
    line still waiting for an answer. Refused when there is none, or the customer has no mobile."""
    locked = lock_repair_order(repair_order, version=None)
    if locked.state not in ADDITIONAL_WORK_RO_STATES:
        raise ApplicationError(_("Repair order %(number)s is %(state)s; there is no additional work to approve.")
                               % {"number": locked.number, "state": locked.get_state_display()}, code="locked")
    line_ids = list(JobLine.objects.filter(repair_order=locked, additional=True, state__in=ANSWERABLE_JOB_STATES)
                    .order_by("pk").values_list("pk", flat=True))
    if not line_ids:
        raise ApplicationError(_("No additional work waits for the customer's answer."), code="nothing_to_send")
    url = links.approval_url(links.make_token(locked, line_ids))
    message = message_queue(site=locked.site, customer=locked.customer, template="additional_work_approval",
                            context={"plate": locked.vehicle.plate, "number": locked.number, "link": url},
                            actor=actor, cause=locked)
    if message is None:
        raise ApplicationError(_("This customer has no mobile number or other address on file; call them instead."),
                               code="no_address")
    save_changes(locked, actor)
    ro_event(locked, "approval_link_sent", actor, message=message.pk, lines=line_ids, channel=message.channel)
    return message


@transaction.atomic
def recommendation_add_to_repair_order(*, repair_order: RepairOrder, declined_line: JobLine, actor,
                                       version: int | None = None) -> JobLine:
    """Offer a recommendation of an earlier visit again: a copy of the declined line (labour, parts, the
    price then quoted) as a proposed line of this RO, linked to the original so it is not offered twice."""
    if declined_line.state != JobState.DECLINED or declined_line.repair_order.vehicle_id != repair_order.vehicle_id:
        raise ApplicationError(_("Choose a recommendation of this vehicle."), field="declined_line")
    if declined_line.repair_order_id == repair_order.pk:
        raise ApplicationError(_("This line was declined on this very repair order."), field="declined_line")
    locked = lock_repair_order(repair_order, version=version)
    check_editable(locked, additional_work=True)
    if RecommendationOffer.objects.filter(declined_line=declined_line, job_line__repair_order=locked).exists():
        raise ApplicationError(_("This recommendation is already on the repair order."), code="conflict",
                               field="declined_line")
    job = _new_job(locked, actor=actor, version=None, operation=declined_line.operation,
                   package=declined_line.package, description=declined_line.description,
                   pay_type=declined_line.pay_type, hours=declined_line.hours,
                   labour_price=declined_line.labour_price, discount=declined_line.discount,
                   diagnostic_fee=declined_line.diagnostic_fee)
    PartLine.objects.bulk_create(
        PartLine(job_line=job, part=line.part, description=line.description, quantity=line.quantity,
                 unit_price=line.unit_price, discount=line.discount, taxable=line.taxable, source=line.source)
        for line in declined_line.part_lines.all())
    RecommendationOffer.objects.create(declined_line=declined_line, job_line=job, offered_by=actor)
    ro_event(locked, "recommendation_offered", actor, job=job.pk, declined_line=declined_line.pk,
             declined_on=declined_line.repair_order.number)
    repair_order.version = locked.version
    return job
