import itertools
import random
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import unspin
from unspin.align import AlignConfig, Prepared, align
from unspin.align.profiles import NEWS, NEWS_PAIR
from unspin.errors import ConfigError

SOURCE = (
    "The central bank raised interest rates by half a point on Tuesday. Officials said the move "
    "was needed to curb inflation, which reached eight percent last month. Markets fell sharply "
    "after the announcement, with the main index losing three percent. Analysts expect further "
    "increases before the end of the year, according to a survey of economists. The finance "
    "minister welcomed the decision and promised to cut public spending."
)
FILLER = (
    "Gardeners in the north report an unusually early harvest of tomatoes and beans. Local "
    "festivals will celebrate the season with music and dancing in the village squares. "
    "Visitors are advised to book accommodation well in advance of the summer weekends. "
)
LOOSE = AlignConfig(min_target_chars=50, min_source_chars=50)


def test_verbatim_copy_inside_unrelated_text_is_found_exactly() -> None:
    target = FILLER + SOURCE + " " + FILLER
    passages = align(SOURCE, target, LOOSE)
    assert len(passages) == 1
    p = passages[0]
    assert target[p.target_start : p.target_end] == SOURCE
    assert (p.source_start, p.source_end) == (0, len(SOURCE))


def test_unrelated_texts_give_nothing() -> None:
    assert align(SOURCE, FILLER * 3, LOOSE) == []


def test_reordered_sentences_are_aligned() -> None:
    sents = SOURCE.split(". ")
    random.Random(3).shuffle(sents)
    target = FILLER + ". ".join(sents)
    passages = align(SOURCE, target, LOOSE)
    covered = sum(p.target_end - p.target_start for p in passages)
    assert covered >= 0.8 * (len(target) - len(FILLER))


def test_empty_inputs() -> None:
    assert align("", SOURCE) == []
    assert align(SOURCE, "") == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400), st.text(max_size=400))
def test_offsets_always_in_range(a: str, b: str) -> None:
    for p in align(a, b, LOOSE):
        assert 0 <= p.source_start < p.source_end <= len(a)
        assert 0 <= p.target_start < p.target_end <= len(b)
        assert 0.0 <= p.score <= 1.0


def _assert_cut_into_pieces(text: str, pieces: list[tuple[int, int]], cut: str) -> None:
    """Several pieces of at most 300 characters tile ``text``, ``cut`` the only gap between
    two of them."""
    assert len(pieces) > 3
    assert all(b - a <= 300 for a, b in pieces)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    for (_, b), (a2, _) in itertools.pairwise(pieces):
        assert text[b:a2] == cut


def test_long_units_are_cut_at_line_breaks() -> None:
    from unspin.align.units import _split_long

    lines = [f"1920 The Club holds meeting number {i} in the hall" for i in range(20)]
    text = "\n".join(lines)  # a list without full stops: one "sentence" for the splitter
    _assert_cut_into_pieces(text, _split_long(text, [(0, len(text))], 300), "\n")
    assert _split_long("no breaks " * 80, [(0, 800)], 300) == [(0, 800)]
    assert _split_long(text, [(0, len(text))], 10_000) == [(0, len(text))]


def test_long_units_without_line_breaks_are_cut_at_commas() -> None:
    from unspin.align.units import _split_long

    text = ", ".join(f"tattoo design number {i}" for i in range(60))  # a keyword list
    _assert_cut_into_pieces(text, _split_long(text, [(0, len(text))], 300), ",")
    # Line breaks, where a span has them, stay the only cuts.
    lines = "\n".join([text[:250], text[250:500], text[500:]])
    assert all(lines[b] == "\n" for _, b in _split_long(lines, [(0, len(lines))], 300)[:-1])


