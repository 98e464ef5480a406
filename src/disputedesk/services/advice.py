"""The ruling assistant in the product (issue 15, items 3-5): a stored case's advice and evidence
checklist, the ruling that records whether it followed the advice, and how often rulings do.

The advice is `advice.advise` over the same `advice.Case` that `disputedesk advise` builds from a
scenario, here built from the store: the order's state stepped to now (as a replay up to `until`
would), its carrier events as stored (outbound ones for the delivery facts and match, the
return's for principle 8) and its shipping address. `scenario_of` writes a stored case as a
scenario file, and a test holds the two to the same answer.

A ruling (`rule`) is checked against the advice computed when it is sent: it *differs* when the
advice names a principle and the ruling's responsibility, refund amount or return differ from
its recommendation; then the arbitrator's `why_not` is required. When no principle applies there
is nothing to follow: `followed` is false, which is not a deviation, and the principle is null.
The `ruling_advice` row (the advice as `disputedesk advise` prints it, followed or not, why not,
who, when) is written in the ruling's own transaction, so a ruling never lacks it and is never
recorded twice (one row per dispute, unique).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select

from disputedesk.advice import Advice, Case, Requirement, advise, evidence_checklist
from disputedesk.rules.instants import format_instant
from disputedesk.rules.lifecycle import advance, due
from disputedesk.rules.model import State
from disputedesk.rules.money import format_money, parse_money
from disputedesk.rules.policy import Policy
from disputedesk.rules.vocabulary import Action, Actor
from disputedesk.services import commands
from disputedesk.services.commands import CommandResult, ServiceError
from disputedesk.services.desk import dispute_id, tracking_in
from disputedesk.services.inputs import storable_message
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.tracking.facts import Shipment, TrackEvent, delivery_facts
from disputedesk.tracking.taxonomy import TrackingStatus

ADVICE_DOC = (
    "`evidence_checklist` (everyone who sees the dispute): what evidence decides it, one item "
    "per side and need: `side`, `kinds` (any of them will do), `why`, the `principle` it bears "
    "on, `present`, and `due` (that side's next deadline in the open dispute, e.g. the end of "
    "the evidence period; null when none). For arbitrators and operators, `advice`: the ruling "
    "assistant's (RULES.md section 9) as `disputedesk advise` prints it, `principle` (null: "
    "none applies, see `missing`), `responsibility`, `refund_amount`, `return_required`, "
    "`penalty_mark`, `facts`, `missing`; live on an escalated open case, as recorded at the "
    "ruling on a ruled one, else null; and `ruling_advice`: whether the ruling `followed` it, "
    "`why_not`, who ruled and when (null before a ruling)."
)

WHY_NOT_MAX_LENGTH = 5000  # as a note

# What a ruling is compared on (the recommendation's parts a ruling can differ in).
RULING_PARTS = ("responsibility", "refund_amount", "return_required")


# -- a stored case's advice and checklist ------------------------------------------------------


def stepped(state: State, policy: Policy, now: datetime) -> State:
    """The state with the automatic steps due by `now` fired (the worker may not have yet), as
    a replay up to `now` has it."""
    if state.clock is not None and now < state.clock:
        return state
    return advance(state, now, policy)[0]


def advice_of(
    state: State,
    policy: Policy,
    seq: int,
    events: Sequence[TrackEvent],
    shipping_address: Mapping[str, Any] | None,
    now: datetime,
) -> Advice:
    """The advice for dispute number `seq` of the order at `now`, from its stored carrier events
    (every leg: the delivery facts keep the outbound parcel's, principle 8 reads the return's)."""
    state = stepped(state, policy, now)
    order = state.order
    shipment = Shipment(
        shipped_at=order.shipped_at,
        delivery_deadline=order.delivery_deadline,
        shipping_address=shipping_address,
        destination_country=order.destination_country,
        tracking_number=order.tracking_number,
    )
    outbound = delivery_facts(events, shipment, now)
    back = [
        e
        for e in events
        if e.leg == "return" and e.status == TrackingStatus.DELIVERED and e.at is not None
    ]
    return advise(Case(state, state.disputes[seq - 1], outbound, back[-1] if back else None, now))


def due_by(state: State, policy: Policy) -> dict[str, datetime]:
    """Each side's next deadline in its open dispute (the evidence period's end while the
    seller's evidence is awaited): what a checklist item should come by."""
    step = due(state, policy)
    if step is None or step.waiting_on not in (Actor.SELLER, Actor.BUYER):
        return {}
    return {str(step.waiting_on): step.at}


