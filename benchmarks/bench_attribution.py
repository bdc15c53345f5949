"""News composite check for attribution (issue 20, item 4 last point; issue 25, item 2).

Run from the repository root:

    .venv/bin/python benchmarks/bench_attribution.py [--single 40] [--composites 20] \
        [--baseline /tmp/base/src]

All of Reuters-21578 is indexed (as ``bench_trace.py`` does), plus, for every story an article
is made from, 3 independent rewrites of it by a different spinner setting (50% of content
words swapped for Moby synonyms, names too, other seeds, two sentences moved): the same story
in other words, which must not be listed as a source. Articles: one story spun at 30% (plus 1%
typos), or a splice of two stories spun at 30%; one number of each article is changed (a
planted distortion). For each article:

* ``top1_true``: the first listed source is a true source (text equal to it; Reuters holds
  verbatim re-issues);
* ``all_true_listed``: every true source is listed;
* ``no_rewrite_listed``: no rewrite is listed as a source;
* ``distortions_from_true``: share of reported distortions found against a true source, and
  ``planted_found``: the planted number change is reported against a true source;
* ``sources``: mean number of listed sources; ``true_copies_as_rivals``: listed sources that
  are a verbatim re-issue of a listed true source (the new code lists them "also in").

The baseline is ``trace`` as it was before attribution (commit ``BASELINE_COMMIT``, loaded
from git), or with ``--baseline SRC`` the ``unspin`` package under ``SRC`` (for instance
``git archive main src | tar -x -C /tmp/base``, then ``/tmp/base/src``), measured in the same
run on the same store and articles.
"""

from __future__ import annotations

import argparse
import importlib.resources
import importlib.util
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from unspin import Corpus
from unspin.datasets.reuters import iter_reuters
from unspin.generators.article_spinner import noise, reorder_sentences, spin, splice
from unspin.report.json_report import distortions
from unspin.store import Store
from unspin.trace import TraceConfig
from unspin.types import Document, TraceResult

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
BASELINE_COMMIT = "3a7ea00"  # the code before sources meant reuse
CFG = TraceConfig(score_unsourced=False)
_NUMBER = re.compile(r"(?<![\d.,])\d{2,}(?![\d.,]?\d)")


