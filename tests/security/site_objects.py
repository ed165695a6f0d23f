"""Site B's objects for the harness: each URL with an object id names the kind of object it takes, and
`object_for(kind, site)` builds one of that kind at a site (the apps' test helpers do the work)."""

from servicedesk.accounts.roles import SERVICE_MANAGER
from tests.factories import CustomerFactory, VehicleFactory, make_staff
from tests.parts.factories import PartFactory

# url name -> how to build an object of another site for its pk (or other kwargs)
SITE_OBJECTS = {
    "customers:customer_detail": "customer",
    "customers:customer_edit": "customer",
    "customers:customer_consent": "customer",
    "customers:customer_contact_add": "customer",
    "customers:customer_merge": "customer",
    "customers:privacy": "customer",
    "customers:privacy_export": "customer",
    "customers:privacy_erase": "customer",
    "customers:vehicle_detail": "vehicle",
    "customers:vehicle_edit": "vehicle",
    "customers:vehicle_transfer": "vehicle",
    "customers:vehicle_mileage": "vehicle",
    "customers:import_status": "import_job",
    "appointments:detail": "appointment",
    "appointments:confirm": "appointment",
    "appointments:check_in": "appointment",
    "appointments:no_show": "appointment",
    "appointments:cancel": "appointment",
    "appointments:reschedule": "appointment",
    "appointments:board_move": "appointment",
    "appointments:call_complete": "confirmation_call",
    "appointment-detail": "appointment",
    "appointment-confirm": "appointment",
    "appointment-cancel": "appointment",
    "appointment-no-show": "appointment",
    "appointment-check-in": "appointment",
    "appointment-reschedule": "appointment",
    "customer-detail": "customer",
    "vehicle-detail": "vehicle",
    "parts:part_detail": "part",
    "parts:part_adjust": "part",
    "parts:shortage_cancel": "shortage",
    "parts:adjustment_decide": "adjustment",
    "part-detail": "part",
    "part-availability": "part",
    "stockmovement-detail": "movement",
    "repair_orders:detail": "repair_order",
    "repair_orders:checkin_tab": "repair_order",
    "repair_orders:signature": "signature",
    "repair_orders:submit_estimate": "repair_order",
    "repair_orders:cancel": "repair_order",
    "repair_orders:walkaround": "repair_order",
    "repair_orders:damage_add": "repair_order",
    "repair_orders:damage_remove": "repair_order",
    "repair_orders:damage_photos": "repair_order",
    "repair_orders:sign_check_in": "repair_order",
    "repair_orders:operation_search": "repair_order",
    "repair_orders:part_search": "repair_order",
    "repair_orders:add_operation": "repair_order",
    "repair_orders:add_package": "repair_order",
    "repair_orders:add_free_text": "repair_order",
    "repair_orders:add_part": "repair_order",
    "repair_orders:approve": "repair_order",
    **{name: "repair_order" for name in (
        "repair-order-detail", "repair-order-walk-around", "repair-order-damage-marks", "repair-order-sign-check-in",
        "repair-order-submit-estimate", "repair-order-approve", "repair-order-cancel", "repair-order-jobs",
        "repair-order-parts", "repair-order-check-in-sheet-pdf", "repair-order-work-order-pdf",
        "repair-order-recommendations-pdf", "repair-order-job-approve", "repair-order-job-decline")},
    **{f"ro_additional:{name}": "repair_order" for name in (
        "panel", "answer", "send_link", "promised_time", "discount", "recommendation", "photo_upload")},
    "ro_additional:photo": "ro_photo",
    "ro_additional:discount_decide": "discount_request",
    # quality control (workshop)
    "workshop:qc_inspect": "repair_order",
    "workshop:qc_tab": "repair_order",
    "repair-order-qc": "repair_order",
    # cashier (billing invoices)
    **{f"billing:{name}": "repair_order" for name in ("settlement", "invoice_issue", "payment_take", "deliver")},
    "billing:credit_note": "invoice",
    "billing:receipt": "payment",
    "billing:settlement_discount": "repair_order",
    "billing:settlement_discount_decide": "settlement_discount",
    "billing:account_detail": "customer_account",
    "billing:account_settle": "customer_account",
    "invoice-detail": "invoice",
    "invoice-credit-note": "invoice",
    **{name: "repair_order" for name in ("repair-order-invoice", "repair-order-deliver", "repair-order-invoice-pdf",
                                         "repair-order-gate-pass-pdf")},
    # clocking (workshop): the technician's screen, the foreman's review, the API's job actions
    **{f"workshop:{name}": "job_line" for name in ("job_start", "job_pause", "job_finish", "report_extra")},
    "workshop:time_review_confirm": "time_entry",
    **{f"repair-order-job-{name}": "repair_order" for name in ("start", "pause", "finish")},
    # dispatch board (workshop): the moves a card posts, and the API's assign
    "workshop:board_assign": "job_line",
    "workshop:board_unassign": "job_line",
    "repair-order-job-assign": "repair_order",
    # handover: pre-delivery check, warranty claims
    "billing:handover": "repair_order",
    "billing:handover_sign": "repair_order",
    "repair-order-ready": "repair_order",
    **{name: "warranty_claim" for name in ("billing:claim_detail", "billing:claim_act", "warranty-claim-detail",
                                           "warranty-claim-submit", "warranty-claim-approve",
                                           "warranty-claim-reject", "warranty-claim-pay")},
    # retention (follow-ups): lost customers, reminders API
    "followups:lost_reason": "lost_vehicle",
    "followups:lost_win_back": "lost_vehicle",
    "reminder-detail": "reminder",
    # calls (follow-ups): the call screen and its actions, complaints, comeback reports, and their API
    **{f"followups:{name}": "callback" for name in ("call", "claim", "release", "attempt", "complete")},
    **{f"callback-{name}": "callback" for name in ("detail", "claim", "release", "attempt", "complete")},
    **{name: "complaint" for name in ("followups:complaint_detail", "followups:complaint_resolve",
                                      "complaint-detail", "complaint-resolve")},
    "followups:comeback_close": "comeback",
    # reports: the archive's PDFs
    "reports:archive_download": "monthly_report",
}


