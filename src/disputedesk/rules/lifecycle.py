"""The dispute lifecycle: RULES.md sections 3 to 9 as three pure functions.

- `decide(state, command, policy)` checks a command and returns the event it causes, or a
  `Refusal` whose code is the first check that failed (RULES.md section 11, in check order).
- `evolve(state, event)` applies an event (a command's or an automatic step's) to a new state.
- `due(state, policy)` names the next automatic step and its instant.

`advance` and `handle` combine them the way section 1 orders time: deadlines due at or before an
instant fire (in time order) before an action at that instant, and a step that is already due
when an action makes it arise fires at that action's instant, right after it.

No clock, no I/O: the caller passes every instant in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from disputedesk.rules.calendar import add_working_days
from disputedesk.rules.errors import ErrorCode, Refusal
from disputedesk.rules.instants import days, format_instant
from disputedesk.rules.model import Dispute, Evidence, Order, Plan, State
from disputedesk.rules.money import CENT, ZERO, add_money, format_money, parse_money
from disputedesk.rules.policy import Policy
from disputedesk.rules.vocabulary import (
    FINAL_RESOLUTIONS,
    IN_TRANSIT,
    NEGOTIATION_STATUSES,
    PERMITTED_ACTIONS,
    REASONS,
    RETURN_STATUSES,
    RULING_STATUSES,
    Action,
    Actor,
    DisputeStatus,
    Escalation,
    EvidenceKind,
    OrderStatus,
    PlanType,
    Resolution,
    Responsibility,
)

DS = DisputeStatus


@dataclass(frozen=True, slots=True)
class Command:
    """An action someone asks for: the raw fields as sent (JSON values)."""

    at: datetime
    actor: str
    action: str
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened: an accepted command or an automatic step (`actor` "system").
    `data` is the command's checked, normalised fields (JSON values), ready for an event log."""

    at: datetime
    actor: str
    action: str
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Due:
    """The next automatic step: what fires, when, and who can still act before it."""

    at: datetime
    action: str
    waiting_on: str | None
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Entry:
    """One timeline entry: an input event with its verdict, or an automatic step."""

    at: datetime
    actor: str
    action: str
    error: ErrorCode | None = None
    message: str | None = None
    event: Event | None = None  # what happened, for an accepted command or a step
    refusal: Refusal | None = None  # why, for a refused command

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def of(cls, event: Event) -> Entry:
        return cls(event.at, event.actor, event.action, event=event)


# --------------------------------------------------------------------------------------------
# Field checks (the first check: `invalid_input`)


class _Invalid(Exception):
    """A field that is missing or malformed; the message names it."""


def _text(fields: Mapping[str, Any], name: str, *, non_empty: bool = False) -> str:
    value = fields.get(name)
    if not isinstance(value, str):
        raise _Invalid(f"{name}: required, a string")
    if non_empty and not value.strip():
        raise _Invalid(f"{name}: must not be empty")
    return value


def _optional_text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, str):
        raise _Invalid(f"{name}: must be a string")
    return value


def _one_of(fields: Mapping[str, Any], name: str, allowed: Mapping[str, Any] | type) -> str:
    value = fields.get(name)
    known = allowed.__members__.values() if isinstance(allowed, type) else allowed
    if not isinstance(value, str) or value not in known:
        raise _Invalid(f"{name}: unknown {name} {value!r}")
    return value


def _plan(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A plan's shape; its amount (a string) is judged later, at the `invalid_amount` check."""
    value = fields.get("plan")
    if not isinstance(value, dict):
        raise _Invalid("plan: required, an object")
    kind = value.get("type")
    if not isinstance(kind, str) or kind not in PlanType.__members__.values():
        raise _Invalid(f"plan.type: unknown plan type {kind!r}")
    if kind == PlanType.RESEND:
        return {"type": kind}  # an amount is ignored
    amount = value.get("amount")
    if not isinstance(amount, str):
        raise _Invalid("plan.amount: required, a money string")
    return {"type": kind, "amount": amount}


def _shipment_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "carrier": _text(fields, "carrier", non_empty=True),
        "tracking_number": _text(fields, "tracking_number", non_empty=True),
    }


def _extend_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    value = fields.get("days")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _Invalid("days: required, a positive integer")
    return {"days": value}


