"""Follow bench: `storyfold follow` over news sites on loopback, as a user runs it.

    python bench/follow_bench.py [--items 1000] [--hosts 10] [--polite-delay 0.5] [--data ../shared/data]

Ten sites (127.0.0.1 ... 127.0.0.10, all loopback on Linux, so each is a site of its own for the
per-site politeness) each publish an RSS feed of `items / hosts` articles and the article pages,
built from the first records of the ingest bench's synthetic stream (bench/synth_stream.py,
seed 0: real news sentences, invented names, outlets and dates, wire chrome around them).

Rows, each a separate `storyfold follow FEED... --once` process, measured from spawn to exit
with the peak RSS of its process tree (bench/ingest_bench.py's monitor):
1. a first round, delay 0: every feed and page fetched and ingested; items/s.
2. a second round with nothing new: what it asked (requests per kind, 304s) and what it added.
3. a first round into a fresh database with `--delay D --per-host 1`: the politeness floor is
   (items per site - 1) x D seconds, since one site's requests start D apart; the round's wall
   next to that floor says whether storyfold or the politeness sets the time.
Peers, in the same run on the same pages:
- `storyfold ingest` of the same pages saved as HTML files (the feed's title and date given
  as a JSONL of {url, title, date, outlet, html}): the same work without the network;
- a bare httpx fetch of every feed and page with the same client settings and no ingest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ingest_bench import DEFAULT_DATA, run_command  # noqa: E402
from storyfold_eval.loopback import Site, page, rss  # noqa: E402
from synth_stream import StreamGenerator  # noqa: E402

CLI = [sys.executable, "-c", "from storyfold.cli import app; app()"]


def build_sites(data: Path, items: int, hosts: int) -> tuple[list[Site], list[dict]]:
    """`hosts` loopback sites with a feed of their share of the first `items` stream records."""
    gen = iter(StreamGenerator(data, 0))
    records = [next(gen) for _ in range(items)]
    sites = [Site(f"127.0.0.{h + 1}") for h in range(hosts)]
    per: list[list[dict]] = [[] for _ in sites]
    for i, rec in enumerate(records):
        per[i % hosts].append(rec)
    pages = []
    for h, (site, recs) in enumerate(zip(sites, per, strict=True)):
        site.robots("User-agent: *\nDisallow: /private/\n")
        entries = []
        for j, rec in enumerate(recs):
            path = f"/{rec['date']}/story-{j}.html"
            paras = [p for p in rec["text"].split("\n\n") if p.strip()]
            site.add(path, page(rec["title"], paras, date=rec["date"]))
            when = datetime.fromisoformat(rec["date"]).replace(hour=8, tzinfo=UTC)
            entries.append(
                {
                    "title": rec["title"],
                    "link": site.url(path),
                    "guid": rec["id"],
                    "pubDate": format_datetime(when),
                }
            )
            pages.append(
                {
                    "url": site.url(path),
                    "id": rec["id"],
                    "title": rec["title"],
                    "date": rec["date"],
                    "outlet": f"Site {h + 1}",
                    "html": page(rec["title"], paras, date=rec["date"]),
                }
            )
        site.add("/feed.xml", rss(f"Site {h + 1}", entries), "application/rss+xml")
    return sites, pages


def hits(sites: list[Site]) -> dict[str, int]:
    out = {"feeds": 0, "robots": 0, "pages": 0, "304": 0}
    for s in sites:
        for path, n in s.hits.items():
            key = "feeds" if path == "/feed.xml" else "robots" if path == "/robots.txt" else "pages"
            out[key] += n
        out["304"] += sum(s.not_modified.values())
    return out


def reset(sites: list[Site]) -> None:
    for s in sites:
        s.hits.clear()
        s.not_modified.clear()


def added(stdout: str) -> str:
    return " ".join(stdout.split()) or "(no output)"


def follow(sites: list[Site], db: Path, work: Path, label: str, *flags: str):
    feeds = [s.url("/feed.xml") for s in sites]
    return run_command(
        [*CLI, "follow", *feeds, "--db", str(db), "--once", "--quiet", *flags], work / label, label
    )


def bare_fetch(sites: list[Site], pages: list[dict]) -> float:
    """Every feed and page fetched with httpx alone, as many at once as `follow` allows."""
    import httpx

    async def run() -> float:
        t0 = time.perf_counter()
        limits = httpx.Limits(max_connections=32)
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:
            per_site = {s.base: asyncio.Semaphore(2) for s in sites}

            async def get(url: str) -> None:
                base = url.split("/", 3)
                async with per_site["/".join(base[:3])]:
                    (await client.get(url)).raise_for_status()

            await asyncio.gather(*(get(s.url("/feed.xml")) for s in sites))
            await asyncio.gather(*(get(p["url"]) for p in pages))
        return time.perf_counter() - t0

    return asyncio.run(run())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--polite-delay", type=float, default=0.5)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--keep", action="store_true", help="Keep the work folder.")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storyfold-follow-bench-"))
    print(f"building {args.hosts} loopback sites with {args.items} pages ...", file=sys.stderr)
    sites, pages = build_sites(args.data, args.items, args.hosts)
    n = len(pages)
    rows: list[tuple[str, str, str]] = []
    try:
        first = follow(sites, work / "f.db", work, "first", "--delay", "0")
        h1 = hits(sites)
        reset(sites)
        rows.append(
            (
                f"first round, delay 0: {n} items on {args.hosts} sites",
                f"{first.wall_s:.1f} s, {n / first.wall_s:.0f} items/s, peak RSS {first.usage.peak_tree_mb:.0f} MB",
                f"requests: {h1['feeds']} feeds, {h1['robots']} robots.txt, {h1['pages']} pages; {added(first.stdout)}",
            )
        )
        second = follow(sites, work / "f.db", work, "second", "--delay", "0")
        h2 = hits(sites)
        reset(sites)
        rows.append(
            (
                "second round, nothing new",
                f"{second.wall_s:.1f} s; {h2['pages']} pages fetched, {h2['304']} of {h2['feeds']} feeds answered 304",
                f"requests: {h2['feeds']} feeds, {h2['robots']} robots.txt; {added(second.stdout)}",
            )
        )
        d = args.polite_delay
        floor = (n / args.hosts - 1) * d
        polite = follow(sites, work / "p.db", work, "polite", "--delay", str(d), "--per-host", "1")
        reset(sites)
        rows.append(
            (
                f"first round, --delay {d:g} --per-host 1",
                f"{polite.wall_s:.1f} s against a politeness floor of {floor:.1f} s ({polite.wall_s / floor:.2f}x)",
                added(polite.stdout),
            )
        )
        feed_in = work / "pages.jsonl"
        with feed_in.open("w", encoding="utf-8") as f:
            for p in pages:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        ingest = run_command(
            [*CLI, "ingest", str(feed_in), "--db", str(work / "i.db"), "--quiet"], work / "ingest", "ingest"
        )
        rows.append(
            (
                "peer: storyfold ingest of the same pages from disk",
                f"{ingest.wall_s:.1f} s, {n / ingest.wall_s:.0f} items/s, peak RSS {ingest.usage.peak_tree_mb:.0f} MB",
                added(ingest.stdout),
            )
        )
        bare = bare_fetch(sites, pages)
        rows.append(
            ("peer: httpx alone, every feed and page, no ingest", f"{bare:.1f} s, {n / bare:.0f} pages/s", "")
        )
    finally:
        for s in sites:
            s.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  value  |  detail")
    for name, value, detail in rows:
        print(f"{name:<{width}}  {value}" + (f"  |  {detail}" if detail else ""))


if __name__ == "__main__":
    main()
