"""The load benchmark (bench/load/): its locustfile for a few seconds, one user per role, against the live test
server (PostgreSQL only), every role signing in through the login form with its CSRF token and working its screens
with no error; the mix of roles; and what it reads off the pages, checked against the real ones."""

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from bench.load import samples, screens
from bench.suite.common import ROOT
from servicedesk.accounts.roles import ADVISOR, CUSTOMER_CARE, FOREMAN, SERVICE_MANAGER, TECHNICIAN
from tests.conftest import skip_or_fail
from tests.factories import VehicleFactory, make_staff
from tests.followups.calls_helpers import delivered_ro, make_callback

ROLES = {"advisors": ADVISOR, "foremen": FOREMAN, "technicians": TECHNICIAN, "care": CUSTOMER_CARE,
         "managers": SERVICE_MANAGER}


@pytest.mark.django_db(transaction=True)
def test_every_role_works_its_screens_without_an_error(live_server, site, tmp_path):
    if connection.vendor != "postgresql":
        skip_or_fail("the load benchmark runs on PostgreSQL")
    accounts = {}
    for group, role in ROLES.items():
        user = make_staff(role=role, sites=[site], username=f"load-{group}")
        user.set_password("load-password")
        user.save()
        accounts[group] = [user.username]
    plate = VehicleFactory(owner__site=site).plate
    advisor = get_user_model().objects.get(username="load-advisors")
    make_callback(delivered_ro(site, advisor), due_in_hours=-1)  # something on the board and in the queue
    sample = {"mix": dict.fromkeys(ROLES, 1), "password": "load-password", "plates": {site.code: [plate]},
              "ros": {}, "sites": {names[0]: site.code for names in accounts.values()}, **accounts}
    (tmp_path / "samples.json").write_text(json.dumps(sample))
    record = tmp_path / "record.json"

    run = subprocess.run([sys.executable, "-m", "locust", "-f", "bench/load/locustfile.py", "--headless",
                          "--users", "5", "--spawn-rate", "5", "--run-time", "8s", "--host", live_server.url,
                          "--only-summary", "--loglevel", "WARNING"], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env={**os.environ, "LOAD_SAMPLES": str(tmp_path / "samples.json"),
                                        "LOAD_RECORD": str(record)})

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    found = json.loads(record.read_text())
    assert found["users"] == {"advisor": 1, "foreman": 1, "technician": 1, "customer care": 1, "manager": 1}
    names = {name for name, _ms, _outcome, _second in found["requests"]}
    assert {"login", "advisor: front-desk board", "foreman: dispatch board", "technician: my jobs",
            "care: callback queue", "manager: dashboard"} <= names, names
    assert [row for row in found["requests"] if row[2] == "error"] == []


def test_the_mix_gives_every_role_its_share():
    assert samples.mix(50) == samples.MIX
    assert sum(samples.MIX.values()) == 50
    assert samples.mix(5) == {"advisors": 2, "foremen": 1, "technicians": 2, "care": 1, "managers": 1}


def test_the_screens_patterns_read_the_real_pages(client, site, care, advisor):
    """What the locustfile reads off the pages: the claim forms and the CSRF token of the callback queue, and the
    red message of a claim somebody else got first (a conflict, not an error)."""
    from followups.services.callbacks import callback_claim

    taken, free = (make_callback(delivered_ro(site, advisor), due_in_hours=-1) for _n in range(2))
    other = make_staff(role=CUSTOMER_CARE, sites=[site], username="care-2")
    callback_claim(callback=taken, actor=other)
    client.force_login(care)

    queue = client.get("/followups/").content.decode()
    assert screens.CLAIM_FORM.findall(queue) == [str(free.pk)]
    assert screens.first(screens.CSRF, queue)
    assert not screens.refused(queue)
    answer = client.post(f"/followups/calls/{taken.pk}/claim/", HTTP_REFERER="/followups/", follow=True)
    assert answer.status_code == 200
    assert screens.refused(answer.content.decode())
