"""Triggers and reminders with the worker (issue 13), on SQLite and PostgreSQL: every trigger at
its instant (and its delay), reminders 48 h and 12 h before each deadline to whoever must act,
once each, not twice with two workers, none after the deadline moved or the action was taken;
opt-outs per channel; the automatic reply outside working hours; the webhook channel."""

from __future__ import annotations

import http.server
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from api_support import Desk, make_desk
from disputedesk.services import commands, messages, messaging, webhooks
from disputedesk.services.accounts import principal_by_email
from disputedesk.services.mailer import Outcome
from disputedesk.services.notifications import MessagingJob, Options
from disputedesk.store.db import Database
from messaging_support import (
    T0,
    Mailbox,
    deliveries,
    job,
    listed_for,
    new_order,
    notifications,
    open_dispute,
    save_settings,
    ship,
    shipped_and_disputed,
    system_messages,
    track,
)

STAFF = ("seller@shop1.test", "agent@shop1.test")


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    yield d
    d.client.close()


# -- triggers -----------------------------------------------------------------------------------


def test_shipped_at_its_instant_in_the_buyers_language_and_after_its_delay(desk: Desk) -> None:
    db = desk.db
    new_order(db, "O1")
    shipped_at = T0 + timedelta(days=1)
    ship(db, "O1", shipped_at)
    run = job(db)
    run.run(shipped_at)
    (said,) = system_messages(db, "O1")
    assert said.locale == "pt_BR" and "RRO1CN" in said.body and "Olá, Ana!" in said.body
    assert said.sender_name == "shop1" or said.sender_name
    (note,) = listed_for(db, "buyer@b1.test")
    assert note.title == "Seu pedido O1 está a caminho" and note.read_at is None
    run.run(shipped_at + timedelta(minutes=5))
    assert len(system_messages(db, "O1")) == 1  # once

    save_settings(db, {"triggers": {"shipped": {"delay_minutes": 120}}})
    new_order(db, "O2")
    ship(db, "O2", shipped_at)
    run.run(shipped_at)
    assert system_messages(db, "O2") == []
    (scheduled,) = notifications(db, order_id="O2")
    assert scheduled.status == "scheduled"
    run.run(shipped_at + timedelta(minutes=119))
    assert system_messages(db, "O2") == []
    run.run(shipped_at + timedelta(minutes=120))
    assert len(system_messages(db, "O2")) == 1


def test_a_trigger_turned_off_sends_nothing(desk: Desk) -> None:
    db = desk.db
    save_settings(db, {"triggers": {"shipped": {"enabled": False}}})
    new_order(db, "O1")
    ship(db, "O1", T0 + timedelta(days=1))
    job(db).run(T0 + timedelta(days=1))
    assert system_messages(db, "O1") == [] and notifications(db) == []


def test_dispute_opened_plan_proposed_return_shipped_and_thanks_at_their_instants(
    desk: Desk,
) -> None:
    db = desk.db
    run = job(db)
    opened = T0 + timedelta(days=10)
    shipped_and_disputed(db, "O1", opened)
    run.run(opened)
    for email in STAFF:  # the store's staff must act: in the app, in the store's language
        (note,) = [n for n in listed_for(db, email) if n.kind == "dispute_opened"]
        assert note.title == "Dispute opened on order O1"
        assert "damaged in transit" in note.body and "a return of the goods" in note.body
    assert [m for m in system_messages(db, "O1") if "disputa" in m.body] == []  # not the thread

    proposed = opened + timedelta(days=1)
    assert commands.propose(
        db, "O1", plan={"type": "refund_only", "amount": "30.00"}, at=proposed
    ).ok
    run.run(proposed)
    (offer,) = [m for m in system_messages(db, "O1") if "propõe" in m.body]
    assert "um reembolso de US$\xa030,00" in offer.body

    accepted = proposed + timedelta(hours=2)
    assert commands.accept(db, "O1", actor="buyer", at=accepted).ok

    new_order(db, "O2", placed_at=T0)
    ship(db, "O2", T0 + timedelta(days=1))
    open_dispute(db, "O2", opened)
    assert commands.accept(db, "O2", actor="seller", at=opened + timedelta(hours=1)).ok
    returned = opened + timedelta(days=2)
    assert commands.ship_return(
        db, "O2", carrier="Correios", tracking_number="LB1BR", at=returned
    ).ok
    run.run(returned)
    (note,) = [n for n in listed_for(db, "seller@shop1.test") if n.kind == "return_shipped"]
    assert (
        "LB1BR" in note.body and "$50.00 is refunded" in note.body
    )  # refunded automatically if idle

    new_order(db, "O3")
    ship(db, "O3", T0 + timedelta(days=1))
    confirmed = T0 + timedelta(days=12)
    assert commands.confirm_receipt(db, "O3", at=confirmed).ok
    run.run(confirmed)
    assert [m for m in system_messages(db, "O3") if "Obrigado por confirmar" in m.body] == []
    run.run(confirmed + timedelta(days=1))  # the review request waits a day by default
    assert [m for m in system_messages(db, "O3") if "Obrigado por confirmar" in m.body]


