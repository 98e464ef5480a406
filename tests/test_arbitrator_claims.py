"""Arbitrators (issue 12, item 14): the queue's filters (reason, country, overdue) on the desk
and `GET /disputes`; claiming a case so that two arbitrators never work one (another's
intervene and rule are 409 "claimed by ..."; a ruling releases it); a written reason with every
ruling, required at the API and the desk, shown to both parties. On each database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api_support import Desk
from disputedesk.services import accounts, commands
from disputedesk.services.accounts import create_token, create_user
from disputedesk.services.orders import check_order, create_order
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from web_support import WebDesk, csrf_of, make_web_desk, sign_in


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: what these tests check is who may act, not the hashing."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        accounts,
        "_password_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


@dataclass
class Bench:
    web: WebDesk
    api: Desk

    def arb2(self) -> TestClient:
        client = self.web.client()
        assert sign_in(client, "arb2@platform.test", "arb2-pass-1").status_code == 303
        return client


@pytest.fixture
def bench(db: Database, tmp_path: Path) -> Iterator[Bench]:
    web = make_web_desk(db, tmp_path)
    create_user(
        db, email="arb2@platform.test", name="Mei", role="arbitrator", password="arb2-pass-1"
    )
    emails = {
        "seller": "seller@shop1.test",
        "buyer": "buyer@b1.test",
        "arbitrator": "arb@platform.test",
        "arbitrator2": "arb2@platform.test",
        "admin": "admin@platform.test",
    }
    tokens = {role: create_token(db, email=email).token for role, email in emails.items()}
    client = TestClient(web.app, base_url="https://testserver")
    yield Bench(web, Desk(db, client, web.clock, tokens, tmp_path / "data"))
    client.close()


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def escalated(bench: Bench, order_id: str, *, country: str = "ES", reason: str = "") -> str:
    """An order to `country`, its dispute rejected by the seller and escalated by the buyer."""
    web = bench.web
    placed = web.clock.now - timedelta(days=7)
    create_order(
        web.db,
        check_order(
            {
                "id": order_id,
                "store_id": "shop1",
                "buyer_id": "B1",
                "amount": "40.00",
                "shipping": "5.00",
                "currency": "USD",
                "placed_at": placed.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "promised_delivery_days": 20,
                "destination_country": country,
            }
        ),
        now=placed,
    )
    commands.ship(web.db, order_id, carrier="Cainiao", tracking_number="LP1", at=placed)
    api = bench.api
    body = {
        "reason": reason or "not_as_described.damaged",
        "goods_received": True,
        "plan": {"type": "refund_only", "amount": "30.00"},
    }
    did = ok(api.post("buyer", f"/orders/{order_id}/disputes", body), 201)["id"]
    ok(api.post("seller", f"/disputes/{did}/reject", {"note": "it was fine"}))
    ok(api.post("buyer", f"/disputes/{did}/escalate", {}))
    return did


RULING = {
    "refund_amount": "30.00",
    "responsibility": "seller",
    "reason": "The photos show the screen cracked on arrival; the seller sent no proof.",
}


def test_two_arbitrators_one_case_the_claim_decides_and_a_ruling_releases_it(
    bench: Bench,
) -> None:
    api = bench.api
    did = escalated(bench, "C1")
    # the first arbitrator claims; the second cannot claim, intervene or rule
    claimed = ok(api.post("arbitrator", f"/disputes/{did}/claim"))
    assert claimed["claim"]["arbitrator"] == "Arb"
    assert ok(api.post("arbitrator", f"/disputes/{did}/claim"))["claim"]["arbitrator"] == "Arb"
    for path in ("claim", "intervene", "release"):
        refused = api.post("arbitrator2", f"/disputes/{did}/{path}")
        assert refused.status_code == 409, path
        assert "claimed by Arb" in refused.json()["detail"]
    listed = ok(api.get("arbitrator2", "/disputes"))["items"]
    assert listed[0]["claim"]["arbitrator"] == "Arb"
    assert "claim" not in ok(api.get("seller", "/disputes"))["items"][0]  # staff: not shown
    assert api.post("seller", f"/disputes/{did}/claim").status_code == 403
    # the holder works it; a ruling needs its written reason
    ok(api.post("arbitrator", f"/disputes/{did}/intervene"))
    assert api.post("arbitrator2", f"/disputes/{did}/rule", RULING).status_code == 409
    bare = {k: v for k, v in RULING.items() if k != "reason"}
    assert api.post("arbitrator", f"/disputes/{did}/rule", bare).status_code == 422
    blank = {**RULING, "reason": "   "}
    assert api.post("arbitrator", f"/disputes/{did}/rule", blank).status_code == 422
    ruled = ok(api.post("arbitrator", f"/disputes/{did}/rule", RULING))
    assert ruled["status"] == "closed" and ruled["claim"] is None
    with bench.web.db.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(t.case_claims)) == 0
    # both parties read the reason, and who ruled
    for party in ("buyer", "seller"):
        view = ok(api.get(party, f"/disputes/{did}"))
        assert view["ruling_reason"] == RULING["reason"]
        rule = next(e for e in view["history"] if e["action"] == "rule")
        assert rule["data"]["reason"] == RULING["reason"]
        assert rule["performed_by"] == {"name": "Arb", "role": "arbitrator"}

    # intervening on an unclaimed case claims it; its holder (or an operator) releases it
    other = escalated(bench, "C2")
    ok(api.post("arbitrator2", f"/disputes/{other}/intervene"))
    assert ok(api.get("arbitrator", f"/disputes/{other}"))["claim"]["arbitrator"] == "Mei"
    assert api.post("arbitrator", f"/disputes/{other}/rule", RULING).status_code == 409
    ok(api.post("admin", f"/disputes/{other}/release"))
    ok(api.post("arbitrator", f"/disputes/{other}/claim"))
    ok(api.post("arbitrator", f"/disputes/{other}/release"))
    assert ok(api.get("arbitrator2", f"/disputes/{other}"))["claim"] is None
    assert api.post("arbitrator", "/disputes/C9-D1/claim").status_code == 404


def test_the_api_lists_overdue_cases_and_filters_by_reason_and_country(bench: Bench) -> None:
    api = bench.api
    first = escalated(bench, "Q1", country="BR")
    bench.web.clock.advance(days=1)
    second = escalated(bench, "Q2", country="ES", reason="not_as_described.wrong_item")
    assert ok(api.get("arbitrator", "/disputes?overdue=true"))["items"] == []
    bench.web.clock.advance(days=3)  # 2 working days past the first escalation at least
    overdue = ok(api.get("arbitrator", "/disputes?overdue=true"))["items"]
    assert first in [i["id"] for i in overdue]
    ok(api.post("arbitrator", f"/disputes/{first}/intervene"))  # picked up: no longer overdue
    overdue = [i["id"] for i in ok(api.get("arbitrator", "/disputes?overdue=true"))["items"]]
    assert first not in overdue
    by_country = ok(api.get("arbitrator", "/disputes?country=ES"))["items"]
    assert [i["id"] for i in by_country] == [second]
    by_reason = ok(api.get("arbitrator", "/disputes?reason=not_as_described.wrong_item"))
    assert [i["id"] for i in by_reason["items"]] == [second]
    assert api.get("arbitrator", "/disputes?overdue=perhaps").status_code == 422


def test_the_desk_queue_filters_claims_and_the_case_page_refuses_another_arbitrator(
    bench: Bench,
) -> None:
    web = bench.web
    did = escalated(bench, "D1", country="BR")
    bench.web.clock.advance(days=1)
    later = escalated(bench, "D2", country="ES", reason="not_as_described.wrong_item")
    arb = web.login("arbitrator")
    queue = arb.get("/desk/queue")
    assert queue.status_code == 200 and f'id="claim-{did}"' in queue.text
    assert later in arb.get("/desk/queue?country=ES").text
    assert did not in arb.get("/desk/queue?country=ES").text
    only = arb.get("/desk/queue?reason=not_as_described.wrong_item").text
    assert later in only and f'data-dispute="{did}"' not in only
    assert f'data-dispute="{did}"' not in arb.get("/desk/queue?overdue=1").text
    bench.web.clock.advance(days=4)
    arb = web.login("arbitrator")  # a new session: the clock moved days on
    queue = arb.get("/desk/queue?overdue=1")
    assert f'data-dispute="{did}"' in queue.text
    # claim from the queue
    token = csrf_of(queue.text)
    taken = arb.post(
        f"/desk/disputes/{did}/claim", data={"csrf_token": token, "next": "/desk/queue"}
    )
    assert taken.status_code == 303 and taken.headers["location"].startswith("/desk/queue")
    mine = arb.get("/desk/queue?claimed=mine").text
    assert f'data-dispute="{did}"' in mine and f'data-dispute="{later}"' not in mine
    nobody = arb.get("/desk/queue?claimed=nobody").text
    assert f'data-dispute="{did}"' not in nobody and f'data-dispute="{later}"' in nobody
    # the other arbitrator: who holds it, and refusals in words
    mei = bench.arb2()
    page = mei.get(f"/desk/disputes/{did}")
    assert "Claimed by Arb since" in page.text and 'id="claim-case"' not in page.text
    token2 = csrf_of(page.text)
    refused = mei.post(f"/desk/disputes/{did}/intervene", data={"csrf_token": token2})
    assert refused.status_code == 409 and "Another arbitrator holds this case" in refused.text
    again = mei.post(f"/desk/disputes/{did}/claim", data={"csrf_token": token2})
    assert again.status_code == 409 and "claimed by Arb" in again.text
    zh = web.login("arbitrator", locale="zh_CN")
    assert "您自" in zh.get(f"/desk/disputes/{did}").text
    # the holder intervenes and rules, with the reason the form requires
    assert (
        arb.post(f"/desk/disputes/{did}/intervene", data={"csrf_token": token}).status_code == 303
    )
    form = {
        "csrf_token": token,
        "refund_amount": "30.00",
        "responsibility": "seller",
    }
    missing = arb.post(f"/desk/disputes/{did}/rule", data=form)
    assert missing.status_code == 422 and "Write the reason for the ruling" in missing.text
    reason = "The screen arrived cracked, as the buyer's photos show."
    assert (
        arb.post(f"/desk/disputes/{did}/rule", data={**form, "reason": reason}).status_code == 303
    )
    # both parties read it
    for party in ("buyer", "seller"):
        text = web.login(party).get(f"/desk/disputes/{did}").text
        assert reason.replace("'", "&#39;") in text
        assert "Arb (arbitrator)" in text
