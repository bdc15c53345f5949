"""What the vulgar-word filter (``spinscore/vulgar.py``) removes from ``explain``'s candidate
originals of real tortured phrases, and whether it moves the right answer.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_vulgar_filter.py [--data ../shared/data]
        [--phrases 300]

Rows of ``realspin/tortured-phrases-dev.csv`` as ``bench_realspin.py`` samples them
(``--phrases`` per half, both halves), ranked lexically without a context. The baseline is the
same ranking with the filter replaced by the identity in this process (the filter is the only
difference from the code before it), so both columns come from one run on the same candidates.
Prints how many candidates the filter removed, in how many rows, the rows whose top 3 changed,
top-1 and top-3 of the intended wording with and without the filter, and the removed
candidates of the first rows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_realspin import tortured

from unspin.spinscore import score
from unspin.spinscore.vulgar import is_vulgar, without_vulgar
from unspin.text import tokenize


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[1] / "../shared/data"))
    ap.add_argument("--phrases", type=int, default=300, help="rows per half")
    args = ap.parse_args()
    halves = tortured(Path(args.data) / "realspin" / "tortured-phrases-dev.csv", args.phrases)
    # The baseline: explain's ranking as it was, every candidate kept.
    score.without_vulgar = lambda ranked, seen: list(ranked)  # type: ignore[assignment]
    rows = removed = rows_removed = moved = 0
    hits = {"top1 before": 0, "top1 after": 0, "top3 before": 0, "top3 after": 0}
    shown: list[tuple[str, list[str]]] = []
    for phrase in (p for half in halves.values() for p in half):
        words = tokenize(phrase.tortured.lower()).norms
        if not words:
            continue
        rows += 1
        before = score._lexical_originals(words, None, None)
        after = without_vulgar(before, set(words))
        gone = [w for w, _ in before if is_vulgar(w, set(words))]
        removed += len(gone)
        rows_removed += bool(gone)
        if gone and len(shown) < 12:
            shown.append((phrase.tortured, gone[:3]))
        top_before = [w for w, _ in before[:3]]
        top_after = [w for w, _ in after[:3]]
        moved += top_before != top_after
        hits["top1 before"] += top_before[:1] == [phrase.expected]
        hits["top1 after"] += top_after[:1] == [phrase.expected]
        hits["top3 before"] += phrase.expected in top_before
        hits["top3 after"] += phrase.expected in top_after
    print(
        f"{rows} rows; {removed} candidates removed in {rows_removed} rows; top 3 changed in {moved}"
    )
    print(", ".join(f"{k} {v / max(rows, 1):.3f}" for k, v in hits.items()))
    for tortured_phrase, gone in shown:
        print(f"  {tortured_phrase!r}: {', '.join(gone)}")


if __name__ == "__main__":
    main()
