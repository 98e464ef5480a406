"""The operator's console (issue 14, items 4 and 5), on each database: a suspended user cannot
sign in, their tokens are refused and their sessions end; a suspended store's staff read but
every command they send is refused, while the worker's automatic steps still fire; an operator
suspends neither themself nor the last active operator; a password link works once, expires,
and ends the user's sessions; tokens are revoked (all, or one by prefix); the arbitration
desk's health on hand-made cases; the API for operators only; the console's pages end to end
(confirmation steps, a form sent twice, words for every refusal); the buyer flag on the
arbitrators' queue and case page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api_support import Desk
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.services import accounts, claims, commands, malicious, operators, worker
from disputedesk.services.accounts import (
    AccountSuspended,
    authenticate_password,
    authenticate_token,
    create_token,
    create_user,
    principal_by_email,
)
from disputedesk.services.commands import ServiceError
from disputedesk.services.orders import check_order, create_order
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.web import i18n
from web_support import PASSWORDS, WebDesk, csrf_of, make_web_desk, post_form, sign_in


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: these tests check who may act, not the hashing."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        accounts,
        "_password_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


EMAILS = {
    "seller": "seller@shop1.test",
    "seller2": "seller@shop2.test",
    "buyer": "buyer@b1.test",
    "arbitrator": "arb@platform.test",
    "arbitrator2": "arb2@platform.test",
    "admin": "admin@platform.test",
}


@dataclass
class Bench:
    web: WebDesk
    api: Desk

    @property
    def db(self) -> Database:
        return self.web.db

    def principal(self, role: str) -> accounts.Principal:
        return principal_by_email(self.db, EMAILS[role])

    def user_id(self, role: str) -> int:
        return self.principal(role).user_id


@pytest.fixture
def bench(db: Database, tmp_path: Path) -> Iterator[Bench]:
    web = make_web_desk(db, tmp_path)
    create_user(
        db, email="arb2@platform.test", name="Mei", role="arbitrator", password="arb2-pass-1"
    )
    tokens = {role: create_token(db, email=email).token for role, email in EMAILS.items()}
    client = TestClient(web.app, base_url="https://testserver")
    yield Bench(web, Desk(db, client, web.clock, tokens, tmp_path / "data"))
    client.close()


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    return body


def words(key: str, **params: Any) -> str:
    """The catalog's English words, as a page escapes them."""
    from markupsafe import escape

    return str(escape(i18n.text("en", key, **params)))


def order_for(bench: Bench, order_id: str, *, placed_days_ago: float = 9, store: str = "shop1"):
    web = bench.web
    placed = web.clock.now - timedelta(days=placed_days_ago)
    create_order(
        web.db,
        check_order(
            {
                "id": order_id,
                "store_id": store,
                "buyer_id": "B1",
                "amount": "40.00",
                "shipping": "5.00",
                "currency": "USD",
                "placed_at": placed.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "promised_delivery_days": 20,
                "destination_country": "ES",
            }
        ),
        now=placed,
    )
    return placed


def disputed(bench: Bench, order_id: str, *, store: str = "shop1") -> str:
    """A shipped order of B1 with a dispute awaiting the seller's answer (opened now)."""
    placed = order_for(bench, order_id, store=store)
    commands.ship(bench.db, order_id, carrier="Cainiao", tracking_number="LP1", at=placed)
    body = {
        "reason": "not_as_described.damaged",
        "goods_received": True,
        "plan": {"type": "refund_only", "amount": "30.00"},
    }
    return ok(bench.api.post("buyer", f"/orders/{order_id}/disputes", body), 201)["id"]


# -- suspended users ----------------------------------------------------------------------------


def test_a_suspended_user_cannot_sign_in_their_token_is_refused_and_sessions_end(
    bench: Bench,
) -> None:
    web, api, db = bench.web, bench.api, bench.db
    browser = web.login("seller")
    assert browser.get("/desk/inbox").status_code == 200
    assert ok(api.get("seller", "/me"))["email"] == EMAILS["seller"]
    seller = bench.user_id("seller")

    line = operators.suspend_user(
        db, bench.principal("admin"), seller, reason="Chargeback fraud", now=web.clock.now
    )
    assert line.suspended and line.suspended_by == EMAILS["admin"]
    assert line.suspended_reason == "Chargeback fraud"
    # the open session ended at once: the next page asks to sign in
    gone = browser.get("/desk/inbox")
    assert gone.status_code == 303 and gone.headers["location"].startswith("/desk/login")
    assert operators.get_user(db, seller, now=web.clock.now).live_sessions == 0
    # the right password says the account is suspended (a wrong one says nothing more)
    email, password = PASSWORDS["seller"]
    refused = sign_in(web.client(), email, password)
    assert refused.status_code == 403
    assert words("login.suspended", reason="Chargeback fraud") in refused.text
    wrong = sign_in(web.client(), email, "not-the-password")
    assert wrong.status_code == 401 and "suspended" not in wrong.text
    with pytest.raises(AccountSuspended):
        authenticate_password(db, email, password)
    # the API token answers 403, and the idempotency path does not let it through either
    problem(api.get("seller", "/me"), 403, "forbidden")
    assert authenticate_token(db, api.tokens["seller"]) is None
    keyed = api.post(
        "seller", "/stores", {"id": "shopx", "name": "X"}, headers={"Idempotency-Key": "k1"}
    )
    problem(keyed, 403, "forbidden")

    operators.unsuspend_user(db, bench.principal("admin"), seller, now=web.clock.now)
    assert ok(api.get("seller", "/me"))["email"] == EMAILS["seller"]
    assert sign_in(web.client(), email, password).status_code == 303


