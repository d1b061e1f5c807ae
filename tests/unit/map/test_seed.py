"""The seed record, end to end, against triples checked by hand against its front matter
(seeds/_figures/PMC2776288__ajtr0001-0001-f3.md, an inline record)."""

from __future__ import annotations

import pyoxigraph
from helpers import SEED_FIGID
from helpers.build import Build
from helpers.expected import annotation_iri as figure_annotation

FIG = f"https://pfocr.wikipathways.org/figures/{SEED_FIGID}.html"
# figlink: /pmc/articles/PMC2776288/figure/fig03/
IMAGE = "https://pmc.ncbi.nlm.nih.gov/articles/PMC2776288/figure/fig03/"
PAPER = "https://identifiers.org/pmc/PMC2776288"
HUMAN = "http://purl.obolibrary.org/obo/NCBITaxon_9606"
GENE = "https://identifiers.org/ncbigene/{}".format
# prefixes conftest's PREFIXES lacks (a SPARQL prologue may declare more after them)
MORE = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"
        "PREFIX void: <http://rdfs.org/ns/void#>\n")


def annotation_iri(word: str, source: str, matched: str | None = None) -> str:
    """The seed record's annotation of `word` by `source`."""
    return figure_annotation(SEED_FIGID, word, source, matched)


def test_seed_is_written_not_quarantined(seed_build: Build) -> None:
    r = seed_build.report
    assert (r["records_read"], r["figures_written"], r["quarantined"]) == (1, 1, [])
    assert seed_build.exit_code == 0
    assert r["triples"] == len(seed_build.nt.splitlines())
    assert r["validation"]["violations"] == 0


def test_record_name_license_and_paper(seed_build: Build) -> None:
    rows = seed_build.select(
        f"SELECT ?name ?license ?creator ?image ?paper ?year ?ptitle WHERE {{ <{FIG}> a schema:Dataset ;"
        " schema:name ?name ; schema:license ?license ; schema:creator ?creator ; schema:about ?image ."
        " ?image a schema:ImageObject ; schema:isPartOf ?paper ."
        " ?paper a schema:ScholarlyArticle ; schema:datePublished ?year ; schema:name ?ptitle }"
    )
    assert rows == [
        {
            "name": "Crosstalk between apoptosis and NFKB signaling by IAP-antagonist",
            "license": "http://creativecommons.org/publicdomain/zero/1.0/",
            "creator": "https://www.wikipathways.org/",
            "image": IMAGE,
            "paper": PAPER,
            "year": "2009",
            "ptitle": "Overcoming cancer therapy resistance by targeting inhibitors of apoptosis "
            "proteins and nuclear factor-kappa B.",
        }
    ]
    year_type = seed_build.select("SELECT (DATATYPE(?y) AS ?t) WHERE { ?p schema:datePublished ?y }")
    assert year_type == [{"t": "http://www.w3.org/2001/XMLSchema#gYear"}]


def test_record_and_image_are_two_nodes(seed_build: Build) -> None:
    """The record is PFOCR's (CC0, by WikiPathways); the image is the paper's: no license, no creator."""
    assert not seed_build.ask(f"ASK {{ <{FIG}> a schema:ImageObject }}")
    assert not seed_build.ask(f"ASK {{ <{IMAGE}> a schema:Dataset }}")
    assert not seed_build.ask(f"ASK {{ <{IMAGE}> schema:license|schema:creator ?x }}")
    assert not seed_build.ask(f"ASK {{ <{FIG}> schema:isPartOf|schema:contentUrl|schema:position ?x }}")
    rows = seed_build.select(f"SELECT ?p ?o WHERE {{ <{IMAGE}> ?p ?o }} ORDER BY ?p")
    assert rows == [
        {"p": "http://schema.org/contentUrl",
         "o": "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC2776288/bin/ajtr0001-0001-f3.jpg"},
        {"p": "http://schema.org/isPartOf", "o": PAPER},
        {"p": "http://schema.org/position", "o": "F3"},
        {"p": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "o": "http://schema.org/ImageObject"},
    ]


