"""The template editor (issue 13, part 2): a store's message templates (`/desk/store/templates`:
shipped and its own, by kind, who reads them, the situations they fit, the languages the store
rewrote), one template per language (`/desk/store/templates/{key}?lang=`) with a preview
rendered on the server with sample data, the placeholders and what each holds, adding the
store's own reply, and going back to the shipped words or deleting its own (with a confirmation
step). A placeholder that is not one, or that cannot be filled, is named in the editor and the
text is not saved. Everything is decided by `services.messaging`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from disputedesk.messaging import languages
from disputedesk.messaging.catalog import ALLOWED, KEY, MAX_SUBJECT, PURPOSES, Template, shipped
from disputedesk.messaging.render import MAX_SOURCE
from disputedesk.services import messaging
from disputedesk.services.commands import ServiceError
from disputedesk.web import messaging_words as mw
from disputedesk.web import words
from disputedesk.web.messaging_pages import StoreChoice, staff_store, store_choice
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

router = APIRouter(prefix="/desk", include_in_schema=False)
# What the store's own reply may fit (a new template is a reply to the buyer).
OWN_SITUATIONS = ("reasons", "statuses", "tracking", "stages")


def rewritten(template: Template) -> list[str]:
    """The languages the store wrote itself (an edited template keeps the shipped words of the
    others; the store's own template is all its own)."""
    if template.origin == "shipped":
        return []
    if template.origin == "store" or template.shipped is None:
        return template.languages()
    base = template.shipped.texts
    return [lang for lang in template.languages() if base.get(lang) != template.texts[lang]]


def _store_texts(template: Template) -> dict[str, dict[str, str]]:
    return {
        lang: {"subject": template.texts[lang].subject, "body": template.texts[lang].body}
        for lang in rewritten(template)
    }


@dataclass(frozen=True, slots=True)
class TemplateRow:
    key: str
    title: str
    lang: str
    purpose: str
    audience: str
    origin: str
    fits: list[str]
    rewritten: list[str]


def _row(view: View, template: Template) -> TemplateRow:
    title, lang = mw.template_title(template, view.locale)
    return TemplateRow(
        template.key,
        title,
        lang,
        template.purpose,
        template.audience,
        template.origin,
        mw.situations_words(view, template.situations.to_json()),
        [mw.language_name(code, view.locale) for code in rewritten(template)],
    )


def _choices(view: View) -> dict[str, list[tuple[str, str]]]:
    """What the store's own reply may fit, each name in words."""
    return {
        kind: [(name, mw.situation_word(view, kind, name)) for name in ALLOWED[kind]]
        for kind in OWN_SITUATIONS
    }


_BLANK_NEW = {"key": "", "language": "", "subject": "", "body": "", "situations": {}}


def _list_page(
    request: Request,
    view: View,
    choice: StoreChoice,
    *,
    new: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    templates: list[Template] = []
    if choice.store_id is not None:
        templates = messaging.store_templates(database(request), choice.store_id)
    groups = [
        (purpose, [_row(view, tpl) for tpl in templates if tpl.purpose == purpose])
        for purpose in PURPOSES
    ]
    new = new or {**_BLANK_NEW, "language": view.locale}
    return page(
        view,
        "messaging_templates.html",
        status=status,
        choice=choice,
        groups=[(purpose, rows) for purpose, rows in groups if rows],
        new=new,
        errors=errors or {},
        situation_choices=_choices(view),
        message_languages=mw.language_choices(view.locale),
        placeholders=mw.placeholder_list(view),
        key_pattern=KEY.pattern,
        mw=mw,
        tab="templates",
        done=view.done(),
    )


@router.get("/store/templates")
def templates_list(request: Request, store: str | None = None) -> HTMLResponse:
    view = view_of(request)
    require_role(view, "seller")
    return _list_page(request, view, store_choice(request, view, store))


def _text_errors(view: View, subject: str, body: str, language: str) -> dict[str, str]:
    """What is wrong with a text, by field, in words: too long or not one line, empty, and
    every problem rendering it with sample data finds (each placeholder named)."""
    errors: dict[str, str] = {}
    if len(subject) > MAX_SUBJECT or "\n" in subject.strip():
        errors["subject"] = view.t("msg.check.subject", most=MAX_SUBJECT)
    if not body.strip():
        errors["body"] = view.t("msg.check.body_empty")
    elif len(body) > MAX_SOURCE:
        errors["body"] = view.t("msg.check.body_long", most=f"{MAX_SOURCE:,}")
    if errors:
        return errors
    preview = messaging.render_preview(subject, body, language)
    for problem in preview.problems:
        part = "subject" if problem.get("part") == "subject" else "body"
        said = mw.problem_words(view, problem)
        errors[part] = f"{errors[part]} {said}" if part in errors else said
    return errors


@router.post("/store/templates")
async def add_template(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_add_template, request, form)


def _field(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _add_template(request: Request, form: FormData) -> Response:
    view = view_of(request)
    token = form.get("csrf_token")
    check_csrf(view, token if isinstance(token, str) else None)
    store_id = _field(form, "store_id", 64)
    staff_store(request, view, store_id)
    assert view.session is not None
    choice = store_choice(request, view, store_id)
    db = database(request)
    new = {
        "key": _field(form, "key", 120).strip(),
        "language": _field(form, "language", 16),
        "subject": _field(form, "subject", MAX_SUBJECT + 100).strip(),
        "body": _field(form, "body", MAX_SOURCE + 100),
        "situations": {
            kind: [
                name
                for name in ALLOWED[kind]
                if name in {v for v in form.getlist(f"fits.{kind}") if isinstance(v, str)}
            ]
            for kind in OWN_SITUATIONS
        },
    }
    errors: dict[str, str] = {}
    existing = {tpl.key for tpl in messaging.store_templates(db, store_id)}
    if not KEY.fullmatch(new["key"]):
        errors["key"] = view.t("msg.check.key")
    elif new["key"] in existing:
        errors["key"] = view.t("msg.check.key_taken")
    language = languages.normalize(new["language"])
    if language is None:
        errors["language"] = view.t("msg.check.language")
    else:
        errors.update(_text_errors(view, new["subject"], new["body"], language))
    if not errors:
        raw = {
            "purpose": "reply",
            "audience": "buyer",
            "situations": {k: v for k, v in new["situations"].items() if v},
            "texts": {language: {"subject": new["subject"], "body": new["body"]}},
        }
        try:
            messaging.save_template(
                db,
                store_id,
                new["key"],
                raw,
                by=view.session.principal.email,
                now=request.app.state.clock(),
            )
        except ServiceError as exc:
            errors["form"] = words.service_error(exc.code, exc.message, locale=view.locale)
    if errors:
        return _list_page(request, view, choice, new=new, errors=errors, status=422)
    query = urlencode({"store": store_id, "lang": language, "done": "add_template"})
    return RedirectResponse(f"/desk/store/templates/{new['key']}?{query}", 303)


# -- one template -------------------------------------------------------------------------------


def _template(request: Request, view: View, store_id: str, key: str) -> Template:
    if not KEY.fullmatch(key):
        raise PageError(404, "error.not_found", "not_found", f"template {key!r}")
    try:
        return messaging.store_template(database(request), store_id, key)
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None


def _editor(
    request: Request,
    view: View,
    choice: StoreChoice,
    template: Template,
    language: str,
    *,
    typed: dict[str, str] | None = None,
    preview: messaging.Preview | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    own = template.text(language)
    fallback = (
        own or template.text(languages.DEFAULT_LANGUAGE) or next(iter(template.texts.values()))
    )
    text = typed or {"subject": fallback.subject, "body": fallback.body}
    title, title_lang = mw.template_title(template, view.locale)
    return page(
        view,
        "messaging_template.html",
        status=status,
        choice=choice,
        tpl=template,
        title=title,
        title_lang=title_lang,
        row=_row(view, template),
        language=language,
        language_name=mw.language_name(language, view.locale),
        message_languages=mw.language_choices(view.locale),
        rewritten=rewritten(template),
        written=own is not None,
        text=text,
        preview=preview,
        problems=[mw.problem_words(view, p) for p in preview.problems] if preview else [],
        errors=errors or {},
        placeholders=mw.placeholder_list(view),
        is_shipped_key=template.key in shipped(),
        mw=mw,
        tab="templates",
        done=view.done(),
    )


def _language(value: str | None) -> str:
    return languages.normalize(value) or languages.DEFAULT_LANGUAGE


@router.get("/store/templates/{key}")
def template_editor(
    request: Request, key: str, store: str | None = None, lang: str | None = None
) -> HTMLResponse:
    view = view_of(request)
    require_role(view, "seller")
    choice = store_choice(request, view, store)
    if choice.store_id is None:
        raise PageError(404, "error.not_found", "not_found", "no store")
    template = _template(request, view, choice.store_id, key)
    language = _language(lang) if lang else (view.locale if view.locale in template.texts else "en")
    return _editor(request, view, choice, template, language)


@router.post("/store/templates/{key}")
def save_or_preview(
    request: Request,
    key: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    store_id: Annotated[str, Form(max_length=64)] = "",
    language: Annotated[str, Form(max_length=16)] = "",
    subject: Annotated[str, Form(max_length=MAX_SUBJECT + 100)] = "",
    body: Annotated[str, Form(max_length=MAX_SOURCE + 100)] = "",
    do: Annotated[str, Form(max_length=20)] = "preview",
) -> Response:
    """ "Preview" renders the typed text with sample data (nothing is stored); "Save" stores it
    as the store's words in that language, or names what is wrong and stores nothing."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    staff_store(request, view, store_id)
    assert view.session is not None
    choice = store_choice(request, view, store_id)
    template = _template(request, view, store_id, key)
    lang = _language(language)
    typed = {"subject": subject.strip(), "body": body}
    if do != "save":
        preview = messaging.render_preview(typed["subject"], body, lang)
        return _editor(request, view, choice, template, lang, typed=typed, preview=preview)
    errors = _text_errors(view, typed["subject"], body, lang)
    if not errors:
        texts = {**_store_texts(template), lang: {"subject": typed["subject"], "body": body}}
        raw: dict[str, Any] = {"texts": texts}
        if template.origin == "store":  # the store's own: its kind, readers and fit stay
            raw.update(
                purpose=template.purpose,
                audience=template.audience,
                situations=template.situations.to_json(),
            )
        try:
            messaging.save_template(
                database(request),
                store_id,
                key,
                raw,
                by=view.session.principal.email,
                now=request.app.state.clock(),
            )
        except ServiceError as exc:
            errors["form"] = words.service_error(exc.code, exc.message, locale=view.locale)
    if errors:
        return _editor(
            request, view, choice, template, lang, typed=typed, errors=errors, status=422
        )
    query = urlencode({"store": store_id, "lang": lang, "done": "save_template"})
    return RedirectResponse(f"/desk/store/templates/{key}?{query}", 303)


def _delete_words(view: View, template: Template, title: str) -> tuple[str, str]:
    if template.origin == "store":
        return view.t("msg.delete.confirm", title=title), view.t("msg.delete.button")
    return view.t("msg.revert.confirm", title=title), view.t("msg.revert.button")


@router.get("/store/templates/{key}/delete")
def delete_step(request: Request, key: str, store: str | None = None) -> Response:
    """The confirmation step of deleting the store's own template, or of going back to the
    shipped words of one it edited."""
    view = view_of(request)
    require_role(view, "seller")
    choice = store_choice(request, view, store)
    if choice.store_id is None:
        raise PageError(404, "error.not_found", "not_found", "no store")
    template = _template(request, view, choice.store_id, key)
    if template.origin == "shipped":
        raise PageError(404, "error.not_found", "not_found", "nothing of the store's to remove")
    title = mw.template_title(template, view.locale)[0]
    sentence, label = _delete_words(view, template, title)
    return confirm_page(
        view,
        sentences=[sentence],
        action_url=f"/desk/store/templates/{key}/delete",
        back_url=f"/desk/store/templates/{key}?{urlencode({'store': choice.store_id})}",
        label=label,
        primary=False,
        fields={"store_id": choice.store_id},
    )


@router.post("/store/templates/{key}/delete")
def delete_template(
    request: Request,
    key: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    store_id: Annotated[str, Form(max_length=64)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    staff_store(request, view, store_id)
    if confirm != "yes":
        query = urlencode({"store": store_id})
        return RedirectResponse(f"/desk/store/templates/{key}/delete?{query}", 303)
    if not KEY.fullmatch(key):
        raise PageError(404, "error.not_found", "not_found", f"template {key!r}")
    was_shipped = key in shipped()
    messaging.delete_template(database(request), store_id, key)  # gone already: the same
    done = "revert_template" if was_shipped else "delete_template"
    if was_shipped:
        query = urlencode({"store": store_id, "done": done})
        return RedirectResponse(f"/desk/store/templates/{key}?{query}", 303)
    return RedirectResponse(
        f"/desk/store/templates?{urlencode({'store': store_id, 'done': done})}", 303
    )