def test_an_operator_suspends_neither_themself_nor_the_last_active_operator(
    bench: Bench,
) -> None:
    db, now = bench.db, bench.web.clock.now
    admin = bench.principal("admin")
    with pytest.raises(operators.Refusal) as me:
        operators.suspend_user(db, admin, admin.user_id, reason="x", now=now)
    assert me.value.code == "forbidden" and me.value.rule == "self"
    second = create_user(db, email="ops2@platform.test", name="Ops Two", role="admin")
    # with two active operators, one may suspend the other
    operators.suspend_user(db, admin, second.user_id, reason="on leave", now=now)
    # the suspended one (a principal read before its suspension) cannot suspend the last one
    with pytest.raises(operators.Refusal) as last:
        operators.suspend_user(db, second, admin.user_id, reason="coup", now=now)
    assert last.value.code == "forbidden" and last.value.rule == "last_operator"
    assert not operators.get_user(db, admin.user_id).user.suspended
    # twice is invalid_state; a reason is required; non-operators are refused
    with pytest.raises(operators.Refusal) as twice:
        operators.suspend_user(db, admin, second.user_id, reason="again", now=now)
    assert twice.value.code == "invalid_state"
    with pytest.raises(operators.Refusal) as blank:
        operators.suspend_user(db, admin, bench.user_id("buyer"), reason="  ", now=now)
    assert blank.value.rule == "reason_missing"
    with pytest.raises(ServiceError) as role:
        operators.suspend_user(
            db, bench.principal("seller"), bench.user_id("buyer"), reason="x", now=now
        )
    assert role.value.code == "forbidden"
    # the API says the same in problem+json
    api = bench.api
    problem(
        api.post("admin", f"/operator/users/{admin.user_id}/suspend", {"reason": "x"}),
        403,
        "forbidden",
    )
    problem(
        api.post("admin", f"/operator/users/{second.user_id}/suspend", {"reason": "x"}),
        409,
        "invalid_state",
    )
    problem(api.post("admin", "/operator/users/999999/suspend", {"reason": "x"}), 404, "not_found")


# -- suspended stores -----------------------------------------------------------------------------


def test_a_suspended_store_reads_but_refuses_every_command_and_its_deadlines_still_fire(
    bench: Bench,
) -> None:
    web, api, db = bench.web, bench.api, bench.db
    did = disputed(bench, "S1")
    order_for(bench, "S2")  # an order to ship
    other = disputed(bench, "T1", store="shop2")  # another store: not touched
    browser = web.login("seller")
    operators.suspend_store(
        db, bench.principal("admin"), "shop1", reason="Unpaid fees", now=web.clock.now
    )
    # reads: the API and the pages
    assert ok(api.get("seller", f"/disputes/{did}"))["status"] == "awaiting_seller_response"
    page = browser.get(f"/desk/disputes/{did}")
    assert page.status_code == 200
    assert words("op.seller.suspended", store="shop1", reason="Unpaid fees") in page.text
    assert f'action="/desk/disputes/{did}/reject"' not in page.text  # nothing is offered
    # every command is refused: a dispute's, an order's, at the API and the desk
    refused = problem(api.post("seller", f"/disputes/{did}/accept"), 403, "forbidden")
    assert "suspended" in refused["detail"] and "Unpaid fees" in refused["detail"]
    problem(
        api.post("seller", "/orders/S2/ship", {"carrier": "Cainiao", "tracking_number": "X1"}),
        403,
        "forbidden",
    )
    rejected = browser.post(
        f"/desk/disputes/{did}/reject",
        data={"csrf_token": csrf_of(page.text), "note": "no", "confirm": "yes"},
    )
    assert rejected.status_code == 403
    assert words("perm.denied.suspended", store="shop1", reason="Unpaid fees") in rejected.text
    order_page = browser.get("/desk/orders/S2")
    shipped = browser.post(
        "/desk/orders/S2/ship",
        data={"csrf_token": csrf_of(order_page.text), "carrier": "C", "tracking_number": "X2"},
    )
    assert shipped.status_code == 403
    assert words("perm.denied.suspended", store="shop1", reason="Unpaid fees") in shipped.text
    # the buyer and another store act as before
    ok(api.post("seller2", f"/disputes/{other}/reject", {"note": "no"}))
    # the deadline fires all the same: the seller's silence accepts the buyer's plan
    web.clock.advance(days=6)
    worker.sweep(db, web.clock.now)
    with db.engine.connect() as conn:
        loaded = repository.load(conn, "S1")
    assert loaded is not None
    assert loaded.state.disputes[0].status != DisputeStatus.AWAITING_SELLER_RESPONSE
    # lifted: the staff act again
    operators.unsuspend_store(db, bench.principal("admin"), "shop1", now=web.clock.now)
    ok(api.post("seller", "/orders/S2/ship", {"carrier": "Cainiao", "tracking_number": "X1"}))


