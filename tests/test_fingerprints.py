from unspin.fingerprints import content_pairs, fingerprint, function_ngrams
from unspin.text import tokenize

TEXT = (
    "The central bank raised interest rates by half a point on Tuesday, and said it would "
    "act again if inflation did not fall in the coming months."
)
SPUN = (
    "The focal bank elevated interest charges by half a point on Tuesday, and stated it would "
    "behave again if inflation did not drop in the forthcoming months."
)


def test_function_ngrams_survive_synonym_swaps() -> None:
    a = set(function_ngrams(tokenize(TEXT), 6))
    b = set(function_ngrams(tokenize(SPUN), 6))
    assert a and a == b


def test_content_pairs_are_unordered() -> None:
    assert content_pairs(tokenize("rates raised")) == content_pairs(tokenize("raised rates"))


def test_fingerprint_is_stable_and_shared_by_spun_copy() -> None:
    fa, fb = fingerprint(TEXT), fingerprint(SPUN)
    assert fa == fingerprint(TEXT)  # deterministic across calls (no randomised hash())
    assert len(fa & fb) >= 5
    assert len(fa & fingerprint("Completely unrelated words about gardening tomatoes.")) == 0
