"""The README's API walkthrough as a new user runs it: create users and a token with the CLI,
start `disputedesk serve`, call the API over loopback, revoke the token."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx

from serve_support import EXE, serve


def test_users_tokens_and_serve(database_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DISPUTEDESK_DATABASE_URL": database_url,
        "DISPUTEDESK_DATA_DIR": str(tmp_path / "data"),
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, timeout=60)

    assert cli("db", "upgrade").returncode == 0
    made = cli(
        "users",
        "create",
        "--email",
        "li@shop.test",
        "--name",
        "Li",
        "--role",
        "seller",
        "--store",
        "shop1",
    )
    assert made.returncode == 0 and "owner of store shop1" in made.stdout
    assert (
        cli(
            "users",
            "create",
            "--email",
            "ana@buyer.test",
            "--name",
            "Ana",
            "--role",
            "buyer",
            "--buyer-id",
            "B1",
        ).returncode
        == 0
    )
    dup = cli("users", "create", "--email", "li@shop.test", "--name", "Li", "--role", "seller")
    assert dup.returncode == 1 and "conflict" in dup.stderr
    bad = cli("users", "create", "--email", "x@y.test", "--name", "X", "--role", "king")
    assert bad.returncode == 1 and "role" in bad.stderr
    token = cli("tokens", "create", "--email", "li@shop.test").stdout.strip()
    assert token.startswith("ddt_")
    with serve(env) as served:
        base = served.url
        auth = {"Authorization": f"Bearer {token}"}
        me = httpx.get(f"{base}/me", headers=auth, timeout=10).json()
        assert me["role"] == "seller" and me["stores"] == {"shop1": "owner"}
        created = httpx.post(
            f"{base}/orders",
            headers=auth,
            timeout=10,
            json={
                "id": "A1",
                "store_id": "shop1",
                "buyer_id": "B1",
                "amount": "100.00",
                "shipping": "21.49",
                "currency": "USD",
                "placed_at": "2026-03-02T08:00:00Z",
                "promised_delivery_days": 30,
            },
        )
        assert created.status_code == 201 and created.json()["total"] == "121.49"
        prefix = token[:10]
        assert cli("tokens", "revoke", prefix).returncode == 0
        assert httpx.get(f"{base}/me", headers=auth, timeout=10).status_code == 401