def checklist_of(state: State, policy: Policy, seq: int, now: datetime) -> list[Requirement]:
    """What evidence dispute number `seq` needs from each side, present or missing, and by
    when (the open dispute's; a closed or earlier one has no deadline)."""
    state = stepped(state, policy, now)
    dispute = state.disputes[seq - 1]
    current = seq == len(state.disputes) and dispute.is_open
    return evidence_checklist(state, dispute, due_by(state, policy) if current else {})


def advised(state: State, seq: int) -> bool:
    """Whether dispute number `seq` gets live advice: it is open and was escalated (the
    platform's case). A closed one shows the advice recorded at its ruling, if any."""
    dispute = state.disputes[seq - 1]
    return dispute.is_open and dispute.escalated_at is not None


_ADDRESS = select(t.orders.c.shipping_address)


def advice_in(conn: Connection, loaded: repository.Loaded, seq: int, now: datetime) -> Advice:
    """The advice for a stored dispute at `now`, read on `conn`."""
    order = loaded.state.order
    address = conn.execute(_ADDRESS.where(t.orders.c.id == order.id)).scalar()
    tracking = tracking_in(conn, order, address, now)
    return advice_of(loaded.state, loaded.policy, seq, tracking.events, address, now)


def case_advice(db: Database, order_id: str, now: datetime) -> tuple[Advice, list[Requirement]]:
    """The order's latest dispute's advice and checklist at `now` (`not_found`: no such order,
    or no dispute)."""
    with db.engine.connect() as conn:
        loaded = repository.load(conn, order_id)
        if loaded is None or not loaded.state.disputes:
            raise ServiceError("not_found", f"order {order_id!r} has no dispute")
        seq = len(loaded.state.disputes)
        advice = advice_in(conn, loaded, seq, now)
    return advice, checklist_of(loaded.state, loaded.policy, seq, now)


# -- the advice recorded at a ruling -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordedAdvice:
    """A `ruling_advice` row: the advice as it stood at the ruling, and whether it was followed."""

    order_id: str
    seq: int
    principle: int | None
    advice: Mapping[str, Any]
    followed: bool
    why_not: str | None
    ruled_by: str
    ruled_by_name: str | None
    ruled_at: datetime

    @property
    def dispute_id(self) -> str:
        return dispute_id(self.order_id, self.seq)

    def to_json(self) -> dict[str, Any]:
        return {
            "dispute_id": self.dispute_id,
            "principle": self.principle,
            "followed": self.followed,
            "why_not": self.why_not,
            "ruled_by": self.ruled_by,
            "ruled_by_name": self.ruled_by_name,
            "ruled_at": format_instant(self.ruled_at),
        }


_RECORDED = (
    select(t.ruling_advice, t.users.c.name.label("ruled_by_name"))
    .select_from(t.ruling_advice)
    .outerjoin(t.users, t.users.c.email == t.ruling_advice.c.ruled_by)
)


def _recorded(row: Any) -> RecordedAdvice:
    return RecordedAdvice(
        row.order_id,
        row.dispute_seq,
        row.principle,
        row.advice,
        bool(row.followed),
        row.why_not,
        row.ruled_by,
        row.ruled_by_name,
        row.ruled_at,
    )


def recorded_in(conn: Connection, order_id: str, seq: int) -> RecordedAdvice | None:
    row = conn.execute(
        _RECORDED.where(t.ruling_advice.c.order_id == order_id).where(
            t.ruling_advice.c.dispute_seq == seq
        )
    ).first()
    return None if row is None else _recorded(row)


# -- the API's view --------------------------------------------------------------------------------


def checklist_json(items: Iterable[Requirement]) -> list[dict[str, Any]]:
    return [r.to_json() for r in items]


def advice_json(advice: Advice | Mapping[str, Any] | None) -> dict[str, Any] | None:
    if advice is None:
        return None
    return advice.to_json() if isinstance(advice, Advice) else dict(advice)


