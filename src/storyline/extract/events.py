"""Events: dated records of who did what to whom, when and where.

For each sentence (cut again at paragraph breaks) the main verb -- the ROOT, or the clause a
speech verb reports, through "is scheduled to" / "plans to" -- is a trigger, and so are verbs
conjoined to it and relative / adverbial / participle clauses that carry a date of their own
("the zone, which the minister announced on Monday, ...").  The subject, object and passive agent give
actor and target (the Mention.key where they overlap a mention), the date expression attached
to the verb gives ``when`` and a place mention after in/at/near/off/to gives ``where``.  A
main-clause event is kept when it is dated, or when a named actor does something of a
recognisable kind (strike, announce, deploy, ...); a clause event or a statement ("X told
parliament on Sunday") only when dated.  Questions are not events.  Precision first: a reader
sees these on a timeline.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.extract.dates import DateIndex, dates_within
from storyline.records import Event, Mention, Span, TimeExpr

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = ["EVENT_KINDS", "SPEECH_VERBS", "extract_events"]

SPEECH_VERBS = frozenset({
    "say", "tell", "add", "note", "claim", "insist", "explain", "argue", "write", "ask", "reply",
    "respond", "comment", "suggest", "state", "quote", "recall", "stress", "acknowledge", "confirm",
    "report", "tweet", "post", "declare", "assert", "maintain", "contend", "allege", "emphasise",
    "emphasize", "remark", "observe", "testify", "answer", "believe", "think", "know", "feel", "accord",
})
_BELIEF_VERBS = frozenset({"believe", "think", "know", "feel", "hope", "suspect", "fear", "expect", "understand"})
_LIGHT_VERBS = frozenset({"be", "have", "do", "seem", "appear", "become", "remain", "get", "can", "could",
                          "may", "might", "must", "shall", "should", "will", "would", "need", "let"})
# verbs that pass the event on to their infinitive: "is scheduled to travel" -> travel
_CONTROL_VERBS = frozenset({"schedule", "expect", "set", "due", "plan", "try", "seek", "decide", "agree",
                            "vow", "threaten", "promise", "intend", "aim", "prepare", "attempt", "move",
                            "going", "go", "begin", "start", "hope", "want", "refuse", "fail", "order",
                            "ask", "continue", "appear", "seem", "be", "likely", "able", "poise", "slate",
                            "think", "believe", "say", "report", "know", "understand", "suppose", "allege",
                            "claim", "rumour", "rumor", "reckon"})

EVENT_KINDS = frozenset({
    "strike", "attack", "kill", "announce", "designate", "deploy", "sign", "meet", "arrive", "launch",
    "sanction", "seize", "arrest", "resign", "elect", "vote", "impose", "lift", "begin", "end", "die",
    "bomb", "shoot", "fire", "invade", "capture", "detain", "release", "free", "sink", "destroy", "hit",
    "target", "raid", "order", "approve", "reject", "veto", "pass", "ban", "suspend", "close", "open",
    "withdraw", "visit", "travel", "leave", "return", "fly", "land", "sail", "dispatch", "send",
    "appoint", "nominate", "name", "dismiss", "sack", "replace", "swear", "inaugurate", "win",
    "lose", "defeat", "declare", "indict", "charge", "convict", "sentence", "extradite", "deport",
    "expel", "recall", "summon", "condemn", "warn", "threaten", "call", "offer", "accept", "agree",
    "negotiate", "talk", "speak", "hold", "host", "convene", "halt", "resume", "block",
    "intercept", "board", "escalate", "retaliate", "respond", "blockade", "evacuate", "injure", "wound",
    "explode", "crash", "collapse", "protest", "march", "rally", "publish", "issue",
    "file", "sue", "rule", "overturn", "uphold", "authorize", "authorise", "mobilize", "mobilise",
    "reinforce", "station", "patrol", "surround", "enter", "cross", "flee", "escape", "kidnap",
    "assassinate", "execute", "shut", "reopen", "cancel", "postpone", "delay", "extend", "expire",
    "introduce", "unveil", "propose", "demand", "pledge", "donate", "pay", "fund", "freeze", "confiscate",
    "raise", "cut", "increase", "reduce", "dock", "depart", "tour", "head", "move", "shift",
    "join", "quit", "form", "establish", "found", "create", "dissolve", "ratify", "endorse",
    "back", "support", "oppose", "discuss", "telephone", "phone",
})

_PLACE_PREPS = frozenset({"in", "at", "near", "off", "to", "into", "across", "inside", "outside", "from",
                          "toward", "towards", "over", "around", "within", "on"})


_OPEN_RE = re.compile(r"\b(?:until|till|through|by)\s*$", re.IGNORECASE)


class _MentionIndex:
    """Mentions sorted by start, for overlap look-ups within a sentence."""

    __slots__ = ("_mentions", "_starts")

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self._mentions = sorted(mentions, key=lambda m: (m.span.start, -m.span.end))
        self._starts = [m.span.start for m in self._mentions]

    def within(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [m for m in self._mentions[lo:hi] if m.span.end <= end]


def _chunk_bounds(tok: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by ``tok`` (without clauses after it)."""
    start = tok.i
    for child in tok.lefts:
        if child.dep_ in ("det", "amod", "compound", "poss", "nummod", "quantmod", "nmod", "advmod", "case",
                          "predet", "npadvmod"):
            start = min(start, child.left_edge.i)
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ in ("compound", "case", "nummod") or (child.dep_ == "flat"):
            end = max(end, child.right_edge.i + 1)
        elif child.dep_ == "prep" and child.lower_ == "of" and child.i == end:
            end = max(end, child.right_edge.i + 1)  # "the Cartel of the Suns"
        else:
            break
    return start, end