# -- password links -------------------------------------------------------------------------------


def test_a_password_link_works_once_expires_and_ends_every_session(bench: Bench) -> None:
    web, db = bench.web, bench.db
    buyer = bench.user_id("buyer")
    browser = web.login("buyer")
    first = operators.reset_password(db, bench.principal("admin"), buyer, now=web.clock.now)
    made = operators.reset_password(db, bench.principal("admin"), buyer, now=web.clock.now)
    assert made.expires_at == web.clock.now + timedelta(hours=24)
    with db.engine.connect() as conn:  # kept only as its SHA-256
        stored = conn.scalars(select(t.password_resets.c.token_hash)).all()
    assert made.token not in stored and operators._hash(made.token) in stored
    # the newer link replaced the older one
    assert web.client().get(first.path()).status_code == 404
    anonymous = web.client()
    form = anonymous.get(made.path())
    assert form.status_code == 200 and EMAILS["buyer"] in form.text
    # the sign-up rules: 8 characters; the same twice
    short = anonymous.post(made.path(), data={"password": "short", "password_again": "short"})
    assert short.status_code == 422 and words("op.reset.password_rules") in short.text
    differ = anonymous.post(
        made.path(), data={"password": "new-pass-123", "password_again": "new-pass-124"}
    )
    assert differ.status_code == 422 and words("op.reset.mismatch") in differ.text
    done = anonymous.post(
        made.path(), data={"password": "new-pass-123", "password_again": "new-pass-123"}
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/desk/reset-done")
    assert web.client().get(done.headers["location"]).status_code == 200
    # every session ended; the old password is gone, the new one signs in
    assert browser.get("/desk/orders").status_code == 303
    assert sign_in(web.client(), EMAILS["buyer"], PASSWORDS["buyer"][1]).status_code == 401
    assert sign_in(web.client(), EMAILS["buyer"], "new-pass-123").status_code == 303
    # one use
    again = web.client().get(made.path())
    assert again.status_code == 404 and words("op.reset.invalid") in again.text
    with pytest.raises(ServiceError):
        operators.use_reset(db, made.token, "another-pass-1", now=web.clock.now)
    # expiry
    late = operators.reset_password(db, bench.principal("admin"), buyer, now=web.clock.now)
    web.clock.advance(hours=24)
    expired = web.client().get(late.path())
    assert expired.status_code == 410 and words("op.reset.expired") in expired.text
    with pytest.raises(ServiceError) as too_late:
        operators.use_reset(db, late.token, "another-pass-1", now=web.clock.now)
    assert too_late.value.code == "too_late"
    assert web.client().get("/desk/reset/" + "x" * 500).status_code == 404


# -- tokens ---------------------------------------------------------------------------------------


def test_tokens_are_revoked_all_or_one_by_prefix(bench: Bench) -> None:
    db, api, now = bench.db, bench.api, bench.web.clock.now
    seller = bench.user_id("seller")
    spare = create_token(db, email=EMAILS["seller"], name="erp")
    admin = bench.principal("admin")
    assert operators.revoke_tokens(db, admin, seller, prefix=spare.prefix, now=now) == 1
    assert authenticate_token(db, spare.token) is None
    assert ok(api.get("seller", "/me"))["role"] == "seller"  # the other still works
    with pytest.raises(operators.Refusal) as unknown:
        operators.revoke_tokens(db, admin, seller, prefix=spare.prefix, now=now)
    assert unknown.value.code == "not_found"
    body = ok(api.post("admin", f"/operator/users/{seller}/revoke-tokens"))
    assert body == {"user_id": seller, "revoked": 1}
    problem(api.get("seller", "/me"), 401, "unauthorized")
    detail = ok(api.get("admin", f"/operator/users/{seller}"))
    assert detail["active_tokens"] == 0
    assert {x["prefix"] for x in detail["tokens"]} >= {spare.prefix}
    problem(
        api.post("admin", f"/operator/users/{seller}/revoke-tokens", {"prefix": "ddt_nope"}),
        404,
        "not_found",
    )


# -- the API ---------------------------------------------------------------------------------------

OPERATOR_GETS = (
    "/operator/users",
    "/operator/users/1",
    "/operator/stores",
    "/operator/arbitration",
    "/operator/policy",
    "/operator/audit",
)


def test_the_operator_api_is_for_operators_only(bench: Bench) -> None:
    api = bench.api
    for role in ("seller", "buyer", "arbitrator"):
        for path in OPERATOR_GETS:
            problem(api.get(role, path), 403, "forbidden")
        problem(api.post(role, "/operator/stores", {"id": "x1", "name": "X"}), 403, "forbidden")
        problem(api.post(role, "/operator/users/1/password-reset"), 403, "forbidden")
    for path in OPERATOR_GETS:
        ok(api.get("admin", path))
    problem(api.client.get("/operator/users"), 401, "unauthorized")
    spec = api.client.get("/openapi.json").json()["paths"]
    for path in (
        "/operator/users",
        "/operator/users/{user_id}/suspend",
        "/operator/users/{user_id}/unsuspend",
        "/operator/users/{user_id}/password-reset",
        "/operator/users/{user_id}/revoke-tokens",
        "/operator/stores",
        "/operator/stores/{store_id}/suspend",
        "/operator/stores/{store_id}/unsuspend",
        "/operator/arbitration",
        "/operator/policy",
    ):
        assert path in spec, path


def test_operators_manage_users_and_stores_through_the_api(bench: Bench) -> None:
    api, web = bench.api, bench.web
    made = ok(
        api.post(
            "admin",
            "/operator/users",
            {"email": "New@Shop1.test", "name": "Nina", "role": "seller", "store_id": "shop1",
             "store_role": "agent"},
        ),
        201,
    )  # fmt: skip
    user = made["user"]
    assert user["email"] == "new@shop1.test" and user["stores"] == {"shop1": "agent"}
    assert not user["has_password"]
    link = made["password_link"]["link"]
    assert link.startswith("https://testserver/desk/reset/ddr_")
    path = link.removeprefix("https://testserver")
    set_it = web.client().post(
        path, data={"password": "nina-pass-1", "password_again": "nina-pass-1"}
    )
    assert set_it.status_code == 303
    assert sign_in(web.client(), "new@shop1.test", "nina-pass-1").status_code == 303
    problem(
        api.post("admin", "/operator/users", {"email": "new@shop1.test", "name": "N",
                                              "role": "buyer"}),
        409,
        "conflict",
    )  # fmt: skip
    problem(
        api.post("admin", "/operator/users", {"email": "x@y.test", "name": "N", "role": "seller",
                                              "store_id": "nosuch"}),
        404,
        "not_found",
    )  # fmt: skip
    with_password = ok(
        api.post("admin", "/operator/users", {"email": "arb3@platform.test", "name": "Arb 3",
                                              "role": "arbitrator", "password": "arb3-pass-1"}),
        201,
    )  # fmt: skip
    assert with_password["password_link"] is None and with_password["user"]["has_password"]
    listed = ok(api.get("admin", "/operator/users", params={"q": "shop1"}))["items"]
    assert {u["email"] for u in listed} == {"seller@shop1.test", "new@shop1.test"}
    operators_first = ok(api.get("admin", "/operator/users"))["items"]
    assert operators_first[0]["role"] == "admin"
    reset = ok(api.post("admin", f"/operator/users/{user['id']}/password-reset"), 201)
    assert reset["email"] == "new@shop1.test" and "/desk/reset/" in reset["link"]
    # stores
    store = ok(api.post("admin", "/operator/stores", {"id": "shop9", "name": "Shop Nine"}), 201)
    assert store["id"] == "shop9" and store["staff"] == 0 and not store["suspended"]
    problem(
        api.post("admin", "/operator/stores", {"id": "shop9", "name": "Again"}), 409, "conflict"
    )
    suspended = ok(api.post("admin", "/operator/stores/shop9/suspend", {"reason": "Test shop"}))
    assert suspended["suspended"] and suspended["suspended_reason"] == "Test shop"
    problem(api.post("admin", "/operator/stores/shop9/suspend", {"reason": "x"}), 409,
            "invalid_state")  # fmt: skip
    assert not ok(api.post("admin", "/operator/stores/shop9/unsuspend"))["suspended"]
    problem(api.post("admin", "/operator/stores/nosuch/unsuspend"), 404, "not_found")
    items = ok(api.get("admin", "/operator/stores"))["items"]
    assert {s["id"] for s in items} == {"shop1", "shop2", "shop9"}
    policy = ok(api.get("admin", "/operator/policy"))
    assert policy["policies"][0]["parameters"]["seller_response_days"]["value"] == 5
    assert policy["overrides"] == []
    trail = ok(api.get("admin", "/operator/audit"))["items"]
    assert {e["what"] for e in trail} >= {"password_link"}


# -- the arbitration desk's health --------------------------------------------------------------


def _escalated(bench: Bench, order_id: str, at: Any) -> None:
    """An order of B1 whose dispute the seller rejected and the buyer escalated at `at`."""
    db = bench.db
    placed = at - timedelta(days=10)
    create_order(
        db,
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
                "destination_country": "ES",
            }
        ),
        now=placed,
    )
    commands.ship(db, order_id, carrier="Cainiao", tracking_number="LP" + order_id, at=placed)
    fields = {
        "reason": "not_as_described.damaged",
        "goods_received": True,
        "plan": {"type": "refund_only", "amount": "30.00"},
    }
    for actor, action, data, when in (
        ("buyer", "open_dispute", fields, at - timedelta(hours=2)),
        ("seller", "reject", {"note": "no"}, at - timedelta(hours=1)),
        ("buyer", "escalate", {}, at),
    ):
        result = commands.execute(db, order_id, actor, action, data, when)
        assert result.refusal is None, result.refusal


