"""Disputes: list, get (with plans, history and the countdown), one POST per RULES.md action,
and evidence (files stored content-addressed, or links)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy import func, select

from disputedesk.api.access import actor_of, order_row_for, scoped
from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import (
    EscalateIn,
    OpenDisputeIn,
    PlanChangeIn,
    RejectIn,
    RuleIn,
    ShipmentIn,
)
from disputedesk.api.views import (
    dispute_id,
    dispute_summary,
    dispute_view,
    etag,
    evidence_view,
    parse_dispute_id,
)
from disputedesk.rules.instants import parse_instant
from disputedesk.services import commands
from disputedesk.services.accounts import Principal
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database

router = APIRouter(tags=["disputes"])

IfMatch = Annotated[str | None, Header(description="The dispute's ETag, to act only if unchanged")]


def _locate(db: Database, user: Principal, value: str) -> tuple[str, int, repository.Loaded]:
    parsed = parse_dispute_id(value)
    if parsed is None:
        raise ApiError("not_found", f"dispute {value!r} not found")
    order_id, seq = parsed
    order_row_for(db, user, order_id)
    with db.engine.connect() as conn:
        loaded = repository.load(conn, order_id)
    if loaded is None or seq > len(loaded.state.disputes):
        raise ApiError("not_found", f"dispute {value!r} not found")
    if user.role == "arbitrator" and loaded.state.disputes[seq - 1].escalated_at is None:
        raise ApiError("not_found", f"dispute {value!r} not found")
    return order_id, seq, loaded


def _get(db: Database, user: Principal, value: str, response: Response) -> dict[str, Any]:
    order_id, seq, loaded = _locate(db, user, value)
    with db.engine.connect() as conn:
        view = dispute_view(conn, order_id, seq, loaded)
    response.headers["ETag"] = etag(loaded.version)
    return view


@router.get("/disputes", summary="List disputes, by next deadline")
def list_disputes(
    user: CurrentUser,
    db: Db,
    status: str | None = None,
    reason: str | None = None,
    store_id: str | None = None,
    country: str | None = None,
    due_before: Annotated[str | None, Query(description="A UTC instant")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The disputes the caller may see, the most urgent first: by the order's next automatic
    step, or, once escalated, by the platform's intervention due time."""
    next_deadline = func.coalesce(t.orders.c.due_at, t.disputes.c.intervention_due_at)
    query = scoped(
        select(t.disputes.c.order_id, t.disputes.c.seq).join(
            t.orders, t.orders.c.id == t.disputes.c.order_id
        ),
        user,
    )
    if user.role == "arbitrator":
        query = query.where(t.disputes.c.escalated_at.is_not(None))
    for column, value in (
        (t.disputes.c.status, status),
        (t.disputes.c.reason, reason),
        (t.orders.c.store_id, store_id),
        (t.orders.c.destination_country, country),
    ):
        if value is not None:
            query = query.where(column == value)
    if due_before is not None:
        instant = parse_instant(due_before)
        if instant is None:
            raise ApiError("invalid_input", f"due_before: {due_before!r} is not a UTC instant")
        query = query.where(t.disputes.c.status != "closed").where(next_deadline < instant)
    query = (
        query.order_by(
            (t.disputes.c.status == "closed").asc(),
            next_deadline.is_(None).asc(),
            next_deadline.asc(),
            t.disputes.c.opened_at.asc(),
            t.disputes.c.order_id,
            t.disputes.c.seq,
        )
        .limit(limit)
        .offset(offset)
    )
    with db.engine.connect() as conn:
        keys = conn.execute(query).all()
        loaded = repository.load_many(conn, {k.order_id for k in keys})
    items = [
        dispute_summary(
            k.order_id, k.seq, loaded[k.order_id].state.disputes[k.seq - 1], loaded[k.order_id]
        )
        for k in keys
    ]
    return {"items": items, "limit": limit, "offset": offset}


@router.get("/disputes/{dispute_id}", summary="Get a dispute with plans, history, countdown")
def get_dispute(dispute_id: str, user: CurrentUser, db: Db, response: Response) -> dict[str, Any]:
    return _get(db, user, dispute_id, response)


