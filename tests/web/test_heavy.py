"""Heavy requests run in worker threads under a bound; light requests are answered meanwhile.

Before: ``POST /check`` was an ``async`` route that traced on the event loop, so a 400,000
character check made ``GET /api/stats`` wait 21.7 s, and nothing bounded how many traces ran.
Here the test holds the app's only heavy slot itself, so a check is in flight (waiting for its
turn) for as long as the test wants: every assertion is about order, none about time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from unspin.web.app import create_app
from unspin.web.service import WAITING_PER_HEAVY_JOB

# Short texts: the tests are about order, so each trace may be quick.
TEXT = "Cocoa prices rose in London after the council met to discuss the buffer stock"


@pytest.fixture
def one_slot(demo_db: Path) -> Iterator[tuple[TestClient, Any]]:
    app = create_app(demo_db, allowed_hosts=["testserver"], heavy_jobs=1)
    with TestClient(app) as client:
        yield client, app.state.web


def _in_thread(call: Any) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: answers.append(call()), daemon=True)
    thread.start()
    return thread, answers


def _wait_for(client: TestClient, waiting: int, request: threading.Thread) -> None:
    """Poll the (light) health endpoint until ``waiting`` heavy requests wait for a slot."""
    while client.get("/api/health").json()["heavy"]["waiting"] != waiting:
        # A request that ended instead of waiting would leave this loop spinning forever.
        assert request.is_alive(), "the heavy request ended instead of waiting for its turn"


def test_light_requests_are_answered_while_a_check_is_in_flight(
    one_slot: tuple[TestClient, Any],
) -> None:
    client, state = one_slot
    token = client.get("/api/csrf").json()["token"]
    with state.heavy.take():  # the one heavy slot is busy: the check must wait its turn
        check, answers = _in_thread(
            lambda: client.post(
                "/check",
                data={"csrf_token": token, "text": TEXT + " (in flight)"},
                follow_redirects=False,
            )
        )
        _wait_for(client, 1, check)
        for path in ("/", "/corpus", "/api/stats", "/api/documents/1", "/api/documents?q=cocoa"):
            assert client.get(path).status_code == 200, path
        health = client.get("/api/health").json()["heavy"]
        assert health["running"] == 1 and health["waiting"] == 1
        assert check.is_alive() and not answers
    check.join()
    assert answers[0].status_code == 303 and answers[0].headers["location"].startswith("/r/")


def test_heavy_requests_past_the_queue_get_429_at_once(one_slot: tuple[TestClient, Any]) -> None:
    client, state = one_slot
    queued = []
    with state.heavy.take():
        for i in range(WAITING_PER_HEAVY_JOB):
            body = {"text": f"{TEXT} (queued {i})", "top": 1}
            queued.append(_in_thread(lambda body=body: client.post("/api/trace", json=body)))
            _wait_for(client, i + 1, queued[-1][0])
        refused = client.post("/api/trace", json={"text": TEXT + " (one too many)"})
        assert refused.status_code == 429
        assert refused.headers["retry-after"].isdigit()
        message = refused.json()["error"]
        assert message.startswith("busy:") and "\n" not in message
        # A kept result needs no slot: asking again for a finished trace is still answered.
        assert all(thread.is_alive() for thread, _ in queued)
    for thread, answers in queued:
        thread.join()
        assert answers[0].status_code == 200
    again = client.post("/api/trace", json={"text": f"{TEXT} (queued 0)", "top": 1})
    assert again.status_code == 200


def test_a_kept_result_is_served_without_a_heavy_slot(one_slot: tuple[TestClient, Any]) -> None:
    client, state = one_slot
    body = {"text": TEXT + " (kept)", "top": 2}
    first = client.post("/api/trace", json=body)
    assert first.status_code == 200
    with state.heavy.take():
        assert client.post("/api/trace", json=body).status_code == 200
        assert client.get(first.headers["location"]).status_code == 200


def test_a_request_whose_work_runs_out_of_memory_is_503_and_the_server_goes_on(
    web_app, client: TestClient, monkeypatch: pytest.MonkeyPatch, article: str
) -> None:
    """A score, trace or compare that runs out of memory (a server under a memory limit:
    ``ulimit -v 700000`` and four scores at once) was a 500 "Internal Server Error" up to
    robust39. It is a 503 with the error format of every other refusal and a Retry-After,
    on the API and on the Check form's page; the next request is answered."""
    import unspin.web.api
    import unspin.web.pages

    def out_of_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError("Unable to allocate 2.44 MiB for an array with shape (416, 1536)")

    monkeypatch.setattr(unspin.web.api, "run_score", out_of_memory)
    res = client.post("/api/score", json={"text": article})
    assert res.status_code == 503 and res.headers["retry-after"] == "30"
    assert res.json()["error"].startswith("the server ran out of memory on this request")
    monkeypatch.setattr(unspin.web.pages, "run_trace", out_of_memory)
    token = client.get("/api/csrf").json()["token"]
    res = client.post("/check", data={"text": article, "csrf_token": token})
    assert res.status_code == 503 and "ran out of memory" in res.text
    assert res.headers["content-type"].startswith("text/html")
    # Reading the body itself (FastAPI answered 400 "There was an error parsing the body").
    import unspin.web.jsonbody

    monkeypatch.setattr(unspin.web.jsonbody, "loads", out_of_memory)
    res = client.post("/api/trace", json={"text": article})
    assert res.status_code == 503 and "ran out of memory" in res.json()["error"]
    monkeypatch.undo()
    assert client.post("/api/score", json={"text": article}).status_code == 200
