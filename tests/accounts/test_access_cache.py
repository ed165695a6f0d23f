"""The user's permissions, roles and sites are read once and kept; every change of who may do what shows on
the user's next request (servicedesk/accounts/access.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicedesk.accounts.access import STAMP_KEY
from servicedesk.accounts.models import Membership
from servicedesk.accounts.roles import ADVISOR

pytestmark = pytest.mark.django_db
CUSTOMERS = "/customers/"


def _tables_read(client, url) -> str:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return " ".join(query["sql"] for query in captured.captured_queries)


def test_a_second_request_reads_no_permissions_roles_or_sites(advisor_client):
    first = _tables_read(advisor_client, CUSTOMERS)
    assert "auth_permission" in first and "accounts_site" in first and "auth_group" in first
    second = _tables_read(advisor_client, CUSTOMERS)
    assert "auth_permission" not in second and "accounts_site" not in second and "auth_group" not in second


def test_a_role_taken_away_forbids_on_the_next_request(advisor_client, advisor):
    assert advisor_client.get(CUSTOMERS).status_code == 200
    advisor.groups.remove(Group.objects.get(name=ADVISOR))
    assert advisor_client.get(CUSTOMERS).status_code == 403


def test_a_permission_taken_from_the_role_forbids_on_the_next_request(advisor_client):
    assert advisor_client.get(CUSTOMERS).status_code == 200
    Group.objects.get(name=ADVISOR).permissions.remove(Permission.objects.get(codename="view_customer"))
    assert advisor_client.get(CUSTOMERS).status_code == 403


def test_a_deactivated_user_is_refused_at_once(advisor_client, advisor):
    assert advisor_client.get(CUSTOMERS).status_code == 200
    type(advisor).objects.filter(pk=advisor.pk).update(is_active=False)  # no signal: read live, not cached
    assert advisor_client.get(CUSTOMERS).status_code == 302  # signed out: to the login page


def test_a_new_site_and_a_renamed_one_show_in_the_menu_on_the_next_request(advisor_client, advisor, site,
                                                                          other_site):
    assert other_site.name not in advisor_client.get(CUSTOMERS).content.decode()
    Membership.objects.create(profile=advisor.profile, site=other_site)
    assert other_site.name in advisor_client.get(CUSTOMERS).content.decode()
    site.name = "浦东新店"
    site.save()
    assert "浦东新店" in advisor_client.get(CUSTOMERS).content.decode()
    Membership.objects.filter(profile=advisor.profile, site=other_site).delete()
    assert other_site.name not in advisor_client.get(CUSTOMERS).content.decode()


def test_a_new_display_name_shows_on_the_next_request(advisor_client, advisor):
    assert 'title="周顾问"' not in advisor_client.get(reverse("customers:customer_list")).content.decode()
    advisor.profile.display_name = "周顾问"
    advisor.profile.save()
    assert 'title="周顾问"' in advisor_client.get(reverse("customers:customer_list")).content.decode()


def test_the_stamp_is_renewed_again_once_the_change_is_committed(advisor, django_capture_on_commit_callbacks):
    """A request between the change and its commit reads the old rows: what it keeps must not outlive the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        advisor.groups.remove(Group.objects.get(name=ADVISOR))
        before_commit = cache.get(STAMP_KEY)
        assert before_commit is not None
    assert cache.get(STAMP_KEY) not in (None, before_commit)
