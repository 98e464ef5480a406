"""Interactive API docs at /docs that work offline: Swagger UI's script and style come from the
`fastapi-swagger` package (a current Swagger UI 5, which renders OpenAPI 3.1) and are served by
this app, never from a CDN. (FastAPI's own /docs page loads them from jsDelivr, and is blank
without internet; its /redoc page likewise, so it is off.)"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs/assets"


def swagger_assets() -> Path:
    return Path(str(resources.files("fastapi_swagger") / "resources"))


def install_docs(app: FastAPI) -> None:
    """The app must be built with `docs_url=None, redoc_url=None`."""
    app.mount(ASSETS_URL, StaticFiles(directory=swagger_assets()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
            swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
        )
