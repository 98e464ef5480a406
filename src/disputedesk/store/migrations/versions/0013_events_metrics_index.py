"""seller metrics at scale: an order's events with their action and instant, in an index the
metrics read without visiting the table for the rows they skip

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 17:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_events_order_id_seq_action_at"), "events", ["order_id", "seq", "action", "at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_events_order_id_seq_action_at"), table_name="events")
