"""What an arbitrator sees of an order with several disputes: the escalated dispute and what
belongs to it, never a later dispute of the same order that nobody escalated. The order itself
(its view, tracking and message thread) only while its latest dispute is escalated. Over the API
and on the web desk, on each database backend.

After a `ruled` dispute an order's disputes are over (RULES.md section 5), so the earlier
escalated dispute here ends `cancelled` by the buyer during arbitration; a new one follows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import Desk, make_desk
from disputedesk.services.accounts import create_token
from disputedesk.store.db import Database
from web_support import make_web_desk

SECRET = "D2-SECRET"  # in everything that belongs to the later, un-escalated dispute
TXT = b"a photo description, as text"


@pytest.fixture
def api(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    yield d
    d.client.close()


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()


def shipped(desk: Desk, order_id: str = "O1") -> None:
    order = {
        "id": order_id,
        "store_id": "shop1",
        "buyer_id": "B1",
        "amount": "100.00",
        "shipping": "21.49",
        "currency": "USD",
        "placed_at": "2026-03-02T08:00:00Z",
        "promised_delivery_days": 30,
        "destination_country": "BR",
    }
    ok(desk.post("seller", "/orders", order), 201)
    shipment = {"carrier": "China Post", "tracking_number": "RR1CN"}
    ok(desk.post("seller", f"/orders/{order_id}/ship", shipment))


def open_dispute(desk: Desk, order_id: str, reason: str, amount: str, note: str) -> str:
    body = {
        "reason": reason,
        "goods_received": True,
        "plan": {"type": "refund_only", "amount": amount},
        "note": note,
    }
    return str(ok(desk.post("buyer", f"/orders/{order_id}/disputes", body), 201)["id"])


def evidence(desk: Desk, did: str, description: str) -> int:
    files = {"file": ("photo.txt", TXT, "text/plain")}
    data = {"kind": "photo", "description": description}
    view = ok(desk.post("buyer", f"/disputes/{did}/evidence", data=data, files=files), 201)
    return int(view["evidence"][-1]["id"])


def escalated_then_cancelled(desk: Desk, *, gap_hours: float = 24) -> dict[str, Any]:
    """O1: dispute 1 escalated, taken by the platform, cancelled by the buyer; `gap_hours`
    later dispute 2 opened (not escalated), with its note, evidence, a message and a tracking
    event that all say SECRET."""
    shipped(desk)
    desk.clock.advance(days=6)
    d1 = open_dispute(desk, "O1", "not_as_described.quality_issue", "80.00", "the sole came off")
    desk.clock.advance(hours=1)
    ok(desk.post("seller", f"/disputes/{d1}/reject", {"note": "within tolerance"}))
    desk.clock.advance(hours=1)
    ok(desk.post("buyer", f"/disputes/{d1}/escalate", {"note": "not acceptable"}))
    desk.clock.advance(hours=1)
    ok(desk.post("arbitrator", f"/disputes/{d1}/intervene"))
    desk.clock.advance(hours=1)
    e1 = evidence(desk, d1, "photo of the sole")
    ok(desk.post("buyer", "/orders/O1/messages", {"body": "the sole, again"}), 201)
    desk.clock.advance(hours=1)
    ok(desk.post("buyer", f"/disputes/{d1}/cancel"))
    desk.clock.advance(hours=gap_hours)
    d2 = open_dispute(desk, "O1", "not_as_described.not_working", "30.00", f"{SECRET} note")
    desk.clock.advance(hours=1)
    e2 = evidence(desk, d2, f"{SECRET} evidence")
    ok(desk.post("buyer", "/orders/O1/messages", {"body": f"{SECRET} message"}), 201)
    tracking = {"status": "delivered", "location": f"{SECRET} location"}
    ok(desk.post("seller", "/orders/O1/tracking", tracking), 201)
    assert d2 == "O1-D2"
    return {"d1": d1, "d2": d2, "e1": e1, "e2": e2}


# -- the API ------------------------------------------------------------------------------------


def test_an_arbitrator_sees_the_escalated_dispute_and_nothing_of_a_later_one(api: Desk) -> None:
    ids = escalated_then_cancelled(api)
    d1, d2 = ids["d1"], ids["d2"]
    # the escalated dispute: visible, its view says nothing of dispute 2
    view = ok(api.get("arbitrator", f"/disputes/{d1}"))
    assert (view["status"], view["resolution"], view["countdown"]) == ("closed", "cancelled", None)
    assert [e["action"] for e in view["history"]] == [
        "open_dispute",
        "reject",
        "escalate",
        "intervene",
        "submit_evidence",
        "cancel_dispute",
    ]
    assert SECRET not in api.get("arbitrator", f"/disputes/{d1}").text
    assert [d["id"] for d in ok(api.get("arbitrator", "/disputes"))["items"]] == [d1]
    assert ok(api.get("arbitrator", f"/evidence/{ids['e1']}"))["dispute_id"] == d1
    assert api.get("arbitrator", f"/evidence/{ids['e1']}/file").content == TXT
    # the later dispute, not escalated: not theirs, nor is the order while it is the latest
    for path in (
        f"/disputes/{d2}",
        f"/evidence/{ids['e2']}",
        f"/evidence/{ids['e2']}/file",
        "/orders/O1",
        "/orders/O1/messages",
        "/orders/O1/tracking",
    ):
        r = api.get("arbitrator", path)
        assert r.status_code == 404 and r.json()["code"] == "not_found", (path, r.text)
    assert ok(api.get("arbitrator", "/orders"))["items"] == []
    assert api.post("arbitrator", "/orders/O1/messages", {"body": "hello"}).status_code == 404
    assert api.post("arbitrator", f"/disputes/{d2}/intervene").status_code == 404
    # the parties still see all of it
    order = ok(api.get("buyer", "/orders/O1"))
    assert order["countdown"]["waiting_on"] == "seller" and order["disputes"] == [d1, d2]
    assert SECRET in api.get("seller", "/orders/O1/messages").text


def test_once_the_later_dispute_is_escalated_the_arbitrator_sees_the_order_again(
    api: Desk,
) -> None:
    ids = escalated_then_cancelled(api)
    d1, d2 = ids["d1"], ids["d2"]
    api.clock.advance(hours=1)
    ok(api.post("seller", f"/disputes/{d2}/reject", {"note": ""}))
    ok(api.post("buyer", f"/disputes/{d2}/escalate"))
    assert ok(api.get("arbitrator", f"/disputes/{d2}"))["note"] == f"{SECRET} note"
    order = ok(api.get("arbitrator", "/orders/O1"))
    assert order["countdown"]["action"] == "intervene"
    assert [o["id"] for o in ok(api.get("arbitrator", "/orders"))["items"]] == ["O1"]
    assert SECRET in api.get("arbitrator", "/orders/O1/messages").text
    assert SECRET in api.get("arbitrator", "/orders/O1/tracking").text
    assert ok(api.get("arbitrator", f"/evidence/{ids['e2']}"))["dispute_id"] == d2
    assert sorted(d["id"] for d in ok(api.get("arbitrator", "/disputes"))["items"]) == [d1, d2]
    ok(api.post("arbitrator", "/orders/O1/messages", {"body": "the platform is on it"}), 201)
    # dispute 1's view is still dispute 1's alone
    assert SECRET not in api.get("arbitrator", f"/disputes/{d1}").text


def test_a_dispute_opened_at_the_instant_the_last_one_closed_is_not_in_its_history(
    api: Desk,
) -> None:
    ids = escalated_then_cancelled(api, gap_hours=0)
    for role in ("arbitrator", "buyer", "seller"):
        history = ok(api.get(role, f"/disputes/{ids['d1']}"))["history"]
        assert [e["action"] for e in history][-1] == "cancel_dispute", role
        assert [e["action"] for e in history].count("open_dispute") == 1, role
    # nor is the dispute it followed in the later one's
    history = ok(api.get("buyer", f"/disputes/{ids['d2']}"))["history"]
    assert [e["action"] for e in history][:1] == ["open_dispute"]
    assert "cancel_dispute" not in [e["action"] for e in history]


def test_an_earlier_dispute_nobody_escalated_stays_hidden(api: Desk) -> None:
    shipped(api)
    api.clock.advance(days=6)
    d1 = open_dispute(api, "O1", "not_as_described.quality_issue", "80.00", "first")
    api.clock.advance(hours=1)
    ok(api.post("buyer", f"/disputes/{d1}/cancel"))
    api.clock.advance(hours=1)
    d2 = open_dispute(api, "O1", "not_as_described.not_working", "30.00", "second")
    ok(api.post("seller", f"/disputes/{d2}/reject", {"note": ""}))
    ok(api.post("buyer", f"/disputes/{d2}/escalate"))
    assert api.get("arbitrator", f"/disputes/{d1}").status_code == 404
    assert ok(api.get("arbitrator", f"/disputes/{d2}"))["status"] == "escalated"
    assert ok(api.get("arbitrator", "/orders/O1"))["disputes"] == [d1, d2]
    assert [d["id"] for d in ok(api.get("arbitrator", "/disputes"))["items"]] == [d2]


# -- the web desk -------------------------------------------------------------------------------


@pytest.fixture
def web(db: Database, tmp_path: Path) -> Iterator[tuple[Desk, Any]]:
    """The web desk's app and users, driven through the API (tokens for the same users)."""
    web = make_web_desk(db, tmp_path)
    emails = {
        "seller": "seller@shop1.test",
        "buyer": "buyer@b1.test",
        "arbitrator": "arb@platform.test",
    }
    tokens = {role: create_token(db, email=email).token for role, email in emails.items()}
    client = TestClient(web.app, base_url="https://testserver")
    yield Desk(db, client, web.clock, tokens, tmp_path / "data"), web
    client.close()


