"""Where "who changed what, when" comes from: each source names, for one table of event rows (or of history,
or of append-only money rows), the paths to the site, the time, the acting user, the record a row belongs
to and what it says. The selector turns every source into the same columns and unions them."""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Value, When
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from billing.models import Invoice, Payment, WarrantyClaim, WarrantyClaimEvent
from customers.models import ArchiveEvent, Customer, Vehicle
from followups.models import Callback, CallbackEvent, Complaint, ComplaintEvent
from repair_orders.models import DiscountRequest, JobLineEvent, LineDiscount, RepairOrderEvent
from repair_orders.views.common import EVENT_LABELS  # the RO timeline's words for its event kinds
from repair_orders.workflow import JobState, ROState
from servicedesk.audit.models import PrivacyEvent


def text(path_or_expression):
    """A column as text, so that every source's column has the same type in the UNION."""
    return Cast(path_or_expression, CharField())


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    manager: object
    site: str  # path to the site id; "" for the group's records (the labour-time book), on every site's screen
    at: str
    actor: str
    record: str  # path to the id of the record the link opens
    link: str  # url name taking that id; "" when the record has no page
    title: object  # a path or an expression: what the record is called (RO number, customer name...)
    action: object
    before: object = Value("")
    after: object = Value("")
    extra: dict = field(default_factory=dict)  # filter(**extra) before anything else
    search: str = ""  # the path the "record" filter matches when the title is an expression
    labels: dict = field(default_factory=dict)  # stored value -> what the screen shows (states, kinds, methods)
    # Words for the action column only, where an event kind shares its name with a state ("invoiced").
    action_labels: dict = field(default_factory=dict)
    narrow: object = None  # queryset -> queryset, after `extra` (e.g. history rows that changed a price)

    @property
    def search_path(self) -> str:
        return self.search or (self.title if isinstance(self.title, str) else "")

    def queryset(self):
        rows = self.manager.filter(**self.extra)
        return self.narrow(rows) if self.narrow else rows


_HISTORY_ACTION = {"+": "created", "~": "changed", "-": "deleted"}


def history_action():
    return Case(*[When(history_type=k, then=Value(v)) for k, v in _HISTORY_ACTION.items()], default=Value(""))


def _labels(*choices) -> dict:
    return {value: label for group in choices for value, label in group}


# What the follow-up services write as event kinds (followups/services/*: callback_event, complaint_event).
_FOLLOWUP_EVENT_LABELS = {
    "created": _("Callback created"), "claimed": _("Callback claimed"), "released": _("Callback released"),
    "attempt": _("Call attempted"), "completed": _("Callback completed"), "cancelled": _("Callback cancelled"),
    "escalated": _("Escalated to the manager"),
    "opened": _("Complaint opened"), "resolved": _("Complaint resolved"), "closed": _("Complaint closed"),
    "reopened": _("Complaint reopened"),
}

HISTORY_LABELS = {"created": _("Record created"), "changed": _("Changed"), "deleted": _("Deleted")}


