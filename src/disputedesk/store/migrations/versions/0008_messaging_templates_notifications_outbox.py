"""messages, reminders and email: store templates and settings, preferences, opt-outs,
notifications, their outbox and delivery log, the in-app list, the planner's cursors

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import disputedesk.store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = disputedesk.store.types.UTCDateTime
JSONDoc = disputedesk.store.types.JSONDoc
# The tables the planner reads from where it left off; an upgraded database starts at their
# end, so history is not announced again.
CURSORS = ("events", "tracking_events", "messages")


def upgrade() -> None:
    op.create_table(
        "message_templates",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("audience", sa.String(length=8), nullable=False),
        sa.Column("situations", JSONDoc, nullable=False),
        sa.Column("texts", JSONDoc, nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_message_templates_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_templates")),
        sa.UniqueConstraint("store_id", "key", name=op.f("uq_message_templates_store_id_key")),
    )
    op.create_table(
        "messaging_settings",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("settings", JSONDoc, nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_messaging_settings_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("store_id", name=op.f("pk_messaging_settings")),
    )
    op.create_table(
        "messaging_preferences",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_messaging_preferences_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_messaging_preferences")),
    )
    op.create_table(
        "messaging_opt_outs",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=320), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messaging_opt_outs")),
        sa.UniqueConstraint(
            "subject",
            "subject_id",
            "channel",
            name=op.f("uq_messaging_opt_outs_subject_subject_id_channel"),
        ),
    )
    op.create_table(
        "notifications",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=8), nullable=False),
        sa.Column("template_key", sa.String(length=100), nullable=False),
        sa.Column("channels", JSONDoc, nullable=False),
        sa.Column("data", JSONDoc, nullable=False),
        sa.Column("deadline_at", UTC(timezone=True), nullable=True),
        sa.Column("lead_hours", sa.Integer(), nullable=True),
        sa.Column("send_at", UTC(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("released_at", UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_notifications_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_notifications_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("key", name=op.f("uq_notifications_key")),
    )
    op.create_index(op.f("ix_notifications_status_send_at"), "notifications", ["status", "send_at"])
    op.create_index(
        op.f("ix_notifications_order_id_deadline_at"), "notifications", ["order_id", "deadline_at"]
    )
    op.create_table(
        "notification_deliveries",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("notification_id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC(timezone=True), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("delivered_at", UTC(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notification_deliveries_notification_id_notifications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_deliveries")),
        sa.UniqueConstraint(
            "notification_id",
            "channel",
            "recipient",
            name=op.f("uq_notification_deliveries_notification_id_channel_recipient"),
        ),
    )
    op.create_index(
        op.f("ix_notification_deliveries_status_next_attempt_at"),
        "notification_deliveries",
        ["status", "next_attempt_at"],
    )
    op.create_table(
        "notification_attempts",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("delivery_id", sa.BigInteger(), nullable=False),
        sa.Column("attempted_at", UTC(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["notification_deliveries.id"],
            name=op.f("fk_notification_attempts_delivery_id_notification_deliveries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_attempts")),
    )
    op.create_index(
        op.f("ix_notification_attempts_delivery_id"), "notification_attempts", ["delivery_id"]
    )
    op.create_table(
        "user_notifications",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("notification_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("read_at", UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_user_notifications_notification_id_notifications"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_notifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_notifications")),
        sa.UniqueConstraint(
            "user_id", "notification_id", name=op.f("uq_user_notifications_user_id_notification_id")
        ),
    )
    op.create_index(
        op.f("ix_user_notifications_user_id_read_at"), "user_notifications", ["user_id", "read_at"]
    )
    cursors = op.create_table(
        "messaging_cursors",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("pending_position", sa.BigInteger(), nullable=True),
        sa.Column("pending_since", UTC(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_messaging_cursors")),
    )
    op.create_table(
        "messaging_secrets",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_messaging_secrets")),
    )
    bind = op.get_bind()
    rows = []
    for name in CURSORS:
        end = bind.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {name}")).scalar_one()
        rows.append({"name": name, "position": int(end)})
    op.bulk_insert(cursors, rows)


def downgrade() -> None:
    op.drop_table("messaging_secrets")
    op.drop_table("messaging_cursors")
    op.drop_index(op.f("ix_user_notifications_user_id_read_at"), table_name="user_notifications")
    op.drop_table("user_notifications")
    op.drop_index(op.f("ix_notification_attempts_delivery_id"), table_name="notification_attempts")
    op.drop_table("notification_attempts")
    op.drop_index(
        op.f("ix_notification_deliveries_status_next_attempt_at"),
        table_name="notification_deliveries",
    )
    op.drop_table("notification_deliveries")
    op.drop_index(op.f("ix_notifications_order_id_deadline_at"), table_name="notifications")
    op.drop_index(op.f("ix_notifications_status_send_at"), table_name="notifications")
    op.drop_table("notifications")
    op.drop_table("messaging_opt_outs")
    op.drop_table("messaging_preferences")
    op.drop_table("messaging_settings")
    op.drop_table("message_templates")
