# Wave 6 (session 5): indexes of the manager's reports (reports/figures/satisfaction.py, complaints.py).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]
    operations = [
        # reports.figures.satisfaction.trend and department_scores (mean answer per department and month): the
        # answers of each survey, index-only, instead of a heap visit per answer.
        migrations.AddIndex(
            model_name="surveyanswer",
            index=models.Index(fields=["survey"], include=["department", "score"], name="followups_answer_report"),
        ),
        # reports.figures.satisfaction (trend, survey_rates) and business.advisors (satisfaction per advisor):
        # a site's surveys of a period, index-only.
        migrations.AddIndex(
            model_name="survey",
            index=models.Index(fields=["site", "taken_at"], include=["id", "overall", "recommend", "repair_order"],
                               name="followups_survey_report"),
        ),
        # reports.figures.satisfaction.callback_rates: a site's 72-hour and 3-day calls due in the period.
        migrations.AddIndex(
            model_name="callback",
            index=models.Index(condition=models.Q(("kind__in", ["advisor_72h", "csi_3day"])),
                               fields=["site", "due_at"], include=["status", "completed_at"],
                               name="followups_callback_csi_due"),
        ),
        # reports.figures.complaints (rechecks done in the period): the few done complaint rechecks.
        migrations.AddIndex(
            model_name="callback",
            index=models.Index(condition=models.Q(("kind", "complaint_recheck"), ("status", "done")),
                               fields=["site", "completed_at"], name="followups_callback_rechecks"),
        ),
    ]
