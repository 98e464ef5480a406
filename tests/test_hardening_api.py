"""Issue 10's reproduced defects, each as a probe that once got a 500 (or acted wrongly): bad
input is a 4xx problem+json that records nothing, on SQLite and PostgreSQL alike; unique
violations from concurrent requests are `conflict`; an unexpected exception is a problem with a
logged id; idempotency keeps only completed outcomes and replays count against the rate limit;
a command that lost a race to the worker is told so."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from api_support import Desk, make_desk
from disputedesk.services.commands import ServiceError, record_tracking
from disputedesk.services.limits import MemoryRateLimiter
from disputedesk.services.orders import check_order, create_order
from disputedesk.store import tables as t
from disputedesk.store.db import Database

ORDER = {
    "store_id": "shop1",
    "buyer_id": "B1",
    "amount": "100.00",
    "shipping": "1.00",
    "currency": "USD",
    "placed_at": "2026-03-02T08:00:00Z",
    "promised_delivery_days": 30,
}
BIG = "99999999999999999999"

# (role, method, path, JSON body): each once answered 500 on one database or both.
PROBES: list[tuple[str, str, str, Any]] = [
    ("seller", "GET", "/orders/O1%00", None),
    ("seller", "GET", "/orders?status=shipped%00", None),
    ("seller", "GET", "/disputes?store_id=shop1%00", None),
    ("seller", "GET", "/disputes/O1-D1%00", None),
    ("seller", "GET", f"/disputes/O1-D{BIG}", None),
    ("seller", "GET", "/disputes/O1-D%C2%B2", None),  # "²": str.isdigit says yes, int says no
    ("seller", "POST", f"/disputes/O1-D{BIG}/accept", None),
    ("seller", "POST", "/orders/O1/messages", {"body": "a\u0000b"}),
    ("seller", "POST", "/orders/O1/messages", {"body": "hi", "locale": "x" * 17}),
    ("seller", "POST", "/orders/O1/messages", {"body": "hi", "locale": "en\u0000"}),
    ("seller", "GET", f"/evidence/{BIG}", None),
    ("seller", "GET", f"/evidence/{BIG}/file", None),
    ("seller", "GET", f"/orders?offset={BIG}", None),
    ("seller", "GET", f"/disputes?offset={BIG}", None),
    ("seller", "GET", f"/stores/shop1/webhooks/{BIG}/deliveries", None),
    ("seller", "POST", f"/stores/shop1/webhooks/{BIG}/disable", None),
    ("seller", "POST", "/orders", {**ORDER, "id": "O9", "amount": BIG + "999999.99"}),
    ("seller", "POST", "/orders", {**ORDER, "id": "O9", "shipping": BIG + "999999.99"}),
    ("seller", "POST", "/orders", {**ORDER, "id": "O9", "items": [{"title": "a\u0000"}]}),
    ("seller", "POST", "/orders", {**ORDER, "id": "O9", "category": "shoes\u0000"}),
    ("admin", "POST", "/stores/nosuch/webhooks", {"url": "https://example.com/hook"}),
    ("admin", "GET", "/stores/nosuch/webhooks", None),
    ("seller", "POST", "/orders/O1/tracking", {"status": "IN TRANSIT\u0000"}),
    ("seller", "POST", "/orders/O1/extend-delivery", {"days": int(BIG)}),
    ("buyer", "POST", "/disputes/O1-D1/modify", {"plan": {"type": "refund_only", "amount": BIG}}),
    ("buyer", "POST", "/disputes/O1-D1/modify", {"plan": {"type": "refund_only"}}),
    ("buyer", "POST", "/disputes/O1-D1/escalate", {"note": "x\u0000"}),
    ("seller", "POST", "/disputes/O1-D1/reject", {"note": "x\u0000"}),
    ("seller", "POST", "/disputes/O1-D1/reject", {"note": "x" * 2_000_000}),
    ("seller", "POST", "/stores", {"id": "s2", "name": "Shop\u0000"}),
    ("seller", "POST", "/stores/shop1/staff", {"email": "a\u0000@shop.test"}),
    ("seller", "POST", "/orders/O1/ship", {"carrier": "a\u0000", "tracking_number": "b"}),
    ("arbitrator", "GET", "/disputes?status=", None),
]


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    d.client = TestClient(d.client.app, raise_server_exceptions=False)
    assert d.post("seller", "/orders", {"id": "O1", **ORDER}).status_code == 201
    ship = {"carrier": "China Post", "tracking_number": "RR1"}
    assert d.post("seller", "/orders/O1/ship", ship).status_code == 200
    d.clock.advance(days=6)
    opened = d.post(
        "buyer",
        "/orders/O1/disputes",
        {
            "reason": "not_as_described.damaged",
            "goods_received": True,
            "plan": {"type": "refund_only", "amount": "5.00"},
        },
    )
    assert opened.status_code == 201
    yield d
    d.client.close()


def _rows(db: Database) -> tuple[int, ...]:
    with db.engine.connect() as conn:
        return tuple(
            conn.scalar(select(func.count()).select_from(table))
            for table in (t.events, t.messages, t.orders, t.stores, t.webhook_subscriptions)
        )


def test_bad_input_is_a_4xx_problem_that_records_nothing(desk: Desk) -> None:
    before = _rows(desk.db)
    failures = []
    for role, method, path, body in PROBES:
        response = desk.client.request(method, path, headers=desk.h(role), json=body)
        content_type = response.headers.get("content-type", "")
        if not (400 <= response.status_code < 500 and content_type == "application/problem+json"):
            failures.append((method, path, str(body)[:60], response.status_code, content_type))
    assert failures == []
    assert _rows(desk.db) == before


def test_an_oversized_json_body_is_refused_before_it_is_read(desk: Desk) -> None:
    """The declared length alone is enough: 413 before authentication (no token here)."""
    huge = b'{"body": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = desk.client.post(
        "/orders/O1/messages", content=huge, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert response.json()["detail"] == "the request body may be at most 1 MB"


def test_an_unexpected_exception_is_a_problem_with_a_logged_id(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> None:
        raise RuntimeError("a defect")

    desk.client.app.add_api_route("/boom", boom)
    desk.client.app.add_api_route("/desk/boom", boom)
    with caplog.at_level(logging.ERROR, logger="disputedesk.api"):
        response = desk.client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    error_id = response.json()["error_id"]
    assert response.json()["code"] == "internal_error" and error_id in response.json()["detail"]
    assert any(error_id in record.getMessage() for record in caplog.records)
    page = desk.client.get("/desk/boom")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")


def test_idempotency_keeps_no_rate_limited_answer_and_replays_count(
    db: Database, tmp_path: Path
) -> None:
    desk = make_desk(db, tmp_path, rate=3)
    # the subject is idempotency and the limit, not where the limit is kept: one in memory
    desk.client.app.state.rate_limiter = MemoryRateLimiter(3)
    assert desk.post("seller", "/orders", {"id": "O1", **ORDER}).status_code == 201
    key = {"Idempotency-Key": "note-1"}
    body = {"body": "Hello"}
    first = desk.post("seller", "/orders/O1/messages", body, headers=key)
    assert first.status_code == 201
    # the replay is the first answer, and it took the third (last) request of the minute
    replay = desk.post("seller", "/orders/O1/messages", body, headers=key)
    assert replay.headers.get("idempotent-replayed") == "true"
    limited = desk.post(
        "seller", "/orders/O1/messages", {"body": "Later"}, headers={"Idempotency-Key": "note-2"}
    )
    assert limited.status_code == 429
    # a minute on, the same key acts: the 429 was not kept
    desk.client.app.state.rate_limiter.clear()
    later = desk.post(
        "seller", "/orders/O1/messages", {"body": "Later"}, headers={"Idempotency-Key": "note-2"}
    )
    assert later.status_code == 201 and "idempotent-replayed" not in later.headers
    assert len(desk.get("seller", "/orders/O1/messages").json()["items"]) == 2


def test_only_completed_outcomes_are_kept() -> None:
    from disputedesk.api.idempotency import completed

    assert completed(201, b"{}")
    assert completed(409, b'{"code": "invalid_state"}')
    assert completed(422, b'{"code": "invalid_amount"}')
    assert not completed(429, b'{"code": "rate_limited"}')
    assert not completed(409, b'{"code": "conflict"}')
    assert not completed(404, b'{"code": "not_found"}')
    assert not completed(500, b'{"code": "internal_error"}')
    assert not completed(503, b"")


def test_a_command_that_lost_a_race_is_a_conflict(desk: Desk) -> None:
    """The seller answers at T, but another command (here the carrier's scan, recorded at
    T + 1 hour by a feed whose clock ran ahead) was committed first: the seller is told the
    order changed, not 'at: ... is before the order's last recorded instant'."""
    later = desk.clock.now + timedelta(hours=1)
    recorded = record_tracking(desk.db, "O1", details={"status": "IN TRANSIT"}, at=later)
    assert recorded.ok
    before = _rows(desk.db)
    response = desk.post("seller", "/disputes/O1-D1/accept")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "changed while you acted" in response.json()["detail"]
    assert _rows(desk.db) == before


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Database]:
    database = Database(postgres_url)
    database.upgrade()
    yield database
    database.dispose()


