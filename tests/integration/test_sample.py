"""Every real record of the PFOCR sample (both formats), end to end, against graph v2
(docs/vocabulary.md).

Expected values were read by hand from the fixture files named in each test; where a test checks
a rule on every record, the expectation is derived from the fixture files directly (YAML and TSV
read here, not by kg.read), never from what the build wrote.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest
import yaml
from helpers import SAMPLE
from helpers.build import Build, run_build
from helpers.expected import annotation_iri
from helpers.records import both, clone_record, copy_record, drop_block_keywords, drop_key

SAMPLE_FIGIDS = sorted(p.stem for p in (SAMPLE / "_figures").glob("*.md"))
MISSING = {"", "NA", ".na.character"}  # PFOCR's "no value" (kg.read.record.MISSING)
TAXON = "http://purl.obolibrary.org/obo/NCBITaxon_{}".format
GENE = "https://identifiers.org/ncbigene/{}".format
CHEBI = "https://identifiers.org/chebi/CHEBI:{}".format
CHEBI_OBO = "http://purl.obolibrary.org/obo/CHEBI_{}".format
MESH = "http://id.nlm.nih.gov/mesh/{}".format
JOURNAL = "https://w3id.org/pfocr-kg/journal/{}".format
PUBLISHER = "https://w3id.org/pfocr-kg/publisher/{}".format
# prefixes conftest's PREFIXES lacks (a SPARQL prologue may declare more after them)
MORE = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
    "PREFIX void: <http://rdfs.org/ns/void#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)


def fig(figid: str) -> str:
    return f"https://pfocr.wikipathways.org/figures/{figid}.html"


def front_matter(figid: str, root: Path = SAMPLE) -> dict:
    return yaml.safe_load((root / "_figures" / f"{figid}.md").read_text("utf-8").split("---\n")[1])


def tsv_rows(figid: str, kind: str, root: Path = SAMPLE) -> list[dict[str, str]]:
    path = root / "_data" / f"{figid}-{kind}.tsv"
    if not path.exists():
        return []
    header, *lines = path.read_text("utf-8").split("\n")
    return [dict(zip(header.split("\t"), line.split("\t"))) for line in lines if line]


def expected_annotations(figid: str, root: Path = SAMPLE) -> dict[str, set[str]]:
    """annotation IRI → the IRIs of its bodies, from the record's files as PFOCR wrote them."""
    out: dict[str, set[str]] = defaultdict(set)
    data = front_matter(figid, root)

    def cell(value: object) -> str | None:
        return None if value is None or str(value).strip() in MISSING else str(value)

    if any(k in data for k in ("genes", "chemicals", "diseases")):  # inline record
        for entry in data.get("genes") or []:
            if cell(entry.get("entrez")):
                key = (entry["word"], entry["source"].lower(), cell(entry.get("symbol")))
                out[annotation_iri(figid, *key)].add(GENE(entry["entrez"]))
        for kind in ("chemicals", "diseases"):
            for entry in data.get(kind) or []:
                if cell(entry.get("identifier")):  # inline terms are MeSH; PFOCR writes `MESH`
                    iri = MESH(str(entry["identifier"]).removeprefix("mesh:"))
                    out[annotation_iri(figid, str(entry["word"]), "mesh", None)].add(iri)
        return out
    for row in tsv_rows(figid, "genes", root):
        if cell(row["ncbigene_id"]):
            key = (row["word"], row["source"].strip().lower(), cell(row["match"].strip()))
            out[annotation_iri(figid, *key)].add(GENE(row["ncbigene_id"]))
    for row in tsv_rows(figid, "chemicals", root):
        mesh, chebi = cell(row["mesh"]), cell(row["chebi"])
        if mesh or chebi:
            iri = MESH(mesh.removeprefix("mesh:")) if mesh else CHEBI(chebi.removeprefix("chebi:"))
            out[annotation_iri(figid, row["word"], "mesh" if mesh else "chebi", cell(row["match"]))].add(iri)
    for row in tsv_rows(figid, "diseases", root):
        mesh, doid = cell(row["mesh"]), cell(row["doid"])
        if mesh or doid:
            iri = MESH(mesh.removeprefix("mesh:")) if mesh else f"http://purl.obolibrary.org/obo/DOID_{doid}"
            out[annotation_iri(figid, row["word"], "mesh" if mesh else "doid", cell(row["match"]))].add(iri)
    return out


def annotations_of(build: Build, figid: str) -> dict[str, set[str]]:
    rows = build.select(
        f"SELECT ?a ?b WHERE {{ <{fig(figid)}> schema:about ?image . ?a a oa:Annotation ;"
        " oa:hasTarget ?image ; oa:hasBody ?b }")
    out: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        out[row["a"]].add(row["b"])
    return out


def objects(build: Build, subject: str, predicate: str) -> set[str]:
    rows = build.select(MORE + f"SELECT ?o WHERE {{ <{subject}> {predicate} ?o }}")
    return {r["o"] for r in rows}


