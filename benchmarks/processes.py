"""N processes on one PostgreSQL (issue 16, target 7): throughput with 1, 2 and 4 API processes
and with 1, 2 and 4 deadline workers, each beside the one-process figure measured in the same run.

  1. API: `disputedesk serve --workers N` on a fresh schema; 32 keep-alive clients send, for a
     bounded time, a mix of GET /disputes/{id} (3 in 4) and POST /disputes/{id}/accept (1 in 4,
     each dispute accepted once); requests/s, p50/p99, errors.
  2. Workers: N processes running the deadline sweep (`services.worker.sweep`, what
     `disputedesk worker` runs before its messaging jobs) started together on a schema holding
     --due disputes that all fell due at the same instant; they share the work through
     FOR UPDATE SKIP LOCKED. Disputes fired per second of wall time, and a check that each
     fired exactly once (one seller_response_timeout event per dispute, no more).

On a 2-core machine expect scaling to about 2 and no further. Needs PostgreSQL
(DISPUTEDESK_BENCH_POSTGRES_URL, default the test database on 127.0.0.1); prints a message and
exits 0 when it cannot be reached. Every phase is bounded in requests and seconds; servers and
workers are stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from api import Load, free_port, pct
from bench_db import BackendUnavailable, fresh_database
from disputedesk.rules.instants import parse_instant
from disputedesk.services.accounts import create_token, create_user
from disputedesk.services.bulk import create_due_disputes, order_ids
from disputedesk.services.commands import utc_now
from disputedesk.store import tables as t
from disputedesk.store.db import Database

EXE = str(Path(sys.executable).with_name("disputedesk"))
COUNTS = (1, 2, 4)
STORE = "bulk-store"


def serve(url: str, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DISPUTEDESK_DATABASE_URL": url, "DISPUTEDESK_RATE_LIMIT_PER_MINUTE": "0"}
    proc = subprocess.Popen(
        [EXE, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    probe = Load(port, {})
    while time.monotonic() < deadline:
        try:
            if probe.request("GET", "/health")[1] < 500:
                return proc, port
        except OSError:
            probe.local.conn = None
            if proc.poll() is not None:
                raise RuntimeError("disputedesk serve exited") from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("disputedesk serve did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Mix:
    """32 clients' shared state: GETs over `ids`, each of `to_accept` accepted once."""

    def __init__(self, load: Load, ids: list[str], seconds: float) -> None:
        self.load = load
        self.ids = ids
        self.to_accept = iter(ids)
        self.stop_at = time.perf_counter() + seconds
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}

    def client(self, number: int) -> None:
        i = number
        while time.perf_counter() < self.stop_at:
            i += 1
            if i % 4 == 0:
                with self.lock:
                    target = next(self.to_accept, None)
                if target is None:
                    return
                latency, status = self.load.request("POST", f"/disputes/{target}/accept")
            else:
                path = f"/disputes/{self.ids[i % len(self.ids)]}"
                latency, status = self.load.request("GET", path)
            with self.lock:
                self.latencies.append(latency)
                self.statuses[status] = self.statuses.get(status, 0) + 1

    def run(self, clients: int) -> float:
        threads = [threading.Thread(target=self.client, args=(c,)) for c in range(clients)]
        t0 = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - t0


