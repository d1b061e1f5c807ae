"""The `kg` command: build (and later validate, query, load).

The only module that prints or exits; everything below it returns values.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__
from kg.check import validate as validation
from kg.check.engine import EngineUnavailable
from kg.check.gate import DEFAULT_ENGINE, ENGINE_CHOICES, VALIDATE_ENGINE, ShadowDisagreement, compile_shapes
from kg.check.shapes import ShapesError, shape_files
from kg.outcomes import WorkerDied
from kg.pipeline import DEFAULT_FORMATS, OUTPUT_FORMATS, BuildOptions, BuildReport, build, clean, merge
from kg.read.layout import SourceError
from kg.read.provenance import ReleaseError, release_date
from kg.read.textfile import DEFAULT_MAX_BYTES
from kg.shard import ShardError, parse_shard
from kg.sparql import query as sparql
from kg.sparql.store import StoreError, memory_store, open_store
from kg.write.atomic import OutputError
from kg.write.commit import CommitError, InterruptedAfterCommit, on_signal
from kg.write.lock import Locked

if TYPE_CHECKING:
    from tqdm import tqdm

DEFAULT_SOURCE = Path("seeds")
DEFAULT_OUTDIR = Path("output")


def _positive(text: str) -> int:
    """argparse type: a whole number ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not ≥ 1")
    return value


