"""The dispute page (seed 002's "Dispute details") for the buyer, the seller and the
arbitrator, its actions, evidence upload and download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from disputedesk.rules.vocabulary import (
    NEGOTIATION_STATUSES,
    RETURN_STATUSES,
    RULING_STATUSES,
    DisputeStatus,
    EvidenceKind,
)
from disputedesk.services import commands, desk, evidence_files
from disputedesk.services.commands import ServiceError
from disputedesk.web import i18n, words
from disputedesk.web.desk_pages import refusal_status
from disputedesk.web.render import PageError, View, check_csrf, database, page, view_of
from disputedesk.web.tracking_words import TrackingWords
from disputedesk.web.uploads import submit, upload_limit_text

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

    @property
    def simple(self) -> bool:
        return self.form is None


ACTIONS: dict[str, PageAction] = {
    a.path: a
    for a in (
        PageAction("accept", "accept", "act.accept", primary=True),
        PageAction("accept-seller-plan", "accept", "act.accept_seller", primary=True),
        PageAction("propose", "propose", "act.propose", form="plan", open=True),
        PageAction("reject", "reject", "act.reject", form="note"),
        PageAction("modify", "modify_dispute", "act.modify", form="plan"),
        PageAction("cancel", "cancel_dispute", "act.cancel"),
        PageAction("escalate", "escalate", "act.escalate", form="note"),
        PageAction("escalate-return", "escalate", "act.escalate_return", form="note"),
        PageAction("ship-return", "ship_return", "act.ship_return", form="shipment", open=True),
        PageAction(
            "confirm-return-received",
            "confirm_return_received",
            "act.confirm_return_received",
            primary=True,
        ),
        PageAction("give-up-return", "give_up_return", "act.give_up_return"),
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


def actions_for(role: str | None, status: str, has_seller_plan: bool) -> list[PageAction]:
    """What the page offers this reader in this status (the rules core still decides: a
    button pressed too early is refused with the rule in words)."""
    paths: list[str] = []
    if role == "seller":
        if status in NEGOTIATION_STATUSES:
            paths = ["accept", "propose", "reject"]
        elif status == DisputeStatus.AWAITING_RETURN_RECEIPT:
            paths = ["confirm-return-received", "give-up-return", "escalate-return"]
        elif status in RETURN_STATUSES:
            paths = ["give-up-return"]
        elif status == DisputeStatus.AWAITING_RESEND:
            paths = ["ship-replacement"]
    elif role == "buyer":
        if status in NEGOTIATION_STATUSES:
            paths = (["accept-seller-plan"] if has_seller_plan else []) + [
                "modify",
                "escalate",
                "cancel",
            ]
        elif status == DisputeStatus.AWAITING_RETURN_SHIPMENT:
            paths = ["ship-return", "cancel"]
        elif status != DisputeStatus.CLOSED:
            paths = ["cancel"]
    elif role == "arbitrator":
        if status == DisputeStatus.ESCALATED:
            paths = ["intervene"]
        elif status in RULING_STATUSES:
            paths = ["rule"]
    return [ACTIONS[p] for p in paths]


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
    return page(
        view,
        "dispute.html",
        status=status,
        case=case,
        error=error,
        reminder=view.reminder(case),
        actions=actions_for(
            view.role, str(case.dispute.status), case.dispute.seller_plan is not None
        ),
        evidence_kinds=[k.value for k in EvidenceKind],
        upload_limit=upload_limit_text(request),
        messages=case.messages,
        can_write=case.whole_order and desk.may_write(view.session.principal),
        card=case.card,
        tw=TrackingWords(view),
        done=view.done(),
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
        }
    return {}


def _act(
    request: Request, view: View, dispute_id: str, action: PageAction, form: dict[str, str]
) -> Response:
    """Send one action for the dispute's open dispute. On success, back to the page (303);
    refused, the page again with the rule in words and the refusal's status."""
    assert view.session is not None
    case = _case(request, view, dispute_id)
    currency = case.card.order.currency
    if not case.is_current:
        return _dispute_page(
            request, view, dispute_id, error=view.t("refusal.dispute.none"), status=409
        )
    expected = form.get("version", "")
    try:
        result = commands.execute(
            database(request),
            case.card.order.id,
            str(view.role),
            action.action,
            _fields(action, form),
            request.app.state.clock(),
            expected_version=int(expected) if expected.isascii() and expected.isdigit() else None,
            live=True,
        )
    except ServiceError as exc:
        code = "conflict" if exc.code == "precondition_failed" else exc.code
        message = words.service_error(code, exc.message, locale=view.locale)
        return _dispute_page(request, view, dispute_id, error=message, status=409)
    if result.refusal is not None:
        return _dispute_page(
            request,
            view,
            dispute_id,
            error=view.refusal(result.refusal, currency),
            status=refusal_status(result.refusal.code.value),
        )
    return RedirectResponse(f"/desk/disputes/{dispute_id}?done={action.action}", 303)


@router.post("/disputes/{dispute_id}/evidence")
def upload_evidence(
    request: Request,
    dispute_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    link: Annotated[str, Form(max_length=2000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    case = _case(request, view, dispute_id)
    if not case.is_current:
        return _dispute_page(
            request, view, dispute_id, error=view.t("refusal.dispute.none"), status=409
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
