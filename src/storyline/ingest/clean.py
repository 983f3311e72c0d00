"""Cleaning: drop page furniture, repair mojibake and normalise whitespace, keeping a character map.

``clean(article)`` turns ``Article.text`` into ``CleanArticle.text``, the text every NLP stage
reads.  Every character of the cleaned text keeps its provenance (``storyline.ingest.spans.TextBuilder``),
so any span of the cleaned text maps back to the exact characters of the original.

Steps, per line of the original (a "line" is what lies between two line breaks):

1. page furniture is dropped and listed as a ``RemovedLine`` (offsets into the original) with a
   short reason from ``REASONS`` (see ``furniture_reason``, which judges one line alone); in context,
   ``clean`` also drops runs of one-word-per-line menu entries ("navigation") and the second and
   later copies of a line ("repeated header"), but never the tail of a hard-wrapped sentence
   ("... according to" / "Reuters.");
2. mojibake is repaired with ftfy (only on lines that look like they need it: ftfy is slow;
   curly quotes are left as they are; a line over 600 characters in pieces of about 200, so that
   cleaning stays linear in the length of the text);
3. zero-width and control characters are removed, runs of white space become one space and
   line ends are stripped;
4. kept lines are joined: paragraphs (separated by a blank line in the original, or lines over
   100 characters separated by a single newline) with ``"\n\n"``; the lines of one hard-wrapped
   paragraph with a space, except list items and headings, which keep their own line (``"\n"``).

Separators have no original characters (``TextBuilder.insert``, zero width at the end of the
previous line).
"""

from __future__ import annotations

import re
from functools import lru_cache

import ftfy

from storyline.ingest.spans import TextBuilder
from storyline.records import Article, CleanArticle, RemovedLine

__all__ = ["clean", "furniture_reason", "furniture_share", "REASONS"]

# The reasons ``furniture_reason`` and ``clean`` give.
REASONS = (
    "widget",
    "share/subscribe",
    "advertisement",
    "navigation",
    "source credit",
    "byline",
    "timestamp",
    "image credit",
    "copyright",
    "tags",
    "decoration",
    "repeated header",
)

# --------------------------------------------------------------------------- character classes

# Invisible characters removed outright: zero-width, bidi controls, soft hyphen, BOM, C0/C1 controls.
_INVISIBLE = (
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb"
)
# Characters that count as white space (collapsed to one space).
_SPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_ANY = f"[{_SPACE}{_INVISIBLE}]"
_NOT_PLAIN = f"[{_SPACE.replace(' ', '')}{_INVISIBLE}]"  # every "any" character but the plain space
# A run of white/invisible characters that is not simply one plain space.
_ODD_RUN = re.compile(f" *{_NOT_PLAIN}{_ANY}*| {{2,}}")
_HAS_SPACE = re.compile(f"[{_SPACE}]")
_LEAD = re.compile(f"{_ANY}*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Lines worth handing to ftfy: UTF-8 read as cp1252/latin-1 (a lead byte followed by a
# continuation byte), HTML entities, ligatures, full-width forms, combining marks, C1 controls.
_NEEDS_FTFY = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});"
    "|[\u0300-\u036f\ufb00-\ufb06\uff01-\uff5e\u0080-\u009f]"
)
_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False)

# --------------------------------------------------------------------------- furniture patterns

_I = re.IGNORECASE
_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|reddit|pinterest|telegram|messenger|bluesky|"
    r"threads|instagram|tiktok|youtube|flipboard|mastodon|google news|apple news|snapchat|sms)"
)
_AGENCY = (
    r"(?:AP|AFP|Reuters|Bloomberg|UPI|dpa|DPA|Xinhua|PA|PA Media|ANI|IANS|PTI|TASS|Tass|EFE|ANSA|Kyodo|"
    r"Yonhap|CNN|BBC|NYT|AAP|CP|The Canadian Press|Associated Press|The Associated Press|"
    r"Agence France-Presse|Agence France Presse|Reuters staff|agencies|Agencies|wire services|"
    r"news services|Wire Service|wire reports)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?"
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,4}|GMT[+-]?\d*|UTC[+-]?\d*))?"
_DATE = (
    rf"(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}(?:T[\d:]+Z?)?|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
)
_AGO = r"\d+\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago"
_DATETIME = rf"(?:{_DATE}(?:,?\s*(?:at\s+)?{_CLOCK})?|{_CLOCK}(?:,?\s*{_DATE})?|{_AGO}|yesterday|today)"

