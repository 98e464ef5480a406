"""Importing tracking events: each row one carrier event, stored raw and normalised through the
same path as every feed (`services.tracking`, source `import`), once.

A row names its order by `order_id`, or by `tracking_number` (every order shipped with it, or
whose buyer returned with it, gets the event). Its event has the classifier's keys:
`description` and/or `raw_code`, `carrier`, `at` (as the carrier wrote it), `location` (in CSV
a JSON object as text, or a plain place; or the `city`, `state`, `zip`, `country`, `facility`
columns) and `extra` (a JSON object; text in CSV). Carrier and tracking number default to the
order's. An event already stored (from this file or any feed) is skipped; a tracking number or
order no order has is a bad row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from disputedesk.importing.base import BadRow, Importer, Judgement, Row, Verdict, among
from disputedesk.importing.source import Format, loads
from disputedesk.services.orders import FieldError
from disputedesk.services.tracking import (
    LOCATION_PARTS,
    CarrierEvent,
    EventError,
    check_event,
    fingerprint,
    ingest_on,
    orders_by_number,
    stored_keys,
)
from disputedesk.store import tables as t

TRACKING_COLUMNS = (
    "order_id",
    "tracking_number",
    "carrier",
    "raw_code",
    "description",
    "at",
    "location",
    "city",
    "state",
    "zip",
    "country",
    "facility",
    "extra",
)
_PARTS = tuple(part for part in LOCATION_PARTS if part != "text")
_ORDER_ID_LIMIT = t.orders.c.id.type.length


class TrackingRow(NamedTuple):
    order_id: str | None
    event: CarrierEvent


def _value(fields: Mapping[str, Any], name: str, fmt: Format) -> Any:
    value = fields.get(name)
    if fmt is Format.CSV and isinstance(value, str) and not value.strip():
        return None
    return value


def _json_object(text: Any, name: str, fmt: Format) -> Any:
    """In CSV, an object written as JSON text; in JSON Lines, as it is."""
    if fmt is not Format.CSV or not isinstance(text, str):
        return text
    if name == "location" and not text.lstrip().startswith("{"):
        return text  # a place as plain text
    try:
        return loads(text)
    except (ValueError, RecursionError):
        raise FieldError(name, 'not a JSON object, e.g. {"city": "Curitiba"}') from None


class _Owner(NamedTuple):
    carrier: str | None
    tracking_number: str | None


class TrackingImporter(Importer[TrackingRow]):
    kind = "tracking"
    columns = TRACKING_COLUMNS
    required = ()  # a row needs order_id or tracking_number: checked per row

    def parse(self, fields: Mapping[str, Any], fmt: Format) -> TrackingRow:
        order_id = _value(fields, "order_id", fmt)
        if order_id is not None and (not isinstance(order_id, str) or not order_id.strip()):
            raise FieldError("order_id", "must be a non-empty text")
        if order_id is not None and len(order_id) > _ORDER_ID_LIMIT:
            raise FieldError("order_id", f"longer than {_ORDER_ID_LIMIT} characters")
        number = _value(fields, "tracking_number", fmt)
        if order_id is None and (not isinstance(number, str) or not number.strip()):
            raise FieldError("order_id", "a row needs an order_id or a tracking_number")
        location = _json_object(_value(fields, "location", fmt), "location", fmt)
        if isinstance(location, str):
            location = {"text": location}
        parts = {part: _value(fields, part, fmt) for part in _PARTS}
        if any(value is not None for value in parts.values()):
            if location is not None and not isinstance(location, Mapping):
                raise FieldError("location", "must be an object or a text")
            location = {**(location or {})}
            for part, value in parts.items():
                if value is None:
                    continue
                if part in location and location[part] != value:
                    raise FieldError(part, f"differs from location.{part} on the same row")
                location[part] = value
        raw = {
            "description": _value(fields, "description", fmt),
            "raw_code": _value(fields, "raw_code", fmt),
            "carrier": _value(fields, "carrier", fmt),
            "at": _value(fields, "at", fmt),
            "tracking_number": number,
            "location": location,
            "extra": _json_object(_value(fields, "extra", fmt), "extra", fmt),
        }
        payload = {k: v for k, v in fields.items() if v is not None and v != ""}
        try:
            event = check_event(raw, payload=payload)
        except EventError as exc:
            raise FieldError(exc.field, exc.reason) from None
        return TrackingRow(order_id.strip() if order_id else None, event)

    def key(self, item: TrackingRow) -> str:
        return "\x00".join(
            (item.order_id or "", item.event.tracking_number or "", fingerprint(item.event))
        )

    def _owners(
        self, conn: Connection, rows: Sequence[Row[TrackingRow]]
    ) -> tuple[dict[str, _Owner], dict[str, list[str]]]:
        """The orders the rows name (their carrier and tracking number), and the orders of the
        tracking numbers of rows without an order id."""
        ids = {r.item.order_id for r in rows if r.item.order_id}
        orders: dict[str, _Owner] = {}
        if ids:
            query = select(t.orders.c.id, t.orders.c.carrier, t.orders.c.tracking_number).where(
                among(t.orders.c.id, ids, conn.dialect)
            )
            orders = {o.id: _Owner(o.carrier, o.tracking_number) for o in conn.execute(query)}
        numbers = {
            (r.item.event.tracking_number or "").strip() for r in rows if not r.item.order_id
        }
        by_number = orders_by_number(conn, sorted(numbers)) if numbers else {}
        return orders, by_number

    def _pairs(
        self,
        row: Row[TrackingRow],
        orders: dict[str, _Owner],
        by_number: dict[str, list[str]],
    ) -> list[tuple[str, CarrierEvent]] | BadRow:
        """(order id, the event as stored for it) for each order the row names."""
        order_id, event = row.item
        if order_id is not None:
            owner = orders.get(order_id)
            if owner is None:
                return BadRow(row.line, "order_id", f"order {order_id!r} not found")
            completed = dataclasses.replace(
                event,
                carrier=event.carrier or owner.carrier,
                tracking_number=event.tracking_number or owner.tracking_number,
            )
            return [(order_id, completed)]
        number = (event.tracking_number or "").strip()
        owners = by_number.get(number.upper())
        if not owners:
            return BadRow(
                row.line,
                "tracking_number",
                f"{number!r} belongs to no order (nor a buyer's return)",
            )
        return [(owner, event) for owner in owners]

    def judge(
        self,
        conn: Connection,
        rows: Sequence[Row[TrackingRow]],
        prior: dict[str, Row[TrackingRow]] | None,
    ) -> list[Judgement]:
        orders, by_number = self._owners(conn, rows)
        resolved = [self._pairs(row, orders, by_number) for row in rows]
        keys = {
            (order_id, fingerprint(event))
            for pairs in resolved
            if not isinstance(pairs, BadRow)
            for order_id, event in pairs
        }
        stored = stored_keys(conn, keys) if keys else set()
        verdicts: list[Judgement] = []
        for row, pairs in zip(rows, resolved, strict=True):
            if isinstance(pairs, BadRow):
                verdicts.append(pairs)
                continue
            if prior is not None:
                key = self.key(row.item)
                if key in prior:
                    verdicts.append(Verdict.ALREADY)
                    continue
            if all((order_id, fingerprint(event)) in stored for order_id, event in pairs):
                verdicts.append(Verdict.ALREADY)
                continue
            verdicts.append(Verdict.NEW)
            if prior is not None:
                prior[self.key(row.item)] = row
        return verdicts

    def pack(self, item: TrackingRow) -> tuple[Any, ...]:
        e = item.event
        return (
            item.order_id,
            e.description,
            e.carrier,
            e.raw_code,
            e.location,
            e.at,
            e.tracking_number,
            e.extra,
            e.payload,
        )

    def write_packed(
        self, conn: Connection, rows: Sequence[tuple[int, tuple[Any, ...]]]
    ) -> list[Judgement]:
        unpacked = [Row(line, _unpack(packed)) for line, packed in rows]
        orders, by_number = self._owners(conn, unpacked)
        resolved = [self._pairs(row, orders, by_number) for row in unpacked]
        items: list[tuple[str, CarrierEvent]] = []
        for pairs in resolved:
            if not isinstance(pairs, BadRow):
                items.extend(pairs)
        report = (
            ingest_on(conn, items, source="import", now=self.now, keep_rows=True) if items else None
        )
        new_rows = iter(report.rows if report else [])
        verdicts: list[Judgement] = []
        for pairs in resolved:
            if isinstance(pairs, BadRow):
                verdicts.append(pairs)
                continue
            new = [next(new_rows)["new"] for _ in pairs]
            verdicts.append(Verdict.NEW if any(new) else Verdict.ALREADY)
        return verdicts


def _unpack(packed: tuple[Any, ...]) -> TrackingRow:
    order_id, description, carrier, raw_code, location, at, number, extra, payload = packed
    event = CarrierEvent(
        description=description,
        carrier=carrier,
        raw_code=raw_code,
        location=location,
        at=at,
        tracking_number=number,
        extra=extra,
        payload=payload,
    )
    return TrackingRow(order_id, event)