def view_parts(
    conn: Connection, loaded: repository.Loaded, seq: int, now: datetime, role: str | None
) -> dict[str, Any]:
    """The dispute view's ruling-assistant keys for a caller: `evidence_checklist` for everyone
    who sees the dispute; for arbitrators and operators also `advice` (live on an escalated
    open case, as recorded at the ruling on a ruled one, else null) and `ruling_advice` (the
    record: followed, why not, who, when; null before a ruling)."""
    state, policy = loaded.state, loaded.policy
    out: dict[str, Any] = {
        "evidence_checklist": checklist_json(checklist_of(state, policy, seq, now))
    }
    if role not in ("arbitrator", "admin"):
        return out
    recorded = recorded_in(conn, loaded.order_id, seq)
    if recorded is not None:
        out["advice"] = advice_json(recorded.advice)
    elif advised(state, seq):
        out["advice"] = advice_json(advice_in(conn, loaded, seq, now))
    else:
        out["advice"] = None
    out["ruling_advice"] = recorded.to_json() if recorded is not None else None
    return out


# -- the ruling, checked against the advice ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Judgement:
    """A ruling against the advice: followed (the recommendation exactly), or which of its
    parts differ. No principle: not followed, and nothing differs (no deviation)."""

    followed: bool
    differs: tuple[str, ...] = ()

    @property
    def deviation(self) -> bool:
        return bool(self.differs)


def judge(
    advice: Advice, refund_amount: str, responsibility: str, return_required: bool
) -> Judgement:
    if advice.principle is None:
        return Judgement(False)
    differs = []
    if responsibility != advice.responsibility:
        differs.append("responsibility")
    amount = parse_money(str(refund_amount).strip())
    recommended = parse_money(advice.refund_amount or "")
    if amount is None or recommended is None or amount != recommended:
        differs.append("refund_amount")
    if bool(return_required) != bool(advice.return_required):
        differs.append("return_required")
    return Judgement(not differs, tuple(differs))


def check_ruling(
    advice: Advice, judged: Judgement, followed_advice: bool | None, why_not: str | None
) -> str | None:
    """What is wrong with a ruling's account of the advice (the API's words), or None: a
    deviation needs `why_not`; `followed_advice`, when sent, must say what the ruling did."""
    if followed_advice is True and not judged.followed:
        if advice.principle is None:
            return (
                "followed_advice: no principle applies to this case: there is no advice to follow"
            )
        return "followed_advice: the ruling differs from the advice in " + ", ".join(judged.differs)
    if followed_advice is False and judged.followed:
        return (
            "followed_advice: the ruling is the advice's recommendation "
            f"(principle {advice.principle}); send true, or rule otherwise"
        )
    if judged.deviation and not (why_not or "").strip():
        recommended = ", ".join(f"{part} {_recommended(advice, part)}" for part in judged.differs)
        return (
            f"why_not: required when the ruling differs from the advice (principle "
            f"{advice.principle} recommends {recommended}): say why"
        )
    return None


def _recommended(advice: Advice, part: str) -> str:
    value = getattr(advice, part)
    return str(value).lower() if isinstance(value, bool) else str(value)


def ruling_fields(
    refund_amount: str, responsibility: str, return_required: bool, reason: str | None
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "refund_amount": refund_amount,
        "responsibility": responsibility,
        "return_required": return_required,
    }
    if reason is not None:
        fields["reason"] = reason
    return fields


