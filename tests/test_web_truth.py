"""The desk tells the truth (issue 12, items 1, 2, 3, 5, 6, 8, 9, 10), page by page over HTTP on
both databases: only what the rules core allows is offered, what is not possible yet says from
when; countdowns count days and overdue time in words; the outcome card after an agreement or
a ruling; the evidence card; the inbox's order and the four-step progress strip; a
confirmation step before anything irreversible, and a form sent twice told so; words, not
codes; the API's `allowed_actions`.

One desk (users, app, clock) per database for the module: each test makes its own orders."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import BACKENDS, empty_database
from disputedesk.rules.instants import format_instant
from disputedesk.services import commands
from disputedesk.services import desk as desk_reads
from disputedesk.services.accounts import create_token, principal_by_email
from disputedesk.services.orders import check_order, create_order
from disputedesk.store.db import Database
from disputedesk.web import i18n
from web_support import WebDesk, csrf_of, make_web_desk, post_form, shipped_order

STATIC = Path(__file__).parents[1] / "src" / "disputedesk" / "web" / "static"


@pytest.fixture(scope="module", params=BACKENDS)
def desk(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Iterator[WebDesk]:
    folder = tmp_path_factory.mktemp("truth")
    with empty_database(request.param, folder) as url:
        db = Database(url)
        db.upgrade()
        yield make_web_desk(db, folder)
        db.dispose()


_counter = iter(range(1, 10_000))


def new_id(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


def act(desk: WebDesk, order_id: str, actor: str, action: str, at: Any = None, **fields: Any):
    result = commands.execute(desk.db, order_id, actor, action, fields, at or desk.clock.now)
    assert result.refusal is None, result.refusal
    return result


def opened(
    desk: WebDesk, *, days_ago: float = 1, plan: str = "refund_only", shipped: int = 15, **kw: Any
) -> str:
    """An order shipped `shipped` days ago (20 days promised) with a dispute opened `days_ago`
    days ago."""
    order_id = new_id(kw.pop("prefix", "T"))
    shipped_order(desk, order_id, days_ago=shipped)
    fields: dict[str, Any] = {
        "reason": kw.pop("reason", "not_as_described.damaged"),
        "plan": {"type": plan, **({} if plan == "resend" else {"amount": "30.00"})},
        "goods_received": True,
    }
    act(
        desk, order_id, "buyer", "open_dispute", desk.clock.now - timedelta(days=days_ago), **fields
    )
    return order_id


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(html).split())


def section(html: str, element_id: str) -> str:
    """The text of the element with this id (up to its section's end)."""
    start = html.index(f'id="{element_id}"')
    end = html.find("</section>", start)
    return text_of(html[start : end if end != -1 else None])


def when(value: Any, zone: str = "UTC", locale: str = "en") -> str:
    return f"{i18n.instant(value, zone, locale)} ({i18n.zone_label(value, zone)})"


# -- 1. only what the core allows ---------------------------------------------------------------


def test_open_a_dispute_is_offered_only_when_the_rules_allow_it(desk):
    early = new_id("E")
    shipped_order(desk, early, days_ago=2)  # disputes open 5 days after shipment
    ready = new_id("R")
    shipped_order(desk, ready, days_ago=6)
    unshipped = new_id("U")
    create_order(
        desk.db,
        check_order(
            {
                "id": unshipped,
                "store_id": "shop1",
                "buyer_id": "B1",
                "amount": "10.00",
                "shipping": "0.00",
                "currency": "USD",
                "placed_at": format_instant(desk.clock.now - timedelta(days=1)),
                "promised_delivery_days": 20,
            }
        ),
        now=desk.clock.now - timedelta(days=1),
    )
    disputed = opened(desk, days_ago=1)
    buyer = desk.login("buyer")

    page = buyer.get(f"/desk/orders/{early}").text
    assert 'id="open-dispute"' not in page
    earliest = desk.clock.now - timedelta(days=2) + timedelta(days=5)
    assert f"Disputes can be opened from 5 days after shipment: from {when(earliest)}." in section(
        page, "open-dispute-not-yet"
    )
    form = buyer.get(f"/desk/orders/{early}/open-dispute").text
    assert f'action="/desk/orders/{early}/open-dispute"' not in form
    assert "You can open a dispute from" not in form
    assert "Disputes can be opened from 5 days after shipment" in form

    assert 'id="open-dispute"' in buyer.get(f"/desk/orders/{ready}").text
    for order_id in (unshipped, disputed):
        page = buyer.get(f"/desk/orders/{order_id}").text
        assert 'id="open-dispute"' not in page and "open-dispute-not-yet" not in page
        assert (
            f'action="/desk/orders/{order_id}/open-dispute"'
            not in buyer.get(f"/desk/orders/{order_id}/open-dispute").text
        )

    listing = buyer.get("/desk/orders").text
    assert f'href="/desk/orders/{ready}/open-dispute"' in listing
    early_row = listing.split(f'data-order="{early}"')[1].split("</tr>")[0]
    assert f"A dispute can be opened from {i18n.instant(earliest, 'UTC', 'en')}" in early_row
    for order_id in (early, unshipped, disputed):
        assert f'href="/desk/orders/{order_id}/open-dispute"' not in listing


def test_an_in_transit_dispute_says_when_it_escalates_instead_of_offering_to(desk):
    order_id = opened(desk, days_ago=1, reason="not_received.in_transit")
    path = f"/desk/disputes/{order_id}-D1"
    buyer = desk.login("buyer")
    page = buyer.get(path).text
    assert f'action="{path}/escalate"' not in page
    deadline = desk.clock.now - timedelta(days=15) + timedelta(days=20)  # promised 20 days
    not_yet = section(page, "not-yet")
    assert "Ask the platform to step in" in not_yet
    assert (
        "A dispute about a parcel in transit escalates by itself at the delivery deadline: "
        f"{when(deadline)}."
    ) in not_yet
    refused = post_form(buyer, path, f"{path}/escalate")  # sent anyway: the core refuses it
    assert refused.status_code == 409


def test_the_buyer_may_escalate_after_the_sellers_rejection_not_before(desk):
    order_id = opened(desk, days_ago=1)
    path = f"/desk/disputes/{order_id}-D1"
    buyer = desk.login("buyer")
    page = buyer.get(path).text
    assert f'action="{path}/escalate"' not in page
    from_at = desk.clock.now - timedelta(days=1) + timedelta(days=3)
    assert (
        "The platform can be asked to step in from day 4 of the dispute, or after the seller "
        f"rejects: from {when(from_at)}."
    ) in section(page, "not-yet")
    act(desk, order_id, "seller", "reject", note="Not ours")
    page = buyer.get(path).text
    assert f'action="{path}/escalate"' in page and 'id="not-yet"' not in page


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_the_seller_withdraws_its_own_return_escalation(desk, locale):
    order_id = opened(desk, days_ago=3, plan="return_and_refund")
    path = f"/desk/disputes/{order_id}-D1"
    act(desk, order_id, "seller", "accept")
    act(desk, order_id, "buyer", "ship_return", carrier="Correos", tracking_number="RT1")
    seller = desk.login("seller", locale=locale)
    assert "withdraw-escalation" not in seller.get(path).text  # not escalated yet
    act(desk, order_id, "seller", "escalate", note="Empty box")
    page = seller.get(path).text
    label = i18n.text(locale, "act.withdraw_escalation")
    assert f'href="{path}/confirm/withdraw-escalation"' in page and label in page
    step = seller.get(f"{path}/confirm/withdraw-escalation")
    assert step.status_code == 200
    amount = i18n.money(Decimal("30.00"), "USD", locale)
    assert i18n.text(locale, "confirm.withdraw_escalation", amount=amount) in text_of(step.text)
    done = seller.post(
        f"{path}/withdraw-escalation",
        data={"csrf_token": csrf_of(step.text), "confirm": "yes",
              **dict(re.findall(r'name="(version|seen)" value="(\d+)"', step.text))},
    )  # fmt: skip
    assert done.status_code == 303
    final = seller.get(done.headers["location"]).text
    assert 'id="dispute-status"><span class="status s-closed">' in final
    assert i18n.text(locale, "resolution.refunded") in final
    # the buyer's escalation cannot be withdrawn this way: never offered
    other = opened(desk, days_ago=1)
    act(desk, other, "seller", "reject", note="No")
    act(desk, other, "buyer", "escalate")
    assert "withdraw-escalation" not in seller.get(f"/desk/disputes/{other}-D1").text


def test_the_api_answers_allowed_actions_and_not_yet(desk):
    order_id = opened(desk, days_ago=1)
    tokens = {
        role: create_token(desk.db, email=email).token
        for role, email in (
            ("buyer", "buyer@b1.test"),
            ("seller", "seller@shop1.test"),
            ("admin", "admin@platform.test"),
        )
    }
    api = TestClient(desk.app)

    def get(role: str, path: str) -> dict[str, Any]:
        response = api.get(path, headers={"Authorization": f"Bearer {tokens[role]}"})
        assert response.status_code == 200, response.text
        return response.json()

    buyer = get("buyer", f"/disputes/{order_id}-D1")
    assert buyer["allowed_actions"] == ["modify_dispute", "cancel_dispute", "submit_evidence"]
    assert buyer["not_yet"] == [
        {
            "action": "escalate",
            "code": "too_early",
            "rule": "escalate.too_early",
            "at": format_instant(desk.clock.now - timedelta(days=1) + timedelta(days=3)),
        }
    ]
    seller = get("seller", f"/disputes/{order_id}-D1")
    assert seller["allowed_actions"] == ["propose", "reject", "accept", "submit_evidence"]
    assert get("admin", f"/disputes/{order_id}-D1")["allowed_actions"] == []
    order = get("buyer", f"/orders/{order_id}")
    assert "open_dispute" not in order["allowed_actions"]
    assert "cancel_dispute" in order["allowed_actions"]
    schema = api.get("/openapi.json").json()
    assert "allowed_actions" in schema["paths"]["/disputes/{dispute_id}"]["get"]["description"]
    assert "not_yet" in schema["paths"]["/orders/{order_id}"]["get"]["description"]


def test_an_agent_is_offered_only_what_the_owner_lets_them_do(desk):
    order_id = opened(desk, days_ago=1)  # the buyer asks for a $30.00 refund
    card = desk_reads.order_card(desk.db, owner := principal_by_email(desk.db, "seller@shop1.test"),
                                 order_id)  # fmt: skip
    agent = replace(
        owner,
        stores={"shop1": "agent"},
        permissions={"shop1": {"answer_disputes": True, "refund_up_to": "20.00",
                               "manage_evidence": False}},
    )  # fmt: skip
    everything = desk_reads.options_for(owner, card, desk.clock.now)
    limited = desk_reads.options_for(agent, card, desk.clock.now)
    assert {a for a, o in everything.items() if o.allowed} == {
        "extend_delivery", "accept", "propose", "reject", "submit_evidence"}  # fmt: skip
    assert {a for a, o in limited.items() if o.allowed} == {"extend_delivery", "propose", "reject"}
    refused = limited["accept"].refusal
    assert refused is not None and "limited to 20.00" in refused.message


# -- 2. countdown words ---------------------------------------------------------------------------


def test_countdowns_count_in_words_with_plurals_and_overdue_time():
    day = 86400
    assert i18n.countdown(day + 3000, "en") == "1 day 00:50:00"
    assert i18n.countdown(3 * day + 83532, "en") == "3 days 23:12:12"
    assert i18n.countdown(3000, "en") == "0 days 00:50:00"
    assert i18n.countdown(-12 * day - 5, "en") == "overdue by 12 days"
    assert i18n.countdown(-day, "en") == "overdue by 1 day"
    assert i18n.countdown(-3 * 3600, "en") == "overdue by 3 hours"
    assert i18n.countdown(-3600, "en") == "overdue by 1 hour"
    assert i18n.countdown(-5, "en") == "overdue by 1 minute"
    assert i18n.countdown(-12 * day, "zh_CN") == "已超时 12 天"
    assert i18n.countdown(day + 3000, "zh_CN") == "1 天 00:50:00"
    assert i18n.countdown(-5 * day, "ru").endswith("5 дней")
    assert i18n.countdown(3 * day + 1, "ru").startswith("3 дня ")
    words = i18n.countdown_words("en")
    assert words["left"] == ["{n} day {c}", "{n} days {c}"] and words["overdue"] == "overdue by {t}"
    assert words["plural"] == {"one": 0, "other": 1}
    russian = i18n.countdown_words("ru")
    assert russian["plural"] == {"one": 0, "few": 1, "many": 2}
    assert len(russian["day"]) == 3
    script = (STATIC / "countdown.js").read_text()
    assert "overdue" in script and "PluralRules" in script and "countdown-words" in script


def test_an_overdue_deadline_says_overdue_by_in_both_languages(desk):
    order_id = opened(desk, days_ago=7)  # the seller had 5 days: 2 days past, not yet swept
    path = f"/desk/disputes/{order_id}-D1"
    for locale, overdue in (("en", "overdue by 2 days"), ("zh_CN", "已超时 2 天")):
        page = desk.login("seller", locale=locale).get(path).text
        reminder = section(page, "reminder")
        assert overdue in reminder, reminder
        assert "0 days 00:00:00" not in page and "0 天 00:00:00" not in page
        inbox = desk.login("seller", locale=locale).get("/desk/inbox").text
        row = inbox.split(f'data-dispute="{order_id}-D1"')[1].split("</tr>")[0]
        assert overdue in row
    soon = opened(desk, days_ago=4, prefix="S")  # 1 day left: "1 day", not "1 days"
    row = desk.login("seller").get("/desk/inbox").text.split(f'data-dispute="{soon}-D1"')[1]
    assert re.search(r">1 day \d\d:\d\d:\d\d<", row.split("</tr>")[0])


# -- 3. the outcome card --------------------------------------------------------------------------


def test_a_ruling_shows_the_outcome_card_to_both_parties_and_no_waiting_words(desk):
    order_id = opened(desk, days_ago=2)
    act(desk, order_id, "seller", "reject", note="No")
    act(desk, order_id, "buyer", "escalate")
    act(desk, order_id, "arbitrator", "intervene")
    act(
        desk,
        order_id,
        "arbitrator",
        "rule",
        refund_amount="25.00",
        responsibility="seller",
        return_required=False,
        reason="The photos show the damage",
    )
    path = f"/desk/disputes/{order_id}-D1"
    for role in ("buyer", "seller"):
        page = desk.login(role).get(path).text
        card = section(page, "outcome")
        assert "The platform's ruling" in card and "$25.00" in card
        assert "Responsibility seller" in card and "Return required no" in card
        assert "The photos show the damage" in card
        assert "Waiting for your plan" not in page and "Waiting on" not in page
        assert "Respond within" not in page
    zh = section(desk.login("buyer", locale="zh_CN").get(path).text, "outcome")
    assert "平台裁决" in zh and "US$25.00" in zh and "仲裁员的理由" in zh


def test_an_agreement_shows_the_agreed_plan(desk):
    order_id = opened(desk, days_ago=1, plan="return_and_refund")
    act(desk, order_id, "seller", "accept")
    page = desk.login("buyer").get(f"/desk/disputes/{order_id}-D1").text
    card = section(page, "outcome")
    assert "Agreed plan" in card and "The seller accepted the buyer's plan" in card
    assert "Return and refund $30.00" in card and "returns the goods first" in card
    assert "Waiting for your plan" not in page
    timed_out = opened(desk, days_ago=6)
    commands.execute(
        desk.db,
        timed_out,
        "seller",
        "submit_evidence",
        {"kind": "other", "description": "x"},
        desk.clock.now,
    )  # fires the timeout
    page = desk.login("seller").get(f"/desk/disputes/{timed_out}-D1").text
    assert "The seller did not respond in time" in section(page, "outcome")
    assert "Waiting for your plan" not in page


# -- 5. the evidence card -------------------------------------------------------------------------


def test_awaiting_seller_evidence_says_what_is_required_by_when_and_what_then(desk):
    order_id = opened(desk, days_ago=2)
    act(desk, order_id, "seller", "reject", desk.clock.now - timedelta(hours=3), note="No")
    act(desk, order_id, "buyer", "escalate", desk.clock.now - timedelta(hours=2))
    intervened = desk.clock.now - timedelta(hours=1)
    act(desk, order_id, "arbitrator", "intervene", at=intervened)
    path = f"/desk/disputes/{order_id}-D1"
    seller = desk.login("seller")
    card = section(seller.get(path).text, "evidence-due")
    due = intervened + timedelta(days=3)
    assert "What you can do" in card and "Evidence is required" in card
    assert i18n.instant(due, "UTC", "en") in card
    assert "This is the first of 2 evidence periods of 3 days." in card
    assert "a last evidence period of 3 days starts" in card
    other = section(desk.login("buyer").get(path).text, "evidence-due")
    assert "What happens next" in other and "waiting for the seller's evidence" in other
    desk.clock.advance(days=3, hours=1)  # the first period ran out (not yet swept)
    commands.execute(desk.db, order_id, "buyer", "submit_evidence",
                     {"kind": "photo", "description": "dent"}, desk.clock.now)  # fmt: skip
    card = section(desk.login("seller").get(path).text, "evidence-due")
    assert "This is the last evidence period (2 of 2)." in card
    assert "the platform rules automatically" in card and "$30.00" in card
    assert "seller responsible" in card


# -- 6. the inbox's order and the progress strip ---------------------------------------------------


def test_the_inbox_puts_overdue_first_then_dated_then_under_review_then_closed_latest_first(desk):
    now = desk.clock.now
    overdue = opened(desk, days_ago=6, prefix="IO")
    tomorrow = opened(desk, days_ago=4, prefix="IT")
    later = opened(desk, days_ago=2, prefix="IL")
    review = opened(desk, days_ago=6, prefix="IR")
    act(desk, review, "seller", "reject", now - timedelta(days=6) + timedelta(hours=1), note="-")
    act(desk, review, "buyer", "escalate", now - timedelta(days=6) + timedelta(hours=2))
    act(desk, review, "arbitrator", "intervene", now - timedelta(days=5))
    act(desk, review, "seller", "submit_evidence", now - timedelta(days=5) + timedelta(hours=1),
        kind="delivery_note", description="Label")  # fmt: skip
    older = opened(desk, days_ago=6, prefix="IC")
    act(desk, older, "buyer", "cancel_dispute", now - timedelta(days=5))
    newer = opened(desk, days_ago=3, prefix="IN")
    act(desk, newer, "buyer", "cancel_dispute", now - timedelta(days=1))
    expected = [f"{o}-D1" for o in (overdue, tomorrow, later, review, newer, older)]

    rows = re.findall(r'data-dispute="([^"]+)"', desk.login("seller").get("/desk/inbox").text)
    assert [r for r in rows if r in expected] == expected
    token = create_token(desk.db, email="seller@shop1.test").token
    listed = TestClient(desk.app).get(
        "/disputes?limit=200", headers={"Authorization": f"Bearer {token}"}
    )
    ids = [item["id"] for item in listed.json()["items"]]
    assert [i for i in ids if i in expected] == expected


def test_the_queue_puts_cases_awaiting_intervention_first_and_reviews_last(desk):
    now = desk.clock.now
    review, evidence, waiting = (opened(desk, days_ago=3, prefix=p) for p in ("QR", "QE", "QW"))
    for order_id in (review, evidence, waiting):
        act(desk, order_id, "seller", "reject", now - timedelta(days=3, hours=-1), note="-")
        act(desk, order_id, "buyer", "escalate", now - timedelta(days=3, hours=-2))
    for order_id in (review, evidence):
        act(desk, order_id, "arbitrator", "intervene", now - timedelta(days=2))
    act(desk, review, "seller", "submit_evidence", now - timedelta(days=1),
        kind="delivery_note", description="Label")  # fmt: skip
    rows = re.findall(r'data-dispute="([^"]+)"', desk.login("arbitrator").get("/desk/queue").text)
    expected = [f"{o}-D1" for o in (waiting, evidence, review)]
    assert [r for r in rows if r in expected] == expected


def stages(html: str) -> list[tuple[str, str]]:
    strip = html.split('id="stages"')[1].split("</ol>")[0]
    return [
        (state, text_of(body))
        for state, body in re.findall(r'<li class="(\w+)"[^>]*>(.*?)</li>', strip, re.S)
    ]


def test_the_progress_strip_has_four_steps_with_instants_in_every_status(desk):
    order_id = opened(desk, days_ago=1)
    path = f"/desk/disputes/{order_id}-D1"
    buyer = desk.login("buyer")
    opened_at = desk.clock.now - timedelta(days=1)
    strip = stages(buyer.get(path).text)
    assert [s for s, _ in strip] == ["done", "current", "pending", "pending"]
    assert strip[0][1] == f"Initiate a refund/return {i18n.instant(opened_at, 'UTC', 'en')}"
    auto = opened_at + timedelta(days=15)
    assert (
        strip[2][1] == f"Platform intervenes if no agreement by {i18n.instant(auto, 'UTC', 'en')}"
    )
    assert strip[3][1] == "Dispute closed not yet"
    act(desk, order_id, "seller", "reject", note="No")
    act(desk, order_id, "buyer", "escalate")
    strip = stages(buyer.get(path).text)
    assert [s for s, _ in strip] == ["done", "skipped", "current", "pending"]
    assert strip[1][1] == "Negotiation completed no agreement"
    agreed = opened(desk, days_ago=1)
    act(desk, agreed, "seller", "accept")
    strip = stages(buyer.get(f"/desk/disputes/{agreed}-D1").text)
    assert [s for s, _ in strip] == ["done", "done", "skipped", "done"]
    assert strip[2][1] == "Platform intervenes not needed"


# -- 8. confirmation steps and forms sent twice --------------------------------------------------


def test_accepting_a_plan_asks_for_confirmation_first_and_a_second_click_is_told_it_is_done(desk):
    order_id = opened(desk, days_ago=1)
    path = f"/desk/disputes/{order_id}-D1"
    seller = desk.login("seller")
    page = seller.get(path).text
    assert f'href="{path}/confirm/accept"' in page
    assert f'action="{path}/accept"' not in page  # no one-click form
    # a form posted straight to the action (no JavaScript involved) gets the step, not the act
    step = post_form(seller, path, f"{path}/accept")
    assert step.status_code == 200 and "Please confirm" in step.text
    assert "You accept the buyer's plan: Refund only $30.00." in text_of(step.text)
    assert "The dispute closes and $30.00 is refunded to the buyer." in text_of(step.text)
    assert "This cannot be undone." in step.text
    assert "s-awaiting_seller_response" in seller.get(path).text  # nothing done yet
    confirm = seller.get(f"{path}/confirm/accept").text
    form = {
        "csrf_token": csrf_of(confirm),
        **dict(re.findall(r'name="(version|seen|confirm)" value="([^"]+)"', confirm)),
    }
    assert form["confirm"] == "yes"
    first = seller.post(f"{path}/accept", data=form)
    assert first.status_code == 303 and first.headers["location"].endswith("?done=accept")
    again = seller.post(f"{path}/accept", data=form)  # the same form, clicked twice
    assert again.status_code == 303 and again.headers["location"].endswith("?already=accept")
    told = seller.get(again.headers["location"]).text
    assert "Already done: Plan accepted." in told
    assert "Someone changed this order" not in told


def test_a_change_by_somebody_else_is_still_a_conflict(desk):
    order_id = opened(desk, days_ago=1)
    path = f"/desk/disputes/{order_id}-D1"
    buyer = desk.login("buyer")
    confirm = buyer.get(path).text
    version = re.search(r'name="version" value="(\d+)"', confirm)
    seen = re.search(r'name="seen" value="(\d+)"', confirm)
    assert version and seen
    act(desk, order_id, "seller", "propose", plan={"type": "refund_only", "amount": "10.00"})
    late = buyer.post(
        f"{path}/modify",
        data={"csrf_token": csrf_of(confirm), "version": version.group(1),
              "seen": seen.group(1), "plan_type": "refund_only", "amount": "20.00"},
    )  # fmt: skip
    assert late.status_code == 409
    assert i18n.text("en", "refusal.conflict") in late.text


@pytest.mark.parametrize(
    ("path_name", "setup"),
    [("cancel", "buyer"), ("give-up-return", "seller"), ("confirm-return-received", "seller")],
)
def test_every_irreversible_button_has_its_confirmation_step(desk, path_name, setup):
    order_id = opened(desk, days_ago=1, plan="return_and_refund")
    if path_name != "cancel":
        act(desk, order_id, "seller", "accept")
        act(desk, order_id, "buyer", "ship_return", carrier="Correos", tracking_number="RT")
    path = f"/desk/disputes/{order_id}-D1"
    client = desk.login(setup)
    page = client.get(path).text
    assert f'href="{path}/confirm/{path_name}"' in page
    step = client.get(f"{path}/confirm/{path_name}")
    assert step.status_code == 200 and "This cannot be undone." in step.text
    assert f'action="{path}/{path_name}"' in step.text and 'name="confirm" value="yes"' in step.text


def test_confirming_receipt_has_a_step_and_a_double_click_is_not_an_error(desk):
    order_id = new_id("CR")
    shipped_order(desk, order_id, days_ago=3)
    buyer = desk.login("buyer")
    page = buyer.get(f"/desk/orders/{order_id}").text
    assert f'href="/desk/orders/{order_id}/confirm-receipt"' in page
    assert f'action="/desk/orders/{order_id}/confirm-receipt"' not in page
    unconfirmed = post_form(
        buyer, f"/desk/orders/{order_id}", f"/desk/orders/{order_id}/confirm-receipt"
    )
    assert unconfirmed.status_code == 200 and "Please confirm" in unconfirmed.text
    step = buyer.get(f"/desk/orders/{order_id}/confirm-receipt").text
    assert "You confirm you received the goods" in text_of(step)
    form = {
        "csrf_token": csrf_of(step),
        **dict(re.findall(r'name="(seen|confirm)" value="([^"]+)"', step)),
    }
    first = buyer.post(f"/desk/orders/{order_id}/confirm-receipt", data=form)
    assert first.status_code == 303
    again = buyer.post(f"/desk/orders/{order_id}/confirm-receipt", data=form)
    assert again.status_code == 303 and "already=confirm_receipt" in again.headers["location"]
    assert "Already done: Receipt confirmed." in buyer.get(again.headers["location"]).text


# -- 9. words -------------------------------------------------------------------------------------


def test_error_pages_follow_the_readers_language(desk):
    zh = desk.login("buyer", locale="zh_CN")
    missing = zh.get("/desk/orders/NOPE")
    assert missing.status_code == 404
    assert i18n.text("zh_CN", "error.not_found") in missing.text
    assert "错误 404" in missing.text and "not_found" not in text_of(missing.text)
    forbidden = zh.get("/desk/queue")
    assert forbidden.status_code == 403 and i18n.text("zh_CN", "error.forbidden") in forbidden.text
    anonymous = desk.client().get(
        "/desk/static/nothing.css", headers={"Accept-Language": "zh-CN,zh;q=0.9"}
    )
    assert anonymous.status_code == 404
    assert i18n.text("zh_CN", "error.not_found") in anonymous.text
    assert 'lang="zh-CN"' in anonymous.text
    login = desk.client().get("/desk/login", headers={"Accept-Language": "zh-CN"})
    assert i18n.text("zh_CN", "login.title") in login.text

    def boom() -> None:
        raise RuntimeError("a bug")

    if not any(getattr(r, "path", "") == "/desk/boom-for-test" for r in desk.app.routes):
        desk.app.add_api_route("/desk/boom-for-test", boom, include_in_schema=False)
    broken = TestClient(desk.app, base_url="https://testserver", raise_server_exceptions=False)
    broken.cookies.update(zh.cookies)
    failed = broken.get("/desk/boom-for-test")
    assert failed.status_code == 500 and "错误 500" in failed.text
    assert i18n.text("zh_CN", "error.title") in failed.text and "a bug" not in failed.text
    assert re.search(r"参考编号：[0-9a-f]{16}", failed.text)  # the operator finds it in the log


def test_order_words_disputed_total_only_with_a_dispute_and_one_country(desk):
    plain = new_id("W")
    create_order(
        desk.db,
        check_order(
            {
                "id": plain,
                "store_id": "shop1",
                "buyer_id": "B1",
                "amount": "10.00",
                "shipping": "1.00",
                "currency": "USD",
                "placed_at": format_instant(desk.clock.now - timedelta(days=1)),
                "promised_delivery_days": 20,
                "destination_country": "CL",
                "destination_address": "Av. Providencia 1234, Santiago, CL",
            }
        ),
        now=desk.clock.now - timedelta(days=1),
    )
    buyer = desk.login("buyer")
    page = text_of(buyer.get(f"/desk/orders/{plain}").text)
    assert "Disputed order total" not in page and "Order total $11.00" in page
    assert "Santiago, CL" in page and "CL CL" not in page and "CL, CL" not in page
    disputed = opened(desk, days_ago=1)
    assert "Disputed order total" in text_of(buyer.get(f"/desk/orders/{disputed}").text)


def test_escalations_and_roles_are_words(desk):
    order_id = opened(desk, days_ago=1)
    act(desk, order_id, "seller", "reject", note="No")
    act(desk, order_id, "buyer", "escalate")
    for locale, words in (("en", "Escalated by the buyer"), ("zh_CN", "升级方 买家")):
        page = text_of(
            desk.login("seller", locale=locale).get(f"/desk/disputes/{order_id}-D1").text
        )
        assert words in page


def test_the_catalog_names_each_key_once():
    """Several people add words to one catalog: a key written twice in desk.pot would silently
    keep the last one's words (Babel merges them as it reads)."""
    import re
    from collections import Counter

    pot = (i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot").read_text(encoding="utf-8")
    keys = Counter(re.findall(r'^msgctxt "([^"]+)"$', pot, flags=re.MULTILINE))
    assert len(keys) > 500 and not [k for k, n in keys.items() if n > 1]


# -- 10. contrast, the sign-in form, the favicon -------------------------------------------------


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_primary_buttons_meet_aa_contrast_and_the_favicon_is_served(desk):
    css = (STATIC / "desk.css").read_text()
    accent = re.search(r"--accent: (#[0-9a-fA-F]{6})", css)
    ink = re.search(r"--accent-ink: (#[0-9a-fA-F]{3,6})", css)
    assert accent and ink
    ink_color = ink.group(1) if len(ink.group(1)) == 7 else "#ffffff"
    light, dark = sorted([_luminance(accent.group(1)), _luminance(ink_color)], reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5
    client = desk.client()
    login = client.get("/desk/login").text
    assert 'rel="icon" href="/desk/static/favicon.svg"' in login
    assert 'class="stack login"' in login
    icon = client.get("/desk/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
