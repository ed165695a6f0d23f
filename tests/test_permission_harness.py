"""Walks every URL pattern of the project, generated from the URL configuration so a new URL cannot escape:

- every named URL is in the ONE access table (tests/security/access_table.py), and every role and anonymous
  get exactly what it says;
- a user of site A gets 404 for site B's objects (every URL with an object id is in SITE_OBJECTS,
  tests/security/site_objects.py), and no list page or API list of site A shows a row of site B.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from customers.models import Customer, Vehicle
from repair_orders.models import RepairOrder
from servicedesk.accounts.roles import ROLE_LABELS, SERVICE_MANAGER
from tests.factories import CustomerFactory, make_staff
from tests.security.access_table import ACCESS, PUBLIC
from tests.security.site_objects import SITE_OBJECTS, object_for
from tests.security.walk import kwarg_names as _kwarg_names
from tests.security.walk import named_patterns
from tests.security.walk import url_for as _url

pytestmark = pytest.mark.django_db

def _answer(client, url) -> int:
    """GET, or for a POST-only URL an empty POST; rolled back so one role's request cannot change the next's."""
    with transaction.atomic():
        status = client.get(url).status_code
        if status == 405:
            status = client.post(url).status_code
        transaction.set_rollback(True)
    return status


def test_every_url_is_in_the_access_table():
    names = set(named_patterns())
    missing, stale = sorted(names - set(ACCESS)), sorted(set(ACCESS) - names)
    assert not missing, f"add these to ACCESS in tests/security/access_table.py: {missing}"
    assert not stale, f"these are in ACCESS but no longer URLs: {stale}"


def test_every_url_with_an_object_is_registered():
    missing = [name for name, p in named_patterns().items()
               if "pk" in _kwarg_names(p) and name not in SITE_OBJECTS]
    assert not missing, f"register these in SITE_OBJECTS (tests/security/site_objects.py): {missing}"


def test_every_role_and_anonymous_get_exactly_the_access_table(client, site):
    users = {role: make_staff(role=role, sites=[site], username=f"harness_{role}") for role in ROLE_LABELS}
    objects, wrong = {}, []
    for name, pattern in named_patterns().items():
        kind = SITE_OBJECTS.get(name)
        if kind is not None and kind not in objects:
            objects[kind] = object_for(kind, site)
        url = _url(name, pattern, objects.get(kind))
        expected = ACCESS.get(name)
        if expected is None:
            continue  # test_every_url_is_in_the_access_table names it
        client.logout()
        anonymous = client.get(url)
        if expected != PUBLIC:
            to_login = anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
            if not (to_login or (url.startswith("/api/") and anonymous.status_code in (401, 403))):
                wrong.append((name, "anonymous", anonymous.status_code))
        for role, user in users.items():
            client.force_login(user)
            status = _answer(client, url)
            if (status != 403) != (expected == PUBLIC or role in expected):
                wrong.append((name, role, status))
    assert not wrong, f"(url, role, status) against the access table: {wrong}"


def test_another_sites_objects_are_not_found(client, site, other_site):
    intruder = make_staff(role=SERVICE_MANAGER, sites=[site], username="intruder")
    client.force_login(intruder)
    patterns = named_patterns()
    for name, kind in SITE_OBJECTS.items():
        obj = object_for(kind, other_site)
        url = _url(name, patterns[name], obj)
        statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post", "patch")}
        # A view answers a method it lacks with 405 before looking anything up, so nothing leaks;
        # every method it has must say "not found".
        assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (name, url, statuses)


def _markers(site) -> set[str]:
    """What a row of `site` shows wherever it is listed: mobiles, plates, VINs, repair order numbers."""
    customers = Customer.objects.filter(site=site)
    vehicles = Vehicle.objects.filter(site=site)
    return ({m for m in customers.values_list("mobile", flat=True) if m}
            | {p for p in vehicles.values_list("plate", flat=True) if p}
            | set(vehicles.values_list("vin", flat=True))
            | set(RepairOrder.objects.filter(site=site).values_list("number", flat=True)))


def _list_pages():
    """Every signed-in page or API without arguments, and a role the table lets open it (the manager first)."""
    for name, pattern in named_patterns().items():
        allowed = ACCESS.get(name, PUBLIC)  # a URL missing from the table fails its own test
        if allowed == PUBLIC or _kwarg_names(pattern) or name in ("logout", "switch_site"):
            continue
        yield name, SERVICE_MANAGER if SERVICE_MANAGER in allowed else sorted(allowed)[0]


def _shown(client, name, role, site, markers) -> set[str]:
    client.force_login(make_staff(role=role, sites=[site]))
    response = client.get(reverse(name))
    if response.status_code != 200 or response.streaming:
        return set()
    body = response.content.decode(errors="replace")
    return {marker for marker in markers if marker in body}


def test_lists_never_show_another_sites_rows(client, site, other_site):
    for kind in sorted(set(SITE_OBJECTS.values())):
        object_for(kind, other_site)
    theirs = _markers(other_site)
    assert len(theirs) > 20
    leaks = {name: shown for name, role in _list_pages() if (shown := _shown(client, name, role, site, theirs))}
    assert not leaks, f"site A's lists show site B's rows: {leaks}"
    # The check can see a row: the same lists show them to site B's own people.
    own = {name for name, role in _list_pages() if _shown(client, name, role, other_site, theirs)}
    assert {"customers:customer_list", "customers:vehicle_list", "repair_orders:board", "customer-list",
            "vehicle-list", "repair-order-list", "followups:queue"} <= own, own


def test_a_user_without_a_site_is_refused(client, db):
    lonely = make_staff(role=SERVICE_MANAGER, sites=[], username="lonely")
    client.force_login(lonely)
    assert client.get(reverse("customers:customer_list")).status_code == 403


def test_the_api_hides_other_sites(client, site, other_site):
    mine, theirs = CustomerFactory(site=site), CustomerFactory(site=other_site)
    client.force_login(make_staff(role=SERVICE_MANAGER, sites=[site]))
    ids = [row["id"] for row in client.get("/api/v1/customers/").json()["results"]]
    assert ids == [mine.pk]
    assert client.get(f"/api/v1/customers/{theirs.pk}/").status_code == 404
    assert client.get("/api/v1/customers/", HTTP_X_SITE="BJ01").json()["results"][0]["id"] == mine.pk
    assert Customer.objects.count() == 2 and Vehicle.objects.count() == 0
