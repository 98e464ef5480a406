"""Return addresses: where a store's buyers send returns, per destination region (a country
code, or "*" for every country without its own address).

A store's owner keeps them (the desk's /desk/store/returns, the API's
`/stores/{id}/return-addresses`); its staff read them. In the return stage the buyer's dispute
page shows the address for the order's destination country, else the store's default, and the
seller's page the same address beside what was agreed. The address shown is the store's current
one (nothing is copied into the dispute): a changed address shows everywhere at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from disputedesk.services.commands import ServiceError
from disputedesk.services.inputs import text_problem
from disputedesk.store import tables as t
from disputedesk.store.db import Database

DEFAULT_REGION = "*"
REGION_PATTERN = r"^(\*|[A-Z]{2})$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
_REGION = re.compile(REGION_PATTERN)
_COUNTRY = re.compile(COUNTRY_PATTERN)
# Each part and its length bound (the columns' sizes); the required ones.
PARTS: dict[str, int] = {
    "recipient": 200,
    "line1": 200,
    "line2": 200,
    "city": 200,
    "state": 200,
    "zip": 40,
    "country": 2,
    "phone": 60,
}
REQUIRED = ("recipient", "line1", "city", "country")
# More than any store needs (one per country and a default), and a bound on what a list reads.
MAX_ADDRESSES = 300


@dataclass(frozen=True, slots=True)
class ReturnAddress:
    store_id: str
    region: str
    recipient: str
    line1: str
    line2: str | None
    city: str
    state: str | None
    zip: str | None
    country: str
    phone: str | None
    updated_at: datetime

    @property
    def is_default(self) -> bool:
        return self.region == DEFAULT_REGION

    def parts(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in PARTS}


@dataclass(frozen=True, slots=True)
class AddressProblem:
    """What is wrong with one part: `kind` is required / too_long / country / unstorable."""

    field: str
    kind: str
    limit: int | None = None
    detail: str = ""

    @property
    def message(self) -> str:
        if self.kind == "required":
            return f"{self.field}: required"
        if self.kind == "too_long":
            return f"{self.field}: at most {self.limit} characters"
        if self.kind == "country":
            return f"{self.field}: a 2-letter country code in capitals, such as ES"
        return f"{self.field}: {self.detail}"


class AddressRefused(ServiceError):
    """An address that cannot be kept; `problem` says which part and why."""

    def __init__(self, problem: AddressProblem) -> None:
        super().__init__("invalid_input", problem.message)
        self.problem = problem


def region_problem(region: str) -> str | None:
    """Why `region` names no region ("*" or a 2-letter country code in capitals), or None."""
    if _REGION.fullmatch(region):
        return None
    return f"region: {region[:20]!r} is neither * nor a 2-letter country code in capitals"


def address_problem(raw: Mapping[str, Any]) -> AddressProblem | None:
    """The first part of `raw` that cannot be kept (in the parts' order), or None. Text is
    judged as it will be kept: surrounding space removed."""
    for name, limit in PARTS.items():
        value = raw.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            return AddressProblem(name, "unstorable", detail="must be text")
        problem = text_problem(value)
        if problem is not None:
            return AddressProblem(name, "unstorable", detail=problem)
        value = value.strip()
        if not value and name in REQUIRED:
            return AddressProblem(name, "required")
        if len(value) > limit:
            return AddressProblem(name, "too_long", limit)
        if name == "country" and not _COUNTRY.fullmatch(value):
            return AddressProblem(name, "country")
    return None


def clean(raw: Mapping[str, Any]) -> dict[str, str | None]:
    """The address as it is kept: each part stripped, empty optional parts as None. Raises
    AddressRefused (`invalid_input`) for the first part that cannot be kept."""
    problem = address_problem(raw)
    if problem is not None:
        raise AddressRefused(problem)
    parts: dict[str, str | None] = {}
    for name in PARTS:
        value = (raw.get(name) or "").strip()
        parts[name] = value or None
    return parts


def _of(row: Any) -> ReturnAddress:
    return ReturnAddress(
        store_id=row.store_id,
        region=row.region,
        recipient=row.recipient,
        line1=row.line1,
        line2=row.line2,
        city=row.city,
        state=row.state,
        zip=row.zip,
        country=row.country,
        phone=row.phone,
        updated_at=row.updated_at,
    )


_ORDERED = case((t.return_addresses.c.region == DEFAULT_REGION, 0), else_=1)


def list_addresses(db: Database, store_id: str) -> list[ReturnAddress]:
    """The store's return addresses: the default first, then by region."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.return_addresses)
            .where(t.return_addresses.c.store_id == store_id)
            .order_by(_ORDERED, t.return_addresses.c.region)
            .limit(MAX_ADDRESSES)
        ).all()
    return [_of(r) for r in rows]


