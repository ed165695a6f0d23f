"""The retention screens and API: reminders list (filters, paging, constant queries), lost customers (reason,
win-back call with its dedupe key), /api/v1/reminders/."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from followups.models import Callback, LostVehicle, Reminder
from servicedesk.accounts.roles import CUSTOMER_CARE
from tests.factories import VehicleFactory, make_staff

from .scan_helpers import lost_vehicle

pytestmark = pytest.mark.django_db
# session, user, user permissions, group permissions, current site, staff profile, count, the user's roles
# (navigation), the page with its vehicles, customers (and ROs, win-back flag) joined
PAGE_QUERIES = 9


@pytest.fixture
def care_client(client, care):
    client.force_login(care)
    return client


def reminders(site, count, **fields):
    rows = []
    for n in range(count):
        vehicle = VehicleFactory(owner__site=site)
        rows.append(Reminder.objects.create(site=site, vehicle=vehicle, customer=vehicle.owner, cycle=f"c{n}",
                                            due_on="2026-12-01", due_by="date",
                                            **{"kind": Reminder.Kind.MAINTENANCE, **fields}))
    return rows


@pytest.mark.parametrize("count", [1, 20])
def test_reminder_list_filters_and_runs_constant_queries(care_client, site, count, django_assert_num_queries):
    reminders(site, count)
    converted = reminders(site, 1, kind=Reminder.Kind.FIRST_SERVICE, status=Reminder.Status.CONVERTED)[0]
    with django_assert_num_queries(PAGE_QUERIES):
        response = care_client.get(reverse("followups:reminders"))
    assert response.status_code == 200
    assert len(response.context["page"]) == count + 1
    response = care_client.get(reverse("followups:reminders"), {"kind": "first_service", "status": "converted"})
    assert [r.pk for r in response.context["page"]] == [converted.pk]
    partial = care_client.get(reverse("followups:reminders"), {"kind": "maintenance"}, HTTP_HX_REQUEST="true")
    assert b"<table" in partial.content and b"<h1" not in partial.content


def test_reminder_api_lists_the_sites_reminders_with_filters(care_client, site, other_site):
    mine = reminders(site, 2)
    reminders(other_site, 1)
    body = care_client.get("/api/v1/reminders/").json()
    assert {row["id"] for row in body["results"]} == {r.pk for r in mine}
    assert care_client.get("/api/v1/reminders/", {"status": "call"}).json()["results"] == []
    assert care_client.post("/api/v1/reminders/", {}).status_code == 405


def test_lost_list_records_a_reason_and_starts_one_win_back_call(care_client, site, care):
    lost = lost_vehicle(site)
    lost_vehicle(site, won_back_at="2026-07-01T10:00+08:00")
    page = care_client.get(reverse("followups:lost_list"))
    assert [row.pk for row in page.context["page"]] == [lost.pk]
    assert gettext("Start win-back call") in page.content.decode()

    response = care_client.post(reverse("followups:lost_reason", args=[lost.pk]), {"reason": "price", "note": "太贵"})
    assert response.status_code == 302
    lost.refresh_from_db()
    assert (lost.reason, lost.reason_note, lost.recorded_by) == ("price", "太贵", care)

    for _ in range(2):
        care_client.post(reverse("followups:lost_win_back", args=[lost.pk]))
    call = Callback.objects.get()
    assert (call.kind, call.dedupe_key, call.vehicle_id, call.customer_id) == (
        Callback.Kind.WIN_BACK, f"winback:{lost.pk}", lost.vehicle_id, lost.vehicle.owner_id)
    page = care_client.get(reverse("followups:lost_list"), {"reason": "price"})
    assert page.context["page"][0].win_back_started


def test_bad_input_is_a_message_not_an_error(care_client, site):
    lost = lost_vehicle(site)
    response = care_client.post(reverse("followups:lost_reason", args=[lost.pk]), {"reason": "bored"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["danger"]
    assert LostVehicle.objects.get().reason == ""
    won = lost_vehicle(site, won_back_at="2026-07-01T10:00+08:00")
    response = care_client.post(reverse("followups:lost_win_back", args=[won.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["danger"]
    assert not Callback.objects.exists()


def test_an_outside_next_is_ignored(care_client, site):
    lost = lost_vehicle(site)
    response = care_client.post(reverse("followups:lost_reason", args=[lost.pk]),
                                {"reason": "moved", "next": "https://evil.example/"})
    assert response.url == reverse("followups:lost_list")


@pytest.mark.parametrize("count", [1, 15])
def test_lost_list_runs_constant_queries(client, site, count, django_assert_num_queries):
    client.force_login(make_staff(role=CUSTOMER_CARE, sites=[site]))
    for _ in range(count):
        lost_vehicle(site)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(reverse("followups:lost_list")).status_code == 200
