"""staff permissions and invitations, who acted, return addresses, case claims, message
attachments and reads

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import disputedesk.store.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = disputedesk.store.types.UTCDateTime
JSONDoc = disputedesk.store.types.JSONDoc


def upgrade() -> None:
    with op.batch_alter_table("store_staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("permissions", JSONDoc, nullable=True))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("performed_by", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("performed_by_name", sa.String(length=200), nullable=True))
    op.create_table(
        "return_addresses",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("line1", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=200), nullable=True),
        sa.Column("zip", sa.String(length=40), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_return_addresses_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_addresses")),
        sa.UniqueConstraint("store_id", "region", name=op.f("uq_return_addresses_store_id_region")),
    )
    op.create_table(
        "staff_invitations",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("permissions", JSONDoc, nullable=True),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("invited_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("expires_at", UTC(timezone=True), nullable=False),
        sa.Column("accepted_at", UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_staff_invitations_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_invitations")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_staff_invitations_token_sha256")),
    )
    op.create_table(
        "case_claims",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_seq", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("claimed_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id", "dispute_seq"],
            ["disputes.order_id", "disputes.seq"],
            name=op.f("fk_case_claims_order_id_disputes"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_case_claims_user_id_users")
        ),
        sa.PrimaryKeyConstraint("order_id", "dispute_seq", name=op.f("pk_case_claims")),
    )
    op.create_index(op.f("ix_case_claims_user_id"), "case_claims", ["user_id"])
    op.create_table(
        "message_attachments",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_message_attachments_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_attachments")),
    )
    op.create_index(
        op.f("ix_message_attachments_message_id"), "message_attachments", ["message_id"]
    )
    op.create_table(
        "message_reads",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("last_read_message_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_message_reads_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_message_reads_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "order_id", name=op.f("pk_message_reads")),
    )


def downgrade() -> None:
    op.drop_table("message_reads")
    op.drop_index(op.f("ix_message_attachments_message_id"), table_name="message_attachments")
    op.drop_table("message_attachments")
    op.drop_index(op.f("ix_case_claims_user_id"), table_name="case_claims")
    op.drop_table("case_claims")
    op.drop_table("staff_invitations")
    op.drop_table("return_addresses")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("performed_by_name")
        batch_op.drop_column("performed_by")
    with op.batch_alter_table("store_staff", schema=None) as batch_op:
        batch_op.drop_column("permissions")
