"""The `kg` command: build, merge, clean, validate, query, load, publish.

The only module that prints or exits; everything below it returns values. Its conventions (one
option name per idea, a build named by -o OUTDIR everywhere, -q, one- or two-line errors) are
written down in docs/cli.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from kg import __version__
from kg.build.clean import clean
from kg.build.options import BuildOptions
from kg.build.pool import WorkerDied
from kg.build.run import build, merge
from kg.build.shard import MANIFEST, ShardError, parse_shard
from kg.check import validate as validation
from kg.check.engine import EngineUnavailable
from kg.check.gate import DEFAULT_ENGINE, ENGINE_CHOICES, VALIDATE_ENGINE, ShadowDisagreement, compile_shapes
from kg.check.shapes import ShapesError, packaged, shape_files
from kg.read.layout import SourceError
from kg.read.provenance import ReleaseError, release_date
from kg.read.textfile import DEFAULT_MAX_BYTES
from kg.report.summary import BuildReport
from kg.sparql import query as sparql
from kg.sparql import store as stores
from kg.sparql.store import StoreError, memory_store, open_store
from kg.write.atomic import OutputError
from kg.write.commit import JOURNAL_NAME as COMMIT_JOURNAL
from kg.write.commit import CommitError, InterruptedAfterCommit, on_signal
from kg.write.formats import DEFAULT_FORMATS, OUTPUT_FORMATS
from kg.write.lock import Locked, is_held

if TYPE_CHECKING:
    from collections.abc import Callable

    from tqdm import tqdm

    from kg.sparql.load import Http

DEFAULT_SOURCE = Path("seeds")
DEFAULT_OUTDIR = Path("output")


def _whole(text: str, least: int) -> int:
    """argparse type: a whole number ≥ `least`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{text} is not ≥ {least}")
    return value


def _positive(text: str) -> int:
    """argparse type: a whole number ≥ 1."""
    return _whole(text, 1)


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


def _not_negative(text: str) -> int:
    """argparse type: a whole number ≥ 0."""
    return _whole(text, 0)


def _seconds(text: str) -> float:
    """argparse type: a number of seconds > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not > 0")
    return value


class _Parser(argparse.ArgumentParser):
    """Usage errors in two lines, as every other error (docs/cli.md): what is wrong, then where the
    options are listed, instead of argparse's whole usage block first."""

    _argv: tuple[str, ...] = ()

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def,override]
        self._argv = tuple(sys.argv[1:] if args is None else args)  # for error()'s hint
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        hint = f"(`{self.prog} --help` lists the options)"
        if message.endswith("required: QUERY") and "--data" in self._argv:  # --data FILE ... took QUERY too
            hint = "(--data takes every argument after it: put QUERY before --data, or end its files with --)"
        self.exit(2, f"{self.prog}: error: {message}\n{hint}\n")


def _add_outdir(parser: argparse.ArgumentParser, help: str, positional: bool = False) -> None:
    """-o/--outdir OUTDIR, the build a command writes or reads: one name in every command (docs/cli.md).
    `positional`: an OUTDIR given as an argument too, the older spelling of `kg clean` and `kg publish`."""
    parser.add_argument("-o", "--outdir", type=Path, default=DEFAULT_OUTDIR, metavar="OUTDIR",
                        help=f"{help} (default: {DEFAULT_OUTDIR}/)")
    if positional:
        parser.add_argument("old_outdir", nargs="?", type=Path, help=argparse.SUPPRESS)


def _add_quiet(parser: argparse.ArgumentParser, help: str = "print only errors") -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help=help)


def _hidden_alias(parser: argparse.ArgumentParser, old: str, **kwargs: object) -> None:
    """An option's older spelling, still accepted, not shown in --help (docs/cli.md)."""
    parser.add_argument(old, help=argparse.SUPPRESS, default=argparse.SUPPRESS, **kwargs)  # type: ignore[arg-type]


