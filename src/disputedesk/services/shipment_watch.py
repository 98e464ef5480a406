"""The shipment watch (a worker job): every shipped order's delivery facts against the watch's
rules (`tracking.watch`), as alerts in its store's inbox before the buyer disputes.

A sweep reads shipped orders store by store (the index on orders (store_id, status)) in batches,
with their tracking events (index (order_id, at)) and their alerts (unique (order_id, key)), on a
read connection; it then writes, in one short transaction per batch, the alerts that newly hold
(INSERT ... ON CONFLICT DO NOTHING: an alert is raised once per order and key, also when two
sweeps run at once) and marks resolved the open alerts whose condition ended (and those of orders
no longer shipped). Dismissed alerts stay dismissed; their key is never raised again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Connection, and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from disputedesk.rules.instants import format_instant
from disputedesk.rules.policy import POLICIES, Policy
from disputedesk.services.commands import ServiceError
from disputedesk.services.tracking import FACT_COLUMNS
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.tracking.facts import Shipment, TrackEvent, delivery_facts
from disputedesk.tracking.watch import Alert, WatchOrder, WatchPolicy, alerts_for

log = logging.getLogger("disputedesk.watch")
_DEFAULTS = WatchPolicy()


class WatchSettings(BaseSettings):
    """`DISPUTEDESK_WATCH_*`: how often the worker runs the watch and its thresholds (mappings
    and lists as JSON, e.g. `DISPUTEDESK_WATCH_SILENCE_DAYS_BY_COUNTRY='{"BR": 20}'`)."""

    model_config = SettingsConfigDict(env_prefix="DISPUTEDESK_WATCH_", extra="ignore")

    enabled: bool = True
    interval_seconds: float = Field(default=300.0, ge=0)  # between two watch sweeps
    batch: int = Field(default=500, ge=1, le=5000)
    silence_days: int = Field(default=_DEFAULTS.silence_days, ge=1)
    silence_days_by_country: dict[str, int] = dict(_DEFAULTS.silence_days_by_country)
    silence_days_by_carrier: dict[str, int] = dict(_DEFAULTS.silence_days_by_carrier)
    customs_days: int = Field(default=_DEFAULTS.customs_days, ge=0)
    deadline_days: int = Field(default=_DEFAULTS.deadline_days, ge=0)
    structural_delay_countries: list[str] = sorted(_DEFAULTS.structural_delay_countries)
    structural_days_left: int = Field(default=_DEFAULTS.structural_days_left, ge=0)
    structural_extension_days: int = Field(default=_DEFAULTS.structural_extension_days, ge=1)

    def policy(self) -> WatchPolicy:
        return WatchPolicy(
            silence_days=self.silence_days,
            silence_days_by_country={k.upper(): v for k, v in self.silence_days_by_country.items()},
            silence_days_by_carrier=dict(self.silence_days_by_carrier),
            customs_days=self.customs_days,
            deadline_days=self.deadline_days,
            structural_delay_countries=frozenset(
                c.upper() for c in self.structural_delay_countries
            ),
            structural_days_left=self.structural_days_left,
            structural_extension_days=self.structural_extension_days,
        )


@dataclass(slots=True)
class WatchReport:
    orders: int = 0
    raised: int = 0
    resolved: int = 0
    batches: int = 0


_ORDER_COLUMNS = (
    t.orders.c.id,
    t.orders.c.store_id,
    t.orders.c.status,
    t.orders.c.shipped_at,
    t.orders.c.delivery_deadline,
    t.orders.c.destination_country,
    t.orders.c.carrier,
    t.orders.c.tracking_number,
    t.orders.c.shipping_address,
    t.orders.c.delivery_extension_days,
    t.orders.c.policy,
)
# Everything the facts read of an event (not the feed's raw payload).
_EVENT_COLUMNS = (
    t.tracking_events.c.order_id,
    *(t.tracking_events.c[name] for name in FACT_COLUMNS),
)


def _policy_of(name: str) -> Policy:
    return POLICIES.get(name) or POLICIES["aliexpress"]


def watch_order(row: Any) -> WatchOrder:
    cap = _policy_of(row.policy).max_delivery_extension_days
    return WatchOrder(
        id=row.id,
        status=row.status,
        delivery_deadline=row.delivery_deadline,
        destination_country=row.destination_country,
        carrier=row.carrier,
        extension_days_left=max(0, cap - (row.delivery_extension_days or 0)),
    )


def _events_by_order(conn: Connection, order_ids: Sequence[str]) -> dict[str, list[TrackEvent]]:
    out: dict[str, list[TrackEvent]] = {order_id: [] for order_id in order_ids}
    rows = conn.execute(
        select(*_EVENT_COLUMNS)
        .where(t.tracking_events.c.order_id.in_(list(order_ids)))
        .order_by(t.tracking_events.c.order_id, t.tracking_events.c.id)
    )
    for row in rows:
        out[row.order_id].append(TrackEvent.of(row))
    return out


def evaluate(
    conn: Connection, order_ids: Sequence[str], now: datetime, policy: WatchPolicy
) -> tuple[dict[str, Any], dict[str, list[Alert]]]:
    """The shipped orders among `order_ids` and the alerts that hold for each at `now`."""
    rows = {
        r.id: r
        for r in conn.execute(
            select(*_ORDER_COLUMNS)
            .where(t.orders.c.id.in_(list(order_ids)))
            .where(t.orders.c.status == "shipped")
        )
    }
    events = _events_by_order(conn, list(rows))
    holding: dict[str, list[Alert]] = {}
    for order_id, row in rows.items():
        facts = delivery_facts(events[order_id], Shipment.of(row), now)
        holding[order_id] = alerts_for(facts, watch_order(row), now, policy)
    return rows, holding


def _insert_alerts(conn: Connection, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(t.shipment_alerts)
        .on_conflict_do_nothing(index_elements=["order_id", "key"])
        .returning(t.shipment_alerts.c.id)
    )
    return len(conn.execute(statement, rows).all())


def _sweep_batch(
    db: Database, order_ids: Sequence[str], now: datetime, policy: WatchPolicy
) -> tuple[int, int, int]:
    """One batch: (orders watched, alerts raised, alerts resolved)."""
    with db.engine.connect() as conn:
        rows, holding = evaluate(conn, order_ids, now, policy)
        known: dict[str, dict[str, Any]] = {}
        for alert in conn.execute(
            select(
                t.shipment_alerts.c.id,
                t.shipment_alerts.c.order_id,
                t.shipment_alerts.c.key,
                t.shipment_alerts.c.resolved_at,
            ).where(t.shipment_alerts.c.order_id.in_(list(order_ids)))
        ):
            known.setdefault(alert.order_id, {})[alert.key] = alert
    new: list[dict[str, Any]] = []
    ended: list[int] = []
    for order_id in order_ids:
        stored = known.get(order_id, {})
        row = rows.get(order_id)
        holds = {a.key: a for a in holding.get(order_id, [])}
        for key, alert in holds.items():
            if key not in stored:
                new.append(
                    {
                        "order_id": order_id,
                        "store_id": row.store_id,
                        "kind": alert.kind,
                        "key": key,
                        "data": alert.data(),
                        "raised_at": now,
                    }
                )
        ended.extend(
            a.id for key, a in stored.items() if a.resolved_at is None and key not in holds
        )
    if not new and not ended:
        return len(rows), 0, 0
    with db.begin() as conn:
        raised = _insert_alerts(conn, new)
        resolved = 0
        if ended:
            resolved = conn.execute(
                update(t.shipment_alerts)
                .where(t.shipment_alerts.c.id.in_(ended))
                .where(t.shipment_alerts.c.resolved_at.is_(None))
                .values(resolved_at=now)
            ).rowcount
    return len(rows), raised, resolved


def _resolve_unshipped(db: Database, store_id: str, now: datetime) -> int:
    """Open alerts of the store's orders that are no longer shipped (completed, refunded)."""
    with db.engine.connect() as conn:
        stale = list(
            conn.scalars(
                select(t.shipment_alerts.c.id)
                .join(t.orders, t.orders.c.id == t.shipment_alerts.c.order_id)
                .where(t.shipment_alerts.c.store_id == store_id)
                .where(t.shipment_alerts.c.resolved_at.is_(None))
                .where(t.orders.c.status != "shipped")
            )
        )
    if not stale:
        return 0
    with db.begin() as conn:
        return conn.execute(
            update(t.shipment_alerts)
            .where(t.shipment_alerts.c.id.in_(stale))
            .where(t.shipment_alerts.c.resolved_at.is_(None))
            .values(resolved_at=now)
        ).rowcount


