"""The local web app: a thin FastAPI face over the library (pages plus a JSON API).

``create_app(db)`` builds the app for one store; ``unspin serve`` runs it with uvicorn. Pages
are rendered on the server; the little JavaScript there is (upload progress, a busy notice) is
served from ``/static`` and nothing is loaded from anywhere else. The app never fetches URLs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from . import api, errors, pages
from .security import BodyLimit, SecurityHeaders
from .service import WebState, spin_module

DEFAULT_MAX_UPLOAD = 32 * 1024 * 1024
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")

_HERE = Path(__file__).resolve().parent


def create_app(
    db: str | Path,
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    allowed_hosts: Sequence[str] | None = None,
    warm_up: bool = False,
) -> FastAPI:
    """The app serving the store at ``db`` (created empty when it does not exist).

    ``allowed_hosts`` are the Host header names accepted (default: the loopback names), which
    stops DNS-rebinding pages from reaching the API. ``warm_up`` loads the thesaurus in the
    background so the first trace is as fast as the rest.
    """
    app = FastAPI(
        title="unspin",
        version=__version__,
        description="Trace articles to their sources and see what was changed on the way.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = WebState.open(db, max_upload_bytes)
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    app.state.json_dumps = lambda doc: json.dumps(doc, ensure_ascii=False, indent=2)
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.add_api_route("/assets/report.css", _report_css, include_in_schema=False)
    app.include_router(api.router)
    app.include_router(pages.router)
    errors.install(app)
    # Outermost last: the body limit answers before anything parses the upload.
    hosts = list(allowed_hosts) if allowed_hosts is not None else list(LOCAL_HOSTS)
    if "*" not in hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.add_middleware(BodyLimit, max_bytes=max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    if warm_up:
        threading.Thread(target=_warm_up, daemon=True, name="warm-up").start()
    return app


def _report_css() -> Response:
    """The report stylesheet, shared by the downloadable report and the result page."""
    css = resources.files("unspin.report").joinpath("templates/report.css").read_text("utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


def _warm_up() -> None:
    """Load the lexical resources the first trace would otherwise wait for."""
    from ..lexicon import thesaurus

    thesaurus()
    spin = spin_module()
    if spin is not None:
        spin.load_resources()
