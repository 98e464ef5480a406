"""The OpenAPI document describes what the server does.

Schemathesis from the command line (`st run`, as the README shows) against a real
`disputedesk serve` over a seeded marketplace, on SQLite and PostgreSQL, as a seller and as a
buyer: every phase (examples, coverage, fuzzing, stateful), every check, a fixed seed. The run
must end clean: no server error, no response outside the document (status, content type,
headers, schema), no invalid request accepted. The configuration is `schemathesis.toml`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api_support import Desk, make_desk
from disputedesk.store.db import Database
from fuzz_api import marketplace, run_schemathesis

SEED = 20261130
MAX_EXAMPLES = 15


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    yield d
    d.client.close()


def test_schemathesis_finds_nothing_as_a_seller_and_a_buyer(
    database_url: str, tmp_path: Path
) -> None:
    with marketplace(database_url, tmp_path / "data") as market:
        for role in ("seller", "buyer"):
            result = run_schemathesis(market, role, max_examples=MAX_EXAMPLES, seed=SEED)
            assert "Runtime Error" not in result.output, result.output[-6000:]
            assert result.exit_code == 0, f"as {role}:\n{result.output[-12000:]}"
            assert "passed" in result.output and "failures" not in result.output


def test_the_spec_is_openapi_31_with_docs(desk: Desk) -> None:
    spec = desk.client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert desk.client.get("/docs").status_code == 200
    paths = spec["paths"]
    for action in (
        "modify",
        "accept",
        "propose",
        "reject",
        "cancel",
        "escalate",
        "ship-return",
        "confirm-return-received",
        "give-up-return",
        "ship-replacement",
        "intervene",
        "rule",
        "evidence",
    ):
        assert f"/disputes/{{dispute_id}}/{action}" in paths, action
    for path in (
        "/orders/{order_id}/ship",
        "/orders/{order_id}/extend-delivery",
        "/orders/{order_id}/confirm-receipt",
        "/orders/{order_id}/disputes",
    ):
        assert path in paths
