"""Carrier tracking events into the store: checked, classified, stored raw and normalised, once.

Every feed (the AfterShip and 17TRACK receivers, the karrio poller, `disputedesk import --kind
tracking`, the seller's manual entry, `POST /orders/{id}/tracking`) hands its events to
`ingest`. An event's `fingerprint` (tracking number, carrier, code, text, place, instant as
given) recognises it again across feeds and retries; the unique (order_id, fingerprint) makes
"stored once" hold under concurrent deliveries too. Tracking never changes the rules' state
(RULES.md section 3): the delivery facts are computed from these rows.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import storable_message
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.tracking.instants import parse_carrier_instant

SOURCES = ("aftership", "17track", "karrio", "import", "manual", "api")
LOCATION_PARTS = ("city", "state", "zip", "country", "facility", "text")
MAX_TEXT = 2000
_SPACES = re.compile(r"\s+")


class EventError(ValueError):
    """A carrier event that cannot be stored: `field` names the part, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


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


def _text(raw: Mapping[str, Any], name: str, limit: int) -> str | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "raw_code":
        value = str(value)
    if not isinstance(value, str):
        raise EventError(name, "must be text")
    if len(value) > limit:
        raise EventError(name, f"at most {limit} characters")
    problem = storable_message(value)
    if problem:
        raise EventError(name, problem)
    return value


def check_event(raw: Any, *, payload: Any = None) -> CarrierEvent:
    """An event from loose input (a JSON object, a CSV row): every part checked. It needs a
    description or a code; `location` is an object of `city`, `state`, `zip`, `country`,
    `facility`, `text` (or a plain text, kept as `text`)."""
    if not isinstance(raw, Mapping):
        raise EventError("event", "must be an object")
    description = _text(raw, "description", MAX_TEXT)
    raw_code = _text(raw, "raw_code", 100)
    if description is None and raw_code is None:
        raise EventError("description", "an event needs a description or a raw_code")
    location = raw.get("location")
    if isinstance(location, str):
        location = {"text": location} if location.strip() else None
    if location is not None:
        if not isinstance(location, Mapping):
            raise EventError("location", "must be an object or a text")
        parts: dict[str, str] = {}
        for key in location:
            if key not in LOCATION_PARTS:
                raise EventError(f"location.{key}", f"unknown; known: {', '.join(LOCATION_PARTS)}")
            part = _text(location, key, 200)
            if part is not None:
                parts[key] = part
        location = parts or None
    extra = raw.get("extra")
    if extra is not None:
        if not isinstance(extra, Mapping):
            raise EventError("extra", "must be an object")
        problem = storable_message(extra, "extra")
        if problem:
            raise EventError("extra", problem)
        extra = dict(extra)
    return CarrierEvent(
        description=description,
        carrier=_text(raw, "carrier", 100),
        raw_code=raw_code,
        location=location,
        at=_text(raw, "at", 64),
        tracking_number=_text(raw, "tracking_number", 100),
        extra=extra,
        payload=payload if payload is not None else dict(raw),
    )


