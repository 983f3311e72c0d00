"""The sentence model in a process of its own, loading while the caller works (``storyline watch``).

A ``watch`` pass parses its new articles, assigns them and rebuilds the stories they join; only the rebuild
needs sentence vectors.  Loaded in the calling process, the model (importing torch and sentence-transformers,
3-5 s) and the encoding of the new articles' sentences (6-7 ms a sentence on 2 cores) sit on that path one
after the other, while a core is often idle (rebuilding is mostly one Python thread).
:class:`EmbedderProcess` starts the model in a child process at once (``start``), so it loads while the
caller polls, parses and assigns; ``prefetch`` hands it the sentences the rebuilds will ask for, grouped by
story in build order, and it encodes them on the idle core while the caller builds.  ``encode`` answers in
the caller's order, from what was encoded ahead where it can.

How the child shares 2 cores with the pass (each measured on a 20,000-article store, docs/benchmarks.md):
it loads the bundled MiniLM through :mod:`storyline.extract.minilm_torch` (about 1 s instead of 4-5 s); it
runs at ``nice`` ``CHILD_NICE``, so the pass's own processes get the cores first; it runs torch on one
thread (``OMP_NUM_THREADS=1``: with two threads beside the pass's one, every OpenMP barrier waited for a
preempted thread and the pass got slower, not faster); and it encodes ahead in batches of two texts
(``AHEAD_BATCH``), since a request waits behind the batch in progress (on one thread, sentences cost about
11.7 ms each in batches of 2 to 8, and 13.3 ms one at a time; batches of 8 made a pass wait 1.9 s in all,
batches of 2 0.7 s).

Same input, same output: the child handles messages in the order they were sent, encodes what it was given
ahead in fixed batches (each story's texts cut into ``AHEAD_BATCH``), always on one thread, and answers an
``encode`` only once every text it asks for that was given ahead is done, so which batch a text was encoded
in never depends on timing.  A batch's rows are the same bits as sentence-transformers' at the same thread
count (tests/test_embedproc.py); they can differ in the last float bits between batches and between thread
counts, as they already do between a rebuild that encodes k new articles and one that encodes all.

The child is a fresh interpreter (``python -c``, not a fork: nothing of the caller's threads, locks or models
is inherited) talking over two pipes; its own output is discarded and it ignores Ctrl-C (the caller stops
it).  If it cannot load the model, ``encode`` raises the child's ``ModelError``.  If it cannot be started or
dies (killed, out of memory), the caller loads the model itself (:func:`storyline.extract.embed.get_embedder`)
and goes on.  The child takes about 500 MB (torch and the model).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from storyline.errors import ModelError
from storyline.extract.embed import embedder_name, get_embedder

if TYPE_CHECKING:  # pragma: no cover
    import numpy

__all__ = ["AHEAD_BATCH", "EmbedderProcess"]

CHILD_NICE = 10  # the child yields the cores to the pass's own work (parsing, rebuilding) when they compete
AHEAD_BATCH = 2  # texts encoded ahead at a time (on one core, about 25 ms): the longest a request waits behind them


class EmbedderProcess:
    """An :class:`~storyline.extract.embed.Embedder` whose model runs in a child process; a context manager.

    ``waited_s`` is the time callers spent blocked in ``encode`` (the model's load and encoding that did not
    overlap their own work); ``ahead`` counts the texts the child encoded from ``prefetch``."""

    def __init__(self, name: str | None = None) -> None:
        self.name = embedder_name(name)
        self._dim: int | None = None
        self._conn: _Duplex | None = None
        self._proc: subprocess.Popen | None = None
        self._local = False  # the child could not be started, or was lost: the model runs in this process
        self.waited_s = 0.0
        self.ahead = 0

    # ------------------------------------------------------------------ lifetime

    def start(self) -> EmbedderProcess:
        """Start the child (it begins loading the model); a second call does nothing."""
        if self._proc is None and not self._local:
            try:
                self._proc, self._conn = _spawn(self.name)
            except OSError:  # no interpreter to start (a frozen or embedded Python), no processes left
                self._local = True
        return self

    def close(self) -> None:
        """Stop the child (idempotent)."""
        conn, proc = self._conn, self._proc
        self._conn = self._proc = None
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):
                conn.send(("stop",))
            conn.close()
        if proc is not None:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def __enter__(self) -> EmbedderProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the Embedder interface

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._call(("dim",)))
        return self._dim

    def prefetch(self, groups: Sequence[Sequence[str]]) -> None:
        """Encode these texts ahead, in this order, each group in batches of ``AHEAD_BATCH`` (the caller does not
        wait; an ``encode`` asking for a text waits only for the batches up to the one that holds it)."""
        distinct = [list(dict.fromkeys(g)) for g in groups]
        groups = [g[i : i + AHEAD_BATCH] for g in distinct for i in range(0, len(g), AHEAD_BATCH)]
        self.start()  # sent even when empty: a new pass, what the last one encoded ahead is dropped
        if self._conn is not None:
            try:
                self._conn.send(("prefetch", groups))
            except (OSError, ValueError):
                self._lost()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> numpy.ndarray:
        items = [t if isinstance(t, str) else str(t) for t in texts]
        return self._call(("encode", items, int(batch_size)))

    # ------------------------------------------------------------------ plumbing

    def _call(self, message: tuple) -> Any:
        t0 = time.perf_counter()
        try:
            return self._ask(message)
        finally:
            self.waited_s += time.perf_counter() - t0

    def _ask(self, message: tuple) -> Any:
        self.start()
        if self._conn is not None:
            try:
                self._conn.send(message)
                kind, value, ahead = self._conn.recv()
            except (OSError, EOFError, ValueError):
                self._lost()
            else:
                self.ahead = ahead
                if kind == "error":
                    raise ModelError(value)
                return value
        return _reply(get_embedder(self.name), message, {})  # this process answers as the child would

    def _lost(self) -> None:
        """The child is gone (killed, out of memory): go on with the model in this process."""
        self.close()
        self._local = True


class _Duplex:
    """Two one-way pipe connections as one (send on one, receive and poll on the other)."""

    def __init__(self, receive: Connection, send: Connection) -> None:
        self._receive, self._send = receive, send

    def send(self, obj: Any) -> None:
        self._send.send(obj)

    def recv(self) -> Any:
        return self._receive.recv()

    def poll(self) -> bool:
        return self._receive.poll()

    def close(self) -> None:
        self._send.close()
        self._receive.close()


def _spawn(name: str) -> tuple[subprocess.Popen, _Duplex]:
    """A fresh interpreter running :func:`_serve` on two pipes (not ``multiprocessing``'s spawn, which would
    import the caller's ``__main__`` again); its output goes nowhere, errors come back as messages."""
    from_parent, to_child = os.pipe()  # (read end, write end)
    from_child, to_parent = os.pipe()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")  # one torch thread: beside the pass, never against it
    code = "import sys; from storyline.extract.embedproc import _main; _main(sys.argv[1:])"
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(from_parent), str(to_parent), name],
            pass_fds=(from_parent, to_parent), env=env, close_fds=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    except OSError:
        os.close(to_child)
        os.close(from_child)
        raise
    finally:
        os.close(from_parent)
        os.close(to_parent)
    return proc, _Duplex(Connection(from_child, writable=False), Connection(to_child, readable=False))


