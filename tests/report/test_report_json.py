"""The JSON report: layout pinned by the shipped schema, ordering, excerpts, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from unspin.report import SCHEMA_VERSION, dumps, load_schema, to_json
from unspin.types import TraceResult

DOCS = Path(__file__).resolve().parents[2] / "docs" / "json-schema.md"


def _validate(document: dict) -> None:
    jsonschema.Draft202012Validator(load_schema()).validate(document)


def test_sample_output_validates_against_schema(result, source_texts) -> None:
    _validate(to_json(result, source_texts))
    _validate(to_json(result, source_texts, include_text=False))


def test_hostile_and_empty_outputs_validate(hostile, source_texts) -> None:
    _validate(to_json(hostile, source_texts))
    empty = TraceResult(article="", sources=(), segments=())
    document = to_json(empty, {})
    _validate(document)
    assert document["covered"] == 0.0 and document["sources"] == []


def test_schema_is_strict_about_unknown_and_missing_fields(result, source_texts) -> None:
    document = to_json(result, source_texts)
    document["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        _validate(document)
    document = to_json(result, source_texts)
    del document["sources"][0]["passages"][0]["edits"][0]["label"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(document)


def test_header_and_stats(result, source_texts) -> None:
    document = to_json(result, source_texts)
    assert document["schema"] == "unspin.trace"
    assert document["schema_version"] == SCHEMA_VERSION == "2.2"
    assert document["article"] == {"length": len(result.article), "text": result.article}
    assert document["covered"] == pytest.approx(result.covered, abs=1e-4)
    assert document["stats"] == {"candidates_considered": 37, "capped": False, "seconds": 0.421}
    assert document["restored"] is None
    # meta is made JSON-safe: a Path becomes its string.
    assert document["meta"] == {"corpus": "sample", "path": str(Path("a/b.txt"))}
    assert "text" not in to_json(result, source_texts, include_text=False)["article"]


def test_sources_sorted_by_rank_with_excerpts_that_slice_the_texts(result, source_texts) -> None:
    document = to_json(result, source_texts)
    assert [s["rank"] for s in document["sources"]] == [1, 2]
    assert [s["document"]["id"] for s in document["sources"]] == [
        "council-2021-04",
        "library-protest",
    ]
    for source in document["sources"]:
        text = source_texts[source["document"]["key"]]
        for p in source["passages"]:
            assert p["source_excerpt"] == text[p["source_start"] : p["source_end"]]
            assert p["target_excerpt"] == result.article[p["target_start"] : p["target_end"]]


def test_missing_source_text_gives_null_excerpt(result, source_texts) -> None:
    document = to_json(result, {11: source_texts[11]})
    second = document["sources"][1]
    assert second["passages"][0]["source_excerpt"] is None
    _validate(document)


def test_edits_put_distortions_first_then_article_order(result, source_texts) -> None:
    edits = to_json(result, source_texts)["sources"][0]["passages"][0]["edits"]
    assert [e["label"] for e in edits] == ["number_change", "negation", "identical"]
    assert [e["distortion"] for e in edits] == [True, True, False]
    assert edits[0]["target_start"] < edits[1]["target_start"]
    # Within the second source, no distortions: plain article order.
    edits = to_json(result, source_texts)["sources"][1]["passages"][0]["edits"]
    assert [e["label"] for e in edits] == ["synonym", "inflection"]


def test_distortions_list_every_distortion_with_its_source(result, source_texts) -> None:
    found = to_json(result, source_texts)["distortions"]
    assert [(d["label"], d["source_rank"], d["source_id"]) for d in found] == [
        ("number_change", 1, "council-2021-04"),
        ("negation", 1, "council-2021-04"),
    ]
    assert found[0]["reason"] == "number 12 became 21"
    assert found[1]["target_start"] == found[1]["target_end"]  # the article lost "not "


def test_segments_name_their_source(result, source_texts) -> None:
    segments = to_json(result, source_texts)["segments"]
    assert [(g["source_key"], g["source_id"]) for g in segments] == [
        (11, "council-2021-04"),
        (22, "library-protest"),
        (None, None),
    ]
    assert segments[-1]["spin"] == 0.82
    assert segments[0]["spin"] is None


def test_dumps_round_trips_and_keeps_unicode(result, source_texts) -> None:
    text = dumps(result, source_texts)
    assert json.loads(text) == to_json(result, source_texts)
    assert "\\u" not in dumps(TraceResult(article="café", sources=(), segments=()), {})
    compact = dumps(result, source_texts, indent=None)
    assert "\n" not in compact and json.loads(compact) == json.loads(text)


def test_non_finite_numbers_do_not_break_json(source_texts) -> None:
    odd = TraceResult(
        article="abc",
        sources=(),
        segments=(),
        seconds=float("nan"),
        meta={"x": float("inf"), "tags": {"b", "a"}, "pair": (1, 2)},
    )
    document = json.loads(dumps(odd, {}))
    assert document["stats"]["seconds"] == 0.0
    assert document["meta"] == {"x": None, "tags": ["a", "b"], "pair": [1, 2]}
    _validate(document)


def _property_names(node: object) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                names |= set(value)
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def test_docs_describe_every_schema_field() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    missing = sorted(name for name in _property_names(load_schema()) if f"`{name}`" not in docs)
    assert not missing, f"docs/json-schema.md does not describe: {missing}"
    assert "schema_version" in docs and "major" in docs and "minor" in docs


def test_docs_example_is_a_valid_document() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    example = docs.split("```json", 1)[1].split("```", 1)[0]
    document = json.loads(example)
    _validate(document)
    assert document["schema_version"] == SCHEMA_VERSION


def test_ownership_copies_related_and_distortion_contexts(result, source_texts) -> None:
    document = to_json(result, source_texts)
    first = document["sources"][0]
    assert first["owned"] == [{"start": s.start, "end": s.end} for s in result.sources[1].owned]
    assert [c["id"] for c in first["copies"]] == ["council-reprint"]
    assert document["sources"][1]["copies"] == []
    assert document["related"] == [
        {"document": result.related[0].document.to_dict(), "overlap": 0.31}
    ]
    number = document["distortions"][0]
    assert number["label"] == "number_change"
    assert number["source_context"] == (
        "The city council approved a budget of 12 million dollars on Monday."
    )
    assert number["target_context"] == (
        "The city council approved a budget of 21 million dollars on Monday."
    )
    # The negation is a deletion (empty article range): its context is the sentence it sits in.
    negation = document["distortions"][1]
    assert negation["target_context"] == "The mayor said the plan would raise taxes."
    # Without the source's text, the source context is null, the article's is still there.
    assert to_json(result, {})["distortions"][0]["source_context"] is None


@pytest.mark.parametrize("call", ["to_json", "dumps", "render_html", "render_report_body"])
def test_a_renderer_given_no_trace_result_says_so_in_one_line(call: str) -> None:
    # Before: AttributeError: 'int' object has no attribute 'article' (robust27 noticed it).
    import unspin.report as report
    from unspin.errors import ConfigError

    render = getattr(report, call)
    with pytest.raises(
        ConfigError, match=rf"^{call}\(result=\.\.\.\): give a TraceResult, not int$"
    ):
        render(5, {})


def test_bidirectional_controls_are_written_as_escapes_and_read_back() -> None:
    """Before (robust36): an id or a text holding a right-to-left override (U+202E) was
    written as it is, so the report read in another order than it was written: the id
    "report<RLO>LMTH.exe" showed as "reportexe.HTML" (in the JSON, the HTML page and the
    web app's pages alike). Now the JSON writes such controls as escapes, which a JSON
    reader turns back into the same string, and the HTML shows the escape."""
    from unspin import compare
    from unspin.report import render_html

    source = "Floods closed the northern railway line for two days this week, officials said."
    target = (
        "Floods shut the northern \u202erailway\u202c line for two days this week, officials said."
    )
    name = "report\u202eLMTH.exe"
    result = compare(source, target, source_name=name)
    texts = {result.sources[0].document.key: source}
    controls = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    text = dumps(result, texts)
    assert not any(c in text for c in controls)
    assert "report\\u202eLMTH.exe" in text
    read = json.loads(text)
    assert read["sources"][0]["document"]["id"] == name and read["article"]["text"] == target
    page = render_html(result, texts)
    assert not any(c in page for c in controls)
    assert "report\\u202eLMTH.exe" in page and "\\u202erailway\\u202c" in page
