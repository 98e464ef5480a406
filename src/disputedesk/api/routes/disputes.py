"""Disputes: list, get (with plans, history and the countdown), one POST per RULES.md action,
and evidence (files stored content-addressed, or links)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Path, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Connection, bindparam, select
from starlette.concurrency import run_in_threadpool

from disputedesk.api.access import actor_of, order_row_for
from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import PROBLEM_JSON, ApiError
from disputedesk.api.schemas import (
    CountryFilter,
    DisputeStatusFilter,
    EscalateIn,
    InstantFilter,
    Limit,
    OpenDisputeIn,
    PlanChangeIn,
    ReasonFilter,
    RejectIn,
    RuleIn,
    ShipmentIn,
    StoreFilter,
)
from disputedesk.api.views import (
    ACTIONS_DOC,
    dispute_id,
    dispute_summary,
    dispute_view,
    etag,
    evidence_view,
    parse_dispute_id,
)
from disputedesk.rules.instants import parse_instant
from disputedesk.services import advice as advice_service
from disputedesk.services import claims, commands, desk, evidence_files, messages, permissions
from disputedesk.services.accounts import Principal
from disputedesk.services.advice import ADVICE_DOC
from disputedesk.services.commands import ServiceError
from disputedesk.services.inputs import MAX_BIGINT
from disputedesk.services.visibility import VISIBLE_DISPUTE_TEMPLATES, of_dispute, visibility
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database

router = APIRouter(tags=["disputes"])

IfMatch = Annotated[str | None, Header(description="The dispute's ETag, to act only if unchanged")]


# The order of a dispute, if the caller may see that dispute: one statement per kind of caller,
# built once.
_VISIBLE_ORDER = {
    kind: of_dispute(repository.state_select(), bindparam("seq"))
    .where(t.orders.c.id == bindparam("order_id"))
    .where(clause)
    for kind, clause in VISIBLE_DISPUTE_TEMPLATES.items()
}

# A dispute's view as JSON bytes: the serializer FastAPI used for the `dict[str, Any]` these
# endpoints returned (the same bytes), minus its validating copy of the dict and, for a sync
# endpoint, the second trip to the thread pool that validation took.
_VIEW_JSON = TypeAdapter(dict[str, Any])


def _locate_in(conn: Connection, user: Principal, value: str) -> tuple[str, int, repository.Loaded]:
    """The dispute named `value`, if the caller may see it: its order id, number and state."""
    parsed = parse_dispute_id(value)
    if parsed is None:
        raise ApiError("not_found", f"dispute {value!r} not found")
    order_id, seq = parsed
    kind, params = visibility(user)
    row = conn.execute(_VISIBLE_ORDER[kind], {"order_id": order_id, "seq": seq, **params}).first()
    if row is None:
        raise ApiError("not_found", f"dispute {value!r} not found")
    return order_id, seq, repository.loaded_from_row(conn, row)


def _locate(db: Database, user: Principal, value: str) -> tuple[str, int, repository.Loaded]:
    with db.engine.connect() as conn:
        return _locate_in(conn, user, value)


def _get(
    db: Database, user: Principal, value: str, status_code: int = 200, now: datetime | None = None
) -> Response:
    """The dispute's view (and its ETag), rendered as JSON (its delivery facts at `now`); for
    arbitrators and operators, who holds the case (`claim`)."""
    with db.engine.connect() as conn:
        order_id, seq, loaded = _locate_in(conn, user, value)
        view = dispute_view(conn, order_id, seq, loaded, now, viewer=user)
        if user.role in ("arbitrator", "admin"):
            held = claims.holder_in(conn, order_id, seq)
            open_case = loaded.state.disputes[seq - 1].is_open
            view["claim"] = held.to_json() if held is not None and open_case else None
    response = Response(
        _VIEW_JSON.dump_json(view), status_code=status_code, media_type="application/json"
    )
    response.headers["ETag"] = etag(loaded.version)
    return response


# A malformed or tampered `cursor` (a problem+json as every refusal; app.Problem's fields)
_BAD_CURSOR = {
    400: {
        "description": "invalid_input: a malformed or tampered cursor, or cursor with offset",
        "content": {
            PROBLEM_JSON: {
                "schema": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail", "code"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "code": {"type": "string"},
                        "instance": {"type": ["string", "null"]},
                    },
                }
            }
        },
    }
}


@router.get(
    "/disputes",
    summary="List disputes, by next deadline",
    responses=_BAD_CURSOR,  # type: ignore[arg-type]
)
def list_disputes(
    user: CurrentUser,
    db: Db,
    now: Now,
    status: DisputeStatusFilter = None,
    reason: ReasonFilter = None,
    store_id: StoreFilter = None,
    country: CountryFilter = None,
    due_before: InstantFilter = None,
    overdue: Annotated[
        bool,
        Query(description="Only escalated cases whose intervention due time has passed"),
    ] = False,
    limit: Limit = 50,
    offset: Annotated[
        int,
        Query(
            ge=0,
            le=MAX_BIGINT,
            description="Rows to skip (slower deep in the list: prefer `cursor`)",
        ),
    ] = 0,
    cursor: Annotated[
        str | None,
        Query(
            max_length=desk.MAX_CURSOR_CHARS,
            description="The `next_cursor` of the previous page: the rows after its last one",
        ),
    ] = None,
) -> dict[str, Any]:
    """The disputes the caller may see, the most urgent first: by the order's next automatic
    step, or, once escalated, by the platform's intervention due time. Each with
    `unread_messages`: the messages of its order's thread the caller has not read (from the
    other side); for arbitrators and operators, `claim`: who holds the case.

    Pages: `next_cursor` (null on the last page) sent back as `cursor` gives the next page
    (keyset pagination: as fast deep in the list as on its first page, and no row skipped or
    repeated when rows before it change); `offset` still works, but the database walks every
    skipped row. A malformed cursor is `400 invalid_input`."""
    instant = None
    if due_before is not None:
        instant = parse_instant(due_before)
        if instant is None:
            raise ApiError("invalid_input", f"due_before: {due_before!r} is not a UTC instant")
    filters = desk.DisputeFilters(
        status=status,
        reason=reason,
        store_id=store_id,
        country=country,
        due_before=instant,
        overdue_at=now if overdue else None,
    )
    after = None
    if cursor is not None:
        if offset:
            raise ApiError("invalid_input", "cursor and offset: send one or the other", status=400)
        try:
            after = desk.decode_cursor(cursor)
        except ServiceError as exc:
            raise ApiError("invalid_input", exc.message, status=400) from None
    with db.engine.connect() as conn:
        if offset:  # the database walks every row it skips
            query = desk.dispute_keys(user, filters).limit(limit + 1).offset(offset)
            keys = conn.execute(query).all()
        else:  # the first page, or the page after a cursor: each through an index
            page = desk.dispute_page(user, filters, limit=limit + 1, after=after)
            keys = desk.read_page(conn, page, limit + 1)
        more, keys = len(keys) > limit, keys[:limit]
        loaded = repository.load_many(conn, {k.order_id for k in keys})
        unread = messages.unread_counts_in(conn, user, sorted({k.order_id for k in keys}))
    held = (
        claims.holders(db, [(k.order_id, k.seq) for k in keys])
        if user.role in ("arbitrator", "admin")
        else None
    )
    items = []
    for k in keys:
        dispute = loaded[k.order_id].state.disputes[k.seq - 1]
        item = dispute_summary(k.order_id, k.seq, dispute, loaded[k.order_id])
        item["unread_messages"] = unread.get(k.order_id, 0)
        if held is not None:
            claim = held.get((k.order_id, k.seq))
            item["claim"] = claim.to_json() if claim is not None and dispute.is_open else None
        items.append(item)
    next_cursor = desk.encode_cursor(keys[-1]) if more else None
    return {"items": items, "limit": limit, "offset": offset, "next_cursor": next_cursor}


@router.get(
    "/disputes/{dispute_id}",
    summary="Get a dispute with plans, history, countdown",
    description="The dispute with its plans, evidence, history, countdown and delivery facts. "
    + ACTIONS_DOC
    + " "
    + ADVICE_DOC,
    response_model=dict[str, Any],
)
async def get_dispute(dispute_id: str, user: CurrentUser, db: Db, now: Now) -> Response:
    # On SQLite the reads are in-process, indexed and take microseconds: they run on the event
    # loop, like the token lookup before them, since a hop to the thread pool costs more than
    # they do and, under load, leaves the loop waiting for the GIL behind busy threads. (One
    # yield to the loop between the two keeps a burst of such requests from holding off new
    # connections.) A networked database's round trips go to the thread pool.
    if db.is_postgres:
        return await run_in_threadpool(_get, db, user, dispute_id, 200, now)
    await asyncio.sleep(0)
    return _get(db, user, dispute_id, now=now)


@router.post(
    "/orders/{order_id}/disputes",
    status_code=201,
    summary="Open a dispute (buyer)",
    response_model=dict[str, Any],
)
def open_dispute(
    order_id: str, body: OpenDisputeIn, user: CurrentUser, db: Db, now: Now
) -> Response:
    order_row_for(db, user, order_id)
    fields = body.model_dump(exclude_none=True)
    fields["plan"] = body.plan.model_dump(exclude_none=True)
    result = commands.execute(
        db,
        order_id,
        actor_of(user),
        "open_dispute",
        fields,
        now,
        live=True,
        **permissions.performer(user),
    )
    if result.refusal is not None:
        raise ApiError(result.refusal.code.value, result.refusal.message)
    value = dispute_id(order_id, len(result.state.disputes))
    return _get(db, user, value, status_code=201, now=now)


def _act(
    db: Database,
    user: Principal,
    now: datetime,
    value: str,
    action: str,
    fields: dict[str, Any],
    if_match: str | None,
    status_code: int = 200,
    perform: Callable[[str, int | None], commands.CommandResult] | None = None,
) -> Response:
    """One RULES.md action on the dispute. It must be the order's open dispute (else
    `no_dispute`); with If-Match, the order must not have changed since that ETag.
    `perform(order_id, expected_version)`, when given, carries the action out instead of
    `commands.execute` (evidence: its file is written only once all this is checked)."""
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
    dispute = loaded.state.disputes[seq - 1]
    # the staff member's permissions, the arbitrator's claim: the desk's check too
    permissions.check_command(
        db, user, order_id, seq, action, fields, dispute, currency=loaded.state.order.currency
    )
    if perform is not None:
        result = perform(order_id, expected)
    else:
        result = commands.execute(
            db,
            order_id,
            actor_of(user),
            action,
            fields,
            now,
            expected_version=expected,
            live=True,
            **permissions.performer(user),
        )
    if result.refusal is not None:
        raise ApiError(result.refusal.code.value, result.refusal.message)
    claims.after(db, user, order_id, seq, action, now=now)
    return _get(db, user, value, status_code, now)


def _ruling(
    db: Database, user: Principal, now: datetime, fields: dict[str, Any]
) -> tuple[dict[str, Any], Callable[[str, int | None], commands.CommandResult]]:
    """A ruling's fields for the rules, and how it is carried out: checked against the advice
    (`followed_advice`, `why_not`: not the rules', never in the parties' history) and recorded
    with it in the ruling's transaction (`services.advice.rule`)."""
    followed = fields.pop("followed_advice", None)
    why_not = fields.pop("why_not", None)

    def perform(order_id: str, expected: int | None) -> commands.CommandResult:
        return advice_service.rule(
            db,
            order_id,
            fields,
            at=now,
            followed_advice=followed,
            why_not=why_not,
            expected_version=expected,
            live=True,
            **permissions.performer(user),
        )

    return fields, perform


