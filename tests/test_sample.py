"""Every real record of the PFOCR sample (both formats), end to end.

Expected values were read by hand from the fixture files named in each test.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pyoxigraph
from conftest import SAMPLE, Build, run_build

SAMPLE_FIGIDS = sorted(p.stem for p in (SAMPLE / "_figures").glob("*.md"))


def fig(figid: str) -> str:
    return f"https://pfocr.wikipathways.org/figures/{figid}.html"


def test_every_sample_record_is_written(sample_build: Build) -> None:
    r = sample_build.report
    assert r["records_read"] == len(SAMPLE_FIGIDS) == 35
    assert r["figures_written"] == 35 and r["quarantined"] == []
    rows = sample_build.select("SELECT ?id WHERE { ?f a schema:Dataset ; schema:identifier ?id }")
    assert sorted(row["id"] for row in rows) == SAMPLE_FIGIDS


def test_nt_and_ttl_hold_the_same_triples(sample_build: Build) -> None:
    nt = sample_build.triples("nt")
    assert len(nt) == sample_build.report["triples"] == len(sample_build.nt.splitlines())
    assert nt == sample_build.triples("ttl")
    assert not any(isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode) for t in nt)


def test_shared_entities_described_once(sample_build: Build) -> None:
    # CASP3 (836) is mentioned by several sample figures; its name triple appears once.
    lines = [l for l in sample_build.nt.decode().splitlines()
             if l.startswith("<https://identifiers.org/ncbigene/836> <http://schema.org/name>")]
    assert lines == ['<https://identifiers.org/ncbigene/836> <http://schema.org/name> "CASP3" .']
    figures = sample_build.select(
        "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f schema:mentions <https://identifiers.org/ncbigene/836> }")
    assert int(figures[0]["n"]) > 1


def test_fly_gene_named_NA(sample_build: Build) -> None:
    # _data/PMC10036381__fpls-14-1118313-g004-genes.tsv: "CAD CAD NA 32640 ncbigene_synonym", fly.
    rows = sample_build.select(
        "SELECT ?name ?taxon WHERE { <https://identifiers.org/ncbigene/32640> schema:name ?name ;"
        " schema:taxonomicRange ?taxon }")
    assert rows == [{"name": "NA", "taxon": "http://purl.obolibrary.org/obo/NCBITaxon_7227"}]
    assert not sample_build.ask("ASK { <https://identifiers.org/ncbigene/32640> wp:bdbHgncSymbol ?s }")


def test_zebrafish_symbol_with_colon(sample_build: Build) -> None:
    rows = sample_build.select(
        "SELECT ?g ?taxon WHERE { ?g schema:name \"si:dkey-222f8.3\" ; schema:taxonomicRange ?taxon }")
    assert [r["taxon"] for r in rows] == ["http://purl.obolibrary.org/obo/NCBITaxon_7955"]
    zebrafish = sample_build.select(
        "SELECT ?name ?common WHERE { <http://purl.obolibrary.org/obo/NCBITaxon_7955> schema:name ?name ;"
        " schema:alternateName ?common }")
    assert zebrafish == [{"name": "Danio rerio", "common": "Zebrafish"}]  # from _organisms/danio_rerio.md


def test_sidecar_chemicals_and_diseases(sample_build: Build) -> None:
    # _data/PMC5883377__CN-16-151_F1B-chemicals.tsv: Ca and Ca2 → mesh:D002118 "Calcium", chebi:22984.
    f = fig("PMC5883377__CN-16-151_F1B")
    rows = sample_build.select(
        f"SELECT ?word ?c ?name ?chebi WHERE {{ ?m oa:hasTarget <{f}> ; oa:hasBody ?c ; pfocr:ocrText ?word ."
        " ?c a schema:ChemicalSubstance ; schema:name ?name ; wp:bdbChEBI ?chebi } ORDER BY ?word")
    assert rows == [
        {"word": w, "c": "http://id.nlm.nih.gov/mesh/D002118", "name": "Calcium",
         "chebi": "https://identifiers.org/chebi/CHEBI:22984"} for w in ("Ca", "Ca2")
    ]
    diseases = sample_build.select(
        f"SELECT ?word ?d WHERE {{ ?m oa:hasTarget <{f}> ; oa:hasBody ?d ; pfocr:ocrText ?word ."
        " ?d a schema:MedicalCondition } ORDER BY ?word")
    assert diseases == [{"word": "Ataxia", "d": "http://id.nlm.nih.gov/mesh/D001259"},
                        {"word": "CARS Ataxia", "d": "http://id.nlm.nih.gov/mesh/D001259"}]


def test_duplicate_tsv_rows_collapse(sample_build: Build) -> None:
    # PMC11482725 chemicals TSV: 7 rows, 4 distinct, 3 distinct ChEBI ids, no MeSH.
    f = fig("PMC11482725__ppat.1012188.g007")
    mentions = sample_build.select(f"SELECT ?m WHERE {{ ?m oa:hasTarget <{f}> }}")
    assert len(mentions) == 4
    bodies = sample_build.select(f"SELECT ?c WHERE {{ <{f}> schema:mentions ?c }} ORDER BY ?c")
    assert [b["c"] for b in bodies] == [
        "https://identifiers.org/chebi/CHEBI:30616", "https://identifiers.org/chebi/CHEBI:35366",
        "https://identifiers.org/chebi/CHEBI:37554"]


def test_inline_comma_joined_organisms(sample_build: Build) -> None:
    # PMC1487177: `organisms: Homo sapiens, Caenorhabditis elegans`.
    rows = sample_build.select(
        f"SELECT ?o WHERE {{ <{fig('PMC1487177__pgen.0020099.g007')}> wp:organism ?o }} ORDER BY ?o")
    assert [r["o"] for r in rows] == ["http://purl.obolibrary.org/obo/NCBITaxon_6239",
                                      "http://purl.obolibrary.org/obo/NCBITaxon_9606"]


def test_sidecar_synonym_and_family_matches(sample_build: Build) -> None:
    # _data/PMC10031279__gr8-genes.tsv: Irhom2 → RHBDF2 by ncbigene_synonym; JNK → MAPK9 by famplex.
    f = fig("PMC10031279__gr8")
    rows = sample_build.select(
        f"SELECT ?word ?sym ?kind ?cm WHERE {{ ?m oa:hasTarget <{f}> ; oa:hasBody ?g ; pfocr:ocrText ?word ;"
        " pfocr:matchSource/pfocr:matchKind ?kind ; pfocr:countMatch ?cm . ?g schema:name ?sym }")
    got = {(r["word"], r["sym"]): (r["kind"].rsplit("#")[1], r["cm"]) for r in rows}
    assert got[("Irhom2", "RHBDF2")] == ("SynonymMatch", "7")
    assert got[("JNK", "MAPK9")] == ("FamilyMatch", "7")
    assert got[("Map3k7", "MAP3K7")] == ("ExactSymbolMatch", "7")


def test_output_independent_of_listing_order(tmp_path: Path, sample_build: Build) -> None:
    figures = sorted((SAMPLE / "_figures").glob("*.md"))
    random.Random(7).shuffle(figures)
    root = tmp_path / "db"
    shutil.copytree(SAMPLE, root)
    shuffled = [root / "_figures" / p.name for p in figures]
    again = run_build(tmp_path / "out", *shuffled)
    assert again.nt == sample_build.nt
    assert again.ttl == sample_build.ttl
    assert (again.outdir / "report.json").read_text().replace(str(root), "X") == \
        (sample_build.outdir / "report.json").read_text().replace(str(SAMPLE), "X")
