"""The dispute page (seed 002's "Dispute details") for the buyer, the seller and the
arbitrator, its actions, evidence upload and download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from disputedesk.rules.money import ZERO
from disputedesk.rules.vocabulary import DisputeStatus, EvidenceKind, PlanType
from disputedesk.services import (
    claims,
    commands,
    desk,
    evidence_files,
    malicious,
    messages,
    permissions,
)
from disputedesk.services.commands import ServiceError
from disputedesk.web import i18n, words
from disputedesk.web.advice_pages import (
    advice_extras,
    remember_ruling_form,
    rule_from_page,
    ruling_refusal,
)
from disputedesk.web.desk_pages import refusal_status
from disputedesk.web.messaging_pages import reply_box
from disputedesk.web.metrics_pages import malicious_extras
from disputedesk.web.render import (
    Offers,
    PageError,
    View,
    check_csrf,
    confirm_page,
    database,
    page,
    view_of,
)
from disputedesk.web.staff_pages import refusal_words
from disputedesk.web.store_pages import dispute_extras
from disputedesk.web.tracking_words import TrackingWords
from disputedesk.web.uploads import (
    evidence_refusal,
    remember_evidence_form,
    submit,
    upload_limit_text,
)

router = APIRouter(prefix="/desk", include_in_schema=False)


@dataclass(frozen=True)
class PageAction:
    """A button (or a small form) on the dispute page, and the RULES action it sends."""

    path: str
    action: str
    label: str
    form: str | None = None  # plan / note / shipment / rule; None: a plain button
    primary: bool = False
    open: bool = False
    confirm: str | None = None  # irreversible: the confirmation step's sentence (its key)

    @property
    def simple(self) -> bool:
        return self.form is None


ACTIONS: dict[str, PageAction] = {
    a.path: a
    for a in (
        PageAction("accept", "accept", "act.accept", primary=True, confirm="confirm.accept"),
        PageAction(
            "accept-seller-plan",
            "accept",
            "act.accept_seller",
            primary=True,
            confirm="confirm.accept_seller",
        ),
        PageAction("propose", "propose", "act.propose", form="plan", open=True),
        PageAction("reject", "reject", "act.reject", form="note"),
        PageAction("modify", "modify_dispute", "act.modify", form="plan"),
        PageAction("cancel", "cancel_dispute", "act.cancel", confirm="confirm.cancel_dispute"),
        PageAction("escalate", "escalate", "act.escalate", form="note"),
        PageAction("escalate-return", "escalate", "act.escalate_return", form="note"),
        PageAction("ship-return", "ship_return", "act.ship_return", form="shipment", open=True),
        PageAction(
            "confirm-return-received",
            "confirm_return_received",
            "act.confirm_return_received",
            primary=True,
            confirm="confirm.confirm_return_received",
        ),
        # RULES.md section 8's last row: the seller who escalated a return withdraws it by
        # confirming the goods arrived, until the ruling
        PageAction(
            "withdraw-escalation",
            "confirm_return_received",
            "act.withdraw_escalation",
            primary=True,
            confirm="confirm.withdraw_escalation",
        ),
        PageAction(
            "give-up-return",
            "give_up_return",
            "act.give_up_return",
            confirm="confirm.give_up_return",
        ),
        PageAction(
            "ship-replacement",
            "ship_replacement",
            "act.ship_replacement",
            form="shipment",
            open=True,
        ),
        PageAction("intervene", "intervene", "act.intervene", primary=True),
        PageAction("rule", "rule", "act.rule", form="rule", open=True),
    )
}


# Each role's buttons and forms, in the order the page shows them; which of them the page
# offers, the rules core says (`View.offers`).
PATHS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "seller": (
        "accept",
        "propose",
        "reject",
        "confirm-return-received",
        "withdraw-escalation",
        "give-up-return",
        "escalate-return",
        "ship-replacement",
    ),
    "buyer": ("accept-seller-plan", "modify", "ship-return", "escalate", "cancel"),
    "arbitrator": ("intervene", "rule"),
}


def _fits(path: str, status: str) -> bool:
    """The two buttons of one action: the return's receipt while it is awaited; the
    withdrawal of the seller's own escalation after it."""
    if path == "confirm-return-received":
        return status == DisputeStatus.AWAITING_RETURN_RECEIPT
    if path == "withdraw-escalation":
        return status != DisputeStatus.AWAITING_RETURN_RECEIPT
    return True


