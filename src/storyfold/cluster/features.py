"""Language-light text features for linking an article to a story.

Kept in pure Python + stdlib so the run time needs no model: word terms for a TF-IDF-like
cosine, capitalised names (diacritics stripped, Cyrillic transliterated so 'Москва' and
'Moskva' meet) and numeric anchors (numbers with separators removed, years), which survive
translation and so carry the cross-language signal.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from storyfold.textnorm import ascii_digits, fold_name, segment

_WORD = re.compile(r"\w+", re.UNICODE)
# A capital not preceded by a word character or a dot, then 2+ word characters. The look-behind
# comes after the capital (it spans the capital itself) so the engine can scan for the capital
# first: the same matches as `(?<![\w.])([A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]{2,})`, twice as fast.
_NAME = re.compile(r"([A-ZÀ-ÖØ-ÞА-ЯЁ](?<![\w.]\w)[\w'’-]{2,})")
_NUM = re.compile(r"\d[\d.,\u00a0\u202f\u2009 ]*\d|\d")  # thousands: comma, dot, spaces incl. no-break
_NONDIGIT = re.compile(r"\D")
_YEAR = re.compile(r"#(?:19\d\d|20[0-3]\d)")


STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "at",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "not",
        "but",
        "have",
        "has",
        "had",
        "will",
        "would",
        "said",
        "says",
        "say",
        "after",
        "before",
        "over",
        "into",
        "about",
        "than",
        "more",
        "most",
        "also",
        "who",
        "which",
        "what",
        "when",
        "where",
        "there",
        "can",
        "could",
        "may",
        "might",
        "one",
        "two",
        "new",
        "up",
        "out",
        "no",
        "all",
        "any",
        "some",
        "other",
        "just",
        "only",
        "very",
        "do",
        "does",
        "did",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "en",
        "dans",
        "pour",
        "sur",
        "par",
        "au",
        "aux",
        "est",
        "sont",
        "été",
        "qui",
        "que",
        "ce",
        "cette",
        "il",
        "elle",
        "ils",
        "pas",
        "plus",
        "avec",
        "se",
        "sa",
        "son",
        "ses",
        "leur",
        "der",
        "die",
        "das",
        "und",
        "ein",
        "eine",
        "den",
        "dem",
        "des",
        "zu",
        "im",
        "mit",
        "von",
        "ist",
        "sind",
        "auf",
        "für",
        "nicht",
        "sich",
        "auch",
        "als",
        "bei",
        "el",
        "los",
        "las",
        "y",
        "del",
        "por",
        "con",
        "para",
        "una",
        "es",
        "se",
        "lo",
        "и",
        "в",
        "не",
        "на",
        "что",
        "с",
        "по",
        "как",
        "это",
        "из",
        "он",
        "она",
    ]
)


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """The shared name form (see storyfold.textnorm), cached: names recur across a stream."""
    return fold_name(word)


# word -> its term ('' when dropped), and capitalised word -> its name form ('' when dropped):
# the same few thousand words recur across a stream, so each is filtered and folded once.
_TERM: dict[str, str] = {}
_NAME_FORM: dict[str, str] = {}
_MEMO_MAX = 1 << 18  # cleared when full: a memo, never a leak


def _term_of(w: str) -> str:
    return w[:7] if len(w) > 2 and w not in STOP and not w.isdigit() else ""


def terms(text: str) -> Counter[str]:
    """Word counts without stop words or very short tokens (digits kept: they are anchors).

    Crude stemming by truncation to 7 characters: cheap and language-agnostic. Each distinct
    word is stemmed once (a memo), since news repeats its words."""
    words = _WORD.findall(text.casefold())
    memo = _TERM
    missing = set(words).difference(memo)
    if missing:
        if len(memo) > _MEMO_MAX:
            memo.clear()
            missing = set(words)
        for w in missing:
            memo[w] = _term_of(w)
    return Counter(filter(None, map(memo.__getitem__, words)))


def _name_of(word: str) -> str:
    w = fold(word.strip("'’-"))
    return w[:7] if len(w) > 2 and w not in STOP else ""


_SENTENCE_END = frozenset(".!?\n:")


def names(text: str) -> set[str]:
    """Capitalised words not opening a sentence: a cheap, multilingual stand-in for NER."""
    out: set[str] = set()
    memo = _NAME_FORM
    if len(memo) > _MEMO_MAX:
        memo.clear()
    ends = _SENTENCE_END
    for m in _NAME.finditer(text):
        word = m.group(1)
        w = memo.get(word)
        if w is None:
            w = memo[word] = _name_of(word)
        if not w or w in out:  # nothing to add: the position need not be looked at
            continue
        start = m.start()
        before = text[max(0, start - 3) : start].rstrip(" \"'“«(")
        if not before or before[-1] in ends:
            continue
        out.add(w)
    return out


def anchors(text: str) -> set[str]:
    """Numbers with their separators stripped ('10,000' == '10 000' == '10.000'); single digits dropped."""
    out: set[str] = set()
    for m in _NUM.finditer(text):
        d = _NONDIGIT.sub("", m.group())
        if len(d) >= 2 and d.strip("0"):
            out.add("#" + d.rstrip("0") if len(d) > 4 else "#" + d)
    return out


@dataclass
class DocFeatures:
    """What the clusterer keeps of one article."""

    title_terms: Counter[str]
    body_terms: Counter[str]
    names: set[str]
    anchors: set[str]
    years: frozenset[str] = frozenset()  # the anchors that read as years 1900-2039


def extract(title: str, text: str) -> DocFeatures:
    """Every script's digits read as ASCII for the anchors; runs of scripts written without
    spaces split into their words (ICU) for the terms."""
    body = f"{title}\n\n{text}"
    digits = ascii_digits(body)
    an = anchors(digits)
    return DocFeatures(terms(segment(title)), terms(segment(body)), names(body), an, years(an))


def years(anchor_set: set[str]) -> frozenset[str]:
    """Years written in the text: two reports of the 'same kind' of event (two rehab stays, two
    earthquakes) are usually years apart, and say so."""
    return frozenset(a for a in anchor_set if _YEAR.fullmatch(a))