def baseline_trace() -> Callable[..., TraceResult]:
    """``unspin.trace.trace`` as of ``BASELINE_COMMIT``, loaded beside today's code."""
    src = subprocess.run(
        ["git", "show", f"{BASELINE_COMMIT}:src/unspin/trace.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    name = "unspin._trace_baseline"
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    module.__package__ = "unspin"
    sys.modules[name] = module  # dataclasses look their module up while they are built
    exec(compile(src, f"{BASELINE_COMMIT}:src/unspin/trace.py", "exec"), module.__dict__)
    fn: Callable[..., TraceResult] = module.trace
    return fn


class _OwnResources:
    """``importlib.resources`` for a baseline package: ``files("unspin")`` is its folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def files(self, package: str) -> Any:
        return self.folder if package == "unspin" else importlib.resources.files(package)


def package_trace(src: Path, **options: object) -> Callable[..., TraceResult]:
    """``trace`` of the ``unspin`` package under ``src`` (another checkout), loaded beside
    today's code as ``unspin_baseline`` (its modules import each other relatively), with its
    own ``TraceConfig(**options)``."""
    name = "unspin_baseline"
    spec = importlib.util.spec_from_file_location(
        name, src / "unspin" / "__init__.py", submodule_search_locations=[str(src / "unspin")]
    )
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    module = importlib.import_module(f"{name}.trace")
    # Its packaged models are read through importlib.resources under the name "unspin",
    # which is today's package: point that name at its own folder, so that a baseline
    # reads its own trained files (a changed model file would not fit its features).
    packaged = importlib.import_module(f"{name}.spinscore.packaged")
    packaged.resources = _OwnResources(src / "unspin")
    config = module.TraceConfig(**options)

    def run(text: str, store: Store, _cfg: object) -> TraceResult:
        result: TraceResult = module.trace(text, store, config)
        return result

    return run


def rewrite(text: str, seed: int) -> str:
    """The same story in other words: a different spinner setting than the articles'."""
    spun = spin(text, 0.5, seed, spin_names=True).text
    return reorder_sentences(spun, seed, moves=2).text


def plant_number(text: str, seed: int) -> tuple[str, tuple[int, int] | None]:
    """``text`` with one number of two or more digits changed (its range in the result)."""
    found = list(_NUMBER.finditer(text))
    if not found:
        return text, None
    m = random.Random(seed).choice(found)
    new = str(int(m.group()) + 7)
    return text[: m.start()] + new + text[m.end() :], (m.start(), m.start() + len(new))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--single", type=int, default=40)
    ap.add_argument("--composites", type=int, default=20)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--baseline", type=Path, help="a src/ folder to compare against")
    args = ap.parse_args()
    docs = list(iter_reuters(DATA / "reuters21578"))
    rng = random.Random(args.seed)
    pool = [d for d in docs if len(d.text) >= 600 and _NUMBER.search(d.text)]
    picks = rng.sample(pool, args.single + 2 * args.composites)
    by_text: dict[str, set[str]] = {}
    for d in docs:
        by_text.setdefault(d.text, set()).add(d.id)
    rewrites = [
        Document(text=rewrite(d.text, 9000 + 10 * i + k), id=f"rewrite-{d.id}-{k}")
        for i, d in enumerate(picks)
        for k in range(3)
    ]
    articles: list[tuple[str, list[Document], tuple[int, int] | None]] = []
    for i, d in enumerate(picks[: args.single]):
        text = noise(spin(d.text, 0.3, args.seed + i).text, 0.01, args.seed + i).text
        articles.append((*plant_number(text, i), [d]))
    rest = picks[args.single :]
    for i in range(args.composites):
        a, b = rest[2 * i], rest[2 * i + 1]
        text = spin(splice(a.text, b.text, args.seed + i).text, 0.3, args.seed + i).text
        articles.append((*plant_number(text, 100 + i), [a, b]))
    base = (
        package_trace(args.baseline, score_unsourced=False) if args.baseline else baseline_trace()
    )
    systems: dict[str, Callable[..., TraceResult]] = {
        "baseline": lambda text, corpus, cfg: base(text, corpus.store, cfg),
        "attribution": lambda text, corpus, cfg: corpus.trace(text, config=cfg),
    }
    out: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "documents": len(docs) + len(rewrites),
        "articles": {"single": args.single, "composites": args.composites},
    }
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus(Path(tmp) / "attr.db")
        every = docs + rewrites
        for j in range(0, len(every), 1000):
            corpus.add(every[j : j + 1000])
        texts: dict[int, str] = {}

        def text_of(key: int) -> str:
            if key not in texts:
                texts[key] = corpus.store.text(key)
            return texts[key]

        for name, fn in systems.items():
            rows: dict[str, list[float]] = {}
            lat = []
            examples: list[str] = []
            rewrites_listed: list[str] = []
            for kind in ("single", "composite"):
                chosen = [a for a in articles if (len(a[2]) == 1) == (kind == "single")]
                for text, planted, truth in chosen:
                    true_texts = {t.text for t in truth}
                    t0 = time.perf_counter()
                    r = fn(text, corpus, CFG)
                    lat.append(time.perf_counter() - t0)
                    listed = [text_of(s.document.key) for s in r.sources]
                    ids = [s.document.id for s in r.sources]
                    found = distortions(r)
                    from_true = [d for d in found if text_of(d.source.document.key) in true_texts]
                    planted_hit = planted is not None and any(
                        d.edit.target_start < planted[1] and planted[0] < d.edit.target_end
                        for d in from_true
                    )
                    firsts = set()
                    rivals = 0
                    for t in listed:
                        if t in true_texts and t in firsts:
                            rivals += 1
                        firsts.add(t)
                    stats = {
                        "top1_true": float(bool(listed) and listed[0] in true_texts),
                        "all_true_listed": float(true_texts <= set(listed)),
                        "no_rewrite_listed": float(not any(i.startswith("rewrite-") for i in ids)),
                        "distortions": float(len(found)),
                        "distortions_not_from_true": float(len(found) - len(from_true)),
                        "planted_found": float(planted_hit),
                        "sources": float(len(r.sources)),
                        "true_copies_as_rivals": float(rivals),
                        "related_rewrites": float(
                            sum(x.document.id.startswith("rewrite-") for x in r.related)
                        ),
                    }
                    if not stats["no_rewrite_listed"]:
                        rewrites_listed.append(f"{kind}: {', '.join(ids)}")
                    for k, v in stats.items():
                        rows.setdefault(f"{kind}.{k}", []).append(v)
                    if stats["distortions_not_from_true"] and len(examples) < 5:
                        d = next(
                            d for d in found if text_of(d.source.document.key) not in true_texts
                        )
                        examples.append(
                            f"{d.edit.label}: {d.edit.source_text!r} -> {d.edit.target_text!r}"
                            f" (from {d.source.document.id})"
                        )
            summary: dict[str, object] = {
                k: round(statistics.fmean(v), 4) for k, v in sorted(rows.items())
            }
            for kind in ("single", "composite"):
                total = sum(rows[f"{kind}.distortions"])
                bad = sum(rows[f"{kind}.distortions_not_from_true"])
                summary[f"{kind}.share_of_distortions_from_true"] = (
                    round(1 - bad / total, 4) if total else None
                )
            summary["median_trace_ms"] = round(1000 * statistics.median(lat), 1)
            summary["examples_not_from_true"] = examples
            summary["articles_with_a_rewrite_listed"] = rewrites_listed
            out[name] = summary
            print(name, json.dumps(summary, indent=1), flush=True)
        corpus.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
