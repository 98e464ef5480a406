"""The ASGI application for `disputedesk serve` (uvicorn imports it in each worker process)."""

from disputedesk.api.app import create_app

app = create_app()
