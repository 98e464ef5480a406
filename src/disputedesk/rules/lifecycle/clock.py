"""Time: `due` names the next automatic step, `advance` fires what is due, `handle` runs a
command at its instant between them (RULES.md section 1)."""

from __future__ import annotations

from datetime import datetime

from disputedesk.rules.calendar import add_working_days
from disputedesk.rules.errors import Refusal
from disputedesk.rules.instants import days
from disputedesk.rules.lifecycle.checks import decide
from disputedesk.rules.lifecycle.evolve import evolve
from disputedesk.rules.lifecycle.types import Command, Due, Entry, Event
from disputedesk.rules.model import Dispute, State, replace
from disputedesk.rules.policy import Policy
from disputedesk.rules.vocabulary import (
    IN_TRANSIT,
    NEGOTIATION_STATUSES,
    Action,
    Actor,
    DisputeStatus,
    Escalation,
    OrderStatus,
)

DS = DisputeStatus
# An open dispute in these statuses waits on the platform, with no automatic step ahead (`due`
# is None); in every other open status a party must act before one fires. The dispute lists
# rely on it to find the open disputes with no deadline through an index.
UNTIMED_STATUSES = frozenset({DS.ESCALATED, DS.UNDER_REVIEW})

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
    return None  # UNTIMED_STATUSES: escalated (waits for an arbitrator), under_review


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
