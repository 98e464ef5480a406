"""One million orders on one box (issue 16, target 6): the pages people read, over a big store.

Builds --orders orders (default 1,000,000) with --open open disputes (default 100,000) on
SQLite and on PostgreSQL (DISPUTEDESK_BENCH_POSTGRES_URL; skipped with a message when it cannot
be reached), then serves the database with a real `disputedesk serve` on 127.0.0.1 and reports
p50/p99 over a bounded number of requests (one client, back to back, after a warm-up) for
  - the seller inbox (`/desk/inbox` of the biggest store's owner): the first page, a filtered
    one, and pages deep in the list by cursor (and by the old offset, for comparison);
  - `GET /disputes` as that owner and as an operator (who sees every store): first page,
    filters, the deadline filter, deep pages by cursor and by offset;
  - a dispute's page in the desk and `GET /disputes/{id}`;
then the worker's sweep of 10,000 disputes due at once (written through `services.bulk`, the
real rows), `disputedesk rebuild --check` over everything, the database's size, and the serve
process's peak RSS (VmHWM). Targets: pages p99 < 100 ms, serve RSS < 300 MB.

The data are written set-based, never through the services one by one, yet as the services
write them: each kind of order (in transit, completed, a dispute awaiting the seller, in
negotiation, escalated, accepted, cancelled), at each of --buckets opening hours, is run once
through the rules core and written by the repository (`services.bulk.create_orders`: one
template order); then every order is an INSERT ... SELECT copy of its template's rows (orders,
events, disputes, plans) with its own id, store, buyer, country and tracking number, which the
core never reads. So `rebuild --check` passes. The templates' webhook outbox rows are not
copied (a box this old has delivered them). One store in ten owns a tenth of the orders.

`--quick`: 100,000 orders, 10,000 open, fewer requests. Everything is bounded and stopped at
the end; both databases are dropped.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from api import Load, free_port, pct, stop
from bench_db import BackendUnavailable, analyze, fresh_database
from disputedesk.rules.instants import days, format_instant
from disputedesk.rules.lifecycle import Command
from disputedesk.rules.policy import policy_from
from disputedesk.rules.vocabulary import REASONS as ALL_REASONS
from disputedesk.services import desk
from disputedesk.services.accounts import create_token, create_user, principal_by_email
from disputedesk.services.bulk import create_due_disputes, create_orders, due_dispute_template
from disputedesk.services.commands import utc_now
from disputedesk.services.sessions import start_session
from disputedesk.services.worker import sweep
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.web.security import SESSION_COOKIE

PAGE_P99_MS = 100.0
RSS_MB = 300.0
BIG_STORE = "store-0000"
STORES = 200
BUYERS = 20_000
COUNTRIES = ("BR", "US", "FR", "ES", "PL", "RU", "KR", "MX", "NL", "IL")
CARRIERS = ("China Post", "Cainiao", "YunExpress", "4PX")
REASONS = tuple(  # the not-as-described reasons a buyer with the goods may open
    r for r in ALL_REASONS if r.startswith("not_as_described.")
)
OPEN_KINDS = ("awaiting", "negotiating", "escalated")
CLOSED_KINDS = ("accepted", "cancelled")


# -- the data ------------------------------------------------------------------------------------


def _template_commands(
    kind: str, opened: datetime, reason: str, carrier: str
) -> tuple[Any, list[Command]]:
    """The template order of `kind` whose dispute (if any) opens at `opened`."""
    template, commands = due_dispute_template(
        opened_at=opened, store_id=BIG_STORE, buyer_id="buyer-00000", reason=reason
    )
    ship = commands[0]
    commands[0] = Command(
        ship.at, ship.actor, ship.action, {**ship.fields, "carrier": carrier}
    )  # the template's tracking number is replaced in every copy
    hour = timedelta(hours=1)
    then = {
        "transit": [],
        "completed": [Command(opened - days(1), "buyer", "confirm_receipt", {})],
        "awaiting": [commands[1]],
        "negotiating": [
            commands[1],
            Command(
                opened + hour,
                "seller",
                "propose",
                {"plan": {"type": "refund_only", "amount": "15.00"}},
            ),
        ],
        "escalated": [
            commands[1],
            Command(opened + hour, "seller", "reject", {"note": "not our fault"}),
            Command(opened + 2 * hour, "buyer", "escalate", {"note": None}),
        ],
        "accepted": [commands[1], Command(opened + 3 * hour, "seller", "accept", {})],
        "cancelled": [
            commands[1],
            Command(opened + 5 * hour, "buyer", "cancel_dispute", {}),
            Command(opened + 6 * hour, "buyer", "confirm_receipt", {}),
        ],
    }[kind]
    return template, [commands[0], *then]


@dataclass
class Plan:
    orders: int
    open: int
    closed: int
    transit: int
    buckets: int

    def kinds(self) -> list[tuple[str, int]]:
        """(kind, how many orders), in the order the permutation hands them out."""
        per_open = [self.open // 3 + (i < self.open % 3) for i in range(3)]
        per_closed = [self.closed // 2 + (i < self.closed % 2) for i in range(2)]
        rest = self.orders - self.open - self.closed - self.transit
        return [
            *zip(OPEN_KINDS, per_open, strict=True),
            *zip(CLOSED_KINDS, per_closed, strict=True),
            ("transit", self.transit),
            ("completed", rest),
        ]


def _templates(db: Database, plan: Plan, now: datetime) -> list[tuple[str, str, int, int]]:
    """Write each kind's template orders (one per opening hour): (template id, kind, bucket,
    the kind's first order number) rows for the copies' mapping."""
    policy = policy_from("aliexpress")
    window = policy.seller_response_days  # open disputes: deadlines still ahead
    rows = []
    start = 0
    for kind, count in plan.kinds():
        for bucket in range(plan.buckets):
            if kind in OPEN_KINDS:
                span = timedelta(days=window) - timedelta(hours=6)
                opened = now - span + span * bucket / plan.buckets
            elif kind in CLOSED_KINDS:
                opened = now - timedelta(days=40) + timedelta(days=25) * bucket / plan.buckets
            else:
                opened = now - timedelta(days=12) + timedelta(days=6) * bucket / plan.buckets
            opened = opened.replace(microsecond=0)
            reason = REASONS[bucket % len(REASONS)]
            carrier = CARRIERS[bucket % len(CARRIERS)]
            if kind == "transit":  # shipped in the last few days: no dispute may open yet
                spread = timedelta(days=3) * bucket / plan.buckets
                opened = (now + days(policy.dispute_open_after_shipment_days - 1) - spread).replace(
                    microsecond=0
                )
            template, commands = _template_commands(kind, opened, reason, carrier)
            tid = f"tpl-{kind}-{bucket:04d}"
            create_orders(db, 1, template, commands, id_prefix=f"{tid}-", recorded_at=now)
            rows.append((f"{tid}-00000000", kind, bucket, start))
        start += count
    return rows


def _numbers(pg: bool) -> str:
    if pg:
        return "n(i) AS (SELECT generate_series(CAST(:lo AS bigint), :hi - 1))"
    return "n(i) AS (SELECT :lo UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :hi)"


def _ident(pg: bool, prefix: str, expr: str, width: int) -> str:
    if pg:
        return f"'{prefix}' || lpad(CAST({expr} AS text), {width}, '0')"
    return f"printf('{prefix}%0{width}d', {expr})"


def build(db: Database, plan: Plan, now: datetime, progress: Any = print) -> None:
    """`plan.orders` orders as the services would have written them (see the module's doc)."""
    pg = db.is_postgres
    t0 = time.perf_counter()
    with db.begin() as conn:
        for table, prefix, width, n in (
            ("stores", "store-", 4, STORES),
            ("buyers", "buyer-", 5, BUYERS),
        ):
            conn.execute(
                text(
                    f"INSERT INTO {table} (id, name, created_at) WITH {'' if pg else 'RECURSIVE '}"
                    f"{_numbers(pg)} SELECT {_ident(pg, prefix, 'i', width)}, "
                    "'Name ' || CAST(i AS text), :at FROM n"
                ),
                {"lo": 0, "hi": n, "at": now - timedelta(days=400)},
            )
    rows = _templates(db, plan, now)
    progress(f"  {len(rows)} template orders through the core in {time.perf_counter() - t0:.1f}s")
    with db.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE bench_templates (tid VARCHAR(64) PRIMARY KEY, kind VARCHAR(16), "
                "bucket INTEGER, first INTEGER, tracking VARCHAR(100))"
            )
        )
        conn.execute(
            text(
                "INSERT INTO bench_templates (tid, kind, bucket, first, tracking) "
                "VALUES (:tid, :kind, :bucket, :first, 'RR000000000CN')"
            ),
            [{"tid": r[0], "kind": r[1], "bucket": r[2], "first": r[3]} for r in rows],
        )
    # order i: p = i * P mod N (a permutation, P prime to N) picks its kind (ranges of p, in
    # `plan.kinds()` order) and, within the kind, its template's opening hour (p mod buckets)
    prime = 1_000_003
    while plan.orders % prime == 0:
        prime += 2
    starts = []
    for kind, count in plan.kinds():
        starts.append((kind, sum(c for _, c in plan.kinds()[: len(starts)]), count))
    kind_case = (
        "CASE "
        + " ".join(f"WHEN p < {first + count} THEN '{kind}'" for kind, first, count in starts)
        + " END"
    )
    store = (
        f"CASE WHEN i % 10 = 0 THEN '{BIG_STORE}' ELSE "
        + _ident(pg, "store-", f"1 + i % {STORES - 1}", 4)
        + " END"
    )
    mapping = (
        f"{'' if pg else 'RECURSIVE '}{_numbers(pg)}, "
        f"m0 AS (SELECT i, (i * {prime}) % {plan.orders} AS p FROM n), "
        f"m1 AS (SELECT i, p, {kind_case} AS kind FROM m0), "
        "m AS (SELECT m1.i, "
        f"{_ident(pg, 'o', 'm1.i', 9)} AS new_id, "
        f"{store} AS store_id, "
        f"{_ident(pg, 'buyer-', f'(m1.i * 7) % {BUYERS}', 5)} AS buyer_id, "
        + "CASE (m1.i / 3) % 10 "
        + " ".join(f"WHEN {k} THEN '{c}'" for k, c in enumerate(COUNTRIES))
        + " END AS country, "
        f"{_ident(pg, 'RR', 'm1.i', 9)} || 'CN' AS tracking, "
        f"bt.tid AS tid, bt.tracking AS old_tracking "
        f"FROM m1 JOIN bench_templates bt ON bt.kind = m1.kind "
        f"AND bt.bucket = (m1.p * 7 + m1.p / {plan.buckets}) % {plan.buckets})"
    )
    replaced = "REPLACE(CAST(e.data AS TEXT), m.old_tracking, m.tracking)"
    data = f"CAST({replaced} AS jsonb)" if pg else replaced
    o, d, e, pl = t.orders, t.disputes, t.events, t.plans
    subst = {"id": "m.new_id", "store_id": "m.store_id", "buyer_id": "m.buyer_id"}
    subst |= {"destination_country": "m.country", "tracking_number": "m.tracking"}
    statements = [
        (o, "o", "m.tid = o.id", {**subst}),
        (e, "e", "m.tid = e.order_id", {"order_id": "m.new_id", "data": data, "id": None}),
        (d, "d", "m.tid = d.order_id", {"order_id": "m.new_id"}),
        (pl, "pl", "m.tid = pl.order_id", {"order_id": "m.new_id", "id": None}),
    ]
    chunk = 100_000
    for lo in range(0, plan.orders, chunk):
        hi = min(plan.orders, lo + chunk)
        with db.begin() as conn:
            for table, alias, join, changed in statements:
                names = [c.name for c in table.columns if changed.get(c.name, "") is not None]
                values = [changed.get(name) or f"{alias}.{name}" for name in names]
                conn.execute(
                    text(
                        f"INSERT INTO {table.name} ({', '.join(names)}) WITH {mapping} "
                        f"SELECT {', '.join(values)} FROM m JOIN {table.name} {alias} ON {join} "
                        f"ORDER BY m.i"
                    ),
                    {"lo": lo, "hi": hi},
                )
        progress(f"  {hi:,} orders copied ({time.perf_counter() - t0:.0f}s)")
    with db.begin() as conn:  # the templates go: only the copies stay
        for table in (t.plans, t.outbox, t.disputes, t.events):
            conn.execute(table.delete().where(table.c.order_id.like("tpl-%")))
        conn.execute(t.orders.delete().where(t.orders.c.id.like("tpl-%")))
        conn.execute(text("DROP TABLE bench_templates"))
    if pg:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")