def _parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = _Parser(  # its subcommands are _Parsers too (parser_class)
        prog="kg",
        description="Turn Pathway Figure OCR (PFOCR) records into a validated RDF knowledge graph.",
    )
    parser.add_argument("--version", action="version", version=f"pfocr-kg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser(
        "build",
        help="PFOCR records → checked pfocr.nt, pfocr.ttl, report.json, report.html, validation.ttl",
        description=(
            "Read PFOCR figure records (a database root with _figures/, _data/, _organisms/; "
            "a folder of figure .md files; or single .md files), check each figure against the "
            "SHACL shapes, and write OUTDIR/pfocr.nt, OUTDIR/pfocr.ttl (and OUTDIR/pfocr.jsonld, pfocr.nq: see "
            "--outputs), OUTDIR/pfocr-vocab.ttl, OUTDIR/report.json, OUTDIR/report.html and "
            "OUTDIR/validation.ttl. Records that cannot be read or fail the shapes are listed in "
            "report.json under 'quarantined' with the reason (failed figures' triples in "
            "OUTDIR/quarantine/<figid>.ttl); the run goes on. Exit status: 0, or 1 with --strict "
            "when something was quarantined, 2 when a SOURCE or the shapes cannot be used."
        ),
    )
    b.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                   help=f"records to read (default: {DEFAULT_SOURCE}/)")
    _add_outdir(b, "output folder")
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
    b.add_argument("--outputs", type=_formats, default=DEFAULT_FORMATS, metavar="LIST", dest="formats",
                   help=f"output formats to write, comma-separated from {', '.join(OUTPUT_FORMATS)} (default: "
                        f"{','.join(DEFAULT_FORMATS)}): OUTDIR/pfocr.<format>. pfocr.nt is always written, "
                        "since the other formats are derived from it; jsonld is one JSON-LD document "
                        "compacted with the pfocr-kg context (JSON-LD 1.0 features only, so 1.0 and 1.1 "
                        "processors read it); nq is pfocr.nt's lines as N-Quads, one named graph per figure. A format not asked for is removed from OUTDIR "
                        "(it would describe an earlier build)")
    _hidden_alias(b, "--format", type=_formats, dest="formats")
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
    _add_quiet(b)

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
    _add_outdir(m, "output folder")
    m.add_argument("--wait", action="store_true",
                   help="if another build is writing OUTDIR, wait for it instead of refusing")
    _add_quiet(m)

    c = commands.add_parser(
        "clean",
        help="remove the build cache (and with --all, the outputs) of an OUTDIR",
        description=(
            "Remove OUTDIR/.kg-cache (or --cache-dir) and temporary files left by killed builds (a build "
            "killed while renaming its outputs into place is completed first); with --all also every "
            "output kg build writes there (pfocr.*, report.*, validation.ttl, quarantine/, shard.json). "
            "Outputs are removed only from a folder holding a kg build's report.json, and so is "
            "OUTDIR/store, kg query's store. Other files in OUTDIR are never touched. Takes the build lock."
        ),
    )
    _add_outdir(c, "the build to clean", positional=True)
    c.add_argument("--cache-dir", type=Path, metavar="DIR", help="the cache folder, if not OUTDIR/.kg-cache")
    c.add_argument("--all", action="store_true", help="also remove the build outputs and OUTDIR/store")
    c.add_argument("--wait", action="store_true",
                   help="if a build is writing OUTDIR, wait for it instead of refusing")
    _add_quiet(c, "print only errors, not what was removed")

    q = commands.add_parser(
        "query",
        help="run a SPARQL query over the build (or over given RDF files)",
        description=(
            "Run a SPARQL 1.1 query (text, @file.rq, or @NAME for a shipped query such as "
            "@figures-by-gene-symbol) over an on-disk store of OUTDIR/pfocr.nt (created, or refreshed "
            "when the build changed) or over --data files. The build's prefixes (schema:, ncbigene:, "
            "pfocr:, …) need no PREFIX lines. SELECT prints a table (or CSV/TSV/SPARQL JSON with "
            "--results); ASK prints true/false and exits 0/1; CONSTRUCT and DESCRIBE print Turtle. "
            "Invalid queries exit 2 with the position."
        ),
    )
    q.add_argument("query", metavar="QUERY", help="SPARQL text, @path/to/query.rq, or @NAME (queries/NAME.rq)")
    _add_outdir(q, "the build to query: OUTDIR/pfocr.nt")
    q.add_argument("--store", type=Path, metavar="DIR", help="on-disk store folder (default: OUTDIR/store)")
    _hidden_alias(q, "--nt", type=Path)
    q.add_argument("--data", type=Path, nargs="+", metavar="FILE",
                   help="query these RDF files instead of the build")
    q.add_argument("--show", action="store_true",
                   help="print the query's text instead of running it: `kg query --show NAME` prints the shipped "
                        "query NAME (@ optional), to copy and change")
    q.add_argument("--results", choices=("table", *sparql.RESULT_FORMATS), default="table",
                   help="result format of SELECT (default: table)")
    _hidden_alias(q, "--format", choices=("table", *sparql.RESULT_FORMATS), dest="results")
    _add_quiet(q, "print only the answer and errors")

    ld = commands.add_parser(
        "load",
        help="send the build to a SPARQL server (Graph Store HTTP Protocol)",
        description=(
            "Send RDF files (default: OUTDIR/pfocr.nt) to a store that speaks the SPARQL "
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
    ld.add_argument("files", nargs="*", default=[], type=Path, metavar="FILE", help="RDF files to send (default: OUTDIR/pfocr.nt)")
    _add_outdir(ld, "the build to send: OUTDIR/pfocr.nt")
    ld.add_argument("--graph", metavar="IRI", help="named graph to load into (default: the default graph)")
    ld.add_argument("--replace", action="store_true",
                    help="replace the graph's content (the first request is a PUT) instead of adding to it")
    ld.add_argument("--sparql", metavar="URL",
                    help="SPARQL query endpoint used to count the graph afterwards")
    ld.add_argument("--no-count", action="store_true", help="do not count the graph afterwards")
    ld.add_argument("--chunk", type=_positive, metavar="N", help="triples per request (default: 50000)")
    ld.add_argument("--retries", type=_not_negative, metavar="N",
                    help="retries of a request after a connection error, 429 or 5xx (default: 5)")
    ld.add_argument("--timeout", type=_seconds, metavar="SECONDS", help="per request (default: 300)")
    _add_quiet(ld, "no progress bar, no retry notes")
    ld.add_argument("--by-figure", action="store_true",
                    help="send FILE (default: OUTDIR/pfocr.nq, from kg build --outputs nq) graph by "
                         "graph: only the graphs of figures (and the shared graph) that changed since the "
                         "store's last --by-figure load are replaced (PUT), those of figures gone are deleted; "
                         "the store keeps each graph's SHA-256 in graph <https://w3id.org/pfocr-kg/graph/loaded>. "
                         "Not with --graph or --replace; nothing is counted afterwards")

    v = commands.add_parser(
        "validate",
        help="check RDF files against SHACL shapes",
        description=(
            "Validate RDF files (Turtle, N-Triples, JSON-LD, RDF/XML; by extension or --syntax; "
            "default: OUTDIR/pfocr.nt) as one data graph against our shapes or given ones. Exit status: 0 when there is no "
            "result at or above --fail-on (default: violation), 1 when there is, 2 when the input "
            "or the shapes cannot be used."
        ),
    )
    v.add_argument("data", nargs="*", type=Path, metavar="DATA", help="RDF files to check (default: OUTDIR/pfocr.nt)")
    _add_outdir(v, "the build to check when no DATA is given: OUTDIR/pfocr.nt")
    v.add_argument("--shapes", type=Path, metavar="DIR", help="shapes folder or file (default: the project's shapes/)")
    v.add_argument("--syntax", choices=sorted(validation.FORMATS),
                   help="input syntax of every DATA file (default: from each extension)")
    _hidden_alias(v, "--format", choices=sorted(validation.FORMATS), dest="syntax")
    v.add_argument("--report", type=Path, metavar="FILE", help="write the sh:ValidationReport (Turtle) here")
    v.add_argument("--engine", choices=ENGINE_CHOICES, default=VALIDATE_ENGINE,
                   help=f"SHACL engine (default: {VALIDATE_ENGINE}, full SHACL; compiled: the checker generated "
                        "from the shapes, where it supports them, else shacl)")
    v.add_argument("--fail-on", choices=("violation", "warning", "info"), default="violation",
                   help="lowest severity that makes the exit status 1 (default: violation)")
    v.add_argument("--examples", type=_positive, default=3, metavar="N", help="focus nodes shown per message (default: 3)")
    _add_quiet(v, "print only errors: the exit status (and --report) give the outcome")

    pub = commands.add_parser(
        "publish",
        help="write a static linked-data site (HTML, Turtle, JSON-LD per figure and gene) from the build",
        description=(
            "Write a static linked-data site from the build OUTDIR/pfocr.nt: figures/<figid>.html (PFOCR's own "
            "paths, so figure IRIs dereference at PFOCR's host) with the schema.org JSON-LD embedded, "
            "figures/<figid>.ttl and .jsonld, genes/<entrez id>.html, .ttl and .jsonld, index.html with "
            "search by gene symbol, title, organism, caption, chemical and disease (no server needed), sitemap.xml, robots.txt, "
            "void.ttl, dataset.jsonld, dumps/ and .htaccess (Apache content negotiation; the nginx "
            "snippets are in kg/publish/conneg/nginx/). The site is written beside DIR and swapped in "
            "whole. Exit status: 0, or 2 when there is nothing to publish or DIR is not a pfocr-kg site."
        ),
    )
    _add_outdir(pub, "the build to publish", positional=True)
    pub.add_argument("--site", type=Path, metavar="DIR", help="site folder to write (default: OUTDIR/site)")
    pub.add_argument("--base-url", default=None, metavar="URL",
                     help="where the site will be served, for sitemap.xml, canonical links and void.ttl "
                          "(default: https://pfocr.wikipathways.org/)")
    pub.add_argument("--store", type=Path, metavar="DIR",
                     help="on-disk store of OUTDIR/pfocr.nt to read from (default: OUTDIR/store, as kg query)")
    pub.add_argument("--memory", action="store_true", help="read from an in-memory store instead (small builds)")
    pub.add_argument("--no-dumps", action="store_true", help="do not put pfocr.nt/.ttl/.jsonld in DIR/dumps/")
    _add_quiet(pub)
    _export_parsers(commands)
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

    # Fewer records than this give a rate that says nothing ("1 figures/s" on a 5-record build).
    RATE_FROM = 100

    def rate(self) -> str:
        elapsed = time.monotonic() - self.started
        if elapsed <= 0 or self.done < self.RATE_FROM:
            return f"{elapsed:.1f} s"
        return f"{elapsed:.1f} s, {self.done / elapsed:,.0f} figures/s"


def _count(n: object, noun: str) -> str:
    """'1 record', '2 records'; a noun already plural (publish's page folders) loses its s for one."""
    one = noun.removesuffix("s")
    return f"{n} {one if n == 1 else one + 's'}"


def _not_a_folder(command: str, outdir: Path) -> bool:
    """-o naming an existing file: said once, in one line, before anything is tried."""
    if outdir.exists() and not outdir.is_dir():
        print(f"kg {command}: error: {outdir}: is a file; -o names the build's output folder", file=sys.stderr)
        return True
    return False


def _has_build(outdir: Path) -> bool:
    """OUTDIR holds a kg build (its report.json), a shard's outputs or an unfinished commit of one."""
    if (outdir / MANIFEST).is_file() or (outdir / COMMIT_JOURNAL).is_file():
        return True
    try:
        report = json.loads((outdir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(report, dict) and "records_read" in report and "figures_written" in report


def _kept(outdir: Path, had_build: bool) -> str:
    """What an interrupted or failed build left in OUTDIR, truthfully on a first build too."""
    if had_build:
        return f"the previous outputs in {outdir}/ are unchanged"
    return f"{outdir}/ holds no outputs (it held none before)"


def _build(args: argparse.Namespace) -> int:
    if not args.sources and not DEFAULT_SOURCE.exists():  # run outside the checkout, whose seeds/ it is
        print(f"kg build: error: no SOURCE given and no {DEFAULT_SOURCE}/ here; give the records to read: "
              "a PFOCR database (a folder with _figures/), a folder of figure .md files, or .md files",
              file=sys.stderr)
        return 2
    sources = args.sources or [DEFAULT_SOURCE]
    if _not_a_folder("build", args.outdir):
        return 2
    had_build = _has_build(args.outdir)
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
        print(f"kg build: error: {exc}; {_kept(args.outdir, had_build)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        progress.close()
        print(f"\nkg build: {_interrupted(exc, args.outdir, progress, had_build)}", file=sys.stderr)
        return 130
    progress.close()
    _summary("kg build", report, args, progress)
    return 1 if args.strict and report.quarantined else 0


def _interrupted(exc: KeyboardInterrupt, outdir: Path, progress: _Progress, had_build: bool) -> str:
    if isinstance(exc, InterruptedAfterCommit):
        return (f"interrupted once the outputs were in place: {outdir}/ holds this build's complete "
                "outputs (what follows them was skipped: tidying the cache, filling --store)")
    return (f"interrupted after {progress.done} of {progress.total or '?'} records; "
            f"nothing was written, {_kept(outdir, had_build)}")


def _summary(command: str, report: BuildReport, args: argparse.Namespace, progress: _Progress) -> None:
    for problem in report.quarantined:
        where = f"{problem.file}" + (f" [{problem.field}]" if problem.field else "")
        print(f"{command}: quarantined {where}: {problem.reason}", file=sys.stderr)
    if not args.quiet:
        gate = report.validation
        checked = (
            f"gate: {_count(gate['violations'], 'violations')}, {_count(gate['warnings'], 'warnings')}"
            if gate.get("enabled") else "gate skipped (--no-validate)"
        )
        print(
            f"{command}: {_count(report.records_read, 'records')} read, "
            f"{_count(report.figures_written, 'figures')} written, {len(report.quarantined)} quarantined, "
            f"{_count(len(report.warnings), 'field warnings')}, {checked}, "
            f"{_count(report.triples, 'triples')} → {args.outdir}/ ({progress.rate()}"
            + (f"; {report.reused} from the cache, {report.computed} computed" if command == "kg build" else "")
            + ("; outputs already up to date, nothing rewritten)" if report.up_to_date else ")"),
            file=sys.stderr,
        )


def _merge(args: argparse.Namespace) -> int:
    if _not_a_folder("merge", args.outdir):
        return 2
    had_build = _has_build(args.outdir)
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
        print(f"kg merge: error: {exc}; {_kept(args.outdir, had_build)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        progress.close()
        print(f"\nkg merge: {_interrupted(exc, args.outdir, progress, had_build)}", file=sys.stderr)
        return 130
    progress.close()
    _summary("kg merge", report, args, progress)
    return 0


def _clean(args: argparse.Namespace) -> int:
    if _not_a_folder("clean", args.outdir):
        return 2
    if not args.outdir.is_dir():
        if not args.quiet:
            print(f"kg clean: {args.outdir}: no such folder; nothing to do", file=sys.stderr)
        return 0
    outputs = args.all and _has_build(args.outdir)
    if args.all and not outputs and not args.quiet:
        print(f"kg clean: {args.outdir}/ holds no kg build (no report.json of one): only the cache and "
              "temporaries are removed, its other files are left alone", file=sys.stderr)
    try:
        removed = clean(args.outdir, args.cache_dir, outputs=outputs, wait=args.wait)
        if outputs and stores.remove(args.outdir / "store"):
            removed.append(args.outdir / "store")
        removed.extend(_clean_site(args.outdir / "site", outputs))
    except Locked as exc:
        print(f"kg clean: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, OutputError, CommitError) as exc:
        print(f"kg clean: error: {exc}", file=sys.stderr)
        return 1
    if args.quiet:
        return 0
    for path in removed:
        print(f"removed {path}", file=sys.stderr)
    if not removed:
        print(f"kg clean: nothing to remove in {args.outdir}/", file=sys.stderr)
    return 0


def _clean_site(site_dir: Path, outputs: bool) -> list[Path]:
    """What killed `kg publish` runs left beside OUTDIR/site; with --all, the site itself."""
    from kg.publish import site  # here, so other commands never import the site writer

    removed = site.remove_stale_work(site_dir)
    if outputs and site.remove_site(site_dir):
        removed.append(site_dir)
    return removed


def _query(args: argparse.Namespace) -> int:
    if args.show:  # no build needed
        argument = args.query if args.query.startswith("@") else f"@{args.query}"
        try:
            text = sparql.read_query(argument, packaged("queries"))
        except sparql.QueryError as exc:
            print(f"kg query: error: {exc}", file=sys.stderr)
            return 2
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    if _not_a_folder("query", args.outdir):
        return 2
    try:
        text = sparql.read_query(args.query, packaged("queries"))
        if args.data:
            store = memory_store(args.data)
        else:
            nt = getattr(args, "nt", None) or args.outdir / "pfocr.nt"  # --nt FILE: the older spelling
            if not nt.is_file() and is_held(nt.parent):  # a first build has not written it yet
                raise StoreError(f"{nt.parent}/: a kg build is writing here and has not written pfocr.nt "
                                 "yet; try again when it has finished")
            store_dir = args.store or nt.parent / "store"
            store, loaded = open_store(store_dir, nt)
            if loaded and not args.quiet:
                print(f"kg query: loaded {nt} into {store_dir}", file=sys.stderr)
        answer = sparql.run(store, text, args.results)
    except (StoreError, sparql.QueryError) as exc:
        print(f"kg query: error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(answer.text if answer.text.endswith("\n") else answer.text + "\n")
    if answer.boolean is not None:
        return 0 if answer.boolean else 1
    return 0


def _load(args: argparse.Namespace) -> int:
    from kg.sparql import load as load_rdf  # here, so other commands never import the HTTP client

    if _not_a_folder("load", args.outdir):
        return 2
    files = args.files or [args.outdir / ("pfocr.nq" if args.by_figure else "pfocr.nt")]
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
        if args.by_figure:
            return _load_by_figure(args, files, http, show if bar else None, note)
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
        f"kg load: {_count(report.triples, 'triples')} from {', '.join(map(str, files))} sent in "
        f"{_count(report.requests, 'requests')} to {args.endpoint} ({where}"
        f"{', replaced' if args.replace else ''})"
    )
    if args.no_count:
        print(summary, file=sys.stderr)
        return 0
    try:
        held = load_rdf.count_loaded(client, report, args.sparql)
    except load_rdf.LoadError as exc:
        print(f"{summary}; could not count the graph afterwards: {exc}", file=sys.stderr)
        return 0
    print(f"{summary}; the store now holds {_count(held.triples, 'triple')} there", file=sys.stderr)
    if held.warning:
        print(f"kg load: warning: {held.warning}", file=sys.stderr)
    return 0


def _load_by_figure(
    args: argparse.Namespace, files: list[Path], http: Http, show: Callable[[int, int, int], None] | None,
    note: Callable[[str], None],
) -> int:
    """`kg load --by-figure`: the graphs of pfocr.nq that changed since the store's last load
    (called inside `_load`'s error handling: its InputError and LoadError are answered there)."""
    from kg.sparql import load as load_rdf

    if args.graph or args.replace or len(files) != 1:
        note("error: --by-figure takes one pfocr.nq, whose graphs it names and replaces itself: "
             "no --graph, no --replace")
        return 2
    report = load_rdf.load_by_figure(
        args.endpoint, files[0], http, progress=show,
        chunk_size=load_rdf.DEFAULT_CHUNK if args.chunk is None else args.chunk,
    )
    if show is not None:
        print(file=sys.stderr)
    print(
        f"kg load: {len(report.replaced)} of {report.graphs} graphs in {files[0]} replaced "
        f"({_count(report.triples, 'triples')}), {len(report.deleted)} deleted, "
        f"{report.graphs - len(report.replaced)} unchanged; {_count(report.requests, 'requests')} to {args.endpoint}",
        file=sys.stderr,
    )
    return 0


_SEVERITY_RANK = {"violation": 3, "warning": 2, "info": 1}


def _validate(args: argparse.Namespace) -> int:
    if not args.data and _not_a_folder("validate", args.outdir):
        return 2
    try:
        engine = compile_shapes(args.engine, shape_files(args.shapes))
        outcome, count = validation.run(engine, args.data or [args.outdir / "pfocr.nt"], args.syntax)
    except (ShapesError, EngineUnavailable, validation.DataError) as exc:
        print(f"kg validate: error: {exc}", file=sys.stderr)
        return 2
    summary = validation.summarise(outcome)

    def show(line: str) -> None:
        if not args.quiet:  # -q: the exit status (and --report) say it
            print(line)

    counts = ", ".join(f"{summary.by_severity.get(s, 0)} {s.lower()}s" for s in ("Violation", "Warning", "Info"))
    show(f"{count} triples checked with {engine.name}: {counts}")
    for (severity, shape, message), nodes in sorted(
        summary.by_shape.items(), key=lambda kv: (-_SEVERITY_RANK[kv[0][0].lower()], -len(kv[1]), kv[0])
    ):
        show(f"  {severity} ×{len(nodes)} {message}" + (f"  [{shape}]" if shape and not shape.startswith("_:") else ""))
        for node in nodes[: args.examples]:
            show(f"      e.g. {node}")
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

    if _not_a_folder("publish", args.outdir):
        return 2
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
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kg publish: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    for note in report.skipped:
        print(f"kg publish: skipped {note}", file=sys.stderr)
    for warning in report.warnings:
        print(f"kg publish: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        pages = ", ".join(_count(n, folder) for folder, n in report.pages.items()) or (
            f"{_count(report.figures, 'figures')}, {_count(report.genes, 'genes')}")
        extra = ", void.ttl, dataset.jsonld" if report.void else " (kg.publish.void missing: no void.ttl)"
        vocabulary = ", vocab.ttl" if report.vocabulary is not None else " (no vocabulary found: no vocab.ttl)"
        print(
            f"kg publish: pages of {pages}; index, sitemap{vocabulary}{extra}; {report.files} files → {site_dir}/",
            file=sys.stderr,
        )
    return 0


# --- kg export kgx|gmt, kg release: views of a finished build (kg.export) ---------------------------

def _export_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ex = commands.add_parser(
        "export",
        help="write a view of a finished build: KGX JSON Lines (Biolink) or GMT gene sets",
        description=(
            "kgx: OUTDIR/export/kgx (or --dir DIR) gets pfocr_nodes.jsonl.gz, pfocr_edges.jsonl.gz and "
            "pfocr-kg.yaml, KGX JSON Lines of Biolink Model 4 as ORION's PFOCR loader reads them: genes, "
            "chemicals, diseases, taxa, papers and figures, and a co-mention edge "
            "(biolink:occurs_together_in_literature_with) per gene-chemical, gene-disease and "
            "chemical-disease pair that share a figure. gmt: OUTDIR/export/gmt (or --dir DIR) gets one GMT "
            "file per organism and flavour (all matches; strict: exact symbols only), a set per figure "
            "with at least 3 distinct Entrez genes. Exit status: 0, 1 when a file cannot be written, "
            "2 when OUTDIR is not a finished build."
        ),
    )
    ex.add_argument("view", choices=("kgx", "gmt"), help="what to write")
    _add_outdir(ex, "the build to export", positional=True)
    ex.add_argument("--dir", type=Path, metavar="DIR", help="folder to write (default: OUTDIR/export/VIEW)")
    _add_quiet(ex)
    rel = commands.add_parser(
        "release",
        help="write a release folder of a finished build: gzip dumps, KGX, GMT, VoID, CITATION.cff, SHA256SUMS",
        description=(
            "Write DIST: pfocr.nt.gz, .ttl.gz (.jsonld.gz, .nq.gz when built), kgx/, gmt/, pfocr-vocab.ttl, "
            "void.ttl, dataset.jsonld, CITATION.cff, .zenodo.json, README.md and SHA256SUMS. The same build "
            "and options give the same bytes. DIST must be new, empty or an earlier release (replaced whole). "
            "Exit status: 0, 1 when a file cannot be written, 2 when OUTDIR is not a finished build, DIST "
            "is not a release folder or --release/--release-date differ from the build's."
        ),
    )
    rel.add_argument("dist", nargs="+", type=Path, metavar="DIST", help="the release folder to write")
    _add_outdir(rel, "the build to release")
    rel.add_argument("--release", metavar="VERSION", help="the release's version (default: the build's)")
    rel.add_argument("--release-date", metavar="YYYY-MM-DD", help="the release's date (default: the build's)")
    rel.add_argument("--base-url", metavar="URL", help="where DIST will be served, for void.ttl and dataset.jsonld "
                                                       "(default: https://pfocr.wikipathways.org/)")
    _add_quiet(rel)


def _export_command(args: argparse.Namespace) -> int:
    from kg.export.graph import ExportError, read_build  # here, so other commands never import the exports

    name = f"kg {args.command}"
    if args.command == "release" and len(args.dist) == 2:  # `kg release OUTDIR DIST`, the older spelling
        args.outdir, args.dist = args.dist
    elif args.command == "release":
        if len(args.dist) > 2:
            print(f"{name}: error: one DIST folder, got {len(args.dist)}", file=sys.stderr)
            return 2
        args.dist = args.dist[0]
    if _not_a_folder(args.command, args.outdir):
        return 2
    try:
        if args.command == "release":
            from kg.export.release import DEFAULT_BASE_URL, release

            date = release_date(args.release_date, None)
            done = release(args.outdir, args.dist, args.release, date, args.base_url or DEFAULT_BASE_URL)
            kgx, gmt, target = done.kgx, done.gmt, args.dist
        else:
            graph = read_build(args.outdir)
            target = args.dir or args.outdir / "export" / args.view
            if args.view == "kgx":
                from kg.export.kgx import export_kgx

                kgx, gmt = export_kgx(graph, target), None
            else:
                from kg.export.gmt import export_gmt

                kgx, gmt = None, export_gmt(graph, target)
    except (ExportError, ReleaseError, ValueError) as exc:
        print(f"{name}: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, OutputError) as exc:
        print(f"{name}: error: {exc}", file=sys.stderr)
        return 1
    if args.quiet:
        return 0
    if kgx is not None:
        print(f"{name}: KGX {kgx.nodes} nodes, {kgx.edges} co-mention edges ({kgx.strict_edges} with exact "
              f"matches of both ends), build {kgx.build}", file=sys.stderr)
    if gmt is not None:
        none = [f"{organism} ({flavour})" for (organism, flavour), n in gmt.sets.items() if n == 0]
        print(f"{name}: GMT {sum(gmt.sets.values())} gene sets in {len(gmt.files)} files"
              + (f"; no sets, so no file, for {', '.join(none)}" if none else ""), file=sys.stderr)
    print(f"{name}: → {target}/", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "old_outdir", None) is not None:  # `kg clean OUTDIR`, `kg publish OUTDIR`: older spelling
        args.outdir = args.old_outdir
    # SIGTERM unwinds like Ctrl-C, so that temporaries are removed (signals reach the main thread only)
    terminate = signal.getsignal(signal.SIGTERM) if threading.current_thread() is threading.main_thread() else None
    if terminate is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminated)
    try:
        return _run(args)
    except _Terminated:
        print(f"\nkg {args.command}: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:  # kg build and kg merge say how far they got themselves
        print(f"\nkg {args.command}: interrupted", file=sys.stderr)
        return 130
    finally:
        if terminate is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, terminate)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that what is being written is cleaned up."""


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def _run(args: argparse.Namespace) -> int:
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
    if args.command in ("export", "release"):
        return _export_command(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
