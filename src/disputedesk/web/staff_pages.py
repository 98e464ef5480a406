"""The store's staff (`/desk/store/staff`, owners): invite agents with a link shown once, choose
what each may do, change it, remove them; and the invitation link itself
(`/desk/invitations/<token>`), accepted by the invited email signing in or creating a seller
account. The rules are `services.staff` and `services.permissions`, the API's too."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from disputedesk.services import claims, permissions, staff
from disputedesk.services.commands import ServiceError
from disputedesk.services.permissions import Permissions
from disputedesk.services.sessions import start_session
from disputedesk.store import tables as t
from disputedesk.web import words
from disputedesk.web.render import (
    HOME_BY_ROLE,
    PageError,
    View,
    check_csrf,
    confirm_page,
    database,
    now_of,
    page,
    view_of,
)
from disputedesk.web.security import SESSION_COOKIE, secure_cookies

router = APIRouter(prefix="/desk", include_in_schema=False)
STAFF_PATH = "/desk/store/staff"
MAX_ID = 2**63 - 1

# -- words for refusals the pages share -------------------------------------------------------


def refusal_words(view: View, exc: ServiceError) -> str | None:
    """A staff member's missing permission or another arbitrator's claim, in the reader's
    words; None for any other refusal."""
    if isinstance(exc, permissions.Forbidden):
        refused = exc.denial
        if refused.what == permissions.REFUND and refused.limit is not None:
            return view.t(
                "perm.denied.refund",
                store=refused.store_id,
                limit=view.money(refused.limit, exc.currency) if exc.currency else refused.limit,
                amount=view.money(refused.amount, exc.currency) if exc.currency else refused.amount,
            )
        if refused.what == permissions.SUSPENDED:  # the store, by an operator
            return view.t("perm.denied.suspended", store=refused.store_id, reason=refused.reason)
        key = f"perm.denied.{refused.what}"
        return view.t(key if key in _DENIALS else "perm.denied.staff", store=refused.store_id)
    if isinstance(exc, claims.Claimed) and exc.claim is not None:
        return view.t("claim.refused", name=exc.claim.name, at=view.when(exc.claim.claimed_at))
    return None


_DENIALS = {
    "perm.denied.answer_disputes",
    "perm.denied.manage_evidence",
    "perm.denied.see_metrics",
    "perm.denied.staff",
}


def permissions_words(view: View, granted: Permissions) -> str:
    """ "Answer disputes, refunds up to $50.00, see metrics" (the limit without a currency: it
    applies in each order's own)."""
    if granted.everything:
        return view.t("staff.perm.everything")
    parts = [
        view.t(f"staff.perm.{name}") for name in permissions.SWITCHES if getattr(granted, name)
    ]
    if granted.answer_disputes:
        parts.insert(
            1,
            view.t("staff.perm.refund_limit", limit=f"{granted.refund_up_to}")
            if granted.refund_up_to is not None
            else view.t("staff.perm.no_refund_limit"),
        )
    return ", ".join(parts) if parts else view.t("staff.perm.nothing")


# -- the staff page ---------------------------------------------------------------------------


def _owned(view: View) -> list[str]:
    assert view.session is not None
    principal = view.session.principal
    if principal.role != "seller":
        return []
    return sorted(s for s, role in principal.stores.items() if role == "owner")


def _store(view: View, store: str | None) -> str:
    """The store whose staff the page shows: one the reader owns (the first by default)."""
    owned = _owned(view)
    if not owned:
        raise PageError(403, "error.forbidden", "forbidden")
    if store is None or store == "":
        return owned[0]
    if store not in owned:
        raise PageError(404, "error.not_found", "not_found", f"store {store!r}")
    return store


def _store_names(view: View, stores: list[str]) -> dict[str, str]:
    with database(view.request).engine.connect() as conn:
        rows = conn.execute(
            select(t.stores.c.id, t.stores.c.name).where(t.stores.c.id.in_(stores))
        ).all()
    return {row.id: row.name for row in rows}


def _form_permissions(form: dict[str, str]) -> Permissions:
    return Permissions.parse(
        answer_disputes=form.get("answer_disputes") == "1",
        refund_up_to=form.get("refund_up_to") or None,
        manage_evidence=form.get("manage_evidence") == "1",
        see_metrics=form.get("see_metrics") == "1",
    )


EMPTY_INVITE = {
    "email": "",
    "role": "agent",
    "answer_disputes": "1",
    "refund_up_to": "",
    "manage_evidence": "1",
    "see_metrics": "",
}


def _staff_page(
    view: View,
    store_id: str,
    *,
    error: str = "",
    status: int = 200,
    invite_form: dict[str, str] | None = None,
    new_link: str = "",
    new_invitation: staff.Invitation | None = None,
    editing: int | None = None,
    edit_form: dict[str, str] | None = None,
) -> HTMLResponse:
    assert view.session is not None
    db = database(view.request)
    owned = _owned(view)
    return page(
        view,
        "staff.html",
        status=status,
        store_id=store_id,
        stores=_store_names(view, owned),
        members=staff.list_staff(db, store_id),
        invitations=staff.pending_invitations(db, store_id),
        me=view.session.principal.email,
        error=error,
        invite_form=invite_form or EMPTY_INVITE,
        new_link=new_link,
        new_invitation=new_invitation,
        editing=editing,
        edit_form=edit_form or {},
        perm_words=lambda granted: permissions_words(view, granted),
        switches=permissions.SWITCHES,
        done=view.done(),
    )


@router.get("/store/staff")
def staff_page(request: Request, store: str | None = None) -> HTMLResponse:
    view = view_of(request)
    return _staff_page(view, _store(view, store))


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _words(view: View, exc: ServiceError) -> str:
    return words.service_error(exc.code, exc.message, locale=view.locale)


def _back(store_id: str, done: str, anchor: str = "staff") -> RedirectResponse:
    return RedirectResponse(f"{STAFF_PATH}?store={store_id}&done={done}#{anchor}", 303)


@router.post("/store/staff/invite")
def invite(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    store: Annotated[str, Form(max_length=64)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[str, Form(max_length=16)] = "agent",
    answer_disputes: Annotated[str, Form(max_length=4)] = "",
    refund_up_to: Annotated[str, Form(max_length=40)] = "",
    manage_evidence: Annotated[str, Form(max_length=4)] = "",
    see_metrics: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    """A new invitation: the page again with its link, shown this once (a refresh makes a new
    link and the old one stops working)."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    store_id = _store(view, store)
    assert view.session is not None
    form = {
        "email": email,
        "role": role,
        "answer_disputes": answer_disputes,
        "refund_up_to": refund_up_to,
        "manage_evidence": manage_evidence,
        "see_metrics": see_metrics,
    }
    try:
        made = staff.invite(
            database(request),
            store_id,
            email=email,
            role=role,
            permissions=_form_permissions(form) if role == "agent" else None,
            invited_by=view.session.principal.email,
            now=now_of(request),
        )
    except ServiceError as exc:
        return _staff_page(
            view,
            store_id,
            error=_words(view, exc),
            status=409 if exc.code == "conflict" else 422,
            invite_form=form,
        )
    link = str(request.base_url).rstrip("/") + made.path()
    return _staff_page(view, store_id, new_link=link, new_invitation=made.invitation)


def _row_id(value: str) -> int:
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise PageError(404, "error.not_found", "not_found", f"staff member {value!r}")
    return int(value)


@router.post("/store/staff/{staff_id}/change")
async def change(request: Request, staff_id: str) -> Response:
    form = await _form(request)
    view = view_of(request)
    check_csrf(view, form.get("csrf_token"))
    store_id = _store(view, form.get("store"))
    number = _row_id(staff_id)
    role = form.get("role") or None
    try:
        granted = _form_permissions(form) if role != "owner" else None
        staff.change_staff(database(request), store_id, number, role=role, permissions=granted)
    except ServiceError as exc:
        return _staff_page(
            view,
            store_id,
            error=_words(view, exc),
            status=409 if exc.code == "conflict" else 422,
            editing=number,
            edit_form=form,
        )
    return _back(store_id, "staff_changed", f"staff-{number}")


@router.post("/store/staff/{staff_id}/remove")
async def remove(request: Request, staff_id: str) -> Response:
    """Irreversible for them (they would need a new invitation): a confirmation step first."""
    form = await _form(request)
    view = view_of(request)
    check_csrf(view, form.get("csrf_token"))
    store_id = _store(view, form.get("store"))
    number = _row_id(staff_id)
    db = database(request)
    member = next((m for m in staff.list_staff(db, store_id) if m.id == number), None)
    if member is None:
        raise PageError(404, "error.not_found", "not_found", f"staff member {number}")
    if form.get("confirm") != "yes":
        names = _store_names(view, [store_id])
        return confirm_page(
            view,
            sentences=[
                view.t(
                    "staff.remove_confirm",
                    name=member.name,
                    email=member.email,
                    store=names.get(store_id, store_id),
                )
            ],
            action_url=f"{STAFF_PATH}/{number}/remove",
            back_url=f"{STAFF_PATH}?store={store_id}",
            label=view.t("staff.remove"),
            primary=False,
            fields={"store": store_id},
        )
    try:
        staff.remove_staff(db, store_id, number)
    except ServiceError as exc:
        return _staff_page(view, store_id, error=_words(view, exc), status=409)
    return _back(store_id, "staff_removed")


@router.post("/store/invitations/{invitation_id}/withdraw")
def withdraw(
    request: Request,
    invitation_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    store: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    store_id = _store(view, store)
    number = _row_id(invitation_id)
    try:
        staff.withdraw_invitation(database(request), store_id, number)
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None
    return _back(store_id, "invitation_withdrawn", "invitations")


# -- the invitation link ----------------------------------------------------------------------


def _invitation_page(
    request: Request,
    token: str,
    *,
    error: str = "",
    status: int = 200,
    name: str = "",
) -> HTMLResponse:
    view = view_of(request, required=False)
    db = database(request)
    try:
        invitation = staff.find_invitation(db, token, now=now_of(request))
    except ServiceError as exc:
        key = "invite.expired" if exc.code == "too_late" else "invite.invalid"
        return page(
            view,
            "invitation.html",
            status=410 if exc.code == "too_late" else 404,
            invitation=None,
            problem=view.t(key),
            error="",
            token=token,
            has_account=False,
            name="",
            can="",
        )
    return page(
        view,
        "invitation.html",
        status=status,
        invitation=invitation,
        problem="",
        error=error,
        token=token,
        has_account=staff.account_exists(db, invitation.email),
        name=name,
        can=permissions_words(view, invitation.permissions),
    )


@router.get("/invitations/{token}")
def invitation(request: Request, token: str) -> HTMLResponse:
    """What the invitation is, and the way to accept it: as the signed-in seller it names, by
    signing in as them, or by creating their seller account."""
    return _invitation_page(request, token)


def _start(request: Request, principal: Any, locale: str) -> RedirectResponse:
    """Sign the new account in (a session cookie as the sign-in page sets it) and go home."""
    db = database(request)
    cookie, session = start_session(db, principal, locale=locale, now=now_of(request))
    response = RedirectResponse(f"{HOME_BY_ROLE['seller']}?done=joined_store", 303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=int((session.expires_at - now_of(request)).total_seconds()),
        httponly=True,
        secure=secure_cookies(request.app.state.web_settings.cookie_secure, request.url.scheme),
        samesite="lax",
        path="/",
    )
    return response


@router.post("/invitations/{token}/accept")
def accept(
    request: Request, token: str, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """The signed-in seller the invitation names joins the store."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    assert view.session is not None
    try:
        staff.accept(database(request), view.session.principal, token, now=now_of(request))
    except ServiceError as exc:
        return _invitation_page(request, token, error=_words(view, exc), status=403)
    return RedirectResponse(f"{HOME_BY_ROLE['seller']}?done=joined_store", 303)


@router.post("/invitations/{token}/sign-up")
def sign_up(
    request: Request,
    token: str,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    locale: Annotated[str, Form(max_length=16)] = "en",
) -> Response:
    """Create the seller account the invitation names and join the store. (No session yet:
    the link's secret token is what a forged form cannot know.)"""
    view = view_of(request, required=False)
    try:
        principal = staff.sign_up(
            database(request), token, name=name, password=password, now=now_of(request)
        )
    except ServiceError as exc:
        status = 409 if exc.code == "conflict" else 422
        return _invitation_page(request, token, error=_words(view, exc), status=status, name=name)
    return _start(request, principal, locale)
