"""The per-token rate limit and the sign-in throttle, shared by every server process and host.

Where the counts live decides whether `--workers N` or several hosts multiply them:

- **Redis** when `DISPUTEDESK_REDIS_URL` is set: one round trip per request (a Lua script does
  the token bucket atomically on Redis's clock), no writes to the database, keys expire by
  themselves. The choice for busy sites: the rate limit is on every request's path, and
  PostgreSQL would take a row write (and its WAL) for each one.
- **PostgreSQL** otherwise, when the store is PostgreSQL: one atomic `INSERT ... ON CONFLICT
  DO UPDATE ... RETURNING` per request on the database's clock. No extra service to run;
  enough for a few hundred requests a second.
- **Memory** on SQLite (one process, one host: the demo and small desks). SQLite would
  serialise every request behind its single write lock for a count; `--workers N` on SQLite
  limits per process, which the README says.

Both limits are token buckets / doubling waits with the same numbers everywhere; the clock is
the shared store's, so hosts with skewed clocks agree.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import text

from disputedesk.store.db import Database

FREE_FAILURES = 3  # failed sign-ins before the waits start
MAX_WAIT_SECONDS = 300
FAILURES_KEPT_SECONDS = 86400  # a day without failures forgets them


class RateLimiter(Protocol):
    blocking: bool  # takes a network round trip: call it off the event loop

    def take(self, key: str) -> float | None:
        """None when the request may go; otherwise the seconds to wait."""


class LoginThrottle(Protocol):
    blocking: bool

    def wait_seconds(self, *keys: str) -> int:
        """Seconds before another attempt may be checked (0: go ahead)."""

    def failed(self, *keys: str) -> None: ...

    def succeeded(self, key: str) -> None: ...


def doubling_wait(failures: int) -> int:
    """After FREE_FAILURES, each failure doubles the wait: 1 s, 2 s, 4 s ... up to 5 minutes."""
    if failures <= FREE_FAILURES:
        return 0
    return min(2 ** min(failures - FREE_FAILURES - 1, 20), MAX_WAIT_SECONDS)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:40]


# -- memory (one process) -------------------------------------------------------------------


class MemoryRateLimiter:
    """A token bucket per key: `per_minute` requests a minute, bursts up to that many."""

    blocking = False

    def __init__(self, per_minute: int, clock: Any = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        if self.per_minute <= 0:
            return None
        rate = self.per_minute / 60.0
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[key] = (tokens - 1.0, now)
            return None

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()


@dataclass
class _Failures:
    count: int = 0
    blocked_until: float = 0.0


class MemoryLoginThrottle:
    """Failed sign-ins per key (an email, a client address) in this process's memory."""

    blocking = False

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, *keys: str) -> int:
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
                wait = doubling_wait(entry.count)
                if wait:
                    entry.blocked_until = now + wait

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


# -- PostgreSQL (every process and host on one database) ------------------------------------

_PG_NOW = "EXTRACT(EPOCH FROM clock_timestamp())"


class DatabaseRateLimiter:
    """The token buckets in the `rate_limits` table (PostgreSQL), on the database's clock."""

    blocking = True

    def __init__(self, db: Database, per_minute: int) -> None:
        self.db = db
        self.per_minute = per_minute

    def take(self, key: str) -> float | None:
        if self.per_minute <= 0:
            return None
        rate = self.per_minute / 60.0
        with self.db.engine.connect() as conn:
            row = conn.execute(
                _PG_UPSERT_TAKE, {"key": _digest(key), "cap": float(self.per_minute), "rate": rate}
            ).one()
            conn.commit()
        tokens, allowed = float(row[0]), bool(row[1])
        return None if allowed else (1.0 - tokens) / rate


# PostgreSQL does not allow FROM in ON CONFLICT DO UPDATE: the refill is spelled out instead.
_REFILL = f"LEAST(:cap, rate_limits.tokens + ({_PG_NOW} - rate_limits.updated_at) * :rate)"
_PG_UPSERT_TAKE = text(
    f"""
    INSERT INTO rate_limits (key, tokens, allowed, updated_at)
    VALUES (:key, :cap - 1, true, {_PG_NOW})
    ON CONFLICT (key) DO UPDATE SET
      tokens = CASE WHEN {_REFILL} >= 1 THEN {_REFILL} - 1 ELSE {_REFILL} END,
      allowed = {_REFILL} >= 1,
      updated_at = {_PG_NOW}
    RETURNING tokens, allowed
    """
)

