from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from unspin.attribution import Attribution, Candidate
from unspin.errors import InputError
from unspin.fingerprints import fingerprint
from unspin.store import Store
from unspin.trace import TraceConfig, compare, trace
from unspin.types import Document, Span

A = (
    "The central bank raised interest rates by half a point on Tuesday. Officials said the move "
    "was needed to curb inflation, which reached eight percent last month. Markets fell sharply "
    "after the announcement, with the main index losing three percent."
)
B = (
    "Heavy rain flooded the northern province for a third day, forcing thousands of families to "
    "leave their homes. Rescue teams used boats to reach villages cut off by the water. The "
    "weather service warned that more storms would arrive over the weekend."
)
C = (
    "A new museum of modern sculpture opened in the old harbour district, drawing long queues of "
    "visitors. The building was designed by a local architect and cost twelve million to build. "
    "Critics praised the light-filled galleries and the views across the bay."
)
CFG = TraceConfig(label_edits=False, score_unsourced=False)
# A spin of A written in SpinBot's manner: every second content word swapped ("raised" ->
# "hiked", "main" -> "primary"), so no pair of adjacent content words the store indexes
# survives, and a few function words changed, so no run of six function words does.
SPUN_A = (
    "The national bank hiked interest charges by half a mark this Tuesday. Authorities said "
    "that this move had been required to curb expansion, which reached 8 percent the previous "
    "month. Business sectors fell strongly following the announcement, as the primary index "
    "was shedding three points."
)


def _attribute(
    article: str, texts: dict[int, str], cands: list[Candidate], **flags: Any
) -> Attribution:
    """Attribution of ``article`` among ``cands`` (sources ``texts``), at trace's alignment
    settings, the 0.6 reporting floor and ``AttributionConfig(**flags)``."""
    from unspin.align import prepare
    from unspin.attribution import AttributionConfig, attribute

    cfg = TraceConfig().align
    prepared = {k: prepare(t, cfg) for k, t in texts.items()}
    config = AttributionConfig(**flags)
    return attribute(cands, prepare(article, cfg), prepared, texts, len(article), 0.6, config)


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "t.db")
    s.add_batch(
        [(Document(text=t, id=i), fingerprint(t)) for i, t in (("a", A), ("b", B), ("c", C))]
    )
    return s


def test_trace_finds_both_sources_of_a_composite(store: Store) -> None:
    article = A + "\n\n" + B
    r = trace(article, store, CFG)
    ids = [s.document.id for s in r.sources]
    assert set(ids[:2]) == {"a", "b"}
    assert r.covered > 0.9
    for s in r.sources:
        for p in s.passages:
            assert 0 <= p.target_start < p.target_end <= len(article)
    # The map labels every character: sourced stretches and "no source" ones.
    assert r.segments[0].start == 0 and r.segments[-1].end == len(article)


@pytest.mark.parametrize(("key", "seed"), [("a", 7), ("b", 3), ("c", 2)])
def test_a_paragraph_spun_whole_with_thesaurus_synonyms_is_traced_to_its_source(
    store: Store, key: str, seed: int
) -> None:
    # Six in ten content words swapped for Moby synonyms (the spinner's own thesaurus call):
    # the spun sentences keep a plain cosine of 0.05-0.2 with the originals, under news's
    # synonym floor, and trace found no source at all (main before trace36: sources == ()).
    # The news-pair look at the best-voted candidates aligns the paragraph whole.
    from unspin.generators.article_spinner import spin

    original = {"a": A, "b": B, "c": C}[key]
    spun = spin(original, 0.6, seed)
    assert spun.achieved_rate >= 0.5
    r = trace(spun.text, store, CFG)
    assert [s.document.id for s in r.sources] == [key]  # the other two stay out
    assert r.sources[0].coverage > 0.9
    assert sum(s.end - s.start for s in r.segments if s.source_key is None) < 0.1 * len(spun.text)
    # ... and with the look off, as before.
    assert trace(spun.text, store, replace(CFG, pair_look=None)).sources == ()


def test_a_paragraph_with_every_stored_word_pair_spun_is_traced_through_its_likely_originals(
    store: Store,
) -> None:
    # SPUN_A (above): the first query shares no feature with any stored text (main before retrieve37: no
    # candidate, no source); the second query reads each word's likely originals.
    spun = SPUN_A
    r = trace(spun, store, CFG)
    assert [s.document.id for s in r.sources] == ["a"]
    assert r.sources[0].coverage > 0.9
    off = replace(CFG, retrieval=replace(CFG.retrieval, originals_below=None))
    assert trace(spun, store, off).sources == ()


def test_a_paragraph_spun_whole_between_others_is_traced_through_a_query_of_its_stretch(
    store: Store,
) -> None:
    # The same spin of A between B and C: the whole article's vote finds B and C, so it never
    # asked again, and A's paragraph stayed "no source" (main before retrieve37, and with
    # ``stretch_query_chars=None``); the stretch the first pass leaves unexplained is queried
    # on its own, its second query finds A, and the news-pair look aligns it.
    article = B + "\n\n" + SPUN_A + "\n\n" + C
    r = trace(article, store, CFG)
    assert sorted(s.document.id for s in r.sources) == ["a", "b", "c"]
    at = article.index(SPUN_A)
    a = next(s for s in r.sources if s.document.id == "a")
    owned = sum(max(0, min(g.end, at + len(SPUN_A)) - max(g.start, at)) for g in a.owned)
    assert owned > 0.9 * len(SPUN_A)
    off = trace(article, store, replace(CFG, stretch_query_chars=None))
    assert sorted(s.document.id for s in off.sources) == ["b", "c"]


def test_a_trace_asks_the_store_about_each_features_frequency_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The article's vote, its stretch's query (the case above) and the second pass's
    # stretches read overlapping features: each feature's document frequency is read once a
    # trace, and the trace is the same.
    article = B + "\n\n" + SPUN_A + "\n\n" + C
    before = trace(article, store, CFG)
    asked: list[int] = []
    real = Store.document_frequencies

    def spy(self: Store, features: Any) -> dict[int, int]:
        asked.extend(features)
        return real(self, features)

    monkeypatch.setattr(Store, "document_frequencies", spy)
    again = trace(article, store, CFG)
    assert (again.sources, again.segments) == (before.sources, before.segments)
    assert len(asked) == len(set(asked)) > 0


@pytest.mark.parametrize(("key", "rate", "seed"), [("a", 0.7, 10), ("b", 0.8, 0), ("c", 0.8, 3)])
def test_a_one_paragraph_article_keeps_the_passage_verifiers_verdict_in_the_news_pair_look(
    store: Store, key: str, rate: float, seed: int
) -> None:
    # Spun harder: the look aligns the paragraph, but trace's verifier, reading how rare the
    # shared words are among the article's three units, rejected the passage (no source);
    # the passage verifier's probability stands for such a short article.
    from unspin.generators.article_spinner import spin

    spun = spin({"a": A, "b": B, "c": C}[key], rate, seed).text
    r = trace(spun, store, CFG)
    assert [s.document.id for s in r.sources] == [key]
    assert r.sources[0].coverage > 0.6
    assert trace(spun, store, replace(CFG, pair_look_short_units=0)).sources == ()


@pytest.mark.parametrize(("key", "seed"), [("b", 11), ("b", 17), ("c", 23)])
def test_the_news_pair_looks_verdict_stands_on_the_passage_the_first_pass_found(
    store: Store, key: str, seed: int
) -> None:
    # The first pass aligns the spun paragraph whole and its verifier rejects it; the look
    # aligns the very same passage (same offsets, same score) and accepts it, but its verdict
    # was dropped because the passage was already known: no source (main before align37).
    from unspin.generators.article_spinner import spin

    spun = spin({"b": B, "c": C}[key], 0.6, seed).text
    r = trace(spun, store, CFG)
    assert [s.document.id for s in r.sources] == [key]
    assert r.sources[0].coverage > 0.7
    assert trace(spun, store, replace(CFG, pair_look=None)).sources == ()


