"""A synthetic news stream of any length, built from the real articles in ../shared/data.

    python bench/synth_stream.py 10000 --out stream.jsonl [--seed 0] [--per-day 20000]

Why synthetic: the real sets hold about ten thousand documents, and an ingest has to be
measured at a million. Every sentence here is a real news sentence; what is made up is which
sentences go together, the names and numbers in them, the outlets and the dates.

A story starts from one real document (any of ECB+, NewsWCL50, Gedikli, WMT, MEANTIME, NTREX)
and gets its own names and numbers: each capitalised word is replaced, consistently within the
story, by an invented name, and each number by another of the same length, so a document used
again later makes a different story. Its articles are then:
- the first report, by one outlet;
- exact copies and near-copies (a sentence dropped, another title) by other outlets, as wires
  are syndicated;
- rewrites: another article on the same story (part of the story's sentences, re-grouped, with
  sentences from other documents spliced in), days later;
- translations: for a story drawn from a translation group, the group's other languages.
Outlets append their own footer, and some articles carry the same newsletter sign-up paragraph,
so shared boilerplate is part of the load. Each record carries `gold_story`, which storyfold
ignores, so a bench can score the stories too.
"""

from __future__ import annotations

import argparse
import gzip
import heapq
import json
import math
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

_SENT = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])")
_CAP = re.compile(r"(?<![\w.])([A-ZÀ-ÖØ-ÞА-ЯЁΑ-Ω][\w'’-]{2,})")
_NUM = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?(?![\d])")
_YEAR = re.compile(r"^(1[89]\d\d|20[0-4]\d)$")
_SYLLABLES = re.findall(
    r"\w+",
    "ka ro vel min dor sha lu ten bri ost mar fen qui zan dal per nor ith ul ves tor gan bel"
    " ria sol kem ard vin hal pra sev ota cun mel dri",
)
_NEWSLETTER = (
    "Sign up for our free morning newsletter to get the most important stories of the day"
    " delivered straight to your inbox before you start work."
)
_WIRE_FOOTER = (
    "Copyright 2024 The Continental Wire. All rights reserved. This material may not be published,"
    " broadcast, rewritten or redistributed without written permission."
)
_FOOTERS = (
    "Copyright {name} {i} Media Group. All rights reserved.",
    "{name} is an independent newsroom. Support our journalism with a subscription from {n} a month.",
    "Got a tip for {name}? Write to tips@{host} or call our newsroom on {phone}, day or night.",
    "Follow {name} on social media for live updates, and download our app for breaking news alerts.",
    "This article first appeared in the print edition of {name} {i}. Corrections: {host}/corrections.",
    "{name} {i} reporting, with additional reporting by our regional desks. Edited by the {name} staff.",
)


@dataclass
class Doc:
    lang: str
    title: str
    paragraphs: list[list[str]]  # sentences per paragraph
    group: str | None = None  # translation group


@dataclass
class Pools:
    by_lang: dict[str, list[Doc]] = field(default_factory=lambda: defaultdict(list))
    groups: dict[str, list[Doc]] = field(default_factory=lambda: defaultdict(list))


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENT.split(paragraph) if s and s.strip()]


def _doc(lang: str, title: str | None, text: str, group: str | None = None) -> Doc | None:
    paras = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    sents = [_sentences(p) for p in paras]
    sents = [s for s in sents if s]
    if not sents:
        return None
    if not title:
        title = sents[0][0][:150]
    return Doc(lang, title.strip(), sents, group)


def _jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


_NTREX_ISO = {"zho-CN": "zh", "zho-TW": "zh-tw"}


def load_pools(data: Path) -> Pools:
    """Every usable real document, by language, and the translation groups."""
    pools = Pools()
    ev = data / "events"
    for r in _jsonl(ev / "ecbplus_docs.jsonl.gz"):
        d = _doc("en", r.get("title"), r.get("text") or "")
        if d:
            pools.by_lang["en"].append(d)
    for r in _jsonl(ev / "newswcl50_docs.jsonl.gz"):
        d = _doc("en", None, r.get("text") or "")
        if d:
            pools.by_lang["en"].append(d)
    for r in _jsonl(ev / "gedikli_articles.jsonl.gz"):
        d = _doc("en", r.get("title"), r.get("text") or "")
        if d:
            pools.by_lang["en"].append(d)
    tr = data / "translations"
    for name in ("wmt_docs.jsonl.gz", "meantime_docs.jsonl.gz", "ntrex_dev.jsonl.gz"):
        for r in _jsonl(tr / name):
            lang = r["lang"]
            if name.startswith("ntrex"):
                lang = _NTREX_ISO.get(lang, lang)
            d = _doc(lang, r.get("title"), r.get("text") or "", r["group"])
            if d:
                pools.by_lang[lang].append(d)
                pools.groups[r["group"]].append(d)
    return pools