def _arbitrator_does(bench: Bench, order_id: str, action: str, at: Any, role: str) -> None:
    fields: dict[str, Any] = {}
    if action == "rule":
        fields = {"refund_amount": "30.00", "responsibility": "seller", "reason": "Broken."}
    person = bench.principal(role)
    result = commands.execute(
        bench.db,
        order_id,
        "arbitrator",
        action,
        fields,
        at,
        performed_by=person.email,
        performed_by_name=person.name,
    )
    assert result.refusal is None, result.refusal
    claims.after(bench.db, person, order_id, 1, action, now=at)


def test_the_arbitration_desks_health_on_hand_made_cases(bench: Bench) -> None:
    now = bench.web.clock.now + timedelta(days=60)
    day = timedelta(days=1)
    # an automatic ruling: intervened a day after escalating, both evidence periods ran out
    _escalated(bench, "G", now - 25 * day)
    _arbitrator_does(bench, "G", "intervene", now - 24 * day, "arbitrator")
    # rulings: 3 days after escalating, 5 days after, and one too old to count
    _escalated(bench, "H", now - 50 * day)
    _arbitrator_does(bench, "H", "intervene", now - 49 * day, "arbitrator")
    _arbitrator_does(bench, "H", "rule", now - 45 * day, "arbitrator")
    worker.sweep(bench.db, now - 18 * day + timedelta(minutes=1))  # G: ruled at its deadline
    _escalated(bench, "E", now - 20 * day)
    _arbitrator_does(bench, "E", "intervene", now - 19 * day, "arbitrator")
    _arbitrator_does(bench, "E", "rule", now - 17 * day, "arbitrator")
    _escalated(bench, "F", now - 15 * day)
    _arbitrator_does(bench, "F", "intervene", now - 14 * day, "arbitrator2")
    _arbitrator_does(bench, "F", "rule", now - 10 * day, "arbitrator2")
    # awaiting intervention: two past the promise (one claimed by Mei), one not yet due
    _escalated(bench, "A", now - 6 * day)
    _escalated(bench, "C", now - 5 * day)
    with bench.db.engine.connect() as conn:
        loaded = repository.load(conn, "C")
    assert loaded is not None
    claims.claim(bench.db, bench.principal("arbitrator2"), "C", 1, loaded.state.disputes[0])
    _escalated(bench, "B", now - timedelta(hours=1))
    # intervened, the seller's evidence awaited: claimed by Arb
    _escalated(bench, "D", now - 3 * day)
    _arbitrator_does(bench, "D", "intervene", now - 2 * day, "arbitrator")

    health = operators.arbitration_health(bench.db, now=now)
    with bench.db.engine.connect() as conn:
        due = dict(
            conn.execute(select(t.disputes.c.order_id, t.disputes.c.intervention_due_at)).all()
        )
    assert [(c.order_id, c.holder) for c in health.late] == [("A", None), ("C", "Mei")]
    assert [c.late_by for c in health.late] == [now - due["A"], now - due["C"]]
    assert due["B"] > now
    assert (health.escalated, health.unclaimed_escalated, health.in_arbitration) == (3, 2, 4)
    load = {a.name: (a.claimed_now, a.rulings) for a in health.arbitrators}
    assert load == {"Arb": (1, 1), "Mei": (1, 1)}
    assert health.unattributed_rulings == 0
    assert (health.by_arbitrators.count, health.by_arbitrators.p50) == (2, 3 * day)
    assert health.by_arbitrators.p90 == 5 * day
    assert (health.automatic.count, health.automatic.p50) == (1, 7 * day)
    assert (health.everything.p50, health.everything.p90) == (5 * day, 7 * day)
    # the API's figures are the same
    bench.web.clock.now = now
    body = ok(bench.api.get("admin", "/operator/arbitration"))
    assert [c["dispute"] for c in body["past_intervention_promise"]] == ["A-D1", "C-D1"]
    assert body["past_intervention_promise"][1]["claimed_by"] == "Mei"
    assert body["time_to_ruling"]["all"] == {
        "count": 3,
        "p50_seconds": 5 * 86400,
        "p90_seconds": 7 * 86400,
    }
    # and the page says them in words
    page = bench.web.login("admin").get("/desk/operator/arbitration")
    assert page.status_code == 200
    assert 'data-late="A-D1"' in page.text and 'data-late="C-D1"' in page.text
    assert 'data-late="B-D1"' not in page.text
    assert "5 days" in page.text and "7 days" in page.text


