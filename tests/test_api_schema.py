"""Schemathesis against the app's own OpenAPI spec, inside the test suite: for every operation,
generated requests (as a seller, with real orders and disputes in the database) never get a 5xx,
and every response matches the documented status codes, content types and schemas."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api_support import Desk, make_desk
from disputedesk.store.db import Database

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    order = {
        "store_id": "shop1",
        "buyer_id": "B1",
        "amount": "100.00",
        "shipping": "1.00",
        "currency": "USD",
        "placed_at": "2026-03-02T08:00:00Z",
        "promised_delivery_days": 30,
    }
    for order_id in ("O1", "O2"):
        assert d.post("seller", "/orders", {"id": order_id, **order}).status_code == 201
    d.post("seller", "/orders/O1/ship", {"carrier": "China Post", "tracking_number": "RR1"})
    d.clock.advance(days=6)
    d.post(
        "buyer",
        "/orders/O1/disputes",
        {
            "reason": "not_as_described.damaged",
            "goods_received": True,
            "plan": {"type": "refund_only", "amount": "5.00"},
        },
    )
    yield d
    d.client.close()


def test_api_conforms_to_its_openapi_spec(desk: Desk) -> None:
    """Every operation, as the owner of the store: no 5xx, responses as documented."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", desk.client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    headers = desk.h("seller")
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()


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
