"""The periodic scans of the follow-ups (DESIGN.md §3 rules 5-6, §5): each looks for "due and not yet done"
at a given moment `as_of`, bounded by a look-back window so it costs in proportion to what is new, and
writes set-based (a few queries per batch of BATCH rows, whatever the batch holds). Unique constraints and
dedupe keys make a second run, or two runs at once, create nothing twice; rows a scan updates are claimed
with select_for_update(skip_locked=True). Times are the site's. Reminders: followups/services/reminders.py.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from billing.schedule import add_months
from customers.models import ContactLog, Customer
from repair_orders.models import RepairOrder
from repair_orders.workflow import ROState
from servicedesk.accounts.models import Site
from servicedesk.core.notifications import notify_managers

from ..models import Callback, CallbackEvent, Complaint, ComplaintEvent, FollowupSettings, LostVehicle
from ..rules import end_of_day, followup_settings, local_date, start_of_day

BATCH = 500
CALLBACK_BATCH = 5_000  # two calls per RO, one statement per batch: bigger batches, fewer round trips
ADVISOR_CALL_AFTER = timedelta(hours=72)
CSI_CALL_DAYS = 3  # due at the end of the 3rd local day after delivery
# How far back a scan looks for work it has not done yet: longer than any plausible outage.
CALLBACK_LOOKBACK = timedelta(days=14)
LOST_LOOKBACK = timedelta(days=35)
DELIVERY_CALLS = (Callback.Kind.ADVISOR_72H, Callback.Kind.CSI_3DAY)
OPEN_CALLBACK = (Callback.Status.OPEN, Callback.Status.CLAIMED)
OPEN_COMPLAINT = (Complaint.Status.OPEN, Complaint.Status.REOPENED)


def sites_with_rules() -> Iterator[tuple[Site, FollowupSettings]]:
    """Every site with its follow-up rules (one query)."""
    for site in Site.objects.select_related("followup_settings").order_by("pk"):
        yield site, followup_settings(site)


def in_batches(run_batch) -> int:
    """Call `run_batch()` (one transaction, returning (done, seen)) until a batch comes back short."""
    done_total = 0
    while True:
        done, seen = run_batch()
        done_total += done
        if seen < BATCH:
            return done_total


def each_site_in_batches(run_batch) -> int:
    """`in_batches` for every site: `run_batch(site, rules)` is one batch of that site."""
    return sum(in_batches(lambda site=site, rules=rules: run_batch(site, rules))
               for site, rules in sites_with_rules())


# ---------------------------------------------------------------- 72-hour and 3-day callbacks

def callbacks_create_due(*, as_of: datetime, lookback: timedelta = CALLBACK_LOOKBACK) -> int:
    """The advisor's 72-hour call (due delivered + 72 h) and the 3-day satisfaction call (due at the end of
    the 3rd local day after delivery, customer-care queue) of every RO delivered up to `as_of`.

    Batches walk the window in (delivered_at, pk) order, each starting after the last RO of the one before
    (a keyset cursor, so the cost is linear in the window, never re-reading what is done). Per batch: the
    delivered ROs missing a call (NOT EXISTS), locked with skip_locked so two scans share the work instead of
    racing; one insert of their missing calls. The count is exact: PostgreSQL counts the rows its
    INSERT … ON CONFLICT DO NOTHING really wrote; elsewhere the calls are read again under the lock."""
    created, after = 0, None
    while True:
        done, after = _callbacks_batch(as_of, lookback, after)
        created += done
        if after is None:
            return created


@transaction.atomic
def _callbacks_batch(as_of: datetime, lookback: timedelta, after: tuple | None) -> tuple[int, tuple | None]:
    """The batch after `after` (delivered_at, pk; None: from the window's start): the calls it created and
    where the next batch starts (None: this one was the last)."""
    def has(kind):
        return Exists(Callback.objects.filter(repair_order=OuterRef("pk"), kind=kind))

    missing = (RepairOrder.objects
               .filter(state=ROState.DELIVERED, delivered_at__lte=as_of, delivered_at__gt=as_of - lookback)
               .filter(~has(Callback.Kind.ADVISOR_72H) | ~has(Callback.Kind.CSI_3DAY)))
    if after:
        missing = missing.filter(Q(delivered_at__gt=after[0]) | Q(delivered_at=after[0], pk__gt=after[1]),
                                 delivered_at__gte=after[0])  # the bound the index range scan starts from
    found = list(missing.select_for_update(skip_locked=True, no_key=True, of=("self",))
                 .order_by("delivered_at", "pk")
                 .values_list("pk", "site_id", "site__time_zone", "customer_id", "vehicle_id", "advisor_id",
                              "delivered_at")[:CALLBACK_BATCH])
    if not found:
        return 0, None
    if connection.vendor == "postgresql":
        created = _insert_delivery_calls_sql([row[0] for row in found])
    else:
        created = _insert_delivery_calls(found)
    return created, (found[-1][6], found[-1][0]) if len(found) == CALLBACK_BATCH else None


# The ROs' missing calls, due times in the site's zone (end_of_day(local date + CSI_DAYS) as in rules.py),
# in one statement; ON CONFLICT DO NOTHING leaves a call made meanwhile and the row count is what was written.
# Only table names from model metadata are interpolated; every value is a query parameter.
_DELIVERY_CALLS_SQL = """INSERT INTO "{callbacks}" (site_id, kind, dedupe_key, customer_id, vehicle_id,
       repair_order_id, assignee_id, due_at, status, attempts, version, note, created_at)
SELECT ro.site_id, k.kind, 'ro:' || ro.id || ':' || k.kind, ro.customer_id, ro.vehicle_id, ro.id,
       CASE WHEN k.kind = %(advisor)s THEN ro.advisor_id END,
       CASE WHEN k.kind = %(advisor)s THEN ro.delivered_at + %(advisor_after)s
            ELSE (((ro.delivered_at AT TIME ZONE site.time_zone)::date + %(csi_days)s + 1)::timestamp
                  AT TIME ZONE site.time_zone) - interval '1 second' END,
       %(open)s, 0, 1, '', %(now)s
  FROM "{orders}" ro
  JOIN "{sites}" site ON site.id = ro.site_id
 CROSS JOIN (VALUES (%(advisor)s), (%(csi)s)) AS k (kind)
 WHERE ro.id = ANY(%(ids)s)
   AND NOT EXISTS (SELECT 1 FROM "{callbacks}" c WHERE c.repair_order_id = ro.id AND c.kind = k.kind)
 ORDER BY ro.delivered_at, ro.id, k.kind
    ON CONFLICT DO NOTHING"""
DELIVERY_CALLS_SQL = _DELIVERY_CALLS_SQL.format(  # nosec B608 # table names only, from model metadata
    callbacks=Callback._meta.db_table, orders=RepairOrder._meta.db_table, sites=Site._meta.db_table)


def _insert_delivery_calls_sql(ids: list[int]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(DELIVERY_CALLS_SQL, {
            "ids": ids, "advisor": Callback.Kind.ADVISOR_72H.value, "csi": Callback.Kind.CSI_3DAY.value,
            "advisor_after": ADVISOR_CALL_AFTER, "csi_days": CSI_CALL_DAYS, "open": Callback.Status.OPEN.value,
            "now": timezone.now()})
        return cursor.rowcount


def _insert_delivery_calls(found: list[tuple]) -> int:
    """The same in Python (SQLite has no time zones): the calls already there, read again under the lock."""
    existing = set(Callback.objects.filter(repair_order_id__in=[row[0] for row in found], kind__in=DELIVERY_CALLS)
                   .values_list("repair_order_id", "kind"))
    rows = []
    for pk, site_id, zone, customer_id, vehicle_id, advisor_id, delivered_at in found:
        common = {"site_id": site_id, "customer_id": customer_id, "vehicle_id": vehicle_id, "repair_order_id": pk}
        if (pk, Callback.Kind.ADVISOR_72H) not in existing:
            rows.append(Callback(kind=Callback.Kind.ADVISOR_72H, dedupe_key=f"ro:{pk}:advisor_72h",
                                 assignee_id=advisor_id, due_at=delivered_at + ADVISOR_CALL_AFTER, **common))
        if (pk, Callback.Kind.CSI_3DAY) not in existing:
            due_at = end_of_day(zone, local_date(zone, delivered_at) + timedelta(days=CSI_CALL_DAYS))
            rows.append(Callback(kind=Callback.Kind.CSI_3DAY, dedupe_key=f"ro:{pk}:csi_3day", due_at=due_at,
                                 **common))
    Callback.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# ---------------------------------------------------------------- monthly contact (seed 002)

def monthly_contacts_create(*, as_of: datetime) -> int:
    """A contact task for each customer of the site's monthly tiers (default VIP) with nothing in their
    contact log this local month; due at the end of the month, one per customer and month."""
    created = 0
    for site, rules in sites_with_rules():
        tiers = list(rules.monthly_contact_tiers or [])
        if tiers:
            created += _monthly_for_site(site, tiers, as_of)
    return created


def _monthly_for_site(site: Site, tiers: list[str], as_of: datetime) -> int:
    zone = site.time_zone
    today = local_date(zone, as_of)
    month_start = start_of_day(zone, today.replace(day=1))
    month_end = end_of_day(zone, add_months(today.replace(day=1), 1) - timedelta(days=1))
    month = f"{today:%Y-%m}"
    due = (Customer.objects.filter(site=site, tier__in=tiers, merged_into__isnull=True)
           .exclude(Exists(ContactLog.objects.filter(customer=OuterRef("pk"), at__gte=month_start, at__lte=as_of)))
           .exclude(Exists(Callback.objects.filter(customer=OuterRef("pk"), kind=Callback.Kind.MONTHLY_CONTACT,
                                                   due_at=month_end)))
           .order_by("pk").values_list("pk", flat=True))
    rows = [Callback(site=site, kind=Callback.Kind.MONTHLY_CONTACT, dedupe_key=f"monthly:{pk}:{month}",
                     customer_id=pk, due_at=month_end) for pk in due]
    # A concurrent scan's rows are ignored (the dedupe key); the count is what this scan found missing.
    Callback.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
    return len(rows)


# ---------------------------------------------------------------- lost vehicles and won back (DESIGN.md §6)

def lost_vehicles_mark(*, as_of: datetime, lookback: timedelta = LOST_LOOKBACK) -> int:
    """A vehicle whose last delivered RO is `lost_after_months` old (local dates) and has no newer RO is
    lost from the day it crossed: one LostVehicle per (vehicle, last RO). Only ROs that crossed within
    `lookback` are looked at (a first run over imported history passes a longer one)."""
    created = 0
    for site, rules in sites_with_rules():
        zone = site.time_zone
        crossed_by = add_months(local_date(zone, as_of), -rules.lost_after_months)
        newer = (RepairOrder.objects.filter(vehicle=OuterRef("vehicle"))
                 .filter(Q(created_at__gt=OuterRef("created_at")) | Q(delivered_at__gt=OuterRef("delivered_at")))
                 .exclude(pk=OuterRef("pk")).exclude(state=ROState.CANCELLED))
        candidates = (RepairOrder.objects
                      .filter(site=site, state=ROState.DELIVERED,
                              delivered_at__lt=start_of_day(zone, crossed_by + timedelta(days=1)),
                              delivered_at__gte=start_of_day(zone, crossed_by) - lookback)
                      .exclude(Exists(newer))
                      .exclude(Exists(LostVehicle.objects.filter(last_repair_order=OuterRef("pk"))))
                      .values_list("pk", "vehicle_id", "delivered_at"))
        rows = [LostVehicle(site=site, vehicle_id=vehicle_id, last_repair_order_id=pk,
                            lost_on=add_months(local_date(zone, delivered_at), rules.lost_after_months))
                for pk, vehicle_id, delivered_at in candidates]
        LostVehicle.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
        created += len(rows)
    return created


def lost_vehicles_won_back(*, as_of: datetime) -> int:
    """A lost vehicle with a (non-cancelled) RO opened after the one it left with is won back: the first
    such RO and its opening time are recorded once."""
    return in_batches(lambda: _won_back_batch(as_of))


@transaction.atomic
def _won_back_batch(as_of: datetime) -> tuple[int, int]:
    returned = (RepairOrder.objects.filter(vehicle=OuterRef("vehicle"), created_at__lte=as_of,
                                           created_at__gt=OuterRef("last_repair_order__created_at"))
                .exclude(state=ROState.CANCELLED).order_by("created_at", "pk"))
    claimed = list(LostVehicle.objects.filter(won_back_at__isnull=True)
                   .annotate(back_id=Subquery(returned.values("pk")[:1]),
                             back_at=Subquery(returned.values("created_at")[:1]))
                   .filter(back_id__isnull=False)
                   .select_for_update(skip_locked=True, of=("self",))
                   .order_by("pk")[:BATCH])
    for lost in claimed:
        lost.won_back_repair_order_id, lost.won_back_at = lost.back_id, lost.back_at
    LostVehicle.objects.bulk_update(claimed, ["won_back_repair_order", "won_back_at"])
    return len(claimed), len(claimed)


# ---------------------------------------------------------------- escalation to the service managers

def escalate_overdue(*, as_of: datetime) -> int:
    """Callbacks still open `escalate_after_hours` past their due time, and open complaints past their
    deadline, go to the site's service managers: each item's escalated_at is set once (claimed under
    skip_locked, compare-and-set on escalated_at null) and every manager gets one notification per batch."""
    return each_site_in_batches(lambda site, rules: _escalate_batch(
        site, as_of - timedelta(hours=rules.escalate_after_hours), as_of))


@transaction.atomic
def _escalate_batch(site: Site, overdue_before: datetime, as_of: datetime) -> tuple[int, int]:
    callback_ids = list(Callback.objects.filter(site=site, status__in=OPEN_CALLBACK, escalated_at__isnull=True,
                                                due_at__lte=overdue_before)
                        .select_for_update(skip_locked=True).order_by("due_at", "pk")
                        .values_list("pk", flat=True)[:BATCH])
    complaint_ids = list(Complaint.objects.filter(site=site, status__in=OPEN_COMPLAINT, escalated_at__isnull=True,
                                                  deadline__lte=as_of)
                         .select_for_update(skip_locked=True).order_by("deadline", "pk")
                         .values_list("pk", flat=True)[:BATCH])
    if not callback_ids and not complaint_ids:
        return 0, 0
    Callback.objects.filter(pk__in=callback_ids, escalated_at__isnull=True).update(escalated_at=as_of)
    Complaint.objects.filter(pk__in=complaint_ids, escalated_at__isnull=True).update(escalated_at=as_of)
    data = {"as_of": as_of.isoformat()}
    CallbackEvent.objects.bulk_create([CallbackEvent(callback_id=pk, kind="escalated", data=data)
                                       for pk in callback_ids])
    ComplaintEvent.objects.bulk_create([ComplaintEvent(complaint_id=pk, kind="escalated", data=data)
                                        for pk in complaint_ids])
    _tell_managers(site, callbacks=len(callback_ids), complaints=len(complaint_ids))
    return len(callback_ids) + len(complaint_ids), max(len(callback_ids), len(complaint_ids))


OVERDUE_FOLLOWUPS = gettext_lazy("Overdue follow-ups: %(callbacks)s callback(s) past due, %(complaints)s "
                                 "complaint(s) past their deadline.")


def _tell_managers(site: Site, *, callbacks: int, complaints: int) -> None:
    notify_managers(site=site, message=OVERDUE_FOLLOWUPS, url=_queue_url(),
                    params={"callbacks": callbacks, "complaints": complaints})


def _queue_url() -> str:
    try:
        return reverse("followups:queue")
    except NoReverseMatch:  # the customer-care queue is the "calls" part of the app
        return ""
