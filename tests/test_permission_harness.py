"""Walks every URL pattern: anonymous users go to the login page (or get 401/403 from the API), and a
user of site A gets 404 for site B's objects. A new URL with an object id must be registered in
SITE_OBJECTS below, or this test fails and says so."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from customers.models import Customer, Vehicle
from servicedesk.accounts.roles import SERVICE_MANAGER
from tests.factories import CustomerFactory, VehicleFactory, make_staff
from tests.parts.factories import PartFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"login", "logout", "healthz", "readyz", "set_language", "javascript-catalog",
          "appointments:public_book", "appointments:public_slots", "appointments:public_done",
          "appointments:self_service", "ro_public:approval", "ro_public:photo"}
SKIP_PREFIXES = ("admin:",)  # Django admin guards itself (staff only)

# url name -> how to build an object of another site for its pk (or other kwargs)
SITE_OBJECTS = {
    "customers:customer_detail": "customer",
    "customers:customer_edit": "customer",
    "customers:customer_consent": "customer",
    "customers:customer_contact_add": "customer",
    "customers:customer_merge": "customer",
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
SAMPLE_KWARGS = {"kind": "customers", "fmt": "csv", "format": "json", "job_id": "1"}


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _walk(entry, prefix + namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def named_patterns():
    seen = {}
    for name, pattern in _walk(get_resolver()):
        if not name.startswith(SKIP_PREFIXES):
            seen.setdefault(name, pattern)
    return seen


def _object_for(kind, site):
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
    if kind == "repair_order":
        from servicedesk.accounts.roles import ADVISOR
        from tests.repair_orders.helpers import open_ro

        return open_ro(site, make_staff(role=ADVISOR, sites=[site]))
    if kind in ("invoice", "payment"):
        from tests.billing.invoicing_fixtures import paid_invoice

        return paid_invoice(site, with_payment=kind == "payment")
    if kind in ("job_line", "time_entry"):
        from tests.workshop.clocking_fixtures import other_site_object

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


def _kwarg_names(pattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def _url(name, pattern, obj=None):
    kwargs = {k: (obj.pk if k == "pk" else SAMPLE_KWARGS.get(k, "x")) for k in _kwarg_names(pattern)}
    return reverse(name, kwargs=kwargs)


def test_every_url_with_an_object_is_registered():
    missing = [name for name, p in named_patterns().items()
               if "pk" in _kwarg_names(p) and name not in SITE_OBJECTS]
    assert not missing, f"register these in SITE_OBJECTS: {missing}"


def test_anonymous_users_are_sent_to_login(client, site):
    customer = CustomerFactory(site=site)
    for name, pattern in named_patterns().items():
        if name in PUBLIC:
            continue
        url = _url(name, pattern, customer)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), (name, url, response.status_code)
        else:
            assert response.status_code == 302, (name, url, response.status_code)
            assert response.url.startswith(reverse("login")), (name, url, response.url)


def test_another_sites_objects_are_not_found(client, site, other_site):
    intruder = make_staff(role=SERVICE_MANAGER, sites=[site], username="intruder")
    client.force_login(intruder)
    patterns = named_patterns()
    for name, kind in SITE_OBJECTS.items():
        obj = _object_for(kind, other_site)
        url = _url(name, patterns[name], obj)
        statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post", "patch")}
        # A view answers a method it lacks with 405 before looking anything up, so nothing leaks;
        # every method it has must say "not found".
        assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (name, url, statuses)


def test_a_user_without_a_site_is_refused(client, db):
    lonely = make_staff(role=SERVICE_MANAGER, sites=[], username="lonely")
    client.force_login(lonely)
    assert client.get(reverse("customers:customer_list")).status_code == 403


@pytest.mark.parametrize("url_name, allowed", [
    ("customers:customer_list", {"advisor", "service_manager", "customer_care", "cashier", "foreman",
                                 "technician", "qc_inspector", "parts_clerk"}),
    ("customers:customer_create", {"advisor", "service_manager", "customer_care"}),
    ("customers:import", {"service_manager", "parts_clerk"}),  # parts_clerk: the parts catalogue only
    ("parts:part_list", {"advisor", "service_manager", "cashier", "foreman", "technician", "parts_clerk"}),
    ("parts:receive", {"service_manager", "parts_clerk"}),
    ("parts:shortage_list", {"advisor", "service_manager", "foreman", "parts_clerk"}),
    ("parts:shortage_create", {"service_manager", "parts_clerk"}),
    ("parts:reorder_list", {"service_manager", "parts_clerk"}),
    ("parts:adjustment_list", {"service_manager"}),
    ("repair_orders:board", {"advisor", "service_manager", "foreman", "technician", "qc_inspector", "cashier"}),
    ("repair_orders:walk_in", {"advisor", "service_manager"}),
    ("billing:claim_list", {"advisor", "service_manager"}),
    ("billing:day_close", {"cashier", "service_manager"}),
    ("workshop:board", {"foreman", "service_manager"}),
    ("workshop:qc_queue", {"service_manager", "foreman", "qc_inspector"}),
    ("billing:cashier", {"service_manager", "cashier"}),
    ("workshop:my_jobs", {"technician"}),
    ("workshop:time_review", {"service_manager", "foreman"}),
    ("followups:reminders", {"service_manager", "customer_care"}),
    ("followups:lost_list", {"service_manager", "customer_care"}),
    ("followups:my_calls", {"advisor", "service_manager", "customer_care"}),
    ("followups:complaint_list", {"advisor", "foreman", "parts_clerk", "cashier", "service_manager", "customer_care"}),
    ("followups:comeback_list", {"advisor", "service_manager", "customer_care"}),
    ("notifications", {"advisor", "service_manager", "customer_care", "cashier", "foreman", "technician",
                       "qc_inspector", "parts_clerk"}),
])
def test_roles_reach_only_their_pages(client, site, url_name, allowed):
    from servicedesk.accounts.roles import ROLE_LABELS

    for role in ROLE_LABELS:
        client.force_login(make_staff(role=role, sites=[site]))
        status = client.get(reverse(url_name)).status_code
        assert status == (200 if role in allowed else 403), (role, url_name, status)


def test_the_api_hides_other_sites(client, site, other_site):
    mine, theirs = CustomerFactory(site=site), CustomerFactory(site=other_site)
    client.force_login(make_staff(role=SERVICE_MANAGER, sites=[site]))
    ids = [row["id"] for row in client.get("/api/v1/customers/").json()["results"]]
    assert ids == [mine.pk]
    assert client.get(f"/api/v1/customers/{theirs.pk}/").status_code == 404
    assert client.get("/api/v1/customers/", HTTP_X_SITE="BJ01").json()["results"][0]["id"] == mine.pk
    assert Customer.objects.count() == 2 and Vehicle.objects.count() == 0
