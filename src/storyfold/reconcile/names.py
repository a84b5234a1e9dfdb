"""Lists of person names as claim values: parse, normalise, compare.

Why: a list of names (authors, board members, the people a report names) is stated in each
source's own format ("Knuth, Donald E.", "Donald E. Knuth", "Knuth", "By (author) Knuth,
Donald"), so two sources that agree rarely write the same string. Truth discovery needs a
normalised key, a test for "both can be true" (same people in the same order, a bare
surname or an initial being compatible with a full first name) and a graded similarity
for lists that differ by a missing or extra co-author.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from storyfold.textnorm import fold_name

Name = tuple[str, str]  # (first, last), normalised; first may be "" (unknown) or an initial

_ROLE = re.compile(
    r"\((?:joint\s+)?(?:author|editor|ed|eds|translator|illustrator|contributor|foreword|"
    r"introduction|compiler)s?\.?\)|\bby\s*\((?:author|editor)\)|^\s*by\s+|\bedited\s+by\b|\(ed\.?\)",
    re.I,
)
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SPLIT = re.compile(r"\s*(?:;|/|&|\band\b|\bund\b|\n)\s*", re.I)
_SUFFIX = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "dr", "prof"}
_PARTICLES = {"de", "van", "von", "da", "di", "del", "della", "du", "le", "la", "der", "den", "dos", "mac"}
_MISSING = {"", "not available", "n/a", "na", "unknown", "none", "various", "anonymous"}


def _clean(token: str) -> str:
    return re.sub(r"[^a-z'\- ]", "", fold_name(token).replace(".", " ")).strip()


def _words(part: str) -> list[str]:
    return [w for w in _clean(part).split() if w and w not in _SUFFIX]


def _name_from(words: list[str], surname_first: bool) -> Name | None:
    if not words:
        return None
    if surname_first:
        return (words[1] if len(words) > 1 else "", words[0])
    return (words[0] if len(words) > 1 else "", words[-1])


def _from_commas(chunk: str) -> list[Name]:
    """'Russell, Stuart J.' is one surname-first name; 'Ron Goldman, Richard Gabriel' two."""
    parts = [p for p in (x.strip() for x in chunk.split(",")) if _words(p)]
    if not parts:
        return []
    if len(parts) == 1:
        return [n for n in [_name_from(_words(parts[0]), False)] if n]
    first = _words(parts[0])
    if len(first) == 1 or (len(first) == 2 and first[0] in _PARTICLES):  # surname, given [, ...]
        out = []
        for i in range(0, len(parts), 2):
            sur = _words(parts[i])
            given = _words(parts[i + 1]) if i + 1 < len(parts) else []
            out.append((given[0] if given else "", " ".join(sur)))
        return out
    return [n for n in (_name_from(_words(p), False) for p in parts) if n]


@lru_cache(maxsize=65536)
def parse_names(text: str) -> tuple[Name, ...]:
    """Author-list text -> ((first, last), ...) in the stated order; () when not stated."""
    s = html.unescape(text or "")
    if _clean(s) in _MISSING:
        return ()
    # role markers end one name: "Kaplan, Joseph (Author) Dunn, Ryan (Author)"
    s = _ROLE.sub(";", s)
    s = _PAREN.sub(" ", s)
    out: list[Name] = []
    for chunk in _SPLIT.split(s):
        if _clean(chunk):
            out.extend(_from_commas(chunk))
    seen: list[Name] = []
    for n in out:  # a store listing one author twice (name variants) names one person
        if not any(n[1] == m[1] and n[0][:1] == m[0][:1] for m in seen):
            seen.append(n)
    return tuple(seen)


def _first_compatible(a: str, b: str) -> bool:
    """An unknown first name or an initial fits the full name it abbreviates."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a) if min(len(a), len(b)) == 1 else a == b


def _same_person(a: Name, b: Name) -> bool:
    return a[1] == b[1] and _first_compatible(a[0], b[0])


def compatible(x: tuple[Name, ...], y: tuple[Name, ...]) -> bool:
    """Both lists can be true: the same people, in the same order."""
    return bool(x) and len(x) == len(y) and all(_same_person(a, b) for a, b in zip(x, y, strict=True))


def _within(short: tuple[Name, ...], long: tuple[Name, ...]) -> bool:
    """Every person of `short` appears in `long`, in the same order."""
    it = iter(long)
    return all(any(_same_person(a, b) for b in it) for a in short)


def similarity(x: tuple[Name, ...], y: tuple[Name, ...]) -> float:
    """How much a source stating x speaks for y: 1 when x is y with people left out, else 0.

    Directional on purpose. Stores and reports often name only the first author ("Witten"
    for "Witten, Moffat, Bell"), so a shorter list inside a longer one is compatible with
    it; a longer list says the shorter one is incomplete, so it lends it nothing.
    """
    return 1.0 if x and len(x) < len(y) and _within(x, y) else 0.0


def key(names: tuple[Name, ...]) -> str:
    """A readable normalised key: 'donald knuth; oren patashnik'."""
    return "; ".join(f"{f} {last}".strip() for f, last in names)


def completeness(names: tuple[Name, ...]) -> int:
    """How much a rendering tells: more people first, then full first names over initials."""
    return 3 * len(names) + sum(2 if len(f) > 1 else 1 if f else 0 for f, _ in names)
