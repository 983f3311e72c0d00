"""Text primitives for the whole package: one word tokenizer, one case/accent fold, one stemmer and one
sentence splitter.  Every stage that needs words, stems or sentences takes them from here, so two stages
never disagree about what a word or a sentence is.

- ``words(text)``: word tokens (letters and digits, with inner apostrophes, hyphens and dots kept:
  "don't", "al-Assad", "U.S", "4.2", and digit groups "1,000", "3:30"); ``word_spans`` gives their offsets,
  and with ``punctuation=True`` also each other non-space character as a token of its own.
- ``fold(text)``: lower case, accents removed, typographic apostrophes made plain ("Vâlcu’s" -> "valcu's").
- ``stem(word)``: the Snowball English (Porter 2) stemmer of the folded word ("reported", "reports" ->
  "report"), from the ``snowballstemmer`` package; possessive "'s" is dropped first.
- ``split_sentences(text, sentences)``: the parser's sentence spans split again at line breaks, trimmed,
  with a stray closing quote given back to its sentence and a leading dateline cut off.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache

import snowballstemmer

from storyline.records import Span

__all__ = [
    "WORD_RE", "fold", "printable", "scrub", "scrub_line", "split_sentences", "stem", "stems", "word_spans", "words",
]  # fmt: skip

WORD_RE = re.compile(r"[^\W_]+(?:(?:['\u2019.-]|(?<=\d)[,:](?=\d))[^\W_]+)*")
# the word tokenizer plus every other non-space character as one token ("attacked , and")
_TOKEN_RE = re.compile(WORD_RE.pattern + r"|[^\w\s]|_")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps its word in itself: two threads garble each other


# control characters (C0 but tab and newline, DEL, C1), which a terminal would act on
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI_RE = re.compile(r"\x1b(?:\[[0-?]{0,32}[ -/]{0,8}[@-~]|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?)")  # CSI, OSC
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")  # lone surrogates: no UTF-8 form (JSON "\ud800", undecodable names)
# what printable() escapes: every control character, bidirectional overrides (which reorder what a line seems
# to say) and lone surrogates
_UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNPRINTABLE_KEEP_LINES_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def scrub(text: str) -> str:
    """Text safe to store and show: lone surrogates become U+FFFD, control characters other than tab and
    newline are removed (a terminal escape code in an article is not part of what it says)."""
    return _CONTROL_RE.sub("", _ANSI_RE.sub("", _SURROGATE_RE.sub("\ufffd", text)))


def scrub_line(text: str) -> str:
    """A one-line value (title, outlet, author): ``scrub`` it and turn tabs and newlines into spaces."""
    return scrub(text).replace("\n", " ").replace("\t", " ")


def _escaped(match: re.Match[str]) -> str:
    cp = ord(match.group())
    if 0xDC80 <= cp <= 0xDCFF:  # a byte a file name could not decode (surrogateescape)
        return f"\\x{cp - 0xDC00:02x}"
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"


def printable(value: str, *, lines: bool = False) -> str:
    """``value`` written so that it prints as itself on one line: control characters, bidirectional overrides
    and undecodable bytes become visible escapes (``\\x1b``, a newline as ``\\x0a``, ``\\u202e``, ``\\xe9``).
    With ``lines``, tabs and newlines are kept (a block of text of our own)."""
    return (_UNPRINTABLE_KEEP_LINES_RE if lines else _UNPRINTABLE_RE).sub(_escaped, value)


def words(text: str) -> list[str]:
    """Word tokens of ``text`` in order (case kept)."""
    return WORD_RE.findall(text)


def word_spans(text: str, *, punctuation: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) of each word token of ``text``; with ``punctuation`` also of each other non-space
    character (a comma, a quote mark, a dash), in text order."""
    for m in (_TOKEN_RE if punctuation else WORD_RE).finditer(text):
        yield m.start(), m.end()


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes made plain.  Words and short strings are cached;
    whole sentences and articles are not, so the cache never holds a story's text."""
    return _fold_cached(text) if len(text) <= _CACHED_FOLD else _fold(text)


_CACHED_FOLD = 64  # characters: longer strings are folded afresh each time


@lru_cache(maxsize=65536)
def _fold_cached(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = text.translate(_APOSTROPHES)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.casefold()


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """The Snowball English stem of the folded word; a possessive "'s" is dropped first."""
    w = fold(word)
    if w.endswith("'s"):
        w = w[:-2]
    if not w or w[0].isdigit():
        return w
    with _STEMMER_LOCK:
        return _STEMMER.stemWord(w)


def stems(text: str) -> list[str]:
    """``stem`` of every word of ``text``."""
    return [stem(w) for w in WORD_RE.findall(text)]


# --------------------------------------------------------------------------- sentences

_BREAK_RE = re.compile(r"\n+")
# a piece made only of closing marks: the parser's "\"" glued to the next paragraph
_CLOSING_RE = re.compile(r"[\"'\u201d\u2019)\]\s.,;:!?]+")
# a dateline leading a sentence: "PORT AUBREL, Veldania, Dec 10 (HWS) - " / "LONDON (Reuters) — "
_DATELINE_RE = re.compile(
    r"(?:[A-Z][A-Z'.\u2019-]+(?:\s+[A-Z][A-Z'.\u2019-]+)*)"  # the place in capitals
    r"(?:\s*,\s*[A-Z][\w.'\u2019-]*(?:\s+[\w.'\u2019-]+){0,3})*"  # ", Country, Dec 10"
    r"(?:\s*\([^()\n]{1,30}\))?"  # "(HWS)"
    r"\s*(?:\u2014|\u2013|--?|:)(?:\s+|$)"
)

def _pieces(text: str, span: Span) -> list[tuple[int, int]]:
    """The parts of one parser sentence between line breaks, trimmed of white space."""
    out: list[tuple[int, int]] = []
    pos = span.start
    chunk = text[span.start : span.end]
    bounds = [(m.start() + span.start, m.end() + span.start) for m in _BREAK_RE.finditer(chunk)]
    bounds.append((span.end, span.end))
    for bstart, bend in bounds:
        start, end = pos, bstart
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
        pos = bend
    return out


def split_sentences(text: str, sentences: Sequence[Span]) -> list[tuple[int, int]]:
    """Sentence pieces of ``text`` (cleaned offsets): parser sentences split at line breaks and trimmed.

    A piece made only of closing quote marks or punctuation ("\\"" left at the start of the next
    paragraph by the parser) is given back to the piece it closes when that piece ends right before it.
    A leading dateline ("PORT AUBREL, Veldania - ") is cut off the sentence it leads.
    """
    out: list[tuple[int, int]] = []
    for span in sorted(sentences, key=lambda s: (s.start, s.end)):
        for start, end in _pieces(text, span):
            if _CLOSING_RE.fullmatch(text, start, end):
                if out and out[-1][1] == start:
                    out[-1] = (out[-1][0], end)
                continue
            m = _DATELINE_RE.match(text, start, end)
            if m and m.end() < end and sum(c.isupper() for c in text[start : start + 4]) >= 2:
                start = m.end()
            out.append((start, end))
    return out
