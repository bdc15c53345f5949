"""What every engine writes at the end: clusters (JSON Lines), the site graph (CSV, GraphML)
and the HTML report; and the summary of a run."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..jsonl_files import replaced_atomically, write_jsonl
from .build import DocMeta, dumps_cluster
from .graph import graphml, site_graph, write_csv
from .kernels import PassageRecord
from .report import render_report

CLUSTERS = "clusters.jsonl"
SITES_CSV = "site_graph.csv"
SITES_GRAPHML = "site_graph.graphml"
REPORT = "report.html"
OUTPUTS = (CLUSTERS, SITES_CSV, SITES_GRAPHML, REPORT)


def written_by_a_run(path: Path, out: Path) -> bool:
    """Whether a run into ``out`` would write over or delete ``path``: one of its outputs,
    or anything under its ``stages`` folder (a run with other settings replaces the stages).
    ``cluster --input out/clusters.jsonl --out out`` overwrote its own input (up to robust30).
    """
    if not path.exists() or not out.is_dir():
        return False
    for name in OUTPUTS:
        try:
            if os.path.samefile(path, out / name):
                return True
        except OSError:  # not there: then not the same file
            continue
    return path.resolve().is_relative_to((out / "stages").resolve())


@dataclass(slots=True)
class ClusterRun:
    """Summary of one ``cluster`` run: counts, seconds per stage, and where outputs are."""

    engine: str
    out: Path
    documents: int = 0
    pairs: int = 0
    passages: int = 0
    clusters: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    resumed: list[str] = field(default_factory=list)  # stages whose output was reused
    # The stage folder held another run's stages (other documents or settings): deleted.
    replaced_stages: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "out": str(self.out),
            "documents": self.documents,
            "pairs": self.pairs,
            "passages": self.passages,
            "clusters": self.clusters,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "resumed": self.resumed,
            "replaced_stages": self.replaced_stages,
        }


def write_outputs(
    out: Path,
    clusters: Sequence[dict[str, Any]],
    passages: Sequence[PassageRecord],
    docs: dict[int, DocMeta],
    run: ClusterRun,
) -> None:
    """Write clusters.jsonl, site_graph.csv/.graphml and report.html into ``out``, each
    whole (temporary name, then rename)."""
    out.mkdir(parents=True, exist_ok=True)
    run.clusters = write_jsonl(out / CLUSTERS, clusters, dumps_cluster)
    nodes, edges = site_graph(passages, docs)
    write_csv(edges, out / SITES_CSV)
    _write_text(out / SITES_GRAPHML, graphml(nodes, edges))
    summary = {
        "engine": run.engine,
        "documents": run.documents,
        "candidate pairs": run.pairs,
        "passages": run.passages,
        "clusters": run.clusters,
        "sites": len(nodes),
    }
    _write_text(out / REPORT, render_report(clusters, nodes, edges, summary))


def _write_text(path: Path, text: str) -> None:
    """``path`` holds ``text`` whole or keeps what it held: a run killed while writing, or
    another run writing the same folder, never leaves half a file."""
    with replaced_atomically(path) as fh:
        fh.write(text)