def test_the_short_article_verdict_does_not_overrule_the_first_pass_on_its_own_passage(
    store: Store,
) -> None:
    # The look's passage is the first pass's, accepted only by the passage verifier's verdict
    # of a short article (trace's verifier 0.46 there): the first pass's rejection stands, as
    # for a story of the same event (benchmarks 12.30).
    from unspin.generators.article_spinner import spin

    assert trace(spin(B, 0.6, 12).text, store, CFG).sources == ()


@pytest.mark.parametrize("seed", [3, 5, 7])
def test_an_article_of_three_paragraphs_spun_whole_is_traced_to_all_three_sources(
    store: Store, seed: int
) -> None:
    # The look goes past the two best-voted candidates while its alignments stay small (a
    # short article): three paragraphs spun 70%, three sources; with the look at two
    # candidates only, one source was missed (and on main, before the look, more).
    from unspin.generators.article_spinner import spin

    article = "\n\n".join(spin(t, 0.7, seed + k).text for k, t in enumerate((A, B, C)))
    r = trace(article, store, CFG)
    assert sorted(s.document.id for s in r.sources) == ["a", "b", "c"]
    assert r.covered > 0.85
    assert len(trace(article, store, replace(CFG, pair_look_candidates=2)).sources) == 2


def test_unrelated_article_has_no_source(store: Store) -> None:
    r = trace(
        "Penguins waddle across the ice while seals bask in the pale polar sun. " * 3, store, CFG
    )
    assert r.sources == ()
    assert [s.source_key for s in r.segments] == [None]


def test_empty_article_is_an_input_error(store: Store) -> None:
    with pytest.raises(InputError, match="empty"):
        trace("   ", store, CFG)


def test_compare_aligns_and_reports_coverage() -> None:
    r = compare(A, "Intro words here. " + A, config=CFG)
    assert len(r.sources) == 1
    assert r.sources[0].coverage > 0.8


def test_top_cut_keeps_every_source_that_alone_explains_a_passage(store: Store) -> None:
    """``top`` orders the report; it does not erase a passage's source from the map."""
    article = A + "\n\n" + B + "\n\n" + C
    r = trace(article, store, TraceConfig(label_edits=False, score_unsourced=False, top=1))
    assert {m.document.id for m in r.sources} == {"a", "b", "c"}
    assert not [s for s in r.segments if s.source_key is None and s.end - s.start > 40]
    # A source that explains nothing new is still cut.
    twice = Store(store.path)
    twice.add_batch([(Document(text=A + " ", id="a2"), fingerprint(A + " "))])
    r = trace(A, twice, TraceConfig(label_edits=False, score_unsourced=False, top=1))
    assert len(r.sources) == 1


def test_diversify_does_not_let_a_stretched_passage_hide_a_spliced_source() -> None:
    """Source A's passage stretches over sentences spliced in from B; an identical twin of A
    follows it. B owns its sentences, so it comes second; without owners it would not."""
    from unspin.ranking import Found
    from unspin.trace import _diversify
    from unspin.types import Passage

    a = Found(1, 9.0, 1.0, [Passage(0, 100, 0, 100, 0.9)])
    twin = Found(2, 8.0, 1.0, [Passage(0, 100, 0, 100, 0.9)])
    b = Found(3, 5.0, 0.3, [Passage(0, 30, 40, 70, 0.9)])
    units = [(0, 40), (40, 70), (70, 100)]
    owned = _diversify([a, twin, b], 100, 0.03, units, {1: {3}})
    assert [f.key for f in owned] == [1, 3, 2]
    assert [f.key for f in _diversify([a, twin, b], 100, 0.03)] == [1, 2, 3]


def _contested_sims_plain(holders, tgt, prepared):  # type: ignore[no-untyped-def]
    """The straightforward version: every sentence pair through ``counter_cosine``."""
    from unspin.align import counter_cosine

    out = {}
    for j, (u0, u1) in enumerate(tgt.spans):
        over = [
            (k, p) for k, ps in holders for p in ps if p.target_start < u1 and u0 < p.target_end
        ]
        if len({k for k, _ in over}) < 2:
            continue
        sims: dict[int, float] = {}
        for key, p in over:
            src = prepared.get(key)
            if src is None:
                continue
            for i, (v0, v1) in enumerate(src.spans):
                if v0 < p.source_end and p.source_start < v1:
                    sim = counter_cosine(tgt.terms[j], src.terms[i])
                    sims[key] = max(sims.get(key, 0.0), sim)
        if sims:
            out[j] = sims
    return out


def test_contested_sims_equal_the_pairwise_cosines_bit_for_bit() -> None:
    """The word-indexed version visits only sentence pairs sharing a word; it must give the
    very same floats as computing every pair."""
    import random

    from unspin.align import prepare
    from unspin.generators.article_spinner import noise, spin, splice
    from unspin.trace import _contested_sims
    from unspin.types import Passage

    a, b = A, B
    article = spin(splice(a, b, seed=1).text, 0.3, seed=2).text
    tgt = prepare(article)
    sources = {1: a, 2: b, 3: noise(a, 0.1, seed=3).text, 4: spin(b, 0.5, seed=4).text, 5: ""}
    prepared = {k: prepare(t) for k, t in sources.items() if k != 5}
    rng = random.Random(7)
    contested = 0
    for _ in range(40):
        holders = []
        for key in rng.sample(sorted(sources), 4):
            n = len(sources[key]) or 1
            passages = []
            for _ in range(rng.randint(1, 3)):
                s0, t0 = rng.randrange(n), rng.randrange(len(article))
                s1 = min(n, s0 + rng.randint(1, 600))
                t1 = min(len(article), t0 + rng.randint(1, 900))
                passages.append(Passage(s0, s1, t0, t1, 0.5))
            holders.append((key, passages))
        got = _contested_sims(holders, tgt, prepared)
        assert got == _contested_sims_plain(holders, tgt, prepared)
        contested += sum(v > 0 for sims in got.values() for v in sims.values())
    assert contested > 50  # the sample does exercise similar contested sentences


def test_unsourced_stretches_are_scored_with_the_chosen_spin_model(store: Store) -> None:
    from unspin.spinscore.score import spin_probability

    filler = (
        "Penguins waddle across the ice while seals bask in the pale polar sun, and the keepers "
        "of the station count them every morning before the long supply flight arrives. "
    ) * 3
    article = A + "\n\n" + filler
    r = trace(article, store, TraceConfig(label_edits=False))
    scored = [s for s in r.segments if s.source_key is None and s.spin is not None]
    assert scored, "the long unsourced stretch is scored"
    for s in scored:
        assert s.spin == round(spin_probability(article[s.start : s.end], "lexical"), 4)


def test_second_pass_sources_are_prepared_once_for_both_passes() -> None:
    from unspin.trace import _same_units

    cfg = TraceConfig()
    assert cfg.second_pass is not None
    # The second pass reuses the first pass's prepared sources only because both cut texts
    # into the same units; a config that cuts differently must be prepared again.
    assert _same_units(cfg.align, cfg.second_pass)
    assert not _same_units(cfg.align, replace(cfg.second_pass, max_unit_chars=120))


def _attribution_store(tmp_path: Path, docs: list[tuple[str, str]]) -> Store:
    s = Store(tmp_path / "attr.db")
    s.add_batch([(Document(text=t, id=i), fingerprint(t)) for i, t in docs])
    return s


