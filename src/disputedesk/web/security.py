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

# The sign-in throttle lives with the rate limit (shared by every process when the store is
# PostgreSQL or Redis is configured); the memory one keeps its old name here.
from disputedesk.services.limits import FREE_FAILURES, MAX_WAIT_SECONDS  # noqa: F401
from disputedesk.services.limits import MemoryLoginThrottle as LoginThrottle  # noqa: F401

SESSION_COOKIE = "dd_session"
LOGIN_CSRF_COOKIE = "dd_login_csrf"


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
