"""Every language: how storyfold does on each of NTREX-128's languages, through the real ingest.

usage:
  PYTHONPATH=src python bench/languages_bench.py             # ~1 min on 2 cores
  python bench/languages_bench.py --json out.json            # also the per-language figures
  python bench/languages_bench.py --db x.db                  # keep the database; when it exists
                                                             # already, measure it without ingesting

The 5,547 documents of `translations/ntrex_dev.jsonl.gz` (43 WMT19 stories, the English
original and its versions in 128 languages) are written as JSONL records {id, title, text}:
no `lang` (storyfold detects it), no `outlet` and no `url`, so every article's voice is the
file name (`Article.voice`). The 43 English originals come first (news is published before it
is translated; the file itself puts English last: `--file-order`), then the rest in the file's
order. `storyfold ingest` runs on them once, in a child process, as a user would. The database it leaves is then read back; an input is joined to
its NTREX document by its JSONL `id`. One row per language:

  langid   share of its documents where `detect_lang(title + text)` gives the language's ISO
           639-1 code (babel's CLDR aliases map ISO 639-3 to 639-1; the 639-1 code of the
           ISO 639-3 macrolanguage holding it is accepted too, `MACRO`). "-" when the
           language has no 639-1 code at all: no answer detect_lang can give is right.
  link P   of the relations (any kind) touching its articles, the share joining two documents
           of one story: a wrong translation link merges voices that are independent.
  link R   share of its documents related directly to their English original (or stored as
           the same article): what the fold itself sees. A new article is compared with a
           dozen candidates at most, drawn from the first 3 and the latest 50 articles per
           anchor, plus the earliest with half the best one's votes and the original the best
           candidates were themselves linked to (`FoldSettings`).
  reach    share joined to the English original through a chain of relations: what decides
           whether a story's versions are counted as one voice.
  BCubed   story clustering of the whole corpus, scored per language over its documents
           (each against the whole clustering): do the versions land in their story?
  values   share of the English original's (kind, value) pairs -- dates and periods, money
           with its currency, counts, percentages, as the stored claims normalise them --
           that the version's claims hold too: numbers written natively (other digits,
           lakh, 万) must come out as the same value.
  kept     share of its input characters left in the stored articles after cleaning.
  lost     its inputs that made no article (rejected, or missing from the inputs table);
           "dup" counts those stored as the same article as another input (not lost).

The overall BCubed is given twice: against NTREX's groups (each WMT19 document and its
translations) and against its events (`bench/ntrex_events.json`, labelled by reading the
English originals): four tsunami reports, four Ryder Cup reports and two other events are one
story each, as storyfold is meant to make them, while the document gold counts them apart.

Rows are sorted weakest story outcome first (BCubed F1, then reach, then values); below the
table, the lowest languages of each figure and one summary line.

Regional variants (eng-GB/US/IN, fra-CA, por-BR, spa-MX) are near-copies of a sibling: they
stay in the corpus and are marked "~sibling". The shared file repeats the 43 ids of `spa`
(two slightly different Spanish references; gsw-BE and gsw-ZH of the tsv are absent): the
second occurrence of an id is renamed `<id>#2` and reported as language `spa#2`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from babel.core import get_global

import storyfold
from storyfold.ingest.meta import detect_lang
from storyfold.model import Claim, ValueKind
from storyfold.pipeline import Library
from storyfold_eval.metrics import bcubed

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EVENTS = Path(__file__).resolve().parent / "ntrex_events.json"  # NTREX documents grouped by event
VARIANTS = {
    "eng-GB": "eng",
    "eng-US": "eng",
    "eng-IN": "eng",
    "fra-CA": "fra",
    "por-BR": "por",
    "spa-MX": "spa",
}
# ISO 639-3 macrolanguage membership (SIL's iso-639-3_macrolanguages table) for the codes here
# whose macrolanguage has a 639-1 code other than their own: fastText answers with the macro
MACRO = {"nob": "no", "nno": "no", "ckb": "ku", "mey": "ar", "yue": "zh", "ind": "ms", "bos": "sh"}
MACRO |= {"hrv": "sh", "srp": "sh"}
VALUE_KINDS = (ValueKind.TIME, ValueKind.MONEY, ValueKind.COUNT, ValueKind.PERCENT)
Row = dict[str, Any]


def load(data: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The documents in file order, ids made unique (a repeated id's second copy gets `#2`)."""
    with gzip.open(data / "translations" / "ntrex_dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    seen: set[str] = set()
    for d in docs:
        d["code"] = d["lang"]
        if d["id"] in seen:
            d["id"], d["code"] = f"{d['id']}#2", f"{d['lang']}#2"
        seen.add(d["id"])
    names = {"eng": "English (original)"}
    for line in (data / "translations" / "ntrex_languages.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            code, name = line.split(None, 1)
            names[code] = name.strip()
    for code in {d["code"] for d in docs} - names.keys():
        names[code] = names.get(code.split("#")[0], code) + " (2nd copy)"
    return docs, names


def accepted_iso1(code: str) -> set[str]:
    """The detect_lang answers that are right for an NTREX code; empty when it has no 639-1."""
    base = code.split("#")[0].split("-")[0]
    aliases = get_global("language_aliases")
    got = set()
    if alias := aliases.get(base):
        got.add(re.split("[_-]", alias)[0])  # prs -> fa_AF
    got |= {two for two, three in aliases.items() if len(two) == 2 and three == base}  # tl -> fil
    if base in MACRO:
        got.add(MACRO[base])
    return {c for c in got if len(c) == 2}


def ingest(docs: list[dict[str, Any]], db: Path, workers: int | None) -> tuple[float, str, str, int]:
    """`storyfold ingest corpus.jsonl --db db --quiet` in a child process: (seconds, stdout,
    stderr, exit code). The child imports the same storyfold this script does."""
    corpus = db.parent / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps({"id": d["id"], "title": d["title"], "text": d["text"]}, ensure_ascii=False))
            fh.write("\n")
    src = str(Path(storyfold.__file__).resolve().parents[1])
    env = dict(
        os.environ,
        COLUMNS="200",
        PYTHONPATH=os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
    )
    cmd = [sys.executable, "-c", "from storyfold.cli import app; app()", "ingest", str(corpus)]
    cmd += ["--db", str(db), "--quiet"] + (["--workers", str(workers)] if workers else [])
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return time.perf_counter() - t0, proc.stdout, proc.stderr, proc.returncode


def value_key(c: Claim) -> tuple[Any, ...] | None:
    """What must agree for a value to count as found: the period, or the number (to 6 digits)
    with its range end and, for money and percentages, the unit (currency, % or pp)."""
    if c.kind not in VALUE_KINDS:
        return None
    if c.kind is ValueKind.TIME:
        return (c.kind.value, c.period) if c.period else None
    if c.value is None:
        return None

    def num(v: float | None) -> float | None:
        return None if v is None else float(f"{v:.6g}")

    unit = c.unit if c.kind in (ValueKind.MONEY, ValueKind.PERCENT) else ""
    return (c.kind.value, num(c.value), num(c.value_high), unit)


def per_item_bcubed(pred: dict[str, str], gold: dict[str, str]) -> dict[str, tuple[float, float]]:
    """(precision, recall) of each item against the whole clustering; their mean is BCubed."""
    joint = Counter((pred[i], gold[i]) for i in gold)
    psize, gsize = Counter(pred[i] for i in gold), Counter(gold.values())
    return {i: (joint[pred[i], g] / psize[pred[i]], joint[pred[i], g] / gsize[g]) for i, g in gold.items()}


def share(hit: float, n: float) -> float | None:
    return hit / n if n else None


def measure(db: Path, docs: list[dict[str, Any]], names: dict[str, str]) -> tuple[list[Row], dict[str, Any]]:
    with Library(db, readonly=True, workers=1) as lib:
        store = lib.store
        inputs = {r.input_id: r for r in store.iter_inputs() if r.input_id}
        stored = {a.id: (a, sid) for a, sid in store.iter_articles()}
        relations = lib.relations()
        claims: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        ids = list(stored)
        for i in range(0, len(ids), 500):
            for c in store.claims_of(ids[i : i + 500]):
                if (k := value_key(c)) is not None:
                    claims[c.article_id].add(k)
        errors = store.errors()

    art: dict[str, str] = {}  # NTREX id -> stored article id
    for d in docs:
        rec = inputs.get(d["id"])
        if rec and rec.status in ("article", "duplicate") and rec.article_id in stored:
            art[d["id"]] = rec.article_id
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in docs:
        if d["id"] in art:
            by_article[art[d["id"]]].append(d)

    groups_of = {a: {d["group"] for d in by_article[a]} for a in stored}
    parent = {a: a for a in stored}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges = set()
    for r in relations:
        if r.a in parent and r.b in parent:
            edges.add(frozenset((r.a, r.b)))
            parent[root(r.a)] = root(r.b)
    english = {d["group"]: art.get(d["id"]) for d in docs if d["code"] == "eng"}

    gold = {d["id"]: d["group"] for d in docs}
    pred = {i: stored[art[i]][1] if i in art else f"lost:{i}" for i in gold}  # a lost doc: alone
    items = per_item_bcubed(pred, gold)
    overall = bcubed(pred, gold)
    event_of = {
        g: e for e, gs in json.loads(EVENTS.read_text(encoding="utf-8"))["events"].items() for g in gs
    }
    by_event = bcubed(pred, {i: event_of.get(g, g) for i, g in gold.items()})
    mean_p = sum(p for p, _ in items.values()) / len(items)
    assert math.isclose(mean_p, overall.precision), "per-item BCubed disagrees with storyfold_eval"

    line_of = {n + 1: d for n, d in enumerate(docs)}
    err_by_code: Counter[str] = Counter()
    for e in errors:
        m = re.search(r":line (\d+)$", e.source)
        err_by_code[line_of[int(m[1])]["code"] if m else "?"] += 1

    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in docs:
        by_code[d["code"]].append(d)
    rows: list[Row] = []
    for code, members in sorted(by_code.items()):
        ok = accepted_iso1(code)
        detected = Counter(detect_lang(d["title"] + "\n\n" + d["text"]) for d in members)
        mine = {art[d["id"]] for d in members if d["id"] in art}
        touching = [e for e in edges if e & mine]
        same = sum(1 for e in touching if set.intersection(*(groups_of[a] for a in e)))
        direct = reached = found = wanted = 0
        for d in members:
            x, e = art.get(d["id"]), english[d["group"]]
            if x and e:
                direct += x == e or frozenset((x, e)) in edges
                reached += root(x) == root(e)
            if e:
                ref = claims.get(e, set())
                wanted += len(ref)
                found += len(ref & claims.get(x, set())) if x else 0
        p = sum(items[d["id"]][0] for d in members) / len(members)
        r = sum(items[d["id"]][1] for d in members) / len(members)
        statuses = Counter(inputs[d["id"]].status if d["id"] in inputs else "missing" for d in members)
        base = code.split("#")[0]
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "variant_of": VARIANTS.get(base) or (base if "#" in code else None),
                "n": len(members),
                "accepted_iso1": sorted(ok),
                "langid": share(sum(detected[c] for c in ok), len(members)) if ok else None,
                "detected": detected.most_common(1)[0][0],
                "link_p": share(same, len(touching)),
                "n_links": len(touching),
                "link_r": None if code == "eng" else direct / len(members),
                "reach": None if code == "eng" else reached / len(members),
                "bcubed_p": p,
                "bcubed_r": r,
                "bcubed_f1": 2 * p * r / (p + r) if p + r else 0.0,
                "values": None if code == "eng" else share(found, wanted),
                "n_values": wanted,
                "kept": share(
                    sum(len(stored[art[d["id"]]][0].text) for d in members if d["id"] in art),
                    sum(len(d["text"]) for d in members),
                ),
                "lost": len(members) - sum(d["id"] in art for d in members),
                "dup": statuses["duplicate"],
                "errors": err_by_code[code],
            }
        )
    lang_stored = Counter(stored[art[d["id"]]][0].lang for d in docs if d["id"] in art)
    totals = {
        "bcubed": {"precision": overall.precision, "recall": overall.recall, "f1": overall.f1},
        "bcubed_events": {"precision": by_event.precision, "recall": by_event.recall, "f1": by_event.f1},
        "stories": len({sid for _, sid in stored.values()}),
        "articles": len(stored),
        "relations": len(relations),
        "relation_kinds": dict(Counter(r.kind.value for r in relations)),
        "inputs": dict(Counter(r.status for r in inputs.values())),
        "rejected": [
            (d["id"], inputs[d["id"]].reason)
            for d in docs
            if inputs.get(d["id"]) and inputs[d["id"]].status == "rejected"
        ],
        "errors": [str(e) for e in errors],
        "crashes": [str(e) for e in errors if "failed" in e.message],
        "stored_und": lang_stored.get("und", 0),
    }
    return rows, totals


