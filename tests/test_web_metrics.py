"""The seller's metrics in the desk (issue 14), on each database: the dashboard shows exactly the
numbers of `services.metrics.store_metrics`, of `GET /stores/{id}/metrics` and of
`disputedesk report metrics --format json` for the same period; who may see it (an agent
without `see_metrics` gets a 403 page); the trend charts are SVG with their text alternative;
every count leads to the orders or disputes behind it; the inbox's red-line banner appears only
when a warning exists; penalties show what is behind them; and a dispute reported as malicious
from its page, end to end (pending shown, a second report refused in words, the operator's
decision shown)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from disputedesk.cli import app as cli_app
from disputedesk.rules.metrics import DIMENSIONS
from disputedesk.services import accounts, commands, malicious, staff
from disputedesk.services.accounts import create_token, create_user
from disputedesk.services.metrics import store_metrics
from disputedesk.services.orders import check_order, create_order
from disputedesk.services.permissions import Permissions
from disputedesk.services.redlines import assess
from disputedesk.store.db import Database
from disputedesk.web import i18n
from helpers import ORDER, SHIP_AT, ev, open_dispute, plan, scenario
from test_store_metrics import CASES, MARCH, at, store
from web_support import WebDesk, csrf_of, make_web_desk, sign_in

NOW = at("2026-04-05T00:00:00Z")


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: these tests sign several people in; hashing is not the point."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        accounts,
        "_password_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


# Two more orders of shop1 in March, with keys of their own: earphones to Spain by Cainiao, a
# wrong item ruled against the seller; an order without a category to the United States by
# Yanwen, received.
EXTRA: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "C1": (
        {"category": "electronics/earphones", "destination_country": "ES"},
        scenario(
            [
                ev(SHIP_AT, "seller", "ship", carrier="Cainiao", tracking_number="LP00001"),
                open_dispute(
                    "2026-03-12T10:00:00Z",
                    reason="not_as_described.wrong_item",
                    the_plan=plan("refund_only", "121.49"),
                ),
                ev("2026-03-13T10:00:00Z", "seller", "reject", note="right item"),
                ev("2026-03-13T11:00:00Z", "buyer", "escalate"),
                ev("2026-03-14T10:00:00Z", "arbitrator", "intervene"),
                ev(
                    "2026-03-15T10:00:00Z",
                    "arbitrator",
                    "rule",
                    refund_amount="121.49",
                    responsibility="seller",
                ),
            ]
        ),
    ),
    "C2": (
        {"category": None, "destination_country": "US"},
        scenario(
            [
                ev(SHIP_AT, "seller", "ship", carrier="Yanwen", tracking_number="YW00002"),
                ev("2026-03-20T10:00:00Z", "buyer", "confirm_receipt"),
            ]
        ),
    ),
}


def place(db: Database, order_id: str, keys: dict[str, Any], doc: dict[str, Any]) -> None:
    order = check_order({**ORDER, **keys, "id": order_id, "store_id": "shop1", "buyer_id": "B1"})
    create_order(db, order, now=at(ORDER["placed_at"]))
    for event in doc["events"]:
        fields = {k: v for k, v in event.items() if k not in ("at", "actor", "action")}
        result = commands.execute(
            db, order_id, event["actor"], event["action"], fields, at(event["at"])
        )
        assert result.ok, (order_id, result.refusal)


@dataclass
class Shop:
    web: WebDesk
    token: str  # the owner's API token

    def desk(self, role: str) -> TestClient:
        return self.web.login(role)

    def agent(self) -> TestClient:
        client = self.web.client()
        assert sign_in(client, "agent@shop1.test", "agent-pass-1").status_code == 303
        return client

    def api(self, path: str) -> Any:
        client = TestClient(self.web.app, base_url="https://testserver")
        response = client.get(path, headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def shop(db: Database, tmp_path: Path) -> Iterator[Shop]:
    """shop1's orders of March 2026 (test_store_metrics' five and two more), evidence on the
    escalated dispute A3-D1, an agent who may not see metrics, and the clock on 5 April."""
    web = make_web_desk(db, tmp_path)
    store(db, CASES)
    for order_id, (keys, doc) in EXTRA.items():
        place(db, order_id, keys, doc)
    done = commands.submit_evidence(
        db,
        "A3",
        actor="buyer",
        kind="photo",
        description="The box was crushed",
        at=at("2026-03-12T09:00:00Z"),
    )
    assert done.ok, done.refusal
    create_user(
        db,
        email="agent@shop1.test",
        name="Zhang",
        role="seller",
        store_id="shop1",
        store_role="agent",
        password="agent-pass-1",
    )
    agent = next(m for m in staff.list_staff(db, "shop1") if m.email == "agent@shop1.test")
    staff.change_staff(db, "shop1", agent.id, permissions=Permissions.parse(see_metrics=False))
    web.clock.now = NOW
    yield Shop(web, create_token(db, email="seller@shop1.test").token)


# -- reading the page's figures -------------------------------------------------------------

ROW = re.compile(r'<tr data-dimension="([^"]+)" data-key="([^"]*)">(.*?)</tr>', re.S)
COUNT = re.compile(r'data-count="(\w+)" data-value="(\d+)"')
RATE = re.compile(r'data-rate="(\w+)" data-value="([^"]*)" data-level="(\w*)"')
FIGURE = re.compile(r'data-figure="(\w+)" data-value="([^"]*)"')
TREND = re.compile(r'<table class="list" data-trend="(\w+)">(.*?)</table>', re.S)
BEHIND = re.compile(
    r'href="(/desk/store/metrics/behind\?[^"]+)" data-count="(\w+)" data-value="(\d+)"'
)


def _number(text: str) -> float | None:
    return float(text) if text else None


def page_figures(html: str) -> dict[str, Any]:
    """The dashboard's tables as `Metrics.to_json()` writes the figures."""
    figures: dict[str, Any] = {"by": {d: {} for d in DIMENSIONS}}
    for dimension, key, body in ROW.findall(html):
        row: dict[str, Any] = {name: int(value) for name, value in COUNT.findall(body)}
        row.update({name: _number(value) for name, value, _ in RATE.findall(body)})
        assert len(row) == 8, (dimension, key, row)
        if dimension == "store":
            figures.update(row)
        else:
            figures["by"][dimension][unescape(key)] = row
    return figures


