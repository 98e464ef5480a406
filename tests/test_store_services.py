"""The store and the services on SQLite and PostgreSQL: every action through the services gives
the same outcome as `replay`, the log rebuilds the projections, schemas are checked."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from disputedesk.replay import load_scenario, replay_scenario
from disputedesk.rules.instants import parse_instant
from disputedesk.rules.metrics import DETAIL_FIELD, METRIC_ACTIONS
from disputedesk.services import commands, orders
from disputedesk.services.queries import order_outcome
from disputedesk.services.rebuild import rebuild
from disputedesk.services.worker import sweep
from disputedesk.store import tables as t
from disputedesk.store.db import Database, SchemaOutdated

SCENARIOS = sorted(
    p for p in (Path(__file__).parent / "scenarios").glob("*.json") if "malformed" not in p.name
)


def _scenario(path: Path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("expect", None)
    doc.pop("comment", None)
    return doc


def replay_through_services(db: Database, doc: dict) -> list[str | None]:
    """Create the scenario's order, send each event through the services, run the worker to
    `until`; returns each input event's error (None when accepted)."""
    scenario = load_scenario(doc)
    order = orders.check_order({**doc["order"], "store_id": "store-1", "buyer_id": "buyer-1"})
    orders.create_order(db, order, now=scenario.order.placed_at)
    errors = []
    for command in scenario.commands:
        result = commands.execute(
            db,
            order.id,
            command.actor,
            command.action,
            command.fields,
            command.at,
            recorded_at=command.at,
        )
        refusal = result.refusal
        errors.append(refusal.code.value if refusal else None)
    if scenario.until is not None:
        sweep(db, scenario.until, batch=7, recorded_at=scenario.until)
    return errors


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_worked_examples_through_the_services_match_replay(db: Database, path: Path) -> None:
    doc = _scenario(path)
    errors = replay_through_services(db, doc)
    want = replay_scenario(doc)
    got = order_outcome(db, doc["order"]["id"])
    assert got["order"] == want["order"]
    assert got["disputes"] == want["disputes"]
    inputs = [e for e in want["timeline"] if not (e["actor"] == "system" and e["ok"])]
    assert errors == [e["error"] for e in inputs]
    # the log holds exactly the accepted events and the automatic steps, in timeline order
    assert got["timeline"] == [e for e in want["timeline"] if e["ok"]]
    report = rebuild(db)
    assert report.differences == []
    assert report.events == len(got["timeline"])


def test_random_scenarios_through_the_services_match_replay(db: Database) -> None:
    import random

    from disputedesk.simulate import random_scenario

    rng = random.Random(4)
    for _ in range(25):
        doc = random_scenario(rng, n_events=14)
        errors = replay_through_services(db, doc)
        want = replay_scenario(doc)
        got = order_outcome(db, doc["order"]["id"])
        assert (got["order"], got["disputes"]) == (want["order"], want["disputes"])
        inputs = [e for e in want["timeline"] if not (e["actor"] == "system" and e["ok"])]
        assert errors == [e["error"] for e in inputs]
    assert rebuild(db).differences == []


