"""The demo's mailbox: an SMTP server on 127.0.0.1 (aiosmtpd, in the demo's own process, on a
free port) that keeps every message it is given, so a new user of `disputedesk demo` sees the
emails the desk sends (on the operator's page `/desk/operator/mail`) without a mail server of
their own and without mailing anyone.

The messages are kept in memory, the latest `capacity` of them (a ring buffer): the demo is
rebuilt from scratch on every start, and so is its mail. aiosmtpd is the `demo` extra
(`pip install 'disputedesk[demo]'`, which `make demo` installs); without it the demo runs and
says that its email is not captured.
"""

from __future__ import annotations

import itertools
import logging
import socket
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from disputedesk.services.mailer import Mailer, SmtpConfig

CAPACITY = 500  # messages kept; the oldest go first
HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class CapturedMail:
    """One message as the demo's server received it."""

    id: int
    received_at: datetime
    envelope_from: str
    envelope_to: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    @property
    def sender(self) -> str:
        return str(self.message.get("From", self.envelope_from))

    @property
    def recipients(self) -> str:
        return str(self.message.get("To", ", ".join(self.envelope_to)))

    @property
    def language(self) -> str:
        return str(self.message.get("Content-Language", ""))

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [(name, str(value)) for name, value in self.message.items()]

    @property
    def body(self) -> str:
        """The plain-text body (the desk sends plain text), else the first text part."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        try:
            return str(part.get_content())  # type: ignore[attr-defined]
        except (LookupError, ValueError):  # an unknown charset: what can be read of it
            payload = part.get_payload(decode=True)
            return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


class Mailbox:
    """The captured messages, newest first; safe to read while the server adds to it."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._items: deque[CapturedMail] = deque(maxlen=capacity)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def keep(
        self, content: bytes, envelope_from: str, envelope_to: list[str], at: datetime
    ) -> CapturedMail:
        message = message_from_bytes(content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        with self._lock:
            mail = CapturedMail(next(self._ids), at, envelope_from, tuple(envelope_to), message)
            self._items.append(mail)
        return mail

    def messages(self, limit: int | None = None) -> list[CapturedMail]:
        with self._lock:
            newest = list(reversed(self._items))
        return newest if limit is None else newest[:limit]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


class _Handler:
    """aiosmtpd's handler: every recipient accepted, every message kept."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        self.mailbox.keep(
            content, envelope.mail_from or "", list(envelope.rcpt_tos), datetime.now(UTC)
        )
        return "250 2.0.0 Kept by the demo's mailbox"


def free_port(host: str = HOST) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class DemoMailServer:
    """An SMTP server on 127.0.0.1 feeding a `Mailbox`; `start` picks a free port."""

    def __init__(self, mailbox: Mailbox | None = None, *, host: str = HOST) -> None:
        self.mailbox = mailbox or Mailbox()
        self.host = host
        self.port = 0
        self._controller: Any = None

    def start(self) -> DemoMailServer:
        from aiosmtpd.controller import Controller  # the `demo` extra

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # not every SMTP line
        last: OSError | None = None
        for _ in range(5):  # the free port may be taken between the probe and the bind
            port = free_port(self.host)
            controller = Controller(
                _Handler(self.mailbox), hostname=self.host, port=port, ready_timeout=10.0
            )
            try:
                controller.start()
            except OSError as exc:
                last = exc
                continue
            self._controller, self.port = controller, port
            return self
        raise OSError(f"the demo's mail server could not listen on {self.host}: {last}")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mailer(self, sender: str = "disputedesk@localhost") -> Mailer:
        """A mailer that sends to this server (plain SMTP on 127.0.0.1: no TLS, no login)."""
        return Mailer(
            SmtpConfig(host=self.host, port=self.port, sender=sender, starttls="never", timeout=10)
        )


def available() -> bool:
    """Whether the demo's mail server can run here (aiosmtpd installed)."""
    try:
        import aiosmtpd.controller  # noqa: F401
    except ImportError:
        return False
    return True


@contextmanager
def running(mailbox: Mailbox | None = None) -> Iterator[DemoMailServer]:
    server = DemoMailServer(mailbox).start()
    try:
        yield server
    finally:
        server.stop()
