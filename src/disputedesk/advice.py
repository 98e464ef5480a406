"""The ruling assistant: RULES.md section 9's eight principles applied to a case's facts, each a
rule over the dispute (reason, plans, escalation), the evidence present (kinds, by whom), and the
delivery facts from the carrier's scans (stage, pickup notice, customs, the delivery match). The
advice names the principle and the facts it used, or says that no principle applies and which
facts are missing. Deterministic and explainable: no weights; the arbitrator decides.

Principles, in the order they are tried:

8. The seller escalated a return and the return's tracking shows it delivered to the seller:
   refund the buyer the agreed amount (seller responsible).
5. `counterfeit` without the seller's `brand_authorization`: seller, full refund, penalty mark.
   Not received (`not_received.*`), from the outbound tracking:
3. delivered and every part of the delivery matches (time, city, zip code, recipient): the
   buyer is asked to confirm; no objection: funds to the seller (buyer responsible, no refund);
4. delivered without an accurate match: with the seller's `delivery_note`, the seller wins
   (the arbitrator checks its address); without it, seller responsible, full refund;
2. at a pickup point with a written notice left: buyer responsible, no refund;
6. held in customs for duties, with the seller's `customs_receipt` (the listing told the buyer):
   buyer responsible, no refund;
1. otherwise, not delivered by the end of the promised time (or no valid scan at all): seller
   responsible, full refund. Before the promised time ends, with the parcel on its way, no
   principle applies yet.
   Not as described:
7. with the buyer's photos or video (video for `not_working`): seller responsible, refunding
   what the buyer asks (all that is refundable for a serious material mismatch: `wrong_item`,
   `not_working`, `counterfeit`), with the return when the buyer's plan is a return.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from disputedesk.replay import Replay, load_scenario, run
from disputedesk.rules.instants import format_instant
from disputedesk.rules.model import Dispute, State
from disputedesk.rules.money import ZERO, add_money, format_money
from disputedesk.rules.vocabulary import Escalation, PlanType, reason_category
from disputedesk.tracking.classifier import classify
from disputedesk.tracking.facts import DeliveryFacts, Shipment, TrackEvent, delivery_facts
from disputedesk.tracking.taxonomy import TrackingStatus

SERIOUS_MISMATCH = frozenset(
    {
        "not_as_described.wrong_item",
        "not_as_described.not_working",
        "not_as_described.counterfeit",
    }
)


@dataclass(frozen=True, slots=True)
class Note:
    """A fact (or a missing fact) as data, beside its English text in `facts` / `missing`: a
    `key` and its `params` (codes, instants, amounts), for the pages to say in the reader's
    language and time zone."""

    key: str
    text: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Advice:
    principle: int | None
    responsibility: str | None = None
    refund_amount: str | None = None
    return_required: bool | None = None
    penalty_mark: bool = False
    facts: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    # the same facts and missing facts as data (not printed: `facts` and `missing` are)
    fact_notes: tuple[Note, ...] = field(default=(), compare=False)
    missing_notes: tuple[Note, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "principle": self.principle,
            "responsibility": self.responsibility,
            "refund_amount": self.refund_amount,
            "return_required": self.return_required,
            "penalty_mark": self.penalty_mark,
            "facts": list(self.facts),
            "missing": list(self.missing),
        }


@dataclass(slots=True)
class Case:
    """Everything the principles read, for one dispute."""

    state: State
    dispute: Dispute
    outbound: DeliveryFacts
    return_delivered: TrackEvent | None
    now: datetime
    facts: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def note(self, key: str, text: str, **params: Any) -> None:
        """One fact the advice used: its English text (`facts`) and the same as data."""
        self.facts.append(text)
        self.notes.append(Note(key, text, params))

    @property
    def full_refund(self) -> Decimal:
        """All that this dispute could refund: what is refundable, plus what it refunded."""
        return add_money(self.state.order.refundable, self.dispute.refund_amount)

    def evidence(self, actor: str) -> set[str]:
        return {e.kind for e in self.dispute.evidence if e.actor == actor}


def _lacking(key: str, text: str, **params: Any) -> Note:
    """A fact the advice misses."""
    return Note(key, text, params)


def _decided(
    case: Case,
    principle: int,
    responsibility: str,
    refund: Decimal,
    *,
    return_required: bool = False,
    penalty: bool = False,
    missing: Sequence[Note] = (),
) -> Advice:
    return Advice(
        principle,
        responsibility,
        format_money(refund),
        return_required,
        penalty,
        tuple(case.facts),
        tuple(m.text for m in missing),
        tuple(case.notes),
        tuple(missing),
    )


def _undecided(case: Case, missing: Sequence[Note]) -> Advice:
    return Advice(
        None,
        facts=tuple(case.facts),
        missing=tuple(m.text for m in missing),
        fact_notes=tuple(case.notes),
        missing_notes=tuple(missing),
    )


def advise(case: Case) -> Advice:
    """The advice for the case's dispute."""
    d = case.dispute
    case.note("reason", f"reason {d.reason}", reason=d.reason)
    if d.buyer_plan is not None:
        plan = d.buyer_plan
        amount = "" if plan.amount is None else f" {format_money(plan.amount)}"
        case.note(
            "buyer_plan",
            f"buyer's plan {plan.type}{amount}",
            type=str(plan.type),
            amount=plan.amount,
        )
    for actor in ("seller", "buyer"):
        kinds = sorted(case.evidence(actor))
        if kinds:
            case.note("evidence", f"{actor} evidence: {', '.join(kinds)}", side=actor, kinds=kinds)
    if d.escalation == Escalation.SELLER:
        return _returned_goods(case)
    if d.reason == "not_as_described.counterfeit" and "brand_authorization" not in case.evidence(
        "seller"
    ):
        case.note("no_brand_authorization", "no brand authorization from the seller")
        return _decided(case, 5, "seller", case.full_refund, penalty=True)
    if reason_category(d.reason) == "not_received":
        return _not_received(case)
    return _not_as_described(case)


