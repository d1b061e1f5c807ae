"""kg.export.kgx: the KGX files of the sample build, read the way ORION's PFOCR loader reads them,
and co-mention counts checked against counts made by hand from the source records."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.build import Build

from kg.export.graph import GENE, BuildGraph, Entity, Figure, read_build
from kg.export.kgx import EDGES, METADATA, NODES, PREDICATE, export_kgx, json_lines


@pytest.fixture(scope="module")
def kgx_files(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("kgx")
    export_kgx(read_build(sample_build.outdir), target)
    return target


def orion_read(path: Path) -> list[dict[str, Any]]:
    """Common.utils.quick_jsonl_file_iterator(path, is_gzip=True) in RENCI's ORION:
    `gzip.open(path, 'rt')` (the locale's encoding, not UTF-8) and one JSON document a line."""
    with gzip.open(path, "rt") as lines:
        return [json.loads(line) for line in lines]


def by_pair(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["subject"], e["object"]): e for e in orion_read(folder / EDGES)}


def test_orion_loader_reads_every_node_and_edge(kgx_files: Path) -> None:
    # parsers/PFOCR/src/loadPFOCR.py, PFOCRLoader.parse_data: every node has id, name and category
    # popped (a KeyError there stops the load); an edge missing subject, predicate, object,
    # primary_knowledge_source or publications is skipped, so none may lack them.
    nodes = orion_read(kgx_files / NODES)
    for node in nodes:
        node_id, name, category = node.pop("id"), node.pop("name"), node.pop("category")
        assert node_id.count(":") >= 1 and name and category and all(c.startswith("biolink:") for c in category)
    edges = orion_read(kgx_files / EDGES)
    skipped = [e for e in edges if not {"subject", "predicate", "object", "primary_knowledge_source",
                                         "publications"} <= e.keys()]
    assert edges and skipped == []
    # get_latest_source_version: str(yaml.full_load(text)['build'])
    assert str(yaml.full_load((kgx_files / METADATA).read_text())["build"])
    # files ORION pulls: exactly these names
    assert sorted(p.name for p in kgx_files.iterdir()) == sorted([NODES, EDGES, METADATA])


def test_nodes_have_the_biolink_categories_and_prefixes(kgx_files: Path) -> None:
    nodes = {n["id"]: n for n in orion_read(kgx_files / NODES)}
    categories = {(node_id.split(":")[0], tuple(n["category"])) for node_id, n in nodes.items()}
    assert categories == {
        ("NCBIGene", ("biolink:Gene",)), ("MESH", ("biolink:ChemicalEntity",)), ("CHEBI", ("biolink:ChemicalEntity",)),
        ("MESH", ("biolink:Disease",)), ("NCBITaxon", ("biolink:OrganismTaxon",)), ("PMC", ("biolink:Publication",)),
        ("PFOCR", ("biolink:Publication",)),
    }
    # a human gene: symbol as name, its taxon
    assert nodes["NCBIGene:6885"] == {"id": "NCBIGene:6885", "name": "MAP3K7", "category": ["biolink:Gene"],
                                      "symbol": "MAP3K7", "in_taxon": ["NCBITaxon:9606"]}
    # a chemical with ChEBI as an xref; a disease by MeSH (PMC6365454 "Microangiopathy", D057049)
    chebi = [n for n in nodes.values() if n["id"].startswith("MESH:") and "xref" in n]
    assert chebi and all(x.startswith("CHEBI:") for n in chebi for x in n["xref"])
    assert nodes["MESH:D057049"]["category"] == ["biolink:Disease"]
    figure = nodes["PFOCR:PMC10031279__gr8"]
    assert figure["publication_type"] == ["dctypes:StillImage"]
    assert figure["xref"] == ["https://pfocr.wikipathways.org/figures/PMC10031279__gr8.html"]
    assert nodes["PMC:10031279"]["name"].startswith("The deubiquitinating enzyme 13")
    assert nodes["PMC:10031279"]["xref"] == ["https://www.ncbi.nlm.nih.gov/pmc/articles/PMC10031279/",
                                             "doi:10.1016/j.apsb.2022.12.006"]


