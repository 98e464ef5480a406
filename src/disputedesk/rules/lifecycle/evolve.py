"""`evolve`: an accepted command's or an automatic step's event applied to the state."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from disputedesk.rules.instants import days
from disputedesk.rules.lifecycle.types import Event
from disputedesk.rules.model import Dispute, Evidence, Order, Plan, State, replace
from disputedesk.rules.money import ZERO, add_money
from disputedesk.rules.vocabulary import (
    FINAL_RESOLUTIONS,
    Action,
    Actor,
    DisputeStatus,
    OrderStatus,
    PlanType,
    Resolution,
    Responsibility,
)

DS = DisputeStatus

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