def _argument(doc: Doc, text: str, tok: Token, mentions: list[Mention]) -> tuple[str, Span]:
    """Name (Mention.key where it overlaps a mention) and span of an argument headed by ``tok``."""
    s, e = _chunk_bounds(tok)
    cs, ce = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
    nl = text.rfind("\n\n", cs, tok.idx)
    if nl >= 0:  # a heading glued to the sentence: "Blessings\n\nThousands of people"
        cs = nl + 2
        while cs < tok.idx and text[cs].isspace():
            cs += 1
    ce = max(ce, tok.idx + len(tok.text))
    head_s, head_e = tok.idx, tok.idx + len(tok.text)
    best: Mention | None = None
    for m in mentions:
        if m.span.start < head_e and head_s < m.span.end:
            best = m
            break
    if best is None:
        for m in mentions:
            if m.span.start < ce and cs < m.span.end and m.kind == "name":
                best = m
                break
    if best is not None:
        return best.key, best.span
    words = text[cs:ce]
    return words, Span(cs, ce, words)


def _mention_of(tok: Token, mentions: list[Mention]) -> Mention | None:
    s, e = tok.idx, tok.idx + len(tok.text)
    for m in mentions:
        if m.span.start < e and s < m.span.end:
            return m
    return None


def _hops(tok: Token, verb: Token, through_verbs: bool = False) -> int | None:
    """Dependency steps from ``tok`` up to ``verb`` (None when another clause is in between)."""
    for n in range(12):
        if tok == verb:
            return n
        if tok.head == tok:
            return None
        if through_verbs and tok.dep_ in ("ccomp", "parataxis") and tok.head == verb:
            return None  # the reported clause of a speech verb has its own dates
        tok = tok.head
        if tok.dep_ == "prep" and tok.lower_ in _ANCHOR_PREPS:
            return None  # "two days before the deadline": an anchor, not when it happened
        if (tok != verb and not through_verbs and tok.pos_ == "VERB" and tok.dep_ not in ("aux", "auxpass")):
            return None
    return None


def _attached(tok: Token, verb: Token) -> bool:
    return _hops(tok, verb) is not None


_ANCHOR_PREPS = frozenset({"before", "after", "until", "till", "by", "ahead", "pending"})
_PART_OF_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})T[A-Z]{2}$")  # 2025-12-14TNI: "Sunday night"
_WEEKEND = re.compile(r"^(\d{4}-W\d{2})-WE$")


@dataclass(frozen=True, slots=True)
class _Trigger:
    verb: Token  # the event verb
    holder: Token  # the clause verb whose subject is the actor ("scheduled" in "is scheduled to travel")
    speech: bool = False  # a speech verb: an event only when the saying itself is dated
    needs_date: bool = False  # a relative or adverbial clause: an event only when dated


