"""One error format: JSON under ``/api/`` and a readable page elsewhere, with the right status.

| error                                  | status |
|----------------------------------------|--------|
| unsupported file kind                  | 415    |
| unreadable or empty input              | 422    |
| request body does not match the schema | 422    |
| missing or wrong CSRF token            | 403    |
| optional feature not installed         | 501    |
| other unspin errors (store problems)   | 400    |
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..errors import InputError, MissingExtraError, UnspinError
from .security import CsrfError
from .uploads import UnsupportedKind


def status_of(exc: Exception) -> int:
    """The HTTP status for one of our errors."""
    if isinstance(exc, UnsupportedKind):
        return 415
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, CsrfError):
        return 403
    if isinstance(exc, MissingExtraError):
        return 501
    return 400


def error_response(request: Request, status: int, message: str, **extra: Any) -> Response:
    """The error as JSON for API calls, as an HTML page for everything else."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message, "status": status, **extra}, status_code=status)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    async def ours(request: Request, exc: Exception) -> Response:
        return error_response(request, status_of(exc), str(exc))

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(request, exc.status_code, str(exc.detail))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        ]
        message = "invalid request: " + "; ".join(problems)
        return error_response(request, 422, message, detail=problems)

    app.add_exception_handler(UnspinError, ours)
    app.add_exception_handler(CsrfError, ours)
    app.add_exception_handler(HTTPException, http)
    app.add_exception_handler(RequestValidationError, invalid)