@dataclass(frozen=True)
class ActionRoute:
    """One POST per RULES.md dispute action: its path, the action, and its body (if any)."""

    path: str
    action: str
    summary: str
    body: type[BaseModel] | None = None
    body_required: bool = True


ACTION_ROUTES = (
    ActionRoute("modify", "modify_dispute", "Modify the dispute's plan (buyer)", PlanChangeIn),
    ActionRoute("accept", "accept", "Accept the other side's plan"),
    ActionRoute("propose", "propose", "Propose a plan (seller)", PlanChangeIn),
    ActionRoute("reject", "reject", "Reject the buyer's plan (seller)", RejectIn),
    ActionRoute("cancel", "cancel_dispute", "Cancel the dispute (buyer)"),
    ActionRoute(
        "escalate",
        "escalate",
        "Ask the platform to step in (buyer), or escalate a return (seller)",
        EscalateIn,
        body_required=False,
    ),
    ActionRoute("ship-return", "ship_return", "Ship the return (buyer)", ShipmentIn),
    ActionRoute(
        "confirm-return-received", "confirm_return_received", "Confirm the return arrived (seller)"
    ),
    ActionRoute("give-up-return", "give_up_return", "Refund without the goods (seller)"),
    ActionRoute("ship-replacement", "ship_replacement", "Ship a replacement (seller)", ShipmentIn),
    ActionRoute("intervene", "intervene", "Take the case (arbitrator)"),
    ActionRoute(
        "rule",
        "rule",
        "Rule on the case, with a written reason (arbitrator); a ruling that differs from the "
        "advice says why (`why_not`)",
        RuleIn,
    ),
)


