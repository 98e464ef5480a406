"""What every kind of import (orders, shipments) provides to the import run."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import (
    Connection,
    Dialect,
    String,
    any_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement

from disputedesk.importing.source import Format
from disputedesk.rules.instants import format_instant
from disputedesk.rules.money import format_money

T = TypeVar("T")  # one checked row: a NewOrder, a Shipment


class Row(NamedTuple, Generic[T]):
    line: int
    item: T


@dataclass(frozen=True, slots=True, order=True)
class BadRow:
    """A row that cannot be imported: its line, the field at fault, and why."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.field}: {self.message}"


class Verdict(Enum):
    NEW = "new"  # to be written
    ALREADY = "already"  # already in the database (or earlier in the file): skipped


Judgement = Verdict | BadRow


class Importer(ABC, Generic[T]):
    """One kind of row, for one import into one database.

    The check reads the file once: `parse` checks a row, `judge` decides each row of a chunk
    against the database, and each new row is `pack`ed (plain values: str, int, None) into a
    spill file. The write reads the spill, not the file: `write_packed` judges a chunk again
    against the database as it is then, and writes the new rows."""

    kind: str
    columns: tuple[str, ...]  # every column the kind knows, in documented order
    required: tuple[str, ...]  # the columns a CSV header must have

    def __init__(self, dialect: Dialect, now: datetime) -> None:
        self.dialect = dialect
        self.now = now  # the import's recorded instant (created_at, recorded_at)

    @abstractmethod
    def parse(self, fields: Mapping[str, Any], fmt: Format) -> T:
        """The checked row; raises `FieldError` naming the field at fault."""

    @abstractmethod
    def key(self, item: T) -> str:
        """What makes two rows the same thing (the order id)."""

    @abstractmethod
    def judge(
        self, conn: Connection, rows: Sequence[Row[T]], prior: dict[str, Row[T]] | None
    ) -> list[Judgement]:
        """A verdict per row. With `prior` (each key's first new row in the file so far,
        updated here), a later row with the same key is judged against that first one; with
        None, each row is judged against the database alone."""

    @abstractmethod
    def pack(self, item: T) -> tuple[Any, ...]:
        """A new row as plain values, for the spill file (marshal)."""

    @abstractmethod
    def write_packed(
        self, conn: Connection, rows: Sequence[tuple[int, tuple[Any, ...]]]
    ) -> list[Judgement]:
        """Judge each (line, packed row) against the database now and write the new ones, in
        the caller's transaction; a verdict per row."""

    def committed(self) -> None:  # a hook: most kinds need nothing
        """The last `write_packed` transaction committed."""


def among(column: ColumnElement[str], ids: Iterable[str], dialect: Dialect) -> ColumnElement[bool]:
    """`column IN ids` as one parameter (a PostgreSQL array, a JSON array on SQLite) rather than
    one placeholder an id: thousands of placeholders cost more to render and parse than the
    query costs to run."""
    values = sorted(ids)
    if dialect.name == "postgresql":
        return column == any_(bindparam("ids", values, type_=ARRAY(String)))
    if dialect.name == "sqlite":
        listed = select(literal_column("value")).select_from(
            func.json_each(bindparam("ids", json.dumps(values)))
        )
        return column.in_(listed)
    return column.in_(values)


def show(value: Any) -> str:
    """A stored or imported value, the way the file would write it."""
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, datetime):
        return format_instant(value) or ""
    if value is None:
        return "(empty)"
    return repr(value)
