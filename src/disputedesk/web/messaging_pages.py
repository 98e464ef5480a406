"""Messages in the web desk (issue 13), the store's side: suggested replies in the message form
of the dispute and order pages (`reply_box`), the store's messaging settings
(`/desk/store/messaging`: triggers, reminders, the automatic reply, the staff's language and
time zone) and the delivery log (`/desk/store/messaging/deliveries`). The template editor is
`template_pages.py`; notifications, personal settings and the demo's mailbox are
`notification_pages.py`. Everything is decided by `services.messaging`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from disputedesk.messaging import languages
from disputedesk.messaging.catalog import TRIGGERS, Template
from disputedesk.messaging.settings import (
    CHANNELS,
    MAX_DELAY_MINUTES,
    TRIGGER_AUDIENCE,
    WEEKDAYS,
    SettingsError,
    StoreSettings,
    settings_from,
    working_hours_from,
)
from disputedesk.messaging.situations import Case
from disputedesk.rules.instants import parse_instant
from disputedesk.rules.vocabulary import reason_category
from disputedesk.services import messaging, returns
from disputedesk.services.commands import ServiceError
from disputedesk.store import tables as t
from disputedesk.web import messaging_words as mw
from disputedesk.web import words
from disputedesk.web.render import (
    TIME_ZONES,
    PageError,
    View,
    check_csrf,
    database,
    page,
    require_role,
    view_of,
)

router = APIRouter(prefix="/desk", include_in_schema=False)
DELIVERIES_PAGE = 50
DELIVERY_STATUSES = ("pending", "sending", "delivered", "failed", "skipped", "cancelled")
MAX_OFFSET = 1_000_000


# -- the stores a seller works for --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreChoice:
    """The reader's stores (id, name, role) and the one this page is about."""

    stores: list[tuple[str, str, str]]
    store_id: str | None
    store_name: str
    owner: bool


def store_choice(request: Request, view: View, wanted: str | None) -> StoreChoice:
    assert view.session is not None
    principal = view.session.principal
    ids = sorted(principal.stores)
    names = returns.store_names(database(request), ids)
    if wanted and wanted not in principal.stores:
        raise PageError(404, "error.not_found", "not_found", f"store {wanted!r}")
    chosen = wanted or (ids[0] if ids else None)
    return StoreChoice(
        [(i, names.get(i, i), principal.stores[i]) for i in ids],
        chosen,
        names.get(chosen or "", chosen or ""),
        bool(chosen and principal.owns(chosen)),
    )


def staff_store(request: Request, view: View, store_id: str, *, owner: bool = False) -> None:
    """The reader is staff of the store (with `owner`, its owner), as the API requires."""
    require_role(view, "seller")
    assert view.session is not None
    principal = view.session.principal
    if not principal.member_of(store_id):
        raise PageError(404, "error.not_found", "not_found", f"store {store_id!r}")
    if owner and not principal.owns(store_id):
        raise PageError(403, "msg.owner_only", "forbidden")


def _number(text: str, high: int) -> int | None:
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(high)):
        return None
    value = int(text)
    return value if value <= high else None


# -- suggested replies in the message form ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplyItem:
    key: str
    subject: str
    preview: str  # the body's first lines
    body: str
    fits: list[str]
    link: str


@dataclass(frozen=True, slots=True)
class ReplyBox:
    """What the message form offers the store's staff: the replies that fit, filled in the
    buyer's language (`language`), the chosen one's text for the message box, and the fitting
    ones this case has no value for (`unavailable`: title, its language, what is missing)."""

    language: str
    default_language: str
    languages: list[tuple[str, str]]
    items: list[ReplyItem]
    unavailable: list[tuple[str, str, str]]
    chosen: ReplyItem | None
    path: str
    unknown_choice: bool = False

    @property
    def lang(self) -> str:
        return mw.html_lang(self.language)

    def language_name(self, code: str) -> str:
        return dict(self.languages).get(code, code)


def _preview(body: str, lines: int = 3, limit: int = 240) -> str:
    kept = [line for line in body.splitlines() if line.strip()][:lines]
    text = "\n".join(kept)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fits_case(view: View, situations: dict[str, list[str]], case: Case) -> list[str]:
    """What of this case a reply fits, in words: the reason (or its category), the status, the
    tracking facts it was written for."""
    out: list[str] = []
    reasons = situations.get("reasons") or []
    if case.reason and reasons:
        category = reason_category(case.reason)
        if case.reason in reasons:
            out.append(view.reason(case.reason))
        elif category in reasons:
            out.append(view.t(f"category.{category}"))
    if case.status and case.status in (situations.get("statuses") or []):
        out.append(view.t(f"status.{case.status}"))
    for fact in sorted(set(situations.get("tracking") or []) & case.tracking):
        out.append(mw.situation_word(view, "tracking", fact))
    return out


