"""The web app's trace across languages (:mod:`unspin.xling`): the Check form sends an
article here when it is asked to ("across") or when "auto" finds it written in another
language than most of the store (as ``unspin trace --languages auto``).

The result is kept like every other (``kind`` ``"xling"``, a content hash of the input) and
shown at ``/x/<id>``: each source in another language with its aligned sentences side by
side and the facts the translation changed, rendered by :func:`unspin.xling.report.render_body`
(every text escaped); ``/x/<id>.json`` and ``/x/<id>.html`` are the downloads.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from ..json_keys import shown_key
from .results import KeptReport, result_id
from .service import WebState, check_article

router = APIRouter(include_in_schema=False)
KIND = "xling"


def wants_across(state: WebState, text: str, languages: str) -> bool:
    """Whether the Check form's ``languages`` choice sends ``text`` across languages."""
    if languages == "across":
        return True
    if languages != "auto":
        return False
    from ..xling.index import other_language

    with state.store() as store:
        return other_language(store, text)


def run_across(state: WebState, text: str, *, top: int = 5, name: str | None = None) -> str:
    """Trace ``text`` against the stored texts in other languages; keep the report and
    return its id (a kept result is returned without tracing again)."""
    from ..xling.trace import trace_across

    check_article(text)
    rid = result_id(KIND, text=text, top=top, corpus=state.generation(), name=name)
    if state.results.load_report(rid, KIND) is not None:
        return rid
    with state.heavy.take(), state.store() as store:
        result = trace_across(text, store, name=name or "article", top=top)
        texts = store.texts([s.document.key for s in result.sources])
    state.results.save_report(rid, KIND, result.to_dict(texts, text), name=name)
    return rid


def _kept(request: Request, rid: str) -> KeptReport:
    state: WebState = request.app.state.web
    kept = state.results.load_report(rid, KIND)
    if kept is None:
        raise HTTPException(404, f"no cross-language result {shown_key(rid)}")
    return kept


def _html_file(kept: KeptReport) -> str:
    from html import escape

    from ..xling.report import STYLE, render_body

    title = escape(kept.name or "article")
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>unspin: {title}</title>"
        f"<style>body{{font-family:sans-serif;margin:2em}}{STYLE}</style></head><body>"
        f"<h1>{title}</h1>\n{render_body(kept.report)}\n</body></html>"
    )


@router.get("/x/{rid}.json")
def across_json(request: Request, rid: str) -> Response:
    kept = _kept(request, rid)
    return Response(
        request.app.state.json_dumps(kept.report),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="unspin-{kept.id}.json"'},
    )


@router.get("/x/{rid}.html")
def across_html(request: Request, rid: str) -> Response:
    kept = _kept(request, rid)
    return Response(
        _html_file(kept),
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="unspin-{kept.id}.html"'},
    )


# After the downloads: "/x/{rid}" would otherwise swallow "/x/<id>.json".
@router.get("/x/{rid}", response_class=HTMLResponse)
def across_page(request: Request, rid: str) -> HTMLResponse:
    from ..xling.report import STYLE, render_body

    kept = _kept(request, rid)
    state: WebState = request.app.state.web
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request,
        "across.html",
        {
            "kept": kept,
            "style": STYLE,
            "report": render_body(kept.report),
            "csrf_token": state.csrf_token,
        },
    )
    return response
