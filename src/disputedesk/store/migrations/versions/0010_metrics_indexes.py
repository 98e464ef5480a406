"""seller metrics at scale: a store's orders with the keys the figures split them by, in one
index (the dashboard reads them without visiting the table), and upheld malicious reports by
store

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_orders_store_id_id_category_destination_country"),
        "orders",
        ["store_id", "id", "category", "destination_country"],
    )
    op.create_index(
        op.f("ix_malicious_reports_store_id_status"), "malicious_reports", ["store_id", "status"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_malicious_reports_store_id_status"), table_name="malicious_reports")
    op.drop_index(op.f("ix_orders_store_id_id_category_destination_country"), table_name="orders")