def reply_box(
    request: Request, view: View, order_id: str, store_id: str, dispute_seq: int | None = None
) -> ReplyBox | None:
    """The suggested replies for the message form of an order's page or one of its disputes'
    (the store's staff only); `?reply=KEY` fills the message box with that reply (no
    JavaScript needed), `?reply_lang=` writes them in another language."""
    if view.role != "seller" or view.session is None:
        return None
    db = database(request)
    asked = request.query_params.get("reply_lang") or None
    chosen_language = languages.normalize(asked) if asked else None
    try:
        found = messaging.suggestions_for(
            db, order_id, now=view.now, dispute_seq=dispute_seq, language=chosen_language, limit=8
        )
        default = found.language
        if chosen_language is not None:  # the buyer's own language, for the choice's label
            default = messaging.suggestions_for(
                db, order_id, now=view.now, dispute_seq=dispute_seq, limit=1
            ).language
        templates = {tpl.key: tpl for tpl in messaging.store_templates(db, store_id)}
    except ServiceError:
        return None
    path = request.url.path
    keep = {"reply_lang": found.language} if found.language != default else {}
    items = [
        ReplyItem(
            s.key,
            s.subject,
            _preview(s.body),
            s.body,
            _fits_case(view, s.situations, found.case),
            f"{path}?{urlencode({**keep, 'reply': s.key})}#message-body",
        )
        for s in found.items
    ]
    wanted = request.query_params.get("reply") or ""
    chosen = next((item for item in items if item.key == wanted), None)
    unavailable = []
    for missing in found.unavailable:
        template = templates.get(str(missing.get("key")))
        if template is None:
            continue
        title, lang = mw.template_title(template, view.locale)
        name = str(missing.get("placeholder") or "")
        what = mw.placeholder_words(view, name) if name else view.t("msg.unavailable.some")
        unavailable.append((title, lang, what))
    return ReplyBox(
        found.language,
        default,
        mw.language_choices(view.locale),
        items,
        unavailable,
        chosen,
        path,
        unknown_choice=bool(wanted) and chosen is None,
    )


# -- the store's messaging settings -------------------------------------------------------------


def _templates_for(
    view: View, templates: list[Template], purpose: str, audience: str, current: str
) -> list[tuple[str, str, str]]:
    """(key, title, its language) of the templates a trigger (or the automatic reply) may
    send: those of its kind for its readers, and the one chosen now."""
    return [
        (tpl.key, *mw.template_title(tpl, view.locale))
        for tpl in templates
        if (tpl.purpose == purpose and tpl.audience == audience) or tpl.key == current
    ]


def _form_of(settings: StoreSettings, opted_out: list[str]) -> dict[str, Any]:
    """The settings as the form shows them (what was typed, after a refusal)."""
    hours = settings.auto_reply.hours.to_json()
    return {
        "language": settings.language,
        "time_zone": settings.time_zone,
        "tracking_url": settings.tracking_url,
        "triggers": {
            name: {
                "enabled": trigger.enabled,
                "channels": list(trigger.channels),
                "delay": str(trigger.delay_minutes),
                "template": trigger.template,
            }
            for name, trigger in settings.triggers.items()
        },
        "reminders": {
            "enabled": settings.reminders.enabled,
            "channels": list(settings.reminders.channels),
        },
        "auto_reply": {
            "enabled": settings.auto_reply.enabled,
            "channels": list(settings.auto_reply.channels),
            "template": settings.auto_reply.template,
            "hours": {day: ", ".join(hours.get(day, [])) for day in WEEKDAYS},
        },
        "opted_out": list(opted_out),
    }


def _posted(form: FormData) -> dict[str, Any]:
    def text(name: str, limit: int = 300) -> str:
        value = form.get(name)
        return value.strip()[:limit] if isinstance(value, str) else ""

    def channels(name: str) -> list[str]:
        given = {v for v in form.getlist(name) if isinstance(v, str)}
        return [c for c in CHANNELS if c in given]

    return {
        "language": text("language", 16),
        "time_zone": text("time_zone", 64),
        "tracking_url": text("tracking_url", 400),
        "triggers": {
            name: {
                "enabled": form.get(f"trigger.{name}.enabled") == "1",
                "channels": channels(f"trigger.{name}.channels"),
                "delay": text(f"trigger.{name}.delay", 20),
                "template": text(f"trigger.{name}.template", 100),
            }
            for name in TRIGGERS
        },
        "reminders": {
            "enabled": form.get("reminders.enabled") == "1",
            "channels": channels("reminders.channels"),
        },
        "auto_reply": {
            "enabled": form.get("auto.enabled") == "1",
            "channels": channels("auto.channels"),
            "template": text("auto.template", 100),
            "hours": {day: text(f"hours.{day}", 120) for day in WEEKDAYS},
        },
        "opted_out": channels("opted_out"),
    }


