"""Train the spin model shipped in ``src/unspin/data/spin_model.json``.

Features of Reuters paragraphs from files reut2-000..013 (originals, and the same paragraphs spun
at a random rate in 0.05..0.6 by the spinners of :mod:`unspin.generators` in turn: Moby,
WordNet, Roget, GloVe neighbours, phrases and function words, typos; ``--spinners moby`` is the
Moby-only model shipped until 2026-12-04), and as many short texts (the first one or two
sentences of a story, 6-40 words; ``--shorts 0`` leaves them out), fit a logistic
regression (numpy, no sklearn); the JSON records the data, seeds and date. Held-apart reliability is measured by
``benchmarks/bench_spin.py`` on files reut2-014..021.

With ``--contextual`` the features come from the contextual per-word model (the ``embed``
extra) and the model is written to ``spin_model_contextual.json``.

``--match-originals-fp-of SRC`` then shifts the fitted bias (only the bias: the ranking, hence
every AUC, is unchanged) so that the share of unspun training originals scored over 0.5 equals
the share that the checkout whose ``src`` folder is ``SRC`` (e.g. main before the mixture) gives
on the same originals with its thesaurus text model (``unspin.spin.score_text`` in a subprocess;
a paraphrase model's verdict is left out). Why: the mixture
holds spun texts at 5% that read like originals, so the plain fit calls twice as many originals
spun. ``--calibration-books N`` adds N stretches of PAN 2013 source books (Project Gutenberg) as a
second group of unspun text: the shift is then the lower of the two groups' matching shifts, so
that neither group has a larger share over 0.5 than under the reference (old literary English
looks thesaurus-spun; calibrating on news alone doubled false alarms on book prose). The books
are files 600.. of ``train_paraphrase_model.py``'s seeded order (it reads the first 600;
``bench_realspin.py``'s prose check reads 2,000 on), so no evaluation stretch is among them.
``--keep-fit`` takes the weights of the shipped JSON instead of fitting again (the
recalibration alone; the fit is deterministic, so both give the same model).

    python scripts/train_spin_model.py [--data ../shared/data] [--limit 1500] [--shorts 1500]
        [--spinners moby,wordnet,roget,glove,phrase,typo] [--contextual]
        [--match-originals-fp-of /tmp/main/src [--calibration-originals 1500]
         [--calibration-books 600] [--keep-fit]]

The mixture needs the ``spinners`` extra. The written JSON has no ``verdict`` (how the text-level
probability combines this model with the paraphrase model: it was fitted on the old model's
log-odds); ``scripts/train_spin_verdict.py`` fits it again, and scoring says so until then.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import itertools
import json
import os
import random
import subprocess
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from unspin.generators import SPINNERS
from unspin.generators.spin_corpus import TRAIN_FILES, labelled, paragraphs, short_texts
from unspin.spinscore.features import FEATURE_NAMES, analyse
from unspin.spinscore.model import LogisticModel, fit_logistic
from unspin.spinscore.reverse_thesaurus import ReverseThesaurus, reverse_thesaurus

SEED = 13
SHORT_SEED = 17
# PAN 2013 source books in train_paraphrase_model.py's seeded order (BOOK_SEED): it reads the
# first 600 files, bench_realspin.py's prose check reads from the 2,000th on; calibration books
# come from between.
BOOK_SEED = 1
BOOK_FIRST, BOOK_END = 600, 2000
STRETCH_SEED = 3
DATA = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data"
# Run with PYTHONPATH=SRC: the reference checkout's thesaurus-model probability of each text read
# from stdin. Where score_text also runs a paraphrase model (main since 2026-12-04) its verdict
# combines the two; only the thesaurus model's share is what this text model should match.
# A probability of exactly 0 is score_text's "nothing to judge", which holds for both.
REFERENCE_SCORER = (
    "import json, sys\n"
    "from unspin.spinscore.score import score_text\n"
    "scores = [score_text(t, sys.argv[1]) for t in json.load(sys.stdin)]\n"
    "print(json.dumps([s.features.get('thesaurus_probability', s.probability)\n"
    "                  if s.probability else 0.0 for s in scores]))\n"
)


@dataclass(frozen=True, slots=True)
class BiasShift:
    """How the fitted bias was moved to match a reference's false alarms on originals."""

    fit_bias: float
    shift: float
    originals: int
    reference_over_half: float
    fit_over_half: float
    shifted_over_half: float


def reference_probabilities(
    src: Path, texts: list[str], kind: str, cache: Path | None = None
) -> list[float]:
    """The thesaurus text model's probability (``score_text``'s, as :data:`REFERENCE_SCORER`
    reads it) of every text under the checkout ``src``. With ``cache`` (a folder), they are
    kept there under a hash of the checkout's path, the model kind and the texts, so that
    refitting against the same reference does not score its texts again."""
    key = hashlib.sha256(json.dumps([str(src.resolve()), kind, texts]).encode()).hexdigest()
    kept = cache / f"reference-{kind}-{key[:16]}.json" if cache else None
    if kept is not None and kept.exists():
        return [float(p) for p in json.loads(kept.read_text(encoding="utf-8"))]
    env = {**os.environ, "PYTHONPATH": str(src)}
    argv = [sys.executable, "-c", REFERENCE_SCORER, kind]
    done = subprocess.run(
        argv, input=json.dumps(texts), env=env, capture_output=True, text=True, check=True
    )
    found = [float(p) for p in json.loads(done.stdout)]
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(json.dumps(found), encoding="utf-8")
    return found