def test_each_action_has_a_service_function(db: Database) -> None:
    at = parse_instant
    orders.create_order(
        db,
        orders.check_order(
            {
                "id": "O-1",
                "store_id": "s",
                "buyer_id": "b",
                "amount": "100.00",
                "shipping": "0",
                "currency": "USD",
                "placed_at": "2026-03-02T08:00:00Z",
                "promised_delivery_days": 30,
            }
        ),
    )
    steps = [
        commands.ship(
            db, "O-1", carrier="China Post", tracking_number="RR1CN", at=at("2026-03-03T10:00:00Z")
        ),
        commands.record_tracking(
            db, "O-1", details={"status": "in_transit"}, at=at("2026-03-04T10:00:00Z")
        ),
        commands.extend_delivery(db, "O-1", days=5, at=at("2026-03-05T10:00:00Z")),
        commands.open_dispute(
            db,
            "O-1",
            reason="not_as_described.damaged",
            plan={"type": "return_and_refund", "amount": "60.00"},
            goods_received=True,
            note="cracked",
            at=at("2026-03-09T10:00:00Z"),
        ),
        commands.reject(db, "O-1", note="no", at=at("2026-03-09T11:00:00Z")),
        commands.propose(
            db,
            "O-1",
            plan={"type": "refund_only", "amount": "10.00"},
            at=at("2026-03-09T12:00:00Z"),
        ),
        commands.modify_dispute(
            db,
            "O-1",
            plan={"type": "return_and_refund", "amount": "50.00"},
            at=at("2026-03-09T13:00:00Z"),
        ),
        commands.accept(db, "O-1", actor="seller", at=at("2026-03-09T14:00:00Z")),
        commands.ship_return(
            db, "O-1", carrier="Correios", tracking_number="BR1", at=at("2026-03-10T14:00:00Z")
        ),
        commands.escalate(db, "O-1", actor="seller", at=at("2026-03-20T14:00:00Z")),
        commands.intervene(db, "O-1", at=at("2026-03-21T14:00:00Z")),
        commands.submit_evidence(
            db, "O-1", actor="buyer", kind="photo", description="box", at=at("2026-03-21T15:00:00Z")
        ),
        commands.submit_evidence(
            db,
            "O-1",
            actor="seller",
            kind="tracking_record",
            description="not delivered",
            at=at("2026-03-21T16:00:00Z"),
        ),
        commands.rule(
            db,
            "O-1",
            refund_amount="50.00",
            responsibility="seller",
            return_required=True,
            at=at("2026-03-22T10:00:00Z"),
        ),
        commands.give_up_return(db, "O-1", at=at("2026-03-23T10:00:00Z")),
    ]
    assert [s.refusal for s in steps] == [None] * len(steps)
    outcome = order_outcome(db, "O-1")
    assert outcome["order"]["status"] == "completed"
    assert outcome["disputes"][0]["resolution"] == "refunded"
    assert outcome["disputes"][0]["refund_amount"] == "50.00"
    with db.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(t.plans)) == 3
        assert conn.scalar(select(func.count()).select_from(t.evidence)) == 2
        assert conn.scalar(select(func.count()).select_from(t.outbox)) == len(steps)
    assert rebuild(db).differences == []


def test_other_parties_and_orders(db: Database) -> None:
    orders.create_store(db, "shop-1", "Shop One")
    orders.add_staff(db, "shop-1", name="Li", email="li@example.com", role="owner")
    orders.create_buyer(db, "buyer-9", "Ana", email="ana@example.com", country="BR", locale="pt-BR")
    with pytest.raises(commands.ServiceError) as exc:
        orders.create_store(db, "shop-1", "again")
    assert exc.value.code == "conflict"
    with pytest.raises(orders.FieldError) as bad:
        orders.add_staff(db, "shop-1", name="X", email="x@example.com", role="boss")
    assert bad.value.field == "role"
    with pytest.raises(commands.ServiceError) as missing:
        commands.confirm_receipt(db, "no-such-order")
    assert missing.value.code == "not_found"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "12.345"),
        ("shipping", "-1"),
        ("currency", "usd"),
        ("placed_at", "yesterday"),
        ("promised_delivery_days", -1),
        ("id", ""),
        ("destination_country", "BRA"),
    ],
)
def test_check_order_names_the_bad_field(field: str, value: object) -> None:
    raw = {
        "id": "O-2",
        "store_id": "s",
        "buyer_id": "b",
        "amount": "1.00",
        "shipping": "0.00",
        "currency": "USD",
        "placed_at": "2026-03-02T08:00:00Z",
        "promised_delivery_days": 3,
        field: value,
    }
    with pytest.raises(orders.FieldError) as exc:
        orders.check_order(raw)
    assert exc.value.field == field


def test_a_command_older_than_the_order_clock_is_refused(db: Database) -> None:
    orders.create_order(
        db,
        orders.check_order(
            {
                "id": "O-3",
                "store_id": "s",
                "buyer_id": "b",
                "amount": "1.00",
                "currency": "USD",
                "placed_at": "2026-03-02T08:00:00Z",
                "promised_delivery_days": 3,
            }
        ),
    )
    commands.ship(
        db, "O-3", carrier="c", tracking_number="t", at=parse_instant("2026-03-05T00:00:00Z")
    )
    with pytest.raises(commands.ServiceError) as exc:
        commands.confirm_receipt(db, "O-3", at=parse_instant("2026-03-04T00:00:00Z"))
    assert exc.value.code == "invalid_input"


