"""Loading an order's rules state from the tables, and saving a new state with its events.

Saving is set-based (one statement per table for a whole batch), so the worker's sweep and a
single command take the same path. Each saved order bumps its `version`; a save whose version no
longer matches raises `VersionConflict` (somebody else changed the order first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, bindparam, insert, select, update

from disputedesk.rules.instants import format_instant
from disputedesk.rules.lifecycle import Event, due, intervention_due_at
from disputedesk.rules.model import Dispute, Order, State
from disputedesk.rules.money import format_money
from disputedesk.rules.policy import Policy, policy_from
from disputedesk.rules.vocabulary import Action, Actor
from disputedesk.store import tables as t

# The core Order's fields that change (the rest is fixed when the order is created).
ORDER_STATE_FIELDS = (
    "status",
    "shipped_at",
    "carrier",
    "tracking_number",
    "delivery_deadline",
    "delivery_extension_days",
    "completed_at",
    "refunded_total",
)
ORDER_ACTIONS = frozenset(
    {
        Action.SHIP,
        Action.EXTEND_DELIVERY,
        Action.CONFIRM_RECEIPT,
        Action.TRACKING,
        Action.ORDER_AUTO_COMPLETED,
    }
)


class VersionConflict(Exception):
    """An order changed under us: the command lost a race."""


@dataclass(slots=True)
class Loaded:
    """An order's state as stored, with what a save needs to know about it."""

    state: State
    policy: Policy
    version: int
    event_seq: int
    stored_disputes: tuple[dict[str, Any], ...]  # each dispute's JSON as stored

    @property
    def order_id(self) -> str:
        return self.state.order.id


@dataclass(slots=True)
class Change:
    """A new state for a loaded order, and the events that led to it (in order). `performed_by`
    and `performed_by_name`: who acted for the command's actor (a store's staff member, the
    buyer, the arbitrator), recorded on its events (never on the automatic steps)."""

    loaded: Loaded
    state: State
    events: Sequence[Event]
    performed_by: str | None = None
    performed_by_name: str | None = None


def order_from_row(row: Any) -> Order:
    return Order(
        id=row.id,
        amount=row.amount,
        shipping=row.shipping,
        currency=row.currency,
        placed_at=row.placed_at,
        promised_delivery_days=row.promised_delivery_days,
        destination_country=row.destination_country,
        category=row.category,
        status=row.status,
        shipped_at=row.shipped_at,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        delivery_deadline=row.delivery_deadline,
        delivery_extension_days=row.delivery_extension_days,
        completed_at=row.completed_at,
        refunded_total=row.refunded_total,
    )


# The orders columns a Loaded needs: the core's Order, its clock, and what a save checks. The
# rest of the row (items, address, timestamps, due step) is never read back into the core.
STATE_COLUMNS = (
    "id",
    "amount",
    "shipping",
    "currency",
    "placed_at",
    "promised_delivery_days",
    "destination_country",
    "category",
    *ORDER_STATE_FIELDS,
    "clock",
    "policy",
    "version",
    "event_seq",
)


def state_select() -> Select[Any]:
    """SELECT the orders' state columns; callers add the WHERE (and the lock they need)."""
    return select(*(t.orders.c[name] for name in STATE_COLUMNS))


# Statements built once: a command runs them for a single order per transaction, where building
# a statement (and expanding an IN list) each time cost more than the database's work.
_ORDER_BY_ID = state_select().where(t.orders.c.id == bindparam("order_id"))
_ORDER_BY_ID_FOR_UPDATE = _ORDER_BY_ID.with_for_update()
_DISPUTES_OF_ORDER = (
    select(t.disputes.c.state)
    .where(t.disputes.c.order_id == bindparam("order_id"))
    .order_by(t.disputes.c.seq)
)
_UPDATE_ORDER = (
    update(t.orders)
    .where(t.orders.c.id == bindparam("b_id"))
    .where(t.orders.c.version == bindparam("b_version"))
    .values(version=t.orders.c.version + 1)
)
_UPDATE_DISPUTE = (
    update(t.disputes)
    .where(t.disputes.c.order_id == bindparam("b_order_id"))
    .where(t.disputes.c.seq == bindparam("b_seq"))
)
_INSERTS = {
    table.name: insert(table) for table in (t.disputes, t.events, t.outbox, t.plans, t.evidence)
}