def test_the_desk_shows_an_arbitrator_the_escalated_case_only_up_to_its_end(
    web: tuple[Desk, Any],
) -> None:
    api, desk = web
    ids = escalated_then_cancelled(api)
    arbitrator = desk.login("arbitrator")
    page = arbitrator.get(f"/desk/disputes/{ids['d1']}")
    assert page.status_code == 200, page.text
    html = page.text
    assert SECRET not in html
    assert ids["d2"] not in html and "Does not work properly" not in html  # its reason
    assert f"/desk/evidence/{ids['e1']}" in html and f"/desk/evidence/{ids['e2']}" not in html
    assert 'href="/desk/orders/O1"' not in html  # a page the arbitrator may not open
    assert 'action="/desk/orders/O1/messages"' not in html  # nor write in
    timeline = html.split('id="history"')[1]
    for step in ("Shipped", "Dispute opened", "Seller rejected", "Escalated", "cancelled"):
        assert step in timeline, step
    assert timeline.count("Dispute opened") == 1
    assert "the sole, again" in html  # dispute 1's own thread
    for path in (
        f"/desk/disputes/{ids['d2']}",
        "/desk/orders/O1",
        f"/desk/evidence/{ids['e2']}",
    ):
        assert arbitrator.get(path).status_code == 404, path
    assert arbitrator.get(f"/desk/evidence/{ids['e1']}").content == TXT
    queue = arbitrator.get("/desk/queue").text
    assert ids["d2"] not in queue
    # the buyer's page of dispute 1 links to dispute 2 as before
    assert (
        f"/desk/disputes/{ids['d2']}" in desk.login("buyer").get(f"/desk/disputes/{ids['d1']}").text
    )


