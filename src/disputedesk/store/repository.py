"""Loading an order's rules state from the tables, and saving a new state with its events.

Saving is set-based (one statement per table for a whole batch), so the worker's sweep and a
single command take the same path. Each saved order bumps its `version`; a save whose version no
longer matches raises `VersionConflict` (somebody else changed the order first).

Loading and saving run at the driver's level (`store.driver`): an order and its disputes in one
statement, each table's rows in one executemany, and on PostgreSQL every statement of a save in
one round trip (a pipeline).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, bindparam, select

from disputedesk.rules.instants import format_instant
from disputedesk.rules.lifecycle import Event, due, intervention_due_at
from disputedesk.rules.model import Dispute, Order, State
from disputedesk.rules.money import format_money
from disputedesk.rules.policy import Policy, policy_from
from disputedesk.rules.vocabulary import Action, Actor
from disputedesk.store import tables as t
from disputedesk.store.driver import Driver, cursor, driver

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


# Statements built once: an API read runs them for a single order, where building a statement
# each time cost more than the database's work.
_DISPUTES_OF_ORDER = (
    select(t.disputes.c.state)
    .where(t.disputes.c.order_id == bindparam("order_id"))
    .order_by(t.disputes.c.seq)
)


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
    d, sql = _statements(conn)
    query = sql.many_for_update if lock and d.postgres else sql.many
    cur = cursor(conn)
    try:
        cur.execute(query, (d.ids(ids),))
        rows = cur.fetchall()
        return _loaded_many(conn, d, sql, cur, rows)
    finally:
        cur.close()


def load_due(conn: Connection, now: datetime, limit: int) -> dict[str, Loaded]:
    """Claim up to `limit` orders whose next automatic step is due at `now`, earliest first,
    with their disputes: on PostgreSQL locked (`FOR UPDATE SKIP LOCKED`: several workers share
    the load and never take the same order); on SQLite the write transaction holds the lock."""
    d, sql = _statements(conn)
    cur = cursor(conn)
    try:
        cur.execute(sql.due, (d.instant(now), limit))
        rows = cur.fetchall()
        return _loaded_many(conn, d, sql, cur, rows)
    finally:
        cur.close()


def load(conn: Connection, order_id: str, *, lock: bool = False) -> Loaded | None:
    """One order's stored state (None when there is no such order); `lock` as in `load_many`.
    One statement: the order's row joined with its disputes' (one row per dispute)."""
    d, sql = _statements(conn)
    cur = cursor(conn)
    try:
        cur.execute(sql.one_for_update if lock and d.postgres else sql.one, (order_id,))
        rows = cur.fetchall()
    finally:
        cur.close()
    if not rows:
        return None
    to_json = d.json_value
    stored = tuple(to_json(row[-1]) for row in rows if row[-1] is not None)
    return _loaded_values(d, rows[0], stored)


def _loaded_many(
    conn: Connection, d: Driver, sql: _Sql, cur: Any, rows: Sequence[Any]
) -> dict[str, Loaded]:
    """Each order row (of `_STATE`) with its disputes (read here, in one statement)."""
    if not rows:
        return {}
    disputes: dict[str, list[dict[str, Any]]] = {}
    to_json = d.json_value
    cur.execute(sql.disputes_of, (d.ids([row[0] for row in rows]),))
    for order_id, state in cur.fetchall():
        disputes.setdefault(order_id, []).append(to_json(state))
    return {row[0]: _loaded_values(d, row, tuple(disputes.get(row[0], ()))) for row in rows}


def _loaded_values(d: Driver, r: Sequence[Any], stored: tuple[dict[str, Any], ...]) -> Loaded:
    """A Loaded from the driver's values of the `STATE_COLUMNS`, in that order."""
    instant, money = d.instant_value, d.money_value
    order = Order(
        r[0],
        money(r[1]),  # type: ignore[arg-type]
        money(r[2]),  # type: ignore[arg-type]
        r[3],
        instant(r[4]),  # type: ignore[arg-type]
        r[5],
        r[6],
        r[7],
        r[8],
        instant(r[9]),
        r[10],
        r[11],
        instant(r[12]),
        r[13],
        instant(r[14]),
        money(r[15]),  # type: ignore[arg-type]
    )
    state = State(order, tuple(Dispute.from_json(s) for s in stored), instant(r[16]))
    return Loaded(state, policy_from(r[17]), r[18], r[19], stored)


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
    d, sql = _statements(conn)
    instant, money, to_json = d.instant, d.money, d.json
    stamp = instant(now)
    order_rows: list[tuple[Any, ...]] = []
    dispute_inserts: list[tuple[Any, ...]] = []
    dispute_updates: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    outbox_rows: list[tuple[Any, ...]] = []
    plan_rows: list[tuple[Any, ...]] = []
    evidence_rows: list[tuple[Any, ...]] = []
    for change in changes:
        loaded, state = change.loaded, change.state
        order, order_id, policy = state.order, loaded.order_id, loaded.policy
        step = due(state, policy)
        seq = loaded.event_seq
        order_rows.append(
            (
                str(order.status),
                instant(order.shipped_at),
                order.carrier,
                order.tracking_number,
                instant(order.delivery_deadline),
                order.delivery_extension_days,
                instant(order.completed_at),
                money(order.refunded_total),
                instant(state.clock),
                instant(step.at) if step else None,
                str(step.action) if step else None,
                seq + len(change.events),
                stamp,
                order_id,
                loaded.version,
            )
        )
        stored = loaded.stored_disputes
        for index, dispute in enumerate(state.disputes):
            dumped = dispute.to_json()
            if index < len(stored) and stored[index] == dumped:
                continue  # unchanged: not written
            columns = (
                dispute.reason,
                str(dispute.status),
                dispute.resolution,
                money(dispute.refund_amount),
                dispute.responsibility,
                dispute.escalation,
                instant(dispute.opened_at),
                instant(dispute.escalated_at),
                instant(intervention_due_at(dispute, policy)),
                instant(dispute.closed_at),
                to_json(dumped),
            )
            if index < len(stored):
                dispute_updates.append((*columns, order_id, index + 1))
            else:
                dispute_inserts.append((order_id, index + 1, *columns))
        dispute_seq = len(state.disputes)
        status, refunded = str(order.status), format_money(order.refunded_total)
        for event in change.events:
            seq += 1
            acted = event.actor != Actor.SYSTEM
            data = dict(event.data)
            at = instant(event.at)
            event_rows.append(
                (
                    order_id,
                    seq,
                    at,
                    str(event.actor),
                    str(event.action),
                    to_json(data),
                    stamp,
                    change.performed_by if acted else None,
                    change.performed_by_name if acted else None,
                )
            )
            topic_kind = "order" if event.action in ORDER_ACTIONS else "dispute"
            payload = {
                "event": event_json(order_id, seq, event),
                "order_status": status,
                "refunded_total": refunded,
            }
            outbox_rows.append(
                (order_id, seq, f"{topic_kind}.{event.action}", to_json(payload), stamp, stamp, 0)
            )
            _records(d, event, order_id, dispute_seq, seq, at, plan_rows, evidence_rows)
    if not order_rows:
        return
    writes = [
        (sql.update_dispute, dispute_updates),
        (sql.insert_dispute, dispute_inserts),
        (sql.insert_event, event_rows),
        (sql.insert_outbox, outbox_rows),
        (sql.insert_plan, plan_rows),
        (sql.insert_evidence, evidence_rows),
    ]
    cur = cursor(conn)
    try:
        if d.postgres:
            _write_pipelined(conn, cur, sql.update_order, order_rows, writes)
            return
        cur.executemany(sql.update_order, order_rows)
        if cur.rowcount != len(order_rows):
            raise VersionConflict(f"{len(order_rows) - cur.rowcount} order(s) changed meanwhile")
        for statement, rows in writes:
            if rows:
                cur.executemany(statement, rows)
    finally:
        cur.close()


