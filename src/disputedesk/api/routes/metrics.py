"""Seller metrics and red lines (RULES.md section 10, seed 002): a store's three rates with their
counts, breakdowns, red-line verdicts and weekly trend; every store's for operators; the red
lines (operators set them), penalties and metric alerts; malicious dispute reports. The
figures come from the same pure function as `disputedesk report metrics`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy import select

from disputedesk.api.access import require_store_member
from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import ID_PATTERN, INSTANT_MAX_LENGTH, RowId, Strict
from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.rules.metrics import Metrics, Period
from disputedesk.rules.redlines import PPM, judge, lines_in_force
from disputedesk.services import malicious, permissions
from disputedesk.services.accounts import Principal
from disputedesk.services.metrics import all_store_metrics, parse_period, store_metrics
from disputedesk.services.redlines import parse_percent, red_lines, set_red_line
from disputedesk.store import tables as t
from disputedesk.store.db import Database

router = APIRouter(tags=["metrics"])

PeriodQuery = Annotated[
    str | None,
    Query(
        pattern=r"^([1-9][0-9]{0,3}d|[0-9]{4}-(0[1-9]|1[0-2]))$",
        description="30d (the N days up to now) or YYYY-MM (a calendar month); default 30d",
    ),
]
InstantQuery = Annotated[
    str | None,
    Query(max_length=INSTANT_MAX_LENGTH, description="A UTC instant YYYY-MM-DDTHH:MM:SSZ"),
]
WEEKS = 12


def _period(period: str | None, start: str | None, end: str | None, now: datetime) -> Period:
    if (start is None) != (end is None) or (start is not None and period is not None):
        raise ApiError("invalid_input", "period: give from and to together, or period")
    if start is not None and end is not None:
        first, last = parse_instant(start), parse_instant(end)
        if first is None or last is None:
            raise ApiError("invalid_input", "from/to: UTC instants YYYY-MM-DDTHH:MM:SSZ")
        if last <= first:
            raise ApiError("invalid_input", "to: must be after from")
        return Period(first, last)
    try:
        return parse_period(period or "30d", now)
    except ValueError as exc:
        raise ApiError("invalid_input", str(exc)) from None


def _rate(value: Any) -> float | None:
    return None if value is None else float(value)


def verdicts_json(db: Database, metrics: Metrics, now: datetime) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        lines = lines_in_force(red_lines(conn), min(metrics.period.end, now))
    return [
        {
            "category": v.category,
            "metric": v.metric,
            "figure": float(v.figure),
            "line": float(v.line.threshold),
            "line_effective_from": format_instant(v.line.effective_from),
            "level": v.level,
            "share_of_line": float(v.share_of_line),
        }
        for v in judge(metrics, lines)
    ]


def _period_json(period: Period) -> dict[str, str | None]:
    return {"from": format_instant(period.start), "to": format_instant(period.end)}


@router.get("/stores/{store_id}/metrics", summary="The store's three rates, red lines, trend")
def get_store_metrics(
    store_id: str,
    user: CurrentUser,
    db: Db,
    now: Now,
    period: PeriodQuery = None,
    start: Annotated[InstantQuery, Query(alias="from")] = None,
    end: Annotated[InstantQuery, Query(alias="to")] = None,
) -> dict[str, Any]:
    """The NAD dispute rate, ruling rate and seller-responsibility ruling rate over the period
    (default the 30 days up to now) with their counts and breakdowns (by category, country,
    carrier, reason), each category's rates against its red line, the disputes behind each
    numerator, and the rates week by week over the last 12 weeks. (An agent needs the
    see_metrics permission: 403 otherwise.)"""
    require_store_member(user, store_id)
    permissions.require(user, store_id, permissions.SEE_METRICS)
    _known_store(db, store_id)
    assessed = _period(period, start, end, now)
    figures = store_metrics(db, store_id, assessed)
    week_end = now
    trend = []
    for _ in range(WEEKS):
        week = Period(week_end - timedelta(days=7), week_end)
        counts = store_metrics(db, store_id, week).total
        trend.append(
            {
                **_period_json(week),
                "nad_rate": _rate(counts.nad_rate),
                "ruling_rate": _rate(counts.ruling_rate),
                "seller_responsibility_rate": _rate(counts.seller_responsibility_rate),
                "orders_assessed": counts.orders_assessed,
            }
        )
        week_end = week.start
    return {
        "store_id": store_id,
        "period": _period_json(assessed),
        **figures.to_json(),
        "red_lines": verdicts_json(db, figures, now),
        "behind": figures.behind,
        "trend": list(reversed(trend)),
    }


def _known_store(db: Database, store_id: str) -> None:
    with db.engine.connect() as conn:
        if conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)) is None:
            raise ApiError("not_found", f"store {store_id!r} not found")


def _operator(user: Principal) -> None:
    if user.role != "admin":
        raise ApiError("forbidden", "only operators see every store")


@router.get("/metrics/stores", summary="Every store's rates and red lines (operator)")
def all_stores(
    user: CurrentUser,
    db: Db,
    now: Now,
    period: PeriodQuery = None,
    start: Annotated[InstantQuery, Query(alias="from")] = None,
    end: Annotated[InstantQuery, Query(alias="to")] = None,
) -> dict[str, Any]:
    _operator(user)
    assessed = _period(period, start, end, now)
    items = []
    for store_id, figures in all_store_metrics(db, assessed).items():
        verdicts = verdicts_json(db, figures, now)
        worst = max((v["share_of_line"] for v in verdicts), default=None)
        items.append(
            {
                "store_id": store_id,
                **figures.total.to_json(),
                "red_lines": [v for v in verdicts if v["level"] != "ok"],
                "worst_share_of_line": worst,
            }
        )
    return {"period": _period_json(assessed), "items": items}


class RedLineIn(Strict):
    metric: Literal["nad_rate", "ruling_rate", "seller_responsibility_rate"]
    threshold: str = Field(
        pattern=r"^\d{1,3}(\.\d{1,4})?%?$", examples=["1.5%"], description="A percentage"
    )
    category: str | None = Field(default=None, min_length=1, max_length=200)
    effective_from: str = Field(max_length=INSTANT_MAX_LENGTH, examples=["2026-04-01T00:00:00Z"])
    note: str | None = Field(default=None, max_length=2000)


def _line_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "category": row.category,
        "metric": row.metric,
        "threshold": row.threshold_ppm / PPM,
        "effective_from": format_instant(row.effective_from),
        "created_at": format_instant(row.created_at),
        "created_by": row.created_by,
        "note": row.note,
    }


@router.get("/red-lines", summary="Every red line set, oldest first, and the defaults")
def list_red_lines(user: CurrentUser, db: Db) -> dict[str, Any]:
    """The history of the lines (each in force from its instant until a later one for the same
    category and metric); the defaults hold where no line was set. Anyone signed in may read
    them: sellers need to know their lines."""
    from disputedesk.rules.redlines import DEFAULT_LINES_PPM

    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.red_lines).order_by(t.red_lines.c.effective_from, t.red_lines.c.id)
        ).all()
    return {
        "defaults": {metric: value / PPM for metric, value in DEFAULT_LINES_PPM.items()},
        "items": [_line_json(r) for r in rows],
    }


@router.post("/red-lines", status_code=201, summary="Set a red line (operator)")
def create_red_line(body: RedLineIn, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    _operator(user)
    effective = parse_instant(body.effective_from)
    if effective is None:
        raise ApiError("invalid_input", "effective_from: a UTC instant YYYY-MM-DDTHH:MM:SSZ")
    line_id = set_red_line(
        db,
        metric=body.metric,
        threshold_ppm=parse_percent(body.threshold),
        category=body.category,
        effective_from=effective,
        by=user.email,
        note=body.note,
        now=now,
    )
    with db.engine.connect() as conn:
        row = conn.execute(select(t.red_lines).where(t.red_lines.c.id == line_id)).one()
    return _line_json(row)


def _penalty_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "store_id": row.store_id,
        "kind": row.kind,
        "category": row.category,
        "metric": row.metric,
        "figure": None if row.figure_ppm is None else row.figure_ppm / PPM,
        "line": None if row.threshold_ppm is None else row.threshold_ppm / PPM,
        "period": {
            "from": format_instant(row.period_from),
            "to": format_instant(row.period_to),
        },
        "dispute": f"{row.order_id}-D{row.dispute_seq}" if row.order_id else None,
        "data": row.data,
        "created_at": format_instant(row.created_at),
    }


@router.get("/stores/{store_id}/penalties", summary="The store's penalties, newest first")
def store_penalties(store_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    require_store_member(user, store_id)
    _known_store(db, store_id)
    p = t.penalties
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(p).where(p.c.store_id == store_id).order_by(p.c.created_at.desc(), p.c.id.desc())
        ).all()
    return {"items": [_penalty_json(r) for r in rows]}


@router.get("/penalties", summary="Every store's penalties (operator)")
def all_penalties(
    user: CurrentUser,
    db: Db,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> dict[str, Any]:
    _operator(user)
    p = t.penalties
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(p).order_by(p.c.created_at.desc(), p.c.id.desc()).limit(limit)
        ).all()
    return {"items": [_penalty_json(r) for r in rows]}


@router.get("/stores/{store_id}/metric-alerts", summary="The store's red-line warnings")
def store_metric_alerts(store_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    require_store_member(user, store_id)
    permissions.require(user, store_id, permissions.SEE_METRICS)  # the figures, again
    _known_store(db, store_id)
    a = t.metric_alerts
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(a).where(a.c.store_id == store_id).order_by(a.c.raised_at.desc(), a.c.id.desc())
        ).all()
    return {
        "items": [
            {
                "id": r.id,
                "category": r.category,
                "metric": r.metric,
                "figure": r.figure_ppm / PPM,
                "line": r.threshold_ppm / PPM,
                "period": {
                    "from": format_instant(r.period_from),
                    "to": format_instant(r.period_to),
                },
                "raised_at": format_instant(r.raised_at),
            }
            for r in rows
        ]
    }


# -- malicious dispute reports --------------------------------------------------------------


class MaliciousReportIn(Strict):
    reason: str = Field(min_length=1, max_length=5000)
    evidence: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        default_factory=list, max_length=50, description="Ids of the dispute's evidence"
    )


class DecisionIn(Strict):
    decision: Literal["upheld", "rejected"]
    note: str = Field(min_length=1, max_length=5000)


def _report_json(report: malicious.Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "dispute": report.dispute,
        "store_id": report.store_id,
        "buyer_id": report.buyer_id,
        "reported_by": report.reported_by,
        "reason": report.reason,
        "evidence": report.evidence,
        "status": report.status,
        "decided_by": report.decided_by,
        "decided_at": format_instant(report.decided_at),
        "decision_note": report.decision_note,
        "created_at": format_instant(report.created_at),
    }


@router.post(
    "/disputes/{dispute_id}/malicious-report",
    status_code=201,
    summary="Report the dispute as malicious (the store's staff)",
)
def report_malicious(
    dispute_id: str, body: MaliciousReportIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    from disputedesk.services.desk import parse_dispute_id

    parsed = parse_dispute_id(dispute_id)
    if parsed is None:
        raise ApiError("not_found", f"dispute {dispute_id!r} not found")
    order_id, seq = parsed
    if user.role != "seller":
        raise ApiError("forbidden", "only the store's staff report a dispute")
    with db.engine.connect() as conn:
        store_id = conn.scalar(select(t.orders.c.store_id).where(t.orders.c.id == order_id))
    if store_id is None or not user.member_of(store_id):
        raise ApiError("not_found", f"dispute {dispute_id!r} not found")
    report = malicious.report_dispute(
        db,
        order_id,
        seq,
        reason=body.reason,
        evidence=body.evidence,
        reported_by=user.email,
        now=now,
    )
    return _report_json(report)


@router.get("/malicious-reports", summary="Malicious dispute reports (operator)")
def list_malicious_reports(
    user: CurrentUser,
    db: Db,
    status: Annotated[Literal["pending", "upheld", "rejected"] | None, Query()] = None,
    store_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
) -> dict[str, Any]:
    _operator(user)
    items = malicious.reports(db, status=status, store_id=store_id)
    with db.engine.connect() as conn:
        flags = malicious.buyer_flags(conn, [r.buyer_id for r in items])
    return {
        "items": [
            {**_report_json(r), "buyer_upheld_reports": flags.get(r.buyer_id, 0)} for r in items
        ]
    }


@router.post(
    "/malicious-reports/{report_id}/decision", summary="Uphold or reject a report (operator)"
)
def decide_malicious(
    report_id: RowId, body: DecisionIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    _operator(user)
    report = malicious.decide(
        db, report_id, decision=body.decision, note=body.note, decided_by=user.email, now=now
    )
    return _report_json(report)
