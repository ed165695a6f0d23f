"""The RO page from the cache (repair_orders/page_cache.py): served again only while no row it shows has
changed, for the same user, language, site and URL, with the request's own CSRF token and messages."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.middleware.csrf import _unmask_cipher_token as _unmask
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, Vehicle
from parts.models import Part, Reservation, Shortage
from parts.services import stock_receive
from repair_orders import page_cache
from repair_orders.models import (
    JobLine,
    LabourOperation,
    PartLine,
    RepairOrder,
    RepairOrderEvent,
    ServicePackage,
    Signature,
)
from repair_orders.services import part_line_add, repair_order_approve, repair_order_submit_estimate
from servicedesk.accounts.models import Site, StaffProfile
from servicedesk.accounts.roles import TECHNICIAN
from tests.conftest import skip_or_fail
from tests.factories import make_staff

from .conftest import make_operation, make_package, make_part
from .helpers import estimated_ro, open_ro, signature_png
from .test_views import url

pytestmark = pytest.mark.django_db
SETTINGS_MODEL = page_cache.WorkshopSettings
# Read by every staff page for the user's access (servicedesk/accounts/access.py), whose stamp is in the key.
ACCESS_TABLES = {"django_session", "auth_user", "auth_permission", "auth_group", "auth_user_groups",
                 "auth_group_permissions", "auth_user_user_permissions", "django_content_type",
                 "accounts_membership", "accounts_site", "accounts_staffprofile"}


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("the RO page is cached on PostgreSQL only (row versions)")


@pytest.fixture
def shown_ro(site, advisor, technician):
    """An approved RO showing a row of every kind: jobs with operations and a technician, a part reserved and
    one short, the approval's signature and events, a comeback it returns to, a package, workshop settings."""
    repair_order = estimated_ro(site, advisor, operations=("BY001", "BY002"))
    first, second = repair_order.jobs.order_by("pk")
    in_stock, missing = make_part(site, "P-IN"), make_part(site, "P-OUT", name="刹车片")
    stock_receive(part=in_stock, quantity=5, actor=advisor)
    part_line_add(job_line=first, part=in_stock, quantity=1, actor=advisor)
    part_line_add(job_line=second, part=missing, quantity=2, actor=advisor)
    repair_order = repair_order_submit_estimate(repair_order=repair_order, version=None, actor=advisor)
    repair_order = repair_order_approve(repair_order=repair_order, approved_line_ids=[first.pk, second.pk],
                                        signer_name="张三", signature_image=signature_png(), version=None,
                                        actor=advisor)
    JobLine.objects.filter(pk=first.pk).update(technician=technician)
    RepairOrder.objects.filter(pk=repair_order.pk).update(comeback_of=open_ro(site, advisor))
    make_package(site, "PK1", operations=[make_operation("BY009")])
    SETTINGS_MODEL.objects.get_or_create(site=site)
    repair_order.refresh_from_db()
    return repair_order