def actions_for(role: str | None, status: str, offers: Offers) -> list[PageAction]:
    """What the page offers this reader now: exactly the actions the rules core allows."""
    paths = PATHS_BY_ROLE.get(role or "", ())
    return [ACTIONS[p] for p in paths if _fits(p, status) and offers.allows(ACTIONS[p].action)]


def not_yet_for(role: str | None, status: str, offers: Offers) -> list[PageAction]:
    """The reader's actions that are not possible *yet* (`too_early`): the page says from
    when, instead of a form."""
    paths = PATHS_BY_ROLE.get(role or "", ())
    seen: set[str] = set()
    out = []
    for path in paths:
        action = ACTIONS[path]
        if _fits(path, status) and offers.not_yet(action.action) and action.action not in seen:
            seen.add(action.action)
            out.append(action)
    return out


def _case(request: Request, view: View, dispute_id: str) -> desk.DisputeCase:
    assert view.session is not None
    try:
        return desk.dispute_case(
            database(request), view.session.principal, dispute_id, now=view.now
        )
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None


def _dispute_page(
    request: Request, view: View, dispute_id: str, *, error: str = "", status: int = 200
) -> HTMLResponse:
    case = _case(request, view, dispute_id)
    assert view.session is not None
    upload_error = request.query_params.get("upload_error")
    if not error and upload_error and i18n.has(f"refusal.{upload_error}"):
        error = words.service_error(upload_error, "", locale=view.locale)
    offers = view.offers(case.card) if case.is_current else Offers({})
    status_ = str(case.dispute.status)
    db = database(request)
    if case.messages:  # the reader opened the thread: read up to its last message
        messages.mark_read(db, view.session.principal, case.card.order.id, case.messages[-1].id)
    return page(
        view,
        "dispute.html",
        status=status,
        claim=claims.holder(db, case.card.order.id, case.seq),  # who works the case
        buyer_flag=malicious.flag_for(db, view.role, case.card.order.id),  # issue 14
        case=case,
        error=error,
        reminder=view.reminder(case),
        offers=offers,
        actions=actions_for(view.role, status_, offers),
        not_yet=not_yet_for(view.role, status_, offers),
        evidence_due=view.evidence_due(case),
        outcome=case.outcome,
        evidence_kinds=[k.value for k in EvidenceKind],
        upload_limit=upload_limit_text(request),
        messages=case.messages,
        can_write=case.whole_order and desk.may_write(view.session.principal),
        # suggested replies for the store's staff (issue 13), `?reply=KEY` fills the box
        replies=reply_box(request, view, case.card.order.id, case.card.store_id, case.seq)
        if case.whole_order
        else None,
        card=case.card,
        tw=TrackingWords(view),
        done=view.done(),
        **dispute_extras(request, view, case),  # seller center: items, return address, evidence
        **malicious_extras(request, view, case),  # the store's malicious report (issue 14)
        **advice_extras(request, view, case),  # evidence checklists, the advice (issue 15)
    )


@router.get("/disputes/{dispute_id}")
def dispute(request: Request, dispute_id: str) -> HTMLResponse:
    return _dispute_page(request, view_of(request), dispute_id)


def _fields(action: PageAction, form: dict[str, str]) -> dict[str, Any]:
    if action.form == "plan":
        plan: dict[str, Any] = {"type": form.get("plan_type", "")}
        if plan["type"] != "resend":
            plan["amount"] = form.get("amount", "").strip()
        return {"plan": plan}
    if action.form == "note":
        note = form.get("note", "")
        return {"note": note} if note or action.action == "reject" else {}
    if action.form == "shipment":
        return {
            "carrier": form.get("carrier", "").strip(),
            "tracking_number": form.get("tracking_number", "").strip(),
        }
    if action.form == "rule":
        return {
            "refund_amount": form.get("refund_amount", "").strip(),
            "responsibility": form.get("responsibility", ""),
            "return_required": form.get("return_required") == "1",
            "reason": form.get("reason", "").strip(),  # shown to both parties
        }
    return {}


