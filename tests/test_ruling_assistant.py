"""The ruling assistant in the product (issue 15, items 3-5), on each database: each side's
evidence checklist in the dispute view and on the dispute page from the moment the dispute
opens; the advice for arbitrators and operators only (the API's `advice`, the case page's
card, the ruling form filled in from it); a ruling otherwise than advised needs `why_not`
(422 at the API, words on the page), and the ruling's `ruling_advice` row is written once, in
the ruling's own transaction; the agreement statistics on hand-made rulings (API and page);
and the service's advice equals `disputedesk advise` on the same case exported as a scenario.

The orders: 40.00 + 5.00 shipping (45.00 in all), placed and shipped 7 days before the clock."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api_support import Desk
from disputedesk.advice import advise_scenario
from disputedesk.rules.instants import format_instant
from disputedesk.services import accounts, commands
from disputedesk.services import advice as assistant
from disputedesk.services import tracking as tracking_service
from disputedesk.services.accounts import create_token, create_user
from disputedesk.services.orders import check_order, create_order
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from web_support import WebDesk, csrf_of, make_web_desk

EXE = str(Path(sys.executable).with_name("disputedesk"))
ADDRESS = {"recipient": "Ana Souza", "city": "Curitiba", "zip": "80010-000", "country": "BR"}


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: what these tests check is the advice, not the hashing."""
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

    @property
    def now(self) -> Any:
        return self.web.clock.now


@pytest.fixture
def bench(db: Database, tmp_path: Path) -> Iterator[Bench]:
    web = make_web_desk(db, tmp_path)
    create_user(db, email="arb2@platform.test", name="Mei", role="arbitrator")
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


def shipped(bench: Bench, order_id: str, **extra: Any) -> None:
    placed = bench.now - timedelta(days=7)
    create_order(
        bench.web.db,
        check_order(
            {
                "id": order_id,
                "store_id": "shop1",
                "buyer_id": "B1",
                "amount": "40.00",
                "shipping": "5.00",
                "currency": "USD",
                "placed_at": format_instant(placed),
                "promised_delivery_days": 20,
                "destination_country": "BR",
                "shipping_address": ADDRESS,
                **extra,
            }
        ),
        now=placed,
    )
    commands.ship(bench.web.db, order_id, carrier="Correios", tracking_number="LP1", at=placed)


def opened(bench: Bench, order_id: str, reason: str, amount: str = "30.00") -> str:
    shipped(bench, order_id)
    body = {
        "reason": reason,
        "goods_received": reason.startswith("not_as_described."),
        "plan": {"type": "refund_only", "amount": amount},
    }
    return ok(bench.api.post("buyer", f"/orders/{order_id}/disputes", body), 201)["id"]


def evidence(bench: Bench, order_id: str, actor: str, kind: str) -> None:
    result = commands.submit_evidence(
        bench.web.db, order_id, actor=actor, kind=kind, description=f"{kind} of it", at=bench.now
    )
    assert result.ok, result.refusal


def escalated(bench: Bench, order_id: str, reason: str, *, photo: bool = True) -> str:
    """Opened, the buyer's photos (or not), rejected by the seller, escalated by the buyer."""
    did = opened(bench, order_id, reason)
    if photo:
        evidence(bench, order_id, "buyer", "photo")
    ok(bench.api.post("seller", f"/disputes/{did}/reject", {"note": "it was fine"}))
    ok(bench.api.post("buyer", f"/disputes/{did}/escalate", {}))
    return did


def rows(db: Database) -> list[Any]:
    with db.engine.connect() as conn:
        return conn.execute(select(t.ruling_advice).order_by(t.ruling_advice.c.id)).all()


RULING = {"refund_amount": "20.00", "responsibility": "seller", "reason": "A partial refund."}


# -- the API ---------------------------------------------------------------------------------