_NAME_POOL = 400_000


def _invented_name(i: int) -> str:
    """The i-th invented name: a fixed pseudo-word per number."""
    rng = random.Random(i * 7919 + 17)
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4)))).capitalize()


class _Story:
    """One synthetic story: its own names and numbers, its sentences and its articles so far."""

    def __init__(self, sid: str, rng: random.Random, day: int) -> None:
        self.id = sid
        self.rng = rng
        self.day = day
        self.names: dict[str, str] = {}
        self.numbers: dict[str, str] = {}

    def _name(self, word: str) -> str:
        got = self.names.get(word)
        if got is None:
            # log-uniform ranks: a few names are common (each under 2% of mentions), most are rare
            rank = int(math.exp(self.rng.uniform(0.15, 1.0) * math.log(_NAME_POOL)))
            got = self.names[word] = _invented_name(rank)
        return got

    def _number(self, m: re.Match[str]) -> str:
        s = m.group(0)
        if _YEAR.match(s):
            return s
        got = self.numbers.get(s)
        if got is None:
            rng = self.rng
            got = "".join(
                str(rng.randint(1 if i == 0 else 0, 9)) if c.isdigit() else c for i, c in enumerate(s)
            )
            self.numbers[s] = got
        return got

    def own(self, sentence: str) -> str:
        """The sentence with this story's names and numbers."""
        # a capital opening the sentence is usually an ordinary word: left alone
        out = _CAP.sub(lambda m: m.group(1) if m.start() < 2 else self._name(m.group(1)), sentence)
        return _NUM.sub(self._number, out)