def test_percentiles_are_by_nearest_rank() -> None:
    values = [timedelta(hours=h) for h in (5, 1, 4, 2, 3)]
    assert operators.percentile(values, 0.5) == timedelta(hours=3)
    assert operators.percentile(values, 0.9) == timedelta(hours=5)
    assert operators.percentile([], 0.5) is None
    assert operators.percentile(values[:1], 0.9) == timedelta(hours=5)


# -- the console's pages ---------------------------------------------------------------------------

CONSOLE = (
    "/desk/operator",
    "/desk/operator/users",
    "/desk/operator/stores",
    "/desk/operator/arbitration",
    "/desk/operator/red-lines",
    "/desk/operator/policy",
    "/desk/operator/reports",
)


def test_the_console_is_the_operators_home_and_nobody_elses(bench: Bench) -> None:
    admin = bench.web.login("admin")
    home = admin.get("/desk/")
    assert home.status_code == 303 and home.headers["location"] == "/desk/operator"
    for path in CONSOLE:
        page = admin.get(path)
        assert page.status_code == 200, path
        assert 'aria-label="' + words("op.nav.label") + '"' in page.text
        assert 'id="nav-console"' in page.text
    user_page = admin.get(f"/desk/operator/users/{bench.user_id('admin')}")
    assert words("op.refusal.self") in user_page.text  # no form to suspend oneself
    for role in ("seller", "buyer", "arbitrator"):
        client = bench.web.login(role)
        for path in CONSOLE:
            assert client.get(path).status_code == 403, (role, path)
        assert 'id="nav-console"' not in client.get("/desk/").text
    assert admin.get("/desk/operator/users/abc").status_code == 404
    assert admin.get("/desk/operator/users/99999").status_code == 404


