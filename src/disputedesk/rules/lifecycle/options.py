"""What an actor may do now: the rules core asked, action by action, with the least command that
would pass its own field checks, so only the state, the time and what is still refundable
decide. Every page and the API's `allowed_actions` come from here, so nothing offers a form the
rules would refuse, and what is not possible *yet* says from when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from disputedesk.rules.errors import ErrorCode, Refusal
from disputedesk.rules.lifecycle.checks import ACTIONS_IN_ORDER, check_state
from disputedesk.rules.lifecycle.clock import advance
from disputedesk.rules.model import State
from disputedesk.rules.policy import Policy
from disputedesk.rules.vocabulary import PERMITTED_ACTIONS, Action

# Well-formed fields for each action, the least that says nothing about the case: a one-cent
# refund (so a fully refunded order refuses plans), one more day of delivery, empty notes.
PROBES: Mapping[str, Mapping[str, Any]] = {
    Action.SHIP: {"carrier": "-", "tracking_number": "-"},
    Action.EXTEND_DELIVERY: {"days": 1},
    Action.CONFIRM_RECEIPT: {},
    Action.OPEN_DISPUTE: {
        "reason": "not_received.tracking_invalid",
        "plan": {"type": "refund_only", "amount": "0.01"},
        "goods_received": False,
        "note": None,
    },
    Action.MODIFY_DISPUTE: {"plan": {"type": "refund_only", "amount": "0.01"}},
    Action.PROPOSE: {"plan": {"type": "refund_only", "amount": "0.01"}},
    Action.REJECT: {"note": ""},
    Action.ACCEPT: {},
    Action.CANCEL_DISPUTE: {},
    Action.ESCALATE: {"note": None},
    Action.SHIP_REPLACEMENT: {"carrier": "-", "tracking_number": "-"},
    Action.SHIP_RETURN: {"carrier": "-", "tracking_number": "-"},
    Action.CONFIRM_RETURN_RECEIVED: {},
    Action.GIVE_UP_RETURN: {},
    Action.INTERVENE: {},
    Action.SUBMIT_EVIDENCE: {"kind": "other", "description": ""},
    Action.RULE: {"refund_amount": "0", "responsibility": "none", "return_required": False},
}


@dataclass(frozen=True, slots=True)
class Option:
    """One action of the actor: allowed now, or the refusal it would get (its code, words,
    rule and instant: `too_early` says from when)."""

    action: str
    refusal: Refusal | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def not_yet(self) -> bool:
        """Refused only because it is too early: possible later, from the refusal's instant."""
        return self.refusal is not None and self.refusal.code == ErrorCode.TOO_EARLY


def options(state: State, actor: str, at: datetime, policy: Policy) -> list[Option]:
    """Every action `actor` may send (carrier scans aside), judged at `at` after the
    automatic steps due by then, in the order of RULES.md's tables."""
    state, _fired = advance(state, at, policy)
    permitted = PERMITTED_ACTIONS.get(actor, frozenset())
    out = []
    for action in ACTIONS_IN_ORDER:
        if action not in permitted or action not in PROBES:
            continue
        result = check_state(state, actor, action, dict(PROBES[action]), at, policy)
        out.append(Option(action, result if isinstance(result, Refusal) else None))
    return out


def allowed_actions(state: State, actor: str, at: datetime, policy: Policy) -> list[str]:
    """The actions `actor` may take now."""
    return [o.action for o in options(state, actor, at, policy) if o.allowed]
