"""A tiny corpus in the PAN text-alignment layout, and a tiny exact-match aligner, for tests.

Imported by the evaluate tests (not a conftest, so each test says what it uses). The aligner
lives at module level so spawned worker processes can import it.
"""

from __future__ import annotations

from pathlib import Path

from unspin.types import Passage

# Original prose, written for these tests; each paragraph is about something different so a
# real aligner has no reason to link unrelated paragraphs.
SOURCE_1 = [
    "The lighthouse keeper climbed the spiral stairs every evening at dusk. He trimmed the "
    "wick, polished the great lens and wrote the weather in a leather logbook.",
    "Fishing boats returned to the harbour before the autumn storms arrived. Their crews "
    "unloaded cod and herring onto the stone quay while gulls circled overhead. Merchants "
    "bargained loudly over the price of salt, barrels and rope. By nightfall the auction hall "
    "was empty and the lanterns along the pier swung in the rising wind. Old sailors gathered "
    "in the tavern to argue about tides, currents and the best fishing grounds of the north.",
    "The village school had a single classroom heated by an iron stove. Children walked "
    "there across the moor carrying slates, bread and cheese wrapped in cloth.",
]
SOURCE_2 = [
    "Astronomers measured the distance to nearby stars using parallax observations taken six "
    "months apart. Precise instruments mounted on heavy pillars reduced vibration.",
    "Copper wires carried telegraph messages across the continent within minutes. Operators "
    "tapped coded pulses and clerks transcribed them onto thin yellow forms.",
]
SUSPICIOUS_1_OWN = [
    "A new railway station opened in the market town last spring, bringing visitors from the "
    "capital on weekends.",
    "Local bakers complained that the visitors bought every loaf before noon.",
]
SUSPICIOUS_2 = [
    "Gardeners planted tulip bulbs in raised beds along the canal towpath. Volunteers watered "
    "them through the dry summer and counted the blooms each morning.",
    "The museum reopened its gallery of medieval maps after a long restoration, showing "
    "coastlines drawn by monks who had never seen the sea.",
]

SUSP_1 = "suspicious-document00001.txt"
SUSP_2 = "suspicious-document00002.txt"
SRC_1 = "source-document00001.txt"
SRC_2 = "source-document00002.txt"


def _truth(reference: str, features: list[str]) -> str:
    body = "".join(f"{feature}\n" for feature in features)
    return f'<document reference="{reference}">\n{body}</document>\n'


def make_corpus(root: Path) -> Path:
    """Write the fixture corpus below ROOT and return its folder.

    Sections: ``01-no-plagiarism`` holds (susp 2, src 2) without cases; ``02-no-obfuscation``
    holds (susp 1, src 1), whose susp 1 copies src 1's second paragraph verbatim between two
    paragraphs of its own.
    """
    corpus = root / "pan-fixture"
    for folder in ("src", "susp", "01-no-plagiarism", "02-no-obfuscation"):
        (corpus / folder).mkdir(parents=True)
    source_1 = "\n\n".join(SOURCE_1) + "\n"
    copied = SOURCE_1[1]
    suspicious_1 = "\n\n".join([SUSPICIOUS_1_OWN[0], copied, SUSPICIOUS_1_OWN[1]]) + "\n"
    texts = {
        corpus / "src" / SRC_1: source_1,
        corpus / "src" / SRC_2: "\n\n".join(SOURCE_2) + "\n",
        corpus / "susp" / SUSP_1: suspicious_1,
        corpus / "susp" / SUSP_2: "\n\n".join(SUSPICIOUS_2) + "\n",
    }
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")

    case = (
        f'<feature name="plagiarism" obfuscation="none" type="artificial" '
        f'this_offset="{suspicious_1.index(copied)}" this_length="{len(copied)}" '
        f'source_reference="{SRC_1}" source_offset="{source_1.index(copied)}" '
        f'source_length="{len(copied)}" />'
    )
    about = '<feature name="about" authors="fixture" title="test" language="en" />'
    (corpus / "02-no-obfuscation" / "pairs").write_text(f"{SUSP_1} {SRC_1}\n")
    (corpus / "02-no-obfuscation" / "suspicious-document00001-source-document00001.xml").write_text(
        _truth(SUSP_1, [about, case])
    )
    (corpus / "01-no-plagiarism" / "pairs").write_text(f"{SUSP_2} {SRC_2}\n")
    (corpus / "01-no-plagiarism" / "suspicious-document00002-source-document00002.xml").write_text(
        _truth(SUSP_2, [])
    )
    (corpus / "pairs").write_text(f"{SUSP_2} {SRC_2}\n{SUSP_1} {SRC_1}\n")
    return corpus


def paragraph_aligner(source: str, target: str) -> list[Passage]:
    """Report every blank-line separated target paragraph found verbatim in the source."""
    passages = []
    start = 0
    for paragraph in target.split("\n\n"):
        text = paragraph.strip()
        offset = target.index(text, start) if text else start
        start = offset + len(text)
        found = source.find(text) if len(text) >= 20 else -1
        if found >= 0:
            passages.append(Passage(found, found + len(text), offset, offset + len(text)))
    return passages


def failing_aligner(source: str, target: str) -> list[Passage]:
    """An aligner that always fails, to check how failures are reported."""
    raise ValueError("boom")
