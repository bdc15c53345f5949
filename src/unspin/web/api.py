"""The JSON API under ``/api/``: trace, compare, score, ingest, documents, results.

Trace and compare answer with exactly the CLI's ``--json`` document (schema ``unspin.trace``);
the permanent page of the result is in the ``Location`` header and its id in ``X-Result-Id``.
Errors are ``{"error": message, "status": code}`` (see :mod:`unspin.web.errors`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from ..json_keys import shown_key
from .corpus import search, sites
from .jsonbody import OffLoopJsonRoute
from .params import DocumentKey, Name, Offset, SearchQuery, Text, WholeNumber
from .results import StoredResult
from .security import check_csrf
from .service import WebState, run_compare, run_reuse, run_score, run_trace
from .uploads import received


# JSON bodies are parsed in a worker thread (:mod:`.jsonbody`): a large one never stalls the loop.
def known_query_parameters(request: Request) -> None:
    """Refuse a query parameter the request does not read (422 naming it), as a JSON body's
    unknown key is refused (:class:`_Body`): ``/api/documents?site=x`` or
    ``?limt=5`` was answered 200 with every document, as if the setting had been read (up
    to robust30)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    reads = _query_names(route.dependant)
    unknown = [name for name in request.query_params if name not in reads]
    if unknown:
        raise RequestValidationError(
            [
                {"type": "extra_forbidden", "loc": ("query", name), "msg": "not read"}
                for name in dict.fromkeys(unknown)
            ]
        )


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters a route reads, its dependencies' included."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


router = APIRouter(
    prefix="/api",
    tags=["api"],
    route_class=OffLoopJsonRoute,
    dependencies=[Depends(known_query_parameters)],
)


def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(get_state)]


async def json_or_token(request: Request) -> None:
    """CSRF guard for JSON endpoints: JSON content type, or the token header."""
    check_csrf(request, get_state(request).csrf_token)


class _Body(BaseModel):
    """A JSON body whose unknown keys are refused (422 naming each), not ignored: a body with
    ``"model": "lexical"``, ``"languages": "across"`` or a misspelt ``"tpo": 3`` was answered
    200 with the defaults, as if the setting had been read.

    Its values are read strictly, as JSON types them: ``"top": "5"`` or ``"top": true`` is
    refused (422 naming the field, the type it wants and the one it got), as ``"restore": 1``
    or ``"restore": "false"`` is (up to robust33 they were read as 5, 1 and ``True``: a
    client that quotes a number, or sends ``"false"``, was never told). A whole number
    written ``5.0`` is an integer, as JSON Schema reads it."""

    model_config = ConfigDict(extra="forbid", strict=True)


class TraceRequest(_Body):
    text: Text = Field(description="The article to trace.")
    top: WholeNumber = Field(5, ge=1, le=100, description="How many sources to report.")
    name: Name | None = Field(None, description="A name for the article, shown in reports.")


class CompareRequest(_Body):
    source: Text = Field(description="The source text.")
    target: Text = Field(description="The text that may reuse the source.")
    restore: bool = Field(False, description="Also put spun wording back (`restored`).")
    source_name: Name = Field("source", description="A name for the source.")


class ScoreRequest(_Body):
    text: Text = Field(description="The text to score.")
    restore: WholeNumber = Field(
        10,
        ge=0,
        le=100,
        description="Contextual model: re-rank the suggestions of this many heaviest spans in "
        "their sentence (about 0.06 s of CPU a span on these 2-core machines), and of the next "
        "twice as many by a quicker reading (about 0.02 s a span).",
    )


def _report(kept: StoredResult) -> JSONResponse:
    return JSONResponse(kept.report, headers={"Location": f"/r/{kept.id}", "X-Result-Id": kept.id})


@router.get("/csrf", summary="The CSRF token for multipart requests")
def csrf(state: State) -> dict[str, str]:
    """Same-origin pages read this token; send it as ``X-CSRF-Token`` with multipart uploads."""
    return {"token": state.csrf_token}