def matched_bias(
    model: LogisticModel, judged: list[dict[str, float]], originals: int, reference_over_half: float
) -> BiasShift:
    """The bias shift after which the share of ``originals`` texts that ``model`` puts over 0.5
    is ``reference_over_half`` (to the nearest text). ``judged`` holds the features of those of
    them ``score_text`` judges at all (the others, with no content word and no evidence, score 0
    whatever the bias, so they count as under 0.5).

    >>> m = LogisticModel(("a",), np.zeros(1), np.ones(1), np.ones(1), 0.0)
    >>> s = matched_bias(m, [{"a": v} for v in (-1.0, 0.5, 1.0, 2.0)], 4, 0.25)
    >>> (s.fit_over_half, s.shifted_over_half, s.shift)
    (0.75, 0.25, -1.5)
    """
    z = np.sort([_logit(model, f) for f in judged])[::-1]  # largest first
    k = min(round(reference_over_half * originals), len(z))
    upper = z[k - 1] if k > 0 else z[0] + 1.0
    lower = z[k] if k < len(z) else z[-1] - 1.0
    shift = -float(upper + lower) / 2  # the boundary falls midway between the k-th and next text
    return BiasShift(
        model.bias,
        shift,
        originals,
        reference_over_half,
        float((z > 0).sum() / originals),
        float((z + shift > 0).sum() / originals),
    )


def calibration_books(folder: Path, count: int) -> list[str]:
    """One stretch of 40-300 words (seeded) from each of ``count`` PAN 2013 source books, files
    ``BOOK_FIRST``.. of the seeded order (never one ``bench_realspin.py`` measures on)."""
    if count > BOOK_END - BOOK_FIRST:
        raise SystemExit(f"--calibration-books: at most {BOOK_END - BOOK_FIRST}, got {count}")
    files = sorted(folder.glob("source-document*.txt"))
    random.Random(BOOK_SEED).shuffle(files)
    pick = random.Random(STRETCH_SEED)
    out = []
    for path in files[BOOK_FIRST : BOOK_FIRST + count]:
        words = path.read_bytes().decode("utf-8", errors="replace").split()
        start = pick.randrange(max(1, len(words) - 300))
        out.append(" ".join(words[start : start + pick.randint(40, 300)]))
    return out


def over_half(
    model: LogisticModel, judged: list[dict[str, float]], texts: int, shift: float
) -> float:
    """The share of ``texts`` over 0.5 once the bias is moved by ``shift`` (texts not in
    ``judged`` score 0)."""
    return sum(_logit(model, f) + shift > 0 for f in judged) / texts


_ANALYSED: dict[tuple[str, str], tuple[dict[str, float], list[Any]]] = {}


def analysed(text: str, rt: ReverseThesaurus, kind: str) -> tuple[dict[str, float], list[Any]]:
    """:func:`analyse`, once per text and kind: the calibration originals are also training
    texts, and the contextual analysis is the slow part of a run."""
    key = (text, kind)
    if key not in _ANALYSED:
        _ANALYSED[key] = analyse(text, rt, kind)
    return _ANALYSED[key]


def _logit(model: LogisticModel, features: dict[str, float]) -> float:
    x = np.array([features[n] for n in model.names], dtype=float)
    return model.bias + float(np.dot(model.weights, (x - model.mean) / model.scale))


