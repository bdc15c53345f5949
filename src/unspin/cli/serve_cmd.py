"""`unspin serve`: the local web app over a store."""

from __future__ import annotations

import click

from ..errors import require
from .app import db_option, handle_errors, main


@main.command("serve")
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Other machines can reach the app only if you change this.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--max-upload-mib",
    default=32,
    show_default=True,
    type=click.IntRange(1, 4096),
    help="Largest request body accepted (uploads); larger ones get HTTP 413.",
)
@click.option(
    "--heavy-jobs",
    default=None,
    type=click.IntRange(1, 64),
    help="Traces, compares and scores run at once (default: one per CPU core, up to 4); "
    "four times as many wait their turn, more get HTTP 429.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in a web browser.")
@handle_errors
def serve_command(
    db: str,
    host: str,
    port: int,
    max_upload_mib: int,
    heavy_jobs: int | None,
    open_browser: bool,
) -> None:
    """Run the web app: check texts, browse the corpus, and a JSON API under /api/.

    Binds to 127.0.0.1 unless --host says otherwise. The store is created when it does not
    exist, so files can be added from the Corpus page.
    """
    uvicorn = require("uvicorn", "web", "unspin serve")
    require("fastapi", "web", "unspin serve")
    from ..web.app import LOCAL_HOSTS, create_app
    from ..web.listen import listening_socket, url_host
    from ..web.service import DEFAULT_HEAVY_JOBS

    # Bound before anything is printed: a taken port is a one-line error, not a traceback.
    sock = listening_socket(host, port)
    hosts = [*LOCAL_HOSTS, host] if host not in ("0.0.0.0", "::") else ["*"]
    app = create_app(
        db,
        max_upload_bytes=max_upload_mib * 1024 * 1024,
        allowed_hosts=hosts,
        warm_up=True,
        heavy_jobs=heavy_jobs or DEFAULT_HEAVY_JOBS,
    )
    for note in (app.state.web.start_note, app.state.web.results_note):
        if note:
            click.echo(f"unspin: note: {note}")
    url = f"http://{url_host(host)}:{sock.getsockname()[1]}/"
    click.echo(f"unspin: serving {db} at {url} (Ctrl-C stops)")
    if open_browser:
        import webbrowser

        # The socket already listens: the browser's request waits for the server to start.
        if not webbrowser.open(url):
            click.echo(f"unspin: no web browser found here; open {url} yourself")
    from ..web.slowclients import (
        NotingServer,
        RequestDeadlineProtocol,
        raise_open_files_limit,
    )

    # Clients that never finish a request must not use up the open files.
    raise_open_files_limit()
    config = uvicorn.Config(  # type: ignore[attr-defined]
        app, log_level="warning", http=RequestDeadlineProtocol
    )
    NotingServer(config).run(sockets=[sock])
