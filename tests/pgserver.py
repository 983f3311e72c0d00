"""A throwaway PostgreSQL server for tests and benchmarks: initdb + pg_ctl in a temporary directory, on a
free 127.0.0.1 port with trust authentication, stopped and removed on exit.

    with running_postgres() as server:      # None when the server binaries are absent
        url = server.new_database()         # postgresql://storyline@127.0.0.1:PORT/t123_1

PostgreSQL refuses to run as root; as root the server runs as the 'postgres' user (else 'nobody').
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PostgresServer:
    """A PostgreSQL server started here (trust auth on 127.0.0.1 only)."""

    host: str
    port: int
    user: str
    created: int = 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database on the server; returns its URL."""
        import psycopg

        self.created += 1
        name = f"t{os.getpid()}_{self.created}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def postgres_bin() -> Path | None:
    """The directory of initdb/pg_ctl: $STORYLINE_PG_BIN, Debian's /usr/lib/postgresql/N/bin, or PATH."""
    env = os.environ.get("STORYLINE_PG_BIN")
    candidates = [Path(env)] if env else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
    found = shutil.which("initdb")
    candidates += [Path(found).parent] if found else []
    return next((c for c in candidates if (c / "initdb").exists() and (c / "pg_ctl").exists()), None)


def _server_user() -> str | None:
    """As root, the user to run PostgreSQL as ('postgres', else 'nobody'); None when not root."""
    if os.getuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and there is no 'postgres' or 'nobody' user to run PostgreSQL as")


def _as_server_user(argv: list[str]) -> list[str]:
    user = _server_user()
    return argv if user is None else ["runuser", "-u", user, "--", *argv]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_postgres(*, durable: bool = False) -> Iterator[PostgresServer | None]:
    """Start a server (``durable``: with fsync, as in production; else fsync off, for speed); yields None
    when the binaries are absent.  Raises RuntimeError with the server's log when it cannot start."""
    bindir = postgres_bin()
    if bindir is None:
        yield None
        return
    base = Path(tempfile.mkdtemp(prefix="storyline-pg-"))
    user = _server_user()
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    data, log = base / "data", base / "server.log"

    def run(*argv: object) -> None:
        subprocess.run(_as_server_user([str(a) for a in argv]), check=True, capture_output=True, timeout=120)

    server = PostgresServer("127.0.0.1", _free_port(), "storyline")
    try:
        run(bindir / "initdb", "-D", data, "-U", server.user, "--auth=trust", "--no-locale", "-E", "UTF8", "-N")
        options = f"-h {server.host} -p {server.port} -k {base} -c max_connections=200"
        options += "" if durable else " -c fsync=off"
        run(bindir / "pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start")
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace") + (log.read_text() if log.exists() else "")
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"cannot start PostgreSQL: {detail.strip()}") from exc
    try:
        yield server
    finally:
        stop = _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        subprocess.run(stop, capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)