def test_a_word_for_word_reprint_under_another_id_is_also_in(tmp_path: Path) -> None:
    """Two outlets with the same text are two documents (one text): trace lists the first and
    names the reprint under it, so neither is lost nor listed as a rival."""
    from unspin.generators.article_spinner import spin

    store = Store(tmp_path / "reprint.db")
    store.add_batch(
        [
            (Document(text=A, id="wire", url="https://wire.example/a"), fingerprint(A)),
            (Document(text=A, id="blog", url="https://blog.example/a"), fingerprint(A)),
            (Document(text=B, id="b"), fingerprint(B)),
        ]
    )
    r = trace(spin(A, 0.2, 1).text, store, TraceConfig(score_unsourced=False))
    assert [s.document.id for s in r.sources] == ["wire"]
    assert [c.id for c in r.sources[0].copies] == ["blog"]


def test_copies_are_also_in_and_rewrites_are_related_coverage(tmp_path: Path) -> None:
    """A reprint of the source (one word changed) is grouped under it; a rewrite of the same
    story in other words is related coverage, never a source, and has no edits."""
    from unspin.generators.article_spinner import spin

    reprint = A.replace("Tuesday", "Tuesday morning")
    rewrite = spin(A, 0.6, 5, spin_names=True).text
    store = _attribution_store(
        tmp_path, [("a", A), ("reprint", reprint), ("rewrite", rewrite), ("b", B), ("c", C)]
    )
    article = spin(A, 0.2, 1).text
    r = trace(article, store, TraceConfig(score_unsourced=False))
    assert [s.document.id for s in r.sources] == ["a"]
    assert [c.id for c in r.sources[0].copies] == ["reprint"]
    assert "rewrite" in [x.document.id for x in r.related]
    # What the source owns is what its coverage counts, and the map says the same.
    owned = sum(len(s) for s in r.sources[0].owned)
    assert r.sources[0].coverage == round(owned / len(article), 4)
    assert {g.source_key for g in r.segments} <= {r.sources[0].document.key, None}


def test_a_sentence_is_never_credited_to_a_source_that_lacks_it() -> None:
    """A passage that stretches over an inserted sentence does not make its source own it."""
    from unspin.types import Passage

    inserted = "Completely unrelated words about volcanic islands appear here today."
    first, rest = A.split(". ", 1)
    article = f"{first}. {inserted} {rest}"
    att = _attribute(
        article, {1: A}, [Candidate(1, (Passage(0, len(A), 0, len(article), 0.8),), (None,))]
    )
    (owner,) = att.owners
    i0 = article.index(inserted)
    assert not any(s.start < i0 + len(inserted) and i0 < s.end for s in owner.owned)
    assert sum(len(s) for s in owner.owned) > 0.6 * len(A)


def test_a_lower_ranked_source_owns_only_what_it_explains_clearly_better() -> None:
    """Two candidates cover the article: the first-ranked owns what both explain alike; the
    second owns the sentence only it contains."""
    from unspin.types import Passage

    twin = A.replace("sharply", "steeply")
    article = A + " " + B
    cands = [
        Candidate(1, (Passage(0, len(A), 0, len(article), 0.7),), (None,)),
        Candidate(2, (Passage(0, len(twin), 0, len(A), 0.9),), (None,)),
        Candidate(3, (Passage(0, len(B), len(A) + 1, len(article), 0.9),), (None,)),
    ]
    att = _attribute(article, {1: A, 2: twin, 3: B}, cands)
    assert [o.key for o in att.owners] == [1, 3]
    assert att.owners[1].owned[0].start >= len(A)
    assert att.copies == {1: (2,)}


def test_a_rewrite_cut_like_the_article_does_not_outbid_the_whole_original_sentence() -> None:
    """An article sentence over ``max_unit_chars`` is cut at a line break; a rewrite cut at
    the same place matches the last piece better than the original, which holds the sentence
    in one unit (0.85 against 0.68 piece by piece). Ownership compares whole sentences, so
    the original owns all of it and the rewrite is related coverage."""
    from unspin.align import prepare
    from unspin.attribution import whole_sentences
    from unspin.types import Passage, Span

    cfg = TraceConfig().align
    original = (
        "Apart from the chance of central bank buying in the\ncoming weeks, the only other "
        "bright spot is the lower harvest\nforecast for the southern coffee crop, which was "
        "cut\nto 1.5/2.0 mln bags from 2.0/2.5 previously and compared with\nearly hopes of "
        "up to three mln bags."
    )
    article = (
        "Aside from the odds of national treasury purchasing within the\nforthcoming period, "
        "the sole remaining encouraging indicator\nhappens to be the reduced yield projection "
        "for the southerly coffee harvest, which had been trimmed\nto 1.5/2.0 mln sacks from "
        "2.0/2.5 previously and compared with\ninitial hopes of up to three mln sacks."
    )
    rewrite = (
        "Leaving aside the likelihood of monetary authority acquisitions during the\nupcoming "
        "days, the single additional optimistic signal\nturns out to be the diminished output "
        "estimate regarding the meridional coffee yield, which got slashed\nto 1.5/2.0 mln "
        "pouches from 2.0/2.5 previously and compared with\nfirst hopes of up to three mln "
        "pouches."
    )
    tgt = prepare(article, cfg)
    prepared = {1: prepare(original, cfg), 2: prepare(rewrite, cfg)}
    # The shape of the case: article and rewrite cut in two, the original whole.
    assert [len(p.spans) for p in (tgt, prepared[1], prepared[2])] == [2, 1, 2]
    assert len(whole_sentences(tgt).spans) == 1
    cands = [
        Candidate(1, (Passage(0, len(original), 0, len(article), 0.7),), (None,)),
        Candidate(2, (Passage(0, len(rewrite), 0, len(article), 0.6),), (None,)),
    ]
    att = _attribute(article, {1: original, 2: rewrite}, cands)
    assert [(o.key, o.owned) for o in att.owners] == [(1, (Span(0, len(article)),))]
    assert [k for k, _ in att.related] == [2]


def _short_sentence_case(original_reach: int) -> tuple[list[int], list[int]]:
    """Owners and related coverage when the article ends with a short sentence whose one
    spun word ("employs" -> "activities") a rewrite happens to share ("active use"); the
    original's passage covers the article up to ``original_reach``."""
    from unspin.types import Passage

    original = A + " The unit employs some 40,000 people."
    article = A + " The unit activities some 40,000 people."
    rewrite = B + " The unit active use some 40,000 people."
    reach = min(original_reach, len(article))
    cands = [
        Candidate(1, (Passage(0, min(reach, len(original)), 0, reach, 0.9),), (None,)),
        Candidate(2, (Passage(len(B) + 1, len(rewrite), len(A) + 1, len(article), 0.6),), (None,)),
    ]
    # Piece by piece the rewrite is well over the margin: 4 of 5 words against 3 of 4.
    att = _attribute(article, {1: original, 2: rewrite}, cands)
    return [o.key for o in att.owners], [k for k, _ in att.related]


def test_one_shared_synonym_pick_does_not_make_a_rewrite_own_a_short_sentence() -> None:
    """0.89 against 0.75 cosine is over the 0.1 margin, but all of it is one word the
    rewrite shares with the article and the original lacks (a synonym pick): without it the
    rewrite leads by nothing."""
    owners, related = _short_sentence_case(len(A) + 100)
    assert owners == [1] and related == [2]


def test_a_rewrite_does_not_own_the_sentence_just_past_the_originals_passage() -> None:
    """The original's passage stops one sentence short (alignment missed a heavily spun
    sentence); its next sentence explains it as well as the rewrite's, so the rewrite takes
    nothing and the stretch stays unsourced."""
    owners, related = _short_sentence_case(len(A))
    assert owners == [1] and related == [2]