def test_a_transcript_without_punctuation_is_cut_between_words() -> None:
    # robust33: a span with neither line breaks nor commas stayed one unit however long, so a
    # 13 KB transcript without punctuation quoting 1,500 characters of the demo article
    # verbatim (lower case, no punctuation, as speech-to-text gives it) had no passage.
    import json
    import re
    from pathlib import Path

    import unspin
    from unspin.align.units import _split_long

    text = "no breaks " * 200
    pieces = _split_long(text, [(0, len(text))], 300)
    assert all(150 <= b - a <= 300 for a, b in pieces[:-1]) and pieces[-1][1] == len(text)
    assert all(text[b] == " " for _, b in pieces[:-1])
    assert _split_long("no breaks " * 80, [(0, 800)], 300) == [(0, 800)]  # a long sentence

    demo = Path(unspin.__file__).parent / "data" / "demo"

    def spoken(t: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", t)).lower()

    article = (demo / "example-article.txt").read_text(encoding="utf-8")
    lines = (demo / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    talk = " ".join(spoken(json.loads(line)["text"]) for line in lines)
    quoted = spoken(article)[:1500]
    at = talk.index(" ", len(talk) // 2)
    transcript = talk[:at] + " " + quoted + talk[at:]
    passages = align(article, transcript)
    assert len(passages) == 1
    p = passages[0]
    assert transcript[p.target_start : p.target_end] in quoted
    assert p.target_end - p.target_start >= 0.95 * len(quoted)


# A Chinese and a Hindi pair: one sentence reused, between sentences of other content.
_ZH_SHARED = (
    "国家统计局新闻发言人付凌晖在北京表示，今年前两个月，全国规模以上工业增加值同比增长，"
    "消费市场继续恢复，出口总额有所增加，就业形势总体稳定，物价水平保持平稳。"
)
_ZH = (
    "新华社北京电，记者从有关部门获悉，今年经济开局良好，各项指标稳中有升。"
    + _ZH_SHARED
    + "专家认为，下半年经济将继续稳定恢复，但仍面临不少挑战。",
    "本报讯，多位市民接受采访时表示，生活成本总体平稳，收入有所增加。"
    + _ZH_SHARED
    + "不少企业负责人说，订单明显增加，生产经营状况良好。",
)
_HI_SHARED = "देश में औद्योगिक उत्पादन में छह प्रतिशत की वृद्धि हुई है।"
_HI = (
    "सरकार ने आज नई आर्थिक नीति की घोषणा की। "
    + _HI_SHARED
    + " उपभोक्ता बाजार में स्थिरता बनी हुई है। निर्यात में पिछले वर्ष की तुलना में गिरावट आई है।",
    "संवाददाता ने आज दिल्ली में कई नागरिकों से बात हुई। "
    + _HI_SHARED
    + " कई लोगों ने कहा कि महंगाई सामान्य है।",
)


@pytest.mark.parametrize(("pair", "shared"), [(_ZH, _ZH_SHARED), (_HI, _HI_SHARED)])
def test_a_chinese_or_hindi_passage_is_cut_at_its_full_stops(
    pair: tuple[str, str], shared: str, tmp_path: Any
) -> None:
    # robust34: "。" and "।" ended no sentence, so such a text was one unit up to its line
    # breaks: compare of the Chinese pair found no passage (covered 0.0), of the Hindi pair one
    # passage of both whole texts (covered 1.0, the other sentences as reused as the shared).
    import unspin

    source, target = pair
    result = unspin.compare(source, target)
    at = target.index(shared)
    [src] = result.sources
    assert [(p.target_start, p.target_end) for p in src.passages] == [(at, at + len(shared))]
    assert [source[p.source_start : p.source_end] for p in src.passages] == [shared]
    with unspin.Corpus(tmp_path / "store.db") as corpus:
        corpus.add(source, id="source")
        traced = corpus.trace(target)
    assert [s.document.id for s in traced.sources] == ["source"]
    passages = traced.sources[0].passages
    assert [(p.target_start, p.target_end) for p in passages] == [(at, at + len(shared))]


def test_trimming_stops_at_the_reporting_floor() -> None:
    """A fragment whose weaker second sentence pair trimming would drop keeps it when
    dropping it leaves the passage under its reporting floor (then it would be no passage)."""
    from unspin.align import prepare
    from unspin.align.fragments import _Fragment, _fragment_cosine, _trim

    src = (
        "Complete the requirements checklist form quickly. "
        "Send the signed report with every artifact to the regional office before Friday noon."
    )
    tgt = (
        "Complete requirements checklist form. "
        "Mail the report with the artifact, then walk dogs along rivers beside green meadows."
    )
    cfg = AlignConfig(min_target_chars=60, min_source_chars=60, trim_depth=1)
    ps, pt = prepare(src, cfg), prepare(tgt, cfg)
    whole = _Fragment((0, 1), (0, 1), _fragment_cosine(ps, pt, (0, 1), (0, 1)), 2)
    trimmed = _trim(ps, pt, whole, replace(cfg, trim_keeps_length=False))
    assert (trimmed.src, trimmed.tgt) == ((0, 0), (0, 0))  # 49 / 37 characters: dropped
    kept = _trim(ps, pt, whole, cfg)
    assert (kept.src, kept.tgt) == ((0, 1), (0, 1))  # 135 / 122 characters


def test_list_source_aligns_with_a_reworded_line() -> None:
    """A source written as a list of dated lines (no full stops) still seeds against one
    reworded target sentence: the unit is a few lines, not the whole list."""
    lines = [
        f"March {i}, 19{20 + i}: the orchestra played work number {i * 7} in hall {i}"
        for i in range(30)
    ]
    lines[12] = (
        "February 26, 1928: flute collector Dayton Miller is guest of honour, giving a talk on flute playing with Maganini and Kirkpatrick"
    )
    source = "\n".join(lines)
    target = (
        "Unrelated opening words about something else entirely, nothing shared here at all. "
        "February 26, 1928 flute acoustician Miller is guest of symbol, giving a talk on flute "
        "playing; the outline is composed by Maganini, with Kirkpatrick. "
        "More unrelated closing words follow, about gardens and weather and other matters."
    )
    cfg = AlignConfig(min_target_chars=40, min_source_chars=40, single_seed_cosine=0.4)
    assert align(source, target, cfg)
    assert not align(source, target, replace(cfg, max_unit_chars=0))


def test_seed_concentration_of_a_group() -> None:
    from unspin.align import prepare
    from unspin.align.summary import _concentration

    src = prepare(
        " ".join(f"Sentence number {i} talks about topic {i} at length." for i in range(40))
    )
    spread = [(i, 0) for i in range(0, 40, 8)]
    local = [(10, 0), (11, 0), (12, 0), (30, 0)]
    cos = {k: 0.5 for k in spread + local}
    assert _concentration(src, spread, cos, 120) <= 0.25  # a summary draws on everything
    assert _concentration(src, local, cos, 200) == 0.75  # three of four seeds sit together
    assert _concentration(src, local, cos, 10_000) == 1.0


TOPICS = (
    "glaciers", "vineyards", "railways", "orchestras", "volcanoes", "libraries",
    "harbours", "forests", "bakeries", "satellites", "bridges", "deserts",
)  # fmt: skip


def _topic_reports() -> Prepared:
    """Twelve sentences, one per topic, each naming its topic three times."""
    from unspin.align import prepare

    return prepare(
        " ".join(f"The {w} report covers {w} and their {w} history in detail." for w in TOPICS)
    )


def test_a_lone_sentence_seeding_adjacent_source_sentences_is_not_a_summary() -> None:
    """One target sentence that seeds against a run of adjacent source sentences is one
    reuse whose words were moved across sentence ends, not a summary of the whole source
    (which would set all of the source against one sentence). One that seeds against
    sentences spread over the source still is a summary candidate."""
    from unspin.align import prepare
    from unspin.align.seeds import _seeds
    from unspin.align.summary import _summarise

    src = _topic_reports()
    cfg = AlignConfig()
    old = replace(cfg, summary_of_adjacent_sentences=True)
    for picked, adjacent in (("glaciers, vineyards and railways", True),
                             ("glaciers, bakeries and deserts", False)):  # fmt: skip
        tgt = prepare(
            f"Gardens grow slowly in the spring rain. The {picked} reports cover history. "
            "Weather was fine all week long."
        )
        seeds = _seeds(src, tgt, cfg)
        assert len(seeds) == 3 and {j for _, j in seeds} == {1}
        whole = [((0, 11), (1, 1))]
        assert [(m.src, m.tgt) for m in _summarise(src, tgt, seeds, old)] == whole
        found = [(m.src, m.tgt) for m in _summarise(src, tgt, seeds, cfg)]
        assert found == ([] if adjacent else whole)


def test_fragments_grow_over_edge_sentences_that_make_them_more_alike() -> None:
    """The reverse of trimming: a neighbouring sentence pair that raises the fragment's
    cosine by ``trim_gain`` is taken in (here the verbatim first sentence next to a heavily
    spun body); unrelated neighbours are not."""
    from unspin.align import prepare
    from unspin.align.fragments import _Fragment, _fragment_cosine, _grow
    from unspin.generators.article_spinner import spin

    sents = SOURCE.split(". ")
    body = spin(". ".join(sents[1:]), 0.5, seed=4).text
    target = FILLER + sents[0] + ". " + body + " " + FILLER
    src, tgt = prepare(SOURCE), prepare(target)
    first = next(j for j, (a, _) in enumerate(tgt.spans) if target[a:].startswith(sents[0]))
    body_end = len(target) - len(FILLER) - 1
    last = max(j for j, (_, b) in enumerate(tgt.spans) if b <= body_end)
    assert first > 0 and last > first + 1
    body_src, body_tgt = (1, len(src.spans) - 1), (first + 1, last)
    f = _Fragment(body_src, body_tgt, _fragment_cosine(src, tgt, body_src, body_tgt))
    grown = _grow(src, tgt, f, AlignConfig())
    assert grown.src == (0, len(src.spans) - 1)
    assert grown.tgt == (first, last) and grown.sim >= f.sim + 0.01


def test_a_short_close_fragment_does_not_shadow_the_passage_it_sits_in() -> None:
    """Overlaps are resolved among reportable fragments only: a single closely matching
    sentence (higher cosine, too short to report) inside a longer reused passage must not
    win the overlap and leave nothing."""
    from unspin.align import prepare
    from unspin.align.fragments import _Fragment, _long_enough, _resolve_overlaps

    src = tgt = prepare(SOURCE)
    n = len(src.spans) - 1
    whole = _Fragment((0, n), (0, n), 0.7, seeds=5)
    one = _Fragment((1, 1), (1, 1), 0.9)
    cfg = AlignConfig(min_target_chars=120, min_source_chars=120)
    assert src.spans[1][1] - src.spans[1][0] < 120
    assert _resolve_overlaps([whole, one], tgt) == [one]  # the shadowing being prevented
    assert _resolve_overlaps(_long_enough([whole, one], src, tgt, cfg), tgt) == [whole]


def test_a_weak_pair_seeds_only_next_to_a_seed_on_the_diagonal() -> None:
    from unspin.align import prepare
    from unspin.align.seeds import _seeds

    garbled = "Inflation reached eight percent, so the step was required, spokesmen explained."
    first = SOURCE.split(". ")[0] + "."
    src = prepare(SOURCE)
    after_seed = prepare(first + " " + garbled)
    alone = prepare("Local festivals will celebrate the season with music. " + garbled)
    on = AlignConfig(diagonal_cosine=0.2)
    off = AlignConfig(diagonal_cosine=1.0)
    weak = _seeds(src, after_seed, on)
    assert set(weak) == {(0, 0), (1, 1)} and 0.2 < weak[(1, 1)] <= on.seed_cosine
    assert set(_seeds(src, after_seed, off)) == {(0, 0)}
    assert _seeds(src, alone, on) == {}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from("a b c d the of".split()), max_size=40),
    st.lists(st.sampled_from("a b c d the of".split()), max_size=40),
)
def test_matching_blocks_are_an_optimal_common_subsequence(a: list[str], b: list[str]) -> None:
    """The blocks that snap verbatim edges (RapidFuzz LCS) are real equal runs, in order,
    and match at least as many tokens as difflib's SequenceMatcher, the straightforward
    version they replaced."""
    from difflib import SequenceMatcher

    from unspin.align.refine import matching_blocks

    blocks = matching_blocks(a, b)
    end_a = end_b = 0
    for m in blocks:
        assert m.size > 0 and m.a >= end_a and m.b >= end_b
        assert a[m.a : m.a + m.size] == b[m.b : m.b + m.size]
        end_a, end_b = m.a + m.size, m.b + m.size
    plain = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    assert sum(m.size for m in blocks) >= sum(m.size for m in plain)
    long_runs = matching_blocks(a, b, 3)
    end_a = end_b = 0
    for m in long_runs:  # the long runs, grown over stray pairs, stay real and in order
        assert m.size >= 3 and m.a >= end_a and m.b >= end_b
        assert a[m.a : m.a + m.size] == b[m.b : m.b + m.size]
        end_a, end_b = m.a + m.size, m.b + m.size


def test_shuffled_sentences_of_one_stretch_stay_one_part_and_far_jumps_split() -> None:
    from unspin.align.seed_groups import _monotone_parts

    # Target order reads source units 4, 5, 1, 2, 3: a jump back by three units.
    shuffled = [[(4, 0), (5, 1), (1, 2), (2, 3), (3, 4)]]
    assert len(_monotone_parts(shuffled, 2, reorder_gap=-1)) == 2  # split, as before
    assert _monotone_parts(shuffled, 2, reorder_gap=1) == [sorted(shuffled[0], key=lambda p: p[1])]
    # Two reuses of distant source places (units 40-42, then 1-3) stay apart.
    distant = [[(40, 0), (41, 1), (42, 2), (1, 3), (2, 4), (3, 5)]]
    parts = _monotone_parts(distant, 2, reorder_gap=1)
    assert [sorted(p[0] for p in part) for part in parts] == [[40, 41, 42], [1, 2, 3]]
    # Near in the source but far apart in the target: also two reuses.
    gap = [[(4, 0), (5, 1), (1, 9), (2, 10)]]
    assert len(_monotone_parts(gap, 2, reorder_gap=1)) == 2


def test_trimming_drops_a_stray_seed_together_with_the_gap_that_joined_it() -> None:
    """A stray seed joins a fragment across unseeded sentences; dropping only the stray edge
    sentence lowers the cosine, dropping it with the sentence in between raises it a lot."""
    from unspin.align import prepare
    from unspin.align.fragments import _Fragment, _fragment_cosine, _trim

    reuse = (
        "The harbour commission approved the new ferry timetable on Monday. "
        "Evening crossings will run every forty minutes during the summer season. "
        "Residents of the island welcomed the change after years of complaints about delays."
    )
    target = (
        "On Monday the harbour commission approved a new ferry timetable. "
        "During summer evening crossings will run every forty minutes. "
        "After years of complaints about delays, island residents welcomed the change."
    )
    unrelated = (
        "Quarterly revenue figures for mining equipment manufacturers, industrial pumps, "
        "hydraulic valves, conveyor belts, drilling rigs and excavator spare parts rose "
        "sharply across northern provinces, analysts reported, citing export contracts."
    )
    src = prepare(reuse + " " + unrelated + " Delays are expected on Monday.")
    tgt = prepare(target)
    si, tj = (0, len(src.spans) - 1), (0, len(tgt.spans) - 1)
    assert si == (0, 4) and tj == (0, 2)
    f = _Fragment(si, tj, _fragment_cosine(src, tgt, si, tj))
    assert _trim(src, tgt, f, AlignConfig(trim_depth=1)).src == (0, 4)  # one at a time: stuck
    trimmed = _trim(src, tgt, f, AlignConfig())
    assert trimmed.src == (0, 2) and trimmed.tgt == tj and trimmed.sim > f.sim + 0.2


def test_word_share_of_one_source_stretch() -> None:
    """A target rewriting one stretch finds all its words there; a summary's words are spread
    over the source, so no stretch about its length holds most of them."""
    from unspin.align import prepare
    from unspin.align.summary import _word_share

    src = _topic_reports()
    local = prepare("The railways report covers orchestras and their history.")
    spread = prepare("The glaciers report covers bakeries and deserts in detail.")
    unit = src.spans[0][1] - src.spans[0][0]
    assert _word_share(src, local, (0, 0), 3 * unit) == 1.0
    assert _word_share(src, spread, (0, 0), 3 * unit) < 0.9
    assert _word_share(src, spread, (0, 0), 100 * unit) == 1.0
    assert _word_share(src, prepare("Nothing shared."), (0, 0), unit) == 0.0


@settings(max_examples=60, deadline=None)
@given(
    order=st.permutations(range(12)),
    pick=st.lists(st.integers(0, 11), min_size=1, max_size=6),
    width=st.integers(1, 2000),
)
def test_word_share_slides_like_looking_at_every_stretch(
    order: list[int], pick: list[int], width: int
) -> None:
    """The sliding window gives what pooling every stretch of ``width`` characters anew
    gives (the definition), for any source order, target words and width."""
    from collections import Counter

    from unspin.align import prepare
    from unspin.align.summary import _word_share

    topics = TOPICS
    src = prepare(" ".join(f"The {topics[i]} report covers {topics[i]} history." for i in order))
    tgt = prepare("The " + " and ".join(topics[i] for i in pick) + " reports were read.")
    words: Counter[str] = Counter()
    for c in tgt.terms:
        words.update(c)
    anywhere = set().union(*src.terms)
    total = sum(n for w, n in words.items() if w in anywhere)
    best = 0
    for lo in range(len(src.spans)):
        seen: set[str] = set(src.terms[lo])
        for hi in range(lo + 1, len(src.spans)):
            if src.spans[hi][1] - src.spans[lo][0] > width:
                break
            seen.update(src.terms[hi])
        best = max(best, sum(n for w, n in words.items() if w in seen))
    expected = best / total if total else 0.0
    assert _word_share(src, tgt, (0, len(tgt.spans) - 1), width) == expected


def test_a_weak_pair_seeds_next_to_a_seed_on_the_anti_diagonal_when_sentences_are_shuffled() -> (
    None
):
    from unspin.align import prepare
    from unspin.align.seeds import _seeds

    # The garbled second source sentence comes *before* the copied first one in the target.
    garbled = "Inflation reached eight percent, so the step was required, spokesmen explained."
    first = SOURCE.split(". ")[0] + "."
    src = prepare(SOURCE)
    shuffled = prepare(garbled + " " + first)
    on = AlignConfig(shuffled_neighbours=True)
    weak = _seeds(src, shuffled, on)
    assert set(weak) == {(0, 1), (1, 0)} and 0.2 < weak[(1, 0)] <= on.seed_cosine
    assert set(_seeds(src, shuffled, AlignConfig(shuffled_neighbours=False))) == {(0, 1)}


def test_partly_exact_edges_move_over_shorter_exact_runs_nearby() -> None:
    """Random obfuscation garbles a reuse's first words: the first run of three equal tokens
    starts at "raised", but "central" still matches right before it on both sides."""
    from unspin.align import prepare
    from unspin.align.fragments import _Fragment, _fragment_cosine
    from unspin.align.refine import _refine

    reuse = (
        "Bank the central raised interest rates by half a point on Tuesday. The step, officials "
        "said, was required to curb inflation, which reached eight percent last month. Markets "
        "fell sharply after the news, with the main index losing three percent. "
    )
    target = FILLER + reuse + FILLER
    src, tgt = prepare(SOURCE), prepare(target)
    j0 = next(j for j, (a, _) in enumerate(tgt.spans) if target[a:].startswith("Bank"))
    f = _Fragment((0, 2), (j0, j0 + 2), _fragment_cosine(src, tgt, (0, 2), (j0, j0 + 2)))
    s0, _, t0, _ = _refine(src, tgt, f, AlignConfig(refine_chain_gap=0))
    assert target[t0:].startswith("raised") and SOURCE[s0:].startswith("raised")
    s0, _, t0, t1 = _refine(src, tgt, f, AlignConfig(refine_chain_gap=8))
    assert target[t0:].startswith("central raised") and SOURCE[s0:].startswith("central bank")
    assert target[:t1].endswith("losing three percent.")


@settings(max_examples=50, deadline=None)
@given(
    a=st.dictionaries(st.sampled_from("abcdefghij"), st.integers(1, 5), max_size=8),
    b=st.dictionaries(st.sampled_from("abcdefghij"), st.integers(1, 5), max_size=8),
)
def test_counter_cosine_is_the_cosine_whichever_side_is_smaller(
    a: dict[str, int], b: dict[str, int]
) -> None:
    """Walking the smaller side gives the cosine of the definition, bit for bit (counts are
    integers), and the norm a caller passes in stands for the one computed."""
    import math
    from collections import Counter

    from unspin.align.fragments import counter_cosine

    ca, cb = Counter(a), Counter(b)
    dot = sum(x * cb.get(w, 0) for w, x in ca.items())
    na = math.sqrt(sum(x * x for x in ca.values()))
    nb = math.sqrt(sum(x * x for x in cb.values()))
    expected = dot / (na * nb) if na and nb else 0.0
    assert counter_cosine(ca, cb) == expected
    assert counter_cosine(cb, ca) == expected
    assert counter_cosine(ca, cb, norm_a=na) == expected


def _loop_cosines(src: Prepared, tgt: Prepared) -> dict[tuple[int, int], float]:
    """tf-isf cosines of every unit pair that shares a word, as a plain loop over dicts
    (what the seeds computed before they were summed in numpy)."""
    import math

    df: dict[str, int] = {}
    for c in [*src.terms, *tgt.terms]:
        for w in c:
            df[w] = df.get(w, 0) + 1
    n = len(src.terms) + len(tgt.terms)
    isf = {w: math.log((n + 1) / d) for w, d in df.items()}
    sv = [{w: tf * isf[w] for w, tf in c.items()} for c in src.terms]
    tv = [{w: tf * isf[w] for w, tf in c.items()} for c in tgt.terms]
    sn = [math.sqrt(sum(x * x for x in v.values())) or 1.0 for v in sv]
    tn = [math.sqrt(sum(x * x for x in v.values())) or 1.0 for v in tv]
    out = {}
    for i, v in enumerate(sv):
        dots: dict[int, float] = {}
        for w, x in v.items():
            for j, u in enumerate(tv):
                if w in u:
                    dots[j] = dots.get(j, 0.0) + x * u[w]
        for j, dot in dots.items():
            out[(i, j)] = dot / (sn[i] * tn[j])
    return out


_WORDS = "rates bank inflation markets index economists minister spending harvest season".split()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6), min_size=1, max_size=8),
    st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6), min_size=1, max_size=8),
)
def test_seed_cosines_equal_the_loop_to_the_last_bit(
    a: list[list[str]], b: list[list[str]]
) -> None:
    """The seeds' cosines, summed in bulk by numpy, are bit for bit those of a plain loop,
    on both of its paths (one array of every unit pair, or the pairs that occur)."""
    from unspin.align import prepare, seeds

    src_text = " ".join(" ".join(s).capitalize() + "." for s in a)
    tgt_text = " ".join(" ".join(s).capitalize() + "." for s in b)
    cfg = AlignConfig(min_unit_terms=1, synonym_weight=0.0, seed_relative=0.0)
    loop = _loop_cosines(prepare(src_text, cfg), prepare(tgt_text, cfg))
    dense = seeds._seeds(prepare(src_text, cfg), prepare(tgt_text, cfg), cfg)
    assert all(loop[k] == c for k, c in dense.items())
    if a[0] == b[0]:  # the same first sentence always seeds
        assert (0, 0) in dense
    saved = seeds._DENSE_CELLS
    seeds._DENSE_CELLS = 0
    try:
        sparse = seeds._seeds(prepare(src_text, cfg), prepare(tgt_text, cfg), cfg)
    finally:
        seeds._DENSE_CELLS = saved
    assert list(sparse.items()) == list(dense.items())


