"""Which figures of a story are one fact: by their value and by the words around them.

Most figures in news carry no trigger word a lexicon knows ("killed four people", "a 485-year
sentence", "the 37-year-old"), in any language. Two of them are taken for one fact when

- they are the same kind of figure (a count, money in one currency, one physical unit, a
  date; counts of two nouns, "four victims" and "four people", only as one figure whose
  words agree, `OTHER_NOUN_MIN`, or as one fractional figure, "a 5.6 quake" and "5.6
  magnitude": nothing is counted in tenths), and
- either they state compatible values in different voices and their contexts do not
  disagree (`SAME_VALUE_MIN`), or they state different values and the words around them
  are alike (`OTHER_VALUE_MIN`, less for figures near in value, more for figures far apart):
  "killed four people" and "killed three people" conflict, "killed four people" and "injured
  two people" are two facts.

One value in two articles of one voice (a copy, a translation: "closer to 25,000" and
"ungefähr 25.000") is one statement retold and joins whatever its words, unless an article
would then give it twice as two facts.

A voice never holds two incompatible values of one untyped fact: its own figures tell which
facts are distinct (an article giving 4 dead and 2 injured keeps them apart), and two figures
dated to different periods are different facts. Figures joined for sharing a value must agree
with every value of the fact ("2013" does not make "2013-03" and "2013-09-11" one date). Figures of a typed slot (one measure, named by
its trigger word: `slots.typed_slots`) are joined the same way, with the measure counting as
one more word of their context: two offers, two subjects' revenues, stay two facts when their
words differ. An untyped figure may join a typed slot on the same terms; two typed slots are
never merged; a voice that gives one typed measure two values in two sentences contradicts
itself, and the facts table shows it on both sides (two values in one sentence are a range or
two parts of the measure: two facts). Claims with no words around them (structured data) of one
measure are one fact.

Context similarity is the cosine of the words within `WINDOW` characters of each figure,
weighted by their inverse frequency among the story's figures (smoothed, so that a story of
three figures still compares them), so words every figure has ("the", "said", the story's main
name) weigh least. No word list is used, so it works the
same in every language written with spaces; across languages, the names and numbers near a
figure are what its context shares.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache

from storyfold.model import Claim, ValueKind
from storyfold.reconcile.values import agree, value_key
from storyfold.textnorm import segment

WINDOW = 60
SAME_VALUE_MIN = 0.0
# two figures that differ but may both be true ("over 15 GW" and "17.5 GW", "2.5 million" and
# "2,440,000"): one fact only where some of their words agree too
COMPATIBLE_VALUE_MIN = 0.1
# one figure counting two nouns ("four victims", "four people"): one fact where the words
# around them agree this much
OTHER_NOUN_MIN = 0.2
OTHER_VALUE_MIN = 0.35
# ... for figures near in value (at most a quarter apart: 40 and 50, 600 and 700), less of it;
# for figures far apart (more than half again: 68 and 207), much more
NEAR_RATIO = 1.25
NEAR_VALUE_MIN = 0.2
FAR_RATIO = 1.5
FAR_VALUE_MIN = 0.6
# the same value in two articles of one voice (a copy, a translation): one statement retold,
# joined before any pair by context alone (a weight above every cosine's but 1.0 for bare data)
RETOLD = 0.999
# two figures of one typed measure ("invest", "revenue"): the trigger word already says they
# are one fact, so less of the rest of their context must agree
ONE_MEASURE_MIN = 0.2
STEM = 5
# dates and periods: a story names many, and two different ones are nearly always two events
# (1 conflict among 230 dated facts of the gold set): they conflict only in a typed slot
OTHER_TIME_MIN = math.inf
# beyond this many values of one kind in one story, only pairs that can agree or that share
# a weighty context word are compared
PAIRWISE_LIMIT = 80

_WORD = re.compile(r"[^\W\d_]{2,}|\d+")


def _base(c: Claim) -> tuple[str, str, str]:
    """What two figures must share to be compared: counts of different nouns are compared too
    ("four victims", "four people"), their nouns being one more thing to agree on."""
    if c.kind is ValueKind.TIME:
        return ("time", "", "")
    if c.kind is ValueKind.COUNT:
        return (c.kind.value, "", c.per or "")
    return (c.kind.value, c.unit or "", c.per or "")


def _context(c: Claim) -> tuple[str, ...]:
    return _words_around(c.sentence or "", c.surface)


@lru_cache(maxsize=65536)
def _words_around(sent: str, surface: str) -> tuple[str, ...]:
    """Memoised: a story is reconciled again each time it grows, with the same claims."""
    at = sent.find(surface) if surface else -1
    if at < 0:
        window = sent
    else:
        window = sent[max(0, at - WINDOW) : at] + " " + sent[at + len(surface) : at + len(surface) + WINDOW]
    # words cut to their first STEM letters: "invest", "investing" and "investir" meet
    return tuple(w.casefold()[:STEM] for w in _WORD.findall(segment(window)))


_Key = tuple[object, ...]


class _Agreement:
    """Whether two values can both be true, asked once per pair of distinct values."""

    def __init__(self) -> None:
        self.rep: dict[_Key, Claim] = {}
        self.known: dict[tuple[_Key, _Key], bool] = {}

    def key(self, c: Claim) -> _Key:
        k = value_key(c)
        self.rep.setdefault(k, c)
        return k

    def __call__(self, a: _Key, b: _Key) -> bool:
        if a == b:
            return True
        got = self.known.get((a, b))
        if got is None:
            got = self.known[(a, b)] = self.known[(b, a)] = agree(self.rep[a], self.rep[b])
        return got


class _Node:
    """A claim, or claims already joined, on the way to facts."""

    __slots__ = ("bare", "claims", "key", "noun", "period", "values", "vec", "voices")

    def __init__(self, key: str | None, noun: str = "") -> None:
        self.key = key  # the typed slot its claims come from, if any
        self.noun = noun  # what its figures count ("person", "victim"), for counts
        self.claims: list[Claim] = []
        self.bare = True  # no words around any of its claims: structured data, not prose
        self.vec: Counter[str] = Counter()
        self.values: set[_Key] = set()
        self.voices: dict[str, set[_Key]] = {}
        self.period: str | None = None  # the period its figures are of (a node holds one)

    def add(
        self, c: Claim, words: Sequence[str], root: Mapping[str, str], bare: bool, agreement: _Agreement
    ) -> None:
        """One more claim of this node's value (and period)."""
        self.claims.append(c)
        if c.kind is not ValueKind.TIME and c.period:
            self.period = c.period
        self.vec.update(words)
        self.bare = self.bare and bare
        k = agreement.key(c)
        self.values.add(k)
        self.voices.setdefault(root.get(c.article_id, c.article_id), set()).add(k)

    def joined(self, other: _Node) -> _Node:
        """The union as far as joining needs it (claims, values, voices, period): the groups
        are read from the nodes the claims came in."""
        out = _Node(self.key or other.key)
        out.claims = self.claims + other.claims  # (read by the join's checks, not for output)
        out.bare = self.bare and other.bare
        out.values = self.values | other.values
        out.voices = {v: set(ks) for v, ks in self.voices.items()}
        for v, ks in other.voices.items():
            out.voices.setdefault(v, set()).update(ks)
        out.period = self.period or other.period
        return out


