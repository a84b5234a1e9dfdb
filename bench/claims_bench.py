"""Claim extraction: our value grammar vs Microsoft Recognizers-Text on hand-labelled real text.

Run (from the repository root, project venv active):

    python bench/claims_bench.py                 # gold set + speed vs the peer (exit 2 when it cannot run)
    python bench/claims_bench.py --no-peer       # ours only

The peer lives in its own venv so it never enters the project's dependencies:

    python3 -m venv /work/bench-venv
    /work/bench-venv/bin/pip install recognizers-text-suite emoji==1.7.0

(`--peer-python` points at another interpreter). The peer runs in a subprocess of that venv.

Gold: `bench/claims_gold.jsonl`, labelled by hand by reading the sentences (never from either
tool's output). Each line is one sentence: a WMT news segment (`doc` + `seg` index into
`../shared/data/translations/wmt_docs.jsonl.gz`, shared sets only), a MEANTIME sentence
(`meantime_docs.jsonl.gz`, Italian, shared sub-corpora only) or, for Portuguese, a short
excerpt of a MediaCloud page (`../shared/data/extraction/dates_mediacloud`). `ref` is the
article date (from the WMT document id, the MEANTIME dateline, the page's gold date), used to
resolve "last June". Two splits: `dev` (newstest2009 + MediaCloud pt) was labelled first and
the grammar was then corrected where it failed (general fixes: missing scale words, German
capitalised nouns, clock times...); `test` (newstest2010 en/fr/es/de + MEANTIME it) was
labelled after those fixes and never used to fix anything (since then the code changed only
by output-preserving speed work and two sentence-splitter fixes that work surfaced: "Sept. 11,
2001", "im 1. Quartal"). Read `test` as the honest figure. Portuguese is in `dev` only (few pt news pages in the data).
Items: `num`/`pct`/`money`/`range`/`time` (a value a reader would extract, normalised),
`neg` (looks like a value but is not: clock times, scores, ordinals, road/product names,
"Sangre de mayo"), `ign` (out of scope: numbers written in words, weekdays, decades, race
times, translator slips such as "2,178 Kilo" in German).

Scoring, per language. A system output counts
- TP if it overlaps a gold value item and its normalised value is right (money: value and
  ISO currency; percent: absolute value, since a fall may be signed; time: the same calendar
  span, so 2008-H1 is not 2008-01-01; range: each end is one gold slot);
- FP if it overlaps a gold item with a wrong value, or a `neg` span, or contains a digit and
  overlaps nothing labelled;
- ignored if it overlaps only `ign` spans, or has no digit and overlaps nothing labelled.
Recall = gold slots found / gold slots. The peer's date outputs often carry two readings
(past and future): either one counts. Clock times, durations and sets that the peer itself
types as such are dropped (a consumer can filter them); its plain numbers inside a currency,
percentage, dimension or date span are dropped. Recognizers-Text for Python has no German or
Italian models, and no Portuguese dates: those cells say n/a or count as misses.

Speed: `extract_claims` over every shared WMT document in en/fr/es/de/it (1,664 articles, about
3,100 characters each), in one process (wall clock and per CPU-second), and on `--workers`
processes (2 by default) through `storyfold.engine.LocalExecutor`, the executor `storyfold
ingest --workers` runs its parallel steps on, with a parallel step that does only the claims
(`extract_or_failure` over each batch of 256 articles, the ingest's batch size): the figure
includes sending articles to the workers and claims back, as a user gets it, but none of the
ingest's other work (`bench/ingest_bench.py` measures that end to end). Each wall and per-CPU
figure is the median of three runs (one-process and pooled runs alternating), printed with the
range of the three; worker start-up is not timed. On a machine shared with other jobs the wall
figures and the pooled gain drop (the table notes the load average); the per-CPU-second figure
drops less (but still does, under hyper-threading contention).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from storyfold.claims import FailedExtraction, extract_claims, extract_or_failure
from storyfold.engine import LocalExecutor, Step
from storyfold.model import Article, Bound, Period, ValueKind

HERE = Path(__file__).resolve().parent
LANGS = ("en", "fr", "es", "de", "it", "pt")
PEER_CULTURE = {"en": "en-us", "fr": "fr-fr", "es": "es-es", "pt": "pt-br"}

# ------------------------------------------------------------------ gold


def load_gold(data: Path) -> list[dict]:
    rows = [json.loads(line) for line in (HERE / "claims_gold.jsonl").open(encoding="utf-8")]
    wanted = {r["doc"] for r in rows if r["src"] in ("wmt", "meantime")}
    docs: dict[str, list[str]] = {}
    with gzip.open(data / "translations" / "wmt_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in wanted:
                docs[d["id"]] = [s for p in d["paragraphs"] for s in p]
    with gzip.open(data / "translations" / "meantime_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in wanted:
                docs[d["id"]] = d["sentences"]
    for r in rows:
        if r["src"] in ("wmt", "meantime"):
            r["text"] = docs[r["doc"]][r["seg"]]
        for it in r["items"]:
            assert r["text"][it["start"] :].startswith(it["surface"]), (r["doc"], it["surface"])
            it["end"] = it["start"] + len(it["surface"])
    return rows


# ------------------------------------------------------------------ outputs
# An output: (start, end, kind, value, unit) with kind in money/pct/num/time; for time,
# value is (first day, last day).


def ours(rows: list[dict]) -> list[list[tuple]]:
    out = []
    for i, r in enumerate(rows):
        art = Article(
            id=f"g{i}",
            source="gold",
            title="",
            text=r["text"],
            lang=r["lang"],
            published=date.fromisoformat(r["ref"]),
        )
        outs = []
        for c in extract_claims(art):
            if c.kind is ValueKind.TIME:
                if c.period:
                    with contextlib.suppress(ValueError):
                        outs.append((c.start, c.end, "time", Period(c.period).bounds(), ""))
                continue
            kind = {ValueKind.MONEY: "money", ValueKind.PERCENT: "pct"}.get(c.kind, "num")
            vals = [c.value]
            if c.bound is Bound.RANGE and c.value_high is not None:
                vals.append(c.value_high)
            for v in vals:
                if v is not None:
                    outs.append((c.start, c.end, kind, v, c.unit))
        out.append(outs)
    return out


PEER_SCRIPT = r"""
import json, sys, datetime, time
from recognizers_suite import (recognize_number, recognize_currency, recognize_percentage,
                               recognize_dimension, recognize_datetime)
