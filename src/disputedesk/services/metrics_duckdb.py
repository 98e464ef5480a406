"""Every store's metrics read through DuckDB (the optional extra `[analytics]`): DuckDB attaches
the store's database read-only (its SQLite file, or its PostgreSQL schema) and runs the very
statement the SQL reader runs (`services.metrics.steps_query`, compiled for PostgreSQL, which
DuckDB speaks) with its hash joins and both cores; the rows go through the same `OrderFacts`
and `Tally` of the rules core, so the figures are the same by construction.

DuckDB's sqlite and postgres scanners are extensions that DuckDB would download on first use;
here they come from PyPI packages (`duckdb-extension-sqlite-scanner`,
`duckdb-extension-postgres-scanner`, pinned to DuckDB's own version) and are loaded from those
files, with DuckDB's automatic installing and loading turned off: nothing is fetched at run time.
"""

from __future__ import annotations

import importlib
import re
import tempfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import URL

from disputedesk.rules.metrics import Metrics, Period, Tally
from disputedesk.services.metrics import steps_query, tallies, upheld_malicious
from disputedesk.store import tables as t
from disputedesk.store.db import Database

PREFERRED_FROM_EVENTS = 5_000_000
SCANNERS = {"sqlite": "sqlite_scanner", "postgresql": "postgres_scanner"}
_FETCH = 50_000


class DuckDBUnavailable(RuntimeError):
    """DuckDB or its scanner for this database is not installed (pip install '.[analytics]')."""


def _scanner(dialect: str) -> tuple[Any, Path]:
    """The duckdb module and the scanner extension's file for `dialect`, or why not."""
    name = SCANNERS.get(dialect)
    if name is None:
        raise DuckDBUnavailable(f"DuckDB cannot attach a {dialect} database")
    try:
        duckdb = importlib.import_module("duckdb")
        package = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError as exc:
        raise DuckDBUnavailable(
            f"{exc.name} is not installed: pip install 'disputedesk[analytics]'"
        ) from None
    folder = Path(package.__file__ or "").parent / "extensions" / f"v{duckdb.__version__}"
    path = folder / f"{name}.duckdb_extension"
    if not path.is_file():
        raise DuckDBUnavailable(
            f"{path} is missing: duckdb-extension-{name.replace('_', '-')} must have DuckDB's "
            f"version ({duckdb.__version__})"
        )
    return duckdb, path


def available(db: Database) -> bool:
    try:
        _scanner(db.dialect)
    except DuckDBUnavailable:
        return False
    return True


def preferred(db: Database) -> bool:
    """Whether every store's figures come faster through DuckDB: on PostgreSQL when it is
    installed and the event log is long (below PREFERRED_FROM_EVENTS the SQL reader is as fast
    or faster: DuckDB's start and full scans cost more than the index lookups they save); never
    on SQLite, where the SQL reader walks the metric steps in their own order (0.39x the
    hand-written baseline at 10,000,000 orders, DuckDB 0.61x; README)."""
    if db.dialect != "postgresql" or not available(db):
        return False
    with db.engine.connect() as conn:
        last = conn.scalar(select(func.max(t.events.c.id)))  # the log's length, from its key
    return (last or 0) >= PREFERRED_FROM_EVENTS


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _attach_target(url: URL) -> tuple[str, str, str]:
    """(what to ATTACH, its TYPE, the schema to USE) for the database at `url`."""
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DuckDBUnavailable("DuckDB cannot attach an in-memory SQLite database")
        return url.database, "sqlite", "main"
    parts = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    conninfo = " ".join(
        f"{key}={_quote(str(value))}" for key, value in parts.items() if value is not None
    )
    options = str(url.query.get("options") or "")
    found = re.search(r"-c\s*search_path=([A-Za-z0-9_]+)", options)
    return conninfo, "postgres", found.group(1) if found else "public"


def _connect(db: Database, scratch: str) -> Any:
    duckdb, extension = _scanner(db.dialect)
    conn = duckdb.connect(
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "temp_directory": scratch,
        }
    )
    conn.execute(f"LOAD {_quote(str(extension))}")
    conn.execute("SET TimeZone = 'UTC'")
    target, kind, schema = _attach_target(db.engine.url)
    conn.execute(f"ATTACH {_quote(target)} AS source (TYPE {kind}, READ_ONLY)")
    conn.execute(f'USE source."{schema}"' if kind == "postgres" else "USE source")
    return conn


def _statement(period: Period, store_id: str | None) -> tuple[str, dict[str, Any]]:
    """`steps_query` in DuckDB's words: PostgreSQL's SQL with `$name` parameters; instants as
    naive UTC (TimeZone is UTC) and each row's instant as epoch microseconds."""
    query = steps_query(period, store_id, instant=func.epoch_us)
    compiled = query.compile(
        dialect=postgresql.dialect(), compile_kwargs={"render_postcompile": True}
    )
    sql = re.sub(r"%\((\w+)\)s", r"$\1", compiled.string)
    params = {
        key: value.astimezone(UTC).replace(tzinfo=None)
        if isinstance(value, datetime)
        else str(value)
        for key, value in compiled.params.items()
    }
    return sql, params


def _rows(conn: Any, sql: str, params: dict[str, Any]) -> Iterator[Sequence[Any]]:
    result = conn.execute(sql, params)
    while batch := result.fetchmany(_FETCH):
        yield from batch


def all_store_metrics_duckdb(db: Database, period: Period) -> dict[str, Metrics]:
    """`services.metrics.all_store_metrics`, read through DuckDB."""
    return _metrics(db, period, None)


def store_metrics_duckdb(db: Database, store_id: str, period: Period) -> Metrics:
    """One store's figures, read through DuckDB."""
    found = _metrics(db, period, store_id)
    return found[store_id] if store_id in found else Tally(period).metrics()


def _metrics(db: Database, period: Period, store_id: str | None) -> dict[str, Metrics]:
    with db.engine.connect() as conn:
        excluded = upheld_malicious(conn, store_id)
    sql, params = _statement(period, store_id)
    with tempfile.TemporaryDirectory(prefix="disputedesk-duckdb-") as scratch:
        duck = _connect(db, scratch)
        try:
            found = tallies(_rows(duck, sql, params), period, excluded)
        finally:
            duck.close()
    return {store: found[store].metrics() for store in sorted(found)}