def test_each_side_sees_its_checklist_and_only_arbitrators_the_advice(bench: Bench) -> None:
    api = bench.api
    did = opened(bench, "C1", "not_as_described.counterfeit")
    # from the moment it opens: the seller's brand authorization by its response deadline,
    # the buyer's photos (no deadline of the buyer's yet)
    answer_by = format_instant(bench.now + timedelta(days=5))
    for party in ("buyer", "seller"):
        view = ok(api.get(party, f"/disputes/{did}"))
        assert "advice" not in view and "ruling_advice" not in view
        assert [(r["side"], r["kinds"], r["present"], r["due"]) for r in view[
            "evidence_checklist"
        ]] == [
            ("seller", ["brand_authorization"], False, answer_by),
            ("buyer", ["photo", "video"], False, None),
        ]  # fmt: skip
        assert view["evidence_checklist"][0]["principle"] == 5
    assert api.get("arbitrator", f"/disputes/{did}").status_code == 404  # not escalated yet
    assert ok(api.get("admin", f"/disputes/{did}"))["advice"] is None  # not the platform's yet
    evidence(bench, "C1", "buyer", "photo")
    ok(api.post("seller", f"/disputes/{did}/reject", {"note": "genuine"}))
    ok(api.post("buyer", f"/disputes/{did}/escalate", {}))
    bench.web.clock.advance(hours=1)
    ok(api.post("arbitrator", f"/disputes/{did}/intervene"))
    evidence_by = format_instant(bench.now + timedelta(days=3))  # the evidence period's end
    for role in ("arbitrator", "admin"):
        view = ok(api.get(role, f"/disputes/{did}"))
        advice = view["advice"]
        assert (advice["principle"], advice["responsibility"], advice["refund_amount"]) == (
            5,
            "seller",
            "45.00",
        )
        assert advice["penalty_mark"] is True and advice["return_required"] is False
        assert "no brand authorization from the seller" in advice["facts"]
        assert view["ruling_advice"] is None
        seller_item, buyer_item = view["evidence_checklist"]
        assert (seller_item["present"], seller_item["due"]) == (False, evidence_by)
        assert buyer_item["present"] is True
    for party in ("buyer", "seller"):
        assert "advice" not in ok(api.get(party, f"/disputes/{did}"))
    schema = api.client.get("/openapi.json").json()
    rule_body = schema["components"]["schemas"]["RuleIn"]["properties"]
    assert {"followed_advice", "why_not"} <= set(rule_body)
    described = schema["paths"]["/disputes/{dispute_id}"]["get"]["description"]
    assert "evidence_checklist" in described and "ruling_advice" in described


def test_a_ruling_otherwise_than_advised_says_why_and_is_recorded_once(bench: Bench) -> None:
    api, db = bench.api, bench.web.db
    did = escalated(bench, "C1", "not_as_described.counterfeit")
    ok(api.post("arbitrator", f"/disputes/{did}/intervene"))
    # principle 5 advises seller, 45.00: 20.00 differs, so it needs why_not
    for body in (
        RULING,
        {**RULING, "why_not": "   "},
        {**RULING, "why_not": "Goodwill.", "followed_advice": True},
    ):
        refused = api.post("arbitrator", f"/disputes/{did}/rule", body)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem = refused.json()
        assert problem["code"] == "invalid_input"
        assert problem["detail"].split(":")[0] in ("why_not", "followed_advice")
    detail = api.post("arbitrator", f"/disputes/{did}/rule", RULING).json()["detail"]
    assert "principle 5 recommends" in detail
    assert rows(db) == []
    assert ok(api.get("buyer", f"/disputes/{did}"))["status"] == "awaiting_seller_evidence"
    why = "The buyer's photos show a genuine item with a damaged box: a partial refund."
    ruled = ok(api.post("arbitrator", f"/disputes/{did}/rule", {**RULING, "why_not": why}))
    assert ruled["status"] == "closed" and ruled["refund_amount"] == "20.00"
    (row,) = rows(db)
    assert (row.order_id, row.dispute_seq, row.principle, row.followed) == ("C1", 1, 5, False)
    assert row.why_not == why and row.ruled_by == "arb@platform.test"
    assert row.advice["principle"] == 5 and row.advice["refund_amount"] == "45.00"
    assert set(row.advice) == {
        "principle",
        "responsibility",
        "refund_amount",
        "return_required",
        "penalty_mark",
        "facts",
        "missing",
    }
    view = ok(api.get("arbitrator", f"/disputes/{did}"))
    assert view["advice"] == row.advice  # a ruled case shows the advice as it was
    assert (view["ruling_advice"]["followed"], view["ruling_advice"]["why_not"]) == (False, why)
    assert view["ruling_advice"]["ruled_by_name"] == "Arb"
    for party in ("buyer", "seller"):  # the parties never read why the advice was not followed
        text = api.get(party, f"/disputes/{did}").text
        assert why not in text and "why_not" not in text and "followed_advice" not in text
    # once: a second ruling is refused by the rules, and nothing more is recorded
    again = api.post("arbitrator", f"/disputes/{did}/rule", {**RULING, "why_not": why})
    assert again.status_code == 409 and len(rows(db)) == 1

    # following the advice: principle 7, the buyer's plan amount
    followed = escalated(bench, "C2", "not_as_described.damaged")
    ok(api.post("arbitrator2", f"/disputes/{followed}/intervene"))
    assert ok(api.get("arbitrator2", f"/disputes/{followed}"))["advice"]["principle"] == 7
    advised = {"refund_amount": "30", "responsibility": "seller", "reason": "As the photos show."}
    wrong = api.post(
        "arbitrator2", f"/disputes/{followed}/rule", {**advised, "followed_advice": False}
    )
    assert wrong.status_code == 422 and "followed_advice" in wrong.json()["detail"]
    ok(api.post("arbitrator2", f"/disputes/{followed}/rule", {**advised, "followed_advice": True}))
    row = rows(db)[-1]
    assert (row.order_id, row.principle, row.followed, row.why_not) == ("C2", 7, True, None)
    assert row.ruled_by == "arb2@platform.test"

    # no principle applies (no photos from the buyer): nothing to follow, no why_not needed
    bare = escalated(bench, "C3", "not_as_described.damaged", photo=False)
    ok(api.post("arbitrator", f"/disputes/{bare}/intervene"))
    advice = ok(api.get("arbitrator", f"/disputes/{bare}"))["advice"]
    assert advice["principle"] is None and "photos or video" in advice["missing"][0]
    claimed = api.post("arbitrator", f"/disputes/{bare}/rule", {**RULING, "followed_advice": True})
    assert claimed.status_code == 422 and "no principle applies" in claimed.json()["detail"]
    ok(api.post("arbitrator", f"/disputes/{bare}/rule", {**RULING, "followed_advice": False}))
    row = rows(db)[-1]
    assert (row.order_id, row.principle, row.followed, row.why_not) == ("C3", None, False, None)


