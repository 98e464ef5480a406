"""RULES.md section 8, "seller withdraws its escalation": the seller's `confirm_return_received`
is also accepted while `escalation = seller` and the status is `escalated`,
`awaiting_seller_evidence` or `under_review`, refunding the agreed amount (`closed` /
`refunded`); after a buyer's or an automatic escalation it stays `invalid_state`.

The return story: opened 03-10 with a return_and_refund plan of 60.00, accepted by the seller
03-11 10:00, shipped back 03-12 10:00, the seller escalates 03-20 10:00 ("not the right goods")."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import dispute, errors, ev, open_dispute, plan, run, ship

RETURN = [
    ship(),
    open_dispute("2026-03-10T10:00:00Z", the_plan=plan("return_and_refund", "60.00")),
    ev("2026-03-11T10:00:00Z", "seller", "accept"),
    ev("2026-03-12T10:00:00Z", "buyer", "ship_return", carrier="Correios", tracking_number="RB1"),
    ev("2026-03-20T10:00:00Z", "seller", "escalate", note="not the right goods"),
]
WITHDRAW = ev("2026-03-25T10:00:00Z", "seller", "confirm_return_received")
INTERVENE = ev("2026-03-21T10:00:00Z", "arbitrator", "intervene")
SELLER_EVIDENCE = ev(
    "2026-03-22T10:00:00Z", "seller", "submit_evidence", kind="photo", description="what came"
)


@pytest.mark.parametrize(
    ("before", "status"),
    [
        ([], "escalated"),
        ([INTERVENE], "awaiting_seller_evidence"),
        ([INTERVENE, SELLER_EVIDENCE], "under_review"),
    ],
)
def test_the_seller_withdraws_its_escalation_when_the_goods_arrive(
    before: list[dict[str, Any]], status: str
) -> None:
    waiting = run([*RETURN, *before])
    assert dispute(waiting)["status"] == status and dispute(waiting)["escalation"] == "seller"
    out = run([*RETURN, *before, WITHDRAW])
    assert errors(out)[-1] is None
    d = dispute(out)
    assert (d["status"], d["resolution"], d["refund_amount"]) == ("closed", "refunded", "60.00")
    assert d["closed_at"] == "2026-03-25T10:00:00Z"
    assert out["order"]["refunded_total"] == "60.00"


def test_a_buyers_escalation_cannot_be_withdrawn_by_confirming_a_return() -> None:
    """The buyer escalated a negotiation; the seller's confirm_return_received is invalid_state."""
    out = run(
        [
            ship(),
            open_dispute("2026-03-10T10:00:00Z", the_plan=plan("return_and_refund", "60.00")),
            ev("2026-03-11T10:00:00Z", "seller", "reject", note="no"),
            ev("2026-03-11T11:00:00Z", "buyer", "escalate"),
            WITHDRAW,
        ]
    )
    assert dispute(out)["escalation"] == "buyer"
    assert errors(out)[-1] == "invalid_state"
    assert dispute(out)["status"] == "escalated"


def test_an_automatic_escalation_cannot_be_withdrawn_either() -> None:
    """No agreement by day 16: auto-escalated 03-25 10:00; a confirm on 03-26 is refused."""
    out = run(
        [
            ship(),
            open_dispute("2026-03-10T10:00:00Z", the_plan=plan("return_and_refund", "60.00")),
            ev("2026-03-11T10:00:00Z", "seller", "propose", plan=plan("refund_only", "10.00")),
            ev("2026-03-26T10:00:00Z", "seller", "confirm_return_received"),
        ]
    )
    assert dispute(out)["escalation"] == "auto_no_agreement"
    assert errors(out)[-1] == "invalid_state"


def test_after_the_ruling_there_is_nothing_to_withdraw() -> None:
    ruled = [
        *RETURN,
        INTERVENE,
        ev(
            "2026-03-22T10:00:00Z",
            "arbitrator",
            "rule",
            refund_amount="0",
            responsibility="buyer",
        ),
        WITHDRAW,
    ]
    out = run(ruled)
    assert errors(out)[-1] == "no_dispute"
    assert dispute(out)["resolution"] == "ruled"


def test_only_the_seller_confirms_a_return() -> None:
    out = run([*RETURN, ev("2026-03-25T10:00:00Z", "buyer", "confirm_return_received")])
    assert errors(out)[-1] == "forbidden"
