"""The spinners of unspin.generators: deterministic, rates respected, changes recorded."""

from __future__ import annotations

import pytest

from unspin.errors import ConfigError
from unspin.generators import SPINNERS, TYPO_KINDS, spin_by, typos
from unspin.generators.article_spinner import apply_replacements, content_words
from unspin.generators.lexicons import readings

TEXT = (
    "The company said profits rose sharply in the first quarter because demand for steel "
    "increased. Analysts expected a strong year, but the board warned of rising costs and "
    "weaker exports. The talks will take place in the capital next month, officials said, "
    "and the government hopes to reach an agreement on prices before the harvest begins."
)


def _available(name: str) -> bool:
    try:
        spin_by(name, "Prices rose.", 0.5, seed=0)
    except ConfigError:  # an optional resource of the spinners extra is missing
        return False
    return True


NAMES = [pytest.param(n, id=n) for n in SPINNERS]


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_text_and_other_seed_other_text(name: str) -> None:
    if not _available(name):
        pytest.skip(f"{name}: resource not installed")
    a = spin_by(name, TEXT, 0.2, seed=7)
    assert a == spin_by(name, TEXT, 0.2, seed=7)
    assert a.text != TEXT
    assert any(spin_by(name, TEXT, 0.2, seed=s).text != a.text for s in range(8, 12))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("rate", [0.1, 0.2, 0.4])
def test_replacements_rebuild_the_output_and_the_rate_holds(name: str, rate: float) -> None:
    if not _available(name):
        pytest.skip(f"{name}: resource not installed")
    spun = spin_by(name, TEXT, rate, seed=3)
    assert apply_replacements(TEXT, spun.replacements) == spun.text
    for r in spun.replacements:
        assert TEXT[r.source_start : r.source_end] == r.original
        assert spun.text[r.target_start : r.target_end] == r.replacement
        assert r.replacement.lower() != r.original.lower()
    if name == "typo":  # a rate of the words of four letters or more
        assert spun.achieved_rate == pytest.approx(rate, abs=0.02)
    else:  # a rate of the content words; a phrase counts once
        assert len(spun.replacements) == round(rate * len(content_words(TEXT)))


def test_phrase_spinner_swaps_phrases_and_function_words() -> None:
    kinds: set[str] = set()
    for seed in range(10):
        kinds.update(r.kind for r in spin_by("phrase", TEXT, 0.3, seed=seed).replacements)
    assert {"phrase", "function_word", "synonym"} <= kinds
    swaps = [r for s in range(10) for r in spin_by("phrase", TEXT, 0.3, seed=s).replacements]
    assert any(r.original == "take place" for r in swaps)


def test_lemma_spinners_keep_the_inflection() -> None:
    if not _available("wordnet"):
        pytest.skip("wn not installed")
    swaps = [r for s in range(20) for r in spin_by("wordnet", TEXT, 0.3, seed=s).replacements]
    # "warned" can only be read as a past tense: its swaps are past tenses too.
    past = [r for r in swaps if r.original == "warned"]
    assert past
    for r in past:
        tags = {tag for _, _, tag in readings(r.replacement.split()[0])}
        assert tags & {"VBD", "VBN"}, r.replacement


def test_typos_rates_and_kinds() -> None:
    for rate in (0.0, 0.05, 0.2, 0.5):
        spun = typos(TEXT, rate, seed=1)
        assert apply_replacements(TEXT, spun.replacements) == spun.text
        assert spun.achieved_rate == pytest.approx(rate, abs=0.02)
    digits = typos(TEXT, 0.5, seed=2, kinds=("digit",))
    assert digits.replacements
    for r in digits.replacements:
        assert r.kind == "typo_digit"
        assert sum(c.isdigit() for c in r.replacement) == 1
        assert r.replacement[0] == r.original[0] and r.replacement[-1] == r.original[-1]
    swapped = typos(TEXT, 0.5, seed=2, kinds=("swap",))
    for r in swapped.replacements:
        assert sorted(r.replacement) == sorted(r.original)
    seen = {r.kind for s in range(5) for r in typos(TEXT, 0.3, seed=s).replacements}
    assert seen == {f"typo_{k}" for k in TYPO_KINDS}


def test_bad_arguments_say_what_is_wrong() -> None:
    with pytest.raises(ConfigError, match="unknown spinner 'spinbot'"):
        spin_by("spinbot", TEXT, 0.1)
    with pytest.raises(ConfigError, match="rate must be between 0 and 1"):
        typos(TEXT, 1.5)
    with pytest.raises(ConfigError, match="typo kinds"):
        typos(TEXT, 0.1, kinds=("smudge",))


def test_labelled_examples_take_the_spinners_in_turn() -> None:
    from unspin.generators.spin_corpus import labelled

    texts = [TEXT, TEXT.replace("steel", "copper"), TEXT.replace("capital", "city")]
    mixed = labelled(texts, seed=5, spinners=("phrase", "typo"))
    assert mixed == labelled(texts, seed=5, spinners=("phrase", "typo"))
    assert [label for _, label in mixed] == [0, 1, 0, 1, 0, 1]
    assert [t for t, _ in mixed[::2]] == texts
    # Text 1 went to the typo spinner: only typos, no word swapped for another word.
    typo_text = mixed[3][0]
    assert typo_text != texts[1]
    assert len(typo_text.split()) == len(texts[1].split())
    # Without spinners the Moby spinner spins, as the Moby-only models were trained.
    assert labelled(texts, seed=5)[1][0] != mixed[1][0]
