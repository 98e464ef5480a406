"""Bearer-token authentication and the per-token rate limit."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from disputedesk.api.errors import ApiError
from disputedesk.api.idempotency import RATE_LIMIT_TAKEN
from disputedesk.services.accounts import Principal, find_token, hash_token, touch_token
from disputedesk.store.db import Database

bearer = HTTPBearer(auto_error=False, description="An API token from `disputedesk tokens create`")


async def get_db(request: Request) -> Database:
    return request.app.state.db


async def get_now(request: Request) -> datetime:
    """The instant a request acts at: the wall clock, or the clock the app was built with
    (tests and demos run time forward)."""
    return request.app.state.clock()


class RateLimiter:
    """A token bucket per API token: `per_minute` requests a minute, bursts up to that many.
    Kept in this process's memory (each server worker limits on its own)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """None when the request may go; otherwise the seconds to wait."""
        if self.per_minute <= 0:
            return None
        rate = self.per_minute / 60.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[key] = (tokens - 1.0, now)
            return None


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    db: Annotated[Database, Depends(get_db)],
) -> Principal:
    """The caller, from `Authorization: Bearer <token>`; 401 otherwise, 429 past the limit.
    (Async on purpose: one indexed lookup is cheaper on the event loop than a thread hop.)"""
    challenge = {"WWW-Authenticate": 'Bearer realm="disputedesk"'}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError("unauthorized", "send Authorization: Bearer <token>", headers=challenge)
    match = find_token(db, credentials.credentials)
    if match is None:
        raise ApiError("unauthorized", "the token is unknown or revoked", headers=challenge)
    if match.needs_touch:  # a write: never on the event loop, where it could wait for a lock
        await run_in_threadpool(touch_token, db, match.token_id)
    principal = match.principal
    if getattr(request.state, RATE_LIMIT_TAKEN, False):  # taken with its Idempotency-Key
        return principal
    wait = request.app.state.rate_limiter.take(hash_token(credentials.credentials))
    if wait is not None:
        raise ApiError(
            "rate_limited",
            f"too many requests with this token; retry in {wait:.1f}s",
            headers={"Retry-After": str(max(1, round(wait)))},
        )
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]
Db = Annotated[Database, Depends(get_db)]
Now = Annotated[datetime, Depends(get_now)]
