"""When something is to be said, and to whom: pure functions from an order's state, its events,
its delivery facts and `now` to intents, each with a key that names it once (so two workers
planning the same intent create it once), the instant it is due, and what must still hold
when it is sent (`expect`: a reminder is never sent after its deadline moved or the action
was taken).

- **Reminders**, 48 h and 12 h before each deadline (`lifecycle.due`): the seller's response,
  the buyer's return shipment, the seller's receipt of the return, the seller's evidence
  period, the seller's replacement shipment. Only the latest lead that has come is planned: a
  worker that was down does not send the 48-hour reminder with 10 hours left.
- **Triggers** from the order's events (shipped, dispute opened, plan proposed, return shipped,
  receipt confirmed) and from its tracking (arrived in the destination country, held in
  customs, waiting for pickup with a notice, delivered: the current stage only).
- **Auto-replies** to a buyer's message outside the store's working hours, once per order and
  closed stretch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from disputedesk.messaging.settings import TRIGGER_AUDIENCE, WorkingHours
from disputedesk.rules.instants import format_instant
from disputedesk.rules.lifecycle import Due, due
from disputedesk.rules.model import State
from disputedesk.rules.policy import Policy
from disputedesk.rules.vocabulary import Action, Actor, DisputeStatus
from disputedesk.tracking.facts import DeliveryFacts
from disputedesk.tracking.taxonomy import TrackingStatus

LEADS_HOURS = (48, 12)
# Older news than this is not announced (a history import, a worker down for long).
STALE = timedelta(days=7)
DS = DisputeStatus
S = TrackingStatus

# The deadline a due step ends, by its action (resend: an escalation while awaiting it).
DEADLINE_OF_STEP = {
    Action.SELLER_RESPONSE_TIMEOUT: "seller_response",
    Action.RETURN_SHIPMENT_TIMEOUT: "return_shipment",
    Action.RETURN_RECEIPT_TIMEOUT: "return_receipt",
    Action.EVIDENCE_PERIOD_EXTENDED: "evidence_period",
    Action.AUTO_RULED: "evidence_period",
}
# Due actions that may be a reminder's deadline (for the planner's query).
REMINDER_STEPS = (*DEADLINE_OF_STEP, Action.AUTO_ESCALATED)

# The order's events that trigger a notice, and the trigger they are.
EVENT_TRIGGERS = {
    Action.SHIP: "shipped",
    Action.SHIP_REPLACEMENT: "shipped",
    Action.OPEN_DISPUTE: "dispute_opened",
    Action.PROPOSE: "plan_proposed",
    Action.SHIP_RETURN: "return_shipped",
    Action.CONFIRM_RECEIPT: "receipt_confirmed",
}
TRACKING_TRIGGERS = ("arrived_dest_country", "in_customs", "pickup_notice", "delivered")


@dataclass(frozen=True, slots=True)
class Intent:
    """Something to say: `kind` is a trigger, `reminder.<deadline>` or `auto_reply`."""

    key: str
    kind: str
    audience: str  # buyer / store
    order_id: str
    at: datetime  # when it is due (before any delay the store adds)
    data: Mapping[str, Any] = field(default_factory=dict)  # facts for the text, and `expect`
    template: str | None = None  # for reminders (a trigger's comes from the store's settings)
    deadline_at: datetime | None = None
    lead_hours: int | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What `expect` is checked against: the order as it is now."""

    order_status: str
    tracking_number: str | None
    due_at: datetime | None
    due_action: str | None
    disputes: int
    dispute_status: str | None  # the latest dispute's


# -- reminders ----------------------------------------------------------------------------------


def deadline_of(state: State, step: Due) -> str | None:
    """Which of the five deadlines a due step ends, or None (an order completing at its
    delivery deadline, a negotiation's automatic escalation)."""
    if step.action in DEADLINE_OF_STEP:
        return DEADLINE_OF_STEP[step.action]  # type: ignore[index]
    dispute = state.open_dispute
    if step.action == Action.AUTO_ESCALATED and dispute and dispute.status == DS.AWAITING_RESEND:
        return "resend"
    return None


def reminder(
    state: State, policy: Policy, now: datetime, leads: tuple[int, ...] = LEADS_HOURS
) -> Intent | None:
    """The reminder due at `now` for the order's next deadline, if any: to whoever the rules
    wait on, at the latest lead (48 h, 12 h) that has come and before the deadline."""
    step = due(state, policy)
    if step is None or step.at <= now:
        return None
    deadline = deadline_of(state, step)
    if deadline is None:
        return None
    left = step.at - now
    lead = min((h for h in leads if left <= timedelta(hours=h)), default=None)
    if lead is None:
        return None
    order_id = state.order.id
    seq = len(state.disputes)
    at = format_instant(step.at)
    template = f"reminder.{deadline}"
    if step.action == Action.AUTO_RULED:
        template = "reminder.evidence_final"
    return Intent(
        key=f"reminder:{order_id}:{seq}:{deadline}:{at}:{lead}h",
        kind=f"reminder.{deadline}",
        audience="store" if step.waiting_on == Actor.SELLER else "buyer",
        order_id=order_id,
        at=step.at - timedelta(hours=lead),
        data={
            "deadline": at,
            "expect": {"due_at": at, "due_action": str(step.action), "disputes": seq},
        },
        template=template,
        deadline_at=step.at,
        lead_hours=lead,
    )


