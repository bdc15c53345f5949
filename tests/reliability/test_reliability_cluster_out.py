"""Two cluster runs into one ``--out`` folder, and files written whole or not at all.

Found by the third crash and concurrency round (docs/reliability.md, "Crashes and concurrency,
third round"): every writer of a stage or output file used one temporary name
(``pairs.jsonl.tmp``), so two runs into one folder wrote into the same file and the second
rename failed with a ``FileNotFoundError`` traceback (2 of 3 tries on the demo corpus); and
``site_graph.csv``, ``site_graph.graphml``, ``report.html`` and the ``RUN`` marker were
written in place, so a killed run could leave half of one.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from unspin.jsonl_files import read_jsonl, replaced_atomically, write_jsonl

DEMO = Path(__file__).resolve().parents[2] / "src" / "unspin" / "data" / "demo" / "corpus.jsonl"
OUTPUTS = (
    "clusters.jsonl",
    "site_graph.csv",
    "site_graph.graphml",
    "report.html",
    "stages/local/pairs.jsonl",
    "stages/local/passages.jsonl",
    "stages/local/RUN",
)


def test_two_writers_of_one_path_each_write_a_whole_file(tmp_path: Path) -> None:
    # Writer A writes its first row and waits; writer B writes the same path from start to
    # end meanwhile; then A finishes. Both must succeed and the file must be one writer's
    # whole output (before: B truncated A's temporary file, renamed it, and A's rename then
    # failed with FileNotFoundError while its rows went into B's renamed file).
    path = tmp_path / "pairs.jsonl"
    started, go_on = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_rows() -> Iterator[list[object]]:
        yield ["a", 0]
        started.set()
        assert go_on.wait(60)
        yield from (["a", i] for i in range(1, 50))

    def writer_a() -> None:
        try:
            write_jsonl(path, slow_rows())
        except BaseException as exc:  # the test reports it below
            errors.append(exc)

    a = threading.Thread(target=writer_a)
    a.start()
    assert started.wait(60)
    assert write_jsonl(path, (["b", i] for i in range(50))) == 50
    go_on.set()
    a.join(60)
    assert not errors, errors
    rows = list(read_jsonl(path))
    assert rows in ([["a", i] for i in range(50)], [["b", i] for i in range(50)])
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.jsonl"]  # no temporary file left


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), replaced_atomically(path) as fh:
        fh.write("half of the new one")
        raise KeyboardInterrupt  # Ctrl-C while writing
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def _cluster(db: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "unspin", "cluster", "--db", str(db), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="renaming over an open file is POSIX")
def test_two_cluster_runs_into_one_out_folder_both_succeed(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text("".join(DEMO.read_text(encoding="utf-8").splitlines(keepends=True)[:200]))
    db = tmp_path / "c.db"
    cmd = [sys.executable, "-m", "unspin", "ingest", str(small), "--db", str(db), "-q"]
    subprocess.run(cmd, check=True, timeout=300)
    clean = tmp_path / "clean"
    solo = _cluster(db, clean)
    assert solo.wait(300) == 0, solo.communicate()[1]
    for round_ in range(3):
        out = tmp_path / f"shared{round_}"
        runs = [_cluster(db, out), _cluster(db, out)]
        for run in runs:
            _stdout, stderr = run.communicate(timeout=300)
            assert run.returncode == 0 and "Traceback" not in stderr, stderr
        for name in OUTPUTS:
            assert (out / name).read_bytes() == (clean / name).read_bytes(), name
        left = sorted(p.name for p in out.rglob("*.tmp"))
        assert not left, left


# A cluster run through the Python API that prints each stage it reports and, once it is
# aligning, waits for a line on its standard input; then prints its passage count.
_RUN = """
import sys
from unspin.cluster import cluster
from unspin.cluster.kernels import ClusterConfig

out, db, min_shared, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "pause"
said = set()
def progress(stage, done, total):
    global pause
    if stage not in said:
        said.add(stage)
        print(stage, flush=True)
    if pause and stage == "aligning pairs":
        pause = False
        sys.stdin.readline()
run = cluster(out, db=db, config=ClusterConfig(min_shared=min_shared, label_edits=False),
              progress=progress)
print("passages", run.passages, "resumed", ",".join(run.resumed) or "-", flush=True)
"""


def _api_run(out: Path, db: Path, min_shared: int, pause: bool) -> subprocess.Popen[str]:
    args = [str(out), str(db), str(min_shared), "pause" if pause else "go"]
    return subprocess.Popen(
        [sys.executable, "-c", _RUN, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="the folder lock is flock's")
def test_a_run_into_a_folder_in_use_waits_and_never_takes_the_others_stages(
    tmp_path: Path,
) -> None:
    # Before (robust29): run B (--min-shared 2) started while run A (--min-shared 5) was
    # aligning deleted A's stage files; A's passages then landed among B's, and B took them
    # as its own finished stage ("reused finished stages: passages"): 405 passages where its
    # settings give 428, silently.
    small = tmp_path / "small.jsonl"
    small.write_text("".join(DEMO.read_text(encoding="utf-8").splitlines(keepends=True)[:120]))
    db = tmp_path / "c.db"
    cmd = [sys.executable, "-m", "unspin", "ingest", str(small), "--db", str(db), "-q"]
    subprocess.run(cmd, check=True, timeout=300)
    alone = {}
    for k in (5, 2):
        solo = _api_run(tmp_path / f"solo{k}", db, k, pause=False)
        alone[k] = solo.communicate(timeout=300)[0].splitlines()[-1]
    assert alone[5] != alone[2]  # the two settings find different passages
    out = tmp_path / "shared"
    a = _api_run(out, db, 5, pause=True)
    assert a.stdout is not None and a.stdin is not None
    while a.stdout.readline().strip() != "aligning pairs":  # A holds the folder, mid-stage
        assert a.poll() is None, a.communicate()
    b = _api_run(out, db, 2, pause=False)
    assert b.stdout is not None
    first = b.stdout.readline().strip()
    a.stdin.write("\n")
    a.stdin.flush()
    a_out, a_err = a.communicate(timeout=300)
    b_out, b_err = b.communicate(timeout=300)
    assert a.returncode == 0 and b.returncode == 0, (a_err, b_err)
    assert first == f"waiting for another cluster run into {out} (process {a.pid}) to finish"
    assert a_out.splitlines()[-1] == alone[5]
    assert b_out.splitlines()[-1] == alone[2]  # its own passages, none of A's
