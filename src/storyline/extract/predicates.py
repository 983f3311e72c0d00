"""Predicates: every word of an article that may name an event, the mentions of cross-document event chains.

A word is a predicate when the parser tags it VERB, NOUN, PROPN or ADJ (auxiliaries are AUX, so "has" in
"has struck" is not one) and the fitted eventive rate of its (lemma, tag) reaches the stored threshold.  The
rate is how often ECB+ train annotators marked that lemma with that tag as an event, smoothed towards a prior
per tag (nouns ending like "-tion", "-ment", "-ure" get the deverbal prior):

    rate = (annotated + WEIGHT * prior) / (seen + WEIGHT)

so a verb nobody annotated in hundreds of sightings ("include") drops out, an unseen verb stays in, and an
unseen proper name or adjective stays out.  Counts, priors and threshold live in
``storyline/data/eventive.json``, written by ``bench/events_model.py --refit`` (the threshold is the one whose
event chains score best on ECB+ train, two folds of topics).  Recall first: a predicate nobody else mentions
simply ends up in no chain.  Readers are shown only chains whose words reach the higher ``display`` rate
(fitted there too: the lowest rate at which words are events for the annotators at least DISPLAY_PRECISION of
the time on held-out train topics), so "Tuesday" or "navy" can link mentions but are not listed as events.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from storyline.errors import ModelError
from storyline.records import Predicate, Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["LEXICON_RESOURCE", "TAGS", "Lexicon", "eventive_rate", "extract_predicates", "load_lexicon"]

LEXICON_RESOURCE = "data/eventive.json"
TAGS = ("VERB", "NOUN", "PROPN", "ADJ")
DEVERBAL_RE = re.compile(r"(?:tion|sion|ment|ure|ance|ence|age|ing|ery|al|ade|ism|ship)$")


class Lexicon:
    """Eventive counts per (tag, lemma) with the priors and threshold they were fitted with."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.weight = float(data["weight"])
        self.threshold = float(data["threshold"])
        # the rate from which a word is shown to readers as an event (precision-first; see the fit script)
        self.display = float(data.get("display", 0.5))
        self.priors: dict[str, float] = {k: float(v) for k, v in data["priors"].items()}
        self.counts: dict[str, dict[str, tuple[int, int]]] = {
            tag: {lemma: (int(a), int(n)) for lemma, (a, n) in table.items()}
            for tag, table in data["counts"].items()
        }

    def prior(self, lemma: str, tag: str) -> float:
        if tag == "NOUN" and DEVERBAL_RE.search(lemma):
            return self.priors.get("NOUN-deverbal", 0.0)
        return self.priors.get(tag, 0.0)

    def rate(self, lemma: str, tag: str) -> float:
        annotated, seen = self.counts.get(tag, {}).get(lemma, (0, 0))
        return (annotated + self.weight * self.prior(lemma, tag)) / (seen + self.weight)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged eventive lexicon; ModelError when it is missing or unreadable."""
    try:
        raw = resources.files("storyline").joinpath(LEXICON_RESOURCE).read_text(encoding="utf-8")
        return Lexicon(json.loads(raw))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"eventive lexicon {LEXICON_RESOURCE} cannot be read ({exc}); run `make models`") from exc


def eventive_rate(lemma: str, tag: str) -> float:
    """How likely a word with this lemma and tag names an event (0 for tags that never do)."""
    if tag not in TAGS:
        return 0.0
    return load_lexicon().rate(lemma.lower(), tag)


def extract_predicates(doc: Doc, lexicon: Lexicon | None = None) -> tuple[Predicate, ...]:
    """Predicates of one parsed article, in text order; ``sentence`` indexes the parser's sentences."""
    lex = lexicon or load_lexicon()
    out: list[Predicate] = []
    for n, sent in enumerate(doc.sents):
        for tok in sent:
            if tok.pos_ not in TAGS or not tok.text[:1].isalpha():
                continue
            lemma = tok.lemma_.lower()
            if lex.rate(lemma, tok.pos_) >= lex.threshold:
                out.append(Predicate(Span(tok.idx, tok.idx + len(tok.text), tok.text), lemma, tok.pos_, n))
    return tuple(out)
