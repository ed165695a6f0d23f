"""A site with a bit of everything, built through the same helpers as the app's own tests, so the fuzzers
reach real objects in every state (not only 404s): the ids per kind of path parameter."""

from appointments.models import Appointment
from billing.models import Invoice, Payment, WarrantyClaim
from customers.models import Customer, Vehicle
from followups.models import Callback, Complaint, Reminder
from parts.models import Part, StockMovement
from repair_orders.models import JobLine, RepairOrder
from servicedesk.accounts.roles import ADVISOR, FOREMAN, QC_INSPECTOR, TECHNICIAN
from tests.appointments.factories import appointment_on_file
from tests.billing.handover_helpers import other_site_claim
from tests.billing.invoicing_fixtures import paid_invoice, ready_ro
from tests.factories import make_staff
from tests.followups.calls_helpers import delivered_ro, make_callback
from tests.followups.scan_helpers import other_site_object as reminder_of
from tests.parts.factories import stocked_part
from tests.repair_orders.helpers import estimated_ro, open_ro, submitted_with_part
from tests.workshop.clocking_fixtures import assigned_jobs

RESOURCES = {  # path segment of /api/v1/ → (model, its path to the site)
    "repair-orders": (RepairOrder, "site"), "jobs": (JobLine, "repair_order__site"), "customers": (Customer, "site"),
    "vehicles": (Vehicle, "site"), "appointments": (Appointment, "site"), "callbacks": (Callback, "site"),
    "complaints": (Complaint, "site"), "parts": (Part, "site"), "stock-movements": (StockMovement, "site"),
    "reminders": (Reminder, "site"), "warranty-claims": (WarrantyClaim, "site"), "invoices": (Invoice, "site"),
    "payments": (Payment, "site"),
}
MISSING_ID = 987654  # a well-formed id of nothing: every lookup must answer 404


def build(site, manager) -> dict[str, list[int]]:
    """Objects of `site` in many states; returns {path-parameter kind: [ids of every one]}."""
    advisor = make_staff(role=ADVISOR, sites=[site])
    technician = make_staff(role=TECHNICIAN, sites=[site])
    foreman = make_staff(role=FOREMAN, sites=[site])
    make_staff(role=QC_INSPECTOR, sites=[site])
    open_ro(site, advisor)                                      # checked_in
    estimated_ro(site, advisor)                                 # checked_in with a job
    submitted_with_part(site, advisor, in_stock=5, quantity=1)  # awaiting_approval
    assigned_jobs(site, advisor, technician, foreman)           # approved, a job assigned
    ready_ro(site, advisor)                                     # ready
    paid_invoice(site, with_payment=False)                      # invoiced
    paid_invoice(site)                                          # invoiced and paid
    delivered = delivered_ro(site, manager)
    callback = make_callback(delivered)
    Complaint.objects.create(site=site, customer=delivered.customer, repair_order=delivered,
                             department="overall", owner=manager, deadline=callback.due_at,
                             description="噪音", created_by=manager)
    other_site_claim(site)
    stocked_part(site, manager)
    appointment_on_file(site)
    reminder_of("reminder", site)
    # Every object of a kind, so an id outside the list (what negative fuzzing sends) is surely a 404.
    return {resource: list(model.objects.filter(**{lookup: site}).values_list("pk", flat=True))
            for resource, (model, lookup) in RESOURCES.items()}
