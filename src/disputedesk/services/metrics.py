"""Where the metrics' order histories come from: a scenario corpus (each scenario one order of one
store, replayed by the rules core) or the store's event log. The figures themselves are
`rules.metrics`, one pure function for both, so the CLI, the API and the pages agree."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, String, or_, select, type_coerce

from disputedesk.replay import MalformedScenario, parse_scenario_text, run
from disputedesk.rules.metrics import (
    ASSESSING,
    COMPLETIONS,
    Metrics,
    OrderFacts,
    OrderHistory,
    Period,
    Tally,
    history_from_events,
    order_facts,
)
from disputedesk.rules.vocabulary import Action
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


# Reading the event log: one set-based statement per call, streamed, over the log's metric
# steps (`tables.metric_steps`: the events whose action the figures read, `METRIC_ACTIONS`, each
# with the one field of its data they read, `DETAIL_FIELD`, kept by the database beside the log
# and keyed by store). It selects, of the orders with an assessing step inside the period
# (RULES.md section 10's candidates), their steps up to the period's end, receipts and
# auto-completions only inside the period. The rows come in order (store, order id, seq); each
# order's become its `OrderFacts` and go to its store's `Tally`: the figures are
# `rules.metrics`' alone.


SHIP = Action.SHIP
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _in(column: Any, actions: Iterable[str]) -> Any:
    return column.in_(sorted(actions))


def _as_driver_gives_it(at: Any) -> Any:
    return type_coerce(at, String)  # no conversion: `_instant` reads what the driver gives


def steps_query(
    period: Period,
    store_id: str | None = None,
    *,
    instant: Callable[[Any], Any] = _as_driver_gives_it,
) -> Select[Any]:
    """(order id, store, category, country, at, action, detail) of the steps the figures read,
    in order; `instant` is the column expression `at` is read through."""
    o, m, a = t.orders, t.metric_steps, t.metric_steps.alias("a")
    candidate = (
        select(a.c.seq)
        .where(a.c.store_id == m.c.store_id)
        .where(a.c.order_id == m.c.order_id)
        .where(_in(a.c.action, ASSESSING))
        .where(a.c.at >= period.start)
        .where(a.c.at < period.end)
        .exists()
    )
    query = (
        select(
            m.c.order_id,
            m.c.store_id,
            o.c.category,
            o.c.destination_country,
            instant(m.c.at).label("at"),
            m.c.action,
            m.c.detail,
        )
        # the orders index (store_id, id, category, destination_country) gives the keys
        .join_from(m, o, (o.c.store_id == m.c.store_id) & (o.c.id == m.c.order_id))
        .where(m.c.at < period.end)
        .where(or_(~_in(m.c.action, COMPLETIONS), m.c.at >= period.start))
        .where(candidate)
    )
    if store_id is not None:
        query = query.where(m.c.store_id == store_id)
    return query.order_by(m.c.store_id, m.c.order_id, m.c.seq)


def _instant(value: Any) -> datetime:
    """An instant as a reader gives it: SQLite's stored text (naive UTC), a datetime, or epoch
    microseconds (DuckDB's `epoch_us`)."""
    if isinstance(value, str):
        return _from_text(value)
    if isinstance(value, int):
        return EPOCH + timedelta(microseconds=value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _from_text(value: str) -> datetime:
    return datetime.fromisoformat(value + "+00:00")  # (faster than .replace(tzinfo=UTC))


def order_rows_facts(
    rows: Iterable[Sequence[Any]], instant: Callable[[Any], datetime] = _instant
) -> Iterator[tuple[str, OrderFacts]]:
    """(store, facts) of each order, from `steps_query`'s rows (in their order) or rows like
    them from any reader; `instant` reads the rows' instants."""
    current: Any = None
    store: str = ""
    category = country = None
    steps: list[Any] = []  # Steps (a ship's instant left as read: only its carrier counts)
    for order_id, store_id, cat, dest, at, action, detail in rows:
        if order_id != current:
            if current is not None:
                yield store, order_facts(current, category, country, steps)
            current, store, category, country, steps = order_id, store_id, cat, dest, []
        steps.append((at if action == SHIP else instant(at), action, detail))
    if current is not None:
        yield store, order_facts(current, category, country, steps)


def upheld_malicious(conn: Connection, store_id: str | None = None) -> frozenset[tuple[str, int]]:
    """The disputes an operator upheld as malicious: left out of every figure."""
    m = t.malicious_reports
    query = select(m.c.order_id, m.c.dispute_seq).where(m.c.status == "upheld")
    if store_id is not None:
        query = query.where(m.c.store_id == store_id)
    return frozenset((r.order_id, r.dispute_seq) for r in conn.execute(query))


def tallies(
    rows: Iterable[Sequence[Any]],
    period: Period,
    excluded: frozenset[tuple[str, int]],
    instant: Callable[[Any], datetime] = _instant,
) -> dict[str, Tally]:
    """Each store's `Tally` of the orders in `rows` (`steps_query`'s)."""
    found: dict[str, Tally] = {}
    for store, facts in order_rows_facts(rows, instant):
        tally = found.get(store)
        if tally is None:
            found[store] = tally = Tally(period, excluded)
        tally.add(facts)
    return found


def _reader(db: Database) -> Callable[[Any], datetime]:
    """How `steps_query`'s instants come from this database's driver: SQLite's stored text, or
    PostgreSQL's timestamptz as aware datetimes (compared as they are)."""
    return _from_text if db.dialect == "sqlite" else _as_is


def _as_is(value: datetime) -> datetime:
    return value


def store_metrics(db: Database, store_id: str, period: Period) -> Metrics:
    """One store's figures over `period`, from the event log."""
    with db.engine.connect() as conn:
        excluded = upheld_malicious(conn, store_id)
        rows = conn.execute(steps_query(period, store_id)).all()  # (one fetch: a store's)
        found = tallies(rows, period, excluded, _reader(db))
    return (found.get(store_id) or Tally(period, excluded)).metrics()


def all_store_metrics(db: Database, period: Period) -> dict[str, Metrics]:
    """Every store's figures over `period` (stores with no order assessed in it are left out,
    unless only upheld malicious disputes kept theirs out)."""
    with db.engine.connect() as conn:
        excluded = upheld_malicious(conn)
        rows = conn.execution_options(yield_per=20_000).execute(steps_query(period))
        found = tallies(rows, period, excluded, _reader(db))
    return {store: found[store].metrics() for store in sorted(found)}
