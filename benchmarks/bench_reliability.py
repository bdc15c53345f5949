"""Reliability runs (issue 8): ingest and cluster killed with SIGKILL, concurrent use, bounds.

Run from the repository root (the full run takes several minutes; run it in the background):

    .venv/bin/python benchmarks/bench_reliability.py [--docs 3000] [--kills 50]
        [--cluster-kills 20] [--out DIR]

It prints one JSON object with the figures that docs/reliability.md records. The functions
are also what ``tests/reliability/`` runs, with smaller numbers, so the default test suite and
the recorded figures come from the same code.

* ``ingest_kill_run``: ``unspin ingest --log-batches`` over a JSON Lines corpus is killed
  with SIGKILL at random moments; after every kill the store is reopened, checked
  (``Store.check``: SQLite integrity, postings and statistics consistent with documents) and
  every document of a batch the process reported committed must be stored with its exact
  text. A final rerun must complete the ingest.
* ``cluster_kill_run``: the same for ``unspin cluster``; every stage file a killed run left
  must equal the one of a clean run, and the resumed run must give the clean run's outputs.
* ``concurrent_run``: one process ingests while threads trace committed documents and a
  served web app answers; nothing may fail and no committed document may be missing.
* ``two_ingests``: two ingests into one new store at once must serialize or fail clearly.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from unspin.generators.article_spinner import spin
from unspin.store import Store, hash_key
from unspin.trace import TraceConfig, trace
from unspin.types import content_hash

ROOT = Path(__file__).resolve().parents[1]
DEMO_CORPUS = ROOT / "src" / "unspin" / "data" / "demo" / "corpus.jsonl"
COMMITTED = re.compile(r"committed batch (\d+) \((\d+) documents read\)")


def unspin_cmd(*args: str) -> list[str]:
    """The command line running the ``unspin`` CLI of this interpreter."""
    return [sys.executable, "-m", "unspin", *args]


def make_corpus(path: Path, n_docs: int, seed: int = 0) -> list[dict[str, Any]]:
    """Write ``n_docs`` distinct documents as JSON Lines: the demo corpus, then spun copies.

    Spun copies (30% of content words swapped for Moby synonyms, a different seed each round)
    keep the texts realistic and distinct, so every record is one stored document.
    """
    demo = [json.loads(line) for line in DEMO_CORPUS.read_text(encoding="utf-8").splitlines()]
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    round_no = 0
    while len(records) < n_docs:
        for base in demo:
            if len(records) >= n_docs:
                break
            text = base["text"] if round_no == 0 else spin(base["text"], 0.3, seed + round_no).text
            if content_hash(text) in seen:
                continue
            seen.add(content_hash(text))
            records.append({**base, "id": f"{base['id']}~{round_no}", "text": text})
        round_no += 1
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return records


def committed_reads(stdout: str) -> int:
    """Documents read when the last batch the ingest process reported was committed."""
    found = COMMITTED.findall(stdout)
    return int(found[-1][1]) if found else 0


def verify_store(db: Path, records: Sequence[dict[str, Any]], committed: int) -> int:
    """Check the store and that the first ``committed`` records are stored verbatim.

    Raises AssertionError naming the problem; returns how many documents the store holds.
    Every stored document must be one of ``records`` (nothing half-written or foreign).
    """
    with Store(db, create=False) as store:
        problems = store.check()
        assert not problems, f"store check failed: {problems}"
        stored = dict(store.conn.execute("SELECT hash, key FROM texts").fetchall())
        wanted = {hash_key(content_hash(r["text"])): r["text"] for r in records[:committed]}
        missing = [h for h in wanted if h not in stored]
        assert not missing, f"{len(missing)} documents of committed batches are missing"
        texts = store.texts([stored[h] for h in wanted])
        for h, text in wanted.items():
            assert texts[stored[h]] == text, f"document {h.hex()[:12]} changed in the store"
        known = {hash_key(content_hash(r["text"])) for r in records}
        foreign = [h for h in stored if h not in known]
        assert not foreign, f"{len(foreign)} stored documents are not in the input"
        return len(stored)


@dataclass
class KillFigures:
    """What a kill-and-resume run did."""

    kills: int = 0  # processes killed while still running
    finished_before_kill: int = 0  # runs that completed before their kill moment
    cycles: int = 0  # stores filled completely (a new store is started after each)
    committed_batches_seen: int = 0  # batches reported committed, over all killed runs
    documents_verified: int = 0  # committed documents checked verbatim, over all kills
    max_documents_at_kill: int = 0
    final_documents: int = 0
    seconds: float = 0.0
    delays: list[float] = field(default_factory=list)


def ingest_kill_run(
    workdir: Path,
    records: Sequence[dict[str, Any]],
    corpus: Path,
    *,
    kills: int,
    max_delay: float,
    batch_size: int = 50,
    seed: int = 0,
    cli_check_every: int = 10,
) -> KillFigures:
    """Kill ``unspin ingest`` ``kills`` times at random moments, verifying after each kill.

    Each killed run is resumed by the next one on the same store. A run that completes before
    its kill moment must have stored everything; the next run then starts a new store (a new
    cycle), so every kill lands in an ingest that still has work to do.
    """
    rng = random.Random(seed)
    figs = KillFigures()
    t0 = time.perf_counter()

    def args(db: Path) -> list[str]:
        return unspin_cmd(
            "ingest", str(corpus), "--db", str(db), "--batch-size", str(batch_size), "--quiet"
        )

    db = workdir / f"kill{figs.cycles}.db"
    attempts = 0
    while figs.kills < kills:
        attempts += 1
        assert attempts <= 4 * kills + 10, "runs keep finishing before their kill moment"
        # Half of the kill moments count from a commit the process reported, not from its
        # start: on a busy machine start-up alone can outlast max_delay, and every kill would
        # then land before the first batch (the moment a crash test most needs to cover).
        after_commits = rng.choice((0, 1, 2, 3)) if rng.random() < 0.5 else 0
        delay = rng.uniform(0.0, 0.3) if after_commits else rng.uniform(0.05, max_delay)
        proc = subprocess.Popen(
            [*args(db), "--log-batches"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        early = _read_commits(proc, after_commits)
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            finished = False
        rest, err = proc.communicate()
        out = early + rest
        assert "Traceback" not in err, err
        committed = committed_reads(out)
        assert not finished or proc.returncode == 0, f"ingest failed: {err.strip()}"
        if db.exists():
            held = verify_store(db, records, len(records) if finished else committed)
            if cli_check_every and attempts % cli_check_every == 1:
                run_check_cli(db)
        else:
            assert committed == 0, "a batch was reported committed but there is no store"
            held = 0
        if finished:
            assert held == len(records), "a completed ingest is missing documents"
            figs.finished_before_kill += 1
            figs.cycles += 1
            db = workdir / f"kill{figs.cycles}.db"
            continue
        figs.kills += 1
        figs.delays.append(round(delay, 2))
        figs.committed_batches_seen += len(COMMITTED.findall(out))
        figs.documents_verified += committed
        figs.max_documents_at_kill = max(figs.max_documents_at_kill, held)
    done = subprocess.run(args(db), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    figs.final_documents = verify_store(db, records, len(records))
    assert figs.final_documents == len(records), "the rerun did not complete the ingest"
    run_check_cli(db)
    figs.seconds = round(time.perf_counter() - t0, 1)
    return figs


def _read_commits(proc: subprocess.Popen[str], commits: int) -> str:
    """Read ``proc``'s stdout until it has reported ``commits`` committed batches (or ends)."""
    lines: list[str] = []
    seen = 0
    assert proc.stdout is not None
    while seen < commits:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        seen += bool(COMMITTED.search(line))
    return "".join(lines)


