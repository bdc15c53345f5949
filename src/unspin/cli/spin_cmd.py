"""``unspin spin``: make a spun test article from a text, the way content farms do."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import click

from ..errors import bidi_escaped, printable
from ..types import blank
from .app import PathArgument, fail, handle_errors, main, read_text_of

# The longest text spun: spinning takes about 25 s a million characters on one core (a
# 70 MB file ran for over ten minutes and 3.6 GB before it was stopped); a test article
# is a few thousand.
MAX_SPIN_CHARS = 1_000_000

if TYPE_CHECKING:
    from ..generators.article_spinner import Spun


class _Share(click.FloatRange):
    """A share from 0 to 1. NaN passes click's range check (no comparison with it is
    true) and would skip its step silently; it is refused."""

    def __init__(self) -> None:
        super().__init__(0.0, 1.0)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        share = super().convert(value, param, ctx)
        if math.isnan(share):
            self.fail(f"{value} is not a share from 0 to 1.", param, ctx)
        return share


_rate = _Share()


@main.command("spin")
@click.argument("file", type=PathArgument(exists=True, dir_okay=False, allow_dash=True))
@click.option(
    "--rate",
    default=0.4,
    show_default=True,
    type=_rate,
    help="Share of content words replaced by a random Moby synonym.",
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    help="Random seed; the same seed gives the same output.",
)
@click.option(
    "--noise",
    "noise_rate",
    default=0.0,
    show_default=True,
    type=_rate,
    help="Share of words given a typo (inserted, transposed or doubled letter).",
)
@click.option("--reorder", is_flag=True, help="Shuffle the order of the sentences.")
@click.option(
    "--drop", default=0.0, show_default=True, type=_rate, help="Share of sentences deleted."
)
@click.option(
    "--splice",
    "other",
    type=PathArgument(exists=True, dir_okay=False),
    help="Second source: stitch runs of sentences of FILE and this file together first.",
)
@click.option(
    "--spin-names", is_flag=True, help="Also replace capitalised words inside sentences (names)."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON with the text, every replacement and where each range came from.",
)
@handle_errors
def spin_cmd(
    file: str,
    rate: float,
    seed: int,
    noise_rate: float,
    reorder: bool,
    drop: float,
    other: str | None,
    spin_names: bool,
    as_json: bool,
) -> None:
    """Spin FILE like an article spinner and print the result.

    FILE (and --splice's) is plain text, HTML (its main text), or the first record of a JSON
    Lines or WARC file; '-' reads standard input. Steps run in this order, each only when asked for: splice with a second file, drop
    sentences, reorder sentences, replace words with synonyms (--rate), add typos (--noise).
    """
    # The generators are test data, not the product: only this command loads them.
    from ..generators.article_spinner import (
        Origin,
        carry_origins,
        drop_sentences,
        noise,
        reorder_sentences,
        spin,
        splice,
    )

    text = read_text_of(file, MAX_SPIN_CHARS)
    steps: list[tuple[str, Spun]] = []
    if other is not None:
        spliced = splice(text, read_text_of(other, MAX_SPIN_CHARS), seed)
        steps.append(("splice", spliced))
        current, origins = spliced.text, spliced.origins
    else:
        current, origins = text, (Origin(0, len(text), 0, 0, len(text)),)
    stages = (
        ("drop", drop > 0, lambda t: drop_sentences(t, drop, seed)),
        ("reorder", reorder, lambda t: reorder_sentences(t, seed)),
        ("spin", rate > 0, lambda t: spin(t, rate, seed, spin_names=spin_names)),
        ("noise", noise_rate > 0, lambda t: noise(t, noise_rate, seed)),
    )
    for name, wanted, run in stages:
        if wanted:
            result = run(current)
            if name == "drop" and blank(result.text):
                # Before (robust30): an empty text, exit 0, its one line break "from" the
                # whole article.
                fail(
                    f"{printable(file)}: --drop {drop} deletes every sentence; nothing is "
                    "left to spin: give a smaller share"
                )
            if not result.replacements:
                # Before (robust31): the text came back unchanged, exit 0, and nothing said
                # the option had done nothing (an Arabic article with --rate 1).
                click.echo(f"note: {printable(file)}: {_DID_NOTHING[name]}", err=True)
            origins = carry_origins(origins, result)
            steps.append((name, result))
            current = result.text
    if not as_json:
        click.echo(current)
        return
    payload = {
        "text": current,
        "sources": [printable(f) for f in ([file] if other is None else [file, other])],
        "origins": [o._asdict() for o in origins],
        "steps": [_step_dict(name, spun) for name, spun in steps],
    }
    click.echo(bidi_escaped(json.dumps(payload, ensure_ascii=False, indent=2)))


# Why a step asked for changed nothing: what the text lacks.
_DID_NOTHING = {
    "drop": "--drop deleted no sentence: too few sentences for that share",
    "reorder": "--reorder moved no sentence: the text has one",
    "spin": "--rate replaced no word: too few words for that share, or none it may replace "
    "has a synonym in the Moby thesaurus, which lists English words (names are kept unless "
    "--spin-names)",
    "noise": "--noise typed no typo: too few words for that share, or none of three letters "
    "or more",
}


def _step_dict(name: str, spun: Spun) -> dict[str, object]:
    """One step for --json, without its text: intermediate texts would repeat the article."""
    record = spun.to_dict()
    del record["text"]
    return {"step": name, **record}
