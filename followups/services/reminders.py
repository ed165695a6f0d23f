"""Maintenance (定期保养) and first-service (首保) reminders: scans in the manner of followups/services/scans.py.

A vehicle is due when its next service falls within the site's window, by date or by the day its mileage is
projected to reach the due kilometres from its own readings (average km/day between its first and last
reading), whichever comes first. That day is kept on the vehicle (Vehicle.service_due_on, computed by
customers/service_due.py whenever a reading or the next service is written), so a scan reads one index range
and costs in proportion to the vehicles due, not to the archive; a maintenance due day more than
REMINDER_LOOKBACK back (an outage, an import) is not reminded any more. A due vehicle gets one Reminder per
due cycle (the unique constraint; cycle = the due date set at delivery, "first" for the first service), a
message through the outbox, then a call task for customer care when no appointment follows within
`reminder_call_after_days`; an appointment for the vehicle booked after the reminder marks it converted (and
cancels its call if nobody took it yet).

Consent: a reminder invites the customer to buy a service they have not asked for, so it is sent as a
*marketing* message (PIPL; the issue's "marketing-type reminders respect consent"). A customer without
current marketing consent gets no message and no call: the Reminder is recorded as "skipped" so the cycle
is not tried again. Messages about work the customer commissioned (car ready, appointments) stay service.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Subquery
from django.db.models.functions import Cast

from appointments.models import Appointment
from billing.schedule import intervals_for, schedule_key
from customers.messaging.services import Outgoing, messages_queue_many
from customers.models import OutboundMessage, Vehicle
from customers.service_due import Readings, first_service_by_date, projected_day  # noqa: F401 (the rule's home)
from servicedesk.accounts.models import Site

from ..models import Callback, CallbackEvent, FollowupSettings, Reminder
from ..rules import local_date
from .scans import BATCH, each_site_in_batches, in_batches, sites_with_rules

# A due date further back than this is not reminded any more (imported history, a long outage).
REMINDER_LOOKBACK = timedelta(days=60)
# Only vehicles registered within this long can be due for their first service.
FIRST_SERVICE_WITHIN = timedelta(days=400)
# A reminder left without a booking this long is no longer watched for a conversion.
CONVERSION_WINDOW = timedelta(days=90)
CALL_KIND = {Reminder.Kind.MAINTENANCE: Callback.Kind.MAINTENANCE,
             Reminder.Kind.FIRST_SERVICE: Callback.Kind.FIRST_SERVICE}
FIRST_CYCLE = "first"


def _due_between(site: Site, since, horizon):
    """The site's vehicles whose stored reminder day (Vehicle.service_due_on, customers/service_due.py) falls in
    the window: one index range, whatever the number of vehicles and readings."""
    return Vehicle.objects.filter(site=site, service_due_on__gte=since, service_due_on__lte=horizon)


# ---------------------------------------------------------------- creating the reminders

def maintenance_reminders_send(*, as_of: datetime, lookback: timedelta = REMINDER_LOOKBACK) -> int:
    """Reminders (and their messages) for the vehicles whose next service is due within the window."""
    created = 0
    for site, rules in sites_with_rules():
        created += _maintenance_for_site(site, rules, as_of, lookback)
        in_batches(lambda site=site: _messages_batch(site))
    return created


def _maintenance_for_site(site: Site, rules: FollowupSettings, as_of: datetime, lookback: timedelta) -> int:
    """One query for the due vehicles not yet reminded this cycle; the due day is the stored one (the earlier
    of next_service_on and the mileage projection, so "mileage" when it is before the date)."""
    today = local_date(site.time_zone, as_of)
    horizon = today + timedelta(days=rules.reminder_window_days)
    reminded = Reminder.objects.filter(vehicle=OuterRef("pk"), kind=Reminder.Kind.MAINTENANCE,
                                       cycle=Cast(OuterRef("next_service_on"), output_field=CharField()))
    candidates = (_due_between(site, today - lookback, horizon).filter(next_service_on__isnull=False)
                  .exclude(Exists(reminded))
                  .values_list("pk", "owner_id", "next_service_on", "next_service_km", "service_due_on"))
    rows = [Reminder(site=site, kind=Reminder.Kind.MAINTENANCE, vehicle_id=pk, customer_id=owner_id,
                     cycle=due_on.isoformat(), due_on=due, due_km=due_km,
                     due_by="mileage" if due < due_on else "date")
            for pk, owner_id, due_on, due_km, due in candidates]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
    return len(rows)


def first_service_reminders_send(*, as_of: datetime) -> int:
    """首保: vehicles registered lately that have not had a service here yet (no next service stored), due
    by the maker's first-service interval (billing.schedule) counted from registration, by date or by
    the mileage projected from registration (0 km) and their readings. No lookback: a first service is due
    after registration, so the registration window bounds the range (the vehicle_site_first_service_due index)."""
    created = 0
    for site, rules in sites_with_rules():
        created += _first_service_for_site(site, rules, as_of)
        in_batches(lambda site=site: _messages_batch(site))
    return created


def _first_service_for_site(site: Site, rules: FollowupSettings, as_of: datetime) -> int:
    """Two queries: the due vehicles without a first-service reminder, and the schedule of their makes."""
    today = local_date(site.time_zone, as_of)
    horizon = today + timedelta(days=rules.reminder_window_days)
    candidates = list(
        _due_between(site, today - FIRST_SERVICE_WITHIN, horizon)
        .filter(next_service_on__isnull=True, registration_date__lte=today,
                registration_date__gte=today - FIRST_SERVICE_WITHIN)
        .exclude(Exists(Reminder.objects.filter(vehicle=OuterRef("pk"), kind=Reminder.Kind.FIRST_SERVICE)))
        .values_list("pk", "owner_id", "make", "model", "registration_date", "service_due_on"))
    intervals = intervals_for(schedule_key(site.pk, make, model) for _, _, make, model, _, _ in candidates)
    rows = []
    for pk, owner_id, make, model, registered, due in candidates:
        interval = intervals[schedule_key(site.pk, make, model)]
        by_date = due == first_service_by_date(registered, interval.first_months)
        rows.append(Reminder(site=site, kind=Reminder.Kind.FIRST_SERVICE, vehicle_id=pk, customer_id=owner_id,
                             cycle=FIRST_CYCLE, due_on=due, due_km=interval.first_km,
                             due_by="date" if by_date else "mileage"))
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
    return len(rows)


@transaction.atomic
def _messages_batch(site: Site) -> tuple[int, int]:
    """The messages of up to BATCH reminders that have none yet (claimed: two scans never message one twice;
    the outbox's dedupe key "reminder:<id>" backs that up), queued together: a constant number of queries
    whatever the batch holds. Without current consent (read by the outbox) or an address: skipped."""
    pending = list(Reminder.objects.filter(site=site, status=Reminder.Status.SENT, message_ref__isnull=True)
                   .select_related("customer", "vehicle").select_for_update(skip_locked=True, of=("self",))
                   .order_by("pk")[:BATCH])
    items = [Outgoing(reminder.customer, {"plate": reminder.vehicle.plate or "-", "due": reminder.due_on.isoformat()},
                      dedupe_key=f"reminder:{reminder.pk}", cause=reminder) for reminder in pending]
    messages = messages_queue_many(site=site, template="maintenance_reminder", items=items,
                                   purpose=OutboundMessage.Purpose.MARKETING)
    for reminder, message in zip(pending, messages, strict=True):
        reminder.message_ref = message.pk if message else None
        reminder.status = Reminder.Status.SENT if message else Reminder.Status.SKIPPED
    Reminder.objects.bulk_update(pending, ["message_ref", "status"])
    return len(pending), len(pending)


# ---------------------------------------------------------------- call tasks and conversions

def _booked_after(*, as_of: datetime | None = None):
    booked = Appointment.objects.filter(vehicle=OuterRef("vehicle"), created_at__gte=OuterRef("created_at"))
    return booked.filter(created_at__lte=as_of).order_by("created_at", "pk") if as_of else booked


def reminder_calls_create(*, as_of: datetime) -> int:
    """A call task (customer care) for each reminder message not followed by a booking within the site's
    `reminder_call_after_days`; one per reminder (dedupe key "reminder:<id>")."""
    return each_site_in_batches(lambda site, rules: _calls_batch(
        site, as_of - timedelta(days=rules.reminder_call_after_days), as_of))


@transaction.atomic
def _calls_batch(site: Site, sent_before: datetime, as_of: datetime) -> tuple[int, int]:
    claimed = list(Reminder.objects.filter(site=site, status=Reminder.Status.SENT, message_ref__isnull=False,
                                           created_at__lte=sent_before)
                   .exclude(Exists(_booked_after()))
                   .select_for_update(skip_locked=True, of=("self",)).order_by("pk")
                   .values_list("pk", "kind", "customer_id", "vehicle_id")[:BATCH])
    rows = [Callback(site=site, kind=CALL_KIND[kind], dedupe_key=f"reminder:{pk}", customer_id=customer_id,
                     vehicle_id=vehicle_id, reminder_id=pk, due_at=as_of)
            for pk, kind, customer_id, vehicle_id in claimed]
    Callback.objects.bulk_create(rows, ignore_conflicts=True)
    Reminder.objects.filter(pk__in=[row.reminder_id for row in rows]).update(status=Reminder.Status.CALL)
    return len(rows), len(rows)


def reminders_mark_converted(*, as_of: datetime) -> int:
    """Reminders followed by an appointment for the vehicle are converted (the first such booking is
    recorded); their call, if nobody has claimed it, is cancelled."""
    return in_batches(lambda: _converted_batch(as_of))


@transaction.atomic
def _converted_batch(as_of: datetime) -> tuple[int, int]:
    booked = _booked_after(as_of=as_of)
    claimed = list(Reminder.objects.filter(status__in=[Reminder.Status.SENT, Reminder.Status.CALL],
                                           created_at__gte=as_of - CONVERSION_WINDOW)
                   .annotate(booked_id=Subquery(booked.values("pk")[:1]),
                             booked_at=Subquery(booked.values("created_at")[:1]))
                   .filter(booked_id__isnull=False)
                   .select_for_update(skip_locked=True, of=("self",)).order_by("pk")[:BATCH])
    for reminder in claimed:
        reminder.status, reminder.appointment_ref = Reminder.Status.CONVERTED, reminder.booked_id
        reminder.converted_at = reminder.booked_at
    Reminder.objects.bulk_update(claimed, ["status", "appointment_ref", "converted_at"])
    calls = list(Callback.objects.filter(reminder__in=claimed, status=Callback.Status.OPEN)
                 .select_for_update(skip_locked=True).values_list("pk", flat=True))
    Callback.objects.filter(pk__in=calls, status=Callback.Status.OPEN).update(status=Callback.Status.CANCELLED,
                                                                              version=F("version") + 1)
    CallbackEvent.objects.bulk_create([
        CallbackEvent(callback_id=pk, kind="cancelled", from_status=Callback.Status.OPEN,
                      to_status=Callback.Status.CANCELLED, data={"reason": "booked"}) for pk in calls])
    return len(claimed), len(claimed)
