"""What-if in the operator's console (issue 15, item 6), on each database: the form per policy
parameter filled in with the values in force; a known change (the seller answers in 3 days
instead of 5) run in the background on a small store, its progress page, then its report: the
extra timeout and refund, by count and money, and the case that changed, linked, in words; the
live tables untouched. Refusals in words: no change, one run at a time, too many cases.

No sleeps: the run's thread is joined with a deadline."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from disputedesk.rules.instants import parse_instant
from disputedesk.rules.policy import PARAMETERS
from disputedesk.services import accounts, commands
from disputedesk.services.orders import check_order, create_order
from disputedesk.services.whatif_runs import Runs, current_values
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from helpers import ORDER, ev, open_dispute, plan, ship
from web_support import WebDesk, csrf_of, make_web_desk

DEADLINE_SECONDS = 60
OPENED = "2026-03-10T10:00:00Z"


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        accounts,
        "_password_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


# The seller counters on day 4 and the buyer accepts (10.00 refunded); with 3 days the
# buyer's plan (40.00) runs at 03-13 10:00 and both answers are refused. The early one
# answers on day 2: nothing changes.
LATE = [
    ship(),
    open_dispute(OPENED),
    ev("2026-03-14T10:00:00Z", "seller", "propose", plan=plan("refund_only", "10.00")),
    ev("2026-03-14T12:00:00Z", "buyer", "accept"),
]
EARLY = [ship(), open_dispute(OPENED), ev("2026-03-12T10:00:00Z", "seller", "accept")]


def _stored(db: Database, order_id: str, events: list[dict[str, Any]]) -> None:
    placed = parse_instant(ORDER["placed_at"])
    order = check_order({**ORDER, "id": order_id, "store_id": "shop1", "buyer_id": "B1"})
    create_order(db, order, now=placed)
    for event in events:
        fields = {k: v for k, v in event.items() if k not in ("at", "actor", "action")}
        result = commands.execute(
            db, order_id, event["actor"], event["action"], fields, parse_instant(event["at"])
        )
        assert result.ok, result.refusal


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> WebDesk:
    web = make_web_desk(db, tmp_path)
    _stored(db, "LATE", LATE)
    _stored(db, "EARLY", EARLY)
    web.clock.now = parse_instant("2026-03-20T00:00:00Z")
    return web


def _snapshot(db: Database) -> tuple[Any, ...]:
    with db.engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(t.events)),
            tuple(conn.execute(select(t.orders.c.id, t.orders.c.version).order_by(t.orders.c.id))),
        )


def _form(**changes: str) -> dict[str, str]:
    values = {f"p_{name}": str(value) for name, value in current_values().items()}
    return {**values, **{f"p_{k}": v for k, v in changes.items()}}


def _join_runs() -> None:
    """Wait for the what-if threads to end, with a deadline (no sleeps)."""
    for thread in threading.enumerate():
        if thread.name.startswith("whatif-"):
            thread.join(timeout=DEADLINE_SECONDS)
            assert not thread.is_alive(), "the what-if did not finish in time"


def test_a_faster_seller_deadline_on_the_stored_cases(desk: WebDesk) -> None:
    before = _snapshot(desk.db)
    admin = desk.login("admin")
    form = admin.get("/desk/operator/whatif")
    assert form.status_code == 200, form.text
    html = form.text
    assert "Days the seller has to respond" in html and "in force: 5" in html
    assert 'name="p_seller_response_days" id="p-seller_response_days" value="5"' in html
    assert all(f'name="p_{name}"' in html for name in PARAMETERS)
    assert "/desk/operator/whatif" in admin.get("/desk/operator").text  # in the console's nav
    token = csrf_of(html)
    started = admin.post(
        "/desk/operator/whatif", data={"csrf_token": token, **_form(seller_response_days="3")}
    )
    assert started.status_code == 303, started.text
    location = started.headers["location"]
    assert location.startswith("/desk/operator/whatif/") and location.endswith("?follow=1")
    _join_runs()
    page = admin.get(location)
    assert page.status_code == 200 and "Refresh" not in page.headers  # done: no more refreshing
    report = page.text
    assert 'data-state="done"' in report
    assert "Days the seller has to respond: 5 → 3" in report
    assert "1 of 2 cases would change." in report
    totals = report.split('data-currency="USD"')[1].split("</table>")[0]
    timeouts = totals.split("Timeouts")[1].split("</tr>")[0]
    assert [c.split(">")[-1] for c in timeouts.split("</td>")[:3]] == ["0", "1", ""]
    assert "<strong>+1</strong>" in timeouts
    refunded = totals.split("Money refunded")[1].split("</tr>")[0]
    assert "$50.00" in refunded and "$80.00" in refunded and "+$30.00" in refunded
    changed = report.split('id="whatif-changed"')[1]
    assert '<a href="/desk/orders/LATE">LATE</a>' in changed and "EARLY" not in changed
    assert (
        "Seller did not respond in time: the buyer&#39;s plan is executed (0 → 1 times)" in changed
    )
    assert "Refunded $10.00 → $40.00" in changed
    assert _snapshot(desk.db) == before  # nothing written to the live tables
    # the list of runs, and the order page it links to (operators see every order)
    assert "Done: 1 of 2 cases would change" in admin.get("/desk/operator/whatif").text
    assert admin.get("/desk/orders/LATE").status_code == 200
    zh = desk.login("admin", locale="zh_CN").get(location.split("?")[0]).text
    assert "2 个案件中有 1 个会发生变化。" in zh and "卖家响应期限（天）：5 → 3" in zh


def test_the_progress_page_while_a_run_goes_on(desk: WebDesk, tmp_path: Path) -> None:
    """A run that is running (its file, owned by this process): cases done of the total, a
    link to refresh, and, followed, a page that refreshes itself."""
    folder = tmp_path / "data" / "whatif"
    folder.mkdir(parents=True)
    run = {
        "id": "20260320000000-abcd0123",
        "state": "running",
        "owner": {"host": os.uname().nodename, "pid": os.getpid()},
        "by": "admin@platform.test",
        "started_at": "2026-03-20T00:00:00Z",
        "finished_at": None,
        "overrides": {"seller_response_days": 3},
        "since": None,
        "store_id": None,
        "done": 2,
        "total": 5,
        "report": None,
    }
    (folder / f"{run['id']}.json").write_text(json.dumps(run))
    (folder / "running.lock").write_text(json.dumps({"run": run["id"], "owner": run["owner"]}))
    admin = desk.login("admin")
    followed = admin.get(f"/desk/operator/whatif/{run['id']}?follow=1")
    assert followed.status_code == 200 and followed.headers["refresh"] == "3"
    assert "2 of 5 cases replayed" in followed.text and 'id="whatif-refresh"' in followed.text
    assert "refreshes itself" in followed.text
    plain = admin.get(f"/desk/operator/whatif/{run['id']}")
    assert "refresh" not in plain.headers and "2 of 5 cases replayed" in plain.text
    # one run at a time: another is refused while this one runs
    token = csrf_of(admin.get("/desk/operator/whatif").text)
    busy = admin.post(
        "/desk/operator/whatif", data={"csrf_token": token, **_form(seller_response_days="4")}
    )
    assert busy.status_code == 409 and "A what-if is already running" in busy.text
    assert 'value="4"' in busy.text  # what was typed is kept
    # a run whose process is gone reads as interrupted, and its lock is stale
    gone = {**run["owner"], "pid": 2**22 + 1}
    (folder / f"{run['id']}.json").write_text(json.dumps({**run, "owner": gone}))
    (folder / "running.lock").write_text(json.dumps({"run": run["id"], "owner": gone}))
    assert "stopped before it finished" in admin.get(f"/desk/operator/whatif/{run['id']}").text
    taken_over = admin.post(
        "/desk/operator/whatif", data={"csrf_token": token, **_form(seller_response_days="4")}
    )
    assert taken_over.status_code == 303, taken_over.text
    _join_runs()
    assert 'data-state="done"' in admin.get(taken_over.headers["location"]).text
    assert admin.get("/desk/operator/whatif/nope").status_code == 404


def test_refusals_in_words(desk: WebDesk, tmp_path: Path) -> None:
    admin = desk.login("admin")
    token = csrf_of(admin.get("/desk/operator/whatif").text)

    def start(**fields: str) -> Any:
        return admin.post("/desk/operator/whatif", data={"csrf_token": token, **fields})

    same = start(**_form())
    assert same.status_code == 422 and "Change at least one parameter" in same.text
    bad = start(**_form(seller_response_days="-1"))
    assert bad.status_code == 422 and "must be a whole number from 0 to 3650" in bad.text
    assert start(**_form(platform_calendar="XX")).status_code == 422
    assert "must be a date" in start(**_form(seller_response_days="3"), since="yesterday").text
    assert "no such store" in start(**_form(seller_response_days="3"), store="nope").text
    desk.app.state.whatif_runs = Runs(tmp_path / "data" / "whatif", max_cases=1)
    many = start(**_form(seller_response_days="3"))
    assert many.status_code == 422 and "2 cases is more than one run takes (1)" in many.text
    # a store and a date narrow it down to what the cap allows
    narrow = start(**_form(seller_response_days="3"), store="shop2")
    assert narrow.status_code == 303
    _join_runs()
    assert "0 of 0 cases would change." in admin.get(narrow.headers["location"]).text
    assert admin.post("/desk/operator/whatif", data=_form()).status_code == 403  # no CSRF token
    arbitrator = desk.login("arbitrator")
    assert arbitrator.get("/desk/operator/whatif").status_code == 403