def test_a_whole_source_pooled_in_numpy_equals_pooling_its_units() -> None:
    from unspin.align import prepare
    from unspin.align.summary import _pooled, _whole

    p = prepare(SOURCE + " " + FILLER + " " + SOURCE)
    pooled = _pooled(p, (0, len(p.spans) - 1))
    assert list(_whole(p).items()) == list(pooled.items())
    assert max(pooled.values()) > 1


_WORDS = st.sampled_from(["rate", "bank", "rise", "cut", "tax", "oil", "fell", "2"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=8), min_size=1, max_size=8), st.data())
def test_pooled_counts_are_the_counters_added_up(
    units: list[list[str]], data: st.DataObject
) -> None:
    """Extension's pooled term counts (a plain dict, or a unit's own counts) against
    ``Counter.update`` over the same units, and the cosine read from them."""
    from collections import Counter

    from unspin.align.fragments import _fragment_cosine, _pooled, counter_cosine

    text = " ".join(f"u{k}." for k in range(len(units)))
    p = Prepared(text, [(0, 1)] * len(units), [Counter(u) for u in units])
    lo = data.draw(st.integers(0, len(units) - 1))
    hi = data.draw(st.integers(lo, len(units) - 1))
    plain: Counter[str] = Counter()
    for k in range(lo, hi + 1):
        plain.update(p.terms[k])
    pooled = _pooled(p, (lo, hi))
    assert dict(pooled) == dict(plain) and list(pooled) == list(plain)
    assert _fragment_cosine(p, p, (lo, hi), (0, 0)) == counter_cosine(plain, p.terms[0])