# (reason, pattern, longest line it may match).  Patterns are matched with ``fullmatch`` on the
# line with its white space collapsed.
_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = tuple(
    (reason, re.compile(pattern, flags), limit)
    for reason, pattern, flags, limit in (
        # ---- widgets and calls to action
        (
            "widget",
            r"(?i:ask) (?:(?i:copilot|gemini|chatgpt|claude|perplexity|grok|meta ai|alexa|siri|ai|the ai|"
            r"our ai|an expert)|[A-Z][\w.-]*(?: AI)?)(?i: (?:about|on) (?:this|it)(?: (?:article|story|page|post|"
            r"topic))?)?\s*[.?!:]?",
            0,
            80,
        ),
        (
            "widget",
            r"(?:related|more|recommended|popular|trending|latest|top|further|suggested|similar)"
            r"(?: (?:posts?|articles?|stories|story|coverage|content|links?|news|reading|videos?|topics?|"
            r"for you|from [\w .'-]{1,30}|on this (?:story|topic)|in [\w ]{1,20}|headlines|now))*\s*[:.]?",
            _I,
            50,
        ),
        (
            "widget",
            r"(?:you (?:may|might) (?:also )?(?:like|be interested in|have missed)|don'?t miss|most (?:read|"
            r"popular|viewed|shared|watched)|read next|up next|what to read next|editor'?s picks?|"
            r"in (?:other|case you missed it)(?: news)?|more from (?:the )?[\w .'-]{1,30})\s*[:.!]?",
            _I,
            60,
        ),
        (
            "widget",
            r"(?:continue reading|keep reading|read (?:more|the full (?:story|article)|full (?:story|article)"
            r"|the rest))(?:\s*(?:[:>»›…]|\.\.\.|about\b|here\b|at\b|on\b|below\b|the main story\b).*)?",
            _I,
            160,
        ),
        (
            "widget",
            r"report (?:a|an|this) (?:problem|error|typo|bug|issue|ad|comment|correction|mistake|inaccuracy)"
            r"(?: (?:with|on|in) this (?:page|article|story))?\s*[.:]?",
            _I,
            70,
        ),
        ("widget", r"help us improve\b.*", _I, 120),
        (
            "widget",
            r"(?:was this (?:article |page |story |information |answer )?(?:helpful|useful)\??"
            r"(?:\s*(?:yes|no)){0,2}|(?:thanks?(?: you)? for (?:your )?(?:feedback|rating|submission|"
            r"reading)|give (?:us )?feedback|send feedback|feedback)\s*[.!]?|yes\s*/?\s*no)",
            _I,
            80,
        ),
        (
            "widget",
            r"(?:click|tap|press) here\b.*",
            _I,
            160,
        ),
        (
            "widget",
            r"(?:listen to (?:this|the) (?:article|story|podcast)|listen(?: now)?|audio(?: version)?|"
            r"play(?: video| audio)?|watch(?: now| video| live)?|pause|mute|unmute|jump media player|"
            r"media player help|skip (?:to (?:main )?content|navigation|ad|advertisement))"
            r"(?:\s*[:·|,–-]?\s*(?:\d+:\d{2}(?:\s*min(?:ute)?s?)?|\d+\s*min(?:ute)?s?))?\s*[.!]?",
            _I,
            80,
        ),
        ("widget", r"\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2}", 0, 16),
        (
            "widget",
            r"(?:related|see also|also read|also see|more|watch|in pictures)\s*:\s*.{1,140}|"
            r"(?:full story|full coverage|complete coverage(?: of .{1,60})?|on this (?:story|topic)|more maps|"
            r"more (?:photos|videos|galleries)|follow (?:the|our) (?:latest|live)\b.{0,60}|"
            r"live: follow .{1,60}|(?:photo|image|video|clip|audio|graphic)s?|"
            r"out of media player\b.{0,80}|press enter to .{0,80})",
            _I,
            160,
        ),
        ("widget", r"(?:video|listen|gallery|photos)\s*:\s*(?-i:[A-Z]).{1,120}", _I, 140),
        ("widget", r"(?:.{0,40}[·|•,]\s*)?\d+\s*(?:-\s*)?min(?:ute)?s?\.? read(?:\s*[·|•,].{0,40})?", _I, 90),
        (
            "widget",
            r"(?:\d+\s+|view |show |hide |read |load more |see all |post an? |leave an? |add an? |write an? )?"
            r"comments?(?:\s*\(\d+\))?|join the (?:conversation|discussion|debate)|"
            r"comments? (?:are|have been) (?:closed|disabled|turned off)[^.]{0,40}\.?",
            _I,
            60,
        ),
        ("widget", r"(?:loading|please wait|refreshing)\s*(?:\.{0,3}|…)", _I, 20),
        ("widget", r"(?:gallery|photos?|images|pictures|slideshow|video)\s*[|:·-]?\s*\d+\s*"
         r"(?:photos|images|pictures|videos|slides)?|\+?\s*see all \d+(?: photos)?", _I, 40),
        (
            "widget",
            r"(?:back (?:up )?to (?:the )?(?:top|list|index|home(?:page)?|contents)\b.{0,40}|"
            r"(?:next|previous|prev) (?:article|story|page|post|slide|image)\s*[>»›]?|print(?: this (?:page|article))?|"
            r"(?:menu|search|close|open|expand|collapse|toggle navigation|skip to content|sections|more)\s*[×✕]?)",
            _I,
            60,
        ),
        # ---- share / subscribe / follow
        (
            "share/subscribe",
            r"(?:subscribe|sign up|sign-up|signup|sign in|log in|login|log out|register|join(?: now)?|"
            r"get (?:the|our) (?:newsletter|app|briefing))"
            r"(?:\s*(?:now|today|here|free|for free|for ?free)\b)?\s*[.!:]?",
            _I,
            40,
        ),
        (
            "share/subscribe",
            r"(?:(?:subscribe|sign up|sign-up|signup|register|enter your email|newsletter)\b"
            r"(?=.{0,120}\b(?:newsletters?|inbox|e-?mails?|alerts|updates|briefings?|digest|our|"
            r"unlimited access|free trial|subscribers?|subscription|notifications?|to continue|for free|"
            r"free account)\b)|get (?:the latest|our|the best of|unlimited|full access|breaking news|"
            r"news alerts|email alerts|the newsletter)\b).{0,150}",
            _I,
            160,
        ),
        (
            "share/subscribe",
            rf"(?:follow(?: us| @[\w.]+| [\w .&'-]{{1,40}}?)?|like us|find us|join us) on {_SOCIAL}\b.{{0,80}}|"
            rf"follow (?:us|@[\w.]+)\b.{{0,60}}",
            _I,
            120,
        ),
        (
            "widget",
            r"(?:(?:subscribe|sign in|sign up|log in|login|log out|register|menu|search|print|email|share|"
            r"save|comments?|close|account|my account|profile|settings|help|more|home|skip)(?:\s*[|·•/,]\s*|\s+)?){2,8}",
            _I,
            80,
        ),
        # ---- advertisements
        (
            "advertisement",
            r"(?:advertisement|advertising|advert|ad|ads|sponsored(?: content| links?| post| by .{1,40})?|"
            r"paid (?:content|post|partnership)|promoted(?: content| stories)?|partner content|"
            r"(?:story|article|text) continues (?:below|after)(?: (?:this|the))?(?: advert(?:isement)?| ad)?|"
            r"continues? (?:below|after) (?:the |this )?(?:advert(?:isement)?|ad)|skip advert(?:isement)?|"
            r"remove ads|ad feedback|close ad|report this ad)\s*[.:]?",
            _I,
            70,
        ),
        # ---- copyright
        (
            "copyright",
            r"(?:copyright\s*(?:©|\(c\))?\s*(?:\d{4}|by\b)|©|\(c\)\s*\d{4}).{0,200}|"
            r".{0,200}\ball rights reserved\b.{0,120}|"
            r"this (?:material|article|content) may not be (?:published|reproduced|copied)\b.{0,200}",
            _I,
            300,
        ),
        # ---- tags
        (
            "tags",
            r"(?:tags|tagged|topics|related topics|filed under|categories|category|keywords|more on|explore)"
            r"\s*(?::|-|–|—|›|»).{0,300}|(?:tags|topics|related topics|explore more)",
            _I,
            320,
        ),
        # ---- assistant disclaimers ("Orbit AI can make mistakes. Check important information.")
        (
            "widget",
            r"(?:(?:(?-i:[A-Z])[\w.’'-]*\s){0,3}(?:AI|assistant|chatbot|copilot)s?(?: answers| responses)? "
            r"(?:can|may|might) (?:make mistakes|be (?:inaccurate|wrong))|(?:(?:this|the) )?(?:summary|answer|"
            r"response|overview|explainer)s? (?:was |were |is |are )?(?:generated|written|created|produced) "
            r"(?:by|with|using) (?:AI|artificial intelligence|an AI)\b[^.]{0,40})(?:\.\s*[^.]{0,60}\.?)?",
            _I,
            160,
        ),
        # ---- source credits standing alone
        ("source credit", rf"\(\s*{_AGENCY}(?:\s*[/,&]\s*{_AGENCY})*\s*\)\.?", 0, 60),
        ("source credit", r"\(\s*[A-Z][A-Za-z]{1,5}\s*\)\.?", 0, 10),  # "(HWS)": a wire's initials alone
        (
            "source credit",
            r"[—–]+\s*(?:[A-Z][\w&.'’-]*)(?:\s+(?:[A-Z][\w&.'’-]*|of|the|and|for|de)){0,5}\s*\.?",
            0,
            60,
        ),
        (
            "source credit",
            r"\((?i:(?:additional )?(?:reporting|writing|editing|research|compiled|edited|written|translated)"
            r"(?: and [a-z]+)? by) [^()]{2,200}\)\.?",
            0,
            240,
        ),
        (
            "source credit",
            rf"(?:[—–-]+\s*)?(?:with |and |from |via )?{_AGENCY}(?:\s*(?:[/,&]|and|with)\s*{_AGENCY})*\.?",
            0,
            60,
        ),
        (
            "source credit",
            r"(?:(?-i:[A-Z])[\w&.'-]*\s+){0,4}(?:staff(?: and agencies| and wires| writers?| reporters?| report)?|"
            r"and agencies|with agencies|agencies contributed)\s*\.?",
            _I,
            60,
        ),
        (
            "source credit",
            r"(?:sources?|credits?)\s*:\s*(?:(?-i:[A-Z])[\w.'’-]*)(?:(?:\s*[,/;&]\s*|\s+)"
            r"(?:(?-i:[A-Z])[\w.'’-]*|of|the|and|for))*\.?|"
            r"(?:via|courtesy(?: of)?|distributed by|syndicated by|"
            r"originally published (?:by|in|at|on))\s+(?-i:[A-Z])\S*(?:\s+\S+){0,6}",
            _I,
            110,
        ),
        (
            "source credit",
            r"[Aa]ccording to (?:the )?(?:[A-Z][\w.&'’-]*)(?:\s+(?:[A-Z&][\w.&'’-]*|of|de|du|la|le|the|and)){0,5}\s*\.?",
            0,
            70,
        ),
        (
            "source credit",
            r"(?:[A-Z][\w'’&-]*\s){0,3}[A-Za-z][\w'’&-]*\.(?:com|fr|co\.uk|net|org|de|it|es|in|ru|cn|jp|au|ca|"
            r"io|news|info|tv|eu|ie|nz|za|be|nl|ch|at|com\.au|co\.nz|co\.za|co\.in)\s*[>»›/]?",
            0,
            45,
        ),
        (
            "source credit",
            r"(?i:(?:additional |with )?(?:reporting|writing|editing|research|graphics|production|compiled|"
            r"edited|written|translated|fact-checking)(?: and [a-z]+)? by) [A-Z][^.]{0,200}\.?",
            0,
            240,
        ),
        (
            "source credit",
            r"[A-Z][\w .,'’&-]{0,160} contributed (?:(?:additional )?reporting |research )?(?:to|for) this "
            r"(?:report|story|article)\.?|[Tt]his (?:story|article) (?:was|has been) (?:updated|corrected|"
            r"produced|written|originally published|first published)\b.{0,160}",
            0,
            220,
        ),
        # ---- image credits and captions
        (
            "image credit",
            r"(?:(?:photo|photograph|image|picture|video|illustration|graphic|photo illustration|credit|"
            r"photos|images|pictures|illustrations|photography)(?: credits?)?\s*(?::|©|\|)|"
            r"(?:photos?|photographs?|images?|pictures?|illustrations?) by (?-i:[A-Z])|"
            r"image (?:copyright|caption)\b|media caption\b|caption\s*:|©\s*\w).{0,200}",
            _I,
            220,
        ),
        (
            "image credit",
            r"[^\w\s]?\(?\s*(?:\w[\w .'-]{0,40}/\s*)?(?:getty images|afp(?: via getty images)?|ap photo(?:/[\w .'-]{1,40})?|"
            r"reuters(?:/[\w .'-]{1,40})?|epa(?:-efe)?(?:/[\w .'-]{1,40})?|shutterstock|alamy|"
            r"pa (?:media|images|wire)|[\w .'-]{1,40} via getty images)\s*\)?\.?",
            _I,
            80,
        ),
        (
            "image credit",
            r".{10,300}?\s(?:\((?:photo|image|picture|credit|pictured)[^()]{0,80}\)|"
            r"(?:Photograph|Photo|Image|Picture|Illustration|Credit)s?\s*:\s*[A-Z][^.\d]{1,80}|"
            r"Credit\s+[A-Z][^.\d/]{1,60}/\s*[A-Z][^.\d]{1,60}|"
            r"\(?(?:[A-Z][\w.'-]*\s){0,3}[A-Z][\w.'-]*\s*/\s*(?i:getty images|afp|reuters|ap|epa|shutterstock)"
            r"(?: via getty images)?\)?|(?:REUTERS|AFP|EPA|AP)/[A-Z][\w.' -]{1,40}\)?)\.?",
            0,
            400,
        ),
        # ---- timestamps standing alone
        (
            "timestamp",
            rf"(?:(?:published|updated|posted|last updated|first published|last modified|modified|"
            rf"created|date)\s*(?:on|at)?\s*[:|-]?\s*{_DATETIME}|{_AGO})(?:\s*[|·•,;]?\s*(?:(?:updated|last updated)"
            rf"\s*(?:on|at)?\s*[:|-]?\s*)?{_DATETIME})?\s*\.?",
            _I,
            90,
        ),
        # ---- decoration: lines without a letter or digit
        ("decoration", r"[^\w]{1,40}", 0, 40),
    )
)