def rule(
    db: Database,
    order_id: str,
    fields: Mapping[str, Any],
    *,
    at: datetime,
    followed_advice: bool | None = None,
    why_not: str | None = None,
    expected_version: int | None = None,
    live: bool = False,
    recorded_at: datetime | None = None,
    performed_by: str | None = None,
    performed_by_name: str | None = None,
) -> CommandResult:
    """The arbitrator's ruling (`fields`: refund_amount, responsibility, return_required,
    reason), checked against the advice computed now, and recorded with it in one
    transaction. A deviation without `why_not`, or a `followed_advice` that says otherwise
    than the ruling does, is `invalid_input`, unless the rules refuse the ruling anyway (that
    refusal is returned, as `commands.execute` would)."""
    unstorable = storable_message(why_not or "", "why_not")
    if unstorable is None and len(why_not or "") > WHY_NOT_MAX_LENGTH:
        unstorable = f"why_not: at most {WHY_NOT_MAX_LENGTH} characters"
    if unstorable is not None:
        raise ServiceError("invalid_input", unstorable)
    with db.engine.connect() as conn:
        loaded = repository.load(conn, order_id)
        if loaded is None:
            raise ServiceError("not_found", f"order {order_id!r} not found")
        seq = len(loaded.state.disputes)
        advice = advice_in(conn, loaded, seq, at) if seq else None
    run = {
        "expected_version": expected_version,
        "live": live,
    }
    if advice is None:  # no dispute: the rules refuse it
        return commands.execute(db, order_id, Actor.ARBITRATOR, Action.RULE, fields, at, **run)
    judged = judge(
        advice,
        str(fields.get("refund_amount", "")),
        str(fields.get("responsibility", "")),
        bool(fields.get("return_required", False)),
    )
    problem = check_ruling(advice, judged, followed_advice, why_not)
    if problem is not None:
        refused = commands.preview(db, order_id, Actor.ARBITRATOR, Action.RULE, fields, at, **run)
        if not refused.ok:
            return refused
        raise ServiceError("invalid_input", problem)
    why = (why_not or "").strip() or None

    def record(conn: Connection, result: CommandResult) -> None:
        conn.execute(
            insert(t.ruling_advice).values(
                order_id=order_id,
                dispute_seq=seq,
                principle=advice.principle,
                advice=advice.to_json(),
                followed=judged.followed,
                why_not=None if judged.followed else why,
                ruled_by=performed_by or Actor.ARBITRATOR.value,
                ruled_at=at,
            )
        )

    return commands.execute(
        db,
        order_id,
        Actor.ARBITRATOR,
        Action.RULE,
        fields,
        at,
        **run,
        recorded_at=recorded_at,
        performed_by=performed_by,
        performed_by_name=performed_by_name,
        also=record,
    )


# -- agreement statistics -----------------------------------------------------------------------


@dataclass(slots=True)
class Agreement:
    """How often rulings followed the advice, for one group of rulings (all, a principle, an
    arbitrator), with the cases behind each figure. `share`: followed / rulings with a
    principle (null without any); rulings where no principle applied are counted apart."""

    rulings: int = 0
    followed: list[str] = field(default_factory=list)
    not_followed: list[str] = field(default_factory=list)
    no_principle: list[str] = field(default_factory=list)

    def add(self, record: RecordedAdvice) -> None:
        self.rulings += 1
        if record.principle is None:
            self.no_principle.append(record.dispute_id)
        elif record.followed:
            self.followed.append(record.dispute_id)
        else:
            self.not_followed.append(record.dispute_id)

    @property
    def with_advice(self) -> int:
        return len(self.followed) + len(self.not_followed)

    @property
    def share(self) -> Decimal | None:
        if not self.with_advice:
            return None
        return Decimal(len(self.followed)) / Decimal(self.with_advice)

    def to_json(self) -> dict[str, Any]:
        share = self.share
        return {
            "rulings": self.rulings,
            "with_advice": self.with_advice,
            "followed": len(self.followed),
            "not_followed": len(self.not_followed),
            "no_principle": len(self.no_principle),
            "share": None if share is None else float(round(share, 4)),
            "cases": {
                "followed": list(self.followed),
                "not_followed": list(self.not_followed),
                "no_principle": list(self.no_principle),
            },
        }


@dataclass(slots=True)
class AgreementReport:
    start: datetime
    end: datetime
    total: Agreement = field(default_factory=Agreement)
    by_principle: dict[int | None, Agreement] = field(default_factory=dict)
    by_arbitrator: dict[str, Agreement] = field(default_factory=dict)
    names: dict[str, str | None] = field(default_factory=dict)  # arbitrator email -> name
    rulings: list[RecordedAdvice] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "period": {"from": format_instant(self.start), "to": format_instant(self.end)},
            "total": self.total.to_json(),
            "by_principle": [
                {"principle": principle, **line.to_json()}
                for principle, line in sorted(
                    self.by_principle.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)
                )
            ],
            "by_arbitrator": [
                {"arbitrator": email, "name": self.names.get(email), **line.to_json()}
                for email, line in sorted(self.by_arbitrator.items())
            ],
            "rulings": [r.to_json() for r in self.rulings],
        }


DEFAULT_PERIOD = "90d"