def _act(
    request: Request, view: View, dispute_id: str, action: PageAction, form: dict[str, str]
) -> Response:
    """Send one action for the dispute's open dispute. On success, back to the page (303);
    refused, the page again with the rule in words and the refusal's status. An irreversible
    action sent without `confirm=yes` gets its confirmation step first; a form sent again after
    it already did its work (a double click: `seen` is the log the page showed) says so."""
    assert view.session is not None
    case = _case(request, view, dispute_id)
    currency = case.card.order.currency
    db = database(request)
    seen = _number(form.get("seen", ""))
    if not case.is_current:
        if _twice(db, case, seen, str(view.role), action):  # the first one closed it
            return _already(dispute_id, action)
        return _dispute_page(
            request, view, dispute_id, error=view.t("refusal.dispute.none"), status=409
        )
    fields = _fields(action, form)
    if action.action == "rule":  # a refused ruling's page keeps what was typed
        remember_ruling_form(request, form)
    refused = _not_theirs(db, view, case, action.action, fields)  # permissions, claims
    if refused is None and action.action == "rule":  # otherwise than advised: say why
        refused = ruling_refusal(view, case, fields, form.get("why_not", ""))
    if refused is not None:
        return _dispute_page(request, view, dispute_id, error=refused[0], status=refused[1])
    if action.confirm and form.get("confirm") != "yes":
        return _confirm(view, case, action)
    expected = _number(form.get("version", ""))
    actor = str(view.role)
    try:
        if action.action == "rule":  # checked against the advice, recorded with it
            result = rule_from_page(
                request,
                view,
                case,
                fields,
                form.get("why_not", ""),
                at=request.app.state.clock(),
                expected_version=expected,
            )
        else:
            result = commands.execute(
                db,
                case.card.order.id,
                actor,
                action.action,
                fields,
                request.app.state.clock(),
                expected_version=expected,
                live=True,
                **permissions.performer(view.session.principal),
            )
    except ServiceError as exc:
        if _twice(db, case, seen, actor, action):
            return _already(dispute_id, action)
        code = "conflict" if exc.code == "precondition_failed" else exc.code
        message = words.service_error(code, exc.message, locale=view.locale)
        return _dispute_page(request, view, dispute_id, error=message, status=409)
    if result.refusal is not None:
        if _twice(db, case, seen, actor, action):
            return _already(dispute_id, action)
        return _dispute_page(
            request,
            view,
            dispute_id,
            error=view.refusal(result.refusal, currency),
            status=refusal_status(result.refusal.code.value),
        )
    claims.after(db, view.session.principal, case.card.order.id, case.seq, action.action)
    return RedirectResponse(f"/desk/disputes/{dispute_id}?done={action.action}", 303)


def _not_theirs(
    db: Any, view: View, case: desk.DisputeCase, action: str, fields: dict[str, Any]
) -> tuple[str, int] | None:
    """What the rules core does not decide, in words with the page's status: a staff member's
    permissions (the API's check: `permissions.check_command`), another arbitrator's claim,
    and a ruling's written reason (required here and at the API)."""
    assert view.session is not None
    if action == "rule" and not fields.get("reason"):
        return view.t("check.ruling_reason"), 422
    try:
        permissions.check_command(
            db,
            view.session.principal,
            case.card.order.id,
            case.seq,
            action,
            fields,
            case.dispute,
            currency=case.card.order.currency,
        )
    except ServiceError as exc:
        message = refusal_words(view, exc) or words.service_error(
            exc.code, exc.message, locale=view.locale
        )
        return message, refusal_status(exc.code)
    return None


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _twice(db: Any, case: desk.DisputeCase, seen: int | None, actor: str, a: PageAction) -> bool:
    return seen is not None and desk.already_done(db, case.card.order.id, seen, actor, a.action)


def _already(dispute_id: str, action: PageAction) -> Response:
    return RedirectResponse(f"/desk/disputes/{dispute_id}?already={action.action}", 303)


def _confirm(view: View, case: desk.DisputeCase, action: PageAction) -> HTMLResponse:
    """The confirmation step of an irreversible action (no JavaScript needed): what it will
    do, in words, and a form that sends it with `confirm=yes`."""
    d = case.dispute
    currency = case.card.order.currency
    sentences: list[str] = []
    if action.path in ("accept", "accept-seller-plan"):
        plan = d.buyer_plan if action.path == "accept" else d.seller_plan
        sentences.append(view.t(action.confirm or "", plan=view.plan(plan, currency)))
        if plan is not None:
            kind = str(plan.type)
            sentences.append(
                view.t(
                    f"confirm.then.{kind}",
                    amount=view.money(plan.amount, currency),
                    days=case.card.policy.resend_ship_days,
                )
                if kind in {p.value for p in PlanType}
                else ""
            )
    else:
        amount = d.agreed_amount if d.agreed_amount is not None else ZERO
        sentences.append(view.t(action.confirm or "", amount=view.money(amount, currency)))
    return confirm_page(
        view,
        sentences=[s for s in sentences if s],
        action_url=f"/desk/disputes/{case.id}/{action.path}",
        back_url=f"/desk/disputes/{case.id}",
        label=view.t(action.label),
        primary=action.primary,
        fields={"version": str(case.card.version), "seen": str(case.card.event_seq)},
    )


