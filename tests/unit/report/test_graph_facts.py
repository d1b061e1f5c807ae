"""report.html's numbers gathered during the build equal those read back from pfocr.nt."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SAMPLE
from helpers.build import Build, run_build

from kg.report.graph_facts import GraphFacts, facts, pack
from kg.report.html import graph_statistics


@pytest.mark.slow
def test_facts_of_the_written_lines_give_the_files_statistics(tmp_path: Path) -> None:
    build = run_build(tmp_path / "out", SAMPLE)
    lines = build.nt.decode("utf-8").splitlines(keepends=True)
    gathered = GraphFacts()
    gathered.apply(facts(lines))
    ours, theirs = gathered.statistics(), graph_statistics(build.outdir / "pfocr.nt")
    for name in theirs.__slots__:
        assert getattr(ours, name) == getattr(theirs, name), name
    assert ours.figures == build.report["figures_written"] == 35
    assert 0 < ours.annotations < ours.entity_links  # family words name several genes


def test_escaped_literals_are_decoded() -> None:
    lines = [
        '<https://identifiers.org/ncbigene/1> <http://schema.org/name> "A\\"B\\u00E9" .\n',
        '<https://pfocr.wikipathways.org/figures/f.html> <http://vocabularies.wikipathways.org/wp#organismName> "Homo sapiens" .\n',
    ]
    gathered = GraphFacts()
    gathered.apply(facts(lines))
    assert gathered.gene_symbols == {"<https://identifiers.org/ncbigene/1>": 'A"Bé'}
    assert gathered.organisms == {"Homo sapiens": 1}


V2_LINES = """\
<https://pfocr.wikipathways.org/figures/PMC1__f1.html> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Dataset> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html> <http://schema.org/about> <https://pmc.ncbi.nlm.nih.gov/articles/PMC1/figure/F1/> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html> <http://vocabularies.wikipathways.org/wp#organismName> "Homo sapiens" .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html> <https://w3id.org/pfocr-kg/vocab#organismName> "Unresolved name" .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html> <http://schema.org/mentions> <https://identifiers.org/ncbigene/1> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html> <http://schema.org/mentions> <https://identifiers.org/ncbigene/2> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html> <http://schema.org/mentions> <http://id.nlm.nih.gov/mesh/D000001> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html#m-000000000001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/oa#Annotation> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html#m-000000000001> <http://www.w3.org/ns/oa#hasBody> <https://identifiers.org/ncbigene/1> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html#m-000000000001> <http://www.w3.org/ns/oa#hasBody> <https://identifiers.org/ncbigene/2> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html#m-000000000001> <https://w3id.org/pfocr-kg/vocab#matchSource> <https://w3id.org/pfocr-kg/vocab#bioentities_symbol> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html#m-000000000002> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/oa#Annotation> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html#m-000000000002> <http://www.w3.org/ns/oa#hasBody> <http://id.nlm.nih.gov/mesh/D000001> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html#m-000000000002> <https://w3id.org/pfocr-kg/vocab#matchSource> <https://w3id.org/pfocr-kg/vocab#mesh> .
<https://pfocr.wikipathways.org/figures/PMC1__f1.html#image> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/ImageObject> .
<https://pmc.ncbi.nlm.nih.gov/articles/PMC1/figure/F1/> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/ImageObject> .
<https://pmc.ncbi.nlm.nih.gov/articles/PMC1/figure/F1/> <http://schema.org/isPartOf> <https://identifiers.org/pmc/PMC1> .
<https://identifiers.org/pmc/PMC1> <http://schema.org/isPartOf> <https://w3id.org/pfocr-kg/journal/j> .
<https://identifiers.org/pmc/PMC1> <http://schema.org/datePublished> "2001"^^<http://www.w3.org/2001/XMLSchema#gYear> .
<https://identifiers.org/pmc/PMC1> <http://vocabularies.wikipathways.org/wp#organismName> "Not a figure's" .
<https://w3id.org/pfocr-kg/dataset> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://rdfs.org/ns/void#Dataset> .
"""


def test_v2_figures_papers_annotations_and_entity_links(tmp_path: Path) -> None:
    """A record is the figure (not its image, not the dataset node); its paper is its image's,
    not the journal a paper is part of; match sources count annotations, hasBody the entity links;
    organisms are the record's wp:organismName only. The file pass agrees."""
    lines = V2_LINES.splitlines(keepends=True)
    gathered = GraphFacts()
    gathered.apply(facts(lines))
    stats = gathered.statistics()
    assert stats.figures == 1 and stats.papers == 1 and dict(stats.figures_per_year) == {"2001": 1}
    assert stats.annotations == 2 and stats.entity_links == 3
    assert dict(stats.match_sources) == {"<https://w3id.org/pfocr-kg/vocab#bioentities_symbol>": 1,
                                         "<https://w3id.org/pfocr-kg/vocab#mesh>": 1}
    assert dict(stats.organisms) == {"Homo sapiens": 1}
    assert stats.genes == 2 and dict(stats.genes_per_figure) == {2: 1}
    nt = tmp_path / "v2.nt"
    nt.write_text(V2_LINES, encoding="utf-8")
    from_file = graph_statistics(nt)
    for name in from_file.__slots__:
        assert getattr(stats, name) == getattr(from_file, name), name


