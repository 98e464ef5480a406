"""API settings from the environment (DISPUTEDESK_*), with safe defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DISPUTEDESK_", extra="ignore")

    data_dir: Path = Path("./data")  # evidence files, content-addressed by sha256
    max_upload_bytes: int = 20 * 1024 * 1024
    rate_limit_per_minute: int = 600  # per token; 0 turns the limit off
    webhook_timeout_seconds: float = 10.0
