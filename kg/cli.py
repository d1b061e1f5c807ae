"""The `kg` command: build (and later validate, query, load).

The only module that prints or exits; everything below it returns values.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg import __version__
from kg.pipeline import BuildOptions, build
from kg.read.layout import SourceError
from kg.read.textfile import DEFAULT_MAX_BYTES

DEFAULT_SOURCE = Path("seeds")
DEFAULT_OUTDIR = Path("output")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Turn Pathway Figure OCR (PFOCR) records into a validated RDF knowledge graph.",
    )
    parser.add_argument("--version", action="version", version=f"pfocr-kg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser(
        "build",
        help="PFOCR records → pfocr.nt, pfocr.ttl, report.json",
        description=(
            "Read PFOCR figure records (a database root with _figures/, _data/, _organisms/; "
            "a folder of figure .md files; or single .md files) and write OUTDIR/pfocr.nt, "
            "OUTDIR/pfocr.ttl and OUTDIR/report.json. Records that cannot be read are listed "
            "in report.json under 'quarantined' with the reason; the run goes on."
        ),
    )
    b.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                   help=f"records to read (default: {DEFAULT_SOURCE}/)")
    b.add_argument("-o", "--outdir", type=Path, default=DEFAULT_OUTDIR,
                   help=f"output folder (default: {DEFAULT_OUTDIR}/)")
    b.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"refuse input files larger than N bytes (default: {DEFAULT_MAX_BYTES})")
    b.add_argument("--strict", action="store_true",
                   help="exit with status 1 when any record is quarantined")
    b.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    return parser


class _Progress:
    """A one-line counter on a terminal; silent otherwise (CI logs get the summary only)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.enabled and (done == total or done % 100 == 0):
            end = "\n" if done == total else ""
            print(f"\r  {done}/{total} records", end=end, file=sys.stderr, flush=True)


def _build(args: argparse.Namespace) -> int:
    sources = args.sources or [DEFAULT_SOURCE]
    options = BuildOptions(sources=sources, outdir=args.outdir, max_bytes=args.max_bytes)
    try:
        report = build(options, _Progress(not args.quiet))
    except SourceError as exc:
        print(f"kg build: error: {exc}", file=sys.stderr)
        return 2
    for problem in report.quarantined:
        where = f"{problem.file}" + (f" [{problem.field}]" if problem.field else "")
        print(f"kg build: quarantined {where}: {problem.reason}", file=sys.stderr)
    if not args.quiet:
        print(
            f"kg build: {report.records_read} records read, {report.figures_written} figures written, "
            f"{len(report.quarantined)} quarantined, {len(report.warnings)} warnings, "
            f"{report.triples} triples → {args.outdir}/pfocr.nt, pfocr.ttl, report.json",
            file=sys.stderr,
        )
    return 1 if args.strict and report.quarantined else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