def _unit_vector(vec: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    weights = {w: idf[w] * n for w, n in vec.items()}
    norm = math.sqrt(sum(x * x for x in weights.values()))
    return {w: x / norm for w, x in weights.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b[w] for w, x in a.items() if w in b)


def _compatible_sets(x: _Node, y: _Node, agrees: _Agreement) -> bool:
    """Can x and y be one fact: no voice would hold two incompatible values, no two periods."""
    if x.key is not None and y.key is not None and x.key != y.key:
        return False
    if x.period and y.period and x.period != y.period:
        return False
    if x.key is not None and x.key == y.key:
        # one measure: a voice that gives it two values contradicts itself, unless one sentence
        # gives both: a range or two parts of it ("between 26.73 and 29.76 euros", "225 jobs
        # during construction and 75 permanent jobs"), two facts
        return not _one_sentence_gives_both(x, y, agrees)
    if len(x.voices) > len(y.voices):
        x, y = y, x
    for v, ks in x.voices.items():
        other = y.voices.get(v)
        if other and not all(agrees(a, b) for a in ks for b in other):
            return False
    return True


def _one_sentence_gives_both(x: _Node, y: _Node, agrees: _Agreement) -> bool:
    """Whether a sentence of one article states a value of x and an incompatible one of y."""
    said: dict[tuple[str, str], list[_Key]] = {}
    for c in x.claims:
        said.setdefault((c.article_id, c.sentence), []).append(agrees.key(c))
    return any(
        not agrees(k, agrees.key(c)) for c in y.claims for k in said.get((c.article_id, c.sentence), ())
    )


def _ratio(x: _Node, y: _Node, agrees: _Agreement) -> float:
    """How far apart the nearest figures of two nodes are: 1.25 for 40 and 50."""
    best = math.inf
    for a in x.values:
        for b in y.values:
            u, v = agrees.rep[a].value, agrees.rep[b].value
            if u is None or v is None or u * v <= 0:
                continue
            best = min(best, max(abs(u), abs(v)) / min(abs(u), abs(v)))
    return best


def _other_value_min(ratio: float) -> float:
    """The context two different figures must share to be one fact reported two ways. Reports
    that disagree are near in value (31 and 32 years old, 600 and 700 metres, 150 and 160
    million); two facts of one kind are as often far apart (68 punches landed, 207 thrown)."""
    if ratio <= NEAR_RATIO:
        return NEAR_VALUE_MIN
    if ratio <= FAR_RATIO:
        return OTHER_VALUE_MIN
    return FAR_VALUE_MIN


def _fractional(keys: set[_Key], agrees: _Agreement) -> bool:
    """Whether the values two counts share are not whole numbers: a measure read as a count of
    its noun ("a 5.6 quake"), which any other noun that gives the same value measures too."""
    values = [agrees.rep[k].value for k in keys]
    return bool(values) and all(v is not None and math.isfinite(v) and v != int(v) for v in values)


def _articles(x: _Node) -> set[str]:
    return {c.article_id for c in x.claims}


def _retold(x: _Node, y: _Node) -> bool:
    """Whether two figures of one value are one statement in two articles of one voice (a copy,
    a translation: "closer to 25,000" and "ungefähr 25.000"), whose words need not agree: some
    voice speaks in both, through different articles, and neither article gives the value
    twice as two facts (each node holds one article's only reading of it)."""
    if x.key is not None or y.key is not None or x.voices.keys().isdisjoint(y.voices.keys()):
        return False
    ax, ay = _articles(x), _articles(y)
    return ax.isdisjoint(ay) and len(ax) == len(x.claims) and len(ay) == len(y.claims)


def _same_value(x: _Node, y: _Node, agrees: _Agreement) -> bool:
    if not x.values.isdisjoint(y.values):
        return True
    return any(agrees(a, b) for a in x.values for b in y.values)


def join_loose(
    typed: Mapping[str, list[Claim]],
    loose: Sequence[Claim],
    every: Sequence[Claim],
    root: Mapping[str, str],
) -> dict[str, list[Claim]]:
    """The typed slots, with the untyped figures joined to them or grouped into new slots."""
    contexts = {id(c): _context(c) for c in every}
    bare = {k for k, words in contexts.items() if not words}  # no words around it: structured data
    for cs in typed.values():
        for c in cs:  # a typed claim brings its measure as one more word of its context
            contexts[id(c)] += ("§" + c.predicate,)
    df: Counter[str] = Counter()
    for words in contexts.values():
        df.update(set(words))
    n = max(1, len(contexts))
    idf: dict[str, float] = {w: math.log(1 + n / k) for w, k in df.items()}

    by_base: dict[tuple[str, str, str], list[_Node]] = {}
    out: dict[str, list[Claim]] = {}
    agrees = _Agreement()
    # one node per value of a measure: the same value in several voices is one fact (joining
    # it first is what the greedy join below would do, and it leaves far fewer pairs)
    same: dict[tuple[object, ...], _Node] = {}

    def place(key: str | None, c: Claim) -> None:
        noun = (c.unit or "").casefold() if c.kind is ValueKind.COUNT else ""
        at = (_base(c), noun, key, agrees.key(c), c.period if c.kind is not ValueKind.TIME else None)
        node = same.get(at)
        if node is None:
            node = same[at] = _Node(key, noun)
            by_base.setdefault(_base(c), []).append(node)
        node.add(c, contexts[id(c)], root, id(c) in bare, agrees)

    for key, cs in typed.items():
        if not cs or cs[0].kind is ValueKind.NAMES:
            out[key] = list(cs)
            continue
        for c in cs:
            place(key, c)
    for c in loose:
        place(None, c)

    used: set[str] = set(out)
    for base, nodes in sorted(by_base.items()):
        for group in _join(nodes, idf, base[0] == "time", agrees):
            members = sorted((c for x in group for c in x.claims), key=lambda c: (c.article_id, c.start))
            typed_key = next((x.key for x in group if x.key is not None), None)
            key = typed_key if typed_key is not None else _loose_key(members, idf)
            while key in used:  # one measure, told apart by context: two facts
                key += "'"
            used.add(key)
            out[key] = members
    return out


def _join(
    nodes: list[_Node], idf: Mapping[str, float], is_time: bool, agrees: _Agreement
) -> list[list[_Node]]:
    parent = list(range(len(nodes)))
    merged: list[_Node] = list(nodes)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    unit = [_unit_vector(x.vec, idf) for x in nodes]
    # (joined for sharing a value, weight, i, j, joined only as one voice's retelling)
    edges: list[tuple[int, float, int, int, bool]] = []
    for i, j in _pairs(nodes, unit, agrees):
        x, y = nodes[i], nodes[j]
        if x.key is not None and y.key is not None and x.key != y.key:
            continue
        same = _same_value(x, y, agrees)
        one_measure = x.key is not None and x.key == y.key
        if one_measure and x.bare and y.bare:  # structured claims of one measure: one fact
            edges.append((int(same), 1.0, i, j, False))
            continue
        sim = _cosine(unit[i], unit[j])
        if same and _retold(x, y):  # one voice's copy or translation says it again
            edges.append((1, max(sim, RETOLD), i, j, sim < RETOLD))
            continue
        if x.noun != y.noun:  # counts of two nouns: one fact only as one figure, said alike
            if not same:
                continue
            if _fractional(x.values & y.values, agrees):
                need = SAME_VALUE_MIN  # "a 5.6 quake", "5.6 magnitude": nothing counts in tenths
            else:
                need = max(OTHER_NOUN_MIN, COMPATIBLE_VALUE_MIN if x.values.isdisjoint(y.values) else 0.0)
        elif same:
            need = SAME_VALUE_MIN if not x.values.isdisjoint(y.values) else COMPATIBLE_VALUE_MIN
        elif one_measure:
            need = ONE_MEASURE_MIN
        elif is_time:
            need = OTHER_TIME_MIN
        else:
            need = _other_value_min(_ratio(x, y, agrees))
        if sim >= need and (same or sim > 0):
            edges.append((int(same), sim, i, j, False))
    edges.sort(key=lambda e: (-e[0], -e[1], e[2], e[3]))
    for by_value, _, i, j, retold in edges:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        x, y = merged[ri], merged[rj]
        if not _compatible_sets(x, y, agrees):
            continue
        if retold and not _articles(x).isdisjoint(_articles(y)):
            continue  # joined only as one voice's retelling: an article's two figures stay two
        if by_value and not all(agrees(a, b) for a in x.values for b in y.values):
            # joined for sharing a value, the two must share all: "2013" agrees with "2013-03"
            # and with "2013-09-11", which are two dates, not one date and a dissent
            continue
        keep, drop = min(ri, rj), max(ri, rj)
        parent[drop] = keep
        merged[keep] = x.joined(y)
    groups: dict[int, list[_Node]] = {}
    for i in range(len(nodes)):
        groups.setdefault(find(i), []).append(nodes[i])
    return [groups[k] for k in sorted(groups)]


def _pairs(nodes: list[_Node], unit: list[dict[str, float]], agrees: _Agreement) -> list[tuple[int, int]]:
    """Every pair of a small measure; in a large one, the pairs that could be joined: values
    that can both be true, or contexts that share a word most of the others lack (the join
    needs a similarity of OTHER_VALUE_MIN or ONE_MEASURE_MIN for different values)."""
    n = len(nodes)
    if n <= PAIRWISE_LIMIT:
        return [(i, j) for i in range(n) for j in range(i + 1, n)]
    out: set[tuple[int, int]] = set()
    by_value: dict[_Key, list[int]] = {}
    for i, x in enumerate(nodes):
        for k in x.values:
            by_value.setdefault(k, []).append(i)
    keys = list(by_value)
    coarse: dict[object, list[_Key]] = {}
    for k in keys:  # values that can agree share a coarse key: the year, two digits of a figure
        coarse.setdefault(_coarse(agrees.rep[k]), []).append(k)
    for ks in coarse.values():
        for a in range(len(ks)):
            for b in range(a, len(ks)):
                if agrees(ks[a], ks[b]):
                    out.update(_cross(by_value[ks[a]], by_value[ks[b]]))
    df: Counter[str] = Counter()
    for u in unit:
        df.update(u.keys())
    post: dict[str, list[int]] = {}
    for i, u in enumerate(unit):
        for w in u:
            if df[w] <= max(2, n // 4):
                post.setdefault(w, []).append(i)
    for members in post.values():
        out.update(_cross(members, members))
    return sorted(out)


def _cross(a: list[int], b: list[int]) -> set[tuple[int, int]]:
    return {(min(i, j), max(i, j)) for i in a for j in b if i != j}


def _coarse(c: Claim) -> object:
    if c.kind is ValueKind.TIME:
        return (c.period or "")[:4]
    if c.value is None or not math.isfinite(c.value) or c.value == 0:
        return c.value
    return math.floor(math.log10(abs(c.value)))


def _loose_key(members: list[Claim], idf: Mapping[str, float]) -> str:
    """A readable, stable slot key: the measure and its weightiest context word."""
    c = members[0]
    first = min(members, key=lambda m: (m.article_id, m.start))
    # the first statement's rarest word names it; the first statement's place makes it unique
    cue = max(_context(first), key=lambda w: (idf.get(w, 0.0), w), default="")
    unit = "time" if c.kind is ValueKind.TIME else c.unit
    return "|".join(str(x or "") for x in (cue, c.kind.value, unit, c.per, first.article_id, first.start))