def test_an_empty_or_old_schema_is_refused_with_the_command_to_run(database_url: str) -> None:
    db = Database(database_url)
    with pytest.raises(SchemaOutdated, match="disputedesk db upgrade"):
        db.check_schema()
    db.upgrade()
    db.check_schema()
    with db.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(SchemaOutdated, match="at revision 0000"):
        db.check_schema()
    db.dispose()


def test_rebuild_reports_a_tampered_projection(db: Database) -> None:
    doc = _scenario(SCENARIOS[0])
    replay_through_services(db, doc)
    with db.begin() as conn:
        conn.execute(t.orders.update().values(status="shipped"))
    report = rebuild(db)
    assert any(".order.status: stored 'shipped'" in d for d in report.differences)


def test_the_log_s_metric_steps_are_kept_beside_it_under_the_order_s_store(db: Database) -> None:
    """The database copies each event the metrics read into `metric_steps` as it is logged
    (migration 0015's trigger), with the one field of its data they read; rebuild --check
    finds a step missing or changed."""
    for path in SCENARIOS[:6]:
        replay_through_services(db, _scenario(path))
    with db.engine.connect() as conn:
        events = conn.execute(
            select(t.events, t.orders.c.store_id)
            .join(t.orders, t.orders.c.id == t.events.c.order_id)
            .order_by(t.events.c.order_id, t.events.c.seq)
        ).all()
        steps = conn.execute(
            select(t.metric_steps).order_by(t.metric_steps.c.order_id, t.metric_steps.c.seq)
        ).all()
    expected = [
        (
            e.store_id,
            e.order_id,
            e.seq,
            e.at,
            e.action,
            e.data.get(DETAIL_FIELD[e.action]) if e.action in DETAIL_FIELD else None,
        )
        for e in events
        if e.action in METRIC_ACTIONS
    ]
    assert [tuple(s) for s in steps] == expected
    assert {s.action for s in steps} >= {"ship", "open_dispute"}
    assert all(s.detail for s in steps if s.action in ("ship", "open_dispute"))
    assert rebuild(db).differences == []
    first = steps[0]
    with db.begin() as conn:
        conn.execute(
            t.metric_steps.update()
            .where(t.metric_steps.c.order_id == first.order_id)
            .where(t.metric_steps.c.seq == first.seq)
            .values(detail="Elsewhere Post")
        )
    report = rebuild(db)
    assert [d.split(":")[0] for d in report.differences] == [f"{first.order_id}.metric_steps"]
    with db.begin() as conn:
        conn.execute(t.metric_steps.delete().where(t.metric_steps.c.order_id == first.order_id))
    assert len(rebuild(db).differences) == 1


def test_the_trigger_copies_the_actions_the_metrics_read() -> None:
    """Migration 0015 froze the actions and fields of `rules.metrics`: a change there needs a
    migration that copies again."""
    path = Path(t.__file__).parent / "migrations" / "versions" / "0015_metric_steps.py"
    spec = importlib.util.spec_from_file_location("migration_0015", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.ACTIONS) == {str(a) for a in METRIC_ACTIONS}
    assert {str(a): key for a, key in DETAIL_FIELD.items()} == module.DETAILS


def test_a_stale_due_instant_is_corrected_not_claimed_forever(db: Database) -> None:
    """If orders.due_at is earlier than what the rules compute (e.g. the policy changed), the
    worker fires nothing for it, rewrites due_at, and the sweep ends."""
    doc = _scenario(SCENARIOS[0])
    doc.pop("until", None)
    doc["events"] = doc["events"][:1]  # shipped: due at the delivery deadline
    replay_through_services(db, doc)
    with db.begin() as conn:
        conn.execute(t.orders.update().values(due_at=parse_instant("2026-03-04T00:00:00Z")))
    report = sweep(db, parse_instant("2026-03-05T00:00:00Z"), batch=1)
    assert (report.orders, report.steps) == (1, 0)
    with db.engine.connect() as conn:
        due_at = conn.scalar(select(t.orders.c.due_at))
    assert due_at == parse_instant("2026-04-02T10:00:00Z")
    assert sweep(db, parse_instant("2026-03-05T00:00:00Z")).orders == 0
    assert rebuild(db).differences == []
