"""The desk's reads (shared by the API's dispute list and the web pages): the most urgent
first, closed ones latest first, the arbitrator's queue by intervention due time, filters."""

from __future__ import annotations

from datetime import timedelta

import pytest

from disputedesk.services import commands, desk
from disputedesk.services.accounts import principal_by_email
from disputedesk.services.commands import ServiceError
from web_support import make_web_desk, shipped_order


@pytest.fixture
def web(db, tmp_path):
    return make_web_desk(db, tmp_path)


def opened(web, order_id: str, at) -> None:
    result = commands.open_dispute(
        web.db,
        order_id,
        reason="not_as_described.damaged",
        plan={"type": "refund_only", "amount": "10.00"},
        goods_received=True,
        at=at,
    )
    assert result.ok, result.refusal


def test_open_disputes_by_next_deadline_then_closed_ones_latest_first(web):
    now = web.clock.now
    for order_id in ("A", "B", "C", "D"):
        shipped_order(web, order_id, days_ago=8)
    opened(web, "A", now - timedelta(hours=1))  # seller deadline in ~5 days
    opened(web, "B", now - timedelta(days=3))  # in ~2 days: the most urgent
    opened(web, "C", now - timedelta(days=2))
    commands.cancel_dispute(web.db, "C", at=now - timedelta(hours=20))  # closed earlier
    opened(web, "D", now - timedelta(days=2))
    commands.cancel_dispute(web.db, "D", at=now - timedelta(hours=2))  # closed later
    seller = principal_by_email(web.db, "seller@shop1.test")
    lines = desk.list_disputes(web.db, seller)
    assert [line.id for line in lines] == ["B-D1", "A-D1", "D-D1", "C-D1"]
    assert lines[0].countdown is not None and lines[0].countdown.action == (
        "seller_response_timeout"
    )
    assert lines[2].countdown is None  # closed: nothing is due
    urgent = desk.list_disputes(
        web.db, seller, desk.DisputeFilters(due_before=now + timedelta(days=3))
    )
    assert [line.id for line in urgent] == ["B-D1"]
    open_only = desk.list_disputes(web.db, seller, desk.DisputeFilters(open_only=True))
    assert [line.id for line in open_only] == ["B-D1", "A-D1"]
    other = principal_by_email(web.db, "seller@shop2.test")
    assert desk.list_disputes(web.db, other) == []


def test_the_queue_is_by_intervention_due_time_and_only_escalated(web):
    now = web.clock.now
    for order_id in ("E1", "E2", "N"):
        shipped_order(web, order_id, days_ago=9)
    for order_id, hours in (("E1", 2), ("E2", 3), ("N", 1)):
        opened(web, order_id, now - timedelta(days=4) + timedelta(hours=hours))
    for order_id, hours_ago in (("E2", 10), ("E1", 5)):  # E2 escalated first
        escalated = commands.escalate(
            web.db, order_id, actor="buyer", at=now - timedelta(hours=hours_ago)
        )
        assert escalated.ok, escalated.refusal
    arbitrator = principal_by_email(web.db, "arb@platform.test")
    queue = desk.list_disputes(
        web.db,
        arbitrator,
        desk.DisputeFilters(open_only=True, escalated_only=True),
        sort="intervention",
    )
    assert [line.id for line in queue] == ["E2-D1", "E1-D1"]
    assert queue[0].intervention_due_at < queue[1].intervention_due_at
    with pytest.raises(ServiceError):
        desk.dispute_case(web.db, arbitrator, "N-D1")  # never escalated: not theirs to see
    assert desk.dispute_case(web.db, arbitrator, "E1-D1").dispute.escalated_at is not None


@pytest.mark.parametrize("value", ["", "X", "A-D0", "A-D01", "A-Dx", "-D1", "A-D2"])
def test_a_dispute_id_that_names_nothing_is_not_found(web, value):
    shipped_order(web, "A", days_ago=8)
    opened(web, "A", web.clock.now)
    buyer = principal_by_email(web.db, "buyer@b1.test")
    with pytest.raises(ServiceError) as refused:
        desk.dispute_case(web.db, buyer, value)
    assert refused.value.code == "not_found"
