"""`kg publish`: a static linked-data site from a finished build's pfocr.nt.

Layout of the site folder (paths as PFOCR itself uses them, so figure IRIs dereference when the
site is served at PFOCR's host, and relative to --base-url anywhere else):

    index.html                 search by gene symbol, figure title and organism (client-side JS)
    search-index.js            the small JSON index that search reads (a script: works from file://)
    figures/<figid>.html       a page for people, with the schema.org JSON-LD embedded
    figures/<figid>.ttl        the figure's description (figure, mentions, the entities they
    figures/<figid>.jsonld     name) as Turtle and as JSON-LD compacted with our context
    genes/<entrez id>.html     a page per gene: the figures that mention it, and how each was read
    genes/<entrez id>.ttl|.jsonld
    sitemap.xml                (a sitemap index over sitemap-<n>.xml beyond 50,000 URLs)
    robots.txt, .htaccess      the Sitemap line; Apache content negotiation (kg/publish/conneg/)
    void.ttl, dataset.jsonld   VoID and schema.org Dataset descriptions (kg.publish.void)
    context.jsonld             our JSON-LD context (kg/context/pfocr.jsonld, the same bytes): every
                               .jsonld here and the dump carry it inline, so each reads offline
    dumps/pfocr.nt|.ttl|.jsonld  the build's files (hard links when possible), unless no_dumps
    static/                    site.css, search.js

Data comes from a pyoxigraph store of pfocr.nt (on disk: kg query's store, refreshed when the
build changed; or in memory), one figure and one gene at a time: memory holds the lists of
figure and gene IRIs and one page, never the graph. The site is written to a fresh folder beside
the target and swapped in at the end, so a site is never half old, half new, and pages of figures
no longer exported disappear. Same input, same bytes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import quote, urlsplit

import pyoxigraph

from kg import __version__
from kg.publish.html import Markup, concat, el, escape, link, number, page, script_json, shorten
from kg.sparql.store import StoreError, open_store
from kg.vocab import (
    CC0,
    CHEBI_BASE,
    DCTERMS,
    DOI_BASE,
    DOID_BASE,
    FIGURE_BASE,
    MESH_BASE,
    NCBIGENE_BASE,
    OA,
    PFOCR,
    PREFIXES,
    RDF,
    RDFS,
    SCHEMA,
    TAXON_BASE,
    WP,
    XSD,
)
from kg.write.commit import interrupted_commit
from kg.write.jsonld import CONTEXT_RESOURCE, jsonld_chunks

DEFAULT_BASE_URL = "https://pfocr.wikipathways.org/"
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)
STAMP = ".pfocr-kg-site"  # marks a folder as a site we wrote (and may replace)
WORKING_MARK = ".publishing-"
REPLACED_MARK = ".replaced-"
DUMP_FORMATS = ("nt", "ttl", "jsonld")
CONTEXT_FILE = "context.jsonld"  # our JSON-LD context, published at the site's root

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
Pairs = list[tuple[str, Term]]
Progress = Callable[[str, int, int], None]

_FIGID = re.compile(r"PMC[0-9]+__[A-Za-z0-9][A-Za-z0-9._-]*")
_DIGITS = re.compile(r"[0-9]+")
_XSD_STRING = XSD + "string"
_TYPE = RDF + "type"

# Predicate order in the machine documents (the order kg build writes them); the rest by IRI.
_PREDICATE_ORDER = {
    p: i
    for i, p in enumerate(
        [
            _TYPE, SCHEMA + "identifier", SCHEMA + "name", SCHEMA + "alternateName", SCHEMA + "description",
            SCHEMA + "url", SCHEMA + "license", SCHEMA + "creator", SCHEMA + "isPartOf", SCHEMA + "position",
            SCHEMA + "datePublished", DCTERMS + "bibliographicCitation", SCHEMA + "sameAs",
            SCHEMA + "contentUrl", SCHEMA + "keywords", PFOCR + "pathwayScore", DCTERMS + "relation",
            WP + "organismName", WP + "organism", SCHEMA + "taxonomicRange", WP + "bdbEntrezGene",
            WP + "bdbHgncSymbol", WP + "bdbChEBI", SCHEMA + "mentions", OA + "hasBody", OA + "hasTarget",
            OA + "motivatedBy", PFOCR + "ocrText", PFOCR + "matchedText", PFOCR + "matchSource",
            PFOCR + "countDirect", PFOCR + "countSynonym", PFOCR + "countMatch", RDFS + "label",
            PFOCR + "matchKind",
        ]
    )
}

# Match kinds (shapes/vocab.ttl): short label, and whether the match is often wrong (marked).
MATCH_KINDS = {
    PFOCR + "ExactSymbolMatch": ("exact symbol", False),
    PFOCR + "AliasMatch": ("alias", True),
    PFOCR + "PreviousSymbolMatch": ("previous symbol", True),
    PFOCR + "SynonymMatch": ("synonym", True),
    PFOCR + "FamilyMatch": ("family", True),
    PFOCR + "TermMatch": ("term", False),
    PFOCR + "UnknownMatch": ("unknown source", True),
}


class PublishError(Exception):
    """Nothing to publish from, a site folder that is not ours, or a bad base URL."""


@dataclass(slots=True)
class PublishReport:
    site: Path
    figures: int = 0
    genes: int = 0
    skipped: list[str] = field(default_factory=list)  # IRIs that cannot be a page path, with why
    files: int = 0
    void: bool = False  # void.ttl and dataset.jsonld written


# --------------------------------------------------------------------------------------------
# Reading descriptions from the store


_DIGIT_RUNS = re.compile(r"([0-9]+)")


@lru_cache(maxsize=1 << 16)
def _natural(text: str) -> tuple[object, ...]:
    """Sort key that orders digit runs by value (mention-2 before mention-10, gene 9 before 10)."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGIT_RUNS.split(text))