def _confirm_fields(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    assert fields.get("confirm") == "yes", html
    return fields


def test_the_console_suspends_a_user_and_makes_a_password_link_through_confirmations(
    bench: Bench,
) -> None:
    web = bench.web
    admin = web.login("admin")
    seller_browser = web.login("seller")
    seller = bench.user_id("seller")
    page_path = f"/desk/operator/users/{seller}"
    # no reason: refused in words, nothing done
    blank = post_form(admin, page_path, f"{page_path}/suspend", reason=" ")
    assert blank.status_code == 422 and words("op.refusal.reason_missing") in blank.text
    step = post_form(admin, page_path, f"{page_path}/suspend", reason="Chargebacks")
    assert step.status_code == 200 and 'id="confirm-yes"' in step.text
    assert words("op.confirm.suspend_user", name="Li Wei", email=EMAILS["seller"]) in step.text
    assert not operators.get_user(bench.db, seller).user.suspended  # not yet
    fields = _confirm_fields(step.text)
    done = admin.post(f"{page_path}/suspend", data=fields)
    assert done.status_code == 303 and "done=op_user_suspended" in done.headers["location"]
    assert operators.get_user(bench.db, seller).user.suspended_reason == "Chargebacks"
    assert seller_browser.get("/desk/inbox").status_code == 303  # their session ended
    twice = admin.post(f"{page_path}/suspend", data=fields)  # a double click
    assert "already=op_user_suspended" in twice.headers["location"]
    shown = admin.get(twice.headers["location"])
    assert words("already_done", what=i18n.text("en", "action.op_user_suspended")) in shown.text
    assert 'id="suspension-reason">Chargebacks<' in shown.text
    # the overview's audit list names it
    overview = admin.get("/desk/operator")
    assert words("op.audit.user_suspended", subject=EMAILS["seller"]) in overview.text
    # lifted
    lifted = post_form(admin, page_path, f"{page_path}/unsuspend")
    assert "done=op_user_unsuspended" in lifted.headers["location"]
    assert not operators.get_user(bench.db, seller).user.suspended
    # a password link: a confirmation, then the link shown once on the page
    step = post_form(admin, page_path, f"{page_path}/password-reset")
    assert words("confirm.irreversible") in step.text
    shown = admin.post(f"{page_path}/password-reset", data=_confirm_fields(step.text))
    assert shown.status_code == 200
    link = re.search(r'id="password-link" readonly value="https://testserver(/desk/reset/[^"]+)"',
                     shown.text)  # fmt: skip
    assert link is not None
    assert web.client().get(link.group(1)).status_code == 200
    assert "password-link" not in admin.get(page_path).text  # once


def test_the_console_creates_users_and_stores_and_suspends_a_store(bench: Bench) -> None:
    admin = bench.web.login("admin")
    made = post_form(
        admin,
        "/desk/operator/users",
        "/desk/operator/users",
        email="agent@shop2.test",
        name="Zhou",
        role="seller",
        store_id="shop2",
        store_role="agent",
        buyer_id="",
    )
    assert made.status_code == 201 and 'id="password-link"' in made.text
    assert operators.list_users(bench.db, search="agent@shop2")[0].stores == {"shop2": "agent"}
    again = post_form(
        admin,
        "/desk/operator/users",
        "/desk/operator/users",
        email="agent@shop2.test",
        name="Zhou",
        role="seller",
        store_id="",
        store_role="agent",
        buyer_id="",
    )
    assert again.status_code == 409 and words("op.refusal.user_exists") in again.text
    assert 'value="Zhou"' in again.text  # what was typed is kept
    bad = post_form(
        admin, "/desk/operator/users", "/desk/operator/users",
        email="not-an-email", name="X", role="buyer", store_id="", store_role="owner",
        buyer_id="",
    )  # fmt: skip
    assert bad.status_code == 422 and words("op.refusal.email") in bad.text
    long = post_form(
        admin, "/desk/operator/users", "/desk/operator/users",
        email="a@b.test", name="N" * 201, role="buyer", store_id="", store_role="owner",
        buyer_id="",
    )  # fmt: skip
    assert long.status_code == 422
    assert words("op.check.too_long", field="Name", limit="200", length="201") in long.text
    # stores
    created = post_form(
        admin, "/desk/operator/stores", "/desk/operator/stores", store_id="shop7", name="Seven"
    )
    assert "done=op_store_created" in created.headers["location"]
    taken = post_form(
        admin, "/desk/operator/stores", "/desk/operator/stores", store_id="shop7", name="Again"
    )
    assert (
        taken.status_code == 409 and words("op.refusal.store_exists", store="shop7") in taken.text
    )
    step = post_form(
        admin, "/desk/operator/stores", "/desk/operator/stores/shop2/suspend", reason="Fees"
    )
    assert words("op.confirm.suspend_store", name="shop2", store="shop2") in step.text
    done = admin.post("/desk/operator/stores/shop2/suspend", data=_confirm_fields(step.text))
    assert "done=op_store_suspended" in done.headers["location"]
    listing = admin.get("/desk/operator/stores")
    assert 'id="unsuspend-shop2"' in listing.text
    seller2 = bench.web.login("seller2")
    assert (
        words("op.seller.suspended", store="shop2", reason="Fees")
        in seller2.get("/desk/inbox").text
    )
    lifted = post_form(admin, "/desk/operator/stores", "/desk/operator/stores/shop2/unsuspend")
    assert "done=op_store_unsuspended" in lifted.headers["location"]
    assert "data-suspended-store" not in seller2.get("/desk/inbox").text


def test_the_console_sets_a_red_line_and_shows_the_policy(bench: Bench) -> None:
    admin = bench.web.login("admin")
    step = post_form(
        admin,
        "/desk/operator/red-lines",
        "/desk/operator/red-lines",
        metric="nad_rate",
        category="toys",
        threshold="2.5",
        effective_from="2026-04-01T00:00",
        note="Toys: stricter",
    )
    assert step.status_code == 200 and 'id="confirm-yes"' in step.text
    done = admin.post("/desk/operator/red-lines", data=_confirm_fields(step.text))
    assert "done=op_red_line_set" in done.headers["location"]
    with bench.db.engine.connect() as conn:
        line = conn.execute(select(t.red_lines)).one()
    assert (line.metric, line.category, line.threshold_ppm) == ("nad_rate", "toys", 25_000)
    assert line.created_by == EMAILS["admin"]
    assert line.effective_from.isoformat() == "2026-04-01T00:00:00+00:00"  # the reader's UTC
    page = admin.get("/desk/operator/red-lines")
    assert words("op.lines.state.scheduled") in page.text and "2.5%" in page.text
    bad = post_form(
        admin, "/desk/operator/red-lines", "/desk/operator/red-lines",
        metric="nad_rate", category="", threshold="150", effective_from="2026-04-01T00:00",
        note="",
    )  # fmt: skip
    assert bad.status_code == 422 and words("op.refusal.threshold") in bad.text
    policy = admin.get("/desk/operator/policy")
    assert words("op.param.seller_response_days") in policy.text
    assert "5 days" in policy.text and "2 working days" in policy.text
    assert words("op.policy.no_overrides") in policy.text
    assert "toys" in policy.text  # the category with a line of its own


def test_the_console_decides_malicious_reports_and_the_flag_follows_the_buyer(
    bench: Bench,
) -> None:
    web, db = bench.web, bench.db
    first = disputed(bench, "M1")
    report = malicious.report_dispute(
        db, "M1", 1, reason="Same claim on three orders", reported_by=EMAILS["seller"]
    )
    admin = web.login("admin")
    listing = admin.get("/desk/operator/reports")
    assert f'id="decide-{report.id}"' in listing.text
    action = f"/desk/operator/reports/{report.id}/decide"
    no_note = post_form(admin, "/desk/operator/reports", action, decision="upheld", note="")
    assert no_note.status_code == 422 and words("op.refusal.note") in no_note.text
    step = post_form(admin, "/desk/operator/reports", action, decision="upheld", note="Proven")
    assert words("op.confirm.report_upheld", dispute="M1") in step.text
    assert malicious.get_report(db, report.id).status == "pending"
    fields = _confirm_fields(step.text)
    done = admin.post(action, data=fields)
    assert "done=op_report_upheld" in done.headers["location"]
    decided = malicious.get_report(db, report.id)
    assert (decided.status, decided.decision_note, decided.decided_by) == (
        "upheld",
        "Proven",
        EMAILS["admin"],
    )
    assert "already=op_report_upheld" in admin.post(action, data=fields).headers["location"]
    shown = admin.get("/desk/operator/reports?status=upheld")
    assert words("op.flag.line", n=1) in shown.text
    # the buyer's next case with the platform carries the flag, for arbitrators and operators
    order_for(bench, "M2", store="shop2")
    commands.ship(db, "M2", carrier="Cainiao", tracking_number="LP2", at=web.clock.now)
    web.clock.advance(days=6)
    body = {
        "reason": "not_as_described.damaged",
        "goods_received": True,
        "plan": {"type": "refund_only", "amount": "30.00"},
    }
    second = ok(bench.api.post("buyer", "/orders/M2/disputes", body), 201)["id"]
    ok(bench.api.post("seller2", f"/disputes/{second}/reject", {"note": "no"}))
    ok(bench.api.post("buyer", f"/disputes/{second}/escalate", {}))
    arbitrator = web.login("arbitrator")
    queue = arbitrator.get("/desk/queue")
    row = re.search(rf'<tr[^>]*data-dispute="{second}".*?</tr>', queue.text, re.S)
    assert row is not None and words("op.flag.short", n=1) in row.group(0)
    case = arbitrator.get(f"/desk/disputes/{second}")
    assert 'id="buyer-flag"' in case.text and words("op.flag.line", n=1) in case.text
    # the parties never see it
    assert 'id="buyer-flag"' not in web.login("seller2").get(f"/desk/disputes/{second}").text
    assert 'id="buyer-flag"' not in web.login("buyer").get(f"/desk/disputes/{first}").text


def test_every_refusal_of_the_console_has_its_words() -> None:
    """Each rule an operator's action is refused by is said in both languages, with the same
    placeholders as the refusal carries (so no page ever shows a code or a service's English)."""
    catalog = set(i18n.entry_keys())
    for rule, params in operators.REFUSAL_RULES.items():
        for locale in i18n.LOCALES:
            shown = i18n.template_of(locale, f"op.refusal.{rule}")
            assert i18n.placeholders(shown) == set(params), (locale, rule)
    with pytest.raises(ValueError):
        operators.Refusal("forbidden", "x", "no_such_rule")
    for unit in ("days", "working_days", "count"):
        assert f"op.unit.{unit}" in catalog  # a plural entry
        assert i18n.plural("en", f"op.unit.{unit}", 2) != i18n.plural("en", f"op.unit.{unit}", 1)
    for name in operators.PARAMETER_SECTIONS:
        assert f"op.param.{name}" in catalog, name
    from disputedesk.rules.policy import PARAMETERS

    assert set(operators.PARAMETER_SECTIONS) == set(PARAMETERS)


def test_the_users_list_pages_and_filters(bench: Bench, monkeypatch: pytest.MonkeyPatch) -> None:
    from disputedesk.web import operator_pages

    monkeypatch.setattr(operator_pages, "USERS_PAGE", 3)
    admin = bench.web.login("admin")
    first = admin.get("/desk/operator/users")
    shown = re.findall(r'<tr data-user="([^"]+)"', first.text)
    assert shown == ["admin@platform.test", "arb2@platform.test", "arb@platform.test"]
    assert 'id="users-previous"' not in first.text
    following = re.search(r'id="users-next"', first.text) and admin.get(
        "/desk/operator/users?offset=3"
    )
    assert following and following.status_code == 200
    rest = re.findall(r'<tr data-user="([^"]+)"', following.text)
    assert rest == ["seller@shop1.test", "seller@shop2.test", "buyer@b1.test"]
    assert 'id="users-previous"' in following.text and 'id="users-next"' in following.text
    sellers = admin.get("/desk/operator/users?role=seller")
    assert re.findall(r'<tr data-user="([^"]+)"', sellers.text) == [
        "seller@shop1.test",
        "seller@shop2.test",
    ]
    operators.suspend_user(
        bench.db, bench.principal("admin"), bench.user_id("buyer"), reason="Fraud"
    )
    suspended = admin.get("/desk/operator/users?state=suspended")
    assert re.findall(r'<tr data-user="([^"]+)"', suspended.text) == ["buyer@b1.test"]
    found = admin.get("/desk/operator/users?q=shop2")  # a store's id
    assert re.findall(r'<tr data-user="([^"]+)"', found.text) == ["seller@shop2.test"]
    found = admin.get("/desk/operator/users?q=jean")  # a name, without case
    assert re.findall(r'<tr data-user="([^"]+)"', found.text) == ["buyer@b2.test"]
    assert admin.get("/desk/operator/users?offset=-1").status_code == 200
