"""Bearer-token authentication and the per-token rate limit (kept where `services.limits`
says: Redis, PostgreSQL, or this process's memory)."""

from __future__ import annotations

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


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    db: Annotated[Database, Depends(get_db)],
) -> Principal:
    """The caller, from `Authorization: Bearer <token>`; 401 otherwise, 403 for a suspended
    user's token, 429 past the limit.
    (Async on purpose: one indexed lookup is cheaper on the event loop than a thread hop.)"""
    challenge = {"WWW-Authenticate": 'Bearer realm="disputedesk"'}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError("unauthorized", "send Authorization: Bearer <token>", headers=challenge)
    match = find_token(db, credentials.credentials)
    if match is None:
        raise ApiError("unauthorized", "the token is unknown or revoked", headers=challenge)
    if match.suspended:  # an operator suspended the account: its tokens answer nothing
        raise ApiError("forbidden", "the account is suspended by an operator")
    if match.needs_touch:  # a write: never on the event loop, where it could wait for a lock
        await run_in_threadpool(touch_token, db, match.token_id)
    principal = match.principal
    if getattr(request.state, RATE_LIMIT_TAKEN, False):  # taken with its Idempotency-Key
        return principal
    limiter = request.app.state.rate_limiter
    key = hash_token(credentials.credentials)
    # a shared limiter (PostgreSQL, Redis) is a round trip: never on the event loop
    wait = await run_in_threadpool(limiter.take, key) if limiter.blocking else limiter.take(key)
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
