"""Email over SMTP against a real server (aiosmtpd on 127.0.0.1), on SQLite and PostgreSQL:
delivered with a one-click List-Unsubscribe; a 5xx reply recorded as a permanent failure and
not retried; a 4xx reply retried later with backoff; STARTTLS when the server offers it; the
unsubscribe link works without signing in and stops the emails."""

from __future__ import annotations

import email
import re
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

from api_support import Desk, make_desk
from disputedesk.services.mailer import Mailer, SmtpConfig
from disputedesk.services.notifications import MessagingJob, Options
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from messaging_support import T0, deliveries, new_order, save_settings, ship

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
SHIPPED_AT = T0 + timedelta(days=1)


class Handler:
    """The server's answers: recipients refused for good (5xx) or for now (4xx, a number of
    times), the rest accepted and kept."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage, bool]] = []
        self.refuse: dict[str, str] = {}
        self.busy: dict[str, int] = {}

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        if self.busy.get(address, 0) > 0:
            self.busy[address] -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.received.append((list(envelope.rcpt_tos), message, session.ssl is not None))  # type: ignore[arg-type]
        return "250 2.0.0 Accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Handler, int]]:
    handler = Handler()
    port = _free_port()
    controller = aiosmtpd.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    yield d
    d.client.close()


def _job(db: Database, port: int, **kw: Any) -> MessagingJob:
    mailer = Mailer(
        SmtpConfig(host="127.0.0.1", port=port, sender="desk@shop1.test", timeout=10), **kw
    )
    return MessagingJob(db, Options(mailer=mailer, public_url="https://desk.example"))


def _shipped_by_email(db: Database, order_id: str) -> None:
    save_settings(db, {"triggers": {"shipped": {"channels": ["email"]}}})
    new_order(db, order_id)
    ship(db, order_id, SHIPPED_AT)


def test_an_email_is_delivered_with_a_one_click_unsubscribe_that_works(
    desk: Desk, smtp: tuple[Handler, int]
) -> None:
    handler, port = smtp
    db = desk.db
    _shipped_by_email(db, "O1")
    run = _job(db, port)
    run.run(SHIPPED_AT)
    ((rcpt, message, _tls),) = handler.received
    assert rcpt == ["buyer@b1.test"]
    assert message["Subject"] == "Seu pedido O1 está a caminho"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(
        r"<(https://desk\.example/unsubscribe/([A-Za-z0-9_.-]+))>", message["List-Unsubscribe"]
    )
    assert link is not None
    body = message.get_content()
    assert "Olá, Ana!" in body and "RRO1CN" in body and link.group(1) in body
    (sent,) = deliveries(db, channel="email")
    assert sent.status == "delivered" and sent.attempts == 1

    token = link.group(2)
    page = desk.client.get(f"/unsubscribe/{token}")  # no sign-in
    assert page.status_code == 200 and "Cancelar inscrição" in page.text
    assert desk.client.get("/unsubscribe/not-a-real-token-at-all").status_code == 404
    done = desk.client.post(
        f"/unsubscribe/{token}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200 and "não receberá mais" in done.text
    assert desk.client.post(f"/unsubscribe/{token}").status_code == 200  # again: no change

    new_order(db, "O2")
    ship(db, "O2", SHIPPED_AT)
    run.run(SHIPPED_AT)
    assert len(handler.received) == 1
    (skipped,) = [d for d in deliveries(db, channel="email") if d.order_id == "O2"]
    assert skipped.status == "skipped" and skipped.last_error == "opted out"


def test_a_5xx_reply_is_a_permanent_failure_recorded_and_not_retried(
    desk: Desk, smtp: tuple[Handler, int]
) -> None:
    handler, port = smtp
    handler.refuse["buyer@b1.test"] = "550 5.1.1 No such mailbox"
    db = desk.db
    _shipped_by_email(db, "O1")
    run = _job(db, port)
    run.run(SHIPPED_AT)
    run.run(SHIPPED_AT + timedelta(hours=3))
    (failed,) = deliveries(db, channel="email")
    assert failed.status == "failed" and failed.attempts == 1 and failed.next_attempt_at is None
    assert failed.last_error.startswith("550 5.1.1")
    with db.engine.connect() as conn:
        (attempt,) = conn.execute(t.notification_attempts.select()).all()
    assert (attempt.outcome, attempt.code) == ("failed", 550)
    assert handler.received == []


def test_a_4xx_reply_is_retried_later_with_backoff(desk: Desk, smtp: tuple[Handler, int]) -> None:
    handler, port = smtp
    handler.busy["buyer@b1.test"] = 2
    db = desk.db
    _shipped_by_email(db, "O1")
    run = _job(db, port)
    run.run(SHIPPED_AT)
    (waiting,) = deliveries(db, channel="email")
    assert waiting.status == "pending" and waiting.last_error.startswith("451")
    assert waiting.next_attempt_at == SHIPPED_AT + timedelta(seconds=30)
    run.run(SHIPPED_AT + timedelta(seconds=10))  # not yet due: no attempt
    assert deliveries(db, channel="email")[0].attempts == 1
    run.run(SHIPPED_AT + timedelta(seconds=30))
    (again,) = deliveries(db, channel="email")
    assert again.status == "pending" and again.next_attempt_at == SHIPPED_AT + timedelta(seconds=90)
    run.run(SHIPPED_AT + timedelta(seconds=90))
    (sent,) = deliveries(db, channel="email")
    assert sent.status == "delivered" and sent.attempts == 3
    assert len(handler.received) == 1
    with db.engine.connect() as conn:
        outcomes = [a.outcome for a in conn.execute(t.notification_attempts.select()).all()]
    assert outcomes == ["retry", "retry", "delivered"]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl to make a certificate")
def test_starttls_is_used_when_the_server_offers_it(db: Database, tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    handler = Handler()
    port = _free_port()
    controller = aiosmtpd.Controller(
        handler, hostname="127.0.0.1", port=port, tls_context=server_tls, require_starttls=True
    )
    controller.start()
    desk = make_desk(db, tmp_path)
    try:
        _shipped_by_email(db, "O1")
        _job(db, port, ssl_context=ssl.create_default_context(cafile=str(cert))).run(SHIPPED_AT)
    finally:
        controller.stop()
        desk.client.close()
    ((_rcpt, _message, over_tls),) = handler.received
    assert over_tls