_PG_FAILED = text(
    f"""
    INSERT INTO login_failures (key, failures, blocked_until, updated_at)
    VALUES (:key, 1, 0, {_PG_NOW})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN {_PG_NOW} - login_failures.updated_at > :forget THEN 1
                 ELSE login_failures.failures + 1 END,
      updated_at = {_PG_NOW}
    RETURNING failures
    """
)


class DatabaseLoginThrottle:
    """Failed sign-ins in the `login_failures` table (PostgreSQL), on the database's clock."""

    blocking = True

    def __init__(self, db: Database) -> None:
        self.db = db

    def wait_seconds(self, *keys: str) -> int:
        with self.db.engine.connect() as conn:
            longest = conn.execute(
                text(
                    f"SELECT MAX(blocked_until - {_PG_NOW}) FROM login_failures "
                    "WHERE key = ANY(:keys)"
                ),
                {"keys": [_digest(k) for k in keys]},
            ).scalar()
        return int(float(longest) + 0.999) if longest and float(longest) > 0 else 0

    def failed(self, *keys: str) -> None:
        with self.db.engine.connect() as conn:
            for key in keys:
                failures = conn.execute(
                    _PG_FAILED, {"key": _digest(key), "forget": FAILURES_KEPT_SECONDS}
                ).scalar_one()
                wait = doubling_wait(int(failures))
                if wait:
                    conn.execute(
                        text(
                            f"UPDATE login_failures SET blocked_until = {_PG_NOW} + :wait "
                            "WHERE key = :key"
                        ),
                        {"key": _digest(key), "wait": wait},
                    )
            conn.commit()

    def succeeded(self, key: str) -> None:
        with self.db.engine.connect() as conn:
            conn.execute(text("DELETE FROM login_failures WHERE key = :key"), {"key": _digest(key)})
            conn.commit()


# -- Redis ------------------------------------------------------------------------------------

_REDIS_TAKE = """
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local v = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(v[1]) or cap
local ts = tonumber(v[2]) or now
tokens = math.min(cap, tokens + (now - ts) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(cap / rate) + 60)
return {allowed, tostring(tokens)}
"""

_REDIS_FAILED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
return failures
"""

_REDIS_BLOCK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('HSET', KEYS[1], 'blocked_until', tostring(now + tonumber(ARGV[1])))
return 1
"""

_REDIS_WAIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local longest = 0
for i, key in ipairs(KEYS) do
  local until_ = tonumber(redis.call('HGET', key, 'blocked_until') or '0') or 0
  if until_ - now > longest then longest = until_ - now end
end
return tostring(longest)
"""


class RedisRateLimiter:
    blocking = True

    def __init__(self, url: str, per_minute: int, prefix: str = "disputedesk") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.per_minute = per_minute
        self.prefix = prefix
        self._take = self.client.register_script(_REDIS_TAKE)

    def take(self, key: str) -> float | None:
        if self.per_minute <= 0:
            return None
        rate = self.per_minute / 60.0
        allowed, tokens = self._take(
            keys=[f"{self.prefix}:rate:{_digest(key)}"], args=[self.per_minute, rate]
        )
        return None if int(allowed) else (1.0 - float(tokens)) / rate


class RedisLoginThrottle:
    blocking = True

    def __init__(self, url: str, prefix: str = "disputedesk") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self._failed = self.client.register_script(_REDIS_FAILED)
        self._block = self.client.register_script(_REDIS_BLOCK)
        self._wait = self.client.register_script(_REDIS_WAIT)

    def _key(self, key: str) -> str:
        return f"{self.prefix}:signin:{_digest(key)}"

    def wait_seconds(self, *keys: str) -> int:
        longest = float(self._wait(keys=[self._key(k) for k in keys], args=[]))
        return int(longest + 0.999) if longest > 0 else 0

    def failed(self, *keys: str) -> None:
        for key in keys:
            failures = int(self._failed(keys=[self._key(key)], args=[FAILURES_KEPT_SECONDS]))
            wait = doubling_wait(failures)
            if wait:
                self._block(keys=[self._key(key)], args=[wait])

    def succeeded(self, key: str) -> None:
        self.client.delete(self._key(key))


# -- choosing -------------------------------------------------------------------------------


def shared_limits(
    db: Database, per_minute: int, redis_url: str | None
) -> tuple[RateLimiter, LoginThrottle]:
    """Redis when configured, else PostgreSQL when the store is PostgreSQL, else memory."""
    if redis_url:
        return RedisRateLimiter(redis_url, per_minute), RedisLoginThrottle(redis_url)
    if db.is_postgres:
        return DatabaseRateLimiter(db, per_minute), DatabaseLoginThrottle(db)
    return MemoryRateLimiter(per_minute), MemoryLoginThrottle()