# -- the server and the load ------------------------------------------------------------------


def start_serve(url: str, port: int, tmp: str) -> subprocess.Popen:
    """`disputedesk serve` on 127.0.0.1 over `url`."""
    env = {
        **os.environ,
        "DISPUTEDESK_DATABASE_URL": url,
        "DISPUTEDESK_RATE_LIMIT_PER_MINUTE": "0",
        "DISPUTEDESK_DATA_DIR": tmp,
    }
    script = Path(sys.executable).with_name("disputedesk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "disputedesk.cli"]
    log = open(Path(tmp) / f"serve-{port}.log", "wb")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((Path(tmp) / f"serve-{port}.log").read_text()) from None
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"serve on {port} did not start")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Figure:
    name: str
    p50: float
    p99: float
    n: int
    errors: int


def measure(load: Load, name: str, paths: list[str], n: int) -> Figure:
    """`n` requests, one at a time, cycling through `paths` (after a warm-up of a few)."""
    for path in paths[:3]:
        load.request("GET", path)
    latencies, errors = [], 0
    for i in range(n):
        latency, status = load.request("GET", paths[i % len(paths)])
        latencies.append(latency)
        errors += status >= 400
    figure = Figure(name, pct(latencies, 0.5), pct(latencies, 0.99), n, errors)
    verdict = "met" if figure.p99 < PAGE_P99_MS and not errors else "MISSED"
    print(
        f"  {name:<52} p50 {figure.p50:7.1f} ms  p99 {figure.p99:7.1f} ms  "
        f"(target p99 < {PAGE_P99_MS:.0f} ms: {verdict}; {n} requests, {errors} errors)"
    )
    return figure


