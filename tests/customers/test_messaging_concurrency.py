"""Two scans queue the same message at once: exactly one row, on PostgreSQL (SQLite serialises writers)."""

import threading

import pytest
from django.db import connection, transaction

from customers.messaging.services import message_queue
from customers.models import OutboundMessage
from tests.conftest import skip_or_fail
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_dedupe_key_at_once_makes_one_message(site):
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (DATABASE_URL)")
    customer = CustomerFactory(site=site)
    first_written, results, errors = threading.Event(), [], []

    def scan(hold: bool):
        try:
            with transaction.atomic():
                results.append(message_queue(site=site, customer=customer, template="ready_for_pickup",
                                             context={"plate": "沪A1", "closes_at": "18:00"}, dedupe_key="k:1"))
                if hold:  # keep the first row uncommitted while the second scan inserts the same key
                    first_written.set()
                    threading.Event().wait(1.0)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            first_written.set()
            connection.close()

    holder = threading.Thread(target=scan, args=(True,))
    holder.start()
    first_written.wait(10)
    second = threading.Thread(target=scan, args=(False,))
    second.start()
    holder.join(20)
    second.join(20)
    assert errors == []
    assert OutboundMessage.objects.filter(dedupe_key="k:1").count() == 1
    assert len({m.pk for m in results}) == 1
