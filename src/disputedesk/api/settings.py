"""API settings from the environment (DISPUTEDESK_*), with safe defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DISPUTEDESK_", extra="ignore")

    data_dir: Path = Path("./data")  # evidence files, content-addressed by sha256
    max_upload_bytes: int = 20 * 1024 * 1024
    # The operator console's what-if: the most stored cases one run replays (README "What-if")
    whatif_max_cases: int = Field(default=20_000, ge=1)
    # Any request body that is not a multipart upload (JSON, a desk form): refused past this.
    max_body_bytes: int = 1024 * 1024
    # Files one multipart form may carry (the desk's "Open a dispute" takes several photos).
    max_files_per_form: int = 5
    rate_limit_per_minute: int = 600  # per token; 0 turns the limit off
    # Where the rate limit and the sign-in throttle are counted across processes and hosts
    # (services/limits.py): Redis when set, e.g. redis://127.0.0.1:6379/0; else PostgreSQL
    # when the store is PostgreSQL; else this process's memory.
    redis_url: str | None = None
    webhook_timeout_seconds: float = 10.0
    # Webhook targets on loopback, private, link-local... addresses (a lab, a private network):
    # refused unless the operator allows them, so sellers cannot reach internal services.
    webhook_allow_private_targets: bool = False
    # -- tracking feeds (README "Tracking feeds") -------------------------------------------
    # AfterShip signs its webhooks with this secret (`aftership-hmac-sha256`); unset, the
    # receiver refuses every delivery (401).
    aftership_webhook_secret: SecretStr = SecretStr("")
    # 17TRACK signs its pushes with the account's API key (`sign`); unset, every push is 401.
    seventeen_track_api_key: SecretStr = Field(
        default=SecretStr(""),
        validation_alias=AliasChoices("DISPUTEDESK_17TRACK_API_KEY", "seventeen_track_api_key"),
    )
    # The karrio poller's carriers: JSON `{"laposte": {"api_key": "..."}, ...}` (karrio carrier
    # names and their settings; "aliases": names orders use for that carrier).
    karrio_carriers: str = ""
    # -- messages, reminders and email (README "Messages, reminders and email") -------------
    # The SMTP server the worker sends email through; no host: no email leaves (each email
    # delivery is logged as skipped). STARTTLS: `auto` when the server offers it, `always`
    # (never send in clear), `never`.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "disputedesk@localhost"
    smtp_starttls: Literal["auto", "always", "never"] = "auto"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    # Where people reach this desk: the one-click unsubscribe link in every email points here.
    public_url: str = "http://127.0.0.1:8000"
    # Signs unsubscribe links; unset, a random key made once and kept in the database.
    messaging_secret: SecretStr = SecretStr("")
