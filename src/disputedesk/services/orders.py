"""Stores, staff, buyers and orders: creating them, with every field checked.

`check_order` is the one place an incoming order is validated (the importer and, later, the API
use it); a bad field raises `FieldError` naming it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from disputedesk.rules.instants import parse_instant
from disputedesk.rules.money import ZERO, parse_money
from disputedesk.rules.policy import MAX_DAYS, POLICIES
from disputedesk.rules.vocabulary import OrderStatus
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import MAX_MONEY, storable_message
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.store.driver import Driver, cursor, driver

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")
STAFF_ROLES = ("owner", "agent")


class FieldError(ValueError):
    """A field that is missing or malformed: `field` names it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(slots=True)
class NewOrder:
    id: str
    store_id: str
    buyer_id: str
    amount: Decimal
    shipping: Decimal
    currency: str
    placed_at: datetime
    promised_delivery_days: int
    items: list[Any] = field(default_factory=list)
    destination_address: str | None = None
    shipping_address: dict[str, str] | None = None
    destination_country: str | None = None
    category: str | None = None
    policy: str = "aliexpress"


def _identifier(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise FieldError(name, f"{value!r} is not an id (letters, digits, . _ : -; up to 64)")
    return value


def _optional_text(raw: Mapping[str, Any], name: str, max_length: int = 200) -> str | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise FieldError(name, "must be text")
    if len(value) > max_length:
        raise FieldError(name, f"at most {max_length} characters")
    return value


ADDRESS_PARTS = ("recipient", "line1", "line2", "city", "state", "zip", "country", "phone")


def check_shipping_address(value: Any) -> dict[str, str] | None:
    """The address as parts (what a delivery scan is matched against): a mapping, or its JSON
    text (a CSV cell), of `recipient`, `line1`, `line2`, `city`, `state`, `zip`, `country` (2
    capital letters), `phone`; each text at most 200 characters; empty parts left out."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise FieldError("shipping_address", "not a JSON object") from None
    if not isinstance(value, Mapping):
        raise FieldError("shipping_address", "must be an object of address parts")
    address: dict[str, str] = {}
    for key, part in value.items():
        if key not in ADDRESS_PARTS:
            raise FieldError(
                f"shipping_address.{key}", f"unknown part; known: {', '.join(ADDRESS_PARTS)}"
            )
        if part is None or part == "":
            continue
        if not isinstance(part, str):
            raise FieldError(f"shipping_address.{key}", "must be text")
        if len(part) > 200:
            raise FieldError(f"shipping_address.{key}", "at most 200 characters")
        problem = storable_message(part)
        if problem is not None:
            raise FieldError(f"shipping_address.{key}", problem)
        address[key] = part.strip()
    country = address.get("country")
    if country is not None and not _COUNTRY.fullmatch(country):
        raise FieldError("shipping_address.country", f"{country!r} is not a 2-letter country code")
    return address or None


def check_order(raw: Mapping[str, Any]) -> NewOrder:
    """An order from loose input (a CSV row, a JSON object): every field checked, in the order
    of the columns (the first bad field is the one reported)."""
    order_id = _identifier(raw, "id")
    store_id = _identifier(raw, "store_id")
    buyer_id = _identifier(raw, "buyer_id")
    amount = parse_money(raw.get("amount"))
    if amount is None:
        raise FieldError("amount", f"{raw.get('amount')!r} is not a money string like 100.00")
    shipping_raw = raw.get("shipping")
    shipping = ZERO if shipping_raw in (None, "") else parse_money(shipping_raw)
    if shipping is None:
        raise FieldError("shipping", f"{shipping_raw!r} is not a money string like 21.49")
    for name, value in (("amount", amount), ("shipping", shipping)):
        if value > MAX_MONEY:
            raise FieldError(name, f"at most {MAX_MONEY} (what the store can hold)")
    if amount + shipping > MAX_MONEY:
        raise FieldError("shipping", f"the order total may be at most {MAX_MONEY}")
    currency = raw.get("currency")
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
        raise FieldError("currency", f"{currency!r} is not a 3-letter currency code")
    placed_at = parse_instant(raw.get("placed_at"))
    if placed_at is None:
        raise FieldError(
            "placed_at", f"{raw.get('placed_at')!r} is not a UTC instant YYYY-MM-DDTHH:MM:SSZ"
        )
    promised = raw.get("promised_delivery_days")
    if isinstance(promised, str) and promised.isascii() and promised.isdigit():
        promised = int(promised)
    if not isinstance(promised, int) or isinstance(promised, bool) or not 0 <= promised <= MAX_DAYS:
        raise FieldError(
            "promised_delivery_days",
            f"{promised!r} is not a whole number of days from 0 to {MAX_DAYS}",
        )
    country = _optional_text(raw, "destination_country")
    if country is not None and not _COUNTRY.fullmatch(country):
        raise FieldError("destination_country", f"{country!r} is not a 2-letter country code")
    shipping_address = check_shipping_address(raw.get("shipping_address"))
    if shipping_address and "country" in shipping_address:
        if country is None:
            country = shipping_address["country"]
        elif country != shipping_address["country"]:
            raise FieldError(
                "shipping_address.country",
                f"{shipping_address['country']} is not the destination_country {country}",
            )
    policy = raw.get("policy") or "aliexpress"
    if not isinstance(policy, str) or policy not in POLICIES:
        raise FieldError("policy", f"unknown policy {policy!r}")
    items = raw.get("items") or []
    if not isinstance(items, list):
        raise FieldError("items", "must be a list")
    for name in ("items", "destination_address", "category"):
        unstorable = storable_message(raw.get(name), name)
        if unstorable is not None:
            field_name, _, why = unstorable.partition(": ")
            raise FieldError(field_name, why)
    return NewOrder(
        id=order_id,
        store_id=store_id,
        buyer_id=buyer_id,
        amount=amount,
        shipping=shipping,
        currency=currency,
        placed_at=placed_at,
        promised_delivery_days=promised,
        items=items,
        destination_address=_optional_text(raw, "destination_address", 2000),
        shipping_address=shipping_address,
        destination_country=country,
        category=_optional_text(raw, "category"),
        policy=policy,
    )


def order_row(order: NewOrder, now: datetime) -> dict[str, Any]:
    """The `orders` row of a new order: awaiting shipment, nothing due, no events yet."""
    return {
        "id": order.id,
        "store_id": order.store_id,
        "buyer_id": order.buyer_id,
        "items": order.items,
        "amount": order.amount,
        "shipping": order.shipping,
        "currency": order.currency,
        "destination_address": order.destination_address,
        "shipping_address": order.shipping_address,
        "destination_country": order.destination_country,
        "category": order.category,
        "placed_at": order.placed_at,
        "promised_delivery_days": order.promised_delivery_days,
        "policy": order.policy,
        "status": str(OrderStatus.AWAITING_SHIPMENT),
        "shipped_at": None,
        "carrier": None,
        "tracking_number": None,
        "delivery_deadline": None,
        "delivery_extension_days": 0,
        "completed_at": None,
        "refunded_total": ZERO,
        "clock": None,
        "due_at": None,
        "due_action": None,
        "event_seq": 0,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def ensure_parties(
    conn: Connection, store_ids: set[str], buyer_ids: set[str], now: datetime
) -> None:
    """Create the stores and buyers that orders name and that do not exist yet (named by their
    id): one statement a table, whatever the number of ids (an import names thousands)."""
    d = driver(conn)
    cur = None
    try:
        for table, ids in ((t.stores, store_ids), (t.buyers, buyer_ids)):
            if ids:
                cur = cur or cursor(conn)
                cur.execute(_insert_parties(d, table), (d.instant(now), d.ids(sorted(ids))))
    finally:
        if cur is not None:
            cur.close()


def _insert_parties(d: Driver, table: Table) -> str:
    """INSERT of the ids not in the table yet (id and name the id), skipping any that exist
    by now: two requests creating the same new buyer at once both succeed."""
    names = d.columns(("id", "name", "created_at"))
    if d.postgres:
        ids = f"unnest({d.mark}::text[]) AS given(id)"
        return (
            f"INSERT INTO {d.table(table)} ({names}) SELECT id, id, {d.mark} FROM {ids} "
            "ON CONFLICT (id) DO NOTHING"
        )
    # (SQLite's WHERE keeps its parser from reading ON CONFLICT as a join's ON)
    return (
        f"INSERT INTO {d.table(table)} ({names}) SELECT value, value, {d.mark} "
        f"FROM json_each({d.mark}) WHERE true ON CONFLICT (id) DO NOTHING"
    )


def insert_new(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows keyed by `id`, skipping ids that exist by now: two requests creating the
    same new buyer at once both succeed (PostgreSQL; SQLite writers never overlap)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(index_elements=["id"]), rows)


def create_store(db: Database, store_id: str, name: str, *, now: datetime | None = None) -> None:
    _identifier({"id": store_id}, "id")
    try:
        with db.begin() as conn:
            if conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)):
                raise ServiceError("conflict", f"store {store_id!r} already exists")
            conn.execute(
                insert(t.stores).values(id=store_id, name=name, created_at=now or utc_now())
            )
    except IntegrityError:  # created by a concurrent request since the check
        raise ServiceError("conflict", f"store {store_id!r} already exists") from None


def add_staff(
    db: Database, store_id: str, *, name: str, email: str, role: str, now: datetime | None = None
) -> None:
    if role not in STAFF_ROLES:
        raise FieldError("role", f"{role!r} is not one of {', '.join(STAFF_ROLES)}")
    with db.begin() as conn:
        if not conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)):
            raise ServiceError("not_found", f"store {store_id!r} not found")
        conn.execute(
            insert(t.store_staff).values(
                store_id=store_id, name=name, email=email, role=role, created_at=now or utc_now()
            )
        )


def create_buyer(
    db: Database,
    buyer_id: str,
    name: str,
    *,
    email: str | None = None,
    country: str | None = None,
    locale: str | None = None,
    now: datetime | None = None,
) -> None:
    _identifier({"id": buyer_id}, "id")
    with db.begin() as conn:
        if conn.scalar(select(t.buyers.c.id).where(t.buyers.c.id == buyer_id)):
            raise ServiceError("conflict", f"buyer {buyer_id!r} already exists")
        conn.execute(
            insert(t.buyers).values(
                id=buyer_id,
                name=name,
                email=email,
                country=country,
                locale=locale,
                created_at=now or utc_now(),
            )
        )


def create_order(db: Database, order: NewOrder, *, now: datetime | None = None) -> None:
    """Create an order (and its store and buyer, when new). An existing id is a `conflict`."""
    now = now or utc_now()
    try:
        with db.begin() as conn:
            if conn.scalar(select(t.orders.c.id).where(t.orders.c.id == order.id)):
                raise ServiceError("conflict", f"order {order.id!r} already exists")
            ensure_parties(conn, {order.store_id}, {order.buyer_id}, now)
            conn.execute(insert(t.orders), [order_row(order, now)])
    except IntegrityError:  # created by a concurrent request since the check
        raise ServiceError("conflict", f"order {order.id!r} already exists") from None
