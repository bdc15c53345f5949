"""One verdict per text (issue 19 item 1): every entry point takes the probability from
``score_text``, and strong spans under a low probability come with a stated reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.fingerprints import fingerprint
from unspin.generators.article_spinner import spin
from unspin.report.spin_html import render_spin_html
from unspin.spinscore.score import (
    EVIDENCE_MIN_SPANS,
    EVIDENCE_RATE,
    SpinScore,
    SpinSpan,
    load_resources,
    resolve_model,
    score_text,
)
from unspin.store import Store
from unspin.trace import TraceConfig, compare, trace
from unspin.types import Document

# A news report spun the way a content-farm post was (issue 19): words swapped with a thesaurus
# that is not Moby's, one typo.
FARM_POST = (
    "Moscow, the Russian Union said on Tuesday that it would not sign the lawfully obligatory "
    "accord unless the medium that monitors the deal was given full access. The foreign "
    "ministry said in a statement that its envoy had spoken by telephonic call with officials "
    'in Geneva and that there was no pos3sibility of a quick settlement. "We are prepared to '
    'consider any sensible proposition that respects our interests," the ministry said, adding '
    "that the sanctions imposed last year had harmed ordinary citizens more than the "
    "administration. Diplomats said the talks, which began in the spring, had stalled over the "
    "question of who would verify compliance. The medium's head told reporters that inspectors "
    "had been denied entry twice this month and that the arrangement could collapse within "
    "weeks if the two sides did not find common ground. Officials in Washington declined to "
    "comment on the remarks, but a senior administrator said the United States remained "
    "committed to a lawfully obligatory framework. Markets reacted calmly, with the rouble "
    "steady against the dollar in afternoon exchanging."
)
UNRELATED = (
    "Gardeners in the north planted early potatoes this week after a mild winter left the soil "
    "workable, and seed merchants reported brisk trade in onion sets and broad beans."
)


@pytest.fixture(scope="module", autouse=True)
def _loaded() -> None:
    load_resources()


def _spans(n: int, weight: float) -> tuple[SpinSpan, ...]:
    return tuple(SpinSpan(i, i + 1, "x", "rare_synonym", ("y",), weight) for i in range(n))


def test_strong_spans_under_a_low_probability_get_a_note() -> None:
    strong = SpinScore(0.01, _spans(5, 0.9), {"content_words": 50.0})
    assert strong.strong_spans == 5 and strong.evidence_rate == pytest.approx(10.0)
    assert strong.note is not None and "5 strong spans" in strong.note
    assert strong.to_dict()["note"] == strong.note
    # The model agreeing, too few strong spans, or too thin a share: nothing to explain.
    assert SpinScore(0.9, _spans(5, 0.9), {"content_words": 50.0}).note is None
    few = SpinScore(0.01, _spans(EVIDENCE_MIN_SPANS - 1, 0.9), {"content_words": 10.0})
    assert few.note is None
    thin = int(EVIDENCE_RATE) * 4
    assert SpinScore(0.01, _spans(3, 0.9), {"content_words": float(thin) * 10}).note is None
    assert SpinScore(0.01, _spans(5, 0.3), {"content_words": 50.0}).note is None


def test_a_spun_post_is_never_low_without_a_reason() -> None:
    if resolve_model("auto") != "contextual":
        pytest.skip("the contextual model (embed extra) is not installed")
    score = score_text(FARM_POST, "contextual")
    assert score.strong_spans >= EVIDENCE_MIN_SPANS
    assert score.probability >= 0.5 or score.note is not None


def test_the_note_reaches_the_terminal_json_and_html(tmp_path: Path) -> None:
    path = tmp_path / "post.txt"
    path.write_text(FARM_POST, encoding="utf-8")
    score = score_text(FARM_POST)
    res = CliRunner().invoke(main, ["score", str(path), "--restore", "0"])
    assert res.exit_code == 0, res.output
    assert ("note: " in res.output) == (score.note is not None)
    res = CliRunner().invoke(main, ["score", str(path), "--json", "--restore", "0"])
    out = json.loads(res.stdout)[0]
    assert out["note"] == score.note and out["strong_spans"] == score.strong_spans
    noted = SpinScore(0.01, _spans(5, 0.9), {"content_words": 50.0})
    page = render_spin_html([("<post>", "x" * 10, noted)])
    assert "5 strong spans" in page and "&lt;post&gt;" in page


def test_score_trace_compare_and_web_give_one_probability(tmp_path: Path) -> None:
    """One text and one model give one number. ``trace``/``compare`` score unsourced stretches
    with the lexical model by default (speed on long articles), ``score`` and the web app (its
    article and its stretches) with ``auto``: each entry point is checked against ``score_text``
    with the model it uses."""
    text = spin(FARM_POST, 0.2, seed=1).text
    lexical = round(score_text(text, "lexical").probability, 4)
    # compare against an unrelated source: the whole target is one stretch with no source.
    result = compare(UNRELATED, text)
    unsourced = [s for s in result.segments if s.source_key is None and s.spin is not None]
    assert [(s.start, s.end) for s in unsourced] == [(0, len(text))]
    assert unsourced[0].spin == lexical
    # trace against a corpus that holds no source of it: the whole article is one stretch, with
    # either model.
    store = Store(tmp_path / "t.db")
    store.add_batch([(Document(text=UNRELATED, id="u"), fingerprint(UNRELATED))])
    for kind in ("lexical", resolve_model("auto")):
        traced = trace(text, store, TraceConfig(label_edits=False, spin_model=kind))
        whole = [(s.start, s.end, s.spin) for s in traced.segments]
        assert whole == [(0, len(text), round(score_text(text, kind).probability, 4))]
    path = tmp_path / "post.txt"
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["score", str(path), "--json", "--model", "lexical"])
    assert json.loads(res.stdout)[0]["probability"] == lexical
    auto = round(score_text(text).probability, 4)
    res = CliRunner().invoke(main, ["score", str(path), "--json"])
    assert json.loads(res.stdout)[0]["probability"] == auto
    pytest.importorskip("fastapi")
    from unspin.web.service import spin_score

    web = spin_score(text)
    assert web is not None and web["probability"] == auto
    # The page's stretches with no source take the page's model (they were lexical beside
    # an article score of the contextual model: 0.58 against 0.51 for one text).
    from unspin.web.service import WebState, run_compare, run_trace

    state = WebState.open(tmp_path / "t.db", 1 << 20)
    for kept in (run_trace(state, text), run_compare(state, UNRELATED, text)):
        stretches = [(s.start, s.end, s.spin) for s in kept.result.segments]
        assert stretches == [(0, len(text), auto)] and kept.spin["probability"] == auto


def test_compare_on_the_command_line_takes_the_model_score_takes(tmp_path: Path) -> None:
    """Before (34th session): ``unspin compare`` had no ``--spin-model``, so a stretch with no
    source always read the lexical number, while ``unspin score`` of the same text read the
    contextual one (benchmarks 15.16: a SpinBot stretch read "0.97, lexical model" in compare)."""
    text = spin(FARM_POST, 0.2, seed=1).text
    source, target = tmp_path / "source.txt", tmp_path / "post.txt"
    source.write_text(UNRELATED, encoding="utf-8")
    target.write_text(text, encoding="utf-8")
    for kind in ("lexical", "contextual", "auto"):
        res = CliRunner().invoke(
            main, ["compare", str(source), str(target), "--json", "--spin-model", kind]
        )
        assert res.exit_code == 0, res.output
        report = json.loads(res.stdout)
        model = resolve_model(kind)
        assert report["meta"]["spin_model"] == model
        scored = CliRunner().invoke(main, ["score", str(target), "--json", "--model", model])
        probability = json.loads(scored.stdout)[0]["probability"]
        assert [s["spin"] for s in report["segments"]] == [probability]
    bad = CliRunner().invoke(main, ["compare", str(source), str(target), "--spin-model", "bert"])
    assert bad.exit_code == 2 and "--spin-model" in bad.output
