"""`kg publish`: the static linked-data site (pages, machine documents, index, sitemap), its
escaping of hostile records and determinism (HTML5 validity and content negotiation through real
servers: tests/integration/test_site_servers.py). Vocabulary v2: a figure page is the record
(schema:Dataset), its image and its annotations; genes, chemicals, diseases, papers, journals and
publishers have pages too; the site ships the pfocr: vocabulary (vocab.ttl, .jsonld, .html)."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from helpers import SEED_FIGID
from helpers.build import Build, tree
from helpers.hostile import HOSTILE, HOSTILE_GENE
from helpers.pages import file_loader, jsonld_triples, ld_json_blocks, start_tags

from kg.cli import main
from kg.publish.html import escape
from kg.publish.site import publish
from kg.vocab import CC0, FIGURE_BASE, NCBIGENE_BASE, SCHEMA, WIKIPATHWAYS_ORG
from kg.write.jsonld import document_loader

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DOI_FIGID = "PMC10028837__nihpp-2023.03.03.530734v1-f0001"  # a sample figure whose paper has a DOI
SIDECAR_FIGID = "PMC10017456__fpls-14-1084358-g002"  # TSV genes of two organisms, a journal and publisher
WP_FIGID = "PMC6365454__fnins-13-00025-g0002"  # wpid: WP5283
KINDS = {  # page folder → (class, IRI bases and how the page is named)
    "genes": "Gene", "chemicals": "ChemicalSubstance", "diseases": "MedicalCondition", "papers": "ScholarlyArticle",
    "journal": "Periodical", "publisher": "Organization",
}


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


@pytest.mark.slow
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
    assert jsonld_triples(document, document_loader, "json-ld-1.0") == ttl  # a JSON-LD 1.0 processor reads it too


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

        site_loader = file_loader("https://example.org/site/context.jsonld", sample_site / "context.jsonld")
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
    assert scripts == ["search-index.js", "static/search.js"]  # search.js adds search-text.js after the page
    assert f'<option value="{index["organisms"].index("Homo sapiens")}">Homo sapiens (' in page


def _search_data(site: Path) -> tuple[dict[str, Any], list[str]]:
    index = (site / "search-index.js").read_text("utf-8")
    text = (site / "search-text.js").read_text("utf-8")
    assert "<" not in index.split("*/", 1)[1] and "<" not in text.split("*/", 1)[1]
    return (json.loads(index.split("window.PFOCR_INDEX = ", 1)[1].rstrip().rstrip(";")),
            json.loads(text.split("window.PFOCR_TEXT = ", 1)[1].rstrip().rstrip(";")))


def _objects(build: Build, subject: str, predicate: str) -> list[str]:
    return sorted(t.object.value for t in build.triples()
                  if t.subject.value == subject and t.predicate.value == SCHEMA + predicate)


def test_figure_page_shows_the_image_from_pmc(sample_build: Build, sample_site: Path) -> None:
    """The image file PFOCR's own pages embed (the image's schema:contentUrl, PMC's /bin/ URL),
    loaded lazily, the title as its alt text; the index gives it for each figure's thumbnail."""
    record = f"{FIGURE_BASE}{SEED_FIGID}.html"
    image = _objects(sample_build, record, "about")[0]
    url = _objects(sample_build, image, "contentUrl")[0]
    assert url == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC2776288/bin/ajtr0001-0001-f3.jpg"
    title = _objects(sample_build, record, "name")[0]
    images = [a for tag, a in start_tags((sample_site / "figures" / f"{SEED_FIGID}.html").read_text("utf-8")) if tag == "img"]
    assert images == [{"class": "figure", "src": url, "alt": f"Figure: {title}", "loading": "lazy", "decoding": "async"}]
    index, _ = _search_data(sample_site)
    seed = next(f for f in index["figures"] if f[0] == SEED_FIGID)
    assert index["imageBase"] + seed[4] == url
    with_image = [f for f in index["figures"] if f[4]]
    assert len(with_image) == len(index["figures"])  # every sample record has a filename


def test_search_covers_captions_chemicals_and_diseases(sample_build: Build, sample_site: Path) -> None:
    index, texts = _search_data(sample_site)
    assert index["version"] == 2 and len(texts) == len(index["figures"])
    by_figid = dict(zip((f[0] for f in index["figures"]), texts))
    caption = _objects(sample_build, f"{FIGURE_BASE}{SEED_FIGID}.html", "description")[0]
    assert set(caption.lower().split()) == set(by_figid[SEED_FIGID].split())  # each word once
    assert "bradykinin" in by_figid["PMC100008__mb2411709009"].split()  # a chemical's name (as read)
    terms = {(t[0], t[1]): t for t in index["terms"]}
    assert terms[("chemicals", "D001920")] == ["chemicals", "D001920", "Bradykinin", 1]  # named by the word read
    diseases = [t for t in index["terms"] if t[0] == "diseases"]
    assert diseases and all(t[2] for t in diseases)
    for disease in diseases:  # each disease's name is found in the text of a figure
        assert any(set(disease[2].lower().split()) <= set(text.split()) for text in texts), disease
    page = (sample_site / "index.html").read_text("utf-8")
    sorts = [a.get("value") for tag, a in start_tags(page) if tag == "option" and a.get("value") in ("year", "title")]
    assert sorts == ["year", "title"]


def test_nameless_chemicals_are_named_by_the_word_read(sample_build: Build, sample_site: Path) -> None:
    """An inline record's chemical has a MeSH id and no name in the graph: its pages show the OCR
    word (marked as read), not the MeSH id; the graph is unchanged."""
    chemical = "http://id.nlm.nih.gov/mesh/D001920"
    assert _objects(sample_build, chemical, "name") == []
    page = (sample_site / "chemicals" / "D001920.html").read_text("utf-8")
    assert "<h1>Bradykinin " in page and "(as read)" in page
    figure = (sample_site / "figures" / "PMC100008__mb2411709009.html").read_text("utf-8")
    assert '<a href="../chemicals/D001920.html">Bradykinin</a><span class="muted"' in figure


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


@pytest.mark.slow
def test_same_input_same_bytes_whatever_the_store(sample_build: Build, sample_site: Path, tmp_path: Path) -> None:
    # sample_site comes from an in-memory store: this one from the on-disk store (the default)
    publish(sample_build.outdir / "pfocr.nt", tmp_path / "again", store_dir=tmp_path / "store")
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
        assert "<b>" not in text and "<!--" not in text, path
        ours = '<img class="figure" src="https://www.ncbi.nlm.nih.gov/pmc/articles/'  # the figure image, from PMC
        assert text.count("<img") == text.count(ours) <= 1, path
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


@pytest.mark.slow
def test_hostile_strings_fixture_pages(hostile: tuple[Build, Path]) -> None:
    """NUL, ESC, DEL and other characters HTML forbids become U+FFFD; tabs and newlines stay."""
    _, site = hostile
    page = (site / "figures" / "PMC1342634__pgen.0010080.g001.html").read_text("utf-8")
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.DOTALL)
    assert h1 is not None and "\ufffd" in h1.group(1) and "&lt;b&gt;" in h1.group(1)
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f]", page)