def test_a_summary_touching_a_longer_fragment_leaves_it_the_sentences_outside() -> None:
    """PAN 03 in a concatenation: a weak three-sentence "summary" touched the last of ten
    sentences of a reused paragraph and removed the paragraph's fragment. The fragment now
    keeps its sentences outside the summary (seeds and cosine counted there); one lying
    mostly inside a summary is still replaced, and with ``summary_trims_fragments`` off
    (the old behaviour) the longer one is too."""
    from unspin.align.fragments import _Fragment
    from unspin.align.pipeline import _with_summaries

    text = _topic_reports()
    seeds = {(i, i): 0.9 for i in range(12)}
    summary = _Fragment((0, 11), (9, 11), 0.38, 5)
    longer = _Fragment((0, 9), (0, 9), 0.62, 10)
    inside = _Fragment((8, 11), (8, 11), 0.7, 4)
    cfg = AlignConfig()
    assert cfg.summary_trims_fragments
    kept = _with_summaries([longer, inside], [summary], text, text, seeds, cfg)
    assert summary in kept and len(kept) == 2
    cut = next(f for f in kept if f is not summary)
    assert (cut.src, cut.tgt, cut.seeds) == ((0, 9), (0, 8), 9)
    assert cut.sim > 0.5  # the same sentences on both sides, counted again without the ninth
    old = replace(cfg, summary_trims_fragments=False)
    assert _with_summaries([longer, inside], [summary], text, text, seeds, old) == [summary]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((5, "The cat sat."), "align: source must be a str, not int"),
        (("The cat sat.", b"The cat sat."), "align: target must be a str, not bytes"),
        (
            ("The cat sat.", "The cat sat.", 5),
            "align(config=...): give an AlignConfig or None, not int",
        ),
        (("The cat sat.", "The cat sat.", "news"), "give an AlignConfig or None, not str"),
    ],
)
def test_align_refuses_arguments_of_the_wrong_type_in_one_line(
    args: tuple[object, ...], message: str
) -> None:
    # Before (robust27): "TypeError: expected string or bytes-like object, got 'int'" from the
    # tokenizer, and "AttributeError: 'int' object has no attribute 'max_unit_chars'", where
    # unspin.compare said what to give.
    with pytest.raises(ConfigError) as caught:
        align(*args)  # type: ignore[arg-type]
    assert message in str(caught.value) and "\n" not in str(caught.value)