# --- the build as a whole ----------------------------------------------------------------------


def test_every_sample_record_is_written(sample_build: Build) -> None:
    r = sample_build.report
    assert r["records_read"] == len(SAMPLE_FIGIDS) == 35
    assert r["figures_written"] == 35 and r["quarantined"] == []
    assert r["validation"]["enabled"] and r["validation"]["violations"] == 0
    rows = sample_build.select("SELECT ?id WHERE { ?f a schema:Dataset ; schema:identifier ?id }")
    assert sorted(row["id"] for row in rows) == SAMPLE_FIGIDS
    images = sample_build.select("SELECT DISTINCT ?i WHERE { ?i a schema:ImageObject }")
    assert len(images) == 35


def test_nt_and_ttl_hold_the_same_triples(sample_build: Build) -> None:
    nt = sample_build.triples("nt")
    assert len(nt) == sample_build.report["triples"] == len(sample_build.nt.splitlines())
    assert nt == sample_build.triples("ttl")
    assert not any(isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode) for t in nt)


def test_the_only_warnings_are_the_plos_journal_descriptions(sample_build: Build) -> None:
    """PLoS One is `PLOS ONE` in PMC11495567 and `PLOS One` in PMC12083809; PLoS Pathog's publisher
    is `Public Library of Science` in PMC10919860 and `PLOS` in three later figures. One slug, one
    node: the first figure's values are exported, each other value warned (field `entity`)."""
    warnings = sample_build.report["warnings"]
    assert {w["figid"] for w in warnings} == {
        "PMC12083809__pone.0322516.g001", "PMC11482725__ppat.1012188.g007",
        "PMC11999137__ppat.1013018.g009", "PMC12118852__ppat.1013200.g008"}
    assert {w["field"] for w in warnings} == {"entity"}
    one = next(w for w in warnings if w["figid"] == "PMC12083809__pone.0322516.g001")
    assert f"<{JOURNAL('plos-one')}>" in one["reason"] and '"PLOS One"' in one["reason"]
    assert '"PLOS ONE" is exported, from figure PMC11495567__pone.0312563.g001' in one["reason"]
    for w in warnings:
        if w is not one:
            assert f"<{JOURNAL('plos-pathog')}>" in w["reason"] and f"<{PUBLISHER('plos')}>" in w["reason"]
            assert f"<{PUBLISHER('public-library-of-science')}> is exported" in w["reason"]
    assert objects(sample_build, JOURNAL("plos-one"), "schema:name") == {"PLOS ONE"}
    assert objects(sample_build, JOURNAL("plos-pathog"), "schema:publisher") == {PUBLISHER("public-library-of-science")}


def test_shared_entities_described_once(sample_build: Build) -> None:
    # CASP3 (836) is mentioned by several sample figures; its name triple appears once.
    lines = [l for l in sample_build.nt.decode().splitlines()
             if l.startswith("<https://identifiers.org/ncbigene/836> <http://schema.org/name>")]
    assert lines == ['<https://identifiers.org/ncbigene/836> <http://schema.org/name> "CASP3" .']
    figures = sample_build.select(
        "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f schema:mentions <https://identifiers.org/ncbigene/836> }")
    assert int(figures[0]["n"]) > 1


@pytest.mark.slow
def test_output_independent_of_listing_order(db: Path, tmp_path: Path, sample_build: Build) -> None:
    figures = sorted((SAMPLE / "_figures").glob("*.md"))
    random.Random(7).shuffle(figures)
    root = db
    shuffled = [root / "_figures" / p.name for p in figures]
    again = run_build(tmp_path / "out", *shuffled)
    assert again.nt == sample_build.nt
    assert again.ttl == sample_build.ttl
    assert (again.outdir / "report.json").read_text().replace(str(root), "X") == \
        (sample_build.outdir / "report.json").read_text().replace(str(SAMPLE), "X")


# --- record and image --------------------------------------------------------------------------


def test_record_and_image_are_separate_nodes(sample_build: Build) -> None:
    """Every record is about exactly one image, its own; only the record is CC0 and WikiPathways'."""
    rows = sample_build.select(
        "SELECT ?r ?image ?paper WHERE { ?r a schema:Dataset ; schema:about ?image ."
        " ?image a schema:ImageObject ; schema:isPartOf ?paper }")
    assert len(rows) == 35 and len({r["image"] for r in rows}) == 35
    for row in rows:
        figid = row["r"].removeprefix("https://pfocr.wikipathways.org/figures/").removesuffix(".html")
        pmcid = figid.split("__")[0]
        assert row["paper"] == f"https://identifiers.org/pmc/{pmcid}"
        # every sample figlink is PMC's `/pmc/articles/<pmcid>/figure/<part>[/]`
        part = front_matter(figid)["figlink"].rstrip("/").rsplit("/", 1)[1]
        assert row["image"] == f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/figure/{part}/"
    assert sample_build.select("SELECT (COUNT(*) AS ?n) WHERE { ?r schema:license "
                               "<http://creativecommons.org/publicdomain/zero/1.0/> ; schema:creator "
                               "<https://www.wikipathways.org/> ; a schema:Dataset }") == [{"n": "35"}]
    for prop in ("schema:license", "schema:creator"):
        assert not sample_build.ask(f"ASK {{ ?i a schema:ImageObject ; {prop} ?x }}")
    for prop in ("schema:isPartOf", "schema:contentUrl", "schema:position"):
        assert not sample_build.ask(f"ASK {{ ?r a schema:Dataset ; {prop} ?x }}")
    assert not sample_build.ask("ASK { ?x a schema:Dataset, schema:ImageObject }")


