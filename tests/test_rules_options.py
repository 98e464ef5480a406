"""What an actor may do now (`lifecycle.options`): the core asked, so pages never offer a form the
rules refuse and never hide one they accept.

Two properties over thousands of random states (from `simulate.random_scenario`), for every
actor: each action the rules accept from a well-formed command at that instant is listed as
allowed (nothing possible is hidden), and each action listed as allowed is accepted (no dead
button). Then worked cases with their instants, by hand from RULES.md."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from disputedesk.replay import load_scenario, run
from disputedesk.rules.errors import ErrorCode, Refusal
from disputedesk.rules.instants import parse_instant
from disputedesk.rules.lifecycle import Command, advance, allowed_actions, decide, options
from disputedesk.rules.lifecycle.options import PROBES
from disputedesk.rules.vocabulary import PERMITTED_ACTIONS, Action, Actor
from disputedesk.simulate import random_event, random_scenario
from helpers import ORDER, SHIP_AT, ev, open_dispute, scenario, ship

PEOPLE = (Actor.BUYER, Actor.SELLER, Actor.ARBITRATOR)


def state_after(events: list[dict[str, Any]], order: dict[str, Any] | None = None) -> Any:
    replay = run(load_scenario(scenario(events, order=order)))
    return replay.state, replay.policy


def at(text: str) -> datetime:
    instant = parse_instant(text)
    assert instant is not None
    return instant


def test_options_agree_with_decide_on_random_states() -> None:
    rng = random.Random(20261130)
    checked = accepted_seen = 0
    for _ in range(300):
        replay = run(load_scenario(random_scenario(rng)))
        state, policy = replay.state, replay.policy
        base = state.clock or at(SHIP_AT)
        for _probe in range(6):
            instant = base + timedelta(hours=rng.choice([0, 1, 30, 100, 200, 400, 900]))
            advanced, _ = advance(state, instant, policy)
            total_cents = int(state.order.total * 100)
            for actor in PEOPLE:
                allowed = set(allowed_actions(state, actor, instant, policy))
                # nothing possible is hidden: random well-formed commands the core accepts
                for _try in range(8):
                    event = random_event(rng, instant, total_cents)
                    if event["action"] not in PERMITTED_ACTIONS[actor]:
                        continue
                    fields = {k: v for k, v in event.items() if k not in ("at", "actor", "action")}
                    result = decide(
                        advanced, Command(instant, actor, event["action"], fields), policy
                    )
                    checked += 1
                    if not isinstance(result, Refusal):
                        accepted_seen += 1
                        assert event["action"] in allowed, (actor, event, allowed)
                # no dead button: every allowed action has a command the core accepts, and
                # every refused one is refused by the core with the same code
                for option in options(state, actor, instant, policy):
                    probe = Command(instant, actor, option.action, dict(PROBES[option.action]))
                    verdict = decide(advanced, probe, policy)
                    if option.allowed:
                        assert not isinstance(verdict, Refusal), (option, verdict)
                    else:
                        assert isinstance(verdict, Refusal)
                        assert verdict.code == option.refusal.code
    assert checked > 1000 and accepted_seen > 100


def test_a_buyer_before_the_dispute_window_is_told_from_when() -> None:
    state, policy = state_after([ship()])
    early = {o.action: o for o in options(state, Actor.BUYER, at("2026-03-05T10:00:00Z"), policy)}
    assert not early[Action.OPEN_DISPUTE].allowed and early[Action.OPEN_DISPUTE].not_yet
    assert early[Action.OPEN_DISPUTE].refusal.params["at"] == at("2026-03-08T10:00:00Z")
    assert early[Action.CONFIRM_RECEIPT].allowed
    later = allowed_actions(state, Actor.BUYER, at("2026-03-08T10:00:00Z"), policy)
    assert Action.OPEN_DISPUTE in later


def test_nothing_to_open_before_shipment_or_after_a_full_refund() -> None:
    state, policy = state_after([])
    assert allowed_actions(state, Actor.BUYER, at("2026-03-10T00:00:00Z"), policy) == []
    assert allowed_actions(state, Actor.SELLER, at("2026-03-10T00:00:00Z"), policy) == [Action.SHIP]
    refunded, policy = state_after(
        [
            ship(),
            open_dispute(
                "2026-03-10T10:00:00Z", the_plan={"type": "refund_only", "amount": "121.49"}
            ),
            ev("2026-03-11T10:00:00Z", "seller", "accept"),
        ]
    )
    assert refunded.order.status == "refunded"
    assert allowed_actions(refunded, Actor.BUYER, at("2026-03-12T10:00:00Z"), policy) == []


def test_in_transit_escalation_is_not_yet_until_the_delivery_deadline() -> None:
    state, policy = state_after(
        [ship(), open_dispute("2026-03-10T10:00:00Z", reason="not_received.in_transit")]
    )
    buyer = {o.action: o for o in options(state, Actor.BUYER, at("2026-03-12T10:00:00Z"), policy)}
    escalate = buyer[Action.ESCALATE]
    assert escalate.not_yet and escalate.refusal.rule == "escalate.in_transit"
    assert escalate.refusal.params["at"] == at("2026-04-02T10:00:00Z")  # the delivery deadline
    assert buyer[Action.MODIFY_DISPUTE].allowed and buyer[Action.CANCEL_DISPUTE].allowed
    assert not buyer[Action.ACCEPT].allowed  # no seller plan yet
    assert buyer[Action.ACCEPT].refusal.code == ErrorCode.INVALID_STATE


def test_options_are_judged_after_the_steps_due_by_then() -> None:
    """Five days after opening the seller's window is over: the buyer's plan ran, so the seller
    has nothing left to answer (RULES.md section 7)."""
    state, policy = state_after([ship(), open_dispute("2026-03-10T10:00:00Z")])
    inside = allowed_actions(state, Actor.SELLER, at("2026-03-15T09:59:59Z"), policy)
    assert {Action.ACCEPT, Action.PROPOSE, Action.REJECT} <= set(inside)
    after = allowed_actions(state, Actor.SELLER, at("2026-03-15T10:00:00Z"), policy)
    assert not {Action.ACCEPT, Action.PROPOSE, Action.REJECT} & set(after)


def test_the_arbitrator_can_intervene_only_once_escalated_and_rule_only_after() -> None:
    events = [
        ship(),
        open_dispute("2026-03-10T10:00:00Z"),
        ev("2026-03-11T10:00:00Z", "seller", "reject", note="as described"),
        ev("2026-03-11T11:00:00Z", "buyer", "escalate"),
    ]
    state, policy = state_after(events)
    assert allowed_actions(state, Actor.ARBITRATOR, at("2026-03-11T12:00:00Z"), policy) == [
        Action.INTERVENE
    ]
    taken, policy = state_after([*events, ev("2026-03-12T10:00:00Z", "arbitrator", "intervene")])
    assert allowed_actions(taken, Actor.ARBITRATOR, at("2026-03-12T11:00:00Z"), policy) == [
        Action.RULE
    ]


def test_an_order_total_beyond_any_refund_left_refuses_plans() -> None:
    order = {**ORDER, "amount": "0.00", "shipping": "0.00"}
    state, policy = state_after([ship()], order=order)
    buyer = {o.action: o for o in options(state, Actor.BUYER, at("2026-03-10T10:00:00Z"), policy)}
    assert buyer[Action.OPEN_DISPUTE].refusal.code == ErrorCode.INVALID_AMOUNT