def page_levels(html: str) -> set[tuple[str, str, str]]:
    levels = set()
    for dimension, key, body in ROW.findall(html):
        if dimension == "category":
            for metric, _value, level in RATE.findall(body):
                if level:
                    levels.add((unescape(key), metric, level))
    return levels


def cli_figures(database_url: str, monkeypatch: pytest.MonkeyPatch, period: str) -> Any:
    monkeypatch.setenv("DISPUTEDESK_DATABASE_URL", database_url)
    result = CliRunner().invoke(
        cli_app, ["report", "metrics", "--store", "shop1", "--period", period, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- the tests --------------------------------------------------------------------------------


def test_the_dashboard_shows_the_numbers_of_the_service_the_api_and_the_cli(
    shop: Shop, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = shop.desk("seller").get("/desk/store/metrics?period=2026-03")
    assert page.status_code == 200, page.text
    html = page.text
    service = store_metrics(shop.web.db, "shop1", MARCH).to_json()
    assert (service["orders_assessed"], service["nad_orders"]) == (7, 3)
    assert (service["disputes_escalated"], service["seller_responsible_rulings"]) == (2, 1)
    api = shop.api("/stores/shop1/metrics?period=2026-03")
    cli = cli_figures(database_url, monkeypatch, "2026-03")
    shown = page_figures(html)
    assert shown == service
    assert {k: api[k] for k in service} == service
    assert cli == service
    # the big figures, the categories' levels, the trend week by week: the API's
    big = {metric: _number(value) for metric, value in FIGURE.findall(html)}
    assert big == {m: service[m] for m in ("nad_rate", "ruling_rate", "seller_responsibility_rate")}
    assert page_levels(html) == {(v["category"], v["metric"], v["level"]) for v in api["red_lines"]}
    assert ("apparel/shoes", "nad_rate", "over") in page_levels(html)
    trends = dict(TREND.findall(html))
    for metric in ("nad_rate", "ruling_rate", "seller_responsibility_rate"):
        weekly = [_number(v) for v in re.findall(r'data-value="([^"]*)"', trends[metric])]
        assert weekly == [week[metric] for week in api["trend"]], metric
    assert "2026-03" in html and "March 2026" in html  # the month chosen, in words
    # the store's breakdown keys in words: a country's name, a category left blank
    assert "Spain (ES)" in html and i18n.text("en", "metrics.key.unknown") in html


def test_the_default_period_is_the_last_30_days_as_the_api_has_it(shop: Shop) -> None:
    html = shop.desk("seller").get("/desk/store/metrics").text
    api = shop.api("/stores/shop1/metrics")
    assert page_figures(html) == {k: api[k] for k in page_figures(html)}
    assert 'value="30d" selected' in html
    owner = shop.desk("seller")
    for bad in ("soon", "2026-13", "0d"):
        refused = owner.get(f"/desk/store/metrics?period={bad}")
        assert refused.status_code == 422
        assert i18n.text("en", "metrics.bad_period") in refused.text


def test_who_sees_the_metrics(shop: Shop) -> None:
    owner = shop.desk("seller")
    assert 'id="nav-metrics"' in owner.get("/desk/inbox").text
    agent = shop.agent()
    assert 'id="nav-metrics"' not in agent.get("/desk/inbox").text
    for path in (
        "/desk/store/metrics",
        "/desk/store/metrics?store=shop1",
        "/desk/store/metrics/behind?store=shop1&figure=nad_orders&period=2026-03",
    ):
        refused = agent.get(path)
        assert refused.status_code == 403, path
        assert i18n.text("en", "metrics.not_allowed") in refused.text
    assert shop.desk("seller2").get("/desk/store/metrics?store=shop1").status_code == 404
    assert shop.desk("buyer").get("/desk/store/metrics").status_code == 403
    assert shop.desk("admin").get("/desk/store/metrics").status_code == 403
    zh = shop.web.login("seller", locale="zh_CN").get("/desk/store/metrics?period=2026-03")
    assert zh.status_code == 200 and "货不对版纠纷率" in zh.text


def test_the_trend_charts_are_svg_with_a_text_alternative(shop: Shop) -> None:
    html = shop.desk("seller").get("/desk/store/metrics?period=2026-03").text
    charts = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(charts) == 3
    for chart in charts:
        chart_id = re.search(r'id="(chart-[a-z-]+)"', chart).group(1)  # type: ignore[union-attr]
        assert 'role="img"' in chart
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in chart
        assert f'<title id="{chart_id}-title">' in chart and f'<desc id="{chart_id}-desc">' in chart
        assert 'class="red-line"' in chart and 'stroke-dasharray="8 5"' in chart
        assert 'class="red-line-label"' in chart and "style=" not in chart
    nad = next(c for c in charts if 'id="chart-nad-rate"' in c)
    assert "red line 5.00%" in nad
    assert "Week, by its first day" in nad and ">Rate</text>" in nad
    for metric, table in TREND.findall(html):  # the figures as a table, week by week
        assert table.count("data-week=") == 12, metric
    assert html.count('<details class="trend-table">') == 3


def test_every_count_leads_to_what_is_behind_it(shop: Shop) -> None:
    client = shop.desk("seller")
    html = client.get("/desk/store/metrics?period=2026-03").text
    links = {(unescape(href), figure, int(value)) for href, figure, value in BEHIND.findall(html)}
    assert len(links) > 30
    for href, _figure, value in links:
        listed = client.get(href)
        assert listed.status_code == 200, href
        total = re.search(r'data-total="(\d+)"', listed.text)
        assert total is not None and int(total.group(1)) == value, (href, value)
        assert listed.text.count("<tr data-item=") == value, href
    behind = "/desk/store/metrics/behind?store=shop1&period=2026-03"

    def items(query: str) -> list[str]:
        return re.findall(r'<tr data-item="([^"]+)">', client.get(f"{behind}&{query}").text)

    assert sorted(items("figure=nad_orders")) == ["A1", "A3", "C1"]
    assert sorted(items("figure=disputes_escalated")) == ["A3-D1", "C1-D1"]
    assert items("figure=seller_responsible_rulings") == ["C1-D1"]
    assert sorted(items("figure=nad_orders&by=category&key=apparel%2Fshoes")) == ["A1", "A3"]
    assert items("figure=orders_assessed&by=category&key=unknown") == ["C2"]
    assert items("figure=orders_assessed&by=carrier&key=Yanwen") == ["C2"]
    assert items("figure=nad_orders&by=country&key=ES") == ["C1"]
    assert items("figure=nad_orders&by=reason&key=not_as_described.wrong_item") == ["C1"]
    assert items("figure=disputes_escalated&by=reason&key=not_as_described.damaged") == ["A3-D1"]
    page = client.get(f"{behind}&figure=disputes_escalated").text
    assert 'href="/desk/disputes/A3-D1"' in page and 'href="/desk/disputes/C1-D1"' in page
    assert 'href="/desk/orders/A1"' in client.get(f"{behind}&figure=nad_orders").text
    assert client.get(f"{behind}&figure=happiness").status_code == 404
    assert client.get(f"{behind}&figure=nad_orders&by=colour&key=red").status_code == 404


def test_the_inbox_warns_only_when_a_red_line_is_near_or_over(shop: Shop) -> None:
    owner = shop.desk("seller")
    assert 'id="metric-alerts"' not in owner.get("/desk/inbox").text
    assess(shop.web.db, at("2026-03-25T00:00:00Z"))  # the rolling 30 days hold the disputes
    shop.web.clock.now = at("2026-03-26T00:00:00Z")
    inbox = owner.get("/desk/inbox").text
    assert 'id="metric-alerts"' in inbox
    assert 'href="/desk/store/metrics?store=shop1"' in inbox
    assert 'data-metric="nad_rate" data-level="over"' in inbox
    assert "apparel/shoes" in inbox and "5.00%" in inbox
    assert 'id="metric-alerts"' in owner.get("/desk/store/metrics").text  # the dashboard too
    assert 'id="metric-alerts"' not in shop.agent().get("/desk/inbox").text  # no see_metrics
    assert 'id="metric-alerts"' not in shop.desk("seller2").get("/desk/inbox").text
    shop.web.clock.now = at("2026-04-02T00:01:00Z")  # a week later, not assessed again
    assert 'id="metric-alerts"' not in owner.get("/desk/inbox").text


def test_penalties_show_the_disputes_behind_them(shop: Shop) -> None:
    owner = shop.desk("seller")
    assert i18n.text("en", "metrics.no_penalties") in owner.get("/desk/store/metrics").text
    assess(shop.web.db, NOW)  # March is over: its penalties
    html = owner.get("/desk/store/metrics").text
    section = html[html.index('id="penalties"') : html.index('id="malicious-reports"')]
    penalties = re.findall(r'<li data-penalty="\d+" data-kind="red_line">(.*?)</li>', section, re.S)
    (shoes,) = [p for p in penalties if "NAD dispute rate over its red line in apparel/shoes" in p]
    assert "March 2026" in shoes and "40.00% against a red line of 5.00%" in shoes
    behind = re.findall(r'href="(/desk/[^"]+)"', shoes)
    assert behind == ["/desk/orders/A1", "/desk/orders/A3"]  # the category's, not C1
    earphones = [
        li for li in re.findall(r"<li data-penalty.*?</li>", section, re.S) if "earphones" in li
    ]
    assert earphones and all(
        "/desk/disputes/C1-D1" in li or "/desk/orders/C1" in li for li in earphones
    )


def _report_form(client: TestClient, dispute: str, **data: Any) -> Any:
    page = client.get(f"/desk/disputes/{dispute}")
    assert page.status_code == 200, page.text
    return client.post(
        f"/desk/disputes/{dispute}/malicious-report",
        data={"csrf_token": csrf_of(page.text), **data},
    )


def test_a_dispute_reported_as_malicious_from_its_page(shop: Shop) -> None:
    owner = shop.desk("seller")
    page = owner.get("/desk/disputes/A3-D1").text
    assert 'id="malicious"' in page and 'id="submit-malicious"' in page
    evidence = re.search(r'name="evidence" value="(\d+)"', page)
    assert evidence is not None
    photo = evidence.group(1)
    # refused whole, in words, keeping what was typed
    empty = _report_form(owner, "A3-D1", reason="  ")
    assert empty.status_code == 422
    assert i18n.text("en", "malicious.reason_required") in empty.text
    unknown = _report_form(owner, "A3-D1", reason="Swapped item", evidence="999999")
    assert unknown.status_code == 422 and "Swapped item" in unknown.text
    assert i18n.text("en", "malicious.evidence_unknown") in unknown.text
    # the confirmation step first, then the report
    reason = "The buyer sent back a different item"
    step = _report_form(owner, "A3-D1", reason=reason, evidence=photo)
    assert step.status_code == 200 and 'id="confirm-yes"' in step.text
    assert f'name="evidence_ids" value="{photo}"' in step.text
    sent = owner.post(
        "/desk/disputes/A3-D1/malicious-report",
        data={
            "csrf_token": csrf_of(step.text),
            "reason": reason,
            "evidence_ids": photo,
            "confirm": "yes",
        },
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/desk/disputes/A3-D1?done=report_malicious#malicious"
    shown = owner.get("/desk/disputes/A3-D1?done=report_malicious").text
    assert 'data-status="pending"' in shown and reason in shown
    assert i18n.text("en", "act.report_malicious") in shown
    assert "The box was crushed" in shown[shown.index('id="malicious"') :]  # pointed to
    assert 'id="submit-malicious"' not in shown
    (stored,) = malicious.reports(shop.web.db, store_id="shop1")
    assert (stored.dispute, stored.status, stored.evidence) == ("A3-D1", "pending", [int(photo)])
    # a second report is refused in words
    again = _report_form(owner, "A3-D1", reason="Again", confirm="yes")
    assert again.status_code == 409
    assert i18n.text("en", "malicious.already") in again.text
    assert len(malicious.reports(shop.web.db, store_id="shop1")) == 1
    # the dashboard lists it; the operator's decision shows on the dispute page
    assert 'data-status="pending"' in owner.get("/desk/store/metrics").text
    malicious.decide(
        shop.web.db, stored.id, decision="rejected", note="The photos match", decided_by="ops"
    )
    decided = owner.get("/desk/disputes/A3-D1").text
    assert 'data-status="rejected"' in decided and "The photos match" in decided
    # only the store's staff report; the buyer sees nothing of it
    buyer = shop.desk("buyer")
    assert 'id="malicious"' not in buyer.get("/desk/disputes/A3-D1").text
    assert _report_form(buyer, "A1-D1", reason="x", confirm="yes").status_code == 403
    other = shop.desk("seller2")
    assert other.get("/desk/disputes/A1-D1/malicious-report").status_code == 404


def test_the_report_form_on_a_page_of_its_own(shop: Shop) -> None:
    owner = shop.desk("seller")
    form = owner.get("/desk/disputes/A1-D1/malicious-report")
    assert form.status_code == 200 and 'id="submit-malicious"' in form.text
    zh = shop.web.login("seller", locale="zh_CN").get("/desk/disputes/A1-D1/malicious-report")
    assert zh.status_code == 200 and i18n.text("zh_CN", "malicious.open") in zh.text
    csrf = csrf_of(form.text)
    long = owner.post(
        "/desk/disputes/A1-D1/malicious-report",
        data={"csrf_token": csrf, "reason": "x" * (malicious.MAX_REASON + 1), "confirm": "yes"},
    )
    assert long.status_code == 422 and "at most 5,000 characters" in long.text
    assert owner.get("/desk/disputes/NOPE-D1/malicious-report").status_code == 404
    assert (
        owner.post(
            "/desk/disputes/A1-D1/malicious-report", data={"reason": "x", "confirm": "yes"}
        ).status_code
        == 403
    )  # no CSRF token