def test_image_from_figlink_filename_and_number(sample_build: Build) -> None:
    # PMC10919860: `figlink: /pmc/articles/PMC10919860/figure/F1` (no trailing slash)
    # PMC6103457: the figlink's part (BST-46-967F4) is not the number (F1); both kept, apart
    # PMC10036500__ga1: a graphical abstract, `undfig1`, number GA1
    for figid, image, content, position in (
        ("PMC10919860__ppat.1012049.g001", "PMC10919860/figure/F1/", "PMC10919860/bin/ppat.1012049.g001.jpg", "F1"),
        ("PMC6103457__BST-46-967-g0001", "PMC6103457/figure/BST-46-967F4/", "PMC6103457/bin/BST-46-967-g0001.jpg", "F1"),
        ("PMC10036500__ga1", "PMC10036500/figure/undfig1/", "PMC10036500/bin/ga1.jpg", "GA1"),
    ):
        image = "https://pmc.ncbi.nlm.nih.gov/articles/" + image
        assert objects(sample_build, fig(figid), "schema:about") == {image}
        assert objects(sample_build, image, "schema:contentUrl") == {
            "https://www.ncbi.nlm.nih.gov/pmc/articles/" + content}
        assert objects(sample_build, image, "schema:position") == {position}


def test_figure_type_alias_ndex_and_wikipathways_kept(sample_build: Build) -> None:
    types = sample_build.select("SELECT ?r ?t WHERE { ?r pfocr:figureType ?t }")
    assert len(types) == 35
    assert {r["r"]: r["t"] for r in types if r["t"] != "Figure"} == {
        fig("PMC10031380__sc1"): "Scheme",
        fig("PMC10033909__d3sc00173c-s1"): "Supplemental figure",
        fig("PMC10036500__ga1"): "Graphical abstract",
    }
    aliases = sample_build.select("SELECT ?r ?alias WHERE { ?r a schema:Dataset ; schema:alternateName ?alias }")
    assert {r["r"]: r["alias"] for r in aliases} == {fig(f): front_matter(f)["figid_alias"] for f in SAMPLE_FIGIDS}
    assert objects(sample_build, fig("PMC10033909__d3sc00173c-s1"), "schema:alternateName") == {"PMC10033909__SF1"}
    # NDEx: 12 records give a network (the others `ndex: ''`); a see-also, no more a sameAs
    ndex = sample_build.select(MORE + "SELECT ?r ?n WHERE { ?r rdfs:seeAlso ?n }")
    assert len(ndex) == 12
    assert {r["r"]: r["n"] for r in ndex}[fig("PMC5883377__CN-16-151_F1B")] == \
        "https://www.ndexbio.org/viewer/networks/66c48006-ded7-11ea-99da-0ac135e8bacf"
    assert {r["n"] for r in ndex} == {
        "https://www.ndexbio.org/viewer/networks/" + front_matter(f)["ndex"] for f in SAMPLE_FIGIDS
        if front_matter(f)["ndex"]}
    assert not sample_build.ask("ASK { ?r a schema:Dataset ; schema:sameAs ?x }")
    # wpid: WikiPathways drew these four pathways from the figures
    derived = sample_build.select(MORE + "SELECT ?wp ?r WHERE { ?wp prov:wasDerivedFrom ?r }")
    assert {r["wp"]: r["r"] for r in derived} == {
        "https://identifiers.org/wikipathways/WP4760": fig("PMC5883377__CN-16-151_F1B"),
        "https://identifiers.org/wikipathways/WP4537": fig("PMC5822808__JIR2018-3696914.001"),
        "https://identifiers.org/wikipathways/WP4532": fig("PMC6103457__BST-46-967-g0001"),
        "https://identifiers.org/wikipathways/WP5283": fig("PMC6365454__fnins-13-00025-g0002"),
    }
    assert not sample_build.ask("ASK { ?r dcterms:relation ?x }")


def test_every_record_is_in_the_dataset(sample_build: Build) -> None:
    rows = sample_build.select(MORE + "SELECT (COUNT(?r) AS ?n) WHERE { ?r a schema:Dataset ;"
                               " void:inDataset <https://w3id.org/pfocr-kg/dataset> }")
    assert rows == [{"n": "35"}]


# --- organisms by provenance -------------------------------------------------------------------


