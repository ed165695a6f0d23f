"""Beat started twice (issue 11, Faults): two workers, each with its own embedded beat on the one database
schedule, both firing every scan every two seconds (their logs prove each beat sent each scan several
times). The callbacks, maintenance reminders, monthly contact tasks and the monthly report pack, and the
messages they cause, still exist once each, and each message is handed over once."""

import time
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from customers.models import Customer, OutboundMessage
from followups.models import Callback, Reminder
from reports.models import MonthlyReport
from reports.services import previous_month_if_due
from tests.factories import CustomerFactory

from .fault_backend import sends
from .faults import elapsed, ready_and_delivered, vehicles_due_for_service, wait_or_fail

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ORDERS, DUE, VIPS, RUNS = 3, 3, 2, 3
SCANS = ["followups-due-callbacks", "followups-maintenance-reminders", "followups-monthly-contacts",
         "reports-monthly-pack"]
BEAT = {"FAULT_BEAT_SECONDS": "2", "FAULT_SWEEP_AFTER_SECONDS": "2",
        "FAULT_BEAT_ONLY": ",".join([*SCANS, "message-sweep", "beat-heartbeat"])}


def test_two_beats_fire_every_scan_and_nothing_is_created_or_sent_twice(fault_stack, site, advisor, inspector,
                                                                         manager):
    clock = time.monotonic()
    manager.email = "manager@example.com"
    manager.save(update_fields=["email"])
    orders = ready_and_delivered(site, advisor, inspector, ORDERS)
    vehicles = vehicles_due_for_service(site, DUE)
    vips = [CustomerFactory(site=site, tier=Customer.Tier.VIP) for _ in range(VIPS)]
    pack_due = previous_month_if_due(site, timezone.now().astimezone(ZoneInfo(site.time_zone))) is not None
    workers = [fault_stack.worker(name, env=BEAT, loglevel="info").start() for name in ("a", "b")]

    def fired(worker, scan):
        return worker.output(whole=True).count(f"Sending due task {scan} ")

    wait_or_fail(lambda: all(fired(w, scan) >= RUNS for w in workers for scan in SCANS), 90,
                 lambda: {w.name: {scan: fired(w, scan) for scan in SCANS} for w in workers}, *workers)
    messages = OutboundMessage.objects.all()
    expected_messages = ORDERS + DUE + (1 if pack_due else 0)  # vehicle ready, reminders, the pack's email
    wait_or_fail(lambda: messages.filter(status=OutboundMessage.Status.SENT).count() == expected_messages, 60,
                 lambda: f"statuses {Counter(messages.values_list('status', flat=True))}", *workers)
    time.sleep(2)  # one more round of each beat
    for worker in workers:
        worker.kill()

    calls = Counter(Callback.objects.values_list("kind", "repair_order", "customer"))
    assert calls == Counter({**{(kind, ro.pk, ro.customer_id): 1 for ro in orders
                                for kind in ("advisor_72h", "csi_3day")},
                             **{("monthly_contact", None, vip.pk): 1 for vip in vips}})
    assert Counter(Reminder.objects.values_list("vehicle", flat=True)) == {vehicle.pk: 1 for vehicle in vehicles}
    assert MonthlyReport.objects.filter(site=site, generated_at__isnull=False).count() == (1 if pack_due else 0)
    assert sends(workers[0].send_log) == {message.pk: 1 for message in messages}
    assert not [w.name for w in workers if "Traceback" in w.output(whole=True)]  # no scan failed on a conflict
    print(f"beat twice: {elapsed(clock)}")
