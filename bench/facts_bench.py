"""Facts a reader can quote: storyfold's facts tables against the hand-labelled gold set.

Run (from the repository root, project venv active):

    python bench/facts_bench.py                  # every gold story, test split first
    python bench/facts_bench.py --split dev      # one split
    python bench/facts_bench.py --story ecbplus-3ecb --show   # one story, facts side by side

Gold: `bench/facts_gold/*.jsonl`, labelled by reading the articles (rules in its README). Each
gold story is ingested on its own into a fresh database, as a user would ingest that coverage
(so fold, clustering, claims and reconcile all take part), and every fact storyfold lists for
the stories its articles end in is compared with the gold facts.

Matching. A storyfold fact and a gold fact can match when their kinds agree (a count of years
is a duration or an age; a count of yards and a length in yd are both read), their units agree
(currency, percent or points, physical unit, time unit; the counted noun of a count is not
compared), and the fact's value (within 1 %, or 10 % when either side says "about", "more
than"...; a period holding the other, "2024" and "2024-H1"; a day without a year, "--05-29",
and the gold's day of any year, where the labeller knew the year the text leaves out) is one
that the gold fact's articles give (its consensus or a contradicting value). Among those, pairs are taken
greedily by how many articles they share, then counts of the gold's own noun first ("2
threats" meets the two bomb threats before the two daughters of the same article); each side
is used once, so a gold fact split into two storyfold facts scores one and leaves the other
unmatched.

- **fact precision**: matched facts whose value is the gold consensus / facts storyfold lists;
- **fact recall**: the same / gold facts;
- **statements**: (fact, article) pairs of the gold whose article is among the supporting or
  contradicting articles of the storyfold fact matched to it, per language: a fact found in
  English but not joined by its French and Spanish statements scores low here;
- **conflicts**: (fact, article) pairs where the article contradicts the consensus, precision
  over storyfold's and recall over the gold's;
- **voice collapse**: storyfold facts that list one source both for and against through two
  different articles of it, i.e. two outlets folded into one voice (must be 0); an article
  that itself gives both values is shown on both sides and is not counted.

The peer, measured in the same run on the same claims, is the plain reading without slots: one
fact per distinct typed value of a story (what a table of extracted values gives a reader).

Figures (all 43 stories, 1,009 facts; `python bench/facts_bench.py`):

| | fact P | fact R | F1 | conflict P | conflict R | collapse |
|---|---|---|---|---|---|---|
| before this bench existed (commit a285c1b) | 0.745 | 0.038 | 0.072 | 0.083 | 0.045 | 0 |
| every figure a fact, joined by value and context (reconcile/context.py) | 0.762 | 0.719 | 0.740 | 0.150 | 0.068 | 0 |
| bounds reach twice their figure; counts of two nouns compared; near figures join on less context, far ones on more | 0.787 | 0.733 | 0.759 | 0.286 | 0.136 | 0 |
| two values of one measure in one sentence are two facts, not a voice against itself (and the claims fixes of that day) | 0.787 | 0.736 | 0.761 | 0.600 | 0.136 | 0 |
| nouns of about so many read ("une vingtaine de personnes", "más de un centenar", "a dozen people") | 0.787 | 0.739 | 0.762 | 0.600 | 0.136 | 0 |
| a day without a year ("May 29" in an undated report) kept as "--05-29" and placed by the story's dated reports | 0.786 | 0.746 | 0.766 | 0.600 | 0.136 | 0 |
| a wire story's dateline is not a fact; one fractional figure with two nouns ("a 5.6 quake", "5.6 magnitude") is one fact | 0.788 | 0.746 | 0.767 | 0.600 | 0.136 | 0 |
| a sum said again without its currency keeps it ("le plan de 700 milliards vise"); a list's numbers share its last unit ("33, 34 і 39 гадоў"); one value in two articles of one voice is one statement | 0.793 | 0.747 | 0.769 | 0.636 | 0.159 | 0 |
| a whole number and its fraction are one figure ("2-1/2 years"); "Sept. 22" read as CLDR's abbreviation | 0.796 | 0.750 | 0.772 | 0.667 | 0.182 | 0 |
| (the bench: among pairs sharing as many articles, a count meets the gold fact of its own noun first; the peer 0.759 / 0.765 / 0.762 -> 0.763 / 0.771 / 0.767) | 0.798 | 0.752 | 0.774 | 0.667 | 0.182 | 0 |
| some of a group counts the group's noun ("Eight of the jurors", "trois des jurés") | 0.798 | 0.757 | 0.777 | 0.667 | 0.182 | 0 |

The held-out half (`--split test`) reads 0.771 / 0.731 / 0.751 today, conflicts 1.000 / 0.182
(0.769 / 0.723 / 0.745 before the last row, 0.763 / 0.717 / 0.739 and 1.000 / 0.152 before the three last; 0.756 / 0.717 / 0.736 and
1.000 / 0.121 before the row of sums said again without their currency;
0.833 / 0.040 / 0.077 before this bench, 0.754 / 0.709 / 0.731 before the two rows above it,
0.756 / 0.709 / 0.732 and conflicts 0.571 / 0.121 before the row above them); the peer 0.763 / 0.776 / 0.770 on all stories. Conflicts are the weak
part: most flagged ones were an article on both sides of a measure because one of its sentences
gave two values of it (a price range, the jobs of two phases); most missed
ones are two figures whose words share too little (a climber's fall of "600 metres" in one
report and "some 700 metres" in another) or are stated in words the claims stage does not read
("une centaine de milliers", "Trente mille").
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import storyfold
from storyfold.model import Fact, ValueKind
from storyfold_eval.datasets import parse_date

ROOT = Path(__file__).resolve().parent
GOLD = ROOT / "facts_gold"
DATA = ROOT.parent.parent / "shared" / "data"

TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century"}


# ---------------------------------------------------------------- the gold and its articles


def load_gold(folder: Path) -> list[dict[str, Any]]:
    stories = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                stories.append(json.loads(line))
    return stories


def _rows(path: Path) -> Iterable[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def load_documents(data: Path, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """Dataset id -> the JSONL document a user would ingest for it (title, text, date, lang)."""
    docs: dict[str, dict[str, Any]] = {}
    for r in _rows(data / "events" / "ecbplus_docs.jsonl.gz"):
        if r["id"] in wanted:
            d = parse_date(r.get("date_raw"))
            docs[r["id"]] = {
                "title": r["title"] or "",
                "text": r["text"] or "",
                "lang": "en",
                "date": d.isoformat() if d else None,
            }
    for r in _rows(data / "events" / "gedikli_articles.jsonl.gz"):
        if r["id"] in wanted:
            docs[r["id"]] = {"title": r["title"] or "", "text": r["text"] or "", "date": r.get("date")}
    for name in ("wmt_docs.jsonl.gz", "meantime_docs.jsonl.gz"):
        for r in _rows(data / "translations" / name):
            if r["id"] in wanted:
                docs[r["id"]] = {"title": r.get("title") or "", "text": r["text"], "lang": r["lang"]}
    for path in (data / "seeds").glob("*.txt"):
        if path.name in wanted:
            docs[path.name] = {"path": path}
    return docs


# ---------------------------------------------------------------- storyfold's side


@dataclass
class Found:
    """One storyfold fact, in dataset ids."""

    kind: str
    unit: str
    value: Any  # float, or a period label for time facts
    supporting: set[str]
    conflicting: set[str]
    display: str
    slot: str
    collapse: bool = False
    # filled by matching
    gold: dict[str, Any] | None = None


def _reading(
    kind: ValueKind, unit: str | None, value: float | None, period: str | None
) -> tuple[str, str, Any]:
    """(gold kind, unit, value) of a fact or claim: a count of years is a duration."""
    if kind is ValueKind.TIME:
        return "time", "", period
    unit = unit or ""
    if kind is ValueKind.COUNT and unit.casefold().rstrip("s") in TIME_UNITS:
        return "duration", unit.casefold().rstrip("s"), value
    return kind.value, unit, value


def run_storyfold(
    story: dict[str, Any], docs: dict[str, dict[str, Any]], workdir: Path
) -> tuple[list[Found], list[Found], float]:
    """Ingest one gold story's articles into a fresh database; its facts, and the peer's."""
    db = workdir / (hashlib.sha1(story["story"].encode()).hexdigest()[:12] + ".db")
    payload, paths = [], []
    for aid in story["articles"]:
        doc = docs[aid]
        if "path" in doc:
            paths.append(doc["path"])
            continue
        rec = {"id": aid, "outlet": aid, **{k: v for k, v in doc.items() if v}}
        payload.append(rec)
    t0 = time.perf_counter()
    with storyfold.open_library(db) as lib:
        if payload:
            lib.ingest_documents(payload)
        if paths:
            lib.ingest(paths)
        lib.reconcile_all()
        to_input: dict[str, str] = {}
        found: list[Found] = []
        peer: list[Found] = []
        for s in lib.list_stories(limit=10_000):
            brief = lib.brief(s.id)
            if brief is None:
                continue
            for a in brief.articles:
                given = a.input_id or a.id  # a file's input id is its path
                to_input[a.id] = given if given in story["articles"] else Path(given).name
            for f in brief.facts:
                kind, unit, value = _reading(f.kind, f.unit, f.value, f.period)
                sup = {to_input.get(x, x) for v in f.supporting for x in v.article_ids}
                con = {to_input.get(x, x) for v in f.conflicting for x in v.article_ids}
                found.append(Found(kind, unit, value, sup, con, f.display, f.slot, collapse=_collapsed(f)))
            peer.extend(_peer_facts(brief, to_input))
    return found, peer, time.perf_counter() - t0


def _collapsed(f: Fact) -> bool:
    """A source on both sides of a fact through two different articles of it (two outlets
    folded into one voice). One article that itself gives both values is not counted: that is
    the article contradicting itself, which the facts table should show."""
    for_arts: dict[str, set[str]] = defaultdict(set)
    for v in f.supporting:
        for_arts[v.source].update(v.article_ids)
    return any(v.source in for_arts and not set(v.article_ids) <= for_arts[v.source] for v in f.conflicting)


def _peer_facts(brief: Any, to_input: dict[str, str]) -> list[Found]:
    """One fact per distinct typed value of the story: extracted values, no slots, no votes."""
    by_value: dict[tuple[str, str, Any], set[str]] = defaultdict(set)
    for c in brief.claims:
        if c.kind is ValueKind.NAMES:
            continue
        key = _reading(c.kind, c.unit, c.value, c.period)
        if key[2] is None:
            continue
        by_value[key].add(to_input.get(c.article_id, c.article_id))
    return [Found(k, u, v, arts, set(), str(v), "") for (k, u, v), arts in by_value.items()]


# ---------------------------------------------------------------- matching


def _gold_kind(g: dict[str, Any]) -> str:
    return "duration" if g["kind"] == "age" else g["kind"]


def _close(a: Any, b: Any, loose: bool) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        # periods: one holds the other ("2006" and "2006-06", "2024" and "2024-H1"); a day
        # whose article gives no year ("--05-29", ISO 8601) holds that day of any year
        x, y = sorted((str(a), str(b)), key=len)
        if x.startswith("--") or y.startswith("--"):
            return x == y or (
                x.startswith("--") and re.fullmatch(r"\d{4}-\d\d-\d\d", y) is not None and x[-5:] == y[-5:]
            )
        return y == x or y.startswith(x + "-")
    if a is None or b is None:
        return False
    a, b = float(a), float(b)
    if a == b:
        return True
    tol = 0.1 if loose else 0.01
    return abs(a - b) <= tol * max(abs(a), abs(b))


def _unit_ok(found: Found, g: dict[str, Any]) -> bool:
    kind = _gold_kind(g)
    counted = {"count", "quantity"}  # "1,098 yards": a count of yards or a length in yd
    if found.kind != kind and not (found.kind in counted and kind in counted):
        return False
    if kind in counted and found.kind != kind:
        return True
    if kind == "count" or kind == "time":
        return True
    gu, fu = str(g.get("unit") or "").casefold(), found.unit.casefold()
    if kind == "duration":
        return gu.rstrip("s") == fu.rstrip("s")
    return gu == fu


def _same_noun(found: Found, g: dict[str, Any]) -> bool:
    """Whether a count counts the gold's noun, by its first four letters ("children" and
    "child"; "person" and "people" do not meet): among pairs sharing as many articles, "2
    threats" is matched with the gold's two bomb threats before its two daughters."""
    if found.kind != "count" or g["kind"] != "count":
        return False
    a, b = found.unit.casefold(), str(g.get("unit") or "").casefold()
    return bool(a) and a[:4] == b[:4]