def _shard(text: str) -> tuple[int, int]:
    """argparse type: I/N."""
    try:
        return parse_shard(text)
    except ShardError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _formats(text: str) -> tuple[str, ...]:
    """argparse type: comma-separated output formats; nt is always among them (the rest derive from it)."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in OUTPUT_FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected a comma-separated list of {', '.join(OUTPUT_FORMATS)}"
        )
    return tuple(fmt for fmt in OUTPUT_FORMATS if fmt == "nt" or fmt in names)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Turn Pathway Figure OCR (PFOCR) records into a validated RDF knowledge graph.",
    )
    parser.add_argument("--version", action="version", version=f"pfocr-kg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser(
        "build",
        help="PFOCR records → checked pfocr.nt, pfocr.ttl, report.json, validation.ttl",
        description=(
            "Read PFOCR figure records (a database root with _figures/, _data/, _organisms/; "
            "a folder of figure .md files; or single .md files), check each figure against the "
            "SHACL shapes, and write OUTDIR/pfocr.nt, OUTDIR/pfocr.ttl (and OUTDIR/pfocr.jsonld: see "
            "--format), OUTDIR/report.json and OUTDIR/validation.ttl. Records that cannot be read or fail the shapes are listed in "
            "report.json under 'quarantined' with the reason (failed figures' triples in "
            "OUTDIR/quarantine/<figid>.ttl); the run goes on. Exit status: 0, or 1 with --strict "
            "when something was quarantined, 2 when a SOURCE or the shapes cannot be used."
        ),
    )
    b.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                   help=f"records to read (default: {DEFAULT_SOURCE}/)")
    b.add_argument("-o", "--outdir", type=Path, default=DEFAULT_OUTDIR,
                   help=f"output folder (default: {DEFAULT_OUTDIR}/)")
    b.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"refuse input files larger than N bytes (default: {DEFAULT_MAX_BYTES})")
    b.add_argument("--strict", action="store_true",
                   help="exit with status 1 when any record is quarantined")
    b.add_argument("--shapes", type=Path, metavar="DIR",
                   help="SHACL shapes to gate with (default: the project's shapes/)")
    b.add_argument("--no-validate", action="store_true",
                   help="skip the SHACL gate (report.json says so)")
    b.add_argument("--engine", choices=ENGINE_CHOICES, default=DEFAULT_ENGINE,
                   help=f"SHACL engine for the gate (default: {DEFAULT_ENGINE}, the checker generated from the "
                        "shapes, with shacl re-checking a sample; pyshacl is the slow reference)")
    b.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes (default: the CPU count); output does not depend on it")
    b.add_argument("--wait", action="store_true",
                   help="if another build is writing OUTDIR, wait for it instead of refusing")
    b.add_argument("--store", type=Path, metavar="DIR",
                   help="also bulk-load the build into an on-disk SPARQL store (pyoxigraph) at DIR")
    b.add_argument("--format", type=_formats, default=DEFAULT_FORMATS, metavar="LIST", dest="formats",
                   help=f"outputs to write, comma-separated from {', '.join(OUTPUT_FORMATS)} (default: "
                        f"{','.join(DEFAULT_FORMATS)}): OUTDIR/pfocr.<format>. pfocr.nt is always written, "
                        "since the other formats are derived from it; jsonld is one JSON-LD 1.1 document "
                        "compacted with the pfocr-kg context. A format not asked for is removed from OUTDIR "
                        "(it would describe an earlier build)")
    b.add_argument("--no-cache", action="store_true",
                   help="recompute every record; do not read or keep the build cache")
    b.add_argument("--cache-dir", type=Path, metavar="DIR",
                   help="build cache folder (default: OUTDIR/.kg-cache): each record's outcome keyed by "
                        "its content, the shapes and the tool's code, so a rebuild redoes only changed records. "
                        "It may be shared by several OUTDIRs (shards, formats) and builds at once; entries "
                        "no longer used are then never removed by a build, only by `kg clean --cache-dir DIR`")
    b.add_argument("--shard", type=_shard, metavar="I/N",
                   help="build only the I-th of N parts of the records (by a hash of the figid); combine "
                        "the N OUTDIRs with `kg merge`")
    b.add_argument("--release", metavar="VERSION",
                   help="the release's version, the dataset node's pav:version (default: the SOURCE's git "
                        "commit when SOURCE is a git checkout, else none)")
    b.add_argument("--release-date", metavar="YYYY-MM-DD",
                   help="the release's date, the dataset node's dcterms:issued (default: the day of "
                        "SOURCE_DATE_EPOCH when it is set, else none: a build reads no clock, so the same "
                        "input gives the same bytes)")
    b.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    m = commands.add_parser(
        "merge",
        help="combine the OUTDIRs of `kg build --shard I/N` into one build's outputs",
        description=(
            "Combine the OUTDIRs of all N shards (`kg build --shard 1/N` … `N/N`, same sources, shapes "
            "and tool) into OUTDIR: exactly the files one `kg build` of all records writes, byte for "
            "byte. Reads each shard's shard.json and build cache. Exit status: 0, 1 when an output "
            "cannot be written, 2 when the shards are incomplete, mixed or damaged."
        ),
    )
    m.add_argument("shards", nargs="+", type=Path, metavar="SHARD_OUTDIR", help="the OUTDIR of each shard")
    m.add_argument("-o", "--outdir", type=Path, default=DEFAULT_OUTDIR,
                   help=f"output folder (default: {DEFAULT_OUTDIR}/)")
    m.add_argument("--wait", action="store_true",
                   help="if another build is writing OUTDIR, wait for it instead of refusing")
    m.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    c = commands.add_parser(
        "clean",
        help="remove the build cache (and with --all, the outputs) of an OUTDIR",
        description=(
            "Remove OUTDIR/.kg-cache (or --cache-dir) and temporary files left by killed builds (a build "
            "killed while renaming its outputs into place is completed first); with --all also every "
            "output kg build writes there (pfocr.*, report.*, validation.ttl, quarantine/, shard.json). "
            "Other files in OUTDIR are never touched. Takes the build lock."
        ),
    )
    c.add_argument("outdir", nargs="?", type=Path, default=DEFAULT_OUTDIR, metavar="OUTDIR",
                   help=f"(default: {DEFAULT_OUTDIR}/)")
    c.add_argument("--cache-dir", type=Path, metavar="DIR", help="the cache folder, if not OUTDIR/.kg-cache")
    c.add_argument("--all", action="store_true", help="also remove the build outputs")

    q = commands.add_parser(
        "query",
        help="run a SPARQL query over the build (or over given RDF files)",
        description=(
            "Run a SPARQL 1.1 query (text, or @file.rq) over an on-disk store of OUTDIR/pfocr.nt "
            "(created, or refreshed when the build changed) or over --data files. SELECT prints a "
            "table (or CSV/TSV/SPARQL JSON with --format); ASK prints true/false and exits 0/1; "
            "CONSTRUCT and DESCRIBE print Turtle. Invalid queries exit 2 with the position."
        ),
    )
    q.add_argument("query", metavar="QUERY", help="SPARQL text, or @path/to/query.rq")
    q.add_argument("--store", type=Path, metavar="DIR",
                   help=f"on-disk store folder (default: {DEFAULT_OUTDIR}/store)")
    q.add_argument("--nt", type=Path, metavar="FILE",
                   help=f"build output the store mirrors (default: {DEFAULT_OUTDIR}/pfocr.nt)")
    q.add_argument("--data", type=Path, nargs="+", metavar="FILE",
                   help="query these RDF files instead of the store")
    q.add_argument("--format", choices=("table", *sparql.RESULT_FORMATS), default="table",
                   help="how SELECT results are printed (default: table)")

    ld = commands.add_parser(
        "load",
        help="send the build to a SPARQL server (Graph Store HTTP Protocol)",
        description=(
            f"Send RDF files (default: {DEFAULT_OUTDIR}/pfocr.nt) to a store that speaks the SPARQL "
            "1.1 Graph Store HTTP Protocol (Oxigraph: http://HOST:7878/store, Fuseki: "
            "http://HOST:3030/DATASET/data, GraphDB: http://HOST:7200/repositories/REPO/rdf-graphs/service, "
            "Virtuoso: http://HOST:8890/sparql-graph-crud-auth), as N-Triples in chunks, retrying "
            "connection errors, 429 and 5xx with exponential backoff. Credentials come from KG_LOAD_USER "
            "and KG_LOAD_PASSWORD, or from ~/.netrc, never from the command line. Then counts the graph: "
            "with --sparql by a COUNT query, else by a GET of the graph. Exit status: 0 loaded, 1 the "
            "store refused or could not be reached, 2 unusable input."
        ),
    )
    ld.add_argument("endpoint", metavar="ENDPOINT", help="the store's Graph Store Protocol URL")
    ld.add_argument("files", nargs="*", type=Path, metavar="FILE",
                    help=f"RDF files to send (default: {DEFAULT_OUTDIR}/pfocr.nt)")
    ld.add_argument("--graph", metavar="IRI", help="named graph to load into (default: the default graph)")
    ld.add_argument("--replace", action="store_true",
                    help="replace the graph's content (the first request is a PUT) instead of adding to it")
    ld.add_argument("--sparql", metavar="URL",
                    help="SPARQL query endpoint used to count the graph afterwards")
    ld.add_argument("--no-count", action="store_true", help="do not count the graph afterwards")
    ld.add_argument("--chunk", type=int, metavar="N", help="triples per request (default: 50000)")
    ld.add_argument("--retries", type=int, metavar="N",
                    help="retries of a request after a connection error, 429 or 5xx (default: 5)")
    ld.add_argument("--timeout", type=float, metavar="SECONDS", help="per request (default: 300)")
    ld.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no retry notes")

    v = commands.add_parser(
        "validate",
        help="check RDF files against SHACL shapes",
        description=(
            "Validate RDF files (Turtle, N-Triples, JSON-LD, RDF/XML; by extension or --format) "
            "as one data graph against our shapes or given ones. Exit status: 0 when there is no "
            "result at or above --fail-on (default: violation), 1 when there is, 2 when the input "
            "or the shapes cannot be used."
        ),
    )
    v.add_argument("data", nargs="+", type=Path, metavar="DATA", help="RDF files to check")
    v.add_argument("--shapes", type=Path, metavar="DIR", help="shapes folder or file (default: the project's shapes/)")
    v.add_argument("--format", choices=sorted(validation.FORMATS), help="format of every DATA file")
    v.add_argument("--report", type=Path, metavar="FILE", help="write the sh:ValidationReport (Turtle) here")
    v.add_argument("--engine", choices=ENGINE_CHOICES, default=VALIDATE_ENGINE,
                   help=f"SHACL engine (default: {VALIDATE_ENGINE}, full SHACL; compiled: the checker generated "
                        "from the shapes, where it supports them, else shacl)")
    v.add_argument("--fail-on", choices=("violation", "warning", "info"), default="violation",
                   help="lowest severity that makes the exit status 1 (default: violation)")
    v.add_argument("--examples", type=_positive, default=3, metavar="N", help="focus nodes shown per message (default: 3)")

    pub = commands.add_parser(
        "publish",
        help="write a static linked-data site (HTML, Turtle, JSON-LD per figure and gene) from the build",
        description=(
            "Write a static linked-data site from OUTDIR/pfocr.nt: figures/<figid>.html (PFOCR's own "
            "paths, so figure IRIs dereference at PFOCR's host) with the schema.org JSON-LD embedded, "
            "figures/<figid>.ttl and .jsonld, genes/<entrez id>.html, .ttl and .jsonld, index.html with "
            "search by gene symbol, title and organism (no server needed), sitemap.xml, robots.txt, "
            "void.ttl, dataset.jsonld, dumps/ and .htaccess (Apache content negotiation; the nginx "
            "snippets are in kg/publish/conneg/nginx/). The site is written beside DIR and swapped in "
            "whole. Exit status: 0, or 2 when there is nothing to publish or DIR is not a pfocr-kg site."
        ),
    )
    pub.add_argument("outdir", nargs="?", type=Path, default=DEFAULT_OUTDIR, metavar="OUTDIR",
                     help=f"the build to publish (default: {DEFAULT_OUTDIR}/)")
    pub.add_argument("--site", type=Path, metavar="DIR", help="site folder to write (default: OUTDIR/site)")
    pub.add_argument("--base-url", default=None, metavar="URL",
                     help="where the site will be served, for sitemap.xml, canonical links and void.ttl "
                          "(default: https://pfocr.wikipathways.org/)")
    pub.add_argument("--store", type=Path, metavar="DIR",
                     help="on-disk store of OUTDIR/pfocr.nt to read from (default: OUTDIR/store, as kg query)")
    pub.add_argument("--memory", action="store_true", help="read from an in-memory store instead (small builds)")
    pub.add_argument("--no-dumps", action="store_true", help="do not put pfocr.nt/.ttl/.jsonld in DIR/dumps/")
    pub.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    return parser


class _StopOnSignals:
    """SIGINT and SIGTERM stop a build or merge alike: temporary files removed, the previous
    outputs kept, or, once the new ones are being renamed into place, those completed first
    (kg.write.commit.on_signal). A signal the caller ignores (`kg build &` in a script) stays
    ignored."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __enter__(self) -> None:
        self._previous = {}
        for sig in self.SIGNALS:
            if signal.getsignal(sig) is not signal.SIG_IGN:
                self._previous[sig] = signal.signal(sig, on_signal)

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)  # None: set outside Python


