"""Arbitrators' claims on cases: one arbitrator works an escalated dispute at a time.

An arbitrator claims an open case in arbitration (escalated, awaiting the seller's evidence,
under review); while it is claimed, no other arbitrator may intervene or rule on it (`conflict`,
"claimed by ..."). Intervening on an unclaimed case claims it; a ruling releases it, and so does
its holder (or an operator). A claim on a dispute that has since closed holds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, delete, insert, select, tuple_
from sqlalchemy.exc import IntegrityError

from disputedesk.rules.instants import format_instant
from disputedesk.rules.model import Dispute
from disputedesk.rules.vocabulary import RULING_STATUSES, Action, DisputeStatus
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.store import tables as t
from disputedesk.store.db import Database

# The statuses in which a case is the platform's to work.
CLAIMABLE = frozenset({DisputeStatus.ESCALATED, *RULING_STATUSES})
# The arbitrator's commands a claim reserves for its holder.
GUARDED = frozenset({Action.INTERVENE, Action.RULE})


@dataclass(frozen=True, slots=True)
class Claim:
    """Who holds a case, since when."""

    order_id: str
    seq: int
    user_id: int
    name: str
    email: str
    claimed_at: datetime

    def held_by(self, principal: Principal) -> bool:
        return self.user_id == principal.user_id

    def message(self) -> str:
        return f"claimed by {self.name} since {format_instant(self.claimed_at)}"

    def to_json(self) -> dict[str, object]:
        return {
            "arbitrator": self.name,
            "claimed_at": format_instant(self.claimed_at),
        }


class Claimed(ServiceError):
    """Another arbitrator holds the case (`conflict`, "claimed by ...")."""

    def __init__(self, name: str, claim: Claim | None) -> None:
        detail = claim.message() if claim is not None else "claimed by another arbitrator"
        super().__init__("conflict", f"dispute {name} is {detail}")
        self.claim = claim


def _claims_query() -> Select[Any]:
    c, u = t.case_claims, t.users
    return select(
        c.c.order_id, c.c.dispute_seq, c.c.user_id, u.c.name, u.c.email, c.c.claimed_at
    ).join(u, u.c.id == c.c.user_id)


def _claim(row: Any) -> Claim:
    return Claim(row.order_id, row.dispute_seq, row.user_id, row.name, row.email, row.claimed_at)


def holder_in(conn: Connection, order_id: str, seq: int) -> Claim | None:
    row = conn.execute(
        _claims_query()
        .where(t.case_claims.c.order_id == order_id)
        .where(t.case_claims.c.dispute_seq == seq)
    ).first()
    return _claim(row) if row is not None else None


def holder(db: Database, order_id: str, seq: int) -> Claim | None:
    """Who holds the case (the dispute number `seq` of the order), if anyone."""
    with db.engine.connect() as conn:
        return holder_in(conn, order_id, seq)


def holders(db: Database, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Claim]:
    """The claims on these cases (order id, dispute number), for a queue."""
    wanted = list(dict.fromkeys(keys))
    found: dict[tuple[str, int], Claim] = {}
    if not wanted:
        return found
    c = t.case_claims
    with db.engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for row in conn.execute(
                _claims_query().where(tuple_(c.c.order_id, c.c.dispute_seq).in_(chunk))
            ):
                found[(row.order_id, row.dispute_seq)] = _claim(row)
    return found


def _check_claimable(principal: Principal, dispute: Dispute, name: str) -> None:
    if principal.role != "arbitrator":
        raise ServiceError("forbidden", f"only an arbitrator claims a case, not a {principal.role}")
    if dispute.status not in CLAIMABLE:
        raise ServiceError(
            "invalid_state", f"dispute {name} is not in arbitration (it is {dispute.status})"
        )


def claim(
    db: Database,
    principal: Principal,
    order_id: str,
    seq: int,
    dispute: Dispute,
    *,
    now: datetime | None = None,
) -> Claim:
    """The arbitrator takes the case: theirs already is fine; someone else's is `conflict`.
    (The caller has checked that the arbitrator may see the dispute.)"""
    name = f"{order_id}-D{seq}"
    _check_claimable(principal, dispute, name)
    try:
        with db.begin() as conn:
            current = holder_in(conn, order_id, seq)
            if current is not None:
                if current.held_by(principal):
                    return current
                raise Claimed(name, current)
            conn.execute(
                insert(t.case_claims).values(
                    order_id=order_id,
                    dispute_seq=seq,
                    user_id=principal.user_id,
                    claimed_at=now or utc_now(),
                )
            )
            claimed = holder_in(conn, order_id, seq)
            assert claimed is not None
            return claimed
    except IntegrityError:  # another arbitrator's claim was committed first
        raise Claimed(name, holder(db, order_id, seq)) from None


def release(db: Database, principal: Principal, order_id: str, seq: int) -> None:
    """The holder (or an operator) lets the case go; releasing an unclaimed case changes
    nothing. Another arbitrator's claim is `conflict`."""
    name = f"{order_id}-D{seq}"
    if principal.role not in ("arbitrator", "admin"):
        raise ServiceError(
            "forbidden", f"only an arbitrator releases a case, not a {principal.role}"
        )
    with db.begin() as conn:
        current = holder_in(conn, order_id, seq)
        if current is None:
            return
        if principal.role != "admin" and not current.held_by(principal):
            raise Claimed(name, current)
        conn.execute(
            delete(t.case_claims)
            .where(t.case_claims.c.order_id == order_id)
            .where(t.case_claims.c.dispute_seq == seq)
        )


def guard(db: Database, principal: Principal, order_id: str, seq: int, action: str) -> None:
    """Before an arbitrator intervenes or rules: `conflict` when another arbitrator holds it."""
    if principal.role != "arbitrator" or action not in GUARDED:
        return
    current = holder(db, order_id, seq)
    if current is not None and not current.held_by(principal):
        raise Claimed(f"{order_id}-D{seq}", current)


def after(
    db: Database,
    principal: Principal,
    order_id: str,
    seq: int,
    action: str,
    *,
    now: datetime | None = None,
) -> None:
    """After an accepted intervene or rule: intervening on an unclaimed case claims it for the
    arbitrator; a ruling releases it."""
    if principal.role != "arbitrator":
        return
    if action == Action.RULE:
        with db.begin() as conn:
            conn.execute(
                delete(t.case_claims)
                .where(t.case_claims.c.order_id == order_id)
                .where(t.case_claims.c.dispute_seq == seq)
            )
    elif action == Action.INTERVENE:
        try:
            with db.begin() as conn:
                if holder_in(conn, order_id, seq) is None:
                    conn.execute(
                        insert(t.case_claims).values(
                            order_id=order_id,
                            dispute_seq=seq,
                            user_id=principal.user_id,
                            claimed_at=now or utc_now(),
                        )
                    )
        except IntegrityError:  # claimed meanwhile by someone: theirs stands
            pass
