"""The seed record, end to end, against triples checked by hand against its front matter."""

from __future__ import annotations

from conftest import SEED_FIGID, Build

FIG = f"https://pfocr.wikipathways.org/figures/{SEED_FIGID}.html"


def test_seed_is_written_not_quarantined(seed_build: Build) -> None:
    r = seed_build.report
    assert (r["records_read"], r["figures_written"], r["quarantined"]) == (1, 1, [])
    assert seed_build.exit_code == 0
    assert r["triples"] == len(seed_build.nt.splitlines())


def test_figure_name_license_and_paper(seed_build: Build) -> None:
    rows = seed_build.select(
        f"SELECT ?name ?license ?paper ?year ?ptitle WHERE {{ <{FIG}> a schema:Dataset, schema:ImageObject ;"
        " schema:name ?name ; schema:license ?license ; schema:isPartOf ?paper ."
        " ?paper a schema:ScholarlyArticle ; schema:datePublished ?year ; schema:name ?ptitle }"
    )
    assert rows == [
        {
            "name": "Crosstalk between apoptosis and NFKB signaling by IAP-antagonist",
            "license": "http://creativecommons.org/publicdomain/zero/1.0/",
            "paper": "https://identifiers.org/pmc/PMC2776288",
            "year": "2009",
            "ptitle": "Overcoming cancer therapy resistance by targeting inhibitors of apoptosis "
            "proteins and nuclear factor-kappa B.",
        }
    ]
    year_type = seed_build.select(
        "SELECT (DATATYPE(?y) AS ?t) WHERE { ?p schema:datePublished ?y }"
    )
    assert year_type == [{"t": "http://www.w3.org/2001/XMLSchema#gYear"}]


def test_figure_identity_fields(seed_build: Build) -> None:
    rows = seed_build.select(
        f"SELECT ?id ?url ?img ?pos ?score ?org ?orgname ?ndex WHERE {{ <{FIG}> schema:identifier ?id ;"
        " schema:url ?url ; schema:contentUrl ?img ; schema:position ?pos ; pfocr:pathwayScore ?score ;"
        " wp:organism ?org ; wp:organismName ?orgname ; schema:sameAs ?ndex }"
    )
    assert rows == [
        {
            "id": SEED_FIGID,
            "url": FIG,
            "img": "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC2776288/bin/ajtr0001-0001-f3.jpg",
            "pos": "F3",
            "score": "0.924795",
            "org": "http://purl.obolibrary.org/obo/NCBITaxon_9606",
            "orgname": "Homo sapiens",
            "ndex": "https://www.ndexbio.org/viewer/networks/e0501886-deaf-11ea-99da-0ac135e8bacf",
        }
    ]


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


def test_alias_mentions_are_marked(seed_build: Build) -> None:
    rows = seed_build.select(
        "SELECT ?word ?matched ?symbol ?kind WHERE { ?m a oa:Annotation ; oa:hasBody ?g ;"
        " pfocr:ocrText ?word ; pfocr:matchedText ?matched ; pfocr:matchSource ?s ."
        " ?s pfocr:matchKind ?kind . ?g schema:name ?symbol ."
        " FILTER (?kind != pfocr:ExactSymbolMatch) }"
    )
    kinds = {(r["word"], r["symbol"]): r["kind"].rsplit("#", 1)[1] for r in rows}
    assert kinds[("RIP1", "KRR1")] == "AliasMatch"
    assert kinds[("TAB1/TAK1", "NR2C2")] == "AliasMatch"
    # 6 alias mentions (TNFA), CIAP-2, RIP1, TAB1/TAK1, NF-KB, CIAP-1) and 15 family ones
    # (Caspase ×12, TGFB ×3), counted by hand in the front matter.
    assert sorted(kinds.values()).count("AliasMatch") == 6
    assert sorted(kinds.values()).count("FamilyMatch") == 15
    exact = seed_build.select(
        "SELECT ?word WHERE { ?m pfocr:ocrText ?word ; pfocr:matchSource pfocr:hgnc_symbol }"
    )
    assert sorted(r["word"] for r in exact) == ["TAB1/TAK1", "TRAF2", "XIAP"]


def test_ocr_word_kept_as_read(seed_build: Build) -> None:
    rows = seed_build.select(
        "SELECT ?word ?matched WHERE { ?m oa:hasBody <https://identifiers.org/ncbigene/7124> ;"
        " pfocr:ocrText ?word ; pfocr:matchedText ?matched }"
    )
    assert rows == [{"word": "TNFA)", "matched": "TNF-alpha"}]


def test_no_blank_nodes_and_strict_parse(seed_build: Build) -> None:
    nt = seed_build.triples("nt")
    assert nt == seed_build.triples("ttl")
    for t in nt:
        assert not isinstance(t.subject, __import__("pyoxigraph").BlankNode)
        assert not isinstance(t.object, __import__("pyoxigraph").BlankNode)


def test_turtle_declares_prefixes_and_groups_by_subject(seed_build: Build) -> None:
    ttl = seed_build.ttl.decode("utf-8")
    assert "@prefix schema: <http://schema.org/> ." in ttl
    assert "@prefix wp: <http://vocabularies.wikipathways.org/wp#> ." in ttl
    # grouped: the figure is the subject of exactly one statement block
    assert ttl.count("figure:PMC2776288__ajtr0001-0001-f3.html a ") == 1
