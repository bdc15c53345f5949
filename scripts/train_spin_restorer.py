"""Train the restoration ranker shipped in ``src/unspin/data/spin_restorer.npz``.

Reuters paragraphs from files reut2-007..013 are spun by
``unspin.generators.article_spinner.spin`` at 20%; for every synonym swap, the lexical top
``KEEP`` (30) candidate originals (``unspin.spinscore.score.lexical_originals`` with the spun
paragraph as context) become rows of ``unspin.spinscore.restorer.candidate_rows``
(the candidate's MiniLM state in the sentence, its lexical score, the swap head's log-odds). A
linear ranker (softmax over each swap's candidates, L2 0.01, Adam, 40 epochs) learns which
candidate was the original. Top-1/top-3 are printed for development paragraphs of
reut2-003..006, before and after re-ranking; ``benchmarks/bench_spin.py`` measures the held-apart
files. Needs the ``embed`` extra (torch).

    python scripts/train_spin_restorer.py [--data ../shared/data] [--limit 1000]
"""

from __future__ import annotations

import argparse
import datetime
import json
import pickle
from pathlib import Path

import numpy as np
from rich.progress import track

from unspin.generators.article_spinner import spin
from unspin.generators.spin_corpus import paragraphs
from unspin.spinscore.restorer import EXTRA_COLUMNS, KEEP, Restorer, candidate_rows
from unspin.spinscore.score import lexical_originals

SEED = 7000
OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "spin_restorer.npz"
TRAIN_FILES = range(7, 14)
DEV_FILES = range(3, 7)

Swap = tuple[list[str], np.ndarray, str]  # candidates, their rows, the true original


def swaps(texts: list[str], seed: int, label: str, spins: int = 1) -> list[Swap]:
    out: list[Swap] = []
    for i, text in enumerate(track(texts, description=label)):
        for n in range(spins):
            spun = spin(text, 0.2, seed=seed + 100_000 * n + i)
            for r in spun.replacements:
                if r.kind != "synonym":
                    continue
                ranked = lexical_originals(r.replacement, spun.text)[:KEEP]
                rows = candidate_rows(spun.text, r.target_start, r.target_end, ranked)
                out.append(([w for w, _ in ranked], rows, r.original.lower()))
    return out


def fit(train: list[Swap], l2: float = 0.01, epochs: int = 40) -> Restorer:
    import torch

    groups = [(rows, words.index(orig)) for words, rows, orig in train if orig in words]
    dim = groups[0][0].shape[1]
    states = np.concatenate([rows[:, :-EXTRA_COLUMNS] for rows, _ in groups])
    mean, scale = states.mean(axis=0), states.std(axis=0) + 1e-3
    x = np.zeros((len(groups), KEEP, dim), np.float32)
    pad = np.full((len(groups), KEEP), -1e9, np.float32)
    for g, (rows, _) in enumerate(groups):
        x[g, : len(rows)] = rows
        x[g, : len(rows), :-EXTRA_COLUMNS] = (rows[:, :-EXTRA_COLUMNS] - mean) / scale
        pad[g, : len(rows)] = 0.0
    xt, padt = torch.tensor(x), torch.tensor(pad)
    target = torch.tensor([t for _, t in groups])
    torch.manual_seed(0)
    w = torch.zeros(dim, requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.003)
    for _ in range(epochs):
        perm = torch.randperm(len(groups))
        for b in range(0, len(groups), 128):
            idx = perm[b : b + 128]
            logits = xt[idx] @ w + padt[idx]
            loss = torch.nn.functional.cross_entropy(logits, target[idx]) + l2 * w.pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    return Restorer(w.detach().numpy().astype(float), mean.astype(float), scale.astype(float))


def hits(data: list[Swap], model: Restorer | None) -> tuple[float, float]:
    top1 = top3 = 0
    for words, rows, orig in data:
        order = words if model is None else [words[i] for i in np.argsort(-model.scores(rows))]
        top1 += order[:1] == [orig]
        top3 += orig in order[:3]
    return top1 / max(len(data), 1), top3 / max(len(data), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=1000, help="training paragraphs")
    parser.add_argument("--spins", type=int, default=1, help="spun versions of each paragraph")
    parser.add_argument("--cache", type=Path, help="also pickle the swaps here (for experiments)")
    args = parser.parse_args()
    folder = args.data / "reuters21578"
    train_texts = list(paragraphs(folder, TRAIN_FILES))[: args.limit]
    dev_texts = list(paragraphs(folder, DEV_FILES))[:150]
    train = swaps(train_texts, SEED, "training swaps", args.spins)
    dev = swaps(dev_texts, 1000, "development swaps")
    if args.cache:
        args.cache.write_bytes(pickle.dumps((train, dev)))
    model = fit(train)
    before, after = hits(dev, None), hits(dev, model)
    print(f"{len(train)} training swaps, {len(dev)} development swaps")
    print(f"development top-1 / top-3: lexical {before[0]:.3f} / {before[1]:.3f}, ", end="")
    print(f"re-ranked {after[0]:.3f} / {after[1]:.3f}")
    about = {
        "script": "scripts/train_spin_restorer.py",
        "date": datetime.date.today().isoformat(),
        "data": f"Reuters-21578 reut2-007..013, {len(train_texts)} paragraphs spun at 20% "
        f"({args.spins} spins each)",
        "swaps": len(train),
        "keep": KEEP,
        "development_top1_top3": [round(after[0], 4), round(after[1], 4)],
    }
    np.savez_compressed(
        OUT,
        weights=model.weights,
        mean=model.mean,
        scale=model.scale,
        about=np.array(json.dumps(about)),
    )
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