def fmt(x: float | None, width: int = 6) -> str:
    return f"{x:{width}.3f}" if x is not None else f"{'-':>{width}}"


def weakest(row: Row) -> tuple[float, ...]:
    """Whether the language's versions land in their story comes first; the English original
    (no reach or values of its own) counts as fully reached."""
    return tuple(1.0 if row[k] is None else row[k] for k in ("bcubed_f1", "reach", "values"))


def report(rows: list[Row], totals: dict[str, Any], ingest_line: str) -> None:
    print(
        f"{'lang':<9} {'name':<28} {'n':>3} {'langid':>6} {'det':>4} {'linkP':>6} {'links':>5} {'linkR':>6}"
        f" {'reach':>6} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'values':>6} {'of':>4} {'kept':>5} {'lost':>4} {'dup':>3} {'err':>3}"
    )
    for r in sorted(rows, key=lambda r: (*weakest(r), r["code"])):
        name = r["name"] + (f" ~{r['variant_of']}" if r["variant_of"] else "")
        print(
            f"{r['code']:<9} {name[:28]:<28} {r['n']:>3} {fmt(r['langid'])} {r['detected']:>4} {fmt(r['link_p'])}"
            f" {r['n_links']:>5} {fmt(r['link_r'])} {fmt(r['reach'])} {fmt(r['bcubed_p'])} {fmt(r['bcubed_r'])}"
            f" {fmt(r['bcubed_f1'])} {fmt(r['values'])} {r['n_values']:>4} {fmt(r['kept'], 5)} {r['lost']:>4} {r['dup']:>3} {r['errors']:>3}"
        )
    others = [r for r in rows if r["code"] != "eng"]
    print()
    for key, label in (
        ("langid", "langid"),
        ("link_p", "link P"),
        ("link_r", "link R"),
        ("reach", "reach"),
        ("bcubed_f1", "BCubed F1"),
        ("values", "values"),
        ("kept", "kept"),
    ):
        low = sorted((r[key], r["code"]) for r in rows if r[key] is not None)[:8]
        print(f"lowest {label:<10} " + ", ".join(f"{c} {x:.2f}" for x, c in low))
    print(
        "langid not scored (no ISO 639-1 code): " + ", ".join(r["code"] for r in rows if r["langid"] is None)
    )
    print("macrolanguage codes accepted: " + ", ".join(f"{k}->{v}" for k, v in MACRO.items()))
    print(
        f"stored: {totals['articles']} articles, {totals['stories']} stories, {totals['relations']} relations "
        f"{totals['relation_kinds']}; inputs {totals['inputs']}; stored lang 'und': {totals['stored_und']}"
    )
    for doc_id, reason in totals["rejected"][:10]:
        print(f"rejected: {doc_id}: {reason}")
    for e in totals["crashes"][:10]:  # the other errors stored are the rejections above
        print(f"crash: {e}")
    good_links = sum(1 for r in others if (r["link_r"] or 0) >= 0.9 and (r["link_p"] or 0) >= 0.98)
    good_reach = sum(1 for r in others if (r["reach"] or 0) >= 0.9)
    good_values = sum(1 for r in others if (r["values"] or 0) >= 0.85)
    scored = [r for r in rows if r["langid"] is not None]
    langid = sum(r["langid"] * r["n"] for r in scored) / sum(r["n"] for r in scored)
    b3, b3e = totals["bcubed"], totals["bcubed_events"]
    print(
        f"overall: BCubed F1 {b3['f1']:.3f} (P {b3['precision']:.3f}, R {b3['recall']:.3f}) against NTREX's "
        f"documents, {b3e['f1']:.3f} (P {b3e['precision']:.3f}, R {b3e['recall']:.3f}) against its events "
        f"({EVENTS.name}); langid {langid:.3f} "
        f"of {len(scored)} scored languages; languages with link recall >= 0.90 at precision >= 0.98: "
        f"{good_links} of {len(others)}; reach >= 0.90: {good_reach} of {len(others)}; values found >= 0.85: "
        f"{good_values} of {len(others)}; crashes {len(totals['crashes'])}, lost {sum(r['lost'] for r in rows)}; "
        f"{ingest_line}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--db", type=Path, help="keep the database here; an existing one is measured as is")
    ap.add_argument("--workers", type=int, help="storyfold ingest --workers (default: its own)")
    ap.add_argument("--json", type=Path, help="write the per-language figures here")
    ap.add_argument("--file-order", action="store_true", help="ingest in the file's order (English last)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    docs, names = load(args.data)
    if not args.file_order:
        docs = [d for d in docs if d["code"] == "eng"] + [d for d in docs if d["code"] != "eng"]
    with tempfile.TemporaryDirectory(prefix="langbench-") as tmp:
        db = args.db or Path(tmp) / "ntrex.db"
        if db.exists():
            ingest_line = f"ingest not run ({db} exists)"
            seconds = None
        else:
            db.parent.mkdir(parents=True, exist_ok=True)
            seconds, out, err, code = ingest(docs, db, args.workers)
            print(out.strip())
            crash = [line for line in err.splitlines() if "Traceback" in line or "failed on" in line]
            if code or crash:
                print(f"storyfold ingest exited {code}; stderr:\n" + "\n".join(err.splitlines()[-30:]))
            ingest_line = (
                f"ingest {len(docs)} articles in {seconds:.0f} s ({len(docs) / seconds:.1f} articles/s)"
            )
        rows, totals = measure(db, docs, names)
    report(rows, totals, ingest_line)
    print(f"bench wall time {time.perf_counter() - t0:.0f} s")
    if args.json:
        totals["ingest_seconds"] = seconds
        args.json.write_text(json.dumps({"languages": rows, "totals": totals}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
