# Wave 6 (session 5): indexes of the manager's reports (reports/figures, reports/dashboard.py).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("repair_orders", "0006_job_finished_index")]
    operations = [
        # reports.figures.churn.churn_rate (vehicles active at the period's start: distinct vehicle_id of a site's
        # delivered ROs in the N months before) and reports.figures.workshop.first_time_fix (delivered in the
        # month): an index-only range scan per site instead of all the site's ROs.
        migrations.AddIndex(
            model_name="repairorder",
            index=models.Index(condition=models.Q(("state", "delivered")), fields=["site", "delivered_at"],
                               include=["vehicle"], name="ro_report_site_delivered"),
        ),
        # workshop.kpis.technician_figures (sold hours: jobs finished in the month joined to their RO's site, for the
        # monthly report's technicians' table): the hash join reads the site's RO ids index-only, not the heap.
        migrations.AddIndex(
            model_name="repairorder",
            index=models.Index(fields=["site", "id"], name="ro_report_site_ids"),
        ),
        # reports.figures.business.advisors (additional work proposed / accepted in the month): the few
        # additional jobs by creation time, index-only, instead of every job of the month.
        migrations.AddIndex(
            model_name="jobline",
            index=models.Index(condition=models.Q(("additional", True)), fields=["created_at"],
                               include=["repair_order", "approved_at"], name="job_report_additional"),
        ),
    ]
