"""The local web app: a thin FastAPI face over the library (pages plus a JSON API).

``create_app(db)`` builds the app for one store; ``unspin serve`` runs it with uvicorn. Pages
are rendered on the server; the little JavaScript there is (upload progress, a busy notice) is
served from ``/static`` and nothing is loaded from anywhere else. The app never fetches URLs.
The API docs page (``/api/docs``) is Swagger UI from the ``fastapi-offline`` package, served
by the app itself, so it works offline and under the pages' Content-Security-Policy.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..errors import bidi_escaped, printable
from . import across, api, errors, pages
from .gate import RequestGate
from .head import HeadAsGet
from .security import SecurityHeaders
from .service import DEFAULT_HEAVY_JOBS, DEFAULT_UPLOADS, WebState, spin_module

DEFAULT_MAX_UPLOAD = 32 * 1024 * 1024
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")

_HERE = Path(__file__).resolve().parent


def create_app(
    db: str | Path,
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    allowed_hosts: Sequence[str] | None = None,
    warm_up: bool = False,
    heavy_jobs: int = DEFAULT_HEAVY_JOBS,
    uploads: int = DEFAULT_UPLOADS,
) -> FastAPI:
    """The app serving the store at ``db`` (created empty when it does not exist).

    ``allowed_hosts`` are the Host header names accepted (default: the loopback names), which
    stops DNS-rebinding pages from reaching the API. ``warm_up`` loads the thesaurus in the
    background so the first trace is as fast as the rest. ``heavy_jobs`` traces, compares,
    scores or reuse look-ups run at once (four times as many wait; more get HTTP 429), and
    ``uploads`` bodies over 1 MiB are received at once (more get HTTP 429).
    """
    app = FastAPI(
        title="unspin",
        version=__version__,
        description="Trace articles to their sources and see what was changed on the way.",
        docs_url=None,  # served below from local files: the default page loads a CDN's
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    state = WebState.open(db, max_upload_bytes, heavy_jobs=heavy_jobs, uploads=uploads)
    app.state.web = state
    templates = Jinja2Templates(directory=str(_HERE / "templates"))
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    # Bidirectional controls as escapes and shown, as the CLI's reports write them (robust36).
    templates.env.finalize = _bidi_shown
    app.state.json_dumps = lambda doc: bidi_escaped(json.dumps(doc, ensure_ascii=False, indent=2))
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.add_api_route("/assets/report.css", _report_css, include_in_schema=False)
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)
    _add_api_docs(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(across.router)
    errors.install(app)
    app.add_middleware(HeadAsGet)  # innermost: the gate and the Host check see HEAD itself
    # Outermost last: the gate answers before anything reads the body; the Host check first.
    app.add_middleware(
        RequestGate,
        max_bytes=max_upload_bytes,
        csrf_token=state.csrf_token,
        uploads=state.uploads,
    )
    hosts = list(allowed_hosts) if allowed_hosts is not None else list(LOCAL_HOSTS)
    if "*" not in hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.add_middleware(SecurityHeaders)
    if warm_up:
        threading.Thread(target=_warm_up, daemon=True, name="warm-up").start()
    return app


def _bidi_shown(value: Any) -> Any:
    """What a page's ``{{ value }}`` writes before it is escaped: text with its explicit
    bidirectional controls as escapes (``\\u202e``), as the reports write them; markup as
    it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return bidi_escaped(value)
    return value


def _report_css() -> Response:
    """The report stylesheet, shared by the downloadable report and the result page."""
    css = resources.files("unspin.report").joinpath("templates/report.css").read_text("utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


def _favicon() -> Response:
    """Browsers ask for /favicon.ico on their own; the icon is an SVG under /static."""
    return RedirectResponse("/static/favicon.svg", status_code=308)


_DOCS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>unspin API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/api/openapi.json"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""

_NO_DOCS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>unspin API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"></head>
<body><h1>unspin API</h1><p>The API docs page needs the package fastapi-offline
(<code>pip install 'unspin[web]'</code>). The API description is at
<a href="/api/openapi.json">/api/openapi.json</a>.</p></body></html>
"""


def _add_api_docs(app: FastAPI) -> None:
    """``/api/docs``: Swagger UI from the fastapi-offline package's files, started by our script.

    FastAPI's own docs page loads Swagger UI from a CDN and starts it with an inline script;
    the pages' Content-Security-Policy allows neither, so the page was blank.
    """
    try:
        assets = resources.files("fastapi_offline").joinpath("static")
    except ModuleNotFoundError:
        assets = None
    page = _DOCS_PAGE if assets is not None else _NO_DOCS_PAGE

    def docs() -> HTMLResponse:
        return HTMLResponse(page)

    app.add_api_route("/api/docs", docs, include_in_schema=False)
    if assets is not None:
        app.mount("/api/docs/assets", StaticFiles(directory=str(assets)), name="api-docs-assets")


def _warm_up() -> None:
    """Load the lexical resources the first trace would otherwise wait for.

    Only a head start: when it cannot be done (the open files used up by a crowd of clients
    at start-up), the first request loads what is missing, so one line says so where the
    thread's death printed a traceback."""
    from ..lexicon import thesaurus

    try:
        thesaurus()
        spin = spin_module()
        if spin is not None:
            spin.load_resources()
    except OSError as exc:
        logging.getLogger("uvicorn.error").warning(
            "loading the word lists ahead of the first request failed (%s); the "
            "first request that needs them loads them",
            printable(str(exc)),
        )
