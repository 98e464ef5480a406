"""A store's return addresses: where its buyers send returns, per destination region (a country
code, or `*` for every country without its own address). The store's staff read them; its owner
(or an operator) keeps them."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from disputedesk.api.access import require_store_member
from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import Strict
from disputedesk.rules.instants import format_instant
from disputedesk.services import returns
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError
from disputedesk.store import tables as t
from disputedesk.store.db import Database

router = APIRouter(tags=["stores"])

_STORE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
Region = Annotated[
    str,
    Path(
        pattern=returns.REGION_PATTERN,
        max_length=2,
        description="A destination country (ISO 3166 code in capitals, e.g. `ES`), or `*`: "
        "every country without its own address",
        examples=["ES", "*"],
    ),
]


class ReturnAddressIn(Strict):
    """Where returns go. Surrounding space is removed; a required part left empty by that is
    `invalid_input`."""

    model_config = ConfigDict(strict=True, extra="forbid")

    recipient: str = Field(min_length=1, max_length=200, examples=["Li Wei (returns)"])
    line1: str = Field(min_length=1, max_length=200, examples=["Room 501, 8 Keji Road"])
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=200, examples=["Shenzhen"])
    state: str | None = Field(default=None, max_length=200, examples=["Guangdong"])
    zip: str | None = Field(default=None, max_length=40, examples=["518057"])
    country: str = Field(pattern=returns.COUNTRY_PATTERN, examples=["CN"])
    phone: str | None = Field(default=None, max_length=60)


class ReturnAddressOut(BaseModel):
    store_id: str
    region: str = Field(description="A country code, or `*` (the default)")
    default: bool = Field(description="The address for every country without its own")
    recipient: str
    line1: str
    line2: str | None
    city: str
    state: str | None
    zip: str | None
    country: str
    phone: str | None
    updated_at: str


class ReturnAddressListOut(BaseModel):
    items: list[ReturnAddressOut] = Field(description="The default first, then by region")


def _view(address: returns.ReturnAddress) -> dict[str, Any]:
    return {
        "store_id": address.store_id,
        "region": address.region,
        "default": address.is_default,
        **address.parts(),
        "updated_at": format_instant(address.updated_at),
    }


def _store(db: Database, user: Principal, store_id: str, *, owner: bool = False) -> None:
    """The caller is staff of the store (with `owner`: its owner; an operator: any), which
    exists; `not_found` otherwise (also for an id that could not be a store's)."""
    require_store_member(user, store_id, owner=owner)
    if _STORE_ID.fullmatch(store_id):
        with db.engine.connect() as conn:
            if conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)) is not None:
                return
    raise ApiError("not_found", f"store {store_id!r} not found")


@router.get(
    "/stores/{store_id}/return-addresses",
    summary="The store's return addresses (staff)",
    response_model=ReturnAddressListOut,
)
def list_return_addresses(store_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    """Every region the store has an address for: `*` (the default) first."""
    _store(db, user, store_id)
    return {"items": [_view(a) for a in returns.list_addresses(db, store_id)]}


@router.get(
    "/stores/{store_id}/return-addresses/{region}",
    summary="The store's return address for one region (staff)",
    response_model=ReturnAddressOut,
)
def get_return_address(store_id: str, region: Region, user: CurrentUser, db: Db) -> dict[str, Any]:
    """The address kept for exactly this region (`404` when there is none: a country without
    its own address uses `*`)."""
    _store(db, user, store_id)
    address = returns.get_address(db, store_id, region)
    if address is None:
        raise ApiError("not_found", f"store {store_id!r} has no return address for {region}")
    return _view(address)


@router.put(
    "/stores/{store_id}/return-addresses/{region}",
    summary="Set the store's return address for one region (owner)",
    response_model=ReturnAddressOut,
    responses={201: {"description": "Created", "model": ReturnAddressOut}},
)
def put_return_address(
    store_id: str,
    region: Region,
    body: ReturnAddressIn,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
) -> dict[str, Any]:
    """Creates the region's address (`201`) or replaces it (`200`). Buyers whose order goes to
    that country (for `*`: to any country without its own address) see it on their dispute's
    page in the return stage."""
    _store(db, user, store_id, owner=True)
    try:
        address, created = returns.put_address(db, store_id, region, body.model_dump(), now=now)
    except ServiceError as exc:
        raise ApiError(exc.code, exc.message) from None
    if created:
        response.status_code = 201
    return _view(address)


@router.delete(
    "/stores/{store_id}/return-addresses/{region}",
    summary="Remove the store's return address for one region (owner)",
    status_code=204,
)
def delete_return_address(store_id: str, region: Region, user: CurrentUser, db: Db) -> Response:
    """`404` when the store has no address for that region."""
    _store(db, user, store_id, owner=True)
    if not returns.delete_address(db, store_id, region):
        raise ApiError("not_found", f"store {store_id!r} has no return address for {region}")
    return Response(status_code=204)
