"""Messages in the web desk (issue 13), over HTTP on both databases: suggested replies fill the
message box in the buyer's language without JavaScript and are sent as edited; the store's
messaging settings are saved by its owner (Post/Redirect/Get), refused field by field in words
(nothing stored), read-only for its agents; the template editor previews with sample data and
refuses a placeholder that is not one, naming it, in the preview and on saving; the store's own
reply is suggested where it fits; going back to the shipped words has a confirmation step; the
header's bell counts unread notifications, which are marked read one by one or all; a person's
own language wins over the browser's; and the demo's mail server on 127.0.0.1 catches what the
messaging job sends, which the operator reads on its page."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from disputedesk.demo import mailbox
from disputedesk.services import commands, messages, messaging
from disputedesk.services.accounts import authenticate_password, create_user
from disputedesk.services.notifications import MessagingJob, Options
from disputedesk.store.db import Database
from web_support import (
    PASSWORDS,
    WebDesk,
    csrf_of,
    make_web_desk,
    post_form,
    shipped_order,
    sign_in,
)


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> WebDesk:
    return make_web_desk(db, tmp_path)


class FormReader(HTMLParser):
    """The fields one form of a page sends, as a browser would: text and number inputs, the
    ticked boxes, the chosen options."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        if tag == "select":
            self._select = None


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    reader = FormReader(form_id)
    reader.feed(page)
    return reader.fields


def changed(fields: list[tuple[str, str]], **values: Any) -> list[tuple[str, str]]:
    """The form's fields with some replaced (a list value: a field sent several times)."""
    names = {k.replace("__", "."): v for k, v in values.items()}
    kept = [(k, v) for k, v in fields if k not in names]
    for name, value in names.items():
        for one in value if isinstance(value, list) else [value]:
            kept.append((name, one))
    return kept


