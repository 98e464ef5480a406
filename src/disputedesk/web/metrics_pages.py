"""The seller's side of seed 002's numbers (issue 14): the metrics dashboard
(`/desk/store/metrics`: the three rates with their counts and red lines, a 12-week trend per
rate drawn on the server, the breakdowns, the penalties), the disputes behind every count
(`/desk/store/metrics/behind`), the red-line warnings at the top of the inbox
(`metric_banner`), and a dispute reported as malicious from its page (`malicious_extras`, the
form at `/desk/disputes/{id}/malicious-report`).

Every figure is `services.metrics.store_metrics`' (the API's and `disputedesk report metrics`'),
every line and level `rules.redlines`'; this module only lays them out and says them in words.
The owner sees them, and agents with the `see_metrics` permission (`services.permissions`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Annotated, Any
from urllib.parse import urlencode

from babel.dates import format_date
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select

from disputedesk.api.errors import CODES
from disputedesk.rules.metrics import (
    DIMENSIONS,
    METRIC_ACTIONS,
    UNKNOWN,
    Counts,
    Metrics,
    OrderFacts,
    Period,
    facts_of,
    history_from_events,
)
from disputedesk.rules.redlines import PPM, RedLine, Verdict, judge, line_for, lines_in_force
from disputedesk.rules.vocabulary import NOT_AS_DESCRIBED, reason_category
from disputedesk.services import desk, malicious, permissions
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError
from disputedesk.services.metrics import parse_period, store_metrics, upheld_malicious
from disputedesk.services.redlines import red_lines
from disputedesk.services.returns import store_names
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.web import i18n, uploads, words
from disputedesk.web.charts import LineChart, Point, line_chart
from disputedesk.web.render import (
    PageError,
    View,
    check_csrf,
    confirm_page,
    database,
    page,
    require_role,
    view_of,
)
from disputedesk.web.store_pages import country_name

router = APIRouter(prefix="/desk", include_in_schema=False)

# the periods the API takes (`30d`, any N days up to now, or a calendar month `YYYY-MM`)
PERIOD = re.compile(r"^([1-9][0-9]{0,3}d|[0-9]{4}-(0[1-9]|1[0-2]))$")
DEFAULT_PERIOD = "30d"
ROLLING = ("30d", "60d", "90d")
MONTHS_OFFERED = 12
WEEKS = 12  # the trend, as the API's
ALERT_WINDOW = timedelta(days=7)  # the inbox banner: the newest week's warnings, this week's
BEHIND_PAGE = 100
CHUNK = 500  # ids per IN (...) when reading the orders behind a figure
MAX_EVIDENCE = 50  # evidence items one report points to (the API's bound)

COUNTS = (
    "orders_assessed",
    "nad_orders",
    "disputes_opened",
    "disputes_escalated",
    "seller_responsible_rulings",
)
# each rate: (numerator, denominator)
RATES: dict[str, tuple[str, str]] = {
    "nad_rate": ("nad_orders", "orders_assessed"),
    "ruling_rate": ("disputes_escalated", "disputes_opened"),
    "seller_responsibility_rate": ("seller_responsible_rulings", "orders_assessed"),
}
ORDER_FIGURES = frozenset({"orders_assessed", "nad_orders"})  # behind them: orders, not disputes
# by reason, these are the store's own denominators (rules.metrics: each reason's numerators
# over the store's denominators), so the disputes behind them are the store's
STORE_DENOMINATORS = frozenset({"orders_assessed", "disputes_opened"})
LEVELS = ("ok", "near", "over")

_DATE = {"en": "d MMM y", "zh_CN": "y年M月d日"}
_SHORT_DATE = {"en": "d MMM", "zh_CN": "M/d"}  # fits twelve on an axis
# a month alone is named in its standalone form (LLLL: "март 2026", not "марта 2026")
_MONTH = {"en": "MMMM y", "zh_CN": "y年M月"}


# -- who may see which store's figures --------------------------------------------------------


def metric_stores(principal: Principal) -> list[str]:
    """The stores whose figures this person may see: a seller's, as owner or as an agent with
    the `see_metrics` permission."""
    if principal.role != "seller":
        return []
    return sorted(
        s for s in principal.stores if permissions.may(principal, s, permissions.SEE_METRICS)
    )


def _chosen_store(view: View, store: str | None) -> str:
    assert view.session is not None
    principal = view.session.principal
    if store:
        if not principal.member_of(store):
            raise PageError(404, "error.not_found", "not_found", f"store {store!r}")
        if not permissions.may(principal, store, permissions.SEE_METRICS):
            raise PageError(403, "metrics.not_allowed", "forbidden")
        return store
    allowed = metric_stores(principal)
    if not allowed:
        raise PageError(403, "metrics.not_allowed", "forbidden")
    return allowed[0]


def _period(view: View, text: str | None) -> tuple[str, Period]:
    chosen = (text or DEFAULT_PERIOD).strip()
    if not PERIOD.match(chosen):
        raise PageError(422, "metrics.bad_period", "invalid_input", chosen)
    try:
        return chosen, parse_period(chosen, view.now)
    except ValueError as exc:
        raise PageError(422, "metrics.bad_period", "invalid_input", str(exc)) from None


# -- words ------------------------------------------------------------------------------------


def percent(rate: Fraction | float | None) -> str:
    """A rate as a percentage with two decimals ("12.50%"); a dash when it has no figure."""
    if rate is None:
        return "—"
    return f"{float(rate) * 100:.2f}%"


def _tick(value: float) -> str:
    text = f"{value * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _day(value: date | datetime, locale: str, *, short: bool = False) -> str:
    patterns = _SHORT_DATE if short else _DATE
    pattern = patterns.get(locale, patterns["en"])
    return format_date(value, pattern, locale=i18n.babel_locale(locale))


def _local_day(view: View, at: datetime) -> date:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(view.time_zone)).date()


def month_words(year: int, month: int, locale: str) -> str:
    return format_date(
        date(year, month, 1), _MONTH.get(locale, "LLLL y"), locale=i18n.babel_locale(locale)
    )


def period_words(view: View, text: str, period: Period) -> str:
    """The period as the selector names it, and its instants: "The last 30 days (24 Oct 2026
    06:00 to 23 Nov 2026 06:00)", "November 2026"."""
    if text.endswith("d"):
        return view.t(
            "metrics.period.rolling_span",
            days=int(text[:-1]),
            start=view.when(period.start),
            end=view.when(period.end),
            zone=view.zone(),
        )
    return view.t(
        "metrics.period.month_span",
        month=month_words(period.start.year, period.start.month, view.locale),
    )