def test_passages_the_verifier_rejects_own_nothing() -> None:
    """A long passage with a low reuse probability (a same-topic echo) owns nothing and goes to
    related coverage; a short one is outside the verifier's domain and keeps its verdict."""
    from unspin.align import prepare
    from unspin.attribution import AttributionConfig, attribute
    from unspin.types import Passage

    cfg = TraceConfig().align
    tgt = prepare(A, cfg)
    whole = Passage(0, len(A), 0, len(A), 0.5)
    args = (tgt, {1: prepare(A, cfg)}, {1: A}, len(A), 0.6, AttributionConfig())
    att = attribute([Candidate(1, (whole,), (0.2,))], *args)
    assert att.owners == () and [k for k, _ in att.related] == [1]
    att = attribute([Candidate(1, (whole,), (0.9,))], *args)
    assert [o.key for o in att.owners] == [1]
    short = Passage(0, 66, 0, 66, 0.5)  # one sentence: under the verifier's 100/150 chars
    att = attribute([Candidate(1, (short,), (0.2,))], *args)
    assert [o.key for o in att.owners] == [1]


def test_edits_are_kept_only_inside_owned_stretches() -> None:
    from unspin.attribution import owned_edits_only
    from unspin.types import Edit, Passage, Span

    inside = Edit("number_change", 5, 7, 5, 7, "12", "21", distortion=True)
    outside = Edit("entity_change", 50, 60, 80, 90, "Biden said", "Vladimir P", distortion=True)
    gap = Edit("negation", 20, 24, 30, 30, "not ", "", distortion=True)  # a deletion at 30
    p = Passage(0, 100, 0, 100, 0.9, (inside, outside, gap))
    kept = owned_edits_only(p, (Span(0, 30),))
    assert kept.edits == (inside, gap)


def test_a_short_sentence_against_a_long_stretch_is_judged_by_the_verifier() -> None:
    from unspin.attribution import verified
    from unspin.types import Passage

    echo = Passage(0, 41, 0, 300, 0.3)  # 41 source characters against 300 of the article
    assert verified(Candidate(1, (echo,), (0.1,)), 0.6) == []
    assert verified(Candidate(1, (echo,), (0.9,)), 0.6) == [echo]
    splice = Passage(0, 120, 0, 110, 0.6)  # one spliced sentence: outside the domain, kept
    assert verified(Candidate(1, (splice,), (0.1,)), 0.6, 0.45) == [splice]
    # ... when it is as similar as a one-seed passage must be; a short topical echo is not.
    weak = Passage(0, 120, 0, 140, 0.26)
    assert verified(Candidate(1, (weak,), (0.9,)), 0.6, 0.45) == []


def test_trace_stages_say_what_each_stage_kept(store: Store) -> None:
    """trace_stages returns trace's own result plus what it aligned, found and owned: every
    listed source was aligned, its listed passages are among those found and it owns them."""
    from unspin.trace import trace_stages

    article = A + "\n\n" + B
    stages = trace_stages(article, store, CFG)
    assert stages.result.sources == trace(article, store, CFG).sources
    owners = {o.key: o for o in stages.attribution.owners}
    assert stages.result.sources
    for s in stages.result.sources:
        assert s.document.key in stages.aligned
        assert set(s.passages) <= set(stages.passages[s.document.key])
        assert all((s.document.key, p) in stages.reuse for p in s.passages)
        assert owners[s.document.key].owned == s.owned


def test_a_rejected_passage_is_judged_again_with_the_pan_settings() -> None:
    """A passage the verifier rejected under trace's seeds gets the probability PAN
    evaluation gives the same reuse (the verifier's own settings); one over article text the
    source does not hold keeps its rejection."""
    from unspin.align import AlignConfig, prepare
    from unspin.trace import _rejudged
    from unspin.types import Passage

    pan = AlignConfig()
    own = (
        "Penguins waddle across the ice while seals bask in the pale polar sun. A research "
        "station counts the colonies every spring from a small red boat. The counts have fallen "
        "for a decade, and the scientists blame the shrinking sea ice."
    )
    source = A + " " + C
    article = A + " " + own
    src, tgt = prepare(source, pan), prepare(article, pan)
    reused = Passage(0, len(A), 0, len(A), 0.9)
    t0 = article.index(own)
    unsourced = Passage(len(A) + 1, len(source), t0, len(article), 0.5)
    out = dict(_rejudged(src, tgt, [(reused, 0.0), (unsourced, 0.0)], 0.6, 5000, pan))
    assert out[reused] >= 0.6
    assert out[unsourced] == 0.0


def test_reuse_found_inside_a_longer_rejected_passage_counts_on_its_own() -> None:
    """A rejected passage that looser seeds stretched over text around the reuse keeps its
    rejection, and the reuse the PAN settings find inside it comes back as a passage of its
    own with the verifier's probability."""
    from unspin.align import AlignConfig, prepare
    from unspin.trace import _rejudged
    from unspin.types import Passage

    pan = AlignConfig()
    own = (
        "Penguins waddle across the ice while seals bask in the pale polar sun. A research "
        "station counts the colonies every spring from a small red boat. The counts have fallen "
        "for a decade, and the scientists blame the shrinking sea ice. Visitors may watch from "
        "a wooden platform above the beach, and a guide explains how the birds raise chicks."
    )
    source = A + " " + C
    article = own + " " + A
    src, tgt = prepare(source, pan), prepare(article, pan)
    stretched = Passage(0, len(source), 0, len(article), 0.5)
    out = _rejudged(src, tgt, [(stretched, 0.0)], 0.6, 5000, pan)
    assert out[0] == (stretched, 0.0)
    inside = [(p, prob) for p, prob in out[1:] if prob >= 0.6]
    assert inside, out
    p = inside[0][0]
    assert article[p.target_start : p.target_end].strip() == A


def _owner_of_first_sentence(page: str, original: str, **flags: bool) -> list[int]:
    """Owners of the article's first sentence when a better-ranked source (``page``) holds it
    through a short passage the verifier cannot judge and another (``original``) through a
    long passage it accepted."""
    from unspin.types import Passage

    first = A.split(". ")[0] + "."
    cands = [
        Candidate(1, (Passage(0, len(page), 0, len(first), 0.6),), (0.001,)),
        Candidate(2, (Passage(0, len(original), 0, len(A), 0.8),), (0.9,)),
    ]
    att = _attribute(A, {1: page, 2: original}, cands, **flags)
    return [o.key for o in att.owners if any(s.start < len(first) for s in o.owned)]


def test_a_verified_passage_owns_before_a_short_unjudged_one() -> None:
    first = A.split(". ")[0] + "."
    # Both one word away from the sentence: the better-ranked short one would own it.
    page, original = first.replace("Tuesday", "Monday"), A.replace("Tuesday", "Friday")
    assert _owner_of_first_sentence(page, original, verified_first=False) == [1]
    assert _owner_of_first_sentence(page, original) == [2]
    # The verified one leads by more than the margin (1.0 against 0.87), but without the one
    # word the short one lacks that weighs most, by nothing: the short one would own it.
    page = first.replace(" interest", "").replace(" half", "")
    assert _owner_of_first_sentence(page, A, verified_first=False) == [1]
    assert _owner_of_first_sentence(page, A) == [2]


def _owners_of_spliced_sentence(**flags: bool) -> list[int]:
    """Owners of a short sentence after the stretch a better-ranked source explains (its
    passage ends just before it, and its next sentence shares nothing with it), at the start
    of a passage of another source that the verifier accepted, which holds it through one
    shared word."""
    from unspin.types import Passage

    spliced = "Stock markets fell in Asia."
    rest = (
        "Penguins waddle across the ice while seals bask in the pale polar sun. A research "
        "station counts the colonies every spring from a small red boat. The counts have fallen "
        "for a decade, and the scientists blame the shrinking sea ice."
    )
    article = B + " " + spliced + " " + rest
    first = B + " " + C  # the passage covers B; C is the sentence just past it
    other = "Markets rose sharply across the region today. " + rest
    cands = [
        Candidate(1, (Passage(0, len(B), 0, len(B), 0.9),), (0.99,)),
        Candidate(2, (Passage(0, len(other), len(B) + 1, len(article), 0.6),), (0.9,)),
    ]
    att = _attribute(article, {1: first, 2: other}, cands, **flags)
    s0 = len(B) + 1
    return [
        o.key
        for o in att.owners
        if any(s.start < s0 + len(spliced) and s0 < s.end for s in o.owned)
    ]


