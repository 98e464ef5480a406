"""The hot statements at the driver's level: a command's load and save, the worker's batch.

SQLAlchemy builds and runs every other statement. These few run thousands of times a second,
where its per-statement work (a compiled-cache lookup, an execution context, a result object)
and its per-value work (each bound value through its type's processor chain) cost several
times what the database does. So they run on the DB-API cursor of the very same connection,
inside its transaction, with their values converted here the way the column types
(`store.types`) convert them: instants as SQLAlchemy's naive UTC text on SQLite and as
`timestamptz` on PostgreSQL, money as integer cents, JSON as text on SQLite and `jsonb` on
PostgreSQL. A test checks each conversion against the column type's own, value for value.

The SQL itself is written from the tables' columns (`store.tables`), quoted by the dialect.
Statements run here are not echoed by `Database(echo=True)`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Dialect, Table

from disputedesk.rules.money import CENT


class Driver:
    """One dialect's SQL text and value conversions for the statements run on its cursor."""

    def __init__(self, dialect: Dialect) -> None:
        self.postgres = dialect.name == "postgresql"
        self.mark = "%s" if self.postgres else "?"
        self._quote = dialect.identifier_preparer.quote
        self._table = dialect.identifier_preparer.format_table
        if self.postgres:
            from psycopg.types.json import Jsonb

            self.instant: Callable[[datetime | None], Any] = _instant_postgres
            self.json: Callable[[Any], Any] = lambda value: Jsonb(value, dumps)
            self.instant_value: Callable[[Any], datetime | None] = _instant_value_postgres
            self.json_value: Callable[[Any], Any] = _same
        else:
            self.instant = _instant_sqlite
            self.json = dumps
            self.instant_value = _instant_value_sqlite
            self.json_value = _json_value_sqlite

    # -- SQL ------------------------------------------------------------------------------------

    def columns(self, names: Sequence[str], prefix: str = "") -> str:
        return ", ".join(prefix + self._quote(name) for name in names)

    def table(self, table: Table) -> str:
        return self._table(table)

    def insert(self, table: Table, names: Sequence[str]) -> str:
        """INSERT of the named columns, one placeholder each, in that order."""
        _check(table, names)
        marks = ", ".join([self.mark] * len(names))
        return f"INSERT INTO {self.table(table)} ({self.columns(names)}) VALUES ({marks})"

    def update(
        self, table: Table, names: Sequence[str], where: Sequence[str], extra: str = ""
    ) -> str:
        """UPDATE setting the named columns (and `extra`, SQL of no placeholders) where each
        `where` column equals its placeholder: placeholders for `names`, then for `where`."""
        _check(table, [*names, *where])
        sets = [f"{self._quote(name)} = {self.mark}" for name in names]
        if extra:
            sets.append(extra)
        conditions = " AND ".join(f"{self._quote(name)} = {self.mark}" for name in where)
        return f"UPDATE {self.table(table)} SET {', '.join(sets)} WHERE {conditions}"

    def any_of(self, column: str) -> str:
        """`column` among the values of one placeholder (`ids` below: a list): one parameter
        however many values, rather than one placeholder a value."""
        if self.postgres:
            return f"{column} = ANY({self.mark})"
        return f"{column} IN (SELECT value FROM json_each({self.mark}))"

    def ids(self, values: Sequence[str]) -> Any:
        """The parameter of `any_of`."""
        return list(values) if self.postgres else json.dumps(list(values))

    # -- values ---------------------------------------------------------------------------------

    @staticmethod
    def money(value: Decimal | None) -> int | None:
        """Integer cents, as `types.Money` binds it."""
        return None if value is None else int(value.quantize(CENT) * 100)

    @staticmethod
    def money_value(value: int | None) -> Decimal | None:
        """A Decimal with 2 places from integer cents, as `types.Money` reads it."""
        return None if value is None else Decimal(value).scaleb(-2)


def _encoder() -> Callable[[Any], str]:
    """`json.dumps` with its defaults, the same text, without making a C encoder per call (a
    good part of its cost for the small objects written here: an event's data, an outbox row).
    No check for circular references: what is written here is plain data."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator (not CPython)
        return json.dumps
    encode = make(
        None,
        json.JSONEncoder().default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )

    def dumps(value: Any) -> str:
        return "".join(encode(value, 0))

    return dumps


dumps = _encoder()
_DRIVERS: dict[str, Driver] = {}


def driver(conn: Connection) -> Driver:
    """The connection's dialect's Driver (made once per dialect)."""
    dialect = conn.dialect
    found = _DRIVERS.get(dialect.name)
    if found is None:
        found = _DRIVERS[dialect.name] = Driver(dialect)
    return found


def cursor(conn: Connection) -> Any:
    """A DB-API cursor of the connection's own DB-API connection: what it runs is part of the
    connection's transaction (committed or rolled back by SQLAlchemy). A connection not yet in
    one begins it here, as SQLAlchemy begins one at a first statement (on SQLite the reads of
    one call then see one snapshot)."""
    if not conn.in_transaction():
        conn.begin()
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def _check(table: Table, names: Sequence[str]) -> None:
    unknown = [name for name in names if name not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column(s) {', '.join(unknown)}")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: disputedesk stores UTC instants only")
    return value.astimezone(UTC)


def _instant_sqlite(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DATETIME text, "%Y-%m-%d %H:%M:%S.%f" of the naive UTC instant: the
    # first 26 characters of the UTC instant's ISO form (years 1000-9999 have 4 digits)
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = _aware(value)
    return value.isoformat(" ", "microseconds")[:26]


def _instant_postgres(value: datetime | None) -> datetime | None:
    return None if value is None else _aware(value)


def _instant_value_sqlite(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _instant_value_postgres(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def _json_value_sqlite(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _same(value: Any) -> Any:
    return value
