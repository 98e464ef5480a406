"""API speed on loopback: requests/s and p50/p99 latency for GET /disputes/{id} and
POST /disputes/{id}/accept at concurrency 32, beside a FastAPI endpoint that returns a constant,
served the same way in the same run (the ratio is the figure); then GET /disputes/{id} at a
steady 200 requests/s, where the target is p99 under 50 ms on SQLite.

Servers run as `uvicorn` subprocesses on 127.0.0.1; every load phase is bounded in requests
and seconds, and everything is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
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


def start_server(target: str, port: int, env: dict[str, str], cwd: str) -> subprocess.Popen:
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


async def closed_loop(
    url_for, method: str, headers: dict[str, str], total: int, concurrency: int, seconds: float
) -> tuple[float, list[float], int]:
    """`concurrency` workers send requests back to back until `total` or `seconds`."""
    import httpx

    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            for i in counter:
                if time.perf_counter() > stop_at:
                    return
                t0 = time.perf_counter()
                r = await client.request(method, url_for(i), headers=headers)
                latencies.append(time.perf_counter() - t0)
                if r.status_code >= 400:
                    errors += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return elapsed, latencies, errors


async def open_loop(
    url: str, headers: dict[str, str], rate: float, seconds: float
) -> tuple[list[float], int]:
    """Requests started at a steady `rate`, whatever the answers take."""
    import httpx

    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=64)) as client:

        async def one() -> None:
            nonlocal errors
            t0 = time.perf_counter()
            r = await client.get(url, headers=headers)
            latencies.append(time.perf_counter() - t0)
            if r.status_code >= 400:
                errors += 1

        tasks = []
        start = time.perf_counter()
        n = int(rate * seconds)
        for i in range(n):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
    return latencies, errors


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
    args = ap.parse_args()
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
            base, const = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{const_port}"
            print(f"concurrency {concurrency}, one uvicorn process each, loopback:")
            asyncio.run(closed_loop(lambda i: f"{const}/const", "GET", {}, 200, 8, 10))
            c_el, c_lat, c_err = asyncio.run(
                closed_loop(lambda i: f"{const}/const", "GET", {}, args.requests, concurrency, 60)
            )
            const_rps = report("GET /const (baseline)", c_el, c_lat, c_err)
            g_el, g_lat, g_err = asyncio.run(
                closed_loop(
                    lambda i: f"{base}/disputes/{ids[i % len(ids)]}",
                    "GET",
                    headers,
                    args.requests,
                    concurrency,
                    60,
                )
            )
            get_rps = report("GET /disputes/{id}", g_el, g_lat, g_err)
            a_el, a_lat, a_err = asyncio.run(
                closed_loop(
                    lambda i: f"{base}/disputes/{ids[i]}/accept",
                    "POST",
                    headers,
                    len(ids),
                    concurrency,
                    60,
                )
            )
            post_rps = report("POST /disputes/{id}/accept", a_el, a_lat, a_err)
            print(
                f"  ratio to the constant endpoint: GET {const_rps / get_rps:.1f}x slower, "
                f"POST accept {const_rps / post_rps:.1f}x slower"
            )
            steady, s_err = asyncio.run(
                open_loop(f"{base}/disputes/{ids[0]}", headers, 200, 5 if args.quick else 10)
            )
            p99 = pct(steady, 0.99)
            print(
                f"  GET /disputes/{{id}} at a steady 200 req/s: p50 {pct(steady, 0.5):.1f} ms, "
                f"p99 {p99:.1f} ms ({s_err} errors; target p99 < 50 ms: "
                f"{'met' if p99 < 50 else 'MISSED'})"
            )
        finally:
            for proc in servers:
                proc.terminate()
            for proc in servers:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