@router.post("/orders/{order_id}/disputes", status_code=201, summary="Open a dispute (buyer)")
def open_dispute(
    order_id: str, body: OpenDisputeIn, user: CurrentUser, db: Db, now: Now, response: Response
) -> dict[str, Any]:
    order_row_for(db, user, order_id)
    fields = body.model_dump(exclude_none=True)
    fields["plan"] = body.plan.model_dump(exclude_none=True)
    result = commands.execute(db, order_id, actor_of(user), "open_dispute", fields, now)
    if result.refusal is not None:
        raise ApiError(result.refusal.code.value, result.refusal.message)
    return _get(db, user, dispute_id(order_id, len(result.state.disputes)), response)


def _act(
    db: Database,
    user: Principal,
    now: datetime,
    value: str,
    action: str,
    fields: dict[str, Any],
    if_match: str | None,
    response: Response,
) -> dict[str, Any]:
    """One RULES.md action on the dispute. It must be the order's open dispute (else
    `no_dispute`); with If-Match, the order must not have changed since that ETag."""
    order_id, seq, loaded = _locate(db, user, value)
    expected = None
    if if_match is not None:
        if if_match.strip() != etag(loaded.version):
            raise ApiError(
                "conflict",
                f"If-Match {if_match} does not match the current ETag {etag(loaded.version)}",
                status=412,
            )
        expected = loaded.version
    if seq != len(loaded.state.disputes) or not loaded.state.disputes[seq - 1].is_open:
        raise ApiError("no_dispute", f"dispute {value} is not open")
    result = commands.execute(
        db, order_id, actor_of(user), action, fields, now, expected_version=expected
    )
    if result.refusal is not None:
        raise ApiError(result.refusal.code.value, result.refusal.message)
    return _get(db, user, value, response)


def _plan_fields(body: PlanChangeIn) -> dict[str, Any]:
    return {"plan": body.plan.model_dump(exclude_none=True)}


@router.post("/disputes/{dispute_id}/modify", summary="Modify the dispute's plan (buyer)")
def modify(
    dispute_id: str,
    body: PlanChangeIn,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "modify_dispute", _plan_fields(body), if_match, response)


@router.post("/disputes/{dispute_id}/accept", summary="Accept the other side's plan")
def accept(
    dispute_id: str,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "accept", {}, if_match, response)


@router.post("/disputes/{dispute_id}/propose", summary="Propose a plan (seller)")
def propose(
    dispute_id: str,
    body: PlanChangeIn,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "propose", _plan_fields(body), if_match, response)


@router.post("/disputes/{dispute_id}/reject", summary="Reject the buyer's plan (seller)")
def reject(
    dispute_id: str,
    body: RejectIn,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "reject", body.model_dump(), if_match, response)


@router.post("/disputes/{dispute_id}/cancel", summary="Cancel the dispute (buyer)")
def cancel(
    dispute_id: str,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "cancel_dispute", {}, if_match, response)