def _local_bests_reference(
    by_i: dict[int, list[tuple[int, float]]], k: int
) -> dict[tuple[int, int], float]:
    """The local bests as they were taken up to robust30: each pair against its whole row."""
    return {
        (i, j): max(c for jj, c in pairs if k == 0 or abs(jj - j) <= k)
        for i, pairs in by_i.items()
        for j, _ in pairs
    }


@settings(max_examples=300)
@given(
    rows=st.dictionaries(
        st.integers(0, 5),
        st.dictionaries(
            st.integers(0, 40),
            st.sampled_from([0.5, 0.7, 0.9]) | st.floats(0.0, 1.0),
            min_size=1,
            max_size=15,
        ),
        min_size=1,
        max_size=4,
    ),
    k=st.integers(0, 8),
)
def test_local_bests_agree_with_the_pair_by_pair_reference(
    rows: dict[int, dict[int, float]], k: int
) -> None:
    # robust30: one pass per row replaced a pass over the row for each pair (a sentence
    # repeated 800 times, compared with itself: 50 s); the maxima must be the same.
    from unspin.align.seeds import local_bests

    by_i = {i: list(row.items()) for i, row in rows.items()}
    assert local_bests(by_i, k) == _local_bests_reference(by_i, k)


def test_a_sentence_written_many_times_pairs_its_copies_by_rank() -> None:
    # robust31: a text of one sentence repeated, compared with itself, paired every copy with
    # every copy (300 repetitions: 90,000 seeds; 5,000: 25 million, minutes and GBs). Each copy
    # now pairs with the copies of about its rank, and the copy is still found whole.
    from unspin.align import prepare
    from unspin.align.profiles import NEWS
    from unspin.align.seeds import _seeds

    text = "The harbour workers walked out over pay. " * 300
    src, tgt = prepare(text, NEWS.config), prepare(text, NEWS.config)
    seeds = _seeds(src, tgt, NEWS.config)
    assert len(src.terms) == 300
    assert {(i, i) for i in range(300)} <= set(seeds)
    assert len(seeds) <= 5 * 300
    assert all(abs(i - j) <= 2 for i, j in seeds)
    (passage,) = align(text, text)
    assert (passage.source_start, passage.target_start) == (0, 0)
    assert passage.target_end >= len(text.rstrip()) - 1


