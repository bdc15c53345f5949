"""Label every difference between a source passage and its reuse.

The pipeline: tokenise both passages (:mod:`.tokens`), diff the token keys, then classify each
difference block. Equal-length blocks are paired token by token; unequal blocks keep their
related pairs at either end and treat the rest as one rewording. Deleted stretches that reappear
as inserted stretches become ``reordering`` (:mod:`.moves`); wording changes inside source
quotations become ``quote_change``.

Identical stretches are *not* returned as edits (a 50 KB verbatim copy would otherwise produce a
long list of nothing); :func:`alignment_counts` gives the token coverage reports need.

Evidence for a label is recorded in ``Edit.evidence``: ``moby`` (Moby thesaurus), ``lemminflect``,
``stem`` (Porter2), ``osa`` (character edit distance), ``wordfreq``, ``grammar`` (closed classes:
numbers, dates, negators), ``affix`` (a negative prefix such as un-/in-/dis-), ``text2num`` (one
number written two ways), ``countryinfo`` / ``initials`` / ``abbreviation`` (one name written two
ways), ``calendar`` (one date field, day or time of day written two ways, also in another notation:
:mod:`.notations`), ``breame`` (British and American spelling), ``wordnet`` (WordNet 3.0: a
word put for its antonym, or a word of a name of two or more words that WordNet lists,
"United Nations", garbled).

A distortion is a changed *fact*: a number, name or date of the source stretch that the whole
reuse lacks, replaced by one the whole source lacks, or a negation gained or lost overall (see
:mod:`.facts`). Equivalent writings ("9"/"nine", "US"/"United States", "Jan."/"January") and
facts that only moved are not distortions. Every pair label is symmetric: swapping source and
target gives the same label.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache, partial

import lemminflect
from breame.spelling import get_american_spelling
from rapidfuzz.distance import OSA

from ..lemma_table import install_lemma_table, is_auxiliary, pronouns
from ..lemma_table import known_lemmas as _known_lemmas
from ..lexicon import common_word, synonyms, thesaurus, zipf
from ..text import FUNCTION_WORDS, normalize_word, stem
from ..types import DISTORTION_LABELS, Edit, Passage
from .antonyms import opposite
from .facts import (
    Facts,
    have_yet_to,
    in_negator_adverb,
    is_denial,
    lost,
    name_forms,
    negating_verb_at,
    negator_count,
    same_number,
    share_date_readings,
)
from .moves import reorderings
from .names import abbreviated_nouns, country_of, lower_case_words
from .notations import share_notations
from .numbers import number_value
from .tokens import (
    NEGATIONS,
    QUOTE_CHARS,
    SENTENCE_END,
    Block,
    Tok,
    align,
    date_positions,
    is_escape_code,
    is_negation,
    is_number,
    only_list_joiners,
    quote_spans,
    same_surface,
    tokenize,
    whole_tokens,
)

install_lemma_table()  # lemminflect reads its lemmas from our cache: a cold start is faster

# Negative prefixes of English derivational morphology: "likely"/"unlikely" reverse meaning.
_NEG_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "non-")
# A word at least this frequent (wordfreq Zipf) is a real word: a change to it is a substitution,
# not character noise.
_REAL_WORD_ZIPF = 3.0
# Longest stretch (tokens) read as one name replaced; longer rewordings are paraphrases.
_NAME_RUN = 5
# Pair labels that may be split off the ends of an unequal block.
_PEEL = frozenset({"case_or_punctuation", "typo", "inflection", "synonym"})
# Capitalised words above this frequency that lemminflect lacks are function words ("although").
_NAME_MAX_ZIPF = 5.1
# No name is among the most frequent words of English (wordfreq Zipf 6: "so", "the", "will").
_FUNCTION_ZIPF = 6.0
# Labels whose quoted wording counts as a quote change (noise and distortions keep their label).
_QUOTE_WORDING = frozenset({"synonym", "paraphrase", "inflection", "insertion", "deletion"})


@dataclass(frozen=True, slots=True)
class _Label:
    label: str
    confidence: float
    evidence: str | None = None


@dataclass(slots=True)
class _Ctx:
    source: str
    target: str
    src: list[Tok]
    tgt: list[Tok]
    src_dates: set[int]
    tgt_dates: set[int]
    names: frozenset[str]  # keys seen capitalised mid-sentence and never in lower case
    lower_stems: frozenset[str]  # stems of the words either text writes in lower case
    src_starts: frozenset[int]  # tokens starting a sentence, list item or heading
    tgt_starts: frozenset[int]
    quote_starts: list[int]  # the source's quotations
    quote_ends: list[int]
    tgt_quote_starts: list[int]  # the reuse's
    tgt_quote_ends: list[int]
    src_origin: int  # where the source passage starts
    tgt_origin: int
    src_facts: Facts
    tgt_facts: Facts


@lru_cache(maxsize=50_000)
def _lemmas(word: str) -> frozenset[str]:
    found = lemminflect.getAllLemmas(word)
    if not found:
        found = lemminflect.getAllLemmasOOV(word, "NOUN") | lemminflect.getAllLemmasOOV(
            word, "VERB"
        )
    return frozenset(lem.lower() for forms in found.values() for lem in forms)


def _moby_synonyms(a: str, b: str) -> bool:
    """Moby lists the words, or their lemmas ("rose" -> "rise"), as synonyms.

    Moby spells American English, so British spellings are read in their American form first
    ("emphasised" -> "emphasized").
    """
    a, b = _american(a), _american(b)
    th = thesaurus()
    if th.are_synonyms(a, b):
        return True
    return any(th.are_synonyms(x, y) for x in _lemmas(a) | {a} for y in _lemmas(b) | {b})


@lru_cache(maxsize=50_000)
def _american(word: str) -> str:
    return get_american_spelling(word) or word


def _letters(key: str) -> str:
    return "".join(c for c in normalize_word(key) if c.isalnum())


def _negative_affix(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_ == p + short for p in _NEG_PREFIXES) and len(short) >= 3


@lru_cache(maxsize=50_000)
def _may_name(key: str) -> bool:
    """Whether a word can be (part of) a name at all: not a word lemminflect reads only as an
    adverb or verb ("Therefore", "Using"), nor one of the most frequent words ("So"). Joined
    lines of a list or a heading put such words mid-sentence with a capital."""
    pos = lemminflect.getAllLemmas(key)
    if pos and not ({"NOUN", "ADJ", "PROPN"} & set(pos)):
        return False
    return zipf(key) < _FUNCTION_ZIPF


@lru_cache(maxsize=50_000)
def _common(key: str) -> bool:
    """A word Moby knows, itself or its lemma, only in lower case ("Researchers", "Despite",
    "Kinds"): capitalised, it heads a title-case heading or a joined list item, it is not a
    name. Moby keeps the capitals of names ("Congress", "Paris"), so those stay names."""
    return common_word(key) or any(common_word(lem) for lem in _known_lemmas(key))


def _lower_case_word(key: str) -> bool:
    """WordNet writes the word, or the singular lemminflect's rules make of it, only in lower
    case: a common word newer or rarer than lemminflect's dictionary and Moby ("Filmmakers" at
    a sentence start), not a name."""
    words = lower_case_words()
    singular = lemminflect.getAllLemmasOOV(key, "NOUN").get("NOUN", ())
    return key in words or any(lem.lower() in words for lem in singular)


def _item_starts(toks: list[Tok]) -> frozenset[int]:
    """Tokens whose capital says nothing about a name: sentence starts, the first word after a
    colon, closing bracket or semicolon (a list item once lines are joined: "are:
    Microstructure: An increase"), and every word of a title-case heading that ends in a colon
    ("Key Education Policies and Programs:"), where only function words are in lower case. A
    word in all capitals is an acronym there, not a start."""
    starts = {i for i, t in enumerate(toks) if t.sentence_start}
    starts |= {i + 1 for i, t in enumerate(toks[:-1]) if t.raw in (":", ")", ";")}
    for i, t in enumerate(toks):
        if t.raw != ":":
            continue
        j = i - 1
        while (
            j >= 0
            and toks[j].is_word
            and (toks[j].raw[0].isupper() or toks[j].key in FUNCTION_WORDS)
        ):
            j -= 1
        if i - j > 1 and (j < 0 or j + 1 in starts or not toks[j].is_word):
            starts.update(range(j + 1, i))
    acronyms = {i for i, t in enumerate(toks) if len(t.raw) > 1 and t.raw.isupper()}
    return frozenset(i for i in starts if toks[i].sentence_start or i not in acronyms)


def _quoted_sentence_starts(
    text: str, toks: list[Tok], spans: list[tuple[int, int]]
) -> frozenset[int]:
    """The first word of each quotation that reads as a sentence, not a title: its capital
    says nothing about a name, as at any sentence start ('Goldman affirmed that "Revolution
    is indeed a violent process,"'). A quotation reads as a sentence when a later word of it
    is in lower case and no function word; a title keeps its words in capitals ("Mother
    Earth", "Game of the Year"). A quotation opening with a nested quote or an acronym is
    left alone."""
    out: set[int] = set()
    starts = [t.start for t in toks]
    for a, b in spans:
        if a == 0 or text[a - 1] not in QUOTE_CHARS:
            continue  # a passage that begins inside a quotation starts a sentence anyway
        first = bisect_left(starts, a)
        if first == len(toks) or toks[first].start != a or not toks[first].is_word:
            continue
        if len(toks[first].raw) > 1 and toks[first].raw.isupper():
            continue  # an acronym, as at an item start
        rest = toks[first + 1 : bisect_left(starts, b)]
        if any(t.raw[0].islower() and t.key not in FUNCTION_WORDS for t in rest):
            out.add(first)
    return frozenset(out)


def _name_at(ctx: _Ctx, toks: list[Tok], i: int) -> bool:
    """Token ``i`` of ``toks`` (``ctx.src`` or ``ctx.tgt``) is (part of) a name."""
    starts = ctx.src_starts if toks is ctx.src else ctx.tgt_starts
    prev, tok = (toks[i - 1], toks[i]) if i else (None, toks[i])
    run_on = prev is not None and prev.end == tok.start and prev.raw[0].isdigit()
    if run_on and (tok.raw.isupper() or len(tok.raw) <= 2):
        return False  # capitals run on from digits: a unit or a model ("3D", "5ESS"), not a name
    if len(tok.raw) == 1 and _in_formula(toks, i):
        return False
    return _is_name(toks[i], ctx.names, start=i in starts, lower_stems=ctx.lower_stems)


def _in_formula(toks: list[Tok], i: int) -> bool:
    """Token ``i`` is written against a bracket opened after it or a bar beside it: a function
    or a variable of a formula ("P(B|A)", "f(x)"), not a name as "Hepatitis B" is."""
    after = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].start == toks[i].end else None
    before = toks[i - 1] if i and toks[i - 1].end == toks[i].start else None
    return (after is not None and after.raw in "(|") or (before is not None and before.raw == "|")


_I_WITH = ("I'", "I\u2019")


def _is_name(
    tok: Tok,
    names: frozenset[str],
    *,
    start: bool | None = None,
    lower_stems: frozenset[str] = frozenset(),
) -> bool:
    if not tok.raw[0].isupper() or not tok.is_word or tok.raw == "I" or tok.raw[:2] in _I_WITH:
        return False  # (the pronoun, also contracted: "I'd", "I’m")
    if not _may_name(tok.key):
        return False
    at_start = tok.sentence_start if start is None else start
    if at_start and (_common(tok.key) or _lower_case_word(tok.key)):
        return False
    if tok.key in names and not at_start:
        return True
    if not at_start:
        # Mid-sentence, a capitalised dictionary word written in lower case elsewhere in the two
        # texts is a common word in a title ("Key Education Policies"), not a name.
        # Function words ("An", "So") are not in lemminflect's dictionary but are frequent.
        known = bool(lemminflect.getAllLemmas(tok.key)) or zipf(tok.key) >= _NAME_MAX_ZIPF
        return not known or zipf(tok.key) < _REAL_WORD_ZIPF
    if tok.key in names:
        return True
    # At a sentence, item or heading start a capital says nothing; trust the rest of the text
    # (a word either text also writes in lower case, or a form of one: "Hydration" / "hydration",
    # "Institutionalists" / "institutionalist"), or the lexicons: a word lemminflect's
    # dictionary lacks that is not among the most frequent English words. (A rare word the
    # dictionary knows, "Extrinsic", "Lastly", is not a name.)
    if stem(tok.key) in lower_stems:
        return False
    return not lemminflect.getAllLemmas(tok.key) and zipf(tok.key) < _NAME_MAX_ZIPF


def _denial_reworded(a: str, b: str) -> bool:
    """A denying adverb put for a word Moby lists as its synonym: one denial said two ways,
    "rarely" / "infrequently" (QuillBot, benchmarks 10.38), "hardly" / "barely". The negators
    themselves always count ("not" / "never" is no synonym pair Moby should decide)."""
    if a in NEGATIONS or b in NEGATIONS or a.endswith("n't") or b.endswith("n't"):
        return False
    return _moby_synonyms(a, b)


def _typo_like(a: str, b: str) -> bool:
    """Character noise: a small edit distance (transposition = 1) between two letter strings."""
    if not (a.isalpha() and b.isalpha()) or min(len(a), len(b)) < 3:
        return False
    limit = 1 if max(len(a), len(b)) < 7 else 2
    return OSA.distance(a, b, score_cutoff=limit) <= limit


def _pair_label(ctx: _Ctx, si: int, ti: int) -> _Label | None:
    """Classify one source token against one target token; None when nothing relates them."""
    s, t = ctx.src[si], ctx.tgt[ti]
    if s.key == t.key or (not s.is_word and not t.is_word):
        return _Label("case_or_punctuation", 1.0, "grammar")
    if s.is_word != t.is_word:
        return None
    denial = is_denial(s) != is_denial(t) and not _denial_reworded(s.key, t.key)
    if (
        denial
        and not (is_negation(s) or is_negation(t))
        and opposite(_letters(s.key), _letters(t.key))
        and _reversal_stands(ctx, si, ti)
    ):
        # A denying adverb put for its antonym, "often" / "seldom": WordNet's pair decides,
        # whatever other negators the passage moved.
        return _Label("negation", 0.8, "wordnet")
    if denial:
        if _nor_for_negated_or(ctx, si, si + 1, ti, ti + 1):
            return None  # "not A or B" / "not A nor B": one negation
        if _negation_changed(ctx, 1 if is_denial(s) else -1, si, si + 1, ti, ti + 1):
            return _Label("negation", 0.95, "grammar")
        return None  # a negator that only moved within the passage
    if _negative_affix(s.key, t.key):
        # "able" -> "unable" with "not" dropped nearby ("not be able" / "be unable") keeps the
        # sentence's polarity.
        direction = 1 if len(s.key) > len(t.key) else -1
        # (The whole-text count knows negators only, not prefixes: the sentence decides.)
        if _negation_changed(ctx, direction, si, si + 1, ti, ti + 1, whole=False):
            return _Label("negation", 0.85, "affix")
        return _Label("paraphrase", 0.8, "affix")
    ls, lt = _letters(s.key), _letters(t.key)
    if ls == lt and (ls.isalpha() or not (is_number(s) or is_number(t))):
        # Only digits or apostrophes differ: injected digits are noise, the rest punctuation.
        if normalize_word(s.key) != s.key or normalize_word(t.key) != t.key:
            return _Label("typo", 0.95, "digits")
        return _Label("case_or_punctuation", 0.9, "grammar")
    if (dated := _date_pair(ctx, si, ti)) is not None:
        return dated
    if (
        is_number(s)
        and is_number(t)
        and not (is_escape_code(ctx.src, si) or is_escape_code(ctx.tgt, ti))
    ):
        same = same_number(s, t)
        if same:
            return _Label("case_or_punctuation" if ls == lt else "synonym", 0.9, "text2num")
        if _number_gone(ctx.src_facts, si, ctx.tgt_facts) and _number_gone(
            ctx.tgt_facts, ti, ctx.src_facts
        ):
            return _Label("number_change", 0.95, "grammar")
        return None  # part of one number written two ways ("100" / "one hundred"), or moved
    # Dictionary inflections first ("takeover"/"takeovers"), then noise: lemminflect would also
    # lemmatise a misspelling as an unknown word ("compnay" -> "compnay"), so OOV lemmas come later.
    if _known_lemmas(ls) & _known_lemmas(lt):
        return _Label("inflection", 0.95, "lemminflect")
    # One country written two ways ("Qatari" / "Qatar") before character noise would claim it.
    country = country_of(s.raw) if s.raw[0].isupper() and t.raw[0].isupper() else None
    if country is not None and country == country_of(t.raw):
        return _Label("synonym", 0.9, "countryinfo")
    typo = _typo_like(ls, lt)
    # Noise when either side is not a real word, so that the label is the same both ways.
    real_pair = _real_word(s.key, ls) and _real_word(t.key, lt)
    if (
        typo
        and not real_pair
        and not (_known_lemmas(ls) and _known_lemmas(lt) and _same_stem(ls, lt))
    ):
        # (A rarer form of the same word, "telephone" / "telephonic", is no noise.)
        return _Label("typo", 0.9, "osa")
    if _lemmas(ls) & _lemmas(lt):
        return _Label("inflection", 0.85, "lemminflect")
    if stem(ls) == stem(lt):
        return _Label("inflection", 0.85, "stem")
    if opposite(ls, lt) and _reversal_stands(ctx, si, ti):
        # Before Moby, which lists antonyms among synonyms ("rise" / "fall").
        return _Label("negation", 0.8, "wordnet")
    if _country_name_broken(ctx, si, ti):
        return _Label("entity_change", 0.85, "countryinfo")
    if _proper_name_broken(ctx, si, ti):
        return _Label("entity_change", 0.85, "wordnet")
    if _common(ls) and _common(lt) and _moby_synonyms(ls, lt):
        # Two common words Moby lists as synonyms are a synonym even capitalised, as in a
        # title-case heading ("ASTM Types I" / "ASTM Kinds I", "Work Done" / "work completed").
        return _Label("synonym", 0.9, "moby")
    if _abbreviated(s.raw, t.raw) and _moby_synonyms(ls, lt):
        # A common word written as the abbreviation Moby lists for it ("television" / "TV"):
        # the same thing, not a name brought in (SpinBot does it, benchmarks 15.16).
        return _Label("synonym", 0.9, "moby")
    if _abbreviated(s.raw, t.raw) and (kin := _abbreviated_noun(s.raw, t.raw)):
        # An abbreviation WordNet writes for a common noun, put for a word naming the same
        # thing ("microcomputer" / "PC") or a thing it is a kind of ("computer" / "PC", a
        # narrower word): a word changed, not a name brought in (SpinBot, benchmarks 10.36).
        return _Label("synonym" if kin == "same" else "paraphrase", 0.8, "wordnet")
    if _names_changed(ctx, si, si + 1, ti, ti + 1):
        return _Label("entity_change", 0.85, "capitals")
    if _american(ls) == _american(lt):
        return _Label("synonym", 0.9, "breame")  # "organisation" / "organization"
    if _moby_synonyms(ls, lt):
        return _Label("synonym", 0.9, "moby")
    if typo:
        return _Label("typo", 0.5, "osa")  # a real-word error, or a swap no resource explains
    return None


def _abbreviated(a: str, b: str) -> bool:
    """One word in lower case, the other in capitals: a word and an abbreviation."""
    return (a.islower() and b.isupper() and len(b) >= 2) or (
        b.islower() and a.isupper() and len(a) >= 2
    )


def _abbreviated_noun(a: str, b: str) -> str | None:
    """How WordNet relates an abbreviation of a common noun to a word in lower case, one on
    each side: "same" (one synset: "PC" / "microcomputer"), "broader" (the word names a
    hypernym of it, up to two steps: "PC" / "computer"), or None ("NATO" is no common noun)."""
    abbreviation, word = (a, b) if a.isupper() else (b, a)
    kin = abbreviated_nouns().get(abbreviation)
    if kin is None:
        return None
    word = word.lower()
    if word in kin[0]:
        return "same"
    return "broader" if word in kin[1] else None


def _real_word(key: str, letters: str) -> bool:
    """A word wordfreq finds frequent enough to be no misspelling: its letters, or the word
    without a possessive ending ("another's" reads as "another", not as "anothers")."""
    if zipf(letters) >= _REAL_WORD_ZIPF:
        return True
    base = _possessor(normalize_word(key))
    return base is not None and zipf(base) >= _REAL_WORD_ZIPF


def _possessor(key: str) -> str | None:
    """The word a possessive is made from ("another's" -> "another", "nations'" -> "nations");
    None for a word without a possessive ending."""
    key = key.replace("\u2019", "'")
    if key.endswith("'s") and len(key) > 2:
        return key[:-2]
    if key.endswith("s'") and len(key) > 2:
        return key[:-1]
    return None


def _country_name_broken(ctx: _Ctx, si: int, ti: int) -> bool:
    """A word of a country's name put for a capitalised word that names no country, either
    way round, and the other text names that country nowhere: "United States" / "Joined
    States", "New Zealand" / "Fresh Zealand". Moby lists "united" and "joined" as synonyms,
    but the name no longer says the country. Not a code in capitals ("MAC" is also Macao's),
    nor a country the other text names elsewhere (a reordered "Chinese and Islamic")."""
    s, t = ctx.src[si], ctx.tgt[ti]
    if not (s.raw[0].isupper() and t.raw[0].isupper()):
        return False
    sc, tc = ctx.src_facts.country_at(si), ctx.tgt_facts.country_at(ti)
    if sc is not None and tc is None:
        return not s.raw.isupper() and sc not in ctx.tgt_facts.countries
    if tc is not None and sc is None:
        return not t.raw.isupper() and tc not in ctx.src_facts.countries
    return False


def _proper_name_broken(ctx: _Ctx, si: int, ti: int) -> bool:
    """A word of a name WordNet lists (two or more capitalised words: "United Nations", "Red
    Cross") put for a capitalised word, either way round, where the other text says that name
    nowhere and its own word there is no word of that name: "United Nations" / "Joined
    Countries". Moby links "united" / "joined" and "nations" / "countries", but the garbled
    name names nothing. A title-case heading's words are no WordNet name, and a name the
    rewrite moved or wrote again elsewhere is kept."""
    s, t = ctx.src[si], ctx.tgt[ti]
    if not (s.raw[0].isupper() and t.raw[0].isupper()) or s.raw.isupper() or t.raw.isupper():
        return False
    for facts, other, i, word in (
        (ctx.src_facts, ctx.tgt_facts, si, t),
        (ctx.tgt_facts, ctx.src_facts, ti, s),
    ):
        name = facts.proper_name_at(i)
        if name is not None and word.key not in name and not other.says(name):
            return True
    return False


def _same_stem(a: str, b: str) -> bool:
    return stem(a) == stem(b)


def _reversal_stands(ctx: _Ctx, si: int, ti: int) -> bool:
    """A word put for its antonym reverses what the sentence says unless the rewrite turned the
    sentence round with it: a negator or "less" gained or lost in the sentence ("less
    expensive" / "cheaper"), another antonym pair in it ("more decentralized" / "less
    centralized"), or either word still in the other text (the pair is then two words of
    the passage the diff matched across each other, "dorsal" / "ventral" swapped round)."""
    s, t = ctx.src[si], ctx.tgt[ti]
    if s.key in FUNCTION_WORDS or t.key in FUNCTION_WORDS:
        return False  # "in" / "out", "on" / "off": the diff pairs such words by chance
    if _name_at(ctx, ctx.src, si) or _name_at(ctx, ctx.tgt, ti):
        return False  # "North America" / "South America" changes a name
    if _in_text(s.key, ctx.tgt) or _in_text(t.key, ctx.src):
        return False
    s_sent, t_sent = _sentences_around(ctx.src, si, si + 1), _sentences_around(ctx.tgt, ti, ti + 1)
    # (The pair's own denial aside: "often" / "seldom" differ by "seldom".)
    own = is_denial(s) - is_denial(t)
    if _polarity(s_sent, t_sent) - _polarity(t_sent, s_sent) != own:
        return False
    s_only = {x.key for x in s_sent if x.is_word} - {x.key for x in t_sent} - {s.key}
    t_only = {x.key for x in t_sent if x.is_word} - {x.key for x in s_sent} - {t.key}
    return not any(opposite(a, b) for a in s_only for b in t_only)


def _in_text(word: str, toks: list[Tok]) -> bool:
    """``word``, or one of its inflections, is a word of ``toks``."""
    return any(
        t.is_word and (t.key == word or _known_lemmas(t.key) & _known_lemmas(word)) for t in toks
    )


def _number_gone(facts: Facts, i: int, other: Facts) -> bool:
    """The number token ``i`` is part of is missing from the whole ``other`` passage (as often
    as ``facts`` has it). A word the number reader does not read on its own ("dozen", "ninety"
    in "ninety-point") counts as missing: the token values already differ."""
    values = facts.numbers_in(i, i + 1)
    if not values:
        return True
    return any(other.numbers[v] < max(facts.numbers[v], 1) for v in values)


def _joined_letters(toks: list[Tok]) -> str:
    return "".join(_letters(t.key) for t in toks if t.is_word)


def _date_pair(ctx: _Ctx, si: int, ti: int) -> _Label | None:
    """Label a pair where either token belongs to a date; None to let other rules decide."""
    s_in, t_in = si in ctx.src_dates, ti in ctx.tgt_dates
    if not (s_in or t_in):
        return None
    fs = ctx.src_facts.date_fields_at(si)
    ft = ctx.tgt_facts.date_fields_at(ti)
    if fs and fs == ft:
        return _Label("synonym", 0.9, "calendar")  # "Jan" / "January", "3 p.m." / "15:00"
    if len(fs) == 1 and len(ft) == 1:
        return _Label("date_change", 0.95, "grammar")
    # One side is a date, or a date in digits faces one of its fields in words ("9/14/1938" /
    # "September"): changed unless that date is elsewhere in the other passage.
    src_d, tgt_d = ctx.src_facts.dates, ctx.tgt_facts.dates
    if lost(src_d, Counter(fs), tgt_d) or lost(tgt_d, Counter(ft), src_d):
        return _Label("date_change", 0.9, "grammar")
    return _Label("synonym", 0.9, "calendar") if fs and ft else None


def _sentences_around(toks: list[Tok], lo: int, hi: int) -> list[Tok]:
    """The whole sentences that tokens ``lo:hi`` sit in (an empty range: the one it sits in)."""
    if not toks:
        return []
    a = min(lo, len(toks) - 1)
    while a > 0 and not toks[a].sentence_start:
        a -= 1
    b = max(hi, a + 1)
    while b < len(toks) and not toks[b].sentence_start:
        b += 1
    return toks[a:b]


def _negation_changed(
    ctx: _Ctx, direction: int, i1: int, i2: int, j1: int, j2: int, *, whole: bool = True
) -> bool:
    """A stretch that lost (+1) or gained (-1) negators changes the negation only when its
    sentence and the whole reuse did too: a negator that left one stretch for another only
    moved, and "not able" / "unable" is one negation."""
    overall = ctx.src_facts.negations - ctx.tgt_facts.negations
    if whole and (overall == 0 or (overall > 0) != (direction > 0)):
        return False
    s_sent = _sentences_around(ctx.src, i1, i2)
    t_sent = _sentences_around(ctx.tgt, j1, j2)
    in_sentence = _polarity(s_sent, t_sent) - _polarity(t_sent, s_sent)
    if in_sentence == 0 or (in_sentence > 0) != (direction > 0):
        return False
    return not _unexplained_swap(s_sent, t_sent)


def _content_words(sent: list[Tok]) -> list[str]:
    """The words of ``sent`` other than function words and negators (a negating verb too:
    "refused to sign" / "agreed to sign" puts "agreed" for a negation, not for a word)."""
    return [
        t.key
        for k, t in enumerate(sent)
        if t.is_word
        and t.key.isalpha()
        and t.key not in FUNCTION_WORDS
        and not is_denial(t)
        and not negating_verb_at(sent, k)
    ]


def _explained(word: str, others: list[str]) -> bool:
    """``word`` is in ``others`` as itself, an inflection, a stem, a Moby synonym or with a
    negative prefix ("likely" / "unlikely": that prefix is counted as the negation)."""
    return any(
        word == o
        or stem(word) == stem(o)
        or _lemmas(word) & _lemmas(o)
        or _negative_affix(word, o)
        or _moby_synonyms(word, o)
        for o in others
    )


def _unexplained_swap(s_sent: list[Tok], t_sent: list[Tok]) -> bool:
    """Each sentence has a content word the other lacks in any form or synonym: a word put for
    another that no lexicon relates, which may carry the polarity the negator took ("will not
    be equal" / "will be different", "does not create" / "lacks", "remains fixed" / "do not
    change"). Antonyms are by definition not synonyms, and the shipped lexicons know no
    antonyms, so a negator balanced by such a swap is not read as a change of polarity; a
    negator added or dropped in a sentence whose other words are kept, or only reworded by
    synonyms ("ends" / "doesn't stop"), still is."""
    src, tgt = _content_words(s_sent), _content_words(t_sent)
    return any(not _explained(w, tgt) for w in src) and any(not _explained(w, src) for w in tgt)


def _polarity(side: list[Tok], other: list[Tok]) -> int:
    """Negations ``side`` holds against ``other``: its negators (implied ones too) and its
    words that negate one of ``other``'s by a prefix."""
    return negator_count(side) + _affix_negations(side, other)


def _affix_negations(side: list[Tok], other: list[Tok]) -> int:
    """Words of ``side`` that negate a word of ``other``, or its Moby synonym, by a negative
    prefix: "unwilling" / "willing", "incorrect" / "accurate", "unable" / "capable", also with
    a hyphen ("non-zero" / "not zero", "un-matched" / "not matched"). A word ``other`` holds
    too, as often, negates nothing anew ("Instock" in a sentence whose clauses swapped
    places); only its occurrences beyond ``other``'s count."""
    bases = {t.key for t in other if t.is_word and t.key not in FUNCTION_WORDS}
    kept = Counter(t.key for t in other if t.is_word)

    def negates(base: str) -> bool:
        return (
            len(base) >= 3
            and bool(_known_lemmas(base))
            and (
                base in bases
                or any(stem(base) == stem(b) or _moby_synonyms(base, b) for b in bases)
            )
        )

    count = 0
    for k, t in enumerate(side):
        if not t.is_word:
            continue
        if kept[t.key] > 0:
            kept[t.key] -= 1
            continue
        if t.key in _NEG_PREFIXES and k + 2 < len(side) and side[k + 1].raw == "-":
            # The tokenizer splits at the hyphen: the prefix negates the word after it.
            count += negates(side[k + 2].key)
            continue
        count += any(t.key.startswith(p) and negates(t.key[len(p) :]) for p in _NEG_PREFIXES)
        count += (
            _un_word(t.key)
            and not any(negates(t.key[len(p) :]) for p in _NEG_PREFIXES)
            # Reworded whole, not dropped: "Unlike" / "In contrast to" (SpinBot, benchmarks 10.33).
            and not any(_moby_synonyms(t.key, b) for b in bases)
        )
    return count


@lru_cache(maxsize=50_000)
def _un_word(key: str) -> bool:
    """ "un-" or "non-" before a word lemminflect knows, in a word it does not know as a verb:
    a negation whatever the other text says ("unable", "uncertain", "unpredictable"; not the
    reversing verbs "unveil", "unlock")."""
    for prefix in ("un", "non"):
        base = key[len(prefix) :]
        if key.startswith(prefix) and len(base) >= 4 and _known_lemmas(base):
            return "VERB" not in lemminflect.getAllLemmas(key)
    return False


def _negation_flip(ctx: _Ctx, i1: int, i2: int, j1: int, j2: int) -> bool:
    """The stretch turns a statement's polarity: "not willing" / "unwilling" does not."""
    src, tgt = ctx.src[i1:i2], ctx.tgt[j1:j2]
    # (The two tokens after a stretch tell a negating verb: "refused" / "agreed" before "to sign".)
    ns = negator_count(ctx.src[i1 : i2 + 2], implied=False, end=i2 - i1)
    nt = negator_count(ctx.tgt[j1 : j2 + 2], implied=False, end=j2 - j1)
    ns, nt = ns + _affix_negations(src, tgt), nt + _affix_negations(tgt, src)
    # "has yet to" denies ("has signed" / "has yet to sign"); the auxiliary before the stretch
    # tells it, so the whole text is read (the other implied negators, "less", "few", only
    # weigh: "costs less" / "costs" is no denial).
    ns += sum(have_yet_to(ctx.src, k) for k in range(i1, i2))
    nt += sum(have_yet_to(ctx.tgt, k) for k in range(j1, j2))
    if ns == nt or max(len(src), len(tgt)) > _NAME_RUN:
        return False  # a longer rewording: which words answer which is not known
    if _nor_for_negated_or(ctx, i1, i2, j1, j2):
        return False
    if not src or not tgt:
        # A clause deleted or added whole is a deletion or insertion, whatever it says; only a
        # negator added or dropped on its own ("did [not] say", "[fails to] meet") flips what
        # is left.
        toks, lo, hi = (ctx.src, i1, i2) if src else (ctx.tgt, j1, j2)
        # (An auxiliary comes with the negator: do-support, "marks" / "does not mark", or a
        # modal, "helped" / "could not help"; so do the other words of an adverb WordNet
        # glosses as a denial, "helps" / "no longer helps".)
        if any(
            toks[k].is_word
            and not is_denial(toks[k])
            and not have_yet_to(toks, k)
            and toks[k].key not in FUNCTION_WORDS
            and not is_auxiliary(toks[k].key)
            and not in_negator_adverb(toks, k)
            and not negating_verb_at(toks, k)
            for k in range(lo, hi)
        ):
            return False
        if _negation_over_coordination(ctx, i1, i2, j1, j2):
            return False
        if _negated_antonym(ctx, i1, i2, j1, j2):
            return False
    return _negation_changed(ctx, ns - nt, i1, i2, j1, j2)


def _negated_antonym(ctx: _Ctx, i1: int, i2: int, j1: int, j2: int) -> bool:
    """A negator added (or dropped) on its own right before a word put for its antonym, the
    two words next to each other after the stretch: "Prices rose" / "Prices did not fall",
    "cheap" / "not expensive" say the same thing turned round twice (the antonym pair is then
    no reversal either, see :func:`_reversal_stands`). One side of the stretch is empty. An
    antonym elsewhere in the sentence does not count: QuillBot's "This process continues
    until ... transcription ends" / "Transcription doesn't stop ... when" reverses it."""
    s, t = _next_word(ctx.src, i2), _next_word(ctx.tgt, j2)
    if s is None or t is None or s.key in FUNCTION_WORDS or t.key in FUNCTION_WORDS:
        return False
    return opposite(_letters(s.key), _letters(t.key))


def _next_word(toks: list[Tok], at: int) -> Tok | None:
    """The first word of ``toks`` at ``at`` or the token after it (None past the end)."""
    return next((toks[k] for k in range(at, min(at + 2, len(toks))) if toks[k].is_word), None)


# The coordinators a negator before them distributes over: "not A or B" is neither.
_DISJUNCTIONS = frozenset({"or", "nor"})


def _negation_over_coordination(ctx: _Ctx, i1: int, i2: int, j1: int, j2: int) -> bool:
    """A negated clause dropped (or added) right after "or" / "nor", where the other text's
    sentence still denies before that word: "is not responsive, or when it is not tailored"
    / "is not responsive or tailored". The negator before "or" covers what it joins (neither
    one nor the other), so nothing was negated or affirmed anew (one side of the stretch is
    empty). Not "and": "not clear and simple" may be clear and not simple."""
    if i1 < i2:
        toks, lo, other, at = ctx.src, i1, ctx.tgt, j1
    else:
        toks, lo, other, at = ctx.tgt, j1, ctx.src, i1
    if not (lo and at and toks[lo - 1].key in _DISJUNCTIONS):
        return False
    if other[at - 1].key != toks[lo - 1].key:
        return False
    sentence = _sentences_around(other, at - 1, at)
    before = [t for t in sentence if t.start < other[at - 1].start]
    return negator_count(before, implied=False) > 0


def _nor_for_negated_or(ctx: _Ctx, i1: int, i2: int, j1: int, j2: int) -> bool:
    """ "or" put as "nor" (or back) where a negator before it in the "or" text's sentence
    already covers what it joins: "is not the only or even the most important" / "is not the
    sole nor even the most crucial" deny the same two things. Without that negator "nor"
    brings in a negation of its own."""
    if i2 - i1 != 1 or j2 - j1 != 1 or {ctx.src[i1].key, ctx.tgt[j1].key} != _DISJUNCTIONS:
        return False
    toks, at = (ctx.src, i1) if ctx.src[i1].key == "or" else (ctx.tgt, j1)
    sentence = _sentences_around(toks, at, at + 1)
    before = [t for t in sentence if t.start < toks[at].start]
    return negator_count(before, implied=False) > 0


def _date_moved_in(ctx: _Ctx, i1: int, i2: int, j1: int, j2: int) -> bool:
    """An inserted or deleted date field where the reuse also lost or gained another: the diff
    splits "30 December" -> "Jan. 30" into a deletion and an insertion around the kept day."""
    if i1 < i2 and j1 < j2:
        return False
    if not _only_date_words(ctx, i1, i2, j1, j2):
        return False  # a clause that holds a date, dropped or added whole: "since 1987 there ..."
    sf, tf = ctx.src_facts, ctx.tgt_facts
    if i1 < i2:
        return lost(sf.dates, sf.dates_in(i1, i2), tf.dates) and any(
            tf.dates[k] > sf.dates[k] for k in tf.dates
        )
    return lost(tf.dates, tf.dates_in(j1, j2), sf.dates) and any(
        sf.dates[k] > tf.dates[k] for k in sf.dates
    )


def _only_date_words(ctx: _Ctx, i1: int, i2: int, j1: int, j2: int) -> bool:
    """Every word of the stretch (one side is empty) is part of a date or a function word."""
    toks, dates, lo = (ctx.src, ctx.src_dates, i1) if i1 < i2 else (ctx.tgt, ctx.tgt_dates, j1)
    hi = i2 if i1 < i2 else j2
    return all(
        k in dates or not toks[k].is_word or toks[k].key in FUNCTION_WORDS for k in range(lo, hi)
    )


def _facts_changed(ctx: _Ctx, i1: int, i2: int, j1: int, j2: int) -> str | None:
    """The fact a reworded stretch changed: a date or number of the source stretch missing from
    the whole reuse *and* one of the reuse stretch missing from the whole source, or a name
    missing from the other text."""
    sf, tf = ctx.src_facts, ctx.tgt_facts
    if lost(sf.dates, sf.dates_in(i1, i2), tf.dates) and lost(
        tf.dates, tf.dates_in(j1, j2), sf.dates
    ):
        return "date_change"
    if lost(sf.numbers, sf.numbers_in(i1, i2), tf.numbers) and lost(
        tf.numbers, tf.numbers_in(j1, j2), sf.numbers
    ):
        return "number_change"
    if max(i2 - i1, j2 - j1) > _NAME_RUN:
        return None
    if _names_changed(ctx, i1, i2, j1, j2):
        return "entity_change"
    return None


def _names_changed(ctx: _Ctx, i1: int, i2: int, j1: int, j2: int) -> bool:
    """A name gone, a name brought in, or one name put for another changes who or where;
    either way round, so that the label does not depend on which text is the source.

    A capitalised common word (Moby writes it only in lower case) mid-sentence may be a name
    ("the Treasury", "Agriculture") or a word of a heading the rewording joined to the text
    ("in the brain Researchers who", "(Percentage of Work Done)"): it changes a name when the
    other side lost or brought in a name too ("Agriculture" / "Budget"), not on its own.

    A pronoun put for a name, or a name for a pronoun, refers to it when the pronoun's text
    still says the name's words, in any case: "The Obama Administration's" / "With its", the
    reuse going on about "the Obama administration". A pronoun whose text names no such one
    ("He" / "London") and a common noun ("John Smith" / "the spokesman": which spokesman is
    not said) change the name."""
    sf, tf = ctx.src_facts, ctx.tgt_facts
    s_names = [i for i in range(i1, i2) if _name_at(ctx, ctx.src, i) and not _kept(sf, i, tf)]
    t_names = [j for j in range(j1, j2) if _name_at(ctx, ctx.tgt, j) and not _kept(tf, j, sf)]
    s_toks, t_toks = [ctx.src[i] for i in s_names], [ctx.tgt[j] for j in t_names]
    if (s_toks and not t_toks and _a_reference(ctx.tgt, j1, j2) and _still_said(s_toks, tf)) or (
        t_toks and not s_toks and _a_reference(ctx.src, i1, i2) and _still_said(t_toks, sf)
    ):
        return False
    s_gone = [_weak_name(ctx.src, i) for i in s_names]
    t_gone = [_weak_name(ctx.tgt, j) for j in t_names]
    if not all(s_gone + t_gone):
        return True
    return bool(s_gone) and bool(t_gone)


def _kept(facts: Facts, i: int, other: Facts) -> bool:
    """The name at token ``i`` is in ``other`` too; or it is a month or weekday whose date the
    other text gives in another notation ("September" / "1938-09-14"); or a word of it is
    written in lower case there, one space from a word of the same name that the other text
    keeps, neither a function word nor one Moby lists as a common word ("The Obama
    Administration's" / "the Obama administration"; not "The Dutch" / "the royal", "Linate
    Airport" / "quiet Airport", nor across a line break)."""
    if facts.name_kept(i, other):
        return True
    fields = facts.date_fields_at(i)
    if fields and not lost(facts.dates, Counter(fields), other.dates):
        return True
    toks = facts.toks
    if not name_forms(toks[i].key) & other.words:
        return False
    return any(
        0 <= j < len(toks)
        and facts.text[toks[min(i, j)].end : toks[max(i, j)].start] == " "
        and toks[j].is_word
        and toks[j].raw[0].isupper()
        and toks[j].key not in FUNCTION_WORDS
        and not _common(toks[j].key)
        and facts.name_kept(j, other)
        for j in (i - 1, i + 1)
    )


def _a_reference(toks: list[Tok], lo: int, hi: int) -> bool:
    """Tokens ``lo:hi`` hold a pronoun or possessive determiner and otherwise only function
    words: "her", "With its", "he said"; not "the spokesman", nor "US" (in capitals, the
    country)."""
    words = [t for t in toks[lo:hi] if t.is_word]
    pronoun = [t.key in pronouns() and not (len(t.raw) > 1 and t.raw.isupper()) for t in words]
    return any(pronoun) and all(
        p or t.key in FUNCTION_WORDS for p, t in zip(pronoun, words, strict=True)
    )


def _still_said(names: list[Tok], facts: Facts) -> bool:
    """The text of ``facts`` still has a word of the name ``names`` in some case ("The Obama
    Administration's" and "the Obama administration"): a pronoun there has it to refer to."""
    return any(name_forms(t.key) & facts.words for t in names)


# Marks that join the words of one name: "Rolls-Royce", "Individuals' Republic".
_NAME_JOINERS = frozenset({"-", "'", "\u2019"})


def _weak_name(toks: list[Tok], i: int) -> bool:
    """A common word (Moby writes it only in lower case) capitalised on its own, with no
    capitalised word beside it (hyphens and a plural's possessive apostrophe skipped): "the
    Treasury", "brain Researchers who"; not "Prime Minister", "Rolls-Royce", "Agriculture
    Department", "Individuals' Republic" (a garbled "People's Republic")."""
    if not _common(toks[i].key):
        return False
    for step in (-1, 1):
        k = i + step
        if 0 <= k < len(toks) and toks[k].raw in _NAME_JOINERS:
            k += step
        if 0 <= k < len(toks) and toks[k].is_word and toks[k].raw[0].isupper():
            return False
    return True


def _span(toks: list[Tok], lo: int, hi: int, origin: int) -> tuple[int, int]:
    """Character range of tokens ``lo:hi``.

    An empty range sits right after token ``lo - 1`` (or at the passage start), so restoring a
    deleted word re-inserts it where it was.
    """
    if hi > lo:
        return toks[lo].start, toks[hi - 1].end
    at = toks[lo - 1].end if lo > 0 else origin
    return at, at


def _make(ctx: _Ctx, lab: _Label, i1: int, i2: int, j1: int, j2: int) -> Edit:
    ss, se = _span(ctx.src, i1, i2, ctx.src_origin)
    ts, te = _span(ctx.tgt, j1, j2, ctx.tgt_origin)
    return Edit(
        lab.label,
        ss,
        se,
        ts,
        te,
        ctx.source[ss:se],
        ctx.target[ts:te],
        confidence=lab.confidence,
        evidence=lab.evidence,
    )


def _unpaired(ctx: _Ctx, i1: int, i2: int, j1: int, j2: int) -> _Label:
    """Label a stretch that is not explained token by token."""
    src, tgt = ctx.src[i1:i2], ctx.tgt[j1:j2]
    if all(not t.is_word for t in src + tgt) or (
        src and tgt and _joined_letters(src) == _joined_letters(tgt)
    ):
        return _Label("case_or_punctuation", 0.95, "grammar")  # "Cyber-attacks" / "Cyberattacks"
    if _negation_flip(ctx, i1, i2, j1, j2):
        return _Label("negation", 0.9, "grammar")
    if _date_moved_in(ctx, i1, i2, j1, j2):
        return _Label("date_change", 0.8, "grammar")  # "30 December" -> "Jan. 30"
    # A side of punctuation only says no fact: words dropped for a quotation mark are a
    # deletion, as when dropped for nothing ("Retrieval System." / '"' was a name change).
    if not any(t.is_word for t in src):
        return _Label("insertion", 0.95)
    if not any(t.is_word for t in tgt):
        return _Label("deletion", 0.95)
    changed = _facts_changed(ctx, i1, i2, j1, j2)
    if changed == "entity_change":
        return _Label(changed, 0.7, "capitals")
    if changed is not None:
        return _Label(changed, 0.8, "grammar")
    return _Label("paraphrase", 0.6)


def _peelable(ctx: _Ctx, si: int, ti: int) -> _Label | None:
    """A pair at the edge of an unequal block that is surely one word edited, not a rewording.

    Names, numbers and dates are left in the block: "Ryoka Light Metal" -> "Viacom" is one
    entity change, not a changed first word plus a deletion.
    """
    lab = _pair_label(ctx, si, ti)
    if lab is None or lab.label not in _PEEL or lab.confidence < 0.85:
        return None
    return lab


def _grown(ctx: _Ctx, b: Block) -> Block | None:
    """An insertion or deletion that, with the word beside it, is a Moby phrase of that word
    ("deficit" -> "deficit financing"): the block grown to include that word, else None."""
    added = ctx.tgt[b.j1 : b.j2] if b.i1 == b.i2 else ctx.src[b.i1 : b.i2]
    if all(t.key in FUNCTION_WORDS or not t.is_word for t in added):
        return None  # a dropped "the" is not a rewording, whatever Moby lists ("the exchange")
    if b.i1 == b.i2:
        for di in (-1, 0):
            i, j = b.i1 + di, (b.j1 - 1 if di else b.j2)
            if 0 <= i < len(ctx.src) and 0 <= j < len(ctx.tgt):
                g = Block(i, i + 1, min(j, b.j1), max(j + 1, b.j2))
                if _moby_phrase(ctx, g):
                    return g
    elif b.j1 == b.j2:
        for dj in (-1, 0):
            j, i = b.j1 + dj, (b.i1 - 1 if dj else b.i2)
            if 0 <= i < len(ctx.src) and 0 <= j < len(ctx.tgt):
                g = Block(min(i, b.i1), max(i + 1, b.i2), j, j + 1)
                if _moby_phrase(ctx, g):
                    return g
    return None


def _moby_phrase(ctx: _Ctx, b: Block) -> bool:
    """Moby lists one side as a (multi-word) synonym of the other: "lend" / "make advances"."""
    s_words = " ".join(t.key for t in ctx.src[b.i1 : b.i2] if t.is_word)
    t_words = " ".join(t.key for t in ctx.tgt[b.j1 : b.j2] if t.is_word)
    if not s_words or not t_words or s_words == t_words:
        return False
    return t_words in synonyms(s_words) or s_words in synonyms(t_words)


def _block_edits(ctx: _Ctx, b: Block) -> list[Edit]:
    n, m = b.i2 - b.i1, b.j2 - b.j1
    if (n == 0 or m == 0) and (g := _grown(ctx, b)) is not None:
        return [_make(ctx, _Label("paraphrase", 0.85, "moby"), g.i1, g.i2, g.j1, g.j2)]
    if n and m and n != m and _moby_phrase(ctx, b):
        return [_make(ctx, _Label("paraphrase", 0.9, "moby"), b.i1, b.i2, b.j1, b.j2)]
    if n == m:
        out = []
        src, tgt = ctx.src[b.i1 : b.i2], ctx.tgt[b.j1 : b.j2]
        # As many negators on both sides of a reworded block: paired by position they only
        # look moved ("may lack" / "not have"), the block keeps its polarity.
        balanced = n > 1 and _polarity(src, tgt) == _polarity(tgt, src)
        for k in range(n):
            lab = _pair_label(ctx, b.i1 + k, b.j1 + k) or _unpaired(
                ctx, b.i1 + k, b.i1 + k + 1, b.j1 + k, b.j1 + k + 1
            )
            if balanced and lab.label == "negation" and lab.evidence == "grammar":
                lab = _Label("paraphrase", 0.6)
            out.append(_make(ctx, lab, b.i1 + k, b.i1 + k + 1, b.j1 + k, b.j1 + k + 1))
        return out
    # Unequal: peel related pairs off both ends, then label what is left as one stretch.
    head: list[Edit] = []
    tail: list[Edit] = []
    i1, i2, j1, j2 = b.i1, b.i2, b.j1, b.j2
    while i1 < i2 and j1 < j2 and (edge := _peelable(ctx, i1, j1)) is not None:
        head.append(_make(ctx, edge, i1, i1 + 1, j1, j1 + 1))
        i1, j1 = i1 + 1, j1 + 1
    while i1 < i2 and j1 < j2 and (edge := _peelable(ctx, i2 - 1, j2 - 1)) is not None:
        tail.append(_make(ctx, edge, i2 - 1, i2, j2 - 1, j2))
        i2, j2 = i2 - 1, j2 - 1
    mid = _unpaired(ctx, i1, i2, j1, j2)
    if (
        (head or tail)
        and mid.label != "negation"
        and _only_negated(ctx.src[b.i1 : b.i2], ctx.tgt[b.j1 : b.j2])
        and _negation_flip(ctx, b.i1, b.i2, b.j1, b.j2)
    ):
        # Peeling took the auxiliary of a negation away from it: "met" / "did not meet" peels
        # "met" / "did" (Moby lists "do" for "meet") and leaves "not meet", a clause added whole.
        return [_make(ctx, _Label("negation", 0.9, "grammar"), b.i1, b.i2, b.j1, b.j2)]
    middle = [_make(ctx, mid, i1, i2, j1, j2)]
    return head + middle + tail[::-1]


def _only_negated(src: list[Tok], tgt: list[Tok]) -> bool:
    """The two stretches say the same content words (in any inflection), and one adds a negator
    with function words only: "met" / "did not meet", not "finally" / "last but not least"."""
    if negator_count(src) == negator_count(tgt):
        return False
    a, b = _unaided(src), _unaided(tgt)
    return (
        bool(a)
        and len(a) == len(b)
        and all(x == y or _lemmas(x) & _lemmas(y) for x, y in zip(a, b, strict=True))
    )


def _unaided(toks: list[Tok]) -> list[str]:
    """Content words without the auxiliaries a negator brings ("did", "has", "was", "could":
    :func:`..lemma_table.is_auxiliary`)."""
    return [w for w in _content_words(toks) if not is_auxiliary(w)]


def _in_quote(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """``start:end`` lies inside one of the quotations ``starts`` / ``ends`` (an empty range:
    the place lies inside one)."""
    k = bisect_right(starts, start) - 1
    return k >= 0 and starts[k] <= start and end <= ends[k]


def _merge(ctx: _Ctx, edits: list[Edit]) -> list[Edit]:
    """Join neighbouring edits of one label separated only by whitespace in both texts."""
    out: list[Edit] = []
    for e in edits:
        p = out[-1] if out else None
        if (
            p is not None
            and p.label == e.label
            and e.label != "reordering"
            and p.source_end <= e.source_start
            and p.target_end <= e.target_start
            and not ctx.source[p.source_end : e.source_start].strip()
            and not ctx.target[p.target_end : e.target_start].strip()
        ):
            ss, se, ts, te = p.source_start, e.source_end, p.target_start, e.target_end
            out[-1] = Edit(
                p.label,
                ss,
                se,
                ts,
                te,
                ctx.source[ss:se],
                ctx.target[ts:te],
                confidence=min(p.confidence, e.confidence),
                evidence=_joined_evidence(p.evidence, e.evidence),
            )
        else:
            out.append(e)
    return out


def _joined_evidence(a: str | None, b: str | None) -> str | None:
    """The evidence of two merged edits: each resource once, in order, joined by commas; a
    missing one adds nothing (None when neither has any).

    >>> _joined_evidence("wordnet", None), _joined_evidence("moby,stem", "stem")
    ('wordnet', 'moby,stem')
    >>> _joined_evidence(None, None) is None
    True
    """
    names = [n for ev in (a, b) if ev for n in ev.split(",")]
    return ",".join(dict.fromkeys(names)) or None


# What each evidence of a negation found, as a reason names it.
_NEGATION_EVIDENCE = {"wordnet": "antonyms", "grammar": "a negator", "affix": "a negative prefix"}


def _finish(ctx: _Ctx, e: Edit) -> Edit:
    """Turn quoted rewording into quote_change and attach distortion flags and reasons."""
    label = e.label
    if (
        label in _QUOTE_WORDING
        and _in_quote(ctx.quote_starts, ctx.quote_ends, e.source_start, e.source_end)
        and _in_quote(ctx.tgt_quote_starts, ctx.tgt_quote_ends, e.target_start, e.target_end)
    ):
        # Quoted on both sides: the reuse presents these words as the speaker's. A summary that
        # drops or rewords a quotation outside quotation marks misquotes no one.
        label = "quote_change"
    distortion = label in DISTORTION_LABELS
    reason = e.reason
    evidence = e.evidence.split(",") if e.evidence else []
    if label == "negation" and "wordnet" in evidence:
        # An antonym decided it, alone or merged with a negator or a prefix beside it: the
        # reason names each ("approved / Nobody" -> "rejected / Everybody").
        how = " and ".join(_NEGATION_EVIDENCE.get(ev, ev) for ev in evidence)
        reason = f'meaning reversed: "{e.source_text}" became "{e.target_text}" ({how})'
    elif distortion:
        reason = distortion_reason(label, e.source_text, e.target_text)
    return Edit(
        label,
        e.source_start,
        e.source_end,
        e.target_start,
        e.target_end,
        e.source_text,
        e.target_text,
        confidence=e.confidence,
        distortion=distortion,
        reason=reason,
        evidence=e.evidence,
    )


def distortion_reason(label: str, src: str, tgt: str) -> str:
    """The reader's reason for a distortion of ``label`` (one of :data:`DISTORTION_LABELS`),
    the same in one language and across languages.

    >>> distortion_reason("number_change", "300", "500")
    'number changed: "300" became "500"'
    >>> distortion_reason("entity_change", "", "Smith")
    'name changed: "Smith" added'
    """
    what = {
        "negation": "negation changed",
        "number_change": "number changed",
        "date_change": "date changed",
        "entity_change": "name changed",
        "quote_change": "quoted wording changed",
    }[label]
    if not src:
        return f'{what}: "{tgt}" added'
    if not tgt:
        return f'{what}: "{src}" removed'
    return f'{what}: "{src}" became "{tgt}"'


def _context(source: str, target: str, passage: Passage | None) -> _Ctx:
    ss, se = (passage.source_start, passage.source_end) if passage else (0, len(source))
    ts, te = (passage.target_start, passage.target_end) if passage else (0, len(target))
    # An edge inside a token reads the whole token ("14/1938" of "9/14/1938" is no date).
    ss, se = whole_tokens(source, ss, se)
    ts, te = whole_tokens(target, ts, te)
    src = tokenize(source, ss, se)
    tgt = tokenize(target, ts, te)
    quotes = quote_spans(source, ss, se)
    tgt_quotes = quote_spans(target, ts, te)
    src_starts = _item_starts(src) | _quoted_sentence_starts(source, src, quotes)
    tgt_starts = _item_starts(tgt) | _quoted_sentence_starts(target, tgt, tgt_quotes)
    cap_mid = {t.key for i, t in enumerate(src) if t.raw[0].isupper() and i not in src_starts}
    cap_mid |= {t.key for i, t in enumerate(tgt) if t.raw[0].isupper() and i not in tgt_starts}
    lower = {t.key for t in src + tgt if t.raw[0].islower()}
    src_dates, tgt_dates = date_positions(src), date_positions(tgt)
    return _Ctx(
        source,
        target,
        src,
        tgt,
        src_dates,
        tgt_dates,
        frozenset(cap_mid - lower),
        frozenset(stem(k) for k in lower if k.isalpha()),
        src_starts,
        tgt_starts,
        [q[0] for q in quotes],
        [q[1] for q in quotes],
        [q[0] for q in tgt_quotes],
        [q[1] for q in tgt_quotes],
        ss,
        ts,
        *_facts(source, target, src, tgt, src_dates, tgt_dates),
    )


def _facts(
    source: str,
    target: str,
    src: list[Tok],
    tgt: list[Tok],
    src_dates: set[int],
    tgt_dates: set[int],
) -> tuple[Facts, Facts]:
    """The facts of both passages, a date, time or number read as the other writes it."""
    pair = Facts(source, src, src_dates), Facts(target, tgt, tgt_dates)
    share_date_readings(*pair)
    share_notations(*pair)
    return pair


def label_edits(source: str, target: str, passage: Passage | None = None) -> list[Edit]:
    """Align a source passage with its reuse token by token and label every difference.

    ``passage`` selects ``source[source_start:source_end]`` and ``target[target_start:target_end]``
    (whole texts when None). Offsets of the returned edits index the *full* texts. Identical
    stretches are omitted; the list is sorted with :func:`sort_edits`.
    """
    ctx = _context(source, target, passage)
    edits = reorderings(ctx, _diff_edits(ctx), partial(_diff_edits, ctx))
    return sort_edits([_finish(ctx, e) for e in edits])


def _diff_edits(
    ctx: _Ctx, i1: int = 0, i2: int | None = None, j1: int = 0, j2: int | None = None
) -> list[Edit]:
    """The labelled differences of source tokens ``i1:i2`` and target tokens ``j1:j2`` (the
    whole passage by default), in target order, neighbours of one label merged; moves not yet
    paired."""
    i2 = len(ctx.src) if i2 is None else i2
    j2 = len(ctx.tgt) if j2 is None else j2
    blocks, equal = align(ctx.src[i1:i2], ctx.tgt[j1:j2])
    edits: list[Edit] = []
    for si, ti in equal:
        si, ti = si + i1, ti + j1
        if not same_surface(ctx.src[si], ctx.tgt[ti]):  # same key: only the case differs
            edits.append(
                _make(ctx, _Label("case_or_punctuation", 1.0, "grammar"), si, si + 1, ti, ti + 1)
            )
    shifted = [Block(b.i1 + i1, b.i2 + i1, b.j1 + j1, b.j2 + j1) for b in blocks]
    runs = _list_reorderings(ctx, shifted)
    listed = {k for first, last in runs for k in range(first, last + 1)}
    for first, last in runs:  # one edit over the list: its items only changed places
        a, z = shifted[first], shifted[last]
        edits.append(_make(ctx, _Label("reordering", 0.9, "stem"), a.i1, z.i2, a.j1, z.j2))
    swapped = _number_swaps(ctx, shifted, listed)
    for k, b in enumerate(shifted):
        if b in swapped:
            edits.append(
                _make(ctx, _Label("number_change", 0.8, "grammar"), b.i1, b.i2, b.j1, b.j2)
            )
        elif k not in listed:
            edits.extend(_block_edits(ctx, b))
    edits.sort(key=lambda e: (e.target_start, e.source_start))
    return _merge(ctx, edits)


def _list_reorderings(ctx: _Ctx, blocks: list[Block]) -> list[tuple[int, int]]:
    """The runs of ``blocks`` (first and last index) that are the items of a list given in
    another order: one-word swaps joined only by punctuation and "and"/"or" in both texts,
    whose words are the same on both sides (by stem), e.g. "apple", "orange", "mango" /
    "orange", "mango", "apples". Paired by position those read as three changed (quoted)
    words; "5 to 7" / "7 to 5" is no list."""

    def single(b: Block) -> bool:
        return (
            b.i2 - b.i1 == 1
            and b.j2 - b.j1 == 1
            and ctx.src[b.i1].is_word
            and ctx.tgt[b.j1].is_word
        )

    def joined(a: Block, b: Block) -> bool:
        between = ctx.src[a.i2 : b.i1] + ctx.tgt[a.j2 : b.j1]
        return only_list_joiners(between)

    runs: list[tuple[int, int]] = []
    first: int | None = None
    # Source stems counted up, target stems down: the run is a permutation when none is left
    # over (kept as a count of the stems out of balance, so each step costs the same).
    balance: Counter[str] = Counter()
    unbalanced = 0

    def tally(word: str, step: int) -> int:
        before = balance[word]
        balance[word] = before + step
        return (balance[word] != 0) - (before != 0)

    for k, b in enumerate(blocks):
        if not single(b):
            first = None
            continue
        if first is None or not joined(blocks[k - 1], b):
            first, unbalanced = k, 0
            balance.clear()
        unbalanced += tally(stem(ctx.src[b.i1].key), 1)
        unbalanced += tally(stem(ctx.tgt[b.j1].key), -1)
        # A run grows while it stays a list; it is kept once its words are a permutation.
        if k > first and not unbalanced:
            if runs and runs[-1][0] == first:
                runs[-1] = (first, k)
            else:
                runs.append((first, k))
    return runs


def _number_swaps(ctx: _Ctx, blocks: list[Block], listed: set[int]) -> set[Block]:
    """One-number blocks whose numbers changed places while the words around them stayed:
    "killed 12 people and injured 40 others" / "killed 40 people and injured 12 others". Each
    number is still in both texts, so neither was lost (:func:`_facts_changed`), yet each now
    says what the other said. The words on either side up to the next difference must hold a
    content word or a sentence's end: where they do not, the clauses moved with their numbers
    and only the scaffolding lined up ("port number 53 for DNS ..., port number 0 for ARP"
    given the other way round). Two such blocks next to each other need those words only
    before the first and after the second, and a word other than "and" / "or" between them:
    "from 69 in 1984 to 298" / "from 298 in 1984 to 69", "won 81 of the 166 seats" / "won 166
    of the 81 seats" ("between 5 and 10" / "between 10 and 5" says the same). Numbers only: a
    date, or a list's items given in another order (``listed``, :func:`_list_reorderings`), is
    not read here."""

    def anchored(lo: int, hi: int) -> bool:
        """Tokens ``lo:hi`` hold a content word, or a sentence's end ("... 2.1 billion."), or
        reach the passage's start or end ("The 400 series ...")."""
        return (
            lo == 0
            or hi == len(ctx.src)
            or any(
                t.raw in SENTENCE_END
                or (t.is_word and t.key not in FUNCTION_WORDS and number_value(t.raw) is None)
                for t in ctx.src[lo:hi]
            )
        )

    values: dict[int, tuple[float, float]] = {}
    for k, b in enumerate(blocks):
        if k in listed or b.i2 - b.i1 != 1 or b.j2 - b.j1 != 1:
            continue
        if b.i1 in ctx.src_dates or b.j1 in ctx.tgt_dates:
            continue
        a, z = number_value(ctx.src[b.i1].raw), number_value(ctx.tgt[b.j1].raw)
        if a is not None and z is not None and a != z:
            values[k] = (a, z)

    def before(k: int) -> int:
        return blocks[k - 1].i2 if k else 0

    def after(k: int) -> int:
        return blocks[k + 1].i1 if k + 1 < len(blocks) else len(ctx.src)

    by_values: dict[tuple[float, float], list[Block]] = {}
    for k, (a, z) in values.items():
        b = blocks[k]
        if anchored(before(k), b.i1) and anchored(b.i2, after(k)):
            by_values.setdefault((a, z), []).append(b)
    swapped = {b for (a, z), found in by_values.items() if (z, a) in by_values for b in found}
    for k, (a, z) in values.items():
        if values.get(k + 1) != (z, a):
            continue
        first, second = blocks[k], blocks[k + 1]
        between = ctx.src[first.i2 : second.i1]
        listed_only = only_list_joiners(between)
        if not listed_only and anchored(before(k), first.i1) and anchored(second.i2, after(k + 1)):
            swapped |= {first, second}
    return swapped


def sort_edits(edits: list[Edit]) -> list[Edit]:
    """Distortions first, then by position in the target (then in the source)."""
    return sorted(edits, key=lambda e: (not e.distortion, e.target_start, e.source_start))


def alignment_counts(source: str, target: str, passage: Passage | None = None) -> dict[str, int]:
    """Token counts for coverage: source/target tokens and how many matched identically."""
    ctx = _context(source, target, passage)
    _, equal = align(ctx.src, ctx.tgt)
    same = sum(1 for si, ti in equal if same_surface(ctx.src[si], ctx.tgt[ti]))
    return {"source_tokens": len(ctx.src), "target_tokens": len(ctx.tgt), "identical": same}
