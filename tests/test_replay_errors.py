"""Black-box tests for RULES.md section 11: permissions, error codes and their check order,
required fields, the outcome's shape, malformed scenarios and the `disputedesk replay` CLI.

Every expected value is worked out by hand from RULES.md. The default order (tests/helpers.py):
total 121.49, shipped 2026-03-03T10:00Z, delivery deadline 2026-04-02T10:00Z, disputes from
2026-03-08T10:00Z.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from disputedesk.replay import MalformedScenario, replay_scenario
from helpers import dispute, errors, ev, open_dispute, plan, run, scenario, ship, steps

SHIP = "2026-03-03T10:00:00Z"
EARLIEST = "2026-03-08T10:00:00Z"  # shipped_at + 5 d
OPEN = "2026-03-10T10:00:00Z"
DEADLINE = "2026-04-02T10:00:00Z"
TOTAL = "121.49"
SCENARIOS = Path(__file__).parent / "scenarios"


def seller(at: str, action: str, **fields: Any) -> dict[str, Any]:
    return ev(at, "seller", action, **fields)


def buyer(at: str, action: str, **fields: Any) -> dict[str, Any]:
    return ev(at, "buyer", action, **fields)


def arbitrator(at: str, action: str, **fields: Any) -> dict[str, Any]:
    return ev(at, "arbitrator", action, **fields)


# =========================================================================================
# Who may send what
# =========================================================================================

PERMITTED: dict[str, set[str]] = {
    "buyer": {
        "open_dispute",
        "modify_dispute",
        "cancel_dispute",
        "escalate",
        "accept",
        "confirm_receipt",
        "ship_return",
        "submit_evidence",
    },
    "seller": {
        "ship",
        "extend_delivery",
        "accept",
        "propose",
        "reject",
        "escalate",
        "ship_replacement",
        "confirm_return_received",
        "give_up_return",
        "submit_evidence",
    },
    "arbitrator": {"intervene", "rule"},
    "carrier": {"tracking"},
    "system": set(),
}
AUTOMATIC = {
    "order_auto_completed",
    "seller_response_timeout",
    "auto_escalated",
    "return_shipment_timeout",
    "return_receipt_timeout",
    "evidence_period_extended",
    "auto_ruled",
}
ALL_ACTIONS = sorted(set().union(*PERMITTED.values()) | AUTOMATIC)
ACTORS = ["buyer", "seller", "arbitrator", "carrier", "system"]

# Well-formed fields for each action, so that only the permission check can fail.
GOOD_FIELDS: dict[str, dict[str, Any]] = {
    "open_dispute": {"reason": "not_as_described.damaged", "plan": plan(), "goods_received": True},
    "modify_dispute": {"plan": plan("refund_only", "30.00")},
    "propose": {"plan": plan("refund_only", "20.00")},
    "reject": {"note": "no"},
    "ship": {"carrier": "China Post", "tracking_number": "RR1"},
    "ship_return": {"carrier": "Correios", "tracking_number": "BR1"},
    "ship_replacement": {"carrier": "Cainiao", "tracking_number": "LP1"},
    "extend_delivery": {"days": 5},
    "submit_evidence": {"kind": "photo", "description": "x"},
    "rule": {"refund_amount": "10.00", "responsibility": "seller"},
    "tracking": {"status": "in_transit"},
}


@pytest.mark.parametrize("actor", ACTORS)
def test_every_non_permitted_action_is_forbidden(actor: str) -> None:
    at = "2026-03-10T11:00:00Z"
    bad = [a for a in ALL_ACTIONS if a not in PERMITTED[actor]]
    assert len(bad) == 25 - len(PERMITTED[actor])
    evs = [ship(), open_dispute(OPEN)]
    evs += [ev(at, actor, action, **GOOD_FIELDS.get(action, {})) for action in bad]
    out = run(evs)
    refused = [(e["at"], e["actor"], e["action"], e["ok"], e["error"]) for e in out["timeline"][2:]]
    assert refused == [(at, actor, action, False, "forbidden") for action in bad]
    assert dispute(out)["status"] == "awaiting_seller_response"
    assert out["order"]["status"] == "shipped"
    assert out["order"]["refunded_total"] == "0.00"


# =========================================================================================
# Each error code
# =========================================================================================


def test_too_early_open() -> None:
    out = run([ship(), open_dispute("2026-03-08T09:59:59Z"), open_dispute(EARLIEST)])
    assert errors(out) == [None, "too_early", None]


def test_too_late_open_after_completion() -> None:
    # completed_at 03-05T10 + 15 d = 03-20T10.
    evs = [ship(), buyer("2026-03-05T10:00:00Z", "confirm_receipt")]
    assert errors(run([*evs, open_dispute("2026-03-20T09:59:59Z")])) == [None, None, None]
    assert errors(run([*evs, open_dispute("2026-03-20T10:00:00Z")])) == [None, None, "too_late"]


def test_too_late_extend_delivery_while_dispute_keeps_order_shipped() -> None:
    evs = [
        ship(),
        open_dispute("2026-03-28T10:00:00Z"),
        seller("2026-03-28T11:00:00Z", "propose", plan=plan("refund_only", "10.00")),
    ]
    out = run([*evs, seller("2026-04-02T09:59:59Z", "extend_delivery", days=1)])
    assert errors(out)[-1] is None
    assert out["order"]["delivery_deadline"] == "2026-04-03T10:00:00Z"
    out = run([*evs, seller(DEADLINE, "extend_delivery", days=1)])
    assert errors(out)[-1] == "too_late"
    assert out["order"]["delivery_deadline"] == DEADLINE
    assert out["order"]["status"] == "shipped"


def test_invalid_state_before_shipment_and_on_refunded_order() -> None:
    out = run(
        [
            open_dispute("2026-03-02T09:00:00Z"),
            buyer("2026-03-02T09:00:00Z", "confirm_receipt"),
            seller("2026-03-02T09:00:00Z", "extend_delivery", days=3),
            ship(),
            open_dispute(OPEN, the_plan=plan("refund_only", TOTAL)),
            seller("2026-03-11T10:00:00Z", "accept"),
            open_dispute("2026-03-12T10:00:00Z"),
        ]
    )
    assert errors(out) == [
        "invalid_state",
        "invalid_state",
        "invalid_state",
        None,
        None,
        None,
        "invalid_state",
    ]


def test_forbidden() -> None:
    out = run([ship(), ev(OPEN, "seller", "open_dispute", **GOOD_FIELDS["open_dispute"])])
    assert errors(out) == [None, "forbidden"]
    assert out["disputes"] == []


def test_invalid_amount_plan_above_total() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN, the_plan=plan("refund_only", "121.50")),
            open_dispute(OPEN, the_plan=plan("refund_only", TOTAL)),
        ]
    )
    assert errors(out) == [None, "invalid_amount", None]


def test_invalid_amount_extension_total_over_90() -> None:
    out = run(
        [
            ship(),
            seller("2026-03-04T10:00:00Z", "extend_delivery", days=91),
            seller("2026-03-04T10:00:00Z", "extend_delivery", days=60),
            seller("2026-03-05T10:00:00Z", "extend_delivery", days=31),
            seller("2026-03-05T10:00:00Z", "extend_delivery", days=30),
        ]
    )
    assert errors(out) == [None, "invalid_amount", None, "invalid_amount", None]
    # 04-02T10 + 90 d = 07-01T10
    assert out["order"]["delivery_deadline"] == "2026-07-01T10:00:00Z"


def test_dispute_open() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            open_dispute("2026-03-10T11:00:00Z"),
            buyer("2026-03-10T12:00:00Z", "confirm_receipt"),
        ]
    )
    assert errors(out) == [None, None, "dispute_open", "dispute_open"]
    assert len(out["disputes"]) == 1


def test_no_dispute_also_after_last_dispute_closed() -> None:
    out = run(
        [
            ship(),
            buyer(OPEN, "modify_dispute", plan=plan()),
            open_dispute(OPEN),
            seller("2026-03-11T10:00:00Z", "accept"),
            buyer("2026-03-11T11:00:00Z", "modify_dispute", plan=plan()),
            seller("2026-03-11T11:00:00Z", "reject", note=""),
        ]
    )
    assert errors(out) == [None, "no_dispute", None, None, "no_dispute", "no_dispute"]


def test_invalid_input() -> None:
    out = run([ship(), ev(OPEN, "buyer", "open_dispute", plan=plan(), goods_received=True)])
    assert errors(out) == [None, "invalid_input"]
    assert out["disputes"] == []


# =========================================================================================
# Check order: the earlier check wins
# =========================================================================================

NEGOTIATING = [ship(), open_dispute(OPEN), seller("2026-03-11T10:00:00Z", "reject", note="no")]
RETURN_AGREED = [
    ship(),
    open_dispute(OPEN, the_plan=plan("return_and_refund", "50.00")),
    seller("2026-03-11T10:00:00Z", "accept"),
]
T = "2026-03-11T12:00:00Z"

ORDER_CASES: list[tuple[str, list[dict[str, Any]], str]] = [
    (
        "invalid_input>forbidden:seller_open_bad_reason",
        [
            ship(),
            ev(
                OPEN,
                "seller",
                "open_dispute",
                reason="not_received.bogus",
                plan=plan(),
                goods_received=True,
            ),
        ],
        "invalid_input",
    ),
    (
        "invalid_input>forbidden:buyer_ship_empty_carrier",
        [ev(SHIP, "buyer", "ship", carrier="", tracking_number="RR1")],
        "invalid_input",
    ),
    (
        "invalid_input>forbidden:system_extend_days_0",
        [ship(), ev(OPEN, "system", "extend_delivery", days=0)],
        "invalid_input",
    ),
    (
        "invalid_input>no_dispute:modify_bad_plan_type",
        [ship(), buyer(OPEN, "modify_dispute", plan={"type": "partial_refund", "amount": "5"})],
        "invalid_input",
    ),
    (
        "invalid_input>dispute_open:second_open_bad_reason",
        [ship(), open_dispute(OPEN), open_dispute(T, reason="damaged")],
        "invalid_input",
    ),
    (
        "invalid_input>invalid_amount:number_amount",
        [ship(), open_dispute(OPEN, the_plan={"type": "refund_only", "amount": 500})],
        "invalid_input",
    ),
    (
        "forbidden>no_dispute:buyer_propose",
        [ship(), buyer(OPEN, "propose", plan=plan())],
        "forbidden",
    ),
    (
        "forbidden>invalid_state:seller_ship_return",
        [*NEGOTIATING, seller(T, "ship_return", carrier="X", tracking_number="1")],
        "forbidden",
    ),
    (
        "no_dispute>invalid_state:rule_without_dispute",
        [ship(), arbitrator(OPEN, "rule", refund_amount="1", responsibility="none")],
        "no_dispute",
    ),
    (
        "no_dispute>invalid_state:give_up_after_close",
        [
            *RETURN_AGREED,
            seller(T, "give_up_return"),
            seller("2026-03-11T13:00:00Z", "give_up_return"),
        ],
        "no_dispute",
    ),
    (
        "dispute_open>invalid_amount:second_open_over_total",
        [ship(), open_dispute(OPEN), open_dispute(T, the_plan=plan("refund_only", "500.00"))],
        "dispute_open",
    ),
    (
        "dispute_open>invalid_state:confirm_on_completed_with_dispute",
        [
            ship(),
            buyer("2026-03-05T10:00:00Z", "confirm_receipt"),
            open_dispute(OPEN),
            buyer(T, "confirm_receipt"),
        ],
        "dispute_open",
    ),
    (
        "invalid_state>too_early:escalate_in_return_before_day4",
        [*RETURN_AGREED, buyer(T, "escalate")],
        "invalid_state",
    ),
    (
        "invalid_state>invalid_amount:extend_91_before_shipment",
        [seller("2026-03-02T09:00:00Z", "extend_delivery", days=91)],
        "invalid_state",
    ),
    (
        "invalid_state>invalid_amount:propose_over_total_in_return",
        [*RETURN_AGREED, seller(T, "propose", plan=plan("refund_only", "500.00"))],
        "invalid_state",
    ),
    (
        "too_early>invalid_amount:open_early_over_total",
        [ship(), open_dispute("2026-03-08T09:59:59Z", the_plan=plan("refund_only", "500.00"))],
        "too_early",
    ),
    (
        "too_late>invalid_amount:open_late_over_total",
        [
            ship(),
            buyer("2026-03-05T10:00:00Z", "confirm_receipt"),
            open_dispute("2026-03-20T10:00:00Z", the_plan=plan("refund_only", "500.00")),
        ],
        "too_late",
    ),
    (
        "too_late>invalid_amount:extend_91_at_deadline",
        [
            ship(),
            open_dispute("2026-03-28T10:00:00Z"),
            seller("2026-03-28T11:00:00Z", "reject", note=""),
            seller(DEADLINE, "extend_delivery", days=91),
        ],
        "too_late",
    ),
]


@pytest.mark.parametrize(
    ("events", "error"), [c[1:] for c in ORDER_CASES], ids=[c[0] for c in ORDER_CASES]
)
def test_check_order(events: list[dict[str, Any]], error: str) -> None:
    out = run(events)
    # (the refused event may be sent as `system`, which `errors()` leaves out)
    assert [s[4] for s in steps(out)] == [None] * (len(events) - 1) + [error]


# =========================================================================================
# Required fields and their types
# =========================================================================================

FIELD_CASES: list[
    tuple[str, list[dict[str, Any]], str, str, list[dict[str, Any]], dict[str, Any]]
] = []
# (id, setup events, actor, action, bad field sets, a good field set)


def field_case(
    name: str,
    setup: list[dict[str, Any]],
    actor: str,
    action: str,
    bad: list[dict[str, Any]],
    good: dict[str, Any],
) -> None:
    FIELD_CASES.append((name, setup, actor, action, bad, good))


field_case(
    "ship",
    [],
    "seller",
    "ship",
    [
        {"tracking_number": "RR1"},
        {"carrier": "China Post"},
        {"carrier": "", "tracking_number": "RR1"},
        {"carrier": "   ", "tracking_number": "RR1"},
        {"carrier": "China Post", "tracking_number": ""},
        {"carrier": "China Post", "tracking_number": " \t"},
        {"carrier": 5, "tracking_number": "RR1"},
        {"carrier": "China Post", "tracking_number": None},
    ],
    {"carrier": "China Post", "tracking_number": "RR1"},
)
field_case(
    "extend_delivery_days",
    [ship()],
    "seller",
    "extend_delivery",
    [
        {},
        {"days": 0},
        {"days": -1},
        {"days": 1.5},
        {"days": True},
        {"days": "3"},
        {"days": None},
    ],
    {"days": 1},
)
field_case(
    "open_dispute_fields",
    [ship()],
    "buyer",
    "open_dispute",
    [
        {"plan": plan(), "goods_received": True},
        {"reason": "not_as_described.damaged", "goods_received": True},
        {"reason": "not_as_described.damaged", "plan": plan()},
        {"reason": "not_as_described.damaged", "plan": plan(), "goods_received": "yes"},
        {"reason": "not_as_described.damaged", "plan": plan(), "goods_received": None},
        {"reason": "not_as_described.damaged", "plan": plan(), "goods_received": True, "note": 5},
    ],
    {"reason": "not_as_described.damaged", "plan": plan(), "goods_received": False, "note": None},
)
field_case(
    "open_dispute_reason",
    [ship()],
    "buyer",
    "open_dispute",
    [
        {"reason": r, "plan": plan(), "goods_received": True}
        for r in [
            "damaged",
            "not_received.damaged",
            "not_as_described.lost",
            "not_received.",
            "Not_received.in_transit",
            5,
            None,
        ]
    ],
    {"reason": "not_received.carrier_changed", "plan": plan(), "goods_received": False},
)
field_case(
    "open_dispute_plan",
    [ship()],
    "buyer",
    "open_dispute",
    [
        {"reason": "not_as_described.damaged", "plan": p, "goods_received": True}
        for p in [
            "refund_only",
            None,
            [],
            {"amount": "40.00"},
            {"type": "partial", "amount": "40"},
            {"type": "refund_only"},
            {"type": "return_and_refund"},
            {"type": "refund_only", "amount": 40},
            {"type": "refund_only", "amount": None},
        ]
    ],
    {"reason": "not_as_described.damaged", "plan": {"type": "resend"}, "goods_received": True},
)
field_case(
    "propose_plan",
    [ship(), open_dispute(OPEN)],
    "seller",
    "propose",
    [
        {},
        {"plan": "resend"},
        {"plan": {"type": "refund"}},
        {"plan": {"type": "refund_only"}},
        {"plan": {"type": "return_and_refund", "amount": 20.5}},
    ],
    {"plan": plan("return_and_refund", "20.50")},
)
field_case(
    "modify_plan",
    [ship(), open_dispute(OPEN)],
    "buyer",
    "modify_dispute",
    [
        {},
        {"plan": None},
        {"plan": {"type": "replace"}},
        {"plan": {"type": "refund_only", "amount": 1}},
    ],
    {"plan": plan("refund_only", "1")},
)
field_case(
    "reject_note",
    [ship(), open_dispute(OPEN)],
    "seller",
    "reject",
    [
        {},
        {"note": None},
        {"note": 5},
        {"note": ["no"]},
    ],
    {"note": ""},
)
field_case(
    "escalate_note",
    [ship(), open_dispute(OPEN)],
    "buyer",
    "escalate",
    [
        {"note": 5},
        {"note": {"text": "x"}},
    ],
    {"note": None},
)
field_case(
    "submit_evidence",
    [ship(), open_dispute(OPEN)],
    "seller",
    "submit_evidence",
    [
        {"kind": "photo"},
        {"description": "x"},
        {"kind": "selfie", "description": "x"},
        {"kind": "Photo", "description": "x"},
        {"kind": 5, "description": "x"},
        {"kind": "photo", "description": 5},
        {"kind": "photo", "description": None},
    ],
    {"kind": "brand_authorization", "description": ""},
)
field_case(
    "ship_return",
    [*RETURN_AGREED],
    "buyer",
    "ship_return",
    [
        {"carrier": "Correios"},
        {"tracking_number": "BR1"},
        {"carrier": "", "tracking_number": "BR1"},
        {"carrier": "Correios", "tracking_number": "  "},
        {"carrier": "Correios", "tracking_number": 7},
    ],
    {"carrier": "Correios", "tracking_number": "BR1"},
)
field_case(
    "ship_replacement",
    [
        ship(),
        open_dispute(OPEN, the_plan=plan("resend", None)),
        seller("2026-03-11T10:00:00Z", "accept"),
    ],
    "seller",
    "ship_replacement",
    [
        {"carrier": "Cainiao"},
        {"tracking_number": "LP1"},
        {"carrier": " ", "tracking_number": "LP1"},
        {"carrier": None, "tracking_number": "LP1"},
    ],
    {"carrier": "Cainiao", "tracking_number": "LP1"},
)
RULE_SETUP = [
    *NEGOTIATING,
    buyer("2026-03-11T11:00:00Z", "escalate"),
    arbitrator("2026-03-11T11:30:00Z", "intervene"),
]
field_case(
    "rule",
    RULE_SETUP,
    "arbitrator",
    "rule",
    [
        {"responsibility": "seller"},
        {"refund_amount": "10.00"},
        {"refund_amount": "10.00", "responsibility": "platform"},
        {"refund_amount": "10.00", "responsibility": None},
        {"refund_amount": 10, "responsibility": "seller"},
        {"refund_amount": "10.00", "responsibility": "seller", "return_required": "yes"},
    ],
    {"refund_amount": "10.00", "responsibility": "none", "return_required": False},
)


@pytest.mark.parametrize(
    ("setup", "actor", "action", "bad", "good"),
    [c[1:] for c in FIELD_CASES],
    ids=[c[0] for c in FIELD_CASES],
)
def test_required_fields_and_types(
    setup: list[dict[str, Any]],
    actor: str,
    action: str,
    bad: list[dict[str, Any]],
    good: dict[str, Any],
) -> None:
    at = "2026-03-11T12:00:00Z" if setup else SHIP
    if action == "escalate":
        at = "2026-03-13T10:00:00Z"  # day 4, so the good event is accepted
    evs = [*setup] + [ev(at, actor, action, **f) for f in bad] + [ev(at, actor, action, **good)]
    out = run(evs)
    got = errors(out)[len(setup) :]
    assert got == ["invalid_input"] * len(bad) + [None], list(zip([*bad, good], got, strict=True))


def test_unknown_extra_fields_are_ignored() -> None:
    out = run(
        [
            ev(SHIP, "seller", "ship", carrier="China Post", tracking_number="RR1", weight="2kg"),
            open_dispute(OPEN, photos=["a.jpg"], priority=1),
            ev("2026-03-11T10:00:00Z", "seller", "accept", comment={"x": 1}, amount=5),
        ]
    )
    assert errors(out) == [None, None, None]
    assert dispute(out)["refund_amount"] == "40.00"


def test_plan_amount_strings() -> None:
    bad = ["0", "0.00", "+40", "-5", "1e2", "40.", "12.345", "121.50", "", " 40", "40.00 "]
    out = run([ship(), *[open_dispute(OPEN, the_plan=plan("refund_only", a)) for a in bad]])
    assert dict(zip(bad, errors(out)[1:], strict=True)) == {a: "invalid_amount" for a in bad}
    good = {"0.01": "0.01", "40": "40.00", "40.5": "40.50", TOTAL: TOTAL}
    got = {}
    for amount in good:
        out = run(
            [
                ship(),
                open_dispute(OPEN, the_plan=plan("refund_only", amount)),
                seller("2026-03-11T10:00:00Z", "accept"),
            ]
        )
        got[amount] = dispute(out)["refund_amount"]
    assert got == good


def test_rule_amount_strings() -> None:
    cases = {
        "0": None,
        "0.00": None,
        "121.49": None,
        "121.50": "invalid_amount",
        "-1": "invalid_amount",
        "1e1": "invalid_amount",
        "10.001": "invalid_amount",
    }
    got = {}
    for amount in cases:
        out = run(
            [
                *RULE_SETUP,
                arbitrator(
                    "2026-03-11T12:00:00Z", "rule", refund_amount=amount, responsibility="none"
                ),
            ]
        )
        got[amount] = errors(out)[-1]
    assert got == cases


# =========================================================================================
# Refused events change nothing and appear as sent
# =========================================================================================

BASE = [
    ship(),
    open_dispute(OPEN, the_plan=plan("refund_only", "30.00")),
    seller("2026-03-11T10:00:00Z", "propose", plan=plan("refund_only", "20.00")),
    buyer("2026-03-12T10:00:00Z", "accept"),
]
REFUSED_AFTER_OPEN = [
    ev(OPEN, "seller", "cancel_dispute"),  # forbidden
    buyer(OPEN, "accept"),  # invalid_state: no seller plan yet
    seller(OPEN, "propose", plan=plan("refund_only", "500.00")),  # invalid_amount
    seller(OPEN, "propose", plan=plan("return_and_refund", 5)),  # invalid_input
    buyer(OPEN, "modify_dispute", plan={"type": "bogus"}),  # invalid_input
    buyer(OPEN, "escalate"),  # too_early
    open_dispute(OPEN),  # dispute_open
    arbitrator(OPEN, "intervene"),  # invalid_state
    seller(OPEN, "reject", note=5),  # invalid_input
    seller(OPEN, "ship_replacement", carrier="X", tracking_number="1"),  # invalid_state
    ev(OPEN, "system", "auto_ruled"),  # forbidden
]


def test_refused_events_change_nothing() -> None:
    base = run(BASE, until="2026-05-01T00:00:00Z")
    noisy = [*BASE[:2], *REFUSED_AFTER_OPEN, *BASE[2:]]
    out = run(noisy, until="2026-05-01T00:00:00Z")
    assert out["order"] == base["order"]
    assert out["disputes"] == base["disputes"]
    refused = [e for e in out["timeline"] if not e["ok"]]
    assert len(refused) == len(REFUSED_AFTER_OPEN)
    assert [e for e in out["timeline"] if e["ok"]] == base["timeline"]


def test_refused_events_appear_as_sent() -> None:
    out = run(
        [
            ship(),
            ev(OPEN, "system", "auto_ruled"),
            ev(OPEN, "buyer", "propose", plan=plan()),
            ev(OPEN, "carrier", "ship", carrier="DHL", tracking_number="1"),
            ev(OPEN, "arbitrator", "seller_response_timeout"),
        ]
    )
    assert steps(out)[1:] == [
        (OPEN, "system", "auto_ruled", False, "forbidden"),
        (OPEN, "buyer", "propose", False, "forbidden"),
        (OPEN, "carrier", "ship", False, "forbidden"),
        (OPEN, "arbitrator", "seller_response_timeout", False, "forbidden"),
    ]


def test_refused_reject_is_not_a_response() -> None:
    # A reject refused for its note does not allow an early escalation.
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            seller("2026-03-11T10:00:00Z", "reject", note=5),
            buyer("2026-03-11T11:00:00Z", "escalate"),
        ]
    )
    assert errors(out) == [None, None, "invalid_input", "too_early"]


def test_refused_modify_does_not_restart_clock() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            buyer("2026-03-12T10:00:00Z", "modify_dispute", plan=plan("refund_only", "500.00")),
        ],
        until="2026-03-16T00:00:00Z",
    )
    assert errors(out)[-1] == "invalid_amount"
    # seller timeout still at OPEN + 5 d, with the original 40.00
    assert [(e["at"], e["action"]) for e in out["timeline"] if e["actor"] == "system"] == [
        ("2026-03-15T10:00:00Z", "seller_response_timeout")
    ]
    assert dispute(out)["refund_amount"] == "40.00"


def test_tracking_always_accepted() -> None:
    out = run(
        [
            ev("2026-03-02T09:00:00Z", "carrier", "tracking"),
            ship(),
            ev(
                "2026-03-04T00:00:00Z",
                "carrier",
                "tracking",
                status="delivered",
                anything={"nested": [1, 2]},
            ),
            open_dispute(OPEN),
            ev("2026-03-10T11:00:00Z", "carrier", "tracking", code=5),
        ]
    )
    assert errors(out) == [None] * 5
    assert dispute(out)["status"] == "awaiting_seller_response"


# =========================================================================================
# Output shape
# =========================================================================================

ORDER_KEYS = {"id", "status", "delivery_deadline", "completed_at", "refunded_total"}
DISPUTE_KEYS = {
    "reason",
    "status",
    "resolution",
    "refund_amount",
    "responsibility",
    "escalation",
    "opened_at",
    "escalated_at",
    "intervention_due_at",
    "closed_at",
}
TIMELINE_KEYS = {"at", "actor", "action", "ok", "error"}


def test_outcome_before_shipment() -> None:
    out = run([ev("2026-03-02T09:00:00Z", "carrier", "tracking")], until="2026-12-31T00:00:00Z")
    assert set(out) == {"order", "disputes", "timeline"}
    # Nothing fires for an order that is never shipped.
    assert out == {
        "order": {
            "id": "T1",
            "status": "awaiting_shipment",
            "delivery_deadline": None,
            "completed_at": None,
            "refunded_total": "0.00",
        },
        "disputes": [],
        "timeline": [
            {
                "at": "2026-03-02T09:00:00Z",
                "actor": "carrier",
                "action": "tracking",
                "ok": True,
                "error": None,
            }
        ],
    }


def test_open_dispute_shape() -> None:
    out = run([ship(), open_dispute(OPEN, reason="not_received.customs_held")])
    assert set(out["order"]) == ORDER_KEYS
    assert all(set(e) == TIMELINE_KEYS for e in out["timeline"])
    assert out["disputes"] == [
        {
            "reason": "not_received.customs_held",
            "status": "awaiting_seller_response",
            "resolution": None,
            "refund_amount": "0.00",
            "responsibility": None,
            "escalation": None,
            "opened_at": OPEN,
            "escalated_at": None,
            "intervention_due_at": None,
            "closed_at": None,
        }
    ]
    assert out["order"] == {
        "id": "T1",
        "status": "shipped",
        "delivery_deadline": DEADLINE,
        "completed_at": None,
        "refunded_total": "0.00",
    }


def test_disputes_in_opening_order() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN, reason="not_as_described.wrong_item"),
            buyer("2026-03-11T10:00:00Z", "cancel_dispute"),
            open_dispute("2026-03-12T10:00:00Z", reason="not_as_described.short_shipment"),
            seller("2026-03-13T10:00:00Z", "propose", plan=plan("refund_only", "5.00")),
        ]
    )
    assert [set(d) for d in out["disputes"]] == [DISPUTE_KEYS, DISPUTE_KEYS]
    assert [
        (d["reason"], d["status"], d["resolution"], d["opened_at"], d["closed_at"])
        for d in out["disputes"]
    ] == [
        ("not_as_described.wrong_item", "closed", "cancelled", OPEN, "2026-03-11T10:00:00Z"),
        ("not_as_described.short_shipment", "negotiating", None, "2026-03-12T10:00:00Z", None),
    ]
    assert out["disputes"][1]["refund_amount"] == "0.00"


def test_instants_written_canonically() -> None:
    out = run(
        [
            ev("2026-03-03T10:00:00.000Z", "seller", "ship", carrier="A", tracking_number="1"),
            open_dispute("2026-03-10T10:00:00.5Z"),
            seller("2026-03-11T10:00:00.000001Z", "accept"),
        ]
    )
    assert [e["at"] for e in out["timeline"]] == [
        SHIP,
        "2026-03-10T10:00:00.500000Z",
        "2026-03-11T10:00:00.000001Z",
    ]
    assert out["order"]["delivery_deadline"] == DEADLINE
    assert dispute(out)["opened_at"] == "2026-03-10T10:00:00.500000Z"
    assert dispute(out)["closed_at"] == "2026-03-11T10:00:00.000001Z"


def test_policy_override_changes_deadline() -> None:
    out = run(
        [ship(), open_dispute(OPEN)],
        until="2026-03-13T00:00:00Z",
        overrides={"seller_response_days": 2},
    )
    assert [(e["at"], e["action"]) for e in out["timeline"] if e["actor"] == "system"] == [
        ("2026-03-12T10:00:00Z", "seller_response_timeout")
    ]


# =========================================================================================
# Malformed scenarios (in-process)
# =========================================================================================

DROP = object()


def base_doc() -> dict[str, Any]:
    return scenario([ship(), open_dispute(OPEN)], until="2026-03-12T00:00:00Z")


def setter(where: str, index: int | None = None, **changes: Any) -> Any:
    """A mutation of base_doc(): set (or DROP) keys at the top level, in `order` or in an event."""

    def mutate(doc: dict[str, Any]) -> None:
        if where == "top":
            target = doc
        elif where == "order":
            target = doc["order"]
        else:
            target = doc["events"][index]
        for k, v in changes.items():
            if v is DROP:
                del target[k]
            else:
                target[k] = v

    return mutate


def top(**changes: Any) -> Any:
    return setter("top", **changes)


def order(**changes: Any) -> Any:
    return setter("order", **changes)


def event(index: int, **changes: Any) -> Any:
    return setter("event", index, **changes)


MALFORMED: dict[str, dict[str, Any]] = {
    "policy": {"unknown": top(policy="ebay"), "number": top(policy=5)},
    "policy_overrides": {
        "unknown_name": top(policy_overrides={"no_such_param": 3}),
        "string_value": top(policy_overrides={"seller_response_days": "5"}),
        "negative": top(policy_overrides={"seller_response_days": -1}),
        "above_3650": top(policy_overrides={"return_receipt_days": 3651}),
        "float": top(policy_overrides={"seller_response_days": 5.0}),
        "bool": top(policy_overrides={"resend_ship_days": True}),
        "evidence_periods_0": top(policy_overrides={"evidence_periods": 0}),
        "unknown_calendar": top(policy_overrides={"platform_calendar": "XX"}),
        "calendar_number": top(policy_overrides={"platform_calendar": 5}),
        "not_object": top(policy_overrides=[["seller_response_days", 5]]),
    },
    "order": {"missing": top(order=DROP), "not_object": top(order="T1")},
    "order_id": {"missing": order(id=DROP), "empty": order(id=""), "number": order(id=5)},
    "order_money": {
        "amount_missing": order(amount=DROP),
        "amount_3_places": order(amount="100.001"),
        "amount_number": order(amount=100),
        "amount_negative": order(amount="-5"),
        "shipping_missing": order(shipping=DROP),
        "shipping_comma": order(shipping="21,49"),
        "shipping_3_places": order(shipping="21.499"),
    },
    "order_currency": {
        "missing": order(currency=DROP),
        "lowercase": order(currency="usd"),
        "two_letters": order(currency="US"),
        "number": order(currency=840),
    },
    "order_placed_at": {
        "missing": order(placed_at=DROP),
        "date_only": order(placed_at="2026-03-02"),
        "no_z": order(placed_at="2026-03-02T08:00:00"),
        "bad_month": order(placed_at="2026-13-02T08:00:00Z"),
    },
    "order_promised_delivery_days": {
        "missing": order(promised_delivery_days=DROP),
        "negative": order(promised_delivery_days=-1),
        "above_3650": order(promised_delivery_days=3651),
        "string": order(promised_delivery_days="30"),
        "float": order(promised_delivery_days=30.5),
    },
    "events_not_list": {"object": top(events={"0": ship()}), "string": top(events="ship")},
    "event_not_object": {
        "string": top(events=[ship(), "open_dispute"]),
        "null": top(events=[ship(), None]),
        "list": top(events=[ship(), [1]]),
    },
    "event_at": {
        "missing": event(1, at=DROP),
        "space": event(1, at="2026-03-10 10:00"),
        "year_1899": event(0, at="1899-12-31T00:00:00Z"),
        "7_digit_fraction": event(1, at="2026-03-10T10:00:00.1234567Z"),
        "number": event(1, at=1773136800),
    },
    "event_actor": {
        "missing": event(1, actor=DROP),
        "unknown": event(1, actor="platform"),
        "number": event(1, actor=1),
    },
    "event_action": {
        "missing": event(1, action=DROP),
        "unknown": event(1, action="refund_everything"),
        "number": event(1, action=3),
    },
    "events_out_of_order": {"one_second": event(1, at="2026-03-03T09:59:59Z")},
    "until": {
        "unparseable": top(until="soon"),
        "number": top(until=1),
        "before_last_event": top(until="2026-03-10T09:59:59Z"),
    },
}


@pytest.mark.parametrize("group", list(MALFORMED))
def test_malformed_scenario_raises(group: str) -> None:
    not_raised = []
    for name, mutate in MALFORMED[group].items():
        doc = base_doc()
        mutate(doc)
        try:
            replay_scenario(doc)
        except MalformedScenario:
            continue
        not_raised.append(name)
    assert not_raised == []


def test_null_top_level_keys_mean_absent() -> None:
    # Our decision: until, policy and policy_overrides set to null mean absent.
    base = replay_scenario(scenario([ship(), open_dispute(OPEN)]))
    for key in ("until", "policy", "policy_overrides"):
        doc = scenario([ship(), open_dispute(OPEN)])
        doc[key] = None
        assert replay_scenario(doc) == base, key


NOT_MALFORMED: dict[str, Any] = {
    "until_equals_last_event": top(until=OPEN),
    "events_empty": top(events=[]),
    "override_bounds": top(
        policy_overrides={
            "seller_response_days": 0,
            "return_receipt_days": 3650,
            "evidence_periods": 1,
            "platform_calendar": "US",
        }
    ),
    "all_named_parameters": top(
        policy_overrides={
            "max_delivery_extension_days": 90,
            "dispute_open_after_shipment_days": 5,
            "dispute_window_after_completion_days": 15,
            "resend_ship_days": 7,
            "buyer_escalation_after_days": 3,
            "seller_response_days": 5,
            "auto_escalation_after_days": 15,
            "return_shipment_days": 10,
            "return_receipt_days": 30,
            "platform_intervention_working_days": 2,
            "evidence_period_days": 3,
            "evidence_periods": 2,
            "platform_calendar": "CN",
        }
    ),
    "order_edge_values": order(amount="100", shipping="0.00", promised_delivery_days=3650),
    "unknown_event_fields": event(1, foo=None),
}


def test_not_malformed() -> None:
    raised = []
    for name, mutate in NOT_MALFORMED.items():
        doc = base_doc()
        mutate(doc)
        try:
            out = replay_scenario(doc)
        except MalformedScenario as exc:
            raised.append((name, str(exc)))
            continue
        assert out["order"]["id"] == "T1", name
    assert raised == []


# =========================================================================================
# The CLI
# =========================================================================================


def cli() -> str:
    cand = Path(sys.executable).parent / "disputedesk"
    if cand.exists():
        return str(cand)
    found = shutil.which("disputedesk")
    assert found, "the disputedesk command is not installed"
    return found


def worked_example(name: str) -> tuple[dict[str, Any], Any]:
    doc = json.loads((SCENARIOS / name).read_text())
    expect = doc.pop("expect")
    doc.pop("comment", None)
    return doc, expect


def replay(
    *args: str, stdin: str | None = None, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [cli(), "replay", *args],
        env={**os.environ, **(env_extra or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write(path: Path, doc: Any) -> Path:
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def test_cli_replay_file(tmp_path: Path) -> None:
    doc, expect = worked_example("p1-seller-accepts-partial-refund.json")
    res = replay(str(write(tmp_path / "p1.json", doc)))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == expect


def test_cli_replay_stdin() -> None:
    doc, expect = worked_example("p4-return-window-missed.json")
    res = replay("-", stdin=json.dumps(doc))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == expect


def test_cli_outcome_matches_in_process() -> None:
    doc = scenario([ship(), open_dispute(OPEN)], until="2026-04-30T00:00:00Z")
    res = replay("-", stdin=json.dumps(doc))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == replay_scenario(copy.deepcopy(doc))


def test_cli_malformed_event_names_index(tmp_path: Path) -> None:
    mutations = {
        "unknown_action": event(1, action="refund_everything"),
        "missing_actor": event(1, actor=DROP),
        "out_of_order": event(1, at="2026-03-01T00:00:00Z"),
        "not_object": top(events=[ship(), 7]),
    }
    for name, mutate in mutations.items():
        doc = base_doc()
        mutate(doc)
        res = replay(str(write(tmp_path / f"{name}.json", doc)))
        assert res.returncode == 2, name
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1, (name, res.stderr)
        assert "events[1]" in lines[0], (name, lines[0])


def test_cli_not_json_or_not_object(tmp_path: Path) -> None:
    texts = {
        "not_json": "{not json",
        "list": "[1, 2]",
        "number": "42",
        "string": '"scenario"',
        "empty": "",
    }
    for name, text in texts.items():
        res = replay(str(write(tmp_path / f"{name}.json", text)))
        assert res.returncode == 2, name
        assert len(res.stderr.strip().splitlines()) == 1, (name, res.stderr)


def test_cli_worked_malformed_examples(tmp_path: Path) -> None:
    for name in ("p9-malformed-events-out-of-order.json", "p10-malformed-bad-order-money.json"):
        doc, expect = worked_example(name)
        assert expect == {"exit": 2}
        res = replay(str(write(tmp_path / name, doc)))
        assert res.returncode == 2, name
        assert len(res.stderr.strip().splitlines()) == 1, (name, res.stderr)


def test_cli_unreadable_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe\x00\x81not utf-8")
    res = replay(str(path))
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr


def test_cli_missing_path_fails(tmp_path: Path) -> None:
    res = replay(str(tmp_path / "nope.json"))
    assert res.returncode != 0


def jsonl(stdout: str) -> dict[str, dict[str, Any]]:
    records = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    return {Path(r["file"]).name: r for r in records}


def test_cli_directory_json_lines(tmp_path: Path) -> None:
    doc, expect = worked_example("p1-seller-accepts-partial-refund.json")
    write(tmp_path / "good.json", doc)
    bad = base_doc()
    bad["policy"] = "ebay"
    write(tmp_path / "bad.json", bad)
    res = replay(str(tmp_path))
    assert res.returncode == 0, res.stderr
    recs = jsonl(res.stdout)
    assert set(recs) == {"good.json", "bad.json"}
    assert set(recs["good.json"]) == {"file", "outcome"}
    assert recs["good.json"]["outcome"] == expect
    assert set(recs["bad.json"]) == {"file", "error"}
    assert isinstance(recs["bad.json"]["error"], str) and recs["bad.json"]["error"]


def test_cli_several_files_json_lines(tmp_path: Path) -> None:
    doc1, expect1 = worked_example("p2-seller-silent-timeout.json")
    doc3, expect3 = worked_example("p3-return-and-refund.json")
    f1 = write(tmp_path / "a.json", doc1)
    f3 = write(tmp_path / "b.json", doc3)
    f_bad = write(tmp_path / "c.json", "{oops")
    res = replay(str(f1), str(f3), str(f_bad))
    assert res.returncode == 0, res.stderr
    recs = jsonl(res.stdout)
    assert recs["a.json"]["outcome"] == expect1
    assert recs["b.json"]["outcome"] == expect3
    assert set(recs["c.json"]) == {"file", "error"}


def test_cli_a_large_corpus_by_several_processes_in_the_files_order(tmp_path: Path) -> None:
    """From 200 files on, forked processes replay runs of files; the lines, their order and the
    exit status are those of one process (an unreadable file: status 1)."""
    docs = [
        worked_example(name)[0]
        for name in (
            "p1-seller-accepts-partial-refund.json",
            "p2-seller-silent-timeout.json",
            "p3-return-and-refund.json",
        )
    ]
    for i in range(240):
        write(tmp_path / f"s{i:03d}.json", docs[i % 3] if i % 37 else "{oops")
    (tmp_path / "s150.json").write_bytes(b"\xff\xfe not text")
    one = replay(str(tmp_path), env_extra={"DISPUTEDESK_REPLAY_PROCESSES": "1"})
    several = replay(str(tmp_path), env_extra={"DISPUTEDESK_REPLAY_PROCESSES": "3"})
    assert one.returncode == several.returncode == 1
    assert several.stdout == one.stdout
    names = [Path(json.loads(line)["file"]).name for line in several.stdout.splitlines()]
    assert names == sorted(names) and len(names) == 240
    assert "cannot read" in json.loads(several.stdout.splitlines()[150])["error"]


def test_cli_format_table(tmp_path: Path) -> None:
    doc, _ = worked_example("p5-day16-arbitration-ruling.json")
    res = replay("--format", "table", str(write(tmp_path / "p5.json", doc)))
    assert res.returncode == 0, res.stderr
    assert "P5" in res.stdout
    assert "completed" in res.stdout
