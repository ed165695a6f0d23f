"""`manage.py run_scheduled`: every scan of the product in one registry, run by name or all, for a moment."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from followups.models import Callback
from servicedesk.core.management.commands.run_scheduled import SCANS, parse_moment

from .scan_helpers import delivered_ro, local

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("run_scheduled", *args, stdout=out)
    return out.getvalue()


def test_list_names_every_scan_of_the_product():
    listing = run("--list")
    for name in ("appointment_confirmations", "appointment_no_shows", "workshop_forgotten_clocks",
                 "followup_callbacks", "followup_maintenance_reminders", "followup_lost_vehicles",
                 "followup_escalations", "message_sweep"):
        assert name in listing
    assert len(SCANS) == len({scan.name for scan in SCANS})


def test_a_named_scan_for_a_moment_prints_its_count_and_a_second_run_nothing(site, advisor):
    delivered_at = local(site, "2026-11-20 15:00")
    delivered_ro(site, advisor, at=delivered_at)
    moment = (delivered_at + timedelta(hours=73)).isoformat()
    assert "followup_callbacks: 2" in run("followup_callbacks", "--as-of", moment)
    assert "followup_callbacks: 0" in run("followup_callbacks", "--as-of", moment)
    assert Callback.objects.count() == 2


def test_all_scans_run(site, advisor):
    output = run("--as-of", "2026-11-24T10:00+08:00")
    assert output.splitlines()[0] == "as of 2026-11-24T10:00:00+08:00"
    assert all(f"{scan.name}: " in output for scan in SCANS)


def test_bad_input_is_a_clear_error():
    with pytest.raises(CommandError, match="unknown scan"):
        run("no_such_scan")
    with pytest.raises(CommandError, match="not an ISO time"):
        run("followup_callbacks", "--as-of", "yesterday")


def test_a_time_without_offset_is_the_servers_zone(settings):
    assert parse_moment("2026-11-24T10:00").utcoffset() == timedelta(hours=8)
