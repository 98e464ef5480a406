"""Email over SMTP (smtplib): STARTTLS when the server offers it (or always, or never, as
`DISPUTEDESK_SMTP_STARTTLS` says), a login when a user is set, and every outcome sorted into
delivered, try again later (a 4xx reply, no connection, a timeout) or failed for good (a 5xx
reply: the address or the message is refused), with the server's code and words for the log."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

DELIVERED = "delivered"
RETRY = "retry"
FAILED = "failed"
STARTTLS_MODES = ("auto", "always", "never")


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "disputedesk@localhost"
    starttls: str = "auto"  # auto: when the server offers it; always: refuse to send without
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # delivered / retry / failed
    code: int | None = None  # the SMTP reply code
    error: str | None = None


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}".strip()[:500]


def _by_code(code: int, message: bytes | str) -> Outcome:
    status = FAILED if 500 <= code < 600 else RETRY
    return Outcome(status, code, _reply(code, message))


class Mailer:
    """Sends one message per connection (a notification's email is one recipient)."""

    def __init__(self, config: SmtpConfig, *, ssl_context: ssl.SSLContext | None = None) -> None:
        if config.starttls not in STARTTLS_MODES:
            raise ValueError(f"starttls: one of {', '.join(STARTTLS_MODES)}")
        self.config = config
        self.ssl_context = ssl_context or ssl.create_default_context()

    def send(self, message: EmailMessage) -> Outcome:
        config = self.config
        try:
            with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
                smtp.ehlo()
                offered = smtp.has_extn("starttls")
                if config.starttls == "always" or (config.starttls == "auto" and offered):
                    if not offered:
                        return Outcome(RETRY, None, "the server does not offer STARTTLS")
                    smtp.starttls(context=self.ssl_context)
                    smtp.ehlo()
                if config.user:
                    smtp.login(config.user, config.password or "")
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, words = next(iter(exc.recipients.values()), (550, b"recipient refused"))
            return _by_code(code, words)
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, auth...
            return _by_code(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPException, OSError) as exc:  # no connection, a timeout, TLS
            return Outcome(RETRY, None, f"{type(exc).__name__}: {exc}"[:500])
        if refused:  # some recipients refused (we send to one, so this is that one)
            code, words = next(iter(refused.values()))
            return _by_code(code, words)
        return Outcome(DELIVERED, 250)