class StreamGenerator:
    """Deterministic for a seed: the same records in the same order."""

    def __init__(
        self,
        data: Path = DEFAULT_DATA,
        seed: int = 0,
        per_day: int = 20_000,
        start: date = date(2024, 1, 1),
        outlets: int = 400,
        translated_share: float = 0.08,
    ) -> None:
        self.pools = load_pools(data)
        self.rng = random.Random(seed)
        self.per_day = per_day
        self.start = start
        self.translated_share = translated_share
        langs = sorted(self.pools.by_lang)
        # most stories in English, then the European languages of WMT/MEANTIME, then the rest
        weights = []
        for lang in langs:
            n = len(self.pools.by_lang[lang])
            weights.append(6.0 if lang == "en" else (1.0 if n > 100 else 0.03))
        self.langs, self.lang_weights = langs, weights
        self.groups = sorted(g for g, docs in self.pools.groups.items() if len({d.lang for d in docs}) > 1)
        self.outlets = [self._outlet(i) for i in range(outlets)]

    def _outlet(self, i: int) -> tuple[str, str, str]:
        rng = random.Random(1000 + i)
        kind = rng.choice(("News", "Times", "Herald", "Post", "Daily", "Observer"))
        name = f"{''.join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()} {kind}"
        host = f"{name.split()[0].lower()}{i}.example"
        footer = rng.choice(_FOOTERS).format(
            name=name,
            i=i,
            host=host,
            n=rng.randint(2, 19),
            phone=f"{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        )
        return name, host, footer

    def __iter__(self) -> Iterator[dict]:
        pending: list[tuple[float, int, dict]] = []  # (time, tie, record): articles due later
        seq = 0
        n_story = 0
        t = 0.0  # in days
        while True:
            # a new story starts; its articles are scheduled over the next days
            n_story += 1
            for rec_t, rec in self._story(f"g{n_story:07d}", t):
                heapq.heappush(pending, (rec_t, seq, rec))
                seq += 1
            t += 1.0 / self.per_day * self._mean_size
            while pending and pending[0][0] <= t:
                _, _, rec = heapq.heappop(pending)
                yield rec

    _mean_size = 4.0

    def _story(self, sid: str, t: float) -> list[tuple[float, dict]]:
        rng = self.rng
        st = _Story(sid, random.Random(rng.random()), int(t))
        size = min(60, max(1, int(rng.paretovariate(1.1))))  # many small stories, a few large
        if rng.random() < self.translated_share and self.groups:
            docs = list(self.pools.groups[rng.choice(self.groups)])
            rng.shuffle(docs)
        else:
            lang = rng.choices(self.langs, self.lang_weights)[0]
            docs = [rng.choice(self.pools.by_lang[lang])]
        out: list[tuple[float, dict]] = []
        if len(docs) == 1:  # a story of its own, not just the document under other names
            docs = [self._splice(docs[0])]
        base = docs[0]
        first = self._article(st, base, base.paragraphs, base.title, t)
        out.append((t, first))
        for _ in range(size - 1):
            r = rng.random()
            when = t + rng.expovariate(1 / 2.0)  # days after the first report
            if r < 0.3 and len(docs) > 1:  # a translation
                d = docs[rng.randrange(1, len(docs))]
                out.append((when, self._article(st, d, d.paragraphs, d.title, when)))
            elif r < 0.5:  # a syndicated copy (another outlet)
                out.append((t + rng.random() * 0.5, dict(self._copy(first), date=self._date(t))))
            elif r < 0.65:  # a near-copy
                paras = [list(p) for p in base.paragraphs]
                if sum(map(len, paras)) > 3:
                    i = rng.randrange(len(paras))
                    if paras[i]:
                        paras[i].pop(rng.randrange(len(paras[i])))
                out.append((t + rng.random(), self._article(st, base, [p for p in paras if p], None, t)))
            else:  # another article on the story
                out.append((when, self._rewrite(st, base, when)))
        return out

    def _splice(self, doc: Doc) -> Doc:
        """The document with about a third of its sentences dropped and a quarter of what is
        left brought in from other documents of its language: two stories that start from one
        document share some sentences, as two stories on one subject do, not all of them."""
        rng = self.rng
        pool = self.pools.by_lang[doc.lang]
        paras = []
        for p in doc.paragraphs:
            kept = [x for x in p if rng.random() > 0.35]
            if rng.random() < 0.25:
                other = rng.choice(rng.choice(pool).paragraphs)
                kept.insert(rng.randrange(len(kept) + 1), rng.choice(other))
            if kept:
                paras.append(kept)
        return Doc(doc.lang, doc.title, paras or doc.paragraphs, doc.group)

    def _date(self, t: float) -> str:
        return (self.start + timedelta(days=int(t))).isoformat()

    def _article(
        self, st: _Story, doc: Doc, paragraphs: list[list[str]], title: str | None, t: float
    ) -> dict:
        rng = self.rng
        name, host, footer = rng.choice(self.outlets)
        paras = [" ".join(st.own(s) for s in p) for p in paragraphs]
        if rng.random() < 0.6:
            paras.append(footer)
        if rng.random() < 0.1:
            paras.append(_WIRE_FOOTER)
        if rng.random() < 0.1:
            paras.insert(min(len(paras), 2), _NEWSLETTER)
        head = st.own(title) if title else st.own(paragraphs[0][0])[:150] + " (update)"
        rec = {
            "id": f"{host}/{st.id}-{rng.getrandbits(32):08x}",
            "url": f"https://{host}/{self._date(t)}/{st.id.lower()}-{rng.getrandbits(20):05x}",
            "outlet": name,
            "date": self._date(t),
            "title": head,
            "text": "\n\n".join(paras),
            "gold_story": st.id,
        }
        if rng.random() < 0.5:
            rec["lang"] = doc.lang
        return rec

    def _copy(self, rec: dict) -> dict:
        name, host, footer = self.rng.choice(self.outlets)
        body = rec["text"]
        for tail in (o[2] for o in self.outlets):
            body = body.removesuffix("\n\n" + tail)
        out = dict(rec, outlet=name, text=f"{body}\n\n{footer}")
        out["id"] = f"{host}/{rec['gold_story']}-{self.rng.getrandbits(32):08x}"
        out["url"] = f"https://{host}/{rec['date']}/copy-{self.rng.getrandbits(20):05x}"
        return out

    def _rewrite(self, st: _Story, base: Doc, t: float) -> dict:
        rng = self.rng
        sents = [s for p in base.paragraphs for s in p]
        keep = [s for s in sents if rng.random() < 0.6] or sents[:2]
        pool = self.pools.by_lang[base.lang]
        for _ in range(rng.randint(2, 5)):  # new material from elsewhere
            other = rng.choice(pool)
            p = rng.choice(other.paragraphs)
            keep.insert(rng.randrange(len(keep) + 1), rng.choice(p))
        paras, i = [], 0
        while i < len(keep):
            k = rng.randint(1, 4)
            paras.append(keep[i : i + k])
            i += k
        return self._article(st, base, paras, None, t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--per-day", type=int, default=20_000)
    args = ap.parse_args()
    gen = StreamGenerator(args.data, args.seed, args.per_day)
    with open(args.out, "w", encoding="utf-8") as f:
        for i, rec in enumerate(gen):
            if i >= args.n:
                break
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{args.n} records -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