_NAV_TEXT = """
    home news world politics business tech technology science health sport sports entertainment culture
    arts opinion opinions lifestyle life travel video videos podcast podcasts live latest weather markets
    money climate us u.s. uk europe asia africa americas america middle east australia local national
    international education food style fashion books music film films tv television more menu search
    sections subscribe login newsletters newsletter games puzzles crossword obituaries magazine
    environment economy finance estate cars autos jobs photos gallery shop deals reviews features
    analysis investigations editorials letters columnists trending stories breaking contact about
    advertise careers privacy terms help faq archive rss corrections audio watch listen
    science-environment entertainment-arts uk-politics india china russia ukraine france germany
    latin latam canada mexico asia-pacific pacific australia-nz region regions cities city
    nation metro state states top home-page homepage epaper e-paper
    wellness wellbeing family parenting housing property crime justice law courts defence defense
    security military elections election war royals celebrity celebrities media
"""
_NAV_WORDS = frozenset(_NAV_TEXT.split())
_NAV_SEPARATORS = re.compile(r"\s*(?:\||>|»|›|·|•|::|→)\s*")
# one menu item's word in Title Case, a domain name, a name in a byline: patterns that judge a word already
# split off at white space, not tokenizers of running text (those come from storyline.text)
_TITLE_WORD = re.compile(r"(?:[A-Z0-9][\w.&'’-]*|&|and|of|the|in|de|for|on|a)$")
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|co\.uk|org|net|fr|de|it|es|news|tv|eu|ie|au|ca|in)")
_BYLINE = re.compile(r"(?:By|BY|by:|By:)\s+(.{2,120})")
_BYLINE_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\||;|\bin\b|\bfor\b|[—–-])\s*")
_NAME_WORD = re.compile(
    r"(?:[A-Z][\w.'’-]*|de|da|del|della|van|von|der|den|al|el|bin|ibn|la|le|du|dos|das|y|staff|"
    r"reporter|correspondent|writer|editor|news|senior|chief|political|foreign)$"
)
_COOKIE = re.compile(r"\bcookies?\b", _I)
_COOKIE_START = re.compile(r"(?:we|this (?:web)?site|our (?:web)?site|this page) (?:uses?|is using) cookies\b", _I)
_COOKIE_UI = re.compile(
    r"\b(?:accept(?: all)?|agree|consent|manage|settings|preferences|policy|continu(?:e|ing) to (?:use|browse))\b",
    _I,
)
_YOU_WE = re.compile(r"\b(?:we|our|you|your)\b", _I)
_LIST_ITEM = re.compile(r"(?:[-*•●▪◦‣–—+]|\d{1,3}[.)]|[a-zA-Z][.)]|\(\w{1,3}\))\s")
_HEADING_MARK = re.compile(r"#{1,6}\s")
_SENTENCE_END = re.compile(r"[.!?:;,…\"'”’)\]]$")
_SPACES = re.compile(r"\s+")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]+")