def _term_key(term: Term) -> tuple[object, ...]:
    if isinstance(term, pyoxigraph.Literal):
        return (1, _natural(term.value), term.datatype.value if term.datatype else "", term.language or "")
    return (0, _natural(term.value))


def _pair_key(pair: tuple[str, Term]) -> tuple[object, ...]:
    return (_PREDICATE_ORDER.get(pair[0], len(_PREDICATE_ORDER)), pair[0], _term_key(pair[1]))


def _pairs(store: pyoxigraph.Store, iri: str) -> Pairs:
    found = {
        (q.predicate.value, cast(Term, q.object))  # never a quoted triple: we parse N-Triples 1.1
        for q in store.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None, None)
    }
    return sorted(found, key=_pair_key)


@dataclass(slots=True)
class Description:
    """The triples of one page: subject IRI → its (predicate, object) pairs, subjects in order."""

    main: str
    nodes: dict[str, Pairs] = field(default_factory=dict)

    def add(self, store: pyoxigraph.Store, iri: str) -> Pairs:
        if iri not in self.nodes:
            self.nodes[iri] = _pairs(store, iri)
        return self.nodes[iri]

    def values(self, iri: str, predicate: str) -> list[Term]:
        return [o for p, o in self.nodes.get(iri, ()) if p == predicate]

    def text(self, iri: str, predicate: str) -> str | None:
        values = self.values(iri, predicate)
        return values[0].value if values else None

    def iris(self, iri: str, predicate: str) -> list[str]:
        return [o.value for o in self.values(iri, predicate) if isinstance(o, pyoxigraph.NamedNode)]

    def types(self, iri: str) -> set[str]:
        return set(self.iris(iri, _TYPE))

    def triples(self) -> Iterator[pyoxigraph.Triple]:
        for subject, pairs in self.nodes.items():
            s = pyoxigraph.NamedNode(subject)
            for p, o in pairs:
                yield pyoxigraph.Triple(s, pyoxigraph.NamedNode(p), o)


def figure_description(store: pyoxigraph.Store, figure: str) -> Description:
    """The figure, its mention nodes (in mention order), then every node they link to that the
    graph describes: paper, organisms, creator, entities, the entities' taxa, match sources."""
    d = Description(figure)
    own = d.add(store, figure)
    mentions = sorted(
        {q.subject.value for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(OA + "hasTarget"),
                                                          pyoxigraph.NamedNode(figure), None)
         if isinstance(q.subject, pyoxigraph.NamedNode)},
        key=_natural,
    )
    for m in mentions:
        d.add(store, m)
    linked: dict[str, None] = {}
    for p, o in own:
        if p != _TYPE and isinstance(o, pyoxigraph.NamedNode) and o.value != figure:
            linked[o.value] = None
    for m in mentions:
        for p in (OA + "hasBody", PFOCR + "matchSource"):
            for iri in d.iris(m, p):
                linked[iri] = None
    _add_linked(store, d, linked)
    return d


def _add_linked(store: pyoxigraph.Store, d: Description, linked: dict[str, None]) -> None:
    """Add the described nodes among `linked` (in IRI order) and the taxa of genes among them."""
    taxa: dict[str, None] = {}
    for iri in sorted(linked, key=_natural):
        pairs = _pairs(store, iri)
        if pairs and iri not in d.nodes:
            d.nodes[iri] = pairs
            for t in d.iris(iri, SCHEMA + "taxonomicRange"):
                taxa[t] = None
    for iri in sorted(taxa.keys() - d.nodes.keys(), key=_natural):
        pairs = _pairs(store, iri)
        if pairs:
            d.nodes[iri] = pairs


def gene_description(store: pyoxigraph.Store, gene: str) -> tuple[Description, list[str]]:
    """The gene, its taxon; each figure that mentions it (type, identifier, name, the mention
    link) and those mentions with their match sources. Also the figure IRIs, in figid order."""
    d = Description(gene)
    d.add(store, gene)
    g = pyoxigraph.NamedNode(gene)
    figures = sorted(
        {q.subject.value for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(SCHEMA + "mentions"), g, None)
         if isinstance(q.subject, pyoxigraph.NamedNode)},
        key=_natural,
    )
    mentions = sorted(
        {q.subject.value for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(OA + "hasBody"), g, None)
         if isinstance(q.subject, pyoxigraph.NamedNode)},
        key=_natural,
    )
    for f in figures:  # only what the page shows: a figure has ~100 triples, most of them mentions
        node = pyoxigraph.NamedNode(f)
        pairs: Pairs = [(SCHEMA + "mentions", g)]
        for predicate in (_TYPE, SCHEMA + "identifier", SCHEMA + "name", SCHEMA + "isPartOf"):
            p = pyoxigraph.NamedNode(predicate)
            pairs += {(predicate, cast(Term, q.object)) for q in store.quads_for_pattern(node, p, None, None)}
        d.nodes[f] = sorted(pairs, key=_pair_key)
    linked: dict[str, None] = {t: None for t in d.iris(gene, SCHEMA + "taxonomicRange")}
    for m in mentions:
        d.add(store, m)
        for iri in d.iris(m, PFOCR + "matchSource"):
            linked[iri] = None
    for f in figures:  # the papers, for the year column
        for iri in d.iris(f, SCHEMA + "isPartOf"):
            linked[iri] = None
    _add_linked(store, d, linked)
    return d, figures


# --------------------------------------------------------------------------------------------
# Machine documents


def turtle(d: Description | list[pyoxigraph.Triple]) -> bytes:
    triples = list(d.triples()) if isinstance(d, Description) else d
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
    return data or b""


