"""Everything held about one customer (PIPL art. 45: the right to a copy), read set-based: one query per kind
of record whatever the customer's history, nested in Python. The result is plain data, ready for JSON."""

from django.db.models import Q

from appointments.models import Appointment
from billing.models import CustomerAccount, Invoice, InvoiceLine, Payment
from customers.models import ArchiveEvent, ConsentRecord, ContactLog, Customer, Ownership, Vehicle
from customers.models_messaging import OutboundMessage
from followups.models import CallAttempt, Callback, Comeback, Complaint, Reminder, Survey, SurveyAnswer
from repair_orders.models import CustomerAnswer, JobLine, PartLine, RepairOrder, Signature

CUSTOMER_FIELDS = ["id", "kind", "name", "mobile", "mobile2", "wechat_id", "email", "address", "preferred_channel",
                   "birthday", "tier", "club_member", "notes", "marketing_consent", "marketing_consent_at",
                   "marketing_consent_source", "merged_into_id", "created_at", "updated_at"]
VEHICLE_FIELDS = ["id", "vin", "plate", "make", "model", "model_year", "engine_number", "colour",
                  "registration_date", "warranty_start", "warranty_years", "warranty_km", "owner_id", "mileage",
                  "mileage_on", "next_service_on", "next_service_km", "created_at"]
RO_FIELDS = ["id", "number", "ro_type", "vehicle_id", "state", "promised_at", "waiting", "mileage", "fuel_level",
             "belongings", "key_tag", "concerns", "old_parts_disposition", "payment_method", "wash_wanted",
             "courtesy_car", "cancel_reason", "delivered_at", "created_at"]
JOB_FIELDS = ["id", "repair_order_id", "description", "pay_type", "hours", "labour_price", "discount",
              "diagnostic_fee", "state", "additional", "approved_at", "declined_at", "finished_at"]
PART_FIELDS = ["id", "job_line_id", "description", "part__number", "quantity", "unit_price", "discount",
               "source"]
INVOICE_FIELDS = ["id", "repair_order_id", "kind", "number", "credits_id", "customer_name", "vehicle_plate",
                  "vehicle_vin", "mileage", "labour_total", "parts_total", "fees_total", "discount_total", "net_total",
                  "vat_total", "gross_total", "customer_amount", "warranty_amount", "internal_amount", "on_account",
                  "reason", "issued_at"]
LINE_FIELDS = ["invoice_id", "position", "kind", "pay_type", "description", "part_number", "quantity", "unit_price",
               "discount", "net", "vat", "gross"]


def _values(queryset, fields, order=("pk",)) -> list[dict]:
    return list(queryset.order_by(*order).values(*fields))


def _nest(parents: list[dict], children: list[dict], key: str, name: str) -> None:
    by_parent: dict[int, list] = {}
    for child in children:
        by_parent.setdefault(child[key], []).append(child)
    for parent in parents:
        parent[name] = by_parent.get(parent["id"], [])