def _loaded(row: Any, stored: tuple[dict[str, Any], ...]) -> Loaded:
    state = State(
        order=order_from_row(row),
        disputes=tuple(Dispute.from_json(d) for d in stored),
        clock=row.clock,
    )
    return Loaded(state, policy_from(row.policy), row.version, row.event_seq, stored)


def loaded_from_rows(conn: Connection, order_rows: Sequence[Any]) -> dict[str, Loaded]:
    """Each order row (from `state_select`) with its disputes, as a Loaded, in the rows' order."""
    if not order_rows:
        return {}
    ids = [row.id for row in order_rows]
    disputes: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(
        select(t.disputes.c.order_id, t.disputes.c.state)
        .where(t.disputes.c.order_id.in_(ids))
        .order_by(t.disputes.c.order_id, t.disputes.c.seq)
    ):
        disputes.setdefault(row.order_id, []).append(row.state)
    return {row.id: _loaded(row, tuple(disputes.get(row.id, ()))) for row in order_rows}


def loaded_from_row(conn: Connection, order_row: Any) -> Loaded:
    """One order row (from `state_select`) with its disputes, as a Loaded (by a statement built
    once: the path of a single order, as an API read)."""
    return _loaded(order_row, tuple(conn.scalars(_DISPUTES_OF_ORDER, {"order_id": order_row.id})))


def load_many(
    conn: Connection, order_ids: Iterable[str], *, lock: bool = False
) -> dict[str, Loaded]:
    """The stored state of each order (missing ones are left out). `lock` takes row locks on
    PostgreSQL (`FOR UPDATE`); on SQLite the write transaction already holds the lock."""
    ids = list(order_ids)
    if not ids:
        return {}
    query = state_select().where(t.orders.c.id.in_(ids))
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return loaded_from_rows(conn, conn.execute(query).all())


def load(conn: Connection, order_id: str, *, lock: bool = False) -> Loaded | None:
    """One order's stored state (None when there is no such order); `lock` as in `load_many`."""
    locking = lock and conn.dialect.name == "postgresql"
    row = conn.execute(
        _ORDER_BY_ID_FOR_UPDATE if locking else _ORDER_BY_ID, {"order_id": order_id}
    ).first()
    if row is None:
        return None
    return loaded_from_row(conn, row)


def dispute_columns(dispute: Dispute, policy: Policy) -> dict[str, Any]:
    return {
        "reason": dispute.reason,
        "status": str(dispute.status),
        "resolution": dispute.resolution,
        "refund_amount": dispute.refund_amount,
        "responsibility": dispute.responsibility,
        "escalation": dispute.escalation,
        "opened_at": dispute.opened_at,
        "escalated_at": dispute.escalated_at,
        "intervention_due_at": intervention_due_at(dispute, policy),
        "closed_at": dispute.closed_at,
    }


def event_json(order_id: str, seq: int, event: Event) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "seq": seq,
        "at": format_instant(event.at),
        "actor": event.actor,
        "action": event.action,
        "data": dict(event.data),
    }


