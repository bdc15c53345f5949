"""Build the demo data shipped in ``src/unspin/data/demo/`` from Reuters-21578 (deterministic).

    python scripts/make_demo_data.py [--reuters ../shared/data/reuters21578]

Writes ``corpus.jsonl`` (every story on cocoa, coffee, rubber, sugar or tin: commodity-agreement
news with many natural updates and re-issues), ``NOTICE`` (the collection's terms), the example
articles, ``examples.json`` (their true sources and origins) and ``README.md`` (how each was made).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from unspin.datasets import demo_dir, iter_stories, shared_data_dir
from unspin.generators.article_spinner import (
    Origin,
    carry_origins,
    noise,
    reorder_sentences,
    spin,
    splice,
)
from unspin.text import sentence_spans

TOPICS = ("cocoa", "coffee", "rubber", "sugar", "tin")
MAX_BYTES = 900_000
# The two coffee stories every example is made from (same topic, so a composite reads naturally).
SOURCE_A = "reuters-1715"  # COLOMBIA BLASTS U.S. FOR COFFEE TALKS FAILURE
SOURCE_B = "reuters-3034"  # UGANDA DISAPPOINTED BY COFFEE TALKS FAILURE
SEED = 1987

NOTICE = """\
The demo corpus in this folder (corpus.jsonl) and the example articles derived from it are a
subset of the Reuters-21578 text categorization test collection, Distribution 1.0.