def _descend(verb: Token) -> Token:
    """"is scheduled to travel", "plans to visit", "is due to cross" -> the verb of the event."""
    trig = verb
    for _ in range(3):
        lemma = trig.lemma_.lower()
        if lemma not in _CONTROL_VERBS and lemma not in _LIGHT_VERBS:
            break
        nxt = None
        for c in trig.children:
            if c.dep_ == "xcomp" and c.pos_ == "VERB":
                nxt = c
                break
            if c.dep_ in ("acomp", "attr") and c.lemma_.lower() in _CONTROL_VERBS:
                nxt = next((g for g in c.children if g.dep_ == "xcomp" and g.pos_ == "VERB"), None)
                if nxt is None:  # "is due to land" mis-parsed as due -> to -> land (noun)
                    to = next((g for g in c.children if g.lower_ == "to" and g.dep_ in ("pcomp", "prep")), None)
                    obj = next((g for g in to.children if g.dep_ == "pobj"), None) if to is not None else None
                    if obj is not None and obj.tag_ in ("NN", "VB") and not any(
                            g.dep_ == "det" for g in obj.children):
                        nxt = obj
                if nxt is not None:
                    break
        if nxt is None:
            break
        trig = nxt
    return trig


def _triggers(sent: SpacySpan) -> list[_Trigger]:
    """Event verbs of a sentence: the main verb (or the clause a speech verb reports), conjoined
    verbs, and dated relative/adverbial clauses."""
    root = sent.root
    found: list[_Trigger] = []
    cands: list[Token] = []
    if root.pos_ in ("VERB", "AUX") and root.lemma_.lower() in SPEECH_VERBS:
        cands.extend(c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX"))
        if root.lemma_.lower() not in _BELIEF_VERBS:
            found.append(_Trigger(root, root, speech=True, needs_date=True))
        if any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in root.children):
            cands.append(root)  # "is thought to have gone", "is said to have fled"
    elif root.pos_ in ("VERB", "AUX"):
        cands.append(root)
    for verb in cands:
        trig = _descend(verb)
        found.append(_Trigger(trig, verb))
        for c in trig.children:  # "struck a boat and killed three people"
            if c.dep_ == "conj" and c.pos_ == "VERB":
                own = any(g.dep_.startswith("nsubj") for g in c.children)
                found.append(_Trigger(c, c if own else verb))
    for tok in sent:
        if tok.dep_ in ("relcl", "advcl") and tok.pos_ == "VERB" or tok.dep_ == "acl" and tok.tag_ == "VBN":
            speech = tok.lemma_.lower() in SPEECH_VERBS
            if speech and tok.lemma_.lower() in _BELIEF_VERBS:
                continue
            found.append(_Trigger(_descend(tok), tok, speech=speech, needs_date=True))
    return found


def _sentence_dates(doc: Doc, text: str, sent: SpacySpan, dates: Sequence[TimeExpr]) -> list[tuple[TimeExpr, Token]]:
    cands: list[tuple[TimeExpr, Token]] = []
    for t in dates_within(dates, sent.start_char, sent.end_char):
        if (t.span.start >= sent.start_char and t.span.end <= sent.end_char and t.type in ("DATE", "TIME")
                and t.value[:4].isdigit()):
            if _OPEN_RE.search(text[max(sent.start_char, t.span.start - 8):t.span.start]):
                continue  # "until Friday": a limit, not when the event happened
            span = doc.char_span(t.span.start, t.span.end, alignment_mode="expand")
            if span is not None and len(span):
                cands.append((t, span.root))
    return cands