def _returned_goods(case: Case) -> Advice:
    case.note("seller_escalated_return", "the seller escalated the return")
    delivered = case.return_delivered
    if delivered is None:
        missing = "return tracking showing delivery to the seller"
        return _undecided(case, [_lacking("return_delivery", missing)])
    case.note(
        "return_delivered",
        f"return delivered to the seller {format_instant(delivered.at) or ''}".strip(),
        at=delivered.at,
    )
    agreed = case.dispute.agreed_amount
    refund = agreed if agreed is not None else case.full_refund
    return _decided(case, 8, "seller", refund)


def _not_received(case: Case) -> Advice:
    facts = case.outbound
    d = case.dispute
    seller = case.evidence("seller")
    case.note(
        "tracking_stage",
        f"tracking stage {facts.stage} ({facts.events} events)",
        stage=str(facts.stage),
        events=facts.events,
    )
    if facts.delivered is not None:
        match = facts.delivered.match
        parts = ", ".join(f"{p.part} {p.result}" for p in match.parts)
        case.note(
            "delivered",
            f"delivered {format_instant(facts.delivered.at) or ''}; {parts}",
            at=facts.delivered.at,
            parts=[(p.part, p.result) for p in match.parts],
        )
        if match.overall == "matched":
            case.note(
                "buyer_to_confirm",
                "the buyer is asked to confirm; no objection: funds to the seller",
            )
            return _decided(case, 3, "buyer", ZERO)
        if "delivery_note" in seller:
            case.note(
                "delivery_note_present", "delivery note present: its address is to be checked"
            )
            return _decided(case, 4, "buyer", ZERO)
        unknown = [
            _lacking("delivery_part", f"delivery {p.part}", part=p.part)
            for p in match.parts
            if p.result == "unknown"
        ]
        lacking = [_lacking("delivery_note", "delivery_note"), *unknown]
        return _decided(case, 4, "seller", case.full_refund, missing=lacking)
    stage = facts.stage
    open_parcel = stage not in (TrackingStatus.RETURNED, TrackingStatus.RETURNING)
    if facts.pickup_notice is not None and open_parcel:
        when = format_instant(facts.pickup_notice.at) or ""
        case.note(
            "pickup_notice",
            f"at a pickup point with a written notice left {when}".strip(),
            at=facts.pickup_notice.at,
        )
        return _decided(case, 2, "buyer", ZERO)
    duties = facts.action_required is not None and facts.action_required.what == "pay_duties"
    customs = d.reason == "not_received.customs_held" or duties or facts.in_customs_since
    missing: list[Note] = []
    if customs and open_parcel:
        case.note(
            "customs",
            "held in customs" + (": the buyer is asked to pay duties" if duties else ""),
            duties=duties,
        )
        if "customs_receipt" in seller:
            return _decided(case, 6, "buyer", ZERO)
        missing.append(_lacking("customs_receipt", "customs_receipt"))
    deadline = case.state.order.delivery_deadline
    no_scan = facts.first_valid_scan is None
    if no_scan:
        case.note("no_valid_scan", "no valid carrier scan")
    if not open_parcel:
        case.note("parcel_back", f"the parcel is {stage} to the sender", stage=str(stage))
    if deadline is not None:
        case.note("promised_by", f"promised delivery by {format_instant(deadline)}", at=deadline)
    if no_scan or not open_parcel or (deadline is not None and case.now >= deadline):
        return _decided(case, 1, "seller", case.full_refund, missing=missing)
    waiting = "the promised delivery time to end (still in transit)"
    return _undecided(case, [*missing, _lacking("promised_time", waiting)])


