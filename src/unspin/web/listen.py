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
    if not host.strip():
        # getaddrinfo's own word for it: "cannot listen on : not an address of this machine
        # ([Errno -2] Name or service not known)".
        raise ConfigError(
            f"--host {host!r} is empty: give an address to listen on, as 127.0.0.1 (this "
            "machine only, the default) or 0.0.0.0 (every network interface)"
        )
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
