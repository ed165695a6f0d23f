"""Search tuning from bench/README.md: indexes for the lists without a query (newest first), and on PostgreSQL
a larger statistics sample on the searched columns so LIKE '%fragment%' estimates are good enough for the
planner to choose the trigram indexes. SQLite gets the indexes only."""

from django.db import migrations, models

SEARCHED_COLUMNS = [
    ("customers_vehicle", "plate"),
    ("customers_vehicle", "vin"),
    ("customers_customer", "name"),
    ("customers_customer", "mobile"),
    ("customers_customer", "mobile2"),
]


def _set_statistics(schema_editor, target: int) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for table, column in SEARCHED_COLUMNS:
        schema_editor.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} SET STATISTICS {target}")
    for table in sorted({table for table, _column in SEARCHED_COLUMNS}):
        schema_editor.execute(f"ANALYZE {quote(table)}")  # use the new target now, not at the next autoanalyze


def raise_statistics(apps, schema_editor):
    _set_statistics(schema_editor, 1000)


def reset_statistics(apps, schema_editor):
    _set_statistics(schema_editor, -1)  # back to default_statistics_target


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0004_importjob"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["site", "-updated_at", "-id"], name="customer_site_updated"),
        ),
        migrations.AddIndex(
            model_name="vehicle",
            index=models.Index(fields=["site", "-updated_at", "-id"], name="vehicle_site_updated"),
        ),
        migrations.RunPython(raise_statistics, reset_statistics),
    ]