def test_tracking_triggers_arrived_customs_pickup_notice_delivered(desk: Desk) -> None:
    db = desk.db
    run = job(db)
    new_order(db, "O1")
    ship(db, "O1", T0 + timedelta(days=1))
    run.run(T0 + timedelta(days=1))
    steps = [
        ("Arrived at destination country", "arrived_dest_country", "chegou ao país (Brasil)"),
        ("Held by customs", "in_customs", "está na alfândega"),
        (
            "Notice left - parcel available for collection at post office",
            "pickup_notice",
            "aguardando retirada",
        ),
        ("Delivered to recipient", "delivered", "foi entregue"),
    ]
    at = T0 + timedelta(days=8)
    for description, kind, words in steps:
        track(db, "O1", description, at)
        run.run(at)
        run.run(at + timedelta(minutes=1))  # again: nothing more
        (_said,) = [m for m in system_messages(db, "O1") if words in m.body]
        assert len(notifications(db, kind=kind)) == 1
        at += timedelta(days=2)
    assert len(system_messages(db, "O1")) == 1 + len(steps)


def test_an_old_history_of_scans_announces_only_the_current_stage(desk: Desk) -> None:
    db = desk.db
    new_order(db, "O1")
    ship(db, "O1", T0 + timedelta(days=1))
    for n, description in enumerate(
        ("Arrived at destination country", "Held by customs", "Delivered to recipient")
    ):
        track(db, "O1", description, T0 + timedelta(days=5 + n))
    job(db).run(T0 + timedelta(days=8))
    assert [n.kind for n in notifications(db)] == ["shipped", "delivered"] or [
        n.kind for n in notifications(db)
    ] == ["delivered"]


def test_the_automatic_reply_outside_working_hours_once_per_closed_stretch(desk: Desk) -> None:
    db = desk.db
    new_order(db, "O1")
    run = job(db)
    # off by default: nothing
    night = T0 + timedelta(hours=12)  # Monday 20:00 in Shanghai
    messages.post_message(db, "O1", sender_role="buyer", body="Olá?", at=night)
    run.run(night)
    assert system_messages(db, "O1") == []
    save_settings(
        db,
        {
            "time_zone": "Asia/Shanghai",
            "auto_reply": {"enabled": True, "working_hours": {"tue": ["09:00-18:00"]}},
        },
    )
    later = night + timedelta(hours=1)
    messages.post_message(db, "O1", sender_role="buyer", body="Alguém aí?", at=later)
    messages.post_message(db, "O1", sender_role="buyer", body="Oi?", at=later + timedelta(hours=1))
    run.run(later + timedelta(hours=1))
    (reply,) = system_messages(db, "O1")
    # back Tuesday 09:00 in Shanghai: 22:00 on Monday in São Paulo (the buyer's zone)
    assert "2 de mar. de 2026 22:00 (UTC-03:00)" in reply.body
    day = T0 + timedelta(days=1, hours=-6)  # Tuesday 10:00 in Shanghai
    messages.post_message(db, "O1", sender_role="buyer", body="Bom dia", at=day)
    run.run(day)
    assert len(system_messages(db, "O1")) == 1


# -- reminders ----------------------------------------------------------------------------------


