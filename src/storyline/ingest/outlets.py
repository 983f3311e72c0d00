"""An outlet's name a reader can use: from a page's site name when it is a name, else from the URL's host.

Pages name their site in many ways, not all of them names: ``og:site_name`` is often right ("Reuters"),
but a page may carry a section label ("World", "Politics"), a link to the outlet's social page, a whole
headline (some JSON-LD blocks), or a site name with a tagline or section glued on ("World | Reuters").
:func:`clean_outlet` keeps a name and rejects the rest; :func:`host_outlet` makes a name from a URL's host
("www.reuters.com" -> "Reuters", "news.example.co.uk" -> "example.co.uk").  The reader layer
(:mod:`storyline.reader.names`) uses both for names stored before these rules.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

__all__ = ["SECTION_WORDS", "is_section_label", "clean_outlet", "host_outlet", "registered_domain"]

# words that make up a site's section or navigation labels ("World", "US News", "Business & Economy");
# a name made only of these is a section label, never an outlet
_SECTION_TEXT = """
    world news politics political business economy economics finance markets money us u.s. uk u.k. europe
    european asia africa americas america australia middle east latin international national local nation
    opinion opinions comment commentary analysis editorial editorials columns column letters blog blogs
    sport sports football soccer cricket tennis tech technology science health environment climate culture
    arts entertainment lifestyle life style travel food education weather video videos live latest breaking
    top stories story home homepage front page features feature magazine investigations investigation
    region regional metro city state states global defence defense security crime justice law courts
    elections election government policy media society religion world-news us-news uk-news and & of the
    today headlines newsroom articles article more
"""
SECTION_WORDS = frozenset(_SECTION_TEXT.split())
_SEPARATORS = re.compile(r"\s+[|–—:·•»/-]\s+|\s*[|–—·•»]\s*|:\s+")
_HEX_ID = re.compile(r"[0-9a-f]{10,}", re.IGNORECASE)
_URLISH = re.compile(r"^(?:https?://|www\.)|^[\w-]+(?:\.[\w-]+)+/|^[\w.-]+:\d+$", re.IGNORECASE)
_HOSTISH = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.IGNORECASE)
_WORD = re.compile(r"[\w.&'-]+")
MAX_WORDS = 7  # "The Times & The Sunday Times" is six; a longer one is a headline or a tagline
MAX_CHARS = 60

# the second level of a two-level public suffix ("co" in .co.uk), under a two-letter country code
_SECOND_LEVEL = frozenset(["co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go", "gob", "gv", "nic", "ltd",
                           "plc", "sch", "info", "biz", "nom", "web"])  # fmt: skip
# leading host labels that say how a page is served, not who publishes it
_SERVING = frozenset(["www", "www1", "www2", "www3", "m", "mobile", "amp", "edition", "en", "english", "news",
                      "beta", "web", "rss", "feeds", "feed", "uk", "us", "eu", "int", "intl", "international",
                      "articles", "archive", "blog", "blogs"])  # fmt: skip
# a few widely cited outlets whose domain is not their name; any other host reads as its domain
KNOWN_HOSTS = {
    "reuters.com": "Reuters", "apnews.com": "AP News", "ap.org": "Associated Press", "bbc.co.uk": "BBC News",
    "bbc.com": "BBC News", "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian", "wsj.com": "The Wall Street Journal", "ft.com": "Financial Times",
    "cnn.com": "CNN", "npr.org": "NPR", "aljazeera.com": "Al Jazeera", "bloomberg.com": "Bloomberg",
    "afp.com": "AFP", "france24.com": "France 24", "dw.com": "DW", "euronews.com": "Euronews",
    "economist.com": "The Economist", "politico.com": "Politico", "politico.eu": "Politico Europe",
    "axios.com": "Axios", "cbsnews.com": "CBS News", "nbcnews.com": "NBC News", "abcnews.go.com": "ABC News",
    "foxnews.com": "Fox News", "usatoday.com": "USA Today", "latimes.com": "Los Angeles Times",
    "independent.co.uk": "The Independent", "telegraph.co.uk": "The Telegraph", "thetimes.co.uk": "The Times",
    "abc.net.au": "ABC News (Australia)", "cbc.ca": "CBC News", "scmp.com": "South China Morning Post",
    "timesofindia.indiatimes.com": "The Times of India", "hindustantimes.com": "Hindustan Times",
    "kyivindependent.com": "The Kyiv Independent", "timesofisrael.com": "The Times of Israel",
    "rferl.org": "Radio Free Europe/Radio Liberty", "voanews.com": "Voice of America",
}  # fmt: skip


def is_section_label(name: str | None) -> bool:
    """True for a site's section or navigation label ("World", "US News", "Politics & Policy")."""
    words = _WORD.findall((name or "").casefold())
    return bool(words) and all(w.strip(".'-") in SECTION_WORDS or w in SECTION_WORDS for w in words)


def _is_name(part: str, title: str | None) -> bool:
    words = part.split()
    if not words or len(words) > MAX_WORDS or len(part) > MAX_CHARS:
        return False
    if _HEX_ID.fullmatch(part) or _URLISH.search(part) or part.startswith("@") or is_section_label(part):
        return False
    if not any(ch.isalpha() for ch in part):
        return False
    return not (title and part.casefold() == " ".join(title.split()).casefold())


def clean_outlet(name: str | None, title: str | None = None) -> str | None:
    """A site name as an outlet's name, or None when it is no name: a section label, a URL, a hash, a
    headline (longer than seven words, or the page's own ``title``), a handle.  A name with a section or a
    tagline glued on keeps only its name: "World | Reuters" -> "Reuters", "Example Post - Latest news" ->
    "Example Post".  A bare host ("reuters.com") reads as :func:`host_outlet` makes it."""
    text = " ".join((name or "").split())
    for part in (p.strip() for p in _SEPARATORS.split(text)):
        if _HOSTISH.match(part):
            return host_outlet("http://" + part)
        if _is_name(part, title):
            return part
    return None


def registered_domain(host: str) -> str:
    """The domain a publisher registered: "news.example.co.uk" -> "example.co.uk", "m.example.com" ->
    "example.com"; an IP address or a one-label host as it is."""
    labels = [lab for lab in host.lower().rstrip(".").split(".") if lab]
    if len(labels) <= 2:
        return ".".join(labels)
    keep = 3 if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _serving_stripped(host: str) -> str:
    labels = host.split(".")
    keep = registered_domain(host).count(".") + 1
    while len(labels) > keep and labels[0] in _SERVING:
        labels = labels[1:]
    return ".".join(labels)


def host_outlet(url: str | None) -> str | None:
    """A readable outlet name from a URL's host: a known outlet's name ("www.reuters.com" -> "Reuters"),
    else the host without the labels that only say how a page is served ("amp.example.co.uk" ->
    "example.co.uk"); other subdomains stay, since they often name a different outlet on a shared domain
    ("chicago.example-tv.com", "someblog.example-blogs.com"); an IP address or "localhost" as it is; None
    without a host."""
    try:
        host = urlsplit(url or "").hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    served = _serving_stripped(host)
    return KNOWN_HOSTS.get(served) or KNOWN_HOSTS.get(registered_domain(host)) or served
