"""report.html's numbers gathered during the build equal those read back from pfocr.nt."""

from __future__ import annotations

from pathlib import Path

import pytest
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


@pytest.mark.parametrize("limit", [5, 100_000])
def test_sealed_entity_facts_are_the_blocks_own_even_when_shared_and_after_the_memo_empties(
    monkeypatch: pytest.MonkeyPatch, limit: int,
) -> None:
    """Workers seal each entity block's facts once per distinct block (kg.outcomes._SEALED_FACTS):
    every figure's block still carries exactly the facts of its own lines, and a full memo is
    emptied rather than answering for another block."""
    import kg.map.terms
    from kg import outcomes
    from kg.publish.graph_facts import seal, triple_facts
    from kg.read.layout import discover
    from kg.read.record import read_record

    monkeypatch.setattr(kg.map.terms, "BLOCK_CACHE_LIMIT", limit)  # bounded_store's limit
    monkeypatch.setattr(outcomes, "_SEALED_FACTS", {})
    blocks_seen = hits = 0
    shared: dict[bytes, int] = {}
    for source in discover([SAMPLE]):
        record = read_record(source, 10_000_000)
        if not hasattr(record, "figid") or not hasattr(record, "genes"):
            continue
        mapped = outcomes.map_figure(record)
        outcome = outcomes.Outcome(str(source.md), record.figid)
        outcomes.add_ntriples(outcome, mapped)
        outcomes.add_facts(outcome, mapped)
        assert len(outcomes._SEALED_FACTS) <= limit
        for iri, (triples, _lines) in mapped.blocks.items():
            nt, _count, _ttl, sealed, _digest = outcome.entities[iri]
            assert sealed == seal(pack(triple_facts(triples)))
            one, other = GraphFacts(), GraphFacts()
            one.apply_sealed(sealed)
            other.apply_packed(pack(triple_facts(triples)))
            assert [getattr(one, n) for n in GraphFacts.__slots__] == [getattr(other, n) for n in GraphFacts.__slots__]
            shared[nt] = shared.get(nt, 0) + 1
            hits += shared[nt] > 1 and nt in outcomes._SEALED_FACTS
            blocks_seen += 1
    assert blocks_seen > 20 and max(shared.values()) > 1
    if limit > blocks_seen:
        assert hits > 0  # blocks recur: the memo answered