def _collapse(line: str) -> str:
    """The line with invisible characters removed, white space collapsed and ends stripped."""
    return _SPACES.sub(" ", _INVISIBLE_RE.sub("", line)).strip()


def _navigation(line: str) -> bool:
    """A short line made only of menu words, or a breadcrumb "Home > World > Americas"."""
    if len(line) > 150:
        return False
    items = _NAV_SEPARATORS.split(line)
    if len(items) >= 2:  # separated items: each short, capitalised (or a menu word or a domain)
        nonempty = [item for item in items if item]
        if len(nonempty) < 2 and not (nonempty and items[-1] == ""):
            return False
        for item in nonempty:
            if _DOMAIN.fullmatch(item):
                continue
            item_words = item.split()
            if len(item_words) > 4 or len(item) > 32 or any(c in item for c in "0123456789.!?,;:\"“”()"):
                return False
            if not all(_TITLE_WORD.match(w) or w.lower() in _NAV_WORDS for w in item_words):
                return False
        return True
    # No separators: at least three words, each a capitalised menu word.
    words = line.split()
    return 3 <= len(words) <= 14 and all(w[:1].isupper() and w.lower() in _NAV_WORDS for w in words)


def _wordlist(text: str) -> frozenset[str]:
    """A hand-written list of words (not running text) as a set."""
    return frozenset(text.split())


