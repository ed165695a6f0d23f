"""Reminders as the daily scans would have left them at the dataset's day: run by the generator after the
vehicles' reminder days are set (build.py), and on an existing dataset by bench/dataset/reminders_fix.py
(one transaction per site, idempotent).

- The scans' creation as of yesterday morning (followups/services/reminders.py's own queries): the maintenance
  reminders the history did not write (due earlier by mileage) and the first-service (首保) reminders of vehicles
  registered lately and not serviced yet, each dated the day its window opened. A scan at the dataset's now
  then finds only what came due today.
- Every reminder without its message: a customer without marketing consent (or without an address) gets none
  and the reminder is "skipped", as the scan records it; the others get their outbox message, sent
  (template maintenance_reminder, dedupe key "reminder:<id>") and the reminder's message_ref.
Not written: the contact-log line of each sent message, and the call tasks of sent reminders left unbooked."""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Max

from customers.messaging.services import address_for
from customers.messaging.templates import renderer
from customers.models import OutboundMessage
from followups.models import Reminder
from followups.rules import followup_settings
from followups.services.reminders import REMINDER_LOOKBACK, _first_service_for_site, _maintenance_for_site

SCAN_AT = time(3, 0)  # the nightly scan's hour, local
CHUNK = 5_000
# One statement per chunk (the (site, dedupe_key) index): message_ref set, created_at (set on insert) put back.
LINK = """WITH linked AS (
    UPDATE followups_reminder r SET message_ref = m.id FROM customers_outboundmessage m
    WHERE m.site_id = %s AND m.dedupe_key = ANY(%s) AND r.id = substr(m.dedupe_key, 10)::bigint
    RETURNING m.id)
UPDATE customers_outboundmessage m SET created_at = m.next_attempt_at FROM linked WHERE m.id = linked.id"""
CUSTOMER = ("customer__marketing_consent", "customer__preferred_channel", "customer__mobile", "customer__wechat_id",
            "customer__email", "customer__name")


def reminders_as_left(site, today: date) -> dict[str, int]:
    with transaction.atomic():
        created = _created_yesterday(site, today)
        skipped, messages = _messages(site)
    with connection.cursor() as cursor:
        for table in (Reminder._meta.db_table, OutboundMessage._meta.db_table):
            cursor.execute(f'ANALYZE "{table}"')
    return {"created": created, "skipped": skipped, "messages": messages}


def _created_yesterday(site, today: date) -> int:
    rules, zone = followup_settings(site), ZoneInfo(site.time_zone)
    yesterday = today - timedelta(days=1)
    as_of = datetime.combine(yesterday, SCAN_AT, tzinfo=zone)
    before = Reminder.objects.aggregate(last=Max("pk"))["last"] or 0
    _maintenance_for_site(site, rules, as_of, REMINDER_LOOKBACK)
    _first_service_for_site(site, rules, as_of)
    window = timedelta(days=rules.reminder_window_days)
    created = list(Reminder.objects.filter(site=site, pk__gt=before).select_related("vehicle"))
    for reminder in created:  # the first nightly scan that saw it: its window opened (not before registration)
        registered = reminder.vehicle.registration_date or reminder.due_on
        opened = min(yesterday, max(reminder.due_on - window, registered))
        reminder.created_at = datetime.combine(opened, SCAN_AT, tzinfo=zone)
    Reminder.objects.bulk_update(created, ["created_at"], batch_size=CHUNK)
    return len(created)


def _messages(site) -> tuple[int, int]:
    """Skip or message every reminder of the site without a message, in chunks of CHUNK."""
    skipped = written = 0
    fill = renderer("maintenance_reminder")
    pending = (Reminder.objects.filter(site=site, message_ref__isnull=True).exclude(status=Reminder.Status.SKIPPED)
               .order_by("pk"))
    after = 0
    while rows := list(pending.filter(pk__gt=after)
                       .values_list("pk", "customer_id", "created_at", "due_on", "vehicle__plate", *CUSTOMER)[:CHUNK]):
        after = rows[-1][0]
        unsent, messages = [], []
        for pk, customer_id, created_at, due_on, plate, consent, channel, mobile, wechat_id, email, name in rows:
            customer = SimpleNamespace(preferred_channel=channel, mobile=mobile, wechat_id=wechat_id, email=email)
            address = address_for(customer, None, None) if consent else None
            if address is None:
                unsent.append(pk)
                continue
            rendered = fill({"site": site.name, "customer": name, "plate": plate or "-", "due": due_on.isoformat()})
            messages.append(OutboundMessage(
                site=site, customer_id=customer_id, channel=address[0], recipient=address[1],
                template_key="maintenance_reminder", purpose=OutboundMessage.Purpose.MARKETING,
                subject=rendered.title[:100], text=rendered.text, status=OutboundMessage.Status.SENT, attempts=1,
                next_attempt_at=created_at, sent_at=created_at + timedelta(minutes=1), dedupe_key=f"reminder:{pk}",
                cause_type="followups.reminder", cause_id=str(pk)))
        Reminder.objects.filter(pk__in=unsent).update(status=Reminder.Status.SKIPPED, converted_at=None,
                                                      appointment_ref=None)
        OutboundMessage.objects.bulk_create(messages, ignore_conflicts=True, batch_size=CHUNK)
        with connection.cursor() as cursor:  # each reminder names its message; the message's time is its reminder's
            cursor.execute(LINK, [site.pk, [message.dedupe_key for message in messages]])
        skipped, written = skipped + len(unsent), written + len(messages)
    return skipped, written

