"""Application services: one function per RULES.md action, each one transaction.

Each loads the order's state, asks the rules core (`lifecycle.handle`: due steps first, then the
command), appends the events, saves the state with a version check and writes the outbox rows,
all in one transaction. A command that lost a race is retried once on fresh state, then refused
with `conflict`. The rules live in the core only; nothing here decides anything.

On SQLite the commands of one process that wait for the write lock together are committed
together (`Database.write`): each in its own savepoint, so each is still all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from disputedesk.rules.errors import Refusal
from disputedesk.rules.lifecycle import Command, Entry, handle
from disputedesk.rules.model import State
from disputedesk.rules.vocabulary import Action, Actor
from disputedesk.services.inputs import storable_message
from disputedesk.store import repository
from disputedesk.store.db import Database


class ServiceError(Exception):
    """A request the services cannot carry out. `code` is one error vocabulary: the RULES error
    codes plus `not_found` and `conflict`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(slots=True)
class CommandResult:
    """What a command did: the timeline entries it produced (automatic steps that fell due
    first, the command itself, steps it made due) and the order's state after it."""

    order_id: str
    entries: list[Entry]
    state: State

    @property
    def refusal(self) -> Refusal | None:
        for entry in self.entries:
            if entry.refusal is not None:
                return entry.refusal
            if entry.error is not None:
                return Refusal(entry.error, entry.message or "")
        return None

    @property
    def ok(self) -> bool:
        return self.refusal is None


def utc_now() -> datetime:
    return datetime.now(UTC)


def execute(
    db: Database,
    order_id: str,
    actor: str,
    action: str,
    fields: Mapping[str, Any],
    at: datetime | None = None,
    *,
    recorded_at: datetime | None = None,
    expected_version: int | None = None,
    live: bool = False,
    performed_by: str | None = None,
    performed_by_name: str | None = None,
    also: Callable[[Connection, CommandResult], None] | None = None,
) -> CommandResult:
    """Apply one command to one order in one transaction (retried once after a lost race).
    With `expected_version` (an HTTP If-Match), a changed order is refused, not retried.

    `live`: `at` is the current instant of a request (the API, the desk), not an instant the
    caller chose. An order already past it was changed by someone else (another request, the
    worker) after the request began: that is a lost race, `conflict`, not a bad `at`.

    `performed_by` (an email) and `performed_by_name`: the person who acted for the actor (the
    signed-in staff member, buyer or arbitrator), kept on the command's events for the
    timeline; the rules core never sees them.

    `also(conn, result)`: more writes of the caller's, in the same transaction, once the
    command is accepted (the advice recorded with a ruling); if it raises, nothing is saved."""
    at = at or utc_now()
    command = _command(actor, action, fields, at)

    def apply(conn: Connection) -> CommandResult:
        loaded, state, entries = _decide(
            conn, order_id, command, expected_version=expected_version, live=live
        )
        events = [e.event for e in entries if e.event is not None]
        if events:
            change = repository.Change(loaded, state, events, performed_by, performed_by_name)
            repository.save(conn, [change], recorded_at or utc_now())
        result = CommandResult(order_id, entries, state)
        if also is not None and result.ok:
            also(conn, result)
        return result

    for _attempt in range(2):
        try:
            # One transaction (on SQLite maybe shared with other commands queued meanwhile,
            # each in its own savepoint): the result comes back once it is committed.
            return db.write(apply)
        except repository.VersionConflict:
            continue
    raise ServiceError("conflict", f"order {order_id!r} kept changing; try again")


def preview(
    db: Database,
    order_id: str,
    actor: str,
    action: str,
    fields: Mapping[str, Any],
    at: datetime,
    *,
    expected_version: int | None = None,
    live: bool = False,
) -> CommandResult:
    """What `execute` would answer now, with every one of its checks, saving nothing (a read,
    no write lock): for work that must not start unless the command will be accepted, such as
    storing an evidence file. The order may still change before the command runs."""
    command = _command(actor, action, fields, at)
    with db.engine.connect() as conn:
        _loaded, state, entries = _decide(
            conn, order_id, command, expected_version=expected_version, live=live
        )
    return CommandResult(order_id, entries, state)


def _command(actor: str, action: str, fields: Mapping[str, Any], at: datetime) -> Command:
    unstorable = storable_message(dict(fields))
    if unstorable is not None:
        raise ServiceError("invalid_input", unstorable)
    return Command(at, str(actor), str(action), dict(fields))


def _decide(
    conn: Connection,
    order_id: str,
    command: Command,
    *,
    expected_version: int | None,
    live: bool,
) -> tuple[repository.Loaded, State, list[Entry]]:
    """Load the order and ask the rules core (due steps first, then the command)."""
    loaded = repository.load(conn, order_id)
    if loaded is None:
        raise ServiceError("not_found", f"order {order_id!r} not found")
    if expected_version is not None and loaded.version != expected_version:
        raise ServiceError(
            "precondition_failed",
            f"order {order_id!r} is at version {loaded.version}, "
            f"not {expected_version}: reload it and decide again",
        )
    clock = loaded.state.clock
    if clock is not None and command.at < clock:
        if live:
            raise ServiceError(
                "conflict",
                f"order {order_id!r} changed while you acted (at {clock.isoformat()}); "
                "reload it and decide again",
            )
        raise ServiceError(
            "invalid_input",
            f"at: {command.at.isoformat()} is before the order's last recorded instant "
            f"{clock.isoformat()}",
        )
    state, entries = handle(loaded.state, command, loaded.policy)
    return loaded, state, entries


