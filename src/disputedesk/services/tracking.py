"""Carrier tracking events into the store: checked, classified, stored raw and normalised, once.

Every feed (the AfterShip and 17TRACK receivers, the karrio poller, `disputedesk import --kind
tracking`, the seller's manual entry, `POST /orders/{id}/tracking`) hands its events to
`ingest` (one order's) or `ingest_many` (a batch of many orders'). An event's `fingerprint`
(tracking number, carrier, code, text, place, instant as given) recognises it again across
feeds and retries; the unique (order_id, fingerprint) makes "stored once" hold under concurrent
deliveries too. Tracking never changes the rules' state (RULES.md section 3): the delivery facts
are computed from these rows.

A batch costs a few statements whatever its size: the orders and their return numbers are read
once, each distinct (carrier, code, text) is classified once (a bounded cache across
batches), and the rows are written below SQLAlchemy's per-row statement layer: on SQLite
one executemany after one indexed read of the fingerprints already stored, on PostgreSQL a COPY
into a session-local staging table and one `INSERT ... SELECT ... ON CONFLICT DO NOTHING
RETURNING` that says exactly which rows were new (a concurrent ingest of the same event loses
quietly and is counted as a duplicate).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Dialect, String, any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement

from disputedesk.rules.instants import format_instant
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import storable_message, text_problem
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.tracking.instants import MAX_YEAR, MIN_YEAR, parse_carrier_instant
from disputedesk.tracking.taxonomy import Classification

SOURCES = ("aftership", "17track", "karrio", "import", "manual", "api")
LOCATION_PARTS = ("city", "state", "zip", "country", "facility", "text")
MAX_TEXT = 2000
MAX_CODE = 100
MAX_PART = 200
# Orders whose rows one statement reads at a time (ids travel as one array parameter).
CHUNK = 5000


class EventError(ValueError):
    """A carrier event that cannot be stored: `field` names the part, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


@dataclass(frozen=True, slots=True)
class CarrierEvent:
    """One event as a feed received it (the classifier's input keys), before it is judged."""

    description: str | None
    carrier: str | None = None
    raw_code: str | None = None
    location: dict[str, str] | None = None
    at: str | None = None
    tracking_number: str | None = None
    extra: dict[str, Any] | None = None
    payload: Any = None  # the feed's raw object, kept as received

    def classifier_input(self) -> dict[str, Any]:
        return {
            "carrier": self.carrier,
            "raw_code": self.raw_code,
            "description": self.description,
            "location": self.location,
            "at": self.at,
            "extra": self.extra,
        }


def _text(raw: Mapping[str, Any], name: str, limit: int, where: str = "") -> str | None:
    value = raw.get(name)
    # the common case, checked with the fewest steps
    if (
        value.__class__ is str
        and 0 < len(value) <= limit
        and value.isascii()
        and "\x00" not in value
    ):
        return value
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "raw_code":
        value = str(value)
    if not isinstance(value, str):
        raise EventError(where + name, "must be text")
    if len(value) > limit:
        raise EventError(where + name, f"at most {limit} characters")
    problem = text_problem(value)
    if problem:
        raise EventError(where + name, problem)
    return value


def check_location(location: Any) -> dict[str, str] | None:
    """`location` as stored: an object of `city`, `state`, `zip`, `country`, `facility`, `text`
    (a plain text is kept as `text`); None when it says nothing."""
    if isinstance(location, str):
        location = {"text": location} if location.strip() else None
    if location is None:
        return None
    if not isinstance(location, Mapping):
        raise EventError("location", "must be an object or a text")
    parts: dict[str, str] = {}
    for key in location:
        if key not in LOCATION_PARTS:
            raise EventError(f"location.{key}", f"unknown; known: {', '.join(LOCATION_PARTS)}")
        part = _text(location, key, MAX_PART, "location.")
        if part is not None:
            parts[key] = part
    return parts or None


