# Vehicle.service_due_on (wave 6, reminders): the day the vehicle's next reminder is due, so the maintenance and
# first-service scans read an indexed range instead of every vehicle's mileage history.
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Existing vehicles, by pk ranges of 2,000 (one SELECT with their readings' range, one schedule read and a few
    UPDATEs each), through the one function that computes the date (customers/service_due.py)."""
    from customers.service_due import service_due_refresh_all

    service_due_refresh_all()


class Migration(migrations.Migration):
    dependencies = [("customers", "0008_vehicle_next_service"), ("billing", "0001_initial")]
    operations = [
        migrations.AddField(
            model_name="vehicle",
            name="service_due_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="service reminder due"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        # The maintenance scan: WHERE site_id = %s AND service_due_on BETWEEN today - lookback AND horizon.
        migrations.AddIndex(
            model_name="vehicle",
            index=models.Index(fields=["site", "service_due_on"], name="vehicle_site_service_due"),
        ),
        # The first-service scan: WHERE site_id = %s AND next_service_on IS NULL AND service_due_on BETWEEN
        # today - 400 days AND horizon (vehicles registered lately and never serviced here: a small index).
        migrations.AddIndex(
            model_name="vehicle",
            index=models.Index(condition=models.Q(("next_service_on__isnull", True)), fields=["site", "service_due_on"],
                               name="vehicle_site_first_service_due"),
        ),
    ]