# -- triggers -----------------------------------------------------------------------------------


def event_trigger(
    order_id: str, seq: int, action: str, at: datetime, data: Mapping[str, Any]
) -> Intent | None:
    """The notice an order's logged event triggers, if any."""
    trigger = EVENT_TRIGGERS.get(action)  # type: ignore[call-overload]
    if trigger is None:
        return None
    expect: dict[str, Any]
    facts: dict[str, Any] = {"event_at": format_instant(at)}
    if trigger == "shipped":
        expect = {"order_status": ["shipped"], "tracking_number": data.get("tracking_number")}
    elif trigger == "dispute_opened":
        expect = {"dispute_status": [DS.AWAITING_SELLER_RESPONSE.value, DS.NEGOTIATING.value]}
    elif trigger == "plan_proposed":
        expect = {"dispute_status": [DS.NEGOTIATING.value]}
    elif trigger == "return_shipped":
        expect = {"dispute_status": [DS.AWAITING_RETURN_RECEIPT.value]}
    else:  # receipt confirmed: thanks, while no dispute came since
        expect = {"order_status": ["completed"], "no_open_dispute": True}
    return Intent(
        key=f"{trigger}:{order_id}:{seq}",
        kind=trigger,
        audience=TRIGGER_AUDIENCE[trigger],
        order_id=order_id,
        at=at,
        data={**facts, "expect": expect},
    )


def tracking_trigger(
    order_id: str, tracking_number: str | None, facts: DeliveryFacts, now: datetime
) -> Intent | None:
    """The notice the parcel's current stage calls for (once per parcel and stage): delivered,
    waiting for pickup with a notice, held in customs, arrived in the destination country."""
    stage = facts.stage
    place: str | None = None
    if stage == S.DELIVERED and facts.delivered is not None:
        trigger, at = "delivered", facts.delivered.at
        place = facts.delivered.event.place or None
    elif facts.pickup_notice is not None and stage in (
        S.AVAILABLE_FOR_PICKUP,
        S.DELIVERY_ATTEMPTED,
    ):
        trigger, at = "pickup_notice", facts.pickup_notice.at
        place = facts.pickup_notice.place or None
    elif facts.in_customs_since is not None:
        trigger, at = "in_customs", facts.in_customs_since
    elif stage == S.ARRIVED_DEST_COUNTRY and facts.last_event is not None:
        trigger, at = "arrived_dest_country", facts.last_event.at
    else:
        return None
    at = at or now
    data: dict[str, Any] = {
        "event_at": format_instant(at),
        "expect": {"order_status": ["shipped"], "tracking_number": tracking_number},
    }
    if place:
        data["place"] = place
    return Intent(
        key=f"{trigger}:{order_id}:{(tracking_number or '-').upper()}",
        kind=trigger,
        audience="buyer",
        order_id=order_id,
        at=at,
        data=data,
    )


def auto_reply(order_id: str, sent_at: datetime, hours: WorkingHours) -> Intent | None:
    """The automatic answer to a buyer's message sent while the store is closed: once per
    order and closed stretch (keyed by when the store opens again)."""
    if hours.is_open(sent_at):
        return None
    opens = hours.next_opening(sent_at)
    if opens is None:
        return None
    opens_at = format_instant(opens)
    return Intent(
        key=f"auto_reply:{order_id}:{opens_at}",
        kind="auto_reply",
        audience="buyer",
        order_id=order_id,
        at=sent_at,
        data={"opens_at": opens_at, "expect": {}},
    )


def is_stale(at: datetime, now: datetime) -> bool:
    return at < now - STALE


# -- what must still hold -----------------------------------------------------------------------


def still_holds(expect: Mapping[str, Any], now: Snapshot) -> str | None:
    """None while the intent still holds; otherwise why not, in words for the log."""
    due_at = expect.get("due_at")
    if due_at is not None:
        same_dispute = expect.get("disputes") == now.disputes
        same_step = now.due_action == expect.get("due_action")
        if same_dispute and same_step and format_instant(now.due_at) == due_at:
            return None
        if same_dispute and same_step and now.due_at:
            return "the deadline moved"
        return "the action was taken"
    statuses = expect.get("order_status")
    if statuses and now.order_status not in statuses:
        return f"the order is {now.order_status} now"
    number = expect.get("tracking_number")
    if number and (now.tracking_number or "").upper() != str(number).upper():
        return "the order was shipped again with another tracking number"
    dispute_statuses = expect.get("dispute_status")
    if dispute_statuses and now.dispute_status not in dispute_statuses:
        return f"the dispute is {now.dispute_status or 'gone'} now"
    if expect.get("no_open_dispute") and now.dispute_status not in (None, DS.CLOSED.value):
        return "a dispute was opened since"
    return None