def run_check_cli(db: Path) -> None:
    """``unspin check --db DB`` must exit 0 and say the store is consistent."""
    res = subprocess.run(
        unspin_cmd("check", "--db", str(db)), capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0 and res.stdout.startswith("ok:"), res.stdout + res.stderr


@dataclass
class ClusterKillFigures:
    kills: int = 0
    finished_before_kill: int = 0
    stage_files_checked: int = 0
    clean_seconds: float = 0.0
    seconds: float = 0.0


_STAGES = ("pairs.jsonl", "passages.jsonl")
_OUTPUTS = ("clusters.jsonl", "site_graph.csv")


def cluster_kill_run(
    workdir: Path, db: Path, *, kills: int, max_delay: float | None = None, seed: int = 0
) -> ClusterKillFigures:
    """Kill ``unspin cluster`` at random moments; stages left behind must be complete.

    Kill moments are drawn up to ``max_delay`` seconds (default: the clean run's time).
    """
    rng = random.Random(seed)
    figs = ClusterKillFigures()
    clean, killed = workdir / "clean", workdir / "killed"
    t0 = time.perf_counter()
    res = subprocess.run(
        unspin_cmd("cluster", "--db", str(db), "--out", str(clean)),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stderr
    figs.clean_seconds = round(time.perf_counter() - t0, 1)
    max_delay = max_delay or figs.clean_seconds
    args = unspin_cmd("cluster", "--db", str(db), "--out", str(killed))
    t0 = time.perf_counter()
    attempts = 0
    while figs.kills < kills:
        attempts += 1
        assert attempts <= 4 * kills + 10, "runs keep finishing before their kill moment"
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            proc.wait(timeout=rng.uniform(0.05, max_delay))
            finished = True
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            finished = False
        _, err = proc.communicate()
        assert "Traceback" not in err, err
        for name in _STAGES:
            left = killed / "stages" / "local" / name
            if left.exists():
                ref = (clean / "stages" / "local" / name).read_bytes()
                assert left.read_bytes() == ref, f"killed run left an incomplete {name}"
                figs.stage_files_checked += 1
        if finished:
            # Completed before its kill moment: check it, then start a new cycle from scratch.
            assert proc.returncode == 0, err
            _same_outputs(killed, clean)
            shutil.rmtree(killed)
            figs.finished_before_kill += 1
        else:
            figs.kills += 1
    res = subprocess.run(args, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr
    _same_outputs(killed, clean)
    figs.seconds = round(time.perf_counter() - t0, 1)
    return figs


def _same_outputs(out: Path, ref: Path) -> None:
    for name in (*_OUTPUTS, *(f"stages/local/{s}" for s in _STAGES)):
        assert (out / name).read_bytes() == (ref / name).read_bytes(), f"{name} differs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, timeout: float = 60.0) -> subprocess.Popen[bytes]:
    """``unspin serve`` on loopback; returns once it answers /api/stats."""
    import httpx

    proc = subprocess.Popen(
        unspin_cmd("serve", "--db", str(db), "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"unspin serve exited: {proc.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).raise_for_status()
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("unspin serve did not answer in time")


@dataclass
class ConcurrencyFigures:
    traces: int = 0
    web_requests: int = 0
    errors: list[str] = field(default_factory=list)
    documents: int = 0
    seconds: float = 0.0


def concurrent_run(
    workdir: Path,
    records: Sequence[dict[str, Any]],
    corpus: Path,
    *,
    tracers: int = 2,
    batch_size: int = 50,
    seed: int = 0,
) -> ConcurrencyFigures:
    """Ingest in one process while threads trace and a served web app is queried.

    A trace or web request started after a batch was reported committed must see every
    document of that batch: a traced document must come back as its own source, and the
    store's document count may never be below what was committed.
    """
    import httpx

    db = workdir / "concurrent.db"
    Store(db).close()  # the server and the readers open an existing store
    port = free_port()
    server = start_server(db, port)
    figs = ConcurrencyFigures()
    lock = threading.Lock()
    committed = [0]
    done = threading.Event()
    t0 = time.perf_counter()
    ingest = subprocess.Popen(
        [
            *unspin_cmd("ingest", str(corpus), "--db", str(db), "--quiet", "--log-batches"),
            "--batch-size",
            str(batch_size),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def follow() -> None:
        assert ingest.stdout is not None
        for line in ingest.stdout:
            m = COMMITTED.search(line)
            if m:
                committed[0] = int(m.group(2))
        done.set()

    def fail(message: str) -> None:
        with lock:
            figs.errors.append(message)

    def tracer(k: int) -> None:
        rng = random.Random(seed * 100 + k)
        cfg = TraceConfig(top=3, label_edits=False, score_unsourced=False)
        while not done.is_set():
            n = committed[0]
            if not n:
                time.sleep(0.05)
                continue
            rec = records[rng.randrange(n)]
            try:
                with Store(db, create=False) as store:
                    found = trace(rec["text"], store, cfg)
                ids = [s.document.id for s in found.sources]
                if rec["id"] not in ids:
                    fail(f"trace of committed {rec['id']} did not find it (got {ids})")
            except Exception as exc:
                fail(f"trace raised {type(exc).__name__}: {exc}")
            with lock:
                figs.traces += 1

    def web(k: int) -> None:
        rng = random.Random(seed * 100 + 50 + k)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=120) as client:
            while not done.is_set():
                n = committed[0]
                try:
                    stats = client.get("/api/stats")
                    if stats.status_code != 200 or stats.json()["documents"] < n:
                        fail(f"/api/stats: {stats.status_code} {stats.text[:200]} (committed {n})")
                    if n:
                        rec = records[rng.randrange(n)]
                        r = client.post("/api/trace", json={"text": rec["text"], "top": 3})
                        ids = [s["document"]["id"] for s in r.json().get("sources", [])]
                        if r.status_code != 200 or rec["id"] not in ids:
                            fail(f"/api/trace {rec['id']}: {r.status_code} {ids}")
                        page = client.get(f"/d/{rng.randrange(1, n + 1)}")
                        if page.status_code >= 500:
                            fail(f"/d/: {page.status_code}")
                except httpx.HTTPError as exc:
                    fail(f"web request failed: {exc!r}")
                with lock:
                    figs.web_requests += 3
                time.sleep(0.02)

    threads = [threading.Thread(target=follow)]
    threads += [threading.Thread(target=tracer, args=(k,)) for k in range(tracers)]
    threads += [threading.Thread(target=web, args=(0,))]
    try:
        for t in threads:
            t.start()
        rc = ingest.wait(timeout=900)
        done.set()
        for t in threads:
            t.join(timeout=300)
        err = ingest.stderr.read() if ingest.stderr else ""
        if rc != 0:
            figs.errors.append(f"ingest exited {rc}: {err[-500:]}")
    finally:
        done.set()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    figs.documents = verify_store(db, records, len(records))
    figs.seconds = round(time.perf_counter() - t0, 1)
    return figs


@dataclass
class TwoIngestFigures:
    exit_codes: list[int]
    messages: list[str]
    documents: int


def two_ingests(workdir: Path, records: Sequence[dict[str, Any]]) -> TwoIngestFigures:
    """Two ingests of overlapping files into one new store, started together."""
    half = len(records) // 2
    parts = [records[: half + half // 2], records[half // 2 :]]
    files = []
    for i, part in enumerate(parts):
        f = workdir / f"part{i}.jsonl"
        f.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
        files.append(f)
    db = workdir / "two.db"
    procs = [
        subprocess.Popen(
            unspin_cmd("ingest", str(f), "--db", str(db), "--batch-size", "20", "--quiet"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    codes, messages = [], []
    for p in procs:
        out, err = p.communicate(timeout=900)
        codes.append(p.returncode)
        messages.append((out + err).strip())
    held = verify_store(db, records, 0)
    return TwoIngestFigures(codes, messages, held)


_TRACE_SCRIPT = """
import json, sys, time
from unspin.store import Store
from unspin.trace import trace
text = open(sys.argv[2], encoding="utf-8").read()
t0 = time.perf_counter()
with Store(sys.argv[1], create=False) as store:
    r = trace(text, store)
# VmHWM: peak RSS of this program (ru_maxrss would carry the parent's peak over exec).
peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"chars": len(text), "seconds": round(time.perf_counter() - t0, 1),
    "max_rss_mib": round(int(peak) / 1024),
    "capped": r.capped, "candidates_aligned": r.candidates_considered,
    "sources": len(r.sources), "caps": r.meta.get("caps", [])}))
"""


def trace_figures(db: Path, article: Path) -> dict[str, Any]:
    """Trace ``article`` against ``db`` in a fresh process: time, peak memory, caps."""
    res = subprocess.run(
        [sys.executable, "-c", _TRACE_SCRIPT, str(db), str(article)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stderr
    figures: dict[str, Any] = json.loads(res.stdout)
    return figures


def long_article(path: Path, records: Sequence[dict[str, Any]], chars: int) -> Path:
    """Stories of ``records`` joined until ``chars`` characters: one text matching thousands."""
    parts: list[str] = []
    total = i = 0
    while total < chars:
        parts.append(records[i % len(records)]["text"])
        total += len(parts[-1]) + 2
        i += 1
    path.write_text("\n\n".join(parts)[:chars], encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--cluster-docs", type=int, default=441)
    ap.add_argument("--cluster-kills", type=int, default=20)
    ap.add_argument("--out", type=Path, help="Working folder (default: a temporary one).")
    ap.add_argument("--no-trace", action="store_true", help="Skip the 1 MB and 5 MB traces.")
    args = ap.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="unspin-reliability-"))
    work.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count()}
    corpus = work / "corpus.jsonl"
    records = make_corpus(corpus, args.docs)
    t0 = time.perf_counter()
    full = subprocess.run(
        unspin_cmd("ingest", str(corpus), "--db", str(work / "timing.db"), "--quiet"),
        capture_output=True,
        timeout=900,
    )
    assert full.returncode == 0
    ingest_seconds = time.perf_counter() - t0
    figures["ingest_seconds"] = round(ingest_seconds, 1)
    for mb in () if args.no_trace else (1, 5):
        article = long_article(work / f"article-{mb}mb.txt", records, mb * 1_000_000)
        figures[f"trace_{mb}mb"] = trace_figures(work / "timing.db", article)
        print(json.dumps(figures[f"trace_{mb}mb"]), file=sys.stderr)
    kill_dir = work / "kill"
    kill_dir.mkdir(exist_ok=True)
    figures["ingest_kills"] = asdict(
        ingest_kill_run(kill_dir, records, corpus, kills=args.kills, max_delay=ingest_seconds)
    )
    print(json.dumps(figures["ingest_kills"]), file=sys.stderr)
    cl_dir = work / "cluster"
    cl_dir.mkdir(exist_ok=True)
    cl_corpus = cl_dir / "corpus.jsonl"
    cl_db = cl_dir / "cluster.db"
    make_corpus(cl_corpus, args.cluster_docs)
    subprocess.run(
        unspin_cmd("ingest", str(cl_corpus), "--db", str(cl_db), "-q"),
        check=True,
        capture_output=True,
    )
    figures["cluster_kills"] = asdict(cluster_kill_run(cl_dir, cl_db, kills=args.cluster_kills))
    print(json.dumps(figures["cluster_kills"]), file=sys.stderr)
    conc_dir = work / "concurrent"
    conc_dir.mkdir(exist_ok=True)
    some = records[:1000]
    figures["concurrency"] = asdict(concurrent_run(conc_dir, some, corpus_of(conc_dir, some)))
    two_dir = work / "two"
    two_dir.mkdir(exist_ok=True)
    figures["two_ingests"] = asdict(two_ingests(two_dir, records[:1000]))
    print(json.dumps(figures, indent=2))
    return 0


def corpus_of(folder: Path, records: Sequence[dict[str, Any]]) -> Path:
    """Write ``records`` as a JSON Lines file in ``folder``."""
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