def post_pairs(client: TestClient, url: str, pairs: list[tuple[str, str]]) -> Any:
    """POST a form whose fields repeat (several boxes of one name ticked)."""
    return client.post(
        url,
        content=urlencode(pairs).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def textarea(page: str, field_id: str) -> tuple[str, str]:
    """(its text, its lang) of a textarea."""
    found = re.search(rf'<textarea([^>]*id="{field_id}"[^>]*)>(.*?)</textarea>', page, re.S)
    assert found, f"no textarea #{field_id}"
    lang = re.search(r'lang="([^"]*)"', found.group(1))
    return html.unescape(found.group(2)), lang.group(1) if lang else ""


def disputed(desk: WebDesk, order_id: str, reason: str = "not_as_described.damaged") -> None:
    shipped_order(desk, order_id)  # to Spain: the buyer reads Spanish
    result = commands.open_dispute(
        desk.db,
        order_id,
        reason=reason,
        plan={"type": "refund_only", "amount": "20.00"},
        goods_received=True,
        at=desk.clock.now,
    )
    assert result.ok, result.refusal


def agent(desk: WebDesk) -> TestClient:
    create_user(
        desk.db,
        email="agent@shop1.test",
        name="Zhang Min",
        role="seller",
        store_id="shop1",
        store_role="agent",
        password="agent-pass-1",
    )
    client = desk.client()
    assert sign_in(client, "agent@shop1.test", "agent-pass-1").status_code == 303
    return client


# -- suggested replies ----------------------------------------------------------------------


def test_a_suggested_reply_fills_the_message_box_in_the_buyers_language_and_is_sent_as_edited(
    desk: WebDesk,
) -> None:
    disputed(desk, "O-1")
    seller = desk.login("seller")
    page = seller.get("/desk/disputes/O-1-D1")
    assert page.status_code == 200 and 'id="suggested-replies"' in page.text
    assert 'data-reply="reply.quality_or_damage"' in page.text
    assert "Sobre el estado de tu pedido O-1" in page.text  # the title, in Spanish
    assert "Spanish (the buyer&#39;s language)" in page.text
    assert "Fits: Broken in transit" in page.text
    assert textarea(page.text, "message-body") == ("", "")  # nothing chosen yet

    use = re.search(r'href="(/desk/disputes/O-1-D1\?reply=reply\.quality_or_damage)#', page.text)
    assert use is not None
    filled = seller.get(use.group(1))
    body, lang = textarea(filled.text, "message-body")
    assert lang == "es" and body.startswith("Hola, Ana:") and "Li Wei" not in body
    assert "Envíanos fotos del artículo" in body and body.endswith("shop1")
    expected = messaging.suggestions_for(desk.db, "O-1", now=desk.clock.now, dispute_seq=1)
    assert body == next(s.body for s in expected.items if s.key == "reply.quality_or_damage")
    assert 'name="language" value="es"' in filled.text and 'id="reply-used"' in filled.text

    edited = body.replace("como prefieras", "como prefieras (hoy mismo)")
    sent = post_form(
        seller,
        use.group(1),
        "/desk/orders/O-1/messages",
        body=edited,
        language="es",
        next=use.group(1),
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/desk/disputes/O-1-D1?done=send_message#messages"
    last = messages.thread(desk.db, "O-1")[-1]
    assert (last.body, last.locale, last.sender_role) == (edited, "es", "seller")
    assert textarea(seller.get("/desk/disputes/O-1-D1").text, "message-body")[0] == ""

    # in another language on request; the order page has them too; buyers never see them
    english = seller.get("/desk/disputes/O-1-D1?reply_lang=en")
    assert "About the condition of your order O-1" in english.text
    assert "reply_lang=en&amp;reply=reply.quality_or_damage" in english.text
    order = seller.get("/desk/orders/O-1?reply=reply.quality_or_damage")
    assert textarea(order.text, "message-body")[0] == body
    gone = seller.get("/desk/disputes/O-1-D1?reply=reply.no-such-reply")
    assert 'id="reply-gone"' in gone.text and textarea(gone.text, "message-body")[0] == ""
    buyer = desk.login("buyer")
    assert 'id="suggested-replies"' not in buyer.get("/desk/disputes/O-1-D1").text
    assert 'id="suggested-replies"' not in buyer.get("/desk/orders/O-1?reply=x").text


# -- the store's messaging settings ---------------------------------------------------------


def test_the_owner_saves_the_messaging_settings_and_each_mistake_is_named_at_its_field(
    desk: WebDesk,
) -> None:
    seller = desk.login("seller")
    page = seller.get("/desk/store/messaging")
    assert page.status_code == 200 and 'id="save-messaging"' in page.text
    fields = form_fields(page.text, "messaging-settings")
    assert ("reminders.enabled", "1") in fields and ("auto.enabled", "1") not in fields
    assert ("trigger.shipped.template", "notice.shipped") in fields

    wrong = changed(
        fields,
        time_zone="Mars/Olympus",
        tracking_url="https://track.example/",
        trigger__shipped__delay="soon",
        hours__mon="9-18",
        hours__sat="18:00-09:00",
        auto__enabled="1",
    )
    refused = post_pairs(seller, "/desk/store/messaging", wrong)
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert "Nothing was saved: 5 fields need a change" in text
    assert "“Mars/Olympus” is not a time zone" in text and 'value="Mars/Olympus"' in text
    assert 'id="err-tracking_url"' in text and "{number} once" in text
    assert 'id="err-trigger-shipped-delay"' in text and "whole number of minutes" in text
    assert "Monday: “9-18” is not a list of times" in text
    assert "Saturday: “18:00-09:00”" in text and 'value="18:00-09:00"' in text
    assert 'aria-invalid="true" aria-describedby="err-time_zone"' in text
    assert messaging.store_settings(desk.db, "shop1").time_zone == "UTC"  # nothing stored

    right = changed(
        fields,
        language="es",
        time_zone="Europe/Madrid",
        trigger__shipped__channels=["in_app", "email"],
        trigger__shipped__delay="30",
        trigger__receipt_confirmed__enabled=[],
        auto__enabled="1",
        hours__mon="09:00-13:00, 15:00-19:00",
        hours__sat="10:00-14:00",
        opted_out="webhook",
    )
    saved = post_pairs(seller, "/desk/store/messaging", right)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/desk/store/messaging?store=shop1&done=save_messaging"
    stored = messaging.store_settings(desk.db, "shop1")
    assert (stored.language, stored.time_zone) == ("es", "Europe/Madrid")
    shipped = stored.triggers["shipped"]
    assert (shipped.channels, shipped.delay_minutes) == (("in_app", "email"), 30)
    assert not stored.triggers["receipt_confirmed"].enabled
    assert stored.auto_reply.enabled
    assert stored.auto_reply.hours.to_json() == {
        "mon": ["09:00-13:00", "15:00-19:00"],
        **{day: ["09:00-18:00"] for day in ("tue", "wed", "thu", "fri")},  # as they were
        "sat": ["10:00-14:00"],
    }
    assert messaging.store_opt_outs(desk.db, "shop1") == ["webhook"]
    again = seller.get(saved.headers["location"])
    assert "Messaging settings saved" in again.text
    assert 'value="09:00-13:00, 15:00-19:00"' in again.text

    # without working hours the automatic reply cannot be on
    closed = changed(
        form_fields(again.text, "messaging-settings"), **{f"hours__{d}": "" for d in WEEKDAYS}
    )
    assert post_pairs(seller, "/desk/store/messaging", closed).status_code == 422

    # an agent reads them; only the owner changes them; other stores' staff see nothing
    reader = agent(desk)
    view = reader.get("/desk/store/messaging")
    assert view.status_code == 200 and 'id="owner-only"' in view.text
    assert 'id="save-messaging"' not in view.text and "disabled" in view.text
    token = csrf_of(view.text)
    assert (
        post_pairs(reader, "/desk/store/messaging", [*right, ("csrf_token", token)]).status_code
        == 403
    )
    other = desk.login("seller2")
    assert other.get("/desk/store/messaging?store=shop1").status_code == 404
    assert desk.login("buyer").get("/desk/store/messaging").status_code == 403


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# -- the template editor --------------------------------------------------------------------


def test_the_editor_previews_and_refuses_a_placeholder_that_is_not_one_naming_it(
    desk: WebDesk,
) -> None:
    seller = desk.login("seller")
    listing = seller.get("/desk/store/templates")
    assert listing.status_code == 200
    assert 'data-template="reply.quality_or_damage" data-origin="shipped"' in listing.text
    assert "Reason: Broken in transit, Poor quality or workmanship" in listing.text
    editor_path = "/desk/store/templates/reply.quality_or_damage?store=shop1&lang=es"
    editor = seller.get(editor_path)
    assert editor.status_code == 200 and "The text in Spanish" in editor.text
    assert "{{ buyer_name }}" in html.unescape(editor.text)  # the placeholders' list and text
    action = "/desk/store/templates/reply.quality_or_damage"
    typo = {"store_id": "shop1", "language": "es", "subject": "Pedido {{ order_number }}"}

    preview = post_form(
        seller, editor_path, action, **typo, body="Hola {{ buyer_nme }}", do="preview"
    )
    assert preview.status_code == 200 and 'id="preview-problems"' in preview.text
    said = "Text: “buyer_nme” is not a placeholder. Use one from the list of placeholders."
    assert said in html.unescape(preview.text)
    refused = post_form(seller, editor_path, action, **typo, body="Hola {{ buyer_nme }}", do="save")
    assert refused.status_code == 422 and 'id="err-body"' in refused.text
    assert said in html.unescape(refused.text) and "Hola {{ buyer_nme }}" in html.unescape(
        refused.text
    )  # what was typed is kept
    assert messaging.store_template(desk.db, "shop1", "reply.quality_or_damage").origin == "shipped"
    broken = post_form(seller, editor_path, action, **typo, body="Hola {{ buyer_name", do="save")
    assert broken.status_code == 422 and "line 1: the braces do not match" in html.unescape(
        broken.text
    )

    good = "Hola, {{ buyer_name }}: ya revisamos el pedido {{ order_number }}."
    shown = post_form(seller, editor_path, action, **typo, body=good, do="preview")
    assert 'id="preview-body"' in shown.text
    assert "Hola, Ana Souza: ya revisamos el pedido 8123456789." in shown.text  # sample data
    saved = post_form(seller, editor_path, action, **typo, body=good, do="save")
    assert saved.status_code == 303
    assert saved.headers["location"] == (
        "/desk/store/templates/reply.quality_or_damage?store=shop1&lang=es&done=save_template"
    )
    mine = messaging.store_template(desk.db, "shop1", "reply.quality_or_damage")
    assert mine.origin == "edited" and mine.texts["es"].body == good
    assert mine.texts["en"] == mine.shipped.texts["en"]  # type: ignore[union-attr]
    listing = seller.get("/desk/store/templates")
    assert 'data-template="reply.quality_or_damage" data-origin="edited"' in listing.text
    assert "rewritten in Spanish" in listing.text

    # back to the shipped words: a confirmation step first
    step = seller.get("/desk/store/templates/reply.quality_or_damage/delete?store=shop1")
    assert step.status_code == 200 and 'id="confirm-yes"' in step.text
    assert "Go back to the shipped words of “Sobre el estado" not in step.text  # English title
    assert "Go back to the shipped words of “About the condition" in html.unescape(step.text)
    token = csrf_of(step.text)
    back = seller.post(
        "/desk/store/templates/reply.quality_or_damage/delete",
        data={"csrf_token": token, "store_id": "shop1", "confirm": "yes"},
    )
    assert back.status_code == 303 and "done=revert_template" in back.headers["location"]
    assert messaging.store_template(desk.db, "shop1", "reply.quality_or_damage").origin == "shipped"


def test_the_stores_own_reply_is_added_and_suggested_where_it_fits(desk: WebDesk) -> None:
    disputed(desk, "O-1")
    seller = desk.login("seller")
    fields = {
        "store_id": "shop1",
        "language": "es",
        "subject": "Garantía del pedido {{ order_number }}",
        "body": "Hola, {{ buyer_name }}: tiene 12 meses de garantía.",
    }
    bad = post_form(
        seller, "/desk/store/templates", "/desk/store/templates", key="Mi Garantía", **fields
    )
    assert bad.status_code == 422 and 'id="err-new-key"' in bad.text
    assert 'value="Mi Garantía"' in bad.text  # kept as typed
    taken = post_form(
        seller, "/desk/store/templates", "/desk/store/templates", key="reply.wrong_item", **fields
    )
    assert taken.status_code == 422 and "A template already has this name" in taken.text
    page = seller.get("/desk/store/templates")
    added = post_pairs(
        seller,
        "/desk/store/templates",
        [
            ("csrf_token", csrf_of(page.text)),
            ("key", "shop.warranty"),
            *fields.items(),
            ("fits.reasons", "not_as_described.damaged"),
            ("fits.reasons", "not_as_described.not_working"),
        ],
    )
    assert added.status_code == 303
    assert added.headers["location"].startswith("/desk/store/templates/shop.warranty?")
    own = messaging.store_template(desk.db, "shop1", "shop.warranty")
    assert own.origin == "store" and own.purpose == "reply"
    assert own.situations.reasons == {"not_as_described.damaged", "not_as_described.not_working"}
    dispute = seller.get("/desk/disputes/O-1-D1")
    assert (
        'data-reply="shop.warranty"' in dispute.text and "Garantía del pedido O-1" in dispute.text
    )

    # the store's own: written in Spanish only; deleting it takes a confirmation
    editor = seller.get("/desk/store/templates/shop.warranty?store=shop1&lang=fr")
    assert 'id="not-written"' in editor.text
    token = csrf_of(seller.get("/desk/store/templates/shop.warranty/delete?store=shop1").text)
    unconfirmed = seller.post(
        "/desk/store/templates/shop.warranty/delete",
        data={"csrf_token": token, "store_id": "shop1"},
    )
    assert unconfirmed.status_code == 303 and "/delete?" in unconfirmed.headers["location"]
    gone = seller.post(
        "/desk/store/templates/shop.warranty/delete",
        data={"csrf_token": token, "store_id": "shop1", "confirm": "yes"},
    )
    assert gone.headers["location"] == "/desk/store/templates?store=shop1&done=delete_template"
    assert seller.get("/desk/store/templates/shop.warranty?store=shop1").status_code == 404


# -- notifications and personal settings ----------------------------------------------------


def bell(page: str) -> int:
    found = re.search(r'id="nav-notifications"[^>]*>[^<]*(?:<span class="count"[^>]*>(\d+))?', page)
    assert found, "no notifications link in the header"
    return int(found.group(1) or 0)


def test_the_bell_counts_unread_notifications_and_they_are_marked_read(desk: WebDesk) -> None:
    shipped_order(desk, "O-1", days_ago=1)
    shipped_order(desk, "O-2", days_ago=2)
    MessagingJob(desk.db, Options()).run(desk.clock.now)  # the shipped notices, in the app
    buyer = desk.login("buyer")
    orders = buyer.get("/desk/orders")
    assert bell(orders.text) == 2 and "2 unread" in orders.text
    listing = buyer.get("/desk/notifications")
    assert listing.status_code == 200 and listing.text.count('class="unread"') == 2
    assert "Tu pedido O-1 ya está en camino" in listing.text  # the buyer's language
    assert "The order was shipped (or a replacement)" in listing.text  # the kind, the reader's
    first = re.search(r'data-notification="(\d+)"', listing.text)
    assert first is not None
    token = csrf_of(listing.text)
    read = buyer.post(
        f"/desk/notifications/{first.group(1)}/read",
        data={"csrf_token": token, "next": "/desk/orders/O-2"},
    )
    assert read.status_code == 303 and read.headers["location"] == "/desk/orders/O-2"
    assert bell(buyer.get("/desk/orders").text) == 1
    assert (
        buyer.post("/desk/notifications/999999/read", data={"csrf_token": token}).status_code == 404
    )
    assert buyer.post("/desk/notifications/read-all", data={"csrf_token": "x"}).status_code == 403
    done = buyer.post("/desk/notifications/read-all", data={"csrf_token": token})
    assert done.headers["location"] == "/desk/notifications?done=read_all_notifications"
    after = buyer.get(done.headers["location"])
    assert bell(after.text) == 0 and "All marked read" in after.text
    assert "Everything is read." in after.text

    # staff: a dispute opened is a notice for the store's staff, linking to the dispute
    commands.open_dispute(
        desk.db,
        "O-1",
        reason="not_received.in_transit",
        plan={"type": "refund_only", "amount": "45.00"},
        goods_received=False,
        at=desk.clock.advance(days=5),
    )
    MessagingJob(desk.db, Options()).run(desk.clock.now)
    seller = desk.login("seller")
    staff = seller.get("/desk/notifications")
    assert bell(staff.text) == 1 and "The buyer opened a dispute" in staff.text
    assert 'name="next" value="/desk/disputes/O-1-D1"' in staff.text
    assert bell(desk.login("seller2").get("/desk/notifications").text) == 0  # not their store


def test_a_persons_own_language_wins_over_the_browsers(desk: WebDesk) -> None:
    buyer = desk.login("buyer")  # signed in from an English page
    me = buyer.get("/desk/me")
    assert me.status_code == 200 and '<html lang="en">' in me.text
    bad = post_form(buyer, "/desk/me", "/desk/me", language="zh_CN", time_zone="Moon/Base")
    assert bad.status_code == 422 and "“Moon/Base” is not a time zone" in html.unescape(bad.text)
    saved = post_form(
        buyer,
        "/desk/me",
        "/desk/me",
        language="zh_CN",
        time_zone="Asia/Shanghai",
        opted_out="email",
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/desk/me?done=save_me"
    assert '<html lang="zh-CN">' in buyer.get("/desk/orders").text  # at once
    email, password = PASSWORDS["buyer"]
    principal = authenticate_password(desk.db, email, password)
    assert principal is not None
    stored = messaging.preferences_of(desk.db, principal)
    assert (stored["language"], stored["time_zone"], stored["opted_out"]) == (
        "zh_CN",
        "Asia/Shanghai",
        ["email"],
    )

    # a new sign-in from an English browser: the account's language and zone
    fresh = desk.client()
    fresh.headers["Accept-Language"] = "en-US,en;q=0.9"
    assert '<html lang="en">' in fresh.get("/desk/login").text
    assert sign_in(fresh, email, password, locale="en", time_zone="UTC").status_code == 303
    page = fresh.get("/desk/orders")
    assert '<html lang="zh-CN">' in page.text and "我的订单" in page.text
    assert "Asia/Shanghai" in page.text.split("<footer>")[1]

    # every language messages are written in, the pages speak too (issue 13, part 1)
    post_form(fresh, "/desk/me", "/desk/me", language="es", time_zone="Asia/Shanghai")
    other = desk.client()
    assert sign_in(other, email, password, locale="en").status_code == 303
    assert '<html lang="es">' in other.get("/desk/orders").text
    assert messaging.preferences_of(desk.db, principal)["language"] == "es"


# -- the demo's mailbox ---------------------------------------------------------------------


def test_the_demo_mail_server_catches_the_email_and_the_operator_reads_it(desk: WebDesk) -> None:
    pytest.importorskip("aiosmtpd.controller")
    messaging.save_settings(
        desk.db,
        "shop1",
        {"triggers": {"shipped": {"channels": ["in_app", "email"]}}},
        by="test",
        now=desk.clock.now,
    )
    shipped_order(desk, "O-1", days_ago=1)
    admin = desk.login("admin")
    without = admin.get("/desk/operator/mail")
    assert without.status_code == 200 and 'id="no-mailbox"' in without.text
    with mailbox.running() as server:
        assert server.host == "127.0.0.1" and server.port > 0
        desk.app.state.demo_mailbox = server.mailbox
        desk.app.state.demo_mail_address = f"{server.host}:{server.port}"
        options = Options(mailer=server.mailer(), public_url="http://127.0.0.1:8000")
        report = MessagingJob(desk.db, options).run(desk.clock.now)
        assert report.delivered == 1
        (mail,) = server.mailbox.messages()
        assert mail.envelope_to == ("buyer@b1.test",)
        assert mail.subject == "Tu pedido O-1 ya está en camino" and mail.language == "es"
        assert mail.message["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/unsubscribe/")
        page = admin.get("/desk/operator/mail")
        text = html.unescape(page.text)
        assert page.status_code == 200 and f'data-mail="{mail.id}"' in page.text
        assert "Tu pedido O-1 ya está en camino" in text and "buyer@b1.test" in text
        assert "List-Unsubscribe" in text and "http://127.0.0.1:8000/unsubscribe/" in text
        assert "Hola, Ana:" in text and 'lang="es"' in page.text
        assert f"({server.host}:{server.port}) keeps what the desk sends" in text
        assert "Messages caught: 1, newest first" in text
        assert 'href="/desk/operator/mail" aria-current="page"' in page.text  # the console's nav
        assert desk.login("seller").get("/desk/operator/mail").status_code == 403
    log = desk.login("seller").get("/desk/store/messaging/deliveries?channel=email")
    assert log.status_code == 200 and 'data-status="delivered"' in log.text
    assert "Delivered" in log.text and "buyer@b1.test" in log.text
    assert 'data-status="pending"' not in log.text


def test_the_demo_mailbox_keeps_the_latest_messages() -> None:
    box = mailbox.Mailbox(capacity=2)
    for n in range(3):
        box.keep(
            f"Subject: n{n}\r\nFrom: a@b.test\r\nTo: c@d.test\r\n\r\nbody {n}\r\n".encode(),
            "a@b.test",
            ["c@d.test"],
            datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n),
        )
    assert [m.subject for m in box.messages()] == ["n2", "n1"]
    assert box.messages()[0].body.strip() == "body 2"
