"""Importing shipments: each row is the seller's `ship` (RULES.md section 3), applied by the rules
core (`lifecycle.handle`) and saved by `repository.save` like any command, so the event log gets
the `ship` event and the order its delivery deadline and next due step. Nothing here writes an
order column by hand.

A shipment whose carrier and tracking number are already recorded (the order's `ship` event) is
skipped; an order shipped with another tracking number, or an unknown order, is a bad row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from disputedesk.importing.base import BadRow, Importer, Judgement, Row, Verdict, among
from disputedesk.importing.source import Format
from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.rules.lifecycle import Command, handle
from disputedesk.rules.vocabulary import Action, Actor, OrderStatus
from disputedesk.services.orders import FieldError
from disputedesk.store import repository
from disputedesk.store import tables as t

SHIPMENT_COLUMNS = ("order_id", "carrier", "tracking_number", "shipped_at")
_LIMITS = {
    "order_id": t.orders.c.id.type.length,
    "carrier": t.orders.c.carrier.type.length,
    "tracking_number": t.orders.c.tracking_number.type.length,
}


@dataclass(frozen=True, slots=True)
class Shipment:
    order_id: str
    carrier: str
    tracking_number: str
    shipped_at: datetime

    @property
    def parcel(self) -> tuple[str, str]:
        return self.carrier, self.tracking_number


def _text(fields: Mapping[str, Any], name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value.strip():
        raise FieldError(name, "required, a non-empty string")
    limit = _LIMITS[name]
    if limit and len(value) > limit:
        raise FieldError(name, f"longer than {limit} characters")
    return value


def _parcel_field(recorded: tuple[str, str], new: tuple[str, str]) -> str:
    return "tracking_number" if recorded[1] != new[1] else "carrier"


class ShipmentImporter(Importer[Shipment]):
    kind = "shipments"
    columns = SHIPMENT_COLUMNS
    required = SHIPMENT_COLUMNS

    def parse(self, fields: Mapping[str, Any], fmt: Format) -> Shipment:
        order_id = _text(fields, "order_id")
        carrier = _text(fields, "carrier")
        tracking_number = _text(fields, "tracking_number")
        shipped_at = parse_instant(fields.get("shipped_at"))
        if shipped_at is None:
            raise FieldError(
                "shipped_at",
                f"{fields.get('shipped_at')!r} is not a UTC instant YYYY-MM-DDTHH:MM:SSZ",
            )
        return Shipment(order_id, carrier, tracking_number, shipped_at)

    def key(self, item: Shipment) -> str:
        return item.order_id

    def judge(
        self,
        conn: Connection,
        rows: Sequence[Row[Shipment]],
        prior: dict[str, Row[Shipment]] | None,
    ) -> list[Judgement]:
        return self._apply(conn, rows, prior, lock=False)[0]

    def pack(self, item: Shipment) -> tuple[Any, ...]:
        return (item.order_id, item.carrier, item.tracking_number, format_instant(item.shipped_at))

    def write_packed(
        self, conn: Connection, rows: Sequence[tuple[int, tuple[Any, ...]]]
    ) -> list[Judgement]:
        shipments = [_unpack(line, packed) for line, packed in rows]
        verdicts, changes = self._apply(conn, shipments, {}, lock=True)
        if changes:
            repository.save(conn, changes, self.now)
        return verdicts

    def _apply(
        self,
        conn: Connection,
        rows: Sequence[Row[Shipment]],
        prior: dict[str, Row[Shipment]] | None,
        *,
        lock: bool,
    ) -> tuple[list[Judgement], list[repository.Change]]:
        """Each row's verdict, and the new state and events of each order a row ships (the
        core's `ship` through `handle`, as a command would). `lock`: the caller saves them."""
        earlier = prior if prior is not None else {}
        loaded = repository.load_many(
            conn, {r.item.order_id for r in rows if r.item.order_id not in earlier}, lock=lock
        )
        shipped = [
            order_id
            for order_id, item in loaded.items()
            if item.state.order.status != OrderStatus.AWAITING_SHIPMENT
        ]
        recorded = _recorded_parcels(conn, shipped)
        verdicts: list[Judgement] = []
        changes: list[repository.Change] = []
        for row in rows:
            shipment = row.item
            order_id = shipment.order_id
            first = earlier.get(order_id)
            if first is not None:
                if first.item.parcel == shipment.parcel:
                    verdicts.append(Verdict.ALREADY)
                else:
                    field = _parcel_field(first.item.parcel, shipment.parcel)
                    verdicts.append(
                        BadRow(
                            row.line,
                            field,
                            f"order {order_id!r} is shipped on line {first.line} with "
                            f"{first.item.carrier} {first.item.tracking_number}",
                        )
                    )
                continue
            current = loaded.get(order_id)
            if current is None:
                verdicts.append(BadRow(row.line, "order_id", f"order {order_id!r} not found"))
                continue
            order = current.state.order
            if order.status != OrderStatus.AWAITING_SHIPMENT:
                parcel = recorded.get(order_id)
                if parcel == shipment.parcel:
                    verdicts.append(Verdict.ALREADY)
                elif parcel is not None:
                    verdicts.append(
                        BadRow(
                            row.line,
                            _parcel_field(parcel, shipment.parcel),
                            f"order {order_id!r} is already shipped with {parcel[0]} {parcel[1]}",
                        )
                    )
                else:  # cannot happen through the core: only `ship` leaves awaiting_shipment
                    verdicts.append(
                        BadRow(row.line, "order_id", f"order {order_id!r} is {order.status}")
                    )
                continue
            clock = current.state.clock
            if clock is not None and shipment.shipped_at < clock:
                verdicts.append(
                    BadRow(
                        row.line,
                        "shipped_at",
                        f"{format_instant(shipment.shipped_at)} is before the order's last "
                        f"recorded instant {format_instant(clock)}",
                    )
                )
                continue
            command = Command(
                shipment.shipped_at,
                Actor.SELLER.value,
                Action.SHIP.value,
                {"carrier": shipment.carrier, "tracking_number": shipment.tracking_number},
            )
            state, entries = handle(current.state, command, current.policy)
            refused = next((e for e in entries if e.error is not None), None)
            if refused is not None:
                message = refused.message or str(refused.error)
                field, _, rest = message.partition(": ")
                if field not in SHIPMENT_COLUMNS:
                    field, rest = "order_id", f"{refused.error}: {message}"
                verdicts.append(BadRow(row.line, field, rest))
                continue
            events = [e.event for e in entries if e.event is not None]
            changes.append(repository.Change(current, state, events))
            verdicts.append(Verdict.NEW)
            if prior is not None:
                prior[order_id] = row
        return verdicts, changes


def _unpack(line: int, packed: tuple[Any, ...]) -> Row[Shipment]:
    order_id, carrier, tracking_number, at = packed
    shipped_at = parse_instant(at)
    assert shipped_at is not None  # written by `pack`
    return Row(line, Shipment(order_id, carrier, tracking_number, shipped_at))


def _recorded_parcels(conn: Connection, order_ids: list[str]) -> dict[str, tuple[str, str]]:
    """The carrier and tracking number of each order's `ship` event (its first shipment; a
    replacement shipped in a dispute does not count)."""
    if not order_ids:
        return {}
    query = (
        select(t.events.c.order_id, t.events.c.data)
        .where(among(t.events.c.order_id, order_ids, conn.dialect))
        .where(t.events.c.action == Action.SHIP.value)
    )
    return {
        row.order_id: (row.data["carrier"], row.data["tracking_number"])
        for row in conn.execute(query)
    }
