"""The real-spinner reader of bench_realspin.py: ORIG/SPUN pairs in either layout, repaired."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from repo_script import load_script


def _load() -> ModuleType:
    return load_script("benchmarks/bench_realspin.py")


bench = _load()

ORIGINAL = "The committee approved the new budget after a long debate about the costs."
SPUN = "The board affirmed the new spending plan after a long discussion about the expenses."


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_pairs_are_read_beside_each_other_and_from_og_and_mg(tmp_path: Path) -> None:
    _write(tmp_path / "wiki" / "og" / "11-ORIG.txt", ORIGINAL + "\n")
    _write(tmp_path / "wiki" / "mg" / "11-SPUN.txt", SPUN + "\n")
    _write(tmp_path / "wiki" / "og" / "12-ORIG-3.txt", "Second  " + ORIGINAL)  # paragraph 3
    _write(tmp_path / "wiki" / "mg" / "12-SPUN.txt", "Second " + SPUN)
    _write(tmp_path / "flat" / "7-ORIG-2.txt", "Flat " + ORIGINAL)
    _write(tmp_path / "flat" / "7-SPUN-2.txt", "Flat " + SPUN)
    _write(tmp_path / "flat" / "8-ORIG.txt", "No partner " + ORIGINAL)
    _write(tmp_path / "flat" / "9-ORIG.txt", ORIGINAL)  # the "spinner" changed nothing
    _write(tmp_path / "flat" / "9-SPUN.txt", ORIGINAL)
    pairs = bench.orig_spun_pairs(tmp_path, min_words=5)
    got = {(p.original.split()[0], p.spun.split()[0], p.mode) for p in pairs}
    assert got == {
        ("The", "The", "wiki/mg/11-SPUN.txt"),
        ("Second", "Second", "wiki/mg/12-SPUN.txt"),
        ("Flat", "Flat", "flat/7-SPUN-2.txt"),
    }
    assert all("  " not in p.original and not p.original.endswith("\n") for p in pairs)
    # Headings and list items of the MPC data are short: the default leaves them out.
    assert bench.orig_spun_pairs(tmp_path) == []
    assert bench.orig_spun_pairs(tmp_path / "absent") == []


def test_utf8_read_as_latin1_is_put_back_and_other_text_kept(tmp_path: Path) -> None:
    # A no-break space, "ú" and an en dash read as Latin-1; "é" and an en dash read as cp1252.
    spoiled = "Stela\u00c2\u00a02 El Ba\u00c3\u00bal \u00e2\u0080\u0093 caf\u00c3\u00a9 \u00e2\u20ac\u201c"
    fixed = "Stela\u00a02 El Ba\u00fal \u2013 caf\u00e9 \u2013"
    assert bench.repair_mojibake(spoiled) == fixed
    for clean in ("na\u00efve Bogot\u00e1, the ch\u00e2teau", "plain ASCII"):
        assert bench.repair_mojibake(clean) == clean
    _write(tmp_path / "og" / "5-ORIG.txt", "El Ba\u00fal " + ORIGINAL)
    _write(tmp_path / "mg" / "5-SPUN.txt", "El Ba\u00c3\u00bal " + SPUN)
    (pair,) = bench.orig_spun_pairs(tmp_path, min_words=5)
    assert pair.spun.startswith("El Ba\u00fal The board")


LONG_ORIGINAL = (
    "The committee approved the new budget for the city schools after a long debate about the "
    "rising costs of heating and transport. Teachers said the money would pay for books, repairs "
    "and extra classes in the spring term, and parents welcomed the decision at the meeting on "
    "Tuesday evening in the town hall."
)
LONG_SPUN = (
    "The committee approved the new budget for the city schools after a long discussion about the "
    "rising expenses of heating and transport. Instructors said the cash would pay for books, "
    "repairs and additional classes in the spring term, and guardians welcomed the choice at the "
    "gathering on Tuesday evening in the town hall."
)


def test_spun_pair_figures_find_the_swaps_and_score_both_sides() -> None:
    pairs = [bench.Pair(LONG_ORIGINAL, LONG_SPUN, "a"), bench.Pair(ORIGINAL, SPUN, "b")]
    figures = bench.spun_pair_figures(pairs, ["lexical"])
    entry = figures["spun_pairs/lexical"]
    assert entry["pairs"] == 2
    assert 0.0 <= entry["auc"] <= 1.0
    # debate, costs, teachers, money, extra, parents, decision, meeting: one word for one word
    assert entry["swaps"] == 8
    assert 0.0 <= entry["marked"] <= 1.0
    assert set(entry["ci"]) >= {"auc", "fpr_05", "tpr_05"}
    # The spans against every changed word, over all pairs and each half of them.
    # The halves go by the pair's id (its file's name before "-"): "a" and "b" fall apart.
    assert [bench.pair_half(p) for p in pairs] == ["tune", "held"]
    spans = figures["spun_pairs/lexical/spans/all"]
    assert spans["pairs"] == 2 and len(spans["rows"]) == 2
    assert set(spans["ci"]) == set(bench.SPAN_FIGURES)
    tune, held = (figures[f"spun_pairs/lexical/spans/{h}"] for h in ("tune", "held"))
    assert (tune["rows"], held["rows"]) == (spans["rows"][:1], spans["rows"][1:])


def test_a_span_is_right_on_any_word_the_spinner_changed() -> None:
    # "spending plan" for "budget" and "board affirmed" for "committee approved" are phrase
    # rewrites: the one-word swaps alone would count a span on "spending" as wrong; the words
    # of a phrase rewrite are changed words like the others.
    changed = bench.changed_words(ORIGINAL, SPUN)
    words = [SPUN[a:b] for a, b in changed.words]
    assert words == ["board", "affirmed", "spending", "plan", "discussion", "expenses"]
    assert [SPUN[a:b] for a, b in changed.one_word] == ["discussion", "expenses"]
    assert [SPUN[a:b] for a, b in changed.stretches] == [
        "board affirmed",
        "spending plan",
        "discussion",
        "expenses",
    ]

    class Span:
        def __init__(self, text: str, word: str) -> None:
            self.start = text.index(word)
            self.end = self.start + len(word)

    class Scored:
        def __init__(self, text: str, *words: str) -> None:
            self.spans = [Span(text, w) for w in words]

    pair = bench.Pair(ORIGINAL, SPUN, "x")
    spun = Scored(SPUN, "spending", "new", "expenses")  # "new" was not changed
    original = Scored(ORIGINAL, "committee")
    (row,) = bench.span_rows([pair], [original], [spun])
    got = dict(zip(bench.SPAN_COLUMNS, row, strict=True))
    assert got["spans"] == 3 and got["spans_right"] == 2
    assert (got["one_word"], got["one_word_marked"]) == (2, 1)
    assert (got["stretches"], got["stretches_marked"]) == (4, 2)
    assert (got["original_spans"], got["original_words"]) == (1, 13)
    figures = bench.span_figures([row], rounds=20)
    assert figures["precision"].startswith("0.667 ")
    assert figures["spans_per_100_originals"].startswith("7.692 ")
    fewer = [*row[:8], 0, row[9]]  # the same pair with no span on the original
    diff = bench.span_differences([row], [fewer], rounds=20)
    assert diff["spans_per_100_originals"].startswith("-7.692 ")
    assert diff["precision"].startswith("+0.000 ")
