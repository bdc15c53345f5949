"""Light requests while the API reads a large JSON body of many small values (relweb).

Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_web_json_body.py [--objects 2200000]

Builds the app over an empty store in a temporary folder (FastAPI's TestClient: the real app
in this process), then sends ``POST /api/score`` with a body holding ``--objects`` small
objects as an unknown field (31 MiB for the default, under the 32 MiB upload limit) while a
thread asks ``GET /api/health`` every 50 ms. Prints, as one JSON object, the body's size, the
score request's status and seconds, and the longest gap between two health answers (50 ms
when nothing stalls; a stall of the event loop or the interpreter lock lengthens it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=2_200_000)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from unspin.web.app import create_app

    body = json.dumps({"text": "Cocoa prices rose.", "junk": [{"a": [1, 2]}] * args.objects})
    with tempfile.TemporaryDirectory() as tmp:
        client = TestClient(create_app(Path(tmp) / "empty.db", allowed_hosts=["testserver"]))
        answered: list[float] = []
        done = threading.Event()

        def light() -> None:
            while not done.is_set():
                client.get("/api/health")
                answered.append(time.perf_counter())
                time.sleep(0.05)

        probe = threading.Thread(target=light)
        probe.start()
        time.sleep(0.3)
        t0 = time.perf_counter()
        r = client.post("/api/score", content=body, headers={"content-type": "application/json"})
        heavy = time.perf_counter() - t0
        time.sleep(0.3)
        done.set()
        probe.join()
    gaps = [b - a for a, b in itertools.pairwise(answered)]
    print(
        json.dumps(
            {
                "body_mib": round(len(body) / 2**20, 1),
                "status": r.status_code,
                "seconds": round(heavy, 2),
                "health_gap_max_ms": round(max(gaps) * 1000, 1),
                "health_gap_median_ms": round(statistics.median(gaps) * 1000, 1),
                "health_requests": len(answered),
            }
        )
    )


if __name__ == "__main__":
    main()
