"""Warranty claims (索赔): one claim per warranty-paid job of an issued invoice, then the maker's answer:
draft → submitted (maker's reference) → approved → paid, or → rejected (reason). A rejected claim may be
corrected and submitted again (makers take resubmissions with a new reference); paid is final.
Every change is a compare-and-set on (status, version) with an event row."""

from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.core.errors import ApplicationError
from servicedesk.core.money import money

from ..models import Invoice, InvoiceLine, WarrantyClaim, WarrantyClaimEvent

Status = WarrantyClaim.Status
CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.PAID}),
    Status.REJECTED: frozenset({Status.SUBMITTED}),
    Status.PAID: frozenset(),
}
# Claimed and not yet paid by the maker: the clerk's "outstanding".
OUTSTANDING = (Status.SUBMITTED, Status.APPROVED)
ZERO = Decimal("0.00")


@transaction.atomic
def claims_open_for_invoice(*, invoice: Invoice, actor) -> list[WarrantyClaim]:
    """A draft claim for every warranty-paid job of `invoice` that has none yet, with the labour (and
    diagnostic fee) and parts amounts of that job's invoice lines (gross, as the invoice's warranty part).
    Calling it again creates nothing. A credit note opens no claims."""
    if invoice.kind != Invoice.Kind.INVOICE:
        return []
    amounts: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"labour": ZERO, "parts": ZERO})
    lines = InvoiceLine.objects.filter(invoice=invoice, pay_type="warranty", job_line__isnull=False)
    for job_line_id, kind, gross in lines.values_list("job_line_id", "kind", "gross"):
        amounts[job_line_id]["parts" if kind == InvoiceLine.Kind.PART else "labour"] += gross
    claimed = set(WarrantyClaim.objects.filter(job_line_id__in=amounts).values_list("job_line_id", flat=True))
    created = []
    for job_line_id in sorted(set(amounts) - claimed):
        try:
            with transaction.atomic():  # a concurrent call may have claimed this job a moment ago
                claim = WarrantyClaim.objects.create(
                    site_id=invoice.site_id, repair_order_id=invoice.repair_order_id, job_line_id=job_line_id,
                    labour_amount=amounts[job_line_id]["labour"], parts_amount=amounts[job_line_id]["parts"])
        except IntegrityError:
            continue
        WarrantyClaimEvent.objects.create(claim=claim, actor=actor, from_state="", to_state=Status.DRAFT,
                                          data={"invoice": invoice.number})
        created.append(claim)
    return created


def claim_submit(*, claim: WarrantyClaim, maker_reference: str, actor, version: int | None = None) -> WarrantyClaim:
    reference = (maker_reference or "").strip()
    if not reference:
        raise ApplicationError(_("Enter the maker's claim reference."), field="maker_reference",
                               code="reference_required")
    return _move(claim, Status.SUBMITTED, actor, version, changes={"maker_reference": reference[:50],
                                                                     "rejection_reason": ""},
                 reference=reference[:50])


def claim_approve(*, claim: WarrantyClaim, actor, version: int | None = None) -> WarrantyClaim:
    return _move(claim, Status.APPROVED, actor, version)


def claim_reject(*, claim: WarrantyClaim, reason: str, actor, version: int | None = None) -> WarrantyClaim:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the maker's reason for the rejection."), field="reason",
                               code="reason_required")
    return _move(claim, Status.REJECTED, actor, version, changes={"rejection_reason": reason[:200]},
                 reason=reason[:200])


def claim_pay(*, claim: WarrantyClaim, paid_amount, actor, version: int | None = None) -> WarrantyClaim:
    amount = money(paid_amount) if paid_amount not in (None, "") else None
    if amount is None or amount <= 0:
        raise ApplicationError(_("Enter the amount the maker paid."), field="paid_amount", code="amount_required")
    return _move(claim, Status.PAID, actor, version, changes={"paid_amount": amount}, paid_amount=str(amount))


@transaction.atomic
def _move(claim: WarrantyClaim, to_state: str, actor, version: int | None, *, changes=None,
          **data) -> WarrantyClaim:
    """Compare-and-set: only from a state that may become `to_state`, and only over `version` when given."""
    allowed_from = [state for state, targets in CLAIM_TRANSITIONS.items() if to_state in targets]
    current = WarrantyClaim.objects.filter(pk=claim.pk).values("status", "version").first()
    if current is None:
        raise ApplicationError(_("This warranty claim no longer exists."), code="not_found")
    guard = {"pk": claim.pk, "status": current["status"], "version": current["version"]}
    if version is not None and int(version) != current["version"]:
        raise ApplicationError(_("This claim was changed meanwhile. Reload it and try again."), code="stale_version")
    if current["status"] not in allowed_from:
        raise ApplicationError(
            _("This claim is %(now)s; it cannot become %(next)s.")
            % {"now": Status(current["status"]).label, "next": Status(to_state).label}, code="illegal_transition")
    changes = changes or {}
    if not WarrantyClaim.objects.filter(**guard).update(status=to_state, version=F("version") + 1,
                                                        updated_at=timezone.now(), **changes):
        raise ApplicationError(_("This claim was changed meanwhile. Reload it and try again."), code="stale_version")
    WarrantyClaimEvent.objects.create(claim_id=claim.pk, actor=actor, from_state=current["status"],
                                      to_state=to_state, data=data)
    claim.refresh_from_db()
    return claim
