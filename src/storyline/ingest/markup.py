"""Markup to plain text: Markdown documents and HTML fragments (feed entries, HTML inside JSON/CSV fields).

Both run in time linear in the input: line by line, with patterns that cannot backtrack across a line.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

__all__ = ["html_fragment_to_text", "markdown_to_text", "tidy_text"]

_MD_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_HR_RE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_SETEXT_RE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_MD_REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)")
_MD_QUOTE_RE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_BULLET_RE = re.compile(r"^\s*[-*+]\s+")


def _skipping(real: str, *skips: str) -> Callable[[str], str]:
    """``re.sub`` of the pattern ``real`` by its group ``keep`` (or by nothing), in time linear in the line.

    Alone, ``real`` rescans the rest of the line from every ``[`` (or ``<``) of a long run it cannot match.
    Each ``skip`` pattern, tried where ``real`` failed, consumes unchanged a stretch where no match of ``real``
    can start: the other openers before the same closing bracket share its failure, and when the closing
    ``)`` or ``]`` is missing, so is every later one's."""
    rx = re.compile("|".join([f"(?P<real>{real})", *skips]))

    def repl(m: re.Match[str]) -> str:
        if m.group("real") is None:
            return m.group(0)
        return m.groupdict().get("keep") or ""

    return lambda line: rx.sub(repl, line)


def _pairs(delims: str, before: str = "", after: str = "") -> Callable[[str], str]:
    r"""``re.sub(r"(D)(?=\S)(.+?)(?<=\S)\1", r"\2", line)`` for the delimiters D in ``delims`` (an alternation),
    with ``before``/``after`` lookarounds on the opener/closer, in O(n log n) instead of O(n²).

    The lazy ``.+?`` ends at the first closer (same delimiter, a non-space before it) one character or more
    after the opener; closers depend only on their position, so they are listed once and found by bisection.
    Openers are taken left to right, each starting at or after the end of the previous match, as ``re.sub`` does."""
    opener = re.compile(rf"{before}(?=({delims})\S)")
    closer = re.compile(rf"(?<=\S)(?=({delims}){after})")

    def sub(line: str) -> str:
        closers: dict[str, list[int]] = {}
        for m in closer.finditer(line):
            closers.setdefault(m.group(1), []).append(m.start())
        if not closers:
            return line
        out: list[str] = []
        pos = 0
        for m in opener.finditer(line):
            i, delim = m.start(), m.group(1)
            ks = closers.get(delim, ())
            x = bisect_left(ks, i + len(delim) + 1) if i >= pos else len(ks)
            if x < len(ks):
                out += (line[pos:i], line[i + len(delim) : ks[x]])
                pos = ks[x] + len(delim)
        out.append(line[pos:])
        return "".join(out)

    return sub


# Inline markup, applied in this order.  Link and image patterns are the plain regexes made linear by
# skip patterns; emphasis is matched as delimiter pairs (see ``_pairs``).
_MD_INLINE: tuple[Callable[[str], str], ...] = (
    _skipping(r"!\[[^\]]*\]\([^)]*\)", r"!\[[^\]]*\]\([^)]*\Z", r"!\[[^\]]*"),  # images dropped
    _skipping(r"!\[[^\]]*\]\[[^\]]*\]", r"!\[[^\]]*"),
    _skipping(r"\[(?P<keep>[^\]]+)\]\([^)]*\)", r"\[[^\]]+\]\([^)]*\Z", r"\[[^\]]*"),  # [t](u) -> t
    _skipping(r"\[(?P<keep>[^\]]+)\]\[[^\]]*\]", r"\[[^\]]*"),  # [t][r] -> t
    _skipping(r"<(?P<keep>https?://[^>\s]+)>", r"<https?://[^>\s]*"),  # autolinks
    _skipping(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"),  # inline HTML tags
    _skipping(r"`(?P<keep>[^`]+)`"),
    _pairs(r"\*\*|__"),
    _pairs(r"\*", r"(?<![\w*])", r"(?![\w*])"),
    _pairs(r"_", r"(?<![\w_])", r"(?![\w_])"),
    _pairs(r"~~"),
    _skipping(r"\\(?P<keep>[\\`*_{}\[\]()#+\-.!>~|])"),  # backslash escapes
)
_MD_INLINE_HINT_RE = re.compile(r"[\[\]<`*_~\\]")


def _strip_heading_tail(line: str) -> str:
    r"""``re.sub(r"\s+#+\s*$", "", line)`` without rescanning a long run of spaces from each of its spaces."""
    body = line.rstrip()
    head = body.rstrip("#")
    return head.rstrip() if head != body and head[-1:].isspace() else line


def markdown_to_text(md: str) -> tuple[str, str | None]:
    """Convert Markdown to plain text; returns (text, first heading or None).

    Headings lose their ``#``, emphasis marks go, links ``[t](u)`` become ``t``, images are dropped,
    list items stay one per line (bullets removed, numbers kept), code fences are unwrapped.
    """
    out: list[str] = []
    heading: str | None = None
    in_code = False
    for raw in md.split("\n"):
        if _MD_FENCE_RE.match(raw):
            in_code = not in_code
            continue
        if in_code:
            out.append(raw)
            continue
        if _MD_HR_RE.match(raw):
            out.append("")
            continue
        if _MD_SETEXT_RE.match(raw) and out and out[-1].strip():
            if heading is None and raw.strip()[0] == "=":
                heading = out[-1].strip()
            continue
        if _MD_REFDEF_RE.match(raw):
            continue
        line = raw
        is_heading = bool(_MD_HEADING_RE.match(line))
        if is_heading:
            line = _strip_heading_tail(_MD_HEADING_RE.sub("", line))
        line = _MD_QUOTE_RE.sub("", line)
        line = _MD_BULLET_RE.sub("", line)
        if _MD_INLINE_HINT_RE.search(line):
            for sub in _MD_INLINE:
                line = sub(line)
        line = line.rstrip()
        if is_heading and heading is None and line.strip():
            heading = line.strip()
        out.append(line.strip() if is_heading else line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    return text, heading


# --------------------------------------------------------------------------- HTML fragments

_BLOCK_TAGS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer pre figure "  # noqa: SIM905
    "figcaption dd dt dl address aside main nav hr".split()
)
_LINE_WS_RE = re.compile(r"[ \t\f\v\u00a0\u2007\u202f]+")


def tidy_text(text: str) -> str:
    lines = [_LINE_WS_RE.sub(" ", ln).strip() for ln in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed entry content), paragraphs separated by blank lines."""
    if "<" not in fragment:
        return tidy_text(fragment)
    from lxml import etree
    from lxml import html as lh

    try:
        root = lh.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for bad in list(root.iter("script", "style", "noscript", "iframe")):
        bad.drop_tree()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCK_TAGS:
            el.text = "\n\n" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
    return tidy_text(root.text_content())
