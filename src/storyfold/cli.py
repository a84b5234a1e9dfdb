"""Command line: ingest, batch, follow, stories, show, export, serve, sources, demo.

Errors about inputs go to stderr, one line each, and never stop a batch; the exit code is
0 when the batch ran (even with bad inputs), 1 when nothing could be done.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import tempfile
import time
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from storyfold.engine.local import collect_as_a_writer
from storyfold.errors import AmbiguousId, StoreError
from storyfold.pipeline import IngestReport, Library

if TYPE_CHECKING:
    from storyfold.ingest.live import Source

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Fold overlapping news articles, in any language, into stories with traced, reconciled facts.",
)
out = Console()
err = Console(stderr=True)


@app.callback()
def _process() -> None:
    """A command runs in a process of its own, which may write a database: the collector
    runs at a writer's rhythm (`collect_as_a_writer`). At exit, everything is frozen first, so
    that the interpreter's last collection does not walk the long-lived objects once more
    only to free them after."""
    collect_as_a_writer()
    atexit.unregister(gc.freeze)  # once, however many commands one process runs (tests do)
    atexit.register(gc.freeze)


DEFAULT_DB = os.environ.get("STORYFOLD_DB", "storyfold.db")
DbOption = Annotated[Path, typer.Option("--db", help="The SQLite database file (env STORYFOLD_DB).")]
OutletOption = Annotated[
    str | None,
    typer.Option(
        "--outlet",
        help="The outlet of inputs that name none (plain-text files without a Source: line or URL).",
    ),
]


class BriefFormat(StrEnum):
    markdown = "markdown"
    json = "json"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"


def _open(
    db: Path,
    *,
    readonly: bool = False,
    workers: int | None = None,
    wait: float = 0.0,
    host_fold: bool = False,
) -> Library:
    if readonly and not db.exists():
        err.print(
            f"[red]error:[/] {escape(str(db))}: no such database (run `storyfold ingest PATH --db {escape(str(db))}` first)",
            soft_wrap=True,
        )
        raise typer.Exit(1)
    try:
        return Library(db, readonly=readonly, workers=workers, wait=wait, host_fold=host_fold)
    except StoreError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from exc


def run_ingest(
    lib: Library, paths: list[Path], quiet: bool = False, outlet: str | None = None
) -> IngestReport:
    """Ingest with a progress bar; bad inputs are printed as they come."""
    columns = [
        SpinnerColumn(),
        TextColumn("[bold]ingest[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=err, disable=quiet, transient=False) as progress:
        task = progress.add_task("ingest", total=None, status="")
        shown = 0

        def tick(batch: object, report: IngestReport) -> None:
            nonlocal shown
            for e in report.errors[shown:]:  # reader errors and extraction errors alike, as they come
                progress.console.print(f"bad input: {e}", markup=False, highlight=False, soft_wrap=True)
            shown = len(report.errors)
            progress.update(
                task,
                completed=report.read,
                status=f"{report.added} new, {report.skipped} known, {report.rejected} rejected",
            )

        report = lib.ingest(paths, progress=tick, outlet=outlet)
        for e in report.errors[shown:]:
            progress.console.print(f"bad input: {e}", markup=False, highlight=False, soft_wrap=True)
        progress.update(
            task,
            total=report.read,
            completed=report.read,
            status=f"{report.added} new, {report.skipped} known, {report.rejected} rejected",
        )
    return report


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt, .jsonl[.gz], .html, .warc[.gz], feeds.")
    ],
    db: DbOption = Path(DEFAULT_DB),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="Processes for the per-article work (default: the CPUs, up to 4)."
        ),
    ] = None,
    wait: Annotated[
        float, typer.Option("--wait", min=0, help="Seconds to wait for another process writing the database.")
    ] = 0.0,
    outlet: OutletOption = None,
) -> None:
    """Read articles and fold them into stories (re-running adds nothing new)."""
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        err.print(f"bad input: {p}: no such file or folder", markup=False, highlight=False)
    with _open(db, workers=workers, wait=wait, host_fold=True) as lib:
        # the processes start now, forked from a process of one thread (the progress bar's
        # thread would make them start as fresh interpreters)
        lib.executor.start()
        try:
            report = run_ingest(lib, [p for p in paths if p.exists()], quiet, outlet=outlet)
        except StoreError as exc:  # a full disk, a file that cannot be written: not the inputs' fault
            err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from exc
        n_stories = lib.store.count("stories")
    out.print(
        f"{report.read} inputs read: {report.added} articles added, {report.skipped} already stored,"
        f" {report.rejected} rejected; {len(report.stories_touched)} stories updated, {n_stories} in {db}"
    )
    if missing and not report.read:
        raise typer.Exit(1)


@app.command()
def batch(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt, .jsonl[.gz], .html, .warc[.gz], feeds.")
    ],
    db: DbOption = Path(DEFAULT_DB),
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="A Dask scheduler's address (tcp://host:port); none: a local cluster."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Worker processes of the local cluster for the per-article work (default: the CPUs),"
            " and one more that holds the fold's index.",
        ),
    ] = None,
    parquet: Annotated[
        Path | None, typer.Option("--parquet", help="Also export everything as Parquet to this folder.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    outlet: OutletOption = None,
) -> None:
    """The ingest as a Dask job (the per-article work on a cluster's workers).

    The fold and cluster decisions and the write stay here: the database is the one `ingest`
    makes from the same inputs, for `serve`, `show` and `export` as any other."""
    from storyfold.engine.dask import DaskExecutor

    missing = [p for p in paths if not p.exists()]
    for p in missing:
        err.print(f"bad input: {p}: no such file or folder", markup=False, highlight=False)
    try:
        executor = DaskExecutor(scheduler, workers if workers is not None else os.cpu_count())
    except OSError as exc:
        err.print(
            f"[red]error:[/] cannot reach the Dask scheduler {escape(str(scheduler))}: {escape(str(exc))}"
        )
        raise typer.Exit(1) from exc
    where = f"the cluster at {scheduler}" if scheduler else "a local cluster"
    holder = ", and one holding the fold" if executor.holds_apart else ""
    err.print(f"dask: {executor.workers} workers on {escape(where)}{holder}", soft_wrap=True)
    try:
        lib = Library(db, executor=executor)
    except StoreError as exc:
        executor.close()
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(1) from exc
    with lib:
        lib.batch_size = max(lib.batch_size, 32 * executor.workers)  # chunks worth a task each
        try:
            report = run_ingest(lib, [p for p in paths if p.exists()], quiet, outlet=outlet)
        except StoreError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from exc
        n_stories = lib.store.count("stories")
        if parquet is not None:
            from storyfold.present.export import export_records, write_parquet

            briefs = (lib.brief(sid) for sid in lib.store.story_ids())
            records = export_records(
                (b for b in briefs if b is not None), lib.reliability(), lib.store.iter_inputs()
            )
            out.print(f"wrote {write_parquet(records, parquet)} records to {parquet}")
    out.print(
        f"{report.read} inputs read: {report.added} articles added, {report.skipped} already stored,"
        f" {report.rejected} rejected; {len(report.stories_touched)} stories updated, {n_stories} in {db}"
    )
    err.print(_account(executor.spent), markup=False, highlight=False, soft_wrap=True)
    if missing and not report.read:
        raise typer.Exit(1)


def _account(spent: dict[tuple[str, str], float]) -> str:
    """Where a batch job's CPU went, by step: what more workers divide and what they do not."""
    places = {"workers": "on the workers", "host": "on the worker holding it", "here": "in this process"}
    parts = []
    for where, label in places.items():
        steps = sorted(((n, s) for (n, w), s in spent.items() if w == where), key=lambda x: -x[1])
        if steps:
            parts.append(f"{label}: " + ", ".join(f"{n} {s:.1f}" for n, s in steps))
    return (
        "CPU seconds by step, "
        + "; ".join(parts)
        + f" (this process in all, with Dask's client and a local cluster's scheduler: {time.process_time():.1f})"
    )


def _stories_table(lib: Library, limit: int, q: str | None) -> Table:
    stories = lib.list_stories(limit=limit, q=q)
    disputed = lib.disputed_counts([s.id for s in stories])
    table = Table(
        title=f"stories in {lib.store.path}" + (f" matching {q!r}" if q else ""),
        caption="n = articles, disp = disputed facts",
    )
    table.add_column("story", no_wrap=True, min_width=17)  # ids must stay copyable; the title gives way
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("langs", no_wrap=True)
    table.add_column("dates")
    table.add_column("disp", justify="right", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    for s in stories:
        n = lib.store.story_full(s.id)
        dates = " – ".join(str(d) for d in dict.fromkeys([s.first_date, s.last_date]) if d) or "undated"
        table.add_row(
            s.id,
            str(len(n.article_ids) if n else 0),
            ",".join(s.languages),
            dates,
            str(disputed.get(s.id, 0)),
            s.title,
        )
    return table


@app.command()
def stories(
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(help="How many, largest first.")] = 50,
    q: Annotated[str | None, typer.Option("--q", help="Full-text search over the articles.")] = None,
) -> None:
    """List stories, largest first."""
    with _open(db, readonly=True) as lib:
        out.print(_stories_table(lib, limit, q))


@app.command()
def show(
    story: Annotated[str, typer.Argument(help="A story id, or a unique prefix of one.")],
    db: DbOption = Path(DEFAULT_DB),
    format: Annotated[BriefFormat, typer.Option("--format", "-f")] = BriefFormat.markdown,
) -> None:
    """The brief of one story: sources, relations, facts and conflicts, timeline."""
    from storyfold.present.report import brief_to_dict, render_markdown

    with _open(db, readonly=True) as lib:
        try:
            sid = lib.resolve(story)
        except AmbiguousId as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(1) from exc
        brief = lib.brief(sid) if sid else None
        if brief is None:
            err.print(f"error: no story {story!r} in {db} (see `storyfold stories`)", markup=False)
            raise typer.Exit(1)
        if format is BriefFormat.json:
            sys.stdout.write(json.dumps(brief_to_dict(brief), ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(render_markdown(brief) + "\n")


@app.command()
def export(
    db: DbOption = Path(DEFAULT_DB),
    out_path: Annotated[Path, typer.Option("--out", help="A .jsonl file, or a folder for Parquet.")] = Path(
        "out.jsonl"
    ),
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.jsonl,
    inputs_only: Annotated[
        bool,
        typer.Option(
            "--inputs",
            help="Only one record per input read: the article it made or duplicates, or why it was rejected.",
        ),
    ] = False,
) -> None:
    """Everything as records (JSONL or Parquet).

    A record per story, article (with its story id), relation, claim, fact and source, and one
    per input read (its own id, what it became)."""
    from storyfold.present.export import export_records, input_records, write_jsonl, write_parquet

    with _open(db, readonly=True) as lib:
        if inputs_only:
            records = input_records(lib.store.iter_inputs())
        else:
            briefs = (lib.brief(sid) for sid in lib.store.story_ids())
            records = export_records(
                (b for b in briefs if b is not None), lib.reliability(), lib.store.iter_inputs()
            )
        n = (
            write_jsonl(records, out_path)
            if format is ExportFormat.jsonl
            else write_parquet(records, out_path)
        )
    out.print(f"wrote {n} records to {out_path}")


@app.command()
def sources(db: DbOption = Path(DEFAULT_DB)) -> None:
    """Per-source reliability, with how many claims each estimate rests on."""
    with _open(db, readonly=True) as lib:
        table = Table(title="source reliability")
        for col in ("source", "reliability", "claims", "agreeing"):
            table.add_column(col)
        for r in lib.reliability():
            table.add_row(r.source, f"{r.reliability:.2f}", str(r.n_claims), str(r.n_agree))
        out.print(table)


@app.command()
def reconcile(db: DbOption = Path(DEFAULT_DB)) -> None:
    """Solve every story's facts and every source's reliability together (the full fixpoint).

    An ingest recomputes only the stories it touched, with the reliabilities it found; this
    pass weighs every source by all it ever said. It reads every claim at once."""
    with _open(db) as lib:
        lib.reconcile_all()
        n = lib.store.count("facts")
    out.print(f"{n} facts and the reliability of every source recomputed in {db}")


@app.command()
def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[
        str, typer.Option(help="Interface to bind; loopback unless you say otherwise.")
    ] = "127.0.0.1",
    port: int = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            help="Bearer token for write endpoints; prefer the environment variable STORYFOLD_TOKEN,"
            " which other users cannot read in the process list. None: read-only."
        ),
    ] = None,
    follow: Annotated[
        list[str] | None,
        typer.Option(
            "--follow",
            help="Follow this feed URL, file of URLs or folder while serving (repeat for more);"
            " the server is then the database's writer.",
        ),
    ] = None,
    every: Annotated[float, typer.Option("--every", min=1, help="Seconds between follow rounds.")] = 300.0,
    delay: Annotated[
        float, typer.Option("--delay", min=0, help="Follow: seconds between two requests to one site.")
    ] = 1.0,
) -> None:
    """The HTTP API and web page (and, with --follow, the rounds that keep it fed)."""
    from storyfold.present.api import serve as serve_app

    if token:
        err.print(
            "warning: a --token on the command line shows in the process list (ps) of every user;"
            " set STORYFOLD_TOKEN instead",
            markup=False,
        )
    token = token or os.environ.get("STORYFOLD_TOKEN")
    plan = None
    if follow:
        from storyfold.ingest.live import FetchSettings
        from storyfold.pipeline.follow import FollowSettings
        from storyfold.pipeline.remote import FollowPlan

        chosen = tuple(_sources(follow))
        plan = FollowPlan(chosen, FollowSettings(fetch=FetchSettings(delay=delay), settle=2.0), every)
    if token or plan:  # the server is the database's one writer, in a process of its own
        from storyfold.pipeline.remote import WriterProcess

        try:
            lib: Any = WriterProcess(db, follow=plan)
        except StoreError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from exc
    else:
        lib = _open(db, readonly=True)
    mode = "writes need the token" if token else "read-only"
    following = f", following {len(plan.sources)} sources every {every:g} s" if plan else ""
    err.print(f"serving {db} on http://{host}:{port}/ ({mode}{following})")
    try:
        serve_app(lib, host=host, port=port, token=token)
    finally:
        lib.close()


