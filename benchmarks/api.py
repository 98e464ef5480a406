"""API speed on loopback: requests/s and p50/p99 latency for GET /disputes/{id} and
POST /disputes/{id}/accept at concurrency 32, beside a FastAPI endpoint that returns a constant,
served the same way in the same run (the ratio is the figure); then GET /disputes/{id} at a
steady 200 requests/s, where the target is p99 under 50 ms on SQLite.

Servers run as `uvicorn` subprocesses on 127.0.0.1; every load phase is bounded in requests
and seconds, and everything is stopped at the end. The steady-rate load runs in a process of its
own (a fresh interpreter: no seeded data in its heap, no collector pauses of its own to count),
and each request's latency runs from the instant it was due to be sent, so a server that falls
behind is charged for the wait as well. The target is the one-process server's figure; a second
line shows the same load on `--workers 2`, for reference only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

CONST_APP = """
from fastapi import FastAPI
app = FastAPI()

@app.get("/const")
def const() -> dict[str, str]:
    return {"status": "ok"}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    target: str, port: int, env: dict[str, str], cwd: str, workers: int = 1
) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            target,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            *(["--workers", str(workers)] if workers > 1 else []),
        ],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                message = proc.stderr.read().decode() if proc.stderr else "died"
                raise RuntimeError(message) from None
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server on {port} did not start")


def stop(servers: list[subprocess.Popen]) -> None:
    for proc in servers:
        proc.terminate()
    for proc in servers:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Load:
    """Keep-alive HTTP/1.1 connections, one per thread (http.client: a light, steady client)."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.headers = headers
        self.local = threading.local()
        self.lock = threading.Lock()

    def request(self, method: str, path: str) -> tuple[float, int]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        t0 = time.perf_counter()
        conn.request(method, path, headers=self.headers)
        response = conn.getresponse()
        response.read()
        return time.perf_counter() - t0, response.status


def closed_loop(
    load: Load, path_for, method: str, total: int, concurrency: int, seconds: float
) -> tuple[float, list[float], int]:
    """`concurrency` threads send requests back to back until `total` or `seconds`."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        for i in counter:
            if time.perf_counter() > stop_at:
                return
            latency, status = load.request(method, path_for(i))
            with load.lock:
                latencies.append(latency)
                errors += status >= 400

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - t0, latencies, errors


def open_loop(load: Load, path: str, rate: float, seconds: float) -> tuple[list[float], int]:
    """Requests due at a steady `rate` (sent by a pool of 32 threads), whatever the answers
    take; each latency counts from the instant its request was due."""
    latencies: list[float] = []
    errors = 0

    def one(due: float) -> None:
        nonlocal errors
        latency, status = load.request("GET", path)
        latency = time.perf_counter() - due  # the wait for a free connection counts too
        with load.lock:
            latencies.append(latency)
            errors += status >= 400

    with ThreadPoolExecutor(max_workers=32) as pool:
        start = time.perf_counter()
        for i in range(int(rate * seconds)):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, due)
    return latencies, errors


