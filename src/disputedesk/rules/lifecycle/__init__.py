"""The dispute lifecycle: RULES.md sections 3 to 9 as three pure functions.

- `decide(state, command, policy)` checks a command and returns the event it causes, or a
  `Refusal` whose code is the first check that failed (RULES.md section 11, in check order).
- `evolve(state, event)` applies an event (a command's or an automatic step's) to a new state.
- `due(state, policy)` names the next automatic step and its instant.

`advance` and `handle` combine them the way section 1 orders time: deadlines due at or before an
instant fire (in time order) before an action at that instant, and a step that is already due
when an action makes it arise fires at that action's instant, right after it.

`options` / `allowed_actions` say what an actor may do now, asked of the same checks.

No clock, no I/O: the caller passes every instant in.
"""

from disputedesk.rules.lifecycle.checks import buyer_escalation_from, decide, dispute_window
from disputedesk.rules.lifecycle.clock import (
    UNTIMED_STATUSES,
    advance,
    due,
    handle,
    intervention_due_at,
)
from disputedesk.rules.lifecycle.evolve import evolve
from disputedesk.rules.lifecycle.options import Option, allowed_actions, options
from disputedesk.rules.lifecycle.types import Command, Due, Entry, Event

__all__ = [
    "UNTIMED_STATUSES",
    "Command",
    "Due",
    "Entry",
    "Event",
    "Option",
    "advance",
    "allowed_actions",
    "buyer_escalation_from",
    "decide",
    "dispute_window",
    "due",
    "evolve",
    "handle",
    "intervention_due_at",
    "options",
]
