"""The pre-delivery check (交车前检查) the advisor signs: the RO becomes ready and the customer is told, with the
amount due, through the outbox (the message row is written in this transaction and sent after commit)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.messaging.services import message_queue
from repair_orders.models import RepairOrder
from repair_orders.services.common import lock_repair_order, move_ro, ro_event, save_changes, who
from repair_orders.workflow import ROState
from servicedesk.core.errors import ApplicationError
from workshop.models import Inspection

from ..models import PreDeliveryCheck

# The checklist in the order the advisor walks round the car; every one must be ticked.
REQUIRED_CHECKS = {
    "exterior_clean": gettext_lazy("exterior clean"),
    "interior_clean": gettext_lazy("interior clean"),
    "faults_fixed": gettext_lazy("reported faults fixed"),
    "old_parts_as_agreed": gettext_lazy("old parts as the customer chose"),
    "special_requests_honoured": gettext_lazy("special requests honoured"),
    "covers_removed": gettext_lazy("protective covers removed"),
    "belongings_returned": gettext_lazy("belongings in place"),
}
ROAD_TEST = "road_test_checked"
# The customer declined everything: nothing was repaired or replaced, so these do not apply.
NOT_APPLICABLE_WHEN_DECLINED = frozenset({"faults_fixed", "old_parts_as_agreed"})


def latest_inspection(repair_order) -> Inspection | None:
    return Inspection.objects.filter(repair_order=repair_order).order_by("-at", "-pk").first()


def required_checks(*, declined_everything: bool, road_test: bool) -> dict:
    """The checks to tick for this RO: {field: label}."""
    wanted = {key: label for key, label in REQUIRED_CHECKS.items()
              if not (declined_everything and key in NOT_APPLICABLE_WHEN_DECLINED)}
    if road_test:
        wanted[ROAD_TEST] = gettext_lazy("road test result checked")
    return wanted


@transaction.atomic
def pre_delivery_check_sign(*, repair_order: RepairOrder, checks: dict, notes: str, actor,
                            version: int | None = None) -> PreDeliveryCheck:
    """Sign the checklist. An RO in quality check whose latest inspection passed becomes ready; an RO
    already ready because the customer declined everything keeps its state and gets the check on record.
    Refused with a message naming what is missing, or when the check was signed already."""
    locked = lock_repair_order(repair_order, version=version)
    _refuse_second_check(locked)
    inspection = None
    if locked.state == ROState.QUALITY_CHECK:
        inspection = latest_inspection(locked)
        if inspection is None or inspection.result != Inspection.Result.PASSED:
            raise ApplicationError(_("Repair order %(number)s has not passed the quality check yet.")
                                   % {"number": locked.number}, code="qc_not_passed")
    elif locked.state != ROState.READY:
        raise ApplicationError(
            _("Repair order %(number)s is %(state)s; the pre-delivery check comes after the quality check has "
              "passed.") % {"number": locked.number, "state": locked.get_state_display()}, code="illegal_transition")
    declined_everything = locked.state == ROState.READY
    wanted = required_checks(declined_everything=declined_everything,
                             road_test=bool(inspection and inspection.road_test_done))
    missing = [str(label) for key, label in wanted.items() if not checks.get(key)]
    if missing:
        raise ApplicationError(_("Tick every check before signing; missing: %(missing)s.")
                               % {"missing": "、".join(missing)}, code="checks_missing", field="checks",
                               extra={"missing": [key for key in wanted if not checks.get(key)]})
    check = _record(locked, checks, notes, actor)
    if declined_everything:
        save_changes(locked, actor)
        ro_event(locked, "pre_delivery_checked", actor, check=check.pk)
    else:
        move_ro(locked, ROState.READY, actor, kind="ready", check=check.pk)
    message = _tell_the_customer(locked, actor)
    if message is None:
        ro_event(locked, "ready_message_not_sent", actor, reason="no_address")
    repair_order.state, repair_order.version = locked.state, locked.version
    return check


def _refuse_second_check(repair_order: RepairOrder) -> None:
    done = PreDeliveryCheck.objects.filter(repair_order=repair_order).select_related("signed_by__profile").first()
    if done is not None:
        raise ApplicationError(_("The pre-delivery check of %(number)s was signed already by %(who)s.")
                               % {"number": repair_order.number, "who": who(done.signed_by)}, code="conflict")


def _record(repair_order: RepairOrder, checks: dict, notes: str, actor) -> PreDeliveryCheck:
    fields = {key: bool(checks.get(key)) for key in (*REQUIRED_CHECKS, ROAD_TEST)}
    try:
        with transaction.atomic():
            return PreDeliveryCheck.objects.create(repair_order=repair_order, notes=(notes or "").strip(),
                                                   signed_by=actor, **fields)
    except IntegrityError:  # signed a moment ago by someone who did not hold the RO lock
        _refuse_second_check(repair_order)
        raise


def amount_due(repair_order: RepairOrder) -> Decimal:
    """What the customer will pay: invoicing's figure (net of payments once invoiced); before billing.selectors
    exists, the customer's part of the RO's totals."""
    try:
        from billing.selectors import amount_due as invoicing_amount_due
    except ImportError:
        from repair_orders.totals import repair_order_totals

        customer_part = repair_order_totals(repair_order).by_pay_type.get("customer")
        return customer_part.gross if customer_part else Decimal("0.00")
    return invoicing_amount_due(repair_order)


def _tell_the_customer(repair_order: RepairOrder, actor):
    """"Your car is ready" with the amount due; once per RO (dedupe key). None when we have no address."""
    return message_queue(site=repair_order.site, customer=repair_order.customer, template="vehicle_ready",
                         context={"plate": repair_order.vehicle.plate or repair_order.number,
                                  "amount": f"{amount_due(repair_order):.2f}"},
                         dedupe_key=f"vehicle-ready:{repair_order.pk}", actor=actor, cause=repair_order)
