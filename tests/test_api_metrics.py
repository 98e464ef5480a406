"""The metrics API (both databases): the store's figures are the CLI's and the service's, who
may see what, red lines set by operators only, penalties and warnings after the assessment,
and a malicious report from the seller through the operator's decision."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api_support import Desk, make_desk
from disputedesk.rules.instants import parse_instant
from disputedesk.services.metrics import store_metrics
from disputedesk.services.redlines import assess
from disputedesk.store.db import Database
from test_store_metrics import CASES, MARCH, store


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    store(db, CASES)
    d.clock.now = parse_instant("2026-04-05T00:00:00Z")  # type: ignore[assignment]
    yield d
    d.client.close()


def test_the_store_sees_its_figures_and_nobody_else_does(desk: Desk) -> None:
    r = desk.get(
        "seller", "/stores/shop1/metrics?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z"
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    expected = store_metrics(desk.db, "shop1", MARCH).to_json()
    assert {k: body[k] for k in expected} == expected
    assert body["period"] == {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}
    nad = next(v for v in body["red_lines"] if v["metric"] == "nad_rate")
    assert (nad["figure"], nad["line"], nad["level"]) == (0.4, 0.05, "over")
    assert sorted(body["behind"]["nad_orders"]) == ["A1", "A3"]
    assert len(body["trend"]) == 12
    assert desk.get("agent", "/stores/shop1/metrics").status_code == 200
    assert desk.get("seller2", "/stores/shop1/metrics").status_code == 404
    assert desk.get("buyer", "/stores/shop1/metrics").status_code == 403
    assert desk.get("admin", "/stores/nosuch/metrics").status_code == 404
    assert desk.get("seller", "/stores/shop1/metrics?period=soon").status_code == 422
    month = desk.get("seller", "/stores/shop1/metrics?period=2026-03").json()
    assert month["orders_assessed"] == expected["orders_assessed"]


def test_operators_see_every_store(desk: Desk) -> None:
    assert desk.get("seller", "/metrics/stores").status_code == 403
    r = desk.get("admin", "/metrics/stores?period=2026-03")
    assert r.status_code == 200
    (shop,) = r.json()["items"]
    assert shop["store_id"] == "shop1" and shop["orders_assessed"] == 5
    assert shop["worst_share_of_line"] == 8.0  # 40% against a 5% line


def test_red_lines_are_set_by_operators(desk: Desk) -> None:
    line = {
        "metric": "nad_rate",
        "threshold": "50%",
        "category": "apparel/shoes",
        "effective_from": "2026-02-01T00:00:00Z",
    }
    assert desk.post("seller", "/red-lines", line).status_code == 403
    created = desk.post("admin", "/red-lines", line)
    assert created.status_code == 201 and created.json()["threshold"] == 0.5
    listed = desk.get("seller", "/red-lines").json()
    assert listed["defaults"]["nad_rate"] == 0.05 and len(listed["items"]) == 1
    body = desk.get("seller", "/stores/shop1/metrics?period=2026-03").json()
    nad = next(v for v in body["red_lines"] if v["metric"] == "nad_rate")
    assert (nad["line"], nad["level"]) == (0.5, "near")  # 40% is past 80% of 50%
    bad = desk.post("admin", "/red-lines", {**line, "threshold": "150%"})
    assert bad.status_code == 422


def test_penalties_and_warnings_after_the_assessment(desk: Desk) -> None:
    assess(desk.db, parse_instant("2026-03-25T00:00:00Z"))  # type: ignore[arg-type]
    assess(desk.db, parse_instant("2026-04-05T00:00:00Z"))  # type: ignore[arg-type]
    penalties = desk.get("seller", "/stores/shop1/penalties").json()["items"]
    nad = next(p for p in penalties if p["metric"] == "nad_rate")
    assert nad["period"]["from"] == "2026-03-01T00:00:00Z" and nad["figure"] == 0.4
    assert desk.get("seller2", "/stores/shop1/penalties").status_code == 404
    assert desk.get("admin", "/penalties").json()["items"]
    assert desk.get("seller", "/penalties").status_code == 403
    alerts = desk.get("seller", "/stores/shop1/metric-alerts").json()["items"]
    lines = {(a["metric"], a["line"]) for a in alerts}
    assert ("nad_rate", 0.05) in lines and ("ruling_rate", 0.3) in lines  # 25%: near 30%


def test_a_malicious_report_from_the_store_to_the_operators_decision(desk: Desk) -> None:
    report = {"reason": "The buyer sent back a different item"}
    assert desk.post("buyer", "/disputes/A3-D1/malicious-report", report).status_code == 403
    assert desk.post("seller2", "/disputes/A3-D1/malicious-report", report).status_code == 404
    made = desk.post("agent", "/disputes/A3-D1/malicious-report", report)
    assert made.status_code == 201 and made.json()["status"] == "pending"
    again = desk.post("seller", "/disputes/A3-D1/malicious-report", report)
    assert again.status_code == 409
    assert desk.get("seller", "/malicious-reports").status_code == 403
    pending = desk.get("admin", "/malicious-reports?status=pending").json()["items"]
    assert [r["dispute"] for r in pending] == ["A3-D1"]
    report_id = pending[0]["id"]
    decided = desk.post(
        "admin",
        f"/malicious-reports/{report_id}/decision",
        {"decision": "upheld", "note": "The photos show a swap"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "upheld"
    upheld = desk.get("admin", "/malicious-reports?status=upheld").json()["items"]
    assert upheld[0]["buyer_upheld_reports"] == 1
    after = desk.get("seller", "/stores/shop1/metrics?period=2026-03").json()
    assert after["disputes_escalated"] == 0  # A3-D1 was the escalated one
    twice = desk.post(
        "admin",
        f"/malicious-reports/{report_id}/decision",
        {"decision": "rejected", "note": "changed my mind"},
    )
    assert twice.status_code == 409
    missing = desk.post(
        "admin", "/malicious-reports/99999/decision", {"decision": "rejected", "note": "x"}
    )
    assert missing.status_code == 404
