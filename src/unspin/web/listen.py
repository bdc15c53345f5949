"""The listening socket of ``unspin serve``, bound before the server says it is serving.

uvicorn binds its own socket after start-up and, when the port is taken, logs a raw error
after ``serve`` had already printed "serving … at http://…". Binding here first turns a taken
port (or an address this machine does not have) into a one-line :class:`ConfigError`, and the
server is then handed the socket that is already listening.

>>> sock = listening_socket("127.0.0.1", 0)
>>> listening_socket("127.0.0.1", sock.getsockname()[1])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
unspin.errors.ConfigError: cannot listen on 127.0.0.1 port ...: the port is in use (stop the other server or choose another --port)
>>> sock.close()
"""

from __future__ import annotations

import errno
import socket

from ..errors import ConfigError


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host``:``port`` (port 0: any free port)."""
    problem = _not_a_host(host)
    if problem:
        raise ConfigError(f"--host {host!r} {problem}")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ConfigError(
            f"cannot listen on {host}: not an address of this machine ({exc})"
        ) from exc
    sock = socket.socket(family, kind, proto)
    try:
        # As uvicorn does: a restart may reuse the port while old connections time out. On
        # Linux this still refuses a port another socket is listening on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host} port {port}: {_why(exc)}") from exc
    sock.set_inheritable(True)
    return sock


def _not_a_host(host: str) -> str | None:
    """What is wrong with ``host`` as a name or address to listen on, when it is plainly not
    one; None otherwise (getaddrinfo then judges it). getaddrinfo's own words for these were
    "cannot listen on : not an address of this machine ([Errno -2] Name or service not
    known)", whatever the mistake.

    >>> _not_a_host("http://localhost:8000/")
    'is a URL: give the host name or address alone (localhost), and the port with --port'
    >>> _not_a_host("127.0.0.1:8000"), _not_a_host("::1"), _not_a_host("localhost")
    ('holds a port: give it with --port (--host 127.0.0.1 --port 8000)', None, None)
    """
    if not host.strip():
        return (
            "is empty: give an address to listen on, as 127.0.0.1 (this machine only, the "
            "default) or 0.0.0.0 (every network interface)"
        )
    scheme, sep, rest = host.partition("://")
    if sep and scheme.isalpha():
        name = rest.split("/", 1)[0].rsplit(":", 1)[0] or "localhost"
        return f"is a URL: give the host name or address alone ({name}), and the port with --port"
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and name and ":" not in name:
        return f"holds a port: give it with --port (--host {name} --port {port})"
    return None


def url_host(host: str) -> str:
    """``host`` as it is written in a URL (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _why(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "the port is in use (stop the other server or choose another --port)"
    if exc.errno == errno.EACCES:
        return "permission denied (ports below 1024 need privileges; choose another --port)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "not an address of this machine (check --host)"
    return exc.strerror or str(exc)