def test_two_records_of_one_image_count_twice() -> None:
    """Two figids showing one PMC figure: the image's block (its paper) is written once, after the
    first record; both records count for the paper's year."""
    image = "<https://pmc.ncbi.nlm.nih.gov/articles/PMC1/figure/F1/>"
    paper = "<https://identifiers.org/pmc/PMC1>"

    def own(figid: str) -> list[str]:
        record = f"<https://pfocr.wikipathways.org/figures/{figid}.html>"
        return [f"{record} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Dataset> .\n",
                f"{record} <http://schema.org/about> {image} .\n"]

    image_block = [f"{image} <http://schema.org/isPartOf> {paper} .\n",
                   f'{paper} <http://schema.org/datePublished> "2001"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n']
    first, second = pack(facts(own("PMC1__a"))), pack(facts(own("PMC1__b")))
    graph = GraphFacts()
    graph.apply_packed(first)
    graph.apply_packed(pack(facts(image_block)))
    graph.apply_packed(second)  # its image block is not written again
    stats = graph.statistics()
    assert (stats.figures, stats.papers, dict(stats.figures_per_year)) == (2, 1, {"2001": 2})


def test_seed_numbers_by_hand(seed_build: Build) -> None:
    """The seed record (PMC2776288, f3) lists 24 gene rows: 12 `Caspase` and 3 `TGFB` rows
    (bioentities_symbol, families), 6 alias rows (TNFA), CIAP-1, CIAP-2, RIP1, TAB1/TAK1, NF-KB)
    and 3 exact symbols (XIAP, TRAF2, TAB1 from `TAB1/TAK1`): 11 distinct (word, source,
    matched text), so 11 annotations naming 24 genes; no chemicals or diseases; human genes."""
    stats = graph_statistics(seed_build.outdir / "pfocr.nt")
    assert (stats.figures, stats.papers, stats.genes) == (1, 1, 24)
    assert (stats.annotations, stats.entity_links) == (11, 24)
    by_source = {k.rsplit("#", 1)[-1].rstrip(">"): n for k, n in stats.match_sources.items()}
    assert by_source == {"bioentities_symbol": 2, "hgnc_symbol": 3, "hgnc_alias_symbol": 6}
    assert dict(stats.figures_per_year) == {"2009": 1} and dict(stats.organisms) == {"Homo sapiens": 1}
    assert dict(stats.genes_per_figure) == {24: 1}


@pytest.mark.slow
def test_packed_facts_apply_as_the_facts_do(tmp_path: Path) -> None:
    """Workers pack each block's facts; the build applies them in bulk: same numbers, same order."""
    build = run_build(tmp_path / "out", SAMPLE)
    lines = build.nt.decode("utf-8").splitlines(keepends=True)
    one_by_one, packed = GraphFacts(), GraphFacts()
    for start in range(0, len(lines), 37):  # blocks of any size, facts split across them
        block = facts(lines[start : start + 37])
        one_by_one.apply(block)
        packed.apply_packed(pack(block))
    assert packed.genes_in and packed.sources and packed.gene_symbols and packed.entity_links
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
    """Workers seal each entity block's facts once per distinct block (kg.build.worker._SEALED_FACTS):
    every figure's block still carries exactly the facts of its own lines, and a full memo is
    emptied rather than answering for another block."""
    import kg.map.terms
    from kg.build import worker
    from kg.read.layout import discover
    from kg.read.record import read_record
    from kg.report.graph_facts import seal, triple_facts

    monkeypatch.setattr(kg.map.terms, "BLOCK_CACHE_LIMIT", limit)  # bounded_store's limit
    monkeypatch.setattr(worker, "_SEALED_FACTS", {})
    blocks_seen = hits = 0
    shared: dict[bytes, int] = {}
    for source in discover([SAMPLE]):
        record = read_record(source, 10_000_000)
        if not hasattr(record, "figid") or not hasattr(record, "genes"):
            continue
        mapped = worker.map_figure(record)
        outcome = worker.Outcome(str(source.md), record.figid)
        worker.render_figure(outcome, mapped)
        assert len(worker._SEALED_FACTS) <= limit
        for iri, (triples, _lines) in mapped.blocks.items():
            nt, _count, _ttl, sealed, _digest = outcome.entities[iri]
            assert sealed == seal(pack(triple_facts(triples)))
            one, other = GraphFacts(), GraphFacts()
            one.apply_sealed(sealed)
            other.apply_packed(pack(triple_facts(triples)))
            assert [getattr(one, n) for n in GraphFacts.__slots__] == [getattr(other, n) for n in GraphFacts.__slots__]
            shared[nt] = shared.get(nt, 0) + 1
            hits += shared[nt] > 1 and nt in worker._SEALED_FACTS
            blocks_seen += 1
    assert blocks_seen > 20 and max(shared.values()) > 1
    if limit > blocks_seen:
        assert hits > 0  # blocks recur: the memo answered