def _seller_response(db: Database) -> tuple[str, Any]:
    shipped_and_disputed(db, "O1", T0 + timedelta(days=10))
    return "seller_response", T0 + timedelta(days=15)


def _return_shipment(db: Database) -> tuple[str, Any]:
    shipped_and_disputed(db, "O1", T0 + timedelta(days=10))
    assert commands.accept(db, "O1", actor="seller", at=T0 + timedelta(days=11)).ok
    return "return_shipment", T0 + timedelta(days=21)


def _return_receipt(db: Database) -> tuple[str, Any]:
    _return_shipment(db)
    at = T0 + timedelta(days=12)
    assert commands.ship_return(db, "O1", carrier="Correios", tracking_number="LB9BR", at=at).ok
    return "return_receipt", at + timedelta(days=30)


def _evidence_period(db: Database) -> tuple[str, Any]:
    shipped_and_disputed(db, "O1", T0 + timedelta(days=10))
    assert commands.reject(db, "O1", note="as described", at=T0 + timedelta(days=11)).ok
    assert commands.escalate(db, "O1", actor="buyer", at=T0 + timedelta(days=11, hours=1)).ok
    assert commands.intervene(db, "O1", at=T0 + timedelta(days=12)).ok
    return "evidence_period", T0 + timedelta(days=15)


def _resend(db: Database) -> tuple[str, Any]:
    shipped_and_disputed(db, "O1", T0 + timedelta(days=10), {"type": "resend"})
    assert commands.accept(db, "O1", actor="seller", at=T0 + timedelta(days=11)).ok
    return "resend", T0 + timedelta(days=18)


@pytest.mark.parametrize(
    ("setup", "waiting_on"),
    [
        (_seller_response, "store"),
        (_return_shipment, "buyer"),
        (_return_receipt, "store"),
        (_evidence_period, "store"),
        (_resend, "store"),
    ],
)
def test_reminders_48_and_12_hours_before_each_deadline_with_the_worker(
    desk: Desk, setup: Callable[[Database], tuple[str, Any]], waiting_on: str
) -> None:
    db = desk.db
    mailbox = Mailbox()
    run = job(db, mailbox)
    kind, deadline = setup(db)
    run.run(deadline - timedelta(hours=49))
    assert notifications(db, kind=f"reminder.{kind}") == []
    run.run(deadline - timedelta(hours=48))
    run.run(deadline - timedelta(hours=30))
    (first,) = notifications(db, kind=f"reminder.{kind}")
    assert (first.lead_hours, first.audience, first.status) == (48, waiting_on, "released")
    run.run(deadline - timedelta(hours=12))
    run.run(deadline - timedelta(hours=1))
    reminders = notifications(db, kind=f"reminder.{kind}")
    assert [r.lead_hours for r in reminders] == [48, 12]
    if waiting_on == "store":
        for email in STAFF:  # in the app and by email, once each
            assert [n.kind for n in listed_for(db, email)].count(f"reminder.{kind}") == 2
            assert len(mailbox.to(email)) == 2
        assert all(m["Subject"] for m in mailbox.sent)
    else:
        assert [n.kind for n in listed_for(db, "buyer@b1.test")].count(f"reminder.{kind}") == 2
        assert len(mailbox.to("buyer@b1.test")) == 2
        assert "Envie de volta" in mailbox.to("buyer@b1.test")[0].get_content()


def test_two_workers_create_and_send_each_reminder_once(desk: Desk, database_url: str) -> None:
    db = desk.db
    for n in range(12):
        shipped_and_disputed(db, f"O{n}", T0 + timedelta(days=10))
    mailbox = Mailbox()
    other = Database(database_url)
    try:
        jobs = [job(db, mailbox), job(other, mailbox)]
        at = T0 + timedelta(days=13)  # 48 h before the seller's deadline
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def work(j: MessagingJob) -> None:
            try:
                start.wait()
                for _ in range(3):
                    j.run(at)
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(j,)) for j in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
    finally:
        other.dispose()
    reminders = notifications(db, kind="reminder.seller_response")
    assert len(reminders) == 12
    sent = Counter((m["To"], m["Message-ID"]) for m in mailbox.sent)
    assert len(sent) == 24 and set(sent.values()) == {1}  # 12 orders x 2 staff, once each
    listed = listed_for(db, "seller@shop1.test")
    assert len([n for n in listed if n.kind == "reminder.seller_response"]) == 12


