"""Trigram indexes so a plate, VIN, mobile or name fragment is found fast on PostgreSQL.
SQLite (the embedded default) has no pg_trgm and gets nothing here."""

from django.db import migrations

INDEXES = [
    ("customers_vehicle", "plate"),
    ("customers_vehicle", "vin"),
    ("customers_customer", "mobile"),
    ("customers_customer", "mobile2"),
    ("customers_customer", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
