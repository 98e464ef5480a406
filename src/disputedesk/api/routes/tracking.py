"""Tracking feeds that carriers' aggregators call: the AfterShip and 17TRACK webhook receivers.

They authenticate by signature, not by a bearer token: the raw body is checked before it is
read as JSON (a missing or wrong signature is 401, whatever the body). A delivery's events go
to every order shipped with its tracking number (outbound or a buyer's return) through
`services.tracking`, stored once: a replayed delivery stores nothing new and is answered 200
with `stored: 0`. A malformed payload (422) or a tracking number no order has (404) stores
nothing. The body size is limited by the app's edge, like every other request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from disputedesk.api.errors import PROBLEM_JSON, ApiError
from disputedesk.services.tracking import ingest_by_number
from disputedesk.tracking.feeds import FeedError, FeedUpdate, aftership, read_json, seventeen_track

router = APIRouter(tags=["tracking feeds"])


class FeedResult(BaseModel):
    """What a delivery did."""

    tracking_number: str | None = Field(description="The delivery's tracking number")
    events: int = Field(description="Events read from the delivery")
    stored: int = Field(description="Events stored now (new)")
    duplicates: int = Field(description="Events already stored (a replay, or another feed's)")
    orders: list[str] = Field(description="The orders the events belong to")
    ignored: str | None = Field(
        default=None, description="Why a well-formed delivery carried nothing to store"
    )


# -- the payloads, for the OpenAPI document (the receivers read the raw body themselves) --------


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class AfterShipCheckpoint(_Open):
    checkpoint_time: str | None = Field(default=None, examples=["2026-03-05T14:20:00+08:00"])
    message: str | None = Field(default=None, examples=["Delivered, In/At Mailbox"])
    tag: str | None = Field(default=None, examples=["Delivered"])
    subtag: str | None = Field(default=None, examples=["Delivered_001"])
    subtag_message: str | None = None
    slug: str | None = Field(default=None, examples=["usps"])
    location: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country_iso3: str | None = Field(default=None, examples=["USA"])
    country_name: str | None = None
    raw_tag: str | None = None


class AfterShipTracking(_Open):
    tracking_number: str = Field(examples=["9400109104250532908587"])
    slug: str | None = Field(default=None, examples=["usps"])
    tag: str | None = None
    subtag: str | None = None
    checkpoints: list[AfterShipCheckpoint] = []


class AfterShipWebhook(_Open):
    """AfterShip's tracking webhook (`tracking_update` and the other tracking events)."""

    event: str | None = Field(default=None, examples=["tracking_update"])
    event_id: str | None = None
    ts: int | None = None
    msg: AfterShipTracking


class SeventeenTrackAddress(_Open):
    country: str | None = None
    state: str | None = None
    city: str | None = None
    postal_code: str | None = None


class SeventeenTrackEvent(_Open):
    time_iso: str | None = Field(default=None, examples=["2026-03-05T14:20:00+08:00"])
    time_utc: str | None = Field(default=None, examples=["2026-03-05T06:20:00Z"])
    description: str | None = Field(default=None, examples=["Customs clearance started"])
    location: str | None = None
    stage: str | None = None
    sub_status: str | None = Field(default=None, examples=["InTransit_CustomsProcessing"])
    address: SeventeenTrackAddress | None = None


class SeventeenTrackProviderInfo(_Open):
    key: int | None = None
    name: str | None = Field(default=None, examples=["China Post"])


class SeventeenTrackProvider(_Open):
    provider: SeventeenTrackProviderInfo | None = None
    events: list[SeventeenTrackEvent] = []


class SeventeenTrackTracking(_Open):
    providers: list[SeventeenTrackProvider] = []


class SeventeenTrackInfo(_Open):
    tracking: SeventeenTrackTracking


class SeventeenTrackData(_Open):
    number: str = Field(examples=["RR123456789CN"])
    carrier: int | None = Field(default=None, examples=[3011])
    track_info: SeventeenTrackInfo | None = None


class SeventeenTrackWebhook(_Open):
    """A 17TRACK push (API v2.2): `TRACKING_UPDATED` (stored) or `TRACKING_STOPPED` (nothing
    to store)."""

    event: str = Field(examples=["TRACKING_UPDATED"])
    data: SeventeenTrackData


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its `$defs` written in place (the document's components do
    not hold them)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.removeprefix("#/$defs/")]))
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)


_PROBLEM_SCHEMA = {  # RFC 9457 problem details, as `api.app.Problem` (no import cycle)
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["type", "title", "status", "detail", "code"],
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}}}


