"""Running batches of work on a ``dask.distributed`` cluster (``storyline analyze --cluster ADDRESS``).

This module knows nothing of articles: the pipeline hands it a function, batches and a per-worker setup, and
gets back ``(batch, result)`` pairs as they complete.  What it guarantees:

* **Bounded in flight.**  At most ``max_in_flight`` batches (default: two per worker thread the scheduler
  has when the run starts) are submitted and not yet handed back; batches are pulled from the iterable only
  as earlier ones come back, so the caller holds at most ``max_in_flight + 1`` batches (and, for a while,
  the items of a batch split after a ``KilledWorker``, below).
* **Streaming.**  Results come back in the order they complete (``distributed.as_completed``), not the
  order submitted, so the caller can store each as soon as it is done.
* **Lost workers.**  The scheduler re-runs the tasks of a worker that dies on the others.  A batch that
  kills ``distributed.scheduler.allowed-failures`` workers in a row (``KilledWorker``: say, one article that
  brings its worker down, or was queued on workers that such an article brought down) is split into batches
  of one and resubmitted; a batch of one that does so ``KILLED_TRIES`` times is handed back as ``Lost`` (the
  caller records it as a failure) and the run goes on.
* **Lost scheduler.**  A client that loses its scheduler for good ends the run with one ClusterError; what
  the caller stored by then stays stored.
* **Setup once per worker.**  ``setup(*setup_args)`` runs on every worker, present and joining later, from a
  worker plugin (the pipeline loads the spaCy model there); the batch function should still load lazily.
* **glibc's mmap threshold back on.**  A nanny starts its worker with ``MALLOC_TRIM_THRESHOLD_`` set
  (``distributed.nanny.pre-spawn-environ``), and setting it turns glibc's dynamic mmap threshold off: every
  allocation over 128 KiB (spaCy's arrays) is then a fresh ``mmap`` and ``munmap``, and extraction ran 12%
  slower in CPU time (docs/benchmarks.md).  The setup first puts the threshold at 32 MiB, the most glibc's
  own dynamic threshold grows to (``restore_mmap_threshold``), unless the worker was started with
  ``MALLOC_MMAP_THRESHOLD_`` of its own.  The trim threshold is left as the nanny set it.

dask is imported only here, and only when a cluster is asked for.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from storyline.errors import ClusterError, StorylineError

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

CLUSTER_ENV = "STORYLINE_CLUSTER"
CONNECT_TIMEOUT_S = 10.0  # seconds to reach the scheduler, and to wait for its first worker
T = TypeVar("T")
R = TypeVar("R")


class Lost:
    """The result of a batch of one whose task killed its workers every time it was tried."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Lost({self.reason!r})"


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - an install without the extra
        raise ClusterError('--cluster needs dask.distributed: pip install "dask[distributed]"') from exc
    return distributed


@contextmanager
def connect(cluster: str | Client, timeout: float = CONNECT_TIMEOUT_S) -> Iterator[Client]:
    """A client of ``cluster`` (a scheduler address such as ``tcp://host:8786``, the path of a scheduler file,
    or a ``Client`` already connected, which is used and left open) with at least one worker; ClusterError
    (one line) when the scheduler cannot be reached in ``timeout`` seconds or has no worker by then."""
    distributed = _import_distributed()
    if not isinstance(cluster, str):
        _wait_for_workers(cluster, str(cluster.scheduler.address if cluster.scheduler else cluster), timeout)
        yield cluster
        return
    address = _checked(_from_file(cluster.strip()))
    with _quiet_client_log():
        try:
            client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address!r}: {_first_line(exc)}") from exc
        try:
            _wait_for_workers(client, address, timeout)
            yield client
        finally:
            _close(client, timeout)


def _close(client: Client, timeout: float) -> None:
    """Close a client we made; one whose scheduler is gone may fail to say goodbye, which is no error."""
    with suppress(Exception):  # the run's own error (if any) is the one to report
        client.close(timeout=timeout)


@contextmanager
def _quiet_client_log() -> Iterator[None]:
    """While storyline owns a client, distributed's client logs only what is critical: a lost scheduler or a
    refused connection comes back as one ClusterError line, not as log records on stderr besides."""
    logger = logging.getLogger("distributed.client")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _from_file(address: str) -> str:
    """The scheduler address in a scheduler file (``dask scheduler --scheduler-file F``) when ``address`` is
    the path of one (a name ending in .json), else ``address``."""
    if not address.endswith(".json") or "://" in address:
        return address
    try:
        found = json.loads(Path(address).read_text(encoding="utf-8")).get("address")
    except (OSError, ValueError, AttributeError) as exc:
        raise ClusterError(f"cannot read the Dask scheduler file {address}: {_first_line(exc)}") from exc
    if not isinstance(found, str):
        raise ClusterError(f"the Dask scheduler file {address} names no address")
    return found


def _checked(address: str) -> str:
    """``address`` if it is one a client can connect to (scheme known, host and port for tcp and tls), else
    ClusterError: checked before a Client is made, which would otherwise linger and complain on exit."""
    from distributed.comm.addressing import get_address_host_port, parse_address
    from distributed.comm.registry import get_backend

    try:
        scheme, _ = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls"):
            get_address_host_port(address)
    except (ValueError, TypeError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address!r}: {_first_line(exc)}") from exc
    return address


