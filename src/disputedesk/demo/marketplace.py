"""A generated demo marketplace: stores with staff, buyers, orders and disputes in every state.

Everything goes through the services (orders, accounts, commands, messages, and the deadline
worker's sweep at the end), so the event log, the projections and the deadlines are exactly what
a real desk would hold. Every instant is computed from `now`: commands are in the past, and each
open dispute's next deadline is still ahead. The same seed gives the same marketplace.

Each disputed order follows a recipe that aims at one dispute status; after the build, the final
statuses are checked against the recipes (a mismatch is a bug here, raised at once).

Every shipped order gets its carrier's tracking timeline (`demo.tracking`), told by its story: a
"not received, in transit" dispute's parcel is still moving, a "delivered but not received" one
has its delivery scan, goods the buyer has were delivered before; the other parcels go as the
transit model draws them. A shipment history of the last 90 days (mostly Shenzhen Electronics'
parcels to Brazil and the United States) gives the carrier advisor figures, and a few parcels
are there for the shipment watch to flag (no news, customs, duties, pickup, Brazil's deadline).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from disputedesk.demo.cast import (
    _DESTINATIONS,
    _STORE_WEIGHTS,
    HISTORY_BUYERS,
    LOGIN_BUYERS,
    OTHER_BUYERS,
    RETURN_ADDRESSES,
    STORES,
    _Buyer,
    _buyer_in,
    _Store,
)
from disputedesk.demo.deal import _Deal, _Demo
from disputedesk.demo.messaging import seed_messaging
from disputedesk.demo.operations import seed_operations
from disputedesk.demo.recipes import _PLAIN, _RECIPES, _WATCH, Recipe, _plain_recent, _plain_shipped
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.services import (
    accounts,
    malicious,
    queries,
    redlines,
    returns,
    shipment_watch,
    worker,
)
from disputedesk.services import orders as order_service
from disputedesk.services import tracking as tracking_service
from disputedesk.store import tables as t
from disputedesk.store.db import Database

MIN_ORDERS = 40  # every recipe once, and an order per demo buyer to open a dispute on
MAX_DISPUTES = 120  # beyond 300 orders, the others are plain (the shipment history)


@dataclass(frozen=True)
class Login:
    """A demo user who can sign in to the web desk."""

    role: str
    email: str
    password: str
    what: str


@dataclass(frozen=True)
class DemoSummary:
    """What `build_demo` made: the logins, the number of orders, the disputes by status."""

    logins: list[Login]
    orders: int
    disputes_by_status: dict[str, int]
    tracking_events: int = 0
    alerts: int = 0
    notifications: int = 0


# --------------------------------------------------------------------------------------------
# Accounts


def _accounts(db: Database, at: datetime) -> list[Login]:
    logins = [
        Login("admin", "admin@disputedesk.demo", "demo-admin-1", "admin (operator)"),
        Login(
            "arbitrator",
            "arbitrator@disputedesk.demo",
            "demo-arbitrator-1",
            "platform arbitrator (takes escalated cases)",
        ),
    ]
    for login, name in zip(logins, ("Desk Admin", "Marta Rossi"), strict=True):
        accounts.create_user(
            db, email=login.email, name=name, role=login.role, password=login.password, now=at
        )
    for store in STORES:
        order_service.create_store(db, store.id, store.name, now=at)
        for region, parts in RETURN_ADDRESSES[store.id]:
            returns.put_address(db, store.id, region, parts, now=at)
        for staff_role, name in (("owner", store.owner), ("agent", store.agent)):
            word = "seller" if staff_role == "owner" else "agent"
            login = Login(
                "seller",
                f"{staff_role}@{store.domain}",
                f"demo-{word}-{store.number}",
                f"seller {staff_role} of store {store.id} ({store.name})",
            )
            accounts.create_user(
                db,
                email=login.email,
                name=name,
                role="seller",
                store_id=store.id,
                store_role=staff_role,
                password=login.password,
                now=at,
            )
            logins.append(login)
    for buyer in (*LOGIN_BUYERS, *OTHER_BUYERS, *HISTORY_BUYERS):
        email = buyer.email or f"{buyer.id.lower()}@buyers.example"
        order_service.create_buyer(
            db,
            buyer.id,
            buyer.name,
            email=email,
            country=buyer.country,
            locale=buyer.locale,
            now=at,
        )
        if buyer.email and buyer.password:
            accounts.create_user(
                db,
                email=buyer.email,
                name=buyer.name,
                role="buyer",
                buyer_id=buyer.id,
                password=buyer.password,
                now=at,
            )
            logins.append(
                Login(
                    "buyer",
                    buyer.email,
                    buyer.password,
                    f"buyer {buyer.id}, {buyer.name} ({buyer.country}, {buyer.locale})",
                )
            )
    return logins


# --------------------------------------------------------------------------------------------
# Seller metrics (issue 14)

# The operator's line for phone accessories (their buyers open more NAD disputes than most):
# the first store's lines then differ by category, and its dashboard shows it.
CATEGORY_LINE = ("electronics/phone-accessories", "nad_rate", 180_000)  # 18%


def _seller_metrics(db: Database, at: datetime) -> None:
    """A red line of a category's own, and the first store's malicious dispute reports (seed
    002): two of its not-as-described disputes, one the operator rejected with a note, the
    latest still pending for the operator to decide."""
    category, metric, threshold = CATEGORY_LINE
    redlines.set_red_line(
        db,
        metric=metric,
        threshold_ppm=threshold,
        category=category,
        effective_from=at - timedelta(days=120),
        by="admin@disputedesk.demo",
        note="Phone accessories: more NAD disputes than other electronics",
        now=at - timedelta(days=120),
    )
    store = STORES[0]
    d, o, ev = t.disputes, t.orders, t.evidence
    with db.engine.connect() as conn:
        chosen = conn.execute(
            select(d.c.order_id, d.c.seq, d.c.opened_at)
            .join(o, o.c.id == d.c.order_id)
            .where(o.c.store_id == store.id)
            .where(d.c.reason.like("not_as_described.%"))
            .where(d.c.opened_at < at - timedelta(days=2))
            .order_by(d.c.opened_at, d.c.order_id, d.c.seq)
        ).all()[-2:]
        evidence = {
            (row.order_id, row.seq): list(
                conn.scalars(
                    select(ev.c.id)
                    .where(ev.c.order_id == row.order_id)
                    .where(ev.c.dispute_seq == row.seq)
                    .order_by(ev.c.id)
                    .limit(2)
                )
            )
            for row in chosen
        }
    owner = f"owner@{store.domain}"
    reasons = (
        "The buyer's photos show a different model from the one we shipped: the item was "
        "swapped before the photos were taken.",
        "The buyer opened the same claim on three orders in one week, each time after "
        "the goods were delivered and used.",
    )
    for k, row in enumerate(chosen):
        report = malicious.report_dispute(
            db,
            row.order_id,
            row.seq,
            reason=reasons[k % len(reasons)],
            evidence=evidence[(row.order_id, row.seq)],
            reported_by=owner,
            now=row.opened_at + timedelta(days=1),
        )
        if k == 0 and len(chosen) > 1:  # the older one: decided
            malicious.decide(
                db,
                report.id,
                decision="rejected",
                note="The photos match the listing; the buyer's claim stands.",
                decided_by="admin@disputedesk.demo",
                now=row.opened_at + timedelta(days=2),
            )


# --------------------------------------------------------------------------------------------
# The build


def build_demo(db: Database, *, now: datetime, seed: int = 7, orders: int = 500) -> DemoSummary:
    """Fill an empty database with the demo marketplace as it stands at `now` (UTC)."""
    if orders < MIN_ORDERS:
        raise ValueError(f"orders: at least {MIN_ORDERS}, to show every dispute status")
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    rng = random.Random(seed)
    demo = _Demo(db, now, rng)
    logins = _accounts(db, demo.base - timedelta(days=120))

    # The plan: which recipe, store and buyer each order gets.
    plans: list[tuple[Recipe, _Store, _Buyer, tuple[str, str | None] | None, bool]] = []
    n_disputes = max(len(_RECIPES), min(round(orders * 0.4), MAX_DISPUTES))
    # Every recipe once, then the recipes in proportion to their weights, in a shuffled cycle.
    weighted = [entry for entry in _RECIPES for _ in range(entry[3])]
    rng.shuffle(weighted)
    for k in range(n_disputes):
        extra = k - len(_RECIPES)
        recipe, status, resolution, _ = (
            _RECIPES[k] if extra < 0 else weighted[extra % len(weighted)]
        )
        store = STORES[(k + k // len(LOGIN_BUYERS)) % len(STORES)]
        if k < 3 * len(LOGIN_BUYERS) or rng.random() < 0.3:
            buyer = LOGIN_BUYERS[k % len(LOGIN_BUYERS)]
        else:
            buyer = rng.choice(OTHER_BUYERS)
        urgent = (k < len(_RECIPES) and k % 2 == 0) or rng.random() < 0.3
        plans.append((recipe, store, buyer, (str(status), resolution), urgent))
    # Orders each demo buyer can open a dispute on right now (3, when there is room).
    room = min(3, (orders - n_disputes) // len(LOGIN_BUYERS))
    for k, buyer in enumerate(LOGIN_BUYERS):
        for i, recipe in enumerate((_plain_recent, _plain_shipped, _plain_shipped)[:room]):
            plans.append((recipe, STORES[(k + i) % len(STORES)], buyer, None, False))
    # Parcels for the shipment watch to flag (as many as there is room for).
    for i, (recipe, country) in enumerate(_WATCH[: max(0, orders - len(plans))]):
        store = STORES[0] if i < 6 else STORES[i % len(STORES)]
        plans.append((recipe, store, _buyer_in(rng, country, login=0), None, False))
    plain, plain_weights = zip(*_PLAIN, strict=True)
    countries, country_weights = zip(*_DESTINATIONS.items(), strict=True)
    while len(plans) < orders:
        buyer = _buyer_in(rng, rng.choices(countries, country_weights)[0])
        plain_recipe = rng.choices(plain, plain_weights)[0]
        plans.append((plain_recipe, rng.choices(STORES, _STORE_WEIGHTS)[0], buyer, None, False))
    rng.shuffle(plans)

    expected: dict[str, tuple[str, str | None]] = {}
    for recipe, store, buyer, expect, urgent in plans:
        deal = _Deal(demo, store, buyer, urgent=urgent)
        recipe(deal)
        expect = expect or deal.expect
        if expect is not None:
            expected[deal.id] = expect

    # Every shipped parcel's tracking, stored as a feed's events are; then the deadlines that
    # fell due before now fire as the worker would fire them, and the shipment watch looks.
    events = [pair for deal in demo.deals for pair in deal.parcel_events()]
    stored = tracking_service.ingest_many(db, events, source="import", now=demo.base)
    for deal in demo.deals:  # the rulings, through the ruling assistant, now it reads tracking
        deal.finish()
    worker.sweep(db, now, recorded_at=now)
    alerts = shipment_watch.sweep(db, now).raised
    _seller_metrics(db, demo.base)  # a red line of a category's own, malicious reports
    seed_operations(db, demo.base)  # the operator's console: claims, an upheld report
    redlines.assess(db, now)  # the stores' metric warnings and last month's penalties
    notices = seed_messaging(db, now)  # messaging settings, templates, notices and reminders

    by_status = {str(status): 0 for status in DisputeStatus}
    for order_id, (status, resolution) in expected.items():
        last = queries.order_outcome(db, order_id)["disputes"][-1]
        if last["status"] != status or (resolution and last["resolution"] != resolution):
            raise RuntimeError(
                f"demo order {order_id}: the dispute ended {last['status']}/"
                f"{last['resolution']}, not {status}/{resolution}"
            )
        by_status[status] += 1
    return DemoSummary(logins, len(plans), by_status, stored.stored, alerts, notices)