Copyright & Notification (from the collection's README, section II):

   The copyright for the text of newswire articles and Reuters annotations in the
   Reuters-21578 collection resides with Reuters Ltd. Reuters Ltd. and Carnegie Group, Inc.
   have agreed to allow the free distribution of this data *for research purposes only*.
   If you publish results based on this data set, please acknowledge its use, refer to the
   data set by the name "Reuters-21578, Distribution 1.0", and inform your readers of the
   current location of the data set.

The collection was assembled by David D. Lewis (then AT&T Labs - Research); it was distributed
from http://www.research.att.com/~lewis and is mirrored by the UCI KDD Archive
(https://kdd.ics.uci.edu/databases/reuters21578/reuters21578.html).

The spun example articles (example-article.txt, example-verbatim.txt, example-spun60.txt,
example-noise.txt) were machine-altered by unspin's spinner from two of these
stories; they are test data, not Reuters text as published.

The Russian article (example-translated-ru.txt) is a translation of one of these stories
(reuters-1715), written by hand for unspin's cross-language demo, with one figure changed
on purpose (55 per cent became 65); it is test data derived from Reuters text, under the same
terms, not Reuters text as published.
"""


def _select(folder: Path) -> list[dict[str, str | None]]:
    records: list[dict[str, str | None]] = []
    size = 0
    for story in iter_stories(folder):
        if not set(story.topics) & set(TOPICS):
            continue
        doc = story.document
        record = {
            "id": doc.id,
            "title": doc.title,
            "date": doc.date,
            "site": doc.site,
            "text": doc.text,
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        if size + len(line.encode()) > MAX_BYTES:
            break
        size += len(line.encode())
        records.append(record)
    return records


def _examples(a: str, b: str) -> dict[str, dict[str, object]]:
    """Each example: its text, the steps that made it and where each range came from."""
    spliced = splice(a, b, SEED, share_a=0.5, runs=2)
    base_steps: list[str] = [f"splice(A, B, seed={SEED}, share_a=0.5, runs=2)"]
    out: dict[str, dict[str, object]] = {
        "example-verbatim.txt": {
            "text": spliced.text,
            "steps": base_steps,
            "origins": spliced.origins,
        }
    }
    # The main example: splice, move one sentence, spin 40%, light noise.
    reordered = reorder_sentences(spliced.text, SEED, moves=1)
    origins: tuple[Origin, ...] = carry_origins(spliced.origins, reordered)
    spun = spin(reordered.text, 0.4, SEED)
    origins = carry_origins(origins, spun)
    noised = noise(spun.text, 0.02, SEED)
    out["example-article.txt"] = {
        "text": noised.text,
        "steps": [
            *base_steps,
            f"reorder_sentences(seed={SEED}, moves=1)",
            f"spin(rate=0.4, seed={SEED}) -> achieved {spun.achieved_rate:.3f}",
            f"noise(rate=0.02, seed={SEED}) -> {len(noised.replacements)} typos",
        ],
        "origins": carry_origins(origins, noised),
    }
    spun60 = spin(spliced.text, 0.6, SEED)
    out["example-spun60.txt"] = {
        "text": spun60.text,
        "steps": [
            *base_steps,
            f"spin(rate=0.6, seed={SEED}) -> achieved {spun60.achieved_rate:.3f}",
        ],
        "origins": carry_origins(spliced.origins, spun60),
    }
    noisy = noise(spliced.text, 0.1, SEED)
    out["example-noise.txt"] = {
        "text": noisy.text,
        "steps": [*base_steps, f"noise(rate=0.1, seed={SEED}) -> {len(noisy.replacements)} typos"],
        "origins": carry_origins(spliced.origins, noisy),
    }
    return out


README = """\
# unspin demo data

A small, real news archive and a few machine-spun articles to try unspin on without
downloading anything. Generated by `scripts/make_demo_data.py` (deterministic; rerun it with
`python scripts/make_demo_data.py` beside `../shared/data/reuters21578`). Terms: see `NOTICE`
(Reuters-21578, Distribution 1.0: research use only).

## corpus.jsonl

{n_docs} Reuters wire stories from 1987 ({size_kb} KB), every story with a body whose topics
include one of: {topics}. Commodity-agreement news (ICO coffee quotas, ICCO cocoa buffer stock,
INRO rubber, ITC tin) is full of updates and re-issues, so the corpus holds natural reuse.
One JSON object a line: `id` (`reuters-<NEWID>`), `title`, `date` (ISO), `site`, `text`.

## Example articles

All four are made from the same two corpus stories, so they show one reuse under growing
obfuscation. Source A = `{a}` ({a_title}), source B = `{b}` ({b_title}); seed {seed}.
`examples.json` records, for each file, the true source ids, the steps and the `origins`:
`[target_start, target_end, which_source (0 = A, 1 = B), source_start, source_end]` with
offsets into the example text and the source text.

{table}

Functions are those of `unspin.generators.article_spinner`; the same pipeline is available on
the command line, e.g.
`unspin spin A.txt --splice B.txt --reorder --rate 0.4 --noise 0.02 --seed {seed}` (the CLI
shuffles all sentences with --reorder, where the example moves only one).
## Across languages

`example-translated-ru.txt` is a Russian translation of source A (`reuters-1715`), written by
hand for the cross-language demo (`make demo-xling`), one paragraph a sentence, headline
first, with one fact changed on purpose: "55 pct of the country's total export revenue"
became 65 процентов. `unspin trace` finds source A across the languages (a store ingested
with `--xling`), aligns the article sentence by sentence with it and flags the changed figure.
Not made by this script: it is kept as written.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = (shared_data_dir() or Path("../shared/data")) / "reuters21578"
    parser.add_argument("--reuters", type=Path, default=default, help="Reuters-21578 folder")
    parser.add_argument("--out", type=Path, default=demo_dir(), help="output folder")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    records = _select(args.reuters)
    by_id = {r["id"]: r for r in records}
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
    (out / "corpus.jsonl").write_text("".join(lines), encoding="utf-8")
    (out / "NOTICE").write_text(NOTICE, encoding="utf-8")

    a, b = by_id[SOURCE_A], by_id[SOURCE_B]
    examples = _examples(str(a["text"]), str(b["text"]))
    manifest: dict[str, object] = {}
    rows = ["| file | made by |", "|---|---|"]
    for name, example in examples.items():
        (out / name).write_text(str(example["text"]) + "\n", encoding="utf-8")
        origins = example["origins"]
        assert isinstance(origins, tuple)
        manifest[name] = {
            "sources": [SOURCE_A, SOURCE_B],
            "steps": example["steps"],
            "origins": [list(o) for o in origins],
        }
        rows.append(f"| `{name}` | {'; '.join(map(str, example['steps']))} |")  # type: ignore[call-overload]
    (out / "examples.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    size_kb = round(sum(len(line.encode()) for line in lines) / 1024)
    (out / "README.md").write_text(
        README.format(
            n_docs=len(records),
            size_kb=size_kb,
            topics=", ".join(TOPICS),
            a=SOURCE_A,
            a_title=a["title"],
            b=SOURCE_B,
            b_title=b["title"],
            seed=SEED,
            table="\n".join(rows),
        ),
        encoding="utf-8",
    )
    n_sentences = sum(len(sentence_spans(str(r["text"]))) for r in records)
    print(f"{len(records)} documents, {size_kb} KB, {n_sentences} sentences -> {out}")


if __name__ == "__main__":
    main()