def sweep(
    db: Database, now: datetime, policy: WatchPolicy | None = None, *, batch: int = 500
) -> WatchReport:
    """Watch every shipped order at `now`: raise the alerts that newly hold, resolve those
    whose condition ended."""
    policy = policy or WatchPolicy()
    report = WatchReport()
    with db.engine.connect() as conn:
        stores = list(conn.scalars(select(t.stores.c.id).order_by(t.stores.c.id)))
    for store_id in stores:
        with db.engine.connect() as conn:
            order_ids = list(
                conn.scalars(
                    select(t.orders.c.id)
                    .where(t.orders.c.store_id == store_id)
                    .where(t.orders.c.status == "shipped")
                    .order_by(t.orders.c.id)
                )
            )
        for start in range(0, len(order_ids), batch):
            orders, raised, resolved = _sweep_batch(
                db, order_ids[start : start + batch], now, policy
            )
            report.orders += orders
            report.raised += raised
            report.resolved += resolved
            report.batches += 1
        report.resolved += _resolve_unshipped(db, store_id, now)
    return report


class ScheduledWatch:
    """The watch as the worker runs it: at its first sweep, then once `interval_seconds` have
    passed on the worker's clock (a sweep of every shipped order is cheap, not free)."""

    def __init__(self, db: Database, settings: WatchSettings | None = None) -> None:
        self.db = db
        self.settings = settings or WatchSettings()
        self.policy = self.settings.policy()
        self.last: datetime | None = None

    def due(self, now: datetime) -> bool:
        if not self.settings.enabled:
            return False
        if self.last is None or now < self.last:
            return True
        return (now - self.last).total_seconds() >= self.settings.interval_seconds

    def run(self, now: datetime, *, force: bool = False) -> WatchReport | None:
        """Sweep when due (or `force`); None when it was not."""
        if not (force and self.settings.enabled) and not self.due(now):
            return None
        self.last = now
        report = sweep(self.db, now, self.policy, batch=self.settings.batch)
        if report.raised or report.resolved:
            log.info(
                "watch: %d alerts raised, %d resolved over %d shipped orders",
                report.raised,
                report.resolved,
                report.orders,
            )
        return report

    def run_and_tell(self, now: datetime, *, force: bool = False) -> str | None:
        """`run`, and what changed in words (None when nothing did)."""
        report = self.run(now, force=force)
        if report is None or not (report.raised or report.resolved):
            return None
        return (
            f"watch: {report.raised} alert(s) raised, {report.resolved} resolved "
            f"over {report.orders} shipped order(s)"
        )