def _main(argv: list[str]) -> None:
    """The child's entry: ``READ_FD WRITE_FD MODEL_NAME``.  Ctrl-C is for the caller (which stops the child
    when it stops); the child ends when told to or when the caller's end of the pipe closes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(CHILD_NICE)
    conn = _Duplex(Connection(int(argv[0]), writable=False), Connection(int(argv[1]), readable=False))
    try:
        _serve(conn, argv[2])
    finally:
        conn.close()
        os._exit(0)  # nothing to flush or save: skip the interpreter's teardown (a second with torch loaded)


def _serve(conn: _Duplex, name: str) -> None:
    """The child: load the model, then answer messages in order until "stop" or the pipe closes."""
    try:
        model = _load(name)
    except ModelError as exc:
        failed = str(exc)
        model = None
    ahead: dict[str, Any] = {}
    pending: list[list[str]] = []
    while True:
        if pending and not conn.poll():  # nothing asked: encode the next group ahead
            _encode_ahead(model, pending.pop(0), ahead)
            continue
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "stop":
            return
        if message[0] == "prefetch":  # a new pass: what the last one encoded ahead and never asked for goes
            pending, ahead = list(message[1]), {}
            continue
        if model is None:
            conn.send(("error", failed, 0))
            continue
        if message[0] == "encode":
            wanted = set(message[1])
            while pending and any(t in wanted for g in pending for t in g):  # done only in prefetch order
                _encode_ahead(model, pending.pop(0), ahead)
        conn.send(("ok", _reply(model, message, ahead), len(ahead)))


def _load(name: str) -> Any:
    """The model for the child: the bundled MiniLM's layout through ``minilm_torch`` (about 1 s: no
    sentence-transformers import), anything else through sentence-transformers."""
    from storyline.extract.embed import _model_folder

    try:
        from storyline.extract.minilm_torch import TorchBertEmbedder

        return TorchBertEmbedder(name, _model_folder(name))
    except (ModelError, ImportError):  # another layout, no such folder, no torch: ask sentence-transformers,
        return get_embedder(name)  # which loads it or raises the ModelError that says what is wrong


def _encode_ahead(model: Any, group: list[str], ahead: dict[str, Any]) -> None:
    if model is None:
        return
    todo = [t for t in group if t not in ahead]
    if todo:
        for text, row in zip(todo, model.encode(todo), strict=True):
            ahead[text] = row


def _reply(model: Any, message: tuple, ahead: dict[str, Any]) -> Any:
    import numpy as np

    if message[0] == "dim":
        return model.dim
    texts, batch_size = message[1], message[2]
    rest = list(dict.fromkeys(t for t in texts if t not in ahead))
    fresh = dict(zip(rest, model.encode(rest, batch_size=batch_size), strict=True)) if rest else {}
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    return np.stack([ahead[t] if t in ahead else fresh[t] for t in texts]).astype(np.float32, copy=False)
