"""Bulk loading with COPY: each table buffers tab-separated lines and hands full chunks to one writer thread,
which COPYs them over its own connection while the generator goes on building the next rows (two cores)."""

import queue
import threading
import time

import psycopg2
from django.db import connection

CHUNK = 50_000  # lines per COPY
NULL = r"\N"


def connect():
    s = connection.settings_dict
    return psycopg2.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"] or None,
                            port=s["PORT"] or None)


def fast_session(cursor) -> bool:
    """Skip the foreign-key triggers while loading (the generator writes consistent rows) when the role may;
    returns whether it could. Commits need not wait for the disk either."""
    cursor.execute("SET synchronous_commit = off")
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    superuser = cursor.fetchone()[0]
    if superuser:
        cursor.execute("SET session_replication_role = replica")
    return superuser


def text(value) -> str:
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


class Table:
    """One model's rows. `columns` are given by the caller in that order; every other non-null field gets its
    default (computed once), so a row carries only what varies."""

    def __init__(self, loader: "Loader", model, columns: list[str]):
        self.loader, self.model, self.count = loader, model, 0
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__}: no column(s) {sorted(unknown)}")
        self.defaults = []
        for column, field in fields.items():
            if column in columns or field.primary_key:
                continue
            default = field.get_default()
            if default is None and not field.null:
                raise ValueError(f"{model.__name__}.{column} is NOT NULL and has no default: give it")
            if isinstance(default, (dict, list)):
                default = "{}" if isinstance(default, dict) else "[]"
            self.defaults.append((column, text(default)))
        self.columns = ["id", *columns] if "id" not in columns else list(columns)
        self.suffix = "".join("\t" + value for _column, value in self.defaults)
        names = ", ".join(f'"{c}"' for c in [*self.columns, *(c for c, _v in self.defaults)])
        self.sql = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
        self.lines: list[str] = []
        self.next_id = loader.first_id(model)

    def add(self, *values) -> int:
        """Append a row (without the id, which is returned) of already formatted or plain values."""
        pk = self.next_id
        self.next_id += 1
        self.lines.append(f"{pk}\t" + "\t".join(map(text, values)) + self.suffix)
        self.count += 1
        if len(self.lines) >= CHUNK:
            self.loader.flush()
        return pk

    def take(self) -> bytes | None:
        if not self.lines:
            return None
        data = ("\n".join(self.lines) + "\n").encode()
        self.lines = []
        return data


class Loader:
    """Tables in parent-first order; a flush sends every table's lines in that order, so a child's COPY never
    commits before its parents' (foreign keys hold even when the triggers run)."""

    def __init__(self, progress):
        self.tables: list[Table] = []
        self.progress = progress
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.seconds: dict[str, float] = {}  # COPY time per table statement
        self.thread = threading.Thread(target=self._write, daemon=True)
        self.thread.start()

    def table(self, model, columns: list[str]) -> Table:
        table = Table(self, model, columns)
        self.tables.append(table)
        return table

    @staticmethod
    def first_id(model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
            return cursor.fetchone()[0] + 1

    def flush(self) -> None:
        for table in self.tables:
            data = table.take()
            if data is not None:
                self._put((table.sql, data))

    def close(self) -> None:
        self.flush()
        self._put(None)
        self.thread.join()
        if self.error:
            raise self.error
        with connection.cursor() as cursor:
            for table in self.tables:  # explicit ids were used: move each sequence past them
                name = table.model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                               f"GREATEST((SELECT MAX(id) FROM \"{name}\"), 1))")

    def _put(self, item) -> None:
        if self.error:
            raise self.error
        self.queue.put(item)

    def _write(self) -> None:
        conn = connect()
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                fast_session(cursor)
                while (item := self.queue.get()) is not None:
                    if self.error is None:
                        sql, data = item
                        started = time.perf_counter()
                        cursor.copy_expert(sql, _Reader(data))
                        self.seconds[sql] = self.seconds.get(sql, 0) + time.perf_counter() - started
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            self.error = error
            while self.queue.get() is not None:  # drain so the generator is not blocked
                pass
        finally:
            conn.close()


class _Reader:
    """A file-like view of bytes for copy_expert, without copying them into a BytesIO."""

    def __init__(self, data: bytes):
        self.view, self.pos = memoryview(data), 0

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = len(self.view) - self.pos
        chunk = self.view[self.pos:self.pos + size]
        self.pos += len(chunk)
        return chunk.tobytes()

    readline = read
