"""Run `kg` (in this process or as a child process) and read what a build wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest

from helpers import REPO
from kg.build.options import BuildOptions
from kg.build.run import build
from kg.cli import main
from kg.report.summary import BuildReport

PREFIXES = (
    "PREFIX schema: <http://schema.org/>\nPREFIX wp: <http://vocabularies.wikipathways.org/wp#>\n"
    "PREFIX oa: <http://www.w3.org/ns/oa#>\nPREFIX pfocr: <https://w3id.org/pfocr-kg/vocab#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)


class Build:
    """What one `kg build` run left in its output folder."""

    def __init__(self, outdir: Path, exit_code: int) -> None:
        self.outdir = outdir
        self.exit_code = exit_code
        self.report = json.loads((outdir / "report.json").read_text("utf-8"))
        self.nt = (outdir / "pfocr.nt").read_bytes()
        self.ttl = (outdir / "pfocr.ttl").read_bytes()
        self._store: pyoxigraph.Store | None = None
        self._triples: dict[str, frozenset[pyoxigraph.Triple]] = {}

    def triples(self, fmt: str = "nt") -> frozenset[pyoxigraph.Triple]:
        """pfocr.nt's (or pfocr.ttl's) triples, parsed strictly once (the session builds are shared)."""
        if fmt not in self._triples:
            self._triples[fmt] = frozenset(parse_triples(self.nt if fmt == "nt" else self.ttl, fmt))
        return self._triples[fmt]

    @property
    def store(self) -> pyoxigraph.Store:
        if self._store is None:
            self._store = pyoxigraph.Store()
            self._store.load(self.nt, pyoxigraph.RdfFormat.N_TRIPLES)
        return self._store

    def ask(self, query: str) -> bool:
        return bool(self.store.query(PREFIXES + query))

    def select(self, query: str) -> list[dict[str, str | None]]:
        """SELECT over pfocr.nt, the usual prefixes declared."""
        return select(self.store, PREFIXES + query)


def select(store: pyoxigraph.Store, query: str) -> list[dict[str, str | None]]:
    """The rows of a SELECT query: variable → lexical value (None when unbound)."""
    result = store.query(query)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


FORMATS = {
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "ttl": pyoxigraph.RdfFormat.TURTLE,
    "nq": pyoxigraph.RdfFormat.N_QUADS,
}


def parse_triples(data: bytes | str, fmt: str = "nt") -> set[pyoxigraph.Triple]:
    """The triples of N-Triples, Turtle or N-Quads text, read by pyoxigraph's strict parsers."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return {q.triple for q in pyoxigraph.parse(data, FORMATS[fmt])}


def run_build(outdir: Path, *sources: Path | str, extra: tuple[str, ...] = ()) -> Build:
    """`kg build SOURCES -o OUTDIR -q EXTRA` in this process."""
    code = main(["build", *map(str, sources), "-o", str(outdir), "-q", *extra])
    return Build(outdir, code)


def kg(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """`kg ARGS` in this process: (exit status, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def build_report(root: Path, outdir: Path, **options: Any) -> BuildReport:
    """The build of the records at `root` into `outdir` through the library (no command line):
    its report, with what it reused and computed."""
    return build(BuildOptions([root], outdir, **options))


def kg_command(*args: object) -> list[str]:
    """`python -m kg ARGS`: with `checkout_env()` and cwd REPO, this checkout's code, not an installed copy."""
    return [sys.executable, "-m", "kg", *map(str, args)]


def checkout_env() -> dict[str, str]:
    """This process's environment with this checkout first on PYTHONPATH."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))}


def kg_process(*args: object, **options: Any) -> subprocess.CompletedProcess[str]:
    """`kg ARGS` as a child process running this checkout's code: text output captured, a 300 s
    timeout; `options` go to subprocess.run."""
    options = {"capture_output": True, "text": True, "timeout": 300, "cwd": REPO, "env": checkout_env(), **options}
    return subprocess.run(kg_command(*args), check=options.pop("check", False), **options)


# --- what a build wrote -----------------------------------------------------------------------------

OUTPUT_FILES = ("pfocr.nt", "pfocr.ttl", "validation.ttl", "report.json", "report.html")


def outputs(outdir: Path, names: tuple[str, ...] = OUTPUT_FILES) -> dict[str, bytes]:
    """The bytes of the outputs `names` and of every file in quarantine/ (as quarantine/<name>)."""
    files = {name: (outdir / name).read_bytes() for name in names}
    files.update({f"quarantine/{p.name}": p.read_bytes() for p in sorted((outdir / "quarantine").iterdir())})
    return files


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by its relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