def test_a_ruling_and_its_record_are_one_transaction(bench: Bench) -> None:
    """What is written with a command (`also`) is all or nothing with it."""
    db = bench.web.db
    shipped(bench, "T1")
    with db.engine.connect() as conn:
        before = conn.scalar(select(func.count()).select_from(t.events))

    def boom(conn: Any, result: Any) -> None:
        raise RuntimeError("the record could not be written")

    with pytest.raises(RuntimeError):
        commands.execute(db, "T1", "seller", "extend_delivery", {"days": 3}, bench.now, also=boom)
    with db.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(t.events)) == before
        assert conn.scalar(
            select(t.orders.c.delivery_extension_days).where(t.orders.c.id == "T1")
        ) == 0  # fmt: skip


def _three_rulings(bench: Bench) -> tuple[str, str, str]:
    """C1 (Arb, principle 5, not followed), C2 (Mei, principle 7, followed), C3 (Arb, no
    principle), ruled an hour apart."""
    api = bench.api
    c1 = escalated(bench, "C1", "not_as_described.counterfeit")
    c2 = escalated(bench, "C2", "not_as_described.damaged")
    c3 = escalated(bench, "C3", "not_as_described.damaged", photo=False)
    for did, who in ((c1, "arbitrator"), (c2, "arbitrator2"), (c3, "arbitrator")):
        ok(api.post(who, f"/disputes/{did}/intervene"))
    ok(api.post("arbitrator", f"/disputes/{c1}/rule", {**RULING, "why_not": "A genuine item."}))
    bench.web.clock.advance(hours=1)
    followed = {"refund_amount": "30.00", "responsibility": "seller", "reason": "Photos."}
    ok(api.post("arbitrator2", f"/disputes/{c2}/rule", followed))
    bench.web.clock.advance(hours=1)
    ok(api.post("arbitrator", f"/disputes/{c3}/rule", RULING))
    return c1, c2, c3