@router.post("/disputes/{dispute_id}/escalate", summary="Ask the platform to step in")
def escalate(
    dispute_id: str,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    body: EscalateIn | None = None,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(
        db,
        user,
        now,
        dispute_id,
        "escalate",
        body.model_dump(exclude_none=True) if body else {},
        if_match,
        response,
    )


@router.post("/disputes/{dispute_id}/ship-return", summary="Ship the return (buyer)")
def ship_return(
    dispute_id: str,
    body: ShipmentIn,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "ship_return", body.model_dump(), if_match, response)


@router.post(
    "/disputes/{dispute_id}/confirm-return-received", summary="Confirm the return arrived (seller)"
)
def confirm_return_received(
    dispute_id: str,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "confirm_return_received", {}, if_match, response)


@router.post("/disputes/{dispute_id}/give-up-return", summary="Refund without the goods (seller)")
def give_up_return(
    dispute_id: str,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "give_up_return", {}, if_match, response)


@router.post("/disputes/{dispute_id}/ship-replacement", summary="Ship a replacement (seller)")
def ship_replacement(
    dispute_id: str,
    body: ShipmentIn,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(
        db, user, now, dispute_id, "ship_replacement", body.model_dump(), if_match, response
    )


@router.post("/disputes/{dispute_id}/intervene", summary="Take the case (arbitrator)")
def intervene(
    dispute_id: str,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "intervene", {}, if_match, response)


@router.post("/disputes/{dispute_id}/rule", summary="Rule on the case (arbitrator)")
def rule(
    dispute_id: str,
    body: RuleIn,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    return _act(db, user, now, dispute_id, "rule", body.model_dump(), if_match, response)


# -- evidence ---------------------------------------------------------------------------------

ALLOWED_TYPES = ("image/", "application/pdf", "video/mp4", "video/webm", "text/plain")


def _sniff(head: bytes) -> str | None:
    """The content type from the bytes themselves (never the file name)."""
    import filetype

    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        return mime if mime.startswith(ALLOWED_TYPES) else None
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
            return None
    return "text/plain"


def _store_file(request: Request, upload: UploadFile) -> dict[str, Any]:
    settings = request.app.state.settings
    limit = settings.max_upload_bytes
    data_dir = Path(settings.data_dir)
    (data_dir / "tmp").mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp_name = tempfile.mkstemp(dir=data_dir / "tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.file.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise ApiError("payload_too_large", f"a file may be at most {limit} bytes")
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ApiError("invalid_input", "file: empty")
        content_type = _sniff(head)
        if content_type is None:
            raise ApiError(
                "unsupported_media_type", "accepted: images, PDF, MP4/WebM video, plain text"
            )
        sha = digest.hexdigest()
        target = data_dir / "evidence" / sha[:2] / sha
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return {
        "sha256": sha,
        "name": (upload.filename or "")[:255] or None,
        "content_type": content_type,
        "size": size,
    }


@router.post(
    "/disputes/{dispute_id}/evidence",
    status_code=201,
    summary="Submit evidence: a file, a link, or a description",
)
def submit_evidence(
    dispute_id: str,
    request: Request,
    user: CurrentUser,
    db: Db,
    now: Now,
    response: Response,
    kind: Annotated[str, Form(description="photo, video, proof_of_delivery, ...")],
    description: Annotated[str, Form(max_length=5000)] = "",
    link: Annotated[str | None, Form(max_length=2000, description="e.g. a video link")] = None,
    file: Annotated[UploadFile | None, File(description="An image, PDF, MP4/WebM or text")] = None,
) -> dict[str, Any]:
    _locate(db, user, dispute_id)  # visible at all, before a file is stored
    fields: dict[str, Any] = {"kind": kind, "description": description}
    attachment: dict[str, Any] = {}
    if link:
        if not link.startswith(("http://", "https://")):
            raise ApiError("invalid_input", "link: must start with http:// or https://")
        attachment["link"] = link
    if file is not None and (file.filename or file.size):
        attachment.update(_store_file(request, file))
    if attachment:
        fields["attachment"] = attachment
    return _act(db, user, now, dispute_id, "submit_evidence", fields, None, response)


def _evidence_row(db: Database, user: Principal, evidence_id: int) -> Any:
    with db.engine.connect() as conn:
        row = conn.execute(select(t.evidence).where(t.evidence.c.id == evidence_id)).first()
    if row is None:
        raise ApiError("not_found", f"evidence {evidence_id} not found")
    if user.role == "admin":
        raise ApiError("not_found", f"evidence {evidence_id} not found")
    _locate(db, user, dispute_id(row.order_id, row.dispute_seq))  # parties and arbitrators only
    return row


@router.get("/evidence/{evidence_id}", summary="Evidence metadata")
def get_evidence(evidence_id: int, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    return evidence_view(_evidence_row(db, user, evidence_id))


@router.get(
    "/evidence/{evidence_id}/file",
    summary="Download an evidence file",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download_evidence(
    evidence_id: int, request: Request, user: CurrentUser, db: Db, now: Now
) -> FileResponse:
    row = _evidence_row(db, user, evidence_id)
    if not row.file_sha256:
        raise ApiError("not_found", f"evidence {evidence_id} has no file")
    path = (
        Path(request.app.state.settings.data_dir)
        / "evidence"
        / row.file_sha256[:2]
        / row.file_sha256
    )
    if not path.exists():
        raise ApiError("not_found", f"the file of evidence {evidence_id} is missing")
    return FileResponse(
        path, media_type=row.content_type, filename=row.file_name or row.file_sha256
    )