def customer_data(customer: Customer) -> dict:
    """The customer's data (and that of the duplicates merged into it): 25 queries, whatever the history."""
    people = Q(pk=customer.pk) | Q(merged_into=customer)
    customers = _values(Customer.objects.filter(people), CUSTOMER_FIELDS)
    ids = [c["id"] for c in customers]
    vehicles = _values(Vehicle.objects.filter(Q(owner_id__in=ids) | Q(ownerships__customer_id__in=ids)).distinct(),
                       VEHICLE_FIELDS)
    repair_orders = _values(RepairOrder.objects.filter(customer_id__in=ids), RO_FIELDS)
    jobs = _values(JobLine.objects.filter(repair_order__customer_id__in=ids), JOB_FIELDS)
    _nest(jobs, _values(PartLine.objects.filter(job_line__repair_order__customer_id__in=ids), PART_FIELDS),
          "job_line_id", "parts")
    _nest(repair_orders, jobs, "repair_order_id", "jobs")
    _nest(repair_orders, _values(Signature.objects.filter(repair_order__customer_id__in=ids),
                                 ["repair_order_id", "kind", "signer_name", "signed_at"]), "repair_order_id",
          "signatures")
    answers = _values(CustomerAnswer.objects.filter(job_line__repair_order__customer_id__in=ids),
                      ["job_line_id", "job_line__repair_order_id", "approved", "customer_name", "channel", "amount",
                       "ip_address", "answered_at"])
    _nest(repair_orders, answers, "job_line__repair_order_id", "answers_to_additional_work")
    invoices = _values(Invoice.objects.filter(Q(customer_id__in=ids) | Q(repair_order__customer_id__in=ids))
                       .distinct(), INVOICE_FIELDS)
    _nest(invoices, _values(InvoiceLine.objects.filter(invoice_id__in=[i["id"] for i in invoices]), LINE_FIELDS,
                            order=("invoice_id", "position")), "invoice_id", "lines")
    payments = _values(Payment.objects.filter(invoice_id__in=[i["id"] for i in invoices]),
                       ["invoice_id", "method", "amount", "reference", "received_at"])
    _nest(invoices, payments, "invoice_id", "payments")
    callbacks = _values(Callback.objects.filter(customer_id__in=ids),
                        ["id", "kind", "repair_order_id", "due_at", "status", "attempts", "completed_at", "note"])
    _nest(callbacks, _values(CallAttempt.objects.filter(callback__customer_id__in=ids),
                             ["callback_id", "outcome", "note", "at"]), "callback_id", "attempts_made")
    surveys = _values(Survey.objects.filter(callback__customer_id__in=ids),
                      ["id", "repair_order_id", "overall", "recommend", "verbatim", "complaint_stated", "fault_back",
                       "taken_at"])
    _nest(surveys, _values(SurveyAnswer.objects.filter(survey__callback__customer_id__in=ids),
                           ["survey_id", "question__code", "department", "score"]), "survey_id", "answers")
    return {
        "customer": next(c for c in customers if c["id"] == customer.pk),
        "merged_duplicates": [c for c in customers if c["id"] != customer.pk],
        "vehicles": vehicles,
        "ownerships": _values(Ownership.objects.filter(customer_id__in=ids),
                              ["vehicle_id", "started_on", "ended_on", "note"]),
        "consent_records": _values(ConsentRecord.objects.filter(customer_id__in=ids), ["granted", "at", "source"],
                                   order=("at", "pk")),
        "contact_log": _values(ContactLog.objects.filter(customer_id__in=ids),
                               ["at", "channel", "reason", "outcome", "vehicle_id"], order=("at", "pk")),
        "archive_events": _values(ArchiveEvent.objects.filter(customer_id__in=ids), ["at", "kind", "data"],
                                  order=("at", "pk")),
        "messages": _values(OutboundMessage.objects.filter(customer_id__in=ids),
                            ["created_at", "channel", "recipient", "purpose", "subject", "text", "status", "sent_at"],
                            order=("created_at", "pk")),
        "appointments": _values(Appointment.objects.filter(customer_id__in=ids),
                                ["id", "vehicle_id", "contact_name", "contact_mobile", "plate", "channel", "concern",
                                 "start", "status", "notes", "arrived_at", "cancel_reason"], order=("start", "pk")),
        "repair_orders": repair_orders,
        "invoices": invoices,
        "accounts": _values(CustomerAccount.objects.filter(customer_id__in=ids), ["credit_limit", "active", "notes"]),
        "callbacks": callbacks,
        "surveys": surveys,
        "complaints": _values(Complaint.objects.filter(customer_id__in=ids),
                              ["id", "repair_order_id", "department", "category", "deadline", "description",
                               "status", "resolution", "resolved_at", "created_at"]),
        "comebacks": _values(Comeback.objects.filter(repair_order__customer_id__in=ids),
                             ["repair_order_id", "vehicle_id", "description", "status", "created_at"]),
        "history": _values(Customer.history.model.objects.filter(id__in=ids),
                           ["id", "history_date", "history_type"] + CUSTOMER_FIELDS[2:13], order=("history_date",)),
        "reminders": _values(Reminder.objects.filter(customer_id__in=ids),
                             ["vehicle_id", "kind", "due_on", "due_km", "status", "created_at"]),
    }


def counts(data: dict) -> dict[str, int]:
    """How many records of each kind an export held: logged with the export (never the data itself)."""
    return {key: (len(value) if isinstance(value, list) else 1) for key, value in data.items()}
