"""The demo's platform side for the operator's console (issue 14, items 4 and 5): a second
arbitrator (no sign-in) and who holds which case (the arbitrator who intervened holds it, as
intervening in the desk claims it; one escalated case is claimed, not yet worked), a malicious
dispute report the operator upheld (its buyer has a case with the platform, so the buyer flag
shows on the queue and the case page), and an agent account the operator suspended.

Everything goes through the services; nothing here changes an order's history."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, insert, select

from disputedesk.demo.cast import STORES
from disputedesk.demo.deal import ARBITRATOR_EMAIL
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.services import accounts, malicious, operators
from disputedesk.store import tables as t
from disputedesk.store.db import Database

OPERATOR_EMAIL = "admin@disputedesk.demo"
SECOND_ARBITRATOR = ("kenji.ito@disputedesk.demo", "Kenji Ito")
FORMER_AGENT = ("liu.yang@yiwu-apparel.demo", "Liu Yang")
UPHELD_REASON = (
    "The buyer kept the goods and opened the same not-as-described claim on three of our "
    "orders within a week; the photos are of another seller's product."
)
UPHELD_NOTE = (
    "Upheld: the photos are of a different listing, and the same claim was made on other "
    "orders the same week."
)


def seed_operations(db: Database, at: datetime) -> None:
    """The console's data as of `at` (the demo's now): claims, a second arbitrator, an upheld
    malicious report, a suspended account."""
    operator = accounts.principal_by_email(db, OPERATOR_EMAIL)
    kenji = accounts.create_user(
        db,
        email=SECOND_ARBITRATOR[0],
        name=SECOND_ARBITRATOR[1],
        role="arbitrator",
        now=at - timedelta(days=100),
    )
    marta = accounts.principal_by_email(db, ARBITRATOR_EMAIL)
    _claims(db, at, marta.user_id, kenji.user_id)
    _upheld_report(db, at)
    store = STORES[1]
    former = accounts.create_user(
        db,
        email=FORMER_AGENT[0],
        name=FORMER_AGENT[1],
        role="seller",
        store_id=store.id,
        store_role="agent",
        now=at - timedelta(days=90),
    )
    operators.suspend_user(
        db,
        operator,
        former.user_id,
        reason="Left the company: access closed at the store owner's request.",
        now=at - timedelta(days=3),
    )


def _claims(db: Database, at: datetime, marta: int, kenji: int) -> None:
    """The cases an arbitrator worked (awaiting the seller's evidence, under review) are held
    by Marta, who intervened; the escalated case waiting longest is claimed by Kenji."""
    d = t.disputes
    with db.begin() as conn:
        worked = conn.execute(
            select(d.c.order_id, d.c.seq)
            .where(
                d.c.status.in_([DisputeStatus.AWAITING_SELLER_EVIDENCE, DisputeStatus.UNDER_REVIEW])
            )
            .order_by(d.c.order_id, d.c.seq)
        ).all()
        waiting = conn.execute(
            select(d.c.order_id, d.c.seq, d.c.escalated_at)
            .where(d.c.status == DisputeStatus.ESCALATED)
            .order_by(d.c.intervention_due_at, d.c.order_id)
            .limit(1)
        ).all()
        rows = [
            {"order_id": r.order_id, "dispute_seq": r.seq, "user_id": marta, "claimed_at": at}
            for r in worked
        ] + [
            {
                "order_id": r.order_id,
                "dispute_seq": r.seq,
                "user_id": kenji,
                "claimed_at": min(at, r.escalated_at + timedelta(hours=30)),
            }
            for r in waiting
        ]
        if rows:
            conn.execute(insert(t.case_claims), rows)
    # who intervened, when: the claim dates from the intervention
    e = t.events
    with db.begin() as conn:
        for r in worked:
            when = conn.scalar(
                select(e.c.at)
                .where(e.c.order_id == r.order_id)
                .where(e.c.action == "intervene")
                .order_by(e.c.seq.desc())
                .limit(1)
            )
            if when is not None:
                conn.execute(
                    t.case_claims.update()
                    .where(
                        and_(
                            t.case_claims.c.order_id == r.order_id,
                            t.case_claims.c.dispute_seq == r.seq,
                        )
                    )
                    .values(claimed_at=when)
                )


def _upheld_report(db: Database, at: datetime) -> None:
    """A store's report on a closed dispute of a buyer who now has a case with the platform,
    upheld by the operator: the flag shows next to that buyer on the queue and the case."""
    d, o, m = t.disputes, t.orders, t.malicious_reports
    with db.engine.connect() as conn:
        in_arbitration = conn.execute(
            select(o.c.buyer_id, d.c.order_id)
            .join(o, o.c.id == d.c.order_id)
            .where(
                d.c.status.in_(
                    [
                        DisputeStatus.ESCALATED,
                        DisputeStatus.AWAITING_SELLER_EVIDENCE,
                        DisputeStatus.UNDER_REVIEW,
                    ]
                )
            )
            .order_by(d.c.intervention_due_at, d.c.order_id)
        ).all()
        reported = {(r.order_id, r.dispute_seq) for r in conn.execute(select(m))}
        for buyer_id, case_order in in_arbitration:
            earlier = conn.execute(
                select(d.c.order_id, d.c.seq, d.c.closed_at)
                .join(o, o.c.id == d.c.order_id)
                .where(o.c.buyer_id == buyer_id)
                .where(d.c.order_id != case_order)
                .where(d.c.status == DisputeStatus.CLOSED)
                .where(d.c.reason.like("not_as_described.%"))
                .order_by(d.c.closed_at, d.c.order_id)
            ).all()
            chosen = [r for r in earlier if (r.order_id, r.seq) not in reported]
            if chosen:
                break
        else:
            return
    target = chosen[0]
    with db.engine.connect() as conn:
        evidence = list(
            conn.scalars(
                select(t.evidence.c.id)
                .where(t.evidence.c.order_id == target.order_id)
                .where(t.evidence.c.dispute_seq == target.seq)
                .where(t.evidence.c.actor == "seller")
                .order_by(t.evidence.c.id)
                .limit(2)
            )
        )
        store_id = conn.scalar(select(o.c.store_id).where(o.c.id == target.order_id))
    store = next((s for s in STORES if s.id == store_id), STORES[0])
    reported_at = min(at - timedelta(hours=21), target.closed_at + timedelta(days=1))
    report = malicious.report_dispute(
        db,
        target.order_id,
        target.seq,
        reason=UPHELD_REASON,
        evidence=evidence,
        reported_by=f"owner@{store.domain}",
        now=reported_at,
    )
    malicious.decide(
        db,
        report.id,
        decision="upheld",
        note=UPHELD_NOTE,
        decided_by=OPERATOR_EMAIL,
        now=reported_at + timedelta(hours=20),
    )