_CONTEXT_MARK = "urn:pfocr-kg:inline-context"


@lru_cache(maxsize=1)
def _inline_context() -> str:
    """The inline `@context` value exactly as jsonld_chunks writes it, computed once."""
    empty = "".join(jsonld_chunks(()))
    start = empty.index('"@context": ') + len('"@context": ')
    return empty[start: empty.index(',\n  "@graph"')]


def jsonld(d: Description | list[pyoxigraph.Triple]) -> bytes:
    """JSON-LD 1.1 compacted with our context (inline), as `kg build --format jsonld` writes it;
    the same bytes as `jsonld_chunks(triples)`, without serialising the context for every page."""
    chunks = jsonld_chunks(d.triples() if isinstance(d, Description) else d, context_url=_CONTEXT_MARK)
    head = next(chunks).replace(json.dumps(_CONTEXT_MARK), _inline_context(), 1)
    return (head + "".join(chunks)).encode("utf-8")


def _schema_context_terms() -> dict[str, Any]:
    from kg.jsonld import schema_org_context

    context: dict[str, Any] = schema_org_context()["@context"]
    return context


def schema_org(d: Description, iri: str | None = None, depth: int = 0, seen: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The schema.org JSON-LD of the page's main node (`@context` https://schema.org/): its
    schema.org types and properties, with linked nodes the description holds nested two levels
    deep. Only what the graph says: a JSON-LD processor gets a subset of our triples from it
    (the PFOCR block's errors corrected: name is the figure title, license the CC0 IRI, the
    creator an IRI, keywords one literal each; years stay xsd:gYear)."""
    iri = iri or d.main
    context = _schema_context_terms()
    node: dict[str, Any] = {}
    if depth == 0:
        node["@context"] = "https://schema.org/"
    node["@id"] = iri
    types = [t[len(SCHEMA):] for t in d.iris(iri, _TYPE) if t.startswith(SCHEMA)]
    if types:
        node["@type"] = types[0] if len(types) == 1 else types
    values: dict[str, list[Any]] = {}
    for p, o in d.nodes.get(iri, ()):
        if p == _TYPE or not p.startswith(SCHEMA):
            continue
        term = p[len(SCHEMA):]
        definition = context.get(term)
        if not isinstance(definition, dict) or definition.get("@id") != f"schema:{term}":
            continue
        coerced = definition.get("@type") == "@id"
        if isinstance(o, pyoxigraph.Literal):
            if o.language:
                value: Any = {"@value": o.value, "@language": o.language}
            elif o.datatype.value == _XSD_STRING and "@type" not in definition:
                value = o.value
            else:
                value = {"@value": o.value, "@type": o.datatype.value}
        elif isinstance(o, pyoxigraph.NamedNode):
            if depth < 2 and o.value in d.nodes and o.value not in seen and o.value != iri:
                value = schema_org(d, o.value, depth + 1, seen | {iri})
            elif coerced:
                value = o.value
            else:
                value = {"@id": o.value}
        else:
            continue
        values.setdefault(term, []).append(value)
    for term, items in values.items():
        node[term] = items[0] if len(items) == 1 else items
    return node


# --------------------------------------------------------------------------------------------
# Pages


def _local(iri: str, base: str, suffix: str = "", pattern: re.Pattern[str] | None = None) -> str | None:
    """The identifier in `iri` between `base` and `suffix`, when it matches `pattern`."""
    if not iri.startswith(base) or not iri.endswith(suffix):
        return None
    local = iri[len(base): len(iri) - len(suffix)] if suffix else iri[len(base):]
    if pattern is not None and (not pattern.fullmatch(local) or ".." in local):
        return None
    return local


def figid_of(iri: str) -> str | None:
    return _local(iri, FIGURE_BASE, ".html", _FIGID)


def gene_id_of(iri: str) -> str | None:
    return _local(iri, NCBIGENE_BASE, "", _DIGITS)


def entity_links(iri: str) -> list[tuple[str, str]]:
    """(label, URL) of the databases' own pages for an entity IRI."""
    if (gene := gene_id_of(iri)) is not None:
        return [(f"NCBI Gene {gene}", f"https://www.ncbi.nlm.nih.gov/gene/{gene}")]
    if (mesh := _local(iri, MESH_BASE, "", re.compile(r"[CDQ][0-9]+"))) is not None:
        return [(f"MeSH {mesh}", f"https://meshb.nlm.nih.gov/record/ui?ui={mesh}")]
    if (chebi := _local(iri, CHEBI_BASE, "", _DIGITS)) is not None:
        return [(f"ChEBI {chebi}", f"https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:{chebi}")]
    if (doid := _local(iri, DOID_BASE, "", _DIGITS)) is not None:
        return [(f"DOID {doid}", f"https://disease-ontology.org/?id=DOID:{doid}")]
    if (taxon := _local(iri, TAXON_BASE, "", _DIGITS)) is not None:
        return [(f"NCBI Taxonomy {taxon}", f"https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id={taxon}")]
    return []


def _header(root: str, here: str) -> Markup:
    return el(
        "header", {"class": "site"},
        el("a", {"href": f"{root}index.html", "class": "home"}, "PFOCR knowledge graph"),
        Markup(" "), el("span", {"class": "here"}, here),
    )


def _footer(root: str) -> Markup:
    return el(
        "footer", {"class": "site"},
        el("p", None,
           "Data: ", link("https://pfocr.wikipathways.org/", "Pathway Figure OCR"), " (",
           link(CC0, "CC0 1.0"), "). Pages made by pfocr-kg ", __version__, " · ",
           el("a", {"href": f"{root}void.ttl"}, "VoID"), " · ",
           el("a", {"href": f"{root}sitemap.xml"}, "sitemap")),
    )


def _badge(kind_iri: str | None, source_label: str | None) -> Markup:
    label, flagged = MATCH_KINDS.get(kind_iri or "", ("unknown source", True))
    css = "badge flag" if flagged else "badge"
    title = "often wrong: check it" if flagged else None
    mark = concat([label, " match", Markup(" ⚠") if flagged else None])
    return concat([
        el("span", {"class": css, "title": title}, mark),
        Markup(" "),
        el("span", {"class": "source"}, source_label) if source_label else None,
    ])


def _match_info(d: Description, mention: str) -> tuple[str | None, str | None, bool]:
    """(kind IRI, source label, flagged) of a mention."""
    sources = d.iris(mention, PFOCR + "matchSource")
    if not sources:
        return None, None, False
    source = sources[0]
    kinds = d.iris(source, PFOCR + "matchKind")
    kind = kinds[0] if kinds else PFOCR + "UnknownMatch"
    label = d.text(source, RDFS + "label") or source.rsplit("#", 1)[-1]
    return kind, label, MATCH_KINDS.get(kind, ("", True))[1]


def _taxon_name(d: Description, iri: str) -> str:
    return d.text(iri, SCHEMA + "name") or iri.rsplit("_", 1)[-1]


def _facts(rows: Iterable[tuple[str, object] | None]) -> Markup:
    items = []
    for row in rows:
        if row is None:
            continue
        label, value = row
        items.append(concat([el("dt", None, label), el("dd", None, value)]))
    return el("dl", {"class": "facts"}, *items)


def _page_head(d: Description, name: str, canonical: str | None) -> list[Markup]:
    """A page's <head> extras: canonical link, its Turtle and JSON-LD alternates (`name`.ttl,
    `name`.jsonld beside it) and the embedded schema.org JSON-LD."""
    head = [
        el("link", {"rel": "alternate", "type": "text/turtle", "href": f"{name}.ttl", "title": "Turtle"}),
        el("link", {"rel": "alternate", "type": "application/ld+json", "href": f"{name}.jsonld", "title": "JSON-LD"}),
    ]
    if canonical:
        head.insert(0, el("link", {"rel": "canonical", "href": canonical}))
    head.append(Markup('<script type="application/ld+json">\n') + script_json(schema_org(d)) + Markup("\n</script>"))
    return head


def figure_page(d: Description, figid: str, canonical: str | None) -> bytes:
    fig = d.main
    title = d.text(fig, SCHEMA + "name") or figid
    caption = d.text(fig, SCHEMA + "description")
    papers = d.iris(fig, SCHEMA + "isPartOf")
    paper = papers[0] if papers else None
    year = d.text(paper, SCHEMA + "datePublished") if paper else None
    position = d.text(fig, SCHEMA + "position")

    head = _page_head(d, figid, canonical)

    subtitle: list[object] = []
    if position:
        subtitle += ["Figure ", position]
    if paper:
        subtitle += [" of " if subtitle else "From ", el("cite", None, d.text(paper, SCHEMA + "name") or paper)]
    if year:
        subtitle += [" (", year, ")"]

    content_urls = d.iris(fig, SCHEMA + "contentUrl")
    score = d.text(fig, PFOCR + "pathwayScore")
    facts = _facts([
        ("Figure id", el("code", None, figid)),
        ("IRI", el("code", None, fig)),
        ("Image", concat(link(u, u.rsplit("/", 1)[-1], " (PubMed Central)") for u in content_urls)) if content_urls else None,
        ("Pathway score", score) if score else None,
        *(("NDEx network", link(u, u.rsplit("/", 1)[-1])) for u in d.iris(fig, SCHEMA + "sameAs")),
        *(("Related", link(u, u.rsplit("/", 1)[-1])) for u in d.iris(fig, DCTERMS + "relation")),
        ("License", concat(link(u, "CC0 1.0" if u == CC0 else u) for u in d.iris(fig, SCHEMA + "license")))
        if d.iris(fig, SCHEMA + "license") else None,
        ("This page as data", concat([
            el("a", {"href": f"{figid}.ttl", "type": "text/turtle"}, "Turtle"), " · ",
            el("a", {"href": f"{figid}.jsonld", "type": "application/ld+json"}, "JSON-LD"),
        ])),
    ])

    sections = [el("section", {"class": "caption", "aria-labelledby": "h-caption"},
                   el("h2", {"id": "h-caption"}, "Caption"), el("p", None, caption or "(no caption)"))]
    sections.append(facts)
    if paper:
        sections.append(_paper_section(d, paper))
    sections.append(_organisms_section(d, fig))
    sections += _mention_sections(d, fig)
    keywords = [k.value for k in d.values(fig, SCHEMA + "keywords")]
    if keywords:
        sections.append(el(
            "details", {"class": "keywords"},
            el("summary", None, f"Keywords ({len(keywords)})"),
            el("ul", None, *(el("li", None, k) for k in keywords)),
        ))

    body = concat([
        _header("../", "figure"),
        el("main", None, el("article", None, el("h1", None, title),
                            el("p", {"class": "subtitle"}, *subtitle) if subtitle else None, *sections)),
        _footer("../"),
    ])
    return page(f"{shorten(title, 120)} – PFOCR figure {figid}", body, root="../", head=head, description=caption or title)


def _paper_section(d: Description, paper: str) -> Markup:
    name = d.text(paper, SCHEMA + "name")
    citation = d.text(paper, DCTERMS + "bibliographicCitation")
    pmcid = d.text(paper, SCHEMA + "identifier") or paper.rsplit("/", 1)[-1]
    links = [el("li", None, link(u, pmcid, " at PubMed Central")) for u in d.iris(paper, SCHEMA + "url")]
    for u in d.iris(paper, SCHEMA + "sameAs"):
        label = "doi:" + u[len(DOI_BASE):] if u.startswith(DOI_BASE) else u
        links.append(el("li", None, link(u, label)))
    if not links:
        links.append(el("li", None, el("code", None, paper)))
    return el(
        "section", {"aria-labelledby": "h-paper"},
        el("h2", {"id": "h-paper"}, "Paper"),
        el("p", None, el("cite", None, name)) if name else None,
        el("p", {"class": "citation"}, citation) if citation else None,
        el("ul", {"class": "links"}, *links),
    )


def _organisms_section(d: Description, fig: str) -> Markup:
    taxa = {(_taxon_name(d, t)): t for t in d.iris(fig, WP + "organism")}
    names = [n.value for n in d.values(fig, WP + "organismName")]
    items = []
    for name in dict.fromkeys([*names, *taxa]):
        taxon = taxa.get(name)
        extra: list[object] = []
        if taxon is not None:
            common = d.text(taxon, SCHEMA + "alternateName")
            if common:
                extra += [" (", common, ")"]
            extra += [" · ", *(link(u, label) for label, u in entity_links(taxon))]
        items.append(el("li", None, el("i", None, name), *extra))
    return el(
        "section", {"aria-labelledby": "h-organisms"},
        el("h2", {"id": "h-organisms"}, "Organisms"),
        el("ul", None, *items) if items else el("p", None, "(none given)"),
    )


_KINDS = (
    ("genes", "Genes", SCHEMA + "Gene"),
    ("chemicals", "Chemicals", SCHEMA + "ChemicalSubstance"),
    ("diseases", "Diseases", SCHEMA + "MedicalCondition"),
)


def _mention_sections(d: Description, fig: str) -> list[Markup]:
    """One table per kind: each entity, and each mention of it (the word as read, how matched)."""
    by_body: dict[str, list[str]] = {}
    for m in d.nodes:
        if m.startswith(fig + "#"):
            for body in d.iris(m, OA + "hasBody"):
                by_body.setdefault(body, []).append(m)
    order = {iri: i for i, iri in enumerate(d.nodes)}
    entities = sorted(
        d.iris(fig, SCHEMA + "mentions"),
        key=lambda e: (order.get(by_body[e][0], len(order)) if e in by_body else len(order), _natural(e)),
    )
    sections = []
    for key, heading, cls in _KINDS:
        rows = []
        for entity in entities:
            if cls not in d.types(entity):
                continue
            rows += _mention_rows(d, key, entity, by_body.get(entity, []))
        if not rows:
            continue
        header_cells = ["Name", "Identifier"] + (["Organism"] if key == "genes" else []) + ["Read in the figure", "Matched text", "Match"]
        flagged = sum(1 for r in rows if 'class="flagged"' in r[:40])
        note = None
        if key == "genes":
            note = el("p", {"class": "note"},
                      "Matches by alias, previous symbol, synonym, family expansion or an unknown source are "
                      "marked ⚠: they are often wrong. ", number(flagged), " of ", number(len(rows)),
                      " mentions here are marked.")
        sections.append(el(
            "section", {"aria-labelledby": f"h-{key}"},
            el("h2", {"id": f"h-{key}"}, heading, " (", number(len({e for e in entities if cls in d.types(e)})), ")"),
            note,
            el("div", {"class": "scroll"}, el(
                "table", {"class": f"mentions {key}"},
                el("thead", None, el("tr", None, *(el("th", {"scope": "col"}, h) for h in header_cells))),
                el("tbody", None, *rows),
            )),
        ))
    return sections


def _mention_rows(d: Description, key: str, entity: str, mentions: list[str]) -> list[Markup]:
    name = d.text(entity, SCHEMA + "name") or d.text(entity, SCHEMA + "identifier") or entity
    gene = gene_id_of(entity) if key == "genes" else None
    name_cell = el("a", {"href": f"../genes/{gene}.html"}, name) if gene is not None else escape(name)
    ids = [link(u, label) for label, u in entity_links(entity)]
    ids += [link(u, "ChEBI " + u[len(CHEBI_BASE):]) for u in d.iris(entity, WP + "bdbChEBI")]
    ids += [link(u, "DOID " + u[len(DOID_BASE):]) for u in d.iris(entity, SCHEMA + "sameAs") if u.startswith(DOID_BASE)]
    id_cell = concat(x for i, item in enumerate(ids) for x in ((" · " if i else None), item)) if ids else el("code", None, entity)
    organism = None
    if key == "genes":
        taxa = d.iris(entity, SCHEMA + "taxonomicRange")
        organism = el("td", None, el("i", None, _taxon_name(d, taxa[0])) if taxa else "")
    rows = []
    listed: list[str | None] = [*mentions] or [None]  # an entity without a mention node still gets its row
    for m in listed:
        kind, label, flagged = _match_info(d, m) if m else (None, None, False)
        word = d.text(m, PFOCR + "ocrText") if m else None
        matched = d.text(m, PFOCR + "matchedText") if m else None
        cells = [
            el("td", None, name_cell), el("td", None, id_cell), organism,
            el("td", None, el("code", None, word) if word is not None else ""),
            el("td", None, el("code", None, matched) if matched is not None else ""),
            el("td", None, _badge(kind, label) if m and kind else ""),
        ]
        attrs = {"class": "flagged" if flagged else None, "id": m.rsplit("#", 1)[-1] if m else None}
        rows.append(el("tr", attrs, *cells))
    return rows


def gene_page(d: Description, gene_id: str, figures: list[str], canonical: str | None) -> bytes:
    gene = d.main
    symbol = d.text(gene, SCHEMA + "name") or gene_id
    taxa = d.iris(gene, SCHEMA + "taxonomicRange")
    organism = _taxon_name(d, taxa[0]) if taxa else None
    head = _page_head(d, gene_id, canonical)
    hgnc = d.iris(gene, WP + "bdbHgncSymbol")
    facts = _facts([
        ("Symbol", symbol),
        ("NCBI Gene", concat(link(u, label) for label, u in entity_links(gene))),
        ("Organism", concat([el("i", None, organism), " · ", *(link(u, label) for label, u in entity_links(taxa[0]))]))
        if taxa else None,
        ("HGNC symbol", concat(link(u, u.rsplit("/", 1)[-1]) for u in hgnc)) if hgnc else None,
        ("IRI", el("code", None, gene)),
        ("This page as data", concat([
            el("a", {"href": f"{gene_id}.ttl", "type": "text/turtle"}, "Turtle"), " · ",
            el("a", {"href": f"{gene_id}.jsonld", "type": "application/ld+json"}, "JSON-LD"),
        ])),
    ])
    mentions: dict[str, list[str]] = {}
    for m in d.nodes:
        for f in d.iris(m, OA + "hasTarget"):
            if gene in d.iris(m, OA + "hasBody"):
                mentions.setdefault(f, []).append(m)
    rows = []
    flagged_figures = 0
    for f in figures:
        figid = figid_of(f)
        title = d.text(f, SCHEMA + "name") or figid or f
        papers = d.iris(f, SCHEMA + "isPartOf")
        year = d.text(papers[0], SCHEMA + "datePublished") if papers else None
        reads = []
        flagged = False
        for m in mentions.get(f, []):
            kind, label, is_flagged = _match_info(d, m)
            flagged = flagged or is_flagged
            word = d.text(m, PFOCR + "ocrText")
            reads.append(el("li", None, el("code", None, word) if word is not None else "", " ", _badge(kind, label) if kind else ""))
        flagged_figures += flagged
        rows.append(el(
            "tr", {"class": "flagged" if flagged else None},
            el("td", None, el("a", {"href": f"../figures/{figid}.html"}, title) if figid else escape(title)),
            el("td", None, year or ""),
            el("td", None, el("ul", {"class": "reads"}, *reads) if reads else ""),
        ))
    body = concat([
        _header("../", "gene"),
        el("main", None, el(
            "article", None,
            el("h1", None, symbol, " ", el("span", {"class": "muted"}, "NCBI Gene ", gene_id)),
            el("p", {"class": "subtitle"}, el("i", None, organism)) if organism else None,
            facts,
            el("section", {"aria-labelledby": "h-figures"},
               el("h2", {"id": "h-figures"}, "Figures that mention ", symbol, " (", number(len(figures)), ")"),
               el("p", {"class": "note"}, number(flagged_figures), " of them only by a match marked ⚠ "
                  "(alias, previous symbol, synonym, family or unknown source): check those.")
               if flagged_figures else None,
               el("div", {"class": "scroll"}, el(
                   "table", {"class": "figures"},
                   el("thead", None, el("tr", None, *(el("th", {"scope": "col"}, h) for h in ("Figure", "Year", "Read as")))),
                   el("tbody", None, *rows),
               ))),
        )),
        _footer("../"),
    ])
    title = f"{symbol} (NCBI Gene {gene_id})" + (f", {organism}" if organism else "")
    return page(f"{title} – PFOCR figures", body, root="../", head=head,
                description=f"Pathway figures that mention the gene {symbol}: {len(figures)} in PFOCR.")


def index_page(counts: dict[str, int], organisms: list[str], organism_figures: Counter[int], has_dumps: list[str], has_void: bool) -> bytes:
    options = [el("option", {"value": ""}, "any organism")]
    for i, name in enumerate(organisms):
        if organism_figures.get(i):
            options.append(el("option", {"value": str(i)}, name, " (", number(organism_figures[i]), ")"))
    data_links = [
        el("li", None, el("a", {"href": CONTEXT_FILE, "type": "application/ld+json"}, CONTEXT_FILE),
           ": the JSON-LD context of every .jsonld file here (each also carries it inline)"),
        el("li", None, el("a", {"href": "sitemap.xml"}, "sitemap.xml"), ": every page"),
    ]
    if has_void:
        data_links.insert(0, el("li", None, el("a", {"href": "void.ttl"}, "void.ttl"), " (VoID) and ",
                                el("a", {"href": "dataset.jsonld"}, "dataset.jsonld"), " (schema.org Dataset)"))
    for name in has_dumps:
        data_links.append(el("li", None, el("a", {"href": f"dumps/{name}"}, name), ": the whole graph"))
    body = concat([
        _header("", "search"),
        el("main", None,
           el("h1", None, "Pathway figures and the genes in them"),
           el("p", {"class": "lead"},
              number(counts["figures"]), " figures from published papers (",
              link("https://pfocr.wikipathways.org/", "Pathway Figure OCR"), "), ",
              number(counts["genes"]), " genes. Every figure and gene has a page, and its data as Turtle and JSON-LD."),
           el("form", {"id": "search", "role": "search", "action": "index.html", "method": "get"},
              el("p", None,
                 el("label", {"for": "q"}, "Gene symbol or words of a figure title"),
                 el("input", {"type": "search", "id": "q", "name": "q", "autocomplete": "off", "spellcheck": "false",
                              "placeholder": "e.g. TNF, apoptosis"})),
              el("p", None,
                 el("label", {"for": "organism"}, "Organism"),
                 el("select", {"id": "organism", "name": "organism"}, *options)),
              el("p", None, el("button", {"type": "submit"}, "Search"))),
           el("noscript", None, el("p", None, "Search runs in the page and needs JavaScript; every page is listed in ",
                                   el("a", {"href": "sitemap.xml"}, "sitemap.xml"), ".")),
           el("section", {"id": "results", "aria-live": "polite", "aria-labelledby": "h-results"},
              el("h2", {"id": "h-results"}, "Results"),
              el("p", {"id": "summary"}, "Loading the index…"),
              el("h3", {"id": "h-genes", "hidden": True}, "Genes"),
              el("ul", {"id": "gene-results", "class": "genes"}),
              el("h3", {"id": "h-figs", "hidden": True}, "Figures"),
              el("ol", {"id": "figure-results", "class": "figures"})),
           el("section", {"aria-labelledby": "h-data"},
              el("h2", {"id": "h-data"}, "Data"),
              el("ul", None, *data_links))),
        _footer(""),
    ])
    return page("PFOCR knowledge graph: pathway figures and their genes", body, root="",
                description="Search published pathway figures by gene symbol, title and organism.",
                scripts=("search-index.js", "static/search.js"))


# --------------------------------------------------------------------------------------------
# Writing the site


def _check_base(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PublishError(f"base URL {base_url!r}: expected an absolute http(s) URL without query or fragment")
    return base_url if base_url.endswith("/") else base_url + "/"


def _prepare(site: Path) -> Path:
    """A fresh working folder beside `site`; refuses a `site` that exists and is not ours."""
    if site.exists():
        if not site.is_dir():
            raise PublishError(f"{site}: exists and is not a folder")
        if any(site.iterdir()) and not (site / STAMP).is_file():
            raise PublishError(f"{site}: exists, is not empty and is not a pfocr-kg site; refusing to replace it")
    parent = site.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f".{site.name}{WORKING_MARK}*"):  # from runs that died
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    work = parent / f".{site.name}{WORKING_MARK}{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    return work


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap(work: Path, site: Path) -> None:
    old = site.resolve().parent / f".{site.name}{REPLACED_MARK}{os.getpid()}"
    if site.exists():
        os.replace(site, old)
    os.replace(work, site)
    shutil.rmtree(old, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _copy_static(work: Path) -> None:
    static = resources.files("kg.publish").joinpath("static")
    (work / "static").mkdir()
    for name in ("site.css", "search.js"):
        _write(work / "static" / name, static.joinpath(name).read_bytes())
    _write(work / ".htaccess", resources.files("kg.publish").joinpath("conneg", "apache", "htaccess").read_bytes())
    _write(work / CONTEXT_FILE, resources.files("kg").joinpath(CONTEXT_RESOURCE).read_bytes())


def _url(base: str, path: str) -> str:
    return base + quote(path, safe="/")


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _write_sitemaps(work: Path, base: str, paths: Iterable[str], total: int, limit: int) -> int:
    """sitemap.xml (or sitemap.xml indexing sitemap-<n>.xml when over `limit` URLs); files written."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    single = total <= limit
    handle: IO[str] | None = None
    files: list[str] = []
    try:
        for i, path in enumerate(paths):
            if i % limit == 0:
                if handle is not None:
                    handle.write("</urlset>\n")
                    handle.close()
                name = "sitemap.xml" if single else f"sitemap-{len(files) + 1}.xml"
                files.append(name)
                handle = (work / name).open("w", encoding="utf-8", newline="\n")
                handle.write(head)
            assert handle is not None
            handle.write(f"  <url><loc>{_xml_text(_url(base, path))}</loc></url>\n")
        if handle is not None:
            handle.write("</urlset>\n")
    finally:
        if handle is not None:
            handle.close()
    if not single:
        entries = "".join(f"  <sitemap><loc>{_xml_text(_url(base, name))}</loc></sitemap>\n" for name in files)
        _write(work / "sitemap.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</sitemapindex>\n"
        ).encode("utf-8"))
        return len(files) + 1
    return len(files)


def _select_iris(store: pyoxigraph.Store, cls: str) -> list[str]:
    return sorted(
        {q.subject.value for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(_TYPE), pyoxigraph.NamedNode(cls), None)
         if isinstance(q.subject, pyoxigraph.NamedNode)},
        key=_natural,
    )


def _organism_names(store: pyoxigraph.Store) -> list[str]:
    names = {q.object.value for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(WP + "organismName"), None, None)
             if isinstance(q.object, pyoxigraph.Literal)}
    for taxon in _select_iris(store, SCHEMA + "Taxon"):
        for q in store.quads_for_pattern(pyoxigraph.NamedNode(taxon), pyoxigraph.NamedNode(SCHEMA + "name"), None, None):
            if isinstance(q.object, pyoxigraph.Literal):
                names.add(q.object.value)
    return sorted(names)


def _js_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")


def publish(
    nt_path: Path,
    site: Path,
    base_url: str = DEFAULT_BASE_URL,
    *,
    store_dir: Path | None = None,
    memory: bool = False,
    dumps: bool = True,
    progress: Progress | None = None,
    sitemap_limit: int = SITEMAP_LIMIT,
) -> PublishReport:
    """Write the site for `nt_path` to `site` (see the module docstring). The store is `store_dir`
    (kg query's on-disk store, reloaded when `nt_path` changed), or an in-memory one with `memory`."""
    base = _check_base(base_url)
    if not nt_path.is_file():
        raise PublishError(f"{nt_path}: no such file (run `kg build` first)")
    problem = interrupted_commit(nt_path.parent)
    if problem is not None:
        raise PublishError(problem)
    if memory:
        store = pyoxigraph.Store()
        store.bulk_load(path=str(nt_path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        try:
            store, _ = open_store(store_dir or nt_path.parent / "store", nt_path)
        except StoreError as exc:
            raise PublishError(str(exc)) from exc
    work = _prepare(site)
    try:
        report = _publish_into(store, work, base, nt_path, dumps, progress, sitemap_limit)
        _write(work / STAMP, f"pfocr-kg {__version__} site of {nt_path.name}\n".encode())
        _swap(work, site)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report.site = site
    return report


def _publish_into(
    store: pyoxigraph.Store, work: Path, base: str, nt_path: Path, dumps: bool,
    progress: Progress | None, sitemap_limit: int,
) -> PublishReport:
    report = PublishReport(work)
    _copy_static(work)
    (work / "figures").mkdir()
    (work / "genes").mkdir()

    figures: list[tuple[str, str]] = []
    for iri in _select_iris(store, SCHEMA + "ImageObject"):
        figid = figid_of(iri)
        if figid is None:
            report.skipped.append(f"{iri}: not a PFOCR figure IRI ({FIGURE_BASE}<figid>.html), no page")
        else:
            figures.append((figid, iri))
    figures.sort()
    genes: list[tuple[int, str, str]] = []
    for iri in _select_iris(store, SCHEMA + "Gene"):
        gene_id = gene_id_of(iri)
        if gene_id is None:
            report.skipped.append(f"{iri}: not an NCBI Gene IRI ({NCBIGENE_BASE}<id>), no page")
        else:
            genes.append((int(gene_id), gene_id, iri))
    genes.sort()
    organisms = _organism_names(store)
    organism_index = {name: i for i, name in enumerate(organisms)}
    organism_figures: Counter[int] = Counter()

    with (work / "search-index.js").open("w", encoding="utf-8", newline="\n") as index:
        index.write("/* pfocr-kg search index: organisms; figures [figid, title, year, [organism]];"
                    " genes [id, symbol, figures, organism] (organism: a position in organisms, -1 none) */\n")
        index.write('window.PFOCR_INDEX = {"version":1,\n"organisms":' + _js_json(organisms) + ',\n"figures":[')
        for n, (figid, iri) in enumerate(figures):
            d = figure_description(store, iri)
            _write(work / "figures" / f"{figid}.html", figure_page(d, figid, _url(base, f"figures/{figid}.html")))
            triples = list(d.triples())
            _write(work / "figures" / f"{figid}.ttl", turtle(triples))
            _write(work / "figures" / f"{figid}.jsonld", jsonld(triples))
            names = {o.value for o in d.values(iri, WP + "organismName")}
            names |= {_taxon_name(d, t) for t in d.iris(iri, WP + "organism")}
            org = sorted(organism_index[name] for name in names if name in organism_index)
            organism_figures.update(org)
            papers = d.iris(iri, SCHEMA + "isPartOf")
            year = d.text(papers[0], SCHEMA + "datePublished") if papers else None
            entry = [figid, d.text(iri, SCHEMA + "name") or "", int(year) if year and year.isdigit() else None, org]
            index.write(("\n" if n == 0 else ",\n") + _js_json(entry))
            report.figures += 1
            if progress is not None:
                progress("figures", n + 1, len(figures))
        index.write('],\n"genes":[')
        for n, (_, gene_id, iri) in enumerate(genes):
            d, gene_figures = gene_description(store, iri)
            _write(work / "genes" / f"{gene_id}.html", gene_page(d, gene_id, gene_figures, _url(base, f"genes/{gene_id}.html")))
            triples = list(d.triples())
            _write(work / "genes" / f"{gene_id}.ttl", turtle(triples))
            _write(work / "genes" / f"{gene_id}.jsonld", jsonld(triples))
            taxa = d.iris(iri, SCHEMA + "taxonomicRange")
            org_id = organism_index.get(_taxon_name(d, taxa[0]), -1) if taxa else -1
            entry = [gene_id, d.text(iri, SCHEMA + "name") or gene_id, len(gene_figures), org_id]
            index.write(("\n" if n == 0 else ",\n") + _js_json(entry))
            report.genes += 1
            if progress is not None:
                progress("genes", n + 1, len(genes))
        index.write("]};\n")

    dump_names: list[str] = []
    if dumps:
        (work / "dumps").mkdir()
        for fmt in DUMP_FORMATS:
            source = nt_path.with_name(f"pfocr.{fmt}")
            if source.is_file():
                _link_or_copy(source, work / "dumps" / source.name)
                dump_names.append(source.name)
    report.void = _write_descriptions(work, nt_path, base, [f"dumps/{n}" for n in dump_names])

    _write(work / "index.html", index_page(
        {"figures": report.figures, "genes": report.genes}, organisms, organism_figures, dump_names, report.void))
    paths = (p for p in _site_paths(figures, genes))
    _write_sitemaps(work, base, paths, 1 + len(figures) + len(genes), sitemap_limit)
    _write(work / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {_url(base, 'sitemap.xml')}\n".encode())
    report.files = sum(1 for p in work.rglob("*") if p.is_file())
    return report


def _site_paths(figures: list[tuple[str, str]], genes: list[tuple[int, str, str]]) -> Iterator[str]:
    yield "index.html"
    for figid, _ in figures:
        yield f"figures/{figid}.html"
    for _, gene_id, _ in genes:
        yield f"genes/{gene_id}.html"


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write_descriptions(work: Path, nt_path: Path, base: str, dumps: list[str]) -> bool:
    """void.ttl and dataset.jsonld through kg.publish.void, when that module is there."""
    try:
        from kg.publish.void import write_dataset_jsonld, write_void
    except ImportError:  # HOOK: kg.publish.void (VoID + schema.org Dataset) not installed
        return False
    stats = write_void(nt_path, work / "void.ttl", base, dumps)
    write_dataset_jsonld(work / "dataset.jsonld", base, dumps, stats=stats)
    return True
