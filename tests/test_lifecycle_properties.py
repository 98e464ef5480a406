"""Property tests of the lifecycle: a hypothesis state machine drives random commands at random
gaps (many on or next to a deadline) and checks the invariants of the rulebook after each one."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from disputedesk.replay import Replay, load_commands, load_scenario, outcome, run
from disputedesk.rules.lifecycle import UNTIMED_STATUSES, due
from disputedesk.rules.model import State
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.simulate import random_event, random_scenario

GAPS = [
    0,
    1,
    3599,
    3600,
    86399,
    86400,
    3 * 86400,
    5 * 86400 - 1,
    5 * 86400,
    10 * 86400,
    15 * 86400,
    30 * 86400,
    31 * 86400,
]
# Statuses in which a party must act before an automatic step; the others (escalated, under
# review) wait on the platform with nothing due: the dispute lists rely on it (`UNTIMED_STATUSES`).
WAITING = {
    DisputeStatus.AWAITING_SELLER_RESPONSE,
    DisputeStatus.NEGOTIATING,
    DisputeStatus.AWAITING_RETURN_SHIPMENT,
    DisputeStatus.AWAITING_RETURN_RECEIPT,
    DisputeStatus.AWAITING_RESEND,
    DisputeStatus.AWAITING_SELLER_EVIDENCE,
}
assert set(DisputeStatus) - UNTIMED_STATUSES - {DisputeStatus.CLOSED} == WAITING


class DisputeMachine(RuleBasedStateMachine):
    """One order; each rule sends one command through the same path `replay` takes."""

    def __init__(self) -> None:
        super().__init__()
        self.doc: dict = {}
        self.events: list[dict] = []
        self.replay: Replay | None = None
        self.closed: dict[int, str] = {}
        self.total_cents = 0
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    @initialize(seed=st.integers(0, 2**32 - 1))
    def start(self, seed: int) -> None:
        doc = random_scenario(random.Random(seed), n_events=1)
        doc.pop("until")
        self.doc = doc
        scenario = load_scenario(doc)
        self.replay = Replay(scenario.policy, State(order=scenario.order))
        self.total_cents = int(scenario.order.total * 100)
        self.events = []
        self._send(doc["events"][0])

    def _send(self, event: dict) -> None:
        assert self.replay is not None
        (command,) = load_commands([event])
        self.replay.apply(command)
        self.events.append(event)
        self.now = command.at

    @precondition(lambda self: self.replay is not None)
    @rule(gap=st.sampled_from(GAPS), seed=st.integers(0, 2**32 - 1))
    def act(self, gap: int, seed: int) -> None:
        at = self.now + timedelta(seconds=gap)
        self._send(random_event(random.Random(seed), at, self.total_cents))

    @precondition(lambda self: self.replay is not None)
    @rule(gap=st.sampled_from(GAPS))
    def let_time_pass(self, gap: int) -> None:
        """The worker's view: the clock runs on with no command."""
        assert self.replay is not None
        self.now += timedelta(seconds=gap)
        self.replay.run_until(self.now)

    @invariant()
    def refunds_never_exceed_the_order_total(self) -> None:
        if self.replay is None:
            return
        state = self.replay.state
        assert Decimal("0") <= state.order.refunded_total <= state.order.total
        assert sum(d.refund_amount for d in state.disputes) == state.order.refunded_total

    @invariant()
    def at_most_one_open_dispute(self) -> None:
        if self.replay is None:
            return
        disputes = self.replay.state.disputes
        assert all(d.status == DisputeStatus.CLOSED for d in disputes[:-1])

    @invariant()
    def a_closed_dispute_never_changes(self) -> None:
        if self.replay is None:
            return
        for i, d in enumerate(self.replay.state.disputes):
            if d.status == DisputeStatus.CLOSED:
                snapshot = json.dumps(State(self.replay.state.order, (d,)).to_json()["disputes"])
                assert self.closed.setdefault(i, snapshot) == snapshot

    @invariant()
    def every_dispute_waiting_on_a_party_has_a_deadline(self) -> None:
        if self.replay is None:
            return
        state, policy = self.replay.state, self.replay.policy
        dispute = state.open_dispute
        if dispute is None:
            return
        step = due(state, policy)
        if dispute.status in WAITING:
            assert step is not None and step.at is not None
        else:
            assert step is None, (dispute.status, step)
        if dispute.status == DisputeStatus.ESCALATED:
            assert dispute.escalated_at is not None
            assert outcome(self.replay)["disputes"][-1]["intervention_due_at"] is not None

    @invariant()
    def the_timeline_never_goes_back_in_time(self) -> None:
        if self.replay is None:
            return
        instants = [e.at for e in self.replay.timeline]
        assert instants == sorted(instants)

    def teardown(self) -> None:
        if self.replay is None or len(self.events) < 2:
            return
        doc = {**self.doc, "events": self.events}
        whole = outcome(run(load_scenario(doc)))
        # the document's replay (the clock stops at the last event) agrees with the machine's
        # step-by-step replay up to that event
        live = [e for e in outcome(self.replay)["timeline"]]
        assert live[: len(whole["timeline"])] == whole["timeline"]
        for cut in {1, len(self.events) // 2, len(self.events) - 1}:
            first = run(load_scenario({**doc, "events": self.events[:cut]}))
            saved = json.loads(json.dumps(first.to_json()))
            resumed = Replay.from_json(saved, first.policy)
            for command in load_commands(self.events)[cut:]:
                resumed.apply(command)
            assert outcome(resumed) == whole, f"replaying in two halves at {cut} differs"


DisputeMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestDisputeMachine = DisputeMachine.TestCase


def test_state_json_round_trip_is_exact() -> None:
    rng = random.Random(7)
    for _ in range(200):
        replay = run(load_scenario(random_scenario(rng, n_events=12)))
        data = json.loads(json.dumps(replay.state.to_json()))
        assert State.from_json(data).to_json() == replay.state.to_json()
