"""Server memory while clients upload large bodies with a wrong CSRF token (issue 24 item 12).

Run from the repository root:

    .venv/bin/python benchmarks/bench_web_memory.py [--uploads 8] [--mib 31] [--settle 20]

Starts ``unspin serve`` on an empty store on 127.0.0.1 (a free port), waits ``--settle``
seconds (the warm-up thread loads the lexicon), then sends ``--uploads`` concurrent uploads of
``--mib`` MiB to ``POST /api/ingest`` with a wrong token, first as the ``X-CSRF-Token`` header,
then as the first form field. Prints the server's resident memory (``VmRSS``) before, after
each round, and its peak (``VmHWM``), with the answers' status codes, as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _vm_mb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) // 1024
    return 0


def measure(db: Path, *, uploads: int, mib: int, settle: float) -> dict[str, Any]:
    import httpx
    from bench_reliability import free_port, start_server

    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    payload = b"x" * (mib * 1024 * 1024)
    figures: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "uploads": uploads, "mib": mib}
    try:
        time.sleep(settle)
        figures["rss_before_mb"] = _vm_mb(server.pid, "VmRSS")
        for where in ("header", "first_field"):
            codes: list[str] = []
            headers = {"X-CSRF-Token": "wrong"} if where == "header" else {}

            def upload(i: int, headers: dict[str, str] = headers, codes: list[str] = codes) -> None:
                try:
                    r = httpx.post(
                        base + "/api/ingest",
                        data={"csrf_token": "wrong"},
                        files={"files": (f"f{i}.txt", payload)},
                        headers=headers,
                        timeout=300,
                    )
                    codes.append(str(r.status_code))
                except httpx.HTTPError as exc:
                    codes.append(type(exc).__name__)

            threads = [threading.Thread(target=upload, args=(i,)) for i in range(uploads)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            figures[where] = {
                "statuses": sorted(codes),
                "rss_after_mb": _vm_mb(server.pid, "VmRSS"),
                "peak_rss_mb": _vm_mb(server.pid, "VmHWM"),
            }
    finally:
        server.kill()
        server.communicate(timeout=30)
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--uploads", type=int, default=8)
    ap.add_argument("--mib", type=int, default=31)
    ap.add_argument("--settle", type=float, default=20.0)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="unspin-mem-") as folder:
        figures = measure(
            Path(folder) / "empty.db", uploads=args.uploads, mib=args.mib, settle=args.settle
        )
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