def _register(route: ActionRoute) -> None:
    def endpoint(
        dispute_id: str,
        user: CurrentUser,
        db: Db,
        now: Now,
        body: Any = None,
        if_match: IfMatch = None,
    ) -> Response:
        fields = body.model_dump(exclude_none=True) if body is not None else {}
        if route.action == "rule":  # checked against the ruling assistant's advice, recorded
            fields, perform = _ruling(db, user, now, fields)
            return _act(db, user, now, dispute_id, "rule", fields, if_match, perform=perform)
        return _act(db, user, now, dispute_id, route.action, fields, if_match)

    if route.body is None:
        # no body: drop the parameter from the signature FastAPI reads
        signature = inspect.signature(endpoint)
        endpoint.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for p in signature.parameters.values() if p.name != "body"]
        )
    else:
        body_type = route.body if route.body_required else route.body | None
        signature = inspect.signature(endpoint)
        endpoint.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[
                p.replace(
                    annotation=body_type,
                    default=inspect.Parameter.empty if route.body_required else None,
                )
                if p.name == "body"
                else p
                for p in signature.parameters.values()
            ]
        )
    endpoint.__name__ = route.action
    router.add_api_route(
        f"/disputes/{{dispute_id}}/{route.path}",
        endpoint,
        methods=["POST"],
        summary=route.summary,
        name=route.action,
        response_model=dict[str, Any],
    )


