"""The database: configuration, engine, transactions, and the schema check.

`DISPUTEDESK_DATABASE_URL` names the database; unset, it is `./disputedesk.db` (SQLite, WAL mode,
foreign keys on). PostgreSQL: `postgresql+psycopg://user@host:5432/name`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event

from disputedesk.store.writer import WRITE_OPTION, Writer

DEFAULT_URL = "sqlite:///./disputedesk.db"
BUSY_TIMEOUT_SECONDS = 60.0  # SQLite: how long a writer waits for the write lock
_R = TypeVar("_R")
MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaOutdated(RuntimeError):
    """The database's schema is not the one this disputedesk needs; the message says what to run."""


def database_url() -> str:
    return os.environ.get("DISPUTEDESK_DATABASE_URL") or DEFAULT_URL


def _sqlite_setup(engine: Engine) -> None:
    """SQLite, made safe for a desk: WAL, foreign keys, a busy timeout, and transactions that
    take the write lock at BEGIN (so two writers never deadlock on a lock upgrade)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver stays out; we emit BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000:.0f}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers (`Database.begin`) take the write lock at once; readers do not take it at all.
        # (On the driver's connection: SQLAlchemy's statement machinery would double its cost.)
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.connection.driver_connection.execute(  # type: ignore[union-attr]
            "BEGIN IMMEDIATE" if write else "BEGIN"
        )


class Database:
    """One database: its engine, write transactions, and its schema check."""

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        self.url = url or database_url()
        kwargs: dict[str, Any] = {"echo": echo}
        if self.url.startswith("postgresql"):
            kwargs.update(pool_pre_ping=True)
        # Enough pooled connections for a server's thread pool (40 threads in Starlette's
        # default), so request threads do not queue for a connection.
        if ":memory:" not in self.url and self.url not in ("sqlite://", "sqlite:///"):
            kwargs.update(pool_size=20, max_overflow=20)
        self.engine = create_engine(self.url, **kwargs)
        self.dialect = self.engine.dialect.name
        # SQLite: the process's write transactions queue for its one write lock, first come
        # first served, and the ones that queue together commit together (`store.writer`).
        self.writer: Writer | None = None
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine)
            self.writer = Writer(self.engine, timeout=BUSY_TIMEOUT_SECONDS)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on an exception.
        (Reads use `engine.connect()`; on SQLite they never take the write lock.) On SQLite it
        waits its turn behind the process's other writers, in order, and a second one in the
        same thread is an error (it would wait for itself)."""
        if self.writer is not None:
            with self.writer.transaction() as conn:
                yield conn
            return
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def write(self, fn: Callable[[Connection], _R]) -> _R:
        """`fn(conn)` in a write transaction, and its result once committed. On SQLite, calls
        that queue for the write lock together run in one transaction, each in a savepoint
        (one that raises is rolled back alone); `fn` must only use `conn`."""
        if self.writer is not None:
            return self.writer.run(fn)
        with self.begin() as conn:
            return fn(conn)

    def dispose(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.engine.dispose()

    def analyze(self, tables: tuple[str, ...] = ()) -> None:
        """Refresh the query planner's statistics (after a bulk load the planner would
        otherwise plan for the tables as they were). PostgreSQL: those tables; SQLite: all."""
        with self.engine.connect() as conn:
            if self.is_postgres:
                names = ", ".join(conn.dialect.identifier_preparer.quote(n) for n in tables)
                conn.exec_driver_sql(f"ANALYZE {names}" if names else "ANALYZE")
            else:
                conn.exec_driver_sql("ANALYZE")
            conn.commit()

    # -- migrations -------------------------------------------------------------------------

    def _alembic_config(self) -> Any:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def head_revision(self) -> str | None:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> tuple[str | None, str | None]:
        """Apply every migration; returns (revision before, revision after)."""
        from alembic import command

        before = self.current_revision()
        config = self._alembic_config()
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        return before, self.current_revision()

    def check_schema(self) -> None:
        """Refuse to run on an outdated (or empty) schema, naming the command to run."""
        current, head = self.current_revision(), self.head_revision()
        if current != head:
            state = f"at revision {current}" if current else "empty (no tables)"
            raise SchemaOutdated(
                f"the database schema ({self.safe_url}) is {state}; this disputedesk needs "
                f"revision {head}: run `disputedesk db upgrade`"
            )

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)
