"""report.html's numbers gathered during the build equal those read back from pfocr.nt."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE, run_build

from kg.publish.graph_facts import GraphFacts, facts
from kg.publish.report_html import graph_statistics


def test_facts_of_the_written_lines_give_the_files_statistics(tmp_path: Path) -> None:
    build = run_build(tmp_path / "out", SAMPLE)
    lines = build.nt.decode("utf-8").splitlines(keepends=True)
    gathered = GraphFacts()
    gathered.apply(facts(lines))
    ours, theirs = gathered.statistics(), graph_statistics(build.outdir / "pfocr.nt")
    for name in theirs.__slots__:
        assert getattr(ours, name) == getattr(theirs, name), name
    assert ours.figures == build.report["figures_written"] > 0


def test_escaped_literals_are_decoded() -> None:
    lines = [
        '<https://identifiers.org/ncbigene/1> <http://schema.org/name> "A\\"B\\u00E9" .\n',
        '<https://pfocr.wikipathways.org/figures/f.html> <http://vocabularies.wikipathways.org/wp#organismName> "Homo sapiens" .\n',
    ]
    gathered = GraphFacts()
    gathered.apply(facts(lines))
    assert gathered.gene_symbols == {"<https://identifiers.org/ncbigene/1>": 'A"Bé'}
    assert gathered.organisms == {"Homo sapiens": 1}
