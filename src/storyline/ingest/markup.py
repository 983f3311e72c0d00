"""Markup to plain text: Markdown documents and HTML fragments (feed entries, HTML inside JSON/CSV fields).

Both run in time linear in the input: line by line, with patterns that cannot backtrack across a line.
"""

from __future__ import annotations

import re

__all__ = ["html_fragment_to_text", "markdown_to_text", "tidy_text"]

_MD_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_HR_RE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_SETEXT_RE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_MD_REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)")
_MD_HEADING_TAIL_RE = re.compile(r"\s+#+\s*$")
_MD_QUOTE_RE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_BULLET_RE = re.compile(r"^\s*[-*+]\s+")
_MD_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images dropped
    (re.compile(r"!\[[^\]]*\]\[[^\]]*\]"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [t](u) -> t
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [t][r] -> t
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),  # backslash escapes
)
_MD_INLINE_HINT_RE = re.compile(r"[\[\]<`*_~\\]")


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
            line = _MD_HEADING_TAIL_RE.sub("", _MD_HEADING_RE.sub("", line))
        line = _MD_QUOTE_RE.sub("", line)
        line = _MD_BULLET_RE.sub("", line)
        if _MD_INLINE_HINT_RE.search(line):
            for rx, repl in _MD_INLINE:
                line = rx.sub(repl, line)
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