rows = json.load(sys.stdin)
for c in sorted({r["culture"] for r in rows}):  # warm-up: models load on first use
    for fn in (recognize_number, recognize_currency, recognize_percentage, recognize_dimension):
        fn("3 million", c, fallback_to_default_culture=False)
    recognize_datetime("2020", c, fallback_to_default_culture=False)
t0 = time.perf_counter()
res = []
for r in rows:
    c, text = r["culture"], r["text"]
    ref = datetime.datetime.fromisoformat(r["ref"])
    outs = []
    def run(name, fn, **kw):
        try:
            for x in fn(text, c, fallback_to_default_culture=False, **kw):
                outs.append({"m": name, "start": x.start, "end": x.end + 1, "text": x.text,
                             "type": x.type_name, "res": x.resolution})
        except Exception as e:
            outs.append({"m": name, "error": str(e)[:80]})
    run("currency", recognize_currency)
    run("percent", recognize_percentage)
    run("dimension", recognize_dimension)
    run("number", recognize_number)
    run("datetime", recognize_datetime, reference=ref)
    res.append(outs)
json.dump({"results": res, "secs": time.perf_counter() - t0}, sys.stdout)
"""

_CURRENCY_NAMES = (
    ("dollar", "USD"),
    ("dólar", "USD"),
    ("dollaro", "USD"),
    ("euro", "EUR"),
    ("real", "BRL"),
    ("taka", "BDT"),
    ("czech", "CZK"),
    ("koruna", "CZK"),
    ("corona", "CZK"),
    ("couronne", "CZK"),
    ("pound", "GBP"),
    ("libra", "GBP"),
    ("livre", "GBP"),
    ("yen", "JPY"),
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
)


def _peer_number(s: str, culture: str) -> float | None:
    s = s.strip().rstrip("%").strip()
    if culture != "en-us" and "," in s and "." not in s:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def _peer_currency(res: dict) -> str:
    if res.get("isoCurrency"):
        return res["isoCurrency"]
    name = (res.get("unit") or "").casefold()
    for key, code in _CURRENCY_NAMES:
        if name.startswith(key) or key in name.split():
            return code
    return name or "?"


def peer(rows: list[dict], python: str) -> tuple[list[list[tuple]] | None, str, float]:
    """Peer outputs per sentence (None when the peer cannot run), a note, and seconds spent."""
    if not Path(python).exists():
        return None, f"peer not importable: {python} missing (see the commands at the top)", 0.0
    todo = [
        {"culture": PEER_CULTURE[r["lang"]], "text": r["text"], "ref": r["ref"]}
        for r in rows
        if r["lang"] in PEER_CULTURE
    ]
    p = subprocess.run([python, "-c", PEER_SCRIPT], input=json.dumps(todo), capture_output=True, text=True)
    if p.returncode != 0:
        return None, "peer not importable: " + (p.stderr.strip().splitlines() or ["?"])[-1], 0.0
    got = json.loads(p.stdout)
    secs = got["secs"]  # after warm-up: the five models on every sentence
    raw = iter(got["results"])
    out: list[list[tuple]] = []
    for r in rows:
        if r["lang"] not in PEER_CULTURE:
            out.append([])
            continue
        culture = PEER_CULTURE[r["lang"]]
        ranked: list[tuple[int, tuple]] = []
        for o in next(raw):
            if "error" in o or o["res"] is None:
                continue
            s, e, res = o["start"], o["end"], o["res"]
            if o["m"] == "datetime":
                if o["type"] not in ("datetimeV2.date", "datetimeV2.daterange"):
                    ranked.append((0, (s, e, "drop", None, "")))  # clock time, duration, set
                    continue
                spans = []
                for v in res.get("values", []):
                    if "value" in v and re.fullmatch(r"\d{4}-\d\d-\d\d", v["value"]):
                        d = date.fromisoformat(v["value"])
                        spans.append((d, d))
                    elif "start" in v and "end" in v:
                        spans.append(
                            (date.fromisoformat(v["start"]), date.fromisoformat(v["end"]) - timedelta(days=1))
                        )
                if spans:
                    ranked.append((1, (s, e, "time", tuple(spans), "")))
            elif o["m"] == "currency":
                v = _peer_number(res.get("value") or "", culture)
                if v is not None:
                    ranked.append((0, (s, e, "money", v, _peer_currency(res))))
            elif o["m"] == "percent":
                v = _peer_number(res.get("value") or "", culture)
                if v is not None:
                    ranked.append((0, (s, e, "pct", v, "%")))
            elif o["m"] == "dimension":
                v = _peer_number(res.get("value") or "", culture)
                if v is not None:
                    ranked.append((0, (s, e, "num", v, res.get("unit") or "")))
            else:
                v = _peer_number(res.get("value") or "", culture)
                if v is not None:
                    ranked.append((2, (s, e, "num", v, "")))
        kept: list[tuple] = []
        for rank, o in sorted(ranked, key=lambda x: x[0]):
            inside = any(k[0] <= o[0] and o[1] <= k[1] for k in kept)
            if rank == 2 and inside:
                continue
            if rank == 1 and any(k[0] <= o[0] and o[1] <= k[1] and k[2] != "drop" for k in kept):
                continue
            kept.append(o)
        out.append([o for o in kept if o[2] != "drop"])
    return out, "recognizers-text-suite (Python)", secs


# ------------------------------------------------------------------ scoring


def _same(a: float, b: float) -> bool:
    return abs(abs(a) - abs(b)) <= 1e-6 * max(1.0, abs(b))


def _gold_bounds(label: str) -> tuple[date, date]:
    return Period(label).bounds()


def _matches(o: tuple, it: dict) -> list[int]:
    """Which slots of gold item `it` output `o` fills (range items have two)."""
    k = it["kind"]
    if k == "time":
        if o[2] != "time":
            return []
        spans = o[3] if isinstance(o[3][0], tuple) else (o[3],)
        return [0] if _gold_bounds(it["value"]) in spans else []
    if o[2] == "time":
        return []
    vals = [it["value"]] + ([it["high"]] if k == "range" else [])
    hit = [i for i, v in enumerate(vals) if _same(o[3], v)]
    money = k == "money" or (k == "range" and it.get("unit"))
    if hit and money and (o[2] != "money" or o[4] != it["unit"]):
        return []
    return hit


def score(rows: list[dict], outputs: list[list[tuple]]) -> dict[str, dict[str, int]]:
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r, outs in zip(rows, outputs, strict=True):
        t = tally[r["lang"]]
        vals = [it for it in r["items"] if it["kind"] not in ("neg", "ign")]
        negs = [it for it in r["items"] if it["kind"] == "neg"]
        ign = [it for it in r["items"] if it["kind"] == "ign"]
        found: set[tuple[int, int]] = set()
        t["gold"] += sum(2 if it["kind"] == "range" else 1 for it in vals)
        t["neg"] += len(negs)
        hit_neg: set[int] = set()
        for o in outs:
            s, e = o[0], o[1]

            def over(it: dict, s: int = s, e: int = e) -> bool:
                return s < it["end"] and it["start"] < e

            cands = [(i, it) for i, it in enumerate(vals) if over(it)]
            slots = [(i, j) for i, it in cands for j in _matches(o, it)]
            if slots:
                new = [x for x in slots if x not in found]
                if new:
                    found.add(new[0])
                    t["tp"] += 1
                continue
            if cands:
                t["fp"] += 1
                continue
            neg = [i for i, it in enumerate(negs) if over(it)]
            if neg:
                t["fp"] += 1
                hit_neg.update(neg)
                continue
            if any(over(it) for it in ign):
                continue
            if re.search(r"\d", r["text"][s:e]):
                t["fp"] += 1
        t["found"] += len(found)
        t["neg_hit"] += len(hit_neg)
    return tally


def _prf(t: dict[str, int]) -> tuple[float, float, float]:
    p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
    r = t["found"] / t["gold"] if t["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# ------------------------------------------------------------------ speed


def _wmt_articles(data: Path) -> list[Article]:
    arts = []
    with gzip.open(data / "translations" / "wmt_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["lang"] in LANGS and d["set"] != "newstest2014":
                arts.append(Article(id=d["id"], source="wmt", title="", text=d["text"], lang=d["lang"]))
    return arts


def _count_claims(arts: list[Article]) -> int:
    return sum(len(extract_claims(a)) for a in arts)


RUNS = 3  # each speed row: the median of this many runs, single and pooled alternating
BATCH = 256  # articles per batch through the executor (the ingest's default batch size)


class ClaimsStep(Step):
    """Claims alone, as a parallel step: what the ingest's `Prepare` step does for claims, each
    article's claims or its failure in place of the article (a module-level class: it pickles)."""

    name = "claims"
    parallel = True

    def run(self, batch: list) -> list:
        return [extract_or_failure(a) for a in batch]


