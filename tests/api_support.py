"""Shared builders for the API tests: a desk of users with tokens, a controllable clock, and
a TestClient on the real app over a real database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from disputedesk.api.app import create_app
from disputedesk.api.settings import ApiSettings
from disputedesk.rules.instants import parse_instant
from disputedesk.services.accounts import create_token, create_user
from disputedesk.store.db import Database

START = parse_instant("2026-03-02T08:00:00Z")
ROLES = ("seller", "agent", "seller2", "buyer", "buyer2", "arbitrator", "admin")


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Desk:
    db: Database
    client: TestClient
    clock: Clock
    tokens: dict[str, str]
    data_dir: Path
    created: dict[str, Any] = field(default_factory=dict)

    def h(self, role: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}", **extra}

    def get(self, role: str, path: str, **kw: Any) -> Any:
        return self.client.get(path, headers=self.h(role), **kw)

    def post(self, role: str, path: str, body: Any = None, **kw: Any) -> Any:
        """POST as `role`: `body` as JSON, or multipart with `data=`/`files=`."""
        headers = self.h(role, **kw.pop("headers", {}))
        if body is not None:
            kw["json"] = body
        return self.client.post(path, headers=headers, **kw)


def make_desk(db: Database, tmp_path: Path, rate: int = 0) -> Desk:
    clock = Clock(START)
    create_user(db, email="seller@shop1.test", name="Li Wei", role="seller", store_id="shop1")
    create_user(
        db,
        email="agent@shop1.test",
        name="Zhang",
        role="seller",
        store_id="shop1",
        store_role="agent",
    )
    create_user(db, email="seller@shop2.test", name="Wang", role="seller", store_id="shop2")
    create_user(db, email="buyer@b1.test", name="Ana", role="buyer", buyer_id="B1")
    create_user(db, email="buyer@b2.test", name="Jean", role="buyer", buyer_id="B2")
    create_user(db, email="arb@platform.test", name="Arb", role="arbitrator")
    create_user(db, email="admin@platform.test", name="Ops", role="admin")
    emails = {
        "seller": "seller@shop1.test",
        "agent": "agent@shop1.test",
        "seller2": "seller@shop2.test",
        "buyer": "buyer@b1.test",
        "buyer2": "buyer@b2.test",
        "arbitrator": "arb@platform.test",
        "admin": "admin@platform.test",
    }
    tokens = {role: create_token(db, email=email).token for role, email in emails.items()}
    settings = ApiSettings(
        data_dir=tmp_path / "data", max_upload_bytes=64 * 1024, rate_limit_per_minute=rate
    )
    app = create_app(db, settings, clock=clock)
    return Desk(db, TestClient(app), clock, tokens, tmp_path / "data")
