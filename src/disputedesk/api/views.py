"""What the API returns for orders and disputes (JSON-ready dicts), read from the store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from disputedesk.rules.instants import format_instant
from disputedesk.rules.lifecycle import intervention_due_at
from disputedesk.rules.model import Dispute, Plan
from disputedesk.rules.money import format_money
from disputedesk.rules.vocabulary import STEP_CONSEQUENCES
from disputedesk.services.accounts import Principal
from disputedesk.services.advice import view_parts as advice_parts
from disputedesk.services.commands import utc_now
from disputedesk.services.desk import (  # noqa: F401 (the API's dispute ids are the desk's)
    case_end,
    countdown_of,
    dispute_id,
    events_with_performers,
    options_in,
    parse_dispute_id,
    performer_role,
    tracking_in,
)
from disputedesk.services.visibility import events_of
from disputedesk.store import repository
from disputedesk.store import tables as t


def etag(version: int) -> str:
    return f'"v{version}"'


# The actions sent to an order rather than to its dispute (POST /orders/{id}/...).
ORDER_LEVEL_ACTIONS = frozenset({"ship", "extend_delivery", "confirm_receipt", "open_dispute"})

ACTIONS_DOC = (
    "`allowed_actions`: the RULES.md actions the caller may take now, as the rules core answers "
    "it (`rules.lifecycle.options`: the steps due by now fired first, then each action "
    "checked); `not_yet`: those refused only because it is too early, each with `action`, "
    "`code` (`too_early`), `rule` (e.g. `escalate.too_early`) and `at`, the instant from which "
    "it becomes possible. The web desk offers exactly these."
)


def actions_view(
    loaded: repository.Loaded,
    viewer: Principal | None,
    at: datetime,
    store_id: str,
    *,
    dispute_only: bool = False,
) -> dict[str, Any]:
    """`allowed_actions` and `not_yet` for the caller at `at`, as the desk's pages offer them
    (`services.desk.options_in`: the rules core, and a staff member's permissions); both empty
    for an operator, who acts as no party. `dispute_only`: the actions of the dispute's
    routes."""
    allowed: list[str] = []
    not_yet: list[dict[str, Any]] = []
    if viewer is not None:
        found = options_in(viewer, loaded.state, loaded.policy, store_id, at)
        for option in found.values():
            if dispute_only and option.action in ORDER_LEVEL_ACTIONS:
                continue
            if option.allowed:
                allowed.append(option.action)
            elif option.not_yet and option.refusal is not None:
                when = option.refusal.params.get("at")
                not_yet.append(
                    {
                        "action": option.action,
                        "code": option.refusal.code.value,
                        "rule": option.refusal.rule,
                        "at": format_instant(when) if isinstance(when, datetime) else None,
                    }
                )
    return {"allowed_actions": allowed, "not_yet": not_yet}


def _plan(plan: Plan | None) -> dict[str, Any] | None:
    return plan.to_json() if plan else None


def countdown(loaded: repository.Loaded) -> dict[str, Any] | None:
    """The next deadline, what happens then, and who must act before it."""
    due_next = countdown_of(loaded)
    if due_next is None:
        return None
    return {
        "next_deadline": format_instant(due_next.at),
        "action": due_next.action,
        "consequence": STEP_CONSEQUENCES.get(due_next.action),
        "waiting_on": due_next.waiting_on,
    }


def delivery_facts_view(
    conn: Connection,
    loaded: repository.Loaded,
    now: datetime | None = None,
    *,
    seq: int | None = None,
    shipping_address: Any = None,
    address_known: bool = False,
) -> dict[str, Any] | None:
    """The order's delivery facts (`tracking.facts`) from its stored carrier events, at `now`;
    for a dispute that is not the order's latest, as of its end. None before shipment."""
    order = loaded.state.order
    if order.shipped_at is None:
        return None

    def read_address() -> Any:  # read only if a delivery scan needs matching
        return conn.execute(_ADDRESS_OF_ORDER, {"order_id": order.id}).scalar()

    address = shipping_address if address_known else read_address
    until = case_end(loaded.state.disputes, seq) if seq is not None else None
    tracking = tracking_in(conn, order, address, now or utc_now(), until=until)
    return tracking.facts.to_json() if tracking.facts is not None else None


_ADDRESS_OF_ORDER = select(t.orders.c.shipping_address).where(
    t.orders.c.id == bindparam("order_id")
)
_STORE_OF_ORDER = select(t.orders.c.store_id).where(t.orders.c.id == bindparam("order_id"))


def order_view(row: Any, loaded: repository.Loaded) -> dict[str, Any]:
    order = loaded.state.order
    return {
        "id": order.id,
        "store_id": row.store_id,
        "buyer_id": row.buyer_id,
        "status": str(order.status),
        "currency": order.currency,
        "amount": format_money(order.amount),
        "shipping": format_money(order.shipping),
        "total": format_money(order.total),
        "refunded_total": format_money(order.refunded_total),
        "items": row.items,
        "category": order.category,
        "destination_country": order.destination_country,
        "destination_address": row.destination_address,
        "shipping_address": row.shipping_address,
        "placed_at": format_instant(order.placed_at),
        "promised_delivery_days": order.promised_delivery_days,
        "shipped_at": format_instant(order.shipped_at),
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "delivery_deadline": format_instant(order.delivery_deadline),
        "delivery_extension_days": order.delivery_extension_days,
        "completed_at": format_instant(order.completed_at),
        "disputes": [dispute_id(order.id, i) for i in range(1, len(loaded.state.disputes) + 1)],
        "countdown": countdown(loaded),
        "version": loaded.version,
    }


def order_view_in(
    conn: Connection,
    row: Any,
    loaded: repository.Loaded,
    now: datetime | None = None,
    *,
    viewer: Principal | None = None,
) -> dict[str, Any]:
    """`order_view` with the order's delivery facts at `now` and what the caller (`viewer`)
    may do now (`actions_view`): the single order's view and its actions' answers; the lists
    leave them out."""
    view = order_view(row, loaded)
    view.update(actions_view(loaded, viewer, now or utc_now(), row.store_id))
    view["delivery_facts"] = delivery_facts_view(
        conn, loaded, now, shipping_address=row.shipping_address, address_known=True
    )
    return view


def dispute_summary(
    order_id: str,
    seq: int,
    dispute: Dispute,
    loaded: repository.Loaded,
) -> dict[str, Any]:
    is_current = seq == len(loaded.state.disputes) and dispute.is_open
    return {
        "id": dispute_id(order_id, seq),
        "order_id": order_id,
        "seq": seq,
        "reason": dispute.reason,
        "status": str(dispute.status),
        "resolution": dispute.resolution,
        "refund_amount": format_money(dispute.refund_amount),
        "currency": loaded.state.order.currency,
        "responsibility": dispute.responsibility,
        "escalation": dispute.escalation,
        "opened_at": format_instant(dispute.opened_at),
        "escalated_at": format_instant(dispute.escalated_at),
        "intervention_due_at": format_instant(intervention_due_at(dispute, loaded.policy)),
        "closed_at": format_instant(dispute.closed_at),
        "goods_received": dispute.goods_received,
        "note": dispute.note,
        "buyer_plan": _plan(dispute.buyer_plan),
        "seller_plan": _plan(dispute.seller_plan),
        "countdown": countdown(loaded) if is_current else None,
        "version": loaded.version,
    }


# The statements of a dispute's view, built once (building them cost more than running them).
_PLANS_OF_DISPUTE = (
    select(t.plans.c.side, t.plans.c.type, t.plans.c.amount, t.plans.c.proposed_at)
    .where(t.plans.c.order_id == bindparam("order_id"))
    .where(t.plans.c.dispute_seq == bindparam("seq"))
    .order_by(t.plans.c.id)
)
_EVIDENCE_OF_DISPUTE = (
    select(t.evidence)
    .where(t.evidence.c.order_id == bindparam("order_id"))
    .where(t.evidence.c.dispute_seq == bindparam("seq"))
    .order_by(t.evidence.c.id)
)
_EVENTS_OF_ORDER = (
    events_with_performers()
    .with_only_columns(
        t.events.c.seq,
        t.events.c.at,
        t.events.c.actor,
        t.events.c.action,
        t.events.c.data,
        t.events.c.performed_by_name,
        t.store_staff.c.role.label("staff_role"),
    )
    .where(t.events.c.order_id == bindparam("order_id"))
    .order_by(t.events.c.seq)
)


def _performer(e: Any) -> dict[str, Any] | None:
    """Who acted for the event's actor: "Li Wei" as "agent" (a store's staff member's role
    there), "Ana" as "buyer"; null for automatic steps and events logged before it was kept."""
    role = performer_role(e.actor, e.performed_by_name, e.staff_role)
    return None if role is None else {"name": e.performed_by_name, "role": role}


def dispute_view(
    conn: Connection,
    order_id: str,
    seq: int,
    loaded: repository.Loaded,
    now: datetime | None = None,
    *,
    viewer: Principal | None = None,
) -> dict[str, Any]:
    """The dispute with its plans, evidence and history: its own, nothing of a later dispute of
    the order (`services.visibility.events_of`; an earlier dispute's view has no countdown),
    the order's delivery facts at `now` (an earlier dispute's: as of its end), what the
    caller (`viewer`) may do on it now (`actions_view`; nothing on a closed or earlier one),
    `evidence_checklist`, and for arbitrators and operators `advice` and `ruling_advice`."""
    dispute = loaded.state.disputes[seq - 1]
    view = dispute_summary(order_id, seq, dispute, loaded)
    is_current = seq == len(loaded.state.disputes) and dispute.is_open
    acting = viewer if is_current else None
    store_id = ""
    if acting is not None and acting.role == "seller":  # a staff member's permissions
        store_id = conn.execute(_STORE_OF_ORDER, {"order_id": order_id}).scalar() or ""
    view.update(actions_view(loaded, acting, now or utc_now(), store_id, dispute_only=True))
    keys = {"order_id": order_id, "seq": seq}
    view["plans"] = [
        {
            "side": r.side,
            "type": r.type,
            "amount": format_money(r.amount) if r.amount is not None else None,
            "proposed_at": format_instant(r.proposed_at),
        }
        for r in conn.execute(_PLANS_OF_DISPUTE, keys)
    ]
    view["evidence"] = [evidence_view(r) for r in conn.execute(_EVIDENCE_OF_DISPUTE, keys)]
    log = conn.execute(_EVENTS_OF_ORDER, {"order_id": order_id}).all()
    view["history"] = [
        {
            "seq": e.seq,
            "at": format_instant(e.at),
            "actor": e.actor,
            "action": e.action,
            "data": e.data,
            "performed_by": _performer(e),
        }
        for e in events_of(log, loaded.state.disputes, seq)
    ]
    rulings = [e for e in view["history"] if e["action"] == "rule"]
    view["ruling_reason"] = rulings[-1]["data"].get("reason") if rulings else None
    view["delivery_facts"] = delivery_facts_view(conn, loaded, now, seq=seq)
    # the evidence each side's case needs; for arbitrators and operators, the ruling
    # assistant's advice and the record of the ruling against it (`services.advice`)
    role = viewer.role if viewer is not None else None
    view.update(advice_parts(conn, loaded, seq, now or utc_now(), role))
    return view


def evidence_view(row: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": row.id,
        "dispute_id": dispute_id(row.order_id, row.dispute_seq),
        "actor": row.actor,
        "kind": row.kind,
        "description": row.description,
        "submitted_at": format_instant(row.submitted_at),
        "link": row.link,
        "file": None,
    }
    if row.file_sha256:
        view["file"] = {
            "sha256": row.file_sha256,
            "name": row.file_name,
            "content_type": row.content_type,
            "size": row.size,
            "download": f"/evidence/{row.id}/file",
        }
    return view
