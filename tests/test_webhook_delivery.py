"""Webhook delivery, hardened (issue 10): each delivery is sent once per attempt even with two
workers, a slow receiver and a clock moved ahead; targets must be public internet addresses
(after DNS resolution, at subscription and at every send); the delivery log tells only HTTP
status codes and timeouts; the webhook routes answer 404/422, never 500.

Every connection these tests make goes to 127.0.0.1; non-public targets are refused before any
connection, which a recording poster proves; names resolve through an injected resolver."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from api_support import Desk, make_desk
from disputedesk.api.errors import PROBLEM_JSON
from disputedesk.services import webhooks
from disputedesk.services.orders import check_order, create_order
from disputedesk.store import tables as t
from disputedesk.store.db import Database

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
EVENT_ID = "X-Disputedesk-Event-Id"


# -- a real receiver on 127.0.0.1 ------------------------------------------------------------


class Receiver:
    """A threaded HTTP server on 127.0.0.1 that answers `status` after `delay` seconds (or hangs
    up without an answer) and counts the requests per event id (the body's `id`)."""

    def __init__(self, delay: float = 0.0, status: int = 200, hang_up: bool = False) -> None:
        self.counts: Counter[int] = Counter()
        self.headers: list[dict[str, str]] = []
        self.first = threading.Event()
        lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    outer.counts[json.loads(body)["id"]] += 1
                    outer.headers.append({k.lower(): v for k, v in self.headers.items()})
                outer.first.set()
                if hang_up:
                    self.close_connection = True
                    return
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    made: list[Receiver] = []

    def make(**kw: Any) -> Receiver:
        made.append(Receiver(**kw))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


def seed(db: Database, urls: list[str], events: int) -> list[int]:
    """A store with one order, `events` outbox rows and a subscription per URL, written straight
    into the tables (no target check), fanned out to deliveries due at T0; the outbox ids."""
    create_order(
        db,
        check_order(
            {
                "id": "O1",
                "store_id": "shop1",
                "buyer_id": "B1",
                "amount": "10.00",
                "currency": "USD",
                "placed_at": "2026-03-01T08:00:00Z",
                "promised_delivery_days": 30,
            }
        ),
        now=T0,
    )
    with db.begin() as conn:
        conn.execute(
            insert(t.webhook_subscriptions),
            [
                {
                    "store_id": "shop1",
                    "url": u,
                    "secret": "whsec_t",
                    "active": True,
                    "created_at": T0,
                }
                for u in urls
            ],
        )
        conn.execute(
            insert(t.outbox),
            [
                {
                    "order_id": "O1",
                    "event_seq": 100 + n,
                    "topic": "order.test",
                    "payload": {"n": n},
                    "created_at": T0,
                    "available_at": T0,
                    "attempts": 0,
                }
                for n in range(events)
            ],
        )
    webhooks.fan_out(db, T0)
    with db.engine.connect() as conn:
        return list(conn.scalars(select(t.outbox.c.id).order_by(t.outbox.c.id)))


def deliveries(db: Database) -> list[Any]:
    with db.engine.connect() as conn:
        return conn.execute(
            select(t.webhook_deliveries, t.webhook_subscriptions.c.url)
            .join(t.webhook_subscriptions)
            .order_by(t.webhook_deliveries.c.id)
        ).all()


def attempts(db: Database) -> list[Any]:
    with db.engine.connect() as conn:
        return conn.execute(
            select(t.webhook_attempts, t.webhook_subscriptions.c.url)
            .select_from(t.webhook_attempts)
            .join(t.webhook_deliveries)
            .join(t.webhook_subscriptions)
            .order_by(t.webhook_attempts.c.id)
        ).all()


def in_threads(*jobs: Callable[[], object], timeout: float = 30.0) -> list[object]:
    """Run the jobs in threads at once; their results (an exception is re-raised here)."""
    results: list[object] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            results[i] = jobs[i]()
        except BaseException as exc:  # handed to the test's thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a worker did not finish in time"
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


# -- 1. exactly once per attempt -----------------------------------------------------------------


def test_two_workers_with_a_short_lease_send_each_event_once_to_a_slow_receiver(
    db: Database, receivers: Callable[..., Receiver]
) -> None:
    """Sends outlasting the lease, clocks that move: the worker renews the lease of the one
    delivery it is sending, so the other worker, starting its sweep later, never takes it."""
    receiver = receivers(delay=0.6)
    ids = seed(db, [receiver.url], events=6)
    lease = timedelta(seconds=0.4)  # renewed every 0.13 s while a send takes 0.6 s
    started = time.monotonic()

    def clock() -> datetime:
        return T0 + timedelta(seconds=time.monotonic() - started)

    def worker() -> webhooks.DeliveryReport:
        post = webhooks.http_poster(timeout=5, allow_private=True)
        return webhooks.run_once(db, clock(), post, lease=lease, allow_private=True)

    def later_worker() -> webhooks.DeliveryReport:
        assert receiver.first.wait(10)
        time.sleep(0.5)  # past the lease of the first worker's first claim
        return worker()

    reports = in_threads(worker, later_worker)
    assert receiver.counts == dict.fromkeys(ids, 1)
    assert sum(r.attempted for r in reports) == 6  # type: ignore[attr-defined]
    assert {(d.status, d.attempts) for d in deliveries(db)} == {("delivered", 1)}
    assert len(attempts(db)) == 6


def test_a_worker_whose_clock_runs_ahead_does_not_resend_what_another_is_sending(
    db: Database, receivers: Callable[..., Receiver]
) -> None:
    """Worker B runs 10 minutes ahead (`worker --now`), past the lease A's claim would have had
    on A's clock: the lease runs on the database's clock, so B leaves A's sends alone."""
    receiver = receivers(delay=0.3)
    ids = seed(db, [receiver.url], events=8)

    def worker_a() -> webhooks.DeliveryReport:
        post = webhooks.http_poster(timeout=5, allow_private=True)
        return webhooks.run_once(db, T0, post, allow_private=True)

    def worker_b() -> webhooks.DeliveryReport:
        assert receiver.first.wait(10)  # A is sending
        post = webhooks.http_poster(timeout=5, allow_private=True)
        return webhooks.run_once(db, T0 + timedelta(minutes=10), post, allow_private=True)

    in_threads(worker_a, worker_b)
    assert receiver.counts == dict.fromkeys(ids, 1)
    assert {(d.status, d.attempts) for d in deliveries(db)} == {("delivered", 1)}


def test_a_worker_that_lost_its_claim_does_not_overwrite_the_new_owners_outcome(
    db: Database,
) -> None:
    (event,) = seed(db, ["http://127.0.0.1:9/never-connected"], events=1)
    sent: list[str] = []
    report_b: list[webhooks.DeliveryReport] = []

    def post_b(url: str, body: bytes, headers: dict[str, str]) -> int:
        sent.append("B")
        return 200

    def post_a(url: str, body: bytes, headers: dict[str, str]) -> int:
        sent.append("A")
        # A's lease lapses while it waits (say the database was out of reach all along) ...
        with db.begin() as conn:
            conn.execute(
                update(t.webhook_deliveries).values(
                    next_attempt_at=datetime(2000, 1, 1, tzinfo=UTC)
                )
            )
        # ... and worker B, its clock 10 minutes ahead, takes the delivery over and delivers it
        later = T0 + timedelta(minutes=10)
        report_b.append(webhooks.deliver_due(db, later, post_b, allow_private=True))
        return 500

    report_a = webhooks.deliver_due(db, T0, post_a, allow_private=True)
    assert sent == ["A", "B"]
    assert report_b[0].delivered == 1 and report_a.delivered == 0
    (row,) = deliveries(db)
    assert (row.status, row.attempts) == ("delivered", 2)  # A's 500 did not undo B's 200
    assert row.delivered_at == T0 + timedelta(minutes=10) and row.next_attempt_at is None
    # both sends happened and both are in the log
    assert sorted((a.status_code, a.error) for a in attempts(db)) == [
        (200, None),
        (500, "HTTP 500"),
    ]
    assert event


def test_a_redelivery_after_a_crash_carries_the_same_event_id(db: Database) -> None:
    (event,) = seed(db, ["http://127.0.0.1:9/never-connected"], events=1)
    seen: list[tuple[str | None, int]] = []

    class Crash(BaseException):
        """The worker dies between the receiver's answer and recording it."""

    def crashing(url: str, body: bytes, headers: dict[str, str]) -> int:
        seen.append((headers.get(EVENT_ID), json.loads(body)["id"]))
        raise Crash

    def answering(url: str, body: bytes, headers: dict[str, str]) -> int:
        seen.append((headers.get(EVENT_ID), json.loads(body)["id"]))
        return 204

    lease = timedelta(seconds=0.3)
    with pytest.raises(Crash):
        webhooks.deliver_due(db, T0, crashing, lease=lease, allow_private=True)
    # while the claim holds nobody resends it, whatever their clock says
    ahead = webhooks.deliver_due(db, T0 + timedelta(hours=1), answering, allow_private=True)
    assert ahead.attempted == 0
    time.sleep(0.5)  # the crashed worker's lease runs out
    report = webhooks.deliver_due(db, T0, answering, lease=lease, allow_private=True)
    assert report.delivered == 1
    assert seen == [(str(event), event), (str(event), event)]  # one redelivery, the same id
    (row,) = deliveries(db)
    assert (row.status, row.attempts) == ("delivered", 2)


# -- 2. public targets only ------------------------------------------------------------------

NOT_PUBLIC = [
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.20",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "198.18.0.1",
    "::",
    "::1",
    "fd00::1",
    "fc00::1",
    "fe80::1",
    "ff02::1",
    "2001:db8::1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::10.0.0.1",  # IPv4-compatible
    "::127.0.0.1",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_are_not_public(address: str) -> None:
    assert not webhooks.is_public(ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_public(address: str) -> None:
    assert webhooks.is_public(ip_address(address))


def test_a_name_is_public_only_when_every_address_it_resolves_to_is() -> None:
    names = {
        "hooks.internal.test": ["10.1.2.3"],
        "mixed.test": ["93.184.215.14", "10.0.0.1"],
        "metadata.test": ["::ffff:169.254.169.254"],
        "nothing.test": [],
        "public.test": ["93.184.215.14", "2606:4700:4700::1111"],
    }

    def resolve(host: str) -> list[Any]:
        return [ip_address(a) for a in names[host]]

    for name in ("hooks.internal.test", "mixed.test", "metadata.test", "nothing.test"):
        with pytest.raises(webhooks.TargetRefused):
            webhooks.check_target(f"https://{name}/hook", resolve=resolve)
    webhooks.check_target("https://public.test:8443/hook", resolve=resolve)  # no refusal
    # the system resolver: `localhost` is loopback (from /etc/hosts, no DNS query)
    with pytest.raises(webhooks.TargetRefused):
        webhooks.check_target("http://localhost:8000/hook")
    with pytest.raises(webhooks.TargetRefused):  # a dotted-decimal alias of 127.0.0.1
        webhooks.check_target("http://2130706433/hook")


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    yield d
    d.client.close()


SUBSCRIBE_REFUSED = [
    "http://10.0.0.1/hook",
    "http://192.168.1.20:8080/",
    "http://172.16.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00::1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://100.64.0.1/",
    "http://0.0.0.0:8000/",
    "http://127.0.0.1:8000/",
    "http://[::1]:8000/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "http://localhost:8000/",
    "http://2130706433/",
    "http:///no-host",
]


def test_subscribing_a_non_public_target_is_refused(desk: Desk) -> None:
    for url in SUBSCRIBE_REFUSED:
        r = desk.post("seller", "/stores/shop1/webhooks", {"url": url})
        assert r.status_code == 422, (url, r.status_code)
        assert r.headers["content-type"] == PROBLEM_JSON
        assert r.json()["code"] == "invalid_input"
        assert r.json()["detail"].startswith("url: "), r.json()
    assert desk.get("seller", "/stores/shop1/webhooks").json()["items"] == []
    # a public address is accepted (and nothing is sent: no worker runs here)
    ok = desk.post("seller", "/stores/shop1/webhooks", {"url": "https://93.184.215.14/hook"})
    assert ok.status_code == 201


def test_the_operator_may_allow_private_targets(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPUTEDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
    d = make_desk(db, tmp_path)
    try:
        for url in ("http://127.0.0.1:9/hook", "http://10.0.0.1/hook", "http://localhost/"):
            assert d.post("seller", "/stores/shop1/webhooks", {"url": url}).status_code == 201
        bad = d.post("seller", "/stores/shop1/webhooks", {"url": "http:///no-host"})
        assert bad.status_code == 422
    finally:
        d.client.close()


def test_sends_to_non_public_targets_are_refused_without_connecting(db: Database) -> None:
    """Subscribed before the rule, or a name that now resolves inward: refused at every send,
    before any connection, and logged neutrally."""
    urls = [
        "http://10.0.0.1/hook",
        "http://192.168.1.20/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://127.0.0.1:9/",
        "https://hooks.internal.test/hook",
    ]
    seed(db, urls, events=1)
    posted: list[str] = []
    looked_up: list[str] = []

    def recording(url: str, body: bytes, headers: dict[str, str]) -> int:
        posted.append(url)
        return 200

    def resolve(host: str) -> list[Any]:
        looked_up.append(host)
        return [ip_address({"hooks.internal.test": "10.9.9.9"}[host])]

    report = webhooks.run_once(db, T0, recording, resolve=resolve)
    assert posted == []
    assert looked_up == ["hooks.internal.test"]  # literals need no lookup
    assert (report.attempted, report.delivered) == (len(urls), 0)
    log = attempts(db)
    assert [(a.status_code, a.error) for a in log] == [(None, webhooks.REFUSED)] * len(urls)
    assert webhooks.REFUSED == "refused: the target address is not public"
    rows = deliveries(db)
    assert {(d.status, d.attempts, d.next_attempt_at) for d in rows} == {
        ("pending", 1, T0 + timedelta(seconds=30))
    }


def test_the_http_poster_checks_the_address_it_connects_to(
    receivers: Callable[..., Receiver],
) -> None:
    """The poster resolves once, checks, and connects to the address it checked (a name cannot
    turn private between the check and the connection)."""
    receiver = receivers()
    post = webhooks.http_poster(timeout=2)
    for url in (receiver.url, f"http://localhost:{receiver.port}/hook"):
        with pytest.raises(webhooks.TargetRefused):
            post(url, b'{"id": 1}', {})
    assert receiver.counts == {}
    # allowed private targets: the name is resolved by the injected resolver and pinned
    names = {"hooks.example.test": [ip_address("127.0.0.1")]}
    pinned = webhooks.http_poster(timeout=2, allow_private=True, resolve=names.__getitem__)
    assert pinned(f"http://hooks.example.test:{receiver.port}/hook", b'{"id": 7}', {}) == 200
    assert receiver.counts == {7: 1}
    assert receiver.headers[0]["host"] == f"hooks.example.test:{receiver.port}"


def test_the_log_tells_status_codes_and_timeouts_only(
    db: Database, receivers: Callable[..., Receiver]
) -> None:
    """A closed port and a receiver that hangs up look the same: `no response`."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed = f"http://127.0.0.1:{probe.getsockname()[1]}/hook"
    probe.close()
    hangs_up = receivers(hang_up=True).url
    slow = receivers(delay=1.0).url
    unavailable = receivers(status=503).url
    fine = receivers(status=200).url
    seed(db, [closed, hangs_up, slow, unavailable, fine], events=1)
    post = webhooks.http_poster(timeout=0.3, allow_private=True)
    webhooks.run_once(db, T0, post, allow_private=True)
    log = {a.url: (a.status_code, a.error) for a in attempts(db)}
    assert log == {
        closed: (None, "no response"),
        hangs_up: (None, "no response"),
        slow: (None, "timeout"),
        unavailable: (503, "HTTP 503"),
        fine: (200, None),
    }


# -- 3. the webhook routes never 500 -------------------------------------------------------------


def test_webhook_routes_of_a_missing_store_are_not_found(desk: Desk) -> None:
    """Whoever asks (an admin passes the membership check) and whatever the id."""
    public = {"url": "https://93.184.215.14/hook"}
    for role in ("admin", "seller"):
        for store in ("nosuch", "x" * 65, "a%00b"):
            # a NUL may be refused as malformed before the route (422); never a 500
            expected = {404, 422} if "%00" in store else {404}
            for method, path, body in (
                ("post", f"/stores/{store}/webhooks", public),
                ("get", f"/stores/{store}/webhooks", None),
                ("get", f"/stores/{store}/webhooks/1/deliveries", None),
                ("post", f"/stores/{store}/webhooks/1/disable", None),
            ):
                r = getattr(desk, method)(role, path, *([body] if body else []))
                assert r.status_code in expected, (role, path, r.status_code)
                assert r.headers["content-type"] == PROBLEM_JSON
                assert r.json()["code"] == {404: "not_found", 422: "invalid_input"}[r.status_code]
    assert desk.get("admin", "/stores/shop1/webhooks").status_code == 200


def test_webhook_ids_beyond_64_bits_are_refused_not_500(desk: Desk) -> None:
    for webhook_id in ("99999999999999999999", str(2**63), str(2**63 - 1), "0", "-1"):
        for role in ("seller", "admin"):
            for method, path in (
                ("get", f"/stores/shop1/webhooks/{webhook_id}/deliveries"),
                ("post", f"/stores/shop1/webhooks/{webhook_id}/disable"),
            ):
                r = getattr(desk, method)(role, path)
                assert r.status_code in (404, 422), (path, role, r.status_code)
                assert r.headers["content-type"] == PROBLEM_JSON
                assert r.json()["code"] in ("not_found", "invalid_input")