def _open_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    reason = _one_of(fields, "reason", REASONS)
    plan = _plan(fields)
    goods_received = fields.get("goods_received")
    if not isinstance(goods_received, bool):
        raise _Invalid("goods_received: required, true or false")
    return {
        "reason": reason,
        "plan": plan,
        "goods_received": goods_received,
        "note": _optional_text(fields, "note"),
    }


def _plan_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {"plan": _plan(fields)}


def _reject_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {"note": _text(fields, "note")}


def _escalate_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {"note": _optional_text(fields, "note")}


def _evidence_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    data = {
        "kind": _one_of(fields, "kind", EvidenceKind),
        "description": _text(fields, "description"),
    }
    # A stored file or a link that goes with the evidence (the API's uploads): recorded in the
    # event for the log, no effect on the rules.
    attachment = fields.get("attachment")
    if isinstance(attachment, dict):
        data["attachment"] = dict(attachment)
    return data


def _rule_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    amount = fields.get("refund_amount")
    if not isinstance(amount, str):
        raise _Invalid("refund_amount: required, a money string")
    responsibility = _one_of(fields, "responsibility", Responsibility)
    return_required = fields.get("return_required")
    if return_required is None:
        return_required = False
    elif not isinstance(return_required, bool):
        raise _Invalid("return_required: must be true or false")
    return {
        "refund_amount": amount,
        "responsibility": responsibility,
        "return_required": return_required,
    }


def _no_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {}


def _tracking_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return dict(fields)  # informational: anything goes


# --------------------------------------------------------------------------------------------
# The remaining checks, per action: dispute, status, time, amount


def _refuse(code: ErrorCode, message: str, rule: str = "", **params: Any) -> Refusal:
    return Refusal(code, message, rule, params)


def _when(t: datetime) -> str:
    return format_instant(t) or ""


def _amount(text: str, *, low: Decimal, high: Decimal, what: str) -> Decimal | Refusal:
    value = parse_money(text)
    if value is None:
        return _refuse(
            ErrorCode.INVALID_AMOUNT,
            f"{what} {text!r} is not an amount (digits, at most 2 decimals)",
            "amount.malformed",
            text=text,
        )
    if value < low:
        return _refuse(
            ErrorCode.INVALID_AMOUNT,
            f"{what} must be at least {format_money(low)}, got {format_money(value)}",
            "amount.too_small",
            low=low,
            value=value,
        )
    if value > high:
        return _refuse(
            ErrorCode.INVALID_AMOUNT,
            f"{what} {format_money(value)} is more than the {format_money(high)} still refundable",
            "amount.too_large",
            high=high,
            value=value,
        )
    return value


def _checked_plan(plan: Mapping[str, Any], order: Order) -> dict[str, Any] | Refusal:
    if plan["type"] == PlanType.RESEND:
        return {"type": PlanType.RESEND.value}
    amount = _amount(plan["amount"], low=CENT, high=order.refundable, what="The plan's amount")
    if isinstance(amount, Refusal):
        return amount
    return {"type": plan["type"], "amount": format_money(amount)}


def _open(state: State) -> Dispute | Refusal:
    dispute = state.open_dispute
    if dispute is None:
        return _refuse(
            ErrorCode.NO_DISPUTE, "There is no open dispute on this order", "dispute.none"
        )
    return dispute


def _status_is(dispute: Dispute, allowed: frozenset[str], doing: str) -> Refusal | None:
    if dispute.status in allowed:
        return None
    return _refuse(
        ErrorCode.INVALID_STATE,
        f"Cannot {doing} while the dispute is {dispute.status}",
        "dispute.status",
        doing=doing,
        status=str(dispute.status),
    )


Checker = Callable[[State, Command, dict[str, Any], Policy], "dict[str, Any] | Refusal"]