def test_agreement_statistics_per_principle_and_per_arbitrator(bench: Bench) -> None:
    api = bench.api
    c1, c2, c3 = _three_rulings(bench)
    report = ok(api.get("admin", "/operator/advice-agreement"))
    total = report["total"]
    assert (total["rulings"], total["with_advice"], total["followed"], total["share"]) == (
        3,
        2,
        1,
        0.5,
    )
    assert total["cases"] == {"followed": [c2], "not_followed": [c1], "no_principle": [c3]}
    by_principle = {p["principle"]: p for p in report["by_principle"]}
    assert list(by_principle) == [5, 7, None]
    assert (by_principle[5]["share"], by_principle[5]["cases"]["not_followed"]) == (0.0, [c1])
    assert (by_principle[7]["share"], by_principle[7]["cases"]["followed"]) == (1.0, [c2])
    assert (by_principle[None]["share"], by_principle[None]["no_principle"]) == (None, 1)
    by_arbitrator = {a["arbitrator"]: a for a in report["by_arbitrator"]}
    arb, mei = by_arbitrator["arb@platform.test"], by_arbitrator["arb2@platform.test"]
    assert (arb["name"], arb["rulings"], arb["share"], arb["no_principle"]) == ("Arb", 2, 0.0, 1)
    assert (mei["name"], mei["rulings"], mei["share"]) == ("Mei", 1, 1.0)
    assert [r["dispute_id"] for r in report["rulings"]] == [c1, c2, c3]
    assert report["rulings"][0]["why_not"] == "A genuine item."
    # a period without them; who may ask; bad periods
    later = format_instant(bench.now + timedelta(days=1))
    much_later = format_instant(bench.now + timedelta(days=2))
    empty = ok(
        api.get("admin", "/operator/advice-agreement", params={"from": later, "to": much_later})
    )
    assert empty["total"]["rulings"] == 0 and empty["by_principle"] == []
    assert api.get("arbitrator", "/operator/advice-agreement").status_code == 403
    assert api.get("seller", "/operator/advice-agreement").status_code == 403
    for params in ({"period": "30x"}, {"from": later}, {"from": much_later, "to": later}):
        assert api.get("admin", "/operator/advice-agreement", params=params).status_code == 422

    # the operators' page: each figure links to its cases
    admin = bench.web.login("admin")
    page = admin.get("/desk/operator/ruling-agreement")
    assert page.status_code == 200, page.text
    html = page.text
    assert 'data-principle="5"' in html and 'data-arbitrator="arb2@platform.test"' in html
    assert "50% followed" in html and "no advice to follow" in html
    link = "/desk/operator/ruling-agreement?period=90d&amp;principle=5&amp;which=not_followed#cases"
    assert link in html
    cases = admin.get(link.replace("&amp;", "&").split("#")[0]).text
    listed = cases.split('id="agreement-cases"')[1]
    assert f'data-case="{c1}"' in listed and f'data-case="{c2}"' not in listed
    assert "A genuine item." in listed and "Rulings that did not follow the advice" in cases
    zh = bench.web.login("admin", locale="zh_CN").get("/desk/operator/ruling-agreement").text
    assert "裁决与建议一致率" in zh and "采纳 50%" in zh
    assert bench.web.login("arbitrator").get("/desk/operator/ruling-agreement").status_code == 403


# -- the pages --------------------------------------------------------------------------------


def test_the_pages_show_the_checklist_the_advice_and_a_ruling_form_from_it(bench: Bench) -> None:
    web = bench.web
    did = escalated(bench, "C1", "not_as_described.counterfeit")
    buyer = web.login("buyer").get(f"/desk/disputes/{did}").text
    checklist = buyer.split('id="evidence-checklist"')[1].split("</section>")[0]
    assert "Evidence this case needs" in checklist and "Your evidence" in checklist
    assert checklist.index("Your evidence") < checklist.index("The seller&#39;s evidence")
    assert "Brand authorization" in checklist and "Missing" in checklist and "Present" in checklist
    assert 'id="advice"' not in buyer
    seller = web.login("seller", locale="zh_CN").get(f"/desk/disputes/{did}").text
    assert "本案所需证据" in seller and "品牌授权" in seller and 'id="advice"' not in seller

    arbitrator = web.login("arbitrator")
    token = csrf_of(arbitrator.get(f"/desk/disputes/{did}").text)
    assert arbitrator.post(
        f"/desk/disputes/{did}/intervene", data={"csrf_token": token}
    ).status_code == 303  # fmt: skip
    page = arbitrator.get(f"/desk/disputes/{did}").text
    card = page.split('id="advice"')[1].split("</section>")[0]
    assert "Principle 5" in card and "brand authorization" in card
    assert "Reason: Counterfeit" in card or "Reason: " in card
    assert 'id="advice-refund">$45.00' in card and 'id="advice-penalty">yes' in card
    form = page.split('id="submit-rule"')[0].rsplit("<form", 1)[1]
    assert 'id="rule-amount" inputmode="decimal" required value="45.00"' in form
    assert '<option value="seller" selected>' in form and 'id="rule-why-not"' in form
    assert "Filled in with the advice (principle 5)" in page
    # otherwise than advised, without saying why: refused in words, what was typed kept
    ruling = {"csrf_token": token, "refund_amount": "20.00", "responsibility": "seller"}
    typed = "The item is genuine; the box was damaged."
    refused = arbitrator.post(f"/desk/disputes/{did}/rule", data={**ruling, "reason": typed})
    assert refused.status_code == 422
    assert "Your ruling differs from the advice (principle 5) in: refund amount" in refused.text
    assert 'value="20.00"' in refused.text and typed.replace("'", "&#39;") in refused.text
    assert rows(web.db) == []
    done = arbitrator.post(
        f"/desk/disputes/{did}/rule",
        data={**ruling, "reason": typed, "why_not": "A genuine item: a partial refund."},
    )
    assert done.status_code == 303, done.text
    (row,) = rows(web.db)
    assert (row.principle, row.followed, row.why_not) == (
        5,
        False,
        "A genuine item: a partial refund.",
    )
    ruled = arbitrator.get(f"/desk/disputes/{did}").text
    recorded = ruled.split('id="advice"')[1].split("</section>")[0]
    assert "The advice at the ruling" in recorded and "did not follow the advice" in recorded
    assert "A genuine item: a partial refund." in recorded
    # the parties read the ruling's reason, never why the advice was not followed
    assert "A genuine item: a partial" not in web.login("buyer").get(f"/desk/disputes/{did}").text


