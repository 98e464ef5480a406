"""Black-box tests of RULES.md sections 1-6: time, money, the order, reasons, opening, plans.

Every expected value below was worked out by hand from RULES.md; the arithmetic is in comments.
The default order (tests/helpers.py) is shipped 2026-03-03T10:00:00Z (a Tuesday) with 30 promised
days, so its delivery deadline is 2026-04-02T10:00:00Z, and its total is 100.00 + 21.49 = 121.49.

Decisions where RULES.md is silent (agreed for these tests):
- an empty or whitespace-only `carrier` / `tracking_number` is `invalid_input`;
- a `note` of null is treated as absent;
- after a dispute closed as `resent`, `shipped_at` is the replacement instant, so a new dispute
  may be opened from that instant + 5 days;
- `modify_dispute` does not reset the seller's last response;
- a top-level `until: null` means no `until`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays
import pytest

from disputedesk.replay import MalformedScenario, replay_scenario
from helpers import (
    ORDER,
    SHIP_AT,
    dispute,
    errors,
    ev,
    open_dispute,
    plan,
    run,
    scenario,
    ship,
    steps,
    system_steps,
)

SHIP = SHIP_AT  # 2026-03-03T10:00:00Z, Tuesday
DEADLINE = "2026-04-02T10:00:00Z"  # SHIP + 30 d
OPEN = "2026-03-10T10:00:00Z"  # SHIP + 7 d: a dispute may be opened (earliest SHIP + 5 d)
BEFORE_DEADLINE = "2026-04-01T00:00:00Z"  # an `until` that stops the clock before DEADLINE
TOTAL = "121.49"


# ---------------------------------------------------------------- small local helpers


def parse(instant: str) -> datetime:
    return datetime.fromisoformat(instant.replace("Z", "+00:00"))


def fmt(moment: datetime) -> str:
    """An instant written the way RULES.md section 1 says output writes it."""
    moment = moment.astimezone(UTC)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def shift(instant: str, days: int = 0, seconds: int = 0, microseconds: int = 0) -> str:
    return fmt(parse(instant) + timedelta(days=days, seconds=seconds, microseconds=microseconds))


def add_working_days(instant: str, n: int, country: str = "CN") -> str:
    """RULES.md section 1, literally: step one calendar day at a time, keep the time of day, count
    a step when the UTC date it lands on is a working day, until n steps are counted."""
    calendar = holidays.country_holidays(country)
    moment = parse(instant)
    counted = 0
    while counted < n:
        moment += timedelta(days=1)
        if calendar.is_working_day(moment.date()):
            counted += 1
    return fmt(moment)


def table(check: Any, cases: dict[Any, Any]) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """(got, expected) over a table of cases, so that one assert shows every differing row."""
    return {case: check(case) for case in cases}, cases


def is_malformed(doc_events: list[dict[str, Any]], **run_args: Any) -> bool:
    try:
        run(doc_events, **run_args)
    except MalformedScenario:
        return True
    return False


def order_with(**changes: Any) -> dict[str, Any]:
    return {**ORDER, **changes}


def ship_at(at: str, **fields: Any) -> dict[str, Any]:
    body = {"carrier": "China Post", "tracking_number": "RR123456789CN", **fields}
    return ev(at, "seller", "ship", **body)


def accept(at: str, actor: str = "seller") -> dict[str, Any]:
    return ev(at, actor, "accept")


def propose(at: str, the_plan: dict[str, Any]) -> dict[str, Any]:
    return ev(at, "seller", "propose", plan=the_plan)


def reject(at: str) -> dict[str, Any]:
    return ev(at, "seller", "reject", note="no")


def modify(at: str, the_plan: dict[str, Any]) -> dict[str, Any]:
    return ev(at, "buyer", "modify_dispute", plan=the_plan)


def cancel(at: str) -> dict[str, Any]:
    return ev(at, "buyer", "cancel_dispute")


def escalate(at: str) -> dict[str, Any]:
    return ev(at, "buyer", "escalate")


def confirm(at: str) -> dict[str, Any]:
    return ev(at, "buyer", "confirm_receipt")


def extend(at: str, days: Any) -> dict[str, Any]:
    return ev(at, "seller", "extend_delivery", days=days)


def intervene(at: str) -> dict[str, Any]:
    return ev(at, "arbitrator", "intervene")


def rule(at: str, amount: str, responsibility: str) -> dict[str, Any]:
    return ev(at, "arbitrator", "rule", refund_amount=amount, responsibility=responsibility)


def ship_replacement(at: str) -> dict[str, Any]:
    return ev(at, "seller", "ship_replacement", carrier="EMS", tracking_number="EE000000001CN")


def ship_return(at: str) -> dict[str, Any]:
    return ev(at, "buyer", "ship_return", carrier="Correios", tracking_number="BR111")


def tracking(at: str, **fields: Any) -> dict[str, Any]:
    return ev(at, "carrier", "tracking", **fields)


def resend_closed_events() -> list[dict[str, Any]]:
    """A resend dispute closed as `resent` by a replacement shipped 2026-03-12T10:00:00Z."""
    return [
        ship(),
        open_dispute(OPEN, the_plan=plan("resend", None)),
        accept("2026-03-11T10:00:00Z"),  # -> awaiting_resend
        ship_replacement("2026-03-12T10:00:00Z"),  # -> closed / resent, order shipped again
    ]


def arbitration_events() -> list[dict[str, Any]]:
    """Dispute opened at OPEN (refund_only 40.00), rejected, escalated by the buyer (allowed
    after a reject), picked up by the arbitrator at 2026-03-12T10:00:00Z."""
    return [
        ship(),
        open_dispute(OPEN),
        reject("2026-03-11T10:00:00Z"),
        escalate("2026-03-11T12:00:00Z"),
        intervene("2026-03-12T10:00:00Z"),
    ]


# ============================================================ section 1: time


def _opened_at_as_written(fraction: str) -> tuple[str, str]:
    out = run([ship(), open_dispute(f"2026-03-10T10:00:00{fraction}Z")])
    return dispute(out)["opened_at"], out["timeline"][1]["at"]


def test_instant_fraction_of_1_to_6_digits_is_written_with_six() -> None:
    cases = {
        fraction: (f"2026-03-10T10:00:00{written}Z",) * 2
        for fraction, written in [
            (".5", ".500000"),
            (".25", ".250000"),
            (".123", ".123000"),
            (".1234", ".123400"),
            (".12345", ".123450"),
            (".123456", ".123456"),
            (".000001", ".000001"),
        ]
    }
    got, expected = table(_opened_at_as_written, cases)
    assert got == expected


def test_instant_with_zero_microseconds_is_written_without_fraction() -> None:
    cases = {fraction: ("2026-03-10T10:00:00Z",) * 2 for fraction in ["", ".0", ".000000"]}
    got, expected = table(_opened_at_as_written, cases)
    assert got == expected


def test_fraction_carries_into_the_seller_timeout() -> None:
    # opened at .25 s; timeout at opened + 5 x 24 h, fraction kept
    out = run([ship(), open_dispute("2026-03-10T10:00:00.25Z")], until=BEFORE_DEADLINE)
    at = "2026-03-15T10:00:00.250000Z"
    assert system_steps(out) == [(at, "seller_response_timeout")]
    d = dispute(out)
    assert (d["status"], d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "closed",
        "refunded",
        "40.00",
        at,
    )
    assert out["order"]["completed_at"] == at


def test_open_dispute_earliest_boundary_to_the_microsecond() -> None:
    def check(at: str) -> tuple[Any, ...]:
        out = run([ship(), open_dispute(at)])
        return (*errors(out), len(out["disputes"]))

    cases = {
        "2026-03-08T09:59:59.999999Z": (None, "too_early", 0),  # 1 µs before SHIP + 5 d
        "2026-03-08T09:59:59Z": (None, "too_early", 0),  # 1 s before
        "2026-03-08T10:00:00.000000Z": (None, None, 1),  # exactly SHIP + 5 d (inclusive)
        "2026-03-08T10:00:00.000001Z": (None, None, 1),
    }
    got, expected = table(check, cases)
    assert got == expected


def test_until_fires_deadlines_due_at_or_before_it() -> None:
    def check(until: str) -> tuple[Any, ...]:
        out = run([ship()], until=until)
        return system_steps(out), out["order"]["status"], out["order"]["completed_at"]

    fired = ([(DEADLINE, "order_auto_completed")], "completed", DEADLINE)
    not_fired = ([], "shipped", None)
    cases = {
        "2026-04-02T09:59:59Z": not_fired,
        "2026-04-02T09:59:59.999999Z": not_fired,
        "2026-04-02T10:00:00Z": fired,  # due at `until`: fires
        "2026-04-02T10:00:00.000001Z": fired,
        "9000-12-31T23:59:59Z": fired,  # year 9000 is still a valid instant
    }
    got, expected = table(check, cases)
    assert got == expected


@pytest.mark.parametrize("explicit_null", [False, True])
def test_without_until_the_clock_stops_at_the_last_event(explicit_null: bool) -> None:
    doc = scenario([ship(), tracking("2026-04-02T09:59:59Z")])
    if explicit_null:
        doc["until"] = None  # our decision: null means no until
    out = replay_scenario(doc)
    assert system_steps(out) == []
    assert out["order"]["status"] == "shipped"


def test_until_null_still_fires_deadlines_up_to_the_last_event() -> None:
    doc = scenario([ship(), tracking(DEADLINE)])
    doc["until"] = None
    out = replay_scenario(doc)
    # the deadline at the last event's instant fires before that event
    assert steps(out) == [
        (SHIP, "seller", "ship", True, None),
        (DEADLINE, "system", "order_auto_completed", True, None),
        (DEADLINE, "carrier", "tracking", True, None),
    ]


def test_unparseable_event_instant_is_malformed() -> None:
    cases = dict.fromkeys(
        [
            "2026-03-03T10:00:00.1234567Z",  # 7 fraction digits
            "2026-03-03T10:00:00.Z",  # empty fraction
            "2026-03-03T10:00:00",  # no Z
            "2026-03-03T10:00:00+00:00",  # offset instead of Z
            "2026-03-03 10:00:00Z",  # space instead of T
            "2026-03-03T10:00Z",  # no seconds
            "2026-02-30T10:00:00Z",  # no such day
            "9001-01-01T00:00:00Z",  # year above 9000
            "1899-12-31T23:59:59Z",  # year below 1900
            "2026-03-03T10:00:00Z\n",  # trailing newline
        ],
        True,
    )
    got, expected = table(lambda bad: is_malformed([ship(bad)]), cases)
    assert got == expected


def test_instants_at_the_year_limits_are_valid() -> None:
    cases = dict.fromkeys(["1900-01-01T00:00:00Z", "9000-12-31T23:59:59.999999Z"], False)
    # an event before placed_at is not checked; the order is placed in the same year
    got, expected = table(
        lambda at: is_malformed([ship(at)], order=order_with(placed_at=at)), cases
    )
    assert got == expected


def test_unparseable_until_is_malformed() -> None:
    with pytest.raises(MalformedScenario):
        run([ship()], until="2026-04-02T10:00:00.1234567Z")


def test_seller_accept_one_second_before_the_window_end() -> None:
    # window [OPEN, OPEN + 5 d) = [03-10T10, 03-15T10)
    out = run([ship(), open_dispute(OPEN), accept("2026-03-15T09:59:59Z")], until=BEFORE_DEADLINE)
    assert errors(out) == [None, None, None]
    assert system_steps(out) == []
    d = dispute(out)
    assert (d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "refunded",
        "40.00",
        "2026-03-15T09:59:59Z",
    )


def test_seller_accept_at_the_window_end_comes_after_the_timeout() -> None:
    at = "2026-03-15T10:00:00Z"  # OPEN + 5 d
    out = run([ship(), open_dispute(OPEN), accept(at)])
    assert steps(out)[2:] == [
        (at, "system", "seller_response_timeout", True, None),
        (at, "seller", "accept", False, "no_dispute"),
    ]
    assert (dispute(out)["resolution"], dispute(out)["closed_at"]) == ("refunded", at)


def test_seller_accept_at_the_window_end_of_a_return_plan_is_invalid_state() -> None:
    at = "2026-03-15T10:00:00Z"
    out = run(
        [ship(), open_dispute(OPEN, the_plan=plan("return_and_refund", "100.00")), accept(at)]
    )
    assert steps(out)[2:] == [
        (at, "system", "seller_response_timeout", True, None),
        (at, "seller", "accept", False, "invalid_state"),  # the return is under way
    ]
    assert dispute(out)["status"] == "awaiting_return_shipment"


@pytest.mark.parametrize(
    ("at", "error", "system"),
    [
        ("2026-04-02T09:59:59Z", None, []),
        (DEADLINE, "invalid_state", [(DEADLINE, "order_auto_completed")]),
    ],
)
def test_confirm_receipt_at_the_deadline_comes_after_auto_completion(
    at: str, error: str | None, system: list[tuple[str, str]]
) -> None:
    out = run([ship(), confirm(at)])
    assert errors(out) == [None, error]
    assert system_steps(out) == system
    assert (out["order"]["status"], out["order"]["completed_at"]) == ("completed", at)
    if error:
        # the automatic step is written before the refused action at the same instant
        assert [e["actor"] for e in out["timeline"]] == ["seller", "system", "buyer"]


@pytest.mark.parametrize(
    ("until", "escalated"),
    [("2026-03-25T09:59:59Z", False), ("2026-03-25T10:00:00Z", True)],
)
def test_day_16_starts_at_opened_plus_15_days(until: str, escalated: bool) -> None:
    # day 16 after OPEN 03-10T10 starts at OPEN + 15 d = 03-25T10 (a Wednesday)
    out = run([ship(), open_dispute(OPEN), reject("2026-03-11T10:00:00Z")], until=until)
    d = dispute(out)
    if escalated:
        assert system_steps(out) == [("2026-03-25T10:00:00Z", "auto_escalated")]
        assert (d["status"], d["escalation"], d["escalated_at"]) == (
            "escalated",
            "auto_no_agreement",
            "2026-03-25T10:00:00Z",
        )
        # 2 CN working days: Thu 03-26, Fri 03-27
        assert d["intervention_due_at"] == "2026-03-27T10:00:00Z"
    else:
        assert system_steps(out) == []
        assert (d["status"], d["escalation"], d["escalated_at"]) == ("negotiating", None, None)


@pytest.mark.parametrize(
    ("at", "error"),
    [("2026-03-25T09:59:59Z", None), ("2026-03-25T10:00:00Z", "invalid_state")],
)
def test_seller_propose_at_day_16_finds_the_case_escalated(at: str, error: str | None) -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            reject("2026-03-11T10:00:00Z"),
            propose(at, plan("refund_only", "10.00")),
        ]
    )
    assert errors(out)[-1] == error
    assert dispute(out)["status"] == ("escalated" if error else "negotiating")


def test_cancel_after_the_deadline_completes_the_order_right_after_the_cancel() -> None:
    cancel_at = "2026-04-05T10:00:00Z"  # after DEADLINE 04-02T10
    out = run([ship(), open_dispute(OPEN), reject("2026-03-11T10:00:00Z"), cancel(cancel_at)])
    assert steps(out)[3:] == [
        ("2026-03-25T10:00:00Z", "system", "auto_escalated", True, None),  # day 16
        (cancel_at, "buyer", "cancel_dispute", True, None),
        (cancel_at, "system", "order_auto_completed", True, None),
    ]
    assert out["order"] == {
        "id": "T1",
        "status": "completed",
        "delivery_deadline": DEADLINE,
        "completed_at": cancel_at,
        "refunded_total": "0.00",
    }
    assert (dispute(out)["resolution"], dispute(out)["closed_at"]) == ("cancelled", cancel_at)


def test_in_transit_dispute_opened_after_the_deadline_escalates_at_once() -> None:
    at = "2026-04-03T10:00:00Z"  # Friday, one day after DEADLINE (order auto-completed then)
    out = run(
        [
            ship(),
            open_dispute(
                at,
                reason="not_received.in_transit",
                the_plan=plan("refund_only", TOTAL),
                goods_received=False,
            ),
        ]
    )
    assert steps(out) == [
        (SHIP, "seller", "ship", True, None),
        (DEADLINE, "system", "order_auto_completed", True, None),
        (at, "buyer", "open_dispute", True, None),
        (at, "system", "auto_escalated", True, None),
    ]
    d = dispute(out)
    assert (d["status"], d["escalation"], d["escalated_at"]) == ("escalated", "auto_in_transit", at)
    # Qingming 2026: Sat 04-04, Sun 04-05 (holiday), Mon 04-06 (holiday) are not working days;
    # Tue 04-07 is the 1st, Wed 04-08 the 2nd
    assert d["intervention_due_at"] == "2026-04-08T10:00:00Z"
    assert (out["order"]["status"], out["order"]["completed_at"]) == ("completed", DEADLINE)


def test_in_transit_dispute_opened_exactly_at_the_deadline() -> None:
    out = run(
        [
            ship(),
            open_dispute(
                DEADLINE,
                reason="not_received.in_transit",
                the_plan=plan("refund_only", TOTAL),
                goods_received=False,
            ),
        ]
    )
    # the deadline fires first (no dispute open yet), then the opening, then the escalation
    assert steps(out) == [
        (SHIP, "seller", "ship", True, None),
        (DEADLINE, "system", "order_auto_completed", True, None),
        (DEADLINE, "buyer", "open_dispute", True, None),
        (DEADLINE, "system", "auto_escalated", True, None),
    ]
    assert dispute(out)["escalation"] == "auto_in_transit"


def test_seller_timeout_beats_day_16_at_the_same_instant() -> None:
    # OPEN 03-10T10; reject 03-11 (negotiating); modify at OPEN + 10 d restarts the seller clock:
    # timeout at 03-20T10 + 5 d = 03-25T10 = OPEN + 15 d = day 16. The timeout fires first.
    tie = "2026-03-25T10:00:00Z"
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            reject("2026-03-11T10:00:00Z"),
            modify("2026-03-20T10:00:00Z", plan("refund_only", "50.00")),
        ],
        until=BEFORE_DEADLINE,
    )
    assert system_steps(out) == [(tie, "seller_response_timeout")]
    d = dispute(out)
    assert (d["status"], d["resolution"], d["refund_amount"], d["escalation"], d["closed_at"]) == (
        "closed",
        "refunded",
        "50.00",
        None,
        tie,
    )
    assert (out["order"]["status"], out["order"]["completed_at"]) == ("completed", tie)


def test_seller_timeout_beats_the_in_transit_escalation_at_the_same_instant() -> None:
    # in-transit dispute opened DEADLINE - 5 d: timeout at DEADLINE, escalation also at DEADLINE
    out = run(
        [
            ship(),
            open_dispute(
                "2026-03-28T10:00:00Z",
                reason="not_received.in_transit",
                the_plan=plan("refund_only", TOTAL),
                goods_received=False,
            ),
        ],
        until="2026-04-10T00:00:00Z",
    )
    assert system_steps(out) == [(DEADLINE, "seller_response_timeout")]
    d = dispute(out)
    assert (d["resolution"], d["refund_amount"], d["escalation"], d["escalated_at"]) == (
        "refunded",
        TOTAL,
        None,
        None,
    )
    assert out["order"] == {
        "id": "T1",
        "status": "refunded",
        "delivery_deadline": DEADLINE,
        "completed_at": DEADLINE,
        "refunded_total": TOTAL,
    }


def test_several_deadlines_fire_in_time_order_before_the_next_action() -> None:
    # intervene 03-12T10: period 1 ends 03-15T10 (extended), period 2 ends 03-18T10 (auto_ruled);
    # the buyer's evidence at 03-19T10 finds the dispute closed
    late = "2026-03-19T10:00:00Z"
    out = run(
        [*arbitration_events(), ev(late, "buyer", "submit_evidence", kind="photo", description="x")]
    )
    assert steps(out)[-3:] == [
        ("2026-03-15T10:00:00Z", "system", "evidence_period_extended", True, None),
        ("2026-03-18T10:00:00Z", "system", "auto_ruled", True, None),
        (late, "buyer", "submit_evidence", False, "no_dispute"),
    ]


# ---------------------------------------------------------------- working days


def escalated_at(instant: str, **run_args: Any) -> dict[str, Any]:
    """A dispute escalated by the buyer at `instant` (allowed: the seller rejected before)."""
    base = parse(instant).replace(microsecond=0)

    def back(days: int) -> str:
        return fmt(base - timedelta(days=days))

    events = [
        ship_at(back(9)),
        open_dispute(back(3)),  # SHIP + 6 d
        reject(back(2)),
        escalate(instant),
    ]
    out = run(events, order=order_with(placed_at=back(10)), **run_args)
    assert errors(out) == [None, None, None, None]
    d = dispute(out)
    assert (d["status"], d["escalation"], d["escalated_at"]) == (
        "escalated",
        "buyer",
        fmt(parse(instant)),
    )
    return d


# escalated_at -> intervention_due_at (+ 2 CN working days), each checked by hand against
# holidays 0.109's CN calendar (2026 make-up workdays: Sun 01-04, Sat 02-14, Sat 02-28,
# Sun 09-20, Sat 10-10; days off: 01-01..01-03, 02-15..02-23, 10-01..10-07)
HARD_CODED_WORKING_DAYS = {
    "weekends_and_utc_dates": {
        "2026-03-25T10:00:00Z": "2026-03-27T10:00:00Z",  # Wed -> Thu, Fri
        "2026-03-27T10:00:00Z": "2026-03-31T10:00:00Z",  # Fri -> Mon, Tue (seed example p5)
        "2026-03-28T10:00:00Z": "2026-03-31T10:00:00Z",  # Sat -> Mon, Tue
        "2026-03-27T20:00:00Z": "2026-03-31T20:00:00Z",  # UTC dates (Beijing dates: Mon 03-30)
        "2026-03-27T23:59:59Z": "2026-03-31T23:59:59Z",
        "2026-03-26T10:00:00.5Z": "2026-03-30T10:00:00.500000Z",  # Thu -> Fri, Mon; fraction
    },
    "new_year_2026": {
        "2025-12-31T10:00:00Z": "2026-01-05T10:00:00Z",  # 01-01..01-03 off; Sun 01-04, Mon 01-05
        "2026-01-02T10:00:00Z": "2026-01-05T10:00:00Z",  # Fri (day off) -> Sun 01-04, Mon 01-05
        "2026-01-03T10:00:00Z": "2026-01-05T10:00:00Z",  # Sat -> Sun 01-04 (make-up), Mon
    },
    "spring_festival_2026": {
        "2026-02-12T10:00:00Z": "2026-02-14T10:00:00Z",  # Thu -> Fri 02-13, Sat 02-14 (make-up)
        "2026-02-13T10:00:00Z": "2026-02-24T10:00:00Z",  # Fri -> Sat 02-14; 02-15..23 off; Tue
        "2026-02-16T10:00:00Z": "2026-02-25T10:00:00Z",  # New Year's Eve -> Tue 24, Wed 25
        "2026-02-26T10:00:00Z": "2026-02-28T10:00:00Z",  # Thu -> Fri 02-27, Sat 02-28 (make-up)
    },
    "national_day_2026": {
        "2026-09-18T10:00:00Z": "2026-09-21T10:00:00Z",  # Fri -> Sat off, Sun 09-20 (make-up), Mon
        "2026-09-29T10:00:00Z": "2026-10-08T10:00:00Z",  # Tue -> Wed 09-30; 10-01..07 off; Thu
        "2026-09-30T10:00:00Z": "2026-10-09T10:00:00Z",  # Wed -> Thu 10-08, Fri 10-09
        "2026-10-02T10:00:00Z": "2026-10-09T10:00:00Z",  # National Day -> Thu 10-08, Fri 10-09
        "2026-10-09T10:00:00Z": "2026-10-12T10:00:00Z",  # Fri -> Sat 10-10 (make-up), Mon 10-12
    },
}


@pytest.mark.parametrize("period", list(HARD_CODED_WORKING_DAYS))
def test_intervention_due_at_hard_coded_cn_dates(period: str) -> None:
    cases = HARD_CODED_WORKING_DAYS[period]
    # the pinned calendar agrees with our hand work
    assert {e: add_working_days(e, 2) for e in cases} == cases
    got, expected = table(lambda e: escalated_at(e)["intervention_due_at"], cases)
    assert got == expected


def test_known_cn_calendar_facts() -> None:
    cn = holidays.country_holidays("CN")
    assert cn.is_working_day(date(2026, 1, 4))  # Sunday make-up workday
    assert cn.is_working_day(date(2026, 2, 14))  # Saturday make-up workday
    assert not cn.is_working_day(date(2026, 2, 17))  # Spring Festival
    assert not cn.is_working_day(date(2026, 10, 1))  # National Day
    assert not cn.is_working_day(date(2026, 1, 3))  # a plain Saturday


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2025, 12, 27), date(2026, 1, 6)),  # New Year with the Sunday 01-04 make-up day
        (date(2026, 2, 8), date(2026, 3, 2)),  # Spring Festival 2026
        (date(2026, 4, 1), date(2026, 5, 12)),  # Qingming, Labour Day (Sat 05-09 make-up)
        (date(2026, 9, 15), date(2026, 10, 13)),  # Mid-Autumn and National Day 2026
    ],
    ids=["new_year", "spring_festival", "qingming_labour", "national_day"],
)
def test_intervention_due_at_follows_the_holidays_calendar(first: date, last: date) -> None:
    mismatches = []
    for day in _days(first, last):
        instant = f"{day.isoformat()}T10:00:00Z"
        expected = add_working_days(instant, 2)
        got = escalated_at(instant)["intervention_due_at"]
        if got != expected:
            mismatches.append((instant, expected, got))
    assert mismatches == []


@pytest.mark.parametrize(
    ("calendar", "due"),
    [
        # Thu 2026-07-02. US: Fri 07-03 is Independence Day (observed), weekend, Mon 06, Tue 07.
        ("US", "2026-07-07T10:00:00Z"),
        # CN: Fri 07-03 and Mon 07-06
        ("CN", "2026-07-06T10:00:00Z"),
    ],
)
def test_platform_calendar_override(calendar: str, due: str) -> None:
    escalation = "2026-07-02T10:00:00Z"
    assert add_working_days(escalation, 2, calendar) == due
    got = escalated_at(escalation, overrides={"platform_calendar": calendar})
    assert got["intervention_due_at"] == due


def test_platform_intervention_working_days_override() -> None:
    escalation = "2026-03-27T10:00:00Z"  # a Friday
    cases = {
        0: "2026-03-27T10:00:00Z",  # 0 working days: the same instant
        1: "2026-03-30T10:00:00Z",  # Fri -> Mon
        5: "2026-04-03T10:00:00Z",  # Mon 30, Tue 31, Wed 01, Thu 02, Fri 03
    }
    assert {n: add_working_days(escalation, n) for n in cases} == cases
    got, expected = table(
        lambda n: escalated_at(escalation, overrides={"platform_intervention_working_days": n})[
            "intervention_due_at"
        ],
        cases,
    )
    assert got == expected


# ============================================================ section 2: money


def refund_outcome(amount: Any, order: dict[str, Any] | None = None) -> dict[str, Any]:
    """Open with refund_only `amount`, the seller accepts the next day."""
    return run(
        [
            ship(),
            open_dispute(OPEN, the_plan=plan("refund_only", amount)),
            accept("2026-03-11T10:00:00Z"),
        ],
        order=order,
        until=BEFORE_DEADLINE,
    )


def _refund_written(amount: str) -> tuple[Any, ...]:
    out = refund_outcome(amount)
    return (
        *errors(out),
        dispute(out)["refund_amount"],
        out["order"]["refunded_total"],
        out["order"]["status"],
    )


def test_money_strings_accepted_and_written_with_two_places() -> None:
    written = {
        "40": "40.00",
        "40.5": "40.50",
        "40.50": "40.50",
        "0.01": "0.01",  # the least refund
        "121.4": "121.40",
        "121.48": "121.48",
        "007.5": "7.50",  # \d+ allows leading zeros
    }
    # all below the total 121.49: the order ends `completed`
    cases = {a: (None, None, None, w, w, "completed") for a, w in written.items()}
    got, expected = table(_refund_written, cases)
    assert got == expected


def test_full_refund_up_to_the_order_total() -> None:
    out = refund_outcome(TOTAL)
    assert dispute(out)["refund_amount"] == TOTAL
    assert out["order"] == {
        "id": "T1",
        "status": "refunded",
        "delivery_deadline": DEADLINE,
        "completed_at": "2026-03-11T10:00:00Z",
        "refunded_total": TOTAL,
    }


def _open_with_amount(amount: Any) -> tuple[list[str | None], int]:
    out = run([ship(), open_dispute(OPEN, the_plan={"type": "refund_only", "amount": amount})])
    return errors(out), len(out["disputes"])


def test_money_string_of_the_wrong_form_is_invalid_amount() -> None:
    bad = [
        "+40",
        "-5",
        "1e2",
        "40.",
        "12.345",
        ".5",
        "",
        " 40",
        "40 ",
        "4,00",
        "abc",
        "NaN",
        "Infinity",
        "0x10",
        "0.001",
        "121.491",
        "40\n",  # $ means the end of the string
        "\u0664\u0660",  # Arabic-Indic digits: \d means ASCII digits here
        "\uff14\uff10",  # fullwidth digits
    ]
    cases = {amount: ([None, "invalid_amount"], 0) for amount in bad}
    got, expected = table(_open_with_amount, cases)
    assert got == expected


def test_money_string_out_of_range_is_invalid_amount() -> None:
    bad = [
        # below 0.01
        "0",
        "0.00",
        "00.00",
        # above the order total 121.49
        "121.50",
        "122",
        "1000000.00",
        # well-formed strings past the decimal module's default 28 digits: still compared
        # exactly, still only too much (once a crash: quantize overflowed its context)
        "9" * 29,
        "9" * 40 + ".99",
        "1" + "0" * 100,
    ]
    cases = {amount: ([None, "invalid_amount"], 0) for amount in bad}
    got, expected = table(_open_with_amount, cases)
    assert got == expected


def test_money_of_any_size_is_exact() -> None:
    """An order whose total has 36 digits: the total, the refund and what is left are exact
    (the default decimal context would round past 28 significant digits)."""
    amount, shipping = "9" * 34 + ".99", "0.01"  # total 10**34 exactly
    order = {**ORDER, "amount": amount, "shipping": shipping}
    refund = "9" * 33 + ".99"
    out = replay_scenario(
        scenario(
            [
                ship(),
                open_dispute(OPEN, the_plan={"type": "refund_only", "amount": refund}),
                ev("2026-03-11T10:00:00Z", "seller", "accept"),
            ],
            order=order,
        )
    )
    assert errors(out) == [None, None, None]
    assert out["order"]["refunded_total"] == refund
    assert out["order"]["status"] == "completed"  # 10**34 - refund is still left


def test_amount_that_is_not_a_string_is_invalid_input() -> None:
    not_strings = [40, 40.0, 0, 121.49, None, True, ["40.00"], {"value": "40.00"}]
    got = {repr(amount): _open_with_amount(amount) for amount in not_strings}
    assert got == {repr(amount): ([None, "invalid_input"], 0) for amount in not_strings}


@pytest.mark.parametrize(
    ("build", "ok_status", "cases"),
    [
        (
            propose,
            "negotiating",
            {
                "121.49": None,
                "0.01": None,
                "121.50": "invalid_amount",
                "0.00": "invalid_amount",
                "12.345": "invalid_amount",
                20: "invalid_input",
                None: "invalid_input",
            },
        ),
        (
            modify,
            "awaiting_seller_response",
            {
                "121.49": None,
                "0.01": None,
                "-5": "invalid_amount",
                "1e2": "invalid_amount",
                "121.50": "invalid_amount",
                60: "invalid_input",
                None: "invalid_input",
            },
        ),
    ],
    ids=["propose", "modify_dispute"],
)
def test_amount_checks_in_propose_and_modify(
    build: Any, ok_status: str, cases: dict[Any, str | None]
) -> None:
    def check(amount: Any) -> tuple[str | None, str]:
        out = run(
            [
                ship(),
                open_dispute(OPEN),
                build("2026-03-11T10:00:00Z", {"type": "refund_only", "amount": amount}),
            ]
        )
        assert errors(out)[:2] == [None, None]
        return errors(out)[2], dispute(out)["status"]

    # a refused plan changes nothing: the dispute still awaits the seller
    got, _ = table(check, cases)
    assert got == {a: (e, "awaiting_seller_response" if e else ok_status) for a, e in cases.items()}


def test_zero_shipping_total_is_the_goods_amount() -> None:
    zero_shipping = order_with(amount="50.00", shipping="0.00")  # total 50.00

    def check(amount: str) -> tuple[Any, ...]:
        out = refund_outcome(amount, order=zero_shipping)
        return errors(out)[1], out["order"]["status"], out["order"]["refunded_total"]

    cases = {
        "50.00": (None, "refunded", "50.00"),
        "50": (None, "refunded", "50.00"),
        "49.99": (None, "completed", "49.99"),
        "50.01": ("invalid_amount", "shipped", "0.00"),
    }
    got, expected = table(check, cases)
    assert got == expected


@pytest.mark.parametrize(("amount", "status"), [("0.3", "refunded"), ("0.29", "completed")])
def test_decimal_arithmetic_not_floats(amount: str, status: str) -> None:
    # total 0.10 + 0.20 = 0.30 exactly (with floats it would be 0.30000000000000004)
    out = refund_outcome(amount, order=order_with(amount="0.10", shipping="0.20"))
    assert errors(out) == [None, None, None]
    assert out["order"]["status"] == status


def test_decimal_total_refuses_one_cent_more() -> None:
    out = refund_outcome("0.31", order=order_with(amount="0.10", shipping="0.20"))
    assert errors(out) == [None, "invalid_amount", "no_dispute"]


def test_amount_error_precedence() -> None:
    early = "2026-03-08T09:59:59Z"  # SHIP + 5 d - 1 s
    cases = {
        # time is checked before the amount
        "too_early_first": (
            [ship(), open_dispute(early, the_plan=plan("refund_only", "999.00"))],
            "too_early",
        ),
        # the status is checked before the amount
        "invalid_state_first": (
            [open_dispute(OPEN, the_plan=plan("refund_only", "abc"))],
            "invalid_state",
        ),
        # a JSON number is an ill-formed field: checked first of all
        "invalid_input_first": (
            [ship(), open_dispute(early, the_plan={"type": "refund_only", "amount": 999})],
            "invalid_input",
        ),
    }
    got = {name: errors(run(events))[-1] for name, (events, _) in cases.items()}
    assert got == {name: error for name, (_, error) in cases.items()}


def test_bad_order_money_is_malformed() -> None:
    bad = [{"amount": "-1.00"}, {"amount": "1e2"}, {"shipping": 21.49}, {"amount": "100.001"}]
    got = {repr(c): is_malformed([ship()], order=order_with(**c)) for c in bad}
    assert got == {repr(c): True for c in bad}


# ============================================================ section 3: the order


def test_unshipped_order_nothing_fires() -> None:
    out = run([tracking("2026-03-05T10:00:00Z"), open_dispute(OPEN)], until="2030-01-01T00:00:00Z")
    assert out["order"] == {
        "id": "T1",
        "status": "awaiting_shipment",
        "delivery_deadline": None,
        "completed_at": None,
        "refunded_total": "0.00",
    }
    assert system_steps(out) == []
    assert errors(out) == [None, "invalid_state"]  # no dispute before shipment


def test_ship_sets_the_delivery_deadline() -> None:
    def check(promised: int) -> dict[str, Any]:
        deadline = cases[promised]["delivery_deadline"]
        out = run(
            [ship()],
            order=order_with(promised_delivery_days=promised),
            until=shift(deadline, seconds=-1),
        )
        assert system_steps(out) == []
        return out["order"]

    cases = {
        promised: {
            "id": "T1",
            "status": "shipped",
            "delivery_deadline": deadline,
            "completed_at": None,
            "refunded_total": "0.00",
        }
        for promised, deadline in [
            (30, DEADLINE),
            (7, "2026-03-10T10:00:00Z"),
            (1, "2026-03-04T10:00:00Z"),
            (365, "2027-03-03T10:00:00Z"),
        ]  # 2026-03-03 + 365 d
    }
    got, expected = table(check, cases)
    assert got == expected


def test_ship_with_zero_promised_days_completes_at_the_ship_instant() -> None:
    # deadline = SHIP + 0 d: already due when it arises, so it fires right after the ship
    out = run([ship()], order=order_with(promised_delivery_days=0), until="2026-03-04T00:00:00Z")
    assert steps(out) == [
        (SHIP, "seller", "ship", True, None),
        (SHIP, "system", "order_auto_completed", True, None),
    ]
    assert (out["order"]["status"], out["order"]["completed_at"]) == ("completed", SHIP)


def test_ship_fields_must_be_non_empty_strings() -> None:
    bad = [
        {"carrier": "", "tracking_number": "RR1"},
        {"carrier": "   ", "tracking_number": "RR1"},  # whitespace only (our decision)
        {"carrier": "China Post", "tracking_number": ""},
        {"carrier": "China Post", "tracking_number": " \t"},
        {"tracking_number": "RR1"},
        {"carrier": "China Post"},
        {"carrier": 5, "tracking_number": "RR1"},
        {"carrier": "China Post", "tracking_number": None},
    ]

    def check(fields: dict[str, Any]) -> tuple[Any, ...]:
        out = run([ev(SHIP, "seller", "ship", **fields)], until="2026-06-01T00:00:00Z")
        return (*errors(out), out["order"]["status"], out["order"]["delivery_deadline"])

    got = {repr(fields): check(fields) for fields in bad}
    assert got == {repr(f): ("invalid_input", "awaiting_shipment", None) for f in bad}


def test_buyer_may_not_ship() -> None:
    out = run([ev(SHIP, "buyer", "ship", carrier="China Post", tracking_number="RR1")])
    assert errors(out) == ["forbidden"]
    assert out["order"]["status"] == "awaiting_shipment"


def test_events_before_placed_at_are_not_checked() -> None:
    early = "2026-03-01T10:00:00Z"  # placed_at is 2026-03-02T08:00Z
    out = run([tracking("2026-02-28T00:00:00Z"), ship(early)])
    assert errors(out) == [None, None]
    assert out["order"]["delivery_deadline"] == "2026-03-31T10:00:00Z"  # 03-01 + 30 d


@pytest.mark.parametrize(
    ("extensions", "deadline"),
    [
        ([10], "2026-04-12T10:00:00Z"),
        ([5, 7], "2026-04-14T10:00:00Z"),
        ([90], "2026-07-01T10:00:00Z"),
    ],  # 04-02 + 90 d: Apr 28 + May 31 + Jun 30 + 1
)
def test_extend_delivery_moves_the_deadline(extensions: list[int], deadline: str) -> None:
    events = [ship(), *[extend(f"2026-03-0{4 + i}T10:00:00Z", d) for i, d in enumerate(extensions)]]
    out = run(events, until=deadline)
    assert errors(out) == [None] * len(events)
    assert system_steps(out) == [(deadline, "order_auto_completed")]
    assert out["order"]["delivery_deadline"] == deadline
    assert out["order"]["completed_at"] == deadline


def test_extend_delivery_days_must_be_a_positive_integer() -> None:
    missing = object()
    bad = [0, -3, "5", 2.5, True, None, [5], missing]

    def check(days: Any) -> tuple[Any, ...]:
        event = ev("2026-03-04T10:00:00Z", "seller", "extend_delivery")
        if days is not missing:
            event["days"] = days
        out = run([ship(), event])
        return (*errors(out), out["order"]["delivery_deadline"])

    got = {repr(days): check(days) for days in bad}
    assert got == {repr(days): (None, "invalid_input", DEADLINE) for days in bad}


def test_extend_delivery_refusals() -> None:
    cases = {
        "before_ship": ([extend("2026-03-02T09:00:00Z", 5)], "invalid_state", None),
        "after_confirm": (
            [ship(), confirm("2026-03-05T10:00:00Z"), extend("2026-03-06T10:00:00Z", 5)],
            "invalid_state",
            DEADLINE,
        ),
        # the deadline fires first, no dispute keeps the order shipped: completed
        "at_deadline": ([ship(), extend(DEADLINE, 5)], "invalid_state", DEADLINE),
        "after_deadline": ([ship(), extend("2026-04-10T10:00:00Z", 5)], "invalid_state", DEADLINE),
        "buyer": (
            [ship(), ev("2026-03-04T10:00:00Z", "buyer", "extend_delivery", days=5)],
            "forbidden",
            DEADLINE,
        ),
    }

    def check(name: str) -> tuple[Any, ...]:
        out = run(cases[name][0])
        return errors(out)[-1], out["order"]["delivery_deadline"]

    got = {name: check(name) for name in cases}
    assert got == {name: (error, deadline) for name, (_, error, deadline) in cases.items()}


def dispute_past_deadline_events() -> list[dict[str, Any]]:
    # rejected -> negotiating -> day 16 (03-25T10) escalated: open past DEADLINE
    return [ship(), open_dispute(OPEN), reject("2026-03-11T10:00:00Z")]


@pytest.mark.parametrize(
    ("at", "days", "error", "deadline"),
    [
        ("2026-04-02T09:59:59Z", 10, None, "2026-04-12T10:00:00Z"),  # deadline + 10 d
        (DEADLINE, 10, "too_late", DEADLINE),
        ("2026-05-01T10:00:00Z", 10, "too_late", DEADLINE),
        (DEADLINE, 91, "too_late", DEADLINE),  # time is checked before the amount
    ],
)
def test_extend_delivery_while_a_dispute_keeps_the_order_shipped(
    at: str, days: int, error: str | None, deadline: str
) -> None:
    out = run([*dispute_past_deadline_events(), extend(at, days)])
    assert errors(out)[-1] == error
    assert out["order"]["delivery_deadline"] == deadline
    assert out["order"]["status"] == "shipped"
    assert dispute(out)["status"] == "escalated"


@pytest.mark.parametrize(
    ("overrides", "cases"),
    [
        (
            None,
            {  # extensions -> (results, days added to the deadline); cap 90
                (60, 30): ([None, None], 90),
                (60, 31): ([None, "invalid_amount"], 60),
                (91,): (["invalid_amount"], 0),
                (50, 40, 1): ([None, None, "invalid_amount"], 90),
            },
        ),
        (
            {"max_delivery_extension_days": 10},
            {
                (10,): ([None], 10),
                (10, 1): ([None, "invalid_amount"], 10),
                (11,): (["invalid_amount"], 0),
            },
        ),
    ],
    ids=["default_90", "override_10"],
)
def test_extension_total_is_capped(
    overrides: dict[str, Any] | None, cases: dict[tuple[int, ...], tuple[list[Any], int]]
) -> None:
    def check(extensions: tuple[int, ...]) -> tuple[list[str | None], str]:
        events = [
            ship(),
            *[extend(f"2026-03-0{4 + i}T10:00:00Z", d) for i, d in enumerate(extensions)],
        ]
        out = run(events, overrides=overrides)
        return errors(out)[1:], out["order"]["delivery_deadline"]

    got = {ext: check(ext) for ext in cases}
    assert got == {
        ext: (results, shift(DEADLINE, days=added)) for ext, (results, added) in cases.items()
    }


def test_extension_cap_is_never_reset_by_a_resend() -> None:
    events = resend_closed_events()
    events.insert(1, extend("2026-03-04T10:00:00Z", 90))  # the whole cap used before the dispute
    events.append(extend("2026-03-13T10:00:00Z", 1))
    out = run(events)
    assert errors(out) == [None, None, None, None, None, "invalid_amount"]
    # the replacement set a new deadline: 03-12T10 + 30 d
    assert out["order"]["delivery_deadline"] == "2026-04-11T10:00:00Z"


def test_confirm_receipt() -> None:
    c4, c5 = "2026-03-04T10:00:00Z", "2026-03-05T10:00:00Z"
    cases = {  # events -> (last result, order status, completed_at)
        "shipped": ([ship(), confirm(c5)], (None, "completed", c5)),
        "unshipped": ([confirm(c5)], ("invalid_state", "awaiting_shipment", None)),
        "twice": ([ship(), confirm(c4), confirm(c5)], ("invalid_state", "completed", c4)),
        "dispute_open": (
            [ship(), open_dispute(OPEN), confirm("2026-03-11T10:00:00Z")],
            ("dispute_open", "shipped", None),
        ),
        # dispute_open is checked before the status (the order is already completed)
        "dispute_open_first": (
            [ship(), confirm(c4), open_dispute(OPEN), confirm("2026-03-11T10:00:00Z")],
            ("dispute_open", "completed", c4),
        ),
        "after_cancel": (
            [
                ship(),
                open_dispute(OPEN),
                cancel("2026-03-11T10:00:00Z"),
                confirm("2026-03-12T10:00:00Z"),
            ],
            (None, "completed", "2026-03-12T10:00:00Z"),
        ),
        "seller": ([ship(), ev(c5, "seller", "confirm_receipt")], ("forbidden", "shipped", None)),
    }

    def check(name: str) -> tuple[Any, ...]:
        out = run(cases[name][0])
        return errors(out)[-1], out["order"]["status"], out["order"]["completed_at"]

    got = {name: check(name) for name in cases}
    assert got == {name: expected for name, (_, expected) in cases.items()}


def test_order_stays_shipped_for_months_while_a_dispute_is_open() -> None:
    out = run(dispute_past_deadline_events(), until="2026-09-01T00:00:00Z")
    assert system_steps(out) == [("2026-03-25T10:00:00Z", "auto_escalated")]
    assert out["order"] == {
        "id": "T1",
        "status": "shipped",
        "delivery_deadline": DEADLINE,
        "completed_at": None,
        "refunded_total": "0.00",
    }


RULED_ZERO = [*arbitration_events(), rule("2026-03-12T12:00:00Z", "0", "none")]
RULED_FULL = [*arbitration_events(), rule("2026-03-12T12:00:00Z", TOTAL, "seller")]


@pytest.mark.parametrize(
    ("events", "order_status", "completed_at", "refunded", "resolution", "system"),
    [
        (
            [ship(), open_dispute(OPEN), accept("2026-03-11T10:00:00Z")],
            "completed",
            "2026-03-11T10:00:00Z",
            "40.00",
            "refunded",
            [],
        ),
        (
            [
                ship(),
                open_dispute(OPEN, the_plan=plan("refund_only", TOTAL)),
                accept("2026-03-11T10:00:00Z"),
            ],
            "refunded",
            "2026-03-11T10:00:00Z",
            TOTAL,
            "refunded",
            [],
        ),
        (RULED_ZERO, "completed", "2026-03-12T12:00:00Z", "0.00", "ruled", []),
        (RULED_FULL, "refunded", "2026-03-12T12:00:00Z", TOTAL, "ruled", []),
        # return agreed 03-11T10, never shipped: timeout at + 10 d
        (
            [
                ship(),
                open_dispute(OPEN, the_plan=plan("return_and_refund", "100.00")),
                accept("2026-03-11T10:00:00Z"),
            ],
            "completed",
            "2026-03-21T10:00:00Z",
            "0.00",
            "return_not_shipped",
            [("2026-03-21T10:00:00Z", "return_shipment_timeout")],
        ),
        (
            [
                ship(),
                open_dispute(OPEN, the_plan=plan("return_and_refund", "100.00")),
                accept("2026-03-11T10:00:00Z"),
                ship_return("2026-03-12T10:00:00Z"),
                ev("2026-03-13T10:00:00Z", "seller", "confirm_return_received"),
            ],
            "completed",
            "2026-03-13T10:00:00Z",
            "100.00",
            "refunded",
            [],
        ),
    ],
    ids=[
        "partial_refund",
        "full_refund",
        "ruled_zero",
        "ruled_full",
        "return_not_shipped",
        "return_refunded",
    ],
)
def test_a_dispute_end_ends_the_order_at_once(
    events: list[dict[str, Any]],
    order_status: str,
    completed_at: str,
    refunded: str,
    resolution: str,
    system: list[tuple[str, str]],
) -> None:
    out = run(events, until=BEFORE_DEADLINE)
    assert errors(out) == [None] * len(events)
    assert out["order"] == {
        "id": "T1",
        "status": order_status,
        "delivery_deadline": DEADLINE,
        "completed_at": completed_at,
        "refunded_total": refunded,
    }
    d = dispute(out)
    assert (d["status"], d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "closed",
        resolution,
        refunded,
        completed_at,
    )
    assert system_steps(out) == system


def test_ruling_after_the_deadline_completes_without_an_auto_completion_step() -> None:
    ruled = "2026-04-04T10:00:00Z"
    out = run(
        [
            *dispute_past_deadline_events(),
            intervene("2026-04-03T10:00:00Z"),
            rule(ruled, "10.00", "seller"),
        ],
        until="2026-06-01T00:00:00Z",
    )
    assert system_steps(out) == [("2026-03-25T10:00:00Z", "auto_escalated")]
    assert out["order"] == {
        "id": "T1",
        "status": "completed",
        "delivery_deadline": DEADLINE,
        "completed_at": ruled,
        "refunded_total": "10.00",
    }


def test_cancelled_dispute_before_the_deadline_order_goes_on() -> None:
    out = run([ship(), open_dispute(OPEN), cancel("2026-03-12T10:00:00Z")], until=DEADLINE)
    assert system_steps(out) == [(DEADLINE, "order_auto_completed")]
    assert out["order"] == {
        "id": "T1",
        "status": "completed",
        "delivery_deadline": DEADLINE,
        "completed_at": DEADLINE,
        "refunded_total": "0.00",
    }
    d = dispute(out)
    assert (d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "cancelled",
        "0.00",
        "2026-03-12T10:00:00Z",
    )


def test_cancel_after_the_deadline_of_a_completed_order_adds_no_auto_completion() -> None:
    # completed by confirmation 03-05T10; the dispute outlives DEADLINE; the cancel only closes it
    out = run(
        [
            ship(),
            confirm("2026-03-05T10:00:00Z"),
            open_dispute(OPEN),
            reject("2026-03-11T10:00:00Z"),
            cancel("2026-04-05T10:00:00Z"),
        ],
        until="2026-06-01T00:00:00Z",
    )
    assert system_steps(out) == [("2026-03-25T10:00:00Z", "auto_escalated")]
    assert (out["order"]["status"], out["order"]["completed_at"]) == (
        "completed",
        "2026-03-05T10:00:00Z",
    )


def test_deadline_and_seller_timeout_at_the_same_instant() -> None:
    # opened DEADLINE - 5 d with 40.00: the timeout refunds at DEADLINE and ends the order
    # (completed, 40.00 < 121.49); the order deadline finds a dispute open or the order ended,
    # so there is no order_auto_completed step either way
    out = run([ship(), open_dispute("2026-03-28T10:00:00Z")], until="2026-06-01T00:00:00Z")
    assert system_steps(out) == [(DEADLINE, "seller_response_timeout")]
    assert out["order"] == {
        "id": "T1",
        "status": "completed",
        "delivery_deadline": DEADLINE,
        "completed_at": DEADLINE,
        "refunded_total": "40.00",
    }


def test_resent_after_the_deadline_passed_gives_a_fresh_deadline() -> None:
    # accepted 03-31T10 (awaiting_resend, open across DEADLINE 04-02T10); replacement 04-03T10:
    # new deadline 04-03T10 + 30 d = 05-03T10, so nothing completes at the replacement instant
    out = run(
        [
            ship(),
            open_dispute("2026-03-30T10:00:00Z", the_plan=plan("resend", None)),
            accept("2026-03-31T10:00:00Z"),
            ship_replacement("2026-04-03T10:00:00Z"),
        ],
        until="2026-05-03T09:59:59Z",
    )
    assert errors(out) == [None, None, None, None]
    assert system_steps(out) == []
    assert out["order"] == {
        "id": "T1",
        "status": "shipped",
        "delivery_deadline": "2026-05-03T10:00:00Z",
        "completed_at": None,
        "refunded_total": "0.00",
    }


def test_resent_ships_the_order_again() -> None:
    out = run(resend_closed_events(), until="2026-04-11T09:59:59Z")
    # new deadline = 03-12T10 + 30 d = 04-11T10; the old DEADLINE 04-02T10 no longer fires
    assert out["order"] == {
        "id": "T1",
        "status": "shipped",
        "delivery_deadline": "2026-04-11T10:00:00Z",
        "completed_at": None,
        "refunded_total": "0.00",
    }
    assert system_steps(out) == []
    d = dispute(out)
    assert (d["status"], d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "closed",
        "resent",
        "0.00",
        "2026-03-12T10:00:00Z",
    )


def test_resent_on_a_completed_order_clears_completed_at() -> None:
    events = resend_closed_events()
    events.insert(1, confirm("2026-03-05T10:00:00Z"))
    mid = run(events)
    assert (mid["order"]["status"], mid["order"]["completed_at"]) == ("shipped", None)
    out = run(events, until="2026-04-11T10:00:00Z")
    assert system_steps(out) == [("2026-04-11T10:00:00Z", "order_auto_completed")]
    assert out["order"]["completed_at"] == "2026-04-11T10:00:00Z"


@pytest.mark.parametrize(("amount", "status"), [("40.00", "completed"), (TOTAL, "refunded")])
def test_dispute_on_a_completed_order_never_moves_completed_at(amount: str, status: str) -> None:
    out = run(
        [
            ship(),
            confirm("2026-03-05T10:00:00Z"),
            open_dispute(OPEN, the_plan=plan("refund_only", amount)),
            accept("2026-03-11T10:00:00Z"),
        ],
        until="2026-06-01T00:00:00Z",
    )
    assert out["order"] == {
        "id": "T1",
        "status": status,
        "delivery_deadline": DEADLINE,
        "completed_at": "2026-03-05T10:00:00Z",
        "refunded_total": amount,
    }
    assert system_steps(out) == []


def test_tracking_events_are_always_accepted_and_change_nothing() -> None:
    base = [ship(), open_dispute(OPEN), accept("2026-03-11T10:00:00Z")]
    noisy = [
        tracking("2026-02-01T00:00:00Z"),  # before placed_at
        tracking("2026-03-02T09:00:00Z", status="info_received"),  # before shipment
        base[0],
        tracking(
            "2026-03-05T00:00:00Z",
            status="delivered",
            description="left at door",
            location={"city": "Recife"},
        ),
        base[1],
        tracking("2026-03-10T12:00:00Z", anything=[1, 2, 3]),  # during a dispute
        base[2],
        tracking("2026-03-20T00:00:00Z", status="returned_to_sender"),  # after completion
    ]
    plain = run(base, until=BEFORE_DEADLINE)
    out = run(noisy, until=BEFORE_DEADLINE)
    assert errors(out) == [None] * len(noisy)
    assert out["order"] == plain["order"]
    assert out["disputes"] == plain["disputes"]
    assert system_steps(out) == system_steps(plain)


@pytest.mark.parametrize(
    ("events", "results"),
    [
        ([ship(), open_dispute(SHIP)], [None, None]),
        ([open_dispute(SHIP), ship()], ["invalid_state", None]),
    ],
    ids=["ship_then_open", "open_then_ship"],
)
def test_events_at_the_same_instant_apply_in_file_order(
    events: list[dict[str, Any]], results: list[str | None]
) -> None:
    out = run(events, order=order_with(promised_delivery_days=4))  # 4 < 5: open from shipped_at
    assert errors(out) == results


@pytest.mark.parametrize(
    ("events", "results", "deadline"),
    [
        (
            [ship(), confirm("2026-03-05T10:00:00Z"), extend("2026-03-05T10:00:00Z", 5)],
            [None, None, "invalid_state"],
            DEADLINE,
        ),
        (
            [ship(), extend("2026-03-05T10:00:00Z", 5), confirm("2026-03-05T10:00:00Z")],
            [None, None, None],
            "2026-04-07T10:00:00Z",
        ),
    ],
    ids=["confirm_first", "extend_first"],
)
def test_same_instant_confirm_and_extend(
    events: list[dict[str, Any]], results: list[str | None], deadline: str
) -> None:
    out = run(events)
    assert errors(out) == results
    assert out["order"]["delivery_deadline"] == deadline
    assert out["order"]["completed_at"] == "2026-03-05T10:00:00Z"


# ============================================================ section 4: reasons

REASONS = [
    "not_received.tracking_invalid",
    "not_received.in_transit",
    "not_received.customs_held",
    "not_received.returned_to_sender",
    "not_received.wrong_address",
    "not_received.delivered_not_received",
    "not_received.carrier_changed",
    "not_as_described.not_as_described",
    "not_as_described.quality_issue",
    "not_as_described.damaged",
    "not_as_described.not_working",
    "not_as_described.short_shipment",
    "not_as_described.counterfeit",
    "not_as_described.wrong_item",
]


def _open_with_reason(reason: Any) -> tuple[Any, ...]:
    out = run([ship(), open_dispute(OPEN, reason=reason)])
    return (*errors(out), *[(d["reason"], d["status"]) for d in out["disputes"]])


@pytest.mark.parametrize("category", ["not_received", "not_as_described"])
def test_every_reason_code_is_accepted(category: str) -> None:
    cases = {
        r: (None, None, (r, "awaiting_seller_response"))
        for r in REASONS
        if r.startswith(category + ".")
    }
    assert len(cases) == 7
    got, expected = table(_open_with_reason, cases)
    assert got == expected


def test_unknown_reason_is_invalid_input() -> None:
    unknown = [
        "not_received",
        "not_received.",
        "in_transit",
        "damaged",
        "not_received.other",
        "not_received.damaged",
        "not_as_described.in_transit",
        "Not_Received.in_transit",
        "not_received.in_transit ",
        "not_received:in_transit",
        "",
        5,
        None,
    ]
    got = {repr(r): _open_with_reason(r) for r in unknown}
    assert got == {repr(r): (None, "invalid_input") for r in unknown}


# ============================================================ section 5: opening


def test_opened_dispute_has_exactly_the_documented_fields() -> None:
    out = run([ship(), open_dispute(OPEN, note="the box was crushed")])
    assert out["disputes"] == [
        {
            "reason": "not_as_described.damaged",
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


@pytest.mark.parametrize(
    ("at", "error"),
    [("2026-03-08T09:59:59Z", "too_early"), ("2026-03-08T10:00:00Z", None)],
)
def test_earliest_is_inclusive_even_after_confirmed_receipt(at: str, error: str | None) -> None:
    out = run([ship(), confirm("2026-03-04T10:00:00Z"), open_dispute(at)])
    assert errors(out) == [None, None, error]
    assert out["order"]["status"] == "completed"


def test_promised_days_below_five_open_from_shipped_at() -> None:
    cases = {  # (promised days, open at) -> errors in file order
        (4, SHIP): [None, None],  # 4 < 5: from shipped_at itself (ship first, same instant)
        (4, "2026-03-03T09:59:59Z"): ["invalid_state", None],  # before shipment
        (5, SHIP): [None, "too_early"],  # 5 is not < 5
        (5, "2026-03-08T09:59:59Z"): [None, "too_early"],
        (5, "2026-03-08T10:00:00Z"): [None, None],
        (0, SHIP): [None, None],  # auto-completed at SHIP, then opened: within both windows
    }

    def check(case: tuple[int, str]) -> list[str | None]:
        promised, at = case
        events = [ship(), open_dispute(at)] if at >= SHIP else [open_dispute(at), ship()]
        return errors(run(events, order=order_with(promised_delivery_days=promised)))

    got, expected = table(check, cases)
    assert got == expected


def test_dispute_open_after_shipment_days_override() -> None:
    cases = {
        (30, "2026-03-13T09:59:59Z"): "too_early",  # SHIP + 10 d - 1 s
        (30, "2026-03-13T10:00:00Z"): None,  # SHIP + 10 d
        (8, "2026-03-03T10:00:01Z"): None,  # 8 < 10: from shipped_at
    }

    def check(case: tuple[int, str]) -> str | None:
        promised, at = case
        out = run(
            [ship(), open_dispute(at)],
            order=order_with(promised_delivery_days=promised),
            overrides={"dispute_open_after_shipment_days": 10},
        )
        assert errors(out)[0] is None
        return errors(out)[1]

    got, expected = table(check, cases)
    assert got == expected


@pytest.mark.parametrize(
    ("at", "error"),
    [("2026-03-20T09:59:59Z", None), ("2026-03-20T10:00:00Z", "too_late")],
)
def test_latest_after_confirmed_receipt(at: str, error: str | None) -> None:
    # completed_at 03-05T10 + 15 d = 03-20T10
    out = run([ship(), confirm("2026-03-05T10:00:00Z"), open_dispute(at)])
    assert errors(out) == [None, None, error]


@pytest.mark.parametrize(
    ("at", "error"),
    [("2026-04-17T09:59:59Z", None), ("2026-04-17T10:00:00Z", "too_late")],
)
def test_latest_after_auto_completion(at: str, error: str | None) -> None:
    # completed_at = DEADLINE 04-02T10 + 15 d = 04-17T10
    out = run([ship(), open_dispute(at)])
    assert system_steps(out)[0] == (DEADLINE, "order_auto_completed")
    assert errors(out) == [None, error]


@pytest.mark.parametrize(
    ("at", "error"),
    [("2026-03-12T09:59:59Z", None), ("2026-03-12T10:00:00Z", "too_late")],
)
def test_dispute_window_after_completion_days_override(at: str, error: str | None) -> None:
    # completed_at 03-09T10 + 3 d = 03-12T10 (earliest SHIP + 5 d = 03-08T10 is already past)
    out = run(
        [ship(), confirm("2026-03-09T10:00:00Z"), open_dispute(at)],
        overrides={"dispute_window_after_completion_days": 3},
    )
    assert errors(out) == [None, None, error]


def test_a_shipped_order_has_no_latest() -> None:
    late = "2026-12-28T10:00:00Z"  # SHIP + 300 d; deadline SHIP + 400 d = 2027-04-07T10
    out = run([ship(), open_dispute(late)], order=order_with(promised_delivery_days=400))
    assert errors(out) == [None, None]
    assert out["order"]["status"] == "shipped"


def test_no_dispute_on_a_refunded_order() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN, the_plan=plan("refund_only", TOTAL)),
            accept("2026-03-11T10:00:00Z"),
            open_dispute("2026-03-12T10:00:00Z"),
        ]
    )
    assert out["order"]["status"] == "refunded"
    assert errors(out) == [None, None, None, "invalid_state"]
    assert len(out["disputes"]) == 1


@pytest.mark.parametrize(
    "events",
    [
        [ship(), open_dispute(OPEN), open_dispute("2026-03-11T10:00:00Z")],
        [*arbitration_events(), open_dispute("2026-03-13T10:00:00Z")],  # in arbitration
    ],
    ids=["awaiting_seller", "in_arbitration"],
)
def test_one_open_dispute_per_order(events: list[dict[str, Any]]) -> None:
    out = run(events)
    assert errors(out)[-1] == "dispute_open"
    assert len(out["disputes"]) == 1


def test_new_dispute_after_cancel_has_its_own_seller_clock() -> None:
    second = "2026-03-14T10:00:00Z"
    events = [
        ship(),
        open_dispute(OPEN),
        cancel("2026-03-12T10:00:00Z"),
        open_dispute(second, the_plan=plan("refund_only", "50.00")),
    ]
    before = run(events, until="2026-03-19T09:59:59Z")  # first dispute's clock would end 03-15
    assert system_steps(before) == []
    assert [d["status"] for d in before["disputes"]] == ["closed", "awaiting_seller_response"]
    out = run(events, until="2026-03-19T10:00:00Z")  # second + 5 d
    assert system_steps(out) == [("2026-03-19T10:00:00Z", "seller_response_timeout")]
    first, new = out["disputes"]
    assert (first["resolution"], first["refund_amount"], first["closed_at"]) == (
        "cancelled",
        "0.00",
        "2026-03-12T10:00:00Z",
    )
    assert (new["opened_at"], new["resolution"], new["refund_amount"]) == (
        second,
        "refunded",
        "50.00",
    )
    assert out["order"]["refunded_total"] == "50.00"


def test_new_dispute_after_cancel_has_its_own_day_16() -> None:
    second = "2026-03-14T10:00:00Z"
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            cancel("2026-03-12T10:00:00Z"),
            open_dispute(second),
            reject("2026-03-15T10:00:00Z"),
        ],
        until=BEFORE_DEADLINE,
    )
    # day 16 of the second: 03-14T10 + 15 d = 03-29T10 (not 03-25T10, the first one's)
    assert system_steps(out) == [("2026-03-29T10:00:00Z", "auto_escalated")]
    assert dispute(out)["escalated_at"] == "2026-03-29T10:00:00Z"


@pytest.mark.parametrize(
    ("at", "error"),
    [("2026-03-20T09:59:59Z", None), ("2026-03-20T10:00:00Z", "too_late")],
)
def test_new_dispute_after_cancel_within_the_same_window(at: str, error: str | None) -> None:
    # completed 03-05T10 by confirmation; window ends 03-20T10
    out = run(
        [
            ship(),
            confirm("2026-03-05T10:00:00Z"),
            open_dispute(OPEN),
            cancel("2026-03-11T10:00:00Z"),
            open_dispute(at),
        ]
    )
    assert errors(out) == [None, None, None, None, error]
    assert len(out["disputes"]) == (1 if error else 2)


def test_new_dispute_after_resent_counts_from_the_replacement() -> None:
    # replacement shipped 03-12T10: earliest new dispute 03-17T10 (our decision)
    out = run(
        [
            *resend_closed_events(),
            open_dispute("2026-03-17T09:59:59Z"),
            open_dispute("2026-03-17T10:00:00Z"),
        ]
    )
    assert errors(out) == [None, None, None, None, "too_early", None]
    assert [d["opened_at"] for d in out["disputes"]] == [OPEN, "2026-03-17T10:00:00Z"]
    assert dispute(out)["status"] == "awaiting_seller_response"


@pytest.mark.parametrize(
    ("events", "reopen_at"),
    [
        ([ship(), open_dispute(OPEN), accept("2026-03-11T10:00:00Z")], "2026-03-12T10:00:00Z"),
        (RULED_ZERO, "2026-03-13T10:00:00Z"),
        (
            [
                ship(),
                open_dispute(OPEN, the_plan=plan("return_and_refund", "100.00")),
                accept("2026-03-11T10:00:00Z"),
            ],
            "2026-03-22T10:00:00Z",
        ),  # timeout 03-21T10
    ],
    ids=["refunded", "ruled", "return_not_shipped"],
)
def test_after_a_final_resolution_no_new_dispute(
    events: list[dict[str, Any]], reopen_at: str
) -> None:
    out = run([*events, open_dispute(reopen_at)])
    assert out["order"]["status"] == "completed"  # within completed_at + 15 d: not too_late
    assert errors(out)[-1] == "invalid_state"
    assert len(out["disputes"]) == 1


def _open_with(extra: dict[str, Any], drop: str | None = None) -> tuple[Any, ...]:
    event = open_dispute(OPEN)
    event.update(extra)
    if drop:
        del event[drop]
    out = run([ship(), event])
    return (*errors(out), len(out["disputes"]))


@pytest.mark.parametrize(
    ("field", "cases"),
    [
        (
            "note",
            [
                (None, None),  # our decision: null is absent
                ("", None),
                ("hello", None),
                (5, "invalid_input"),
                (["x"], "invalid_input"),
            ],
        ),
        (
            "goods_received",
            [
                (False, None),
                (True, None),
                ("yes", "invalid_input"),
                (1, "invalid_input"),
                (None, "invalid_input"),
            ],
        ),
        (
            "plan",
            [
                ({"type": "refund"}, "invalid_input"),
                ({"type": "refund_only"}, "invalid_input"),  # amount required
                ({"type": "return_and_refund"}, "invalid_input"),
                ({"amount": "40.00"}, "invalid_input"),  # type required
                ("refund_only", "invalid_input"),
                (None, "invalid_input"),
                ({"type": "resend"}, None),
            ],
        ),
        ("unknown_field", [(1, None)]),  # unknown extra fields are ignored
    ],
)
def test_open_dispute_fields(field: str, cases: list[tuple[Any, str | None]]) -> None:
    got = {repr(value): _open_with({field: value}) for value, _ in cases}
    assert got == {repr(value): (None, error, 0 if error else 1) for value, error in cases}


def test_open_dispute_required_fields() -> None:
    cases = {field: (None, "invalid_input", 0) for field in ["reason", "plan", "goods_received"]}
    got, expected = table(lambda field: _open_with({}, drop=field), cases)
    assert got == expected


# ============================================================ section 6: plans


def test_refund_only_agreement_refunds() -> None:
    out = refund_outcome("40.00")
    d = dispute(out)
    assert (d["status"], d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "closed",
        "refunded",
        "40.00",
        "2026-03-11T10:00:00Z",
    )


def test_return_and_refund_agreement_awaits_the_return() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN, the_plan=plan("return_and_refund", "100.00")),
            accept("2026-03-11T10:00:00Z"),
        ]
    )
    d = dispute(out)
    assert (d["status"], d["resolution"], d["refund_amount"], d["closed_at"]) == (
        "awaiting_return_shipment",
        None,
        "0.00",
        None,
    )
    assert out["order"]["status"] == "shipped"


def test_resend_plan_ignores_the_amount() -> None:
    def check(amount: str | None) -> tuple[Any, ...]:
        out = run(
            [
                ship(),
                open_dispute(OPEN, the_plan=plan("resend", amount)),
                accept("2026-03-11T10:00:00Z"),
            ]
        )
        d = dispute(out) if out["disputes"] else {}
        return (
            *errors(out),
            d.get("status"),
            d.get("refund_amount"),
            out["order"]["refunded_total"],
        )

    # 999.00 is above the order total, but a resend plan's amount is ignored
    cases = dict.fromkeys(
        [None, "999.00", "40.00"], (None, None, None, "awaiting_resend", "0.00", "0.00")
    )
    got, expected = table(check, cases)
    assert got == expected


@pytest.mark.parametrize(
    ("the_plan", "status"),
    [
        (plan("resend", None), "awaiting_resend"),
        (plan("return_and_refund", "100.00"), "awaiting_return_shipment"),
    ],
)
def test_seller_timeout_executes_the_buyers_plan(the_plan: dict[str, Any], status: str) -> None:
    out = run([ship(), open_dispute(OPEN, the_plan=the_plan)], until="2026-03-15T10:00:00Z")
    assert system_steps(out) == [("2026-03-15T10:00:00Z", "seller_response_timeout")]
    assert dispute(out)["status"] == status


def test_buyer_modify_replaces_the_buyers_plan() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            modify("2026-03-11T10:00:00Z", plan("refund_only", "60")),
            accept("2026-03-12T10:00:00Z"),
        ]
    )
    assert errors(out) == [None, None, None, None]
    assert dispute(out)["refund_amount"] == "60.00"


def test_seller_propose_replaces_the_sellers_plan() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            propose("2026-03-11T10:00:00Z", plan("refund_only", "20.00")),
            propose("2026-03-11T11:00:00Z", plan("refund_only", "30.00")),
            accept("2026-03-11T12:00:00Z", "buyer"),
        ]
    )
    assert errors(out) == [None, None, None, None, None]
    assert (dispute(out)["resolution"], dispute(out)["refund_amount"]) == ("refunded", "30.00")


def test_reject_does_not_withdraw_the_sellers_plan() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            propose("2026-03-11T10:00:00Z", plan("refund_only", "20.00")),
            reject("2026-03-11T11:00:00Z"),
            accept("2026-03-11T12:00:00Z", "buyer"),
        ]
    )
    assert errors(out) == [None, None, None, None, None]
    assert dispute(out)["refund_amount"] == "20.00"


def test_modify_does_not_clear_the_sellers_plan() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            propose("2026-03-11T10:00:00Z", plan("refund_only", "20.00")),
            modify("2026-03-11T11:00:00Z", plan("refund_only", "60.00")),
            accept("2026-03-11T12:00:00Z", "buyer"),
        ]
    )
    assert errors(out) == [None, None, None, None, None]
    assert (dispute(out)["resolution"], dispute(out)["refund_amount"]) == ("refunded", "20.00")


def test_status_after_propose_and_modify() -> None:
    proposed = run(
        [ship(), open_dispute(OPEN), propose("2026-03-11T10:00:00Z", plan("refund_only", "20.00"))]
    )
    assert dispute(proposed)["status"] == "negotiating"
    modified = run(
        [
            ship(),
            open_dispute(OPEN),
            propose("2026-03-11T10:00:00Z", plan("refund_only", "20.00")),
            modify("2026-03-11T11:00:00Z", plan("refund_only", "60.00")),
        ]
    )
    assert dispute(modified)["status"] == "awaiting_seller_response"


def test_buyer_accept_without_a_seller_plan_is_invalid_state() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            reject("2026-03-11T10:00:00Z"),
            accept("2026-03-11T11:00:00Z", "buyer"),
        ]
    )
    assert errors(out) == [None, None, None, "invalid_state"]
    assert dispute(out)["status"] == "negotiating"


def test_buyer_accepts_a_seller_return_plan_with_its_amount() -> None:
    out = run(
        [
            ship(),
            open_dispute(OPEN),
            propose("2026-03-11T10:00:00Z", plan("return_and_refund", "80.00")),
            accept("2026-03-11T11:00:00Z", "buyer"),
            ship_return("2026-03-12T10:00:00Z"),
            ev("2026-03-13T10:00:00Z", "seller", "confirm_return_received"),
        ]
    )
    assert errors(out) == [None] * 6
    assert (dispute(out)["resolution"], dispute(out)["refund_amount"]) == ("refunded", "80.00")


@pytest.mark.parametrize(
    ("until", "status", "refund"),
    [
        ("2026-03-19T09:59:59Z", "awaiting_seller_response", "0.00"),
        ("2026-03-19T10:00:00Z", "closed", "60.00"),
    ],
)
def test_modify_restarts_the_seller_clock_and_timeout_uses_the_new_plan(
    until: str, status: str, refund: str
) -> None:
    # modify at 03-14T10: the timeout moves from 03-15T10 to 03-19T10
    out = run(
        [ship(), open_dispute(OPEN), modify("2026-03-14T10:00:00Z", plan("refund_only", "60.00"))],
        until=until,
    )
    assert (dispute(out)["status"], dispute(out)["refund_amount"]) == (status, refund)


@pytest.mark.parametrize(("rejected_first", "error"), [(True, None), (False, "too_early")])
def test_modify_does_not_reset_the_sellers_last_response(
    rejected_first: bool, error: str | None
) -> None:
    # buyer escalation before day 4 (OPEN + 3 d = 03-13T10) needs the seller's last response to
    # be a reject; a modify in between does not reset it (our decision)
    events = [ship(), open_dispute(OPEN)]
    if rejected_first:
        events.append(reject("2026-03-10T11:00:00Z"))
    events += [
        modify("2026-03-10T12:00:00Z", plan("refund_only", "50.00")),
        escalate("2026-03-11T10:00:00Z"),
    ]
    out = run(events)
    assert errors(out)[-1] == error
    if error is None:
        assert (dispute(out)["escalation"], dispute(out)["escalated_at"]) == (
            "buyer",
            "2026-03-11T10:00:00Z",
        )


def test_seller_plan_checks() -> None:
    cases = [
        ({"type": "refund"}, "invalid_input"),
        ({"type": "return_and_refund"}, "invalid_input"),
        ({"amount": "20.00"}, "invalid_input"),
        ({"type": "return_and_refund", "amount": "121.50"}, "invalid_amount"),
        ({"type": "resend"}, None),
        ({"type": "resend", "amount": "999.00"}, None),  # amount ignored
    ]

    def check(the_plan: dict[str, Any]) -> list[str | None]:
        return errors(run([ship(), open_dispute(OPEN), propose("2026-03-11T10:00:00Z", the_plan)]))

    got = {repr(p): check(p) for p, _ in cases}
    assert got == {repr(p): [None, None, error] for p, error in cases}


# ---------------------------------------------------------------- policy overrides


@pytest.mark.parametrize(
    ("accept_at", "error"),
    [("2026-03-12T09:59:59Z", None), ("2026-03-12T10:00:00Z", "no_dispute")],
)
def test_seller_response_days_override(accept_at: str, error: str | None) -> None:
    # 2 days: window [03-10T10, 03-12T10)
    out = run(
        [ship(), open_dispute(OPEN), accept(accept_at)], overrides={"seller_response_days": 2}
    )
    assert errors(out)[-1] == error
    expected_steps = [] if error is None else [("2026-03-12T10:00:00Z", "seller_response_timeout")]
    assert system_steps(out) == expected_steps
    assert dispute(out)["closed_at"] == accept_at


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # intervene 03-12T10; one 3-day period, no extension
        ({"evidence_periods": 1}, [("2026-03-15T10:00:00Z", "auto_ruled")]),
        (
            {"evidence_periods": 3},
            [
                ("2026-03-15T10:00:00Z", "evidence_period_extended"),
                ("2026-03-18T10:00:00Z", "evidence_period_extended"),
                ("2026-03-21T10:00:00Z", "auto_ruled"),
            ],
        ),
        (
            {"evidence_period_days": 2},
            [
                ("2026-03-14T10:00:00Z", "evidence_period_extended"),
                ("2026-03-16T10:00:00Z", "auto_ruled"),
            ],
        ),
    ],
)
def test_evidence_period_overrides(
    overrides: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    out = run(arbitration_events(), overrides=overrides, until=BEFORE_DEADLINE)
    assert system_steps(out) == expected
    ruled_at = expected[-1][0]
    d = dispute(out)
    # auto-ruling refunds the buyer's plan (40.00), seller responsible
    assert (d["resolution"], d["refund_amount"], d["responsibility"], d["closed_at"]) == (
        "ruled",
        "40.00",
        "seller",
        ruled_at,
    )
    just_before = run(arbitration_events(), overrides=overrides, until=shift(ruled_at, seconds=-1))
    assert dispute(just_before)["status"] == "awaiting_seller_evidence"