_SHARE_FIRST = _wordlist("share sharing tweet email e-mail copy save print pin like")
_SHARE_WORDS = _SHARE_FIRST | _wordlist(
    """this the article story page post video link url on via to with by comment comments facebook twitter
    x linkedin whatsapp reddit pinterest telegram messenger bluesky threads instagram tiktok youtube
    flipboard mastodon google apple news snapchat sms options tools"""
)
_SHARE_SPLIT = re.compile(r"[\s,|/·•:.!]+")


def _share_buttons(line: str) -> bool:
    """A row of share buttons: "Share this article", "Share on Facebook | Twitter | Email"."""
    words = [w for w in _SHARE_SPLIT.split(line.lower()) if w]
    return 0 < len(words) <= 25 and words[0] in _SHARE_FIRST and all(w in _SHARE_WORDS for w in words)


def _cookie_banner(line: str) -> bool:
    if not _COOKIE.search(line):
        return False
    if _COOKIE_START.match(line):
        return True
    return bool(_COOKIE_UI.search(line) and _YOU_WE.search(line))


def _byline(line: str) -> bool:
    """ "By Jane Doe", "By Jane Doe and John Roe, Reuters", "BY JANE DOE | Staff writer"."""
    m = _BYLINE.fullmatch(line)
    if m is None or len(line) > 130:
        return False
    rest = m.group(1).rstrip(" .")
    pieces = [p for p in _BYLINE_SPLIT.split(rest) if p]
    if not pieces or len(pieces) > 8:
        return False
    for piece in pieces:
        words = piece.split()
        if not 1 <= len(words) <= 5:
            return False
        if not all(_NAME_WORD.match(w) for w in words):
            return False
    # A person's name has at least two words somewhere ("By Tuesday" is not a byline).
    return any(len(p.split()) >= 2 for p in pieces)


