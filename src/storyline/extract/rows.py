"""What every sentence encoder here returns, in one place (sentence-transformers, numpy and torch MiniLM)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def unit_rows(texts: Sequence[str], dim: int, run: Callable[[list[str]], Any]) -> np.ndarray:
    """What every encoder here returns: ``run`` (the model) applied to the texts that are not blank, each row
    divided by its length, and zero rows for blank texts; an (n, dim) float32 array."""
    items = [t if isinstance(t, str) else str(t) for t in texts]
    out = np.zeros((len(items), dim), dtype=np.float32)
    keep = [i for i, t in enumerate(items) if t.strip()]
    if not keep:
        return out
    vecs = np.asarray(run([items[i] for i in keep]), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    out[keep] = vecs / norms
    return out