def _when(sent: SpacySpan, trig: _Trigger, cands: list[tuple[TimeExpr, Token]]) -> TimeExpr | None:
    if not cands:
        return None
    verb, holder = trig.verb, trig.holder
    best: tuple[int, TimeExpr] | None = None
    for t, tok in cands:
        hops = _hops(tok, verb, trig.speech)
        if hops is None and holder != verb:
            hops = _hops(tok, holder, trig.speech)
        if hops is not None and (best is None or hops < best[0]):
            best = (hops, t)
    if best is not None:
        return best[1]
    if trig.needs_date:
        # "since 3 November, when the navy first opened fire": the clause hangs from the date
        head = holder.head
        for t, _tok in cands:
            if t.span.start <= head.idx < t.span.end:
                return t
        return None
    cands = [(t, tok) for t, tok in cands if _loose(tok, verb)]
    lo, hi = verb.left_edge.i, verb.right_edge.i
    inside = [t for t, tok in cands if lo <= tok.i <= hi]
    if len(inside) == 1:
        return inside[0]
    if len(cands) == 1 and sent.root == holder:
        return cands[0][0]
    return None


def _loose(tok: Token, verb: Token) -> bool:
    """A date not attached to any clause (a parse that lost it): neither an anchor ("before Friday")
    nor hanging from another clause's verb ("the deadline set on Monday")."""
    if tok.head.dep_ == "prep" and tok.head.lower_ in _ANCHOR_PREPS:
        return False
    for _ in range(12):
        if tok.head == tok:
            return True
        tok = tok.head
        if tok.pos_ == "VERB" and tok != verb and tok.dep_ in ("acl", "relcl", "advcl", "ccomp", "xcomp", "conj"):
            return False
    return True


def _where(doc: Doc, trig: Token, sent_mentions: list[Mention], used: list[Span],
           speech: bool = False) -> Mention | None:
    places = [m for m in sent_mentions if m.label == "PLACE"
              and not any(m.span.start < u.end and u.start < m.span.end for u in used)]
    if not places:
        return None
    lo, hi = doc[trig.left_edge.i].idx, doc[trig.right_edge.i].idx + len(doc[trig.right_edge.i].text)
    fallback: Mention | None = None
    for m in places:
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        tok = span.root
        # walk up through "the coast of Venezuela" to the preposition
        cur = tok
        for _ in range(4):
            if cur.dep_ == "pobj" and cur.head.lower_ in _PLACE_PREPS:
                if _attached(cur.head, trig):
                    return m
                break
            if cur.head == cur:
                break
            cur = cur.head
        if fallback is None and not speech and lo <= m.span.start and m.span.end <= hi and tok.dep_ not in ("poss", "amod"):
            fallback = m
    return fallback


def _pieces(doc: Doc, text: str) -> Iterator[SpacySpan]:
    """Sentences, split again at paragraph breaks (a headline without a full stop joins the next
    paragraph's sentence in the parser's eyes)."""
    for sent in doc.sents:
        if "\n\n" not in text[sent.start_char:sent.end_char].strip():
            yield sent
            continue
        start = sent.start
        for tok in sent:
            if tok.is_space and tok.text.count("\n") >= 2:
                if tok.i > start:
                    yield doc[start:tok.i]
                start = tok.i + 1
        if start < sent.end:
            yield doc[start:sent.end]


def extract_events(
    doc: Doc,
    mentions: Sequence[Mention] = (),
    dates: Sequence[TimeExpr] = (),
    published: str | None = None,
) -> tuple[Event, ...]:
    """Dated event records (who did what to whom, when, where) of one article's cleaned-text Doc."""
    index = _MentionIndex(mentions)
    dates = DateIndex(dates)  # each sentence looks up its own dates
    text = doc.text
    out: list[Event] = []
    for sent in _pieces(doc, text):
        if len(sent) < 3 or text[sent.start_char:sent.end_char].rstrip(" \"'”’)").endswith("?"):
            continue  # questions are not events
        sent_mentions = index.within(sent.start_char, sent.end_char)
        seen: set[int] = set()
        sent_dates = _sentence_dates(doc, text, sent, dates)
        found: list[Event] = []
        for trig in _triggers(sent):
            if trig.verb.i in seen or not sent.start <= trig.verb.i < sent.end:
                continue  # a piece of a sentence cut at a paragraph break: its root may lie in another piece
            ev = _event(doc, text, sent, trig, sent_mentions, sent_dates)
            if ev is not None:
                seen.add(trig.verb.i)
                found.append(ev)
        found.sort(key=lambda e: e.trigger.start)
        out.extend(found)
    return tuple(out)


