"""The staff notification bell and the list that marks notifications read."""

import pytest
from django.urls import reverse

from servicedesk.core.models import Notification
from servicedesk.core.notifications import notify

pytestmark = pytest.mark.django_db


def test_bell_counts_my_unread_notifications_of_this_site(advisor_client, advisor, manager, site, other_site):
    notify(site=site, recipient=advisor, text="配件已到货", url="/parts/1/")
    notify(site=site, recipient=advisor, text="第二条")
    notify(site=site, recipient=manager, text="not mine")
    notify(site=other_site, recipient=advisor, text="another site's")
    html = advisor_client.get(reverse("notifications_bell")).content.decode()
    assert 'id="unread-count">2<' in html and "bi-bell-fill" in html


def test_bell_is_one_count_query(advisor_client, advisor, site, django_assert_num_queries):
    notify(site=site, recipient=advisor, text="配件已到货")
    advisor_client.get(reverse("notifications_bell"))
    # session, user, the count (the user's sites are cached: servicedesk/accounts/access.py)
    with django_assert_num_queries(3):
        advisor_client.get(reverse("notifications_bell"))


def test_the_list_shows_them_with_links_and_marks_them_read(advisor_client, advisor, site):
    notify(site=site, recipient=advisor, text="配件 1K0615301 前刹车盘 已到货", url="/parts/7/")
    first = advisor_client.get(reverse("notifications")).content.decode()
    assert "前刹车盘" in first and 'href="/parts/7/"' in first and "list-group-item-primary" in first
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "unread-count" not in advisor_client.get(reverse("notifications_bell")).content.decode()
    assert "list-group-item-primary" not in advisor_client.get(reverse("notifications")).content.decode()


def test_signed_out_poll_gets_nothing_and_a_page_goes_to_login(client, db):
    assert client.get(reverse("notifications_bell"), HTTP_HX_REQUEST="true").status_code == 204
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_every_page_carries_the_bell(advisor_client):
    html = advisor_client.get(reverse("home")).content.decode()
    assert 'id="notification-bell"' in html and reverse("notifications_bell") in html