@router.get("/disputes/{dispute_id}/confirm/{path}")
def confirm(request: Request, dispute_id: str, path: str) -> Response:
    """The confirmation step of an irreversible button, as a page of its own: the button on
    the dispute page is a link here, and this page's form sends the action."""
    view = view_of(request)
    action = ACTIONS.get(path)
    if action is None or action.confirm is None:
        raise PageError(404, "error.not_found", "not_found", f"no action {path!r}")
    case = _case(request, view, dispute_id)
    offers = view.offers(case.card) if case.is_current else Offers({})
    if action not in actions_for(view.role, str(case.dispute.status), offers):
        option = offers.options.get(action.action)
        error = (
            view.refusal(option.refusal, case.card.order.currency)
            if option is not None and option.refusal is not None
            else view.t("refusal.dispute.none" if not case.is_current else "error.forbidden")
        )
        return _dispute_page(request, view, dispute_id, error=error, status=409)
    return _confirm(view, case, action)


@router.post("/disputes/{dispute_id}/evidence")
def upload_evidence(
    request: Request,
    dispute_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    description: Annotated[str, Form()] = "",  # its limit is checked below, said in words
    link: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    case = _case(request, view, dispute_id)
    if not case.is_current:
        return _dispute_page(
            request, view, dispute_id, error=view.t("refusal.dispute.none"), status=409
        )
    remember_evidence_form(request, kind=kind, description=description, link=link)
    not_theirs = _not_theirs(database(request), view, case, "submit_evidence", {})
    if not_theirs is not None:  # a staff member without the manage_evidence permission
        return _dispute_page(request, view, dispute_id, error=not_theirs[0], status=not_theirs[1])
    refused = evidence_refusal(request, view, description=description, upload=file, link=link)
    if refused is not None:  # nothing stored, nothing sent; the form keeps what was typed
        return _dispute_page(
            request, view, dispute_id, error=refused.message, status=refused.status
        )
    try:
        result = submit(
            request,
            view,
            case.card.order.id,
            kind=kind,
            description=description,
            upload=file,
            link=link,
            at=request.app.state.clock(),
        )
    except ServiceError as exc:
        message = words.service_error(exc.code, exc.message, locale=view.locale)
        return _dispute_page(
            request, view, dispute_id, error=message, status=refusal_status(exc.code)
        )
    if result.refusal is not None:
        return _dispute_page(
            request,
            view,
            dispute_id,
            error=view.refusal(result.refusal, case.card.order.currency),
            status=refusal_status(result.refusal.code.value),
        )
    return RedirectResponse(f"/desk/disputes/{dispute_id}?done=submit_evidence#evidence", 303)


@router.post("/disputes/{dispute_id}/{path}")
async def act(request: Request, dispute_id: str, path: str) -> Response:
    """Every dispute action of the page (the ACTIONS table); form fields as the action needs."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await _run_in_thread(request, dispute_id, path, fields)


async def _run_in_thread(
    request: Request, dispute_id: str, path: str, fields: dict[str, str]
) -> Response:
    def work() -> Response:
        view = view_of(request)
        check_csrf(view, fields.get("csrf_token"))
        action = ACTIONS.get(path)
        if action is None:
            raise PageError(404, "error.not_found", "not_found", f"no action {path!r}")
        return _act(request, view, dispute_id, action, fields)

    return await run_in_threadpool(work)


@router.get("/evidence/{evidence_id}")
def download(request: Request, evidence_id: int) -> Response:
    """An evidence file, for the dispute's parties and the arbitrators who may see the case:
    an attachment under a safe name, never sniffed, never cached."""
    view = view_of(request)
    assert view.session is not None
    if not 1 <= evidence_id <= evidence_files.MAX_ID:  # no such row (nor a 64-bit key)
        raise PageError(404, "error.not_found", "not_found", f"evidence {evidence_id}")
    record = desk.evidence_file(database(request), view.session.principal, evidence_id)
    if record is None or record.sha256 is None:
        raise PageError(404, "error.not_found", "not_found", f"evidence {evidence_id}")
    path = evidence_files.path_of(request.app.state.settings.data_dir, record.sha256)
    if not path.exists():
        raise PageError(404, "error.not_found", "not_found", f"the file of evidence {evidence_id}")
    return FileResponse(
        path,
        media_type=evidence_files.sendable_type(record.content_type),
        filename=evidence_files.download_name(record.file_name, record.sha256),
        headers=evidence_files.DOWNLOAD_HEADERS,
    )