def test_co_mention_counts_match_counts_made_by_hand(kgx_files: Path) -> None:
    """Counted by reading tests/fixtures/pfocr-sample (not through kg):

    - NCBIGene:23038 (WDTC1) with MESH:D005632 (fructose): in _figures/PMC1069646__pbio.0030121.g003.md
      the genes list has `word: ADP … source: hgnc_alias_symbol … entrez: '23038'` and the chemicals
      list `word: Fructose … identifier: D005632`; in _figures/PMC6365454__fnins-13-00025-g0002.md the
      same ADP → 23038 alias row (lines 188–192) and `identifier: D005632` (line 364). Two figures,
      two papers; the gene is an alias match in both, so no strict figure.
    - PMC6365454__fnins-13-00025-g0002: `grep entrez:` in its genes list, sorted unique: 43 genes;
      its chemicals list has 10 distinct identifiers of which one is '' (NMDA, no source): 9
      chemicals; one disease (Microangiopathy, D057049). So 43 gene–disease, 9 chemical–disease and
      43 × 9 = 387 gene–chemical pairs: 439 edges cite that figure.
    - PMC10031380__sc1: _data/PMC10031380__sc1-genes.tsv, columns ncbigene_id and source sorted
      unique: 22 genes, 4 of them `ncbigene_symbol` (41957, 42657, 43991, 5728), the rest synonym or
      family matches; _data/PMC10031380__sc1-chemicals.tsv: 2 MeSH chemicals (C000589473, C087825).
      22 × 2 = 44 edges, 4 × 2 = 8 of them with exact matches of both ends.
    """
    edges = by_pair(kgx_files)
    wdtc1 = edges[("NCBIGene:23038", "MESH:D005632")]
    assert wdtc1["has_count"] == 2 and wdtc1["strict_figure_count"] == 0 and wdtc1["strict"] is False
    assert wdtc1["publications"] == ["PMC:1069646", "PMC:6365454"]
    assert wdtc1["has_evidence"] == ["PFOCR:PMC1069646__pbio.0030121.g003", "PFOCR:PMC6365454__fnins-13-00025-g0002"]

    def citing(figid: str) -> list[dict[str, Any]]:
        return [e for e in edges.values() if f"PFOCR:{figid}" in e["has_evidence"]]

    neuropathy = citing("PMC6365454__fnins-13-00025-g0002")
    assert len(neuropathy) == 439
    assert len([e for e in neuropathy if e["object"] == "MESH:D057049" and e["subject"].startswith("NCBIGene:")]) == 43
    assert len([e for e in neuropathy if e["object"] == "MESH:D057049" and e["subject"].startswith("MESH:")]) == 9
    sc1 = citing("PMC10031380__sc1")
    assert len(sc1) == 44
    assert sorted({e["subject"] for e in sc1 if e["strict_figure_count"]}) == [
        "NCBIGene:41957", "NCBIGene:42657", "NCBIGene:43991", "NCBIGene:5728"]
    assert len([e for e in sc1 if e["strict_figure_count"]]) == 8


def test_edges_carry_the_provenance_translator_asks_for(kgx_files: Path) -> None:
    for edge in orion_read(kgx_files / EDGES):
        assert edge["predicate"] == PREDICATE
        assert edge["primary_knowledge_source"] == "infores:pfocr"
        assert edge["knowledge_level"] == "text_co_occurrence" and edge["agent_type"] == "image_processing_agent"
        assert edge["has_count"] == len(edge["has_evidence"]) >= 1
        assert 0 <= edge["strict_figure_count"] <= edge["has_count"]
        assert edge["strict"] == (edge["strict_figure_count"] == edge["has_count"])
        assert edge["publications"] and all(p.startswith("PMC:") and p[4:].isdigit() for p in edge["publications"])
        # subject first by kind: gene before chemical/disease, chemical before disease
        assert not edge["object"].startswith("NCBIGene:")


def test_same_build_same_bytes_and_version_from_the_build(sample_build: Build, kgx_files: Path, tmp_path: Path) -> None:
    export_kgx(read_build(sample_build.outdir), tmp_path)
    for name in (NODES, EDGES, METADATA):
        assert (tmp_path / name).read_bytes() == (kgx_files / name).read_bytes()
    # the sample build has no --release: the version is a digest of the data, so ORION sees a change
    assert yaml.safe_load((tmp_path / METADATA).read_text())["build"].startswith("sha256-")


def _figure(title: str, genes: dict[str, bool]) -> Figure:
    return Figure(iri="https://pfocr.wikipathways.org/figures/PMC1__f1.html", figid="PMC1__f1", title=title,
                  alias="PMC1__F1", paper=None, organisms=(), mentions=genes)


def test_tabs_newlines_and_non_ascii_never_break_a_row(tmp_path: Path) -> None:
    hostile = "Line one\tcolumn\nline two\r\u2028 \u00e9 \"quoted\" \\"
    gene = Entity("https://identifiers.org/ncbigene/7157", GENE, "7157", hostile,
                  taxon="http://purl.obolibrary.org/obo/NCBITaxon_9606")
    graph = BuildGraph([_figure(hostile, {gene.iri: True})], {gene.iri: gene}, "v1\n", None, ())
    summary = export_kgx(graph, tmp_path)
    raw = gzip.decompress((tmp_path / NODES).read_bytes())
    assert raw.isascii() and raw.count(b"\n") == summary.nodes == 2
    assert {n["name"] for n in orion_read(tmp_path / NODES)} == {hostile}
    assert yaml.safe_load((tmp_path / METADATA).read_text()) == {"build": "v1\n"}
    assert json_lines([{"a": "\t"}]) == b'{"a":"\\t"}\n'