def _race(pg: Database, first: dict[str, Any], second: dict[str, Any]) -> Any:
    """`first` inserted in an open transaction; `second` created meanwhile (its checks find
    nothing, its insert waits on the unique index); then `first` commits. Returns what the
    second creation raised (None when it succeeded)."""
    outcome: dict[str, Any] = {}
    with pg.engine.connect() as conn:
        trans = conn.begin()
        conn.execute(insert(t.stores).values(id="shop9", name="shop9", created_at=_now()))
        conn.execute(insert(t.buyers).values(id=first["buyer_id"], name="x", created_at=_now()))
        from disputedesk.services.orders import order_row

        conn.execute(insert(t.orders), [order_row(check_order(first), _now())])

        def create() -> None:
            try:
                create_order(pg, check_order(second), now=_now())
                outcome["error"] = None
            except Exception as exc:  # the outcome under test
                outcome["error"] = exc

        worker = threading.Thread(target=create)
        worker.start()
        worker.join(timeout=1.0)  # it now waits on the row lock of the uncommitted insert
        trans.commit()
        worker.join(timeout=30)
    return outcome["error"]


def _now() -> Any:
    from api_support import START

    return START


def test_concurrent_orders_with_one_id_are_a_conflict(pg: Database) -> None:
    order = {**ORDER, "id": "R1", "store_id": "shop9", "buyer_id": "NB1"}
    error = _race(pg, order, order)
    assert isinstance(error, ServiceError) and error.code == "conflict"


def test_two_orders_of_one_new_buyer_at_once_both_succeed(pg: Database) -> None:
    first = {**ORDER, "id": "R1", "store_id": "shop9", "buyer_id": "NB2"}
    error = _race(pg, first, {**first, "id": "R2"})
    assert error is None
    with pg.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(t.orders)) == 2
