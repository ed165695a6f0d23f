"""What keeps the RO page and the front-desk board cheap: the check-in tab fetched when shown, the timeline's
words read once, the board's arrival rows without per-row managers or URL reversing; and their query counts."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from repair_orders.models import DamageMark, RepairOrderEvent
from repair_orders.views.common import url_of
from tests.appointments.factories import appointment_on_file

from .conftest import make_operation
from .helpers import estimated_ro

pytestmark = pytest.mark.django_db


def page(repair_order, **query) -> str:
    path = reverse("repair_orders:detail", args=[repair_order.pk])
    return f"{path}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else path


def test_the_check_in_tab_comes_when_shown(advisor_client, site, advisor, django_assert_num_queries):
    repair_order = estimated_ro(site, advisor)
    DamageMark.objects.create(repair_order=repair_order, x=10, y=20, kind=DamageMark.Kind.SCRATCH, created_by=advisor)
    tab_url = reverse("repair_orders:checkin_tab", args=[repair_order.pk])
    advisor_client.get(page(repair_order, tab="work"))  # warm the per-process caches
    on_work = advisor_client.get(page(repair_order, tab="work")).content.decode()
    assert 'id="walkaround-form"' not in on_work and f'hx-get="{tab_url}"' in on_work
    # The request's own two (session, user; permissions, roles and sites cached); the RO with customer and
    # vehicle, its damage marks, their photos, signatures.
    with django_assert_num_queries(6):
        tab = advisor_client.get(tab_url)
    html = tab.content.decode()
    assert 'id="walkaround-form"' in html and 'data-mark=' in html and 'id="check-in-sign-form"' in html
    # Opened on the check-in tab, the page has it inline: the page's queries and the damage marks with photos.
    on_checkin = advisor_client.get(page(repair_order, tab="checkin")).content.decode()
    assert 'id="walkaround-form"' in on_checkin and f'hx-get="{tab_url}"' not in on_checkin


def test_the_check_in_tab_is_the_sites_own(client, other_site, site, advisor):
    from tests.factories import make_staff

    repair_order = estimated_ro(site, advisor)
    client.force_login(make_staff(role="advisor", sites=[other_site]))
    assert client.get(reverse("repair_orders:checkin_tab", args=[repair_order.pk])).status_code == 404


def test_the_timeline_shows_each_events_details(advisor_client, site, advisor):
    repair_order = estimated_ro(site, advisor)
    failed = RepairOrderEvent.objects.create(repair_order=repair_order, kind="qc_failed", actor=None, data={
        "failed_jobs": [{"job": 1, "description": "更换机油", "reason": "漏油"}], "reason": "路试异响"})
    RepairOrderEvent.objects.create(repair_order=repair_order, kind="signed", actor=advisor, data={"signer": "张伟"})
    html = advisor_client.get(page(repair_order, tab="work")).content.decode()
    timeline = html[html.index('id="ro-events"'):]
    assert "更换机油: 漏油" in timeline and "<div>路试异响</div>" in timeline and "<div>张伟</div>" in timeline
    assert _("system") in timeline and str(_("QC failed: jobs sent back as rework")) in timeline
    assert failed.at.astimezone(ZoneInfo(site.time_zone)).strftime("%m-%d %H:%M") in timeline  # the site's clock


def test_board_arrivals_show_their_packages_and_operations(advisor_client, site, advisor, oil_service):
    appointment = appointment_on_file(site, start=timezone.now() + timedelta(minutes=30), advisor=advisor)
    appointment.packages.add(oil_service)
    appointment.operations.add(make_operation("BJ001", name="刹车检查"))
    html = advisor_client.get(reverse("repair_orders:board")).content.decode()
    row = html[html.index(f'id="board-arrival-{appointment.pk}"'):]
    row = row[:row.index("</li>")]
    assert f" · {oil_service.name}" in row and " · 刹车检查" in row
    assert f'href="{reverse("appointments:detail", args=[appointment.pk])}"' in row
    assert f'action="{reverse("appointments:check_in", args=[appointment.pk])}"' in row


def test_url_of_builds_what_reverse_does():
    for name in ("repair_orders:detail", "appointments:detail", "appointments:check_in"):
        assert url_of(name)(42) == reverse(name, args=[42])
