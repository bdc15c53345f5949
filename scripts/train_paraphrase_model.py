"""Train the paraphrase model shipped in ``src/unspin/data/paraphrase_model.npz``.

Paraphrased (label 1) and original (label 0) texts of the *tune* half of the QuillBot
development pairs (``realspin/quillbot-dev.jsonl``, whitespace collapsed, split by original
exactly as ``benchmarks/bench_realspin.py`` splits them; the held half is never read here),
plus two kinds of human prose as further originals: Reuters stories of reut2-000..002 (600
paragraphs of 60-160 words and 300 leads of one or two sentences: news must stay low, and
``bench_spin.py`` measures on reut2-014..021) and 600 stretches of 40-300 words from source
books of the PAN 2013 training corpus (Project Gutenberg). Without the books the model learned
"no ChatGPT words, so paraphrased": 15% of other Gutenberg stretches and 18% of the students'
own answers of the Clough-Stevenson corpus passed 0.5; with them 0.3% and 2.6%. A logistic regression over TF-IDF weighted words (scikit-learn, the ``train``
extra) learns which words a paraphraser prefers (each text's vector divided by the larger of its
length and ``norm_floor``, the first percentile of the QuillBot texts' lengths, so that a short
text does not weigh each word as much as a long one weighs all of its words). The originals' side weighs as much as the
paraphrases, ``1 - OTHER_WEIGHT`` of it the QuillBot originals and ``OTHER_WEIGHT`` the human prose
(half news, half books).

Calibration: 5-fold cross-validation grouped by original gives every tune text a score from a
model that did not see it; the bias is then moved so that only ``ORIGINALS_OVER`` of the tune
originals pass 0.5 (issue 19 asks for at most 5% on the originals). The tune figures the script
prints are those out-of-fold ones; the held half is measured by ``bench_realspin.py``.

    python scripts/train_paraphrase_model.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import diags
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from unspin.generators.spin_corpus import paragraphs, short_texts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
# The benchmark's split, not a copy of it.
from bench_realspin import auc, half, quillbot

OUT = Path(__file__).resolve().parents[1] / "src" / "unspin" / "data" / "paraphrase_model.npz"
# Chosen by out-of-fold AUC on the tune half (C 1 / 10 with the books: 0.917 / 0.956), by the
# Moby spinner's AUC at 10% on Reuters development files reut2-003..006 (the news kept it within
# 0.004) and by the share of human prose over 0.5: other PAN source books and the Clough-Stevenson
# students' answers (never trained on).
C = 10.0
OTHER_WEIGHT = 0.6
ORIGINALS_OVER = 0.025
REUTERS_FILES = range(0, 3)
# Source books of the PAN 2013 training corpus, in a seeded order: the first BOOK_FILES give one
# stretch each (the later ones were used to check the share over 0.5).
BOOK_SEED = 1
BOOK_FILES = 1500
BOOK_STRETCHES = 600
# Words in at least this many training texts enter the vocabulary.
MIN_DF = 3
# The share of QuillBot training texts whose TF-IDF vector is shorter than the norm floor.
FLOOR_QUANTILE = 0.01


@dataclass(frozen=True, slots=True)
class Fitted:
    """A trained vectoriser (without normalisation), the floor under the vectors' lengths and
    the logistic regression on the vectors divided by ``max(length, floor)``."""

    vectoriser: TfidfVectorizer
    floor: float
    model: LogisticRegression

    def decision(self, texts: list[str]) -> np.ndarray:
        """Log-odds of ``texts``, as :class:`unspin.spinscore.paraphrase.ParaphraseModel`
        computes them."""
        return np.asarray(self.model.decision_function(scaled(self.vectoriser, texts, self.floor)))


def scaled(vectoriser: TfidfVectorizer, texts: list[str], floor: float) -> Any:
    """TF-IDF rows of ``texts`` divided by the larger of their length and ``floor``."""
    raw = vectoriser.transform(texts)
    lengths = np.sqrt(np.asarray(raw.multiply(raw).sum(axis=1)).ravel())
    return diags(1.0 / np.maximum(np.maximum(lengths, floor), 1e-12)) @ raw


def book_stretches(folder: Path) -> list[str]:
    """One stretch of 40-300 words (seeded) from each of the first source books, whitespace
    collapsed."""
    rng = random.Random(BOOK_SEED)
    files = sorted(folder.glob("source-document*.txt"))
    rng.shuffle(files)
    out = []
    for path in files[:BOOK_FILES]:
        words = path.read_bytes().decode("utf-8", errors="replace").split()
        start = rng.randrange(max(1, len(words) - 300))
        out.append(" ".join(words[start : start + rng.randint(40, 300)]))
        if len(out) >= BOOK_STRETCHES:
            break
    return out


def fit(texts: list[str], labels: np.ndarray, news: list[str], books: list[str]) -> Fitted:
    """Vectoriser and logistic regression on ``texts`` (labelled) plus ``news`` and ``books``
    (originals)."""
    everything = texts + news + books
    y = np.concatenate([labels, np.zeros(len(news) + len(books))])
    n_pos, n_orig = float((labels == 1).sum()), float((labels == 0).sum())
    weights = np.concatenate(
        [
            np.where(labels == 1, 1.0, n_pos / n_orig * (1.0 - OTHER_WEIGHT)),
            np.full(len(news), n_pos * OTHER_WEIGHT / 2 / len(news)),
            np.full(len(books), n_pos * OTHER_WEIGHT / 2 / len(books)),
        ]
    )
    vectoriser = TfidfVectorizer(min_df=MIN_DF, sublinear_tf=True, norm=None).fit(everything)
    lengths = np.sqrt(np.asarray(vectoriser.transform(texts).power(2).sum(axis=1)).ravel())
    floor = float(np.quantile(lengths, FLOOR_QUANTILE))
    x = scaled(vectoriser, everything, floor)
    model = LogisticRegression(C=C, max_iter=5000).fit(x, y, sample_weight=weights)
    return Fitted(vectoriser, floor, model)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default)
    args = parser.parse_args()
    pairs = quillbot(args.data / "realspin" / "quillbot-dev.jsonl", 10**6)["tune"]
    originals = list(dict.fromkeys(p.original for p in pairs))
    texts = originals + [p.spun for p in pairs]
    labels = np.array([0] * len(originals) + [1] * len(pairs))
    groups = originals + [p.original for p in pairs]
    modes = ["original"] * len(originals) + [p.mode for p in pairs]
    assert all(half(g) == "tune" for g in groups)
    reuters = args.data / "reuters21578"
    news = list(itertools.islice(paragraphs(reuters, REUTERS_FILES), 600))
    news += list(itertools.islice(short_texts(reuters, REUTERS_FILES), 300))
    books = book_stretches(args.data / "pan13-train" / "src")

    out_of_fold = np.zeros(len(texts))
    for train, test in GroupKFold(5).split(texts, labels, groups):
        fitted = fit([texts[i] for i in train], labels[train], news, books)
        out_of_fold[test] = fitted.decision([texts[i] for i in test])
    shift = -float(np.quantile(out_of_fold[labels == 0], 1.0 - ORIGINALS_OVER))
    scores = out_of_fold + shift
    negatives = list(scores[labels == 0])
    figures = {
        "auc": auc(list(scores[labels == 1]), negatives),
        "originals_over_05": float(np.mean(np.array(negatives) > 0)),
        "paraphrases_over_05": float(np.mean(scores[labels == 1] > 0)),
    }
    for mode in sorted(set(modes) - {"original"}):
        pos = [s for s, m in zip(scores, modes, strict=True) if m == mode]
        figures[f"auc_{mode}"] = auc(pos, negatives)

    fitted = fit(texts, labels, news, books)
    vocabulary = fitted.vectoriser.get_feature_names_out()
    about = {
        "script": "scripts/train_paraphrase_model.py",
        "date": datetime.date.today().isoformat(),
        "data": "tune half of realspin/quillbot-dev.jsonl (split by original); as further "
        "originals Reuters-21578 reut2-000..002 (first 60-160 words of 600 stories, first one "
        "or two sentences of 300) and 600 stretches of 40-300 words of PAN 2013 train source "
        "books",
        "originals": len(originals),
        "paraphrases": len(pairs),
        "news": len(news),
        "books": len(books),
        "book_seed": BOOK_SEED,
        "C": C,
        "other_weight": OTHER_WEIGHT,
        "min_df": MIN_DF,
        "norm_floor": round(fitted.floor, 4),
        "originals_over_05": ORIGINALS_OVER,
        "bias_shift": round(shift, 6),
        "tune_out_of_fold": {k: round(v, 4) for k, v in figures.items()},
    }
    np.savez_compressed(
        OUT,
        vocabulary=np.array("\n".join(vocabulary)),
        idf=fitted.vectoriser.idf_.astype(np.float32),
        weights=fitted.model.coef_[0].astype(np.float32),
        bias=np.array([float(fitted.model.intercept_[0]) + shift]),
        norm_floor=np.array([fitted.floor]),
        about=np.array(json.dumps(about)),
    )
    print(json.dumps(about, indent=2))


if __name__ == "__main__":
    main()
