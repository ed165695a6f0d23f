"""The customer's copy of their data: everything held, one query per kind of record, logged, managers only."""

import json

import pytest
from django.urls import reverse

from customers.privacy.collect import customer_data
from servicedesk.accounts.roles import ROLE_LABELS, SERVICE_MANAGER
from servicedesk.audit.models import PrivacyEvent
from tests.factories import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_everything_held_is_in_the_copy(customer_with_history):
    customer, repair_order, invoice, duplicate = customer_with_history
    data = customer_data(customer)
    assert data["customer"]["name"] == "张伟" and data["customer"]["wechat_id"] == "zhangwei88"
    assert [d["id"] for d in data["merged_duplicates"]] == [duplicate.pk]
    assert data["vehicles"][0]["id"] == repair_order.vehicle_id and data["ownerships"] is not None
    assert data["consent_records"][0]["source"] == "前台纸质表"
    assert data["contact_log"][0]["outcome"] == "张先生说下周来"
    assert data["messages"][0]["text"].startswith("张伟您好")
    assert data["appointments"][0]["notes"] == "张先生要代步车"
    ro = data["repair_orders"][0]
    assert ro["number"] == repair_order.number and ro["concerns"].startswith("发动机异响")
    assert ro["jobs"] and any(job["parts"] for job in ro["jobs"]) and ro["signatures"]
    assert data["invoices"][0]["number"] == invoice.number and data["invoices"][0]["lines"]
    assert data["invoices"][0]["payments"][0]["method"] == "wechat"
    assert data["callbacks"][0]["status"] == "done"
    assert data["surveys"][0]["verbatim"] == "张伟:等太久了" and data["surveys"][0]["answers"]
    assert data["complaints"] and data["history"]


def test_the_copy_costs_the_same_queries_whatever_the_history(customer_with_history, django_assert_num_queries):
    customer = customer_with_history[0]
    with django_assert_num_queries(25):  # one per kind of record (collect.customer_data names them)
        customer_data(customer)


def test_manager_downloads_json_and_it_is_logged(client, site, manager, customer_with_history):
    customer = customer_with_history[0]
    client.force_login(manager)
    response = client.post(reverse("customers:privacy_export", args=[customer.pk]), {"fmt": "json"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = json.loads(response.content)
    assert body["customer"]["mobile"] == "13800138000" and body["repair_orders"]
    event = PrivacyEvent.objects.get()
    assert (event.kind, event.actor, event.customer, event.site) == ("export", manager, customer, site)
    assert event.data["counts"]["repair_orders"] == 1 and "13800138000" not in json.dumps(event.data)


def test_readable_summary(client, manager, customer_with_history):
    customer = customer_with_history[0]
    client.force_login(manager)
    response = client.post(reverse("customers:privacy_export", args=[customer.pk]), {"fmt": "html"})
    page = response.content.decode()
    assert response.status_code == 200 and "Repair orders" in page and "zhangwei88" in page
    assert PrivacyEvent.objects.get().data["format"] == "html"


@pytest.mark.parametrize("role", sorted(ROLE_LABELS))
def test_only_managers(client, site, role, customer_with_history):
    customer = customer_with_history[0]
    client.force_login(make_staff(role=role, sites=[site]))
    allowed = role == SERVICE_MANAGER
    assert client.get(reverse("customers:privacy", args=[customer.pk])).status_code == (200 if allowed else 403)
    response = client.post(reverse("customers:privacy_export", args=[customer.pk]), {"fmt": "json"})
    assert response.status_code == (200 if allowed else 403)
    assert PrivacyEvent.objects.exists() == allowed


def test_other_sites_customer_is_404(client, other_site, customer_with_history):
    customer = customer_with_history[0]
    client.force_login(make_staff(role=SERVICE_MANAGER, sites=[other_site]))
    assert client.get(reverse("customers:privacy", args=[customer.pk])).status_code == 404
    assert client.post(reverse("customers:privacy_export", args=[customer.pk])).status_code == 404
    assert not PrivacyEvent.objects.exists()


def test_customer_page_links_to_it_for_managers_only(client, manager, advisor, customer_with_history):
    customer = customer_with_history[0]
    link = reverse("customers:privacy", args=[customer.pk])
    client.force_login(manager)
    assert link in client.get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
    client.force_login(advisor)
    assert link not in client.get(reverse("customers:customer_detail", args=[customer.pk])).content.decode()
