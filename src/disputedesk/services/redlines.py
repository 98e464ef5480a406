"""Red lines as the operator's configuration, and the assessment that applies them: alerts to
stores nearing a line (rolling 30 days, at most once a week per line), penalties for stores
over a line in a calendar month (once the month is over), and a penalty mark for each
counterfeit ruled against the seller without brand authorization (RULES.md principle 5).
Every record is written once (a unique key), so the assessment can run as often as wanted."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, and_, exists, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from disputedesk.rules.metrics import Period
from disputedesk.rules.redlines import METRICS, PPM, RedLine, judge, lines_in_force, ppm
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import storable_message
from disputedesk.services.metrics import all_store_metrics
from disputedesk.store import tables as t
from disputedesk.store.db import Database

ROLLING = timedelta(days=30)


def red_lines(conn: Connection) -> list[RedLine]:
    """Every line ever set, oldest first."""
    r = t.red_lines
    return [
        RedLine(row.category, row.metric, Fraction(row.threshold_ppm, PPM), row.effective_from)
        for row in conn.execute(select(r).order_by(r.c.effective_from, r.c.id))
    ]


def parse_percent(text: str) -> int:
    """ "1.5" or "1.5%" -> 15,000 parts per million; from 0 to 100."""
    value = text.strip().removesuffix("%").strip()
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ServiceError("invalid_input", f"threshold: {text!r} is not a percentage") from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ServiceError("invalid_input", "threshold: a percentage from 0 to 100")
    return int(number * PPM / 100)


def set_red_line(
    db: Database,
    *,
    metric: str,
    threshold_ppm: int,
    category: str | None,
    effective_from: datetime,
    by: str,
    note: str | None = None,
    now: datetime | None = None,
) -> int:
    """A new version of a line (the old rows stay: the history of what was in force)."""
    if metric not in METRICS:
        raise ServiceError("invalid_input", f"metric: {metric!r} is not one of {METRICS}")
    if not 0 <= threshold_ppm <= PPM:
        raise ServiceError("invalid_input", "threshold: from 0 to 100%")
    if category is not None and (not category.strip() or len(category) > 200):
        raise ServiceError("invalid_input", "category: 1 to 200 characters, or none")
    problem = storable_message({"category": category, "note": note})
    if problem:
        raise ServiceError("invalid_input", problem)
    with db.begin() as conn:
        return int(
            conn.execute(
                insert(t.red_lines)
                .values(
                    category=category,
                    metric=metric,
                    threshold_ppm=threshold_ppm,
                    effective_from=effective_from,
                    created_at=now or utc_now(),
                    created_by=by,
                    note=note,
                )
                .returning(t.red_lines.c.id)
            ).scalar_one()
        )


@dataclass(slots=True)
class Assessment:
    alerts: int = 0
    penalties: int = 0
    counterfeit_marks: int = 0


def previous_month(now: datetime) -> Period:
    first = datetime(now.year, now.month, 1, tzinfo=UTC)
    last = first - timedelta(days=1)
    return Period(datetime(last.year, last.month, 1, tzinfo=UTC), first)


def _insert_once(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    keys = {(r["store_id"], r["key"]) for r in rows}
    existing = {
        (row.store_id, row.key)
        for row in conn.execute(
            select(table.c.store_id, table.c.key).where(table.c.key.in_({k for _, k in keys}))
        )
    }
    fresh = [r for r in rows if (r["store_id"], r["key"]) not in existing]
    if fresh:
        conn.execute(
            dialect.insert(table).on_conflict_do_nothing(index_elements=["store_id", "key"]),
            fresh,
        )
    return len(fresh)


def assess(db: Database, now: datetime) -> Assessment:
    """Alerts, penalties and counterfeit marks as of `now`."""
    report = Assessment()
    with db.engine.connect() as conn:
        history = red_lines(conn)
    rolling = Period(now - ROLLING, now)
    lines = lines_in_force(history, now)
    week = now.strftime("%G-W%V")
    alerts = []
    for store, metrics in all_store_metrics(db, rolling).items():
        for verdict in judge(metrics, lines):
            if verdict.level == "ok":
                continue
            alerts.append(
                {
                    "store_id": store,
                    "key": f"{verdict.metric}|{verdict.category}|{week}",
                    "category": verdict.category,
                    "metric": verdict.metric,
                    "figure_ppm": ppm(verdict.figure),
                    "threshold_ppm": ppm(verdict.line.threshold),
                    "period_from": rolling.start,
                    "period_to": rolling.end,
                    "raised_at": now,
                }
            )
    month = previous_month(now)
    month_lines = lines_in_force(history, month.end)
    penalties = []
    for store, metrics in all_store_metrics(db, month).items():
        for verdict in judge(metrics, month_lines):
            if verdict.level != "over":
                continue
            penalties.append(
                {
                    "store_id": store,
                    "kind": "red_line",
                    "key": f"red_line|{verdict.metric}|{verdict.category}|{month.start:%Y-%m}",
                    "category": verdict.category,
                    "metric": verdict.metric,
                    "figure_ppm": ppm(verdict.figure),
                    "threshold_ppm": ppm(verdict.line.threshold),
                    "period_from": month.start,
                    "period_to": month.end,
                    "data": {
                        "counts": verdict.counts.to_json(),
                        "disputes": metrics.behind.get(_NUMERATOR[verdict.metric], []),
                    },
                    "created_at": now,
                }
            )
    with db.begin() as conn:
        report.alerts = _insert_once(conn, t.metric_alerts, alerts)
        report.penalties = _insert_once(conn, t.penalties, penalties)
        report.counterfeit_marks = _insert_once(conn, t.penalties, _counterfeit_marks(conn, now))
    return report


_NUMERATOR = {
    "nad_rate": "nad_orders",
    "ruling_rate": "disputes_escalated",
    "seller_responsibility_rate": "seller_responsible_rulings",
}


def _counterfeit_marks(conn: Connection, now: datetime) -> list[dict[str, Any]]:
    """Counterfeit disputes ruled against the seller (by an arbitrator or automatically) with
    no brand authorization among the seller's evidence."""
    d, o, ev = t.disputes, t.orders, t.evidence
    authorized = exists().where(
        and_(
            ev.c.order_id == d.c.order_id,
            ev.c.dispute_seq == d.c.seq,
            ev.c.actor == "seller",
            ev.c.kind == "brand_authorization",
        )
    )
    rows = conn.execute(
        select(d.c.order_id, d.c.seq, d.c.closed_at, o.c.store_id)
        .join(o, o.c.id == d.c.order_id)
        .where(d.c.reason == "not_as_described.counterfeit")
        .where(d.c.resolution == "ruled")
        .where(d.c.responsibility == "seller")
        .where(~authorized)
    )
    return [
        {
            "store_id": row.store_id,
            "kind": "counterfeit",
            "key": f"counterfeit|{row.order_id}-D{row.seq}",
            "order_id": row.order_id,
            "dispute_seq": row.seq,
            "data": {"dispute": f"{row.order_id}-D{row.seq}", "ruled_at": str(row.closed_at)},
            "created_at": now,
        }
        for row in rows
    ]


