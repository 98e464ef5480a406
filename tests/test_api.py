"""The REST API over HTTP (FastAPI's TestClient, the real app, a real database on each backend):
a whole dispute from order to ruling with the worker firing a deadline, who sees what, problem
details, idempotency, ETags, rate limits, evidence uploads, and signed webhooks to a real local
HTTP server."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api_support import ROLES, Desk, make_desk
from disputedesk.rules.instants import parse_instant
from disputedesk.services import webhooks
from disputedesk.services.worker import sweep
from disputedesk.store.db import Database


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    yield d
    d.client.close()


def new_order(
    desk: Desk, order_id: str, store: str = "shop1", buyer: str = "B1", role: str = "seller"
) -> Any:
    return desk.post(
        role,
        "/orders",
        {
            "id": order_id,
            "store_id": store,
            "buyer_id": buyer,
            "amount": "100.00",
            "shipping": "21.49",
            "currency": "USD",
            "placed_at": "2026-03-02T08:00:00Z",
            "promised_delivery_days": 30,
            "destination_country": "BR",
            "category": "apparel/shoes",
            "items": [{"sku": "SH-1", "title": "Running shoes", "quantity": 1}],
        },
    )


def shipped_order(
    desk: Desk, order_id: str, store: str = "shop1", buyer: str = "B1", seller: str = "seller"
) -> None:
    assert new_order(desk, order_id, store, buyer, seller).status_code == 201
    shipment = {"carrier": "China Post", "tracking_number": "RR1CN"}
    assert desk.post(seller, f"/orders/{order_id}/ship", shipment).status_code == 200


def shipped_order_with_dispute(
    desk: Desk,
    order_id: str,
    store: str = "shop1",
    buyer: str = "B1",
    seller: str = "seller",
    buyer_role: str = "buyer",
) -> str:
    shipped_order(desk, order_id, store, buyer, seller)
    desk.clock.advance(days=6)
    r = desk.post(
        buyer_role,
        f"/orders/{order_id}/disputes",
        {
            "reason": "not_as_described.quality_issue",
            "goods_received": True,
            "plan": {"type": "refund_only", "amount": "80.00"},
        },
    )
    assert r.status_code == 201, r.json()
    return r.json()["id"]


def test_a_whole_dispute_over_http_with_the_worker_firing_a_deadline(desk: Desk) -> None:
    assert new_order(desk, "O1").status_code == 201
    r = desk.post(
        "seller", "/orders/O1/ship", {"carrier": "China Post", "tracking_number": "RR123456789CN"}
    )
    assert r.json()["delivery_deadline"] == "2026-04-01T08:00:00Z"
    # too early: the refusal says the rule with its instant
    r = desk.post(
        "buyer",
        "/orders/O1/disputes",
        {
            "reason": "not_as_described.quality_issue",
            "goods_received": True,
            "plan": {"type": "refund_only", "amount": "80.00"},
        },
    )
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "too_early" and "2026-03-07T08:00:00Z" in r.json()["detail"]
    desk.clock.advance(days=6)
    r = desk.post(
        "buyer",
        "/orders/O1/disputes",
        {
            "reason": "not_as_described.quality_issue",
            "goods_received": True,
            "plan": {"type": "refund_only", "amount": "80.00"},
            "note": "the sole came off",
        },
    )
    assert r.status_code == 201
    dispute = r.json()
    did = dispute["id"]
    assert dispute["status"] == "awaiting_seller_response"
    assert dispute["countdown"] == {
        "next_deadline": "2026-03-13T08:00:00Z",
        "action": "seller_response_timeout",
        "consequence": "the system executes the buyer's plan",
        "waiting_on": "seller",
    }
    desk.clock.advance(hours=3)
    assert (
        desk.post("seller", f"/disputes/{did}/reject", {"note": "within tolerance"}).json()[
            "status"
        ]
        == "negotiating"
    )
    desk.clock.advance(hours=1)
    r = desk.post(
        "agent", f"/disputes/{did}/propose", {"plan": {"type": "refund_only", "amount": "20.00"}}
    )
    assert r.json()["seller_plan"] == {"type": "refund_only", "amount": "20.00"}
    # the seller's last answer is now a plan, not a reject: escalating waits for day 4
    desk.clock.advance(hours=1)
    r = desk.post("buyer", f"/disputes/{did}/escalate", {"note": "not acceptable"})
    assert r.status_code == 409 and r.json()["code"] == "too_early"
    assert "2026-03-11T08:00:00Z" in r.json()["detail"]
    desk.clock.now = parse_instant("2026-03-11T08:00:00Z")
    r = desk.post("buyer", f"/disputes/{did}/escalate", {"note": "not acceptable"})
    assert r.json()["status"] == "escalated" and r.json()["escalation"] == "buyer"
    # the arbitrator now sees it, in the queue
    queue = desk.get("arbitrator", "/disputes", params={"status": "escalated"}).json()["items"]
    assert [d["id"] for d in queue] == [did]
    desk.clock.advance(days=1)
    assert (
        desk.post("arbitrator", f"/disputes/{did}/intervene").json()["status"]
        == "awaiting_seller_evidence"
    )
    # the worker fires the end of the first evidence period (3 days later)
    desk.clock.advance(days=3)
    report = sweep(desk.db, desk.clock.now)
    assert report.steps == 1
    r = desk.get("seller", f"/disputes/{did}")
    assert ("system", "evidence_period_extended") in [
        (e["actor"], e["action"]) for e in r.json()["history"]
    ]
    desk.clock.advance(hours=2)
    r = desk.post(
        "seller",
        f"/disputes/{did}/evidence",
        data={"kind": "photo", "description": "before shipping"},
        files={"file": ("box.txt", b"a photo description, as text", "text/plain")},
    )
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "under_review"
    desk.clock.advance(hours=2)
    r = desk.post(
        "arbitrator",
        f"/disputes/{did}/rule",
        {"refund_amount": "50.00", "responsibility": "seller", "reason": "No proof of delivery"},
    )
    assert r.status_code == 200
    ruled = r.json()
    assert (
        ruled["status"],
        ruled["resolution"],
        ruled["refund_amount"],
        ruled["responsibility"],
    ) == ("closed", "ruled", "50.00", "seller")
    order = desk.get("buyer", "/orders/O1").json()
    assert (order["status"], order["refunded_total"]) == ("completed", "50.00")
    actions = [e["action"] for e in desk.get("buyer", f"/disputes/{did}").json()["history"]]
    assert actions == [
        "open_dispute",
        "reject",
        "propose",
        "escalate",
        "intervene",
        "evidence_period_extended",
        "submit_evidence",
        "rule",
    ]


def test_problem_details_and_auth(desk: Desk) -> None:
    r = desk.client.get("/orders")
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = desk.client.get("/orders", headers={"Authorization": "Bearer ddt_nope"})
    assert r.status_code == 401
    r = desk.get("seller", "/orders/NOPE")
    body = r.json()
    assert r.status_code == 404
    assert set(body) >= {"type", "title", "status", "detail", "code"}
    assert body["code"] == "not_found" and body["status"] == 404
    r = desk.post(
        "seller",
        "/orders",
        {
            "id": "X1",
            "store_id": "shop1",
            "buyer_id": "B1",
            "amount": 100,
            "currency": "USD",
            "placed_at": "2026-03-02T08:00:00Z",
            "promised_delivery_days": 30,
        },
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    assert "amount" in r.json()["detail"]
    r = desk.post(
        "seller",
        "/orders",
        {
            "id": "X2",
            "store_id": "shop1",
            "buyer_id": "B1",
            "amount": "1.234",
            "currency": "USD",
            "placed_at": "2026-03-02T08:00:00Z",
            "promised_delivery_days": 30,
        },
    )
    assert r.status_code == 422 and "amount" in r.json()["detail"]
    did = shipped_order_with_dispute(desk, "O2")
    r = desk.post(
        "seller", f"/disputes/{did}/propose", {"plan": {"type": "refund_only", "amount": "12.345"}}
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid_amount"
    r = desk.post(
        "buyer", f"/disputes/{did}/propose", {"plan": {"type": "refund_only", "amount": "12.00"}}
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = desk.post("buyer", f"/disputes/{did}/accept")
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"
    r = desk.post("admin", f"/disputes/{did}/accept")
    assert r.status_code == 403


def test_idempotency_key_acts_once_and_replays_the_first_answer(desk: Desk) -> None:
    assert new_order(desk, "O3").status_code == 201
    key = {"Idempotency-Key": "msg-1"}
    first = desk.post("buyer", "/orders/O3/messages", {"body": "Hello"}, headers=key)
    again = desk.post("buyer", "/orders/O3/messages", {"body": "Hello"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert len(desk.get("buyer", "/orders/O3/messages").json()["items"]) == 1
    other = desk.post("buyer", "/orders/O3/messages", {"body": "Other"}, headers=key)
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    # keys belong to their user: the seller's msg-1 is a new request
    mine = desk.post("seller", "/orders/O3/messages", {"body": "Hi"}, headers=key)
    assert mine.status_code == 201
    # a refused command is replayed as refused, and acted on once
    first = desk.post(
        "seller", "/orders/O3/extend-delivery", {"days": 5}, headers={"Idempotency-Key": "ext-1"}
    )
    assert first.status_code == 409
    again = desk.post(
        "seller", "/orders/O3/extend-delivery", {"days": 5}, headers={"Idempotency-Key": "ext-1"}
    )
    assert again.json() == first.json()


def test_etag_and_if_match(desk: Desk) -> None:
    did = shipped_order_with_dispute(desk, "O4")
    r = desk.get("seller", f"/disputes/{did}")
    tag = r.headers["etag"]
    assert tag == f'"v{r.json()["version"]}"'
    ok = desk.post("seller", f"/disputes/{did}/reject", {"note": "no"}, headers={"If-Match": tag})
    assert ok.status_code == 200 and ok.headers["etag"] != tag
    stale = desk.post(
        "seller",
        f"/disputes/{did}/propose",
        {"plan": {"type": "refund_only", "amount": "10.00"}},
        headers={"If-Match": tag},
    )
    assert stale.status_code == 412 and stale.json()["code"] == "conflict"
    fresh = desk.post(
        "seller",
        f"/disputes/{did}/propose",
        {"plan": {"type": "refund_only", "amount": "10.00"}},
        headers={"If-Match": ok.headers["etag"]},
    )
    assert fresh.status_code == 200


def test_rate_limit_per_token(db: Database, tmp_path: Path) -> None:
    desk = make_desk(db, tmp_path, rate=3)
    codes = [desk.get("buyer", "/me").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = desk.get("buyer", "/me")
    assert r.json()["code"] == "rate_limited" and int(r.headers["retry-after"]) >= 1
    assert desk.get("seller", "/me").status_code == 200  # another token, its own bucket


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_evidence_upload_types_limits_and_downloads(desk: Desk) -> None:
    did = shipped_order_with_dispute(desk, "O5")
    url = f"/disputes/{did}/evidence"
    # the type comes from the content: a PNG named .pdf is an image
    r = desk.post(
        "buyer",
        url,
        data={"kind": "photo", "description": "sole"},
        files={"file": ("sole.pdf", PNG, "application/pdf")},
    )
    assert r.status_code == 201, r.json()
    item = r.json()["evidence"][-1]
    assert item["file"]["content_type"] == "image/png" and item["file"]["size"] == len(PNG)
    sha = item["file"]["sha256"]
    assert (desk.data_dir / "evidence" / sha[:2] / sha).read_bytes() == PNG
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    r = desk.post("buyer", url, data={"kind": "photo"}, files={"file": ("a.png", exe, "image/png")})
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type"
    big = b"x" * (64 * 1024 + 1)
    r = desk.post("buyer", url, data={"kind": "other"}, files={"file": ("a.txt", big)})
    assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
    r = desk.post(
        "buyer",
        url,
        data={"kind": "video", "description": "unboxing", "link": "https://video.example/unboxing"},
    )
    assert r.status_code == 201
    assert r.json()["evidence"][-1]["link"] == "https://video.example/unboxing"
    r = desk.post("buyer", url, data={"kind": "selfie"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    evidence_id = item["id"]
    ok = desk.get("seller", f"/evidence/{evidence_id}/file")
    assert ok.status_code == 200 and ok.content == PNG
    assert ok.headers["content-type"] == "image/png"
    assert desk.get("buyer", f"/evidence/{evidence_id}/file").status_code == 200
    for outsider in ("buyer2", "seller2", "admin", "arbitrator"):  # not escalated yet
        assert desk.get(outsider, f"/evidence/{evidence_id}/file").status_code == 404, outsider
    # rejected uploads left no file behind
    stored = [p for p in (desk.data_dir / "evidence").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [sha]


# -- who may see and do what -------------------------------------------------------------------


def _setup_matrix(desk: Desk) -> dict[str, str]:
    """shop1/B1 owns O10 (disputed, escalated) and O11 (disputed, not escalated); shop2/B2 owns
    O20 (disputed, escalated)."""
    orders = (
        ("O10", "shop1", "B1", "seller", "buyer"),
        ("O11", "shop1", "B1", "seller", "buyer"),
        ("O20", "shop2", "B2", "seller2", "buyer2"),
    )
    for order_id, store, buyer, seller, _ in orders:
        shipped_order(desk, order_id, store, buyer, seller)
    desk.clock.advance(days=6)
    ids = {}
    for order_id, _, _, _, buyer_role in orders:
        r = desk.post(
            buyer_role,
            f"/orders/{order_id}/disputes",
            {
                "reason": "not_as_described.quality_issue",
                "goods_received": True,
                "plan": {"type": "refund_only", "amount": "80.00"},
            },
        )
        assert r.status_code == 201, r.json()
        ids["d" + order_id[1:]] = r.json()["id"]
    desk.clock.advance(days=4)  # day 5: the buyer may escalate, the seller's window is open
    for did, buyer in ((ids["d10"], "buyer"), (ids["d20"], "buyer2")):
        assert desk.post(buyer, f"/disputes/{did}/escalate").status_code == 200
    return ids


# Which roles see shop1/B1's escalated order O10; everyone else gets 404.
SEES_O10 = {"seller", "agent", "buyer", "arbitrator", "admin"}
SEES_O11 = {"seller", "agent", "buyer", "admin"}  # not escalated: no arbitrator


def test_authorization_matrix(desk: Desk) -> None:
    ids = _setup_matrix(desk)
    reads = [
        ("/orders/O10", SEES_O10),
        ("/orders/O11", SEES_O11),
        (f"/disputes/{ids['d10']}", SEES_O10),
        (f"/disputes/{ids['d11']}", SEES_O11),
        ("/orders/O10/tracking", SEES_O10),
        ("/orders/O11/tracking", SEES_O11),
        ("/orders/O10/messages", SEES_O10 - {"admin"} | {"admin"}),
        ("/orders/O11/messages", SEES_O11),
        ("/stores/shop1", {"seller", "agent", "admin"}),
        ("/stores/shop1/webhooks", {"seller", "admin"}),
    ]
    for path, allowed in reads:
        for role in ROLES:
            code = desk.get(role, path).status_code
            if role in allowed:
                assert code == 200, (path, role, code)
            else:
                assert code in (403, 404), (path, role, code)
    # lists are scoped
    listed = {
        role: sorted(o["id"] for o in desk.get(role, "/orders").json()["items"]) for role in ROLES
    }
    assert listed["buyer"] == listed["seller"] == listed["agent"] == ["O10", "O11"]
    assert listed["buyer2"] == listed["seller2"] == ["O20"]
    assert listed["arbitrator"] == ["O10", "O20"]
    assert listed["admin"] == ["O10", "O11", "O20"]
    disputes = {
        role: sorted(d["id"] for d in desk.get(role, "/disputes").json()["items"]) for role in ROLES
    }
    assert disputes["arbitrator"] == sorted([ids["d10"], ids["d20"]])
    assert disputes["buyer2"] == [ids["d20"]]
    # every action on someone else's object is not_found, whoever asks
    actions = [
        ("/orders/{o}/ship", {"carrier": "c", "tracking_number": "t"}),
        ("/orders/{o}/extend-delivery", {"days": 1}),
        ("/orders/{o}/confirm-receipt", None),
        ("/orders/{o}/tracking", {"status": "in_transit"}),
        ("/orders/{o}/messages", {"body": "hi"}),
        (
            "/orders/{o}/disputes",
            {
                "reason": "not_received.in_transit",
                "goods_received": False,
                "plan": {"type": "refund_only", "amount": "1.00"},
            },
        ),
        ("/disputes/{d}/modify", {"plan": {"type": "refund_only", "amount": "1.00"}}),
        ("/disputes/{d}/accept", None),
        ("/disputes/{d}/reject", {"note": ""}),
        ("/disputes/{d}/propose", {"plan": {"type": "refund_only", "amount": "1.00"}}),
        ("/disputes/{d}/cancel", None),
        ("/disputes/{d}/escalate", {}),
        ("/disputes/{d}/ship-return", {"carrier": "c", "tracking_number": "t"}),
        ("/disputes/{d}/confirm-return-received", None),
        ("/disputes/{d}/give-up-return", None),
        ("/disputes/{d}/ship-replacement", {"carrier": "c", "tracking_number": "t"}),
        ("/disputes/{d}/intervene", None),
        (
            "/disputes/{d}/rule",
            {"refund_amount": "0", "responsibility": "none", "reason": "Nobody is at fault"},
        ),
    ]
    for template, body in actions:
        own = template.format(o="O11", d=ids["d11"])
        for role in ("seller2", "buyer2", "arbitrator"):
            r = desk.post(role, own, body)
            assert r.status_code == 404, (own, role, r.status_code)
    # on their own object each role gets past visibility: any answer but 404
    for template, body in actions:
        for role in ("seller", "buyer"):
            path = template.format(o="O11", d=ids["d11"])
            r = desk.post(role, path, body)
            assert r.status_code != 404, (path, role, r.json())
    # a seller of another store may not create orders for shop1; a buyer may not at all
    assert new_order(desk, "X9", role="seller2").status_code == 404
    assert new_order(desk, "X9", role="buyer").status_code == 403


# -- webhooks to a real local HTTP server --------------------------------------------------------


class Receiver:
    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.received: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback_desk(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    """A desk whose operator allows webhook targets on private addresses: the receivers here
    listen on 127.0.0.1."""
    monkeypatch.setenv("DISPUTEDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
    d = make_desk(db, tmp_path)
    yield d
    d.client.close()


def test_webhooks_are_signed_delivered_retried_and_logged(loopback_desk: Desk) -> None:
    desk = loopback_desk
    receiver, failing = Receiver(200), Receiver(500)
    try:
        good = desk.post("seller", "/stores/shop1/webhooks", {"url": receiver.url})
        assert good.status_code == 201 and good.json()["secret"].startswith("whsec_")
        bad = desk.post("seller", "/stores/shop1/webhooks", {"url": failing.url})
        assert (
            desk.post("agent", "/stores/shop1/webhooks", {"url": receiver.url}).status_code == 403
        )
        assert "secret" not in desk.get("seller", "/stores/shop1/webhooks").json()["items"][0]
        shipped_order_with_dispute(desk, "O30")
        post = webhooks.http_poster(timeout=5, allow_private=True)
        report = webhooks.run_once(desk.db, desk.clock.now, post, allow_private=True)
        # two events (ship, open_dispute) to two subscriptions: one receiver answers 200
        assert (report.fanned_out, report.attempted, report.delivered) == (2, 4, 2)
        topics = [json.loads(body)["topic"] for _, body in receiver.received]
        assert topics == ["order.ship", "dispute.open_dispute"]
        secret = good.json()["secret"]
        for headers, body in receiver.received:
            assert headers["x-disputedesk-event-id"] == str(json.loads(body)["id"])
            assert webhooks.verify(
                secret,
                headers["x-disputedesk-signature"],
                body,
                now=int(desk.clock.now.timestamp()),
            )
            assert not webhooks.verify(
                secret,
                headers["x-disputedesk-signature"],
                body + b" ",
                now=int(desk.clock.now.timestamp()),
            )
        # the failing receiver is retried later with backoff, each attempt logged
        again = webhooks.run_once(desk.db, desk.clock.now, post, allow_private=True)
        assert again.attempted == 0  # nothing is due yet
        desk.clock.advance(seconds=31)
        again = webhooks.run_once(desk.db, desk.clock.now, post, allow_private=True)
        assert (again.attempted, again.delivered) == (2, 0)
        assert len(failing.received) == 4
        log = desk.get("seller", f"/stores/shop1/webhooks/{bad.json()['id']}/deliveries").json()[
            "items"
        ]
        assert all(d["status"] == "pending" and d["attempts"] == 2 for d in log)
        assert all(a["status_code"] == 500 for d in log for a in d["log"])
        # after a day of failures a delivery is given up
        desk.clock.advance(days=1, seconds=1)
        webhooks.run_once(desk.db, desk.clock.now, post, allow_private=True)
        log = desk.get("seller", f"/stores/shop1/webhooks/{bad.json()['id']}/deliveries").json()[
            "items"
        ]
        assert {d["status"] for d in log} == {"failed"}
        assert (
            desk.get("agent", f"/stores/shop1/webhooks/{bad.json()['id']}/deliveries").status_code
            == 403
        )
    finally:
        receiver.close()
        failing.close()