def test_record_organisms_are_exactly_its_genes_taxa(sample_build: Build) -> None:
    """wp:organism = the taxa of the record's genes: the genes TSV's organism_id (sidecar), human
    (inline); every mentioned gene's schema:taxonomicRange is among them."""
    for figid in SAMPLE_FIGIDS:
        data = front_matter(figid)
        if "genes" in data:
            expected = {TAXON(9606)} if data["genes"] else set()
        else:
            expected = {TAXON(row["organism_id"]) for row in tsv_rows(figid, "genes")}
        record = fig(figid)
        assert objects(sample_build, record, "wp:organism") == expected, figid
        ranges = sample_build.select(
            f"SELECT DISTINCT ?t WHERE {{ <{record}> schema:mentions ?g . ?g a schema:Gene ; schema:taxonomicRange ?t }}")
        assert {r["t"] for r in ranges} == expected, figid
        names = objects(sample_build, record, "wp:organismName")
        assert len(names) == len(expected)


def test_paper_ner_and_gene_organisms_stay_apart(sample_build: Build) -> None:
    # PMC10017456 (a California poppy paper): organisms Eschscholzia californica | Homo sapiens;
    # organisms_ner Homo sapiens | Drosophila melanogaster; genes TSV human and fly rows.
    # _organisms/eschscholzia_californica.md gives its taxon, 3467.
    record, paper = fig("PMC10017456__fpls-14-1084358-g002"), "https://identifiers.org/pmc/PMC10017456"
    assert objects(sample_build, paper, "schema:about") == {TAXON(3467), TAXON(9606)}
    assert objects(sample_build, paper, "pfocr:organismName") == set()
    assert objects(sample_build, record, "pfocr:recognisedOrganism") == {TAXON(9606), TAXON(7227)}
    assert objects(sample_build, record, "wp:organism") == {TAXON(7227), TAXON(9606)}
    assert objects(sample_build, record, "wp:organismName") == {"Drosophila melanogaster", "Homo sapiens"}
    assert objects(sample_build, TAXON(3467), "schema:name") == {"Eschscholzia californica"}
    # PMC5883377: six paper organisms, Cyprinus carpio known to no table: a name on the paper
    paper = "https://identifiers.org/pmc/PMC5883377"
    assert objects(sample_build, paper, "schema:about") == {TAXON(n) for n in (7955, 8355, 10090, 10116, 9606)}
    assert objects(sample_build, paper, "pfocr:organismName") == {"Cyprinus carpio"}
    assert objects(sample_build, fig("PMC5883377__CN-16-151_F1B"), "pfocr:recognisedOrganism") == {
        TAXON(n) for n in (9606, 10090, 10116, 8355, 7227)}
    # PMC1487177 (inline): `organisms: Homo sapiens, Caenorhabditis elegans` is the paper's;
    # its genes are human
    paper = "https://identifiers.org/pmc/PMC1487177"
    assert objects(sample_build, paper, "schema:about") == {TAXON(6239), TAXON(9606)}
    assert objects(sample_build, fig("PMC1487177__pgen.0020099.g007"), "wp:organism") == {TAXON(9606)}
    # PMC11482725: organisms and organisms_ner both [NA], no genes: no organism anywhere
    record = fig("PMC11482725__ppat.1012188.g007")
    for prop in ("wp:organism", "wp:organismName", "pfocr:recognisedOrganism", "pfocr:recognisedOrganismName",
                 "pfocr:organismName"):
        assert objects(sample_build, record, prop) == set()
    assert objects(sample_build, "https://identifiers.org/pmc/PMC11482725", "schema:about") == set()


def test_organism_counts_per_record_and_taxon(sample_build: Build) -> None:
    # _data/PMC5883377__CN-16-151_F1B-genes.tsv: count_direct, count_synonym, count_match per
    # organism (Xenopus count_direct NA: no triple)
    record = fig("PMC5883377__CN-16-151_F1B")
    rows = sample_build.select(
        f"SELECT ?c ?taxon ?d ?s ?m WHERE {{ <{record}> pfocr:matchCounts ?c . ?c a pfocr:OrganismMatchCounts ;"
        " pfocr:taxon ?taxon . OPTIONAL { ?c pfocr:countDirect ?d } OPTIONAL { ?c pfocr:countSynonym ?s }"
        " OPTIONAL { ?c pfocr:countMatch ?m } }")
    got = {r["taxon"]: (r["c"], r["d"], r["s"], r["m"]) for r in rows}
    assert got == {
        TAXON(9606): (f"{record}#organism-9606", "2", "13", "14"),
        TAXON(10090): (f"{record}#organism-10090", "2", "13", "10"),
        TAXON(10116): (f"{record}#organism-10116", "2", "6", "8"),
        TAXON(8355): (f"{record}#organism-8355", None, "7", "5"),
        TAXON(7227): (f"{record}#organism-7227", "4", "8", "7"),
    }
    # no counts on annotations any more
    assert not sample_build.ask("ASK { ?a a oa:Annotation ; pfocr:countDirect|pfocr:countSynonym|pfocr:countMatch ?x }")


