"""The web desk over HTTP (no browser): sign-in, CSRF, who sees what, every refusal in words,
the seller's zh-CN pages, and a dispute from opening to refund by forms alone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from disputedesk.services import worker
from disputedesk.web import i18n
from web_support import (
    csrf_of,
    make_web_desk,
    post_form,
    shipped_order,
    sign_in,
)


@pytest.fixture
def desk(db, tmp_path):
    return make_web_desk(db, tmp_path)


def open_dispute(client, order_id: str, **overrides: str):
    data = {
        "reason": "not_as_described.damaged",
        "goods_received": "yes",
        "plan_type": "refund_only",
        "amount": "45.00",
        "note": "The box arrived crushed",
        **overrides,
    }
    path = f"/desk/orders/{order_id}/open-dispute"
    return post_form(client, path, path, **data)


def test_pages_need_a_session_and_send_you_back_after_sign_in(desk):
    client = desk.client()
    response = client.get("/desk/inbox?status=negotiating")
    assert response.status_code == 303
    assert response.headers["location"] == "/desk/login?next=/desk/inbox%3Fstatus%3Dnegotiating"
    form = client.get(response.headers["location"])
    assert 'name="next" value="/desk/inbox?status=negotiating"' in form.text


def test_sign_in_sets_a_secure_httponly_session_and_sign_out_ends_it(desk):
    client = desk.client()
    email, password = "seller@shop1.test", "seller-pass-1"
    response = sign_in(client, email, password)
    assert response.status_code == 303
    assert response.headers["location"] == "/desk/inbox"
    cookie = next(h for h in response.headers.get_list("set-cookie") if "dd_session=" in h)
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    kept = desk.client()  # somebody who kept a copy of the cookie
    kept.cookies.set("dd_session", client.cookies.get("dd_session"))
    assert kept.get("/desk/inbox").status_code == 200
    inbox = client.get("/desk/inbox")
    assert inbox.status_code == 200 and "Li Wei" in inbox.text
    out = client.post("/desk/logout", data={"csrf_token": csrf_of(inbox.text)})
    assert out.status_code == 303
    assert kept.get("/desk/inbox").status_code == 303  # worthless once signed out


def test_a_wrong_password_or_email_gets_the_same_words_and_failures_are_slowed(desk):
    client = desk.client()
    wrong_password = sign_in(client, "seller@shop1.test", "nope-nope-nope")
    wrong_email = sign_in(client, "nobody@shop1.test", "seller-pass-1")
    assert wrong_password.status_code == wrong_email.status_code == 401
    message = i18n.text("en", "login.failed")
    assert message in wrong_password.text and message in wrong_email.text
    for _ in range(3):
        sign_in(client, "seller@shop1.test", "still-wrong-1")
    throttled = sign_in(client, "seller@shop1.test", "seller-pass-1")  # even the right one
    assert throttled.status_code == 429
    assert re.search(r"Try again in \d+ s", throttled.text)


def test_a_form_without_its_csrf_token_is_refused(desk):
    shipped_order(desk, "O-1")
    buyer = desk.login("buyer")
    response = buyer.post(
        "/desk/orders/O-1/open-dispute",
        data={"reason": "not_as_described.damaged", "goods_received": "yes",
              "plan_type": "refund_only", "amount": "10.00"},
    )  # fmt: skip
    assert response.status_code == 403
    assert i18n.text("en", "error.csrf") in response.text
    assert buyer.get("/desk/orders/O-1").text.count("Dispute opened") == 0
    login = desk.client()
    login.get("/desk/login")
    no_token = login.post(
        "/desk/login", data={"email": "buyer@b1.test", "password": "buyer-pass-1"}
    )
    assert no_token.status_code == 403


def test_a_buyer_cannot_open_another_buyers_order(desk):
    shipped_order(desk, "O-1", buyer="B1")
    shipped_order(desk, "O-2", buyer="B2")
    buyer = desk.login("buyer")
    assert buyer.get("/desk/orders/O-1").status_code == 200
    for path in ("/desk/orders/O-2", "/desk/orders/O-2/open-dispute", "/desk/orders/NOPE"):
        response = buyer.get(path)
        assert response.status_code == 404, path
        assert i18n.text("en", "error.not_found") in response.text
    seller2 = desk.login("seller2")
    assert seller2.get("/desk/orders/O-1").status_code == 404


def test_too_early_is_refused_with_the_rule_and_the_instant_in_the_readers_zone(desk):
    shipped_order(desk, "O-1", days_ago=2)  # disputes open 5 days after shipment
    buyer = desk.login("buyer", time_zone="Asia/Shanghai")
    response = open_dispute(buyer, "O-1", plan_type="return_and_refund", amount="12.50")
    assert response.status_code == 409
    # the form comes back as it was sent
    assert '<option value="return_and_refund" selected>' in response.text
    assert 'value="12.50"' in response.text and "The box arrived crushed" in response.text
    shipped = desk.clock.now - timedelta(days=2)
    earliest = shipped + timedelta(days=5)
    local = i18n.instant(earliest, "Asia/Shanghai", "en")
    assert f"Disputes can be opened from 5 days after shipment: from {local} (UTC+08:00)" in (
        response.text
    )


def test_a_dispute_from_opening_to_refund_by_forms(desk):
    shipped_order(desk, "O-1")
    buyer = desk.login("buyer")
    opened = open_dispute(buyer, "O-1")
    assert opened.status_code == 303
    page_path = opened.headers["location"].split("?")[0]
    assert page_path == "/desk/disputes/O-1-D1"

    seller = desk.login("seller")
    inbox = seller.get("/desk/inbox")
    assert "O-1-D1" in inbox.text and "urgent" not in inbox.text.split("O-1-D1")[0][-300:]
    page = seller.get(page_path)
    assert "Respond within" in page.text and "Refund only $45.00" in page.text
    assert 'data-deadline="' in page.text
    counter = post_form(
        seller, page_path, f"{page_path}/propose", plan_type="refund_only", amount="20.00"
    )
    assert counter.status_code == 303
    assert "Done: Seller proposed a plan." in seller.get(counter.headers["location"]).text
    too_much = post_form(
        seller, page_path, f"{page_path}/propose", plan_type="refund_only", amount="99.00"
    )
    assert too_much.status_code == 422
    assert "The amount $99.00 is more than the $45.00 still refundable." in too_much.text

    accepted = post_form(buyer, page_path, f"{page_path}/accept-seller-plan", confirm="yes")
    assert accepted.status_code == 303
    final = buyer.get(page_path)
    assert "refunded" in final.text and "$20.00" in final.text
    stages = final.text.split('id="stages"')[1].split("</ol>")[0]
    # seed 002's four steps: negotiation completed, the platform not needed
    assert '<li class="done" data-stage="2"><strong>Negotiation completed' in stages
    assert '<li class="skipped" data-stage="3"><strong>Platform intervenes' in stages
    order = buyer.get("/desk/orders/O-1")
    assert 'id="refunded-total">$20.00' in order.text


def test_the_worker_executes_the_buyers_plan_when_the_seller_misses_the_window(desk):
    shipped_order(desk, "O-1")
    buyer = desk.login("buyer")
    open_dispute(buyer, "O-1", amount="30.00")
    desk.clock.advance(days=5)
    worker.sweep(desk.db, now=desk.clock.now)
    page = desk.login("seller").get("/desk/disputes/O-1-D1")
    assert "Seller did not respond in time" in page.text
    assert 'id="refund-amount">$30.00' in page.text


def test_an_arbitrator_intervenes_and_rules(desk):
    shipped_order(desk, "O-1")
    buyer = desk.login("buyer")
    open_dispute(buyer, "O-1")
    seller = desk.login("seller")
    post_form(seller, "/desk/disputes/O-1-D1", "/desk/disputes/O-1-D1/reject", note="Not ours")
    escalated = post_form(buyer, "/desk/disputes/O-1-D1", "/desk/disputes/O-1-D1/escalate")
    assert escalated.status_code == 303
    arbitrator = desk.login("arbitrator")
    queue = arbitrator.get("/desk/queue")
    assert "O-1-D1" in queue.text
    intervened = post_form(arbitrator, "/desk/disputes/O-1-D1", "/desk/disputes/O-1-D1/intervene")
    assert intervened.status_code == 303
    ruled = post_form(
        arbitrator,
        "/desk/disputes/O-1-D1",
        "/desk/disputes/O-1-D1/rule",
        refund_amount="45.00",
        responsibility="seller",
        reason="The seller sent no proof the goods matched the listing.",
    )
    assert ruled.status_code == 303
    page = arbitrator.get("/desk/disputes/O-1-D1")
    assert "ruled by the platform" in page.text and 'id="refund-amount">$45.00' in page.text
    stages = page.text.split('id="stages"')[1].split("</ol>")[0]
    assert '<li class="done" data-stage="3"><strong>Platform intervenes' in stages
    assert '<li class="skipped" data-stage="2"><strong>Negotiation completed' in stages
    timeline = page.text.split('id="history"')[1]
    for step in ("Shipped", "Dispute opened", "Seller rejected", "Escalated", "The platform ruled"):
        assert step in timeline, step  # the whole history, shipment included


def test_the_seller_pages_speak_chinese(desk):
    shipped_order(desk, "O-1")
    open_dispute(desk.login("buyer"), "O-1")
    seller = desk.login("seller", locale="zh_CN", time_zone="Asia/Shanghai")
    page = seller.get("/desk/disputes/O-1-D1")
    assert "纠纷详情" in page.text and "买家已发起纠纷" in page.text
    assert "买家方案（默认方案）" in page.text and "US$45.00" in page.text
    refused = post_form(
        seller, "/desk/disputes/O-1-D1", "/desk/disputes/O-1-D1/propose",
        plan_type="refund_only", amount="99.00",
    )  # fmt: skip
    assert "金额 US$99.00 超过了仍可退款的 US$45.00。" in refused.text
    english = post_form(
        seller, "/desk/disputes/O-1-D1", "/desk/preferences", locale="en", next="/desk/inbox"
    )
    assert english.headers["location"] == "/desk/inbox"
    assert "Disputes" in seller.get("/desk/inbox").text


def test_evidence_upload_is_sniffed_and_downloadable_by_the_parties_only(desk):
    shipped_order(desk, "O-1")
    buyer = desk.login("buyer")
    open_dispute(buyer, "O-1")
    page = buyer.get("/desk/disputes/O-1-D1")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    sent = buyer.post(
        "/desk/disputes/O-1-D1/evidence",
        data={"csrf_token": csrf_of(page.text), "kind": "photo", "description": "The dent"},
        files={"file": ("dent.txt", png, "text/plain")},
    )
    assert sent.status_code == 303
    link = re.search(r'href="(/desk/evidence/\d+)"', buyer.get("/desk/disputes/O-1-D1").text)
    assert link
    download = buyer.get(link.group(1))
    assert download.status_code == 200 and download.headers["content-type"] == "image/png"
    assert desk.login("seller").get(link.group(1)).status_code == 200
    assert desk.login("buyer2").get(link.group(1)).status_code == 404
    refused = buyer.post(
        "/desk/disputes/O-1-D1/evidence",
        data={"csrf_token": csrf_of(page.text), "kind": "photo", "description": "zip"},
        files={"file": ("a.zip", b"PK\x03\x04" + b"\x00" * 40, "application/zip")},
    )
    assert refused.status_code == 415


def test_every_catalog_entry_reads_in_every_language_with_the_same_placeholders():
    """What the desk actually shows (tests/test_catalogs.py checks the .po files)."""
    for locale in i18n.LOCALES:
        texts = i18n.words(locale).texts
        for key in i18n.entry_keys():
            english = i18n.english_text(key)
            shown = texts[key]
            forms = [shown] if isinstance(shown, str) else list(shown)
            assert all(forms), (locale, key)
            if isinstance(shown, str):
                assert i18n.placeholders(english) == i18n.placeholders(shown), (locale, key)


def test_every_rule_the_core_names_has_words(desk):
    import ast
    from pathlib import Path

    import disputedesk.rules.lifecycle as lifecycle

    sources = [p.read_text() for p in Path(lifecycle.__file__).parent.glob("*.py")]
    rules = set()
    for node in (n for source in sources for n in ast.walk(ast.parse(source))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "_refuse"
            and len(node.args) >= 3
            and isinstance(node.args[2], ast.Constant)
        ):
            rules.add(node.args[2].value)
    rules |= {"escalate.in_transit", "escalate.too_early"}
    assert len(rules) > 15
    for rule in rules:
        assert i18n.has(f"refusal.{rule}"), rule


def test_the_seller_extends_delivery_from_the_orders_page(desk):
    shipped_order(desk, "O-1")
    seller = desk.login("seller")
    done = post_form(
        seller, "/desk/orders", "/desk/orders/O-1/extend-delivery", days="10", next="/desk/orders"
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/desk/orders?")
    assert "Done: Extend delivery time." in seller.get(done.headers["location"]).text
    order = seller.get("/desk/orders/O-1").text
    assert "Delivery time extended by 10 days" in order
    too_much = post_form(seller, "/desk/orders/O-1", "/desk/orders/O-1/extend-delivery", days="85")
    assert too_much.status_code == 422
    assert "Extensions of one order add up to at most 90 days: 80 days are left." in too_much.text


def test_a_form_sent_after_the_session_ended_comes_back_to_its_page(desk):
    shipped_order(desk, "O-1")
    open_dispute(desk.login("buyer"), "O-1")
    seller = desk.login("seller")
    page = seller.get("/desk/disputes/O-1-D1")
    seller.cookies.clear()  # the session is gone (expired, or signed out elsewhere)
    late = seller.post(
        "/desk/disputes/O-1-D1/accept",
        data={"csrf_token": csrf_of(page.text)},
        headers={"referer": "https://testserver/desk/disputes/O-1-D1"},
    )
    assert late.status_code == 303
    assert late.headers["location"] == "/desk/login?next=/desk/disputes/O-1-D1"
    after = desk.login("buyer").get("/desk/disputes/O-1-D1")
    assert 'id="dispute-status"><span class="status s-awaiting_seller_response">' in after.text
