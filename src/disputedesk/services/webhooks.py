"""Outgoing webhooks from the outbox: fan out each new outbox row to its store's subscriptions,
then deliver due deliveries, signed, retrying with exponential backoff for a day.

Signature header: `X-Disputedesk-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256(secret, "<t>.<raw body>"). `X-Disputedesk-Event-Id` (the body's `id`) is the same on
every attempt of an event: receivers deduplicate on it. Every attempt is logged
(`webhook_attempts`) with its HTTP status code, `timeout`, or `no response` for every other
transport failure (so the log cannot tell a closed port from an open one).

One send per attempt: a worker claims one delivery right before sending it (status `sending`,
`attempts` + 1 as the claim's token, a lease on the database's clock, renewed while the receiver
takes its time); other workers leave it alone until the lease runs out (its worker died), and a
worker records its outcome only while its claim still stands.

Targets must be public internet addresses (`is_public`): every address the host resolves to,
at subscription and again at every send, and the connection goes to the address checked.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from typing import Any

import httpx
from sqlalchemy import insert, select, update

from disputedesk.services.leases import claim_one, database_clock
from disputedesk.store import tables as t
from disputedesk.store.db import Database

RETRY_FOR = timedelta(days=1)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY_GAP = timedelta(hours=2)
SIGNATURE_HEADER = "X-Disputedesk-Signature"
EVENT_ID_HEADER = "X-Disputedesk-Event-Id"
# How long a claimed delivery is left to its worker; renewed every third of it while sending.
LEASE = timedelta(minutes=5)
# What the delivery log says besides HTTP status codes (which it records as they are).
REFUSED = "refused: the target address is not public"
TIMED_OUT = "timeout"
NO_RESPONSE = "no response"

log = logging.getLogger("disputedesk.webhooks")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """For receivers (and tests): the signature is right and recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling, at most 2 h between attempts."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), MAX_RETRY_GAP)


@dataclass(slots=True)
class DeliveryReport:
    fanned_out: int = 0
    attempted: int = 0
    delivered: int = 0
    failed: int = 0


def fan_out(db: Database, now: datetime, *, batch: int = 1000) -> int:
    """Turn undispatched outbox rows into one delivery per active subscription of the order's
    store, and mark the rows dispatched (`delivered_at`), in one transaction per batch."""
    total = 0
    while True:
        with db.begin() as conn:
            query = (
                select(t.outbox.c.id, t.orders.c.store_id)
                .join(t.orders, t.orders.c.id == t.outbox.c.order_id)
                .where(t.outbox.c.delivered_at.is_(None))
                .order_by(t.outbox.c.id)
                .limit(batch)
            )
            if db.is_postgres:
                query = query.with_for_update(of=t.outbox, skip_locked=True)
            rows = conn.execute(query).all()
            if not rows:
                return total
            stores = {r.store_id for r in rows}
            subs: dict[str, list[int]] = {}
            for s in conn.execute(
                select(t.webhook_subscriptions.c.id, t.webhook_subscriptions.c.store_id)
                .where(t.webhook_subscriptions.c.store_id.in_(stores))
                .where(t.webhook_subscriptions.c.active.is_(True))
            ):
                subs.setdefault(s.store_id, []).append(s.id)
            deliveries = [
                {
                    "subscription_id": sub,
                    "outbox_id": r.id,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for r in rows
                for sub in subs.get(r.store_id, [])
            ]
            if deliveries:
                conn.execute(insert(t.webhook_deliveries), deliveries)
            conn.execute(
                update(t.outbox)
                .where(t.outbox.c.id.in_([r.id for r in rows]))
                .values(delivered_at=now)
            )
            total += len(rows)


# -- targets -------------------------------------------------------------------------------

IPAddress = IPv4Address | IPv6Address
Resolver = Callable[[str], Sequence[IPAddress]]

# Not public whatever `is_global` says in this Python's version (its tables changed over time).
_NOT_PUBLIC = tuple(
    ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network", the unspecified address
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata services
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/128",
        "::1/128",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fc00::/7",  # unique-local
        "fe80::/10",  # link-local
        "fec0::/10",
        "ff00::/8",  # multicast
    )
)
# IPv6 addresses that stand for an IPv4 one in their last 32 bits: IPv4-compatible, NAT64.
_EMBEDDING = (ip_network("::/96"), ip_network("64:ff9b::/96"))