def _reason_of_collapsed(line: str) -> str | None:
    if not line:
        return None
    if len(line) <= 160:  # furniture lines are short and repeat across pages: cache them
        return _reason_cached(line)
    return _reason_uncached(line)


@lru_cache(maxsize=16384)
def _reason_cached(line: str) -> str | None:
    return _reason_uncached(line)


def _reason_uncached(line: str) -> str | None:
    n = len(line)
    for reason, pattern, limit in _RULES:
        if n <= limit and pattern.fullmatch(line):
            return reason
    if n <= 160 and _share_buttons(line):
        return "share/subscribe"
    if n <= 150 and _navigation(line):
        return "navigation"
    if n <= 600 and _cookie_banner(line):
        return "widget"
    if n <= 130 and _byline(line):
        return "byline"
    return None


def furniture_reason(line: str) -> str | None:
    """Why a single line is page furniture ("widget", "navigation", "source credit", ...), or None.

    Patterns are anchored to the whole line and limited in length: a sentence that merely
    contains "share", "ask" or "report" is content.
    """
    return _reason_of_collapsed(_collapse(line))


def _is_list_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line))


_FUNCTION_TEXT = (
    "a an the of on in to for with by at from and or but as that which who than its his her their our "
    "was is are were be been has have had will would said says"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())


def _is_heading(line: str, nxt: str, width: int) -> bool:
    """A line that ends its own unit: a "# heading", or a short line without final punctuation
    (title-cased, or clearly shorter than the block's lines) followed by one that starts a sentence."""
    if _HEADING_MARK.match(line):
        return True
    if len(line) > 90 or _SENTENCE_END.search(line):
        return False
    first = nxt[:1]
    if not (first.isupper() or first.isdigit() or first in "\"“‘'(["):
        return False
    words = line.split()
    if words[-1].lower() in _FUNCTION_WORDS:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return capitalised * 2 >= len(words) or len(line) <= 0.6 * width


# --------------------------------------------------------------------------- cleaning


