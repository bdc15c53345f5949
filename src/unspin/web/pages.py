"""The HTML pages: Check a text, a result, Corpus, ingest progress and Document.

Every page is rendered by Jinja2 with autoescaping on; the only markup inserted unescaped is
the report body made by :func:`unspin.report.render_html`, which escapes all text itself.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError
from ..json_keys import shown_key
from ..lookalikes import invisible_note, lookalike_note, reading_note
from ..report import render_html, render_report_body
from .across import run_across, wants_across
from .corpus import search, sites
from .params import MAX_QUERY, DocumentKey, PageNumber
from .results import StoredResult
from .security import check_csrf
from .service import MAX_ARTICLE_CHARS, WebState, run_reuse, run_trace, spin_module
from .uploads import ARTICLE_KINDS, CORPUS_KINDS, article_text, received
from .view import spin_view

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("csrf_token", _state(request).csrf_token)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status
    )
    return response


def _kept(request: Request, rid: str) -> StoredResult:
    kept = _state(request).results.load(rid)
    if kept is None:
        raise HTTPException(
            404, f"no result {shown_key(rid)}: it may belong to another results file"
        )
    return kept


@router.get("/", response_class=HTMLResponse)
def check_page(request: Request) -> HTMLResponse:
    return _page(request, "check.html", kinds=", ".join(ARTICLE_KINDS))


class CheckForm(BaseModel):
    """The Check form's fields (the CSRF token and the uploaded file are taken apart)."""

    text: str = ""
    top: int = Field(5, ge=1, le=20)
    languages: Literal["auto", "same", "across"] = "auto"


# A form field may hold the longest article the app takes: up to 4 bytes a character in UTF-8.
# Starlette's default (1 MiB) refused 390,000 Chinese characters, well under the 1,000,000
# character limit, with "Part exceeded maximum size of 1024KB."
MAX_FIELD_BYTES = 4 * MAX_ARTICLE_CHARS + 64 * 1024


@router.post("/check")
async def check_submit(request: Request) -> Response:
    """Trace pasted text (or an uploaded file when one is given); show the kept result.
    ``languages`` as ``unspin trace --languages`` (:mod:`.across`).

    The form is read here rather than by FastAPI so that a field may hold a whole article
    (:data:`MAX_FIELD_BYTES`); reading and tracing then run in a worker thread, so a long
    article never holds up the event loop and other pages keep answering.
    """
    try:
        form = await request.form(max_part_size=MAX_FIELD_BYTES)
    except StarletteHTTPException as exc:
        if "exceeded maximum size" not in str(exc.detail):
            raise
        mib = MAX_FIELD_BYTES // (1024 * 1024)
        raise InputError(
            "article",
            f"a form field is over {mib} MiB; an article may have at most "
            f"{MAX_ARTICLE_CHARS:,} characters",
        ) from exc
    try:
        token = form.get("csrf_token")
        check_csrf(request, _state(request).csrf_token, token if isinstance(token, str) else None)
        fields = {k: v for k, v in form.items() if k != "file"}
        try:
            checked = CheckForm.model_validate(fields)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
            ) from exc
        file = form.get("file")
        upload = file if isinstance(file, StarletteUpload) and file.filename else None
        return await run_in_threadpool(_check, request, checked, upload)
    finally:
        await form.close()  # the spooled upload files


def _check(request: Request, form: CheckForm, file: StarletteUpload | None) -> Response:
    state = _state(request)
    # A browser sends a textarea's line breaks as CRLF whatever was pasted (the HTML form
    # rules): read as the file would be on the command line, with the same offsets.
    text, name = form.text.replace("\r\n", "\n"), None
    if file is not None:
        name = file.filename
        upload = received(file)
        with state.heavy.take():
            text = article_text(upload)
    if form.languages != "same" and wants_across(state, text, form.languages):
        rid = run_across(state, text, top=form.top, name=name)
        return RedirectResponse(f"/x/{rid}", status_code=303)
    kept = run_trace(state, text, top=form.top, name=name)
    return RedirectResponse(f"/r/{kept.id}", status_code=303)


@router.get("/r/{rid}.json")
def result_json(request: Request, rid: str) -> Response:
    kept = _kept(request, rid)
    return Response(
        request.app.state.json_dumps(kept.report),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="unspin-{kept.id}.json"'},
    )


@router.get("/r/{rid}.html")
def result_html(request: Request, rid: str) -> Response:
    kept = _kept(request, rid)
    return Response(
        render_html(kept.result, kept.source_texts),
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="unspin-{kept.id}.html"'},
    )


# After the downloads: "/r/{rid}" would otherwise swallow "/r/<id>.json".
@router.get("/r/{rid}", response_class=HTMLResponse)
def result_page(request: Request, rid: str) -> HTMLResponse:
    kept = _kept(request, rid)
    spin = spin_view(kept.result, kept.spin)
    name = kept.name or ("The target" if kept.kind == "compare" else "The article")
    stale = None
    if kept.kind != "compare":
        state = _state(request)
        with state.documents() as store:
            stale = reading_note(name, kept.result.article, state.db, store.word_reading)
    return _page(
        request,
        "result.html",
        kept=kept,
        report=render_report_body(kept.result, kept.source_texts, spin.spans),
        spin=spin,
        spin_available=spin_module() is not None,
        # What the CLI prints on standard error about lookalike letters and invisible
        # characters, on the page.
        lookalike=" ".join(
            note
            for note in (
                lookalike_note(name, kept.result.article),
                invisible_note(name, kept.result.article),
                stale,
            )
            if note
        ),
    )


@router.get("/corpus", response_class=HTMLResponse)
def corpus_page(request: Request, q: str = "", page: PageNumber = 1) -> HTMLResponse:
    """The corpus's figures and one page of its documents, those matching ``q`` when given.
    A search longer than :data:`MAX_QUERY` is cut to it, and the page shows the search it
    made and says so (a link to a site of a longer name still finds it); up to robust34 it
    said it had matched the whole text, which it echoed three times."""
    page = max(1, page)
    cut = len(q) > MAX_QUERY
    q = q[:MAX_QUERY]
    with _state(request).documents() as store:
        stats = store.stats()
        docs, total = search(store, q, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        top_sites = sites(store, 20)
    pages = max(1, -(-total // PAGE_SIZE))
    return _page(
        request,
        "corpus.html",
        stats=stats,
        docs=docs,
        total=total,
        q=q,
        page=page,
        pages=pages,
        sites=top_sites,
        kinds=", ".join(CORPUS_KINDS),
        max_query=MAX_QUERY,
        cut=cut,
        limit_mib=_state(request).max_upload_bytes // (1024 * 1024),
    )


@router.post("/corpus/ingest")
def ingest_submit(
    request: Request,
    files: list[UploadFile],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    state = _state(request)
    check_csrf(request, state.csrf_token, csrf_token)
    uploads = [received(f) for f in files if f.filename]
    job = state.jobs.start(uploads)
    return RedirectResponse(f"/corpus/jobs/{job.id}", status_code=303)


@router.get("/corpus/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    job = _state(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no ingest job {shown_key(job_id)}")
    return _page(request, "job.html", job=job)


@router.get("/d/{key}", response_class=HTMLResponse)
def document_page(request: Request, key: DocumentKey) -> HTMLResponse:
    state = _state(request)
    with state.corpus() as corpus:
        found = corpus.store.documents([key])
        if key not in found:
            raise HTTPException(404, f"no document with key {key}")
        text = corpus.store.text(key)
        related = run_reuse(state, corpus, key)
    return _page(request, "document.html", doc=found[key], text=text, related=related)
