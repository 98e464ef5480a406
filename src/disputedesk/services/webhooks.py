"""Outgoing webhooks from the outbox: fan out each new outbox row to its store's subscriptions,
then deliver due deliveries, signed, retrying with exponential backoff for a day.

Signature header: `X-Disputedesk-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256(secret, "<t>.<raw body>"). Every attempt is logged (`webhook_attempts`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from disputedesk.store import tables as t
from disputedesk.store.db import Database

RETRY_FOR = timedelta(days=1)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY_GAP = timedelta(hours=2)
SIGNATURE_HEADER = "X-Disputedesk-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """For receivers (and tests): the signature is right and recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling, at most 2 h between attempts."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), MAX_RETRY_GAP)


@dataclass(slots=True)
class DeliveryReport:
    fanned_out: int = 0
    attempted: int = 0
    delivered: int = 0
    failed: int = 0


def fan_out(db: Database, now: datetime, *, batch: int = 1000) -> int:
    """Turn undispatched outbox rows into one delivery per active subscription of the order's
    store, and mark the rows dispatched (`delivered_at`), in one transaction per batch."""
    total = 0
    while True:
        with db.begin() as conn:
            query = (
                select(t.outbox.c.id, t.orders.c.store_id)
                .join(t.orders, t.orders.c.id == t.outbox.c.order_id)
                .where(t.outbox.c.delivered_at.is_(None))
                .order_by(t.outbox.c.id)
                .limit(batch)
            )
            if db.is_postgres:
                query = query.with_for_update(of=t.outbox, skip_locked=True)
            rows = conn.execute(query).all()
            if not rows:
                return total
            stores = {r.store_id for r in rows}
            subs: dict[str, list[int]] = {}
            for s in conn.execute(
                select(t.webhook_subscriptions.c.id, t.webhook_subscriptions.c.store_id)
                .where(t.webhook_subscriptions.c.store_id.in_(stores))
                .where(t.webhook_subscriptions.c.active.is_(True))
            ):
                subs.setdefault(s.store_id, []).append(s.id)
            deliveries = [
                {
                    "subscription_id": sub,
                    "outbox_id": r.id,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for r in rows
                for sub in subs.get(r.store_id, [])
            ]
            if deliveries:
                conn.execute(insert(t.webhook_deliveries), deliveries)
            conn.execute(
                update(t.outbox)
                .where(t.outbox.c.id.in_([r.id for r in rows]))
                .values(delivered_at=now)
            )
            total += len(rows)


Poster = Callable[[str, bytes, dict[str, str]], int]


def http_poster(timeout: float) -> Poster:
    import httpx

    client = httpx.Client(timeout=timeout, follow_redirects=False)

    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        return client.post(url, content=body, headers=headers).status_code

    return post


LEASE = timedelta(minutes=5)


def deliver_due(db: Database, now: datetime, post: Poster, *, batch: int = 100) -> DeliveryReport:
    """Attempt every pending delivery whose time has come; log each attempt. The batch is
    claimed first (its next attempt moved a lease ahead), so no transaction stays open while
    a receiver answers, and a crashed worker's claims come back after the lease."""
    report = DeliveryReport()
    d, s, o = t.webhook_deliveries, t.webhook_subscriptions, t.outbox
    with db.begin() as conn:
        query = (
            select(
                d.c.id,
                d.c.attempts,
                d.c.created_at,
                s.c.url,
                s.c.secret,
                o.c.topic,
                o.c.payload,
                o.c.id.label("outbox_id"),
            )
            .join(s, s.c.id == d.c.subscription_id)
            .join(o, o.c.id == d.c.outbox_id)
            .where(d.c.status == "pending")
            .where(d.c.next_attempt_at <= now)
            .order_by(d.c.next_attempt_at, d.c.id)
            .limit(batch)
        )
        if db.is_postgres:
            query = query.with_for_update(of=d, skip_locked=True)
        due = conn.execute(query).all()
        if due:
            conn.execute(
                update(d).where(d.c.id.in_([r.id for r in due])).values(next_attempt_at=now + LEASE)
            )
    for row in due:
        body = json.dumps(
            {"id": row.outbox_id, "topic": row.topic, **row.payload},
            separators=(",", ":"),
            sort_keys=True,
        ).encode()
        timestamp = int(now.timestamp())
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(row.secret, timestamp, body),
            "X-Disputedesk-Event": row.topic,
            "X-Disputedesk-Delivery": str(row.id),
        }
        started = time.perf_counter()
        status_code: int | None = None
        error: str | None = None
        try:
            status_code = post(row.url, body, headers)
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except Exception as exc:  # the receiver's failure must not stop the worker
            error = f"{type(exc).__name__}: {exc}"[:500]
        duration = int((time.perf_counter() - started) * 1000)
        attempts = row.attempts + 1
        values: dict[str, Any] = {"attempts": attempts}
        report.attempted += 1
        if error is None:
            values.update(status="delivered", delivered_at=now, next_attempt_at=None)
            report.delivered += 1
        elif now + backoff(attempts) > row.created_at + RETRY_FOR:
            values.update(status="failed", next_attempt_at=None)
            report.failed += 1
        else:
            values.update(next_attempt_at=now + backoff(attempts))
        with db.begin() as conn:
            conn.execute(
                insert(t.webhook_attempts).values(
                    delivery_id=row.id,
                    attempted_at=now,
                    status_code=status_code,
                    error=error,
                    duration_ms=duration,
                )
            )
            conn.execute(update(d).where(d.c.id == row.id).values(**values))
    return report


def run_once(db: Database, now: datetime, post: Poster) -> DeliveryReport:
    """Fan out the outbox, then attempt every due delivery (batch after batch)."""
    report = DeliveryReport(fanned_out=fan_out(db, now))
    while True:
        step = deliver_due(db, now, post)
        report.attempted += step.attempted
        report.delivered += step.delivered
        report.failed += step.failed
        if step.attempted == 0:
            return report
