"""Two customer-care agents claim the same callback at the same moment (PostgreSQL): the row lock lets one win;
the other is told who claimed it and when (code "locked", an HTTP 409), and one claim event is written."""

import threading

import pytest
from django.db import connection

from followups.models import Callback, CallbackEvent
from followups.services.callbacks import callback_claim
from servicedesk.accounts.roles import CUSTOMER_CARE
from servicedesk.core.errors import ApplicationError
from tests.conftest import skip_or_fail
from tests.factories import make_staff

from .calls_helpers import delivered_ro, make_callback

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_two_agents_claiming_at_once_one_wins(site, advisor):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL")
    agents = [make_staff(role=CUSTOMER_CARE, sites=[site], username=name, display_name=label)
              for name, label in (("care-a", "周婷"), ("care-b", "吴敏"))]
    callback = make_callback(delivered_ro(site, advisor))
    start, outcomes = threading.Barrier(2), {}

    def claim(agent):
        try:
            start.wait()
            outcomes[agent.pk] = callback_claim(callback=callback.pk, actor=agent)
        except ApplicationError as error:
            outcomes[agent.pk] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [pk for pk, outcome in outcomes.items() if isinstance(outcome, Callback)]
    assert len(winners) == 1, outcomes
    (loser,) = [outcome for outcome in outcomes.values() if isinstance(outcome, ApplicationError)]
    assert loser.code == "locked" and loser.is_conflict
    assert ("周婷" if winners[0] == agents[0].pk else "吴敏") in loser.message
    callback.refresh_from_db()
    assert (callback.status, callback.claimed_by_id, callback.version) == ("claimed", winners[0], 2)
    assert CallbackEvent.objects.filter(callback=callback, kind="claimed").count() == 1
