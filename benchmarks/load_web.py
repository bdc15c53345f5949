"""Bounded load test of the web app on loopback (issue 8): throughput and latency percentiles.

Run from the repository root (about two minutes on two cores for the default numbers):

    .venv/bin/python benchmarks/load_web.py [--requests 2000] [--clients 8] [--max-seconds 600]
        [--heavy-clients 1] [--heavy-chars 200000]

It ingests the shipped demo corpus into a temporary store, starts ``unspin serve`` on
127.0.0.1 (a free port; nothing else is contacted), and sends ``--requests`` requests from
``--clients`` concurrent clients, mixing traces (``POST /api/trace``, each a different excerpt
of a demo story, so the result cache rarely answers), spin scores (``POST /api/score``) and
document views (``GET /d/{key}`` pages and ``GET /api/documents/{key}``). Requests stop at
``--max-seconds`` if they have not all been sent. It prints one JSON object: status counts,
server errors (5xx, transport errors, tracebacks in the server log), throughput and latency
percentiles per kind of request.

``--heavy-clients`` more clients each send slow heavy requests the whole time: ``POST /check``
forms holding ``--heavy-chars`` characters of demo stories (a different text each time, so no
kept result answers). The figures then also give the latency of the light requests (document
JSON and malformed requests) that started and ended while a heavy request was in flight
(``light_while_heavy``), next to the light requests sent while none was (``light_alone``).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO_CORPUS = ROOT / "src" / "unspin" / "data" / "demo" / "corpus.jsonl"
MIX = (("trace", 0.33), ("score", 0.15), ("page", 0.24), ("document", 0.24), ("bad", 0.04))
# Requests that do no tracing or scoring: they must stay quick while heavy ones run.
LIGHT = ("document", "bad")
# Requests of the wrong shape: the app must answer 4xx, never 5xx.
BAD = (
    ("/api/trace", {"text": 5}),
    ("/api/trace", {"text": None}),
    ("/api/trace", {"text": ["a", "list"]}),
    ("/api/trace", {"text": "Cocoa prices rose.", "top": "many"}),
    ("/api/score", {"text": {"nested": {"deep": [1, 2]}}}),
    ("/api/trace", {"text": "   "}),
    ("/api/documents/-1", None),
    ("/d/999999999", None),
)


DEMO_TEXT = (
    "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought "
    "since early January and improving prospects for the coming temporao."
)


def _excerpt(text: str, rng: random.Random) -> str:
    """A run of consecutive sentences (about 300-1,500 characters) of ``text``."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    start = rng.randrange(len(sentences))
    out = []
    for s in sentences[start:]:
        out.append(s)
        if sum(len(x) for x in out) > rng.randint(300, 1500):
            break
    return " ".join(out)


def plan(n: int, n_docs: int, seed: int = 0) -> list[tuple[str, str, Any]]:
    """``n`` requests (kind, path, JSON body or None) drawn with a fixed seed."""
    rng = random.Random(seed)
    texts = [json.loads(line)["text"] for line in DEMO_CORPUS.read_text("utf-8").splitlines()]
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    out: list[tuple[str, str, Any]] = []
    for _ in range(n):
        kind = rng.choices(kinds, weights)[0]
        if kind == "trace":
            out.append((kind, "/api/trace", {"text": _excerpt(rng.choice(texts), rng), "top": 3}))
        elif kind == "score":
            out.append((kind, "/api/score", {"text": _excerpt(rng.choice(texts), rng)}))
        elif kind == "page":
            out.append((kind, f"/d/{rng.randint(1, n_docs)}", None))
        elif kind == "document":
            out.append((kind, f"/api/documents/{rng.randint(1, n_docs)}", None))
        else:
            out.append((kind, *rng.choice(BAD)))
    return out


@functools.cache
def _stories() -> tuple[str, ...]:
    return tuple(json.loads(line)["text"] for line in DEMO_CORPUS.read_text("utf-8").splitlines())


def heavy_text(chars: int, n: int) -> str:
    """About ``chars`` characters of demo stories, made distinct by ``n`` (no cache hit)."""
    texts = _stories()
    out: list[str] = [f"Check number {n}."]
    size = 0
    i = n
    while size < chars:
        story = texts[i % len(texts)]
        out.append(story)
        size += len(story) + 2
        i += 7
    return "\n\n".join(out)[:chars]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-quantile (0..1) of ``values`` by the nearest-rank method."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), math.ceil(q * len(ordered))))
    return ordered[rank - 1]


def _summary(latencies: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(latencies),
        "p50_ms": round(1000 * percentile(latencies, 0.50), 1),
        "p90_ms": round(1000 * percentile(latencies, 0.90), 1),
        "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
        "max_ms": round(1000 * max(latencies, default=0.0), 1),
    }


