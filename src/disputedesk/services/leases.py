"""A delivery claimed under a lease, for the outboxes that send to the outside (webhooks, email
and notifications' webhooks): one row at a time, first one whose worker's lease ran out (it
died mid-send), else the oldest pending one due; the claim's token is its attempt number, so
only the claim's owner writes its outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, Table, func, select, update


def database_clock(conn: Connection) -> datetime:
    """The leases' clock: PostgreSQL's, or this machine's for SQLite (a local file). Never the
    caller's `now`, which may run ahead (`disputedesk worker --now`)."""
    if conn.dialect.name == "postgresql":
        clock: datetime = conn.scalar(select(func.now()))
        return clock
    return datetime.now(UTC)


def claim_one(
    conn: Connection, deliveries: Table, columns: Select[Any], now: datetime, lease: timedelta
) -> tuple[Any, int] | None:
    """In the caller's transaction: the row of `columns` (which selects `deliveries`' `id` and
    `attempts`) of the delivery claimed, and its token; None when nothing is due. FOR UPDATE
    SKIP LOCKED on PostgreSQL; SQLite's write lock otherwise."""
    d = deliveries
    clock = database_clock(conn)
    for status, due_by in (("sending", clock), ("pending", now)):
        query = (
            columns.where(d.c.status == status)
            .where(d.c.next_attempt_at <= due_by)
            .order_by(d.c.next_attempt_at)  # ties in index order: no sort of a backlog
            .limit(1)
        )
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(of=d, skip_locked=True)
        row = conn.execute(query).first()
        if row is not None:
            token = row.attempts + 1
            conn.execute(
                update(d)
                .where(d.c.id == row.id)
                .values(status="sending", attempts=token, next_attempt_at=clock + lease)
            )
            return row, token
    return None
