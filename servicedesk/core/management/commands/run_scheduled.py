"""`manage.py run_scheduled [scan ...] [--as-of ISO time] [--list]`: run the product's periodic scans in this
process for a given moment. Operators catch up after an outage; tests travel in time. Every scan is safe to
run again, or alongside beat's own run (DESIGN.md §3 rule 6)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Scan:
    name: str
    path: str  # dotted path of the function
    moment: str  # the keyword it takes the moment by ("as_of" or "now")
    help: str

    def run(self, as_of: datetime) -> int:
        return import_string(self.path)(**{self.moment: as_of})


def message_sweep(*, as_of: datetime) -> int:
    """The outbox sweep: messages left queued are handed to the broker again."""
    from customers.messaging.services import messages_requeue_stale
    from customers.messaging.tasks import enqueue

    ids = messages_requeue_stale(now=as_of)
    for message_id in ids:
        enqueue(message_id)
    return len(ids)


FOLLOWUPS = "followups.services.scans"
REMINDERS = "followups.services.reminders"
# In the order "all" runs them: conversions before the call tasks they would cancel.
SCANS = [
    Scan("appointment_confirmations", "appointments.services.scans.send_confirmations", "now",
         "day-before messages for tomorrow's appointments"),
    Scan("appointment_calls", "appointments.services.scans.create_confirmation_calls", "now",
         "calls for tomorrow's unconfirmed appointments"),
    Scan("appointment_no_shows", "appointments.services.scans.mark_no_shows", "now",
         "appointments past closing time become no-shows"),
    Scan("workshop_forgotten_clocks", "workshop.services.clocking.close_forgotten_entries", "as_of",
         "clocks left running after closing time"),
    Scan("followup_callbacks", f"{FOLLOWUPS}.callbacks_create_due", "as_of",
         "72-hour and 3-day callbacks of delivered repair orders"),
    Scan("followup_reminder_conversions", f"{REMINDERS}.reminders_mark_converted", "as_of",
         "reminders followed by a booking"),
    Scan("followup_maintenance_reminders", f"{REMINDERS}.maintenance_reminders_send", "as_of",
         "maintenance reminders by date or projected mileage"),
    Scan("followup_first_service_reminders", f"{REMINDERS}.first_service_reminders_send", "as_of",
         "first-service reminders for new vehicles"),
    Scan("followup_reminder_calls", f"{REMINDERS}.reminder_calls_create", "as_of",
         "call tasks for reminders without a booking"),
    Scan("followup_monthly_contacts", f"{FOLLOWUPS}.monthly_contacts_create", "as_of",
         "monthly contact tasks for the chosen tiers"),
    Scan("followup_lost_vehicles", f"{FOLLOWUPS}.lost_vehicles_mark", "as_of", "vehicles lost after N months"),
    Scan("followup_won_back", f"{FOLLOWUPS}.lost_vehicles_won_back", "as_of", "lost vehicles that came back"),
    Scan("followup_escalations", f"{FOLLOWUPS}.escalate_overdue", "as_of",
         "overdue callbacks and complaints to the service managers"),
    Scan("monthly_reports", "reports.services.monthly_reports_create_due", "as_of",
         "the previous month's report pack, on the 3rd at 08:00 site time"),
    Scan("message_sweep", f"{__name__}.message_sweep", "as_of", "outbox messages left queued"),
]
BY_NAME: dict[str, Scan] = {scan.name: scan for scan in SCANS}


def parse_moment(text: str | None, now: Callable[[], datetime] = timezone.now) -> datetime:
    """An ISO time ("2026-11-24T10:00+08:00"); without an offset, the server's zone."""
    if not text:
        return now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of: not an ISO time: {text!r} (e.g. 2026-11-24T10:00+08:00)") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Run the periodic scans (all, or the ones named) in this process for a given moment."

    def add_arguments(self, parser):
        parser.add_argument("scans", nargs="*", metavar="scan", help="scan names (see --list); none: all")
        parser.add_argument("--as-of", dest="as_of", help="the moment to run for, ISO 8601 (default: now)")
        parser.add_argument("--list", action="store_true", help="list the scans and stop")

    def handle(self, *args, scans, as_of, **options):
        if options["list"]:
            for scan in SCANS:
                self.stdout.write(f"{scan.name:36} {scan.help}")
            return
        unknown = [name for name in scans if name not in BY_NAME]
        if unknown:
            raise CommandError(f"unknown scan(s): {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
        moment = parse_moment(as_of)
        self.stdout.write(f"as of {moment.isoformat()}")
        for scan in [BY_NAME[name] for name in scans] or SCANS:
            self.stdout.write(f"{scan.name}: {scan.run(moment)}")