def _sources(args: list[str]) -> list[Source]:
    """The sources named on the command line; one line for each that is not one, and exit 1
    when none is."""
    from storyfold.ingest.live import parse_source

    chosen = []
    for arg in args:
        got = parse_source(arg)
        if isinstance(got, str):
            err.print(f"bad source: {got}", markup=False, highlight=False, soft_wrap=True)
        else:
            chosen.append(got)
    if not chosen:
        raise typer.Exit(1)
    return chosen


@app.command()
def follow(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="RSS/Atom feed URLs, files of page URLs (one a line), folders.", show_default=False
        ),
    ],
    db: DbOption = Path(DEFAULT_DB),
    every: Annotated[
        float, typer.Option("--every", min=1, help="Seconds from one round's start to the next.")
    ] = 300.0,
    once: Annotated[bool, typer.Option("--once", help="One round, then exit.")] = False,
    delay: Annotated[
        float, typer.Option("--delay", min=0, help="Seconds between two requests to one site.")
    ] = 1.0,
    per_host: Annotated[int, typer.Option("--per-host", min=1, help="Requests at once to one site.")] = 2,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds for a whole answer, body included.")
    ] = 60.0,
    no_robots: Annotated[
        bool, typer.Option("--no-robots", help="Do not obey robots.txt (only for sites you run).")
    ] = False,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Let redirects from public sites lead to private network addresses."
        ),
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Processes for the per-article work.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the line of each round.")] = False,
) -> None:
    """Follow feeds, URL lists and folders: fetch what is new and fold it in, every --every seconds.

    Runs until Ctrl-C or SIGTERM (or one round with --once); each item added or failed is one
    line naming its URL."""
    import signal
    import threading

    from storyfold.ingest.live import FetchSettings
    from storyfold.pipeline.follow import Follower, FollowSettings

    chosen = _sources(sources)
    settings = FollowSettings(
        fetch=FetchSettings(
            delay=delay,
            per_host=per_host,
            deadline=timeout,
            timeout=min(20.0, timeout),
            robots=not no_robots,
            allow_private=allow_private,
        ),
        settle=0.0 if once else 2.0,
    )

    def say(line: str) -> None:
        if quiet and not line.startswith("round "):
            return
        err.print(line, markup=False, highlight=False, soft_wrap=True)

    with _open(db, workers=workers) as lib:
        follower = Follower(lib, chosen, settings, say=say)

        def stop(signum: int, _frame: object) -> None:
            say(f"{signal.Signals(signum).name}: stopping after what was fetched is written")
            follower.request_stop()
            signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C interrupts

        handlers = {}
        if threading.current_thread() is threading.main_thread():
            handlers = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            follower.run(every, rounds=1 if once else None)
        except StoreError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from exc
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        n_articles, n_stories = lib.store.count("articles"), lib.store.count("stories")
    out.print(f"{n_articles} articles in {n_stories} stories in {db}")


def demo_corpus() -> Path:
    """The built-in demo corpus shipped inside the package."""
    return Path(str(resources.files("storyfold.demo") / "corpus"))


@app.command()
def demo(
    db: Annotated[Path | None, typer.Option("--db", help="Keep the demo database here.")] = None,
    full: Annotated[bool, typer.Option(help="Print every story's brief, not only the largest.")] = False,
) -> None:
    """Run the whole flow on the built-in demo corpus and print the stories."""
    target = db or Path(tempfile.mkdtemp(prefix="storyfold-demo-")) / "demo.db"
    from storyfold.present.report import render_markdown

    with _open(target) as lib:
        run_ingest(lib, [demo_corpus()])
        lib.reconcile_all()  # a small corpus: weigh every source by all it said
        out.print(_stories_table(lib, 50, None))
        ids = [s.id for s in lib.list_stories(limit=50)]
        for sid in ids if full else ids[:1]:
            brief = lib.brief(sid)
            if brief:
                out.print(Markdown(render_markdown(brief)))
    out.print(f"database: {target}  (try: storyfold stories --db {target}; storyfold serve --db {target})")


if __name__ == "__main__":
    app()
