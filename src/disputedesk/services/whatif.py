"""What-if over stored cases: each order rebuilt from the event log as a scenario (its row's
terms and the commands people sent, in order; the automatic steps are the core's to recompute),
then `whatif.compare`. Read-only: one read connection per batch, nothing written anywhere."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from disputedesk.replay import Scenario
from disputedesk.rules.lifecycle import Command
from disputedesk.rules.model import Order
from disputedesk.rules.policy import PolicyError, policy_from
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.whatif import WhatIfReport, compare

BATCH = 1000


def stored_cases(
    db: Database,
    *,
    since: datetime | None = None,
    store_id: str | None = None,
    skipped: list[tuple[str, str]] | None = None,
) -> Iterator[tuple[str, Scenario]]:
    """Every stored order (placed at or after `since`, of `store_id` when given) as a scenario,
    in id order, a batch of orders at a time (memory stays flat over any number of cases)."""
    o, e = t.orders, t.events
    after = ""
    while True:
        query = (
            select(
                o.c.id,
                o.c.amount,
                o.c.shipping,
                o.c.currency,
                o.c.placed_at,
                o.c.promised_delivery_days,
                o.c.destination_country,
                o.c.category,
                o.c.policy,
            )
            .where(o.c.id > after)
            .order_by(o.c.id)
            .limit(BATCH)
        )
        if since is not None:
            query = query.where(o.c.placed_at >= since)
        if store_id is not None:
            query = query.where(o.c.store_id == store_id)
        with db.engine.connect() as conn:
            rows = conn.execute(query).all()
            if not rows:
                return
            commands: dict[str, list[Command]] = {}
            for event in conn.execute(
                select(e.c.order_id, e.c.at, e.c.actor, e.c.action, e.c.data)
                .where(e.c.order_id.in_([r.id for r in rows]))
                .where(e.c.actor != "system")
                .order_by(e.c.order_id, e.c.seq)
            ):
                commands.setdefault(event.order_id, []).append(
                    Command(event.at, event.actor, event.action, dict(event.data))
                )
        for row in rows:
            try:
                policy = policy_from(row.policy)
            except PolicyError as exc:
                if skipped is not None:
                    skipped.append((row.id, str(exc)))
                continue
            order = Order(
                id=row.id,
                amount=row.amount,
                shipping=row.shipping,
                currency=row.currency,
                placed_at=row.placed_at,
                promised_delivery_days=row.promised_delivery_days,
                destination_country=row.destination_country,
                category=row.category,
            )
            yield row.id, Scenario(policy, order, commands.get(row.id, []))
        after = rows[-1].id


def whatif_stored(
    db: Database,
    overrides: Mapping[str, Any],
    *,
    now: datetime,
    since: datetime | None = None,
    store_id: str | None = None,
) -> WhatIfReport:
    """The stored cases replayed up to `now` as they are and under `overrides`."""
    skipped: list[tuple[str, str]] = []
    report = compare(
        stored_cases(db, since=since, store_id=store_id, skipped=skipped), overrides, until=now
    )
    report.skipped.extend(skipped)
    return report