# ftfy and the alignment of its output (difflib) grow faster than the length of what they are given (a
# 4,000-character line full of mojibake took 3 s, 25,000 characters more than 15 minutes): a line over
# ``_FTFY_LINE`` that needs them is repaired piece by piece, cut at white space after an ASCII character
# (never inside a mojibake sequence).  On real text the pieces give the same text and map as the whole line.
_FTFY_LINE = 600
_FTFY_PIECE = 200
_RUN = re.compile(f"{_ANY}+")
_PLAIN_PAIR = re.compile(f"(?<!{_ANY})(?!{_ANY})")  # between two characters neither white nor invisible


def _emit_line(builder: TextBuilder, text: str, start: int, end: int) -> None:
    """Emit original[start:end] (already stripped) with mojibake repaired and white space normalised."""
    if end - start > _FTFY_LINE and _NEEDS_FTFY.search(text, start, end):
        _emit_pieces(builder, text, start, end)
    else:
        _emit_piece(builder, text, start, end)


def _emit_pieces(builder: TextBuilder, text: str, start: int, end: int) -> None:
    """``_emit_piece`` on pieces of about ``_FTFY_PIECE`` characters, the white space between them normalised."""
    pos = start
    while end - pos > 2 * _FTFY_PIECE:
        cut = _cut(text, pos + _FTFY_PIECE, pos + 2 * _FTFY_PIECE, end)
        if cut is None:  # pragma: no cover - only white space alternating with invisible characters
            break
        _emit_piece(builder, text, pos, cut[0])
        _emit_spaces(builder, text, cut[0], cut[1])
        pos = cut[1]
    _emit_piece(builder, text, pos, end)


def _cut(text: str, lo: int, hi: int, end: int) -> tuple[int, int] | None:
    """Where to cut text[lo:hi] (a line ending at ``end``): (start, end) of what lies between the pieces.

    A whole run of white space after an ASCII character, else the point between two plain characters
    that splits no sequence ftfy would repair, else a whole run of white space after any other character."""
    runs = [m.start() for m in _RUN.finditer(text, lo, hi) if not _RUN.match(text[m.start() - 1])]
    for r in runs:
        if text[r - 1] < "\x80":
            return r, _RUN.match(text, r, end).end()
    for m in _PLAIN_PAIR.finditer(text, lo, hi + 1):
        c = m.start()
        if c <= hi and not any(f.start() < c < f.end() for f in _NEEDS_FTFY.finditer(text, c - 12, c + 12)):
            return c, c
    return (runs[0], _RUN.match(text, runs[0], end).end()) if runs else None


def _emit_piece(builder: TextBuilder, text: str, start: int, end: int) -> None:
    segment = text[start:end]
    if _NEEDS_FTFY.search(segment):
        fixed = ftfy.fix_text(segment, config=_FTFY_CONFIG)
        if fixed != segment:
            new = _collapse(fixed)
            # Align the unchanged head and tail exactly; difflib only for the changed middle.
            p = 0
            limit = min(len(segment), len(new))
            while p < limit and segment[p] == new[p]:
                p += 1
            q = 0
            while q < limit - p and segment[-1 - q] == new[-1 - q]:
                q += 1
            builder.keep(start, start + p)
            builder.replace(start + p, end - q, new[p : len(new) - q])
            builder.keep(end - q, end)
            return
    _emit_spaces(builder, text, start, end)


def _emit_spaces(builder: TextBuilder, text: str, start: int, end: int) -> None:
    """Emit original[start:end] with each run of white space made one space and invisible characters removed."""
    pos = start
    for m in _ODD_RUN.finditer(text, start, end):
        s, e = m.span()
        builder.keep(pos, s)
        run = text[s:e]
        if _HAS_SPACE.search(run):
            i = run.find(" ")
            if i >= 0:
                builder.keep(s + i, s + i + 1)
            else:
                builder.replace(s, e, " ")
        pos = e
    builder.keep(pos, end)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its line break, stripped of white and invisible characters."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        m = _LINE_BREAK.search(text, pos)
        end = m.start() if m else n
        s = _LEAD.match(text, pos, end).end()
        e = end
        while e > s and (text[e - 1].isspace() or _INVISIBLE_RE.match(text[e - 1])):
            e -= 1
        out.append((s, e))
        if m is None:
            break
        pos = m.end()
    return out


def _continues(prev: str, line: str) -> bool:
    """Whether ``line`` continues the sentence of ``prev`` in a hard-wrapped paragraph."""
    if len(prev) < 40 or _SENTENCE_END.search(prev) and not prev.endswith(","):
        return False
    return prev.endswith(",") or line[:1].islower() or prev.rsplit(" ", 1)[-1].lower() in _FUNCTION_WORDS