# -- what the inbox and the API read -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredAlert:
    id: int
    order_id: str
    store_id: str
    kind: str
    key: str
    data: dict[str, Any]
    raised_at: datetime
    resolved_at: datetime | None
    dismissed_at: datetime | None
    # the order as it is now (an alert about a deadline that was since moved is stale)
    order_status: str | None = None
    order_deadline: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None and self.dismissed_at is None

    @property
    def is_current(self) -> bool:
        """Open, and still about the order as it is: a deadline alert whose deadline was since
        extended, or one of an order no longer shipped, waits for the next sweep to resolve it
        and is not offered again meanwhile (one click must not extend twice)."""
        if not self.is_open or self.order_status not in (None, "shipped"):
            return False
        deadline = self.data.get("figures", {}).get("deadline")
        if self.kind in ("deadline_close", "extend_delivery") and deadline is not None:
            return deadline == format_instant(self.order_deadline)
        return True

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "order_id": self.order_id,
            "store_id": self.store_id,
            "kind": self.kind,
            "key": self.key,
            "figures": self.data.get("figures", {}),
            "action": self.data.get("action"),
            "action_days": self.data.get("action_days"),
            "raised_at": format_instant(self.raised_at),
            "resolved_at": format_instant(self.resolved_at),
            "dismissed_at": format_instant(self.dismissed_at),
            "open": self.is_open,
        }


