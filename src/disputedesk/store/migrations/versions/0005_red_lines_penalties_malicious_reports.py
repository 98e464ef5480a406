"""red lines, penalties, metric alerts, malicious reports

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import disputedesk.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = disputedesk.store.types.UTCDateTime
JSONDoc = disputedesk.store.types.JSONDoc


def upgrade() -> None:
    op.create_table(
        "red_lines",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("threshold_ppm", sa.Integer(), nullable=False),
        sa.Column("effective_from", UTC(timezone=True), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_lines")),
    )
    op.create_index(
        op.f("ix_red_lines_metric_category_effective_from"),
        "red_lines",
        ["metric", "category", "effective_from"],
    )
    op.create_table(
        "penalties",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("metric", sa.String(length=40), nullable=True),
        sa.Column("figure_ppm", sa.Integer(), nullable=True),
        sa.Column("threshold_ppm", sa.Integer(), nullable=True),
        sa.Column("period_from", UTC(timezone=True), nullable=True),
        sa.Column("period_to", UTC(timezone=True), nullable=True),
        sa.Column("order_id", sa.String(length=64), nullable=True),
        sa.Column("dispute_seq", sa.Integer(), nullable=True),
        sa.Column("data", JSONDoc, nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_penalties_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalties")),
        sa.UniqueConstraint("store_id", "key", name=op.f("uq_penalties_store_id_key")),
    )
    op.create_table(
        "metric_alerts",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=True),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("figure_ppm", sa.Integer(), nullable=False),
        sa.Column("threshold_ppm", sa.Integer(), nullable=False),
        sa.Column("period_from", UTC(timezone=True), nullable=False),
        sa.Column("period_to", UTC(timezone=True), nullable=False),
        sa.Column("raised_at", UTC(timezone=True), nullable=False),
        sa.Column("dismissed_at", UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_metric_alerts_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_alerts")),
        sa.UniqueConstraint("store_id", "key", name=op.f("uq_metric_alerts_store_id_key")),
    )
    op.create_table(
        "malicious_reports",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_seq", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("buyer_id", sa.String(length=64), nullable=False),
        sa.Column("reported_by", sa.String(length=320), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", JSONDoc, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=320), nullable=True),
        sa.Column("decided_at", UTC(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["buyers.id"], name=op.f("fk_malicious_reports_buyer_id_buyers")
        ),
        sa.ForeignKeyConstraint(
            ["order_id", "dispute_seq"],
            ["disputes.order_id", "disputes.seq"],
            name=op.f("fk_malicious_reports_order_id_disputes"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_malicious_reports_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_malicious_reports")),
        sa.UniqueConstraint(
            "order_id", "dispute_seq", name=op.f("uq_malicious_reports_order_id_dispute_seq")
        ),
    )
    op.create_index(
        op.f("ix_malicious_reports_status_created_at"),
        "malicious_reports",
        ["status", "created_at"],
    )
    op.create_index(
        op.f("ix_malicious_reports_buyer_id_status"), "malicious_reports", ["buyer_id", "status"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_malicious_reports_buyer_id_status"), table_name="malicious_reports")
    op.drop_index(op.f("ix_malicious_reports_status_created_at"), table_name="malicious_reports")
    op.drop_table("malicious_reports")
    op.drop_table("metric_alerts")
    op.drop_table("penalties")
    op.drop_index(op.f("ix_red_lines_metric_category_effective_from"), table_name="red_lines")
    op.drop_table("red_lines")