# One function per RULES.md action ----------------------------------------------------------


def ship(
    db: Database, order_id: str, *, carrier: str, tracking_number: str, at: datetime | None = None
) -> CommandResult:
    return execute(
        db,
        order_id,
        Actor.SELLER,
        Action.SHIP,
        {"carrier": carrier, "tracking_number": tracking_number},
        at,
    )


def extend_delivery(
    db: Database, order_id: str, *, days: int, at: datetime | None = None
) -> CommandResult:
    return execute(db, order_id, Actor.SELLER, Action.EXTEND_DELIVERY, {"days": days}, at)


def confirm_receipt(db: Database, order_id: str, *, at: datetime | None = None) -> CommandResult:
    return execute(db, order_id, Actor.BUYER, Action.CONFIRM_RECEIPT, {}, at)


def record_tracking(
    db: Database, order_id: str, *, details: Mapping[str, Any], at: datetime | None = None
) -> CommandResult:
    return execute(db, order_id, Actor.CARRIER, Action.TRACKING, details, at)


def open_dispute(
    db: Database,
    order_id: str,
    *,
    reason: str,
    plan: Mapping[str, Any],
    goods_received: bool,
    note: str | None = None,
    at: datetime | None = None,
) -> CommandResult:
    fields = {"reason": reason, "plan": dict(plan), "goods_received": goods_received}
    if note is not None:
        fields["note"] = note
    return execute(db, order_id, Actor.BUYER, Action.OPEN_DISPUTE, fields, at)


def modify_dispute(
    db: Database, order_id: str, *, plan: Mapping[str, Any], at: datetime | None = None
) -> CommandResult:
    return execute(db, order_id, Actor.BUYER, Action.MODIFY_DISPUTE, {"plan": dict(plan)}, at)


def accept(db: Database, order_id: str, *, actor: str, at: datetime | None = None) -> CommandResult:
    """The seller accepts the buyer's plan, or the buyer the seller's."""
    return execute(db, order_id, actor, Action.ACCEPT, {}, at)


def propose(
    db: Database, order_id: str, *, plan: Mapping[str, Any], at: datetime | None = None
) -> CommandResult:
    return execute(db, order_id, Actor.SELLER, Action.PROPOSE, {"plan": dict(plan)}, at)


def reject(
    db: Database, order_id: str, *, note: str = "", at: datetime | None = None
) -> CommandResult:
    return execute(db, order_id, Actor.SELLER, Action.REJECT, {"note": note}, at)


def cancel_dispute(db: Database, order_id: str, *, at: datetime | None = None) -> CommandResult:
    return execute(db, order_id, Actor.BUYER, Action.CANCEL_DISPUTE, {}, at)


def escalate(
    db: Database, order_id: str, *, actor: str, note: str | None = None, at: datetime | None = None
) -> CommandResult:
    """The buyer asks the platform to step in, or the seller escalates a return."""
    fields = {"note": note} if note is not None else {}
    return execute(db, order_id, actor, Action.ESCALATE, fields, at)


def ship_replacement(
    db: Database, order_id: str, *, carrier: str, tracking_number: str, at: datetime | None = None
) -> CommandResult:
    return execute(
        db,
        order_id,
        Actor.SELLER,
        Action.SHIP_REPLACEMENT,
        {"carrier": carrier, "tracking_number": tracking_number},
        at,
    )


def ship_return(
    db: Database, order_id: str, *, carrier: str, tracking_number: str, at: datetime | None = None
) -> CommandResult:
    return execute(
        db,
        order_id,
        Actor.BUYER,
        Action.SHIP_RETURN,
        {"carrier": carrier, "tracking_number": tracking_number},
        at,
    )


def confirm_return_received(
    db: Database, order_id: str, *, at: datetime | None = None
) -> CommandResult:
    return execute(db, order_id, Actor.SELLER, Action.CONFIRM_RETURN_RECEIVED, {}, at)


def give_up_return(db: Database, order_id: str, *, at: datetime | None = None) -> CommandResult:
    return execute(db, order_id, Actor.SELLER, Action.GIVE_UP_RETURN, {}, at)


def intervene(db: Database, order_id: str, *, at: datetime | None = None) -> CommandResult:
    return execute(db, order_id, Actor.ARBITRATOR, Action.INTERVENE, {}, at)


def submit_evidence(
    db: Database,
    order_id: str,
    *,
    actor: str,
    kind: str,
    description: str,
    at: datetime | None = None,
) -> CommandResult:
    return execute(
        db, order_id, actor, Action.SUBMIT_EVIDENCE, {"kind": kind, "description": description}, at
    )


def rule(
    db: Database,
    order_id: str,
    *,
    refund_amount: str,
    responsibility: str,
    return_required: bool = False,
    at: datetime | None = None,
) -> CommandResult:
    return execute(
        db,
        order_id,
        Actor.ARBITRATOR,
        Action.RULE,
        {
            "refund_amount": refund_amount,
            "responsibility": responsibility,
            "return_required": return_required,
        },
        at,
    )