def _wait_for_workers(client: Client, address: str, timeout: float) -> None:
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"the Dask scheduler at {address!r} has no worker after {timeout:g} s") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{exc.__class__.__name__}: {text[0]}" if text else exc.__class__.__name__


def worker_threads(client: Client) -> int:
    """Worker threads the scheduler has now (at least 1)."""
    return max(1, sum(client.nthreads().values()))


def register_setup(client: Client, setup: Callable[..., None], setup_args: Sequence[Any], name: str) -> None:
    """Run ``setup(*setup_args)`` on every worker of ``client``, and on every worker that joins later."""
    distributed = _import_distributed()

    class _Setup(distributed.WorkerPlugin):  # type: ignore[name-defined, misc]
        def __init__(self) -> None:
            self.name = name

        def setup(self, worker: object) -> None:
            restore_mmap_threshold()
            setup(*setup_args)

    try:
        client.register_plugin(_Setup(), name=name)
    except StorylineError:
        raise
    except Exception as exc:  # a worker that cannot run the setup; the batches will say why
        raise ClusterError(f"cannot prepare the Dask workers ({_first_line(exc)})") from exc


M_MMAP_THRESHOLD = -3  # mallopt's parameter number (glibc malloc.h)
MMAP_THRESHOLD = 32 * 1024 * 1024  # DEFAULT_MMAP_THRESHOLD_MAX of 64-bit glibc: the dynamic threshold's ceiling


def restore_mmap_threshold() -> bool:
    """Set glibc's mmap threshold to ``MMAP_THRESHOLD`` in this process when ``MALLOC_TRIM_THRESHOLD_`` is set
    (which turns the dynamic threshold off) and ``MALLOC_MMAP_THRESHOLD_`` is not (the worker's owner chose
    one); True when it was set.  A no-op off Linux or without glibc's ``mallopt``."""
    if not sys.platform.startswith("linux") or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return False
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def _key(batch_no: int, run: str) -> str:
    return f"storyline-batch-{run}-{batch_no}"


def run_batches(
    client: Client,
    fn: Callable[[list[T]], list[R]],
    batches: Iterable[list[T]],
    *,
    max_in_flight: int | None = None,
    retries: int = 1,
) -> Iterator[tuple[list[T], list[R] | Lost]]:
    """``(batch, fn(batch))`` for each batch, run on the cluster, as they complete (see the module notes).

    ``fn`` must be importable on the workers (a module-level function, or a ``functools.partial`` of one).
    ``retries``: times a batch whose function raised is run again before the error stops the run."""
    distributed = _import_distributed()
    limit = max_in_flight or 2 * worker_threads(client)
    run = hashlib.sha1(uuid.uuid4().bytes + str(os.getpid()).encode()).hexdigest()[:10]
    source = iter(batches)
    done = distributed.as_completed(loop=client.loop)
    owner: dict[Any, tuple[list[T], int]] = {}  # future -> (its batch, times that batch was killed before)
    count = 0

    def submit(batch: list[T], killed: int = 0) -> None:
        nonlocal count
        count += 1
        try:
            future = client.submit(fn, batch, key=_key(count, run), retries=retries, pure=False)
        except Exception as exc:  # a client closed under us: its scheduler is gone
            raise ClusterError(
                f"lost the Dask scheduler ({_first_line(exc)}); what was stored is kept: run again to finish"
            ) from exc
        owner[future] = (batch, killed)
        done.add(future)

    def refill() -> None:
        while len(owner) < limit:
            batch = next(source, None)
            if batch is None:
                return
            submit(batch)

    refill()
    while owner:
        future = next(done)
        batch, killed = owner.pop(future)
        outcome = _outcome(future, distributed, batch, killed, submit)
        if outcome is not None:
            yield batch, outcome
        refill()


KILLED_TRIES = 2  # a batch of one is Lost once it has killed its workers this many times


def _outcome(
    future: Any, distributed: Any, batch: list[T], killed: int, submit: Callable[[list[T], int], None]
) -> Any:
    """The batch's results.  On a KilledWorker (the batch was running, or only queued, on workers that died
    ``allowed-failures`` times) its items are resubmitted one by one (None), and a batch of one is resubmitted
    until it has been killed ``KILLED_TRIES`` times, then Lost.  Any other error of the task raises
    ClusterError (a StorylineError of the task as it is)."""
    try:
        return future.result()
    except distributed.KilledWorker as exc:
        if len(batch) > 1:
            for item in batch:
                submit([item], 1)
            return None
        if killed + 1 < KILLED_TRIES:
            submit(batch, killed + 1)
            return None
        return Lost(f"its Dask worker died every time it was tried ({_first_line(exc)})")
    except StorylineError:
        raise
    except (CancelledError, distributed.comm.CommClosedError) as exc:  # the client lost its scheduler (gave
        # up reconnecting, or the connection closed while it gathered this batch's results)
        raise ClusterError(
            f"lost the Dask scheduler ({_first_line(exc)}); what was stored is kept: run again to finish"
        ) from exc
    except Exception as exc:
        raise ClusterError(f"a batch failed on the Dask cluster: {_first_line(exc)}") from exc
    finally:
        future.release()
