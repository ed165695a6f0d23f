"""Loading into tables without their secondary indexes and building those afterwards is several times faster
than maintaining them row by row (Django indexes every foreign key). Only done when the database holds nothing
but the bench sites; the definitions are kept in a file until rebuilt, so an interrupted run can restore them
(the next run does). Primary keys and unique constraints stay; partial unique indexes are rebuilt, which also
proves the generated rows honour them."""

import json
from pathlib import Path

from django.conf import settings
from django.db import connection

from . import SITE_CODES


def _file() -> Path:
    name = connection.settings_dict["NAME"]
    return Path(settings.BASE_DIR) / "var" / f"bench-dataset-indexes-{name}.json"


def own_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_site WHERE code NOT IN %s", [tuple(SITE_CODES)])
        return cursor.fetchone()[0] == 0


def drop(tables: list[str]) -> int:
    restore()
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""", [tables])
        rows = cursor.fetchall()
        path = _file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([definition for _name, definition in rows], ensure_ascii=False, indent=0))
        for name, _definition in rows:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return len(rows)


def restore(progress=None) -> int:
    path = _file()
    if not path.exists():
        return 0
    definitions = json.loads(path.read_text())
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
                           .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1))
        cursor.execute("RESET maintenance_work_mem")
    path.unlink()
    if progress:
        progress(f"{len(definitions)} indexes rebuilt")
    return len(definitions)
