"""Messages in the buyer's language: suggested replies for a dispute or an order (the store's
staff), the store's templates, triggers, reminders and auto-reply settings, a person's
notifications, language, time zone and opt-outs, and the signed one-click unsubscribe link
(no sign-in). The services are `services.messaging` (and the worker's
`services.notifications`)."""

from __future__ import annotations

import html
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import Field
from sqlalchemy import select

from disputedesk.api.access import order_row_for, require_store_member
from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import ID_PATTERN, Limit, Offset, Strict
from disputedesk.messaging.catalog import TRIGGERS
from disputedesk.messaging.languages import LANGUAGES, NAMES
from disputedesk.messaging.settings import MAX_DELAY_MINUTES
from disputedesk.messaging.words import UNSUBSCRIBE_PAGE
from disputedesk.services import messaging
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError
from disputedesk.services.desk import parse_dispute_id
from disputedesk.store import tables as t
from disputedesk.store.db import Database

router = APIRouter(tags=["messaging"])

_STORE_ID = re.compile(ID_PATTERN)
KEY_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,99}$"
Language = Literal[LANGUAGES]  # type: ignore[valid-type]
Channel = Literal["in_app", "email", "webhook"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LanguageQuery = Annotated[
    Language | None,
    Query(description="Write in this language instead of the buyer's (en, zh_CN, es, ...)"),
]
TemplateKey = Annotated[
    str, Path(pattern=KEY_PATTERN, max_length=100, description="A template's key")
]
NotificationId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The notification's id")]
Token = Annotated[str, Path(min_length=10, max_length=400, pattern=r"^[A-Za-z0-9_.-]+$")]


def _fail(exc: ServiceError) -> ApiError:
    return ApiError(exc.code, exc.message)


def _staff_store(db: Database, user: Principal, store_id: str, *, owner: bool = False) -> None:
    """The caller is staff of the store (with `owner`: its owner; an operator: any), which
    exists."""
    require_store_member(user, store_id, owner=owner)
    if _STORE_ID.fullmatch(store_id):
        with db.engine.connect() as conn:
            if conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)) is not None:
                return
    raise ApiError("not_found", f"store {store_id!r} not found")


def _staff_only(user: Principal) -> None:
    if user.role not in ("seller", "admin"):
        raise ApiError("forbidden", "suggested replies are for the store's staff")


# -- suggested replies --------------------------------------------------------------------------