def period_of(text: str | None, now: datetime) -> tuple[datetime, datetime]:
    """`90d` (any `Nd`: the N days up to now, now included, 1 to 3650) or `YYYY-MM` (that
    calendar month, UTC) as [start, end); ValueError otherwise."""
    text = (text or DEFAULT_PERIOD).strip()
    if text.endswith("d") and text[:-1].isascii() and text[:-1].isdigit():
        days = int(text[:-1])
        if not 1 <= days <= 3650:
            raise ValueError("period: from 1d to 3650d")
        return now - timedelta(days=days), now + timedelta(microseconds=1)
    try:
        year, month = (int(part) for part in text.split("-"))
        start = datetime(year, month, 1, tzinfo=UTC)
    except ValueError:
        raise ValueError(f"period: {text!r} is not 90d (N days up to now) or YYYY-MM") from None
    return start, datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)


def agreement(db: Database, start: datetime, end: datetime) -> AgreementReport:
    """The rulings recorded with their advice in [start, end), grouped by principle and by
    arbitrator, the earliest first."""
    a = t.ruling_advice
    report = AgreementReport(start, end)
    with db.engine.connect() as conn:
        rows = conn.execute(
            _RECORDED.where(a.c.ruled_at >= start)
            .where(a.c.ruled_at < end)
            .order_by(a.c.ruled_at, a.c.id)
        ).all()
    for row in rows:
        record = _recorded(row)
        report.rulings.append(record)
        report.total.add(record)
        report.by_principle.setdefault(record.principle, Agreement()).add(record)
        report.by_arbitrator.setdefault(record.ruled_by, Agreement()).add(record)
        report.names[record.ruled_by] = record.ruled_by_name
    return report


# -- a stored case as a scenario (what `disputedesk advise` reads) -------------------------------


def scenario_of(db: Database, order_id: str, now: datetime) -> dict[str, Any]:
    """The stored order as a RULES.md section 11 scenario up to `now`: its terms and shipping
    address, the commands people sent (the automatic steps are the core's to recompute) and
    the carrier's scans as `tracking` events, in time order; the return's scans carry the
    return's tracking number (how a scenario tells them apart)."""
    o, e = t.orders, t.events
    with db.engine.connect() as conn:
        row = conn.execute(select(o).where(o.c.id == order_id)).first()
        if row is None:
            raise ServiceError("not_found", f"order {order_id!r} not found")
        logged = conn.execute(
            select(e.c.at, e.c.actor, e.c.action, e.c.data)
            .where(e.c.order_id == order_id)
            .where(e.c.actor != Actor.SYSTEM.value)
            .order_by(e.c.seq)
        ).all()
        loaded = repository.load(conn, order_id)
        assert loaded is not None
        tracking = tracking_in(conn, loaded.state.order, row.shipping_address, now)
    return_numbers = [d.return_tracking_number for d in loaded.state.disputes]
    return_number = next((n for n in reversed(return_numbers) if n), None)
    timed: list[tuple[datetime, int, dict[str, Any]]] = []
    for i, entry in enumerate(logged):
        event = {"at": format_instant(entry.at), "actor": entry.actor, "action": entry.action}
        timed.append((entry.at, i, {**event, **dict(entry.data or {})}))
    for i, scan in enumerate(tracking.events):
        if scan.at is None:
            continue
        number = scan.tracking_number
        if scan.leg == "return" and not number:
            number = return_number
        event: dict[str, Any] = {
            "at": format_instant(scan.at),
            "actor": Actor.CARRIER.value,
            "action": Action.TRACKING.value,
            "carrier": scan.carrier,
            "description": scan.description,
        }
        if scan.raw_code:
            event["raw_code"] = scan.raw_code
        if scan.location:
            event["location"] = dict(scan.location)
        if scan.extra:
            event["extra"] = dict(scan.extra)
        if number:
            event["tracking_number"] = number
        timed.append((scan.at, len(logged) + i, event))
    timed.sort(key=lambda item: (item[0], item[1]))
    return {
        "policy": row.policy,
        "order": {
            "id": row.id,
            "amount": format_money(row.amount),
            "shipping": format_money(row.shipping),
            "currency": row.currency,
            "placed_at": format_instant(row.placed_at),
            "promised_delivery_days": row.promised_delivery_days,
            "destination_country": row.destination_country,
            "category": row.category,
            "shipping_address": row.shipping_address,
        },
        "events": [event for _, _, event in timed],
        "until": format_instant(now),
    }