# --- annotations -------------------------------------------------------------------------------


@pytest.mark.parametrize("figid", SAMPLE_FIGIDS)
def test_one_annotation_per_word_source_and_matched_text(sample_build: Build, figid: str) -> None:
    """The record's annotations and their bodies, recomputed from its files and the documented hash."""
    expected = expected_annotations(figid)
    assert annotations_of(sample_build, figid) == expected
    mentions = objects(sample_build, fig(figid), "schema:mentions")
    assert mentions == set().union(*expected.values())


def test_annotation_triples_say_what_was_read(sample_build: Build) -> None:
    """Every annotation: its IRI is the hash of its own ocrText, matchSource and matchedText
    (absent when equal to the word); no motivation triple; it targets an image."""
    rows = sample_build.select(
        "SELECT ?a ?word ?source ?matched ?target WHERE { ?a a oa:Annotation ; pfocr:ocrText ?word ;"
        " pfocr:matchSource ?source ; oa:hasTarget ?target . OPTIONAL { ?a pfocr:matchedText ?matched } }")
    assert len(rows) == len({r["a"] for r in rows}) == 471
    for r in rows:
        figid = r["a"].split("#")[0].removeprefix("https://pfocr.wikipathways.org/figures/").removesuffix(".html")
        assert r["matched"] != r["word"]
        assert r["a"] == annotation_iri(figid, r["word"], r["source"].rsplit("#", 1)[1], r["matched"])
        assert objects(sample_build, fig(figid), "schema:about") == {r["target"]}
    assert not sample_build.ask("ASK { ?a oa:motivatedBy ?m }")


def test_family_words_have_several_bodies(sample_build: Build) -> None:
    # _data/PMC10031279__gr8-genes.tsv: `cytokines&chemokines` matched CHEMOKINE by famplex_relations
    # (14 rows), `p65` → P65 by ncbigene_synonym (4 genes), `JNK` twice: MAPK8 by synonym, MAPK9
    # and MAPK10 by famplex_relations (matched text = word: no pfocr:matchedText)
    figid = "PMC10031279__gr8"
    got = annotations_of(sample_build, figid)
    chemokines = annotation_iri(figid, "cytokines&chemokines", "famplex_relations", "CHEMOKINE")
    assert got[chemokines] == {GENE(n) for n in (3627, 6373, 6387, 10563, 9547, 4283, 5196, 2919, 2920,
                                                 2921, 6374, 6372, 3576, 5473)}
    assert got[annotation_iri(figid, "p65", "ncbigene_synonym", "P65")] == {GENE(n) for n in (5970, 6857, 64689, 65125)}
    assert got[annotation_iri(figid, "JNK", "ncbigene_synonym", None)] == {GENE(5599)}
    jnk = annotation_iri(figid, "JNK", "famplex_relations", "JNK")
    assert got[jnk] == {GENE(5601), GENE(5602)}
    assert objects(sample_build, jnk, "pfocr:matchedText") == set()
    assert objects(sample_build, chemokines, "pfocr:matchedText") == {"CHEMOKINE"}
    assert len(got) == 8 and sum(len(b) for b in got.values()) == 25  # 25 rows, 25 (word, gene) pairs
    kinds = sample_build.select(
        f"SELECT ?word ?sym ?kind WHERE {{ <{fig(figid)}> schema:about ?image . ?m oa:hasTarget ?image ;"
        " oa:hasBody ?g ; pfocr:ocrText ?word ; pfocr:matchSource/pfocr:matchKind ?kind . ?g schema:name ?sym }")
    got_kinds = {(r["word"], r["sym"]): r["kind"].rsplit("#")[1] for r in kinds}
    assert got_kinds[("Irhom2", "RHBDF2")] == "SynonymMatch"
    assert got_kinds[("JNK", "MAPK9")] == "FamilyMatch"
    assert got_kinds[("JNK", "MAPK8")] == "SynonymMatch"
    assert got_kinds[("Map3k7", "MAP3K7")] == "ExactSymbolMatch"


