"""PIPL: a customer's copy of their data and the erasure of their personal data, each logged as a PrivacyEvent.

What an erasure keeps, and why (docs/privacy.md):
- invoices, credit notes, their lines and payments, untouched: accounting law keeps them (10 years), with the
  name, plate and VIN printed on them as snapshot fields;
- the customer row, anonymised (invoices, ROs and callbacks point at it); the vehicles' VIN, make and model and
  the service history of the car (warranty claims to the maker, recalls and 三包 records need them; the car's
  history passes to its next owner), but the plate of the vehicles the customer still owns is cleared;
- the repair orders' technical content (jobs, parts, prices, states, events), the signature images of the
  signed work orders backing the invoiced work (the signer's name is replaced), consent records (the proof that
  past processing was lawful), survey scores (statistics).
Everything else that names or describes the person is replaced: the customer's name, mobiles, WeChat, email,
address, birthday and notes (also in the change history and in merged duplicates), and the free texts: concerns,
belongings, appointment contacts and notes, contact log, message recipients and texts, callback notes, survey
verbatims, complaint and comeback descriptions, answers to additional work, and those inside event rows' data.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from appointments.models import Appointment
from billing.models import CustomerAccount, Invoice, Payment
from billing.services.payments import account_balance
from customers.models import ArchiveEvent, ContactLog, Customer, Vehicle
from customers.models_messaging import OutboundMessage
from followups.models import (
    CallAttempt,
    Callback,
    CallbackEvent,
    Comeback,
    Complaint,
    ComplaintEvent,
    LostVehicle,
    Survey,
)
from repair_orders.models import CustomerAnswer, RepairOrder, RepairOrderEvent, Signature
from repair_orders.workflow import OPEN_RO_STATES
from servicedesk.audit.models import PrivacyEvent
from servicedesk.core.errors import ApplicationError

from .collect import counts, customer_data

ERASED = "—"  # what a replaced free text reads
PERSONAL_FIELDS = {"mobile": "", "mobile2": "", "wechat_id": "", "email": "", "address": "", "birthday": None,
                   "notes": "", "marketing_consent": False, "marketing_consent_source": ""}


def erased_name(customer_id: int) -> str:
    return _("Erased customer #%(id)s") % {"id": customer_id}


def erasure_of(customer: Customer) -> PrivacyEvent | None:
    return PrivacyEvent.objects.filter(customer=customer, kind=PrivacyEvent.Kind.ERASURE).first()


@transaction.atomic
def customer_data_export(*, site, customer: Customer, actor, fmt: str = "json") -> dict:
    """The copy of everything held about the customer, and the event row saying who took it, when."""
    if customer.site_id != site.pk:
        raise ApplicationError(_("This customer is not on file in this site."), code="not_found")
    data = customer_data(customer)
    PrivacyEvent.objects.create(site=site, customer=customer, kind=PrivacyEvent.Kind.EXPORT, actor=actor,
                                data={"format": fmt, "counts": counts(data)})
    return data


def erasure_blockers(customer: Customer) -> list[str]:
    """Why the customer may not be erased now (empty: they may). Five queries."""
    reasons = []
    if RepairOrder.objects.filter(customer=customer, state__in=OPEN_RO_STATES).exists():
        reasons.append(_("The customer has an open repair order."))
    if _unpaid(customer) or account_balance(site=customer.site_id, customer=customer) > 0:
        reasons.append(_("The customer has an unpaid invoice."))
    return reasons


def _unpaid(customer: Customer) -> bool:
    """A live invoice (not credited) whose customer's part is not yet covered by payments."""
    live = Invoice.objects.filter(customer=customer, kind=Invoice.Kind.INVOICE, credit_note__isnull=True)
    due = {row["repair_order_id"]: row["customer_amount"] for row in live.values("repair_order_id", "customer_amount")}
    paid: dict[int, object] = {}
    for row in Payment.objects.filter(invoice__repair_order_id__in=due).values("invoice__repair_order_id", "amount"):
        key = row["invoice__repair_order_id"]
        paid[key] = paid.get(key, 0) + row["amount"]
    return any(amount > paid.get(ro_id, 0) for ro_id, amount in due.items())


