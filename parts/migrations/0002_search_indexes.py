"""Trigram indexes for the catalogue search (parts.selectors.part_search) on PostgreSQL: the number as
searched (capitals, no spaces or dashes: selectors.number_key_expression), and the name, English name and
brand, which the search compares with LIKE / ILIKE (both served by gin_trgm_ops).

A larger statistics sample on the searched columns and the number expression makes the planner's LIKE
estimates good enough to choose between the trigram indexes (rare matches) and walking the (site, number)
index (common ones); with the default it walked all 50,000 parts for a number fragment found 7 times
(bench/README.md). SQLite (the embedded default) gets nothing here."""

from django.db import migrations

TABLE = "parts_part"
INDEXES = {
    "parts_part_number_key_trgm": "UPPER(REPLACE(REPLACE(number, '-', ''), ' ', ''))",
    "parts_part_name_trgm": "name",
    "parts_part_name_en_trgm": "name_en",
    "parts_part_brand_trgm": "brand",
}
SEARCHED_COLUMNS = ["name", "name_en", "brand"]
STATISTICS = 1000


def _set_statistics(schema_editor, target: int) -> None:
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STATISTICS {target}")
    schema_editor.execute(f"ALTER INDEX parts_part_number_key_trgm ALTER COLUMN 1 SET STATISTICS {target}")
    schema_editor.execute(f"ANALYZE {TABLE}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING gin (({expression}) gin_trgm_ops)")
    _set_statistics(schema_editor, STATISTICS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STATISTICS -1")
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("parts", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
