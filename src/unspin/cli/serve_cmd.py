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
@handle_errors
def serve_command(db: str, host: str, port: int, max_upload_mib: int) -> None:
    """Run the web app: check texts, browse the corpus, and a JSON API under /api/.

    Binds to 127.0.0.1 unless --host says otherwise. The store is created when it does not
    exist, so files can be added from the Corpus page.
    """
    uvicorn = require("uvicorn", "web", "unspin serve")
    require("fastapi", "web", "unspin serve")
    from ..web.app import LOCAL_HOSTS, create_app

    hosts = [*LOCAL_HOSTS, host] if host not in ("0.0.0.0", "::") else ["*"]
    app = create_app(
        db, max_upload_bytes=max_upload_mib * 1024 * 1024, allowed_hosts=hosts, warm_up=True
    )
    note = app.state.web.results_note
    if note:
        click.echo(f"unspin: note: {note}")
    click.echo(f"unspin: serving {db} at http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")  # type: ignore[attr-defined]