def fitted(
    texts: list[str],
    shorts: list[str],
    mixture: tuple[str, ...],
    spinners: tuple[str, ...],
    kind: str,
    rt: ReverseThesaurus,
) -> tuple[LogisticModel, dict[str, Any]]:
    """The logistic model fitted on the texts, each spun or not, and its JSON record."""
    examples = labelled(texts, SEED, spinners=mixture) + labelled(
        shorts, SHORT_SEED, spinners=mixture
    )
    features = [analysed(t, rt, kind)[0] for t, _ in examples]
    x = np.array([[f[n] for n in FEATURE_NAMES] for f in features])
    y = np.array([label for _, label in examples], dtype=float)
    model = fit_logistic(x, y, FEATURE_NAMES)
    accuracy = float(
        (
            (np.array([model.predict(dict(zip(FEATURE_NAMES, r, strict=True))) for r in x]) > 0.5)
            == y
        ).mean()
    )
    record = {
        "model": model.to_dict(),
        "trained": {
            "script": "scripts/train_spin_model.py",
            "per_word_model": kind,
            "date": datetime.date.today().isoformat(),
            "data": "Reuters-21578 reut2-000..013, first 60-160 words of each story, and the "
            "first one or two sentences (6-40 words) of each story",
            "paragraphs": len(texts),
            "short_texts": len(shorts),
            "examples": len(examples),
            "spin_rates": [0.05, 0.6],
            "spinners": list(spinners),
            "seed": SEED,
            "short_seed": SHORT_SEED,
            "train_accuracy": round(accuracy, 4),
        },
    }
    return model, record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=1500, help="paragraphs (before spinning)")
    parser.add_argument(
        "--shorts",
        type=int,
        default=1500,
        help="short texts (before spinning): without them, one or two sentences score as if "
        "they were paragraphs (development Brier on short texts 0.100 -> 0.091, contextual)",
    )
    parser.add_argument(
        "--contextual", action="store_true", help="features of the contextual per-word model"
    )
    parser.add_argument("--spinners", default=",".join(SPINNERS), help="comma-separated names")
    parser.add_argument(
        "--match-originals-fp-of",
        type=Path,
        metavar="SRC",
        help="shift the bias so the share of training originals over 0.5 is the one the "
        "checkout with this src folder gives on them",
    )
    parser.add_argument(
        "--calibration-originals",
        type=int,
        default=1500,
        help="paragraphs and as many short texts (the first ones, unspun) to match on",
    )
    parser.add_argument(
        "--calibration-books",
        type=int,
        default=600,
        help="stretches of PAN 2013 source books to match on as well (0: news alone)",
    )
    parser.add_argument(
        "--reference-label", default="", help="what SRC is, for the record (e.g. main a284d01)"
    )
    parser.add_argument(
        "--reference-cache",
        type=Path,
        metavar="DIR",
        help="keep the reference's probabilities here (a second run against SRC reads them)",
    )
    parser.add_argument(
        "--keep-fit",
        action="store_true",
        help="recalibrate the shipped model's fit instead of fitting again",
    )
    args = parser.parse_args()
    spinners = tuple(n.strip() for n in args.spinners.split(",") if n.strip())
    unknown = [n for n in spinners if n not in SPINNERS]
    if unknown or not spinners:
        raise SystemExit(f"--spinners: unknown {unknown}; choose from {', '.join(SPINNERS)}")
    # Moby alone keeps the exact texts of the Moby-only model (spinner.spin, same seeds).
    mixture = () if spinners == ("moby",) else spinners
    kind = "contextual" if args.contextual else "lexical"
    out = DATA / ("spin_model_contextual.json" if args.contextual else "spin_model.json")
    texts = []
    for text in paragraphs(args.data / "reuters21578", TRAIN_FILES):
        texts.append(text)
        if len(texts) >= args.limit:
            break
    shorts = list(
        itertools.islice(short_texts(args.data / "reuters21578", TRAIN_FILES), args.shorts)
    )
    rt = reverse_thesaurus()
    if args.keep_fit:
        record = json.loads(out.read_text(encoding="utf-8"))
        model = LogisticModel.from_dict(record["model"])
        earlier = record["trained"].pop("bias_shift", None)
        if earlier:  # start again from the fitted bias
            model = replace(model, bias=float(earlier["fit_bias"]))
    else:
        model, record = fitted(texts, shorts, mixture, spinners, kind, rt)
    if args.match_originals_fp_of:
        n = args.calibration_originals
        groups = {"reuters": texts[:n] + shorts[:n]}
        if args.calibration_books:
            groups["books"] = calibration_books(
                args.data / "pan13-train" / "src", args.calibration_books
            )
        matched: dict[str, tuple[BiasShift, list[dict[str, float]]]] = {}
        for name, unspun in groups.items():
            reference = reference_probabilities(
                args.match_originals_fp_of, unspun, kind, args.reference_cache
            )
            judged = []
            for text in unspun:
                features, evidence = analysed(text, rt, kind)
                if features["content_words"] or evidence:
                    judged.append(features)
            share = float(np.mean(np.array(reference) > 0.5))
            matched[name] = (matched_bias(model, judged, len(unspun), share), judged)
        # The lowest shift keeps every group at or under its reference share.
        shift = min(c.shift for c, _ in matched.values())
        per_group = {
            name: {
                **{k: round(v, 6) for k, v in asdict(c).items() if k != "fit_bias"},
                "shifted_over_half": round(over_half(model, judged, c.originals, shift), 6),
            }
            for name, (c, judged) in matched.items()
        }
        model = replace(model, bias=model.bias + shift)
        record["model"] = model.to_dict()
        record["trained"]["bias_shift"] = {
            "why": "no group of unspun text over 0.5 more often than under the reference",
            "reference": args.reference_label or str(args.match_originals_fp_of),
            "originals_are": f"reuters: the first {len(texts[:n])} paragraphs and "
            f"{len(shorts[:n])} short texts above, unspun; books: "
            f"{len(groups.get('books', []))} stretches of 40-300 words of PAN 2013 source "
            f"books, files {BOOK_FIRST}.. in seed {BOOK_SEED}'s order",
            "fit_bias": round(matched["reuters"][0].fit_bias, 6),
            "shift": round(shift, 6),
            "groups": per_group,
        }
    # The verdict was fitted on this model's log-odds: a new model makes it stale.
    record.pop("verdict", None)
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))
    print("now refit the verdict: python scripts/train_spin_verdict.py", file=sys.stderr)


if __name__ == "__main__":
    main()