class ScheduledAssessment:
    """`assess` as the worker runs it: at its first sweep, then every `interval_seconds` on the
    worker's clock (DISPUTEDESK_REDLINE_INTERVAL_SECONDS, default hourly; 0 turns it off).
    Running it more often costs time, never duplicates: alerts and penalties carry keys."""

    def __init__(self, db: Database, interval_seconds: float | None = None) -> None:
        self.db = db
        if interval_seconds is None:
            raw = os.environ.get("DISPUTEDESK_REDLINE_INTERVAL_SECONDS", "3600")
            try:
                interval_seconds = float(raw)
            except ValueError as exc:
                raise ValueError(
                    f"DISPUTEDESK_REDLINE_INTERVAL_SECONDS must be a number of seconds, not {raw!r}"
                ) from exc
        self.interval_seconds = interval_seconds
        self.last: datetime | None = None

    def due(self, now: datetime) -> bool:
        if self.interval_seconds <= 0:
            return False
        if self.last is None or now < self.last:
            return True
        return (now - self.last).total_seconds() >= self.interval_seconds

    def run(self, now: datetime, *, force: bool = False) -> Assessment | None:
        if not force and not self.due(now):
            return None
        self.last = now
        return assess(self.db, now)

    def run_and_tell(self, now: datetime, *, force: bool = False) -> str | None:
        report = self.run(now, force=force)
        if report is None or not (report.alerts or report.penalties or report.counterfeit_marks):
            return None
        return (
            f"red lines: {report.alerts} alert(s), {report.penalties} penalty(ies), "
            f"{report.counterfeit_marks} counterfeit mark(s)"
        )
