"""The benchmark dataset at a tiny scale (PostgreSQL only): the counts it reports are in the tables, every
foreign key points at a row (the load skips the triggers), the model constraints hold, and the screens the
benchmarks time open on a bench site with work on them."""

from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client

from bench.dataset import BIG_SITE, MANAGER, SITE_CODES, role_username
from bench.dataset.build import ZONE, build
from bench.dataset.tables import COLUMNS
from followups.services.reminders import first_service_reminders_send, maintenance_reminders_send
from parts.selectors import stock_ledger_disagreements
from repair_orders.models import JobLine, RepairOrder
from repair_orders.workflow import OPEN_RO_STATES
from servicedesk.accounts.models import Site
from servicedesk.core.models import NumberSequence
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 11, 24, 10, 30, tzinfo=ZONE)


def test_a_tiny_dataset():
    """One generation (about half a minute), checked from every side."""
    if connection.vendor != "postgresql":
        skip_or_fail("the dataset is loaded with PostgreSQL's COPY")
    counts = build(scale=0.001, seed=7, now=NOW, progress=lambda message: None)
    counts_are_the_rows_in_the_tables(counts)
    every_foreign_key_points_at_a_row()
    model_rules_hold()
    the_big_site_has_a_working_day()
    boards_and_monthly_report_open_on_the_big_site()
    reminders_are_as_the_scans_left_them()


def counts_are_the_rows_in_the_tables(counts):
    for name, model, _columns in COLUMNS:
        assert model.objects.count() == counts[name], name
    assert counts["repair_orders"] >= 600  # 0.1% of 600,000, plus the current day
    assert counts["survey_answers"] > counts["surveys"] > 0
    assert set(Site.objects.values_list("code", flat=True)) == set(SITE_CODES)


def every_foreign_key_points_at_a_row():
    orphans = []
    with connection.cursor() as cursor:
        for _name, model, _columns in COLUMNS:
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                table, parent = model._meta.db_table, field.related_model._meta.db_table
                cursor.execute(f'SELECT count(*) FROM "{table}" c WHERE c."{field.column}" IS NOT NULL AND NOT EXISTS '
                               f'(SELECT 1 FROM "{parent}" p WHERE p.id = c."{field.column}")')
                if missing := cursor.fetchone()[0]:
                    orphans.append(f"{table}.{field.column}: {missing}")
    assert orphans == []


def model_rules_hold():
    with connection.cursor() as cursor:
        # A comeback returns to an RO of the same vehicle delivered at most 30 days before.
        cursor.execute("""SELECT count(*) FROM repair_orders_repairorder r JOIN repair_orders_repairorder p
                          ON p.id = r.comeback_of_id WHERE p.vehicle_id <> r.vehicle_id OR p.delivered_at > r.created_at
                          OR p.delivered_at < r.created_at - interval '30 days'""")
        assert cursor.fetchone()[0] == 0
        # Gapless numbers: each sequence row is the highest number used that year.
        for sequence in NumberSequence.objects.filter(kind="RO"):
            prefix = f"{sequence.site.code}-{sequence.year}-"
            numbers = RepairOrder.objects.filter(site=sequence.site, number__startswith=prefix)
            assert numbers.count() == sequence.last_value
            assert numbers.order_by("-number").first().number == f"{prefix}{sequence.last_value:06d}"
    assert NumberSequence.objects.filter(kind="INV").exists()
    assert stock_ledger_disagreements() == []
    # The rebuilt unique indexes (one callback per RO and kind, one open RO per key tag) were created, so they hold.
    names = {index for model in (RepairOrder,) for index in connection.introspection.get_constraints(
        connection.cursor(), model._meta.db_table)}
    assert {"ro_key_tag_unique_while_open", "ro_one_per_appointment", "ro_site_state"} <= names
    assert apps.get_model("followups", "Callback").objects.filter(status="open").exists()


def the_big_site_has_a_working_day():
    open_jobs = JobLine.objects.filter(repair_order__site__code=BIG_SITE, repair_order__state="in_progress")
    assert open_jobs.count() == 150
    assert open_jobs.exclude(technician=None).values("technician").distinct().count() == 20
    assert RepairOrder.objects.filter(site__code=BIG_SITE, state__in=OPEN_RO_STATES).exclude(key_tag="").count() > 30


def boards_and_monthly_report_open_on_the_big_site():
    client = Client()
    client.force_login(apps.get_model("auth", "User").objects.get(username=role_username("foreman", BIG_SITE)))
    assert client.get("/workshop/board/").status_code == 200
    client.force_login(apps.get_model("auth", "User").objects.get(username=MANAGER))
    page = client.get("/repair-orders/")
    assert page.status_code == 200
    first_open = RepairOrder.objects.filter(site__code=BIG_SITE, state="in_progress").order_by("number").first()
    assert first_open.number.encode() in page.content
    assert client.get("/reports/monthly/").status_code == 200


def reminders_are_as_the_scans_left_them():
    """Each reminder has its message, or was skipped for want of consent; a scan at the dataset's now creates
    only what came due today and messages nothing older."""
    reminder, message = apps.get_model("followups", "Reminder"), apps.get_model("customers", "OutboundMessage")
    reminders = reminder.objects.all()
    assert reminders.filter(kind="first_service").exists()
    assert not reminders.exclude(status="skipped").filter(message_ref=None).exists()
    assert not reminders.filter(status="skipped", customer__marketing_consent=True).exists()
    sent = reminders.exclude(status="skipped")
    assert set(message.objects.filter(pk__in=sent.values("message_ref")).values_list("dedupe_key", flat=True)) == {
        f"reminder:{pk}" for pk in sent.values_list("pk", flat=True)}
    before = reminders.aggregate(last=Max("pk"))["last"]
    messages_before = message.objects.aggregate(last=Max("pk"))["last"]
    today, window = NOW.date(), timedelta(days=14)
    with transaction.atomic():
        maintenance_reminders_send(as_of=NOW)
        first_service_reminders_send(as_of=NOW)
        new = reminders.filter(pk__gt=before).select_related("vehicle")
        assert all(r.due_on == today + window or r.vehicle.registration_date == today for r in new), [
            (r.kind, r.due_on, r.vehicle.registration_date) for r in new]
        assert message.objects.filter(pk__gt=messages_before).count() == new.exclude(status="skipped").count()
        transaction.set_rollback(True)