def _not_as_described(case: Case) -> Advice:
    d = case.dispute
    buyer = case.evidence("buyer")
    needed = {"video"} if d.reason == "not_as_described.not_working" else {"photo", "video"}
    if not buyer & needed:
        video = needed == {"video"}
        wanted = "video of the goods" if video else "photos or video of the goods"
        key = "buyer_video" if video else "buyer_photos"
        return _undecided(case, [_lacking(key, f"{wanted} with the packaging, from the buyer")])
    plan = d.buyer_plan
    serious = d.reason in SERIOUS_MISMATCH
    if serious:
        case.note("serious_mismatch", "a serious material mismatch: full refund")
    if serious or plan is None or plan.type == PlanType.RESEND or plan.amount is None:
        refund = case.full_refund
    else:
        refund = min(plan.amount, case.full_refund)
    returned = plan is not None and plan.type == PlanType.RETURN_AND_REFUND
    return _decided(case, 7, "seller", refund, return_required=returned)


# -- from a scenario ------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _track_event(
    at: datetime, data: Mapping[str, Any], carrier: str | None, leg: str
) -> TrackEvent:
    """A scenario's carrier `tracking` event (the classifier's keys; `at` is the scan's
    instant) as the facts read it."""
    extra = dict(data.get("extra") or {}) if isinstance(data.get("extra"), Mapping) else {}
    if isinstance(data.get("signed_by"), str):
        extra.setdefault("signed_by", data["signed_by"])
    location = data.get("location")
    if isinstance(location, str):
        location = {"text": location}
    if not isinstance(location, Mapping):
        location = None
    event = {
        "carrier": data.get("carrier") or carrier,
        "raw_code": data.get("raw_code") if isinstance(data.get("raw_code"), str) else None,
        "description": data.get("description")
        if isinstance(data.get("description"), str)
        else None,
        "location": location,
        "at": format_instant(at),
        "extra": extra or None,
    }
    judged = classify(event)
    number = data.get("tracking_number")
    return TrackEvent(
        judged.status,
        at,
        judged.notice_left,
        event["description"],
        location,
        extra or None,
        None,
        event["carrier"],
        event["raw_code"],
        number if isinstance(number, str) else None,
        leg,
        judged.unclassified,
    )