def test_the_desk_shows_the_latest_escalated_case_whole(web: tuple[Desk, Any]) -> None:
    api, desk = web
    ids = escalated_then_cancelled(api)
    api.clock.advance(hours=1)
    ok(api.post("seller", f"/disputes/{ids['d2']}/reject", {"note": ""}))
    ok(api.post("buyer", f"/disputes/{ids['d2']}/escalate"))
    arbitrator = desk.login("arbitrator")
    html = arbitrator.get(f"/desk/disputes/{ids['d2']}").text
    assert f"{SECRET} message" in html and f"{SECRET} location" in html
    assert 'href="/desk/orders/O1"' in html and 'action="/desk/orders/O1/messages"' in html
    timeline = html.split('id="history"')[1]
    assert timeline.count("Dispute opened") == 2  # the order's whole history, up to now
    assert f"/desk/disputes/{ids['d1']}" in timeline  # the earlier escalated case
    order = arbitrator.get("/desk/orders/O1")
    assert order.status_code == 200 and f"{SECRET} message" in order.text
    assert SECRET not in arbitrator.get(f"/desk/disputes/{ids['d1']}").text
    assert ids["d2"] in arbitrator.get("/desk/queue").text


def test_the_desk_links_an_arbitrator_to_escalated_disputes_only(web: tuple[Desk, Any]) -> None:
    api, desk = web
    shipped(api)
    api.clock.advance(days=6)
    d1 = open_dispute(api, "O1", "not_as_described.quality_issue", "80.00", "first")
    api.clock.advance(hours=1)
    ok(api.post("buyer", f"/disputes/{d1}/cancel"))
    api.clock.advance(hours=1)
    d2 = open_dispute(api, "O1", "not_as_described.not_working", "30.00", "second")
    ok(api.post("seller", f"/disputes/{d2}/reject", {"note": ""}))
    ok(api.post("buyer", f"/disputes/{d2}/escalate"))
    arbitrator = desk.login("arbitrator")
    order = arbitrator.get("/desk/orders/O1")
    assert order.status_code == 200
    assert f"/desk/disputes/{d2}" in order.text and f"/desk/disputes/{d1}" not in order.text
    assert f"/desk/disputes/{d1}" not in arbitrator.get(f"/desk/disputes/{d2}").text
    assert arbitrator.get(f"/desk/disputes/{d1}").status_code == 404
    assert f"/desk/disputes/{d1}" in desk.login("buyer").get("/desk/orders/O1").text