def _batches(arts: list[Article]) -> list[list[Article]]:
    return [arts[i : i + BATCH] for i in range(0, len(arts), BATCH)]


def speed(data: Path, workers: int) -> dict[str, object]:
    """Articles/s in one process (wall clock and per CPU-second) and on `workers` processes
    through the ingest's executor (`LocalExecutor` running `ClaimsStep`: articles sent to the
    workers and claims sent back included), after its workers have started.

    Each figure is measured RUNS times, the one-process and the pooled runs alternating (so a
    burst of other work on the shared machine depresses both alike, not one), and reported as
    the median with the range: a single run on this VM varied by a third from one to the next.
    """
    arts = _wmt_articles(data)
    load = os.getloadavg()[0]
    wall: list[float] = []
    cpu: list[float] = []
    pool_wall: list[float] = []
    n_claims: int | None = None
    single_cpu = 0.0  # the main process's CPU in the one-process runs, taken out of the pooled
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    c_start = time.process_time()
    steps = [ClaimsStep()]
    with LocalExecutor(workers) as ex:
        list(ex.run(steps, [arts[: 4 * workers]]))  # start-up and imports (not timed, in the CPU row)
        for _ in range(RUNS):
            t0, c0 = time.perf_counter(), time.process_time()
            n = _count_claims(arts)
            wall.append(len(arts) / (time.perf_counter() - t0))
            cpu.append(len(arts) / (time.process_time() - c0))
            single_cpu += time.process_time() - c0
            assert n_claims is None or n == n_claims
            n_claims = n
            t0 = time.perf_counter()
            pooled = [r for b in ex.run(steps, _batches(arts)) for r in b]
            pool_wall.append(len(arts) / (time.perf_counter() - t0))
            assert len(pooled) == len(arts)
            assert sum(len(r) for r in pooled if not isinstance(r, FailedExtraction)) == n_claims
    # the workers' CPU time is known once they have exited (the executor is closed)
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu2 = (
        time.process_time()
        - c_start
        - single_cpu
        + (kids1.ru_utime + kids1.ru_stime)
        - (kids0.ru_utime + kids0.ru_stime)
    )
    return {
        "n": len(arts),
        "wall": wall,
        "cpu": cpu,
        "pool": pool_wall,
        "pool_cpu": RUNS * len(arts) / cpu2,
        "load": load,
        "load_after": os.getloadavg()[0],
    }


