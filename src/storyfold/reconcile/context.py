"""Which figures of a story are one fact: by their value and by the words around them.

Most figures in news carry no trigger word a lexicon knows ("killed four people", "a 485-year
sentence", "the 37-year-old"), in any language. Two of them are taken for one fact when

- they are the same kind of figure (a count of the same noun, money in one currency, one
  physical unit, a date), and
- either they state compatible values in different voices and their contexts do not
  disagree (`SAME_VALUE_MIN`), or they state different values and the words around them
  are alike (`OTHER_VALUE_MIN`): "killed four people" and "killed three people" conflict,
  "killed four people" and "injured two people" are two facts.

A voice never holds two incompatible values of one fact: its own figures tell which facts
are distinct (an article giving 4 dead and 2 injured keeps them apart), and two figures
dated to different periods are different facts. Figures of a typed slot (one measure, named by
its trigger word: `slots.typed_slots`) are joined the same way, with the measure counting as
one more word of their context: two offers, two subjects' revenues, stay two facts when their
words differ. An untyped figure may join a typed slot on the same terms; two typed slots are
never merged. Claims with no words around them (structured data) of one measure are one fact.

Context similarity is the cosine of the words within `WINDOW` characters of each figure,
weighted by their inverse frequency among the story's figures, so words every figure has
("the", "said", the story's main name) weigh nothing. No word list is used, so it works the
same in every language written with spaces; across languages, the names and numbers near a
figure are what its context shares.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from storyfold.model import Claim, ValueKind
from storyfold.reconcile.values import agree, value_key
from storyfold.textnorm import segment

WINDOW = 60
SAME_VALUE_MIN = 0.0
OTHER_VALUE_MIN = 0.35
# two figures of one typed measure ("invest", "revenue"): the trigger word already says they
# are one fact, so less of the rest of their context must agree
ONE_MEASURE_MIN = 0.2
STEM = 5
# dates and periods: a story names many, and two different ones are nearly always two events
# (1 conflict among 230 dated facts of the gold set): they conflict only in a typed slot
OTHER_TIME_MIN = math.inf
# beyond this many figures of one kind in one story, only pairs that share a value or a
# weighty context word are compared
PAIRWISE_LIMIT = 300

_WORD = re.compile(r"[^\W\d_]{2,}|\d+")


def _base(c: Claim) -> tuple[str, str, str]:
    if c.kind is ValueKind.TIME:
        return ("time", "", "")
    return (c.kind.value, c.unit or "", c.per or "")


def _context(c: Claim) -> list[str]:
    sent = c.sentence or ""
    at = sent.find(c.surface) if c.surface else -1
    if at < 0:
        window = sent
    else:
        window = (
            sent[max(0, at - WINDOW) : at] + " " + sent[at + len(c.surface) : at + len(c.surface) + WINDOW]
        )
    # words cut to their first STEM letters: "invest", "investing" and "investir" meet
    return [w.casefold()[:STEM] for w in _WORD.findall(segment(window))]


class _Node:
    """A claim, or claims already joined, on the way to facts."""

    __slots__ = ("bare", "claims", "key", "period", "vec", "voices")

    def __init__(
        self, key: str | None, claims: list[Claim], vec: Counter[str], root: Mapping[str, str], bare: bool
    ) -> None:
        self.key = key  # the typed slot its claims come from, if any
        self.claims = claims
        self.bare = bare  # no words around it: structured data, not prose
        self.vec = vec
        self.voices: dict[str, list[Claim]] = {}
        for c in claims:
            self.voices.setdefault(root.get(c.article_id, c.article_id), []).append(c)
        periods = {c.period for c in claims if c.kind is not ValueKind.TIME and c.period}
        self.period = periods.pop() if len(periods) == 1 else None


def _cosine(a: Counter[str], b: Counter[str], idf: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(idf[w] * n * idf[w] * b[w] for w, n in a.items() if w in b)
    if dot <= 0:
        return 0.0
    na = math.sqrt(sum((idf[w] * n) ** 2 for w, n in a.items()))
    nb = math.sqrt(sum((idf[w] * n) ** 2 for w, n in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def _compatible_sets(x: _Node, y: _Node) -> bool:
    """Can x and y be one fact: no voice would hold two incompatible values, no two periods."""
    if x.key is not None and y.key is not None and x.key != y.key:
        return False
    if x.period and y.period and x.period != y.period:
        return False
    if x.key is not None and x.key == y.key:
        return True  # one measure: a voice that gives it two values contradicts itself
    for v, cs in x.voices.items():
        other = y.voices.get(v)
        if other and not all(agree(a, b) or value_key(a) == value_key(b) for a in cs for b in other):
            return False
    return True


def _same_value(x: _Node, y: _Node) -> bool:
    return any(agree(a, b) or value_key(a) == value_key(b) for a in x.claims for b in y.claims)


def join_loose(
    typed: Mapping[str, list[Claim]],
    loose: Sequence[Claim],
    every: Sequence[Claim],
    root: Mapping[str, str],
) -> dict[str, list[Claim]]:
    """The typed slots, with the untyped figures joined to them or grouped into new slots."""
    contexts = {id(c): Counter(_context(c)) for c in every}
    bare = {k for k, bag in contexts.items() if not bag}  # no words around it: structured data
    for cs in typed.values():
        for c in cs:  # a typed claim brings its measure as one more word of its context
            contexts[id(c)]["§" + c.predicate] += 1
    df: Counter[str] = Counter()
    for bag in contexts.values():
        df.update(bag.keys())
    n = max(1, len(contexts))
    idf: dict[str, float] = {w: math.log(1 + n / k) for w, k in df.items()}

    by_base: dict[tuple[str, str, str], list[_Node]] = {}
    out: dict[str, list[Claim]] = {}
    for key, cs in typed.items():
        if not cs or cs[0].kind is ValueKind.NAMES:
            out[key] = list(cs)
            continue
        for c in cs:
            by_base.setdefault(_base(c), []).append(
                _Node(key, [c], contexts[id(c)].copy(), root, id(c) in bare)
            )
    for c in loose:
        by_base.setdefault(_base(c), []).append(_Node(None, [c], contexts[id(c)].copy(), root, id(c) in bare))

    used: set[str] = set(out)
    for base, nodes in sorted(by_base.items()):
        for group in _join(nodes, idf, base[0] == "time"):
            members = sorted((c for x in group for c in x.claims), key=lambda c: (c.article_id, c.start))
            typed_key = next((x.key for x in group if x.key is not None), None)
            key = typed_key if typed_key is not None else _loose_key(members, group, idf)
            while key in used:  # one measure, told apart by context: two facts
                key += "'"
            used.add(key)
            out[key] = members
    return out


def _join(nodes: list[_Node], idf: Mapping[str, float], is_time: bool) -> list[list[_Node]]:
    parent = list(range(len(nodes)))
    merged: list[_Node] = list(nodes)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    edges: list[tuple[int, float, int, int]] = []
    for i, j in _pairs(nodes, idf):
        x, y = nodes[i], nodes[j]
        if x.key is not None and y.key is not None and x.key != y.key:
            continue
        same = _same_value(x, y)
        one_measure = x.key is not None and x.key == y.key
        if one_measure and x.bare and y.bare:  # structured claims of one measure: one fact
            edges.append((int(same), 1.0, i, j))
            continue
        sim = _cosine(x.vec, y.vec, idf)
        if same:
            need = SAME_VALUE_MIN
        elif one_measure:
            need = ONE_MEASURE_MIN
        else:
            need = OTHER_TIME_MIN if is_time else OTHER_VALUE_MIN
        if sim >= need and (same or sim > 0):
            edges.append((int(same), sim, i, j))
    edges.sort(key=lambda e: (-e[0], -e[1], e[2], e[3]))
    for _, _, i, j in edges:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        x, y = merged[ri], merged[rj]
        if not _compatible_sets(x, y):
            continue
        joined = _Node(x.key or y.key, x.claims + y.claims, x.vec + y.vec, {}, x.bare and y.bare)
        joined.voices = {
            v: x.voices.get(v, []) + y.voices.get(v, []) for v in x.voices.keys() | y.voices.keys()
        }
        joined.period = x.period or y.period
        keep, drop = min(ri, rj), max(ri, rj)
        parent[drop] = keep
        merged[keep] = joined
    groups: dict[int, list[_Node]] = {}
    for i in range(len(nodes)):
        groups.setdefault(find(i), []).append(nodes[i])
    return [groups[k] for k in sorted(groups)]


def _pairs(nodes: list[_Node], idf: Mapping[str, float]) -> list[tuple[int, int]]:
    if len(nodes) <= PAIRWISE_LIMIT:
        return [(i, j) for i in range(len(nodes)) for j in range(i + 1, len(nodes))]
    # a large story: pairs that share a value, or one of each other's three weightiest words
    post: dict[object, list[int]] = {}
    for i, x in enumerate(nodes):
        keys: set[object] = {("v", value_key(c)) for c in x.claims}
        top = sorted(x.vec, key=lambda w: -idf.get(w, 0.0) * x.vec[w])[:3]
        keys.update(("w", w) for w in top)
        for k in keys:
            post.setdefault(k, []).append(i)
    out: set[tuple[int, int]] = set()
    for members in post.values():
        if len(members) > PAIRWISE_LIMIT:
            continue
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                out.add((members[a], members[b]))
    return sorted(out)


def _loose_key(members: list[Claim], group: list[_Node], idf: Mapping[str, float]) -> str:
    """A readable, stable slot key: the measure and its weightiest context word."""
    c = members[0]
    vec: Counter[str] = Counter()
    for x in group:
        vec.update(x.vec)
    cue = max(sorted(vec), key=lambda w: idf.get(w, 0.0) * vec[w], default="")
    unit = "time" if c.kind is ValueKind.TIME else c.unit
    first = min(members, key=lambda m: (m.article_id, m.start))
    return "|".join(str(x or "") for x in (cue, c.kind.value, unit, c.per, first.article_id, first.start))
