import os

import pytest
from django.conf import settings
from django.utils import translation

from servicedesk.accounts.roles import (
    ADVISOR,
    CASHIER,
    CUSTOMER_CARE,
    FOREMAN,
    QC_INSPECTOR,
    SERVICE_MANAGER,
    TECHNICIAN,
)

from .factories import SiteFactory, make_staff

# CI sets REQUIRE_SERVICES=1: there a test that would skip for a missing service fails instead.
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back rows (and, on SQLite, their reused ids) must not
    meet what an earlier test cached."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def english(client):
    """For tests that read English messages: the services' gettext and the pages' language (cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def site(db):
    return SiteFactory(code="SH01", name="上海浦东店")


@pytest.fixture
def other_site(db):
    return SiteFactory(code="BJ01", name="北京朝阳店")


@pytest.fixture
def advisor(site):
    return make_staff(role=ADVISOR, sites=[site], username="advisor", display_name="王顾问")


@pytest.fixture
def manager(site):
    return make_staff(role=SERVICE_MANAGER, sites=[site], username="manager", display_name="李经理")


@pytest.fixture
def care(site):
    return make_staff(role=CUSTOMER_CARE, sites=[site], username="care")


@pytest.fixture
def technician(site):
    return make_staff(role=TECHNICIAN, sites=[site], username="tech")


@pytest.fixture
def foreman(site):
    return make_staff(role=FOREMAN, sites=[site], username="foreman", display_name="赵主管")


@pytest.fixture
def inspector(site):
    return make_staff(role=QC_INSPECTOR, sites=[site], username="inspector", display_name="孙质检")


@pytest.fixture
def cashier(site):
    return make_staff(role=CASHIER, sites=[site], username="cashier", display_name="钱收银")


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client
