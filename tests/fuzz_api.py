"""Schemathesis from the command line against a real `disputedesk serve`: a fresh marketplace
(a store, orders in several states, disputes, evidence, a webhook), then `st run` over the whole
OpenAPI document with every phase and every check, once per role. Used by
tests/test_api_fuzz.py (SQLite and PostgreSQL) and by `make fuzz`.

    .venv/bin/python tests/fuzz_api.py [--database-url URL] [--max-examples N] [--seed N]

The ids the run's dictionaries name (`schemathesis.toml`: shop1, A1..A4, A1-D1, ...) are the
ones made here, so most generated requests reach real resources instead of 404s. Every request
goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from serve_support import serve

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONFIG = ROOT / "schemathesis.toml"
ROLES = ("seller", "buyer", "arbitrator")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class Marketplace:
    base_url: str
    tokens: dict[str, str]


def server_env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DISPUTEDESK_DATABASE_URL": database_url,
        "DISPUTEDESK_DATA_DIR": str(data_dir),
        "DISPUTEDESK_RATE_LIMIT_PER_MINUTE": "0",  # thousands of requests a minute, on purpose
        # the fuzzer subscribes webhooks to made-up hosts: no name is resolved (no DNS query
        # leaves the machine) when the operator allows any target, and nothing is delivered
        # (no worker runs here)
        "DISPUTEDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
    }


def _users(database_url: str) -> dict[str, str]:
    from disputedesk.services.accounts import create_token, create_user
    from disputedesk.store.db import Database

    db = Database(database_url)
    try:
        db.upgrade()
        create_user(db, email="li@shop.test", name="Li Wei", role="seller", store_id="shop1")
        create_user(db, email="ana@buyer.test", name="Ana", role="buyer", buyer_id="B1")
        create_user(db, email="arb@platform.test", name="Arb", role="arbitrator")
        emails = {
            "seller": "li@shop.test",
            "buyer": "ana@buyer.test",
            "arbitrator": "arb@platform.test",
        }
        return {role: create_token(db, email=email).token for role, email in emails.items()}
    finally:
        db.dispose()


@contextmanager
def marketplace(database_url: str, data_dir: Path) -> Iterator[Marketplace]:
    """`disputedesk serve` on a free 127.0.0.1 port over a freshly seeded database."""
    tokens = _users(database_url)
    with serve(server_env(database_url, data_dir)) as served:
        _seed(served.url, tokens)
        yield Marketplace(served.url, tokens)


def _seed(base: str, tokens: dict[str, str]) -> None:
    """Orders A1..A4 of store shop1 for buyer B1 (promised in 3 days, so disputes open at once):
    A1 disputed (refund), A2 not shipped, A3 disputed and escalated, A4 shipped; evidence 1 on
    A1-D1; webhook 1."""
    with httpx.Client(base_url=base, timeout=30) as http:

        def post(role: str, path: str, body: object = None, **kw: object) -> httpx.Response:
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            response = http.post(path, json=body, headers=headers, **kw)  # type: ignore[arg-type]
            if response.status_code >= 300:
                raise RuntimeError(f"seeding {path}: {response.status_code} {response.text}")
            return response

        order = {
            "store_id": "shop1",
            "buyer_id": "B1",
            "amount": "100.00",
            "shipping": "21.49",
            "currency": "USD",
            "placed_at": "2026-03-02T08:00:00Z",
            "promised_delivery_days": 3,
            "destination_country": "BR",
        }
        for order_id in ("A1", "A2", "A3", "A4"):
            post("seller", "/orders", {**order, "id": order_id})
        for order_id in ("A1", "A3", "A4"):
            post(
                "seller",
                f"/orders/{order_id}/ship",
                {"carrier": "China Post", "tracking_number": "RR1CN"},
            )
        post(
            "buyer",
            "/orders/A1/disputes",
            {
                "reason": "not_as_described.damaged",
                "goods_received": True,
                "plan": {"type": "refund_only", "amount": "40.00"},
            },
        )
        post(
            "buyer",
            "/orders/A3/disputes",
            {
                "reason": "not_as_described.quality_issue",
                "goods_received": True,
                "plan": {"type": "return_and_refund", "amount": "121.49"},
            },
        )
        post("seller", "/disputes/A3-D1/reject", {"note": "The goods were as described"})
        post("buyer", "/disputes/A3-D1/escalate", {"note": "Please look"})
        headers = {"Authorization": f"Bearer {tokens['seller']}"}
        evidence = http.post(
            "/disputes/A1-D1/evidence",
            headers=headers,
            data={"kind": "photo", "description": "The parcel as packed"},
            files={"file": ("parcel.png", PNG, "image/png")},
        )
        if evidence.status_code != 201:
            raise RuntimeError(f"seeding evidence: {evidence.status_code} {evidence.text}")
        post("seller", "/stores/shop1/webhooks", {"url": "https://hooks.shop.test/disputedesk"})


@dataclass
class FuzzResult:
    role: str
    exit_code: int
    output: str


def run_schemathesis(market: Marketplace, role: str, *, max_examples: int, seed: int) -> FuzzResult:
    """`st run` over the whole document as `role`: every phase, every check. One worker: with
    several threads, Hypothesis's concurrent `ast.parse` trips a CPython 3.11 bug ("AST
    constructor recursion depth mismatch") that schemathesis reports as a runtime error."""
    command = [
        str(BIN / "st"),
        "--config-file",
        str(CONFIG),
        "run",
        f"{market.base_url}/openapi.json",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--checks",
        "all",
        "--seed",
        str(seed),
        "--max-examples",
        str(max_examples),
        "--workers",
        "1",
        "--header",
        f"Authorization: Bearer {market.tokens[role]}",
        "--request-timeout",
        "30",
        "--no-color",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT)
    return FuzzResult(role, done.returncode, done.stdout + done.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--role", action="append", choices=ROLES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/fuzz.db"
        with marketplace(url, Path(folder) / "data") as market:
            failed = 0
            for role in args.role or ROLES:
                result = run_schemathesis(
                    market, role, max_examples=args.max_examples, seed=args.seed
                )
                print(f"== as {role}: exit {result.exit_code}")
                print(result.output)
                failed += result.exit_code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
