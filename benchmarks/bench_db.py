"""What the store benchmarks share: throwaway databases on SQLite and PostgreSQL, and raw DB-API
access for the baselines (same connection settings as the app: the engine's own connections).

PostgreSQL: `DISPUTEDESK_BENCH_POSTGRES_URL` (default below); each database is a fresh schema,
dropped afterwards. When PostgreSQL cannot be reached, `BackendUnavailable` says why.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from disputedesk.services.rebuild import rebuild
from disputedesk.store import tables as t
from disputedesk.store.db import Database

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")


class BackendUnavailable(RuntimeError):
    """The backend cannot be used here (PostgreSQL not reachable)."""


def pg_url() -> str:
    return os.environ.get("DISPUTEDESK_BENCH_POSTGRES_URL") or PG_DEFAULT


@contextmanager
def fresh_database(backend: str) -> Iterator[Database]:
    """A migrated, empty database: a SQLite file in a temporary directory, or a new PostgreSQL
    schema. Removed when the block ends."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="dd-bench-") as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
            db.upgrade()
            try:
                yield db
            finally:
                db.dispose()
        return
    base = pg_url()
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        raise BackendUnavailable(
            f"PostgreSQL at {admin.url.render_as_string(hide_password=True)} "
            f"cannot be reached ({str(exc.orig).strip().splitlines()[0]})"
        ) from None
    joiner = "&" if "?" in base else "?"
    db = Database(f"{base}{joiner}options=-csearch_path%3D{schema}")
    try:
        db.upgrade()
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class Raw:
    """One DB-API connection of the database's engine, and the column encodings the app's types
    use (`store.types`), so the baseline writes the very same stored values."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pg = db.is_postgres
        self.fairy = db.engine.raw_connection()
        self.conn: Any = self.fairy.driver_connection
        self.cursor = self.conn.cursor()

    def close(self) -> None:
        self.cursor.close()
        self.fairy.close()

    def sql(self, statement: str) -> str:
        """`?` placeholders, and `?::jsonb` for JSON: as each driver wants them."""
        if self.pg:
            return statement.replace("?", "%s")
        return statement.replace("?::jsonb", "?")

    def begin(self) -> None:
        if not self.pg:  # the app's SQLite transactions take the write lock at BEGIN
            self.cursor.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.pg:
            self.conn.commit()
        else:
            self.cursor.execute("COMMIT")

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        self.cursor.execute(self.sql(statement), params)
        return self.cursor

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self.cursor.executemany(self.sql(statement), rows)

    def instant(self, t: datetime | None) -> Any:
        """A UTCDateTime value: timestamptz on PostgreSQL, SQLAlchemy's naive text on SQLite."""
        if t is None or self.pg:
            return t
        return t.strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def money(value: Decimal) -> int:
        return int(value * 100)

    @staticmethod
    def json(value: Any) -> str:
        return json.dumps(value)


# Columns that differ between two databases by construction (wall-clock times, serial ids).
WALL_CLOCK = frozenset({"recorded_at", "updated_at", "created_at", "available_at", "id"})


def analyze(*dbs: Database) -> None:
    """Give PostgreSQL statistics for freshly loaded tables, as autovacuum would within a minute
    (without them it plans a batch's IN-list lookups as sequential scans)."""
    for db in dbs:
        if db.is_postgres:
            with db.begin() as conn:
                conn.exec_driver_sql("ANALYZE")


def rows(db: Database, table: Any, *where: Any) -> list[dict[str, Any]]:
    """The matching rows (in primary-key order) without their WALL_CLOCK columns."""
    with db.engine.connect() as conn:
        query = select(table).where(*where).order_by(*table.primary_key.columns)
        return [
            {k: v for k, v in row._mapping.items() if k not in WALL_CLOCK}
            for row in conn.execute(query)
        ]


def count(db: Database, table: Any, *where: Any) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table).where(*where)) or 0


def same_rows(app: Database, base: Database, order_ids: Sequence[str]) -> list[str]:
    """Where `base` (the baseline's database) differs from `app` for these orders, in every
    table an order's history touches, and in the total counts of the history tables."""
    problems = []
    for order_id in order_ids:
        for table in (t.orders, t.disputes, t.events, t.outbox, t.plans):
            column = table.c.id if table is t.orders else table.c.order_id
            got, want = rows(base, table, column == order_id), rows(app, table, column == order_id)
            if got != want:
                problems.append(f"{table.name} {order_id}: baseline {got} != app {want}")
    for table in (t.orders, t.disputes, t.events, t.outbox, t.plans):
        counts = count(app, table), count(base, table)
        if counts[0] != counts[1]:
            problems.append(f"{table.name}: app {counts[0]} rows, baseline {counts[1]}")
    return problems


def rebuild_differences(db: Database, name: str) -> list[str]:
    return [f"{name} rebuild: {d}" for d in rebuild(db, limit_differences=5).differences]


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s" if seconds > 0 else "inf/s"
