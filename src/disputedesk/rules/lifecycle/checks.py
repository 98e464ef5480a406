"""`decide`: the remaining checks of a command, in RULES.md section 11's order (actor, dispute,
status, time, amount), and the event it causes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from disputedesk.rules.errors import ErrorCode, Refusal
from disputedesk.rules.instants import days, format_instant
from disputedesk.rules.lifecycle.fields import (
    _escalate_fields,
    _evidence_fields,
    _extend_fields,
    _Invalid,
    _no_fields,
    _open_fields,
    _plan_fields,
    _reject_fields,
    _rule_fields,
    _shipment_fields,
    _tracking_fields,
)
from disputedesk.rules.lifecycle.types import Command, Event
from disputedesk.rules.model import Dispute, Order, State
from disputedesk.rules.money import CENT, ZERO, format_money, parse_money
from disputedesk.rules.policy import Policy
from disputedesk.rules.vocabulary import (
    FINAL_RESOLUTIONS,
    IN_TRANSIT,
    NEGOTIATION_STATUSES,
    PERMITTED_ACTIONS,
    RETURN_STATUSES,
    RULING_STATUSES,
    Action,
    Actor,
    DisputeStatus,
    Escalation,
    OrderStatus,
    PlanType,
)

DS = DisputeStatus

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


# Where a seller who escalated a return can still withdraw it by confirming the goods arrived
# (RULES.md section 8, "seller withdraws its escalation"): before the ruling.
WITHDRAWABLE = frozenset({DS.ESCALATED, *RULING_STATUSES})


def _check_confirm_return(state: State, cmd: Command, data: dict[str, Any], policy: Policy):
    """The return arrived: while it is awaited, or, when the seller itself escalated the return,
    as the withdrawal of that escalation until the ruling. A buyer's or an automatic
    escalation cannot be withdrawn this way (`invalid_state`)."""
    dispute = _open(state)
    if isinstance(dispute, Refusal):
        return dispute
    if dispute.status in WITHDRAWABLE and dispute.escalation == Escalation.SELLER:
        return data
    return (
        _status_is(dispute, frozenset({DS.AWAITING_RETURN_RECEIPT}), "confirm the return") or data
    )


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
    Action.CONFIRM_RETURN_RECEIVED: (_no_fields, _check_confirm_return),
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


# The actions people send, in the order of RULES.md's tables (the order pages offer them in).
ACTIONS_IN_ORDER: tuple[str, ...] = tuple(a for a in _ACTIONS if a != Action.TRACKING)


def check_state(
    state: State, actor: str, action: str, data: dict[str, Any], at: datetime, policy: Policy
) -> dict[str, Any] | Refusal:
    """The checks after the fields (actor, dispute, status, time, amount) for fields already
    well formed: what `decide` would answer for this actor and action at `at`."""
    if action not in PERMITTED_ACTIONS.get(actor, ()):
        return _refuse(
            ErrorCode.FORBIDDEN,
            f"A {actor} may not {action.replace('_', ' ')}",
            "action.forbidden",
            actor=actor,
            action=action,
        )
    _parse, check = _ACTIONS[action]
    return check(state, Command(at, actor, action, data), data, policy)
