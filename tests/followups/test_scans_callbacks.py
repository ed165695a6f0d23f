"""The delivery-time scan (DESIGN.md §5): one 72-hour call for the advisor and one 3-day call for customer
care per delivered RO, due times in the site's zone, nothing twice, a constant number of queries."""

import math
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from followups.models import Callback
from followups.services import scans
from followups.services.scans import callbacks_create_due
from tests.factories import SiteFactory, make_staff

from .scan_helpers import delivered_ro, local

pytestmark = pytest.mark.django_db


def insert_statements(model, rows: int) -> int:
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    return math.ceil(rows / connection.ops.bulk_batch_size(fields, [None] * rows))


def test_at_73_hours_one_callback_of_each_kind_and_a_second_run_adds_nothing(site, advisor):
    delivered_at = local(site, "2026-11-20 15:00")
    repair_order = delivered_ro(site, advisor, at=delivered_at)

    assert callbacks_create_due(as_of=delivered_at + timedelta(hours=73)) == 2
    assert callbacks_create_due(as_of=delivered_at + timedelta(hours=73)) == 0
    assert callbacks_create_due(as_of=delivered_at + timedelta(hours=80)) == 0

    advisor_call = Callback.objects.get(repair_order=repair_order, kind=Callback.Kind.ADVISOR_72H)
    assert advisor_call.assignee == advisor
    assert advisor_call.due_at == delivered_at + timedelta(hours=72)
    assert advisor_call.dedupe_key == f"ro:{repair_order.pk}:advisor_72h"
    assert (advisor_call.customer_id, advisor_call.vehicle_id) == (repair_order.customer_id, repair_order.vehicle_id)
    care_call = Callback.objects.get(repair_order=repair_order, kind=Callback.Kind.CSI_3DAY)
    assert care_call.assignee is None
    assert care_call.dedupe_key == f"ro:{repair_order.pk}:csi_3day"
    assert Callback.objects.count() == 2


def test_the_3_day_call_is_due_at_the_end_of_the_3rd_local_day(site, advisor):
    # 23:30 in Shanghai is 15:30 UTC the same day: the local day counts.
    repair_order = delivered_ro(site, advisor, at=local(site, "2026-11-20 23:30"))
    callbacks_create_due(as_of=local(site, "2026-11-21 09:00"))
    care_call = Callback.objects.get(repair_order=repair_order, kind=Callback.Kind.CSI_3DAY)
    assert care_call.due_at == local(site, "2026-11-23 23:59") + timedelta(seconds=59)


def test_the_site_zone_decides_the_day(advisor):
    berlin = SiteFactory(code="DE01", time_zone="Europe/Berlin")
    berlin_advisor = make_staff(role="advisor", sites=[berlin])
    # 00:30 in Berlin on the 21st is still the 20th in UTC.
    repair_order = delivered_ro(berlin, berlin_advisor, at=local(berlin, "2026-11-21 00:30"))
    callbacks_create_due(as_of=local(berlin, "2026-11-21 12:00"))
    care_call = Callback.objects.get(repair_order=repair_order, kind=Callback.Kind.CSI_3DAY)
    assert care_call.due_at == local(berlin, "2026-11-24 23:59") + timedelta(seconds=59)


def test_nothing_before_delivery_and_nothing_for_open_or_long_past_deliveries(site, advisor):
    delivered_at = local(site, "2026-11-20 15:00")
    delivered_ro(site, advisor, at=delivered_at)
    assert callbacks_create_due(as_of=delivered_at - timedelta(minutes=1)) == 0
    assert callbacks_create_due(as_of=delivered_at + timedelta(days=30)) == 0  # outside the look-back
    assert callbacks_create_due(as_of=delivered_at + timedelta(days=30), lookback=timedelta(days=31)) == 2