def test_no_reminder_after_the_deadline_moved(desk: Desk) -> None:
    db = desk.db
    mailbox = Mailbox(Outcome("retry", 451, "451 try later"))
    run = job(db, mailbox)
    _kind, deadline = _seller_response(db)
    run.run(deadline - timedelta(hours=48))
    # the buyer changes the plan: the seller's 5 days start again
    moved_at = deadline - timedelta(hours=36)
    result = commands.modify_dispute(
        db, "O1", plan={"type": "refund_only", "amount": "20.00"}, at=moved_at
    )
    assert result.ok
    run.run(deadline - timedelta(hours=12))  # 12 h before the old deadline: nothing
    assert [r.lead_hours for r in notifications(db, kind="reminder.seller_response")] == [48]
    # the first email was refused for now (4xx); its retry is cancelled, never sent
    (cancelled,) = [d for d in deliveries(db, channel="email") if d.status == "cancelled"]
    assert cancelled.last_error == "the deadline moved" and cancelled.attempts == 2
    assert len(mailbox.sent) == 2  # the refused first try, and the other address's email
    new_deadline = moved_at + timedelta(days=5)
    run.run(new_deadline - timedelta(hours=48))
    planned = notifications(db, kind="reminder.seller_response")
    assert [(r.lead_hours, r.deadline_at) for r in planned][-1] == (48, new_deadline)


def test_no_reminder_after_the_action_was_taken(desk: Desk) -> None:
    db = desk.db
    mailbox = Mailbox(Outcome("retry", 421, "421 busy"), Outcome("retry", 421, "421 busy"))
    run = job(db, mailbox)
    _, deadline = _seller_response(db)
    run.run(deadline - timedelta(hours=48))
    answered = deadline - timedelta(hours=40)
    assert commands.propose(
        db, "O1", plan={"type": "refund_only", "amount": "25.00"}, at=answered
    ).ok
    run.run(answered + timedelta(minutes=10))  # the queued emails' retries come due
    emails = deliveries(db, channel="email")
    assert {d.status for d in emails} == {"cancelled"}
    assert {d.last_error for d in emails} == {"the action was taken"}
    run.run(deadline - timedelta(hours=12))
    assert [r.lead_hours for r in notifications(db, kind="reminder.seller_response")] == [48]
    assert len(mailbox.sent) == 2  # the two first tries, nothing after the answer


def test_reminders_turned_off_are_recorded_and_not_sent(desk: Desk) -> None:
    db = desk.db
    save_settings(db, {"reminders": {"enabled": False}})
    _, deadline = _seller_response(db)
    job(db).run(deadline - timedelta(hours=48))
    (off,) = notifications(db, kind="reminder.seller_response")
    assert off.status == "cancelled" and off.note == "reminders are off for this store"
    assert deliveries(db, kind="reminder.seller_response") == []


# -- channels and opt-outs ----------------------------------------------------------------------


def test_opt_outs_are_honoured_per_channel(desk: Desk) -> None:
    db = desk.db
    save_settings(db, {"triggers": {"shipped": {"channels": ["in_app", "email", "webhook"]}}})
    mailbox = Mailbox()
    run = job(db, mailbox)
    buyer = principal_by_email(db, "buyer@b1.test")
    messaging.save_preferences(
        db, buyer, language=None, time_zone=None, opted_out=["email"], now=T0
    )
    messaging.save_store_opt_outs(db, "shop1", ["webhook"], now=T0)
    new_order(db, "O1")
    ship(db, "O1", T0 + timedelta(days=1))
    run.run(T0 + timedelta(days=1))
    by_channel = {d.channel: d for d in deliveries(db, order_id="O1") if d.recipient != "-"}
    assert by_channel["email"].status == "skipped" and by_channel["email"].last_error == "opted out"
    assert mailbox.sent == []
    assert len(system_messages(db, "O1")) == 1  # in the app still
    (hook,) = deliveries(db, channel="webhook")
    assert hook.status == "skipped"

    messaging.save_preferences(
        db, buyer, language="fr", time_zone=None, opted_out=["in_app"], now=T0
    )
    new_order(db, "O2")
    ship(db, "O2", T0 + timedelta(days=1))
    run.run(T0 + timedelta(days=1))
    assert system_messages(db, "O2") == []
    statuses = {(d.channel, d.status) for d in deliveries(db, order_id="O2")}
    assert ("in_app", "skipped") in statuses and ("email", "delivered") in statuses
    (mail,) = mailbox.sent  # now by email, in the language the buyer chose
    assert mail["To"] == "buyer@b1.test" and mail["Subject"] == "Votre commande O2 est en route"