def test_repeated_rows_are_counted(sample_build: Build) -> None:
    """pfocr:occurrences where the source gives a row more than once: the 9 lines the sample's
    chemicals TSVs repeat (each exactly twice), and nowhere else."""
    rows = sample_build.select("SELECT ?a ?n WHERE { ?a pfocr:occurrences ?n }")
    expected = {
        annotation_iri("PMC11482725__ppat.1012188.g007", "ATP", "chebi", "ATP"),
        annotation_iri("PMC11482725__ppat.1012188.g007", "Fatty Acyl CoA", "chebi", "Fatty acyl CoA"),
        annotation_iri("PMC11482725__ppat.1012188.g007", "Fatty Acids", "chebi", "fatty acids"),
        annotation_iri("PMC12118852__ppat.1013200.g008", "NS1", "chebi", "NS1"),
        annotation_iri("PMC10033909__d3sc00173c-s1", "Me  Me  Me ", "mesh", None),  # trailing blank kept
        annotation_iri("PMC12121910__pgen.1011679.g004", "Cinnamate", "chebi", "cinnamate"),
        annotation_iri("PMC12121910__pgen.1011679.g004", "p-coumarate", "chebi", "p-coumarate"),
        annotation_iri("PMC12121910__pgen.1011679.g004", "p-coumaryl alcohol", "chebi", "p-Coumaryl alcohol"),
        annotation_iri("PMC10017456__fpls-14-1084358-g002", "OMT", "mesh", None),  # C060706, no match
    }
    assert {r["a"]: r["n"] for r in rows} == dict.fromkeys(expected, "2")
    types = sample_build.select("SELECT DISTINCT (DATATYPE(?n) AS ?t) WHERE { ?a pfocr:occurrences ?n }")
    assert types == [{"t": "http://www.w3.org/2001/XMLSchema#integer"}]
    # PMC11482725: 7 rows, 4 distinct (word, source, matched), 3 ChEBI ids, no MeSH
    assert len(annotations_of(sample_build, "PMC11482725__ppat.1012188.g007")) == 4
    assert objects(sample_build, fig("PMC11482725__ppat.1012188.g007"), "schema:mentions") == {
        CHEBI(30616), CHEBI(35366), CHEBI(37554)}


@pytest.mark.slow
def test_annotation_iris_survive_reordered_rows(tmp_path: Path, sample_build: Build) -> None:
    """PFOCR may write a TSV's rows in another order: the same annotations, the same graph."""
    figid = "PMC5883377__CN-16-151_F1B"
    copy_record(tmp_path / "a", figid, organisms=True)
    copy_record(tmp_path / "b", figid, organisms=True)
    for kind in ("genes", "chemicals", "diseases"):
        path = tmp_path / "b" / "_data" / f"{figid}-{kind}.tsv"
        header, *rows = path.read_text("utf-8").rstrip("\n").split("\n")
        before = list(rows)
        while rows == before:
            random.Random(len(rows)).shuffle(rows)
            rows = rows if rows != before else rows[::-1]
        path.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    original, shuffled = run_build(tmp_path / "out-a", tmp_path / "a"), run_build(tmp_path / "out-b", tmp_path / "b")
    assert original.report["figures_written"] == shuffled.report["figures_written"] == 1
    assert annotations_of(shuffled, figid) == annotations_of(original, figid) == annotations_of(sample_build, figid)
    assert len(annotations_of(original, figid)) == len(expected_annotations(figid)) == 26
    assert shuffled.triples() == original.triples()


# --- entities ----------------------------------------------------------------------------------


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
    # _data/PMC5883377__CN-16-151_F1B-chemicals.tsv: Ca and Ca2 matched MeSH "Calcium" (D002118),
    # ChEBI 22984 "calcium atom"; diseases TSV: Ataxia and CARS Ataxia → D001259, no match, no name
    figid = "PMC5883377__CN-16-151_F1B"
    got = annotations_of(sample_build, figid)
    for word in ("Ca", "Ca2"):
        iri = annotation_iri(figid, word, "mesh", "Calcium")
        assert got[iri] == {MESH("D002118")}
        assert objects(sample_build, iri, "pfocr:matchedText") == {"Calcium"}
        assert objects(sample_build, iri, "pfocr:matchSource") == {"https://w3id.org/pfocr-kg/vocab#mesh"}
    calcium = MESH("D002118")
    assert objects(sample_build, calcium, "schema:name") == {"Calcium"}  # the MeSH heading, not ChEBI's name
    assert objects(sample_build, calcium, "wp:bdbChEBI") == {CHEBI(22984)}
    assert objects(sample_build, calcium, "skos:exactMatch") == {CHEBI_OBO(22984)}
    for word in ("Ataxia", "CARS Ataxia"):
        assert got[annotation_iri(figid, word, "mesh", None)] == {MESH("D001259")}
    ataxia = sample_build.select(f"SELECT ?p ?o WHERE {{ <{MESH('D001259')}> ?p ?o }} ORDER BY ?p")
    assert ataxia == [{"p": "http://schema.org/identifier", "o": "D001259"},
                      {"p": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "o": "http://schema.org/MedicalCondition"}]


