"""A marketplace's event log at scale for the metrics benchmark, written set-based (one
INSERT ... SELECT per table and chunk of orders; a recursive CTE on SQLite, generate_series on
PostgreSQL), never through the services: N orders over M stores with realistic dispute shares.

Every order is shipped; then (by a hash of its number, so both databases hold the same rows):
4% are still in transit, 54% confirmed by the buyer, 30% auto-completed, 12% disputed. Of the
disputes: 22% cancelled by the buyer (then confirmed), 33% accepted by the seller, 15% escalated
by the buyer and ruled (two thirds against the seller), 5% auto-escalated and ruled with no
responsibility, 5% auto-escalated and auto-ruled, 10% still negotiating, 5% cancelled and opened
again (the second escalated and ruled against the seller), 5% just opened. Half the reasons are
not-as-described ones. One escalated dispute in twenty has an upheld malicious report.

Orders are placed over 14 days from `now - 40 days`; the events of an order fall before `now`
(about 90% of the orders are assessed in the 30 days up to `now`). Each chunk of orders' events
is written in the order they happened, as a log is, so an order's events lie apart.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from disputedesk.rules.vocabulary import REASONS
from disputedesk.store.db import Database

NOW = datetime(2026, 6, 1, tzinfo=UTC)
CATEGORIES = (
    "apparel/shoes",
    "apparel/dresses",
    "electronics/phones",
    "electronics/audio",
    "home/kitchen",
    "beauty",
    "toys",
    "sports",
)
COUNTRIES = ("BR", "US", "FR", "ES", "PL", "RU", "KR", "MX", "NL", "IL")
CARRIERS = ("China Post", "Cainiao", "YunExpress", "4PX", "DHL", "Correios")
REASON_CODES = tuple(REASONS)  # 7 not_received, then 7 not_as_described
DAY = 86_400
HOUR = 3_600

# The order's kind (0: in transit ... 10: a dispute just opened): k = a % 1000, s = a/1000 % 100
KIND = (
    "CASE WHEN k < 40 THEN 0 WHEN k < 580 THEN 1 WHEN k < 880 THEN 2 "
    "WHEN s < 22 THEN 3 WHEN s < 55 THEN 4 WHEN s < 70 THEN 5 WHEN s < 75 THEN 6 "
    "WHEN s < 80 THEN 7 WHEN s < 90 THEN 8 WHEN s < 95 THEN 9 ELSE 10 END"
)
Event = tuple[str, str, str, str]  # action, actor, instant (seconds expression), data (JSON text)
_OPEN: Event = (
    "open_dispute",
    "buyer",
    "t_open",
    '\'{"reason": "\' || reason || \'", "plan": {"type": "refund_only", '
    '"amount": "12.50"}, "goods_received": true, "note": null}\'',
)
_RULE = '\'{"refund_amount": "12.50", "responsibility": "%s", "return_required": false}\''
# each kind's events after the ship (the ship is every order's first event)
PLANS: dict[int, list[Event]] = {
    0: [],
    1: [("confirm_receipt", "buyer", f"t_ship + {3 * DAY} + b % {15 * DAY}", "'{}'")],
    2: [("order_auto_completed", "system", f"t_ship + {18 * DAY}", "'{}'")],
    3: [
        _OPEN,
        ("cancel_dispute", "buyer", f"t_open + {DAY}", "'{}'"),
        ("confirm_receipt", "buyer", f"t_open + {2 * DAY}", "'{}'"),
    ],
    4: [_OPEN, ("accept", "seller", f"t_open + {DAY}", "'{}'")],
    5: [
        _OPEN,
        ("reject", "seller", f"t_open + {DAY}", '\'{"note": "not our fault"}\''),
        ("escalate", "buyer", f"t_open + {DAY + 2 * HOUR}", "'{\"note\": null}'"),
        (
            "rule",
            "arbitrator",
            f"t_open + {5 * DAY}",
            f"CASE WHEN s < 65 THEN {_RULE % 'seller'} ELSE {_RULE % 'buyer'} END",
        ),
    ],
    6: [
        _OPEN,
        (
            "auto_escalated",
            "system",
            f"t_open + {6 * DAY}",
            '\'{"escalation": "auto_no_agreement"}\'',
        ),
        ("rule", "arbitrator", f"t_open + {9 * DAY}", _RULE % "none"),
    ],
    7: [
        _OPEN,
        (
            "auto_escalated",
            "system",
            f"t_open + {6 * DAY}",
            '\'{"escalation": "auto_no_agreement"}\'',
        ),
        ("auto_ruled", "system", f"t_open + {8 * DAY}", "'{}'"),
    ],
    8: [
        _OPEN,
        (
            "propose",
            "seller",
            f"t_open + {DAY}",
            '\'{"plan": {"type": "refund_only", "amount": "5.00"}}\'',
        ),
    ],
    9: [
        _OPEN,
        ("cancel_dispute", "buyer", f"t_open + {DAY}", "'{}'"),
        (
            "open_dispute",
            "buyer",
            f"t_open + {3 * DAY}",
            '\'{"reason": "\' || reason2 || \'", "plan": {"type": "refund_only", '
            '"amount": "12.50"}, "goods_received": true, "note": null}\'',
        ),
        ("escalate", "buyer", f"t_open + {4 * DAY}", "'{\"note\": null}'"),
        ("rule", "arbitrator", f"t_open + {7 * DAY}", _RULE % "seller"),
    ],
    10: [_OPEN],
}
SLOTS = 1 + max(len(events) for events in PLANS.values())


def _case(values: tuple[str, ...] | list[str], expr: str) -> str:
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE {expr} {whens} END"


class _Dialect:
    def __init__(self, pg: bool) -> None:
        self.pg = pg

    def numbers(self) -> str:
        """`n(i)`: the order numbers from :lo to :hi - 1."""
        if self.pg:
            return "n(i) AS (SELECT generate_series(CAST(:lo AS bigint), :hi - 1))"
        return "n(i) AS (SELECT :lo UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :hi)"

    def ident(self, prefix: str, expr: str, width: int) -> str:
        if self.pg:
            return f"'{prefix}' || lpad(CAST({expr} AS text), {width}, '0')"
        return f"printf('{prefix}%0{width}d', {expr})"

    def instant(self, seconds: str) -> str:
        if self.pg:
            return f"to_timestamp({seconds})"
        return f"strftime('%Y-%m-%d %H:%M:%S', {seconds}, 'unixepoch') || '.000000'"

    def json(self, text: str) -> str:
        return f"CAST({text} AS jsonb)" if self.pg else text


def _facts(d: _Dialect, orders: int, stores: int, now: datetime) -> str:
    """The CTEs every insert starts from: `f`, one row per order with its numbers."""
    start = int((now - timedelta(days=40)).timestamp())
    span = 14 * DAY
    recursive = "" if d.pg else "RECURSIVE "
    return f"""WITH {recursive}{d.numbers()},