for _route in ACTION_ROUTES:
    _register(_route)


# -- evidence ---------------------------------------------------------------------------------


EvidenceId = Annotated[
    int, Path(ge=1, le=evidence_files.MAX_ID, description="An evidence record's id")
]


@router.post(
    "/disputes/{dispute_id}/evidence",
    status_code=201,
    summary="Submit evidence: a file, a link, or a description",
    response_model=dict[str, Any],
)
def submit_evidence(
    dispute_id: str,
    request: Request,
    user: CurrentUser,
    db: Db,
    now: Now,
    kind: Annotated[str, Form(description="photo, video, proof_of_delivery, ...")],
    description: Annotated[str, Form(max_length=5000)] = "",
    link: Annotated[str | None, Form(max_length=2000, description="e.g. a video link")] = None,
    file: Annotated[UploadFile | None, File(description="An image, PDF, MP4/WebM or text")] = None,
    if_match: IfMatch = None,
) -> Response:
    """Everything is checked before the file is stored (the dispute, If-Match, the link, and
    the rules core's answer now); a refused upload leaves no file behind."""
    settings = request.app.state.settings
    has_file = file is not None and bool(file.filename or file.size)

    def perform(order_id: str, expected: int | None) -> commands.CommandResult:
        return evidence_files.submit(
            db,
            order_id,
            actor_of(user),
            kind=kind,
            description=description,
            link=link,
            file=file.file if file is not None and has_file else None,
            filename=file.filename if file is not None and has_file else None,
            at=now,
            data_dir=settings.data_dir,
            limit=settings.max_upload_bytes,
            expected_version=expected,
            live=True,
            **permissions.performer(user),
        )

    return _act(
        db, user, now, dispute_id, "submit_evidence", {}, if_match, status_code=201, perform=perform
    )


# -- claims (arbitrators) ------------------------------------------------------------------------


@router.post(
    "/disputes/{dispute_id}/claim",
    summary="Claim the case, so no other arbitrator works it (arbitrator)",
    response_model=dict[str, Any],
)
def claim_case(dispute_id: str, user: CurrentUser, db: Db, now: Now) -> Response:
    """The case (escalated, awaiting the seller's evidence or under review) becomes the
    caller's: no other arbitrator may intervene or rule on it (409 "claimed by ...") until a
    ruling or the caller releases it. Claiming one's own claim again changes nothing."""
    order_id, seq, loaded = _locate(db, user, dispute_id)
    claims.claim(db, user, order_id, seq, loaded.state.disputes[seq - 1], now=now)
    return _get(db, user, dispute_id, 200, now)


@router.post(
    "/disputes/{dispute_id}/release",
    summary="Release a claimed case (its arbitrator, or an operator)",
    response_model=dict[str, Any],
)
def release_case(dispute_id: str, user: CurrentUser, db: Db, now: Now) -> Response:
    """Another arbitrator's claim is 409; an unclaimed case stays unclaimed."""
    order_id, seq, _loaded = _locate(db, user, dispute_id)
    claims.release(db, user, order_id, seq)
    return _get(db, user, dispute_id, 200, now)


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
def get_evidence(evidence_id: EvidenceId, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    return evidence_view(_evidence_row(db, user, evidence_id))


@router.get(
    "/evidence/{evidence_id}/file",
    summary="Download an evidence file",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The file, as an attachment, with the type sniffed from its bytes at "
            "upload (application/octet-stream for a type no longer accepted)",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in evidence_files.DOWNLOAD_TYPES
            },
        }
    },
)
def download_evidence(
    evidence_id: EvidenceId, request: Request, user: CurrentUser, db: Db, now: Now
) -> FileResponse:
    """Sent as an attachment (its name made safe, RFC 6266 `filename*` when not ASCII), never
    sniffed by the browser (`nosniff`) nor stored by a cache (`no-store`)."""
    row = _evidence_row(db, user, evidence_id)
    if not row.file_sha256:
        raise ApiError("not_found", f"evidence {evidence_id} has no file")
    path = evidence_files.path_of(request.app.state.settings.data_dir, row.file_sha256)
    if not path.exists():
        raise ApiError("not_found", f"the file of evidence {evidence_id} is missing")
    return FileResponse(
        path,
        media_type=evidence_files.sendable_type(row.content_type),
        filename=evidence_files.download_name(row.file_name, row.file_sha256),
        headers=evidence_files.DOWNLOAD_HEADERS,
    )