_EVENT_KEYS = frozenset(
    ("description", "raw_code", "carrier", "location", "at", "tracking_number", "extra")
)


def check_event(raw: Any, *, payload: Any = None) -> CarrierEvent:
    """An event from loose input (a JSON object, a CSV row): every part checked. It needs a
    description or a code; `location` is an object of `city`, `state`, `zip`, `country`,
    `facility`, `text` (or a plain text, kept as `text`); `extra` an object of side fields."""
    if not isinstance(raw, Mapping):
        raise EventError("event", "must be an object")
    description = _text(raw, "description", MAX_TEXT)
    raw_code = _text(raw, "raw_code", MAX_CODE)
    if description is None and raw_code is None:
        raise EventError("description", "an event needs a description or a raw_code")
    location = check_location(raw.get("location"))
    extra = raw.get("extra")
    if extra is not None:
        if not isinstance(extra, Mapping):
            raise EventError("extra", "must be an object")
        problem = storable_message(extra, "extra")
        if problem:
            where, _, why = problem.partition(": ")
            raise EventError(where, why)
        extra = dict(extra) or None
    if payload is None:  # the fields themselves are the raw event: check what is not read
        payload = dict(raw)
        rest = {k: v for k, v in raw.items() if k not in _EVENT_KEYS}
        problem = storable_message(rest, "payload") if rest else None
    else:
        problem = storable_message(payload, "payload")
    if problem:
        where, _, why = problem.partition(": ")
        raise EventError(where, why)
    return CarrierEvent(
        description=description,
        carrier=_text(raw, "carrier", MAX_CODE),
        raw_code=raw_code,
        location=location,
        at=_text(raw, "at", 64),
        tracking_number=_text(raw, "tracking_number", MAX_CODE),
        extra=extra,
        payload=payload,
    )


def fingerprint(event: CarrierEvent) -> str:
    """The same event, whichever feed brings it: surrounding space and case in the carrier's
    name and the tracking number, and runs of white space in the text, do not matter; the code,
    the place and the instant as written do. (The parts are joined with NUL, which no stored
    text contains, so two different events never join to the same string.)"""
    description = event.description
    parts = [
        (event.tracking_number or "").strip().upper(),
        (event.carrier or "").strip().casefold(),
        (event.raw_code or "").strip(),
        " ".join(description.split()) if description else "",
        (event.at or "").strip(),
    ]
    location = event.location
    if location:
        for key in sorted(location):
            parts.append(key)
            parts.append(location[key])
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


# -- classification, once per distinct event ---------------------------------------------------

_CACHE_LIMIT = 200_000
_judged: dict[tuple[str | None, str | None, str | None], Classification] = {}


def _classifier() -> Callable[[Mapping[str, Any]], Classification]:
    from disputedesk.tracking.classifier import classify

    return classify


def classification(event: CarrierEvent) -> Classification:
    """The classifier's judgement of an event. The classifier is pure and reads the carrier,
    the code, the description and the details of `extra` (not the place or the time), so a
    judgement is kept (up to `_CACHE_LIMIT` distinct events) for the next event that says the
    same: carriers repeat a few hundred texts across millions of scans. Events with `extra`
    go to the classifier each time (its own cache keys their details)."""
    if event.extra:
        return _classifier()(event.classifier_input())
    key = (event.carrier, event.raw_code, event.description)
    judged = _judged.get(key)
    if judged is None:
        judged = _classifier()(event.classifier_input())
        if len(_judged) >= _CACHE_LIMIT:
            _judged.clear()
        _judged[key] = judged
    return judged


# -- rows ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class IngestReport:
    """What a batch did: how many events were stored and how many were already there (or twice
    in the batch); `rows` (when asked for) each event's row as judged, with `new`."""

    stored: int = 0
    duplicates: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)