def test_a_source_that_holds_nothing_like_a_sentence_does_not_keep_others_from_it() -> None:
    """Under the floor a source does not hold the sentence at all: where an accepted passage
    covers it, that passage's source owns it; without the rule the first source's empty
    edge keeps it unsourced."""
    assert _owners_of_spliced_sentence(verified_first=False) == []
    assert _owners_of_spliced_sentence() == [2]


def test_trace_records_what_its_verifier_read(store: Store) -> None:
    """Every passage trace's verifier judged carries the features it read (what
    scripts/train_trace_verifier.py learns from), and the PAN-settings probability of one
    judged again."""
    from unspin.trace import trace_stages
    from unspin.verifier import TRACE_FEATURES

    stages = trace_stages(A + "\n\n" + B, store, CFG)
    judged = [e for e in stages.evidence.values() if e[0] is not None]
    assert judged and all(len(e[0]) == len(TRACE_FEATURES) for e in judged)
    assert set(stages.evidence) <= set(stages.reuse)


def test_summaries_and_long_article_sides_keep_the_passage_verdict() -> None:
    """Trace's verifier learnt few summaries and, of article stretches far longer than their
    source side, nearly only echoes: there the passage verifier's probability stands when
    higher; elsewhere trace's own decides."""
    from unspin.trace import _keeps_passage_verdict
    from unspin.types import Passage
    from unspin.verifier import FEATURES, TRACE_FEATURES

    plain = [0.0] * len(TRACE_FEATURES)
    summary = list(plain)
    summary[FEATURES.index("summary")] = 1.0
    even = Passage(0, 400, 0, 400, 0.5)
    long_article_side = Passage(0, 120, 0, 800, 0.5)
    long_source_side = Passage(0, 800, 0, 120, 0.5)
    assert not _keeps_passage_verdict(even, plain)
    assert _keeps_passage_verdict(even, summary)
    assert _keeps_passage_verdict(long_article_side, plain)
    assert not _keeps_passage_verdict(long_source_side, plain)


def _owners_of_a_sentence_of_two_sources(**flags: bool) -> dict[int, list[tuple[int, int]]]:
    """What each source owns of an article sentence that runs one source's paragraph into
    another's with no full stop between them (as PAN's articles and pages built of lists
    do), each side covered by a passage the verifier accepted."""
    from unspin.align import prepare
    from unspin.types import Passage

    cfg = TraceConfig().align
    gauntlets = (
        "Flame design gauntlets start at fifty five dollars and no two pairs will be exactly "
        "the same while flame design arm bands start at thirty five dollars for male or female"
    )
    fire = (
        "the popular atmospheric fire called the scenic slim line is now available in a larger "
        "version with glass on three sides where the heat output plays an important part"
    )
    article = gauntlets + " " + fire + "."
    cut = len(gauntlets)
    tgt = prepare(article, cfg)
    assert len(tgt.spans) == 1  # one sentence
    cands = [
        Candidate(1, (Passage(0, len(fire), cut + 1, len(article) - 1, 0.9),), (0.99,)),
        Candidate(2, (Passage(0, len(gauntlets), 0, cut, 0.9),), (0.99,)),
    ]
    att = _attribute(article, {1: fire + ".", 2: gauntlets + "."}, cands, **flags)
    return {o.key: [(s.start, s.end) for s in o.owned] for o in att.owners}


def test_a_sentence_holding_two_sources_reuse_is_shared_between_them() -> None:
    """The sentence goes to one owner; the stretch its passage leaves uncovered goes to the
    source whose accepted passage covers it, instead of to no one."""
    before = _owners_of_a_sentence_of_two_sources(split_sentences=False)
    assert len(before) == 1
    assert _owners_of_a_sentence_of_two_sources() == {**before, 2: [(0, 169)]}


# A long source sentence of which a randomly obfuscated article reuses a part in one sentence:
# one seed, below the first pass's single-seed cosine (PAN 03 cuts and joins sentences so).
# Its long sentence has semicolons, not commas: the aligner cuts a long unit at commas, and
# the tests below need one long source sentence that reuse of part of it meets in one seed.
HARBOUR = (
    "Lighthouse keepers on the northern coast kept their lamps burning through every winter "
    "storm. In regard to the harbour; the old council of merchants granted mutual protection "
    "to every fishing crew; whatever boats they sailed; and the elders of all villages have "
    "always praised this custom by word and by example; and it is now widely agreed among "
    "sailors that this spirit of protection in the fullest measure consistent with the safety "
    "of the port is the true mark of a harbour town; so much that the historian Allen wrote "
    "whole chapters about the custom; its origins; its slow decline under the new customs "
    "officers; the quarrels of the guilds; the famine winters and the grand festival. The "
    "museum keeps his notes."
)
HARBOUR_REUSED = (
    "In regard to the harbour, reciprocal protection in the same crews thence, is what wholly "
    "good elders in all villages have always praised; by word and example: And it is now "
    "generally agreed among sailors that this soul of protection in the degree. "
)
PENGUINS = (
    "Penguins waddle across the ice while seals bask in the pale polar sun. A research station "
    "counts the colonies every spring from a small red boat. "
)


def test_one_seed_alignment_finds_a_scrambled_part_of_one_long_sentence() -> None:
    from unspin.align import candidate_passages, prepare
    from unspin.align.profiles import NEWS, NEWS_ONE_SEED

    article = PENGUINS + HARBOUR_REUSED
    for cfg, found in ((NEWS.config, False), (NEWS_ONE_SEED.config, True)):
        passages = candidate_passages(prepare(HARBOUR, cfg), prepare(article, cfg), cfg)
        assert any(p.target_start <= len(PENGUINS) < p.target_end for p, _ in passages) is found


def test_the_second_pass_aligns_unexplained_stretches_on_one_seed(tmp_path: Path) -> None:
    """A stretch no source explains is aligned against its own candidates with passages on
    one seed allowed; the verifier still judges them (trace lists the source)."""
    s = Store(tmp_path / "t.db")
    docs = (("a", A), ("b", B), ("c", C), ("harbour", HARBOUR))
    s.add_batch([(Document(text=t, id=i), fingerprint(t)) for i, t in docs])
    article = PENGUINS + HARBOUR_REUSED + "The counts have fallen for a decade, and the ice too."
    assert [x.document.id for x in trace(article, s, CFG).sources] == ["harbour"]
    off = replace(CFG, second_pass_one_seed=None)
    assert "harbour" not in [x.document.id for x in trace(article, s, off).sources]


def test_a_short_stretch_between_two_sources_is_aligned_on_one_seed(tmp_path: Path) -> None:
    """A stretch under the second pass's length, between two sources' passages, is aligned
    on one seed against the candidates already aligned (retrieval on it alone would find
    nothing); the verifier accepts the reuse and trace lists its source."""
    s = Store(tmp_path / "t.db")
    docs = (("a", A), ("b", B), ("c", C), ("harbour", HARBOUR))
    s.add_batch([(Document(text=t, id=i), fingerprint(t)) for i, t in docs])
    article = A + " " + HARBOUR_REUSED + B
    assert len(HARBOUR_REUSED) < CFG.second_pass_min_chars
    assert sorted(x.document.id for x in trace(article, s, CFG).sources) == ["a", "b", "harbour"]
    off = replace(CFG, short_gap_min_chars=None)
    assert sorted(x.document.id for x in trace(article, s, off).sources) == ["a", "b"]


