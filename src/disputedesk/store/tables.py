"""The tables. The rules core's state is stored as columns (orders) and as the core's own JSON
(disputes.state) beside the columns people query; the event log is the history and is never
edited; the outbox carries what must leave the system, written in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from disputedesk.store.types import JSONDoc, Money, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# A big-integer key that SQLite still treats as its rowid alias (autoincrement).
BigId = BigInteger().with_variant(Integer(), "sqlite")

stores = Table(
    "stores",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # an operator's suspension of the store (migration 0011): its staff may read, not act
    Column("suspended_at", UTCDateTime()),
    Column("suspended_by", String(320)),
    Column("suspended_reason", Text),
)

store_staff = Table(
    "store_staff",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("role", String(16), nullable=False),  # owner / agent
    Column("created_at", UTCDateTime(), nullable=False),
    # the staff member's sign-in (migration 0002); null for staff without an account
    Column("user_id", BigInteger, ForeignKey("users.id")),
    # what an agent may do (migration 0007): answer_disputes, refund_up_to (a money string, or
    # null for no limit), manage_evidence, see_metrics; null: everything (owners, old rows)
    Column("permissions", JSONDoc),
    UniqueConstraint("store_id", "email"),
    Index(None, "user_id"),
)

buyers = Table(
    "buyers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320)),
    Column("country", String(2)),
    Column("locale", String(16)),
    Column("created_at", UTCDateTime(), nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("buyer_id", String(64), ForeignKey("buyers.id"), nullable=False),
    Column("items", JSONDoc, nullable=False),
    Column("amount", Money(), nullable=False),
    Column("shipping", Money(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("destination_address", Text),
    # the address as parts (recipient, line1, line2, city, state, zip, country, phone): what a
    # carrier's delivery scan is matched against (RULES.md principle 3)
    Column("shipping_address", JSONDoc),
    Column("destination_country", String(2)),
    Column("category", String(200)),
    Column("placed_at", UTCDateTime(), nullable=False),
    Column("promised_delivery_days", Integer, nullable=False),
    Column("policy", String(32), nullable=False),
    # the core's Order state
    Column("status", String(24), nullable=False),
    Column("shipped_at", UTCDateTime()),
    Column("carrier", String(100)),
    Column("tracking_number", String(100)),
    Column("delivery_deadline", UTCDateTime()),
    Column("delivery_extension_days", Integer, nullable=False),
    Column("completed_at", UTCDateTime()),
    Column("refunded_total", Money(), nullable=False),
    Column("clock", UTCDateTime()),  # the last instant the rules were stepped to
    # the next automatic step (`lifecycle.due`), which the worker finds through its index
    Column("due_at", UTCDateTime()),
    Column("due_action", String(40)),
    Column("event_seq", Integer, nullable=False),  # the seq of the order's last logged event
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index(None, "due_at"),
    Index(None, "store_id", "status"),
    Index(None, "buyer_id"),
    Index(None, "tracking_number"),  # tracking feeds find the order by it (migration 0004)
    # a store's orders with the keys its metrics split them by, read from the index alone
    # (the dashboard: services/metrics.py; migration 0010)
    Index(None, "store_id", "id", "category", "destination_country"),
    # a store's orders by their next automatic step: its dispute list's pages; its countries
    # and carriers, for the lists' filter menus (migration 0014)
    Index(None, "store_id", "due_at"),
    Index(None, "store_id", "destination_country"),
    Index(None, "store_id", "carrier"),
)

disputes = Table(
    "disputes",
    metadata,
    Column("order_id", String(64), ForeignKey("orders.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # 1 for the order's first dispute, ...
    Column("reason", String(64), nullable=False),
    Column("status", String(32), nullable=False),
    Column("resolution", String(32)),
    Column("refund_amount", Money(), nullable=False),
    Column("responsibility", String(16)),
    Column("escalation", String(32)),
    Column("opened_at", UTCDateTime(), nullable=False),
    Column("escalated_at", UTCDateTime()),
    Column("intervention_due_at", UTCDateTime()),
    Column("closed_at", UTCDateTime()),
    Column("state", JSONDoc, nullable=False),  # the core's Dispute, as its JSON
    Index(None, "status", "intervention_due_at"),
    # the closed ones, the latest first, for a page of a dispute list (migration 0014)
    Index(None, "status", "closed_at"),
)

plans = Table(
    "plans",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(64), nullable=False),
    Column("dispute_seq", Integer, nullable=False),
    Column("side", String(8), nullable=False),  # buyer / seller
    Column("type", String(24), nullable=False),
    Column("amount", Money()),
    Column("proposed_at", UTCDateTime(), nullable=False),
    Column("event_seq", Integer, nullable=False),
    ForeignKeyConstraint(["order_id", "dispute_seq"], ["disputes.order_id", "disputes.seq"]),
    Index(None, "order_id", "dispute_seq"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(64), nullable=False),
    Column("dispute_seq", Integer, nullable=False),
    Column("actor", String(16), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("description", Text, nullable=False),
    Column("submitted_at", UTCDateTime(), nullable=False),
    Column("event_seq", Integer),  # the submit_evidence event (null: an upload not yet sent)
    # a stored file (content-addressed) or a link (a video link, as the seeds ask)
    Column("file_sha256", String(64)),
    Column("file_name", String(255)),
    Column("content_type", String(100)),
    Column("size", BigInteger),
    Column("link", Text),
    ForeignKeyConstraint(["order_id", "dispute_seq"], ["disputes.order_id", "disputes.seq"]),
    Index(None, "order_id", "dispute_seq"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(64), ForeignKey("orders.id"), nullable=False),
    Column("sender_role", String(16), nullable=False),  # buyer / seller / arbitrator / system
    Column("sender_name", String(200)),
    Column("body", Text, nullable=False),
    Column("locale", String(16)),
    Column("sent_at", UTCDateTime(), nullable=False),
    Index(None, "order_id", "sent_at"),
)

events = Table(
    "events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(64), ForeignKey("orders.id"), nullable=False),
    Column("seq", Integer, nullable=False),  # 1, 2, ... per order: the log's order
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(16), nullable=False),
    Column("action", String(40), nullable=False),
    Column("data", JSONDoc, nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    # who acted for the actor (migration 0007): the staff member's or person's email and name,
    # for the timeline; null for automatic steps and for events logged before it
    Column("performed_by", String(320)),
    Column("performed_by_name", String(200)),
    UniqueConstraint("order_id", "seq"),
)

# Each order's metric steps: the events the seller metrics read (`rules.metrics.METRIC_ACTIONS`),
# with their instant, action and the one field of their data the figures read (`DETAIL_FIELD`),
# keyed by the order's store, so that a store's figures are one range of one index (on SQLite a
# table without rowid: the rows themselves in key order) rather than its events scattered over
# the log. The database keeps it, not the application: a trigger on `events` inserts copies
# each such event as it is logged (migration 0015), and `rebuild --check` compares it with the
# log. Read by services/metrics.py only.
metric_steps = Table(
    "metric_steps",
    metadata,
    Column("store_id", String(64), primary_key=True),
    Column("order_id", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text),
    sqlite_with_rowid=False,
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(64), nullable=False),
    Column("event_seq", Integer, nullable=False),
    Column("topic", String(64), nullable=False),
    Column("payload", JSONDoc, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("available_at", UTCDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("delivered_at", UTCDateTime()),
    Index(None, "delivered_at", "available_at"),
)

# -- accounts, the API's bookkeeping, webhooks (migration 0002) -------------------------------

users = Table(
    "users",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),  # buyer / seller / arbitrator / admin
    Column("buyer_id", String(64), ForeignKey("buyers.id")),  # for a buyer: who they are
    Column("password_hash", String(200)),  # argon2; null: no web sign-in yet
    Column("created_at", UTCDateTime(), nullable=False),
    # an operator's suspension (migration 0011): no sign-in, no token, no session while set
    Column("suspended_at", UTCDateTime()),
    Column("suspended_by", String(320)),
    Column("suspended_reason", Text),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("prefix", String(16), nullable=False),  # shown in listings; the token is never stored
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the token
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_used_at", UTCDateTime()),
    Column("revoked_at", UTCDateTime()),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("user_id", BigInteger, ForeignKey("users.id"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer),  # null while the first request is still running
    Column("response_body", Text),
    Column("response_headers", JSONDoc),
    Column("created_at", UTCDateTime(), nullable=False),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("secret", String(100), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index(None, "store_id"),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("subscription_id", BigInteger, ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("outbox_id", BigInteger, ForeignKey("outbox.id"), nullable=False),
    Column("status", String(16), nullable=False),  # pending / delivered / failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("delivered_at", UTCDateTime()),
    UniqueConstraint("subscription_id", "outbox_id"),
    Index(None, "status", "next_attempt_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("delivery_id", BigInteger, ForeignKey("webhook_deliveries.id"), nullable=False),
    Column("attempted_at", UTCDateTime(), nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Index(None, "delivery_id"),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the cookie
    Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("locale", String(16), nullable=False),  # en / zh_CN
    Column("time_zone", String(64), nullable=False),  # an IANA zone, e.g. Asia/Shanghai
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime()),  # signed out
    Index(None, "user_id"),
)


# What carriers said about a shipment: every event as received (`payload`) and normalised
# (`status`, `notice_left`, `unclassified` by the tracking classifier), once: `fingerprint`
# identifies an event across feeds and retries (tracking number, carrier, code, text, place,
# instant), so a duplicate is recognised and stored once. Not the order's event log: carrier
# scans change nothing in the rules (RULES.md section 3); facts are computed from these rows.
tracking_events = Table(
    "tracking_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(64), ForeignKey("orders.id"), nullable=False),
    Column("leg", String(16), nullable=False),  # outbound / return / replacement
    Column("source", String(16), nullable=False),  # aftership / 17track / karrio / import / ...
    Column("carrier", String(100)),
    Column("tracking_number", String(100)),
    Column("raw_code", String(100)),
    Column("description", Text),
    Column("location", JSONDoc),
    Column("at_text", String(64)),  # the instant as the carrier wrote it
    Column("at", UTCDateTime()),  # ... and as UTC, when it could be read
    Column("extra", JSONDoc),
    Column("payload", JSONDoc),
    Column("status", String(24), nullable=False),
    Column("notice_left", Boolean),
    Column("unclassified", Boolean, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
    UniqueConstraint("order_id", "fingerprint"),
    Index(None, "order_id", "at"),
)

# The shipment watch's alerts to a store, raised before the buyer disputes: one per order and
# `key` (the kind and what it is about, e.g. the event that started a customs hold), so a
# sweep never raises the same alert twice; resolved when the condition ends, dismissed by staff.
shipment_alerts = Table(
    "shipment_alerts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(64), ForeignKey("orders.id"), nullable=False),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("key", String(200), nullable=False),
    Column("data", JSONDoc, nullable=False),  # the figures behind it and the suggested action
    Column("raised_at", UTCDateTime(), nullable=False),
    Column("resolved_at", UTCDateTime()),
    Column("dismissed_at", UTCDateTime()),
    UniqueConstraint("order_id", "key"),
    Index(None, "store_id", "resolved_at"),
)

# Red lines (RULES.md section 10's rates, seed 002): the operator's configuration, versioned: a
# line takes effect at `effective_from` and stays until a later row for the same category and
# metric; rows are never edited. `category` null: every category without a line of its own.
# Thresholds in parts per million (15,000 = 1.5%): exact, on both databases.
red_lines = Table(
    "red_lines",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("category", String(200)),
    Column("metric", String(40), nullable=False),
    Column("threshold_ppm", Integer, nullable=False),
    Column("effective_from", UTCDateTime(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(320)),
    Column("note", Text),
    Index(None, "metric", "category", "effective_from"),
)

# What a store earned: over a red line in a period (the figure, the line, the period), or a
# counterfeit ruled against it without brand authorization (RULES.md principle 5). `key` makes
# each one once (a store, a line and a period; a dispute).
penalties = Table(
    "penalties",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("kind", String(24), nullable=False),  # red_line / counterfeit
    Column("key", String(300), nullable=False),
    Column("category", String(200)),
    Column("metric", String(40)),
    Column("figure_ppm", Integer),
    Column("threshold_ppm", Integer),
    Column("period_from", UTCDateTime()),
    Column("period_to", UTCDateTime()),
    Column("order_id", String(64)),
    Column("dispute_seq", Integer),
    Column("data", JSONDoc, nullable=False),  # the disputes behind it, the counts
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("store_id", "key"),
)

# A store nearing a red line (at 80% of it), once per store, line and period.
metric_alerts = Table(
    "metric_alerts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("key", String(300), nullable=False),
    Column("category", String(200)),
    Column("metric", String(40), nullable=False),
    Column("figure_ppm", Integer, nullable=False),
    Column("threshold_ppm", Integer, nullable=False),
    Column("period_from", UTCDateTime(), nullable=False),
    Column("period_to", UTCDateTime(), nullable=False),
    Column("raised_at", UTCDateTime(), nullable=False),
    Column("dismissed_at", UTCDateTime()),
    UniqueConstraint("store_id", "key"),
)

# A seller's report that a dispute is malicious (seed 002), and the operator's decision: upheld
# reports leave the dispute out of the store's metrics and count against the buyer.
malicious_reports = Table(
    "malicious_reports",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(64), nullable=False),
    Column("dispute_seq", Integer, nullable=False),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("buyer_id", String(64), ForeignKey("buyers.id"), nullable=False),
    Column("reported_by", String(320), nullable=False),
    Column("reason", Text, nullable=False),
    Column("evidence", JSONDoc, nullable=False),  # evidence ids and links the seller points to
    Column("status", String(16), nullable=False),  # pending / upheld / rejected
    Column("decided_by", String(320)),
    Column("decided_at", UTCDateTime()),
    Column("decision_note", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["order_id", "dispute_seq"], ["disputes.order_id", "disputes.seq"]),
    UniqueConstraint("order_id", "dispute_seq"),
    Index(None, "status", "created_at"),
    Index(None, "buyer_id", "status"),
    Index(None, "store_id", "status"),  # a store's upheld reports (migration 0010)
)

# The shared rate limit and sign-in throttle (services/limits.py) when the store is PostgreSQL
# and no Redis is configured: instants as epoch seconds on the database's clock.
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(64), primary_key=True),  # a digest of the token
    Column("tokens", Float, nullable=False),
    Column("allowed", Boolean, nullable=False),
    Column("updated_at", Float, nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(64), primary_key=True),  # a digest of the email or client address
    Column("failures", Integer, nullable=False),
    Column("blocked_until", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)


# Where buyers send returns: per store and destination region (a country code, or "*" for
# every country without its own address).
return_addresses = Table(
    "return_addresses",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("region", String(8), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("line1", String(200), nullable=False),
    Column("line2", String(200)),
    Column("city", String(200), nullable=False),
    Column("state", String(200)),
    Column("zip", String(40)),
    Column("country", String(2), nullable=False),
    Column("phone", String(60)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("store_id", "region"),
)

# An owner's invitation to a new agent: accepted once, by the invited email, before it expires.
staff_invitations = Table(
    "staff_invitations",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("email", String(320), nullable=False),
    Column("role", String(16), nullable=False),
    Column("permissions", JSONDoc),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("invited_by", String(320), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("accepted_at", UTCDateTime()),
)

# An arbitrator working a case: one at a time per dispute (the claim is released by ruling,
# or by the arbitrator).
case_claims = Table(
    "case_claims",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("dispute_seq", Integer, primary_key=True),
    Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("claimed_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["order_id", "dispute_seq"], ["disputes.order_id", "disputes.seq"]),
    Index(None, "user_id"),
)

# Files sent with a message (images, PDF: the evidence limits and checks), stored like evidence.
message_attachments = Table(
    "message_attachments",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("message_id", BigInteger, ForeignKey("messages.id"), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("file_name", String(255)),
    Column("content_type", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Index(None, "message_id"),
)

# How far each person has read an order's thread: the unread count is the messages after it.
message_reads = Table(
    "message_reads",
    metadata,
    Column("user_id", BigInteger, ForeignKey("users.id"), primary_key=True),
    Column("order_id", String(64), ForeignKey("orders.id"), primary_key=True),
    Column("last_read_message_id", BigInteger, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)


# -- messages, reminders and email (migration 0008; services/messaging.py, notifications.py) ----

# A store's own templates: an edited shipped template (same key) or one it added. `texts` holds
# per language `{"subject": ..., "body": ...}`; `situations` what it fits (messaging/catalog.py).
message_templates = Table(
    "message_templates",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("key", String(100), nullable=False),
    Column("purpose", String(16), nullable=False),  # reply / notice / reminder / auto_reply
    Column("audience", String(8), nullable=False),  # buyer / store
    Column("situations", JSONDoc, nullable=False),
    Column("texts", JSONDoc, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("updated_by", String(320)),
    UniqueConstraint("store_id", "key"),
)

# A store's triggers, reminders, auto-replies, language and time zone (messaging/settings.py);
# no row: the defaults.
messaging_settings = Table(
    "messaging_settings",
    metadata,
    Column("store_id", String(64), ForeignKey("stores.id"), primary_key=True),
    Column("settings", JSONDoc, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("updated_by", String(320)),
)

# A person's language and time zone for what is sent to them (else: the buyer's record, the
# destination country, the store's settings).
messaging_preferences = Table(
    "messaging_preferences",
    metadata,
    Column("user_id", BigInteger, ForeignKey("users.id"), primary_key=True),
    Column("locale", String(16)),
    Column("time_zone", String(64)),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Who wants nothing more on a channel: a buyer, a store, or one email address (a staff member's
# unsubscribe link).
messaging_opt_outs = Table(
    "messaging_opt_outs",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("subject", String(16), nullable=False),  # buyer / store / address
    Column("subject_id", String(320), nullable=False),
    Column("channel", String(16), nullable=False),  # in_app / email / webhook
    Column("source", String(32), nullable=False),  # api / unsubscribe_link
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("subject", "subject_id", "channel"),
)

# What the desk decided to say, once per `key` (a trigger's event, a reminder's deadline and
# lead, an auto-reply's off-hours stretch): planned by any worker, created by one.
notifications = Table(
    "notifications",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),  # shipped, ..., reminder.seller_response, ...
    Column("store_id", String(64), ForeignKey("stores.id"), nullable=False),
    Column("order_id", String(64), ForeignKey("orders.id"), nullable=False),
    Column("audience", String(8), nullable=False),  # buyer / store
    Column("template_key", String(100), nullable=False),
    Column("channels", JSONDoc, nullable=False),
    Column("data", JSONDoc, nullable=False),  # the facts the text needs, and what must still hold
    # a reminder's deadline and lead (hours), so the planner skips those already planned
    Column("deadline_at", UTCDateTime()),
    Column("lead_hours", Integer),
    Column("send_at", UTCDateTime(), nullable=False),
    Column("status", String(16), nullable=False),  # scheduled / released / cancelled
    Column("note", Text),  # why it was cancelled
    Column("created_at", UTCDateTime(), nullable=False),
    Column("released_at", UTCDateTime()),
    Index(None, "status", "send_at"),
    Index(None, "order_id", "deadline_at"),
)

# The outbox of every channel: one row per notification, channel and recipient, claimed under
# a lease, retried with backoff; its text as rendered for that recipient.
notification_deliveries = Table(
    "notification_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("notification_id", BigInteger, ForeignKey("notifications.id"), nullable=False),
    Column("channel", String(16), nullable=False),  # in_app / email / webhook
    # "thread", "user:<id>", an email address, "webhook:<subscription id>"
    Column("recipient", String(320), nullable=False),
    Column("locale", String(16), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    # pending / sending / delivered / failed / skipped / cancelled
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("delivered_at", UTCDateTime()),
    Column("last_error", Text),
    UniqueConstraint("notification_id", "channel", "recipient"),
    Index(None, "status", "next_attempt_at"),
)

# The delivery log: every attempt, with the SMTP reply code or HTTP status and the error.
notification_attempts = Table(
    "notification_attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("delivery_id", BigInteger, ForeignKey("notification_deliveries.id"), nullable=False),
    Column("attempted_at", UTCDateTime(), nullable=False),
    Column("outcome", String(16), nullable=False),  # delivered / retry / failed
    Column("code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Index(None, "delivery_id"),
)

# The in-app notification list: one row per person, read or not.
user_notifications = Table(
    "user_notifications",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("notification_id", BigInteger, ForeignKey("notifications.id"), nullable=False),
    Column("order_id", String(64), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("read_at", UTCDateTime()),
    UniqueConstraint("user_id", "notification_id"),
    Index(None, "user_id", "read_at"),
)

# How far the planner has read the append-only tables it watches (events, tracking_events,
# messages): `position` is safe; rows after it are read again until `pending_position` has
# been seen for a while (a PostgreSQL transaction may commit a lower id after a higher one).
messaging_cursors = Table(
    "messaging_cursors",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("pending_position", BigInteger),
    Column("pending_since", UTCDateTime()),
)

# The key that signs unsubscribe links, made once (unless DISPUTEDESK_MESSAGING_SECRET is set).
messaging_secrets = Table(
    "messaging_secrets",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(128), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# An operator's password reset (migration 0011): a link shown once to the operator, kept only
# as its SHA-256, for one use before it expires.
password_resets = Table(
    "password_resets",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigInteger, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_by", String(320), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
    Index(None, "user_id"),
)

# The ruling assistant's advice at the moment of a ruling, and whether the arbitrator followed
# it (migration 0012): one row per ruled dispute, for the agreement statistics.
ruling_advice = Table(
    "ruling_advice",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(64), nullable=False),
    Column("dispute_seq", Integer, nullable=False),
    Column("principle", Integer),  # null: no principle applied
    Column("advice", JSONDoc, nullable=False),  # the advice as `disputedesk advise` prints it
    Column("followed", Boolean, nullable=False),
    Column("why_not", Text),  # the arbitrator's reason for ruling otherwise
    Column("ruled_by", String(320), nullable=False),
    Column("ruled_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(["order_id", "dispute_seq"], ["disputes.order_id", "disputes.seq"]),
    UniqueConstraint("order_id", "dispute_seq"),
    Index(None, "ruled_at"),
    Index(None, "ruled_by", "ruled_at"),
)
