"""Two advisors on the same RO page (DESIGN.md §3.8): both load it, the first saves, the second posts the
version he read and is told who changed the RO and when; nothing of the first advisor's is overwritten."""

from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from repair_orders.models import RepairOrder, RepairOrderEvent, Signature
from servicedesk.accounts.roles import ADVISOR
from tests.factories import make_staff

from .helpers import open_ro, signature_png
from .test_views import data_url, sheet

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_desks(site, advisor):
    colleague = make_staff(role=ADVISOR, sites=[site], username="colleague", display_name="赵顾问")
    return signed_in(advisor), signed_in(colleague), colleague


def loaded_version(client, repair_order) -> int:
    """The version the page's check-in form carries, as the advisor's browser has it."""
    page = client.get(reverse("repair_orders:detail", args=[repair_order.pk]), {"tab": "checkin"})
    return page.context["walkaround_form"]["version"].value()


def test_the_second_advisors_stale_sheet_names_the_first_and_changes_nothing(site, advisor, two_desks):
    mine, theirs, colleague = two_desks
    repair_order = open_ro(site, advisor)
    my_version, their_version = loaded_version(mine, repair_order), loaded_version(theirs, repair_order)
    assert my_version == their_version == repair_order.version

    saved = theirs.post(reverse("repair_orders:walkaround", args=[repair_order.pk]), sheet(
        repair_order, version=their_version, key_tag="K-21", concerns="刹车异响，赵顾问记录", mileage="15100"))
    assert saved.status_code == 302
    after_theirs = RepairOrder.objects.get(pk=repair_order.pk)

    stale = mine.post(reverse("repair_orders:walkaround", args=[repair_order.pk]), sheet(
        repair_order, version=my_version, key_tag="K-99", concerns="王顾问的版本", mileage="15200",
        fuel_level="4", wash_wanted=""))
    html = stale.content.decode()
    changed_at = after_theirs.updated_at.astimezone(ZoneInfo(site.time_zone)).strftime("%Y-%m-%d %H:%M")
    assert stale.status_code == 200 and 'id="walkaround-errors"' in html
    assert "赵顾问" in html and changed_at in html  # "changed by X at T"
    assert "王顾问的版本" in html  # what the advisor typed is still on the form, to apply again

    now = RepairOrder.objects.get(pk=repair_order.pk)
    assert (now.version, now.updated_by, now.key_tag, now.concerns, now.mileage, now.fuel_level, now.wash_wanted) == (
        after_theirs.version, colleague, "K-21", "刹车异响，赵顾问记录", 15100, 2, True)
    assert RepairOrderEvent.objects.filter(repair_order=repair_order, kind="walkaround").count() == 1


def test_a_signature_over_a_newer_version_is_refused_too(site, advisor, two_desks):
    mine, theirs, _colleague = two_desks
    repair_order = open_ro(site, advisor)
    my_version = loaded_version(mine, repair_order)
    theirs.post(reverse("repair_orders:walkaround", args=[repair_order.pk]), sheet(repair_order))
    refused = mine.post(reverse("repair_orders:sign_check_in", args=[repair_order.pk]), {
        "version": my_version, "signer_name": "张伟", "signature": data_url(signature_png())})
    assert refused.status_code == 200 and "赵顾问" in refused.content.decode()
    assert not Signature.objects.exists()
