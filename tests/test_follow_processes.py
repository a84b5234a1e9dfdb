"""`storyfold follow` and `serve --follow` as users run them: a process that reads loopback
sites until it is told to stop, and stops cleanly, leaving nothing running."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from tests.test_processes import CLI, _descendants, _gone_after, _wait_for

from storyfold.pipeline import Library
from storyfold_eval.loopback import Site, page, rss


def _seed_pages(site: Site, seeds_dir: Path, indices) -> None:
    items = []
    for i, p in enumerate(sorted(seeds_dir.glob("*.txt"))):
        if i not in indices:
            continue
        paras = [x.strip() for x in p.read_text(encoding="utf-8").split("\n\n") if x.strip()]
        paras[0] = paras[0].split(" ", 2)[2] if paras[0].startswith("date ") else paras[0]
        title = paras[0][:60].rsplit(" ", 1)[0]
        site.add(f"/n/{i}.html", page(title, paras))
        items.append({"title": title, "link": site.url(f"/n/{i}.html"), "guid": f"g{i}"})
    site.add("/rss", rss("Loopback Daily", items), "application/rss+xml")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_follow_runs_rounds_until_told_to_stop_and_stops_cleanly(tmp_path, seeds_dir, sig):
    db = tmp_path / "f.db"
    with Site() as site:
        site.robots("User-agent: *\nAllow: /\n")
        _seed_pages(site, seeds_dir, {0, 1})
        proc = subprocess.Popen(
            [
                *CLI,
                "follow",
                site.url("/rss"),
                "--db",
                str(db),
                "--every",
                "1",
                "--delay",
                "0",
                "--workers",
                "1",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for(lambda: site.hits["/rss"] >= 1 and site.hits["/n/1.html"] >= 1, 60, "a first round")
            _seed_pages(site, seeds_dir, {0, 1, 3})  # the feed changes between rounds
            _wait_for(lambda: site.hits["/n/3.html"] >= 1, 30, "a round that sees the new item")
            time.sleep(0.5)
            below = _descendants(proc.pid)
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, err
    assert _gone_after(below, 15) == []
    lines = err.splitlines()
    assert sum(x.startswith("added http://") for x in lines) == 3
    assert any(x.startswith("round 1: 1 sources read") for x in lines)
    assert any(f"{sig.name}: stopping" in x for x in lines)
    assert "3 articles in" in out
    assert site.hits["/n/0.html"] == site.hits["/n/1.html"] == site.hits["/n/3.html"] == 1
    with Library(db, readonly=True) as lib:
        assert lib.store.count("articles") == 3
        (src,) = lib.followed()
        assert (src.n_items, src.n_added, src.n_failed) == (3, 3, 0) and src.rounds >= 2


def test_follow_once_says_what_failed_and_exits(tmp_path, seeds_dir):
    urls = tmp_path / "urls.txt"
    with Site() as site:
        site.robots("")
        _seed_pages(site, seeds_dir, {2})
        urls.write_text(f"{site.url('/n/2.html')}\n{site.url('/missing')}\n")
        run = subprocess.run(
            [
                *CLI,
                "follow",
                str(urls),
                "http://[::1",
                "--db",
                str(tmp_path / "o.db"),
                "--once",
                "--workers",
                "1",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert f"added {site.url('/n/2.html')}" in lines
    assert f"failed {site.url('/missing')}: HTTP 404 Not Found" in lines
    assert any(x.startswith("round 1: 2 sources read (0 unchanged, 1 failed): 2 new items") for x in lines)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback
        return r.read().decode("utf-8")


def test_serve_follow_feeds_the_server_and_its_page_shows_each_source(tmp_path, seeds_dir):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with Site() as site:
        site.robots("")
        _seed_pages(site, seeds_dir, {0, 2, 4})
        site.add("/broken.xml", "<html><body>not a feed <script>alert(1)</script></body></html>")
        proc = subprocess.Popen(
            [
                *CLI,
                "serve",
                "--db",
                str(tmp_path / "s.db"),
                "--port",
                str(port),
                "--every",
                "2",
                "--delay",
                "0",
                "--follow",
                site.url("/rss"),
                "--follow",
                site.url("/broken.xml"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:

            def fed() -> dict | None:
                try:
                    got = json.loads(_get(base + "/api/follow"))
                except OSError:
                    return None
                by = {s["source"]: s for s in got["sources"]}
                feed = by.get(site.url("/rss"))
                return got if feed and feed["n_added"] == 3 else None

            got = _wait_for(fed, 120, "the server's first follow round")
            stories = json.loads(_get(base + "/api/stories"))["stories"]
            index = _get(base + "/")
            below = _descendants(proc.pid)
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    by = {s["source"]: s for s in got["sources"]}
    assert by[site.url("/rss")]["last_status"] in (200, 304) and by[site.url("/rss")]["last_error"] is None
    assert by[site.url("/broken.xml")]["last_error"].startswith("not a")
    assert all(s["etag"] is None and s["last_modified"] is None for s in got["sources"])  # ours, not shown
    assert sum(s["n_articles"] for s in stories) == 3
    assert "Followed sources" in index and site.url("/rss") in index
    assert (
        "<script>" not in index
        and "&lt;script&gt;" in index
        or "script" not in by[site.url("/broken.xml")]["last_error"]
    )
    assert _gone_after(below, 15) == []