def test_a_callback_made_elsewhere_is_respected(site, advisor):
    delivered_at = local(site, "2026-11-20 15:00")
    repair_order = delivered_ro(site, advisor, at=delivered_at)
    Callback.objects.create(site=site, kind=Callback.Kind.CSI_3DAY, dedupe_key=f"ro:{repair_order.pk}:csi_3day",
                            customer=repair_order.customer, repair_order=repair_order, due_at=delivered_at)
    assert callbacks_create_due(as_of=delivered_at + timedelta(hours=1)) == 1
    assert Callback.objects.filter(repair_order=repair_order).count() == 2


def test_the_3_day_call_keeps_the_local_day_across_a_dst_change(advisor):
    # New York moves its clocks on 2026-03-08: the 3rd day after the 6th ends at 23:59:59 EDT, not EST.
    new_york = SiteFactory(code="US01", time_zone="America/New_York")
    repair_order = delivered_ro(new_york, make_staff(role="advisor", sites=[new_york]),
                                at=local(new_york, "2026-03-06 22:30"))
    callbacks_create_due(as_of=local(new_york, "2026-03-07 09:00"))
    care_call = Callback.objects.get(repair_order=repair_order, kind=Callback.Kind.CSI_3DAY)
    assert care_call.due_at == local(new_york, "2026-03-09 23:59") + timedelta(seconds=59)  # 03:59:59 UTC


def queries_per_batch(calls: int) -> int:
    """savepoint; the delivered ROs missing a call, after the cursor (locked); [SQLite: their calls read again;
    the insert, split by SQLite's 999-parameter limit | PostgreSQL: one INSERT … SELECT]; release."""
    if connection.vendor == "postgresql":
        return 4
    return 4 + insert_statements(Callback, calls) if calls else 3


@pytest.mark.parametrize("deliveries", [1, 30])
def test_a_constant_number_of_queries_per_batch(site, advisor, django_assert_num_queries, deliveries):
    delivered_at = local(site, "2026-11-20 15:00")
    for n in range(deliveries):
        delivered_ro(site, advisor, at=delivered_at + timedelta(minutes=n))
    with django_assert_num_queries(queries_per_batch(2 * deliveries)):
        assert callbacks_create_due(as_of=delivered_at + timedelta(hours=73)) == 2 * deliveries
    with django_assert_num_queries(3):  # savepoint; nothing missing; release
        assert callbacks_create_due(as_of=delivered_at + timedelta(hours=73)) == 0


def test_batches_continue_after_the_last_ro_of_the_one_before(site, advisor, django_assert_num_queries,
                                                              monkeypatch):
    monkeypatch.setattr(scans, "CALLBACK_BATCH", 4)
    delivered_at = local(site, "2026-11-20 15:00")
    # Ties on delivered_at across the batch boundaries: the cursor goes on by pk within the same moment.
    orders = [delivered_ro(site, advisor, at=delivered_at + timedelta(minutes=n // 3)) for n in range(10)]
    Callback.objects.create(site=site, kind=Callback.Kind.CSI_3DAY, dedupe_key=f"ro:{orders[5].pk}:csi_3day",
                            customer=orders[5].customer, repair_order=orders[5], due_at=delivered_at)
    # Batches of 4, 4 and 2 ROs; the second holds the RO that already has its 3-day call.
    with django_assert_num_queries(2 * queries_per_batch(8) + queries_per_batch(4)):
        assert callbacks_create_due(as_of=delivered_at + timedelta(hours=73)) == 19
    assert Counter(Callback.objects.values_list("repair_order", "kind")) == {
        (ro.pk, kind): 1 for ro in orders for kind in ("advisor_72h", "csi_3day")}
    with django_assert_num_queries(3):
        assert callbacks_create_due(as_of=delivered_at + timedelta(hours=73)) == 0
    assert Callback.objects.count() == 20


def test_a_full_last_batch_ends_with_an_empty_one(site, advisor, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(scans, "CALLBACK_BATCH", 2)
    delivered_at = local(site, "2026-11-20 15:00")
    for n in range(4):
        delivered_ro(site, advisor, at=delivered_at + timedelta(minutes=n))
    with django_assert_num_queries(2 * queries_per_batch(4) + 3):
        assert callbacks_create_due(as_of=delivered_at + timedelta(hours=73)) == 8