# Everything the delivery facts read of a stored event (not the feed's raw payload): one list
# for the pages, the API and the shipment watch.
FACT_COLUMNS = (
    "id",
    "leg",
    "carrier",
    "tracking_number",
    "raw_code",
    "description",
    "location",
    "at_text",
    "at",
    "extra",
    "status",
    "notice_left",
    "unclassified",
)

ROW_COLUMNS = (
    "order_id",
    "leg",
    "source",
    "carrier",
    "tracking_number",
    "raw_code",
    "description",
    "location",
    "at_text",
    "at",
    "extra",
    "payload",
    "status",
    "notice_left",
    "unclassified",
    "fingerprint",
    "received_at",
)
_ORDER_AT = ROW_COLUMNS.index("order_id")
_FINGERPRINT_AT = ROW_COLUMNS.index("fingerprint")
_LOCATION_AT = ROW_COLUMNS.index("location")
_EXTRA_AT = ROW_COLUMNS.index("extra")
_PAYLOAD_AT = ROW_COLUMNS.index("payload")
_INSTANT_AT = ROW_COLUMNS.index("at")
_RECEIVED_AT = ROW_COLUMNS.index("received_at")
_NOTICE_AT = ROW_COLUMNS.index("notice_left")
_UNCLASSIFIED_AT = ROW_COLUMNS.index("unclassified")


def _instant(text: str | None) -> datetime | None:
    """`parse_carrier_instant`, with a shortcut for the common ISO 8601 instant with an offset
    (the same answer, without trying the other shapes first)."""
    if text is not None and len(text) >= 25 and text[10] == "T":
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return parse_carrier_instant(text)
        if parsed.tzinfo is not None and MIN_YEAR <= parsed.year <= MAX_YEAR:
            return parsed.astimezone(UTC)
    return parse_carrier_instant(text)


def row_values(
    order_id: str, leg: str, event: CarrierEvent, source: str, now: datetime
) -> list[Any]:
    """`row_of` as a list in `ROW_COLUMNS` order (what the writers take)."""
    judged = classification(event)
    return [
        order_id,
        leg,
        source,
        event.carrier,
        event.tracking_number,
        event.raw_code,
        event.description,
        event.location,
        event.at,
        _instant(event.at),
        event.extra,
        event.payload,
        judged.status.value,
        judged.notice_left,
        judged.unclassified,
        fingerprint(event),
        now,
    ]


def row_of(
    order_id: str, leg: str, event: CarrierEvent, *, source: str, now: datetime
) -> dict[str, Any]:
    """The `tracking_events` row of an event: as received, and as the classifier reads it."""
    return dict(zip(ROW_COLUMNS, row_values(order_id, leg, event, source, now), strict=True))


def view(row: Any) -> dict[str, Any]:
    """A stored (or judged) event as the API and the pages show it: normalised first."""
    get = row.get if isinstance(row, Mapping) else row._mapping.get
    return {
        "status": get("status"),
        "notice_left": get("notice_left"),
        "unclassified": bool(get("unclassified")),
        "at": format_instant(get("at")),
        "at_text": get("at_text"),
        "carrier": get("carrier"),
        "tracking_number": get("tracking_number"),
        "raw_code": get("raw_code"),
        "description": get("description"),
        "location": get("location"),
        "leg": get("leg"),
        "source": get("source"),
        "received_at": format_instant(get("received_at")),
    }


# -- ingest -------------------------------------------------------------------------------------


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ServiceError("invalid_input", f"source: {source!r} is not one of {SOURCES}")


def ingest(
    db: Database,
    order_id: str,
    events: Sequence[CarrierEvent],
    *,
    source: str,
    leg: str | None = None,
    now: datetime | None = None,
    keep_rows: bool = False,
) -> IngestReport:
    """Store an order's events (in one transaction); duplicates, of each other or of stored
    ones, are counted and skipped. `leg`: `outbound` or `return`, or told by the tracking
    number (the return's, once the buyer shipped it; otherwise outbound)."""
    _check_source(source)
    now = now or utc_now()
    with db.begin() as conn:
        exists = conn.scalar(select(t.orders.c.id).where(t.orders.c.id == order_id))
        if exists is None:
            raise ServiceError("not_found", f"order {order_id!r} not found")
        returns = _return_numbers(conn, [order_id]).get(order_id, set())
        rows = [
            row_values(order_id, leg or _leg(event, returns), event, source, now)
            for event in events
        ]
        return _insert_new(conn, rows, keep_rows=keep_rows)


