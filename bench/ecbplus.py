"""ECB+ loader: documents with detokenised text and stand-off mentions with exact character offsets.

Data: <repo>/../shared/datasets/ecbplus/ (ECB+ 1.0, Cybulska & Vossen 2014): ``xml/<topic>/<topic>_<n>ecb.xml``
and ``..._<n>ecbplus.xml`` (the two sub-topics of a topic) and ``ECBplus_coreference_sentences.csv`` (the
sentences whose coreference annotation is complete: only mentions there are scored).

Conventions, following Barhom et al. (2019) where a choice was needed:
- split: dev = topics 2, 5, 12, 18, 21, 23, 34, 35; train = every other topic present; the test topics 36-45
  are not in the shared copy.
- event mentions (kind "ACTION") are the ACTION_* and NEG_ACTION_* markables; HUMAN_* / NON_HUMAN_* are
  "PARTICIPANT", TIME_* "TIME", LOC_* "LOC", anything else (UNKNOWN_INSTANCE_TAG) "OTHER".
- chain: the instance_id of the CROSS_DOC_COREF target; mentions linked only by INTRA_DOC_COREF share the
  document-local chain "intra:<doc>:<target m_id>"; any other mention is "singleton:<doc>:<m_id>".
- text: tokens joined with spaces except around punctuation and clitics (no space before , . ; : ! ? 's n't
  ...), ``/'' rendered as a straight double quote; one line per sentence; in ``ecbplus`` documents sentence 0
  (the URL the article was found at) is dropped.  Every token keeps its character span, so mention offsets
  are exact: ``doc.text[m.start:m.end]`` is the mention's surface (for the rare discontinuous mention, the
  span runs from its first to its last token and ``head`` is the tokens joined with spaces).
"""

from __future__ import annotations

import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from contract import DATASETS  # noqa: E402

DATA = DATASETS / "ecbplus"
DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
SPLITS = ("train", "dev", "all")

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "’", "'", "/",
                   "'s", "'S", "'m", "'re", "'ve", "'ll", "'d", "n't", "N'T"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "/", "#"}
QUOTE_FORMS = {"``": '"', "''": '"'}


@dataclass(frozen=True)
class Mention:
    """One annotated mention in one document."""

    doc: str  # document id, e.g. "1_10ecb"
    kind: str  # "ACTION", "TIME", "LOC", "PARTICIPANT", "OTHER"
    tag: str  # the original tag name, e.g. "ACTION_OCCURRENCE"
    start: int  # character offsets into Doc.text
    end: int
    sentence: int  # sentence number as in the XML
    head: str  # surface text of the mention
    chain: str  # cross-document chain id (instance_id), or "intra:..." / "singleton:<doc>:<m_id>"


@dataclass(frozen=True)
class Doc:
    id: str
    topic: int
    subtopic: str  # "1ecb" / "1ecbplus"
    text: str  # one line per sentence
    sentences: tuple[tuple[int, int, int, bool], ...]  # (sentence number, char start, char end, complete)
    mentions: tuple[Mention, ...]


# --------------------------------------------------------------------------- tokens -> text


@dataclass(frozen=True)
class _Token:
    tid: str
    sentence: int
    text: str


def _quote_role(raw: str, open_quote: bool) -> str:
    """"open", "close" or "" for a token; a straight " alternates."""
    if raw in ("``", "“", "‘"):
        return "open"
    if raw in ("''", "”"):
        return "close"
    if raw == '"':
        return "close" if open_quote else "open"
    return ""


