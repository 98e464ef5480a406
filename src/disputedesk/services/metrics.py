"""Where the metrics' order histories come from: a scenario corpus (each scenario one order of one
store, replayed by the rules core) or the store's event log. The figures themselves are
`rules.metrics`, one pure function for both, so the CLI, the API and the pages agree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from disputedesk.replay import MalformedScenario, parse_scenario_text, run
from disputedesk.rules.metrics import Metrics, OrderHistory, Period, compute, history_from_events
from disputedesk.store import tables as t
from disputedesk.store.db import Database


@dataclass(slots=True)
class ScenarioCorpus:
    histories: list[OrderHistory] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def history_of_scenario(text: str) -> OrderHistory:
    """A scenario replayed: its order's accepted commands and automatic steps, in order."""
    replay = run(parse_scenario_text(text))
    order = replay.state.order
    events = (
        (entry.event.at, entry.event.action, entry.event.data)
        for entry in replay.timeline
        if entry.event is not None
    )
    return history_from_events(order.id, order.category, order.destination_country, events)


def scenario_histories(paths: Iterable[str]) -> ScenarioCorpus:
    """Every scenario under `paths` (files, or folders searched for `*.json`); a file that
    cannot be read or replayed is skipped and named."""
    from disputedesk.replay import scenario_paths

    corpus = ScenarioCorpus()
    for path in _paths(scenario_paths(list(paths))):
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            corpus.histories.append(history_of_scenario(text))
        except (OSError, UnicodeDecodeError) as exc:
            corpus.skipped.append((path, f"cannot read: {exc}"))
        except MalformedScenario as exc:
            corpus.skipped.append((path, str(exc)))
    return corpus


def _paths(paths: Iterator[str]) -> Iterator[str]:
    yield from paths


# -- the store's event log ---------------------------------------------------------------------


def parse_period(text: str, now: datetime) -> Period:
    """`30d` (and any `Nd`: the N days up to now), or `YYYY-MM` (that calendar month, UTC)."""
    text = text.strip()
    if text.endswith("d") and text[:-1].isascii() and text[:-1].isdigit():
        days = int(text[:-1])
        if not 1 <= days <= 3650:
            raise ValueError("period: from 1d to 3650d")
        return Period(now - timedelta(days=days), now)
    try:
        year, month = (int(part) for part in text.split("-"))
        start = datetime(year, month, 1, tzinfo=UTC)
    except ValueError:
        raise ValueError(f"period: {text!r} is not 30d (N days up to now) or YYYY-MM") from None
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
    return Period(start, end)


ASSESSING_ACTIONS = ("confirm_receipt", "order_auto_completed", "open_dispute")


def store_histories(
    conn: Connection, period: Period, *, store_id: str | None = None
) -> dict[str, list[OrderHistory]]:
    """The histories of the orders that count in `period`, per store: orders with an assessing
    event or a dispute opened inside it (events up to the period's end are what count)."""
    o, e = t.orders, t.events
    candidates = (
        select(e.c.order_id)
        .where(e.c.action.in_(ASSESSING_ACTIONS))
        .where(e.c.at >= period.start)
        .where(e.c.at < period.end)
    )
    query = select(o.c.id, o.c.store_id, o.c.category, o.c.destination_country).where(
        o.c.id.in_(candidates)
    )
    if store_id is not None:
        query = query.where(o.c.store_id == store_id)
    orders = conn.execute(query.order_by(o.c.id)).all()
    events: dict[str, list[tuple[datetime, str, Any]]] = {}
    ids = [row.id for row in orders]
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for row in conn.execute(
            select(e.c.order_id, e.c.at, e.c.action, e.c.data)
            .where(e.c.order_id.in_(chunk))
            .where(e.c.at < period.end)
            .order_by(e.c.order_id, e.c.seq)
        ):
            events.setdefault(row.order_id, []).append((row.at, row.action, row.data))
    out: dict[str, list[OrderHistory]] = {}
    for row in orders:
        history = history_from_events(
            row.id, row.category, row.destination_country, events.get(row.id, [])
        )
        out.setdefault(row.store_id, []).append(history)
    return out


def upheld_malicious(conn: Connection, store_id: str | None = None) -> frozenset[tuple[str, int]]:
    """The disputes an operator upheld as malicious: left out of every figure."""
    m = t.malicious_reports
    query = select(m.c.order_id, m.c.dispute_seq).where(m.c.status == "upheld")
    if store_id is not None:
        query = query.where(m.c.store_id == store_id)
    return frozenset((r.order_id, r.dispute_seq) for r in conn.execute(query))


def store_metrics(db: Database, store_id: str, period: Period) -> Metrics:
    """One store's figures over `period`, from the event log."""
    with db.engine.connect() as conn:
        histories = store_histories(conn, period, store_id=store_id).get(store_id, [])
        excluded = upheld_malicious(conn, store_id)
    return compute(histories, period, excluded=excluded)


def all_store_metrics(db: Database, period: Period) -> dict[str, Metrics]:
    """Every store's figures over `period` (stores with nothing in it are left out)."""
    with db.engine.connect() as conn:
        per_store = store_histories(conn, period)
        excluded = upheld_malicious(conn)
    return {
        store: compute(histories, period, excluded=excluded)
        for store, histories in sorted(per_store.items())
    }
