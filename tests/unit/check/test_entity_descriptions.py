"""An entity node several figures describe: later figures fill in what it lacks, and a different
value is warned, not exported (kg.check.descriptions, docs/decisions/0017).

Real records: a copy of the sample's PMC11482725 figure, whose chemicals (ChEBI nodes, no MeSH)
are described by a second figure of the same paper that names one the first leaves unnamed and
gives another a different name."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import SAMPLE
from helpers.build import run_build

from kg.build.worker import block_digest
from kg.check.descriptions import FirstDescriptions
from kg.cli import main
from kg.records import Problem
from kg.write.ntriples import NTriplesWriter
from kg.write.output import EntityBlock

FIRST = "PMC11482725__ppat.1012188.g007"
SECOND = "PMC11482725__ppat.1012188.g008"
ATP = "https://identifiers.org/chebi/CHEBI:30616"
FATTY_ACIDS = "https://identifiers.org/chebi/CHEBI:35366"
NAME = "<http://schema.org/name>"


def _corpus(root: Path) -> Path:
    (root / "_figures").mkdir(parents=True)
    (root / "_data").mkdir()
    shutil.copytree(SAMPLE / "_organisms", root / "_organisms")
    md = (SAMPLE / "_figures" / f"{FIRST}.md").read_text("utf-8")
    genes = SAMPLE / "_data" / f"{FIRST}-genes.tsv"
    chemicals = (SAMPLE / "_data" / f"{FIRST}-chemicals.tsv").read_text("utf-8")
    # the first figure leaves ATP unnamed
    (root / "_figures" / f"{FIRST}.md").write_text(md, "utf-8")
    (root / "_data" / f"{FIRST}-chemicals.tsv").write_text(
        chemicals.replace("ATP\tNA\tATP\tATP\t", "ATP\tNA\tNA\tNA\t"), "utf-8")
    # the second (the paper's figure 8: its own image) names it, and calls CHEBI:35366 "FA"
    (root / "_figures" / f"{SECOND}.md").write_text(md.replace("g007", "g008").replace("F7", "F8"), "utf-8")
    (root / "_data" / f"{SECOND}-chemicals.tsv").write_text(
        chemicals.replace("fatty acids\tfatty acids\t", "fatty acids\tFA\t"), "utf-8")
    if genes.exists():
        for figid in (FIRST, SECOND):
            shutil.copy(genes, root / "_data" / f"{figid}-genes.tsv")
    return root


@pytest.mark.slow
def test_a_later_figure_fills_in_a_missing_name_and_a_different_one_is_warned(tmp_path: Path) -> None:
    build = run_build(tmp_path / "out", _corpus(tmp_path / "db"))
    assert build.exit_code == 0
    report = json.loads((build.outdir / "report.json").read_text("utf-8"))
    assert report["figures_written"] == 2
    entity_warnings = [w for w in report["warnings"] if w.get("field") == "entity"]
    assert len(entity_warnings) == 1, entity_warnings
    warning = entity_warnings[0]
    assert warning["figid"] == SECOND
    assert f"<{FATTY_ACIDS}>" in warning["reason"] and '"FA"' in warning["reason"]
    assert '"fatty acids" is exported, from figure ' + FIRST in warning["reason"]

    nt = (build.outdir / "pfocr.nt").read_text("utf-8").splitlines()
    assert nt.count(f'<{ATP}> {NAME} "ATP" .') == 1  # filled in once, from the second figure
    assert [line for line in nt if line.startswith(f"<{FATTY_ACIDS}> {NAME} ")] == [
        f'<{FATTY_ACIDS}> {NAME} "fatty acids" .']
    assert len(nt) == report["triples"]
    turtle = set(ox.parse(path=str(build.outdir / "pfocr.ttl"), format=ox.RdfFormat.TURTLE))
    assert turtle == set(ox.parse(path=str(build.outdir / "pfocr.nt"), format=ox.RdfFormat.N_TRIPLES))
    # the whole export still meets the shapes: a node keeps one value a property
    assert main(["validate", str(build.outdir / "pfocr.nt"), "--fail-on", "violation"]) == 0


@pytest.mark.slow
def test_the_first_figure_alone_leaves_the_node_unnamed(tmp_path: Path) -> None:
    """The control: without the second figure, ATP has no name (so the fill above is its doing)."""
    root = _corpus(tmp_path / "db")
    for path in root.rglob(f"{SECOND}*"):
        path.unlink()
    build = run_build(tmp_path / "out", root)
    nt = (build.outdir / "pfocr.nt").read_text("utf-8")
    assert f"<{ATP}> " in nt and f"<{ATP}> {NAME}" not in nt
    report = json.loads((build.outdir / "report.json").read_text("utf-8"))
    assert not [w for w in report["warnings"] if w.get("field") == "entity"]


def _block(*lines: str) -> bytes:
    return "".join(f"<http://x/e> <http://x/{p}> {o} .\n" for p, o in (line.split(" ", 1) for line in lines)).encode()


class _Export:
    """Figures describing one entity <http://x/e>, exported as kg.build.outputs.Export does."""

    def __init__(self, tmp_path: Path) -> None:
        self.writer = NTriplesWriter(tmp_path / "x.nt")
        self.first = FirstDescriptions()

    def __call__(self, figid: str, *lines: str) -> tuple[list[str], list[Problem]]:
        block = _block(*lines)
        entities = {"http://x/e": EntityBlock(block, len(lines), b"", None, block_digest(block))}
        new, differing = self.writer.write_figure(b"", 0, entities)
        self.first.written_by(figid, new)
        blocks = {iri: entities[iri].nt for iri in differing}
        fills, problems = self.first.compare(f"{figid}.md", figid, blocks, self.writer.first_block)
        return list(fills), list(problems)


@pytest.fixture()
def export(tmp_path: Path) -> Iterator[_Export]:
    exporter = _Export(tmp_path)
    yield exporter
    exporter.writer.abort()


def test_first_descriptions_fill_warn_and_remember_whose_value_it_was(export: _Export) -> None:
    assert export("A", 'id "1"') == ([], [])
    assert export("A2", 'id "1"') == ([], [])  # the same block: nothing
    fills, problems = export("B", 'id "1"', 'name "n"')
    assert fills == ['<http://x/e> <http://x/name> "n" .\n'] and problems == []
    fills, problems = export("C", 'id "2"', 'name "m"')
    assert fills == []
    assert [(p.file, p.figid, p.field) for p in problems] == [("C.md", "C", "entity")] * 2
    id_warning, name_warning = (p.reason for p in problems)
    assert '"2", but "1" is exported, from figure A ' in id_warning
    assert '"m", but "n" is exported, from figure B ' in name_warning  # B filled the name in
    assert export("D", 'id "1"', 'name "n"') == ([], [])  # nothing new, nothing different


def test_literals_with_unicode_line_separators_stay_one_line(export: _Export) -> None:
    """N-Triples leaves U+2028, U+0085 and U+001C in literals as they are (found by the fuzzer)."""
    export("A", 'id "1"')
    odd = '"a\u2028b\x85c\x1cd"'
    fills, problems = export("B", 'id "1"', f"name {odd}")
    assert fills == [f"<http://x/e> <http://x/name> {odd} .\n"] and problems == []
    huge = '"' + "x" * 100_000 + '"'
    _fills, problems = export("C", 'id "1"', f"name {huge}")
    assert len(problems) == 1 and len(problems[0].reason) < 1_000 and "(100002 characters)" in problems[0].reason