class TargetRefused(Exception):
    """A webhook target this desk does not send to: not an http(s) URL with a host and a valid
    port, or a host with an address that is not public."""


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 one reaches: IPv4-mapped, IPv4-compatible, NAT64 or 6to4."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in _EMBEDDING):
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """A public internet address: not loopback, private, carrier-grade NAT, link-local,
    unique-local, unspecified, multicast, documentation or reserved, nor an IPv6 form of such an
    IPv4 address."""
    if isinstance(address, IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
    return (
        address.is_global
        and not address.is_multicast
        and not any(address in network for network in _NOT_PUBLIC)
    )


def system_resolve(host: str) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order (an IP literal is itself)."""
    found: list[IPAddress] = []
    for *_, sockaddr in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM):
        address = ip_address(sockaddr[0])
        if address not in found:
            found.append(address)
    return found


def _parse(url: str) -> httpx.URL:
    try:
        target = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise TargetRefused("not a usable http(s) URL") from None
    port = target.port
    if target.scheme not in ("http", "https") or not target.raw_host:
        raise TargetRefused("not an http(s) URL with a host")
    if port is not None and not 0 < port < 65536:
        raise TargetRefused("the port must be 1-65535")
    return target


def _addresses(
    url: str, *, allow_private: bool, resolve: Resolver | None
) -> tuple[httpx.URL, list[IPAddress]]:
    """The URL and the addresses its host resolves to, every one public unless `allow_private`
    (TargetRefused otherwise). A host that does not resolve raises OSError."""
    target = _parse(url)
    host = target.raw_host.decode("ascii", "replace")
    try:
        addresses = [ip_address(host)]  # a literal: no lookup
    except ValueError:
        try:
            addresses = list((resolve or system_resolve)(host))
        except Exception as exc:  # a name too odd for the resolver (e.g. an empty label) too
            raise OSError(f"{host} does not resolve") from exc
    if not addresses:
        raise OSError(f"{host} has no address")
    if not allow_private and not all(is_public(a) for a in addresses):
        raise TargetRefused(REFUSED)
    return target, addresses


def check_target(url: str, *, allow_private: bool = False, resolve: Resolver | None = None) -> None:
    """At subscription: refuse (TargetRefused) a URL the worker would not send to. Unless
    `allow_private`, its host must resolve, and only to public addresses."""
    if allow_private:
        _parse(url)
        return
    try:
        _addresses(url, allow_private=False, resolve=resolve)
    except OSError:
        raise TargetRefused(
            "the host does not resolve (it must resolve to public internet addresses only)"
        ) from None


# -- sending --------------------------------------------------------------------------------

Poster = Callable[[str, bytes, dict[str, str]], int]


def http_poster(
    timeout: float, *, allow_private: bool = False, resolve: Resolver | None = None
) -> Poster:
    """A Poster over httpx that connects only to the addresses it checked: the host is resolved
    once, every address must be public (unless `allow_private`: TargetRefused), and the request
    goes to one of those addresses with the name kept for `Host` and TLS, so a name cannot turn
    private between the check and the connection. No redirects, no proxies from the environment,
    no kept-alive connections (one is never reused for another name on the same address).
    A timeout raises TimeoutError; every other transport failure ConnectionError."""
    transport = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
    client = httpx.Client(transport=transport, timeout=timeout, follow_redirects=False)

    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        target, addresses = _addresses(url, allow_private=allow_private, resolve=resolve)
        extensions = {"sni_hostname": target.raw_host.decode("ascii")}
        pinned_headers = {**headers, "Host": target.netloc.decode("ascii")}
        for n, address in enumerate(addresses, 1):
            try:
                return client.post(
                    target.copy_with(host=str(address)),
                    content=body,
                    headers=pinned_headers,
                    extensions=extensions if target.scheme == "https" else {},
                ).status_code
            except httpx.ConnectError as exc:
                if n == len(addresses):  # otherwise the next address
                    raise ConnectionError(NO_RESPONSE) from exc
            except httpx.TimeoutException as exc:
                raise TimeoutError(TIMED_OUT) from exc
            except httpx.HTTPError as exc:
                raise ConnectionError(NO_RESPONSE) from exc
        raise ConnectionError(NO_RESPONSE)  # not reached: there is at least one address

    return post


@dataclass(frozen=True, slots=True)
class _Claim:
    id: int
    token: int  # the delivery's `attempts` as this claim set it
    created_at: datetime
    url: str
    secret: str
    topic: str
    payload: dict[str, Any]
    outbox_id: int


def _claim(db: Database, now: datetime, lease: timedelta) -> _Claim | None:
    """Claim one delivery: first one whose worker's lease ran out (it died mid-send), else the
    oldest pending one due at `now`. One short transaction (FOR UPDATE SKIP LOCKED on
    PostgreSQL, SQLite's write lock)."""
    d, s, o = t.webhook_deliveries, t.webhook_subscriptions, t.outbox
    columns = (
        select(
            d.c.id,
            d.c.attempts,
            d.c.created_at,
            s.c.url,
            s.c.secret,
            o.c.topic,
            o.c.payload,
            o.c.id.label("outbox_id"),
        )
        .join(s, s.c.id == d.c.subscription_id)
        .join(o, o.c.id == d.c.outbox_id)
    )
    with db.begin() as conn:
        claimed = claim_one(conn, d, columns, now, lease)
    if claimed is None:
        return None
    row, token = claimed
    return _Claim(
        row.id, token, row.created_at, row.url, row.secret, row.topic, row.payload, row.outbox_id
    )


def _still_ours(claim: _Claim) -> Any:
    d = t.webhook_deliveries
    return (d.c.id == claim.id) & (d.c.status == "sending") & (d.c.attempts == claim.token)


def _renew(db: Database, claim: _Claim, lease: timedelta) -> None:
    try:
        with db.begin() as conn:
            conn.execute(
                update(t.webhook_deliveries)
                .where(_still_ours(claim))
                .values(next_attempt_at=database_clock(conn) + lease)
            )
    except Exception:  # the send goes on; the final compare keeps the outcome right
        log.warning("webhook delivery %s: could not renew its lease", claim.id, exc_info=True)


def _send(
    db: Database,
    claim: _Claim,
    now: datetime,
    post: Poster,
    sender: Executor,
    *,
    lease: timedelta,
    allow_private: bool,
    resolve: Resolver | None,
) -> tuple[int | None, str | None]:
    """Send one claimed delivery (the poster runs in `sender`, the lease is renewed here while
    it waits); its status code and error."""
    body = json.dumps(
        {"id": claim.outbox_id, "topic": claim.topic, **claim.payload},
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(claim.secret, int(now.timestamp()), body),
        "X-Disputedesk-Event": claim.topic,
        EVENT_ID_HEADER: str(claim.outbox_id),
        "X-Disputedesk-Delivery": str(claim.id),
    }
    try:
        if not allow_private:  # refused before any connection (the poster checks again)
            _addresses(claim.url, allow_private=False, resolve=resolve)
        sending = sender.submit(post, claim.url, body, headers)
        while not wait([sending], timeout=lease.total_seconds() / 3).done:
            _renew(db, claim, lease)
        status_code = sending.result()
    except TargetRefused:
        return None, REFUSED
    except TimeoutError:
        return None, TIMED_OUT
    except Exception as exc:  # the receiver's failure must not stop the worker
        log.info("webhook delivery %s: no response (%s: %s)", claim.id, type(exc).__name__, exc)
        return None, NO_RESPONSE
    return status_code, None if 200 <= status_code < 300 else f"HTTP {status_code}"


def _record(
    db: Database,
    claim: _Claim,
    now: datetime,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
) -> str | None:
    """Log the attempt and, while the claim still stands, the delivery's new state: the
    status it got, or None when another worker had taken the delivery over."""
    values: dict[str, Any]
    if error is None:
        values = {"status": "delivered", "delivered_at": now, "next_attempt_at": None}
    elif now + backoff(claim.token) > claim.created_at + RETRY_FOR:
        values = {"status": "failed", "next_attempt_at": None}
    else:
        values = {"status": "pending", "next_attempt_at": now + backoff(claim.token)}
    with db.begin() as conn:
        conn.execute(
            insert(t.webhook_attempts).values(
                delivery_id=claim.id,
                attempted_at=now,
                status_code=status_code,
                error=error,
                duration_ms=duration_ms,
            )
        )
        updated = conn.execute(
            update(t.webhook_deliveries).where(_still_ours(claim)).values(**values)
        ).rowcount
    if not updated:
        log.warning("webhook delivery %s: its lease ran out and another worker took it", claim.id)
        return None
    return str(values["status"])


def deliver_due(
    db: Database,
    now: datetime,
    post: Poster,
    *,
    batch: int = 100,
    lease: timedelta = LEASE,
    allow_private: bool = False,
    resolve: Resolver | None = None,
) -> DeliveryReport:
    """Attempt up to `batch` due deliveries, one at a time: claim, send, record. No transaction
    stays open while a receiver answers; no other worker sends a delivery while it is being
    sent (whatever its `now`); a crashed worker's delivery is sent again, with the same event
    id, once its lease has run out. `allow_private` lets targets be non-public addresses."""
    report = DeliveryReport()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="webhook-send") as sender:
        for _ in range(batch):
            claim = _claim(db, now, lease)
            if claim is None:
                break
            started = time.perf_counter()
            status_code, error = _send(
                db,
                claim,
                now,
                post,
                sender,
                lease=lease,
                allow_private=allow_private,
                resolve=resolve,
            )
            duration = int((time.perf_counter() - started) * 1000)
            report.attempted += 1
            outcome = _record(db, claim, now, status_code, error, duration)
            if outcome == "delivered":
                report.delivered += 1
            elif outcome == "failed":
                report.failed += 1
    return report


def run_once(
    db: Database,
    now: datetime,
    post: Poster,
    *,
    lease: timedelta = LEASE,
    allow_private: bool = False,
    resolve: Resolver | None = None,
) -> DeliveryReport:
    """Fan out the outbox, then attempt every due delivery (batch after batch)."""
    report = DeliveryReport(fanned_out=fan_out(db, now))
    while True:
        step = deliver_due(db, now, post, lease=lease, allow_private=allow_private, resolve=resolve)
        report.attempted += step.attempted
        report.delivered += step.delivered
        report.failed += step.failed
        if step.attempted == 0:
            return report
