"""messages_queue_many: a batch of messages in a constant number of queries, the same rules as message_queue."""

from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from customers.messaging.services import Outgoing, messages_queue_many
from customers.messaging.tasks import enqueue_many, message_send
from customers.models import Customer, OutboundMessage
from servicedesk.core.errors import ApplicationError
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
CONTEXT = {"plate": "沪A12345", "due": "2026-12-01"}


def test_consent_is_read_afresh_for_the_batch_and_refusals_come_back_as_none(site, django_assert_num_queries):
    agreed, withdrew, no_mobile = (CustomerFactory(site=site, marketing_consent=True) for _ in range(3))
    Customer.objects.filter(pk=withdrew.pk).update(marketing_consent=False)  # the instance still says yes
    Customer.objects.filter(pk=no_mobile.pk).update(mobile="")
    no_mobile.mobile, no_mobile.wechat_id, no_mobile.email = "", "", ""
    items = [Outgoing(c, CONTEXT, dedupe_key=f"r:{n}") for n, c in enumerate((agreed, withdrew, no_mobile))]
    # the used keys, the consent, the insert, the ids read back (+ the savepoint of the atomic block)
    with django_assert_num_queries(6):
        queued = messages_queue_many(site=site, template="maintenance_reminder", items=items, purpose="marketing")
    assert [q is not None for q in queued] == [True, False, False]
    assert queued[0].pk and queued[0].dedupe_key == "r:0" and "沪A12345" in queued[0].text
    again = messages_queue_many(site=site, template="maintenance_reminder", items=items[:1], purpose="marketing")
    assert again[0].pk == queued[0].pk and OutboundMessage.objects.count() == 1


def test_a_customer_of_another_site_is_refused(site, other_site):
    stranger = CustomerFactory(site=other_site)
    with pytest.raises(ApplicationError) as refused:
        messages_queue_many(site=site, template="maintenance_reminder", items=[Outgoing(stranger, CONTEXT)])
    assert refused.value.code == "wrong_site"


def test_the_first_refusal_of_the_broker_leaves_the_rest_to_the_sweep():
    with mock.patch.object(message_send, "apply_async", side_effect=OperationalError("broker down")) as send:
        enqueue_many([1, 2, 3])
    assert send.call_count == 1