def save(conn: Connection, changes: Sequence[Change], now: datetime) -> None:
    """Write each change: the order's state and next due step (version-checked), its disputes,
    its events, their outbox rows, and the plan and evidence records the events carry."""
    order_rows: list[dict[str, Any]] = []
    dispute_inserts: list[dict[str, Any]] = []
    dispute_updates: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    outbox_rows: list[dict[str, Any]] = []
    plan_rows: list[dict[str, Any]] = []
    evidence_rows: list[dict[str, Any]] = []
    for change in changes:
        loaded, state = change.loaded, change.state
        order, order_id = state.order, loaded.order_id
        step = due(state, loaded.policy)
        seq = loaded.event_seq
        order_rows.append(
            {
                "b_id": order_id,
                "b_version": loaded.version,
                **{f: getattr(order, f) for f in ORDER_STATE_FIELDS},
                "status": str(order.status),
                "clock": state.clock,
                "due_at": step.at if step else None,
                "due_action": step.action if step else None,
                "event_seq": seq + len(change.events),
                "updated_at": now,
            }
        )
        for index, dispute in enumerate(state.disputes):
            dumped = dispute.to_json()
            if index < len(loaded.stored_disputes) and loaded.stored_disputes[index] == dumped:
                continue
            row = {**dispute_columns(dispute, loaded.policy), "state": dumped}
            if index < len(loaded.stored_disputes):
                dispute_updates.append({"b_order_id": order_id, "b_seq": index + 1, **row})
            else:
                dispute_inserts.append({"order_id": order_id, "seq": index + 1, **row})
        dispute_seq = len(state.disputes)
        for event in change.events:
            seq += 1
            payload = event_json(order_id, seq, event)
            acted = event.actor != Actor.SYSTEM
            event_rows.append(
                {
                    "order_id": order_id,
                    "seq": seq,
                    "at": event.at,
                    "actor": event.actor,
                    "action": event.action,
                    "data": dict(event.data),
                    "recorded_at": now,
                    "performed_by": change.performed_by if acted else None,
                    "performed_by_name": change.performed_by_name if acted else None,
                }
            )
            topic_kind = "order" if event.action in ORDER_ACTIONS else "dispute"
            outbox_rows.append(
                {
                    "order_id": order_id,
                    "event_seq": seq,
                    "topic": f"{topic_kind}.{event.action}",
                    "payload": {
                        "event": payload,
                        "order_status": str(order.status),
                        "refunded_total": format_money(order.refunded_total),
                    },
                    "created_at": now,
                    "available_at": now,
                    "attempts": 0,
                }
            )
            _records(event, order_id, dispute_seq, seq, plan_rows, evidence_rows)
    if order_rows:
        result = conn.execute(_UPDATE_ORDER, order_rows)
        if result.rowcount != len(order_rows):
            raise VersionConflict(f"{len(order_rows) - result.rowcount} order(s) changed meanwhile")
    if dispute_updates:
        conn.execute(_UPDATE_DISPUTE, dispute_updates)
    for table, rows in (
        (t.disputes, dispute_inserts),
        (t.events, event_rows),
        (t.outbox, outbox_rows),
        (t.plans, plan_rows),
        (t.evidence, evidence_rows),
    ):
        if rows:
            conn.execute(_INSERTS[table.name], rows)


def _records(
    event: Event,
    order_id: str,
    dispute_seq: int,
    seq: int,
    plan_rows: list[dict[str, Any]],
    evidence_rows: list[dict[str, Any]],
) -> None:
    """The plan and evidence records an event carries (the dispute is the order's last)."""
    if event.action in (Action.OPEN_DISPUTE, Action.MODIFY_DISPUTE, Action.PROPOSE):
        plan = event.data["plan"]
        amount = plan.get("amount")
        plan_rows.append(
            {
                "order_id": order_id,
                "dispute_seq": dispute_seq,
                "side": "seller" if event.action == Action.PROPOSE else "buyer",
                "type": plan["type"],
                "amount": Decimal(amount) if amount is not None else None,
                "proposed_at": event.at,
                "event_seq": seq,
            }
        )
    elif event.action == Action.SUBMIT_EVIDENCE:
        evidence_rows.append(
            {
                "order_id": order_id,
                "dispute_seq": dispute_seq,
                "actor": event.actor,
                "kind": event.data["kind"],
                "description": event.data["description"],
                "submitted_at": event.at,
                "event_seq": seq,
                **_attachment_columns(event.data.get("attachment")),
            }
        )


def _attachment_columns(attachment: Any) -> dict[str, Any]:
    """The evidence row's file or link columns, from the event's attachment (if any)."""
    if not isinstance(attachment, dict):
        return {
            "file_sha256": None,
            "file_name": None,
            "content_type": None,
            "size": None,
            "link": None,
        }
    return {
        "file_sha256": attachment.get("sha256"),
        "file_name": attachment.get("name"),
        "content_type": attachment.get("content_type"),
        "size": attachment.get("size"),
        "link": attachment.get("link"),
    }
