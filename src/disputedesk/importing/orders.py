"""Importing orders: each row checked by `check_order`, its `orders` row built by `order_row`,
its store and buyer created when new (`ensure_parties`). An order id already in the database
with the same content is skipped; with different content the row is bad, naming the first
field that differs.

Rows are written in bulk below SQLAlchemy's per-row statement layer, as the values SQLAlchemy's
own column types bind (`bind_processor`): executemany on SQLite, COPY on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import JSON, Connection, Dialect, String, select
from sqlalchemy.types import TypeDecorator

from disputedesk.importing.base import BadRow, Importer, Judgement, Row, Verdict, among, show
from disputedesk.importing.source import Format, loads
from disputedesk.rules.money import CENT, ZERO
from disputedesk.services.orders import FieldError, NewOrder, check_order, ensure_parties, order_row
from disputedesk.store import tables as t
from disputedesk.store.driver import dumps

ORDER_COLUMNS = (
    "id",
    "store_id",
    "buyer_id",
    "amount",
    "shipping",
    "currency",
    "placed_at",
    "promised_delivery_days",
    "destination_country",
    "destination_address",
    "shipping_address",
    "category",
    "items",
    "policy",
)
ORDER_REQUIRED = (
    "id",
    "store_id",
    "buyer_id",
    "amount",
    "currency",
    "placed_at",
    "promised_delivery_days",
)
# What an order is, for "the same order again": every column but the id, in documented order.
CONTENT = ORDER_COLUMNS[1:]
_content = attrgetter(*CONTENT)
# Text columns with a length limit in the table (PostgreSQL enforces it; SQLite does not).
_LIMITS = tuple(
    (name, column.type.length)
    for name in ORDER_COLUMNS
    if isinstance((column := t.orders.c[name]).type, String) and column.type.length
)
# Two new orders that differ in every field: the `orders` columns that differ between their
# rows are the ones `order_row` derives from the order.
_SAMPLES = (
    NewOrder(
        *("a", "a", "a", ZERO, ZERO, "AAA", datetime(2000, 1, 1, tzinfo=UTC), 0),
        items=[],
        destination_address="a",
        shipping_address={"city": "a"},
        destination_country="AA",
        category="a",
        policy="a",
    ),
    NewOrder(
        *("b", "b", "b", CENT, CENT, "BBB", datetime(2001, 1, 1, tzinfo=UTC), 1),
        items=[1],
        destination_address="b",
        shipping_address={"city": "b"},
        destination_country="BB",
        category="b",
        policy="b",
    ),
)
# The columns `order_row` sets, in its order: the packed row's positions.
ROW_COLUMNS = tuple(order_row(_SAMPLES[0], datetime(2000, 1, 1, tzinfo=UTC)))
_JSON_COLUMNS = frozenset(name for name in ROW_COLUMNS if isinstance(t.orders.c[name].type, JSON))
_ID, _STORE, _BUYER = (ROW_COLUMNS.index(name) for name in ("id", "store_id", "buyer_id"))
_CONTENT_AT = tuple(ROW_COLUMNS.index(name) for name in CONTENT)


def _difference(stored: Sequence[Any], new: Sequence[Any]) -> str | None:
    """The first content column whose values differ, or None."""
    for name, a, b in zip(CONTENT, stored, new, strict=True):
        if a != b:
            return name
    return None


Converter = Callable[[Any], Any]


def _converters(dialect: Dialect) -> list[Converter | None]:
    """Per `orders` column: Python value -> the value the column type binds, as plain data. On
    PostgreSQL the instants become ISO text and JSON its text, for COPY to parse. (JSON is
    written by `driver.dumps`: json.dumps's text, made faster.)"""
    postgres = dialect.name == "postgresql"
    out: list[Converter | None] = []
    for name in ROW_COLUMNS:
        column_type = t.orders.c[name].type
        if name in _JSON_COLUMNS:
            out.append(lambda v: None if v is None else dumps(v))
        elif postgres and isinstance(column_type, TypeDecorator):
            bind = column_type.process_bind_param

            def convert(v: Any, bind: Any = bind) -> Any:
                value = bind(v, dialect)
                return value.isoformat() if isinstance(value, datetime) else value

            out.append(convert)
        else:
            out.append(column_type.dialect_impl(dialect).bind_processor(dialect))
    return out


class OrderImporter(Importer[NewOrder]):
    kind = "orders"
    columns = ORDER_COLUMNS
    required = ORDER_REQUIRED

    def __init__(self, dialect: Dialect, now: datetime) -> None:
        super().__init__(dialect, now)
        self._convert = list(zip(ROW_COLUMNS, _converters(dialect), strict=True))
        # `order_row` sets most columns the same for every new order (status, version, the
        # import's instant...): convert those once, and per row only the columns that vary.
        a, b = (order_row(sample, now) for sample in _SAMPLES)
        self._template = [
            a[name] if a[name] is None or convert is None else convert(a[name])
            for name, convert in self._convert
        ]
        self._varying = [
            (at, name, convert)
            for at, (name, convert) in enumerate(self._convert)
            if a[name] != b[name]
        ]
        self._parties = _Recent()
        quote = dialect.identifier_preparer.quote
        names = ", ".join(quote(name) for name in ROW_COLUMNS)
        table = dialect.identifier_preparer.format_table(t.orders)
        if dialect.name == "postgresql":
            self._copy = f"COPY {table} ({names}) FROM STDIN"
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        marks = ", ".join([mark] * len(ROW_COLUMNS))
        self._insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"

    def parse(self, fields: Mapping[str, Any], fmt: Format) -> NewOrder:
        if fmt is Format.CSV:
            items = fields.get("items")
            if items is not None and items.strip():
                try:
                    fields = {**fields, "items": loads(items)}
                except (ValueError, RecursionError):
                    raise FieldError("items", "not a JSON list, e.g. [] or [{...}]") from None
        # Inputs `check_order` does not turn into a FieldError itself (it would raise a bare
        # ValueError or TypeError): a non-ASCII digit string, an unhashable policy.
        days = fields.get("promised_delivery_days")
        if isinstance(days, str) and not days.isascii():
            raise FieldError("promised_delivery_days", f"{days!r} is not a whole number of days")
        policy = fields.get("policy")
        if policy is not None and not isinstance(policy, str):
            raise FieldError("policy", f"{policy!r} is not a policy name")
        order = check_order(fields)
        for name, limit in _LIMITS:
            value = getattr(order, name)
            if value is not None and len(value) > limit:
                raise FieldError(name, f"longer than {limit} characters")
        return order

    def key(self, item: NewOrder) -> str:
        return item.id

    def judge(
        self,
        conn: Connection,
        rows: Sequence[Row[NewOrder]],
        prior: dict[str, Row[NewOrder]] | None,
    ) -> list[Judgement]:
        earlier = prior if prior is not None else {}
        stored = _stored(conn, {r.item.id for r in rows if r.item.id not in earlier})
        verdicts: list[Judgement] = []
        for row in rows:
            order = row.item
            first = earlier.get(order.id)
            if first is not None:
                diff = _difference(_content(first.item), _content(order))
                verdicts.append(
                    Verdict.ALREADY
                    if diff is None
                    else BadRow(
                        row.line,
                        diff,
                        f"order {order.id!r} is on line {first.line} with {diff} "
                        f"{show(getattr(first.item, diff))}; this row has "
                        f"{show(getattr(order, diff))}",
                    )
                )
                continue
            existing = stored.get(order.id)
            if existing is not None:
                diff = _difference(existing, _content(order))
                verdicts.append(
                    Verdict.ALREADY
                    if diff is None
                    else BadRow(
                        row.line,
                        diff,
                        f"order {order.id!r} already exists with {diff} "
                        f"{show(existing[CONTENT.index(diff)])}; this row has "
                        f"{show(getattr(order, diff))}",
                    )
                )
                continue
            verdicts.append(Verdict.NEW)
            if prior is not None:
                prior[order.id] = row
        return verdicts

    def pack(self, item: NewOrder) -> tuple[Any, ...]:
        row = order_row(item, self.now)
        out = self._template.copy()
        for at, name, convert in self._varying:
            value = row[name]
            out[at] = value if convert is None or value is None else convert(value)
        return tuple(out)

    def write_packed(
        self, conn: Connection, rows: Sequence[tuple[int, tuple[Any, ...]]]
    ) -> list[Judgement]:
        ids = [packed[_ID] for _, packed in rows]
        # Normally none: the check found these ids new. Somebody may have created some since.
        present = _stored(conn, set(ids))
        verdicts: list[Judgement] = []
        new: list[tuple[Any, ...]] = []
        for line, packed in rows:
            existing = present.get(packed[_ID])
            if existing is None:
                verdicts.append(Verdict.NEW)
                new.append(packed)
                continue
            diff = self._packed_difference(existing, packed)
            verdicts.append(
                Verdict.ALREADY
                if diff is None
                else BadRow(
                    line, diff, f"order {packed[_ID]!r} was created meanwhile with another {diff}"
                )
            )
        if new:
            stores = {p[_STORE] for p in new} - self._parties.stores
            buyers = {p[_BUYER] for p in new} - self._parties.buyers
            ensure_parties(conn, stores, buyers, self.now)
            self._write(conn, new)
            self._parties.pending(stores, buyers)
        return verdicts

    def committed(self) -> None:
        self._parties.commit()

    def _packed_difference(self, stored: Sequence[Any], packed: Sequence[Any]) -> str | None:
        """The first content column where a stored order (typed values) and a packed row
        differ. JSON is compared as data: PostgreSQL does not keep an object's key order."""
        for name, value, at in zip(CONTENT, stored, _CONTENT_AT, strict=True):
            _, convert = self._convert[at]
            mine = packed[at]
            theirs = value if convert is None else convert(value)
            if name in _JSON_COLUMNS:  # (a nullable JSON column packs None as None)
                mine = None if mine is None else json.loads(mine)
                theirs = None if theirs is None else json.loads(theirs)
            if mine != theirs:
                return name
        return None

    def _write(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        if self.dialect.name == "postgresql":
            driver = conn.connection.driver_connection
            with driver.cursor() as cursor, cursor.copy(self._copy) as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
        else:
            conn.exec_driver_sql(self._insert, rows)


class _Recent:
    """Stores and buyers this import has made sure of (committed), so that each chunk asks the
    database only about new ones. Bounded: forgotten past `LIMIT` ids."""

    LIMIT = 100_000

    def __init__(self) -> None:
        self.stores: set[str] = set()
        self.buyers: set[str] = set()
        self._pending: tuple[set[str], set[str]] = (set(), set())

    def pending(self, stores: set[str], buyers: set[str]) -> None:
        self._pending = (stores, buyers)

    def commit(self) -> None:
        for known, new in zip((self.stores, self.buyers), self._pending, strict=True):
            if len(known) + len(new) > self.LIMIT:
                known.clear()
            known.update(new)
        self._pending = (set(), set())


def _stored(conn: Connection, ids: set[str]) -> dict[str, tuple[Any, ...]]:
    """The content of the orders among `ids` that exist."""
    if not ids:
        return {}
    query = select(t.orders.c.id, *(t.orders.c[name] for name in CONTENT)).where(
        among(t.orders.c.id, ids, conn.dialect)
    )
    return {row[0]: tuple(row[1:]) for row in conn.execute(query)}
