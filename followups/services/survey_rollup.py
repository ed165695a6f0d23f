"""The survey answers rolled up per site, local month and department (SurveyMonthScore: count and sum of scores),
which the monthly report reads instead of a year of answers. Every writer of surveys keeps it: the service that
records a survey calls survey_rollup_add in its transaction; bulk writers (the demo history, the bench dataset,
imports through `manage.py rebuild_survey_rollup`) call survey_rollup_rebuild once they are done.

Both write through one upsert that adds to the row (INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n, on
PostgreSQL and SQLite alike): two agents recording surveys of the same month at once both count, the second
waiting on the first's row lock. A rebuild deletes its rows and upserts the recount, so a survey recorded while
it runs is counted once: either the recount's snapshot holds it, or its own upsert adds to the recount's row."""

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from servicedesk.accounts.models import Site

from ..models import Survey, SurveyAnswer, SurveyMonthScore

TABLE = SurveyMonthScore._meta.db_table
# Only the table name (model metadata) and a run of "(%s, …)" placeholders are formatted in; values are parameters.
UPSERT_SQL = ("INSERT INTO {table} (site_id, month, department, answers, score_sum) VALUES {rows} "
              "ON CONFLICT (site_id, month, department) DO UPDATE SET answers = {table}.answers + excluded.answers, "
              "score_sum = {table}.score_sum + excluded.score_sum")

Row = tuple[int, date, str, int, int]  # site, month, department, answers, score sum


def month_of(survey: Survey) -> date:
    """The first day of the survey's month in its site's time zone."""
    return timezone.localtime(survey.taken_at, ZoneInfo(survey.site.time_zone)).date().replace(day=1)


def survey_rollup_add(survey: Survey) -> None:
    """Add a recorded survey's answers to its month's scores (two queries: its answers, the upsert). Call it in
    the transaction that records the survey, after its answers."""
    rows = (SurveyAnswer.objects.filter(survey=survey).values("department")
            .annotate(answers=Count("pk"), score_sum=Sum("score")).order_by())
    month = month_of(survey)
    _upsert([(survey.site_id, month, row["department"], row["answers"], row["score_sum"]) for row in rows])


@transaction.atomic
def survey_rollup_rebuild(*, site: Site | None = None, months: Iterable[date] | None = None) -> int:
    """Recount the scores of `site` (every site when None) over `months` (first days; every month when None) from
    the answers: one aggregate query per site, grouped in the database. Returns the rows written."""
    sites = [site] if site is not None else list(Site.objects.all())
    months = sorted({month.replace(day=1) for month in months}) if months is not None else None
    written = 0
    for one in sites:
        zone = ZoneInfo(one.time_zone)
        stale = SurveyMonthScore.objects.filter(site=one)
        answers = SurveyAnswer.objects.filter(survey__site=one)
        if months is not None:
            stale = stale.filter(month__in=months)
            answers = answers.filter(_in_months("survey__taken_at", months, zone))
        stale.delete()
        rows = (answers.annotate(month=TruncMonth("survey__taken_at", output_field=DateField(), tzinfo=zone))
                .values("month", "department").annotate(answers=Count("pk"), score_sum=Sum("score")).order_by())
        found = [(one.pk, row["month"], row["department"], row["answers"], row["score_sum"]) for row in rows]
        _upsert(found)
        written += len(found)
    return written


def _in_months(field: str, months: list[date], zone: ZoneInfo) -> Q:
    ranges = Q()
    for month in months:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        ranges |= Q(**{f"{field}__gte": datetime.combine(month, time.min, tzinfo=zone),
                       f"{field}__lt": datetime.combine(following, time.min, tzinfo=zone)})
    return ranges


def _upsert(rows: list[Row], batch: int = 500) -> None:
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            statement = UPSERT_SQL.format(  # nosec B608 # table name and placeholders only
                table=TABLE, rows=", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk)))
            cursor.execute(statement,
                           [value for site, month, *rest in chunk for value in (site, adapt(month), *rest)])