@router.post("/trace", dependencies=[Depends(json_or_token)], summary="Trace an article")
def api_trace(body: TraceRequest, state: State) -> JSONResponse:
    """Find the stored sources of ``text``; the CLI's JSON report (``unspin trace --json``)."""
    return _report(run_trace(state, body.text, top=body.top, name=body.name))


@router.post("/compare", dependencies=[Depends(json_or_token)], summary="Compare two texts")
def api_compare(body: CompareRequest, state: State) -> JSONResponse:
    """Align ``target`` against ``source``; the CLI's JSON report (``unspin compare --json``)."""
    kept = run_compare(state, body.source, body.target, restore=body.restore, name=body.source_name)
    return _report(kept)


@router.post("/score", dependencies=[Depends(json_or_token)], summary="Spin score of a text")
def api_score(body: ScoreRequest, state: State) -> dict[str, Any]:
    """Probability that ``text`` was spun, with the spans behind it (no source needed)."""
    return run_score(state, body.text, restore=body.restore)


# A plain ``def``: FastAPI runs it in a worker thread, so reading and writing the files never
# holds up the event loop.
@router.post("/ingest", status_code=202, summary="Add files to the corpus")
def api_ingest(
    request: Request,
    state: State,
    files: Annotated[list[UploadFile], File(description="txt, html, json, jsonl, warc files")],
    csrf_token: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    """Start ingesting the uploaded files; poll ``/api/jobs/{id}`` for progress.

    Send the CSRF token as the ``X-CSRF-Token`` header, or as the first form field.
    """
    check_csrf(request, state.csrf_token, csrf_token)
    uploads = [received(f) for f in files]
    return state.jobs.start(uploads).to_dict()


@router.get("/jobs/{job_id}", summary="Progress of an ingest job")
def api_job(job_id: str, state: State) -> dict[str, Any]:
    job = state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no ingest job {shown_key(job_id)}")
    return job.to_dict()


@router.get("/health", summary="Is the server up, and how busy it is")
def api_health(state: State) -> dict[str, Any]:
    """Heavy requests and large uploads running and waiting now, with their bounds."""
    return {
        "status": "ok",
        "heavy": state.heavy.state().to_dict(),
        "uploads": state.uploads.state().to_dict(),
        "ingest_jobs": state.jobs.running(),
    }


@router.get("/stats", summary="Corpus statistics")
def api_stats(state: State) -> dict[str, Any]:
    with state.documents() as store:
        return {
            **store.stats(),
            "top_sites": [{"site": s, "documents": n} for s, n in sites(store)],
        }


@router.get("/documents", summary="List or search stored documents")
def api_documents(
    state: State,
    q: SearchQuery = "",
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    with state.documents() as store:
        docs, total = search(store, q, offset=offset, limit=limit)
    return {"total": total, "offset": offset, "documents": [d.to_dict() for d in docs]}


@router.get("/documents/{key}", summary="One stored document with its text")
def api_document(key: DocumentKey, state: State) -> dict[str, Any]:
    with state.documents() as store:
        found = store.documents([key])
        if key not in found:
            raise HTTPException(404, f"no document with key {key}")
        return {"document": found[key].to_dict(), "text": store.text(key)}


@router.get("/documents/{key}/reuse", summary="Documents sharing text with one document")
def api_reuse(key: DocumentKey, state: State) -> dict[str, Any]:
    """Other documents sharing passages with it: ``reuses`` (older), ``reused_by`` (newer)."""
    with state.corpus() as corpus:
        if key not in corpus.store.documents([key]):
            raise HTTPException(404, f"no document with key {key}")
        return {"key": key, "reuse": [r.to_dict() for r in run_reuse(state, corpus, key)]}


@router.get("/results/{rid}", summary="A kept result (the CLI's JSON report)")
def api_result(rid: str, state: State) -> JSONResponse:
    kept = state.results.load(rid)
    if kept is None:
        raise HTTPException(404, f"no result {shown_key(rid)}")
    return _report(kept)