def _write_pipelined(
    conn: Connection,
    cur: Any,
    update_order: str,
    order_rows: list[tuple[Any, ...]],
    writes: list[tuple[str, list[tuple[Any, ...]]]],
) -> None:
    """PostgreSQL: every statement of a save in one round trip. When the version check finds
    an order changed meanwhile, what follows it may fail too (its events' seqs are taken): the
    save is a `VersionConflict` either way, and the transaction is rolled back."""
    driver_conn = conn.connection.driver_connection
    assert driver_conn is not None
    cursors = []
    try:
        with driver_conn.pipeline():  # type: ignore[attr-defined]
            cur.executemany(update_order, order_rows)
            for statement, rows in writes:
                if rows:
                    other = driver_conn.cursor()
                    cursors.append(other)
                    other.executemany(statement, rows)
    except Exception:
        if cur.rowcount != len(order_rows):
            raise VersionConflict(
                f"{len(order_rows) - max(cur.rowcount, 0)} order(s) changed meanwhile"
            ) from None
        raise
    finally:
        for other in cursors:
            other.close()
    if cur.rowcount != len(order_rows):
        raise VersionConflict(f"{len(order_rows) - cur.rowcount} order(s) changed meanwhile")


def _records(
    d: Driver,
    event: Event,
    order_id: str,
    dispute_seq: int,
    seq: int,
    at: Any,
    plan_rows: list[tuple[Any, ...]],
    evidence_rows: list[tuple[Any, ...]],
) -> None:
    """The plan and evidence records an event carries (the dispute is the order's last); `at`
    is the event's instant as bound."""
    if event.action in (Action.OPEN_DISPUTE, Action.MODIFY_DISPUTE, Action.PROPOSE):
        plan = event.data["plan"]
        amount = plan.get("amount")
        plan_rows.append(
            (
                order_id,
                dispute_seq,
                "seller" if event.action == Action.PROPOSE else "buyer",
                plan["type"],
                d.money(Decimal(amount)) if amount is not None else None,
                at,
                seq,
            )
        )
    elif event.action == Action.SUBMIT_EVIDENCE:
        evidence_rows.append(
            (
                order_id,
                dispute_seq,
                str(event.actor),
                event.data["kind"],
                event.data["description"],
                at,
                seq,
                *_attachment_columns(event.data.get("attachment")).values(),
            )
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


# -- the statements, as each driver runs them ----------------------------------------------------

_EVIDENCE_FILE_COLUMNS = tuple(_attachment_columns(None))
_DISPUTE_COLUMNS = (
    "reason",
    "status",
    "resolution",
    "refund_amount",
    "responsibility",
    "escalation",
    "opened_at",
    "escalated_at",
    "intervention_due_at",
    "closed_at",
    "state",
)
_ORDER_UPDATE_COLUMNS = (*ORDER_STATE_FIELDS, "clock", "due_at", "due_action", "event_seq")
_ORDER_UPDATE_COLUMNS += ("updated_at",)
# The state columns open with the core Order's fields, in its order (`_loaded_values`).
assert tuple(f.name for f in fields(Order)) == STATE_COLUMNS[: len(fields(Order))]


@dataclass(frozen=True, slots=True)
class _Sql:
    one: str
    one_for_update: str
    many: str
    many_for_update: str
    due: str
    disputes_of: str
    update_order: str
    update_dispute: str
    insert_dispute: str
    insert_event: str
    insert_outbox: str
    insert_plan: str
    insert_evidence: str


_SQL: dict[str, _Sql] = {}


def _statements(conn: Connection) -> tuple[Driver, _Sql]:
    d = driver(conn)
    sql = _SQL.get(conn.dialect.name)
    if sql is None:
        sql = _SQL[conn.dialect.name] = _build(d)
    return d, sql


def _build(d: Driver) -> _Sql:
    orders, disputes, m = d.table(t.orders), d.table(t.disputes), d.mark
    state = d.columns(STATE_COLUMNS)
    one = (
        f"SELECT {d.columns(STATE_COLUMNS, 'o.')}, d.state FROM {orders} o "
        f"LEFT JOIN {disputes} d ON d.order_id = o.id WHERE o.id = {m} ORDER BY d.seq"
    )
    many = f"SELECT {state} FROM {orders} WHERE {d.any_of('id')}"
    due_sql = f"SELECT {state} FROM {orders} WHERE due_at <= {m} ORDER BY due_at LIMIT {m}"
    if d.postgres:
        due_sql += " FOR UPDATE SKIP LOCKED"
    return _Sql(
        one=one,
        one_for_update=f"{one} FOR UPDATE OF o",
        many=many,
        many_for_update=f"{many} FOR UPDATE",
        due=due_sql,
        disputes_of=(
            f"SELECT order_id, state FROM {disputes} WHERE {d.any_of('order_id')} "
            "ORDER BY order_id, seq"
        ),
        update_order=d.update(
            t.orders, _ORDER_UPDATE_COLUMNS, ("id", "version"), "version = version + 1"
        ),
        update_dispute=d.update(t.disputes, _DISPUTE_COLUMNS, ("order_id", "seq")),
        insert_dispute=d.insert(t.disputes, ("order_id", "seq", *_DISPUTE_COLUMNS)),
        insert_event=d.insert(
            t.events,
            (
                "order_id",
                "seq",
                "at",
                "actor",
                "action",
                "data",
                "recorded_at",
                "performed_by",
                "performed_by_name",
            ),
        ),
        insert_outbox=d.insert(
            t.outbox,
            ("order_id", "event_seq", "topic", "payload", "created_at", "available_at", "attempts"),
        ),
        insert_plan=d.insert(
            t.plans,
            ("order_id", "dispute_seq", "side", "type", "amount", "proposed_at", "event_seq"),
        ),
        insert_evidence=d.insert(
            t.evidence,
            (
                "order_id",
                "dispute_seq",
                "actor",
                "kind",
                "description",
                "submitted_at",
                "event_seq",
                *_EVIDENCE_FILE_COLUMNS,
            ),
        ),
    )