def get_address(db: Database, store_id: str, region: str) -> ReturnAddress | None:
    with db.engine.connect() as conn:
        row = conn.execute(
            select(t.return_addresses)
            .where(t.return_addresses.c.store_id == store_id)
            .where(t.return_addresses.c.region == region)
        ).first()
    return None if row is None else _of(row)


def address_in(conn: Connection, store_id: str, country: str | None) -> ReturnAddress | None:
    """Where a return from `country` goes: the store's address for that country, else its
    default; None when it has neither."""
    regions = [DEFAULT_REGION] + ([country] if country and _COUNTRY.fullmatch(country) else [])
    row = conn.execute(
        select(t.return_addresses)
        .where(t.return_addresses.c.store_id == store_id)
        .where(t.return_addresses.c.region.in_(regions))
        .order_by(_ORDERED.desc())  # the country's own first
        .limit(1)
    ).first()
    return None if row is None else _of(row)


def address_for(db: Database, store_id: str, country: str | None) -> ReturnAddress | None:
    with db.engine.connect() as conn:
        return address_in(conn, store_id, country)


def put_address(
    db: Database, store_id: str, region: str, raw: Mapping[str, Any], *, now: datetime
) -> tuple[ReturnAddress, bool]:
    """Keep the store's address for `region` (replacing the one it had); returns it and whether
    it is new. `invalid_input` for a bad region or part; the store must exist (callers check)."""
    problem = region_problem(region)
    if problem is not None:
        raise ServiceError("invalid_input", problem)
    parts = clean(raw)
    where = (t.return_addresses.c.store_id == store_id) & (t.return_addresses.c.region == region)
    for _attempt in range(2):
        try:
            with db.begin() as conn:
                changed = conn.execute(
                    update(t.return_addresses).where(where).values(**parts, updated_at=now)
                ).rowcount
                if not changed:
                    conn.execute(
                        insert(t.return_addresses).values(
                            store_id=store_id,
                            region=region,
                            **parts,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                row = conn.execute(select(t.return_addresses).where(where)).one()
            return _of(row), not changed
        except IntegrityError:  # another request added this region at the same moment
            continue
    raise ServiceError("conflict", f"the {region} return address kept changing; try again")


def delete_address(db: Database, store_id: str, region: str) -> bool:
    """Remove the store's address for `region`; True when there was one."""
    with db.begin() as conn:
        gone = conn.execute(
            delete(t.return_addresses)
            .where(t.return_addresses.c.store_id == store_id)
            .where(t.return_addresses.c.region == region)
        ).rowcount
    return bool(gone)


def uncovered_countries(db: Database, store_id: str) -> list[str]:
    """The destination countries of the store's orders whose returns have no address (neither
    their own nor a default): empty when the store has a default."""
    with db.engine.connect() as conn:
        regions = set(
            conn.scalars(
                select(t.return_addresses.c.region).where(t.return_addresses.c.store_id == store_id)
            )
        )
        if DEFAULT_REGION in regions:
            return []
        countries = conn.scalars(
            select(t.orders.c.destination_country)
            .distinct()
            .where(t.orders.c.store_id == store_id)
            .where(t.orders.c.destination_country.is_not(None))
        ).all()
    return sorted(c for c in countries if c not in regions)


def store_names(db: Database, store_ids: list[str]) -> dict[str, str]:
    """The stores' names by id (an unknown id is left out)."""
    if not store_ids:
        return {}
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.stores.c.id, t.stores.c.name).where(t.stores.c.id.in_(store_ids))
        ).all()
    return {r.id: r.name for r in rows}