def _event(doc: Doc, text: str, sent: SpacySpan, trigger: _Trigger, sent_mentions: list[Mention],
           sent_dates: list[tuple[TimeExpr, Token]]) -> Event | None:
    trig, holder = trigger.verb, trigger.holder
    action = trig.lemma_.lower()
    verbal = trig.pos_ == "VERB" or (trig != holder and trig.dep_ == "pobj")
    if not verbal or action in _LIGHT_VERBS or not action.isalpha():
        return None
    if action in SPEECH_VERBS and not trigger.speech:
        return None
    when = _when(sent, trigger, sent_dates)
    if when is None and trigger.needs_date:
        return None
    actor_tok: Token | None = None
    target_tok: Token | None = None
    passive = False
    for c in list(holder.children) + (list(trig.children) if trig != holder else []):
        if c.dep_ == "nsubj" and actor_tok is None:
            actor_tok = c
        elif c.dep_ == "nsubjpass" and target_tok is None:
            if holder != trig and c.head == holder and not any(g.dep_ == "auxpass" for g in trig.children):
                actor_tok = c  # "Maduro is scheduled to travel": the subject travels
            else:
                target_tok = c
                passive = True
    for c in trig.children:
        if c.dep_ == "agent":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                actor_tok = pobj
                passive = True
        elif c.dep_ in ("dobj", "obj") and target_tok is None and not passive:
            target_tok = c
    if holder.dep_ == "acl" and target_tok is None:
        target_tok = holder.head  # "the deadline set by Osterlund on Monday"
    if holder.dep_ == "relcl":  # "the zone, which Valcu announced": the relative pronoun is the head noun
        if actor_tok is not None and actor_tok.tag_ in ("WDT", "WP"):
            actor_tok = holder.head
        if target_tok is not None and target_tok.tag_ in ("WDT", "WP"):
            target_tok = holder.head
    if actor_tok is not None and actor_tok.tag_ in ("WDT", "WP", "EX"):
        actor_tok = None
    if target_tok is not None and target_tok.tag_ in ("WDT", "WP", "EX"):
        target_tok = None
    if actor_tok is not None and not sent.start <= actor_tok.i < sent.end:
        actor_tok = None  # across a paragraph break: a headline's word is no party
    if target_tok is not None and not sent.start <= target_tok.i < sent.end:
        target_tok = None
    for _t, dtok in sent_dates:  # "11:00 am - Police receive ...": a date is no party
        if actor_tok is not None and actor_tok == dtok:
            actor_tok = None
        if target_tok is not None and target_tok == dtok:
            target_tok = None
    actor = target = None
    actor_span = target_span = None
    if actor_tok is not None:
        actor, actor_span = _argument(doc, text, actor_tok, sent_mentions)
    if target_tok is not None:
        target, target_span = _argument(doc, text, target_tok, sent_mentions)
    if when is None:
        m = _mention_of(actor_tok, sent_mentions) if actor_tok is not None else None
        named = m is not None and m.kind == "name" and m.label in ("PERSON", "ORG", "PLACE")
        if not (named and action in EVENT_KINDS):
            return None
    used = [s for s in (actor_span, target_span) if s is not None]
    place = _where(doc, trig, sent_mentions, used, trigger.speech)
    negated = any(c.dep_ == "neg" for c in trig.children) or (
        holder != trig and any(c.dep_ == "neg" for c in holder.children))
    when_value = when_precision = None
    if when is not None:
        when_value, when_precision = when.value, when.precision
        if m := _PART_OF_DAY.match(when_value):  # "Sunday night": the day is what a timeline can place
            when_value, when_precision = m.group(1), "day"
        elif m := _WEEKEND.match(when_value):  # "last weekend": 2025-W47-WE -> the week
            when_value, when_precision = m.group(1), "week"
    return Event(
        sentence=Span(sent.start_char, sent.end_char, sent.text),
        trigger=Span(trig.idx, trig.idx + len(trig.text), trig.text),
        action=action,
        actor=actor,
        actor_span=actor_span,
        target=target,
        target_span=target_span,
        when=when_value,
        when_precision=when_precision,
        when_span=when.span if when is not None else None,
        where=place.key if place is not None else None,
        where_span=place.span if place is not None else None,
        negated=negated,
    )
