"""A learned check on who is a source: the attribution extractor's second opinion.

``quotes.extract_attributions`` finds PolNeAR-style attribution relations with rules (cue lexicons and
syntax).  Rules alone both over-reach (the subject of every "said" in a relative clause, a negated "did not
respond") and miss the long tail of cues no lexicon lists.  This module scores every noun phrase head of an
article as a possible *source* with a logistic model over its syntactic context:

* the head's dependency, part of speech, entity type and (for common nouns and pronouns) its lemma; proper
  names are one class, so the model learns no people;
* its governor (the verb, noun or preposition it hangs on): lemma, part of speech, tag, dependency, which
  kinds of children it has (a clausal complement, an object, a negation, a modal), and the governor's own
  governor for clauses ("said ... wants");
* prepositional and possessive frames ("according to X", "by X" after a passive, "X's claim");
* whether the rules already chose it, and with which cue; whether it stands inside quotation marks, in a
  sentence with a quotation, in the first sentence, in a question.

The model (``storyline/data/attribution.json``: weights keyed by feature name, numbers and single lemmas,
no dataset text) is fitted on the PolNeAR train split only: ``python bench/polnear.py --refit``.  Its
threshold is chosen on the last 140 train texts with a model fitted on the others; the stored weights are
then refitted on all of train.  ``refine(doc, quotes, quoted)`` keeps the rule attributions whose source the
model accepts and adds an attribution for each accepted source the rules missed (cue: its governor;
content: the governor's words after the cue).  ``source_candidates`` gives the features, for fitting.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from storyline.errors import ModelError
from storyline.records import Quote, Span

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

__all__ = [
    "Candidate",
    "SourceModel",
    "accept",
    "candidate_span",
    "load_source_model",
    "refine",
    "source_candidates",
]

MODEL_RESOURCE = "data/attribution.json"
FEATURE_VERSION = 1

_CAND_POS = frozenset({"NOUN", "PROPN", "PRON"})
_SKIP_DEP = frozenset({"compound", "flat", "nmod", "amod", "npadvmod", "nummod", "quantmod"})
_CLAUSE = frozenset({"ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pcomp", "ROOT"})
_KID_DEPS = ("ccomp", "xcomp", "dobj", "prep", "neg", "aux", "auxpass", "agent", "advcl", "attr", "acomp")
_CUT_DEPS = frozenset({"relcl", "acl", "punct"})
_STRIP = " \t\n,;:-–—\"“”'‘’()"
_CUE_LEFT = frozenset({"aux", "auxpass", "neg"})
_ALPHA = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One noun-phrase head that could be a source: its token, its span, its features."""

    token: int  # token index in the Doc
    features: tuple[str, ...]
    rule_span: tuple[int, int] | None  # the rules' speaker span, where the rules made it a source

    @property
    def ruled(self) -> bool:
        return self.rule_span is not None


