"""The REST API (FastAPI): accounts, orders, every dispute action, evidence, webhooks."""