def test_record_identity_fields(seed_build: Build) -> None:
    rows = seed_build.select(
        MORE + f"SELECT ?id ?url ?alias ?type ?score ?org ?orgname ?ndex WHERE {{ <{FIG}> schema:identifier ?id ;"
        " schema:url ?url ; schema:alternateName ?alias ; pfocr:figureType ?type ; pfocr:pathwayScore ?score ;"
        " wp:organism ?org ; wp:organismName ?orgname ; rdfs:seeAlso ?ndex }"
    )
    assert rows == [
        {
            "id": SEED_FIGID,
            "url": FIG,
            "alias": "PMC2776288__F3",
            "type": "Figure",
            "score": "0.924795",
            "org": HUMAN,
            "orgname": "Homo sapiens",
            "ndex": "https://www.ndexbio.org/viewer/networks/e0501886-deaf-11ea-99da-0ac135e8bacf",
        }
    ]
    # NDEx is a see-also now, not the same thing; no wpid, so no pathway is derived from it
    assert not seed_build.ask(f"ASK {{ <{FIG}> schema:sameAs|dcterms:relation ?x }}")
    assert not seed_build.ask(MORE + f"ASK {{ ?wp prov:wasDerivedFrom <{FIG}> }}")
    assert seed_build.ask(MORE + f"ASK {{ <{FIG}> void:inDataset <https://w3id.org/pfocr-kg/dataset> }}")


def test_organisms_by_provenance(seed_build: Build) -> None:
    """`organisms: Homo sapiens` is the paper's; the record's organism is its (inline, human) genes';
    an inline record has no organisms_ner and no per-organism counts."""
    assert seed_build.select(f"SELECT ?o WHERE {{ <{PAPER}> schema:about ?o }}") == [{"o": HUMAN}]
    assert not seed_build.ask(f"ASK {{ <{FIG}> pfocr:recognisedOrganism|pfocr:organismName|pfocr:matchCounts ?x }}")
    assert not seed_build.ask("ASK { ?g a schema:Gene . FILTER NOT EXISTS { ?g schema:taxonomicRange "
                              f"<{HUMAN}> }} }}")


def test_24_distinct_entrez_genes(seed_build: Build) -> None:
    rows = seed_build.select(f"SELECT DISTINCT ?g WHERE {{ <{FIG}> schema:mentions ?g . ?g a schema:Gene }}")
    ids = sorted(int(r["g"].rsplit("/", 1)[1]) for r in rows)
    assert ids == sorted(
        [331, 23581, 836, 7186, 842, 100506742, 7040, 7124, 841, 838, 839, 834, 837, 7043, 835,
         330, 840, 843, 11103, 7182, 4790, 10454, 7042, 329]
    )
    genes = seed_build.select(
        "SELECT ?g ?sym ?hgnc ?bdb WHERE { ?g a schema:Gene ; schema:name ?sym ;"
        " wp:bdbHgncSymbol ?hgnc ; wp:bdbEntrezGene ?bdb }"
    )
    assert len(genes) == 24
    assert all(r["bdb"] == r["g"] for r in genes)
    assert all(r["hgnc"] == f"https://identifiers.org/hgnc.symbol/{r['sym']}" for r in genes)


def test_one_annotation_per_word_source_and_matched_text(seed_build: Build) -> None:
    """24 gene entries, 11 distinct (word, source, symbol): the family words Caspase (12 genes)
    and TGFB (3) are one annotation each, with every gene as a body; TAB1/TAK1 is two (an alias
    match to NR2C2 and an exact one to TAB1)."""
    rows = seed_build.select(
        f"SELECT ?a (COUNT(?g) AS ?n) WHERE {{ ?a a oa:Annotation ; oa:hasTarget <{IMAGE}> ; oa:hasBody ?g }}"
        " GROUP BY ?a")
    got = {r["a"]: int(r["n"]) for r in rows}
    assert got == {
        annotation_iri("XIAP", "hgnc_symbol"): 1,
        annotation_iri("Caspase", "bioentities_symbol"): 12,
        annotation_iri("TRAF2", "hgnc_symbol"): 1,
        annotation_iri("TGFB", "bioentities_symbol"): 3,
        annotation_iri("TNFA)", "hgnc_alias_symbol", "TNF-alpha"): 1,
        annotation_iri("CIAP-2", "hgnc_alias_symbol", "c-IAP2"): 1,
        annotation_iri("RIP1", "hgnc_alias_symbol", "RIP-1"): 1,
        annotation_iri("TAB1/TAK1", "hgnc_alias_symbol", "TAK1"): 1,
        annotation_iri("NF-KB", "hgnc_alias_symbol", "NF-kappaB"): 1,
        annotation_iri("TAB1/TAK1", "hgnc_symbol", "TAB1"): 1,
        annotation_iri("CIAP-1", "hgnc_alias_symbol", "c-IAP1"): 1,
    }
    tgfb = seed_build.select(
        f"SELECT ?g WHERE {{ <{annotation_iri('TGFB', 'bioentities_symbol')}> oa:hasBody ?g }} ORDER BY ?g")
    assert [r["g"] for r in tgfb] == [GENE(7040), GENE(7042), GENE(7043)]
    # no occurrence counts (no entry repeats) and no motivation triple (the vocabulary says it once)
    assert not seed_build.ask("ASK { ?a pfocr:occurrences|oa:motivatedBy ?x }")