def sources() -> list[Source]:
    """Built on call: the history models exist only once the apps are loaded."""
    from .prices import price_sources  # it builds on this module's Source

    return [
        Source("repair_order", _("Repair order"), RepairOrderEvent.objects, site="repair_order__site_id", at="at",
               actor="actor_id", record="repair_order_id", link="repair_orders:detail",
               title="repair_order__number", action="kind", before="from_state", after="to_state",
               labels=_labels(ROState.choices), action_labels=EVENT_LABELS),
        Source("job_line", _("Job line"), JobLineEvent.objects, site="job_line__repair_order__site_id", at="at",
               actor="actor_id", record="job_line__repair_order_id", link="repair_orders:detail",
               title=Concat("job_line__repair_order__number", Value(" · "), "job_line__description"),
               search="job_line__repair_order__number",
               action=Value("job_state"), before="from_state", after="to_state",
               labels=_labels(JobState.choices, [("job_state", _("job state"))])),
        Source("discount", _("Discount request"), DiscountRequest.objects, site="job_line__repair_order__site_id",
               at="created_at", actor="requested_by_id", record="job_line__repair_order_id",
               link="repair_orders:detail",
               title=Concat("job_line__repair_order__number", Value(" · "), "job_line__description"),
               search="job_line__repair_order__number",
               action=Value("discount_requested"), labels=_labels(DiscountRequest.Status.choices),
               after=Concat(text("amount"), Value(" ("), "status", Value(")"))),
        Source("discount_decision", _("Discount decision"), DiscountRequest.objects,
               site="job_line__repair_order__site_id", at="decided_at", actor="decided_by_id",
               record="job_line__repair_order_id", link="repair_orders:detail",
               title=Concat("job_line__repair_order__number", Value(" · "), "job_line__description"),
               search="job_line__repair_order__number",
               action=Value("discount_decided"), before=Value("pending"), after="status",
               labels=_labels(DiscountRequest.Status.choices),
               extra={"decided_at__isnull": False}),
        Source("line_discount", _("Line discount"), LineDiscount.objects, site="job_line__repair_order__site_id",
               at="updated_at", actor="set_by_id", record="job_line__repair_order_id", link="repair_orders:detail",
               title=Concat("job_line__repair_order__number", Value(" · "), "job_line__description"),
               search="job_line__repair_order__number",
               action=Value("discount_set"), after=text("amount")),
        Source("invoice", _("Invoice"), Invoice.objects, site="site_id", at="issued_at", actor="issued_by_id",
               record="repair_order_id", link="billing:settlement", title="number", action="kind",
               after=text("gross_total"), labels=_labels(Invoice.Kind.choices)),
        Source("payment", _("Payment"), Payment.objects, site="site_id", at="received_at", actor="received_by_id",
               record="invoice__repair_order_id", link="billing:settlement", title="invoice__number",
               action="method", after=text("amount"), labels=_labels(Payment.Method.choices)),
        Source("warranty_claim", _("Warranty claim"), WarrantyClaimEvent.objects, site="claim__site_id", at="at",
               actor="actor_id", record="claim_id", link="billing:claim_detail",
               title="claim__repair_order__number", action=Value("claim_state"), before="from_state",
               after="to_state", labels=_labels(WarrantyClaim.Status.choices, [("claim_state", _("claim state"))])),
        Source("callback", _("Callback"), CallbackEvent.objects, site="callback__site_id", at="at",
               actor="actor_id", record="callback_id", link="followups:call", title="callback__customer__name",
               action="kind", before="from_status", after="to_status", labels=_labels(Callback.Status.choices),
               action_labels=_FOLLOWUP_EVENT_LABELS),
        Source("complaint", _("Complaint"), ComplaintEvent.objects, site="complaint__site_id", at="at",
               actor="actor_id", record="complaint_id", link="followups:complaint_detail",
               title="complaint__customer__name", action="kind", before="from_status", after="to_status",
               labels=_labels(Complaint.Status.choices),
               action_labels=_FOLLOWUP_EVENT_LABELS),
        Source("customer", _("Customer details"), Customer.history.model.objects, site="site_id",
               at="history_date", actor="history_user_id", record="id", link="customers:customer_detail",
               title="name", action=history_action(), labels=HISTORY_LABELS),
        Source("vehicle", _("Vehicle details"), Vehicle.history.model.objects, site="site_id",
               at="history_date", actor="history_user_id", record="id", link="customers:vehicle_detail",
               title=Concat("plate", Value(" "), "vin"), search="plate", action=history_action(),
               labels=HISTORY_LABELS),
        Source("archive", _("Customer archive"), ArchiveEvent.objects, site="site_id", at="at", actor="actor_id",
               record="customer_id", link="customers:customer_detail", title="customer__name", action="kind",
               extra={"customer__isnull": False}, labels=_labels(ArchiveEvent.Kind.choices)),
        Source("vehicle_archive", _("Vehicle archive"), ArchiveEvent.objects, site="site_id", at="at",
               actor="actor_id", record="vehicle_id", link="customers:vehicle_detail",
               title=Concat("vehicle__plate", Value(" "), "vehicle__vin"), search="vehicle__plate", action="kind",
               extra={"customer__isnull": True, "vehicle__isnull": False}, labels=_labels(ArchiveEvent.Kind.choices)),
        Source("privacy", _("Personal data"), PrivacyEvent.objects, site="site_id", at="at", actor="actor_id",
               record="customer_id", link="customers:customer_detail", title="customer__name", action="kind",
               labels=_labels(PrivacyEvent.Kind.choices)),
        *price_sources(),
    ]


def source_choices() -> list[tuple[str, str]]:
    return [(s.key, s.label) for s in sources()]