def ingest_many(
    db: Database,
    items: Iterable[tuple[str, CarrierEvent]],
    *,
    source: str,
    now: datetime | None = None,
    keep_rows: bool = False,
) -> IngestReport:
    """Events of many orders in one transaction (a feed's batch, an import): unknown orders
    are `not_found` and nothing of the batch is stored."""
    _check_source(source)
    pairs = list(items)
    with db.begin() as conn:
        return ingest_on(conn, pairs, source=source, now=now or utc_now(), keep_rows=keep_rows)


def ingest_on(
    conn: Connection,
    pairs: Sequence[tuple[str, CarrierEvent]],
    *,
    source: str,
    now: datetime,
    keep_rows: bool = False,
) -> IngestReport:
    """`ingest_many` in the caller's write transaction (once per transaction)."""
    _check_source(source)
    order_ids = sorted({order_id for order_id, _ in pairs})
    known: set[str] = set()
    for start in range(0, len(order_ids), CHUNK):
        chunk = order_ids[start : start + CHUNK]
        known.update(
            conn.scalars(select(t.orders.c.id).where(among(t.orders.c.id, chunk, conn.dialect)))
        )
    if len(known) < len(order_ids):
        missing = next(o for o in order_ids if o not in known)
        raise ServiceError("not_found", f"order {missing!r} not found")
    returns = _return_numbers(conn, order_ids)
    no_returns: set[str] = set()
    rows = [
        row_values(order_id, _leg(event, returns.get(order_id, no_returns)), event, source, now)
        for order_id, event in pairs
    ]
    return _insert_new(conn, rows, keep_rows=keep_rows)


def ingest_by_number(
    db: Database,
    events: Sequence[CarrierEvent],
    *,
    source: str,
    now: datetime | None = None,
    keep_rows: bool = False,
) -> IngestReport:
    """A feed's events, each carrying its tracking number: every order shipped with that number
    (outbound, or a buyer's return) gets them. A number no order has is `not_found` and
    nothing is stored."""
    _check_source(source)
    numbers = sorted({(e.tracking_number or "").strip() for e in events})
    if "" in numbers:
        raise ServiceError("invalid_input", "tracking_number: every event needs one")
    with db.engine.connect() as conn:
        owners = orders_by_number(conn, numbers)
    missing = [n for n in numbers if not owners.get(n.upper())]
    if missing:
        raise ServiceError(
            "not_found", f"tracking number {missing[0]!r} belongs to no order (nor return)"
        )
    items = [
        (order_id, event)
        for event in events
        for order_id in owners[(event.tracking_number or "").strip().upper()]
    ]
    return ingest_many(db, items, source=source, now=now, keep_rows=keep_rows)


