"""Malicious dispute reports (seed 002: "you can report them directly in the background"): a
store's staff report a dispute with a reason and the evidence that shows it; an operator upholds
or rejects it with a note. An upheld report leaves the dispute out of the store's metrics and
counts against the buyer (a flag operators and arbitrators see)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import storable_message
from disputedesk.store import tables as t
from disputedesk.store.db import Database

STATUSES = ("pending", "upheld", "rejected")
DECISIONS = ("upheld", "rejected")
MAX_REASON = 5000


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    dispute: str
    order_id: str
    dispute_seq: int
    store_id: str
    buyer_id: str
    reported_by: str
    reason: str
    evidence: list[Any]
    status: str
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: Any) -> Report:
        return cls(
            row.id,
            f"{row.order_id}-D{row.dispute_seq}",
            row.order_id,
            row.dispute_seq,
            row.store_id,
            row.buyer_id,
            row.reported_by,
            row.reason,
            list(row.evidence or []),
            row.status,
            row.decided_by,
            row.decided_at,
            row.decision_note,
            row.created_at,
        )


def report_dispute(
    db: Database,
    order_id: str,
    dispute_seq: int,
    *,
    reason: str,
    evidence: Iterable[int | str] = (),
    reported_by: str,
    now: datetime | None = None,
) -> Report:
    """The store's report (the caller checked that the reporter is its staff). One report per
    dispute: a second one is `conflict`."""
    if not reason.strip():
        raise ServiceError("invalid_input", "reason: say why the dispute is malicious")
    if len(reason) > MAX_REASON:
        raise ServiceError("invalid_input", f"reason: at most {MAX_REASON} characters")
    evidence = list(evidence)
    problem = storable_message({"reason": reason, "evidence": evidence})
    if problem:
        raise ServiceError("invalid_input", problem)
    try:
        with db.begin() as conn:
            row = conn.execute(
                select(t.orders.c.store_id, t.orders.c.buyer_id)
                .join(t.disputes, t.disputes.c.order_id == t.orders.c.id)
                .where(t.disputes.c.order_id == order_id)
                .where(t.disputes.c.seq == dispute_seq)
            ).first()
            if row is None:
                raise ServiceError("not_found", f"dispute {order_id}-D{dispute_seq} not found")
            known = _evidence_ids(conn, order_id, dispute_seq)
            for item in evidence:
                if isinstance(item, int) and item not in known:
                    raise ServiceError(
                        "invalid_input", f"evidence: {item} is not evidence of this dispute"
                    )
            report_id = conn.execute(
                insert(t.malicious_reports)
                .values(
                    order_id=order_id,
                    dispute_seq=dispute_seq,
                    store_id=row.store_id,
                    buyer_id=row.buyer_id,
                    reported_by=reported_by,
                    reason=reason.strip(),
                    evidence=evidence,
                    status="pending",
                    created_at=now or utc_now(),
                )
                .returning(t.malicious_reports.c.id)
            ).scalar_one()
    except IntegrityError:
        raise ServiceError(
            "conflict", f"dispute {order_id}-D{dispute_seq} was already reported"
        ) from None
    return get_report(db, int(report_id))


def _evidence_ids(conn: Connection, order_id: str, dispute_seq: int) -> set[int]:
    return set(
        conn.scalars(
            select(t.evidence.c.id)
            .where(t.evidence.c.order_id == order_id)
            .where(t.evidence.c.dispute_seq == dispute_seq)
        )
    )


def get_report(db: Database, report_id: int) -> Report:
    with db.engine.connect() as conn:
        row = conn.execute(
            select(t.malicious_reports).where(t.malicious_reports.c.id == report_id)
        ).first()
    if row is None:
        raise ServiceError("not_found", f"report {report_id} not found")
    return Report.of(row)


def decide(
    db: Database,
    report_id: int,
    *,
    decision: str,
    note: str,
    decided_by: str,
    now: datetime | None = None,
) -> Report:
    """The operator's decision on a pending report, with a note (required)."""
    if decision not in DECISIONS:
        raise ServiceError("invalid_input", f"decision: {decision!r} is not upheld or rejected")
    if not note.strip() or len(note) > MAX_REASON:
        raise ServiceError("invalid_input", f"note: 1 to {MAX_REASON} characters")
    problem = storable_message({"note": note})
    if problem:
        raise ServiceError("invalid_input", problem)
    m = t.malicious_reports
    with db.begin() as conn:
        status = conn.scalar(select(m.c.status).where(m.c.id == report_id))
        if status is None:
            raise ServiceError("not_found", f"report {report_id} not found")
        changed = conn.execute(
            update(m)
            .where(m.c.id == report_id)
            .where(m.c.status == "pending")
            .values(
                status=decision,
                decided_by=decided_by,
                decided_at=now or utc_now(),
                decision_note=note.strip(),
            )
        ).rowcount
        if not changed:
            raise ServiceError("invalid_state", f"report {report_id} was already decided")
    return get_report(db, report_id)


def reports(
    db: Database, *, status: str | None = None, store_id: str | None = None, limit: int = 200
) -> list[Report]:
    m = t.malicious_reports
    query = select(m).order_by(m.c.created_at.desc(), m.c.id.desc()).limit(limit)
    if status is not None:
        query = query.where(m.c.status == status)
    if store_id is not None:
        query = query.where(m.c.store_id == store_id)
    with db.engine.connect() as conn:
        return [Report.of(row) for row in conn.execute(query)]


def buyer_flags(conn: Connection, buyer_ids: Iterable[str]) -> dict[str, int]:
    """How many of each buyer's disputes were upheld as malicious (buyers with none left out)."""
    ids = list(set(buyer_ids))
    if not ids:
        return {}
    m = t.malicious_reports
    return {
        row.buyer_id: row.n
        for row in conn.execute(
            select(m.c.buyer_id, func.count().label("n"))
            .where(m.c.status == "upheld")
            .where(m.c.buyer_id.in_(ids))
            .group_by(m.c.buyer_id)
        )
    }


def buyer_flags_of_orders(db: Database, order_ids: Iterable[str]) -> dict[str, int]:
    """For each order, how many disputes of its buyer were upheld as malicious (the buyer flag
    on the arbitrators' queue and case page; orders whose buyer has none are left out)."""
    ids = list(set(order_ids))
    if not ids:
        return {}
    found: dict[str, str] = {}
    with db.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            found.update(
                conn.execute(
                    select(t.orders.c.id, t.orders.c.buyer_id).where(
                        t.orders.c.id.in_(ids[start : start + 500])
                    )
                ).all()
            )
        flags = buyer_flags(conn, found.values())
    return {order: flags[buyer] for order, buyer in found.items() if buyer in flags}


def flag_for(db: Database, viewer_role: str | None, order_id: str) -> int:
    """The buyer flag on a case page: upheld reports against the order's buyer, for the
    platform's people (arbitrators, operators) only; 0 for anyone else."""
    if viewer_role not in ("arbitrator", "admin"):
        return 0
    return buyer_flags_of_orders(db, [order_id]).get(order_id, 0)