h AS (SELECT i, (i * 2654435761 + 12345) % 4294967291 AS a,
             (i * 2246822519 + 3266489917) % 4294967279 AS b FROM n),
g AS (SELECT i, a, b, a % 1000 AS k, (a / 1000) % 100 AS s,
             {start} + (i * {span}) / {orders} + b % {HOUR} AS t_placed FROM h),
f AS (SELECT i, a, b, k, s, t_placed, {KIND} AS kind,
             t_placed + {HOUR} * (6 + a % 40) AS t_ship,
             t_placed + {HOUR} * (6 + a % 40) + {5 * DAY} + (b / 16) % {9 * DAY} AS t_open,
             {d.ident("o", "i", 9)} AS order_id,
             {d.ident("store-", f"i % {stores}", 4)} AS store_id,
             {_case(CATEGORIES, f"(b / 7) % {len(CATEGORIES)}")} AS category,
             {_case(COUNTRIES, f"(b / 101) % {len(COUNTRIES)}")} AS country,
             {_case(CARRIERS, f"(a / 100000) % {len(CARRIERS)}")} AS carrier,
             {_case(REASON_CODES, f"(b / 1009) % {len(REASON_CODES)}")} AS reason,
             {_case(REASON_CODES, f"((b / 1009) + 5) % {len(REASON_CODES)}")} AS reason2
      FROM g)"""


def _slot_case(slot: int, part: int) -> str:
    """What the order's `slot`th event (1: the ship) is: its action, actor, instant or data."""
    whens = []
    for kind, events in PLANS.items():
        if slot - 2 < len(events):
            value = events[slot - 2][part]
            whens.append(f"WHEN {kind} THEN {repr(value) if part < 2 else value}")
    return f"CASE kind {' '.join(whens)} END" if whens else "NULL"


def _events_sql(d: _Dialect, facts: str) -> str:
    selects = [
        f"SELECT order_id, 1 AS seq, {d.instant('t_ship')} AS at, 'seller' AS actor, "
        "'ship' AS action, "
        + d.json(
            '\'{"carrier": "\' || carrier || \'", "tracking_number": "\' || '
            + d.ident("RR", "i", 9)
            + " || 'CN\"}'"
        )
        + f" AS data, {d.instant('t_ship')} AS recorded_at, i FROM f"
    ]
    for slot in range(2, SLOTS + 1):
        kinds = [k for k, events in PLANS.items() if slot - 2 < len(events)]
        selects.append(
            f"SELECT order_id, {slot}, {d.instant(_slot_case(slot, 2))}, {_slot_case(slot, 1)}, "
            f"{_slot_case(slot, 0)}, {d.json(_slot_case(slot, 3))}, "
            f"{d.instant(_slot_case(slot, 2))}, i "
            f"FROM f WHERE kind IN ({', '.join(map(str, kinds))})"
        )
    union = " UNION ALL ".join(selects)
    return (
        "INSERT INTO events (order_id, seq, at, actor, action, data, recorded_at) "
        f"{facts} SELECT order_id, seq, at, actor, action, data, recorded_at "
        f"FROM ({union}) AS e ORDER BY at, i, seq"
    )