def test_a_passage_of_a_short_stretch_must_lie_mostly_in_it() -> None:
    """A unit overlapping a short stretch can reach into text other sources explain: a
    passage there counts for the stretch only when half of it or more lies in it."""
    from unspin.trace import _mostly_within
    from unspin.types import Passage

    gaps = [(100, 300), (500, 600)]
    assert _mostly_within(Passage(0, 50, 120, 280, 0.5), gaps)
    assert _mostly_within(Passage(0, 50, 50, 250, 0.5), gaps)  # 150 of 200 inside
    assert not _mostly_within(Passage(0, 50, 250, 600, 0.5), gaps)  # 50 + 100 of 350
    assert not _mostly_within(Passage(0, 50, 300, 500, 0.5), gaps)


def test_two_alignments_of_one_stretch_keep_the_more_probable_of_overlapping_passages() -> None:
    from unspin.trace import _best_apart
    from unspin.types import Passage

    p, q, r = (Passage(0, 10, a, b, 0.5) for a, b in ((0, 100), (50, 150), (200, 300)))
    assert _best_apart([(p, 0.4), (q, 0.9), (r, 0.1)]) == [(q, 0.9), (r, 0.1)]


def test_a_passage_rejected_in_a_long_article_is_judged_again_in_its_window() -> None:
    """The verifier reads the pair's seed count and the article's word statistics: in a long
    article full of the source's topic words, reuse reads as topic text, and inside its own
    window (about one document) it reads as reuse again."""
    from unspin.align import prepare
    from unspin.align.profiles import NEWS_ONE_SEED
    from unspin.trace import _judged, _rejudged

    cfg = NEWS_ONE_SEED.config
    echo = (
        "The harbour town praised its sailors and merchants, and the elders of the port spoke "
        "of protection for every fishing crew and the safety of boats in the winter storm. "
    )
    filler = " ".join([A, B, C, PENGUINS]) + " "
    # The echoes lie outside the reuse's window (5,000 characters each side).
    article = (filler * 3 + echo) * 20 + filler * 6 + PENGUINS + HARBOUR_REUSED + filler
    at = article.index(HARBOUR_REUSED)
    src, tgt = prepare(HARBOUR, cfg), prepare(article, cfg)
    judged = _judged(src, tgt, cfg)

    def reuse(found: list) -> list[float]:
        return [prob for p, prob in found if p.target_start <= at + 10 < p.target_end]

    assert max(reuse(judged)) < 0.6
    assert max(reuse(_rejudged(src, tgt, judged, 0.6, 5000, cfg, None))) < 0.6
    assert max(reuse(judged)) >= 0.4
    assert max(reuse(_rejudged(src, tgt, judged, 0.6, 5000, cfg, None, 0.4))) >= 0.6
    # Only passages rejected at the floor or above are judged again.
    assert max(reuse(_rejudged(src, tgt, judged, 0.6, 5000, cfg, None, 0.5))) < 0.6


def _owner_of_a_with_a_stretched_holder_above(
    stretched: float = 0.9, balanced: float = 0.9, **flags: bool
) -> list[int]:
    """Owners of A's first sentence when the better-ranked source holds it through a passage
    whose source side is a long page (accepted at ``stretched``, but outside the verifier's
    domain: a short article stretch set against a page over 2.5 times longer) and another
    source through a balanced passage accepted at ``balanced``; both hold the sentence word
    for word."""
    from unspin.types import Passage

    page = " ".join([B, A, C, PENGUINS, HARBOUR])
    cands = [
        Candidate(1, (Passage(0, len(page), 0, len(A), 0.5),), (stretched,)),
        Candidate(2, (Passage(0, len(A), 0, len(A), 1.0),), (balanced,)),
    ]
    att = _attribute(A, {1: page, 2: A}, cands, **flags)
    first = A.split(". ")[0] + "."
    return [o.key for o in att.owners if any(s.start < len(first) for s in o.owned)]


def test_a_balanced_accepted_passage_owns_before_a_stretched_one() -> None:
    """Where a passage inside the verifier's domain covers a sentence, a better-ranked source
    that covers it only with a passage of mismatched sides stands aside (PAN 03: 600
    characters of an article over a 30 KB page, accepted at 0.84 against 0.99), unless the
    verifier rates its passage higher."""
    from unspin.attribution import in_verifier_domain
    from unspin.types import Passage

    assert in_verifier_domain(Passage(0, 200, 0, 200, 0.5))
    assert not in_verifier_domain(Passage(0, 600, 0, 30_000, 0.5))
    assert not in_verifier_domain(Passage(0, 90, 0, 200, 0.5))  # source side too short
    assert _owner_of_a_with_a_stretched_holder_above(balanced_first=False) == [1]
    assert _owner_of_a_with_a_stretched_holder_above() == [2]
    assert _owner_of_a_with_a_stretched_holder_above(0.84, 0.99) == [2]
    assert _owner_of_a_with_a_stretched_holder_above(0.99, 0.82) == [1]


def test_a_stretched_holder_clearly_less_similar_does_not_take_a_sentence() -> None:
    """A better-ranked source whose passage over a sentence is stretched over a long page
    (rated higher than the balanced passage of the source that holds the sentence word for
    word) and whose best sentence there is more than ``margin`` less similar does not take
    the sentence through the one-word lead test (PAN 03 in concatenations: a same-topic
    page's "summary", first in the long article's ranking); with the rule off it does.
    Where the page holds the sentence as well (within ``margin``), ranking still decides."""
    from unspin.align import counter_cosine, prepare
    from unspin.types import Passage

    first = A.split(". ")[0] + "."
    near = "The central bank raised interest rates on Tuesday."  # "half a point" left out
    page = " ".join([B, near, C, PENGUINS, HARBOUR])
    assert len(page) > 2.5 * len(A)
    cfg = TraceConfig().align
    terms = [prepare(t, cfg).terms[0] for t in (first, near)]
    assert 0.75 < counter_cosine(*terms) < 0.9  # outside the 0.1 margin of A's own 1.0

    def owners(page_text: str, own: str = A, **flags: bool) -> list[int]:
        cands = [
            Candidate(1, (Passage(0, len(page_text), 0, len(A), 0.5),), (0.99,)),
            Candidate(2, (Passage(0, len(own), 0, len(A), 1.0),), (0.9,)),
        ]
        att = _attribute(A, {1: page_text, 2: own}, cands, **flags)
        return [o.key for o in att.owners if any(s.start < len(first) for s in o.owned)]

    assert owners(page, stretched_give_way=False) == [1]
    assert owners(page) == [2]
    assert owners(" ".join([B, A, C, PENGUINS, HARBOUR])) == [1]  # word for word: rank decides
    # ... and between two stretched passages (the owner's a long page too) nothing changes.
    assert owners(page, " ".join([A, B, C, PENGUINS, HARBOUR])) == [1]


def test_a_short_owner_is_listed_when_the_verifier_is_sure_of_its_passage() -> None:
    """Below the listing floor (100 characters) an owner is listed when it owns at least
    ``verified_owner_chars`` through a passage the verifier judged in its own domain and
    rates at least ``verified_owner_reuse``; an owner resting on a short passage, or on one
    accepted with less certainty, is not."""
    from unspin.attribution import Owner
    from unspin.trace import _verified_owner
    from unspin.types import Passage

    cfg = TraceConfig()
    sure = cfg.verified_owner_reuse
    assert cfg.verified_owner_chars == 40 and sure == 0.9
    balanced, short = Passage(0, 150, 700, 850, 0.7), Passage(0, 90, 700, 790, 0.9)
    owner = Owner(1, (Span(700, 797),), (balanced,))
    assert _verified_owner(owner, {(1, balanced): 0.95}, sure, 40)
    assert not _verified_owner(owner, {(1, balanced): 0.64}, sure, 40)  # accepted, not sure
    assert not _verified_owner(owner, {(1, balanced): 0.95}, sure, None)  # rule off
    assert not _verified_owner(owner, {(1, balanced): 0.95}, sure, 98)  # owns too little
    assert not _verified_owner(Owner(1, (Span(700, 790),), (short,)), {(1, short): 0.95}, sure, 40)


