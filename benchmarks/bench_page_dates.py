"""Publication dates of real pages: htmldate's day as it is (the baseline) against unspin's
page date, which keeps only the day, month or year the page writes (``read/page_date.py``).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_page_dates.py --htmldate-tests DIR

``DIR`` is the ``tests`` folder of htmldate's repository (github.com/adbar/htmldate; fetch it,
never commit it): ``eval_default.json`` and ``eval_mediacloud_2020.json`` name each page's
file (under ``eval/`` and ``test_set/``) and the day its authors annotated as published. Every
page is read as unspin reads it (``unspin.read.html``: htmldate with ``original_date``, the
same earliest date), then cut by :func:`unspin.read.page_date.stated`. Prints, for the pages
where htmldate's day is the annotated one, how many keep their day (a cut there loses a right
day), and for the pages where it is not, how many are cut and whether what is left (month or
year) still holds the annotated day; the pages cut, and the CPU time of the cut.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import htmldate

from unspin.read.html import _MIN_DATE, as_markup
from unspin.read.page_date import stated

SETS = (("eval_default.json", "eval"), ("eval_mediacloud_2020.json", "test_set"))
PRECISION = {10: "day", 7: "month", 4: "year"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--htmldate-tests", required=True, type=Path, help="htmldate's tests folder")
    args = ap.parse_args()
    root: Path = args.htmldate_tests
    for name, _ in SETS:
        if not (root / name).is_file():
            raise SystemExit(f"{root / name}: no such file; give htmldate's tests folder")
    counts: Counter[str] = Counter()
    cut_rows: list[str] = []
    cpu = 0.0
    for name, folder in SETS:
        for url, row in json.loads((root / name).read_text(encoding="utf-8")).items():
            page, truth = root / folder / row["file"], row["date"]
            if not page.is_file() or not isinstance(truth, str):
                counts["pages without a file or an annotated day"] += 1
                continue
            markup = as_markup(page.read_bytes())
            try:
                found = htmldate.find_date(markup, url=url, original_date=True, min_date=_MIN_DATE)
            except Exception:  # htmldate on broken markup, as unspin.read.html treats it
                found = None
            if not found:
                counts["pages htmldate finds no date in"] += 1
                continue
            start = time.process_time()
            cut = stated(found, markup, url)
            cpu += time.process_time() - start
            right = "right" if found == truth else "wrong"
            counts[f"htmldate's day {right}"] += 1
            counts[f"htmldate's day {right}, kept to the {PRECISION[len(cut)]}"] += 1
            if len(cut) < 10:
                holds = "holds" if truth.startswith(cut) else "does not hold"
                counts[f"htmldate's day {right}, cut, and what is left {holds} the day"] += 1
                cut_rows.append(f"  {row['file']}: htmldate {found}, annotated {truth}, kept {cut}")
    for key in sorted(counts):
        print(f"{key}: {counts[key]}")
    pages = counts["htmldate's day right"] + counts["htmldate's day wrong"]
    print(f"cut: {cpu:.2f} s CPU for {pages} pages ({1000 * cpu / max(pages, 1):.1f} ms a page)")
    print("pages cut:")
    print("\n".join(cut_rows) or "  none")


if __name__ == "__main__":
    main()