def _check(
    view: View, form: dict[str, Any], templates: dict[str, Template]
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The settings to store, or each refused field with why, in words (the messaging
    module's own checks, field by field, so that every mistake is named at once)."""
    errors: dict[str, str] = {}
    if form["language"] not in languages.LANGUAGES:
        errors["language"] = view.t("msg.check.language")
    zone = languages.valid_zone(form["time_zone"])
    if zone is None:
        errors["time_zone"] = view.t("msg.check.time_zone", value=form["time_zone"])
    try:
        settings_from({"tracking_url": form["tracking_url"]})
    except SettingsError:
        errors["tracking_url"] = view.t("msg.check.tracking_url")
    triggers: dict[str, Any] = {}
    for name, given in form["triggers"].items():
        delay = _number(given["delay"], MAX_DELAY_MINUTES)
        if delay is None:
            errors[f"trigger.{name}.delay"] = view.t(
                "msg.check.delay", most=f"{MAX_DELAY_MINUTES:,}"
            )
        template = templates.get(given["template"])
        if template is None or template.audience != TRIGGER_AUDIENCE[name]:
            errors[f"trigger.{name}.template"] = view.t("msg.check.template")
        triggers[name] = {
            "enabled": given["enabled"],
            "channels": given["channels"],
            "delay_minutes": delay or 0,
            "template": given["template"],
        }
    auto = form["auto_reply"]
    hours: dict[str, list[str]] = {}
    for day, typed in auto["hours"].items():
        ranges = [part.strip() for part in typed.replace(";", ",").split(",") if part.strip()]
        try:
            working_hours_from({day: ranges}, zone or "UTC", "hours")
        except SettingsError:
            errors[f"hours.{day}"] = view.t(
                "msg.check.hours", day=view.t(f"msg.day.{day}"), value=typed
            )
        if ranges:
            hours[day] = ranges
    if auto["enabled"] and not hours and not any(k.startswith("hours.") for k in errors):
        errors["hours"] = view.t("msg.check.hours_needed")
    if auto["template"] not in templates:
        errors["auto.template"] = view.t("msg.check.template")
    if errors:
        return None, errors
    raw = {
        "language": form["language"],
        "time_zone": form["time_zone"],
        "tracking_url": form["tracking_url"],
        "triggers": triggers,
        "reminders": {
            "enabled": form["reminders"]["enabled"],
            "channels": form["reminders"]["channels"],
        },
        "auto_reply": {
            "enabled": auto["enabled"],
            "channels": auto["channels"],
            "template": auto["template"],
            "working_hours": hours,
        },
    }
    return raw, {}


def _settings_page(
    request: Request,
    view: View,
    choice: StoreChoice,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    db = database(request)
    store_id = choice.store_id
    templates: list[Template] = []
    if store_id is not None:
        templates = messaging.store_templates(db, store_id)
        if form is None:
            form = _form_of(
                messaging.store_settings(db, store_id), messaging.store_opt_outs(db, store_id)
            )
    zones = list(TIME_ZONES)
    if form and form["time_zone"] and form["time_zone"] not in zones:
        zones.append(form["time_zone"])
    return page(
        view,
        "messaging_settings.html",
        status=status,
        choice=choice,
        form=form,
        errors=errors or {},
        error=error,
        triggers=[(name, TRIGGER_AUDIENCE[name]) for name in TRIGGERS],
        trigger_templates={
            name: _templates_for(
                view,
                templates,
                "notice",
                TRIGGER_AUDIENCE[name],
                form["triggers"][name]["template"],
            )
            for name in TRIGGERS
        }
        if form
        else {},
        auto_templates=_templates_for(
            view, templates, "auto_reply", "buyer", form["auto_reply"]["template"]
        )
        if form
        else [],
        channels=CHANNELS,
        weekdays=WEEKDAYS,
        message_languages=mw.language_choices(view.locale),
        zones=zones,
        max_delay=MAX_DELAY_MINUTES,
        mw=mw,
        tab="settings",
        done=view.done(),
    )


@router.get("/store/messaging")
def messaging_settings(request: Request, store: str | None = None) -> HTMLResponse:
    """Each trigger, the reminders and the automatic reply of the store: its owner changes
    them, its agents read them."""
    view = view_of(request)
    require_role(view, "seller")
    return _settings_page(request, view, store_choice(request, view, store))


@router.post("/store/messaging")
async def save_messaging_settings(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_save_settings, request, form)


def _save_settings(request: Request, posted: FormData) -> Response:
    view = view_of(request)
    csrf = posted.get("csrf_token")
    check_csrf(view, csrf if isinstance(csrf, str) else None)
    store_value = posted.get("store_id")
    store_id = store_value if isinstance(store_value, str) else ""
    staff_store(request, view, store_id, owner=True)
    assert view.session is not None
    choice = store_choice(request, view, store_id)
    db = database(request)
    form = _posted(posted)
    templates = {tpl.key: tpl for tpl in messaging.store_templates(db, store_id)}
    raw, errors = _check(view, form, templates)
    if raw is None:
        return _settings_page(request, view, choice, form=form, errors=errors, status=422)
    now = request.app.state.clock()
    try:
        messaging.save_settings(db, store_id, raw, by=view.session.principal.email, now=now)
        messaging.save_store_opt_outs(db, store_id, form["opted_out"], now=now)
    except ServiceError as exc:
        message = words.service_error(exc.code, exc.message, locale=view.locale)
        return _settings_page(request, view, choice, form=form, error=message, status=422)
    query = urlencode({"store": store_id, "done": "save_messaging"})
    return RedirectResponse(f"/desk/store/messaging?{query}", 303)


# -- the delivery log ---------------------------------------------------------------------------


def user_names(request: Request, deliveries: list[dict[str, Any]]) -> dict[int, str]:
    """The names of the people whose notification lists the deliveries went to."""
    ids = {
        int(number)
        for d in deliveries
        for number in [str(d.get("recipient") or "").partition("user:")[2]]
        if number.isdigit()
    }
    if not ids:
        return {}
    with database(request).engine.connect() as conn:
        return dict(
            conn.execute(select(t.users.c.id, t.users.c.name).where(t.users.c.id.in_(ids))).all()
        )


def delivery_rows(
    view: View, request: Request, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The log's rows in words: when, what, to whom, on which channel, how it went."""
    names = user_names(request, items)
    rows = []
    for item in items:
        reason, said = mw.error_words(view, item.get("last_error"))
        rows.append(
            {
                "id": item["id"],
                "order_id": item["order_id"],
                "kind": mw.kind_words(view, item["kind"]),
                "channel": view.t(f"msg.channel.{item['channel']}"),
                "recipient": mw.recipient_words(view, item, names),
                "language": mw.language_name(item["language"], view.locale),
                "lang": mw.html_lang(item["language"]),
                "status": item["status"],
                "status_text": mw.status_words(view, item["status"]),
                "attempts": item["attempts"],
                "created_at": parse_instant(item["created_at"]),
                "next_attempt_at": parse_instant(item["next_attempt_at"]),
                "delivered_at": parse_instant(item["delivered_at"]),
                "reason": reason,
                "said": said,
                "subject": item["subject"],
                "body": item["body"],
                "log": [
                    {
                        "at": parse_instant(a["at"]),
                        "outcome": mw.status_words(view, a["outcome"]),
                        "code": a["code"],
                        "said": mw.error_words(view, a["error"]),
                    }
                    for a in item["log"]
                ],
            }
        )
    return rows


@router.get("/store/messaging/deliveries")
def delivery_log(
    request: Request,
    store: str | None = None,
    channel: str | None = None,
    status: str | None = None,
    offset: int = 0,
) -> HTMLResponse:
    """What the store's notifications sent, channel by channel, newest first, with every
    attempt and why one was not made."""
    view = view_of(request)
    require_role(view, "seller")
    choice = store_choice(request, view, store)
    chosen_channel = channel if channel in CHANNELS else None
    chosen_status = status if status in DELIVERY_STATUSES else None
    offset = min(max(offset, 0), MAX_OFFSET)
    items: list[dict[str, Any]] = []
    if choice.store_id is not None:
        items = messaging.deliveries(
            database(request),
            store_ids=[choice.store_id],
            channel=chosen_channel,
            status=chosen_status,
            limit=DELIVERIES_PAGE + 1,
            offset=offset,
        )
    params = {
        k: v
        for k, v in (
            ("store", choice.store_id),
            ("channel", chosen_channel),
            ("status", chosen_status),
        )
        if v
    }
    return page(
        view,
        "messaging_deliveries.html",
        choice=choice,
        rows=delivery_rows(view, request, items[:DELIVERIES_PAGE]),
        channels=CHANNELS,
        statuses=DELIVERY_STATUSES,
        channel=chosen_channel,
        status_filter=chosen_status,
        mw=mw,
        tab="deliveries",
        offset=offset,
        has_more=len(items) > DELIVERIES_PAGE,
        query_next=urlencode({**params, "offset": offset + DELIVERIES_PAGE}),
        query_prev=urlencode({**params, "offset": max(0, offset - DELIVERIES_PAGE)}),
    )
