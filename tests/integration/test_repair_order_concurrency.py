"""Two advisors post the same approval form (same RO version) at once on PostgreSQL: one wins, the other
is told the order changed (StaleVersion, an HTTP 409 code), and nothing is approved twice."""

import threading

import pytest
from django.db import connection

from parts.models import Reservation
from repair_orders.models import RepairOrder, Signature
from repair_orders.services import repair_order_approve
from repair_orders.workflow import ROState
from servicedesk.core.errors import CONFLICT_CODES, StaleVersion
from tests.conftest import skip_or_fail
from tests.repair_orders.helpers import signature_png, submitted_with_part

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_two_approvals_of_one_version_one_wins_the_other_is_stale(site, advisor):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL")
    repair_order, job, _part = submitted_with_part(site, advisor, in_stock=1, quantity=1)
    version, start, outcomes = repair_order.version, threading.Barrier(2), []

    def approve():
        try:
            start.wait()
            repair_order_approve(repair_order=RepairOrder.objects.get(pk=repair_order.pk), approved_line_ids=[job.pk],
                                 signer_name="张三", signature_image=signature_png(), version=version, actor=advisor)
            outcomes.append("approved")
        except Exception as error:  # surfaced below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("approved") == 1, outcomes
    (loser,) = [outcome for outcome in outcomes if outcome != "approved"]
    assert isinstance(loser, StaleVersion) and loser.code in CONFLICT_CODES
    approved = RepairOrder.objects.get(pk=repair_order.pk)
    assert approved.state == ROState.APPROVED and approved.version == version + 1
    assert Signature.objects.filter(kind=Signature.Kind.WORK_ORDER).count() == 1
    assert Reservation.objects.count() == 1
    assert approved.events.filter(kind="approved").count() == 1