@settings(max_examples=200)
@given(
    src_sizes=st.lists(st.integers(1, 130), min_size=1, max_size=3),
    tgt_sizes=st.lists(st.integers(1, 130), min_size=1, max_size=3),
    shuffle=st.randoms(use_true_random=False),
    linked=st.sets(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1),
)
def test_copy_pairs_are_the_pairs_the_rank_band_allows(
    src_sizes: list[int],
    tgt_sizes: list[int],
    shuffle: random.Random,
    linked: set[tuple[int, int]],
) -> None:
    # The copies' pairs are enumerated without trying every pair: they must be exactly the
    # pairs that the rule allows, tried one by one.
    from unspin.align.copies import MANY_COPIES, _in_band, copy_groups, copy_pairs

    def first_copies(sizes: list[int]) -> list[int]:
        labels = [g for g, n in enumerate(sizes) for _ in range(n)]
        shuffle.shuffle(labels)
        first: dict[int, int] = {}
        return [first.setdefault(g, u) for u, g in enumerate(labels)]

    s_first, t_first = first_copies(src_sizes), first_copies(tgt_sizes)
    s_groups, t_groups = copy_groups(s_first), copy_groups(t_first)
    s_ids, t_ids = sorted(s_groups), sorted(t_groups)
    group_dots = [
        (s_ids[a], t_ids[b], float(a + b))
        for a, b in sorted(linked)
        if a < len(s_ids) and b < len(t_ids)
    ]
    partners_of_s = {
        a: sorted(j for a2, b, _ in group_dots if a2 == a for j in t_groups[b]) for a in s_groups
    }
    partners_of_t = {
        b: sorted(i for a, b2, _ in group_dots if b2 == b for i in s_groups[a]) for b in t_groups
    }

    def allowed(copies: list[int], partners: list[int], unit: int, partner: int) -> bool:
        if len(copies) <= MANY_COPIES:
            return True
        rank, other = copies.index(unit), partners.index(partner)
        return _in_band(rank, len(copies), other, len(partners))

    expected = sorted(
        (i, j, d)
        for a, b, d in group_dots
        for i in s_groups[a]
        for j in t_groups[b]
        if allowed(s_groups[a], partners_of_s[a], i, j)
        and allowed(t_groups[b], partners_of_t[b], j, i)
    )
    assert copy_pairs(s_first, t_first, group_dots) == expected