def _check_ship(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
    if state.order.status != OrderStatus.AWAITING_SHIPMENT:
        return _refuse(
            ErrorCode.INVALID_STATE,
            f"The order is already {state.order.status}",
            "ship.already",
            status=str(state.order.status),
        )
    return data


def _check_extend(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
    order = state.order
    if order.status != OrderStatus.SHIPPED or order.delivery_deadline is None:
        return _refuse(
            ErrorCode.INVALID_STATE,
            f"Delivery can be extended only while the order is shipped, not {order.status}",
            "extend.not_shipped",
            status=str(order.status),
        )
    if cmd.at >= order.delivery_deadline:
        return _refuse(
            ErrorCode.TOO_LATE,
            f"Delivery can be extended only before the delivery deadline: "
            f"before {_when(order.delivery_deadline)}",
            "extend.too_late",
            at=order.delivery_deadline,
        )
    cap = policy.max_delivery_extension_days
    if order.delivery_extension_days + data["days"] > cap:
        left = cap - order.delivery_extension_days
        return _refuse(
            ErrorCode.INVALID_AMOUNT,
            f"Extensions of one order add up to at most {cap} days: {left} days are left",
            "extend.cap",
            cap=cap,
            left=left,
        )
    return data


def _check_confirm_receipt(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
    if state.open_dispute is not None:
        return _refuse(
            ErrorCode.DISPUTE_OPEN,
            "Receipt cannot be confirmed while a dispute is open",
            "receipt.dispute_open",
        )
    if state.order.status != OrderStatus.SHIPPED:
        return _refuse(
            ErrorCode.INVALID_STATE,
            f"Receipt can be confirmed only for a shipped order, not a {state.order.status} one",
            "receipt.not_shipped",
            status=str(state.order.status),
        )
    return data


def dispute_window(order: Order, policy: Policy) -> tuple[datetime | None, datetime | None]:
    """When a dispute may be opened on `order`: [earliest, latest) (RULES.md section 5);
    None for earliest before shipment, None for latest while the order is shipped."""
    if order.shipped_at is None:
        return None, None
    earliest = order.shipped_at
    if order.promised_delivery_days >= policy.dispute_open_after_shipment_days:
        earliest = order.shipped_at + days(policy.dispute_open_after_shipment_days)
    latest = None
    if order.status == OrderStatus.COMPLETED and order.completed_at is not None:
        latest = order.completed_at + days(policy.dispute_window_after_completion_days)
    return earliest, latest


def _check_open(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
    order = state.order
    if state.open_dispute is not None:
        return _refuse(
            ErrorCode.DISPUTE_OPEN, "This order already has an open dispute", "open.dispute_open"
        )
    if order.status == OrderStatus.AWAITING_SHIPMENT:
        return _refuse(
            ErrorCode.INVALID_STATE,
            "A dispute can be opened only after shipment",
            "open.not_shipped",
        )
    if order.status == OrderStatus.REFUNDED:
        return _refuse(ErrorCode.INVALID_STATE, "The order is fully refunded", "open.refunded")
    if any(d.resolution in FINAL_RESOLUTIONS for d in state.disputes):
        return _refuse(
            ErrorCode.INVALID_STATE,
            "This order's disputes are over: an earlier dispute ended it",
            "open.over",
        )
    earliest, latest = dispute_window(order, policy)
    assert earliest is not None
    if cmd.at < earliest:
        return _refuse(
            ErrorCode.TOO_EARLY,
            f"Disputes can be opened from {policy.dispute_open_after_shipment_days} "
            f"days after shipment: from {_when(earliest)}",
            "open.too_early",
            days=policy.dispute_open_after_shipment_days,
            at=earliest,
        )
    if latest is not None and cmd.at >= latest:
        return _refuse(
            ErrorCode.TOO_LATE,
            f"Disputes can be opened until "
            f"{policy.dispute_window_after_completion_days} days after completion: "
            f"before {_when(latest)}",
            "open.too_late",
            days=policy.dispute_window_after_completion_days,
            at=latest,
        )
    plan = _checked_plan(data["plan"], order)
    if isinstance(plan, Refusal):
        return plan
    return {**data, "plan": plan}


def _check_negotiation_plan(doing: str) -> Checker:
    def check(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
        dispute = _open(state)
        if isinstance(dispute, Refusal):
            return dispute
        refused = _status_is(dispute, NEGOTIATION_STATUSES, doing)
        if refused:
            return refused
        plan = _checked_plan(data["plan"], state.order)
        if isinstance(plan, Refusal):
            return plan
        return {"plan": plan}

    return check


def _check_in_status(allowed: frozenset[str], doing: str) -> Checker:
    def check(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
        dispute = _open(state)
        if isinstance(dispute, Refusal):
            return dispute
        return _status_is(dispute, allowed, doing) or data

    return check


_ANY_OPEN = frozenset(s for s in DisputeStatus if s != DisputeStatus.CLOSED)


def _check_accept(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
    dispute = _open(state)
    if isinstance(dispute, Refusal):
        return dispute
    refused = _status_is(dispute, NEGOTIATION_STATUSES, "accept a plan")
    if refused:
        return refused
    if cmd.actor == Actor.BUYER and dispute.seller_plan is None:
        return _refuse(
            ErrorCode.INVALID_STATE,
            "The seller has proposed no plan to accept",
            "accept.no_seller_plan",
        )
    return data


def buyer_escalation_from(dispute: Dispute, order: Order, policy: Policy) -> datetime | None:
    """The first instant the buyer may escalate (RULES.md section 7); None: never (in transit)."""
    if dispute.reason == IN_TRANSIT:
        return order.delivery_deadline
    if dispute.seller_last_response == Action.REJECT:
        return dispute.opened_at
    return dispute.opened_at + days(policy.buyer_escalation_after_days)


def _check_escalate(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
    dispute = _open(state)
    if isinstance(dispute, Refusal):
        return dispute
    if cmd.actor == Actor.SELLER:
        return _status_is(dispute, frozenset({DS.AWAITING_RETURN_RECEIPT}), "escalate") or data
    refused = _status_is(dispute, NEGOTIATION_STATUSES, "escalate")
    if refused:
        return refused
    earliest = buyer_escalation_from(dispute, state.order, policy)
    if earliest is not None and cmd.at < earliest:
        if dispute.reason == IN_TRANSIT:
            message = (
                f"A dispute about a parcel in transit escalates by itself at the "
                f"delivery deadline: {_when(earliest)}"
            )
        else:
            message = (
                f"The platform can be asked to step in from day "
                f"{policy.buyer_escalation_after_days + 1} of the dispute, or after the "
                f"seller rejects: from {_when(earliest)}"
            )
        rule = "escalate.in_transit" if dispute.reason == IN_TRANSIT else "escalate.too_early"
        return _refuse(
            ErrorCode.TOO_EARLY,
            message,
            rule,
            at=earliest,
            day=policy.buyer_escalation_after_days + 1,
        )
    return data


def _check_rule(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
    dispute = _open(state)
    if isinstance(dispute, Refusal):
        return dispute
    refused = _status_is(dispute, RULING_STATUSES, "rule")
    if refused:
        return refused
    amount = _amount(
        data["refund_amount"], low=ZERO, high=state.order.refundable, what="The refund amount"
    )
    if isinstance(amount, Refusal):
        return amount
    return {**data, "refund_amount": format_money(amount)}


def _check_tracking(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
    return data


_ACTIONS: dict[str, tuple[Callable[[Mapping[str, Any]], dict[str, Any]], Checker]] = {
    Action.SHIP: (_shipment_fields, _check_ship),
    Action.EXTEND_DELIVERY: (_extend_fields, _check_extend),
    Action.CONFIRM_RECEIPT: (_no_fields, _check_confirm_receipt),
    Action.TRACKING: (_tracking_fields, _check_tracking),
    Action.OPEN_DISPUTE: (_open_fields, _check_open),
    Action.MODIFY_DISPUTE: (_plan_fields, _check_negotiation_plan("modify the dispute")),
    Action.PROPOSE: (_plan_fields, _check_negotiation_plan("propose a plan")),
    Action.REJECT: (_reject_fields, _check_in_status(NEGOTIATION_STATUSES, "reject")),
    Action.ACCEPT: (_no_fields, _check_accept),
    Action.CANCEL_DISPUTE: (_no_fields, _check_in_status(_ANY_OPEN, "cancel")),
    Action.ESCALATE: (_escalate_fields, _check_escalate),
    Action.SHIP_REPLACEMENT: (
        _shipment_fields,
        _check_in_status(frozenset({DS.AWAITING_RESEND}), "ship a replacement"),
    ),
    Action.SHIP_RETURN: (
        _shipment_fields,
        _check_in_status(frozenset({DS.AWAITING_RETURN_SHIPMENT}), "ship the return"),
    ),
    Action.CONFIRM_RETURN_RECEIVED: (
        _no_fields,
        _check_in_status(frozenset({DS.AWAITING_RETURN_RECEIPT}), "confirm the return"),
    ),
    Action.GIVE_UP_RETURN: (_no_fields, _check_in_status(RETURN_STATUSES, "give up the return")),
    Action.INTERVENE: (_no_fields, _check_in_status(frozenset({DS.ESCALATED}), "intervene")),
    Action.SUBMIT_EVIDENCE: (_evidence_fields, _check_in_status(_ANY_OPEN, "submit evidence")),
    Action.RULE: (_rule_fields, _check_rule),
}


def decide(state: State, command: Command, policy: Policy) -> Event | Refusal:
    """The event `command` causes, or the first failed check (RULES.md section 11)."""
    entry = _ACTIONS.get(command.action)
    if entry is None:  # an automatic step's name: known, but nobody may send it
        if command.action in Action.__members__.values():
            return _refuse(
                ErrorCode.FORBIDDEN,
                f"{command.action} is an automatic step",
                "action.automatic",
                action=command.action,
            )
        return _refuse(ErrorCode.INVALID_INPUT, f"action: unknown action {command.action!r}")
    parse, check = entry
    try:
        data = parse(command.fields)
    except _Invalid as exc:
        return _refuse(ErrorCode.INVALID_INPUT, str(exc), "input", detail=str(exc))
    if command.action not in PERMITTED_ACTIONS.get(command.actor, ()):
        return _refuse(
            ErrorCode.FORBIDDEN,
            f"A {command.actor} may not {command.action.replace('_', ' ')}",
            "action.forbidden",
            actor=command.actor,
            action=command.action,
        )
    result = check(state, command, data, policy)
    if isinstance(result, Refusal):
        return result
    return Event(command.at, command.actor, command.action, result)


# --------------------------------------------------------------------------------------------
# evolve: apply an event


def _with_open_dispute(state: State, dispute: Dispute, order: Order | None = None) -> State:
    return State(
        order=order or state.order, disputes=(*state.disputes[:-1], dispute), clock=state.clock
    )


def _plan_of(data: Mapping[str, Any]) -> Plan:
    amount = data.get("amount")
    return Plan(data["type"], Decimal(amount) if amount is not None else None)


def _close(state: State, dispute: Dispute, resolution: str, refund: Decimal, at: datetime) -> State:
    """Close the open dispute and end (or continue) the order as RULES.md section 3 says."""
    order = replace(state.order, refunded_total=add_money(state.order.refunded_total, refund))
    dispute = replace(
        dispute, status=DS.CLOSED, resolution=resolution, refund_amount=refund, closed_at=at
    )
    fully_refunded = order.refunded_total >= order.total
    if resolution in FINAL_RESOLUTIONS:
        if order.status == OrderStatus.SHIPPED:
            order.status = OrderStatus.REFUNDED if fully_refunded else OrderStatus.COMPLETED
            order.completed_at = at
        elif order.status == OrderStatus.COMPLETED and fully_refunded:
            order.status = OrderStatus.REFUNDED
    elif resolution == Resolution.RESENT:
        order.status = OrderStatus.SHIPPED
        order.shipped_at = at
        order.delivery_deadline = at + days(order.promised_delivery_days)
        order.completed_at = None
    # cancelled: the order goes on; a passed deadline completes it through `due`.
    return _with_open_dispute(state, dispute, order)


def _agree(state: State, dispute: Dispute, plan: Plan, at: datetime) -> State:
    """Agreement on `plan` (RULES.md section 6)."""
    if plan.type == PlanType.REFUND_ONLY:
        assert plan.amount is not None
        return _close(
            state,
            replace(dispute, agreed_amount=plan.amount, agreed_at=at),
            Resolution.REFUNDED,
            plan.amount,
            at,
        )
    if plan.type == PlanType.RETURN_AND_REFUND:
        return _with_open_dispute(
            state,
            replace(
                dispute, status=DS.AWAITING_RETURN_SHIPMENT, agreed_amount=plan.amount, agreed_at=at
            ),
        )
    return _with_open_dispute(state, replace(dispute, status=DS.AWAITING_RESEND, agreed_at=at))


def _escalate(state: State, dispute: Dispute, escalation: str, at: datetime) -> State:
    return _with_open_dispute(
        state,
        replace(
            dispute,
            status=DS.ESCALATED,
            escalation=escalation,
            escalated_at=at,
            evidence_period=0,
            evidence_period_started_at=None,
        ),
    )


def evolve(state: State, event: Event) -> State:
    """The state after `event`; `state` itself is not changed."""
    new = _EVOLVE[event.action](state, event)
    new.clock = event.at
    return new


def _evolve_order(state: State, **changes: Any) -> State:
    return State(order=replace(state.order, **changes), disputes=state.disputes, clock=state.clock)


def _on_ship(state: State, e: Event) -> State:
    return _evolve_order(
        state,
        status=OrderStatus.SHIPPED,
        shipped_at=e.at,
        carrier=e.data["carrier"],
        tracking_number=e.data["tracking_number"],
        delivery_deadline=e.at + days(state.order.promised_delivery_days),
    )


def _on_extend(state: State, e: Event) -> State:
    order = state.order
    assert order.delivery_deadline is not None
    return _evolve_order(
        state,
        delivery_deadline=order.delivery_deadline + days(e.data["days"]),
        delivery_extension_days=order.delivery_extension_days + e.data["days"],
    )


def _on_order_completed(state: State, e: Event) -> State:
    return _evolve_order(state, status=OrderStatus.COMPLETED, completed_at=e.at)


def _on_nothing(state: State, e: Event) -> State:
    return State(order=state.order, disputes=state.disputes, clock=state.clock)


def _on_open(state: State, e: Event) -> State:
    d = e.data
    dispute = Dispute(
        reason=d["reason"],
        opened_at=e.at,
        buyer_plan=_plan_of(d["plan"]),
        goods_received=d["goods_received"],
        note=d.get("note"),
        seller_clock_from=e.at,
    )
    return State(order=state.order, disputes=(*state.disputes, dispute), clock=state.clock)


def _open_dispute(state: State) -> Dispute:
    dispute = state.open_dispute
    assert dispute is not None, "event needs an open dispute"
    return dispute


def _on_modify(state: State, e: Event) -> State:
    return _with_open_dispute(
        state,
        replace(
            _open_dispute(state),
            buyer_plan=_plan_of(e.data["plan"]),
            status=DS.AWAITING_SELLER_RESPONSE,
            seller_clock_from=e.at,
        ),
    )


def _on_propose(state: State, e: Event) -> State:
    return _with_open_dispute(
        state,
        replace(
            _open_dispute(state),
            seller_plan=_plan_of(e.data["plan"]),
            status=DS.NEGOTIATING,
            seller_last_response=Action.PROPOSE.value,
        ),
    )


def _on_reject(state: State, e: Event) -> State:
    return _with_open_dispute(
        state,
        replace(
            _open_dispute(state), status=DS.NEGOTIATING, seller_last_response=Action.REJECT.value
        ),
    )


def _on_accept(state: State, e: Event) -> State:
    dispute = _open_dispute(state)
    if e.actor == Actor.SELLER:
        dispute = replace(dispute, seller_last_response=Action.ACCEPT.value)
        return _agree(state, dispute, dispute.buyer_plan, e.at)
    assert dispute.seller_plan is not None
    return _agree(state, dispute, dispute.seller_plan, e.at)


def _on_seller_timeout(state: State, e: Event) -> State:
    dispute = _open_dispute(state)
    return _agree(state, dispute, dispute.buyer_plan, e.at)


def _on_cancel(state: State, e: Event) -> State:
    return _close(state, _open_dispute(state), Resolution.CANCELLED, ZERO, e.at)


def _on_escalate(state: State, e: Event) -> State:
    return _escalate(state, _open_dispute(state), e.actor, e.at)


def _on_auto_escalated(state: State, e: Event) -> State:
    return _escalate(state, _open_dispute(state), e.data["escalation"], e.at)


def _on_ship_replacement(state: State, e: Event) -> State:
    new = _close(state, _open_dispute(state), Resolution.RESENT, ZERO, e.at)
    new.order.carrier = e.data["carrier"]
    new.order.tracking_number = e.data["tracking_number"]
    return new


def _on_ship_return(state: State, e: Event) -> State:
    return _with_open_dispute(
        state,
        replace(
            _open_dispute(state),
            status=DS.AWAITING_RETURN_RECEIPT,
            return_shipped_at=e.at,
            return_carrier=e.data["carrier"],
            return_tracking_number=e.data["tracking_number"],
        ),
    )


def _on_refund_agreed(state: State, e: Event) -> State:
    """confirm_return_received, give_up_return, return_receipt_timeout: refund the agreed amount."""
    dispute = _open_dispute(state)
    return _close(state, dispute, Resolution.REFUNDED, dispute.agreed_amount or ZERO, e.at)


def _on_return_not_shipped(state: State, e: Event) -> State:
    return _close(state, _open_dispute(state), Resolution.RETURN_NOT_SHIPPED, ZERO, e.at)


def _on_intervene(state: State, e: Event) -> State:
    return _with_open_dispute(
        state,
        replace(
            _open_dispute(state),
            status=DS.AWAITING_SELLER_EVIDENCE,
            evidence_period=1,
            evidence_period_started_at=e.at,
        ),
    )


def _on_evidence(state: State, e: Event) -> State:
    dispute = _open_dispute(state)
    evidence = (*dispute.evidence, Evidence(e.actor, e.data["kind"], e.data["description"], e.at))
    status = dispute.status
    if e.actor == Actor.SELLER and status == DS.AWAITING_SELLER_EVIDENCE:
        status = DS.UNDER_REVIEW
    return _with_open_dispute(state, replace(dispute, evidence=evidence, status=status))


def _on_period_extended(state: State, e: Event) -> State:
    dispute = _open_dispute(state)
    return _with_open_dispute(
        state,
        replace(
            dispute, evidence_period=dispute.evidence_period + 1, evidence_period_started_at=e.at
        ),
    )


def _on_auto_ruled(state: State, e: Event) -> State:
    dispute = replace(_open_dispute(state), responsibility=Responsibility.SELLER.value)
    plan = dispute.buyer_plan
    refundable = state.order.refundable
    amount = refundable if plan.amount is None else min(plan.amount, refundable)
    return _close(state, dispute, Resolution.RULED, amount, e.at)


def _on_rule(state: State, e: Event) -> State:
    amount = Decimal(e.data["refund_amount"])
    dispute = replace(_open_dispute(state), responsibility=e.data["responsibility"])
    if e.data["return_required"]:
        return _with_open_dispute(
            state,
            replace(
                dispute,
                status=DS.AWAITING_RETURN_SHIPMENT,
                agreed_amount=amount,
                agreed_at=e.at,
                return_shipped_at=None,
            ),
        )
    return _close(state, dispute, Resolution.RULED, amount, e.at)


_EVOLVE: dict[str, Callable[[State, Event], State]] = {
    Action.SHIP: _on_ship,
    Action.EXTEND_DELIVERY: _on_extend,
    Action.CONFIRM_RECEIPT: _on_order_completed,
    Action.ORDER_AUTO_COMPLETED: _on_order_completed,
    Action.TRACKING: _on_nothing,
    Action.OPEN_DISPUTE: _on_open,
    Action.MODIFY_DISPUTE: _on_modify,
    Action.PROPOSE: _on_propose,
    Action.REJECT: _on_reject,
    Action.ACCEPT: _on_accept,
    Action.SELLER_RESPONSE_TIMEOUT: _on_seller_timeout,
    Action.CANCEL_DISPUTE: _on_cancel,
    Action.ESCALATE: _on_escalate,
    Action.AUTO_ESCALATED: _on_auto_escalated,
    Action.SHIP_REPLACEMENT: _on_ship_replacement,
    Action.SHIP_RETURN: _on_ship_return,
    Action.CONFIRM_RETURN_RECEIVED: _on_refund_agreed,
    Action.GIVE_UP_RETURN: _on_refund_agreed,
    Action.RETURN_RECEIPT_TIMEOUT: _on_refund_agreed,
    Action.RETURN_SHIPMENT_TIMEOUT: _on_return_not_shipped,
    Action.INTERVENE: _on_intervene,
    Action.SUBMIT_EVIDENCE: _on_evidence,
    Action.EVIDENCE_PERIOD_EXTENDED: _on_period_extended,
    Action.AUTO_RULED: _on_auto_ruled,
    Action.RULE: _on_rule,
}


# --------------------------------------------------------------------------------------------
# due: the next automatic step


def due(state: State, policy: Policy) -> Due | None:
    """The next automatic step for `state`, or None when nothing is pending."""
    order = state.order
    dispute = state.open_dispute
    if dispute is None:
        if order.status == OrderStatus.SHIPPED and order.delivery_deadline is not None:
            return Due(order.delivery_deadline, Action.ORDER_AUTO_COMPLETED, Actor.BUYER, {})
        return None
    status = dispute.status
    if status in NEGOTIATION_STATUSES:
        if dispute.reason == IN_TRANSIT:
            assert order.delivery_deadline is not None
            escalation = Due(
                order.delivery_deadline,
                Action.AUTO_ESCALATED,
                None,
                {"escalation": Escalation.AUTO_IN_TRANSIT.value},
            )
        else:
            escalation = Due(
                dispute.opened_at + days(policy.auto_escalation_after_days),
                Action.AUTO_ESCALATED,
                None,
                {"escalation": Escalation.AUTO_NO_AGREEMENT.value},
            )
        if status == DS.AWAITING_SELLER_RESPONSE:
            assert dispute.seller_clock_from is not None
            timeout = dispute.seller_clock_from + days(policy.seller_response_days)
            if timeout <= escalation.at:  # the tie goes to the timeout (RULES.md section 1)
                return Due(timeout, Action.SELLER_RESPONSE_TIMEOUT, Actor.SELLER, {})
            return replace(escalation, waiting_on=Actor.SELLER)
        return replace(escalation, waiting_on=Actor.BUYER)
    if status == DS.AWAITING_RESEND:
        assert dispute.agreed_at is not None
        return Due(
            dispute.agreed_at + days(policy.resend_ship_days),
            Action.AUTO_ESCALATED,
            Actor.SELLER,
            {"escalation": Escalation.AUTO_RESEND_MISSED.value},
        )
    if status == DS.AWAITING_RETURN_SHIPMENT:
        assert dispute.agreed_at is not None
        return Due(
            dispute.agreed_at + days(policy.return_shipment_days),
            Action.RETURN_SHIPMENT_TIMEOUT,
            Actor.BUYER,
            {},
        )
    if status == DS.AWAITING_RETURN_RECEIPT:
        assert dispute.return_shipped_at is not None
        return Due(
            dispute.return_shipped_at + days(policy.return_receipt_days),
            Action.RETURN_RECEIPT_TIMEOUT,
            Actor.SELLER,
            {},
        )
    if status == DS.AWAITING_SELLER_EVIDENCE:
        assert dispute.evidence_period_started_at is not None
        at = dispute.evidence_period_started_at + days(policy.evidence_period_days)
        if dispute.evidence_period < policy.evidence_periods:
            return Due(at, Action.EVIDENCE_PERIOD_EXTENDED, Actor.SELLER, {})
        return Due(at, Action.AUTO_RULED, Actor.SELLER, {})
    return None  # escalated (waits for an arbitrator), under_review


def intervention_due_at(dispute: Dispute, policy: Policy) -> datetime | None:
    """The platform's promise to step in (RULES.md section 9): N working days after the
    escalation. Nothing fires at it; it is shown and watched."""
    if dispute.escalated_at is None:
        return None
    return add_working_days(
        dispute.escalated_at, policy.platform_intervention_working_days, policy.platform_calendar
    )


def advance(state: State, until: datetime, policy: Policy) -> tuple[State, list[Event]]:
    """Fire every automatic step due at or before `until`, in time order. A step that became
    due before the state's clock (it arose from an action) fires at the clock's instant."""
    fired: list[Event] = []
    while (next_step := due(state, policy)) is not None and next_step.at <= until:
        at = next_step.at
        if state.clock is not None and at < state.clock:
            at = state.clock
        event = Event(at, Actor.SYSTEM.value, next_step.action, next_step.data)
        state = evolve(state, event)
        fired.append(event)
    return state, fired


def handle(state: State, command: Command, policy: Policy) -> tuple[State, list[Entry]]:
    """Step to the command's instant, apply it (or refuse it), and fire what it made due.
    Returns the new state and the timeline entries, in order."""
    state, before = advance(state, command.at, policy)
    entries = [Entry.of(e) for e in before]
    result = decide(state, command, policy)
    if isinstance(result, Refusal):
        # A refused action changes nothing, not even the clock: every step due by now has fired.
        entries.append(
            Entry(
                command.at, command.actor, command.action, result.code, result.message, None, result
            )
        )
        return state, entries
    state = evolve(state, result)
    entries.append(Entry.of(result))
    state, after = advance(state, command.at, policy)
    entries.extend(Entry.of(e) for e in after)
    return state, entries