def steady_in_child(
    port: int, token: str, path: str, rate: float, seconds: float
) -> tuple[list[float], int]:
    """`open_loop` run by this script in a process of its own; bounded in time."""
    command = [
        sys.executable,
        __file__,
        "--steady",
        json.dumps({"port": port, "token": token, "path": path, "rate": rate, "seconds": seconds}),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    result = json.loads(done.stdout)
    return result["latencies"], result["errors"]


def steady_child(spec: str) -> int:
    args = json.loads(spec)
    load = Load(args["port"], {"Authorization": f"Bearer {args['token']}"})
    latencies, errors = open_loop(load, args["path"], args["rate"], args["seconds"])
    print(json.dumps({"latencies": latencies, "errors": errors}))
    return 0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(name: str, elapsed: float, latencies: list[float], errors: int) -> float:
    rps = len(latencies) / elapsed
    print(
        f"  {name:<28} {rps:8,.0f} req/s  p50 {pct(latencies, 0.5):6.1f} ms  "
        f"p99 {pct(latencies, 0.99):6.1f} ms  ({len(latencies)} requests, {errors} errors)"
    )
    return rps


def seed(url: str, n: int) -> tuple[list[str], str]:
    """A store, a buyer and `n` orders each with an open dispute; returns the dispute ids and
    the seller's token."""
    from disputedesk.services import commands, orders
    from disputedesk.services.accounts import create_token, create_user
    from disputedesk.services.commands import utc_now
    from disputedesk.store.db import Database

    db = Database(url)
    db.upgrade()
    create_user(db, email="seller@bench.test", name="Bench", role="seller", store_id="bench")
    token = create_token(db, email="seller@bench.test").token
    now = utc_now()
    shipped = now - timedelta(days=6)
    ids = []
    for i in range(n):
        order_id = f"BENCH-{i:06d}"
        orders.create_order(
            db,
            orders.check_order(
                {
                    "id": order_id,
                    "store_id": "bench",
                    "buyer_id": "BB1",
                    "amount": "100.00",
                    "shipping": "5.00",
                    "currency": "USD",
                    "placed_at": "2026-01-01T00:00:00Z",
                    "promised_delivery_days": 60,
                }
            ),
            now=shipped,
        )
        commands.ship(db, order_id, carrier="China Post", tracking_number=f"RR{i}", at=shipped)
        result = commands.open_dispute(
            db,
            order_id,
            reason="not_as_described.damaged",
            plan={"type": "refund_only", "amount": "10.00"},
            goods_received=True,
            at=now - timedelta(hours=1),
        )
        assert result.ok, result.refusal
        ids.append(f"{order_id}-D1")
    db.dispose()
    return ids, token


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--disputes", type=int, default=1500, help="disputes to accept")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--steady", help=argparse.SUPPRESS)  # the steady-rate load, as a child
    args = ap.parse_args()
    if args.steady:
        return steady_child(args.steady)
    if args.quick:
        args.requests, args.disputes = 600, 300
    concurrency = 32
    with tempfile.TemporaryDirectory(prefix="dd-api-bench-") as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        t0 = time.perf_counter()
        ids, token = seed(url, args.disputes)
        print(f"seeded {len(ids)} disputes on SQLite in {time.perf_counter() - t0:.1f}s")
        Path(tmp, "const_app.py").write_text(CONST_APP)
        env = {
            **os.environ,
            "DISPUTEDESK_DATABASE_URL": url,
            "DISPUTEDESK_RATE_LIMIT_PER_MINUTE": "0",
            "DISPUTEDESK_DATA_DIR": tmp,
            "PYTHONPATH": tmp + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
        app_port, const_port = free_port(), free_port()
        servers = [
            start_server("disputedesk.api.server:app", app_port, env, tmp),
            start_server("const_app:app", const_port, env, tmp),
        ]
        try:
            headers = {"Authorization": f"Bearer {token}"}
            app, baseline = Load(app_port, headers), Load(const_port, {})
            print(f"concurrency {concurrency}, one uvicorn process each, loopback:")
            closed_loop(baseline, lambda i: "/const", "GET", 200, 8, 10)  # warm up
            closed_loop(app, lambda i: f"/disputes/{ids[i % len(ids)]}", "GET", 100, 8, 10)
            c_el, c_lat, c_err = closed_loop(
                baseline, lambda i: "/const", "GET", args.requests, concurrency, 60
            )
            const_rps = report("GET /const (baseline)", c_el, c_lat, c_err)
            g_el, g_lat, g_err = closed_loop(
                app,
                lambda i: f"/disputes/{ids[i % len(ids)]}",
                "GET",
                args.requests,
                concurrency,
                60,
            )
            get_rps = report("GET /disputes/{id}", g_el, g_lat, g_err)
            l_el, l_lat, l_err = closed_loop(
                app, lambda i: f"/disputes/{ids[i % len(ids)]}", "GET", args.requests // 2, 4, 60
            )
            report("GET /disputes/{id}, 4 at once", l_el, l_lat, l_err)
            a_el, a_lat, a_err = closed_loop(
                app, lambda i: f"/disputes/{ids[i]}/accept", "POST", len(ids), concurrency, 60
            )
            post_rps = report("POST /disputes/{id}/accept", a_el, a_lat, a_err)
            print(
                f"  ratio to the constant endpoint: GET {const_rps / get_rps:.1f}x slower, "
                f"POST accept {const_rps / post_rps:.1f}x slower"
            )
            steady_seconds = 5 if args.quick else 10
            steady, s_err = steady_in_child(
                app_port, token, f"/disputes/{ids[0]}", 200, steady_seconds
            )
            p99 = pct(steady, 0.99)
            print(
                f"  GET /disputes/{{id}} at a steady 200 req/s: p50 {pct(steady, 0.5):.1f} ms, "
                f"p99 {p99:.1f} ms ({len(steady)} requests, {s_err} errors; "
                f"target p99 < 50 ms: {'met' if p99 < 50 else 'MISSED'})"
            )
            # For reference only: the same load on a server of two worker processes.
            stop(servers)
            two_port = free_port()
            servers = [start_server("disputedesk.api.server:app", two_port, env, tmp, workers=2)]
            closed_loop(Load(two_port, headers), lambda i: f"/disputes/{ids[0]}", "GET", 200, 8, 10)
            steady2, s2_err = steady_in_child(
                two_port, token, f"/disputes/{ids[0]}", 200, steady_seconds
            )
            print(
                f"  (reference, not the target: the same on `--workers 2`: "
                f"p50 {pct(steady2, 0.5):.1f} ms, p99 {pct(steady2, 0.99):.1f} ms, "
                f"{s2_err} errors)"
            )
        finally:
            stop(servers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
