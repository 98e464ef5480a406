"""Sign-in safety: session cookies, CSRF tokens on every form, and slowing repeated failures.

The session cookie is `Secure` (unless turned off for plain-HTTP local runs), `HttpOnly` and
`SameSite=Lax`; every POST must carry the session's CSRF token (the sign-in form, which has no
session yet, a double-submit token in its own cookie).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass

SESSION_COOKIE = "dd_session"
LOGIN_CSRF_COOKIE = "dd_login_csrf"
FREE_FAILURES = 3  # failed sign-ins before the waits start
MAX_WAIT_SECONDS = 300


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
