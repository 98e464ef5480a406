"""Sign-in safety: session cookies, CSRF tokens on every form, and slowing repeated failures.

The session cookie is `HttpOnly`, `SameSite=Lax` and `Secure` when the request came over HTTPS
(DISPUTEDESK_COOKIE_SECURE=auto; `true` and `false` force it); every POST must carry the
session's CSRF token (the sign-in form, which has no session yet, a double-submit token in its
own cookie).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
import time
from dataclasses import dataclass

SESSION_COOKIE = "dd_session"
LOGIN_CSRF_COOKIE = "dd_login_csrf"
FREE_FAILURES = 3  # failed sign-ins before the waits start
MAX_WAIT_SECONDS = 300


def secure_cookies(mode: str, scheme: str) -> bool:
    """Whether the desk's cookies are `Secure` under DISPUTEDESK_COOKIE_SECURE `mode` for a
    request that came with `scheme` (https only through a trusted proxy or TLS of our own)."""
    if mode == "auto":
        return scheme == "https"
    return mode == "true"


def local_host(host: str | None) -> bool:
    """A host that browsers treat as a secure context over plain HTTP, so they keep Secure
    cookies for it: localhost, *.localhost and the loopback addresses."""
    name = (host or "").strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def cookies_dropped(mode: str, scheme: str, host: str | None, forwarded_proto: str = "") -> bool:
    """Secure cookies sent over plain HTTP to a host that is not local: the browser drops them,
    so a sign-in can never succeed. An HTTPS proxy that is not trusted (`X-Forwarded-Proto:
    https` left in place) is given the benefit of the doubt: the browser may well be on HTTPS."""
    if scheme == "https" or local_host(host) or forwarded_proto.strip().lower() == "https":
        return False
    return secure_cookies(mode, scheme)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; a missing token never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


@dataclass
class _Failures:
    count: int = 0
    blocked_until: float = 0.0


class LoginThrottle:
    """Failed sign-ins per email and per client address: after `FREE_FAILURES`, each further
    failure doubles the wait before the next attempt (1 s, 2 s, 4 s ... up to 5 minutes).
    A success clears the email's count. Kept in the server process's memory."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, *keys: str) -> int:
        """Seconds before another attempt may be checked (0: go ahead)."""
        now = self._clock()
        with self._lock:
            waits = [self._failures[k].blocked_until - now for k in keys if k in self._failures]
        longest = max(waits, default=0.0)
        return int(longest + 0.999) if longest > 0 else 0

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                entry = self._failures.setdefault(key, _Failures())
                entry.count += 1
                if entry.count > FREE_FAILURES:
                    wait = min(2 ** (entry.count - FREE_FAILURES - 1), MAX_WAIT_SECONDS)
                    entry.blocked_until = now + wait

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