# -- the same advice as `disputedesk advise` ------------------------------------------------------


def _scan(description: str, at: Any, number: str, **fields: Any) -> Any:
    raw = {
        "description": description,
        "carrier": "Correios",
        "at": format_instant(at),
        "tracking_number": number,
        **fields,
    }
    return tracking_service.check_event(raw)


def test_the_service_advises_as_the_command_does_on_the_case_exported(bench: Bench) -> None:
    db, api = bench.web.db, bench.api
    # principle 4: delivered to another city, no delivery note
    did = opened(bench, "NR1", "not_received.delivered_not_received", amount="45.00")
    tracking_service.ingest(
        db,
        "NR1",
        [
            _scan("Objeto postado", bench.now - timedelta(days=6), "LP1"),
            _scan(
                "Objeto entregue ao destinatário",
                bench.now - timedelta(days=2),
                "LP1",
                location={"city": "Londrina", "zip": "86010000", "country": "BR"},
                extra={"signed_by": "A SOUZA"},
            ),
        ],
        source="manual",
        now=bench.now,
    )
    # principle 8: the seller escalated a return the carrier delivered back to it
    shipped(bench, "RT1")
    plan = {"type": "return_and_refund", "amount": "45.00"}
    body = {"reason": "not_as_described.damaged", "goods_received": True, "plan": plan}
    returned = ok(api.post("buyer", "/orders/RT1/disputes", body), 201)["id"]
    ok(api.post("seller", f"/disputes/{returned}/accept"))
    ship_back = {"carrier": "Correios", "tracking_number": "RB1BR"}
    ok(api.post("buyer", f"/disputes/{returned}/ship-return", ship_back))
    bench.web.clock.advance(days=2)
    ok(api.post("seller", f"/disputes/{returned}/escalate", {"note": "not our item"}))
    tracking_service.ingest(
        db, "RT1", [_scan("Delivered", bench.now - timedelta(hours=5), "RB1BR")], source="manual"
    )
    bench.web.clock.advance(hours=1)
    now = bench.now
    for order_id, principle in (("NR1", 4), ("RT1", 8)):
        advice, _checklist = assistant.case_advice(db, order_id, now)
        assert advice.principle == principle, advice
        doc = assistant.scenario_of(db, order_id, now)
        assert advise_scenario(doc).to_json() == advice.to_json()
        printed = subprocess.run(
            [EXE, "advise", "-"], input=json.dumps(doc), capture_output=True, text=True, timeout=60
        )
        assert printed.returncode == 0, printed.stderr
        assert json.loads(printed.stdout) == advice.to_json()
    assert ok(api.get("admin", f"/disputes/{did}"))["advice"] is None  # never escalated
    view = ok(api.get("arbitrator", f"/disputes/{returned}"))
    assert view["advice"] == assistant.case_advice(db, "RT1", now)[0].to_json()


def test_no_dispute_no_advice(bench: Bench) -> None:
    """`case_advice` of an order without a dispute, or of no such order: not_found."""
    shipped(bench, "P1")
    for order_id in ("P1", "NOPE"):
        with pytest.raises(commands.ServiceError) as refused:
            assistant.case_advice(bench.web.db, order_id, bench.now)
        assert refused.value.code == "not_found"
