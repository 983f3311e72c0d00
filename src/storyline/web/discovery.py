"""How ``storyline ask`` finds a running ``storyline serve`` of the same store and asks it.

``serve`` writes a small discovery file next to the store, ``<store>.serve.json``: host, port, pid, the
store's absolute path and a random id of that serve process; it removes the file when it stops.  ``ask``
reads the file and sends the question to ``GET /api/stories/<story>/ask`` only when the file names this
store, a live process and a loopback address, and the answer carries the same id; anything else (no file,
a stale file left by a killed server, a refused connection, a timeout, an error reply) returns None and
``ask`` answers by itself.  Nothing here raises.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

SUFFIX = ".serve.json"
_LOOPBACK = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::1": "::1",
             "::": "::1"}  # fmt: skip


@dataclass(frozen=True)
class ServeInfo:
    """A running serve, as its discovery file describes it."""

    host: str
    port: int
    pid: int
    db: str
    serve_id: str

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def serve_file(db: Path) -> Path:
    """The discovery file of the store at ``db``: ``<db>.serve.json`` in the same folder."""
    return db.with_name(db.name + SUFFIX)


def new_serve_id() -> str:
    return secrets.token_urlsafe(16)


def write_serve_file(db: Path, host: str, port: int, serve_id: str) -> Path | None:
    """Write the discovery file for a serve of ``db`` on ``host:port`` (this process); None when the folder
    is not writable (``ask`` then simply answers by itself)."""
    path = serve_file(db)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        data = {"host": host, "port": port, "pid": os.getpid(), "db": str(db.resolve()), "serve": serve_id}
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return None
    return path


def remove_serve_file(db: Path, serve_id: str) -> None:
    """Remove the discovery file if it is still this serve's (a second serve of the store may own it now)."""
    info = read_serve_file(db)
    if info is not None and info.serve_id == serve_id:
        with contextlib.suppress(OSError):
            serve_file(db).unlink(missing_ok=True)


def announce(app: Any, db: Path, host: str, port: int) -> str:
    """Make the ASGI ``app`` (a FastAPI app from ``create_app``) write the discovery file of ``db`` when it
    starts and remove it when it shuts down (uvicorn re-raises SIGTERM after a graceful shutdown, so a
    ``finally`` around ``uvicorn.run`` never runs then); returns the serve id its answers carry."""
    from contextlib import asynccontextmanager

    serve_id = new_serve_id()
    app.state.serve_id = serve_id
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(scope_app: Any) -> Any:
        write_serve_file(db, host, port, serve_id)
        try:
            async with inner(scope_app) as value:
                yield value
        finally:
            remove_serve_file(db, serve_id)

    app.router.lifespan_context = lifespan
    return serve_id


def read_serve_file(db: Path) -> ServeInfo | None:
    """What the discovery file of ``db`` says, or None when there is none or it is not one."""
    try:
        data = json.loads(serve_file(db).read_text(encoding="utf-8"))
        info = ServeInfo(str(data["host"]), int(data["port"]), int(data["pid"]), str(data["db"]), str(data["serve"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info if 0 < info.port < 65536 and info.pid > 0 else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    except (OSError, OverflowError):
        return False
    return True


def find_serve(db: Path) -> ServeInfo | None:
    """The running serve of the store at ``db``: its discovery file names this store, a live process and
    a local address (an address that is not loopback is never asked)."""
    info = read_serve_file(db)
    if info is None or info.host not in _LOOPBACK:
        return None
    try:
        same = Path(info.db) == db.resolve()
    except OSError:
        return None
    if not same or not _alive(info.pid):
        return None
    return ServeInfo(_LOOPBACK[info.host], info.port, info.pid, info.db, info.serve_id)


def ask_serve(info: ServeInfo, story: str, question: str, timeout: float = 60.0) -> dict[str, Any] | None:
    """The serve's JSON answer to ``question`` about ``story``, or None (refused, timed out, an error reply,
    another server on that port)."""
    from urllib.error import URLError
    from urllib.request import ProxyHandler, Request, build_opener

    url = f"{info.base}/api/stories/{quote(story, safe='')}/ask?{urlencode({'q': question})}"
    request = Request(url, headers={"Accept": "application/json"})
    try:
        opener = build_opener(ProxyHandler({}))  # never through an $http_proxy: the serve is on this machine
        with opener.open(request, timeout=timeout) as response:
            if response.status != 200:
                return None
            data = json.loads(response.read().decode("utf-8"))
    except (URLError, OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("serve") != info.serve_id:
        return None
    return data