class Receiver:
    """A webhook receiver on 127.0.0.1 that answers 200 and keeps what it got."""

    def __init__(self) -> None:
        self.got: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_the_webhook_channel_signs_and_sends_each_notification_once(desk: Desk) -> None:
    db = desk.db
    receiver = Receiver()
    try:
        created = desk.post("seller", "/stores/shop1/webhooks", {"url": receiver.url})
        if created.status_code == 422:  # the API refuses private targets: subscribe directly
            from sqlalchemy import insert

            from disputedesk.store import tables as t

            with db.begin() as conn:
                conn.execute(
                    insert(t.webhook_subscriptions).values(
                        store_id="shop1",
                        url=receiver.url,
                        secret="whsec_test",
                        active=True,
                        created_at=T0,
                    )
                )
            secret = "whsec_test"
        else:
            secret = created.json()["secret"]
        save_settings(db, {"triggers": {"shipped": {"channels": ["webhook"]}}})
        run = MessagingJob(
            db, Options(poster=webhooks.http_poster(5.0, allow_private=True), allow_private=True)
        )
        new_order(db, "O1")
        ship(db, "O1", T0 + timedelta(days=1))
        run.run(T0 + timedelta(days=1))
        run.run(T0 + timedelta(days=1, minutes=1))
    finally:
        receiver.close()
    (got,) = receiver.got
    headers, body = got
    payload = json.loads(body)
    assert (
        payload["topic"] == "notification.shipped"
        and headers["x-disputedesk-event-id"] == payload["id"]
    )
    assert (
        payload["notification"]["language"] == "pt_BR"
        and "RRO1CN" in payload["notification"]["body"]
    )
    assert webhooks.verify(
        secret,
        headers["x-disputedesk-signature"],
        body,
        now=int((T0 + timedelta(days=1)).timestamp()),
    )
    assert system_messages(db, "O1") == []  # the store chose the webhook only


# -- the API ------------------------------------------------------------------------------------


