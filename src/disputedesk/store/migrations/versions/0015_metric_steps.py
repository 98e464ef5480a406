"""seller metrics at scale: each order's metric steps (the events the figures read: their
instant, action and the one field of their data the figures read) kept beside the log, keyed
by store, so that a store's dashboard reads one range of one index instead of its events
scattered over the whole log. The database keeps it: a trigger on the log's inserts (the log is
append-only) copies each such event with its order's store; existing events are copied here.
The index the metrics read the log through before (0013) goes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import disputedesk.store.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# As `rules.metrics.METRIC_ACTIONS` and `DETAIL_FIELD` were when this ran (a test compares):
# a change there needs a migration that copies again and replaces the trigger.
ACTIONS = (
    "auto_escalated",
    "auto_ruled",
    "cancel_dispute",
    "confirm_receipt",
    "escalate",
    "open_dispute",
    "order_auto_completed",
    "rule",
    "ship",
)
DETAILS = {"ship": "carrier", "open_dispute": "reason", "rule": "responsibility"}
TRIGGER = "metric_steps_of_events"
UTC = disputedesk.store.types.UTCDateTime


def _detail(postgres: bool, row: str) -> str:
    def field(key: str) -> str:
        if postgres:
            return f"{row}.data ->> '{key}'"
        return f"CAST(json_extract({row}.data, '$.\"{key}\"') AS TEXT)"

    cases = " ".join(f"WHEN '{action}' THEN {field(key)}" for action, key in DETAILS.items())
    return f"CASE {row}.action {cases} END"


def _copy(postgres: bool, row: str, source: str = "") -> str:
    """INSERT ... SELECT of the metric steps of the events `row` (of `source`, or the one row
    a trigger names) with their order's store."""
    joined = f"{source} JOIN orders o ON o.id = {row}.order_id" if source else "orders o"
    where = "" if source else f" WHERE o.id = {row}.order_id"
    return (
        "INSERT INTO metric_steps (store_id, order_id, seq, at, action, detail) "
        f"SELECT o.store_id, {row}.order_id, {row}.seq, {row}.at, {row}.action, "
        f"{_detail(postgres, row)} FROM {joined}{where}"
    )


ACTION_LIST = ", ".join(f"'{a}'" for a in ACTIONS)


def upgrade() -> None:
    postgres = op.get_context().dialect.name == "postgresql"
    op.create_table(
        "metric_steps",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UTC(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("store_id", "order_id", "seq", name=op.f("pk_metric_steps")),
        sqlite_with_rowid=False,
    )
    op.execute(_copy(postgres, "e", "events e") + f" WHERE e.action IN ({ACTION_LIST})")
    if postgres:
        op.execute(
            f"CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            + _copy(True, "NEW")
            + "; RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON events FOR EACH ROW "
            f"WHEN (NEW.action IN ({ACTION_LIST})) EXECUTE FUNCTION {TRIGGER}()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON events "
            f"WHEN NEW.action IN ({ACTION_LIST}) BEGIN " + _copy(False, "NEW") + "; END"
        )
    op.drop_index(op.f("ix_events_order_id_seq_action_at"), table_name="events")


def downgrade() -> None:
    postgres = op.get_context().dialect.name == "postgresql"
    op.create_index(
        op.f("ix_events_order_id_seq_action_at"), "events", ["order_id", "seq", "action", "at"]
    )
    op.execute(f"DROP TRIGGER {TRIGGER}" + (" ON events" if postgres else ""))
    if postgres:
        op.execute(f"DROP FUNCTION {TRIGGER}()")
    op.drop_table("metric_steps")
