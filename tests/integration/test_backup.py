"""`make backup` and `make restore` (deploy/backup.sh, deploy/restore.sh): data written through the services is
dumped, restored into a fresh database, and found there. PostgreSQL only."""

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from customers.services import customer_create
from tests.conftest import skip_or_fail
from tests.factories import CustomerFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads from another session


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _make(target: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", target], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def fresh_database():
    """An empty database next to the test database (CREATE DATABASE sd_data_restore_<random>), dropped after."""
    if connection.vendor != "postgresql":
        skip_or_fail("backups are pg_dump / pg_restore: needs DATABASE_URL (PostgreSQL)")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        skip_or_fail("needs PostgreSQL's client tools (pg_dump, pg_restore)")
    import psycopg2

    name = f"sd_data_restore_{secrets.token_hex(4)}"
    admin = psycopg2.connect(_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _count(database: str, sql: str, *params):
    import psycopg2

    with psycopg2.connect(_url(database)) as conn, conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_backup_then_restore_into_a_fresh_database(site, manager, tmp_path, fresh_database):
    customer_create(site=site, data={"name": "备份测试客户", "mobile": "13700137000"}, actor=manager)
    CustomerFactory.create_batch(4, site=site)

    dumped = _make("backup", DATABASE_URL=_url(connection.settings_dict["NAME"]), BACKUP_DIR=str(tmp_path))
    assert dumped.returncode == 0, dumped.stderr
    [dump] = list(tmp_path.glob("*.dump"))
    assert dump.stat().st_size > 0 and not list(tmp_path.glob("*.part"))

    refused = _make("restore", DATABASE_URL=_url(fresh_database), FILE=str(dump), CONFIRM="")
    assert refused.returncode != 0 and "CONFIRM=yes" in refused.stderr
    assert _count(fresh_database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0

    restored = _make("restore", DATABASE_URL=_url(fresh_database), FILE=str(dump), CONFIRM="yes")
    assert restored.returncode == 0, restored.stderr
    assert _count(fresh_database, "SELECT count(*) FROM customers_customer") == 5
    assert _count(fresh_database, "SELECT count(*) FROM customers_customer WHERE name = %s AND mobile = %s",
                  "备份测试客户", "13700137000") == 1
    assert _count(fresh_database, "SELECT count(*) FROM customers_archiveevent") >= 1
    assert _count(fresh_database, "SELECT count(*) FROM django_migrations") == \
        _count(connection.settings_dict["NAME"], "SELECT count(*) FROM django_migrations")

    # Restoring again over the restored database (--clean) leaves the same data, not twice as much.
    again = _make("restore", DATABASE_URL=_url(fresh_database), FILE=str(dump), CONFIRM="yes")
    assert again.returncode == 0, again.stderr
    assert _count(fresh_database, "SELECT count(*) FROM customers_customer") == 5


def test_backup_explains_itself_without_postgresql(tmp_path):
    result = _make("backup", DATABASE_URL="sqlite:///var/db.sqlite3", BACKUP_DIR=str(tmp_path))
    assert result.returncode != 0 and "not a PostgreSQL URL" in result.stderr and not list(tmp_path.iterdir())