def object_for(kind, site):
    if kind == "customer":
        return CustomerFactory(site=site)
    if kind == "vehicle":
        return VehicleFactory(owner=CustomerFactory(site=site))
    if kind == "import_job":
        from customers.models import ImportJob

        owner = make_staff(role=SERVICE_MANAGER, sites=[site])
        return ImportJob.objects.create(site=site, created_by=owner, kind="customers")
    if kind in PARTS_OBJECTS:
        return PARTS_OBJECTS[kind](site)
    if kind in ("repair_order", "signature"):
        from repair_orders.services import repair_order_sign_check_in
        from tests.repair_orders.helpers import open_ro, signature_png

        staff = make_staff(role=SERVICE_MANAGER, sites=[site])
        repair_order = open_ro(site, staff, vehicle=VehicleFactory(owner__site=site))
        if kind == "repair_order":
            return repair_order
        return repair_order_sign_check_in(repair_order=repair_order, signer_name="张伟",
                                          signature_image=signature_png(), actor=staff)
    if kind in ("appointment", "confirmation_call"):
        from tests.appointments.factories import appointment_on_file

        appointment = appointment_on_file(site)
        if kind == "appointment":
            return appointment
        from appointments.models import ConfirmationCall

        return ConfirmationCall.objects.create(site=site, appointment=appointment, for_day=appointment.day,
                                               due_at=appointment.start)
    if kind in ("invoice", "payment"):
        from tests.billing.invoicing_fixtures import paid_invoice

        return paid_invoice(site, with_payment=kind == "payment")
    if kind in ("job_line", "time_entry"):
        from tests.workshop.clocking_fixtures import other_site_object

        return other_site_object(kind, site)
    if kind in ("settlement_discount", "customer_account"):
        from tests.billing.invoicing_fixtures import other_site_object

        return other_site_object(kind, site)
    if kind == "warranty_claim":
        from tests.billing.handover_helpers import other_site_claim

        return other_site_claim(site)
    if kind in ("ro_photo", "discount_request"):
        from tests.repair_orders.test_public_approval import other_site_object

        return other_site_object(kind, site)
    if kind in ("callback", "complaint", "comeback"):
        from tests.followups.calls_helpers import other_site_object

        return other_site_object(kind, site)
    if kind == "monthly_report":
        from reports.models import MonthlyReport

        return MonthlyReport.objects.create(site=site, month="2026-10-01")
    if kind in ("lost_vehicle", "reminder"):
        from tests.followups.scan_helpers import other_site_object

        return other_site_object(kind, site)
    raise AssertionError(kind)


def _parts_clerk(site):
    from servicedesk.accounts.roles import PARTS_CLERK

    return make_staff(role=PARTS_CLERK, sites=[site])


def _shortage(site):
    from parts.services import shortage_record

    return shortage_record(part=PartFactory(site=site), quantity=1, actor=_parts_clerk(site))


def _adjustment(site):
    from parts.services import adjustment_request

    return adjustment_request(part=PartFactory(site=site), quantity=1, reason="count", actor=_parts_clerk(site))


def _movement(site):
    from parts.services import stock_receive

    return stock_receive(part=PartFactory(site=site), quantity=1, actor=_parts_clerk(site))


PARTS_OBJECTS = {"part": lambda site: PartFactory(site=site), "shortage": _shortage, "adjustment": _adjustment,
                 "movement": _movement}