@pytest.mark.parametrize("at_once", [1, 50, 400])
def test_dot_products_taken_a_run_of_units_at_a_time_are_the_same(
    monkeypatch: pytest.MonkeyPatch, at_once: int
) -> None:
    # robust31: a list of 20,000 near-identical lines compared with itself made 1.2 billion
    # products at once (24 GB). Past a bound, runs of source units are taken in turn: the
    # pairs, their order and every sum must be the very same.
    from unspin.align import prepare
    from unspin.align import seeds as seeds_module
    from unspin.align.profiles import NEWS

    source = SOURCE + " " + FILLER + " " + SOURCE.replace("rates", "taxes")
    target = FILLER + SOURCE + " The minister said rates were raised. " + FILLER
    sw, tw, s_to_t = seeds_module._weights(
        prepare(source, NEWS.config), prepare(target, NEWS.config)
    )
    whole = seeds_module._shared_dots(sw, tw, s_to_t, 0.0, None)
    monkeypatch.setattr(seeds_module, "_PRODUCTS_AT_ONCE", at_once)
    assert seeds_module._shared_dots(sw, tw, s_to_t, 0.0, None) == whole
    assert len(whole) > 10


@pytest.mark.parametrize(("frequent", "near"), [(64, None), (3, None), (3, 0.2), (2, 0.05)])
def test_pairs_sharing_only_frequent_words_are_left_out_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch, frequent: int, near: float | None
) -> None:
    # robust32: a list of 20,000 numbered lines compared with itself still summed every pair
    # (71 s). Past a bound, a line whose frequent words alone cannot reach the cosine is
    # paired only with the lines it shares a rarer word with: the very same pairs and sums.
    from unspin.align import prepare
    from unspin.align import seeds as seeds_module
    from unspin.align.profiles import NEWS

    cfg = NEWS.config
    low = min(cfg.seed_cosine, cfg.diagonal_cosine)
    lines = "".join(f"{i}. Item number {i} in the list\n" for i in range(1, 301))
    source = lines + SOURCE + " " + FILLER
    target = FILLER + SOURCE + " " + lines.replace("list", "list of items")
    sw, tw, s_to_t = seeds_module._weights(prepare(source, cfg), prepare(target, cfg))
    whole = seeds_module._shared_dots(sw, tw, s_to_t, low, near)
    made: list[int] = []
    products = seeds_module._products

    def counted(*args: Any) -> tuple[Any, Any]:
        occ, t_entry = products(*args)
        made.append(len(occ))
        return occ, t_entry

    monkeypatch.setattr(seeds_module, "_products", counted)
    monkeypatch.setattr(seeds_module, "_PRODUCTS_AT_ONCE", 500)
    monkeypatch.setattr(seeds_module, "_FREQUENT", frequent)
    assert seeds_module._shared_dots(sw, tw, s_to_t, low, near) == whole
    assert len(whole) > 300
    assert sum(made) < 20_000  # all pairs: over 90,000 products (300 lines by 300, 3 words)