def deep_cursors(
    db: Database, email: str, filters: desk.DisputeFilters, depths: list[int]
) -> list[str]:
    """The cursors that start the pages at these depths of the viewer's list."""
    viewer = principal_by_email(db, email)
    out = []
    for depth in depths:
        lines = desk.list_disputes(db, viewer, filters, limit=1, offset=depth - 1)
        if lines:
            out.append(lines[0].cursor)
    return out


def profile_one(db: Database, email: str, filters: desk.DisputeFilters, cursor: str | None) -> str:
    """What one page's query costs, in-process, as cProfile sees it (the top lines)."""
    viewer = principal_by_email(db, email)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(5):
        desk.list_disputes(db, viewer, filters, limit=51, after=cursor)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(8)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip())[:2500]


def run_pages(
    db: Database, url: str, tmp: str, requests: int, now: datetime
) -> tuple[list[Figure], float]:
    owner = "owner@store-0000.test"
    create_user(db, email=owner, name="Big Store", role="seller", store_id=BIG_STORE)
    create_user(db, email="ops@bench.test", name="Ops", role="admin")
    owner_token = create_token(db, email=owner).token
    ops_token = create_token(db, email="ops@bench.test").token
    cookie, _ = start_session(db, principal_by_email(db, owner), locale="en", time_zone="UTC")
    everything = desk.DisputeFilters()
    with db.engine.connect() as conn:
        store_disputes = conn.scalar(
            select(func.count())
            .select_from(t.disputes.join(t.orders, t.orders.c.id == t.disputes.c.order_id))
            .where(t.orders.c.store_id == BIG_STORE)
        )
        all_disputes = conn.scalar(select(func.count()).select_from(t.disputes))
        some = conn.execute(
            select(t.disputes.c.order_id, t.disputes.c.seq)
            .join(t.orders, t.orders.c.id == t.disputes.c.order_id)
            .where(t.orders.c.store_id == BIG_STORE, t.disputes.c.status != "closed")
            .limit(50)
        ).all()
    dispute_ids = [f"{r.order_id}-D{r.seq}" for r in some]
    store_depths = [store_disputes // 2, store_disputes * 9 // 10, store_disputes - 60]
    all_depths = [all_disputes // 2, all_disputes * 9 // 10, all_disputes - 60]
    store_cursors = deep_cursors(db, owner, everything, store_depths)
    all_cursors = deep_cursors(db, "ops@bench.test", everything, all_depths)
    print(
        f"  {BIG_STORE}: {store_disputes:,} disputes (of {all_disputes:,}); deep pages at rows "
        f"{', '.join(f'{d:,}' for d in store_depths)} (operator: "
        f"{', '.join(f'{d:,}' for d in all_depths)})"
    )
    port = free_port()
    proc = start_serve(url, port, tmp)
    figures = []
    try:
        page = Load(port, {"Cookie": f"{SESSION_COOKIE}={cookie}"})
        api = Load(port, {"Authorization": f"Bearer {owner_token}"})
        ops = Load(port, {"Authorization": f"Bearer {ops_token}"})
        due = format_instant(now + timedelta(days=2))
        deep_pages = [f"/desk/inbox?cursor={c}" for c in store_cursors]
        cases = (
            (page, "desk inbox, first page", ["/desk/inbox"]),
            (
                page,
                "desk inbox, filtered (reason, open only)",
                [f"/desk/inbox?reason={r}&open_only=1" for r in REASONS[:3]],
            ),
            (
                page,
                "desk inbox, filtered (country, carrier)",
                ["/desk/inbox?country=BR&carrier=Cainiao"],
            ),
            (page, "desk inbox, deep pages by cursor", deep_pages),
            (
                page,
                "desk inbox, deep pages by offset (old links)",
                [f"/desk/inbox?offset={d}" for d in store_depths],
            ),
            (page, "desk dispute page", [f"/desk/disputes/{i}" for i in dispute_ids]),
            (api, "GET /disputes (owner), first page", ["/disputes?limit=50"]),
            (
                api,
                "GET /disputes (owner), filters",
                [
                    "/disputes?status=negotiating",
                    f"/disputes?reason={REASONS[1]}",
                    "/disputes?country=FR&status=escalated",
                ],
            ),
            (api, "GET /disputes (owner), due_before", [f"/disputes?due_before={due}"]),
            (
                api,
                "GET /disputes (owner), deep by cursor",
                [f"/disputes?cursor={c}" for c in store_cursors],
            ),
            (
                api,
                "GET /disputes (owner), deep by offset",
                [f"/disputes?offset={d}" for d in store_depths],
            ),
            (api, "GET /disputes/{id}", [f"/disputes/{i}" for i in dispute_ids]),
            (ops, "GET /disputes (operator, all stores), first page", ["/disputes"]),
            (
                ops,
                "GET /disputes (operator), filter",
                [f"/disputes?reason={REASONS[2]}&status=awaiting_seller_response"],
            ),
            (
                ops,
                "GET /disputes (operator), deep by cursor",
                [f"/disputes?cursor={c}" for c in all_cursors],
            ),
            (
                ops,
                "GET /disputes (operator), deep by offset",
                [f"/disputes?offset={d}" for d in all_depths],
            ),
        )
        for load, name, paths in cases:
            figures.append(measure(load, name, paths, requests))
        rss = peak_rss_mb(proc.pid)
    finally:
        stop([proc])
    verdict = "met" if rss < RSS_MB else "MISSED"
    print(f"  serve peak RSS (VmHWM) {rss:,.0f} MB (target < {RSS_MB:.0f} MB: {verdict})")
    missed = [f for f in figures if f.p99 >= PAGE_P99_MS]
    if missed:
        print("  what bounds the slowest page (cProfile of its query in-process, 5 runs):")
        print(
            "    "
            + profile_one(
                db, "ops@bench.test", everything, all_cursors[0] if all_cursors else None
            ).replace("\n", "\n    ")
        )
    return figures, rss


def database_size(db: Database) -> float:
    if db.is_postgres:
        with db.engine.connect() as conn:
            return (
                conn.scalar(
                    text(
                        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                        "JOIN pg_namespace s ON s.oid = c.relnamespace "
                        "WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'm')"
                    )
                )
                / 2**20
            )
    path = Path(db.engine.url.database or "")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20


def run(backend: str, plan: Plan, requests: int, sweep_n: int) -> None:
    now = utc_now().replace(microsecond=0)
    with fresh_database(backend) as db, tempfile.TemporaryDirectory(prefix="dd-million-") as tmp:
        url = db.engine.url.render_as_string(hide_password=False)
        print(f"{backend}: building {plan.orders:,} orders, {plan.open:,} open disputes ...")
        t0 = time.perf_counter()
        build(db, plan, now)
        with db.engine.connect() as conn:
            counts = {
                s: n
                for s, n in conn.execute(
                    select(t.disputes.c.status, func.count()).group_by(t.disputes.c.status)
                )
            }
            orders = conn.scalar(select(func.count()).select_from(t.orders))
        print(
            f"  built in {time.perf_counter() - t0:.0f}s: {orders:,} orders, disputes "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
        )
        run_pages(db, url, tmp, requests, now)
        # the worker's sweep: sweep_n disputes written through services.bulk, due together
        # before anything else in the box is
        with db.engine.connect() as conn:
            first_due = conn.scalar(select(func.min(t.orders.c.due_at)))
        probe = create_due_disputes(db, 0, opened_at=now)
        assert probe.due_at is not None
        window = probe.due_at - now
        opened = (first_due or now) - timedelta(hours=1) - window
        created = create_due_disputes(
            db, sweep_n, opened_at=opened, id_prefix="sweep-", recorded_at=now, batch=2000
        )
        analyze(db)
        t0 = time.perf_counter()
        report = sweep(db, created.due_at)
        seconds = time.perf_counter() - t0
        print(
            f"  worker sweep of {report.orders:,} disputes due at once: {seconds:.1f}s "
            f"({report.orders / seconds:,.0f}/s, {report.batches} batches)"
        )
        assert report.orders == sweep_n, report
        script = Path(sys.executable).with_name("disputedesk")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "disputedesk.cli"]
        t0 = time.perf_counter()
        done = subprocess.run(
            [*command, "rebuild", "--check"],
            env={**os.environ, "DISPUTEDESK_DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=3600,
        )
        seconds = time.perf_counter() - t0
        last = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1:] or [""]
        print(f"  rebuild --check: {seconds:.0f}s, exit {done.returncode} ({last[0][:160]})")
        print(f"  database size: {database_size(db):,.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000 orders, 10,000 open")
    ap.add_argument("--orders", type=int, default=None)
    ap.add_argument("--open", type=int, default=None, help="open disputes")
    ap.add_argument("--requests", type=int, default=None, help="requests per figure")
    ap.add_argument("--buckets", type=int, default=96, help="opening hours per kind of order")
    ap.add_argument("--sweep", type=int, default=10_000, help="disputes due at once")
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    args = ap.parse_args()
    orders = args.orders or (100_000 if args.quick else 1_000_000)
    opened = args.open if args.open is not None else orders // 10
    requests = args.requests or (100 if args.quick else 300)
    if opened > orders // 2:
        ap.error("--open: at most half the orders")
    plan = Plan(orders, opened, opened, orders // 20, args.buckets)
    for backend in args.backend or ("sqlite", "postgresql"):
        try:
            run(backend, plan, requests, args.sweep)
        except BackendUnavailable as exc:
            print(f"{backend}: skipped: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