def test_suggested_replies_for_a_dispute_and_an_order(desk: Desk) -> None:
    db = desk.db
    opened = desk.clock.now + timedelta(days=10)
    shipped_and_disputed(db, "O1", opened)
    desk.clock.now = opened + timedelta(hours=1)
    answer = desk.get("seller", "/disputes/O1-D1/suggested-replies")
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["language"] == "pt_BR" and found["case"]["reason"] == "not_as_described.damaged"
    assert found["items"][0]["key"] == "reply.quality_or_damage"
    assert "Olá, Ana!" in found["items"][0]["body"]
    english = desk.get("seller", "/disputes/O1-D1/suggested-replies", params={"language": "en"})
    assert english.json()["items"][0]["body"].startswith("Hello Ana,")
    assert desk.get("buyer", "/disputes/O1-D1/suggested-replies").status_code == 403
    assert desk.get("seller2", "/disputes/O1-D1/suggested-replies").status_code == 404
    assert desk.get("seller", "/disputes/O1-D9/suggested-replies").status_code == 404
    new_order(db, "O2")
    thread = desk.get("seller", "/orders/O2/suggested-replies").json()
    assert thread["items"][0]["key"] == "reply.order_thanks" and thread["dispute_id"] is None

    # the store's own words win, and are refused with the placeholder named when wrong
    bad = desk.post(
        "seller",
        "/stores/shop1/templates/reply.quality_or_damage",
        {"texts": {"pt_BR": {"subject": "x", "body": "Oi {{ comprador }}"}}},
    )
    assert bad.status_code == 422 and "comprador" in bad.json()["detail"]
    unsafe = desk.post(
        "seller",
        "/stores/shop1/templates/reply.quality_or_damage",
        {"texts": {"en": {"body": "{{ order_number.__class__ }}"}}},
    )
    assert unsafe.status_code == 422
    saved = desk.post(
        "seller",
        "/stores/shop1/templates/reply.quality_or_damage",
        {
            "texts": {
                "pt_BR": {"subject": "Sobre {{ order_number }}", "body": "Oi {{ buyer_name }}!"}
            }
        },
    )
    assert saved.status_code == 200 and saved.json()["origin"] == "edited"
    assert "Hello" in saved.json()["texts"]["en"]["body"]  # the other languages stay shipped
    again = desk.get("seller", "/disputes/O1-D1/suggested-replies").json()
    assert again["items"][0]["body"] == "Oi Ana!"
    mine = desk.post(
        "agent",
        "/stores/shop1/templates/our-own",
        {
            "texts": {"en": {"body": "Thanks, {{ buyer_name }}"}},
            "situations": {"stages": ["shipped"]},
        },
    )
    assert mine.status_code == 200 and mine.json()["origin"] == "store"
    listed = desk.get("seller", "/stores/shop1/templates").json()
    assert {"our-own", "notice.shipped"} <= {i["key"] for i in listed["items"]}
    preview = desk.post(
        "seller", "/stores/shop1/templates-preview", {"body": "Oi {{ nome }}", "language": "pt_BR"}
    ).json()
    assert preview["ok"] is False and preview["problems"][0]["placeholder"] == "nome"
    gone = desk.post("seller", "/stores/shop1/templates/reply.quality_or_damage/delete")
    assert gone.json()["deleted"] is True


def test_notifications_list_unread_count_and_read(desk: Desk) -> None:
    db = desk.db
    new_order(db, "O1")
    ship(db, "O1", T0 + timedelta(days=1))
    job(db).run(T0 + timedelta(days=1))
    listed = desk.get("buyer", "/notifications").json()
    assert listed["unread"] == 1 and listed["items"][0]["kind"] == "shipped"
    item = listed["items"][0]["id"]
    assert desk.get("seller", "/notifications").json()["unread"] == 0
    assert desk.post("seller", f"/notifications/{item}/read").status_code == 404  # not theirs
    read = desk.post("buyer", f"/notifications/{item}/read").json()
    assert read["read"] is True and read["unread"] == 0
    assert desk.get("buyer", "/notifications", params={"unread": True}).json()["items"] == []


def test_settings_and_preferences_through_the_api(desk: Desk) -> None:
    got = desk.get("agent", "/stores/shop1/messaging").json()
    assert got["settings"]["auto_reply"]["enabled"] is False
    assert got["settings"]["triggers"]["receipt_confirmed"]["delay_minutes"] == 1440
    assert desk.post("agent", "/stores/shop1/messaging", {"language": "ru"}).status_code == 403
    saved = desk.post(
        "seller",
        "/stores/shop1/messaging",
        {
            "language": "zh_CN",
            "time_zone": "Asia/Shanghai",
            "triggers": {"delivered": {"channels": ["in_app", "email"], "delay_minutes": 60}},
            "auto_reply": {"enabled": True, "working_hours": {"mon": ["09:00-18:00"]}},
            "opted_out": ["webhook"],
        },
    )
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["settings"]["triggers"]["delivered"]["delay_minutes"] == 60
    assert body["settings"]["auto_reply"]["working_hours"] == {"mon": ["09:00-18:00"]}
    assert body["opted_out"] == ["webhook"]
    bad = desk.post("seller", "/stores/shop1/messaging", {"time_zone": "Nowhere/Land"})
    assert bad.status_code == 422 and "time_zone" in bad.json()["detail"]
    mine = desk.post("buyer", "/me/messaging", {"language": "pl", "opted_out": ["email"]})
    assert mine.json()["language"] == "pl" and mine.json()["opted_out"] == ["email"]
    assert desk.get("buyer", "/me/messaging").json()["opted_out"] == ["email"]
