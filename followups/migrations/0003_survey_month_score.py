# Wave 6 (session 5): the survey answers rolled up per site, local month and department (SurveyMonthScore), read
# by the monthly report's department scores and 12-month trend instead of a year of answers; filled from the
# answers already recorded.
import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, DateField, Sum
from django.db.models.functions import TruncMonth

# One pass over the answers, each survey's month in its site's time zone (followups.services.survey_rollup).
BACKFILL_SQL = """
INSERT INTO followups_surveymonthscore (site_id, month, department, answers, score_sum)
SELECT s.site_id, date_trunc('month', s.taken_at AT TIME ZONE site.time_zone)::date, a.department, count(*),
       sum(a.score)
FROM followups_surveyanswer a JOIN followups_survey s ON s.id = a.survey_id
JOIN accounts_site site ON site.id = s.site_id
GROUP BY 1, 2, 3"""


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKFILL_SQL)
        return
    from zoneinfo import ZoneInfo

    site_model = apps.get_model("accounts", "Site")
    answer_model = apps.get_model("followups", "SurveyAnswer")
    score_model = apps.get_model("followups", "SurveyMonthScore")
    for site in site_model.objects.all():
        rows = (answer_model.objects.filter(survey__site=site)
                .annotate(month=TruncMonth("survey__taken_at", output_field=DateField(),
                                           tzinfo=ZoneInfo(site.time_zone)))
                .values("month", "department").annotate(answers=Count("pk"), score_sum=Sum("score")).order_by())
        score_model.objects.bulk_create([score_model(site=site, **row) for row in rows])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("followups", "0002_report_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SurveyMonthScore",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("department", models.CharField(choices=[("reception", "Reception"), ("workshop", "Workshop"),
                                                         ("parts", "Parts"), ("cashier", "Cashier"), ("wash", "Wash"),
                                                         ("overall", "Overall")], max_length=10)),
                ("answers", models.PositiveIntegerField(default=0)),
                ("score_sum", models.PositiveBigIntegerField(default=0)),
                ("site", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                           to="accounts.site")),
            ],
            options={
                # Also the index of reports.figures.satisfaction's read: a site's rows of twelve months.
                "constraints": [models.UniqueConstraint(fields=("site", "month", "department"),
                                                        name="followups_survey_month_score_one")],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