def test_a_short_owner_is_listed_through_a_passage_short_of_the_verifiers_domain_by_length() -> (
    None
):
    """A passage outside the verifier's domain only because random obfuscation shortened it
    (longer side at least 100 characters, sides not lopsided) lists its short owner when the
    verifier rates it that high; page chrome of 42 characters a side, or a lopsided passage,
    does not, and with ``verified_owner_near_domain`` off only domain passages count."""
    from unspin.attribution import Owner, in_verifier_domain
    from unspin.trace import _verified_owner
    from unspin.types import Passage

    cfg = TraceConfig()
    assert cfg.verified_owner_near_domain
    sure = cfg.verified_owner_reuse
    shortened = Passage(0, 131, 700, 783, 0.7)  # 131 source characters spun to 83
    chrome = Passage(0, 41, 700, 742, 1.0)  # "Jump to: , navigation search This article"
    lopsided = Passage(0, 247, 700, 789, 0.67)
    assert not any(in_verifier_domain(p) for p in (shortened, chrome, lopsided))

    def listed(p: Passage, near: bool = True) -> bool:
        owner = Owner(1, (Span(700, min(p.target_end, 783)),), (p,))
        return _verified_owner(owner, {(1, p): 0.92}, sure, 40, near)

    assert listed(shortened)
    assert not listed(shortened, near=False)  # main's rule: domain passages only
    assert not listed(chrome)
    assert not listed(lopsided)
    owner = Owner(1, (Span(700, 783),), (shortened,))
    assert not _verified_owner(owner, {(1, shortened): 0.85}, sure, 40, True)  # not sure


def _listed_with_a_short_verified_owner(**options: object) -> list[str]:
    """Sources trace lists for a long article (over 3,400 characters: the listing floor is
    100 characters) in which one source's passage, accepted at 0.95, covers a 64-character
    sentence it holds and the next sentence, which it does not: it owns the first only."""
    from unspin.align import prepare
    from unspin.ranking import Found
    from unspin.trace import _attributed
    from unspin.types import Passage, StoredDocument

    cfg = replace(CFG, **options)
    short = "Lighthouse keepers kept their lamps burning through every storm. "
    filler = " ".join([A, B, C, PENGUINS, HARBOUR_REUSED] * 4)
    text = short + "The museum keeps his notes on the harbour and its crews. " + filler
    source = short + "Visitors may climb the stairs on Sundays to see the great lens. " * 2
    passage = Passage(0, len(source), 0, len(short) + 57, 0.7)
    sources, _, att = _attributed(
        text,
        [Found(1, 1.0, 0.03, [passage])],
        prepare(text, cfg.align),
        {1: prepare(source, cfg.align)},
        {1: source},
        {1: StoredDocument(1, "lighthouse")},
        {(1, passage): 0.95},
        cfg,
    )
    assert [o.chars for o in att.owners] == [len(short.strip())]  # under the floor
    return [s.document.id for s in sources]


def test_trace_lists_a_short_owner_of_a_passage_the_verifier_is_sure_of() -> None:
    assert _listed_with_a_short_verified_owner() == ["lighthouse"]
    assert _listed_with_a_short_verified_owner(verified_owner_chars=None) == []
    assert _listed_with_a_short_verified_owner(verified_owner_reuse=0.99) == []


def test_a_window_over_every_unit_is_the_prepared_text_itself() -> None:
    """``units_within`` hands back the article itself when the window covers it all (what was
    built for it serves the window), else a text of the units inside, with the same stems."""
    from unspin.align import prepare
    from unspin.align.units import window_stems
    from unspin.trace import units_within

    p = prepare("One cat sat on a mat today. Two dogs ran in the park here. Three owls hooted.")
    assert units_within(p, 0, len(p.text)) is p
    part = units_within(p, 30, 40)
    assert part is not p and len(part.spans) == 1
    assert window_stems(part, 0, len(p.text)) == window_stems(p, 0, len(p.text))


def test_a_spun_opening_clause_stays_in_the_passage() -> None:
    # A spinner swapped three of the opening clause's eight words ("raised the prices it pays
    # farmers" -> "elevated the costs it pays ranchers"): the news profile snapped the passage
    # to the first run of three equal words, "for cotton, edible", and left the lead, where a
    # garbled name would sit, with no source. Its runs "China has" and "it pays" now chain
    # to that run, as the PAN profile's do.
    import json

    demo = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "demo"
    with (demo / "corpus.jsonl").open(encoding="utf-8") as f:
        source = next(d["text"] for d in map(json.loads, f) if d["id"] == "reuters-2975")
    target = (
        "China has elevated the costs it pays ranchers for cotton, edible oil, sugar cane and "
        "beets to turn around a decrease in yield in 1986, He Kang, Minister of Agriculture, "
        "Animal Husbandry and Fisheries said. The China Daily cited He as saying China ought to "
        "embrace intensive cultivating to increment per hectare yield and improve crop quality "
        "and keep up arable land at 111 mln hectares.\n\nOn grain, He said the state will cut "
        "the quota it purchases from farmers by 15 mln tonnes and abolish the practice of "
        "purchasing through age5nts."
    )
    res = compare(source, target, config=TraceConfig(score_unsourced=False))
    starts = [p.target_start for s in res.sources for p in s.passages]
    assert starts == [0]


# The mission's case: an agency report and an official readout, spun by hand and spliced.
_AGENCY = (
    "GENEVA, March 3 (Reuters) - the Russian Federation said on Tuesday it would not sign "
    "the legally binding accord unless the agency that monitors the deal was given full "
    "access to the sites. The foreign ministry said in a statement that its envoy had "
    "spoken by telephone with officials in Geneva and that there was no possibility of a "
    "quick settlement. Diplomats said the talks, which began in the spring, had stalled "
    "over the question of who would verify compliance."
)
_READOUT = (
    "BEIJING, March 3 (Xinhua) -- Chinese Foreign Minister Wang Yi held a telephone "
    "conversation with his counterpart on Tuesday. Wang said the People's Republic of "
    "China firmly adheres to the one-China principle, which is a widely recognized norm "
    "governing international relations. He said both sides should respect each other's "
    "core interests and handle differences properly through dialogue."
)
_BLOG = (
    "Moscow, the Russian Union said on Tuesday that it would not sign the lawfully "
    "obligatory accord unless the medium that monitors the deal was given full access to "
    "the sites. The foreign ministry said in a statement that its envoy had spoken by "
    "telephonic call with officials in Geneva and that there was no pos3sibility of a "
    "quick settlement.\n\nWang said the Individuals' Republic of China steadfastly sticks "
    "to the one-China guideline, which is a broadly perceived standard administering "
    "worldwide relations. He said the two sides ought to regard one another's center "
    "interests and handle contrasts appropriately through exchange."
)


def test_the_missions_case_lists_both_garbled_names_first() -> None:
    # A blog post spliced from an agency report and an official readout, the official names
    # garbled by synonym swaps and a digit put into a word. Before: the first passage began
    # at "said on Tuesday" (past "the Russian Union", no name change listed), and
    # "People's" -> "Individuals'" was a paraphrase. Until the 33rd session the dateline
    # ("GENEVA, March 3 (Reuters) -" / "Moscow,") stood outside the passage, unlabelled.
    from unspin.api import Corpus

    with Corpus() as corpus:
        corpus.add(_AGENCY, id="agency")
        corpus.add(_READOUT, id="readout")
        result = corpus.trace(_BLOG, config=TraceConfig(score_unsourced=False))
    from unspin.report.json_report import distortions

    assert sorted(s.document.id for s in result.sources) == ["agency", "readout"]
    flags = [(d.edit.label, d.edit.source_text, d.edit.target_text) for d in distortions(result)]
    assert flags[:3] == [
        ("entity_change", "GENEVA", "Moscow"),
        ("entity_change", "Federation", "Union"),
        ("entity_change", "People's", "Individuals'"),
    ]