def _statements(g: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return g.get("stated") or {}, g.get("contradicted") or {}


def _value_of_gold(found: Found, g: dict[str, Any]) -> tuple[bool, bool]:
    """(the value is one the gold's articles give, the value is the consensus)."""
    stated, against = _statements(g)
    loose = g.get("bound") not in (None, "eq")
    consensus = _close(found.value, g["value"], loose)
    if consensus:
        return True, True
    for s in list(stated.values()) + list(against.values()):
        if _close(found.value, s.get("value"), s.get("bound") not in (None, "eq")):
            return True, s in stated.values()
    if g.get("value_high") is not None and not isinstance(found.value, str):
        lo, hi = float(g["value"]), float(g["value_high"])
        if found.value is not None and lo <= float(found.value) <= hi:
            return True, True
    return False, False


@dataclass
class Score:
    facts: int = 0
    gold: int = 0
    correct: int = 0
    conflicts_found: int = 0
    conflicts_gold: int = 0
    conflicts_right: int = 0
    collapse: int = 0
    statements: Counter[str] = field(default_factory=Counter)  # lang -> gold statements
    statements_joined: Counter[str] = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        for name in ("facts", "gold", "correct", "conflicts_found", "conflicts_gold"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.conflicts_right += other.conflicts_right
        self.collapse += other.collapse
        self.statements.update(other.statements)
        self.statements_joined.update(other.statements_joined)


def score_story(story: dict[str, Any], found: list[Found]) -> Score:
    gold = story["facts"]
    langs = story["articles"]
    pairs = []
    for i, f in enumerate(found):
        for j, g in enumerate(gold):
            if not _unit_ok(f, g):
                continue
            ok, _ = _value_of_gold(f, g)
            if not ok:
                continue
            stated, against = _statements(g)
            shared = len((f.supporting | f.conflicting) & (set(stated) | set(against)))
            if shared:
                pairs.append((shared, _same_noun(f, g), i, j))
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
    used_f: set[int] = set()
    used_g: dict[int, int] = {}
    for _, _, i, j in pairs:
        if i in used_f or j in used_g:
            continue
        used_f.add(i)
        used_g[j] = i
        found[i].gold = gold[j]
    s = Score(facts=len(found), gold=len(gold), collapse=sum(f.collapse for f in found))
    for j, g in enumerate(gold):
        stated, against = _statements(g)
        s.conflicts_gold += len(against)
        f = found[used_g[j]] if j in used_g else None
        if f is not None and _value_of_gold(f, g)[1]:
            s.correct += 1
            s.conflicts_right += len(f.conflicting & set(against))
        for aid in list(stated) + list(against):
            lang = langs.get(aid, "?")
            s.statements[lang] += 1
            if f is not None and aid in (f.supporting | f.conflicting):
                s.statements_joined[lang] += 1
    s.conflicts_found = sum(len(f.conflicting) for f in found)
    return s


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "n/a"


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# ---------------------------------------------------------------- report


def show(story: dict[str, Any], found: list[Found]) -> None:
    print(f"\n### {story['story']} ({len(story['articles'])} articles)")
    for g in story["facts"]:
        hit = next((f for f in found if f.gold is g), None)
        mark = "ok " if hit is not None and _value_of_gold(hit, g)[1] else ("val" if hit else "-- ")
        print(
            f"  {mark} gold {g['kind']:<8} {g['value']!s:>14} {g.get('unit', '')!s:<8} {g['what'][:60]}"
            f"  [{len(g.get('stated') or {})} for, {len(g.get('contradicted') or {})} against]"
        )
        if hit is None:
            first = next(iter((g.get("stated") or g.get("contradicted") or {}).values()), {})
            print(f"          says {first.get('surface', '')!r}")
        if hit is not None:
            print(
                f"          ours {hit.display}  [{len(hit.supporting)} for, {len(hit.conflicting)} against]"
            )
    for f in found:
        if f.gold is None:
            print(
                f"  +++ ours {f.kind:<8} {f.display}  slot {f.slot}  [{len(f.supporting)} for, {len(f.conflicting)} against]"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--split", choices=["dev", "test"], default=None)
    ap.add_argument("--story", action="append", default=[])
    ap.add_argument("--show", action="store_true", help="list each story's facts side by side")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data folder at {args.data}", file=sys.stderr)
        return 2
    stories = load_gold(args.gold)
    if args.split:
        stories = [s for s in stories if s["split"] == args.split]
    if args.story:
        stories = [s for s in stories if s["story"] in set(args.story)]
    if not stories:
        print("no gold stories selected", file=sys.stderr)
        return 2
    docs = load_documents(args.data, {a for s in stories for a in s["articles"]})
    missing = {a for s in stories for a in s["articles"]} - set(docs)
    if missing:
        print(f"gold names articles not in the data: {sorted(missing)[:5]}", file=sys.stderr)
        return 2
    totals: dict[tuple[str, str], Score] = defaultdict(Score)
    seconds = 0.0
    with tempfile.TemporaryDirectory(prefix="facts-bench-") as tmp:
        for story in stories:
            found, peer, took = run_storyfold(story, docs, Path(tmp))
            seconds += took
            ours, theirs = score_story(story, found), score_story(story, peer)
            for who, sc in (("storyfold", ours), ("peer", theirs)):
                totals[(story["split"], who)].add(sc)
                totals[("all", who)].add(sc)
                totals[(story["dataset"], who)].add(sc)
            if args.show:
                show(story, found)

    n_facts = sum(len(s["facts"]) for s in stories)
    print(f"\n{len(stories)} gold stories, {n_facts} gold facts, {seconds:.1f} s in storyfold\n")
    groups = [g for g in ("test", "dev", "all") if (g, "storyfold") in totals]
    groups += sorted({k for k, _ in totals} - {"test", "dev", "all"})
    print("| group | who | facts P | facts R | F1 | conflicts P | conflicts R | collapse | listed / gold |")
    print("|---|---|---|---|---|---|---|---|---|")
    for grp in groups:
        for who in ("storyfold", "peer"):
            sc = totals[(grp, who)]
            p = sc.correct / sc.facts if sc.facts else 0.0
            r = sc.correct / sc.gold if sc.gold else 0.0
            cp = _ratio(sc.conflicts_right, sc.conflicts_found) if who == "storyfold" else "–"
            cr = _ratio(sc.conflicts_right, sc.conflicts_gold) if who == "storyfold" else "–"
            coll = str(sc.collapse) if who == "storyfold" else "–"
            print(
                f"| {grp} | {who} | {p:.3f} | {r:.3f} | {_f1(p, r):.3f} | {cp} | {cr} | {coll} | "
                f"{sc.facts} / {sc.gold} |"
            )
    allsc = totals[("all", "storyfold")]
    print("\nGold statements joined to the matched fact, per language of the article:\n")
    print("| lang | statements | joined | share |")
    print("|---|---|---|---|")
    for lang, n in sorted(allsc.statements.items(), key=lambda kv: -kv[1]):
        print(
            f"| {lang} | {n} | {allsc.statements_joined[lang]} | {_ratio(allsc.statements_joined[lang], n)} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