def detokenise(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """One sentence's tokens as text, and each token's (start, end) in it."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, glue_next, open_quote = 0, True, False
    for raw in tokens:
        tok = QUOTE_FORMS.get(raw, raw)
        role = _quote_role(raw, open_quote)
        hug = glue_next or role == "close" or (not role and (tok in NO_SPACE_BEFORE or tok.lower() == "n't"))
        if not hug:
            out.append(" ")
            pos += 1
        out.append(tok)
        spans.append((pos, pos + len(tok)))
        pos += len(tok)
        if role:
            open_quote = role == "open"
        glue_next = role == "open" or (not role and tok in NO_SPACE_AFTER)
    return "".join(out), spans


# --------------------------------------------------------------------------- XML -> Doc


def kind_of(tag: str) -> str:
    base = tag.removeprefix("NEG_")
    if base.startswith("ACTION"):
        return "ACTION"
    if base.startswith(("HUMAN", "NON_HUMAN")):
        return "PARTICIPANT"
    if base.startswith("TIME"):
        return "TIME"
    if base.startswith("LOC"):
        return "LOC"
    return "OTHER"


def _tokens(root: ET.Element) -> list[_Token]:
    return [_Token(t.get("t_id", ""), int(t.get("sentence", "0")), t.text or "") for t in root.iter("token")]


def _children(root: ET.Element, name: str) -> list[ET.Element]:
    node = root.find(name)
    return list(node) if node is not None else []


def _chains(root: ET.Element, doc_id: str) -> dict[str, str]:
    """m_id of each linked mention -> its chain id."""
    instance = {m.get("m_id", ""): m.get("instance_id", "") for m in _children(root, "Markables")
                if m.find("token_anchor") is None}
    chains: dict[str, str] = {}
    for rel in _children(root, "Relations"):
        node = rel.find("target")
        target = node.get("m_id", "") if node is not None else ""
        if rel.tag == "CROSS_DOC_COREF" and instance.get(target):
            chain = instance[target]
        else:
            chain = f"intra:{doc_id}:{target}"
        for src in rel.findall("source"):
            chains.setdefault(src.get("m_id", ""), chain)
    return chains


def _layout(tokens: list[_Token], drop: set[int]) -> tuple[str, dict[str, tuple[int, int]], list]:
    """Text of the kept sentences, char span of each token id, and the sentence table (no completeness)."""
    by_sentence: dict[int, list[_Token]] = {}
    for tok in tokens:
        if tok.sentence not in drop:
            by_sentence.setdefault(tok.sentence, []).append(tok)
    lines, where, table, offset = [], {}, [], 0
    for number in sorted(by_sentence):
        toks = by_sentence[number]
        line, spans = detokenise([t.text for t in toks])
        for tok, (s, e) in zip(toks, spans, strict=True):
            where[tok.tid] = (offset + s, offset + e)
        table.append((number, offset, offset + len(line)))
        lines.append(line)
        offset += len(line) + 1
    return "\n".join(lines), where, table


def _mentions(root: ET.Element, doc_id: str, text: str, where: dict, sentence_of: dict) -> list[Mention]:
    chains = _chains(root, doc_id)
    out = []
    for m in _children(root, "Markables"):
        tids = [a.get("t_id", "") for a in m.findall("token_anchor")]
        tids = [t for t in tids if t in where]
        if not tids:
            continue
        spans = sorted(where[t] for t in tids)
        start, end = spans[0][0], spans[-1][1]
        contiguous = all(b[0] - a[1] <= 1 for a, b in zip(spans, spans[1:], strict=False))
        head = text[start:end] if contiguous else " ".join(text[s:e] for s, e in spans)
        mid = m.get("m_id", "")
        out.append(Mention(doc_id, kind_of(m.tag), m.tag, start, end, sentence_of[tids[0]], head,
                           chains.get(mid, f"singleton:{doc_id}:{mid}")))
    return sorted(out, key=lambda x: (x.start, x.end, x.tag))


def parse_doc(path: Path, complete: set[tuple[str, int]]) -> Doc:
    """One ECB+ XML file; ``complete`` holds the (doc id, sentence number) pairs annotated in full."""
    doc_id = path.stem
    m = re.fullmatch(r"(\d+)_(\d+ecb(?:plus)?)", doc_id)
    if not m:
        raise ValueError(f"unexpected ECB+ file name: {path.name}")
    topic, sub = int(m.group(1)), m.group(2)
    root = ET.parse(path).getroot()
    tokens = _tokens(root)
    drop = {0} if sub.endswith("ecbplus") else set()
    text, where, table = _layout(tokens, drop)
    sentence_of = {t.tid: t.sentence for t in tokens}
    sentences = tuple((n, s, e, (doc_id, n) in complete) for n, s, e in table)
    mentions = _mentions(root, doc_id, text, where, sentence_of)
    subtopic = f"{topic}{'ecbplus' if sub.endswith('ecbplus') else 'ecb'}"
    return Doc(doc_id, topic, subtopic, text, sentences, tuple(mentions))


def read_complete(root: Path) -> set[tuple[str, int]]:
    """(doc id, sentence number) pairs listed in ECBplus_coreference_sentences.csv."""
    path = root / "ECBplus_coreference_sentences.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {(f"{r['Topic'].strip()}_{r['File'].strip()}", int(r["Sentence Number"])) for r in rows}


def _topics(split: str, root: Path) -> list[int]:
    present = sorted(int(p.name) for p in (root / "xml").iterdir() if p.is_dir() and p.name.isdigit())
    if split == "dev":
        return [t for t in present if t in DEV_TOPICS]
    if split == "train":
        return [t for t in present if t not in DEV_TOPICS]
    return present


def _natural(path: Path) -> tuple[int, int, str]:
    m = re.fullmatch(r"(\d+)_(\d+)(ecb(?:plus)?)", path.stem)
    return (int(m.group(1)), int(m.group(2)), m.group(3)) if m else (0, 0, path.stem)


def load(split: str, root: Path | None = None) -> list[Doc]:
    """Documents of ``split`` ("train", "dev" or "all"), by topic then sub-topic then number."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    root = Path(root) if root is not None else DATA
    if not (root / "xml").is_dir() or not (root / "ECBplus_coreference_sentences.csv").is_file():
        raise FileNotFoundError(
            f"ECB+ is absent: expected {root}/xml/<topic>/*.xml and {root}/ECBplus_coreference_sentences.csv"
        )
    complete = read_complete(root)
    docs = []
    for topic in _topics(split, root):
        files = sorted((root / "xml" / str(topic)).glob("*.xml"), key=lambda p: (_natural(p)[2], _natural(p)[1]))
        docs += [parse_doc(f, complete) for f in files]
    return docs


def complete_sentences(doc: Doc) -> set[int]:
    return {n for n, _, _, ok in doc.sentences if ok}


def scored_actions(docs: Iterable[Doc]) -> list[Mention]:
    """ACTION mentions in sentences whose annotation is complete: the evaluation mention set."""
    out = []
    for doc in docs:
        ok = complete_sentences(doc)
        out += [m for m in doc.mentions if m.kind == "ACTION" and m.sentence in ok]
    return out