def test_a_changed_opening_of_a_reused_sentence_is_inside_the_passage() -> None:
    # The passage's edge snapped to "the Russian", leaving the swapped dateline out.
    res = compare(_AGENCY, _BLOG, config=TraceConfig(score_unsourced=False))
    (passage,) = [p for s in res.sources for p in s.passages]
    assert (passage.source_start, passage.target_start) == (0, 0)
    # A closing swapped the same way ("the agency said" / "Tass said").
    source = "Officials said on Tuesday that the grain deal would be extended by sixty days, the agency said."
    spun = (
        "Officials said on Tuesday that the grain deal would be extended by sixty days, Tass said."
    )
    res = compare(source, spun, config=TraceConfig(score_unsourced=False))
    (passage,) = [p for s in res.sources for p in s.passages]
    assert (passage.source_end, passage.target_end) == (len(source), len(spun))


def test_words_put_before_a_reused_sentence_stay_outside_it() -> None:
    # Only one side has an opening before the reuse: an insertion, not a changed opening.
    source = "The Russian Federation said on Tuesday it would not sign the legally binding accord."
    spun = (
        "In a surprise move, the Russian Federation said on Tuesday it would not sign the accord."
    )
    res = compare(source, spun, config=TraceConfig(score_unsourced=False))
    (passage,) = [p for s in res.sources for p in s.passages]
    assert spun[passage.target_start :].startswith("the Russian")


def test_a_chained_edge_stops_at_a_paragraph_break_only_the_reuse_has() -> None:
    # The spun agency report's passage took "Wang said the", the first words of the readout's
    # paragraph after it ("Diplomats said the" in the report): a chained run crossed the
    # blank line the splice put there.
    res = compare(_AGENCY, _BLOG, config=TraceConfig(score_unsourced=False))
    ends = [_BLOG[: p.target_end] for s in res.sources for p in s.passages]
    assert len(ends) == 1 and ends[0].endswith("quick settlement.")


# Made-up wire stories: four deals told in one sentence frame ("the total value ... dlrs")
# with other companies and numbers, and one plant story with names no other story holds.
WIRE = {
    "deal-1": "Harbor Freight Lines Inc said it sold two container cranes to the port authority of "
    "Baltimore. The company said the total value of the contract is about 4,300,000 dlrs. "
    "Delivery is expected in the third quarter.",
    "deal-2": "Midland Textile Corp said it won an order for uniform fabric from the Army. The "
    "company said with two option years, the total value would be about 9,100,000 dlrs. "
    "Production will start in May.",
    "deal-3": "Pacific Grain Co said it agreed to supply wheat flour to three bakeries in Oregon. "
    "Pacific said the total value of the agreements is 650,000 dlrs. It gave no other details.",
    "deal-4": "Orion Avionics Inc said the Navy awarded it a contract for radar displays. Orion "
    "said the total value of the award is 12 mln dlrs, including spare parts.",
    "plant": "Zenkel Chemie AG said its Ludwigshafen plant resumed ammonia output after a fire. "
    "Zenkel said the Ludwigshafen ammonia unit will run at full capacity by mid-April. The fire "
    "caused no injuries.",
}


@pytest.fixture()
def wire(tmp_path: Path) -> Store:
    s = Store(tmp_path / "wire.db")
    s.add_batch([(Document(text=t, id=i), fingerprint(t)) for i, t in WIRE.items()])
    return s


def test_one_wire_sentence_of_the_same_kind_is_no_source(wire: Store) -> None:
    # Another deal told in the same frame: its one short sentence aligns with deal-1's at
    # 0.53, over the 0.45 a passage too short for the verifier needs, and main listed deal-1
    # as its source. The words they share ("total", "value", "dlrs") every deal story holds.
    article = (
        "Kestrel Software Corp said it licensed its payroll programs to two county governments "
        "in Ohio. Kestrel said the total value of the licences is 820,000 dlrs. The programs "
        "will be installed this summer."
    )
    assert trace(article, wire, CFG).sources == ()
    from unspin.attribution import AttributionConfig

    off = replace(CFG, attribution=AttributionConfig(lone_short_rare_stems=0))
    assert [s.document.id for s in trace(article, wire, off).sources] == ["deal-1"]


def test_one_short_quoted_sentence_with_its_own_names_is_still_traced(wire: Store) -> None:
    # One sentence taken from the plant story into a market report: as short as the frame
    # above, but it shares names ("Zenkel", "Ludwigshafen") no other stored story holds.
    article = (
        "Fertilizer prices eased in Europe on Tuesday as traders waited for spring demand. "
        "Zenkel said the Ludwigshafen ammonia unit will run at full capacity by mid-April, "
        "dealers said. Urea was quoted at 95 dlrs a tonne."
    )
    r = trace(article, wire, CFG)
    assert [s.document.id for s in r.sources] == ["plant"]
    assert r.sources[0].passages[0].target_end - r.sources[0].passages[0].target_start < 100


def test_a_lone_short_passage_keeps_a_pair_of_words_few_stories_hold_side_by_side() -> None:
    # A briefs line of the wire ("Full name of company is ...") spun in part: every word it
    # shares with its source is in three or four stored stories, but "company is mobile" (the
    # stems "compani", "mobil" next to each other) in two only: the source stays (news
    # composites of bench_trace lost one such source to the rare-stem test alone).
    from unspin.align import prepare
    from unspin.attribution import rarely_worded_when_lone
    from unspin.types import Passage

    cfg = TraceConfig().align
    texts = {
        1: "Full name of company is mobile communications corp of america.",
        2: "Full name of company is Mobil Oil Corp.",
        3: "Full name of company is American Communications Corp.",
        4: "Mobile phone makers said the company name was changed in full.",
    }
    prepared = {k: prepare(t, cfg) for k, t in texts.items()}
    article = prepare("Full name of company is mobile radiocommunication corp of europe.", cfg)
    short = Passage(0, len(texts[1]), 0, len(article.text), 0.7)
    assert rarely_worded_when_lone({1: [short]}, article, prepared, 1) == {1: [short]}
    # The frame alone ("full name of company"), without the name, owns nothing.
    frame = prepare("Full name of company is Delta Holdings Inc.", cfg)
    short = Passage(0, len(texts[1]), 0, len(frame.text), 0.5)
    assert rarely_worded_when_lone({1: [short]}, frame, prepared, 1) == {1: []}


def test_a_stored_document_traced_with_itself_left_out_finds_what_it_shares() -> None:
    """Corpus.trace(leave_out=...): the document's text (and every reprint of it) is traced
    as if not stored, so a source of part of it is found, not the document itself."""
    from unspin import Corpus, Document
    from unspin.errors import ConfigError

    wire = (
        "Officials said the dam on the Yangtze will hold back the floods that threaten "
        "twelve villages downstream this summer, and that engineers finished the spillway."
    )
    own = (
        "Our reporter visited the valley last week. Farmers there worry about the harvest, "
        "and the school has moved to higher ground until the rains have passed."
    )
    with Corpus() as corpus:
        corpus.add(Document(wire, id="wire"))
        corpus.add(Document(f"{own}\n\n{wire}", id="blog"))
        corpus.add(Document(f"{own}\n\n{wire}", id="blog-reprint"))
        (blog,) = corpus.store.find("blog")
        kept = corpus.trace(f"{own}\n\n{wire}")
        left = corpus.trace(f"{own}\n\n{wire}", leave_out=[blog.key])
        for bad in ("blog", [blog.id], [True], 3, [blog.key, 10**6], [-1]):
            with pytest.raises(ConfigError, match="leave_out"):
                corpus.trace(wire, leave_out=bad)  # type: ignore[arg-type]
    assert kept.sources[0].document.id == "blog"
    assert [s.document.id for s in left.sources] == ["wire"]  # the reprint is left out too
    assert 0.4 < left.sources[0].coverage < 0.7
