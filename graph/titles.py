"""Matching job titles the way people mean them, not as substrings.

"CTO" must find "Chief Technology Officer" and "Co-founder & CTO" but not
"Director" (which contains the letters c-t-o); "VP Sales" must find "Vice
President of Sales". Titles and queries are folded into words, common
abbreviations are expanded, filler words dropped, and a query matches a title
when its words appear in it in order, side by side.

Examples
--------
>>> title_matches("CTO", "Chief Technology Officer"), title_matches("CTO", "Director")
(True, False)
>>> title_matches("VP Sales", "Vice President of Sales, EMEA")
True
>>> title_matches("head of payments", "Head of Payments | ex-Stripe | Angel")
True
>>> title_matches("CTO", "Co-founder & CTO"), title_matches("engineer", "Sr. Software Engineer II")
(True, True)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ABBREVIATIONS = {
    "ceo": "chief executive officer",
    "cto": "chief technology officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cmo": "chief marketing officer",
    "cpo": "chief product officer",
    "cro": "chief revenue officer",
    "cio": "chief information officer",
    "ciso": "chief information security officer",
    "cso": "chief strategy officer",
    "chro": "chief human resources officer",
    "vp": "vice president",
    "svp": "senior vice president",
    "evp": "executive vice president",
    "avp": "assistant vice president",
    "md": "managing director",
    "gm": "general manager",
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "dir": "director",
    "eng": "engineering",
    "engr": "engineer",
    "swe": "software engineer",
    "sde": "software engineer",
    "pm": "product manager",
    "hr": "human resources",
    "bd": "business development",
    "technical": "technology",
    "cofounder": "co founder",
}
FILLER = frozenset({"of", "the", "and", "for", "at", "in", "a", "an", "to"})
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1 << 15)
def title_words(text: str) -> tuple[str, ...]:
    """Folded words with abbreviations expanded and filler dropped.

    >>> title_words("Sr. VP, Eng & Ops")
    ('senior', 'vice', 'president', 'engineering', 'ops')
    """
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    out: list[str] = []
    for word in _WORD.findall(folded):
        out.extend(ABBREVIATIONS.get(word, word).split())
    return tuple(w for w in out if w not in FILLER)


def title_matches(query: str, title: str) -> bool:
    """Whether ``title`` holds the words of ``query`` in order, side by side."""
    q, t = title_words(query), title_words(title)
    if not q:
        return True
    n = len(q)
    return any(t[i : i + n] == q for i in range(len(t) - n + 1))