# A made-up paragraph and a thesaurus spin of it as SpinBot writes one: about half of each
# sentence's content words swapped for synonyms, names, numbers and function words kept in
# place. Every sentence's plain cosine falls under the news profile's seed cosine.
_HARBOUR = (
    "The old harbour town of Port Ellis hosted a small festival every summer, when fishermen "
    "sold their catch on the main square. Visitors praised the quiet streets and the friendly "
    "people, and many returned the following year. The mayor said the event brought money to "
    "local shops and gave young families a reason to stay in the town."
)
_HARBOUR_SPUN = (
    "The ancient harbour town of Port Ellis facilitated a little festival each summer, when "
    "anglers sold their haul on the principal square. Guests lauded the quiet avenues and the "
    "amiable people, and numerous returned the next year. The chairman said the occasion "
    "brought cash to local stores and gave youthful families a motivation to remain in the town."
)


def _covered(passages: list[Any], target: str) -> float:
    return sum(p.target_end - p.target_start for p in passages) / len(target)


def test_a_paragraph_spun_whole_is_aligned_whole() -> None:
    # Before: only the first sentence (plain cosine 0.30) seeded; the other two (0.12, 0.20)
    # were never checked for synonyms, so 135 of 351 characters were covered.
    found = align(_HARBOUR, _HARBOUR_SPUN)
    assert _covered(found, _HARBOUR_SPUN) > 0.95
    # ... and unspin.compare, which a fact-checker runs on such a pair, says the same; trace,
    # aligning an article with a corpus's candidates, keeps the news profile.
    assert unspin.compare(_HARBOUR, _HARBOUR_SPUN).sources[0].coverage > 0.95
    assert _covered(align(_HARBOUR, _HARBOUR_SPUN, NEWS.config), _HARBOUR_SPUN) < 0.5


def test_one_spun_sentence_is_aligned() -> None:
    # Before: nothing (one seed under single_seed_cosine in plain words).
    source = (
        "Visitors praised the quiet streets and the friendly people of Port Ellis, and many "
        "returned the following year."
    )
    spun = (
        "Guests lauded the quiet avenues and the amiable people of Port Ellis, and numerous "
        "returned the next year."
    )
    assert _covered(align(source, spun), spun) > 0.95


def test_synonyms_under_the_synonym_floor_count_only_in_the_sources_order() -> None:
    # The same synonyms as the spin, in another order (same-topic sentences, not a spin):
    # nothing with the news profile; without the order check the synonyms would align them.
    source = _HARBOUR.split(". ", 1)[1]
    scrambled = (
        "Numerous guests returned the next year, lauding amiable people and quiet avenues. "
        "Youthful families in the town gave a motivation for cash, said the chairman: local "
        "stores brought the occasion."
    )
    assert align(source, scrambled) == []
    assert align(source, scrambled, replace(NEWS_PAIR.config, synonym_order=0.0))


def test_a_catalogue_entry_with_other_numbers_is_not_a_spin() -> None:
    source = (
        "Stela 34 was found at the base of Structure 8, where it stood in a row of five "
        "monuments near the old plaza."
    )
    spun = (
        "Stela 35 was discovered at the foundation of Structure 8, where it stood in a line of "
        "five landmarks close to the ancient plaza."
    )
    assert align(source, spun) == []
    assert _covered(align(source, spun.replace("35", "34")), spun) > 0.95


def test_a_spun_paragraph_whose_middle_sentences_seed_nothing_is_aligned_whole() -> None:
    # Its first and last sentences seed; the two between are reworded too far to seed alone.
    # Before: the group of two seeds failed the plain cosine, was split, and the middle was
    # left out (259 of 481 characters).
    source = _HARBOUR + (
        " Critics of the festival complained about the noise and the traffic on the coast road "
        "during the busy weekends."
    )
    spun = (
        "The ancient port town of Port Ellis facilitated a little celebration each summer, when "
        "anglers vended their haul on the principal plaza. Numerous guests, lauding amiable "
        "people and quiet avenues, came back again in the next year. Stores got cash from the "
        "occasion, the chairman stated, and youthful households were given motivation to remain "
        "in the village. Pundits of the celebration grumbled about the clamor and the "
        "congestion on the coastline road during the occupied weekends."
    )
    assert _covered(align(source, spun), spun) > 0.95
    # Two unrelated sentences between the same two spun ones break the order: they stay out.
    first, last = spun.split(". ")[0] + ". ", spun.split(". ")[3]
    unrelated = (
        "Gardeners in the north report an unusually early harvest of tomatoes and beans this "
        "year. Seed merchants reported brisk trade in onion sets and broad beans across the "
        "county. "
    )
    found = align(source, first + unrelated + last)
    assert [(p.target_start, p.target_end) for p in found] == [
        (0, len(first) - 1),
        (len(first + unrelated), len(first + unrelated + last)),
    ]