@router.get(
    "/disputes/{dispute_id}/suggested-replies",
    summary="Replies that fit the dispute, pre-filled in the buyer's language (staff)",
)
def dispute_suggestions(
    dispute_id: Annotated[str, Path(max_length=80)],
    user: CurrentUser,
    db: Db,
    now: Now,
    language: LanguageQuery = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """The store's templates (shipped and its own) that fit the dispute's reason, status and
    the parcel's tracking, best fitting first, each filled with the order's facts in the
    buyer's language (their setting, else their country's main language, else English): ready
    to edit and send. `unavailable` lists fitting templates this case has no value for (the
    placeholder named)."""
    parsed = parse_dispute_id(dispute_id)
    if parsed is None:
        raise ApiError("not_found", f"dispute {dispute_id!r} not found")
    order_id, seq = parsed
    order_row_for(db, user, order_id)
    _staff_only(user)
    try:
        found = messaging.suggestions_for(
            db, order_id, now=now, dispute_seq=seq, language=language, limit=limit
        )
    except ServiceError as exc:
        raise _fail(exc) from None
    return found.to_json()


@router.get(
    "/orders/{order_id}/suggested-replies",
    summary="Replies that fit the order's thread, pre-filled in the buyer's language (staff)",
)
def order_suggestions(
    order_id: Annotated[str, Path(max_length=64)],
    user: CurrentUser,
    db: Db,
    now: Now,
    language: LanguageQuery = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """As for a dispute, by the order's stage and tracking (and its open dispute, if any)."""
    order_row_for(db, user, order_id)
    _staff_only(user)
    try:
        found = messaging.suggestions_for(db, order_id, now=now, language=language, limit=limit)
    except ServiceError as exc:
        raise _fail(exc) from None
    return found.to_json()


# -- a person's notifications and preferences ---------------------------------------------------


@router.get("/notifications", summary="Your notifications, newest first, with the unread count")
def list_notifications(
    user: CurrentUser,
    db: Db,
    unread: Annotated[bool, Query(description="Only the unread ones")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """What the desk told you in the app: notices about your orders, reminders before your
    deadlines."""
    return messaging.notifications_of(
        db, user.user_id, unread_only=unread, limit=limit, offset=offset
    )


@router.post("/notifications/read-all", summary="Mark all your notifications read")
def read_all(user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    marked = messaging.mark_all_read(db, user.user_id, now)
    return {"marked": marked, "unread": messaging.unread_count(db, user.user_id)}


@router.post("/notifications/{notification_id}/read", summary="Mark a notification read")
def read_one(
    notification_id: NotificationId, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    try:
        item = messaging.mark_read(db, user.user_id, notification_id, now)
    except ServiceError as exc:
        raise _fail(exc) from None
    return {**item, "unread": messaging.unread_count(db, user.user_id)}


class PreferencesIn(Strict):
    language: Language | None = Field(default=None, description="Messages to you in this language")
    time_zone: str | None = Field(
        default=None, max_length=64, description="An IANA zone, e.g. Europe/Warsaw"
    )
    opted_out: list[Channel] = Field(
        default_factory=list, max_length=3, description="Channels you want nothing on"
    )


@router.get("/me/messaging", summary="Your language, time zone and opted-out channels")
def my_preferences(user: CurrentUser, db: Db) -> dict[str, Any]:
    return messaging.preferences_of(db, user)


@router.post("/me/messaging", summary="Set your language, time zone and opted-out channels")
def save_my_preferences(body: PreferencesIn, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    """A buyer's opt-outs are theirs across stores; a staff member's are their address's."""
    try:
        return messaging.save_preferences(
            db,
            user,
            language=body.language,
            time_zone=body.time_zone,
            opted_out=body.opted_out,
            now=now,
        )
    except ServiceError as exc:
        raise _fail(exc) from None


# -- a store's settings and templates -----------------------------------------------------------


class TriggerIn(Strict):
    enabled: bool = True
    channels: list[Channel] = Field(default_factory=lambda: ["in_app"], max_length=3)
    delay_minutes: int = Field(default=0, ge=0, le=MAX_DELAY_MINUTES)
    template: str | None = Field(default=None, pattern=KEY_PATTERN, max_length=100)


TriggersIn = dict[Literal[TRIGGERS], TriggerIn]  # type: ignore[valid-type]


class RemindersIn(Strict):
    enabled: bool = True
    channels: list[Channel] = Field(default_factory=lambda: ["in_app", "email"], max_length=3)


class AutoReplyIn(Strict):
    enabled: bool = False
    channels: list[Channel] = Field(default_factory=lambda: ["in_app"], max_length=3)
    template: str | None = Field(default=None, pattern=KEY_PATTERN, max_length=100)
    working_hours: (
        dict[
            Weekday,
            Annotated[
                list[Annotated[str, Field(pattern=r"^\d\d:\d\d-\d\d:\d\d$", max_length=11)]],
                Field(max_length=6),
            ],
        ]
        | None
    ) = Field(default=None, description='Per weekday, ranges such as "09:00-18:00"')


class MessagingSettingsIn(Strict):
    """Anything left out takes the default (triggers on, in the app; reminders on, in the app
    and by email; the automatic reply off)."""

    language: Language = "en"
    time_zone: str = Field(default="UTC", max_length=64, examples=["Asia/Shanghai"])
    tracking_url: str | None = Field(
        default=None, max_length=300, examples=["https://t.17track.net/en#nums={number}"]
    )
    triggers: TriggersIn | None = None
    reminders: RemindersIn | None = None
    auto_reply: AutoReplyIn | None = None
    opted_out: list[Channel] | None = Field(
        default=None, max_length=3, description="Channels the store wants nothing on"
    )


def _settings_view(db: Database, store_id: str) -> dict[str, Any]:
    return {
        "store_id": store_id,
        "settings": messaging.store_settings(db, store_id).to_json(),
        "opted_out": messaging.store_opt_outs(db, store_id),
        "languages": [{"code": code, "name": NAMES[code]} for code in LANGUAGES],
    }


@router.get("/stores/{store_id}/messaging", summary="The store's messaging settings (staff)")
def get_settings(store_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    """Each trigger (on/off, channels, delay, template), reminders 48 h and 12 h before each
    deadline (on/off, channels), the automatic reply outside working hours (off by default),
    the staff's language and time zone, and the channels the store opted out of."""
    _staff_store(db, user, store_id)
    return _settings_view(db, store_id)


@router.post(
    "/stores/{store_id}/messaging", summary="Change the store's messaging settings (owner)"
)
def save_settings(
    store_id: str, body: MessagingSettingsIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    _staff_store(db, user, store_id, owner=True)
    raw = body.model_dump(exclude_none=True, exclude={"opted_out"})
    try:
        messaging.save_settings(db, store_id, raw, by=user.email, now=now)
        if body.opted_out is not None:
            messaging.save_store_opt_outs(db, store_id, body.opted_out, now=now)
    except ServiceError as exc:
        raise _fail(exc) from None
    return _settings_view(db, store_id)


@router.get("/stores/{store_id}/templates", summary="The store's message templates (staff)")
def list_templates(store_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    """The shipped templates in seven languages, with the store's edits laid over them and its
    own added (`origin`: shipped / edited / store), and the placeholders a text may use."""
    _staff_store(db, user, store_id)
    try:
        items = messaging.store_templates(db, store_id)
    except ServiceError as exc:
        raise _fail(exc) from None
    return {"items": [i.to_json() for i in items], "placeholders": messaging.placeholders()}


@router.get("/stores/{store_id}/templates/{key}", summary="One message template (staff)")
def get_template(store_id: str, key: TemplateKey, user: CurrentUser, db: Db) -> dict[str, Any]:
    _staff_store(db, user, store_id)
    try:
        return messaging.store_template(db, store_id, key).to_json()
    except ServiceError as exc:
        raise _fail(exc) from None


class TextIn(Strict):
    subject: str = Field(default="", max_length=200)
    body: str = Field(min_length=1, max_length=10_000)


class TemplateIn(Strict):
    """A shipped key keeps its purpose and audience; a new key is a reply to the buyer unless
    told. Languages left out keep the shipped words (for a shipped key)."""

    texts: dict[Language, TextIn] = Field(min_length=1, max_length=7)
    purpose: Literal["reply", "notice", "reminder", "auto_reply"] = "reply"
    audience: Literal["buyer", "store"] = "buyer"
    situations: (
        dict[
            Literal["stages", "tracking", "reasons", "statuses", "triggers", "deadlines"],
            Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=20)],
        ]
        | None
    ) = None


@router.post(
    "/stores/{store_id}/templates/{key}",
    summary="Save the store's version of a template, or a new one (staff)",
)
def save_template(
    store_id: str, key: TemplateKey, body: TemplateIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """Every text is checked by rendering it with sample data: a placeholder that is not one,
    or anything the sandbox refuses, is refused with the placeholder named."""
    _staff_store(db, user, store_id)
    raw = body.model_dump(exclude_none=True)
    try:
        return messaging.save_template(db, store_id, key, raw, by=user.email, now=now).to_json()
    except ServiceError as exc:
        raise _fail(exc) from None


@router.post(
    "/stores/{store_id}/templates/{key}/delete",
    summary="Remove the store's version of a template (staff)",
)
def delete_template(store_id: str, key: TemplateKey, user: CurrentUser, db: Db) -> dict[str, Any]:
    """A shipped key goes back to the shipped words; a store's own key is gone."""
    _staff_store(db, user, store_id)
    try:
        deleted = messaging.delete_template(db, store_id, key)
    except ServiceError as exc:
        raise _fail(exc) from None
    return {"key": key, "deleted": deleted}


class PreviewIn(TextIn):
    language: Language = "en"


@router.post(
    "/stores/{store_id}/templates-preview", summary="Render a text with sample data (staff)"
)
def preview_template(store_id: str, body: PreviewIn, user: CurrentUser, db: Db) -> dict[str, Any]:
    """What the editor shows while typing: the text filled with sample data in the language, or
    every problem with its placeholder (unknown, without a value, refused by the sandbox)."""
    _staff_store(db, user, store_id)
    return messaging.render_preview(body.subject, body.body, body.language).to_json()


@router.get(
    "/stores/{store_id}/messaging/deliveries",
    summary="What the store's notifications sent, channel by channel, with every attempt (staff)",
)
def list_deliveries(
    store_id: str,
    user: CurrentUser,
    db: Db,
    channel: Annotated[Channel | None, Query()] = None,
    status: Annotated[
        Literal["pending", "sending", "delivered", "failed", "skipped", "cancelled"] | None,
        Query(),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    _staff_store(db, user, store_id)
    items = messaging.deliveries(
        db, store_ids=[store_id], channel=channel, status=status, limit=limit, offset=offset
    )
    return {"items": items, "limit": limit, "offset": offset}


# -- the one-click unsubscribe link (no sign-in: the signed token is the authority) -------------


def _page(language: str, text: str, form: str = "") -> HTMLResponse:
    words = UNSUBSCRIBE_PAGE.get(language) or UNSUBSCRIBE_PAGE["en"]
    lang = html.escape(language.replace("_", "-"))
    title = html.escape(words["title"])
    return HTMLResponse(
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head><body><main><h1>{title}</h1>"
        f"<p>{html.escape(text)}</p>{form}</main></body></html>",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


_HTML = {200: {"content": {"text/html": {}}, "description": "A page for people"}}


def _secret(request: Request) -> str:
    """The configured signing key (DISPUTEDESK_MESSAGING_SECRET); empty: the database's."""
    return str(request.app.state.settings.messaging_secret.get_secret_value())


@router.get(
    "/unsubscribe/{token}",
    response_class=HTMLResponse,
    responses=_HTML,  # type: ignore[arg-type]
    summary="The unsubscribe link of an email: asks to confirm (no sign-in)",
)
def unsubscribe_page(token: Token, request: Request, db: Db) -> HTMLResponse:
    """Opening the link changes nothing (mail scanners open links); the button posts it."""
    try:
        found = messaging.check_unsubscribe(db, token, configured_key=_secret(request))
    except ServiceError as exc:
        raise _fail(exc) from None
    words = UNSUBSCRIBE_PAGE.get(found.language) or UNSUBSCRIBE_PAGE["en"]
    button = html.escape(words["button"])
    return _page(
        found.language, words["question"], f'<form method="post"><button>{button}</button></form>'
    )


@router.post(
    "/unsubscribe/{token}",
    response_class=HTMLResponse,
    responses=_HTML,  # type: ignore[arg-type]
    summary="Unsubscribe (RFC 8058 one-click: List-Unsubscribe=One-Click; no sign-in)",
)
def unsubscribe(token: Token, request: Request, db: Db, now: Now) -> HTMLResponse:
    """The channel stops for whoever the link was sent to (a buyer: across stores; a staff
    member: their address). Again: nothing changes."""
    try:
        found = messaging.unsubscribe(db, token, now=now, configured_key=_secret(request))
    except ServiceError as exc:
        raise _fail(exc) from None
    words = UNSUBSCRIBE_PAGE.get(found.language) or UNSUBSCRIBE_PAGE["en"]
    return _page(found.language, words["done"])
