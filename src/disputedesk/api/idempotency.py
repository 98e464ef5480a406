"""`Idempotency-Key` on every POST: a retry returns the first answer, and the action happens once.

The key is claimed (inserted) before the request runs, so two concurrent requests with one key
cannot both act: the second gets `conflict` while the first runs, and the first's answer after.
A key reused with a different request is `invalid_input`. Keys belong to the caller (the user of
the bearer token).

Only completed outcomes are kept: a 2xx, or a refusal with a RULES error code (the same request
would be refused again). Anything else (a rate limit, a lost race, a 5xx, an unknown order) is
released, so a retry with the same key acts. Every request with a key, a replay included, counts
against the caller's rate limit, taken here before the replay or the route.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from anyio import to_thread
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from disputedesk.api.errors import CODES, PROBLEM_JSON
from disputedesk.rules.errors import ErrorCode
from disputedesk.services.accounts import authenticate_token, hash_token
from disputedesk.services.commands import utc_now
from disputedesk.store import tables as t
from disputedesk.store.db import Database

MAX_KEY = 255
RULES_CODES = frozenset(code.value for code in ErrorCode)
RATE_LIMIT_TAKEN = "rate_limit_taken"  # in the request's state: the route must not take again


def completed(status: int, body: bytes) -> bool:
    """An outcome a retry must get again: a success, or a refusal by the rules."""
    if 200 <= status < 300:
        return True
    if not 400 <= status < 500 or status == 429:
        return False
    try:
        code = json.loads(body).get("code")
    except (ValueError, AttributeError):
        return False
    return code in RULES_CODES


def _problem_bytes(code: str, detail: str) -> tuple[int, bytes]:
    status, title = CODES[code]
    body = {
        "type": f"urn:disputedesk:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    return status, json.dumps(body).encode()


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
        }
        key = headers.get("idempotency-key")
        auth = headers.get("authorization", "")
        if not key or not auth.lower().startswith("bearer "):
            await self.app(scope, receive, send)
            return
        db: Database = scope["app"].state.db
        principal = await to_thread.run_sync(authenticate_token, db, auth[7:].strip())
        if principal is None:  # the route answers 401
            await self.app(scope, receive, send)
            return
        if len(key) > MAX_KEY:
            await _send_problem(
                send, "invalid_input", f"Idempotency-Key: at most {MAX_KEY} characters"
            )
            return
        limiter = scope["app"].state.rate_limiter
        token_key = hash_token(auth[7:].strip())
        wait = (
            await to_thread.run_sync(limiter.take, token_key)
            if limiter.blocking
            else limiter.take(token_key)
        )
        scope.setdefault("state", {})[RATE_LIMIT_TAKEN] = True
        if wait is not None:
            await _send_problem(
                send,
                "rate_limited",
                f"too many requests with this token; retry in {wait:.1f}s",
                headers={"Retry-After": str(max(1, round(wait)))},
            )
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        digest = hashlib.sha256(
            scope["path"].encode() + b"?" + scope.get("query_string", b"") + b"\n" + body
        ).hexdigest()
        claimed, stored = await to_thread.run_sync(_claim, db, principal.user_id, key, digest)
        if not claimed:
            assert stored is not None
            if stored["request_hash"] != digest:
                await _send_problem(
                    send,
                    "invalid_input",
                    "Idempotency-Key was already used for a different request",
                )
            elif stored["status_code"] is None:
                await _send_problem(
                    send, "conflict", "a request with this Idempotency-Key is still running"
                )
            else:
                await _replay(send, stored)
            return

        replayed = False

        async def receive_body() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        status = 500
        response_headers: list[tuple[bytes, bytes]] = []
        response_body: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, response_headers
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                response_body.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_body, capture)
        finally:
            await to_thread.run_sync(
                _finish,
                db,
                principal.user_id,
                key,
                status,
                b"".join(response_body),
                response_headers,
            )


def _claim(db: Database, user_id: int, key: str, digest: str) -> tuple[bool, dict[str, Any] | None]:
    try:
        with db.begin() as conn:
            conn.execute(
                insert(t.idempotency_keys).values(
                    user_id=user_id, key=key, request_hash=digest, created_at=utc_now()
                )
            )
        return True, None
    except IntegrityError:
        with db.engine.connect() as conn:
            row = conn.execute(
                select(t.idempotency_keys)
                .where(t.idempotency_keys.c.user_id == user_id)
                .where(t.idempotency_keys.c.key == key)
            ).first()
        if row is None:  # released meanwhile (a 5xx): treat as still running; the client retries
            return False, {"request_hash": digest, "status_code": None}
        return False, dict(row._mapping)


def _finish(
    db: Database,
    user_id: int,
    key: str,
    status: int,
    body: bytes,
    headers: list[tuple[bytes, bytes]],
) -> None:
    where = (t.idempotency_keys.c.user_id == user_id) & (t.idempotency_keys.c.key == key)
    with db.begin() as conn:
        if not completed(status, body):
            conn.execute(delete(t.idempotency_keys).where(where))
            return
        kept = {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in headers
            if k.lower() in (b"content-type", b"etag", b"location")
        }
        conn.execute(
            update(t.idempotency_keys)
            .where(where)
            .values(
                status_code=status,
                response_body=body.decode("utf-8", "replace"),
                response_headers=kept,
            )
        )


async def _replay(send: Send, stored: dict[str, Any]) -> None:
    headers = [
        (k.encode("latin-1"), v.encode("latin-1"))
        for k, v in (stored["response_headers"] or {}).items()
    ]
    headers.append((b"idempotent-replayed", b"true"))
    body = (stored["response_body"] or "").encode()
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": stored["status_code"], "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_problem(
    send: Send, code: str, detail: str, headers: dict[str, str] | None = None
) -> None:
    status, body = _problem_bytes(code, detail)
    extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