def api_phase(db: Database, url: str, n_disputes: int, seconds: float) -> None:
    """requests/s for each process count (fresh disputes to accept for each)."""
    now = utc_now()
    create_user(db, email="seller@bench.test", name="Bench", role="seller", store_id=STORE, now=now)
    token = create_token(db, email="seller@bench.test").token
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    base = None
    for k, workers in enumerate(COUNTS):
        prefix = f"api{k}-"
        create_due_disputes(
            db, n_disputes, opened_at=now - timedelta(hours=1), id_prefix=prefix, store_id=STORE
        )
        mix = Mix(
            Load(0, headers),
            [f"{oid}-D1" for oid in order_ids(n_disputes, id_prefix=prefix)],
            seconds,
        )
        proc, port = serve(url, workers)
        try:
            mix.load.port = port
            mix.stop_at = time.perf_counter() + seconds
            elapsed = mix.run(32)
        finally:
            stop(proc)
        rps = len(mix.latencies) / elapsed
        base = base or rps
        errors = sum(n for status, n in mix.statuses.items() if status >= 400)
        print(
            f"  serve --workers {workers}: {rps:7,.0f} req/s  p50 {pct(mix.latencies, 0.5):6.1f} ms"
            f"  p99 {pct(mix.latencies, 0.99):6.1f} ms  ({len(mix.latencies)} requests, "
            f"{errors} errors {sorted(mix.statuses.items())})  {rps / base:.2f}x one process"
        )


def run_workers(url: str, n: int, now_text: str, timeout: float) -> float:
    """Wall time for `n` processes sweeping together (`services.worker.sweep`, as `disputedesk
    worker --once` runs it, without the messaging and watch jobs that run after it)."""
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--sweep-child", url, now_text],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(n)
    ]
    for proc in procs:
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            raise RuntimeError(f"{n} workers did not finish in {timeout:.0f} s") from None
        if proc.returncode:
            raise RuntimeError(f"a worker failed: {err.decode()[-500:]}")
    return time.perf_counter() - t0


def sweep_child(url: str, now_text: str) -> int:
    from disputedesk.services.worker import sweep

    now = parse_instant(now_text)
    assert now is not None
    db = Database(url)
    try:
        sweep(db, now, batch=500)
    finally:
        db.dispose()
    return 0


def fired(db: Database, prefix: str) -> tuple[int, int]:
    """(timeout events, distinct orders with one) among the orders named `prefix...`."""
    e = t.events
    where = (e.c.action == "seller_response_timeout") & e.c.order_id.like(f"{prefix}%")
    with db.engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(e).where(where)).scalar_one()
        orders = conn.execute(select(func.count(func.distinct(e.c.order_id))).where(where))
        return int(events), int(orders.scalar_one())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="API load per process count")
    ap.add_argument("--disputes", type=int, default=3000, help="disputes to accept, per count")
    ap.add_argument("--due", type=int, default=20_000, help="due disputes per worker count")
    ap.add_argument("--quick", action="store_true", help="4 s of API load, 5,000 due")
    ap.add_argument("--sweep-child", nargs=2, help=argparse.SUPPRESS)  # URL NOW, as a worker
    args = ap.parse_args()
    if args.sweep_child:
        return sweep_child(*args.sweep_child)
    if args.quick:
        args.seconds, args.disputes, args.due = 4.0, 1000, 5000
    try:
        with fresh_database("postgresql") as db:
            url = db.engine.url.render_as_string(hide_password=False)
            print(f"API on PostgreSQL, 32 clients, 3 GETs to 1 accept, {args.seconds:g} s each:")
            api_phase(db, url, args.disputes, args.seconds)
            print(f"deadline workers on PostgreSQL, {args.due:,} disputes due at once:")
            base = None
            for round_, n in enumerate(COUNTS):
                opened = parse_instant("2026-03-10T10:00:00Z")
                assert opened is not None
                prefix = f"due{round_}-"
                created = create_due_disputes(db, args.due, opened_at=opened, id_prefix=prefix)
                now_text = (created.due_at + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
                seconds = run_workers(url, n, now_text, timeout=900)
                events, orders = fired(db, prefix)
                rate = args.due / seconds
                base = base or rate
                exactly_once = "each fired once" if events == orders == args.due else "MISMATCH"
                print(
                    f"  {n} worker(s): {seconds:6.1f} s  {rate:7,.0f} disputes/s  "
                    f"{rate / base:.2f}x one worker  ({events:,} timeouts on {orders:,} orders: "
                    f"{exactly_once})"
                )
                if exactly_once != "each fired once":
                    return 1
    except BackendUnavailable as exc:
        print(f"skipped: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