@dataclass(frozen=True)
class SourceModel:
    """Logistic weights keyed by feature name, a bias and the decision threshold."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    feature_version: int = FEATURE_VERSION

    def probability(self, features: Sequence[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceModel:
        version = int(data["feature_version"])
        if version != FEATURE_VERSION:
            raise ModelError(
                f"attribution model has feature version {version}, this storyline wants {FEATURE_VERSION}; "
                "refit with: python bench/polnear.py --refit"
            )
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            feature_version=version,
        )


@lru_cache(maxsize=1)
def load_source_model() -> SourceModel:
    """The stored model (``storyline/data/attribution.json``)."""
    try:
        text = resources.files("storyline").joinpath(MODEL_RESOURCE).read_text(encoding="utf-8")
        return SourceModel.from_dict(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelError(
            f"attribution weights storyline/{MODEL_RESOURCE} cannot be read ({exc.__class__.__name__}); "
            "reinstall storyline or refit with: python bench/polnear.py --refit"
        ) from exc


# --------------------------------------------------------------------------- features


def _inside(regions: Sequence[tuple[int, int]], starts: Sequence[int], i: int) -> bool:
    k = bisect_right(starts, i) - 1
    return k >= 0 and regions[k][0] <= i < regions[k][1]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _STRIP:
        s += 1
    while e > s and text[e - 1] in _STRIP:
        e -= 1
    return s, e


def candidate_span(doc: Doc, c: Candidate, text: str | None = None) -> tuple[int, int]:
    """The candidate's source span: the rules' span, else its noun phrase (the head's subtree, cut before a
    relative clause or a comma after the head), trimmed of edge punctuation and quote marks."""
    text = doc.text if text is None else text
    if c.rule_span is not None:
        return _trim(text, *c.rule_span)
    t = doc[c.token]
    cut = next((k for k in t.rights if k.dep_ in _CUT_DEPS), None)
    last = doc[cut.i - 1] if cut is not None else t.right_edge
    return _trim(text, t.left_edge.idx, last.idx + len(last))


def _features(
    t: Token, rule_cue: str | None, inq: bool, quote_sent: bool, first: bool, question: bool
) -> tuple[str, ...]:
    f: list[str] = []
    h = t.head
    dep = t.dep_
    lex = t.lower_ if t.pos_ == "PRON" else (t.lemma_.lower() if t.pos_ == "NOUN" else "PROPN")
    hl = h.lemma_.lower()
    f += [f"dep={dep}", f"pos={t.pos_}", f"tag={t.tag_}", f"ent={t.ent_type_ or '-'}", f"lex={lex}"]
    f += [f"dep+lex={dep}|{lex}", f"h={hl}", f"hpos={h.pos_}", f"dep+h={dep}|{hl}", f"dep+hpos={dep}|{h.pos_}"]
    kids = {c.dep_ for c in h.children}
    for k in _KID_DEPS:
        if k in kids:
            f += [f"hk={k}", f"dep+hk={dep}|{k}"]
    if "ccomp" in kids or "xcomp" in kids:
        f.append(f"h+comp={hl}")
    f += [f"hdep={h.dep_}", f"dep+hdep={dep}|{h.dep_}"]
    if dep == "pobj":
        f += [f"prep={h.lower_}", f"prep+ph={h.lower_}|{h.head.lemma_.lower()}", f"prep+phpos={h.lower_}|{h.head.pos_}"]
        if h.dep_ == "agent":
            f.append(f"agent_of={h.head.lemma_.lower()}")
    if dep == "poss":
        f.append(f"poss_of={hl}")
    if h.dep_ in _CLAUSE:
        f.append(f"gp={h.head.lemma_.lower()}|{h.dep_}")
    f.append(f"htag={h.tag_}")
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in h.children):
        f.append("modal")
    if rule_cue is not None:
        f += ["rule", f"rule_cue={rule_cue}"]
    else:
        f.append("norule")
    f.append("inq" if inq else "outq")
    if inq and t.pos_ == "PRON":
        f.append(f"pron_inq={lex}")
    if quote_sent:
        f.append("sq")
    if first:
        f.append("first")
    f.append("side=" + ("L" if t.i < h.i else "R" if t.i > h.i else "0"))
    f.append(f"dist={min(abs(t.i - h.i), 6)}")
    if question:
        f.append("question")
    return tuple(f)


def source_candidates(
    doc: Doc, quotes: Sequence[Quote], quoted: Sequence[tuple[int, int]], text: str | None = None
) -> list[Candidate]:
    """Every noun-phrase head of ``doc`` (and every rule source), with its features.

    ``quotes`` are the rule attributions (their speaker spans index ``doc.text``); ``quoted`` the character
    ranges inside quotation marks.
    """
    rule: dict[int, tuple[str, tuple[int, int]]] = {}
    for q in quotes:
        if q.speaker is None:
            continue
        sp = doc.char_span(q.speaker.start, q.speaker.end, alignment_mode="expand")
        if sp is None or not len(sp):
            continue
        cue = doc.char_span(q.cue.start, q.cue.end, alignment_mode="expand") if q.cue is not None else None
        lemma = cue.root.lemma_.lower() if cue is not None and len(cue) else "-"
        rule.setdefault(sp.root.i, (lemma, (q.speaker.start, q.speaker.end)))
    text = doc.text if text is None else text  # Doc.text joins every token: read it once
    regions = sorted(quoted)
    starts = [a for a, _ in regions]
    sent_of: list[int] = [0] * len(doc)
    sent_info: list[tuple[bool, bool]] = []  # (has a quotation, is a question) per sentence
    for k, s in enumerate(doc.sents):
        for i in range(s.start, s.end):
            sent_of[i] = k
        body = text[s.start_char : s.end_char]
        sent_info.append((
            any(a < s.end_char and s.start_char < b for a, b in regions) or any(c in body for c in "\"“”"),
            body.rstrip().endswith("?"),
        ))
    out: list[Candidate] = []
    for t in doc:
        ruled = rule.get(t.i)
        if ruled is None and not (t.pos_ in _CAND_POS and t.dep_ not in _SKIP_DEP):
            continue
        quote_sent, question = sent_info[sent_of[t.i]]
        inq = _inside(regions, starts, t.idx)
        feats = _features(t, ruled[0] if ruled else None, inq, quote_sent, sent_of[t.i] == 0, question)
        out.append(Candidate(t.i, feats, ruled[1] if ruled else None))
    return out


# --------------------------------------------------------------------------- decisions


def _cue_of(h: Token) -> tuple[int, int]:
    """The governor as cue words: with its auxiliaries and negation before it, a particle after it."""
    doc = h.doc
    s, e = h.idx, h.idx + len(h)
    k = h.i - 1
    while k >= 0 and doc[k].head.i == h.i and doc[k].dep_ in _CUE_LEFT and h.i - k <= 4:
        s = doc[k].idx
        k -= 1
    j = h.i + 1
    while j < len(doc) and doc[j].head.i == h.i and doc[j].dep_ == "prt":
        e = doc[j].idx + len(doc[j])
        j += 1
    return s, e


def _verb_of(t: Token) -> Token | None:
    """The verb a new source speaks through: its subject's verb, or the passive verb of its by-phrase.

    A noun phrase accepted for any other reason (an appositive inside a longer source, a possessive) only
    confirms or blocks other sources: its governor is no cue.
    """
    h = t.head
    if t.dep_ in ("nsubj", "nsubjpass") and h.pos_ in ("VERB", "AUX") and h.i != t.i:
        return h
    if t.dep_ == "pobj" and h.dep_ == "agent" and h.head.pos_ in ("VERB", "AUX"):
        return h.head
    return None


def _content_of(h: Token, source: Token, cue: tuple[int, int], text: str) -> tuple[int, int] | None:
    """What the governor's clause says after the cue (its right-hand dependents), else before it.

    The source's whole branch (with its appositive or relative clause) and any coordinated clause are left
    out: in `"...," said Ann Lee, a plumber`, the content is the quotation, not "a plumber".
    """
    branch = source if source.head.i == h.i else source.head  # nsubj itself, or the by-phrase of a passive
    skip = {"punct", "cc", "prt", "conj", "aux", "auxpass", "neg"}
    right = [c for c in h.children if c.i > h.i and c.i != branch.i and c.dep_ not in skip]
    left = [c for c in h.children if c.i < h.i and c.i != branch.i and c.dep_ not in skip]
    for group in (right, left):
        toks = [k for c in group for k in c.subtree if not (cue[0] <= k.idx < cue[1])]
        if toks:
            s, e = _trim(text, min(k.idx for k in toks), max(k.idx + len(k) for k in toks))
            if s < e and _ALPHA.search(text, s, e):
                return s, e
    return None


def accept(
    doc: Doc, cands: Sequence[Candidate], probs: Sequence[float], threshold: float, text: str | None = None
) -> list[tuple[Candidate, tuple[int, int]]]:
    """The sources to keep, most probable first, with their spans.

    A candidate is taken when its probability reaches ``threshold``, its span overlaps no source taken before,
    and it is either a rule source or a clause subject / passive by-agent (``_verb_of``): a noun phrase
    accepted for any other reason (an appositive inside a longer source, a possessive) has no cue to speak
    through, so it is passed over and blocks nothing.  ``bench/polnear.py --refit`` chooses the threshold
    with this same function.
    """
    text = doc.text if text is None else text
    taken: list[tuple[Candidate, tuple[int, int]]] = []
    for p, c in sorted(zip(probs, cands, strict=True), key=lambda pc: (-pc[0], pc[1].token)):
        if p < threshold:
            break
        if not c.ruled and _verb_of(doc[c.token]) is None:
            continue
        s, e = candidate_span(doc, c, text)
        if s >= e or any(a < e and s < b for _, (a, b) in taken):
            continue
        if not c.ruled and (not _ALPHA.search(text, s, e) or "\n" in text[s:e]):
            continue
        taken.append((c, (s, e)))
    return taken


def refine(
    doc: Doc,
    quotes: Sequence[Quote],
    quoted: Sequence[tuple[int, int]],
    model: SourceModel | None = None,
) -> tuple[Quote, ...]:
    """The rule attributions the model agrees with, plus one for each source the rules missed.

    A rule attribution without a speaker (a direct quote nobody is named for) is kept as it is.  Overlapping
    accepted sources keep the more probable one.
    """
    model = model or load_source_model()
    text = doc.text
    cands = source_candidates(doc, quotes, quoted, text)
    probs = [model.probability(c.features) for c in cands]
    accepted = accept(doc, cands, probs, model.threshold, text)
    keep_roots = {c.token for c, _ in accepted if c.ruled}
    out: list[Quote] = []
    for q in quotes:
        if q.speaker is None:
            out.append(q)
            continue
        sp = doc.char_span(q.speaker.start, q.speaker.end, alignment_mode="expand")
        if sp is not None and len(sp) and sp.root.i in keep_roots:
            out.append(q)
    for c, (cs, ce) in accepted:
        if c.ruled:
            continue
        t = doc[c.token]
        h = _verb_of(t)
        if h is None:  # accept() takes no other new source
            continue
        cue = _cue_of(h)
        content = _content_of(h, t, cue, text)
        if content is None:
            continue
        sent = t.sent
        s0, s1 = _trim(text, sent.start_char, sent.end_char)
        out.append(
            Quote(
                kind="indirect",
                content=Span(content[0], content[1], text[content[0] : content[1]]),
                parts=(Span(content[0], content[1], text[content[0] : content[1]]),),
                speaker=Span(cs, ce, text[cs:ce]),
                speaker_key=None,
                cue=Span(cue[0], cue[1], text[cue[0] : cue[1]]),
                sentence=Span(s0, s1, text[s0:s1]),
            )
        )
    out.sort(key=lambda q: (q.content.start, q.content.end))
    return tuple(out)
