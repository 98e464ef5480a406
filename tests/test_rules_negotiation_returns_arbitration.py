"""Black-box tests for RULES.md sections 7 (negotiation and escalation), 8 (returns) and
9 (arbitration). Every expected value is worked out by hand from RULES.md.

The default order (tests/helpers.py): total 100.00 + 21.49 = 121.49 USD, shipped Tuesday
2026-03-03T10:00Z, promised 30 days, so the delivery deadline is 2026-04-02T10:00Z and a
dispute may open from 2026-03-08T10:00Z (shipped_at + 5 days).

Most scenarios open the dispute at OPEN = Tuesday 2026-03-10T10:00Z, which gives
  day 4 (buyer may escalate)       OPEN + 3 d  = 2026-03-13T10:00Z (Friday)
  seller response timeout          OPEN + 5 d  = 2026-03-15T10:00Z (Sunday)
  day 16 (automatic escalation)    OPEN + 15 d = 2026-03-25T10:00Z (Wednesday)

Working days below are China's calendar (holidays==0.109, CN): weekends off except the
make-up workdays 2026-01-04 (Sun), 2026-02-14 (Sat), 2026-02-28 (Sat); days off 2026-01-01/02,
2026-02-16..20 and 02-23 (Spring Festival), 2026-04-06 (Qingming), 2026-05-01/04/05 (Labour Day),
2026-10-01/02/05/06/07 (National Day).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from helpers import ORDER, dispute, errors, ev, open_dispute, plan, run, ship, steps, system_steps

SHIP = "2026-03-03T10:00:00Z"
OPEN = "2026-03-10T10:00:00Z"
DAY4 = "2026-03-13T10:00:00Z"  # OPEN + 3 d
TIMEOUT = "2026-03-15T10:00:00Z"  # OPEN + 5 d
DAY16 = "2026-03-25T10:00:00Z"  # OPEN + 15 d
DEADLINE = "2026-04-02T10:00:00Z"  # SHIP + 30 d
TOTAL = "121.49"

NAD = "not_as_described.damaged"
IN_TRANSIT = "not_received.in_transit"

# Fixed instants used to walk a dispute into each status.
T_SELLER = "2026-03-11T10:00:00Z"
T_BUYER = "2026-03-12T10:00:00Z"
T_INTERVENE = "2026-03-13T10:00:00Z"
T_EVIDENCE = "2026-03-14T10:00:00Z"
T_LATER = "2026-03-14T12:00:00Z"  # before every deadline of every status reached below


# --- small builders -----------------------------------------------------------------------


def seller(at: str, action: str, **fields: Any) -> dict[str, Any]:
    return ev(at, "seller", action, **fields)


def buyer(at: str, action: str, **fields: Any) -> dict[str, Any]:
    return ev(at, "buyer", action, **fields)


def arbitrator(at: str, action: str, **fields: Any) -> dict[str, Any]:
    return ev(at, "arbitrator", action, **fields)


def reject(at: str, note: str = "no") -> dict[str, Any]:
    return seller(at, "reject", note=note)


def propose(at: str, the_plan: dict[str, Any]) -> dict[str, Any]:
    return seller(at, "propose", plan=the_plan)


def modify(at: str, the_plan: dict[str, Any]) -> dict[str, Any]:
    return buyer(at, "modify_dispute", plan=the_plan)


def ship_return(at: str) -> dict[str, Any]:
    return buyer(at, "ship_return", carrier="Correios", tracking_number="BR987654321")


def ship_replacement(at: str) -> dict[str, Any]:
    return seller(at, "ship_replacement", carrier="Cainiao", tracking_number="LP00123456")


def evidence(actor: str, at: str, kind: str = "photo") -> dict[str, Any]:
    return ev(at, actor, "submit_evidence", kind=kind, description="see attachment")


def rule(at: str, amount: str, responsibility: str = "seller", **extra: Any) -> dict[str, Any]:
    return arbitrator(at, "rule", refund_amount=amount, responsibility=responsibility, **extra)


def opened(
    the_plan: dict[str, Any] | None = None, reason: str = NAD, at: str = OPEN
) -> list[dict[str, Any]]:
    """Shipment and a dispute opened at `at` (default plan: refund_only 40.00)."""
    return [ship(), open_dispute(at, reason=reason, the_plan=the_plan)]


RETURN_100 = plan("return_and_refund", "100.00")
RESEND = plan("resend", None)
REFUND_80 = plan("refund_only", "80.00")


def reach(status: str) -> list[dict[str, Any]]:
    """Events that leave the dispute in `status` (all before 2026-03-14T12:00Z)."""
    if status.startswith("awaiting_return"):
        evs = opened(RETURN_100)
    elif status == "awaiting_resend":
        evs = opened(RESEND)
    else:
        evs = opened(REFUND_80)
    if status == "awaiting_seller_response":
        return evs
    if status in ("awaiting_return_shipment", "awaiting_return_receipt", "awaiting_resend"):
        evs.append(seller(T_SELLER, "accept"))
        if status == "awaiting_return_receipt":
            evs.append(ship_return(T_BUYER))
        return evs
    evs.append(reject(T_SELLER))
    if status == "negotiating":
        return evs
    evs.append(buyer(T_BUYER, "escalate"))  # early escalation is allowed after a reject
    if status == "escalated":
        return evs
    evs.append(arbitrator(T_INTERVENE, "intervene"))
    if status == "awaiting_seller_evidence":
        return evs
    evs.append(evidence("seller", T_EVIDENCE))
    assert status == "under_review"
    return evs


OPEN_STATUSES = [
    "awaiting_seller_response",
    "negotiating",
    "awaiting_return_shipment",
    "awaiting_return_receipt",
    "awaiting_resend",
    "escalated",
    "awaiting_seller_evidence",
    "under_review",
]
NOT_NEGOTIATING = [s for s in OPEN_STATUSES if s not in ("awaiting_seller_response", "negotiating")]


def expected_dispute(
    *,
    status: str = "closed",
    resolution: str | None = None,
    refund: str = "0.00",
    closed_at: str | None = None,
    reason: str = NAD,
    opened_at: str = OPEN,
    responsibility: str | None = None,
    escalation: str | None = None,
    escalated_at: str | None = None,
    due: str | None = None,
) -> dict[str, Any]:
    return {
        "reason": reason,
        "status": status,
        "resolution": resolution,
        "refund_amount": refund,
        "responsibility": responsibility,
        "escalation": escalation,
        "opened_at": opened_at,
        "escalated_at": escalated_at,
        "intervention_due_at": due,
        "closed_at": closed_at,
    }


def test_reach_builds_each_open_status() -> None:
    for status in OPEN_STATUSES:
        out = run(reach(status))
        assert all(e is None for e in errors(out)), status
        assert dispute(out)["status"] == status


# =========================================================================================
# Section 7: accept / propose / reject / modify_dispute
# =========================================================================================


def test_seller_accepts_buyer_partial_refund() -> None:
    out = run([*opened(plan("refund_only", "40")), seller(T_SELLER, "accept")], until=DEADLINE)
    assert dispute(out) == expected_dispute(
        resolution="refunded", refund="40.00", closed_at=T_SELLER
    )
    # 40.00 < 121.49: the order completes at once.
    assert out["order"]["status"] == "completed"
    assert out["order"]["completed_at"] == T_SELLER
    assert out["order"]["refunded_total"] == "40.00"
    assert system_steps(out) == []


def test_seller_accepts_full_refund_order_refunded() -> None:
    out = run([*opened(plan("refund_only", TOTAL)), seller(T_SELLER, "accept")])
    assert dispute(out)["resolution"] == "refunded"
    assert out["order"] == {
        "id": "T1",
        "status": "refunded",
        "delivery_deadline": DEADLINE,
        "completed_at": T_SELLER,
        "refunded_total": TOTAL,
    }


def test_seller_accept_takes_buyer_plan_not_its_own_proposal() -> None:
    # The seller proposed 20, then accepts: a seller accept accepts the *buyer's* plan (80).
    out = run(
        [
            *opened(REFUND_80),
            propose(T_SELLER, plan("refund_only", "20.00")),
            seller(T_BUYER, "accept"),
        ]
    )
    assert errors(out) == [None, None, None, None]
    assert dispute(out)["refund_amount"] == "80.00"


def test_seller_accept_while_negotiating_after_reject() -> None:
    out = run([*opened(REFUND_80), reject(T_SELLER), seller(T_BUYER, "accept")])
    assert errors(out)[-1] is None
    assert dispute(out)["resolution"] == "refunded"
    assert dispute(out)["refund_amount"] == "80.00"


def test_buyer_accepts_seller_proposal() -> None:
    out = run(
        [
            *opened(REFUND_80),
            propose(T_SELLER, plan("refund_only", "20.00")),
            buyer(T_BUYER, "accept"),
        ]
    )
    assert dispute(out) == expected_dispute(
        resolution="refunded", refund="20.00", closed_at=T_BUYER
    )
    assert out["order"]["refunded_total"] == "20.00"


def test_buyer_accept_without_seller_plan_is_invalid_state() -> None:
    for before, status in (([], "awaiting_seller_response"), ([reject(T_SELLER)], "negotiating")):
        out = run([*opened(REFUND_80), *before, buyer(T_BUYER, "accept")])
        assert (errors(out)[-1], dispute(out)["status"]) == ("invalid_state", status)


def test_accept_of_return_plan_starts_return() -> None:
    out = run([*opened(RETURN_100), seller(T_SELLER, "accept")])
    assert dispute(out)["status"] == "awaiting_return_shipment"
    assert dispute(out)["resolution"] is None
    assert dispute(out)["refund_amount"] == "0.00"


def test_buyer_accepts_seller_resend_proposal() -> None:
    out = run(
        [*opened(REFUND_80), propose(T_SELLER, plan("resend", None)), buyer(T_BUYER, "accept")]
    )
    assert errors(out) == [None, None, None, None]
    assert dispute(out)["status"] == "awaiting_resend"


def test_seller_accepts_buyer_resend_plan_amount_ignored() -> None:
    out = run([*opened(plan("resend", "55.00")), seller(T_SELLER, "accept")])
    assert errors(out) == [None, None, None]
    assert dispute(out)["status"] == "awaiting_resend"
    assert out["order"]["refunded_total"] == "0.00"


def test_accept_outside_negotiation_is_invalid_state() -> None:
    got = {}
    for status in NOT_NEGOTIATING:
        out = run([*reach(status), seller(T_LATER, "accept"), buyer(T_LATER, "accept")])
        got[status] = (errors(out)[-2:], dispute(out)["status"])
    assert got == {s: (["invalid_state", "invalid_state"], s) for s in NOT_NEGOTIATING}


def test_propose_counts_as_response_no_timeout() -> None:
    # negotiating has no seller timeout; until is before day 16.
    out = run(
        [*opened(), propose(T_SELLER, plan("refund_only", "20.00"))], until="2026-03-24T00:00:00Z"
    )
    assert dispute(out)["status"] == "negotiating"
    assert system_steps(out) == []


def test_new_proposal_replaces_old() -> None:
    out = run(
        [
            *opened(REFUND_80),
            propose(T_SELLER, plan("refund_only", "20.00")),
            propose("2026-03-11T11:00:00Z", plan("refund_only", "30.00")),
            buyer(T_BUYER, "accept"),
        ]
    )
    assert dispute(out)["refund_amount"] == "30.00"


def test_reject_counts_as_response_and_keeps_seller_plan() -> None:
    out = run(
        [
            *opened(REFUND_80),
            propose(T_SELLER, plan("refund_only", "20.00")),
            reject("2026-03-11T11:00:00Z", note=""),
            buyer("2026-03-16T10:00:00Z", "accept"),
        ]
    )  # after OPEN + 5 d: no timeout fired
    assert errors(out) == [None, None, None, None, None]
    assert system_steps(out) == []
    assert dispute(out)["refund_amount"] == "20.00"


def test_propose_outside_negotiation_is_invalid_state() -> None:
    out = run([*reach("awaiting_return_shipment"), propose(T_LATER, plan("refund_only", "5.00"))])
    assert errors(out)[-1] == "invalid_state"


def test_modify_sets_awaiting_seller_response_and_seller_accepts_new_plan() -> None:
    out = run(
        [
            *opened(REFUND_80),
            reject(T_SELLER),
            modify("2026-03-11T12:00:00Z", plan("refund_only", "60.00")),
        ]
    )
    assert dispute(out)["status"] == "awaiting_seller_response"
    out = run(
        [
            *opened(REFUND_80),
            reject(T_SELLER),
            modify("2026-03-11T12:00:00Z", plan("refund_only", "60.00")),
            seller(T_BUYER, "accept"),
        ]
    )
    assert dispute(out)["refund_amount"] == "60.00"


def test_modify_does_not_clear_seller_plan() -> None:
    out = run(
        [
            *opened(REFUND_80),
            propose(T_SELLER, plan("refund_only", "20.00")),
            modify("2026-03-11T12:00:00Z", plan("refund_only", "60.00")),
            buyer(T_BUYER, "accept"),
        ]
    )
    assert errors(out)[-1] is None
    assert dispute(out)["refund_amount"] == "20.00"


def test_modify_restarts_seller_clock() -> None:
    # modify at 03-12T10:00 -> the seller's window ends 03-17T10:00 (not OPEN + 5 d = 03-15).
    evs = [*opened(REFUND_80), modify(T_BUYER, plan("refund_only", "60.00"))]
    out = run(evs, until="2026-03-17T09:59:59Z")
    assert system_steps(out) == []
    assert dispute(out)["status"] == "awaiting_seller_response"
    out = run(evs, until="2026-03-17T10:00:00Z")
    assert system_steps(out) == [("2026-03-17T10:00:00Z", "seller_response_timeout")]
    assert dispute(out)["refund_amount"] == "60.00"
    assert dispute(out)["closed_at"] == "2026-03-17T10:00:00Z"


def test_modify_after_proposal_rearms_timeout() -> None:
    # propose -> negotiating (nothing at 03-15); modify 03-16T10 -> timeout at 03-21T10.
    out = run(
        [
            *opened(REFUND_80),
            propose(T_SELLER, plan("refund_only", "20.00")),
            modify("2026-03-16T10:00:00Z", plan("refund_only", "70.00")),
        ],
        until="2026-03-22T00:00:00Z",
    )
    assert system_steps(out) == [("2026-03-21T10:00:00Z", "seller_response_timeout")]
    assert dispute(out)["refund_amount"] == "70.00"


def test_modify_in_arbitration_is_invalid_state() -> None:
    out = run([*reach("escalated"), modify(T_LATER, plan("refund_only", "10.00"))])
    assert errors(out)[-1] == "invalid_state"
    assert dispute(out)["status"] == "escalated"


# =========================================================================================
# Section 7: cancel_dispute
# =========================================================================================


@pytest.mark.parametrize("status", OPEN_STATUSES)
def test_cancel_in_every_open_status(status: str) -> None:
    out = run([*reach(status), buyer(T_LATER, "cancel_dispute")], until="2026-03-30T00:00:00Z")
    assert errors(out)[-1] is None
    d = dispute(out)
    assert (d["status"], d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "closed",
        "cancelled",
        "0.00",
        T_LATER,
    )
    # No refund; the order goes on as before (deadline 04-02 not reached) and no deadline of
    # the cancelled dispute fires afterwards.
    assert out["order"]["status"] == "shipped"
    assert out["order"]["completed_at"] is None
    assert out["order"]["refunded_total"] == "0.00"
    assert system_steps(out) == []


def test_cancel_then_order_auto_completes_at_deadline() -> None:
    out = run(
        [*reach("negotiating"), buyer(T_LATER, "cancel_dispute")], until="2026-04-03T00:00:00Z"
    )
    assert system_steps(out) == [(DEADLINE, "order_auto_completed")]
    assert out["order"]["status"] == "completed"
    assert out["order"]["completed_at"] == DEADLINE


def test_cancel_in_arbitration_after_deadline_completes_order_at_once() -> None:
    cancel_at = "2026-04-10T10:00:00Z"
    out = run(
        [*reach("under_review"), buyer(cancel_at, "cancel_dispute")], until="2026-04-20T00:00:00Z"
    )
    # under_review has no deadline; the delivery deadline (04-02) passed during the dispute.
    assert system_steps(out) == [(cancel_at, "order_auto_completed")]
    assert steps(out)[-1] == (cancel_at, "system", "order_auto_completed", True, None)
    assert dispute(out)["resolution"] == "cancelled"
    assert out["order"]["status"] == "completed"
    assert out["order"]["completed_at"] == cancel_at


def test_cancel_without_open_dispute_is_no_dispute() -> None:
    out = run(
        [
            ship(),
            buyer(OPEN, "cancel_dispute"),
            open_dispute(OPEN),
            buyer(T_SELLER, "cancel_dispute"),
            buyer(T_BUYER, "cancel_dispute"),
        ]
    )
    assert errors(out) == [None, "no_dispute", None, None, "no_dispute"]


# =========================================================================================
# Section 7: buyer escalate
# =========================================================================================


def test_buyer_escalate_from_day4() -> None:
    out = run([*opened(), buyer("2026-03-13T09:59:59Z", "escalate")])
    assert errors(out)[-1] == "too_early"
    assert dispute(out)["status"] == "awaiting_seller_response"
    assert dispute(out)["escalation"] is None
    out = run([*opened(), buyer(DAY4, "escalate")])
    assert errors(out)[-1] is None
    # escalated Friday 03-13 -> Mon 03-16 (1), Tue 03-17 (2)
    assert dispute(out) == expected_dispute(
        status="escalated", escalation="buyer", escalated_at=DAY4, due="2026-03-17T10:00:00Z"
    )


def test_buyer_escalate_early_after_reject() -> None:
    out = run([*opened(), reject(T_SELLER), buyer("2026-03-11T11:00:00Z", "escalate", note="x")])
    assert errors(out)[-1] is None
    d = dispute(out)
    # Wed 03-11T11:00 -> Thu 03-12 (1), Fri 03-13 (2)
    assert (d["status"], d["escalation"], d["escalated_at"], d["intervention_due_at"]) == (
        "escalated",
        "buyer",
        "2026-03-11T11:00:00Z",
        "2026-03-13T11:00:00Z",
    )


def test_buyer_escalate_early_after_reject_then_propose_is_too_early() -> None:
    # The seller's last response is a propose, not a reject.
    out = run(
        [
            *opened(),
            reject(T_SELLER),
            propose("2026-03-11T11:00:00Z", plan()),
            buyer(T_BUYER, "escalate"),
        ]
    )
    assert errors(out)[-1] == "too_early"
    assert dispute(out)["status"] == "negotiating"


def test_buyer_escalate_early_after_propose_then_reject() -> None:
    out = run(
        [
            *opened(),
            propose(T_SELLER, plan()),
            reject("2026-03-11T11:00:00Z"),
            buyer(T_BUYER, "escalate"),
        ]
    )
    assert errors(out)[-1] is None
    assert dispute(out)["status"] == "escalated"


def test_buyer_escalate_early_after_reject_then_modify() -> None:
    # Our decision: modify_dispute does not reset the seller's last response (a reject).
    out = run(
        [
            *opened(),
            reject(T_SELLER),
            modify("2026-03-11T11:00:00Z", plan("refund_only", "60")),
            buyer(T_BUYER, "escalate"),
        ]
    )
    assert errors(out)[-1] is None
    assert dispute(out)["escalation"] == "buyer"


def test_in_transit_buyer_never_escalates() -> None:
    cases = {
        "2026-03-20T10:00:00Z": ("too_early", "negotiating"),  # after day 4 and a reject
        "2026-04-02T09:59:59Z": ("too_early", "negotiating"),  # one second before the deadline
        DEADLINE: ("invalid_state", "escalated"),  # the in-transit escalation came first
    }
    got = {}
    for at in cases:
        out = run([*opened(reason=IN_TRANSIT), reject(T_SELLER), buyer(at, "escalate")])
        got[at] = (errors(out)[-1], dispute(out)["status"])
    assert got == cases


def test_buyer_escalate_outside_negotiation_is_invalid_state() -> None:
    statuses = ["awaiting_return_shipment", "awaiting_resend", "escalated"]
    got = {}
    for status in statuses:
        out = run([*reach(status), buyer(T_LATER, "escalate")])
        got[status] = (errors(out)[-1], dispute(out)["status"])
    assert got == {s: ("invalid_state", s) for s in statuses}


# =========================================================================================
# Section 7: seller response timeout
# =========================================================================================


def test_seller_timeout_boundary() -> None:
    out = run(opened(plan("refund_only", "40.00")), until="2026-03-15T09:59:59Z")
    assert system_steps(out) == []
    assert dispute(out)["status"] == "awaiting_seller_response"
    out = run(opened(plan("refund_only", "40.00")), until=TIMEOUT)
    assert steps(out)[-1] == (TIMEOUT, "system", "seller_response_timeout", True, None)
    assert system_steps(out) == [(TIMEOUT, "seller_response_timeout")]


def test_seller_timeout_executes_refund_only() -> None:
    out = run(opened(plan("refund_only", "40.00")), until="2026-03-20T00:00:00Z")
    assert dispute(out) == expected_dispute(
        resolution="refunded", refund="40.00", closed_at=TIMEOUT
    )
    assert out["order"]["status"] == "completed"
    assert out["order"]["completed_at"] == TIMEOUT


def test_seller_timeout_executes_return_and_refund() -> None:
    # Agreement at the timeout 03-15T10; return window 10 d -> 03-25T10 (also day 16, but
    # day 16 does not apply in a return status).
    out = run(opened(RETURN_100), until="2026-03-25T09:59:59Z")
    assert system_steps(out) == [(TIMEOUT, "seller_response_timeout")]
    assert dispute(out)["status"] == "awaiting_return_shipment"
    out = run(opened(RETURN_100), until="2026-03-26T00:00:00Z")
    assert system_steps(out) == [
        (TIMEOUT, "seller_response_timeout"),
        (DAY16, "return_shipment_timeout"),
    ]
    assert dispute(out) == expected_dispute(resolution="return_not_shipped", closed_at=DAY16)
    assert out["order"]["status"] == "completed"


def test_seller_timeout_executes_resend() -> None:
    # awaiting_resend from 03-15T10; 7 d later (03-22T10, a Sunday) the resend is missed:
    # Mon 03-23 (1), Tue 03-24 (2).
    out = run(opened(RESEND), until="2026-03-30T00:00:00Z")
    assert system_steps(out) == [
        (TIMEOUT, "seller_response_timeout"),
        ("2026-03-22T10:00:00Z", "auto_escalated"),
    ]
    assert dispute(out) == expected_dispute(
        status="escalated",
        escalation="auto_resend_missed",
        escalated_at="2026-03-22T10:00:00Z",
        due="2026-03-24T10:00:00Z",
    )


def test_seller_accept_at_timeout() -> None:
    out = run([*opened(REFUND_80), seller("2026-03-15T09:59:59Z", "accept")])
    assert errors(out)[-1] is None
    assert system_steps(out) == []
    assert dispute(out)["closed_at"] == "2026-03-15T09:59:59Z"
    got = {}
    for name, the_plan in (("refund", REFUND_80), ("return", RETURN_100), ("resend", RESEND)):
        got[name] = errors(run([*opened(the_plan), seller(TIMEOUT, "accept")]))[-1]
    # refund executed -> no dispute; a return or resend under way -> invalid_state
    assert got == {"refund": "no_dispute", "return": "invalid_state", "resend": "invalid_state"}


def test_seller_evidence_is_not_a_response() -> None:
    out = run(
        [*opened(plan("refund_only", "40.00")), evidence("seller", T_SELLER)],
        until="2026-03-16T00:00:00Z",
    )
    assert errors(out)[-1] is None
    assert system_steps(out) == [(TIMEOUT, "seller_response_timeout")]


# =========================================================================================
# Section 7: day-16 automatic escalation
# =========================================================================================


def test_day16_auto_escalation() -> None:
    evs = [*opened(), propose(T_SELLER, plan("refund_only", "20.00"))]
    out = run(evs, until="2026-03-25T09:59:59Z")
    assert system_steps(out) == []
    assert dispute(out)["status"] == "negotiating"
    out = run(evs, until=DAY16)
    assert system_steps(out) == [(DAY16, "auto_escalated")]
    # Wednesday 03-25 -> Thu 03-26 (1), Fri 03-27 (2)
    assert dispute(out) == expected_dispute(
        status="escalated",
        escalation="auto_no_agreement",
        escalated_at=DAY16,
        due="2026-03-27T10:00:00Z",
    )


def test_day16_preempts_open_seller_window() -> None:
    # modify at 03-21T10 would give the seller until 03-26T10, but day 16 (03-25T10) comes first.
    out = run(
        [*opened(), reject(T_SELLER), modify("2026-03-21T10:00:00Z", REFUND_80)],
        until="2026-03-30T00:00:00Z",
    )
    assert system_steps(out) == [(DAY16, "auto_escalated")]
    assert dispute(out)["escalation"] == "auto_no_agreement"


def test_seller_timeout_wins_tie_with_day16() -> None:
    # modify at 03-20T10 -> seller timeout at 03-25T10 == day 16: the timeout fires first.
    out = run(
        [*opened(), reject(T_SELLER), modify("2026-03-20T10:00:00Z", plan("refund_only", "60"))],
        until="2026-03-30T00:00:00Z",
    )
    assert system_steps(out) == [(DAY16, "seller_response_timeout")]
    assert dispute(out) == expected_dispute(resolution="refunded", refund="60.00", closed_at=DAY16)


def test_propose_at_day16() -> None:
    got = [
        errors(run([*opened(), reject(T_SELLER), propose(at, plan("refund_only", "30.00"))]))[-1]
        for at in ("2026-03-25T09:59:59Z", DAY16)
    ]
    assert got == [None, "invalid_state"]


# =========================================================================================
# Section 7: in-transit escalation
# =========================================================================================


def test_in_transit_escalates_at_delivery_deadline_not_day16() -> None:
    evs = [*opened(reason=IN_TRANSIT), reject(T_SELLER)]
    out = run(evs, until="2026-04-02T09:59:59Z")
    assert system_steps(out) == []  # no day 16 on 03-25
    assert dispute(out)["status"] == "negotiating"
    out = run(evs, until=DEADLINE)
    assert system_steps(out) == [(DEADLINE, "auto_escalated")]
    # Thu 04-02 -> Fri 04-03 (1); Sat, Sun, Mon 04-06 Qingming off; Tue 04-07 (2)
    assert dispute(out) == expected_dispute(
        reason=IN_TRANSIT,
        status="escalated",
        escalation="auto_in_transit",
        escalated_at=DEADLINE,
        due="2026-04-07T10:00:00Z",
    )
    assert out["order"]["status"] == "shipped"  # the dispute keeps it shipped


def test_in_transit_escalation_moves_with_extend_delivery() -> None:
    evs = [
        *opened(reason=IN_TRANSIT),
        reject(T_SELLER),
        seller("2026-03-20T10:00:00Z", "extend_delivery", days=10),
    ]
    out = run(evs, until="2026-04-12T09:59:59Z")
    assert out["order"]["delivery_deadline"] == "2026-04-12T10:00:00Z"  # 04-02 + 10 d
    assert system_steps(out) == []
    assert dispute(out)["status"] == "negotiating"
    out = run(evs, until="2026-04-12T10:00:00Z")
    assert system_steps(out) == [("2026-04-12T10:00:00Z", "auto_escalated")]
    d = dispute(out)
    # Sunday 04-12 -> Mon 04-13 (1), Tue 04-14 (2)
    assert (d["escalation"], d["escalated_at"], d["intervention_due_at"]) == (
        "auto_in_transit",
        "2026-04-12T10:00:00Z",
        "2026-04-14T10:00:00Z",
    )


def test_extend_delivery_at_deadline_during_in_transit_dispute_is_too_late() -> None:
    out = run(
        [*opened(reason=IN_TRANSIT), reject(T_SELLER), seller(DEADLINE, "extend_delivery", days=5)]
    )
    assert errors(out)[-1] == "too_late"
    assert out["order"]["delivery_deadline"] == DEADLINE
    assert dispute(out)["escalation"] == "auto_in_transit"


def test_in_transit_opened_after_deadline_escalates_at_once() -> None:
    # promised 3 d < 5 d: disputes from shipped_at; deadline 03-06T10 completes the order.
    order = {**ORDER, "promised_delivery_days": 3}
    at = "2026-03-07T10:00:00Z"
    out = run(
        [ship(), open_dispute(at, reason=IN_TRANSIT, goods_received=False)],
        order=order,
        until="2026-03-08T00:00:00Z",
    )
    assert steps(out) == [
        (SHIP, "seller", "ship", True, None),
        ("2026-03-06T10:00:00Z", "system", "order_auto_completed", True, None),
        (at, "buyer", "open_dispute", True, None),
        (at, "system", "auto_escalated", True, None),
    ]
    # Saturday 03-07 -> Mon 03-09 (1), Tue 03-10 (2)
    assert dispute(out) == expected_dispute(
        reason=IN_TRANSIT,
        opened_at=at,
        status="escalated",
        escalation="auto_in_transit",
        escalated_at=at,
        due="2026-03-10T10:00:00Z",
    )
    assert out["order"]["status"] == "completed"


def test_in_transit_escalation_only_while_negotiating() -> None:
    # Agreement on a resend on 03-31T10: at the deadline (04-02) nothing fires; the resend is
    # missed at 03-31 + 7 d = 04-07T10 instead.
    out = run(
        [
            *opened(RESEND, reason=IN_TRANSIT),
            reject(T_SELLER),
            seller("2026-03-31T10:00:00Z", "accept"),
        ],
        until="2026-04-08T00:00:00Z",
    )
    assert errors(out) == [None, None, None, None]
    assert system_steps(out) == [("2026-04-07T10:00:00Z", "auto_escalated")]
    assert dispute(out)["escalation"] == "auto_resend_missed"


def test_in_transit_seller_timeout_wins_tie_with_deadline_escalation() -> None:
    # Opened 03-28T10: seller timeout at 04-02T10 == delivery deadline: the timeout first.
    out = run(
        opened(plan("refund_only", TOTAL), reason=IN_TRANSIT, at="2026-03-28T10:00:00Z"),
        until="2026-04-05T00:00:00Z",
    )
    actions = [a for _, a in system_steps(out)]
    assert actions[0] == "seller_response_timeout"
    assert "auto_escalated" not in actions
    assert dispute(out)["resolution"] == "refunded"
    assert dispute(out)["escalation"] is None
    assert out["order"]["status"] == "refunded"
    assert out["order"]["completed_at"] == DEADLINE


# =========================================================================================
# Section 7: resend
# =========================================================================================


def test_ship_replacement_window() -> None:
    # Agreement 03-11T10 -> resend missed at 03-18T10.
    out = run([*reach("awaiting_resend"), ship_replacement("2026-03-18T09:59:59Z")])
    assert errors(out)[-1] is None
    assert dispute(out)["resolution"] == "resent"
    out = run([*reach("awaiting_resend"), ship_replacement("2026-03-18T10:00:00Z")])
    assert errors(out)[-1] == "invalid_state"
    # Wednesday 03-18 -> Thu 03-19 (1), Fri 03-20 (2)
    assert dispute(out) == expected_dispute(
        status="escalated",
        escalation="auto_resend_missed",
        escalated_at="2026-03-18T10:00:00Z",
        due="2026-03-20T10:00:00Z",
    )


def test_ship_replacement_reships_the_order() -> None:
    out = run([*reach("awaiting_resend"), ship_replacement(T_BUYER)])
    assert dispute(out) == expected_dispute(resolution="resent", closed_at=T_BUYER)
    # 03-12T10 + 30 d = 04-11T10
    assert out["order"] == {
        "id": "T1",
        "status": "shipped",
        "delivery_deadline": "2026-04-11T10:00:00Z",
        "completed_at": None,
        "refunded_total": "0.00",
    }


def test_replacement_deadline_replaces_old_one() -> None:
    out = run([*reach("awaiting_resend"), ship_replacement(T_BUYER)], until="2026-04-12T00:00:00Z")
    assert system_steps(out) == [("2026-04-11T10:00:00Z", "order_auto_completed")]
    assert out["order"]["completed_at"] == "2026-04-11T10:00:00Z"


def test_ship_replacement_clears_completed_at() -> None:
    out = run(
        [
            ship(),
            buyer("2026-03-05T10:00:00Z", "confirm_receipt"),
            open_dispute(OPEN, the_plan=RESEND),
            seller(T_SELLER, "accept"),
            ship_replacement(T_BUYER),
        ]
    )
    assert errors(out) == [None] * 5
    assert out["order"]["status"] == "shipped"
    assert out["order"]["completed_at"] is None
    assert out["order"]["delivery_deadline"] == "2026-04-11T10:00:00Z"


def test_new_dispute_after_resent_counts_from_replacement() -> None:
    # shipped_at is now 03-12T10 -> disputes from 03-17T10.
    evs = [*reach("awaiting_resend"), ship_replacement(T_BUYER)]
    out = run([*evs, open_dispute("2026-03-17T09:59:59Z")])
    assert errors(out)[-1] == "too_early"
    out = run([*evs, open_dispute("2026-03-17T10:00:00Z")])
    assert errors(out)[-1] is None
    assert len(out["disputes"]) == 2
    assert dispute(out)["opened_at"] == "2026-03-17T10:00:00Z"
    assert dispute(out)["status"] == "awaiting_seller_response"


def test_ship_replacement_outside_awaiting_resend_is_invalid_state() -> None:
    out = run([*reach("negotiating"), ship_replacement(T_LATER)])
    assert errors(out)[-1] == "invalid_state"
    assert out["order"]["delivery_deadline"] == DEADLINE


# =========================================================================================
# Section 8: returns
# =========================================================================================

AGREED = T_SELLER  # the seller accepts RETURN_100 at 03-11T10 -> ship the return before 03-21T10


def test_return_shipment_window() -> None:
    out = run([*reach("awaiting_return_shipment"), ship_return("2026-03-21T09:59:59Z")])
    assert errors(out)[-1] is None
    assert dispute(out)["status"] == "awaiting_return_receipt"
    assert system_steps(out) == []
    out = run([*reach("awaiting_return_shipment"), ship_return("2026-03-21T10:00:00Z")])
    assert errors(out)[-1] == "no_dispute"
    assert system_steps(out) == [("2026-03-21T10:00:00Z", "return_shipment_timeout")]


def test_return_shipment_timeout_closes_without_refund() -> None:
    out = run(reach("awaiting_return_shipment"), until="2026-03-25T00:00:00Z")
    assert dispute(out) == expected_dispute(
        resolution="return_not_shipped", closed_at="2026-03-21T10:00:00Z"
    )
    assert out["order"] == {
        "id": "T1",
        "status": "completed",
        "delivery_deadline": DEADLINE,
        "completed_at": "2026-03-21T10:00:00Z",
        "refunded_total": "0.00",
    }


# ship_return at 03-12T10 -> the seller has until 03-12 + 30 d = 04-11T10.
@pytest.mark.parametrize("action", ["confirm_return_received", "escalate"])
def test_return_receipt_window(action: str) -> None:
    before = "2026-04-11T09:59:59Z"
    out = run([*reach("awaiting_return_receipt"), seller(before, action)])
    assert errors(out)[-1] is None
    d = dispute(out)
    if action == "escalate":
        assert (d["status"], d["escalation"], d["escalated_at"]) == ("escalated", "seller", before)
    else:
        assert (d["resolution"], d["refund_amount"], d["closed_at"]) == (
            "refunded",
            "100.00",
            before,
        )
        assert out["order"]["status"] == "completed"
        assert out["order"]["completed_at"] == before  # ends with the dispute, after 04-02
    out = run([*reach("awaiting_return_receipt"), seller("2026-04-11T10:00:00Z", action)])
    assert errors(out)[-1] == "no_dispute"
    assert system_steps(out)[0] == ("2026-04-11T10:00:00Z", "return_receipt_timeout")
    assert (dispute(out)["resolution"], dispute(out)["refund_amount"]) == ("refunded", "100.00")


def test_return_receipt_timeout_refunds_agreed_amount() -> None:
    out = run(reach("awaiting_return_receipt"), until="2026-04-20T00:00:00Z")
    assert "return_receipt_timeout" in [a for _, a in system_steps(out)]
    assert dispute(out) == expected_dispute(
        resolution="refunded", refund="100.00", closed_at="2026-04-11T10:00:00Z"
    )
    assert out["order"]["status"] == "completed"
    assert out["order"]["refunded_total"] == "100.00"


def test_confirm_return_received_refunds_seller_plan_amount() -> None:
    # The buyer accepted the seller's return plan of 70: that is the agreed amount.
    out = run(
        [
            *opened(plan("refund_only", TOTAL)),
            propose(T_SELLER, plan("return_and_refund", "70")),
            buyer(T_BUYER, "accept"),
            ship_return("2026-03-13T10:00:00Z"),
            seller("2026-03-14T10:00:00Z", "confirm_return_received"),
        ]
    )
    assert errors(out) == [None] * 6
    assert dispute(out) == expected_dispute(
        resolution="refunded", refund="70.00", closed_at="2026-03-14T10:00:00Z"
    )


def test_full_refund_after_return_refunds_order() -> None:
    out = run(
        [
            *opened(plan("return_and_refund", TOTAL)),
            seller(T_SELLER, "accept"),
            ship_return(T_BUYER),
            seller(T_LATER, "confirm_return_received"),
        ]
    )
    assert out["order"]["status"] == "refunded"
    assert out["order"]["completed_at"] == T_LATER
    assert out["order"]["refunded_total"] == TOTAL


def test_give_up_return_refunds_in_both_return_states() -> None:
    for status in ("awaiting_return_shipment", "awaiting_return_receipt"):
        out = run([*reach(status), seller(T_LATER, "give_up_return")])
        assert errors(out)[-1] is None, status
        assert dispute(out) == expected_dispute(
            resolution="refunded", refund="100.00", closed_at=T_LATER
        ), status


def test_seller_escalate_only_in_awaiting_return_receipt() -> None:
    statuses = [
        "awaiting_seller_response",
        "negotiating",
        "awaiting_return_shipment",
        "awaiting_resend",
        "escalated",
    ]
    got = {}
    for status in statuses:
        out = run([*reach(status), seller(T_LATER, "escalate")])
        got[status] = (errors(out)[-1], dispute(out)["status"])
    assert got == {s: ("invalid_state", s) for s in statuses}


def test_seller_escalates_return() -> None:
    out = run([*reach("awaiting_return_receipt"), seller(DAY4, "escalate", note="empty box")])
    # Friday 03-13 -> Mon 03-16 (1), Tue 03-17 (2)
    assert dispute(out) == expected_dispute(
        status="escalated", escalation="seller", escalated_at=DAY4, due="2026-03-17T10:00:00Z"
    )


def test_return_actions_in_wrong_state() -> None:
    cases = {
        "confirm_before_shipped": (
            "awaiting_return_shipment",
            seller(T_LATER, "confirm_return_received"),
        ),
        "ship_return_negotiating": ("negotiating", ship_return(T_LATER)),
        "give_up_negotiating": ("negotiating", seller(T_LATER, "give_up_return")),
        "ship_return_twice": ("awaiting_return_receipt", ship_return(T_LATER)),
    }
    got = {}
    for name, (status, event) in cases.items():
        out = run([*reach(status), event])
        got[name] = (errors(out)[-1], dispute(out)["status"])
    assert got == {n: ("invalid_state", s) for n, (s, _) in cases.items()}


# =========================================================================================
# Section 9: arbitration
# =========================================================================================
# reach("awaiting_seller_evidence"): refund_only 80, reject 03-11, escalate 03-12T10 (Thu, due
# Fri 03-13 (1), Mon 03-16 (2)), intervene 03-13T10 -> first period ends 03-16T10, second 03-19T10.
EXT = "2026-03-16T10:00:00Z"
AUTO_RULE = "2026-03-19T10:00:00Z"


def test_intervene_starts_evidence_period() -> None:
    out = run(reach("awaiting_seller_evidence"))
    assert dispute(out) == expected_dispute(
        status="awaiting_seller_evidence",
        escalation="buyer",
        escalated_at=T_BUYER,
        due="2026-03-16T10:00:00Z",
    )


def test_intervene_only_while_escalated() -> None:
    statuses = [
        "awaiting_seller_response",
        "negotiating",
        "awaiting_return_receipt",
        "awaiting_seller_evidence",
        "under_review",
    ]
    got = {}
    for status in statuses:
        out = run([*reach(status), arbitrator(T_LATER, "intervene")])
        got[status] = (errors(out)[-1], dispute(out)["status"])
    assert got == {s: ("invalid_state", s) for s in statuses}


def test_intervene_without_dispute() -> None:
    out = run([ship(), arbitrator(OPEN, "intervene")])
    assert errors(out) == [None, "no_dispute"]


@pytest.mark.parametrize(("actor", "kind"), [("buyer", "video"), ("seller", "tracking_record")])
def test_submit_evidence_by_each_side_in_each_status(actor: str, kind: str) -> None:
    # Buyer evidence never changes the status; a seller submission moves
    # awaiting_seller_evidence to under_review and changes nothing elsewhere.
    got = {}
    for status in OPEN_STATUSES:
        out = run([*reach(status), evidence(actor, T_LATER, kind=kind)])
        got[status] = (errors(out)[-1], dispute(out)["status"])
    expected = {s: (None, s) for s in OPEN_STATUSES}
    if actor == "seller":
        expected["awaiting_seller_evidence"] = (None, "under_review")
    assert got == expected


def test_submit_evidence_without_open_dispute() -> None:
    out = run(
        [
            *reach("negotiating"),
            buyer(T_BUYER, "cancel_dispute"),
            evidence("buyer", T_LATER),
            evidence("seller", T_LATER),
        ]
    )
    assert errors(out)[-2:] == ["no_dispute", "no_dispute"]


def test_evidence_periods_boundaries() -> None:
    cases = {
        "2026-03-16T09:59:59Z": ([], "awaiting_seller_evidence"),
        EXT: ([(EXT, "evidence_period_extended")], "awaiting_seller_evidence"),
        "2026-03-19T09:59:59Z": ([(EXT, "evidence_period_extended")], "awaiting_seller_evidence"),
        AUTO_RULE: ([(EXT, "evidence_period_extended"), (AUTO_RULE, "auto_ruled")], "closed"),
    }
    got = {}
    for until in cases:
        out = run(reach("awaiting_seller_evidence"), until=until)
        got[until] = (system_steps(out), dispute(out)["status"])
    assert got == cases


def test_buyer_evidence_does_not_stop_periods() -> None:
    out = run(
        [*reach("awaiting_seller_evidence"), evidence("buyer", T_EVIDENCE)],
        until="2026-03-20T00:00:00Z",
    )
    assert system_steps(out) == [(EXT, "evidence_period_extended"), (AUTO_RULE, "auto_ruled")]


def test_seller_evidence_stops_periods() -> None:
    cases = {
        "2026-03-16T09:59:59Z": (None, "under_review"),  # first period end - 1 s
        "2026-03-19T09:59:59Z": (None, "under_review"),  # second period end - 1 s
        AUTO_RULE: ("no_dispute", "closed"),  # auto-ruled first
    }
    got = {}
    for at in cases:
        out = run(
            [*reach("awaiting_seller_evidence"), evidence("seller", at)],
            until="2026-08-01T00:00:00Z",
        )
        got[at] = (errors(out)[-1], dispute(out)["status"])
        if got[at][1] == "under_review":
            # under_review has no deadline: months later still open, the order still shipped.
            assert "auto_ruled" not in [a for _, a in system_steps(out)]
            assert out["order"]["status"] == "shipped"
    assert got == cases


@pytest.mark.parametrize(
    ("the_plan", "refund", "order_status"),
    [
        (plan("refund_only", "80.00"), "80.00", "completed"),
        (plan("return_and_refund", "90"), "90.00", "completed"),  # refunded without a return
        (plan("resend", None), TOTAL, "refunded"),  # all that is still refundable
    ],
    ids=["refund_only", "return_and_refund", "resend"],
)
def test_auto_ruled_refunds_buyer_plan(
    the_plan: dict[str, Any], refund: str, order_status: str
) -> None:
    evs = [
        *opened(the_plan),
        reject(T_SELLER),
        buyer(T_BUYER, "escalate"),
        arbitrator(T_INTERVENE, "intervene"),
    ]
    out = run(evs, until="2026-03-20T00:00:00Z")
    assert dispute(out) == expected_dispute(
        resolution="ruled",
        refund=refund,
        closed_at=AUTO_RULE,
        responsibility="seller",
        escalation="buyer",
        escalated_at=T_BUYER,
        due="2026-03-16T10:00:00Z",
    )
    assert out["order"]["status"] == order_status
    assert out["order"]["completed_at"] == AUTO_RULE
    assert out["order"]["refunded_total"] == refund


def test_auto_ruled_uses_buyer_current_plan() -> None:
    evs = [
        *opened(REFUND_80),
        modify("2026-03-10T12:00:00Z", plan("refund_only", "60.00")),
        reject(T_SELLER),
        buyer(T_BUYER, "escalate"),
        arbitrator(T_INTERVENE, "intervene"),
    ]
    out = run(evs, until="2026-03-20T00:00:00Z")
    assert dispute(out)["refund_amount"] == "60.00"


def test_auto_ruled_ignores_earlier_agreement() -> None:
    # Agreed on the seller's return plan of 30; the seller escalates the return; the auto
    # ruling refunds the buyer's plan (80), not the agreed 30.
    evs = [
        *opened(REFUND_80),
        propose(T_SELLER, plan("return_and_refund", "30.00")),
        buyer("2026-03-11T12:00:00Z", "accept"),
        ship_return(T_BUYER),
        seller(DAY4, "escalate"),
        arbitrator("2026-03-16T10:00:00Z", "intervene"),
    ]
    # intervene Mon 03-16T10 -> extended 03-19T10 -> auto_ruled 03-22T10
    out = run(evs, until="2026-03-23T00:00:00Z")
    assert errors(out) == [None] * 7
    assert system_steps(out) == [
        ("2026-03-19T10:00:00Z", "evidence_period_extended"),
        ("2026-03-22T10:00:00Z", "auto_ruled"),
    ]
    d = dispute(out)
    assert (d["resolution"], d["refund_amount"], d["responsibility"], d["escalation"]) == (
        "ruled",
        "80.00",
        "seller",
        "seller",
    )


@pytest.mark.parametrize(
    ("periods", "expected_steps"),
    [
        (1, [(EXT, "auto_ruled")]),
        (
            3,
            [
                (EXT, "evidence_period_extended"),
                (AUTO_RULE, "evidence_period_extended"),
                ("2026-03-22T10:00:00Z", "auto_ruled"),
            ],
        ),
    ],
    ids=["one_period", "three_periods"],
)
def test_evidence_periods_override(periods: int, expected_steps: list) -> None:
    out = run(
        reach("awaiting_seller_evidence"),
        until="2026-03-23T00:00:00Z",
        overrides={"evidence_periods": periods},
    )
    assert system_steps(out) == expected_steps
    assert dispute(out)["resolution"] == "ruled"


@pytest.mark.parametrize(
    ("status", "responsibility"),
    [
        ("awaiting_seller_evidence", "seller"),
        ("under_review", "buyer"),
        ("awaiting_seller_evidence", "none"),
    ],
)
def test_rule_with_each_responsibility(status: str, responsibility: str) -> None:
    out = run([*reach(status), rule(T_LATER, "50", responsibility)])
    assert errors(out)[-1] is None
    assert dispute(out) == expected_dispute(
        resolution="ruled",
        refund="50.00",
        closed_at=T_LATER,
        responsibility=responsibility,
        escalation="buyer",
        escalated_at=T_BUYER,
        due="2026-03-16T10:00:00Z",
    )
    assert out["order"] == {
        "id": "T1",
        "status": "completed",
        "delivery_deadline": DEADLINE,
        "completed_at": T_LATER,
        "refunded_total": "50.00",
    }


def test_rule_zero_refund() -> None:
    out = run([*reach("under_review"), rule(T_LATER, "0", "buyer")])
    assert errors(out)[-1] is None
    d = dispute(out)
    assert (d["resolution"], d["refund_amount"], d["responsibility"]) == ("ruled", "0.00", "buyer")
    assert out["order"]["status"] == "completed"
    assert out["order"]["refunded_total"] == "0.00"


def test_rule_full_refund_refunds_order() -> None:
    out = run([*reach("under_review"), rule(T_LATER, TOTAL)])
    assert out["order"]["status"] == "refunded"
    assert out["order"]["completed_at"] == T_LATER


def test_rule_refused() -> None:
    out = run([*reach("escalated"), rule(T_LATER, "50.00")])  # not intervened yet
    assert (errors(out)[-1], dispute(out)["status"]) == ("invalid_state", "escalated")
    out = run([*reach("under_review"), rule(T_LATER, "121.50")])  # above 121.49
    assert (errors(out)[-1], dispute(out)["status"]) == ("invalid_amount", "under_review")


RULED_AT = T_EVIDENCE  # rule with return at 03-14T10 (Sat) -> ship the return before 03-24T10


def ruled_with_return(responsibility: str = "buyer") -> list[dict[str, Any]]:
    return [
        *reach("awaiting_seller_evidence"),
        rule(RULED_AT, "50.00", responsibility, return_required=True),
    ]


def test_rule_with_return_required_starts_return_flow() -> None:
    out = run(ruled_with_return("seller"))
    assert dispute(out) == expected_dispute(
        status="awaiting_return_shipment",
        responsibility="seller",
        escalation="buyer",
        escalated_at=T_BUYER,
        due="2026-03-16T10:00:00Z",
    )
    assert out["order"]["status"] == "shipped"


def test_rule_with_return_ends_refunded() -> None:
    out = run(
        [
            *ruled_with_return(),
            ship_return("2026-03-24T09:59:59Z"),
            seller("2026-03-25T10:00:00Z", "confirm_return_received"),
        ]
    )
    assert errors(out)[-2:] == [None, None]
    d = dispute(out)
    assert (d["resolution"], d["refund_amount"], d["responsibility"], d["closed_at"]) == (
        "refunded",
        "50.00",
        "buyer",
        "2026-03-25T10:00:00Z",
    )
    assert out["order"]["refunded_total"] == "50.00"


def test_rule_with_return_ends_return_not_shipped() -> None:
    out = run(ruled_with_return(), until="2026-03-30T00:00:00Z")
    assert system_steps(out) == [("2026-03-24T10:00:00Z", "return_shipment_timeout")]
    d = dispute(out)
    assert (d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "return_not_shipped",
        "0.00",
        "2026-03-24T10:00:00Z",
    )
    assert out["order"]["status"] == "completed"
    assert out["order"]["completed_at"] == "2026-03-24T10:00:00Z"


def test_rule_with_return_receipt_timeout_refunds_ruled_amount() -> None:
    # ship_return 03-15T10 -> return_receipt_timeout at 04-14T10.
    out = run(
        [*ruled_with_return(), ship_return("2026-03-15T10:00:00Z")], until="2026-04-20T00:00:00Z"
    )
    assert ("2026-04-14T10:00:00Z", "return_receipt_timeout") in system_steps(out)
    d = dispute(out)
    assert (d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "refunded",
        "50.00",
        "2026-04-14T10:00:00Z",
    )


def test_second_escalation_takes_new_values() -> None:
    out = run(
        [
            *ruled_with_return(),
            ship_return("2026-03-15T10:00:00Z"),
            seller("2026-03-16T10:00:00Z", "escalate"),
        ]
    )
    assert errors(out)[-1] is None
    d = dispute(out)
    # Monday 03-16 -> Tue 03-17 (1), Wed 03-18 (2)
    assert (d["status"], d["escalation"], d["escalated_at"], d["intervention_due_at"]) == (
        "escalated",
        "seller",
        "2026-03-16T10:00:00Z",
        "2026-03-18T10:00:00Z",
    )


# --- intervention_due_at: escalated_at + 2 CN working days ----------------------------------

CAL_ORDER = {**ORDER, "placed_at": "2025-12-01T00:00:00Z", "promised_delivery_days": 400}
CAL_SHIP = "2025-12-01T10:00:00Z"


def shift(at: str, hours: int) -> str:
    t = datetime.strptime(at[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    return (t + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_intervention_due_at_cn_working_days() -> None:
    cases = {  # escalated_at -> intervention_due_at
        "2026-03-12T10:00:00Z": "2026-03-16T10:00:00Z",  # Thu -> Fri (1), Mon (2)
        "2026-03-14T10:00:00Z": "2026-03-17T10:00:00Z",  # Sat -> Mon (1), Tue (2)
        "2026-03-15T23:30:00Z": "2026-03-17T23:30:00Z",  # Sun late -> Mon (1), Tue (2)
        "2026-04-02T10:00:00Z": "2026-04-07T10:00:00Z",  # Fri 04-03 (1), Mon 04-06 off, Tue (2)
        "2026-04-30T10:00:00Z": "2026-05-07T10:00:00Z",  # 05-01/04/05 off -> Wed 06, Thu 07
        "2026-09-30T10:00:00Z": "2026-10-09T10:00:00Z",  # National Day -> Thu 08, Fri 09
        "2026-02-13T10:00:00Z": "2026-02-24T10:00:00Z",  # Sat 02-14 make-up (1); .. Tue 24 (2)
        "2026-02-27T10:00:00Z": "2026-03-02T10:00:00Z",  # Sat 02-28 make-up (1), Mon 03-02 (2)
        "2026-01-02T10:00:00Z": "2026-01-05T10:00:00Z",  # Sun 01-04 make-up (1), Mon (2)
    }
    got = {}
    for escalated_at in cases:
        out = run(
            [
                ship(CAL_SHIP),
                open_dispute(shift(escalated_at, -24)),
                reject(shift(escalated_at, -23)),
                buyer(escalated_at, "escalate"),
            ],
            order=CAL_ORDER,
        )
        assert errors(out) == [None, None, None, None], escalated_at
        assert dispute(out)["escalated_at"] == escalated_at
        got[escalated_at] = dispute(out)["intervention_due_at"]
    assert got == cases


def test_intervention_zero_working_days_is_same_instant() -> None:
    out = run(reach("escalated"), overrides={"platform_intervention_working_days": 0})
    assert dispute(out)["intervention_due_at"] == T_BUYER


def test_intervention_due_at_is_only_a_promise() -> None:
    # Nothing fires at intervention_due_at: months later the case is still escalated.
    out = run(reach("escalated"), until="2026-07-01T00:00:00Z")
    assert system_steps(out) == []
    assert dispute(out)["status"] == "escalated"
    assert out["order"]["status"] == "shipped"
