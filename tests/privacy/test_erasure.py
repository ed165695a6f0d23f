"""Erasure: personal data replaced everywhere it was held, invoices kept as issued, refused while work or money
is open, a typed confirmation, logged, managers only."""

import pytest
from django.urls import reverse

from billing.models import Invoice
from billing.services.invoicing import invoice_issue
from customers.models import ArchiveEvent, ContactLog, Customer, Vehicle
from customers.models_messaging import OutboundMessage
from customers.privacy.collect import customer_data
from customers.privacy.services import customer_erase
from followups.models import CallbackEvent, Complaint, ComplaintEvent, Survey
from repair_orders.models import RepairOrder, RepairOrderEvent
from servicedesk.accounts.roles import ROLE_LABELS, SERVICE_MANAGER
from servicedesk.audit.models import PrivacyEvent
from servicedesk.core.errors import ApplicationError
from tests.billing.invoicing_fixtures import ready_ro
from tests.factories import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PERSONAL = ["张伟", "13800138000", "zhangwei88", "zw@example.cn", "世纪大道", "张先生", "13900139000"]


def test_erasure_replaces_personal_data_and_keeps_invoices(site, manager, customer_with_history):
    customer, repair_order, invoice, duplicate = customer_with_history
    vin = repair_order.vehicle.vin
    RepairOrderEvent.objects.create(repair_order=repair_order, kind="signed", actor=manager,
                                    data={"signer": "张伟", "kind": "check_in"})
    erased = customer_erase(site=site, customer_id=customer.pk, confirmation=" 张伟 ", actor=manager)
    assert erased.name == f"Erased customer #{customer.pk}" and erased.mobile == "" and erased.birthday is None
    # Nothing personal is left anywhere the copy reads (the invoices aside), the change history included.
    data = customer_data(erased)
    invoices = data.pop("invoices")
    text = str(data)
    assert not [word for word in PERSONAL if word in text], text
    # The invoice is as issued: the printed name, plate and VIN, the amounts.
    kept = Invoice.objects.get(pk=invoice.pk)
    assert (kept.customer_name, kept.vehicle_vin, kept.gross_total) == (invoice.customer_name, vin,
                                                                         invoice.gross_total)
    assert invoices[0]["customer_name"] == invoice.customer_name
    vehicle = Vehicle.objects.get(pk=repair_order.vehicle_id)
    assert vehicle.vin == vin and vehicle.plate == ""
    assert Customer.objects.get(pk=duplicate.pk).name == f"Erased customer #{duplicate.pk}"
    assert RepairOrder.objects.get(pk=repair_order.pk).state == "delivered"
    assert Survey.objects.get().overall == 2 and Complaint.objects.get().description == "—"
    assert not ContactLog.objects.exclude(outcome="").exists() and OutboundMessage.objects.filter(recipient="").exists()
    assert ArchiveEvent.objects.filter(customer=customer).exclude(data={}).count() == 0
    events = [e.data for model in (RepairOrderEvent, CallbackEvent, ComplaintEvent) for e in model.objects.all()]
    assert not [word for word in PERSONAL if word in str(events)], events
    event = PrivacyEvent.objects.get()
    assert (event.kind, event.actor, event.customer) == ("erasure", manager, customer)
    assert event.data["erased"]["repair_orders"] == 1 and "张伟" not in str(event.data)
    # The change history says who erased, and when.
    assert customer.history.first().history_user == manager


def test_the_confirmation_must_be_the_name(site, manager, customer_with_history):
    customer = customer_with_history[0]
    with pytest.raises(ApplicationError, match="Type the customer's name") as refused:
        customer_erase(site=site, customer_id=customer.pk, confirmation="yes", actor=manager)
    assert refused.value.field == "confirmation"
    assert Customer.objects.get(pk=customer.pk).name == "张伟" and not PrivacyEvent.objects.exists()


def test_refused_while_a_repair_order_is_open(site, advisor, manager):
    repair_order = ready_ro(site, advisor)
    customer = repair_order.customer
    with pytest.raises(ApplicationError, match="open repair order"):
        customer_erase(site=site, customer_id=customer.pk, confirmation=customer.name, actor=manager)


def test_refused_while_an_invoice_is_unpaid(site, advisor, cashier, manager):
    repair_order = ready_ro(site, advisor)
    invoice_issue(repair_order=repair_order, actor=cashier)
    RepairOrder.objects.filter(pk=repair_order.pk).update(state="delivered")  # delivered on trust, not paid
    customer = repair_order.customer
    with pytest.raises(ApplicationError, match="unpaid invoice") as refused:
        customer_erase(site=site, customer_id=customer.pk, confirmation=customer.name, actor=manager)
    assert refused.value.code == "erasure_refused" and not PrivacyEvent.objects.exists()


def test_twice_is_refused_and_merged_duplicates_point_to_the_survivor(site, manager, customer_with_history):
    customer, _ro, _invoice, duplicate = customer_with_history
    with pytest.raises(ApplicationError, match="merged into another"):
        customer_erase(site=site, customer_id=duplicate.pk, confirmation=duplicate.name, actor=manager)
    erased = customer_erase(site=site, customer_id=customer.pk, confirmation="张伟", actor=manager)
    with pytest.raises(ApplicationError, match="already erased"):
        customer_erase(site=site, customer_id=customer.pk, confirmation=erased.name, actor=manager)


def test_other_sites_customer_cannot_be_erased(other_site, customer_with_history):
    customer = customer_with_history[0]
    other_manager = make_staff(role=SERVICE_MANAGER, sites=[other_site])
    with pytest.raises(ApplicationError):
        customer_erase(site=other_site, customer_id=customer.pk, confirmation="张伟", actor=other_manager)


def test_screen_flow(client, manager, customer_with_history):
    customer = customer_with_history[0]
    client.force_login(manager)
    page = reverse("customers:privacy", args=[customer.pk])
    assert 'id="erasure-form"' in client.get(page).content.decode()
    wrong = client.post(reverse("customers:privacy_erase", args=[customer.pk]), {"confirmation": "张"})
    assert wrong.status_code == 200 and "Type the customer&#x27;s name" in wrong.content.decode()
    done = client.post(reverse("customers:privacy_erase", args=[customer.pk]), {"confirmation": "张伟"})
    assert done.status_code == 302 and done["Location"] == page
    after = client.get(page).content.decode()
    assert "Personal data erased on" in after and 'id="erasure-form"' not in after


def test_screen_shows_why_not(client, site, advisor, manager):
    customer = ready_ro(site, advisor).customer
    client.force_login(manager)
    page = client.get(reverse("customers:privacy", args=[customer.pk])).content.decode()
    assert 'id="erasure-blockers"' in page and "open repair order" in page and 'id="erasure-form"' not in page


@pytest.mark.parametrize("role", sorted(set(ROLE_LABELS) - {SERVICE_MANAGER}))
def test_only_managers_erase(client, site, role, customer_with_history):
    customer = customer_with_history[0]
    client.force_login(make_staff(role=role, sites=[site]))
    response = client.post(reverse("customers:privacy_erase", args=[customer.pk]), {"confirmation": "张伟"})
    assert response.status_code == 403 and Customer.objects.get(pk=customer.pk).name == "张伟"
