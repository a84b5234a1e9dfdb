"""Following live sources, against news sites the tests run on loopback (no other network).

The pages carry the seed articles' real text; the sites fail in the ways real ones do."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from storyfold.ingest.live import FetchSettings, Source
from storyfold.pipeline import Library
from storyfold.pipeline.follow import Follower, FollowSettings
from storyfold.store.follow import FollowState
from storyfold_eval.loopback import Answer, Site, atom, page, rdf, rss

FAST = FetchSettings(delay=0.0, backoff=0.05, deadline=5.0, timeout=5.0)


@pytest.fixture(scope="module")
def seed_texts(seeds_dir: Path) -> list[tuple[str, list[str]]]:
    """(headline, paragraphs) of each seed article, its `date` header line removed."""
    out = []
    for p in sorted(seeds_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        paras = [x.strip() for x in text.split("\n\n") if x.strip()]
        if paras[0].startswith("date "):
            paras[0] = paras[0].split(" ", 2)[2]
        out.append((paras[0][:70].rsplit(" ", 1)[0], paras))
    return out


@pytest.fixture
def site():
    with Site() as s:
        s.robots("User-agent: *\nDisallow: /private/\n")
        yield s


@pytest.fixture
def lib(tmp_path):
    with Library(tmp_path / "f.db", workers=1) as library:
        yield library


def follower(lib: Library, *sources: Source, lines: list[str] | None = None, **kw) -> Follower:
    fetch = kw.pop("fetch", FAST)
    said = lines if lines is not None else []
    return Follower(lib, list(sources), FollowSettings(fetch=fetch, **kw), say=said.append)


def feed(url: str) -> Source:
    return Source("feed", url)


def publish(site: Site, seeds, indices, path: str = "/feed.xml", kind: str = "rss") -> None:
    """Pages for the seeds `indices`, and a feed listing them."""
    items = []
    for i in indices:
        title, paras = seeds[i]
        site.add(f"/news/{i}.html", page(title, paras))
        link = site.url(f"/news/{i}.html")
        items.append(
            {
                "title": title,
                "link": link,
                "guid": f"urn:seed:{i}",
                "id": f"urn:seed:{i}",
                "pubDate": "Tue, 19 Oct 2021 08:00:00 GMT",
                "updated": "2021-10-19T08:00:00Z",
                "date": "2021-10-19",
                "description": paras[0][:100],
            }
        )
    if kind == "rss":
        site.add(path, rss("The Loopback Times", items), "application/rss+xml")
    elif kind == "atom":
        site.add(path, atom("The Loopback Times", items), "application/atom+xml")
    else:
        site.add(path, rdf("The Loopback Times", items), "application/rdf+xml")


# ---------------------------------------------------------------------- feeds and rounds


@pytest.mark.parametrize("kind", ["rss", "atom", "rdf"])
def test_a_feed_round_stores_its_pages_with_the_feeds_metadata(site, lib, seed_texts, kind):
    publish(site, seed_texts, [0, 1, 3], kind=kind)
    report = follower(lib, feed(site.url("/feed.xml"))).round()
    assert (report.items, report.added, report.failed) == (3, 3, 0)
    arts = sorted((a for a, _ in lib.store.iter_articles()), key=lambda a: a.url)
    assert [a.url for a in arts] == [site.url(f"/news/{i}.html") for i in (0, 1, 3)]
    for a, i in zip(arts, (0, 1, 3), strict=True):
        assert a.title == seed_texts[i][0]
        assert a.outlet == "The Loopback Times"
        assert str(a.published) == "2021-10-19"
        assert a.input_id == (f"urn:seed:{i}" if kind != "rdf" else a.url)  # RSS 1.0 has no GUID
        assert "All rights reserved" not in a.text  # the page's footer
        assert seed_texts[i][1][1][:60] in a.text


def test_a_second_round_with_nothing_new_makes_only_conditional_requests(site, lib, seed_texts):
    publish(site, seed_texts, [0, 1, 2])
    f = follower(lib, feed(site.url("/feed.xml")))
    f.round()
    hits_before = dict(site.hits)
    second = f.round()
    assert (second.items, second.added, second.unchanged) == (0, 0, 1)
    assert site.not_modified["/feed.xml"] == 1
    new_hits = {p: n - hits_before.get(p, 0) for p, n in site.hits.items() if n != hits_before.get(p, 0)}
    assert new_hits == {"/feed.xml": 1}  # robots.txt is kept from the first round (an hour)
    assert lib.store.count("articles") == 3


def test_a_restart_fetches_nothing_already_stored(site, tmp_path, seed_texts):
    publish(site, seed_texts, [0, 1])
    db = tmp_path / "r.db"
    with Library(db, workers=1) as lib:
        follower(lib, feed(site.url("/feed.xml"))).round()
    site.add(
        "/feed.xml", site.routes["/feed.xml"](type("R", (), {"headers": {}})()).body + b" "
    )  # new validators
    with Library(db, workers=1) as lib:
        report = follower(lib, feed(site.url("/feed.xml"))).round()
        assert (report.items, report.added) == (0, 0)
        assert lib.store.count("articles") == 2
    assert site.hits["/news/0.html"] == site.hits["/news/1.html"] == 1


def test_a_feed_that_changes_between_rounds_brings_only_its_new_items(site, lib, seed_texts):
    publish(site, seed_texts, [0, 1])
    f = follower(lib, feed(site.url("/feed.xml")))
    assert f.round().added == 2
    publish(site, seed_texts, [0, 1, 2, 4])
    report = f.round()
    assert (report.items, report.added) == (2, 2)
    assert site.hits["/news/0.html"] == 1 and site.hits["/news/2.html"] == 1
    state = FollowState(lib.store).source(site.url("/feed.xml"))
    assert state is not None and (state.rounds, state.n_items, state.n_added) == (2, 4, 4)


def test_two_feeds_listing_one_page_fetch_it_once(site, lib, seed_texts):
    publish(site, seed_texts, [0, 1], path="/world.xml")
    publish(site, seed_texts, [1, 2], path="/business.xml")
    f = follower(lib, feed(site.url("/world.xml")), feed(site.url("/business.xml")))
    f.round()
    f.round()  # the page the other feed fetched is recorded for this one too, not fetched again
    assert site.hits["/news/1.html"] == 1
    assert lib.store.count("articles") == 3
    items = FollowState(lib.store).items(site.url("/business.xml"))
    assert {k: v.status for k, v in items.items()} == {"urn:seed:1": "done", "urn:seed:2": "done"}


# ---------------------------------------------------------------------- failures, one line each


def test_redirect_chains_are_followed_and_loops_fail_with_one_line(site, lib, seed_texts):
    title, paras = seed_texts[0]
    site.add("/final.html", page(title, paras))
    site.redirect("/a", "/b", 301)
    site.redirect("/b", site.url("/final.html"), 302)
    site.redirect("/loop1", "/loop2")
    site.redirect("/loop2", "/loop1")
    for i in range(8):
        site.redirect(f"/hop{i}", f"/hop{i + 1}")
    lst = site.url
    urls = lib.store.path.parent / "urls.txt"
    urls.write_text(f"{lst('/a')}\n{lst('/loop1')}\n{lst('/hop0')}\n")
    lines: list[str] = []
    report = follower(lib, Source("urls", str(urls)), lines=lines).round()
    assert (report.added, report.failed) == (1, 2)
    art = next(a for a, _ in lib.store.iter_articles())
    assert art.url == site.url("/final.html")  # where the page really is
    fails = [x for x in lines if x.startswith("failed")]
    assert any(x.startswith(f"failed {lst('/loop1')}: redirect loop") for x in fails)
    assert any(x.startswith(f"failed {lst('/hop0')}: more than 5 redirects") for x in fails)
    assert all("\n" not in x for x in lines)


def test_404_500_and_429_fail_with_one_line_and_passing_failures_are_retried(site, lib, seed_texts):
    title, paras = seed_texts[1]
    calls = {"n": 0}

    def flaky(_req):
        calls["n"] += 1
        if calls["n"] <= 2:
            return Answer(503, b"busy", {"Content-Type": "text/plain"})
        return Answer(200, page(title, paras).encode(), {"Content-Type": "text/html"})

    site.route("/flaky.html", flaky)
    site.route("/down.html", lambda _r: Answer(500, b"oops", {"Content-Type": "text/plain"}))
    site.route("/slowdown.html", lambda _r: Answer(429, b"slow down", {"Retry-After": "0"}))
    urls = lib.store.path.parent / "urls.txt"
    urls.write_text(
        "\n".join(site.url(p) for p in ("/flaky.html", "/down.html", "/slowdown.html", "/gone.html"))
    )
    lines: list[str] = []
    f = follower(lib, Source("urls", str(urls)), lines=lines, max_attempts=2)
    report = f.round()
    assert (report.added, report.failed) == (1, 3)
    assert calls["n"] == 3  # two 503s, retried with backoff within the request
    assert site.hits["/down.html"] == 3 and site.hits["/slowdown.html"] == 3  # 1 try + 2 retries
    assert site.hits["/gone.html"] == 1  # a 404 is not retried
    assert any(x == f"failed {site.url('/gone.html')}: HTTP 404 Not Found" for x in lines)
    assert any(
        x.startswith(f"failed {site.url('/down.html')}: HTTP 500") and "try 1 of 2" in x for x in lines
    )
    state = FollowState(lib.store).items(str(urls))
    assert state[site.url("/down.html")].status == "retry"
    assert state[site.url("/gone.html")].status == "failed"
    f.round()  # the passing failures once more, then given up
    assert site.hits["/down.html"] == 6 and site.hits["/gone.html"] == 1
    f.round()
    assert site.hits["/down.html"] == 6
    assert FollowState(lib.store).items(str(urls))[site.url("/down.html")].status == "failed"


def test_slow_and_never_ending_answers_are_cut_at_the_deadline(site, lib, seed_texts):
    title, paras = seed_texts[2]
    site.route(
        "/endless.html",
        lambda _r: Answer(
            200, b"<p>more</p>\n" * 10, {"Content-Type": "text/html"}, interval=0.2, forever=True
        ),
    )
    site.route(
        "/trickle.html",
        lambda _r: Answer(200, page(title, paras).encode(), {"Content-Type": "text/html"}, interval=0.05),
    )
    urls = lib.store.path.parent / "urls.txt"
    urls.write_text(f"{site.url('/endless.html')}\n{site.url('/trickle.html')}\n")
    lines: list[str] = []
    fetch = FetchSettings(delay=0.0, deadline=1.5, timeout=1.0, retries=0)
    started = time.monotonic()
    report = follower(lib, Source("urls", str(urls)), lines=lines, fetch=fetch).round()
    assert time.monotonic() - started < 10
    assert (report.added, report.failed) == (1, 1)  # a slow page that ends is read whole
    assert f"failed {site.url('/endless.html')}: no complete answer within 1.5 s (try 1 of 3)" in lines


def test_huge_pages_compressed_bombs_and_non_html_types_are_refused(site, lib, seed_texts):
    title, paras = seed_texts[3]
    site.add("/huge.html", b"<html><body>" + b"<p>word </p>" * 200_000 + b"</body></html>")
    site.add("/bomb.html", b"<html>" + b" " * 3_000_000 + b"</html>", encoding="gzip")
    site.add("/report.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 10, "application/pdf")
    site.add("/photo.jpg", b"\xff\xd8\xff\xe0" + bytes(2000), "image/jpeg")
    site.add("/ok.html", page(title, paras), encoding="gzip")
    br_title, br_paras = seed_texts[4]
    site.add("/ok-br.html", page(br_title, br_paras), encoding="br")
    urls = lib.store.path.parent / "urls.txt"
    paths = ("/huge.html", "/bomb.html", "/report.pdf", "/photo.jpg", "/ok.html", "/ok-br.html")
    urls.write_text("\n".join(site.url(p) for p in paths))
    lines: list[str] = []
    fetch = FetchSettings(delay=0.0, max_bytes=1_000_000)
    report = follower(lib, Source("urls", str(urls)), lines=lines, fetch=fetch).round()
    assert (report.added, report.failed) == (2, 4)
    texts = {a.title: a.text for a, _ in lib.store.iter_articles()}
    assert paras[1][:60] in texts[title] and br_paras[1][:60] in texts[br_title]  # both decoded
    assert assert_line(lines, "/huge.html", "over the 1,000,000-byte limit")
    assert assert_line(lines, "/bomb.html", "over the 1,000,000-byte limit")
    assert assert_line(lines, "/report.pdf", "not an HTML page (application/pdf)")
    assert assert_line(lines, "/photo.jpg", "not an HTML page (image/jpeg)")
    assert len(gzip.compress(b" " * 3_000_000)) < 10_000  # the bomb is small on the wire


def assert_line(lines: list[str], path: str, text: str) -> bool:
    hits = [x for x in lines if x.startswith("failed http") and path in x.split(":", 3)[2] and text in x]
    assert hits, (path, text, lines)
    return True


def test_the_charset_comes_from_the_header_or_the_page_whichever_is_right(site, lib, seed_texts):
    text = "Сбербанк сообщил о росте прибыли на 15 процентов во втором квартале, до 1,2 трлн рублей."
    paras = [text, "Аналитики ожидали меньшего роста, отметили в банке в четверг."]
    html = page("Прибыль Сбербанка", paras, charset="windows-1251")
    cp = html.encode("windows-1251")
    site.add("/header-right.html", cp, "text/html; charset=windows-1251")
    site.add(
        "/header-wrong.html",
        html.replace("windows-1251", "utf-8").encode("utf-8"),
        "text/html; charset=iso-8859-1",
    )  # a server default the page contradicts
    site.add("/header-none.html", cp, "text/html")  # only the page's <meta> says it
    urls = lib.store.path.parent / "urls.txt"
    urls.write_text(
        "\n".join(site.url(p) for p in ("/header-right.html", "/header-wrong.html", "/header-none.html"))
    )
    report = follower(lib, Source("urls", str(urls))).round()
    assert report.failed == 0
    arts = [a for a, _ in lib.store.iter_articles()]
    assert arts and all("Сбербанк сообщил о росте прибыли" in a.text for a in arts)
    assert {a.lang for a in arts} == {"ru"}
    # the three pages are one article, stored once
    assert report.added == 1 and report.known == 2


def test_robots_txt_is_obeyed_and_the_user_agent_says_who_asks(site, lib, seed_texts):
    title, paras = seed_texts[0]
    site.add("/private/secret.html", page(title, paras))
    site.add("/public.html", page(*seed_texts[1]))
    urls = lib.store.path.parent / "urls.txt"
    urls.write_text(f"{site.url('/private/secret.html')}\n{site.url('/public.html')}\n")
    lines: list[str] = []
    report = follower(lib, Source("urls", str(urls)), lines=lines).round()
    assert (report.added, report.failed) == (1, 1)
    assert site.hits["/private/secret.html"] == 0
    assert f"failed {site.url('/private/secret.html')}: disallowed by the site's robots.txt" in lines
    assert all(a.startswith("storyfold/") for a in site.agents)


def test_an_unreadable_robots_txt_keeps_the_follower_off_the_site(lib, seed_texts):
    with Site() as down:
        down.route("/robots.txt", lambda _r: Answer(503, b"", {}))
        down.add("/page.html", page(*seed_texts[0]))
        urls = lib.store.path.parent / "urls.txt"
        urls.write_text(down.url("/page.html") + "\n")
        lines: list[str] = []
        report = follower(
            lib, Source("urls", str(urls)), lines=lines, fetch=FetchSettings(delay=0, retries=0)
        ).round()
        assert report.failed == 1 and down.hits["/page.html"] == 0
        assert any("robots.txt could not be read (HTTP 503" in x for x in lines)


def test_requests_to_one_site_are_spaced_by_the_delay(site, lib, seed_texts):
    publish(site, seed_texts, [0, 1, 2, 3, 4])
    fetch = FetchSettings(delay=0.25, per_host=1)
    follower(lib, feed(site.url("/feed.xml")), fetch=fetch).round()
    starts = [t for p, t in site.times if p != "/robots.txt"]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(starts) == 6 and min(gaps) >= 0.24


def test_a_feed_that_is_not_a_feed_and_a_feed_that_is_down_say_so(site, lib, seed_texts):
    site.add("/index.html", page(*seed_texts[0]))
    lines: list[str] = []
    f = follower(lib, feed(site.url("/index.html")), feed(site.url("/nothing.xml")), lines=lines)
    report = f.round()
    assert report.source_errors == 2 and report.items == 0
    assert any(
        x.startswith(f"failed {site.url('/index.html')}: not a") and "file of URLs" in x for x in lines
    )
    assert f"failed {site.url('/nothing.xml')}: HTTP 404 Not Found" in lines
    state = FollowState(lib.store).source(site.url("/nothing.xml"))
    assert state is not None and state.last_error == "HTTP 404 Not Found" and state.last_status == 404


def test_a_feed_entry_without_a_link_is_stored_from_its_own_text(site, lib, seed_texts):
    title, paras = seed_texts[4]
    body = "".join(f"<p>{p}</p>" for p in paras)
    xml = rss("Wire", [{"title": title, "guid": "wire-1", "description": body}])
    site.add("/wire.xml", xml, "application/rss+xml")
    report = follower(lib, feed(site.url("/wire.xml"))).round()
    assert report.added == 1
    art = next(a for a, _ in lib.store.iter_articles())
    assert art.input_id == "wire-1" and paras[1][:50] in art.text


# ---------------------------------------------------------------------- folders and URL lists


def test_a_folder_source_ingests_files_that_appeared_or_changed(tmp_path, lib, seeds_dir):
    folder = tmp_path / "drop"
    folder.mkdir()
    seeds = sorted(seeds_dir.glob("*.txt"))
    (folder / "a.txt").write_bytes(seeds[0].read_bytes())
    f = follower(lib, Source("folder", str(folder)))
    assert f.round().added == 1
    quiet = f.round()
    assert (quiet.items, quiet.unchanged) == (0, 1)
    (folder / "b.txt").write_bytes(seeds[1].read_bytes())
    lines = folder / "c.jsonl"
    lines.write_text(json.dumps({"id": "x1", "text": seeds[3].read_text()}) + "\n")
    report = f.round()
    assert (report.items, report.added) == (2, 2)
    with lines.open("a") as fh:  # a JSONL file that grows: only its new line is new
        fh.write(json.dumps({"id": "x2", "text": seeds[4].read_text()}) + "\n")
    report = f.round()
    assert (report.items, report.added, report.known) == (2, 1, 1)
    assert {a.input_id for a, _ in lib.store.iter_articles()} == {"a.txt", "b.txt", "x1", "x2"}


def test_a_file_of_urls_names_its_bad_lines(tmp_path, site, lib, seed_texts):
    site.add("/p.html", page(*seed_texts[0]))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# today's pages\n\n{site.url('/p.html')}\nftp://example.org/x\nfile:///etc/passwd\n")
    lines: list[str] = []
    report = follower(lib, Source("urls", str(urls)), lines=lines).round()
    assert report.added == 1
    assert f"failed {urls}:line 4: not an http(s) URL: ftp://example.org/x" in lines
    assert f"failed {urls}:line 5: not an http(s) URL: file:///etc/passwd" in lines


def test_a_page_out_of_reach_is_stored_from_the_feeds_full_text(site, lib, seed_texts):
    title, paras = seed_texts[0]
    site.route("/paywalled.html", lambda _r: Answer(403, b"subscribers only", {"Content-Type": "text/html"}))
    body = "".join(f"<p>{p}</p>" for p in paras)
    item = {"title": title, "link": site.url("/paywalled.html"), "guid": "pw-1", "description": body}
    short = {
        "title": "Brief",
        "link": site.url("/paywalled2.html"),
        "guid": "pw-2",
        "description": "One line.",
    }
    site.route("/paywalled2.html", lambda _r: Answer(403, b"subscribers only", {"Content-Type": "text/html"}))
    site.add("/feed.xml", rss("The Loopback Times", [item, short]), "application/rss+xml")
    lines: list[str] = []
    report = follower(lib, feed(site.url("/feed.xml")), lines=lines).round()
    assert (report.added, report.failed) == (1, 1)
    assert (
        f"added {site.url('/paywalled.html')} (from the feed's own text; the page: HTTP 403 Forbidden)"
        in lines
    )
    assert f"failed {site.url('/paywalled2.html')}: HTTP 403 Forbidden" in lines  # a summary is no article
    art = next(a for a, _ in lib.store.iter_articles())
    assert art.input_id == "pw-1" and paras[1][:50] in art.text


# ---------------------------------------------------------------------- what may be fetched


def _mock(routes: dict[str, tuple[int, dict[str, str], bytes]]):
    import httpx

    def handle(request: httpx.Request) -> httpx.Response:
        status, headers, body = routes.get(str(request.url), (404, {}, b""))
        return httpx.Response(status, headers=headers, content=body)

    return httpx.MockTransport(handle)


def _get(url: str, transport, **settings):
    import asyncio

    from storyfold.ingest.live import Fetcher

    async def run():
        async with Fetcher(
            FetchSettings(delay=0, robots=False, retries=0, **settings), transport=transport
        ) as f:
            return await f.get(url)

    return asyncio.run(run())


def test_a_redirect_from_a_public_site_into_a_private_network_is_refused():
    html = {"Content-Type": "text/html"}
    routes = {
        "http://93.184.216.34/story": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
        "http://93.184.216.34/local": (301, {"Location": "http://127.0.0.1:8080/admin"}, b""),
        "http://93.184.216.34/file": (302, {"Location": "file:///etc/passwd"}, b""),
        "http://169.254.169.254/latest/meta-data/": (200, html, b"<p>secret</p>"),
        "http://127.0.0.1:8080/admin": (200, html, b"<p>admin</p>"),
    }
    t = _mock(routes)
    got = _get("http://93.184.216.34/story", t)
    assert not got.ok and got.body == b""
    assert got.error == (
        "redirected to a private network address (allow it with allow_private): http://169.254.169.254/latest/meta-data/"
    )
    assert "private network" in (_get("http://93.184.216.34/local", t).error or "")
    assert (_get("http://93.184.216.34/file", t).error or "").startswith(
        "only http and https URLs are fetched"
    )
    allowed = _get("http://93.184.216.34/local", t, allow_private=True)
    assert (
        allowed.ok and allowed.body == b"<p>admin</p>" and allowed.final_url == "http://127.0.0.1:8080/admin"
    )


def test_only_http_and_https_sources_and_urls_are_taken():
    from storyfold.ingest.live import parse_source

    assert parse_source("file:///etc/passwd") == (
        "file:///etc/passwd: only http and https feeds are followed (a local folder or file of URLs is given as a path)"
    )
    assert parse_source("/no/such/folder") == "/no/such/folder: not a URL, and no such file or folder"
    assert parse_source("https://example.org/rss") == Source("feed", "https://example.org/rss")
    assert (
        _get("gopher://example.org/", _mock({})).error == "only http and https URLs are fetched, not 'gopher'"
    )


def test_the_web_page_and_api_show_each_source_and_escape_what_it_said(tmp_path, site, lib, seed_texts):
    from fastapi.testclient import TestClient

    from storyfold.present.api import create_app

    publish(site, seed_texts, [0, 2])
    urls = tmp_path / "hostile.txt"
    urls.write_text('<script>alert("x")</script>\n')
    follower(lib, feed(site.url("/feed.xml")), Source("urls", str(urls))).round()
    client = TestClient(create_app(lib))
    got = client.get("/api/follow").json()["sources"]
    by = {s["source"]: s for s in got}
    feed_state = by[site.url("/feed.xml")]
    assert (feed_state["kind"], feed_state["n_items"], feed_state["n_added"], feed_state["last_status"]) == (
        "feed",
        2,
        2,
        200,
    )
    assert feed_state["etag"] is None  # the validators are the follower's business
    assert by[str(urls)]["last_error"] == f'{urls}:line 1: not an http(s) URL: <script>alert("x")</script>'
    index = client.get("/").text
    assert "Followed sources" in index and site.url("/feed.xml") in index
    assert "<script>" not in index and "&lt;script&gt;alert(" in index


def test_an_item_to_retry_is_retried_even_when_its_feed_has_not_changed(site, lib, seed_texts):
    publish(site, seed_texts, [0, 1])
    title, paras = seed_texts[1]
    down = {"on": True}

    def sometimes(_req):
        if down["on"]:
            return Answer(502, b"bad gateway", {"Content-Type": "text/plain"})
        return Answer(200, page(title, paras).encode(), {"Content-Type": "text/html"})

    site.route("/news/1.html", sometimes)
    f = follower(lib, feed(site.url("/feed.xml")), fetch=FetchSettings(delay=0, retries=0))
    first = f.round()
    assert (first.added, first.failed) == (1, 1)
    down["on"] = False
    second = f.round()  # the feed is the same, but one of its items waits: asked for whole
    assert (second.items, second.added, second.unchanged) == (1, 1, 0)
    assert site.not_modified["/feed.xml"] == 0
    third = f.round()
    assert (third.items, third.unchanged) == (0, 1) and site.not_modified["/feed.xml"] == 1
    (art,) = [a for a, _ in lib.store.iter_articles() if a.url.endswith("/news/1.html")]
    assert art.title == title and str(art.published) == "2021-10-19"  # the feed's metadata kept


def test_no_more_than_per_host_requests_to_one_site_at_once(site, lib, seed_texts):
    import threading

    now = {"n": 0, "max": 0}
    guard = threading.Lock()
    paths = []
    for i, (title, paras) in enumerate(seed_texts):
        body = page(title, paras).encode()

        def slow(_req, body=body):
            with guard:
                now["n"] += 1
                now["max"] = max(now["max"], now["n"])
            time.sleep(0.2)
            with guard:
                now["n"] -= 1
            return Answer(200, body, {"Content-Type": "text/html"})

        site.route(f"/slow/{i}.html", slow)
        paths.append(f"/slow/{i}.html")
    urls = lib.store.path.parent / "urls.txt"
    urls.write_text("\n".join(site.url(p) for p in paths))
    report = follower(lib, Source("urls", str(urls)), fetch=FetchSettings(delay=0, per_host=2)).round()
    assert report.added == len(paths) and now["max"] == 2


def test_links_that_differ_only_in_tracking_are_one_page(site, lib, seed_texts):
    title, paras = seed_texts[2]
    site.add("/story.html", page(title, paras))
    base = site.url("/story.html")
    items = [
        {"title": title, "link": base + "?utm_source=rss&utm_medium=feed"},
        {"title": title, "link": base + "?utm_source=twitter#comments"},
    ]
    site.add("/feed.xml", rss("The Loopback Times", items), "application/rss+xml")
    urls = lib.store.path.parent / "urls.txt"
    urls.write_text(base + "?fbclid=abc123\n")
    report = follower(lib, feed(site.url("/feed.xml")), Source("urls", str(urls))).round()
    assert site.hits["/story.html"] == 1 and report.added == 1
    (art,) = [a for a, _ in lib.store.iter_articles()]
    assert art.url == base
