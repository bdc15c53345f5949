"""A small multi-site corpus with known reuse, built from the shipped demo data.

Originals are real Reuters stories (site ``wire.example``). For a few of them the corpus also
holds a verbatim copy a day later (``aggregator.example``), a spun copy two days later
(``spinfarm.example``, :func:`unspin.generators.article_spinner.spin`) and a partial copy
three days later (``blog.example``: half of the story spliced with an unrelated one).
``COPIED`` names the originals that were copied, so tests know the truth.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from unspin.cluster.kernels import DocRecord
from unspin.generators.article_spinner import spin, splice

DEMO = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo" / "corpus.jsonl"
N_ORIGINALS = 36
N_COPIED = 4


def _later(day: str, n: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=n)).isoformat()


def originals() -> list[dict[str, str]]:
    rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    long = [r for r in rows if 900 <= len(r["text"]) <= 3000 and r.get("date")]
    return long[:N_ORIGINALS]


def fixture_documents() -> list[DocRecord]:
    """The corpus in ingest order (copies ingested after all originals)."""
    base = originals()
    docs: list[DocRecord] = []
    for r in base:
        docs.append(
            DocRecord(key=0, id=r["id"], site="wire.example", date=r["date"], text=r["text"])
        )
    for i, r in enumerate(base[:N_COPIED]):
        filler = base[-1 - i]
        blog_day = _later(max(r["date"], filler["date"]), 3)
        docs.append(
            DocRecord(
                key=0,
                id=f"agg-{i}",
                site="aggregator.example",
                date=_later(r["date"], 1),
                text=f"Republished from the wire ({r['id']}).\n\n{r['text']}",
            )
        )
        docs.append(
            DocRecord(
                key=0,
                id=f"spun-{i}",
                site="spinfarm.example",
                date=_later(r["date"], 2),
                text=spin(r["text"], rate=0.4, seed=i).text,
            )
        )
        docs.append(
            DocRecord(
                key=0,
                id=f"blog-{i}",
                site="blog.example",
                date=blog_day,
                text=splice(r["text"], filler["text"], seed=i, runs=2).text,
            )
        )
    return [DocRecord(**{**d, "key": k}) for k, d in enumerate(docs, start=1)]  # type: ignore[typeddict-item]


COPIED = [r["id"] for r in originals()[:N_COPIED]]
