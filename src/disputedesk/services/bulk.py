"""Many orders at once, built through the rules core and written by the repository: for tests,
benchmarks and demo data.

`create_orders` runs a list of commands through `lifecycle.handle` once, for a template order,
and then writes `n` orders that differ from the template only in their id. That is exact: the
core never reads an order's id (it decides on instants, amounts, plans and statuses), so every
order would have gone through the same events to the same state. Each order is inserted as
`services.orders.create_order` would insert it and then saved with `repository.save` as
`commands.execute` would save it, so its events, disputes, plans, outbox rows, version and due
instant are the real ones; only the transactions are shared (one per `batch` orders).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from disputedesk.rules.instants import days, format_instant
from disputedesk.rules.lifecycle import Command, Event, due, handle
from disputedesk.rules.model import Order, State
from disputedesk.rules.policy import policy_from
from disputedesk.rules.vocabulary import Action, Actor
from disputedesk.services.commands import utc_now
from disputedesk.services.orders import NewOrder, check_order, ensure_parties, order_row
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database


class BulkError(ValueError):
    """The template's commands do not run cleanly through the rules (a refused command)."""


@dataclass(frozen=True, slots=True)
class Created:
    """What `create_orders` wrote: the order ids, and the state every one of them is in."""

    ids: list[str]
    state: State  # the template's state (its order id is the template's)
    events: tuple[Event, ...]  # each order's event log
    due_at: datetime | None  # when their next automatic step falls due (the same for all)


def order_ids(n: int, *, start_id: int = 0, id_prefix: str = "bulk-") -> list[str]:
    """The ids `create_orders` gives: the prefix and a zero-padded number, so they sort in order."""
    return [f"{id_prefix}{i:08d}" for i in range(start_id, start_id + n)]


def _fresh_order(template: NewOrder) -> Order:
    return Order(
        id=template.id,
        amount=template.amount,
        shipping=template.shipping,
        currency=template.currency,
        placed_at=template.placed_at,
        promised_delivery_days=template.promised_delivery_days,
        destination_country=template.destination_country,
        category=template.category,
    )


def template_state(
    template: NewOrder, commands: Sequence[Command]
) -> tuple[State, State, tuple[Event, ...]]:
    """(the order as created, its state after `commands`, the events they logged), through the
    core exactly as `commands.execute` runs each command; a refused command raises BulkError."""
    policy = policy_from(template.policy)
    created = State(order=_fresh_order(template))
    state = created
    events: list[Event] = []
    for command in commands:
        state, entries = handle(state, command, policy)
        for entry in entries:
            if entry.error is not None:
                raise BulkError(
                    f"{command.action} at {format_instant(command.at)} refused: "
                    f"{entry.error}: {entry.message}"
                )
            if entry.event is not None:
                events.append(entry.event)
    return created, state, tuple(events)


def _with_id(state: State, order_id: str) -> State:
    # Disputes are shared between the copies: nothing downstream mutates them.
    return State(
        order=replace(state.order, id=order_id), disputes=state.disputes, clock=state.clock
    )


def create_orders(
    db: Database,
    n: int,
    template: NewOrder,
    commands: Sequence[Command],
    *,
    start_id: int = 0,
    id_prefix: str = "bulk-",
    batch: int = 2000,
    recorded_at: datetime | None = None,
) -> Created:
    """Write `n` copies of `template` (ids from `order_ids`), each after `commands`, in
    transactions of `batch` orders. Existing ids make the insert fail (nothing is overwritten)."""
    if n < 0 or batch < 1:
        raise ValueError("n must be >= 0 and batch >= 1")
    created, final, events = template_state(template, commands)
    policy = policy_from(template.policy)
    now = recorded_at or utc_now()
    ids = order_ids(n, start_id=start_id, id_prefix=id_prefix)
    # `version` counts saves: 1 at creation, +1 per command the services save. One save does
    # the work of all the commands here, so the row is inserted one below 1 + len(commands).
    version = max(len(commands), 1)
    for start in range(0, n, batch):
        chunk = ids[start : start + batch]
        with db.begin() as conn:
            if start == 0:
                ensure_parties(conn, {template.store_id}, {template.buyer_id}, now)
            rows = [{**order_row(replace(template, id=i), now), "version": version} for i in chunk]
            conn.execute(insert(t.orders), rows)
            if events:
                changes = [
                    repository.Change(
                        repository.Loaded(_with_id(created, i), policy, version, 0, ()),
                        _with_id(final, i),
                        events,
                    )
                    for i in chunk
                ]
                repository.save(conn, changes, now)
    step = due(final, policy)
    return Created(ids, final, events, step.at if step else None)


def due_dispute_template(
    *,
    opened_at: datetime,
    amount: str = "100.00",
    shipping: str = "21.49",
    refund: str = "40.00",
    reason: str = "not_as_described.damaged",
    promised_delivery_days: int = 30,
    store_id: str = "bulk-store",
    buyer_id: str = "bulk-buyer",
) -> tuple[NewOrder, list[Command]]:
    """An order shipped as early as a dispute may be opened at `opened_at`, and the dispute
    opened then with a refund_only plan: it awaits the seller's response, whose timeout is
    `opened_at + seller_response_days`."""
    policy = policy_from("aliexpress")
    shipped_at = opened_at - days(policy.dispute_open_after_shipment_days)
    raw: dict[str, Any] = {
        "id": "template",
        "store_id": store_id,
        "buyer_id": buyer_id,
        "amount": amount,
        "shipping": shipping,
        "currency": "USD",
        "placed_at": format_instant(shipped_at - days(1)),
        "promised_delivery_days": promised_delivery_days,
        "destination_country": "BR",
        "category": "apparel/shoes",
    }
    commands = [
        Command(
            shipped_at,
            Actor.SELLER.value,
            Action.SHIP.value,
            {"carrier": "China Post", "tracking_number": "RR000000000CN"},
        ),
        Command(
            opened_at,
            Actor.BUYER.value,
            Action.OPEN_DISPUTE.value,
            {
                "reason": reason,
                "plan": {"type": "refund_only", "amount": refund},
                "goods_received": True,
            },
        ),
    ]
    return check_order(raw), commands


def create_due_disputes(
    db: Database,
    n: int,
    *,
    start_id: int = 0,
    opened_at: datetime,
    batch: int = 2000,
    id_prefix: str = "due-",
    refund: str = "40.00",
    reason: str = "not_as_described.damaged",
    store_id: str = "bulk-store",
    buyer_id: str = "bulk-buyer",
    recorded_at: datetime | None = None,
) -> Created:
    """`n` shipped orders, each with a dispute opened at `opened_at` with a refund_only plan of
    `refund`, awaiting the seller's response: all fall due together at the seller's timeout
    (`Created.due_at`)."""
    template, commands = due_dispute_template(
        opened_at=opened_at, refund=refund, reason=reason, store_id=store_id, buyer_id=buyer_id
    )
    _, state, _ = template_state(template, commands)
    step = due(state, policy_from(template.policy))
    if step is None or step.action != Action.SELLER_RESPONSE_TIMEOUT:
        raise BulkError(f"the disputes would not await the seller's response timeout: {step}")
    return create_orders(
        db,
        n,
        template,
        commands,
        start_id=start_id,
        id_prefix=id_prefix,
        batch=batch,
        recorded_at=recorded_at,
    )