def _median_range(xs: object) -> str:
    """ "812 articles/s (790-845)": the median of the runs and their range."""
    assert isinstance(xs, list)
    return f"{statistics.median(xs):,.0f} articles/s ({min(xs):,.0f}-{max(xs):,.0f})"


SPLITS = (
    ("dev", "labelled first; the grammar was then corrected against it (general fixes only)"),
    ("test", "labelled after the grammar fixes, never used to fix anything"),
)


def _table(split: str, what: str, rows: list[dict], a: dict, b: dict | None) -> None:
    n_items = sum(a[lang]["gold"] for lang in a)
    n_neg = sum(a[lang]["neg"] for lang in a)
    print(f"{split}: {len(rows)} sentences, {n_items} value slots, {n_neg} traps -- {what}")
    print(
        f"| {'lang':4} | {'slots':>5} | {'traps':>5} | {'ours P':>6} | {'ours R':>6} | {'ours F1':>7} | "
        f"{'traps hit':>9} | {'peer P':>6} | {'peer R':>6} | {'peer F1':>7} | {'traps hit':>9} |"
    )
    print("|" + "|".join("-" * (w + 2) for w in (4, 5, 5, 6, 6, 7, 9, 6, 6, 7, 9)) + "|")
    tot_a: dict[str, int] = defaultdict(int)
    tot_b: dict[str, int] = defaultdict(int)
    for lang in LANGS:
        if lang not in a:
            continue
        pa = _prf(a[lang])
        for k, v in a[lang].items():
            tot_a[k] += v
        cells = [f"{x:.3f}" for x in pa] + [f"{a[lang]['neg_hit']}/{a[lang]['neg']}"]
        if b is not None and lang in PEER_CULTURE:
            pb = _prf(b[lang])
            for k, v in b[lang].items():
                tot_b[k] += v
            cells += [f"{x:.3f}" for x in pb] + [f"{b[lang]['neg_hit']}/{b[lang]['neg']}"]
        else:
            cells += ["n/a"] * 4
        print(
            f"| {lang:4} | {a[lang]['gold']:>5} | {a[lang]['neg']:>5} | {cells[0]:>6} | {cells[1]:>6} | "
            f"{cells[2]:>7} | {cells[3]:>9} | {cells[4]:>6} | {cells[5]:>6} | {cells[6]:>7} | {cells[7]:>9} |"
        )
    pa = _prf(tot_a)
    hit = f"{tot_a['neg_hit']}/{tot_a['neg']}"
    print(
        f"| {'all':4} | {tot_a['gold']:>5} | {tot_a['neg']:>5} | {pa[0]:>6.3f} | {pa[1]:>6.3f} | {pa[2]:>7.3f} | "
        f"{hit:>9} | {'':>6} | {'':>6} | {'':>7} | {'':>9} |"
    )
    if b is not None:
        both = {
            k: sum(a[lang][k] for lang in PEER_CULTURE if lang in a) for k in ("tp", "fp", "found", "gold")
        }
        ps, pb = _prf(both), _prf(tot_b)
        print(
            f"| languages both read ({', '.join(x for x in PEER_CULTURE if x in a)}): "
            f"ours P {ps[0]:.3f} R {ps[1]:.3f} F1 {ps[2]:.3f} | peer P {pb[0]:.3f} R {pb[1]:.3f} F1 {pb[2]:.3f} |"
        )
    print()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    ap.add_argument("--peer-python", default="/work/bench-venv/bin/python")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--workers", type=int, default=2, help="processes for the pooled speed row")
    args = ap.parse_args()

    rows = load_gold(args.data)
    t0 = time.perf_counter()
    mine = ours(rows)
    my_secs = time.perf_counter() - t0
    if args.no_peer:
        theirs, note, peer_secs = None, "peer skipped (--no-peer)", 0.0
    else:
        theirs, note, peer_secs = peer(rows, args.peer_python)
    for split, what in SPLITS:
        idx = [i for i, r in enumerate(rows) if r.get("split", "dev") == split]
        sub = [rows[i] for i in idx]
        a = score(sub, [mine[i] for i in idx])
        b = score(sub, [theirs[i] for i in idx]) if theirs is not None else None
        _table(split, what, sub, a, b)
    print(f"peer: {note}")
    print()
    sp = speed(args.data, args.workers)
    print("| figure | ours | peer |")
    print("|---|---|---|")
    n_peer = sum(1 for r in rows if r["lang"] in PEER_CULTURE)
    peer_rate = f"{n_peer / peer_secs:,.0f} sentences/s (5 models, warm)" if theirs else "n/a"
    print(f"| gold sentences/s, 1 process | {len(rows) / my_secs:,.0f} | {peer_rate} |")
    n = int(sp["n"])
    print(
        f"| {n} WMT articles (en fr es de it), 1 process, wall: median of {RUNS} (range) | {_median_range(sp['wall'])} | |"
    )
    print(f"| same, per CPU-second of the process (less load-sensitive) | {_median_range(sp['cpu'])} | |")
    print(
        f"| same, LocalExecutor with {args.workers} worker processes, wall: median of {RUNS} (range) "
        f"| {_median_range(sp['pool'])} | |"
    )
    print(
        f"| same, per CPU-second of the main process and the workers (start-up included) "
        f"| {sp['pool_cpu']:,.0f} articles/s | |"
    )
    print()
    if theirs is None and not args.no_peer:
        print(f"the peer did not run ({note}): the comparison is missing; --no-peer to measure ours alone")
    print(
        f"machine: {os.cpu_count()} CPUs; 1-minute load average {sp['load']:.2f} before the speed runs, "
        f"{sp['load_after']:.2f} after (above about 0.3, other work shares the CPUs and the wall "
        "figures are depressed)"
    )
    return 2 if theirs is None and not args.no_peer else 0


if __name__ == "__main__":
    sys.exit(main())