def _openapi(model: type[BaseModel], header: str, scheme: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline(model.model_json_schema())}},
        },
        "parameters": [
            {
                "name": header,
                "in": "header",
                "required": True,
                "description": scheme,
                "schema": {"type": "string"},
            }
        ],
    }


def _responses(scheme: str) -> dict[int | str, dict[str, Any]]:
    return {
        401: _problem(f"unauthorized: the signature is missing or wrong ({scheme})"),
        404: _problem("not_found: no order (nor a buyer's return) has the tracking number"),
        422: _problem("invalid_input: the payload is malformed; `detail` names the field"),
    }


AFTERSHIP_SCHEME = (
    "base64 of HMAC-SHA256 over the raw body, keyed with the webhook secret "
    "(DISPUTEDESK_AFTERSHIP_WEBHOOK_SECRET)"
)
SEVENTEEN_TRACK_SCHEME = (
    'hex SHA-256 of "<raw body>/<API key>" (the key: DISPUTEDESK_17TRACK_API_KEY)'
)


async def _receive(
    request: Request,
    *,
    feed: str,
    header: str,
    key: str,
    verify: Callable[[bytes, str, str | None], bool],
    parse: Callable[[Any], FeedUpdate],
) -> FeedResult:
    body = await request.body()
    given = request.headers.get(header)
    if not key:
        raise ApiError(
            "unauthorized", f"{feed} deliveries are refused: no signing key is configured"
        )
    if not given:
        raise ApiError("unauthorized", f"the {header} header is missing")
    if not verify(body, key, given):
        raise ApiError("unauthorized", f"the {header} signature does not match the body")
    try:
        update = parse(read_json(body))
    except FeedError as exc:
        raise ApiError(
            "invalid_input",
            str(exc),
            extra={"errors": [{"field": exc.field, "message": exc.reason}]},
        ) from None
    if not update.events:
        ignored = update.ignored or "the delivery carries no event"
        return FeedResult(
            tracking_number=update.tracking_number,
            events=0,
            stored=0,
            duplicates=0,
            orders=[],
            ignored=ignored,
        )
    report = await run_in_threadpool(
        ingest_by_number,
        request.app.state.db,
        update.events,
        source=feed,
        now=request.app.state.clock(),
        keep_rows=True,
    )
    return FeedResult(
        tracking_number=update.tracking_number,
        events=len(update.events),
        stored=report.stored,
        duplicates=report.duplicates,
        orders=sorted({row["order_id"] for row in report.rows}),
    )


@router.post(
    "/feeds/aftership",
    summary="AfterShip tracking webhook (signed, no bearer token)",
    response_model=FeedResult,
    responses=_responses(AFTERSHIP_SCHEME),
    openapi_extra=_openapi(AfterShipWebhook, aftership.SIGNATURE_HEADER, AFTERSHIP_SCHEME),
)
async def aftership_webhook(request: Request) -> FeedResult:
    """AfterShip's tracking webhook: each checkpoint of `msg.checkpoints` is an event (its code
    the checkpoint's `subtag`, e.g. `Delivered_001`; its carrier the `slug`), stored for every
    order shipped with `msg.tracking_number`. Authenticated by `aftership-hmac-sha256`."""
    key = request.app.state.settings.aftership_webhook_secret.get_secret_value()
    return await _receive(
        request,
        feed="aftership",
        header=aftership.SIGNATURE_HEADER,
        key=key,
        verify=aftership.verify,
        parse=aftership.parse,
    )


@router.post(
    "/feeds/17track",
    summary="17TRACK webhook (signed, no bearer token)",
    response_model=FeedResult,
    responses=_responses(SEVENTEEN_TRACK_SCHEME),
    openapi_extra=_openapi(
        SeventeenTrackWebhook, seventeen_track.SIGNATURE_HEADER, SEVENTEEN_TRACK_SCHEME
    ),
)
async def seventeen_track_webhook(request: Request) -> FeedResult:
    """A 17TRACK push: for `TRACKING_UPDATED`, each event of
    `data.track_info.tracking.providers[].events` is an event (its code the `sub_status`,
    e.g. `InTransit_CustomsProcessing`; its carrier the provider's name), stored for every
    order shipped with `data.number`; `TRACKING_STOPPED` is acknowledged, nothing stored.
    Authenticated by `sign`."""
    key = request.app.state.settings.seventeen_track_api_key.get_secret_value()
    return await _receive(
        request,
        feed="17track",
        header=seventeen_track.SIGNATURE_HEADER,
        key=key,
        verify=seventeen_track.verify,
        parse=seventeen_track.parse,
    )