def case_of(replay: Replay, shipping_address: Mapping[str, Any] | None, now: datetime) -> Case:
    """The scenario's last dispute with its delivery facts: the carrier's `tracking` events
    sorted into the outbound parcel and the buyer's return (told by the return's tracking number,
    or, without a number, by coming after the return was shipped)."""
    state = replay.state
    dispute = state.disputes[-1]
    returns_from = dispute.return_shipped_at
    return_number = (dispute.return_tracking_number or "").strip().upper()
    outbound: list[TrackEvent] = []
    returned: list[TrackEvent] = []
    for entry in replay.timeline:
        event = entry.event
        if event is None or event.action != "tracking":
            continue
        number = str(event.data.get("tracking_number") or "").strip().upper()
        is_return = (number and number == return_number) or (
            not number and returns_from is not None and event.at >= returns_from
        )
        leg = "return" if is_return else "outbound"
        tracked = _track_event(event.at, event.data, state.order.carrier, leg)
        (returned if is_return else outbound).append(tracked)
    shipment = Shipment(
        shipped_at=state.order.shipped_at,
        delivery_deadline=state.order.delivery_deadline,
        shipping_address=shipping_address,
        destination_country=state.order.destination_country,
        tracking_number=state.order.tracking_number,
    )
    facts = delivery_facts(outbound, shipment, now)
    delivered_back = [e for e in returned if e.status == TrackingStatus.DELIVERED]
    return Case(state, dispute, facts, delivered_back[-1] if delivered_back else None, now)


def advise_scenario(doc: Any) -> Advice:
    """The advice for a scenario document's last dispute (raises MalformedScenario)."""
    scenario = load_scenario(doc)
    replay = run(scenario)
    if not replay.state.disputes:
        return Advice(
            None,
            facts=("no dispute was opened",),
            missing=("a dispute",),
            fact_notes=(Note("no_dispute", "no dispute was opened"),),
            missing_notes=(Note("dispute", "a dispute"),),
        )
    order = doc.get("order") if isinstance(doc, Mapping) else None
    address = order.get("shipping_address") if isinstance(order, Mapping) else None
    if not isinstance(address, Mapping):
        address = None
    instants = [c.at for c in scenario.commands]
    now = scenario.until or (max(instants) if instants else scenario.order.placed_at)
    return advise(case_of(replay, address, now))


def advise_text(text: str) -> Advice:
    from disputedesk.replay import MalformedScenario

    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise MalformedScenario(f"scenario: not JSON ({exc})") from None
    return advise_scenario(doc)


# -- what evidence each side's case needs ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Requirement:
    """One item of a side's checklist: evidence of one of `kinds` from `side`, why it counts
    (the principle it bears on), whether it is there, and the deadline it should come by (the
    side's next deadline in the dispute, when there is one)."""

    side: str
    kinds: tuple[str, ...]
    why: str
    principle: int | None
    present: bool
    due: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "kinds": list(self.kinds),
            "why": self.why,
            "principle": self.principle,
            "present": self.present,
            "due": format_instant(self.due),
        }


# (side, kinds any of which will do, why, principle) per reason; seed 002 and RULES.md section 9.
_NEEDS: dict[str, tuple[tuple[str, tuple[str, ...], str, int | None], ...]] = {
    "not_as_described.counterfeit": (
        ("seller", ("brand_authorization",), "brand_authorization", 5),
        ("buyer", ("photo", "video"), "goods_with_packaging", 7),
    ),
    "not_as_described.not_working": (("buyer", ("video",), "video_of_the_fault", 7),),
    "not_received.delivered_not_received": (("seller", ("delivery_note",), "delivery_note", 4),),
    "not_received.wrong_address": (("seller", ("delivery_note",), "delivery_note", 4),),
    "not_received.customs_held": (("seller", ("customs_receipt",), "customs_receipt", 6),),
}
_NOT_AS_DESCRIBED = (("buyer", ("photo", "video"), "goods_with_packaging", 7),)
_NOT_RECEIVED = (("seller", ("tracking_record", "proof_of_delivery"), "tracking_record", 1),)


def evidence_checklist(
    state: State, dispute: Dispute, due_by: Mapping[str, datetime]
) -> list[Requirement]:
    """What evidence decides this dispute, for each side, from the moment it opens: what is
    present and what is missing, and by when (`due_by`: each side's next deadline, e.g. from
    `lifecycle.due`)."""
    needs = _NEEDS.get(dispute.reason)
    if needs is None:
        needs = (
            _NOT_AS_DESCRIBED
            if reason_category(dispute.reason) == "not_as_described"
            else _NOT_RECEIVED
        )
    submitted = {(e.actor, e.kind) for e in dispute.evidence}
    return [
        Requirement(
            side,
            kinds,
            why,
            principle,
            any((side, kind) in submitted for kind in kinds),
            due_by.get(side) if dispute.is_open else None,
        )
        for side, kinds, why, principle in needs
    ]