def _repeatable(line: str) -> bool:
    """Whether a second identical copy of this line is furniture (not a short time stamp, list item or word)."""
    if " " not in line or _is_list_item(line):
        return False
    return len(line) > 25 or not any(c.isdigit() for c in line)


def _menu_item(line: str) -> bool:
    """A short line that could be one entry of a menu laid out one entry per line."""
    return len(line) <= 32 and len(line.split()) <= 4 and not _MENU_BAD.search(line)


_TRAILING_PUNCT = re.compile(r"[\s.:!?;,]+$")
_MENU_BAD = re.compile(r"[0-9.,!?:;\"“”()]")
_MENU_FILLER = frozenset({"&", "and", "of", "the"})


def _menu_runs(block: list[tuple[int, int, str, str | None]]) -> set[int]:
    """Indices of lines in runs of at least three menu items, mostly menu words (one entry per line)."""
    out: set[int] = set()
    i = 0
    n = len(block)
    while i < n:
        j = i
        while j < n and block[j][3] is None and _menu_item(block[j][2]):
            j += 1
        if j - i >= 3:
            words = [w.lower() for _, _, c, _ in block[i:j] for w in c.split() if w.lower() not in _MENU_FILLER]
            if words and sum(w in _NAV_WORDS for w in words) >= 0.6 * len(words):
                out.update(range(i, j))
        i = max(j, i + 1)
    return out


def clean(article: Article) -> CleanArticle:
    """Remove page furniture, repair mojibake and normalise white space, keeping a character map."""
    text = article.text
    # Blocks of consecutive non-blank lines: (start, end, collapsed, reason or None).
    blocks: list[list[tuple[int, int, str, str | None]]] = [[]]
    for s, e in _lines(text):
        collapsed = _collapse(text[s:e]) if s < e else ""
        if not collapsed:
            if blocks[-1]:
                blocks.append([])
            continue
        reason = _reason_of_collapsed(collapsed)
        if reason is not None and blocks[-1] and _continues(blocks[-1][-1][2], collapsed):
            reason = None  # the tail of a hard-wrapped sentence ("according to" / "Reuters.")
        blocks[-1].append((s, e, collapsed, reason))

    removed: list[RemovedLine] = []
    seen: set[str] = set()
    outlet = _TRAILING_PUNCT.sub("", _collapse(article.outlet or "")).casefold()
    kept_blocks: list[list[tuple[int, int, str]]] = []
    for block in blocks:
        menu = _menu_runs(block) if len(block) >= 3 else set()
        kept: list[tuple[int, int, str]] = []
        for i, (s, e, collapsed, reason) in enumerate(block):
            if reason is None and i in menu:
                reason = "navigation"
            if reason is None:
                key = _TRAILING_PUNCT.sub("", collapsed).casefold()
                if key in seen and _repeatable(collapsed):
                    reason = "repeated header"
                elif outlet and key == outlet:
                    reason = "source credit"  # the outlet's name on a line of its own
                else:
                    seen.add(key)
            if reason is not None:
                removed.append(RemovedLine(s, e, text[s:e], reason))
            else:
                kept.append((s, e, collapsed))
        if kept:
            kept_blocks.append(kept)

    builder = TextBuilder(text)
    last = 0  # original end of the last line emitted: separators sit there, zero width
    for b, block in enumerate(kept_blocks):
        # Long lines separated by single newlines are paragraphs of their own.
        width = max(len(c) for _, _, c in block)
        wrapped = len(block) > 1 and width <= 100
        for i, (s, e, collapsed) in enumerate(block):
            if i == 0:
                if b:
                    builder.insert("\n\n", at=last)
            elif not wrapped:
                builder.insert("\n\n", at=last)
            else:
                prev = block[i - 1][2]
                if _is_list_item(collapsed) or _is_list_item(prev) or _is_heading(prev, collapsed, width):
                    builder.insert("\n", at=last)
                else:
                    builder.insert(" ", at=last)
            _emit_line(builder, text, s, e)
            last = e
    cleaned, offsets = builder.build()
    return CleanArticle(article=article, text=cleaned, offsets=offsets, removed=tuple(removed))


def furniture_share(clean: CleanArticle) -> float:
    """Share of the original characters removed as furniture (``RemovedLine`` spans), 0.0 to 1.0."""
    total = len(clean.article.text)
    if total == 0:
        return 0.0
    return min(1.0, sum(r.end - r.start for r in clean.removed) / total)
