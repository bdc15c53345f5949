"""`unspin serve` out of the box: a taken port is one line, the API docs page works offline
under the page's security policy, and there is a favicon."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from unspin.cli import main


def test_a_port_in_use_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["serve", "--db", str(tmp_path / "s.db"), "--port", str(port)]
        )
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"port {port}" in lines[0] and "in use" in lines[0]
    assert "serving" not in result.output and "Traceback" not in result.output


def test_an_unknown_host_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--db", str(tmp_path / "s.db"), "--host", "no-such-host.invalid"]
    )
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "no-such-host.invalid" in result.output


@pytest.mark.parametrize("host", ["", "  "])
def test_an_empty_host_says_it_is_empty(tmp_path: Path, host: str) -> None:
    # robust31: it said "cannot listen on : not an address of this machine ([Errno -2] Name
    # or service not known)", naming nothing.
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "s.db"), "--host", host])
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert f"--host {host!r} is empty" in result.output and "127.0.0.1" in result.output


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        ("127.0.0.1:8000", "holds a port: give it with --port (--host 127.0.0.1 --port 8000)"),
        (
            "http://localhost:8000/",
            "is a URL: give the host name or address alone (localhost), and the port with --port",
        ),
    ],
)
def test_a_host_with_a_port_or_a_url_says_what_to_give(
    tmp_path: Path, host: str, problem: str
) -> None:
    # robust31: both said "not an address of this machine ([Errno -2] Name or service not
    # known)".
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "s.db"), "--host", host])
    assert result.exit_code != 0
    assert result.output == f"Error: --host {host!r} {problem}\n"


def test_favicon(client: TestClient) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.lstrip().startswith("<svg")
    assert 'rel="icon"' in client.get("/").text


def test_api_docs_are_served_from_this_server(client: TestClient) -> None:
    pytest.importorskip("fastapi_offline")
    page = client.get("/api/docs")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    # No script from elsewhere and no inline script: the policy would block either.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    assert "http://" not in page.text and "https://" not in page.text
    for url in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
        r = client.get(url)
        assert r.status_code == 200, url
    assert client.get("/api/openapi.json").json()["paths"]


def test_make_demo_installs_the_web_app_and_prints_how_to_open_it() -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    # A dry run from a state with nothing installed: what `make demo` would do.
    # Under `make test` the make variables of the outer make would turn this into a sub-make
    # that prints "Entering/Leaving directory" lines: run it as a make of its own.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    plan = subprocess.run(
        [make, "--no-print-directory", "-n", "-B", "demo"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    assert "pip install --quiet -e '.[web]'" in plan
    last = [line for line in plan.splitlines() if line.strip()][-1]
    assert "unspin serve --db demo.db --open" in last
