"""The rate limit and the sign-in throttle hold across processes: kept in PostgreSQL (the store)
or in Redis (when configured), every server process and host counts the same requests. The
same token bucket and doubling waits in memory, PostgreSQL and Redis; then two real `disputedesk
serve` processes on one PostgreSQL (and on one Redis) share one limit."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from disputedesk.services.accounts import create_token, create_user
from disputedesk.services.limits import (
    DatabaseLoginThrottle,
    DatabaseRateLimiter,
    MemoryLoginThrottle,
    MemoryRateLimiter,
    RedisLoginThrottle,
    RedisRateLimiter,
    doubling_wait,
)
from disputedesk.store.db import Database
from serve_support import serve

REDIS_URL = os.environ.get("DISPUTEDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Database]:
    database = Database(postgres_url)
    database.upgrade()
    yield database
    database.dispose()


def limiters(kind: str, request: pytest.FixtureRequest, per_minute: int) -> tuple[Any, Any]:
    if kind == "memory":
        return MemoryRateLimiter(per_minute), MemoryLoginThrottle()
    if kind == "postgresql":
        db = request.getfixturevalue("pg")
        return DatabaseRateLimiter(db, per_minute), DatabaseLoginThrottle(db)
    url = redis_or_skip()
    return RedisRateLimiter(url, per_minute), RedisLoginThrottle(url)


@pytest.mark.parametrize("kind", ["memory", "postgresql", "redis"])
def test_a_token_bucket_of_the_same_size_everywhere(
    kind: str, request: pytest.FixtureRequest
) -> None:
    limiter, _ = limiters(kind, request, per_minute=3)
    key, other = f"token-{uuid.uuid4()}", f"token-{uuid.uuid4()}"
    assert [limiter.take(key) for _ in range(3)] == [None, None, None]
    wait = limiter.take(key)
    assert wait is not None and 0 < wait <= 20.5  # a token comes back every 20 s
    assert limiter.take(other) is None  # another token, its own bucket
    limiter.per_minute = 0
    assert limiter.take(key) is None  # 0 turns the limit off


@pytest.mark.parametrize("kind", ["memory", "postgresql", "redis"])
def test_sign_in_failures_wait_longer_and_longer(kind: str, request: pytest.FixtureRequest) -> None:
    _, throttle = limiters(kind, request, per_minute=600)
    email, client = f"email:{uuid.uuid4()}@x.test", f"client:{uuid.uuid4()}"
    for _ in range(3):
        throttle.failed(email, client)
        assert throttle.wait_seconds(email, client) == 0  # the free failures
    throttle.failed(email, client)
    assert throttle.wait_seconds(email, client) == 1
    throttle.failed(email, client)
    assert throttle.wait_seconds(client) == 2
    throttle.succeeded(email)
    assert throttle.wait_seconds(email) == 0 and throttle.wait_seconds(client) == 2
    assert [doubling_wait(n) for n in (3, 4, 5, 6, 30)] == [0, 1, 2, 4, 300]


def _setup(url: str, tmp_path: Path) -> tuple[dict[str, str], str]:
    db = Database(url)
    db.upgrade()
    create_user(db, email="li@shop.test", name="Li", role="seller", store_id="shop1")
    token = create_token(db, email="li@shop.test").token
    db.dispose()
    env = {
        **os.environ,
        "DISPUTEDESK_DATABASE_URL": url,
        "DISPUTEDESK_DATA_DIR": str(tmp_path / "data"),
        "DISPUTEDESK_RATE_LIMIT_PER_MINUTE": "4",
    }
    env.pop("DISPUTEDESK_REDIS_URL", None)
    return env, token


def _share_one_limit(first: str, second: str, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    codes = [
        httpx.get(f"{base}/me", headers=auth, timeout=10).status_code
        for base in (first, second, first, second, first)
    ]
    assert codes == [200, 200, 200, 200, 429]
    assert httpx.get(f"{second}/me", headers=auth, timeout=10).status_code == 429


def test_two_processes_on_one_postgresql_share_the_limit(postgres_url: str, tmp_path: Path) -> None:
    env, token = _setup(postgres_url, tmp_path)
    with serve(env) as first, serve(env) as second:
        _share_one_limit(first.url, second.url, token)


def test_two_processes_on_one_redis_share_the_limit(tmp_path: Path) -> None:
    url = redis_or_skip()
    env, token = _setup(f"sqlite:///{tmp_path / 'desk.db'}", tmp_path)
    env["DISPUTEDESK_REDIS_URL"] = url
    with serve(env) as first, serve(env) as second:
        _share_one_limit(first.url, second.url, token)