def utc_period_words(view: View, start: datetime | None, end: datetime | None) -> str:
    """A stored period (a penalty's, a warning's): a calendar month by its name, any other by
    its first and last day (UTC)."""
    if start is None or end is None:
        return ""
    is_month = (
        start.day == 1
        and start.hour == start.minute == start.second == 0
        and end == datetime(start.year + (start.month == 12), start.month % 12 + 1, 1, tzinfo=UTC)
    )
    if is_month:
        return month_words(start.year, start.month, view.locale)
    last = end - timedelta(microseconds=1)
    return view.t(
        "metrics.period.days_utc",
        start=_day(start.astimezone(UTC), view.locale),
        end=_day(last.astimezone(UTC), view.locale),
    )


def key_words(view: View, dimension: str, key: str) -> str:
    """A breakdown's key in words: a reason's name, a country's, or the key as the orders have
    it (a category, a carrier); the orders without one as "not given"."""
    if dimension == "store":
        return view.t("metrics.dimension_caption.store")
    if key == UNKNOWN:
        return view.t("metrics.key.unknown")
    if dimension == "reason":
        return view.reason(key)
    if dimension == "country":
        name = country_name(key, view.locale)
        return f"{name} ({key})" if name and name != key else key
    return key


def period_choices(view: View) -> list[tuple[str, str]]:
    """The selector's periods: the last 30, 60 and 90 days, then the calendar months (this one
    first)."""
    choices = [(p, view.t("metrics.period.rolling", days=int(p[:-1]))) for p in ROLLING]
    year, month = view.now.year, view.now.month
    for _ in range(MONTHS_OFFERED):
        choices.append((f"{year:04d}-{month:02d}", month_words(year, month, view.locale)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return choices


# -- the dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """A count with the link to what is behind it."""

    figure: str
    value: int
    href: str


@dataclass(frozen=True, slots=True)
class RateCell:
    metric: str
    rate: Fraction | None
    text: str
    level: str | None = None  # a category's level against its line
    line_text: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a breakdown (or the store's): its counts and rates."""

    dimension: str
    key: str
    words: str
    counts: dict[str, Cell]
    rates: dict[str, RateCell]


@dataclass(frozen=True, slots=True)
class Week:
    start: datetime
    end: datetime
    words: str  # "10 Nov – 16 Nov"
    rate: Fraction | None
    numerator: int
    denominator: int


@dataclass(slots=True)
class RateCard:
    """One of the three rates: the figure, its counts, its red line(s), its level, its trend."""

    metric: str
    rate: Fraction | None
    numerator: Cell
    denominator: Cell
    lines: list[RedLine]  # the lines in force for the store's categories, lowest first
    level: str | None  # the worst of the categories' levels (None: no figure anywhere)
    at_level: int  # how many categories are at that level
    judged: int  # how many categories have a figure
    weeks: list[Week] = field(default_factory=list)
    chart: Markup = field(default_factory=Markup)

    @property
    def line(self) -> RedLine:
        return self.lines[0]

    @property
    def lines_differ(self) -> bool:
        return len({line.threshold for line in self.lines}) > 1


@dataclass(frozen=True, slots=True)
class PenaltyLine:
    id: int
    kind: str  # red_line / counterfeit
    metric: str | None
    category: str | None
    figure: str
    line: str
    period: str
    created_at: datetime
    behind: list[tuple[str, str]]  # (href, text)


@dataclass(frozen=True, slots=True)
class AlertLine:
    store_id: str
    store_name: str
    metric: str
    category: str | None
    figure: str
    line: str
    level: str  # near / over
    raised_at: datetime
    period: str


def behind_href(
    store: str, period: str, figure: str, dimension: str | None = None, key: str | None = None
) -> str:
    """The list of what is behind a count: the store's, or one breakdown row's (by reason, the
    denominators are the store's own, so their list is the store's)."""
    params = {"store": store, "period": period, "figure": figure}
    store_list = dimension == "reason" and figure in STORE_DENOMINATORS
    if dimension in DIMENSIONS and key is not None and not store_list:
        params.update({"by": dimension, "key": key})
    return "/desk/store/metrics/behind?" + urlencode(params)


def number(rate: Fraction | float | None) -> str:
    """A rate as the API writes it (a JSON number; empty for none): the pages' data attributes."""
    return "" if rate is None else repr(float(rate))


def _row(
    view: View,
    store: str,
    period: str,
    dimension: str,
    key: str,
    counts: Counts,
    verdicts: dict[tuple[str, str], Verdict],
) -> Row:
    cells = {
        name: Cell(name, getattr(counts, name), behind_href(store, period, name, dimension, key))
        for name in COUNTS
    }
    rates = {}
    for metric in RATES:
        rate = getattr(counts, metric)
        verdict = verdicts.get((key, metric)) if dimension == "category" else None
        rates[metric] = RateCell(
            metric,
            rate,
            percent(rate),
            verdict.level if verdict else None,
            percent(verdict.line.threshold) if verdict else "",
        )
    return Row(dimension, key, key_words(view, dimension, key), cells, rates)


def weekly(db: Database, store_id: str, now: datetime) -> list[tuple[Period, Counts]]:
    """The store's figures week by week, the last `WEEKS` weeks up to now (the API's trend)."""
    weeks = []
    end = now
    for _ in range(WEEKS):
        week = Period(end - timedelta(days=7), end)
        weeks.append((week, store_metrics(db, store_id, week).total))
        end = week.start
    return list(reversed(weeks))


def _lines(db: Database, at: datetime) -> dict[tuple[str | None, str], RedLine]:
    with db.engine.connect() as conn:
        return lines_in_force(red_lines(conn), at)


def rate_cards(
    view: View,
    store: str,
    period_text: str,
    figures: Metrics,
    verdicts: list[Verdict],
    lines: dict[tuple[str | None, str], RedLine],
    weeks: list[tuple[Period, Counts]],
) -> list[RateCard]:
    cards = []
    categories = sorted(figures.by["category"])
    for metric, (numerator, denominator) in RATES.items():
        mine = [v for v in verdicts if v.metric == metric]
        worst = max((LEVELS.index(v.level) for v in mine), default=None)
        level = None if worst is None else LEVELS[worst]
        applied = [line_for(lines, c, metric) for c in categories] or [lines[(None, metric)]]
        unique = {(line.category, line.threshold): line for line in applied}
        total = figures.total
        card = RateCard(
            metric=metric,
            rate=getattr(total, metric),
            numerator=Cell(
                numerator,
                getattr(total, numerator),
                behind_href(store, period_text, numerator),
            ),
            denominator=Cell(
                denominator,
                getattr(total, denominator),
                behind_href(store, period_text, denominator),
            ),
            lines=sorted(unique.values(), key=lambda line: line.threshold),
            level=level,
            at_level=sum(1 for v in mine if v.level == level),
            judged=len(mine),
        )
        for week, counts in weeks:
            card.weeks.append(
                Week(
                    week.start,
                    week.end,
                    view.t(
                        "metrics.week.span", start=view.when(week.start), end=view.when(week.end)
                    ),
                    getattr(counts, metric),
                    getattr(counts, numerator),
                    getattr(counts, denominator),
                )
            )
        card.chart = _chart(view, card)
        cards.append(card)
    return cards


def _chart(view: View, card: RateCard) -> Markup:
    name = view.t(f"metrics.rate.{card.metric}")
    line = card.line
    line_words = view.t(
        "metrics.chart.lowest_line" if card.lines_differ else "metrics.chart.line",
        line=percent(line.threshold),
    )
    short = view.t("metrics.chart.line", line=percent(line.threshold))
    points = [
        Point(
            _day(_local_day(view, week.start), view.locale, short=True),
            None if week.rate is None else float(week.rate),
            percent(week.rate) if week.rate is not None else "—",
        )
        for week in card.weeks
    ]
    latest = card.weeks[-1] if card.weeks else None
    return line_chart(
        LineChart(
            id=f"chart-{card.metric.replace('_', '-')}",
            title=view.t("metrics.chart.title", rate=name, weeks=WEEKS),
            desc=view.t(
                "metrics.chart.desc",
                rate=name,
                weeks=WEEKS,
                line=line_words,
                latest=percent(latest.rate) if latest else "—",
                highest=percent(
                    max((w.rate for w in card.weeks if w.rate is not None), default=None)
                ),
            ),
            x_label=view.t("metrics.chart.x_axis"),
            y_label=view.t("metrics.chart.y_axis"),
            points=points,
            tick_text=_tick,
            line=float(line.threshold),
            line_text=short,
        )
    )


def _categories(db: Database, order_ids: Iterable[str]) -> dict[str, str]:
    """Each order's product category (`unknown` for none), as the figures key it."""
    wanted = sorted(set(order_ids))
    found: dict[str, str] = {}
    with db.engine.connect() as conn:
        for chunk in _chunks(wanted):
            for row in conn.execute(
                select(t.orders.c.id, t.orders.c.category).where(t.orders.c.id.in_(chunk))
            ):
                found[row.id] = row.category or UNKNOWN
    return found


def penalty_lines(view: View, db: Database, store_id: str) -> list[PenaltyLine]:
    """The store's penalties, newest first, with the orders (NAD rate) or disputes behind each.
    A red-line penalty is one category's, and the assessment records the numerator's items of
    the whole store: only that category's are shown behind it."""
    p = t.penalties
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(p)
            .where(p.c.store_id == store_id)
            .order_by(p.c.created_at.desc(), p.c.id.desc())
            .limit(200)
        ).all()

    def items_of(row: Any) -> list[str]:
        data = row.data if isinstance(row.data, dict) else {}
        return [str(item) for item in data.get("disputes") or []]

    categories = _categories(
        db,
        (
            _order_of("nad_orders" if row.metric == "nad_rate" else "disputes_opened", item)[0]
            for row in rows
            if row.kind == "red_line"
            for item in items_of(row)
        ),
    )
    lines = []
    for row in rows:
        behind: list[tuple[str, str]] = []
        if row.kind == "counterfeit" and row.order_id:
            label = desk.dispute_id(row.order_id, row.dispute_seq or 1)
            behind.append((f"/desk/disputes/{label}", label))
        else:
            orders = row.metric == "nad_rate"  # the NAD orders; else disputes
            figure = "nad_orders" if orders else "disputes_opened"
            for item in items_of(row):
                order_id = _order_of(figure, item)[0]
                if row.category is not None and categories.get(order_id) != row.category:
                    continue
                kind = "orders" if orders else "disputes"
                behind.append((f"/desk/{kind}/{item}", item))
        lines.append(
            PenaltyLine(
                row.id,
                row.kind,
                row.metric,
                row.category,
                percent(None if row.figure_ppm is None else Fraction(row.figure_ppm, PPM)),
                percent(None if row.threshold_ppm is None else Fraction(row.threshold_ppm, PPM)),
                utc_period_words(view, row.period_from, row.period_to),
                row.created_at,
                behind,
            )
        )
    return lines


def alert_lines(view: View, db: Database, store_ids: Iterable[str]) -> list[AlertLine]:
    """The red-line warnings of these stores to show now: of each store's warnings raised in the
    last 7 days and not dismissed, those of its newest week (a store still near or over a line
    is warned again each week, so an older one is out of date). Over first, then near."""
    ids = list(store_ids)
    if not ids:
        return []
    a = t.metric_alerts
    now = view.now
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(a)
            .where(a.c.store_id.in_(ids))
            .where(a.c.dismissed_at.is_(None))
            .where(a.c.raised_at > now - ALERT_WINDOW)
            .where(a.c.raised_at <= now)
            .order_by(a.c.raised_at.desc(), a.c.id)
        ).all()
    names = store_names(db, ids)
    newest: dict[str, tuple[int, int]] = {}
    shown = []
    for row in rows:
        week = tuple(row.raised_at.isocalendar())[:2]
        if newest.setdefault(row.store_id, week) != week:  # type: ignore[arg-type]
            continue
        level = "over" if row.figure_ppm > row.threshold_ppm else "near"
        shown.append(
            AlertLine(
                row.store_id,
                names.get(row.store_id, row.store_id),
                row.metric,
                row.category,
                percent(Fraction(row.figure_ppm, PPM)),
                percent(Fraction(row.threshold_ppm, PPM)),
                level,
                row.raised_at,
                utc_period_words(view, row.period_from, row.period_to),
            )
        )
    metric_order = list(RATES)
    shown.sort(
        key=lambda x: (
            ids.index(x.store_id),
            x.level != "over",
            metric_order.index(x.metric) if x.metric in metric_order else 9,
            x.category or "",
        )
    )
    return shown


def metric_banner(db: Database, view: View) -> dict[str, Any]:
    """The inbox's red-line warnings (`metric_alerts` in its template): for the stores whose
    figures the reader may see."""
    if view.session is None or view.role != "seller":
        return {"metric_alerts": []}
    return {"metric_alerts": alert_lines(view, db, metric_stores(view.session.principal))}


@router.get("/store/metrics")
def metrics_page(
    request: Request,
    store: Annotated[str | None, Query(max_length=64)] = None,
    period: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    """The store's three rates over the period (30 days by default), their red lines and
    levels, the 12-week trend, the breakdowns and the penalties; every count a link to what is
    behind it."""
    view = view_of(request)
    require_role(view, "seller")
    assert view.session is not None
    db = database(request)
    store_id = _chosen_store(view, store)
    period_text, assessed = _period(view, period)
    figures = store_metrics(db, store_id, assessed)
    lines = _lines(db, min(assessed.end, view.now))  # as the API judges
    verdicts = judge(figures, lines)
    by_key = {(v.category, v.metric): v for v in verdicts}
    cards = rate_cards(
        view, store_id, period_text, figures, verdicts, lines, weekly(db, store_id, view.now)
    )
    breakdowns = {
        dimension: [
            _row(view, store_id, period_text, dimension, key, counts, by_key)
            for key, counts in sorted(figures.by[dimension].items())
        ]
        for dimension in DIMENSIONS
    }
    allowed = metric_stores(view.session.principal)
    names = store_names(db, allowed)
    return page(
        view,
        "metrics.html",
        store_id=store_id,
        store_name=names.get(store_id, store_id),
        stores=[(s, names.get(s, s)) for s in allowed],
        period=period_text,
        period_words=period_words(view, period_text, assessed),
        periods=period_choices(view),
        total=_row(view, store_id, period_text, "store", "", figures.total, {}),
        cards=cards,
        breakdowns=breakdowns,
        dimensions=DIMENSIONS,
        counts=COUNTS,
        rates=list(RATES),
        percent=percent,
        number=number,
        verdicts=verdicts,
        penalties=penalty_lines(view, db, store_id),
        metric_alerts=alert_lines(view, db, [store_id]),
        reports=malicious.reports(db, store_id=store_id, limit=50),
        key_words=lambda dimension, key: key_words(view, dimension, key),
        weeks=WEEKS,
    )


# -- the disputes behind a figure -------------------------------------------------------------


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def order_facts_of(db: Database, order_ids: Iterable[str]) -> dict[str, OrderFacts]:
    """The facts `rules.metrics` reads of these orders (their keys, their disputes' reasons
    and instants), from their event logs, as the figures read them."""
    wanted = sorted(set(order_ids))
    o, e = t.orders, t.events
    found: dict[str, OrderFacts] = {}
    with db.engine.connect() as conn:
        for chunk in _chunks(wanted):
            keys = {
                row.id: (row.category, row.destination_country)
                for row in conn.execute(
                    select(o.c.id, o.c.category, o.c.destination_country).where(o.c.id.in_(chunk))
                )
            }
            logged: dict[str, list[tuple[datetime, str, Any]]] = {}
            for row in conn.execute(
                select(e.c.order_id, e.c.at, e.c.action, e.c.data)
                .where(e.c.order_id.in_(chunk))
                .where(e.c.action.in_(sorted(METRIC_ACTIONS)))
                .order_by(e.c.order_id, e.c.seq)
            ):
                logged.setdefault(row.order_id, []).append((row.at, row.action, row.data or {}))
            for order_id, (category, country) in keys.items():
                history = history_from_events(order_id, category, country, logged.get(order_id, []))
                found[order_id] = facts_of(history)
    return found


def _order_of(figure: str, item: str) -> tuple[str, int | None]:
    if figure in ORDER_FIGURES:
        return item, None
    parsed = desk.parse_dispute_id(item)
    return parsed if parsed is not None else (item, None)


def behind_items(
    db: Database,
    store_id: str,
    figures: Metrics,
    figure: str,
    dimension: str | None = None,
    key: str | None = None,
) -> list[str]:
    """What makes up a count: the orders (orders assessed, NAD orders) or the disputes
    ("ORDER-D1") behind the store's figure, or behind one breakdown row's. A breakdown by
    category, country or carrier splits the orders; by reason, a reason's NAD orders are those
    with a not-as-described dispute of that reason counted in the period, and its escalated
    and seller-responsible disputes those of that reason."""
    items = list(figures.behind.get(figure, []))
    if dimension is None or key is None:
        return items
    if dimension == "reason" and figure in STORE_DENOMINATORS:
        return items
    facts = order_facts_of(db, (_order_of(figure, item)[0] for item in items))
    if dimension in ("category", "country", "carrier"):

        def key_of(item: str) -> str | None:
            found = facts.get(_order_of(figure, item)[0])
            return None if found is None else (getattr(found, dimension) or UNKNOWN)

        return [item for item in items if key_of(item) == key]
    period = figures.period
    if figure == "nad_orders":
        with db.engine.connect() as conn:
            excluded = upheld_malicious(conn, store_id)

        def nad_of_reason(order_id: str) -> bool:
            found = facts.get(order_id)
            return found is not None and any(
                d.reason == key
                and reason_category(d.reason) == NOT_AS_DESCRIBED
                and period.holds(d.opened_at)
                and not (d.cancelled_at is not None and d.cancelled_at < period.end)
                and (order_id, d.seq) not in excluded
                for d in found.disputes
            )

        return [item for item in items if nad_of_reason(item)]

    def reason_of(item: str) -> str | None:
        order_id, seq = _order_of(figure, item)
        found = facts.get(order_id)
        if found is None or seq is None:
            return None
        return next((d.reason for d in found.disputes if d.seq == seq), None)

    return [item for item in items if reason_of(item) == key]


@dataclass(frozen=True, slots=True)
class BehindLine:
    """One order or dispute behind a figure, as its list shows it."""

    id: str
    href: str
    order_id: str
    status: str  # the dispute's status, or the order's
    reason: str | None
    opened_at: datetime | None
    category: str | None
    country: str | None
    carrier: str | None


def behind_lines(db: Database, figure: str, items: list[str]) -> list[BehindLine]:
    pairs = [_order_of(figure, item) for item in items]
    order_ids = sorted({order_id for order_id, _ in pairs})
    o, d = t.orders, t.disputes
    orders: dict[str, Any] = {}
    disputes: dict[tuple[str, int], Any] = {}
    with db.engine.connect() as conn:
        for chunk in _chunks(order_ids):
            for row in conn.execute(
                select(
                    o.c.id, o.c.status, o.c.category, o.c.destination_country, o.c.carrier
                ).where(o.c.id.in_(chunk))
            ):
                orders[row.id] = row
            if figure not in ORDER_FIGURES:
                for row in conn.execute(
                    select(d.c.order_id, d.c.seq, d.c.status, d.c.reason, d.c.opened_at).where(
                        d.c.order_id.in_(chunk)
                    )
                ):
                    disputes[(row.order_id, row.seq)] = row
    lines = []
    for item, (order_id, seq) in zip(items, pairs, strict=True):
        order = orders.get(order_id)
        dispute = disputes.get((order_id, seq)) if seq is not None else None
        lines.append(
            BehindLine(
                id=item,
                href=f"/desk/disputes/{item}" if seq is not None else f"/desk/orders/{item}",
                order_id=order_id,
                status=(dispute.status if dispute else order.status if order else ""),
                reason=dispute.reason if dispute else None,
                opened_at=dispute.opened_at if dispute else None,
                category=order.category if order else None,
                country=order.destination_country if order else None,
                carrier=order.carrier if order else None,
            )
        )
    return lines


@router.get("/store/metrics/behind")
def behind_page(
    request: Request,
    figure: Annotated[str, Query(max_length=40)],
    store: Annotated[str | None, Query(max_length=64)] = None,
    period: Annotated[str | None, Query(max_length=20)] = None,
    by: Annotated[str | None, Query(max_length=20)] = None,
    key: Annotated[str | None, Query(max_length=200)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> HTMLResponse:
    """The orders or disputes behind one count of the dashboard, each linked to its page."""
    view = view_of(request)
    require_role(view, "seller")
    db = database(request)
    store_id = _chosen_store(view, store)
    period_text, assessed = _period(view, period)
    if figure not in COUNTS:
        raise PageError(404, "error.not_found", "not_found", f"figure {figure!r}")
    if by is not None and (by not in DIMENSIONS or key is None):
        raise PageError(404, "error.not_found", "not_found", f"breakdown {by!r}")
    figures = store_metrics(db, store_id, assessed)
    dimension = (
        by if by is not None and not (by == "reason" and figure in STORE_DENOMINATORS) else None
    )
    items = behind_items(db, store_id, figures, figure, dimension, key)
    shown = items[offset : offset + BEHIND_PAGE]
    query = {k: v for k, v in request.query_params.items() if k != "offset" and v}
    return page(
        view,
        "metrics_behind.html",
        store_id=store_id,
        store_name=store_names(db, [store_id]).get(store_id, store_id),
        period=period_text,
        period_words=period_words(view, period_text, assessed),
        figure=figure,
        dimension=dimension,
        key=key,
        key_text=key_words(view, dimension, key) if dimension and key is not None else "",
        total=len(items),
        lines=behind_lines(db, figure, shown),
        disputes=figure not in ORDER_FIGURES,
        offset=offset,
        has_more=offset + BEHIND_PAGE < len(items),
        query_next=urlencode({**query, "offset": offset + BEHIND_PAGE}),
        query_prev=urlencode({**query, "offset": max(0, offset - BEHIND_PAGE)}),
        back=f"/desk/store/metrics?{urlencode({'store': store_id, 'period': period_text})}",
        country_name=lambda code: country_name(code, view.locale) if code else "",
    )


# -- a dispute reported as malicious (the seller's side) ---------------------------------------


@dataclass(frozen=True, slots=True)
class MaliciousCard:
    """What the dispute page shows of the store's report: the report (its status, the
    operator's note), or the form while the dispute is not reported."""

    dispute_id: str
    report: malicious.Report | None
    evidence: list[Any]  # the dispute's evidence, to point to
    form: dict[str, Any]

    @property
    def chosen(self) -> set[str]:
        """The evidence ids the form had ticked (kept when it comes back refused)."""
        return {
            part.strip()
            for value in self.form.get("evidence") or []
            for part in str(value).split(",")
            if part.strip()
        }

    @property
    def pointed(self) -> list[Any]:
        """The evidence the report points to (the ids among the dispute's)."""
        if self.report is None:
            return []
        chosen = {str(item) for item in self.report.evidence}
        return [e for e in self.evidence if str(e.id) in chosen]


def report_of(db: Database, order_id: str, seq: int) -> malicious.Report | None:
    m = t.malicious_reports
    with db.engine.connect() as conn:
        row = conn.execute(
            select(m).where(m.c.order_id == order_id).where(m.c.dispute_seq == seq)
        ).first()
    return None if row is None else malicious.Report.of(row)


def malicious_extras(request: Request, view: View, case: desk.DisputeCase) -> dict[str, Any]:
    """The dispute page's part (`malicious` in its template): for the store's staff, the
    report's status, or the form to report the dispute; nothing for anyone else."""
    principal = view.session.principal if view.session else None
    if principal is None or view.role != "seller" or not principal.member_of(case.card.store_id):
        return {"malicious": None}
    report = report_of(database(request), case.card.order.id, case.seq)
    form = getattr(request.state, "malicious_form", None) or {"reason": "", "evidence": []}
    return {"malicious": MaliciousCard(case.id, report, case.evidence, form)}


def _staff_case(request: Request, view: View, dispute_id: str) -> desk.DisputeCase:
    assert view.session is not None
    try:
        case = desk.dispute_case(
            database(request), view.session.principal, dispute_id, now=view.now
        )
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None
    if not view.session.principal.member_of(case.card.store_id):
        raise PageError(404, "error.not_found", "not_found", dispute_id)
    return case


def _report_page(
    request: Request,
    view: View,
    case: desk.DisputeCase,
    *,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    extras = malicious_extras(request, view, case)
    return page(
        view,
        "malicious_report.html",
        status=status,
        case=case,
        error=error,
        **extras,
    )


@router.get("/disputes/{dispute_id}/malicious-report")
def malicious_report_form(request: Request, dispute_id: str) -> HTMLResponse:
    """The report form on a page of its own (the dispute page has it too): the reason, the
    evidence to point to; or the report's status once it is sent."""
    view = view_of(request)
    require_role(view, "seller")
    return _report_page(request, view, _staff_case(request, view, dispute_id))


def _evidence_choice(values: list[str], case: desk.DisputeCase) -> list[int] | None:
    """The evidence ids ticked (or carried by the confirmation step), each one of this
    dispute's; None when one is not."""
    known = {e.id for e in case.evidence}
    chosen: list[int] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isascii() or not part.isdigit() or len(part) > 18:
                return None
            number = int(part)
            if number not in known:
                return None
            if number not in chosen:
                chosen.append(number)
    return chosen


def refusal_status(code: str) -> int:
    return CODES.get(code, (409, ""))[0]


@router.post("/disputes/{dispute_id}/malicious-report")
def report_malicious(
    request: Request,
    dispute_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form()] = "",
    evidence: Annotated[list[str] | None, Form()] = None,
    evidence_ids: Annotated[str, Form(max_length=2000)] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The store's report that a dispute is malicious: checked whole (a reason, the dispute's
    own evidence), confirmed (it cannot be withdrawn: one report per dispute), then sent to
    `services.malicious.report_dispute`; an operator upholds or rejects it."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    require_role(view, "seller")
    assert view.session is not None
    case = _staff_case(request, view, dispute_id)
    ticked = [*(evidence or []), evidence_ids]
    request.state.malicious_form = {"reason": reason, "evidence": ticked}

    def refuse(message: str, status: int) -> HTMLResponse:
        return _report_page(request, view, case, error=message, status=status)

    if report_of(database(request), case.card.order.id, case.seq) is not None:
        return refuse(view.t("malicious.already"), 409)
    if not reason.strip():
        return refuse(view.t("malicious.reason_required"), 422)
    refused = uploads.too_long(
        view, {"malicious_reason": reason}, {"malicious_reason": malicious.MAX_REASON}
    )
    if refused is not None:
        return refuse(refused.message, refused.status)
    chosen = _evidence_choice(ticked, case)
    if chosen is None or len(chosen) > MAX_EVIDENCE:
        return refuse(view.t("malicious.evidence_unknown"), 422)
    if confirm != "yes":
        return confirm_page(
            view,
            sentences=[
                view.t("malicious.confirm", id=case.id),
                view.t("malicious.confirm_reason", reason=reason.strip()),
                view.t("malicious.confirm_evidence", count=len(chosen))
                if chosen
                else view.t("malicious.confirm_no_evidence"),
                view.t("malicious.confirm_then"),
            ],
            action_url=f"/desk/disputes/{case.id}/malicious-report",
            back_url=f"/desk/disputes/{case.id}#malicious",
            label=view.t("malicious.submit"),
            fields={"reason": reason, "evidence_ids": ",".join(str(n) for n in chosen)},
        )
    try:
        malicious.report_dispute(
            database(request),
            case.card.order.id,
            case.seq,
            reason=reason,
            evidence=chosen,
            reported_by=view.session.principal.email,
            now=request.app.state.clock(),
        )
    except ServiceError as exc:
        if exc.code == "conflict":
            return refuse(view.t("malicious.already"), 409)
        message = words.service_error(exc.code, exc.message, locale=view.locale)
        return refuse(message, refusal_status(exc.code))
    return RedirectResponse(f"/desk/disputes/{case.id}?done=report_malicious#malicious", 303)
