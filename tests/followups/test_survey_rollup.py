"""The survey month scores (followups.services.survey_rollup): after surveys recorded through the service they
equal the answers aggregated from scratch; a survey's month is its site's local month; a rebuild (the command of
imports) recounts what was written around the service; two surveys recorded at once both count (PostgreSQL)."""

import random
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, DateField, Sum
from django.db.models.functions import TruncMonth

from followups.models import Survey, SurveyAnswer, SurveyMonthScore
from followups.services.callbacks import callback_complete
from followups.services.survey_rollup import survey_rollup_rebuild
from servicedesk.accounts.roles import ADVISOR, CUSTOMER_CARE
from tests.conftest import skip_or_fail
from tests.factories import make_staff

from .calls_helpers import delivered_ro, make_callback, scores

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def rolled_up() -> dict:
    return {(row.site_id, row.month, row.department): (row.answers, row.score_sum)
            for row in SurveyMonthScore.objects.all()}


def from_scratch() -> dict:
    rows = (SurveyAnswer.objects
            .annotate(month=TruncMonth("survey__taken_at", output_field=DateField(), tzinfo=SH))
            .values("survey__site", "month", "department")
            .annotate(answers=Count("pk"), total=Sum("score")).order_by())
    return {(row["survey__site"], row["month"], row["department"]): (row["answers"], row["total"]) for row in rows}


def record(site, advisor, care, rng, moment: datetime):
    with time_machine.travel(moment, tick=False):
        call = make_callback(delivered_ro(site, advisor))
        answers = {code: rng.randint(1, 5) for code in ("reception_speed", "on_time", "parts_price", "cleanliness")}
        callback_complete(callback=call, actor=care, scores=scores(**answers), overall=rng.randint(1, 5),
                          recommend=rng.randint(0, 10))


def test_the_rollup_is_the_answers_aggregated(site, other_site, questions):
    advisor = make_staff(role=ADVISOR, sites=[site, other_site])
    care = make_staff(role=CUSTOMER_CARE, sites=[site, other_site])
    rng = random.Random(20261124)
    for n in range(8):
        moment = datetime(2026, rng.choice([9, 10, 11]), rng.randint(1, 28), rng.randint(0, 23), tzinfo=SH)
        record(site if n % 3 else other_site, advisor, care, rng, moment)
    assert Survey.objects.count() == 8
    assert rolled_up() == from_scratch()
    assert survey_rollup_rebuild() == len(rolled_up())
    assert rolled_up() == from_scratch()


def test_a_survey_counts_in_its_sites_local_month(site, advisor, care, questions):
    # 1 December 2026 00:30 in Shanghai is still 30 November in UTC.
    record(site, advisor, care, random.Random(1), datetime(2026, 12, 1, 0, 30, tzinfo=SH))
    assert {month for _site, month, _department in rolled_up()} == {date(2026, 12, 1)}


def test_the_command_recounts_surveys_written_around_the_service(site, advisor, care, questions, capsys):
    rng = random.Random(7)
    for day in (3, 17):
        record(site, advisor, care, rng, datetime(2026, 10, day, 10, tzinfo=SH))
    record(site, advisor, care, rng, datetime(2026, 11, 5, 10, tzinfo=SH))
    SurveyMonthScore.objects.update(answers=0, score_sum=0)  # as if an import had written the surveys directly
    call_command("rebuild_survey_rollup", "--site", site.code, "--month", "2026-10")
    assert "rows written" in capsys.readouterr().out
    october = {key: value for key, value in from_scratch().items() if key[1] == date(2026, 10, 1)}
    assert {key: value for key, value in rolled_up().items() if key[1] == date(2026, 10, 1)} == october
    assert all(value == (0, 0) for key, value in rolled_up().items() if key[1] == date(2026, 11, 1))
    call_command("rebuild_survey_rollup")
    assert rolled_up() == from_scratch()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_surveys_recorded_at_once_both_count(site, advisor, questions):
    if connection.vendor != "postgresql":
        skip_or_fail("concurrent upserts need PostgreSQL")
    agents = [make_staff(role=CUSTOMER_CARE, sites=[site], username=f"care-{n}") for n in range(2)]
    calls = [make_callback(delivered_ro(site, advisor)) for _agent in agents]
    answers = scores(on_time=3, cleanliness=2)
    start, failures = threading.Barrier(2), []

    def complete(agent, call):
        try:
            start.wait()
            callback_complete(callback=call.pk, actor=agent, scores=answers, overall=4)
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=pair) for pair in zip(agents, calls, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures, failures
    assert Survey.objects.count() == 2
    assert rolled_up() == from_scratch()
    assert sum(answers for answers, _total in rolled_up().values()) == 2 * len(answers)