def test_chemicals_named_and_linked_to_chebi_both_ways(sample_build: Build) -> None:
    # every ChEBI link in both forms, and no one without the other
    rows = sample_build.select(MORE + "SELECT ?c ?bdb ?obo WHERE { ?c a schema:ChemicalSubstance ."
                               " OPTIONAL { ?c wp:bdbChEBI ?bdb } OPTIONAL { ?c skos:exactMatch ?obo } }")
    linked = [r for r in rows if r["bdb"] or r["obo"]]
    assert len(linked) == 37  # the distinct ChEBI ids of the sample's chemicals TSVs
    for r in linked:
        n = r["bdb"].rsplit(":", 1)[1]
        assert r["bdb"] == CHEBI(n) and r["obo"] == CHEBI_OBO(n)
    # named by the MeSH heading matched, else (ChEBI only) by the ChEBI name, else by the match:
    # _data/PMC12121910__pgen.1011679.g004-chemicals.tsv, ChEBI only
    names = {
        CHEBI(58095): "(2S)-2-azaniumyl-3-phenylpropanoate",  # match L-phenylalanine: the ChEBI name first
        CHEBI(64474): "H-lignin",  # name NA: the match
        CHEBI(23248): "cinnamate",
    }
    # _data/PMC10017456__fpls-14-1084358-g002-chemicals.tsv: a MeSH heading matched
    names[MESH("D013455")] = "Sulfur"  # the wrong match PFOCR made for (S)-cheilanthifoline, kept as given
    # _data/PMC10033909__d3sc00173c-s1-chemicals.tsv: `[O]` matched Superoxides (D013481), ChEBI superoxide
    names[MESH("D013481")] = "Superoxides"
    for chemical, name in names.items():
        assert objects(sample_build, chemical, "schema:name") == {name}, chemical
    assert objects(sample_build, MESH("D013481"), "skos:exactMatch") == {CHEBI_OBO(18421)}
    # without a match or a ChEBI id nothing names a chemical: the MeSH-only rows of PMC10033909
    # (C526611) and PMC10031380 (C000589473, C087825), and every inline chemical (MeSH id only)
    for unnamed in (MESH("C526611"), MESH("C000589473"), MESH("C087825"), MESH("D001920")):
        assert objects(sample_build, unnamed, "schema:name") == set(), unnamed
    unnamed = sample_build.select("SELECT ?c WHERE { ?c a schema:ChemicalSubstance FILTER NOT EXISTS { ?c schema:name ?n } }")
    assert all(r["c"].startswith("http://id.nlm.nih.gov/mesh/") for r in unnamed)


# --- journals and publishers -------------------------------------------------------------------


def test_journals_and_publishers_kept(sample_build: Build) -> None:
    """One node a NLM abbreviation (its slug), named by journal_title; publishers likewise."""
    rows = sample_build.select(
        "SELECT ?j ?name ?abbr ?pub WHERE { ?j a schema:Periodical ; schema:name ?name ;"
        " schema:alternateName ?abbr ; schema:publisher ?pub }")
    assert {r["j"]: (r["name"], r["abbr"], r["pub"]) for r in rows} == {
        JOURNAL("front-plant-sci"): ("Frontiers in Plant Science", "Front Plant Sci", PUBLISHER("frontiers-media-s-a")),
        JOURNAL("biorxiv"): ("bioRxiv", "bioRxiv", PUBLISHER("cold-spring-harbor-laboratory")),
        JOURNAL("acta-pharm-sin-b"): ("Acta Pharmaceutica Sinica. B", "Acta Pharm Sin B", PUBLISHER("elsevier")),
        JOURNAL("chem-sci"): ("Chemical Science", "Chem Sci", PUBLISHER("the-royal-society-of-chemistry")),
        JOURNAL("j-orthop-translat"): ("Journal of Orthopaedic Translation", "J Orthop Translat",
                                       PUBLISHER("chinese-speaking-orthopaedic-society")),
        JOURNAL("plos-pathog"): ("PLOS Pathogens", "PLoS Pathog", PUBLISHER("public-library-of-science")),
        JOURNAL("plos-biol"): ("PLOS Biology", "PLoS Biol", PUBLISHER("public-library-of-science")),
        JOURNAL("plos-one"): ("PLOS ONE", "PLoS One", PUBLISHER("plos")),
        JOURNAL("plos-genet"): ("PLOS Genetics", "PLoS Genet", PUBLISHER("plos")),
    }
    publishers = sample_build.select("SELECT ?p ?name WHERE { ?p a schema:Organization ; schema:name ?name }")
    assert {r["p"]: r["name"] for r in publishers} == {
        PUBLISHER("frontiers-media-s-a"): "Frontiers Media S.A.",
        PUBLISHER("cold-spring-harbor-laboratory"): "Cold Spring Harbor Laboratory",
        PUBLISHER("elsevier"): "Elsevier",
        PUBLISHER("the-royal-society-of-chemistry"): "The Royal Society of Chemistry",
        PUBLISHER("chinese-speaking-orthopaedic-society"): "Chinese Speaking Orthopaedic Society",
        PUBLISHER("public-library-of-science"): "Public Library of Science",
        PUBLISHER("plos"): "PLOS",
        "https://www.wikipathways.org/": "WikiPathways",
    }
    # every paper with a journal is part of it and has no publisher of its own; the 2020-era inline
    # records and PMC5883377 (`.na.character` everywhere) have neither
    papers = sample_build.select(
        "SELECT ?p ?j WHERE { ?p a schema:ScholarlyArticle OPTIONAL { ?p schema:isPartOf ?j } }")
    with_journal = {r["p"]: r["j"] for r in papers if r["j"]}
    assert len(with_journal) == 16  # 18 sidecar records, two of one bioRxiv preprint; PMC5883377 has none
    assert with_journal["https://identifiers.org/pmc/PMC10031279"] == JOURNAL("acta-pharm-sin-b")
    assert with_journal["https://identifiers.org/pmc/PMC10031380"] == JOURNAL("acta-pharm-sin-b")
    assert not sample_build.ask("ASK { ?p a schema:ScholarlyArticle ; schema:publisher ?x }")
    assert objects(sample_build, "https://identifiers.org/pmc/PMC5883377", "schema:isPartOf") == set()
    # the shared journal is described once
    lines = [line for line in sample_build.nt.decode().splitlines()
             if line.startswith(f"<{JOURNAL('acta-pharm-sin-b')}> <http://schema.org/name>")]
    assert len(lines) == 1


