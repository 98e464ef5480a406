"""The worker thread `disputedesk demo` runs inside the server: it fires what falls due, on its
own, and stops when asked."""

from __future__ import annotations

import time
from datetime import timedelta

from disputedesk.services import commands, desk
from disputedesk.services.accounts import principal_by_email
from disputedesk.services.background import BackgroundWorker
from web_support import make_web_desk, shipped_order


def test_the_background_worker_fires_a_missed_window_and_stops(db, tmp_path):
    web = make_web_desk(db, tmp_path)
    shipped_order(web, "O-1", days_ago=8)
    opened = commands.open_dispute(
        db,
        "O-1",
        reason="not_received.tracking_invalid",
        plan={"type": "refund_only", "amount": "12.00"},
        goods_received=False,
        at=web.clock.now,
    )
    assert opened.ok
    web.clock.advance(days=5)  # the seller's window is over
    worker = BackgroundWorker(db, interval=0.05, clock=web.clock)
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while worker.steps == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop(timeout=10)
    assert not worker._thread.is_alive()
    assert worker.steps >= 1 and worker.sweeps >= 1
    buyer = principal_by_email(db, "buyer@b1.test")
    case = desk.dispute_case(db, buyer, "O-1-D1")
    assert case.dispute.resolution == "refunded"
    assert case.card.order.refunded_total == opened.state.disputes[0].buyer_plan.amount
    assert case.dispute.closed_at == opened.state.disputes[0].opened_at + timedelta(days=5)