class _Progress:
    """A progress bar (figures/s, ETA) on a terminal; silent otherwise: CI logs get the one
    summary line printed at the end."""

    def __init__(self, enabled: bool, what: str = "records") -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.what = what
        self.done = 0
        self.total = 0
        self.started = time.monotonic()
        self._bar: tqdm | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.enabled:
            if self._bar is None:
                from tqdm import tqdm  # only on a terminal

                self._bar = tqdm(total=total, unit=" fig", desc=f"  {self.what}", file=sys.stderr,
                                 dynamic_ncols=True, mininterval=0.2)
            self._bar.update(done - self.done)
        self.done, self.total = done, total

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def rate(self) -> str:
        elapsed = time.monotonic() - self.started
        return f"{elapsed:.1f} s, {self.done / elapsed:,.0f} figures/s" if elapsed > 0 and self.done else f"{elapsed:.1f} s"


def _build(args: argparse.Namespace) -> int:
    sources = args.sources or [DEFAULT_SOURCE]
    try:
        date = release_date(args.release_date, os.environ.get("SOURCE_DATE_EPOCH"))
    except ReleaseError as exc:
        print(f"kg build: error: {exc}", file=sys.stderr)
        return 2
    options = BuildOptions(
        sources=sources, outdir=args.outdir, max_bytes=args.max_bytes, validate=not args.no_validate,
        shapes_dir=args.shapes, engine=args.engine, jobs=max(1, args.jobs), store_dir=args.store,
        formats=args.formats, use_cache=not args.no_cache, cache_dir=args.cache_dir, shard=args.shard,
        release=args.release, release_date=date,
    )
    progress = _Progress(not args.quiet)
    try:
        with _StopOnSignals():
            report = build(options, progress, wait_for_lock=args.wait)
    except (SourceError, ShapesError, EngineUnavailable, StoreError, Locked, ShardError, ReleaseError) as exc:
        progress.close()
        print(f"kg build: error: {exc}", file=sys.stderr)
        return 2
    except CommitError as exc:
        progress.close()
        print(f"kg build: error: {exc}", file=sys.stderr)
        return 1
    except (OutputError, WorkerDied, ShadowDisagreement) as exc:
        progress.close()
        print(f"kg build: error: {exc}; the previous outputs in {args.outdir}/ are unchanged", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        progress.close()
        print(f"\nkg build: {_interrupted(exc, args.outdir, progress)}", file=sys.stderr)
        return 130
    progress.close()
    _summary("kg build", report, args, progress)
    return 1 if args.strict and report.quarantined else 0


def _interrupted(exc: KeyboardInterrupt, outdir: Path, progress: _Progress) -> str:
    if isinstance(exc, InterruptedAfterCommit):
        return (f"interrupted once the outputs were in place: {outdir}/ holds this build's complete "
                "outputs (what follows them was skipped: tidying the cache, filling --store)")
    return (f"interrupted after {progress.done} of {progress.total or '?'} records; "
            f"nothing was written, the previous outputs in {outdir}/ are unchanged")


def _summary(command: str, report: BuildReport, args: argparse.Namespace, progress: _Progress) -> None:
    for problem in report.quarantined:
        where = f"{problem.file}" + (f" [{problem.field}]" if problem.field else "")
        print(f"{command}: quarantined {where}: {problem.reason}", file=sys.stderr)
    if not args.quiet:
        gate = report.validation
        checked = (
            f"gate: {gate['violations']} violations, {gate['warnings']} warnings"
            if gate.get("enabled") else "gate skipped (--no-validate)"
        )
        print(
            f"{command}: {report.records_read} records read, {report.figures_written} figures written, "
            f"{len(report.quarantined)} quarantined, {len(report.warnings)} field warnings, {checked}, "
            f"{report.triples} triples → {args.outdir}/ ({progress.rate()}"
            + (f"; {report.reused} from the cache, {report.computed} computed" if command == "kg build" else "")
            + ("; outputs already up to date, nothing rewritten)" if report.up_to_date else ")"),
            file=sys.stderr,
        )


def _merge(args: argparse.Namespace) -> int:
    progress = _Progress(not args.quiet, "merging")
    try:
        with _StopOnSignals():
            report = merge(args.shards, args.outdir, progress, wait_for_lock=args.wait)
    except (ShardError, Locked) as exc:
        progress.close()
        print(f"kg merge: error: {exc}", file=sys.stderr)
        return 2
    except CommitError as exc:
        progress.close()
        print(f"kg merge: error: {exc}", file=sys.stderr)
        return 1
    except OutputError as exc:
        progress.close()
        print(f"kg merge: error: {exc}; the previous outputs in {args.outdir}/ are unchanged", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        progress.close()
        print(f"\nkg merge: {_interrupted(exc, args.outdir, progress)}", file=sys.stderr)
        return 130
    progress.close()
    _summary("kg merge", report, args, progress)
    return 0


def _clean(args: argparse.Namespace) -> int:
    if not args.outdir.is_dir():
        print(f"kg clean: {args.outdir}: no such folder; nothing to do", file=sys.stderr)
        return 0
    try:
        removed = clean(args.outdir, args.cache_dir, outputs=args.all)
    except Locked as exc:
        print(f"kg clean: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, OutputError, CommitError) as exc:
        print(f"kg clean: error: {exc}", file=sys.stderr)
        return 1
    for path in removed:
        print(f"removed {path}", file=sys.stderr)
    if not removed:
        print(f"kg clean: nothing to remove in {args.outdir}/", file=sys.stderr)
    return 0


def _query(args: argparse.Namespace) -> int:
    text = args.query
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            print(f"kg query: error: cannot read {text[1:]}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    try:
        if args.data:
            store = memory_store(args.data)
        else:
            store_dir = args.store or DEFAULT_OUTDIR / "store"
            store, loaded = open_store(store_dir, args.nt or DEFAULT_OUTDIR / "pfocr.nt")
            if loaded:
                print(f"kg query: loaded {args.nt or DEFAULT_OUTDIR / 'pfocr.nt'} into {store_dir}", file=sys.stderr)
        answer = sparql.run(store, text, args.format)
    except (StoreError, sparql.QueryError) as exc:
        print(f"kg query: error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(answer.text if answer.text.endswith("\n") else answer.text + "\n")
    if answer.boolean is not None:
        return 0 if answer.boolean else 1
    return 0


def _load(args: argparse.Namespace) -> int:
    from kg.sparql import load as load_rdf  # here, so other commands never import the HTTP client

    files = args.files or [DEFAULT_OUTDIR / "pfocr.nt"]
    bar = sys.stderr.isatty() and not args.quiet
    lead = "\n" if bar else ""  # end the progress line before any message

    def note(text: str) -> None:
        print(f"{lead}kg load: {text}", file=sys.stderr)

    def show(done: int, total: int, triples: int) -> None:
        print(f"\r  {load_rdf.progress_bar(done, total, triples)}", end="", file=sys.stderr, flush=True)

    try:
        load_rdf.check_url(args.endpoint, "endpoint")
        if args.sparql:
            load_rdf.check_url(args.sparql, "query endpoint")
        urls = [args.endpoint] + ([args.sparql] if args.sparql else [])
        http = load_rdf.Http(
            load_rdf.credentials_by_origin(urls),
            timeout=load_rdf.DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
            retries=load_rdf.DEFAULT_RETRIES if args.retries is None else args.retries,
            on_retry=None if args.quiet else note,
        )
        client = load_rdf.GraphStoreClient(args.endpoint, args.graph, http)
        report = load_rdf.load(
            client, files, replace=args.replace, progress=show if bar else None,
            chunk_size=load_rdf.DEFAULT_CHUNK if args.chunk is None else args.chunk,
        )
        if bar:
            print(file=sys.stderr)
    except load_rdf.InputError as exc:
        note(f"error: {exc}")
        return 2
    except load_rdf.LoadError as exc:
        note(f"error: {exc}")
        return 1
    where = f"graph <{args.graph}>" if args.graph else "the default graph"
    summary = (
        f"kg load: {report.triples} triples from {', '.join(map(str, files))} sent in {report.requests} "
        f"request{'s' if report.requests != 1 else ''} to {args.endpoint} ({where}"
        f"{', replaced' if args.replace else ''})"
    )
    if args.no_count:
        print(summary, file=sys.stderr)
        return 0
    try:
        held = load_rdf.sparql_count(http, args.sparql, args.graph) if args.sparql else client.count()
    except load_rdf.LoadError as exc:
        print(f"{summary}; could not count the graph afterwards: {exc}", file=sys.stderr)
        return 0
    print(f"{summary}; the store now holds {held} triples there", file=sys.stderr)
    return 0


_SEVERITY_RANK = {"violation": 3, "warning": 2, "info": 1}


def _validate(args: argparse.Namespace) -> int:
    try:
        engine = compile_shapes(args.engine, shape_files(args.shapes))
        outcome, count = validation.run(engine, args.data, args.format)
    except (ShapesError, EngineUnavailable, validation.DataError) as exc:
        print(f"kg validate: error: {exc}", file=sys.stderr)
        return 2
    summary = validation.summarise(outcome)
    counts = ", ".join(f"{summary.by_severity.get(s, 0)} {s.lower()}s" for s in ("Violation", "Warning", "Info"))
    print(f"{count} triples checked with {engine.name}: {counts}")
    for (severity, shape, message), nodes in sorted(
        summary.by_shape.items(), key=lambda kv: (-_SEVERITY_RANK[kv[0][0].lower()], -len(kv[1]), kv[0])
    ):
        print(f"  {severity} ×{len(nodes)} {message}" + (f"  [{shape}]" if shape and not shape.startswith("_:") else ""))
        for node in nodes[: args.examples]:
            print(f"      e.g. {node}")
    if args.report:
        try:
            args.report.write_text(outcome.report("turtle"), encoding="utf-8")
        except OSError as exc:
            print(f"kg validate: error: cannot write the report {args.report}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    threshold = _SEVERITY_RANK[args.fail_on]
    failing = any(_SEVERITY_RANK[s.lower()] >= threshold and n for s, n in summary.by_severity.items())
    return 1 if failing else 0


def _publish(args: argparse.Namespace) -> int:
    from kg.publish import site  # here, so other commands never import the site writer

    site_dir = args.site or args.outdir / "site"
    progress = _Progress(not args.quiet)

    def show(kind: str, done: int, total: int) -> None:
        if progress.enabled and (done == total or done % 100 == 0):
            print(f"\r  {done}/{total} {kind}", end="\n" if done == total else "", file=sys.stderr, flush=True)

    try:
        report = site.publish(
            args.outdir / "pfocr.nt", site_dir, args.base_url or site.DEFAULT_BASE_URL,
            store_dir=args.store, memory=args.memory, dumps=not args.no_dumps, progress=show,
        )
    except (site.PublishError, StoreError) as exc:
        print(f"kg publish: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"kg publish: error: {exc}", file=sys.stderr)
        return 1
    for note in report.skipped:
        print(f"kg publish: skipped {note}", file=sys.stderr)
    for warning in report.warnings:
        print(f"kg publish: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        pages = ", ".join(f"{n} {folder}" for folder, n in report.pages.items()) or (
            f"{report.figures} figures, {report.genes} genes")
        extra = ", void.ttl, dataset.jsonld" if report.void else " (kg.publish.void missing: no void.ttl)"
        vocabulary = ", vocab.ttl" if report.vocabulary is not None else " (no vocabulary found: no vocab.ttl)"
        print(
            f"kg publish: pages of {pages}; index, sitemap{vocabulary}{extra}; {report.files} files → {site_dir}/",
            file=sys.stderr,
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "validate":
        return _validate(args)
    if args.command == "query":
        return _query(args)
    if args.command == "load":
        return _load(args)
    if args.command == "publish":
        return _publish(args)
    if args.command == "merge":
        return _merge(args)
    if args.command == "clean":
        return _clean(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