def _stored(row: Any) -> StoredAlert:
    return StoredAlert(
        id=row.id,
        order_id=row.order_id,
        store_id=row.store_id,
        kind=row.kind,
        key=row.key,
        data=dict(row.data or {}),
        raised_at=row.raised_at,
        resolved_at=row.resolved_at,
        dismissed_at=row.dismissed_at,
        order_status=getattr(row, "order_status", None),
        order_deadline=getattr(row, "order_deadline", None),
    )


def _alerts_query(store_ids: Sequence[str], *, open_only: bool) -> Any:
    a = t.shipment_alerts
    query = (
        select(
            a,
            t.orders.c.status.label("order_status"),
            t.orders.c.delivery_deadline.label("order_deadline"),
        )
        .join(t.orders, t.orders.c.id == a.c.order_id)
        .where(a.c.store_id.in_(list(store_ids)))
    )
    if open_only:
        query = query.where(and_(a.c.resolved_at.is_(None), a.c.dismissed_at.is_(None)))
    return query.order_by(a.c.raised_at.desc(), a.c.id.desc())


def list_alerts(
    db: Database,
    store_ids: Sequence[str],
    *,
    open_only: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> list[StoredAlert]:
    """The stores' alerts, newest first (open ones only, or all)."""
    if not store_ids:
        return []
    with db.engine.connect() as conn:
        rows = conn.execute(
            _alerts_query(store_ids, open_only=open_only).limit(limit).offset(offset)
        )
        return [_stored(r) for r in rows]


def count_open(db: Database, store_ids: Sequence[str]) -> int:
    if not store_ids:
        return 0
    a = t.shipment_alerts
    with db.engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count())
                .select_from(a)
                .where(a.c.store_id.in_(list(store_ids)))
                .where(a.c.resolved_at.is_(None))
                .where(a.c.dismissed_at.is_(None))
            )
            or 0
        )


def dismiss(db: Database, store_ids: Sequence[str], alert_id: int, now: datetime) -> StoredAlert:
    """Staff dismiss an alert of one of their stores (again: no change); `not_found` for any
    other."""
    a = t.shipment_alerts
    with db.begin() as conn:
        conn.execute(
            update(a)
            .where(a.c.id == alert_id)
            .where(a.c.store_id.in_(list(store_ids)))
            .where(a.c.dismissed_at.is_(None))
            .values(dismissed_at=now)
        )
        row = conn.execute(
            _alerts_query(store_ids, open_only=False).where(a.c.id == alert_id)
        ).first()
    if row is None:
        raise ServiceError("not_found", f"alert {alert_id} not found")
    return _stored(row)


def alert_of(db: Database, store_ids: Sequence[str], alert_id: int) -> StoredAlert | None:
    with db.engine.connect() as conn:
        row = conn.execute(
            _alerts_query(store_ids, open_only=False).where(t.shipment_alerts.c.id == alert_id)
        ).first()
    return _stored(row) if row is not None else None
