"""The seller center's reads (issue 12): the buyer beside an order, the inbox as a CSV export
(streamed: one batch in memory whatever the count), and the disputes a seller may accept in
bulk (refund only, up to an amount, which the rules core lets them accept now)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, func, select

from disputedesk.rules.lifecycle import allowed_actions, intervention_due_at
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.services.accounts import Principal
from disputedesk.services.desk import DisputeFilters, DisputeLine, countdown_of, dispute_keys
from disputedesk.services.visibility import scoped
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database


@dataclass(frozen=True, slots=True)
class Buyer:
    id: str
    name: str
    country: str | None


def buyer_of(db: Database, buyer_id: str) -> Buyer | None:
    """A buyer's name and country (the order's pages show them to its parties)."""
    with db.engine.connect() as conn:
        row = conn.execute(
            select(t.buyers.c.id, t.buyers.c.name, t.buyers.c.country).where(
                t.buyers.c.id == buyer_id
            )
        ).first()
    return None if row is None else Buyer(row.id, row.name, row.country)


@dataclass(frozen=True, slots=True)
class ExportLine:
    """An inbox row as the CSV export writes it: the line, its buyer and tracking number."""

    line: DisputeLine
    buyer_name: str
    tracking_number: str | None


def _export_lines(conn: Connection, keys: list[Any]) -> list[tuple[ExportLine, repository.Loaded]]:
    """The lines of `keys` (order_id, seq), each with its order as loaded."""
    loaded = repository.load_many(conn, {k.order_id for k in keys})
    facts = {
        r.id: r
        for r in conn.execute(
            select(t.orders.c.id, t.orders.c.store_id, t.orders.c.tracking_number, t.buyers.c.name)
            .join(t.buyers, t.buyers.c.id == t.orders.c.buyer_id)
            .where(t.orders.c.id.in_({k.order_id for k in keys}))
        )
    }
    out = []
    for key in keys:
        one, fact = loaded[key.order_id], facts[key.order_id]
        dispute = one.state.disputes[key.seq - 1]
        current = key.seq == len(one.state.disputes) and dispute.is_open
        line = DisputeLine(
            order_id=key.order_id,
            seq=key.seq,
            dispute=dispute,
            order=one.state.order,
            store_id=fact.store_id,
            countdown=countdown_of(one) if current else None,
            intervention_due_at=intervention_due_at(dispute, one.policy),
            policy=one.policy,
        )
        out.append((ExportLine(line, fact.name, fact.tracking_number), one))
    return out


def _batches(
    db: Database, query: Select[Any], batch: int
) -> Iterator[list[tuple[ExportLine, repository.Loaded]]]:
    """`query`'s disputes (order_id, seq) as lines, `batch` at a time, through one cursor
    (server-side on PostgreSQL)."""
    with db.engine.connect() as conn:
        for keys in conn.execute(query.execution_options(yield_per=batch)).partitions():
            yield _export_lines(conn, list(keys))


def iter_export(
    db: Database, viewer: Principal, filters: DisputeFilters, *, batch: int = 500
) -> Iterator[list[ExportLine]]:
    """Every dispute of the inbox (`dispute_keys`: the viewer's, filtered, in the inbox's
    order), `batch` at a time, read through one cursor (server-side on PostgreSQL): memory
    stays that of one batch whatever the count. Lazy: nothing is read before the first batch
    is asked for."""
    for lines in _batches(db, dispute_keys(viewer, filters), batch):
        yield [line for line, _loaded in lines]


BULK_STATUSES = (DisputeStatus.AWAITING_SELLER_RESPONSE, DisputeStatus.NEGOTIATING)


@dataclass(frozen=True, slots=True)
class BulkCandidate:
    """An open refund-only dispute the seller may accept now, and the order's version then (the
    confirmation sends it back: a case changed since is not accepted unseen)."""

    line: DisputeLine
    version: int
    buyer_name: str

    @property
    def amount(self) -> Decimal | None:
        return self.line.dispute.buyer_plan.amount


def refund_only_candidates(
    db: Database,
    viewer: Principal,
    filters: DisputeFilters,
    *,
    max_amount: Decimal,
    currency: str,
    now: datetime,
    limit: int = 100,
    may_accept: Callable[[DisputeLine], bool] | None = None,
) -> tuple[list[BulkCandidate], bool]:
    """The open disputes (of the viewer's inbox, as filtered) whose buyer asks for a refund only
    of at most `max_amount` in `currency`, which the rules core lets the seller accept now (and
    `may_accept`, when given, lets this staff member accept); at most `limit`, most urgent
    first, and whether there are more."""
    plans, later = t.plans, t.plans.alias("later")
    latest_buyer_plan = (
        select(func.max(later.c.id))
        .where(later.c.order_id == t.disputes.c.order_id)
        .where(later.c.dispute_seq == t.disputes.c.seq)
        .where(later.c.side == "buyer")
        .correlate(t.disputes)
        .scalar_subquery()
    )
    asks_little = (
        select(plans.c.id)
        .where(plans.c.id == latest_buyer_plan)
        .where(plans.c.type == "refund_only")
        .where(plans.c.amount <= max_amount)
        .exists()
    )
    query = (
        dispute_keys(viewer, replace(filters, open_only=True))
        .where(t.disputes.c.status.in_([s.value for s in BULK_STATUSES]))
        .where(t.orders.c.currency == currency)
        .where(asks_little)
    )
    found: list[BulkCandidate] = []
    for lines in _batches(db, query, max(limit, 50)):
        for item, one in lines:
            plan = item.line.dispute.buyer_plan
            if plan.type != "refund_only" or plan.amount is None or plan.amount > max_amount:
                continue
            if item.line.seq != len(one.state.disputes):
                continue
            if "accept" not in allowed_actions(one.state, "seller", now, one.policy):
                continue
            if may_accept is not None and not may_accept(item.line):
                continue
            if len(found) == limit:
                return found, True
            found.append(BulkCandidate(item.line, one.version, item.buyer_name))
    return found, False


def currencies(db: Database, viewer: Principal) -> list[str]:
    """The currencies of the viewer's orders (the bulk accept's amount is in one of them)."""
    with db.engine.connect() as conn:
        found = conn.scalars(scoped(select(t.orders.c.currency).distinct(), viewer)).all()
    return sorted(found)