def _queries(client, target) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _tokens(html) -> set[str]:
    return set(re.findall(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([^"]+)"', html))


def _untokened(html) -> str:
    for token in _tokens(html):
        html = html.replace(token, "")
    return html


def _vat(html) -> str:
    return re.search(r'(?:增值税|VAT)</th><td class="text-end">([^<]+)<', html).group(1)


def _shown_rows(repair_order) -> list[tuple[type, int]]:
    """(model, pk) of one row of each kind the page shows."""
    lines = PartLine.objects.filter(job_line__repair_order=repair_order)
    reserved, short = lines.exclude(reservation=None).get(), lines.exclude(shortage=None).get()
    job = repair_order.jobs.exclude(technician=None).get()
    return [
        (RepairOrder, repair_order.pk), (RepairOrder, repair_order.comeback_of_id),
        (Customer, repair_order.customer_id), (Vehicle, repair_order.vehicle_id),
        (User, job.technician_id), (StaffProfile, job.technician.profile.pk),
        (User, repair_order.advisor_id), (JobLine, job.pk),
        (LabourOperation, job.operation_id), (PartLine, lines[0].pk), (Part, lines[0].part_id),
        (Reservation, reserved.reservation_id), (Shortage, short.shortage_id),
        (Signature, repair_order.signatures.get().pk), (RepairOrderEvent, repair_order.events.last().pk),
        (ServicePackage, ServicePackage.objects.get(site=repair_order.site, code="PK1").pk),
        (Site, repair_order.site_id), (SETTINGS_MODEL, SETTINGS_MODEL.objects.get(site=repair_order.site).pk),
    ]


def _tables(queries) -> set[str]:
    return {name for query in queries for name in re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"])}


def test_the_page_reads_no_table_the_fingerprint_does_not_cover(client, site, advisor, shown_ro):
    """On SQLite too: a table the page starts to read must be added to page_cache.SHOWN (and its query)."""
    covered = {model._meta.db_table for model in page_cache.SHOWN} | ACCESS_TABLES
    estimate = estimated_ro(site, advisor, operations=("BY001",))  # editable: the package menu
    part_line_add(job_line=estimate.jobs.get(), part=make_part(site, "P-EST"), quantity=1, actor=advisor)
    for who, repair_order, tab in ((advisor, estimate, "work"), (advisor, shown_ro, "work"),
                                   (make_staff(role=TECHNICIAN, sites=[site]), shown_ro, "workshop")):
        client.force_login(who)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("detail", repair_order, tab=tab)).status_code == 200
        assert _tables(captured.captured_queries) - covered == set()


def test_a_second_view_comes_from_the_cache_with_its_own_token(postgresql, advisor_client, shown_ro):
    target = url("detail", shown_ro)
    rendered, first = _queries(advisor_client, target)
    served, second = _queries(advisor_client, target)
    assert served == 3 < rendered  # session, user, the fingerprint
    assert _untokened(second) == _untokened(first) and shown_ro.number in second
    assert page_cache.TOKEN_SLOT not in second
    other = Client()
    other.force_login(shown_ro.advisor)
    third = other.get(target).content.decode()
    assert _tokens(second) and _tokens(third)
    # each session its own secret (a token is the secret masked afresh for each response)
    secrets = {_unmask(token) for html in (first, third) for token in _tokens(html)}
    assert len(secrets) == 2 and {_unmask(token) for token in _tokens(second)} == {_unmask(next(iter(_tokens(first))))}


@pytest.mark.parametrize("index", range(17))
def test_any_write_to_a_row_the_page_shows_renders_it_again(postgresql, advisor_client, shown_ro, index):
    model, pk = _shown_rows(shown_ro)[index]
    target = url("detail", shown_ro)
    _queries(advisor_client, target)
    served, _html = _queries(advisor_client, target)
    with transaction.atomic(), connection.cursor() as cursor:  # a no-op write: a new version of the row
        cursor.execute(f'UPDATE "{model._meta.db_table}" SET id = id WHERE id = %s', [pk])  # nosec B608
    assert _queries(advisor_client, target)[0] > served, model.__name__
    assert _queries(advisor_client, target)[0] == served


def test_what_changes_shows_at_once(postgresql, advisor_client, shown_ro, site):
    target = url("detail", shown_ro)
    before = _queries(advisor_client, target)[1]
    shown_ro.customer.name = "欧阳娜娜"
    shown_ro.customer.save()
    part = PartLine.objects.filter(job_line__repair_order=shown_ro, shortage=None).first().part
    Site.objects.filter(pk=site.pk).update(vat_rate=Decimal("0.060"))
    html = _queries(advisor_client, target)[1]
    assert "欧阳娜娜" in html and part.number in html
    assert "欧阳娜娜" not in before and _vat(html) != _vat(before)


def test_another_user_or_language_gets_their_own_page(postgresql, client, site, shown_ro, advisor):
    technician = make_staff(role=TECHNICIAN, sites=[site])
    client.force_login(advisor)
    target = url("detail", shown_ro)
    assert "¥" in _queries(client, target)[1]
    client.force_login(technician)
    assert 'id="ro-gross"' not in _queries(client, target)[1]  # no prices for a technician
    SETTINGS_MODEL.objects.filter(site=site).update(technicians_see_prices=True)
    assert 'id="ro-gross"' in _queries(client, target)[1]
    client.cookies["django_language"] = "en"
    assert "Service advisor" in _queries(client, target)[1]


def test_a_message_is_shown_once_and_never_cached(postgresql, advisor_client, shown_ro):
    target = url("detail", shown_ro)
    _queries(advisor_client, target)
    response = advisor_client.post(url("cancel", shown_ro), {"version": shown_ro.version, "reason": "客户改期"},
                                   follow=True)
    assert 'class="alert' in response.content.decode()
    assert 'class="alert' not in advisor_client.get(target).content.decode()  # shown once, not from the cache


def test_another_sites_ro_is_not_found_even_when_cached(postgresql, client, site, other_site, shown_ro, advisor):
    client.force_login(advisor)
    _queries(client, url("detail", shown_ro))
    stranger = make_staff(role="advisor", sites=[other_site])
    client.force_login(stranger)
    assert client.get(url("detail", shown_ro)).status_code == 404