def test_alias_annotations_are_marked(seed_build: Build) -> None:
    rows = seed_build.select(
        "SELECT ?word ?matched ?symbol ?kind WHERE { ?m a oa:Annotation ; oa:hasBody ?g ;"
        " pfocr:ocrText ?word ; pfocr:matchSource ?s . OPTIONAL { ?m pfocr:matchedText ?matched }"
        " ?s pfocr:matchKind ?kind . ?g schema:name ?symbol ."
        " FILTER (?kind != pfocr:ExactSymbolMatch) }"
    )
    kinds = {(r["word"], r["symbol"]): r["kind"].rsplit("#", 1)[1] for r in rows}
    assert kinds[("RIP1", "KRR1")] == "AliasMatch"
    assert kinds[("TAB1/TAK1", "NR2C2")] == "AliasMatch"
    # 6 alias annotations (TNFA), CIAP-2, RIP1, TAB1/TAK1, NF-KB, CIAP-1) with one gene each, and
    # 15 family bodies (Caspase ×12, TGFB ×3), counted by hand in the front matter
    assert sorted(kinds.values()).count("AliasMatch") == 6
    assert sorted(kinds.values()).count("FamilyMatch") == 15
    # the matched text is kept where it differs from the word: every alias one, no family one
    assert {r["matched"] for r in rows if r["kind"].endswith("AliasMatch")} == {
        "TNF-alpha", "c-IAP2", "RIP-1", "TAK1", "NF-kappaB", "c-IAP1"}
    assert {r["matched"] for r in rows if r["kind"].endswith("FamilyMatch")} == {None}
    exact = seed_build.select(
        "SELECT ?word ?matched WHERE { ?m pfocr:ocrText ?word ; pfocr:matchSource pfocr:hgnc_symbol ."
        " OPTIONAL { ?m pfocr:matchedText ?matched } } ORDER BY ?word")
    assert exact == [{"word": "TAB1/TAK1", "matched": "TAB1"}, {"word": "TRAF2", "matched": None},
                     {"word": "XIAP", "matched": None}]


def test_ocr_word_kept_as_read(seed_build: Build) -> None:
    rows = seed_build.select(
        f"SELECT ?word ?matched WHERE {{ ?m oa:hasBody <{GENE(7124)}> ;"
        " pfocr:ocrText ?word ; pfocr:matchedText ?matched }"
    )
    assert rows == [{"word": "TNFA)", "matched": "TNF-alpha"}]


def test_no_blank_nodes_and_strict_parse(seed_build: Build) -> None:
    nt = seed_build.triples("nt")
    assert nt == seed_build.triples("ttl")
    for t in nt:
        assert not isinstance(t.subject, pyoxigraph.BlankNode)
        assert not isinstance(t.object, pyoxigraph.BlankNode)


def test_turtle_declares_prefixes_and_groups_by_subject(seed_build: Build) -> None:
    ttl = seed_build.ttl.decode("utf-8")
    assert "@prefix schema: <http://schema.org/> ." in ttl
    assert "@prefix wp: <http://vocabularies.wikipathways.org/wp#> ." in ttl
    # grouped: the record is the subject of exactly one statement block
    assert ttl.count("figure:PMC2776288__ajtr0001-0001-f3.html a ") == 1
