"""report.html's numbers gathered during the build equal those read back from pfocr.nt."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE, run_build

from kg.publish.graph_facts import GraphFacts, facts, pack
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


def test_packed_facts_apply_as_the_facts_do(tmp_path: Path) -> None:
    """Workers pack each block's facts; the build applies them in bulk: same numbers, same order."""
    build = run_build(tmp_path / "out", SAMPLE)
    lines = build.nt.decode("utf-8").splitlines(keepends=True)
    one_by_one, packed = GraphFacts(), GraphFacts()
    for start in range(0, len(lines), 37):  # blocks of any size, facts split across them
        block = facts(lines[start : start + 37])
        one_by_one.apply(block)
        packed.apply_packed(pack(block))
    assert packed.genes_in and packed.sources and packed.gene_symbols
    for name in GraphFacts.__slots__:
        ours, theirs = getattr(packed, name), getattr(one_by_one, name)
        assert ours == theirs, name
        if isinstance(ours, dict):
            assert list(ours) == list(theirs), name  # insertion order: ties in the plots
    assert pack([]) is None