def test_paper_of_a_sidecar_record(sample_build: Build) -> None:
    # _figures/PMC10031279__gr8.md
    paper = "https://identifiers.org/pmc/PMC10031279"
    assert objects(sample_build, paper, "schema:sameAs") == {"https://doi.org/10.1016/j.apsb.2022.12.006"}
    assert objects(sample_build, paper, "schema:keywords") == {
        "Usp13", "Irhom2", "NASH", "Hepatosteatosis", "Ubc13", "NAFLD", "Ubiquitination", "Liver inflammation"}
    assert objects(sample_build, paper, "dcterms:bibliographicCitation") == {
        "Minxuan Xu, et al. Acta Pharm Sin B. 2023 Mar;13(3):1071-1092."}
    assert objects(sample_build, paper, "schema:about") == set()  # organisms: [NA]


@pytest.mark.slow
def test_a_paper_without_a_journal_names_its_publisher(tmp_path: Path) -> None:
    """The sample has no such record: PMC10031279__gr8 with its journal_title and journal_nlm_ta removed."""
    figid = "PMC10031279__gr8"
    root = tmp_path / "db"
    clone_record(root, figid, organisms=True, md=both(drop_key("journal_title"), drop_key("journal_nlm_ta")))
    assert "journal_title" not in front_matter(figid, root) and front_matter(figid, root)["publisher_name"] == "Elsevier"
    build = run_build(tmp_path / "out", root)
    assert build.report["figures_written"] == 1 and build.report["validation"]["violations"] == 0
    paper = "https://identifiers.org/pmc/PMC10031279"
    assert objects(build, paper, "schema:publisher") == {PUBLISHER("elsevier")}
    assert objects(build, paper, "schema:isPartOf") == set()
    assert not build.ask("ASK { ?j a schema:Periodical }")
    assert objects(build, PUBLISHER("elsevier"), "schema:name") == {"Elsevier"}


# --- records without a title or keywords -------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("figid", "title"),
    [
        ("PMC10031279__gr8", ("Schematic illustration of cellular and molecular events underlying hepatocyte "
                              "USP13–Irhom2 axis-regulated nonalcoholic steatohepatitis (NASH).")),
        # the first sentence is 229 characters: cut at the last space before 200, marked
        ("PMC1323499__pmed.0030057.g001", ("Substances common in viral pathogens (substances such as "
                                           "single-stranded RNA [ssRNA] and double-stranded RNA [dsRNA]) or in "
                                           "bacteria (substances such as endotoxin) are recognized by TLRs as…")),
    ],
)
def test_record_without_title_or_keywords_is_exported_with_a_warning(tmp_path: Path, figid: str, title: str) -> None:
    root = tmp_path / "db"
    clone_record(root, figid, organisms=True, md=both(drop_key("figtitle"), drop_block_keywords, drop_key("keywords")))
    data = front_matter(figid, root)
    assert "figtitle" not in data and "keywords" not in data and "keywords" not in data["schema-jsonld"]
    build = run_build(tmp_path / "out", root)
    r = build.report
    assert (r["figures_written"], r["quarantined"], build.exit_code) == (1, [], 0)
    assert [(w["field"], w["reason"]) for w in r["warnings"]] == [
        ("figtitle", "no figtitle; the caption's first sentence is the title")]
    assert objects(build, fig(figid), "schema:name") == {title}
    assert objects(build, fig(figid), "schema:keywords") == set()
    assert r["validation"]["violations"] == 0
    assert r["validation"]["by_message"]["Warning"]["record without keywords (Bioschemas Dataset asks for them)"] == 1


@pytest.mark.slow
def test_record_without_title_or_caption_is_named_by_its_figid(tmp_path: Path) -> None:
    figid = "PMC10031279__gr8"
    root = tmp_path / "db"
    clone_record(root, figid, organisms=True, md=both(drop_key("figtitle"), drop_key("caption")))
    build = run_build(tmp_path / "out", root)
    assert build.report["figures_written"] == 1 and build.report["validation"]["violations"] == 0
    assert [w["field"] for w in build.report["warnings"]] == ["figtitle"]
    assert objects(build, fig(figid), "schema:name") == {figid}
    # the schema-jsonld block still gives the description
    assert objects(build, fig(figid), "schema:description") == {front_matter(figid)["schema-jsonld"]["description"]}