def _orders_sql(d: _Dialect, facts: str) -> str:
    counts = " ".join(f"WHEN {k} THEN {1 + len(v)}" for k, v in PLANS.items())
    items = d.json('\'[{"sku": "SKU-\' || CAST(b % 977 AS text) || \'", "quantity": 1}]\'')
    status = "CASE WHEN kind IN (1, 2, 3) THEN 'completed' ELSE 'shipped' END"
    return f"""INSERT INTO orders (id, store_id, buyer_id, items, amount, shipping, currency,
    destination_country, category, placed_at, promised_delivery_days, policy, status, shipped_at,
    carrier, tracking_number, delivery_deadline, delivery_extension_days, refunded_total,
    event_seq, version, created_at, updated_at)
{facts}
SELECT order_id, store_id, {d.ident("buyer-", "i % 5000", 5)},
    {items},
    1250, 299, 'USD', country, category, {d.instant("t_placed")}, 18, 'aliexpress', {status},
    {d.instant("t_ship")}, carrier, {d.ident("RR", "i", 9)} || 'CN',
    {d.instant(f"t_ship + {18 * DAY}")}, 0, 0, CASE kind {counts} END, CASE kind {counts} END + 1,
    {d.instant("t_placed")}, {d.instant("t_ship")}
FROM f ORDER BY i"""


def _disputes_sql(d: _Dialect, facts: str) -> str:
    disputed = ", ".join(str(k) for k in PLANS if k >= 3)
    return f"""INSERT INTO disputes (order_id, seq, reason, status, refund_amount, opened_at, state)
{facts}
SELECT order_id, 1, reason, CASE kind WHEN 3 THEN 'closed' WHEN 9 THEN 'closed'
    WHEN 4 THEN 'closed' ELSE 'negotiating' END, 0, {d.instant("t_open")}, {d.json("'{}'")}
FROM f WHERE kind IN ({disputed})
UNION ALL
SELECT order_id, 2, reason2, 'closed', 1250, {d.instant(f"t_open + {3 * DAY}")}, {d.json("'{}'")}
FROM f WHERE kind = 9"""


def _malicious_sql(d: _Dialect, facts: str, now_seconds: int) -> str:
    return f"""INSERT INTO malicious_reports (order_id, dispute_seq, store_id, buyer_id,
    reported_by, reason, evidence, status, decided_by, decided_at, decision_note, created_at)
{facts}
SELECT order_id, 1, store_id, {d.ident("buyer-", "i % 5000", 5)}, 'staff@shop.test',
    'a swapped item', {d.json("'[]'")}, 'upheld', 'ops@desk.test',
    {d.instant(str(now_seconds))}, 'photos show a swap', {d.instant(str(now_seconds))}
FROM f WHERE kind IN (5, 6, 7) AND (b / 97) % 20 = 0"""


def build(
    db: Database,
    orders: int,
    stores: int,
    *,
    now: datetime = NOW,
    chunk: int = 250_000,
    progress: Any = None,
) -> None:
    """`orders` orders over `stores` stores in `db` (a migrated, empty database)."""
    d = _Dialect(db.is_postgres)
    created = d.instant(str(int((now - timedelta(days=60)).timestamp())))
    with db.begin() as conn:
        for table, prefix, width, n in (
            ("stores", "store-", 4, stores),
            ("buyers", "buyer-", 5, 5000),
        ):
            statement = (
                f"INSERT INTO {table} (id, name, created_at) "
                f"WITH {'' if d.pg else 'RECURSIVE '}{d.numbers()} "
                f"SELECT {d.ident(prefix, 'i', width)}, 'Name ' || CAST(i AS text), {created} "
                "FROM n"
            )
            conn.exec_driver_sql(_params(statement, d.pg), {"lo": 0, "hi": n})
    facts = _facts(d, orders, stores, now)
    statements = [
        _orders_sql(d, facts),
        _events_sql(d, facts),
        _disputes_sql(d, facts),
        _malicious_sql(d, facts, int(now.timestamp())),
    ]
    for lo in range(0, orders, chunk):
        hi = min(orders, lo + chunk)
        with db.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(_params(statement, d.pg), {"lo": lo, "hi": hi})
        if progress is not None:
            progress(hi)
    if d.pg:  # statistics and the visibility map (index-only scans), as autovacuum would soon
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def _params(statement: str, pg: bool) -> str:
    """`:lo`/`:hi` as the driver's own placeholders (exec_driver_sql passes them through)."""
    if pg:
        return statement.replace("%", "%%").replace(":lo", "%(lo)s").replace(":hi", "%(hi)s")
    return statement