@transaction.atomic
def customer_erase(*, site, customer_id: int, confirmation: str, actor) -> Customer:
    """Anonymise the customer (and the duplicates merged into them); refuse while work or money is open."""
    customer = Customer.objects.select_for_update().filter(site=site, pk=customer_id).first()
    if customer is None:
        raise ApplicationError(_("This customer is not on file in this site."), code="not_found")
    if customer.is_merged:
        raise ApplicationError(_("This customer was merged into another: erase that one."), code="merged")
    if erasure_of(customer) is not None:
        raise ApplicationError(_("This customer's personal data was already erased."), code="already_erased")
    if (confirmation or "").strip() != customer.name.strip():
        raise ApplicationError(_("Type the customer's name exactly as shown to confirm the erasure."),
                               field="confirmation", code="confirmation")
    blockers = erasure_blockers(customer)
    if blockers:
        raise ApplicationError(" ".join(blockers), code="erasure_refused")
    ids = [customer.pk, *Customer.objects.filter(merged_into=customer).values_list("pk", flat=True)]
    erased = _erase_rows(ids)
    for person in Customer.objects.filter(pk__in=ids):
        # Through save(): the change history gets a row saying who erased the customer, and when.
        for field, value in PERSONAL_FIELDS.items():
            setattr(person, field, value)
        person.name = erased_name(person.pk)
        person.version += 1
        person.updated_by = actor
        person._history_user = actor
        person.save()
    PrivacyEvent.objects.create(site=site, customer=customer, kind=PrivacyEvent.Kind.ERASURE, actor=actor,
                                data={"customers": ids, "erased": erased})
    customer.refresh_from_db()
    return customer


def _erase_rows(ids: list[int]) -> dict[str, int]:
    """Replace the personal data around the customers `ids` with set-based updates; the counts per kind.

    Updates go through querysets: several of these rows are append-only for the application (surveys, answers),
    and an erasure is the one change the law asks of them."""
    history = Customer.history.model.objects.filter(id__in=ids)
    owned = Vehicle.objects.filter(owner_id__in=ids)
    updates = {
        "customer_history": history.update(name=ERASED, **PERSONAL_FIELDS),
        "vehicle_plates": owned.update(plate=""),
        "vehicle_history": Vehicle.history.model.objects.filter(id__in=owned.values("pk")).update(plate=""),
        "contact_log": ContactLog.objects.filter(customer_id__in=ids).update(reason=ERASED, outcome=""),
        "archive_events": ArchiveEvent.objects.filter(customer_id__in=ids).update(data={}),
        "messages": OutboundMessage.objects.filter(customer_id__in=ids).update(recipient="", text=ERASED),
        "appointments": Appointment.objects.filter(customer_id__in=ids).update(
            contact_name="", contact_mobile="", plate="", concern="", notes=""),
        "repair_orders": RepairOrder.objects.filter(customer_id__in=ids).update(concerns=ERASED, belongings=[]),
        "signatures": Signature.objects.filter(repair_order__customer_id__in=ids).update(signer_name=ERASED),
        "answers": CustomerAnswer.objects.filter(job_line__repair_order__customer_id__in=ids).update(
            customer_name=ERASED, ip_address=None),
        "callbacks": Callback.objects.filter(customer_id__in=ids).update(note=""),
        "call_attempts": CallAttempt.objects.filter(callback__customer_id__in=ids).update(note=""),
        "surveys": Survey.objects.filter(callback__customer_id__in=ids).update(verbatim=""),
        "complaints": Complaint.objects.filter(customer_id__in=ids).update(description=ERASED, resolution=""),
        "comebacks": Comeback.objects.filter(repair_order__customer_id__in=ids).update(description=ERASED),
        "lost_vehicles": LostVehicle.objects.filter(Q(vehicle__owner_id__in=ids)).update(reason_note=""),
        "accounts": CustomerAccount.objects.filter(customer_id__in=ids).update(notes=""),
    }
    updates["event_details"] = sum(_scrub_event_data(events) for events in (
        RepairOrderEvent.objects.filter(repair_order__customer_id__in=ids),
        CallbackEvent.objects.filter(callback__customer_id__in=ids),
        ComplaintEvent.objects.filter(complaint__customer_id__in=ids),
    ))
    return {kind: count for kind, count in updates.items() if count}


# Keys of event rows' `data` that carry what a person said or is called (the rest are ids, states, amounts).
PERSONAL_EVENT_KEYS = ("signer", "customer_name", "verbatim", "note", "resolution")


def _scrub_event_data(events) -> int:
    """Replace the personal values inside the events' `data`; the event rows themselves stay (two queries)."""
    rows = list(events.filter(data__has_any_keys=PERSONAL_EVENT_KEYS).only("pk", "data"))
    for row in rows:
        row.data = {key: (ERASED if key in PERSONAL_EVENT_KEYS and value else value) for key, value in row.data.items()}
    # bulk_update writes with UPDATE ... WHERE pk: the append-only save() guard is for the application's edits.
    return events.model.objects.bulk_update(rows, ["data"]) if rows else 0
