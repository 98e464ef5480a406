"""dispute lists at scale: the closed disputes by their close, and a store's orders by their
next automatic step, in indexes the keyset pages walk from a position instead of sorting every
dispute in sight; a store's orders by country and by carrier, for the filter menus

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 18:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_disputes_status_closed_at"), "disputes", ["status", "closed_at"])
    op.create_index(op.f("ix_orders_store_id_due_at"), "orders", ["store_id", "due_at"])
    op.create_index(
        op.f("ix_orders_store_id_destination_country"),
        "orders",
        ["store_id", "destination_country"],
    )
    op.create_index(op.f("ix_orders_store_id_carrier"), "orders", ["store_id", "carrier"])


def downgrade() -> None:
    op.drop_index(op.f("ix_orders_store_id_carrier"), table_name="orders")
    op.drop_index(op.f("ix_orders_store_id_destination_country"), table_name="orders")
    op.drop_index(op.f("ix_orders_store_id_due_at"), table_name="orders")
    op.drop_index(op.f("ix_disputes_status_closed_at"), table_name="disputes")