def fingerprint(event: CarrierEvent) -> str:
    """The same event, whichever feed brings it: whitespace and case in the carrier's name and
    text do not matter, everything else does."""
    identity = [
        (event.tracking_number or "").strip().upper(),
        (event.carrier or "").strip().casefold(),
        (event.raw_code or "").strip(),
        _SPACES.sub(" ", event.description or "").strip(),
        (event.at or "").strip(),
        sorted((event.location or {}).items()),
    ]
    encoded = json.dumps(identity, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass(slots=True)
class IngestReport:
    stored: int = 0
    duplicates: int = 0


def row_of(
    order_id: str, leg: str, event: CarrierEvent, *, source: str, now: datetime
) -> dict[str, Any]:
    """The `tracking_events` row of an event: as received, and as the classifier reads it."""
    from disputedesk.tracking.classifier import classify

    judged = classify(event.classifier_input())
    return {
        "order_id": order_id,
        "leg": leg,
        "source": source,
        "carrier": event.carrier,
        "tracking_number": event.tracking_number,
        "raw_code": event.raw_code,
        "description": event.description,
        "location": event.location,
        "at_text": event.at,
        "at": parse_carrier_instant(event.at),
        "extra": event.extra,
        "payload": event.payload,
        "status": str(judged.status),
        "notice_left": judged.notice_left,
        "unclassified": judged.unclassified,
        "fingerprint": fingerprint(event),
        "received_at": now,
    }


def ingest(
    db: Database,
    order_id: str,
    events: Sequence[CarrierEvent],
    *,
    source: str,
    leg: str | None = None,
    now: datetime | None = None,
) -> IngestReport:
    """Store an order's events (in one transaction); duplicates, of each other or of stored
    ones, are counted and skipped. `leg`: `outbound` or `return`, or told by the tracking
    number (the return's, once the buyer shipped it; otherwise outbound)."""
    if source not in SOURCES:
        raise ServiceError("invalid_input", f"source: {source!r} is not one of {SOURCES}")
    now = now or utc_now()
    with db.begin() as conn:
        order = conn.execute(
            select(t.orders.c.id, t.orders.c.tracking_number).where(t.orders.c.id == order_id)
        ).first()
        if order is None:
            raise ServiceError("not_found", f"order {order_id!r} not found")
        returns = _return_numbers(conn, [order_id]).get(order_id, set())
        rows = [
            row_of(order_id, leg or _leg(event, returns), event, source=source, now=now)
            for event in events
        ]
        return _insert_new(conn, rows)


def ingest_many(
    db: Database,
    items: Iterable[tuple[str, CarrierEvent]],
    *,
    source: str,
    now: datetime | None = None,
) -> IngestReport:
    """Events of many orders in one transaction (a feed's batch, an import): unknown orders
    are `not_found` and nothing of the batch is stored."""
    now = now or utc_now()
    pairs = list(items)
    order_ids = sorted({order_id for order_id, _ in pairs})
    with db.begin() as conn:
        known: set[str] = set()
        for start in range(0, len(order_ids), 500):
            chunk = order_ids[start : start + 500]
            known.update(conn.scalars(select(t.orders.c.id).where(t.orders.c.id.in_(chunk))))
        missing = [o for o in order_ids if o not in known]
        if missing:
            raise ServiceError("not_found", f"order {missing[0]!r} not found")
        returns = _return_numbers(conn, order_ids)
        rows = [
            row_of(
                order_id, _leg(event, returns.get(order_id, set())), event, source=source, now=now
            )
            for order_id, event in pairs
        ]
        return _insert_new(conn, rows)


def _leg(event: CarrierEvent, return_numbers: set[str]) -> str:
    number = (event.tracking_number or "").strip().upper()
    return "return" if number and number in return_numbers else "outbound"


def _return_numbers(conn: Connection, order_ids: Sequence[str]) -> dict[str, set[str]]:
    """The tracking numbers of the buyers' returns, per order."""
    out: dict[str, set[str]] = {}
    for start in range(0, len(order_ids), 500):
        chunk = list(order_ids[start : start + 500])
        rows = conn.execute(
            select(t.disputes.c.order_id, t.disputes.c.state).where(
                t.disputes.c.order_id.in_(chunk)
            )
        )
        for order_id, state in rows:
            number = (state or {}).get("return_tracking_number")
            if number:
                out.setdefault(order_id, set()).add(str(number).strip().upper())
    return out


def _insert_new(conn: Connection, rows: list[dict[str, Any]]) -> IngestReport:
    """Insert the rows not stored yet: duplicates within the batch and of stored rows are
    skipped, and a concurrent insert of the same event loses quietly (ON CONFLICT DO NOTHING)."""
    report = IngestReport()
    fresh: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["order_id"], row["fingerprint"])
        if key in fresh:
            report.duplicates += 1
        else:
            fresh[key] = row
    stored: set[tuple[str, str]] = set()
    keys = list(fresh)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        conditions = [
            (t.tracking_events.c.order_id == o) & (t.tracking_events.c.fingerprint == f)
            for o, f in chunk
        ]
        stored.update(
            (r.order_id, r.fingerprint)
            for r in conn.execute(
                select(t.tracking_events.c.order_id, t.tracking_events.c.fingerprint).where(
                    or_(*conditions)
                )
            )
        )
    new = [row for key, row in fresh.items() if key not in stored]
    report.duplicates += len(fresh) - len(new)
    if new:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(t.tracking_events).on_conflict_do_nothing(
            index_elements=["order_id", "fingerprint"]
        )
        conn.execute(statement, new)
    report.stored = len(new)
    return report


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