def orders_by_number(conn: Connection, numbers: Sequence[str]) -> dict[str, list[str]]:
    """The orders shipped with each tracking number (upper-cased): the order's own (outbound,
    or its replacement's) and the buyers' returns."""
    # as written, upper-cased and lower-cased (an index on the column, if any, stays usable)
    wanted = sorted({v for n in numbers for v in (n.strip(), n.strip().upper(), n.strip().lower())})
    out: dict[str, list[str]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = select(t.orders.c.id, t.orders.c.tracking_number).where(
            among(t.orders.c.tracking_number, chunk, conn.dialect)
        )
        for order_id, number in conn.execute(query):
            out.setdefault(number.strip().upper(), []).append(order_id)
        returned = t.disputes.c.state["return_tracking_number"].as_string()
        query = select(t.disputes.c.order_id, returned).where(among(returned, chunk, conn.dialect))
        for order_id, number in conn.execute(query):
            owners = out.setdefault(number.strip().upper(), [])
            if order_id not in owners:
                owners.append(order_id)
    for owners in out.values():
        owners.sort()
    return out


def _leg(event: CarrierEvent, return_numbers: set[str]) -> str:
    if not return_numbers:
        return "outbound"
    number = (event.tracking_number or "").strip().upper()
    return "return" if number and number in return_numbers else "outbound"


def _return_numbers(conn: Connection, order_ids: Sequence[str]) -> dict[str, set[str]]:
    """The tracking numbers of the buyers' returns, per order."""
    out: dict[str, set[str]] = {}
    returned = t.disputes.c.state["return_tracking_number"].as_string()
    for start in range(0, len(order_ids), CHUNK):
        chunk = list(order_ids[start : start + CHUNK])
        rows = conn.execute(
            select(t.disputes.c.order_id, returned).where(
                among(t.disputes.c.order_id, chunk, conn.dialect), returned.is_not(None)
            )
        )
        for order_id, number in rows:
            if number:
                out.setdefault(order_id, set()).add(str(number).strip().upper())
    return out


def among(
    column: ColumnElement[str], values: Iterable[str], dialect: Dialect
) -> ColumnElement[bool]:
    """`column IN values` as one parameter (a PostgreSQL array, a JSON array on SQLite), named
    uniquely so that one statement may hold several."""
    listed = sorted(values)
    if dialect.name == "postgresql":
        return column == any_(bindparam("values", listed, type_=ARRAY(String), unique=True))
    values_of = select(literal_column("value")).select_from(
        func.json_each(bindparam("values", json.dumps(listed), unique=True))
    )
    return column.in_(values_of)


# -- writing ------------------------------------------------------------------------------------


def _insert_new(
    conn: Connection, rows: list[list[Any]], *, keep_rows: bool = False
) -> IngestReport:
    """Insert the rows (`row_values`) not stored yet: duplicates within the batch and of
    stored rows are skipped, and a concurrent insert of the same event loses quietly (ON
    CONFLICT DO NOTHING). One call per transaction (PostgreSQL's staging table empties at
    commit)."""
    report = IngestReport()
    if keep_rows:  # before the writers turn the values into what the driver takes
        kept = [dict(zip(ROW_COLUMNS, row, strict=True)) for row in rows]
    fresh: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        key = (row[_ORDER_AT], row[_FINGERPRINT_AT])
        if key not in fresh:
            fresh[key] = row
    if not fresh:
        stored: set[tuple[str, str]] = set()
    elif conn.dialect.name == "postgresql":
        stored = _write_postgres(conn, list(fresh.values()))
    else:
        stored = _write_sqlite(conn, fresh)
    report.stored = len(stored)
    report.duplicates = len(rows) - report.stored
    if keep_rows:  # each event as judged; a repeat within the batch is not new
        unseen = set(stored)
        for row in kept:
            key = (row["order_id"], row["fingerprint"])
            report.rows.append({**row, "new": key in unseen})
            unseen.discard(key)
    return report


def _quoted(conn: Connection) -> tuple[str, str]:
    quote = conn.dialect.identifier_preparer.quote
    table = conn.dialect.identifier_preparer.format_table(t.tracking_events)
    return table, ", ".join(quote(name) for name in ROW_COLUMNS)


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_places: dict[tuple[tuple[str, str], ...], str] = {}


def _dumps(value: Any) -> str | None:
    return None if value is None else _encode(value)


def _place(location: dict[str, str] | None) -> str | None:
    """A location's JSON: places repeat (a hub, a depot), so their text is kept."""
    if location is None:
        return None
    key = tuple(location.items())
    text = _places.get(key)
    if text is None:
        if len(_places) >= _CACHE_LIMIT:
            _places.clear()
        text = _places[key] = _encode(location)
    return text


def stored_keys(conn: Connection, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (order id, fingerprint) pairs are stored: one statement for a batch, each pair
    looked up in the unique index (the pairs travel as one JSON array on SQLite, two arrays
    on PostgreSQL)."""
    listed = sorted(set(keys))
    found: set[tuple[str, str]] = set()
    table = conn.dialect.identifier_preparer.format_table(t.tracking_events)
    for start in range(0, len(listed), CHUNK):
        chunk = listed[start : start + CHUNK]
        if conn.dialect.name == "postgresql":
            rows = conn.exec_driver_sql(
                "SELECT e.order_id, e.fingerprint FROM unnest(%s::text[], %s::text[]) "
                f"AS k(order_id, fingerprint) JOIN {table} AS e "
                "ON e.order_id = k.order_id AND e.fingerprint = k.fingerprint",
                ([o for o, _ in chunk], [f for _, f in chunk]),
            )
        else:
            rows = conn.exec_driver_sql(
                f"SELECT e.order_id, e.fingerprint FROM json_each(?) AS k JOIN {table} AS e "
                "ON e.order_id = json_extract(k.value, '$[0]') "
                "AND e.fingerprint = json_extract(k.value, '$[1]')",
                (json.dumps(chunk),),
            )
        found.update((order_id, fp) for order_id, fp in rows.fetchall())
    return found


def _sqlite_instant(instant: datetime) -> str:
    """A UTC instant as SQLAlchemy's DateTime stores it on SQLite (naive text)."""
    return instant.replace(tzinfo=None).isoformat(" ", "microseconds")


def _write_sqlite(conn: Connection, fresh: dict[tuple[str, str], list[Any]]) -> set[Any]:
    """The rows whose (order, fingerprint) is not stored yet, written with one executemany of
    the values SQLAlchemy's column types would bind (JSON as text, naive UTC instants, 0/1).
    The caller's transaction holds SQLite's write lock from its start, so what was read is
    what the insert meets."""
    stored = stored_keys(conn, fresh)
    new_keys = [key for key in fresh if key not in stored]
    if new_keys:
        table, names = _quoted(conn)
        marks = ", ".join("?" * len(ROW_COLUMNS))
        received: dict[datetime, str] = {}
        values = []
        for key in new_keys:
            (order_id, leg, source, carrier, number, code, text, location, at_text, at,
             extra, payload, status, notice, unclassified, fp, now) = fresh[key]  # fmt: skip
            if now not in received:
                received[now] = _sqlite_instant(now)
            values.append(
                (
                    order_id, leg, source, carrier, number, code, text, _place(location),
                    at_text, None if at is None else _sqlite_instant(at),
                    None if extra is None else _encode(extra),
                    None if payload is None else _encode(payload),
                    status, None if notice is None else int(notice), int(unclassified), fp,
                    received[now],
                )
            )  # fmt: skip
        conn.exec_driver_sql(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", values)
    return set(new_keys)


_STAGING = "disputedesk_tracking_in"


def _write_postgres(conn: Connection, rows: list[list[Any]]) -> set[Any]:
    """COPY the rows into a session-local staging table (emptied at commit), then move the
    ones not stored yet into `tracking_events`; RETURNING names exactly those."""
    table, names = _quoted(conn)
    driver = conn.connection.driver_connection
    with driver.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGING} ON COMMIT DELETE ROWS AS "
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {_STAGING} ({names}) FROM STDIN") as copy:
            for row in rows:
                value = row[:]
                value[_LOCATION_AT] = _place(value[_LOCATION_AT])
                value[_EXTRA_AT] = _dumps(value[_EXTRA_AT])
                value[_PAYLOAD_AT] = _dumps(value[_PAYLOAD_AT])
                copy.write_row(value)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {_STAGING} "
            "ON CONFLICT (order_id, fingerprint) DO NOTHING RETURNING order_id, fingerprint"
        )
        return {(order_id, fp) for order_id, fp in cursor.fetchall()}


def order_events(conn: Connection, order_id: str) -> list[Any]:
    """The order's tracking events, in the carriers' time order (unknown instants last)."""
    return list(
        conn.execute(
            select(t.tracking_events)
            .where(t.tracking_events.c.order_id == order_id)
            .order_by(
                t.tracking_events.c.at.is_(None), t.tracking_events.c.at, t.tracking_events.c.id
            )
        )
    )


# -- the poller ---------------------------------------------------------------------------------


class Provider(Protocol):
    """`tracking.feeds.karrio_provider.TrackingProvider`, as the poller uses it."""

    def handles(self, carrier: str) -> bool: ...

    def fetch(
        self, carrier: str, tracking_numbers: Sequence[str]
    ) -> list[tuple[str, CarrierEvent]]: ...

    @property
    def problems(self) -> list[str]: ...


@dataclass(slots=True)
class PollReport:
    """What a poll did: shipments asked about, events received, stored and already there;
    shipments of carriers no credentials are configured for; what went wrong."""

    asked: int = 0
    events: int = 0
    stored: int = 0
    duplicates: int = 0
    not_configured: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def shipments_to_poll(conn: Connection) -> list[tuple[str, str, str]]:
    """(carrier, tracking number, order id) of every parcel on its way: shipped orders'
    (outbound, or the replacement's), and buyers' returns not yet received."""
    out = [
        (row.carrier, row.tracking_number, row.id)
        for row in conn.execute(
            select(t.orders.c.id, t.orders.c.carrier, t.orders.c.tracking_number).where(
                t.orders.c.status == "shipped",
                t.orders.c.carrier.is_not(None),
                t.orders.c.tracking_number.is_not(None),
            )
        )
    ]
    state = t.disputes.c.state
    carrier = state["return_carrier"].as_string()
    number = state["return_tracking_number"].as_string()
    returns = select(t.disputes.c.order_id, carrier, number).where(
        t.disputes.c.status == "awaiting_return_receipt", number.is_not(None)
    )
    out.extend((c, n, order_id) for order_id, c, n in conn.execute(returns) if c and n)
    return sorted(set(out))


def poll(
    db: Database,
    provider: Provider,
    *,
    now: datetime | None = None,
    batch_size: int = 40,
) -> PollReport:
    """Ask `provider` about every parcel on its way whose carrier it handles, `batch_size`
    numbers at a time, and store what comes back (source `karrio`), once. A carrier that fails
    is reported and the others go on."""
    report = PollReport()
    with db.engine.connect() as conn:
        parcels = shipments_to_poll(conn)
    by_carrier: dict[str, dict[str, list[str]]] = {}
    for carrier, number, order_id in parcels:
        if not provider.handles(carrier):
            report.not_configured[carrier] = report.not_configured.get(carrier, 0) + 1
            continue
        owners = by_carrier.setdefault(carrier, {}).setdefault(number.strip().upper(), [])
        owners.append(order_id)
    for carrier, numbers in sorted(by_carrier.items()):
        asked = sorted(numbers)
        for start in range(0, len(asked), batch_size):
            batch = asked[start : start + batch_size]
            report.asked += len(batch)
            try:
                fetched = provider.fetch(carrier, batch)
            except Exception as exc:  # a carrier that is down must not stop the others
                report.problems.append(f"{carrier}: {type(exc).__name__}: {exc}")
                continue
            finally:
                report.problems.extend(provider.problems)
                provider.problems.clear()
            items = [
                (order_id, event)
                for number, event in fetched
                for order_id in numbers.get(number.strip().upper(), [])
            ]
            report.events += len(fetched)
            if items:
                done = ingest_many(db, items, source="karrio", now=now or utc_now())
                report.stored += done.stored
                report.duplicates += done.duplicates
    return report