def run_load(
    db: Path,
    *,
    requests: int,
    clients: int,
    max_seconds: float,
    seed: int = 0,
    heavy_clients: int = 0,
    heavy_chars: int = 200_000,
) -> dict[str, Any]:
    """Serve ``db`` on loopback and send the planned requests; returns the figures.

    ``heavy_clients`` more clients send heavy ``/check`` forms of ``heavy_chars`` characters
    until the planned requests are done.
    """
    import httpx

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_reliability import free_port, start_server

    from unspin.store import Store

    with Store(db, create=False) as store:
        n_docs = store.count()
    todo = plan(requests, n_docs, seed)
    port = free_port()
    server = start_server(db, port)
    lock = threading.Lock()
    statuses: Counter[str] = Counter()
    latency: dict[str, list[float]] = {k: [] for k, _ in MIX}
    errors: list[str] = []
    cursor = [0]
    deadline = time.monotonic() + max_seconds
    heavy_in_flight = [0]
    light_alone: list[float] = []
    light_while_heavy: list[float] = []
    heavy_latency: list[float] = []
    light_done = threading.Event()

    def heavy_client(k: int) -> None:
        n = 0
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as http:
            token = http.get("/api/csrf").json()["token"]
            while not light_done.is_set() and time.monotonic() < deadline:
                form = {"csrf_token": token, "text": heavy_text(heavy_chars, 1000 * k + n)}
                n += 1
                with lock:
                    heavy_in_flight[0] += 1
                t0 = time.perf_counter()
                try:
                    r = http.post("/check", data=form)
                    code = str(r.status_code)
                    if r.status_code >= 500:
                        with lock:
                            errors.append(f"/check: {r.status_code} {r.text[:200]}")
                except httpx.HTTPError as exc:
                    code = "transport-error"
                    with lock:
                        errors.append(f"/check: {exc!r}")
                with lock:
                    heavy_in_flight[0] -= 1
                    statuses[f"heavy {code}"] += 1
                    heavy_latency.append(time.perf_counter() - t0)

    def client() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
            while time.monotonic() < deadline:
                with lock:
                    if cursor[0] >= len(todo):
                        return
                    kind, path, body = todo[cursor[0]]
                    cursor[0] += 1
                t0 = time.perf_counter()
                with lock:
                    heavy_at_start = heavy_in_flight[0] > 0
                try:
                    r = http.post(path, json=body) if body is not None else http.get(path)
                    code = str(r.status_code)
                    if r.status_code >= 500:
                        with lock:
                            errors.append(f"{path}: {r.status_code} {r.text[:200]}")
                except httpx.HTTPError as exc:
                    code = "transport-error"
                    with lock:
                        errors.append(f"{path}: {exc!r}")
                took = time.perf_counter() - t0
                with lock:
                    statuses[f"{kind} {code}"] += 1
                    latency[kind].append(took)
                    if kind in LIGHT:
                        # "While heavy": one was in flight when it was sent and when answered.
                        both = heavy_at_start and heavy_in_flight[0] > 0
                        (light_while_heavy if both else light_alone).append(took)

    # One trace first: it loads the thesaurus, a one-off cost that is not load behaviour.
    t0 = time.perf_counter()
    httpx.post(
        f"http://127.0.0.1:{port}/api/trace",
        json={"text": _excerpt(DEMO_TEXT, random.Random())},
        timeout=300,
    ).raise_for_status()
    warm_up = time.perf_counter() - t0
    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    heavies = [threading.Thread(target=heavy_client, args=(k,)) for k in range(heavy_clients)]
    try:
        for t in heavies:
            t.start()
        if heavy_clients:
            while heavy_in_flight[0] == 0:  # light requests start once a heavy one is sent
                time.sleep(0.01)
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        light_done.set()
        for t in heavies:
            t.join()
    finally:
        elapsed = time.perf_counter() - t0
        server.terminate()
        _, log = server.communicate(timeout=30)
    done = sum(len(v) for v in latency.values())
    all_latencies = [x for v in latency.values() for x in v]
    return {
        "date": time.strftime("%Y-%m-%d"),
        "requests_planned": requests,
        "requests_done": done,
        "clients": clients,
        "warm_up_seconds": round(warm_up, 1),
        "seconds": round(elapsed, 1),
        "throughput_rps": round(done / elapsed, 1) if elapsed else 0.0,
        "statuses": dict(sorted(statuses.items())),
        "server_errors": len(errors),
        "error_samples": errors[:5],
        "server_tracebacks": log.decode("utf-8", "replace").count("Traceback"),
        "latency_all": _summary(all_latencies),
        "latency": {k: _summary(v) for k, v in latency.items()},
        "heavy_clients": heavy_clients,
        "heavy_chars": heavy_chars,
        "latency_heavy": _summary(heavy_latency),
        "light_alone": _summary(light_alone),
        "light_while_heavy": _summary(light_while_heavy),
    }


def demo_store(folder: Path) -> Path:
    """A store holding the shipped demo corpus."""
    from unspin.ingest import ingest
    from unspin.store import Store

    db = folder / "demo.db"
    with Store(db) as store:
        ingest([DEMO_CORPUS], store)
    return db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--max-seconds", type=float, default=600.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--heavy-clients", type=int, default=1)
    ap.add_argument("--heavy-chars", type=int, default=200_000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="unspin-load-") as folder:
        figures = run_load(
            demo_store(Path(folder)),
            requests=args.requests,
            clients=args.clients,
            max_seconds=args.max_seconds,
            seed=args.seed,
            heavy_clients=args.heavy_clients,
            heavy_chars=args.heavy_chars,
        )
    print(json.dumps(figures, indent=2))
    return 1 if figures["server_errors"] or figures["server_tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())
