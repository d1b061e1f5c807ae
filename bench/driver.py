"""What bench/naive.py and bench/stages.py share: their command line and their report.json."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def write_report(outdir: Path, report: dict[str, Any]) -> dict[str, Any]:
    """OUTDIR/report.json, read by bench/run.py as it reads kg build's."""
    (outdir / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def main(doc: str, argv: list[str] | None, add_arguments: Callable[[argparse.ArgumentParser], None],
         run: Callable[[argparse.Namespace], dict[str, Any]]) -> int:
    """`SOURCE... -o OUTDIR [--shapes DIR] [options] [-q]`: `run` the driver, print its report unless -q."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    ap.add_argument("-o", "--outdir", type=Path, required=True)
    ap.add_argument("--shapes", type=Path, help="shapes folder or file (default: the project's shapes/)")
    add_arguments(ap)
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    report = run(args)
    if not args.quiet:
        print(json.dumps(report, indent=2))
    return 0
