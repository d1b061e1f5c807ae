"""`kg publish`: a static linked-data site from a finished build's pfocr.nt.

Layout of the site folder (paths as PFOCR itself uses them, so record IRIs dereference when the
site is served at PFOCR's host, and relative to --base-url anywhere else):

    index.html                 search by gene symbol, figure title, caption, chemical and disease
                               names and organism; results sorted by year or title (client-side JS)
    search-index.js            the JSON index that search reads (a script: works from file://):
                               figures (title, year, organisms, image for the thumbnail), genes,
                               chemicals and diseases
    search-text.js             each figure's caption and chemical and disease names, lower case,
                               loaded after the page (the largest part of the index)
    figures/<figid>.html       a page per figure (vocabulary v2: the record, its image, its
                               annotations), the schema.org JSON-LD embedded
    figures/<figid>.ttl        the figure's description (record, image, annotations, organism
    figures/<figid>.jsonld     counts, derived pathways, the nodes they name) as Turtle and as
                               JSON-LD compacted with our context
    genes/<entrez id>.html     a page per gene, chemical and disease: the figures that name it,
    chemicals/<id>.html        and how each read it (<id>: the MeSH id, or CHEBI_<n> / DOID_<n>
    diseases/<id>.html         when only ChEBI / DOID names it); each with .ttl and .jsonld
    papers/<pmcid>.html        a page per paper (its figures), journal and publisher (the paths
    journal/<slug>.html        docs/w3id.md redirects https://w3id.org/pfocr-kg/journal/<slug>
    publisher/<slug>.html      and …/publisher/<slug> to); each with .ttl and .jsonld
    vocab.ttl, vocab.html      the pfocr: vocabulary (OUTDIR/pfocr-vocab.ttl as the build wrote
    vocab.jsonld               it, else the packaged one) and a page for people: where the w3id
                               rules send https://w3id.org/pfocr-kg/vocab
    sitemap.xml                (a sitemap index over sitemap-<n>.xml beyond 50,000 URLs)
    robots.txt, .htaccess      the Sitemap line; Apache content negotiation (kg/publish/conneg/)
    void.ttl, dataset.jsonld   VoID and schema.org Dataset descriptions of the build's dataset
                               node https://w3id.org/pfocr-kg/dataset (kg.publish.void)
    context.jsonld             our JSON-LD context (kg/context/pfocr.jsonld, the same bytes): every
                               .jsonld here and the dump carry it inline, so each reads offline
    dumps/pfocr.nt|.ttl|.jsonld|.nq  the build's files (hard links when possible), unless no_dumps
    static/                    site.css, search.js

Data comes from a pyoxigraph store of pfocr.nt (on disk: kg query's store, refreshed when the
build changed; or in memory), one page at a time: memory holds the lists of page IRIs and one
page, never the graph. The site is written to a fresh folder beside the target and swapped in at
the end, so a site is never half old, half new, and pages of nodes no longer exported disappear.
Same input, same bytes.
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
from kg.publish.html import Markup, concat, el, escape, link, number, page, safe_url, script_json, shorten
from kg.sparql.store import StoreError, open_store
from kg.vocab import (
    CC0,
    CHEBI_BASE,
    CHEBI_OBO_BASE,
    DATASET,
    DCTERMS,
    DOI_BASE,
    DOID_BASE,
    FIGURE_BASE,
    JOURNAL_BASE,
    MESH_BASE,
    NCBIGENE_BASE,
    NDEX_BASE,
    OA,
    PFOCR,
    PMC_BASE,
    PREFIXES,
    PROV,
    PUBLISHER_BASE,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SOFTWARE,
    TAXON_BASE,
    VOID,
    WIKIPATHWAYS_BASE,
    WP,
    XSD,
)
from kg.write.commit import interrupted_commit
from kg.write.jsonld import CONTEXT_RESOURCE, jsonld_chunks

DEFAULT_BASE_URL = "https://pfocr.wikipathways.org/"
IMAGE_BASE = "https://www.ncbi.nlm.nih.gov/pmc/articles/"  # figure image URLs, shortened in search-index.js
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)
STAMP = ".pfocr-kg-site"  # marks a folder as a site we wrote (and may replace)
WORKING_MARK = ".publishing-"
REPLACED_MARK = ".replaced-"
DUMP_FORMATS = ("nt", "ttl", "jsonld", "nq")  # those the build wrote
CONTEXT_FILE = "context.jsonld"  # our JSON-LD context, published at the site's root
VOCAB_NAME = "vocab"  # vocab.ttl, vocab.jsonld, vocab.html: where docs/w3id.md sends …/pfocr-kg/vocab
VOCAB_BUILT = "pfocr-vocab.ttl"  # what kg build writes beside pfocr.nt
VOCAB_RESOURCE = "context/pfocr-vocab.ttl"  # the packaged copy, for builds that did not write one

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
Pairs = list[tuple[str, Term]]
Progress = Callable[[str, int, int], None]

_FIGID = re.compile(r"PMC[0-9]+__[A-Za-z0-9][A-Za-z0-9._-]*")
_DIGITS = re.compile(r"[0-9]+")
_MESH = re.compile(r"[CDQ][0-9]+")
_PMC = re.compile(r"PMC[1-9][0-9]*")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_XSD_STRING = XSD + "string"
_TYPE = RDF + "type"

# Predicate order in the machine documents (the order kg build writes them); the rest by IRI.
_PREDICATE_ORDER = {
    p: i
    for i, p in enumerate(
        [
            _TYPE, SCHEMA + "identifier", SCHEMA + "name", SCHEMA + "alternateName", SCHEMA + "description",
            SCHEMA + "url", SCHEMA + "license", SCHEMA + "creator", VOID + "inDataset", SCHEMA + "about",
            SCHEMA + "isPartOf", SCHEMA + "publisher", SCHEMA + "position", SCHEMA + "datePublished",
            DCTERMS + "bibliographicCitation", SCHEMA + "sameAs", SCHEMA + "contentUrl", SCHEMA + "keywords",
            PFOCR + "figureType", PFOCR + "pathwayScore", RDFS + "seeAlso", PROV + "wasDerivedFrom",
            PFOCR + "recognisedOrganism", PFOCR + "recognisedOrganismName", PFOCR + "organismName", WP + "organism", WP + "organismName",
            PFOCR + "matchCounts", PFOCR + "taxon", SCHEMA + "taxonomicRange", WP + "bdbEntrezGene",
            WP + "bdbHgncSymbol", WP + "bdbChEBI", SKOS + "exactMatch", SCHEMA + "mentions", OA + "hasBody",
            OA + "hasTarget", PFOCR + "ocrText", PFOCR + "matchedText", PFOCR + "matchSource",
            PFOCR + "occurrences", PFOCR + "countDirect", PFOCR + "countSynonym", PFOCR + "countMatch",
            RDFS + "label", PFOCR + "matchKind",
        ]
    )
}

# Match kinds (pfocr-vocab.ttl): short label, and whether the match is often wrong (marked).
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
    pages: dict[str, int] = field(default_factory=dict)  # folder → pages written, every kind
    skipped: list[str] = field(default_factory=list)  # IRIs that cannot be a page path, with why
    warnings: list[str] = field(default_factory=list)  # e.g. a dataset node that disagrees with its file
    files: int = 0
    void: bool = False  # void.ttl and dataset.jsonld written
    vocabulary: str | None = None  # where vocab.ttl came from (None: no vocabulary found)


# --------------------------------------------------------------------------------------------
# Reading descriptions from the store


_DIGIT_RUNS = re.compile(r"([0-9]+)")


@lru_cache(maxsize=1 << 16)
def _natural(text: str) -> tuple[object, ...]:
    """Sort key that orders digit runs by value (PMC9 before PMC10, gene 9 before 10)."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGIT_RUNS.split(text))


def _term_key(term: Term) -> tuple[object, ...]:
    if isinstance(term, pyoxigraph.Literal):
        return (1, _natural(term.value), term.datatype.value if term.datatype else "", term.language or "")
    return (0, _natural(term.value))


def _pair_key(pair: tuple[str, Term]) -> tuple[object, ...]:
    return (_PREDICATE_ORDER.get(pair[0], len(_PREDICATE_ORDER)), pair[0], _term_key(pair[1]))


def _pairs(store: pyoxigraph.Store, iri: str, predicates: Iterable[str] | None = None) -> Pairs:
    """The node's (predicate, object) pairs in document order; only `predicates` when given."""
    node = pyoxigraph.NamedNode(iri)
    if predicates is None:
        quads = store.quads_for_pattern(node, None, None, None)
        found = {(q.predicate.value, cast(Term, q.object)) for q in quads}  # never a quoted triple: N-Triples 1.1
    else:
        found = {(p, cast(Term, q.object)) for p in predicates
                 for q in store.quads_for_pattern(node, pyoxigraph.NamedNode(p), None, None)}
    return sorted(found, key=_pair_key)


def _subjects(store: pyoxigraph.Store, predicate: str, obj: str) -> list[str]:
    """The IRI subjects of `?s predicate <obj>`, in natural order."""
    quads = store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), pyoxigraph.NamedNode(obj), None)
    return sorted({q.subject.value for q in quads if isinstance(q.subject, pyoxigraph.NamedNode)}, key=_natural)


@dataclass(slots=True)
class Description:
    """The triples of one page: subject IRI → its (predicate, object) pairs, subjects in order."""

    main: str
    nodes: dict[str, Pairs] = field(default_factory=dict)

    def add(self, store: pyoxigraph.Store, iri: str, predicates: Iterable[str] | None = None) -> Pairs:
        """The node's pairs (only `predicates` when given), added unless it is there already."""
        if iri not in self.nodes:
            self.nodes[iri] = _pairs(store, iri, predicates)
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

    def first(self, iri: str | None, *path: str) -> str | None:
        """The first IRI reached from `iri` along the predicates of `path`."""
        for predicate in path:
            if iri is None:
                return None
            found = self.iris(iri, predicate)
            iri = found[0] if found else None
        return iri

    def triples(self) -> Iterator[pyoxigraph.Triple]:
        for subject, pairs in self.nodes.items():
            s = pyoxigraph.NamedNode(subject)
            for p, o in pairs:
                yield pyoxigraph.Triple(s, pyoxigraph.NamedNode(p), o)


# What a page follows from the nodes it describes to the nodes it describes too: a paper's journal,
# publisher and organisms, a journal's publisher, a gene's taxon, a counts node's taxon.
_FOLLOW = (SCHEMA + "isPartOf", SCHEMA + "publisher", SCHEMA + "about", SCHEMA + "taxonomicRange", PFOCR + "taxon")
# Linked but never pulled into a page: the dataset node (its counts change with every build) and
# the software (void.ttl describes both).
_NOT_PULLED = frozenset({DATASET, SOFTWARE})
# What a page of another node shows of a record, an image, a paper (year and title columns).
_RECORD_BRIEF = (_TYPE, SCHEMA + "identifier", SCHEMA + "name", SCHEMA + "about")
_IMAGE_BRIEF = (_TYPE, SCHEMA + "isPartOf", SCHEMA + "position")
_PAPER_BRIEF = (_TYPE, SCHEMA + "identifier", SCHEMA + "name", SCHEMA + "datePublished")


def _add_linked(store: pyoxigraph.Store, d: Description, linked: Iterable[str], rounds: int = 3) -> None:
    """Add the described nodes among `linked` (in IRI order), then, up to `rounds` times, the
    described nodes those new ones lead to by _FOLLOW (a paper's journal, the journal's publisher,
    a gene's taxon). Nodes the page has already keep their (possibly shorter) description."""
    todo = [iri for iri in dict.fromkeys(linked) if iri not in _NOT_PULLED]
    for _ in range(rounds):
        added = []
        for iri in sorted(todo, key=_natural):
            if iri in d.nodes:
                continue
            pairs = _pairs(store, iri)
            if pairs:
                d.nodes[iri] = pairs
                added.append(iri)
        todo = [o.value for iri in added for p, o in d.nodes[iri]
                if p in _FOLLOW and isinstance(o, pyoxigraph.NamedNode) and o.value not in d.nodes
                and o.value not in _NOT_PULLED]
        if not todo:
            return


def _linked_from(d: Description, nodes: Iterable[str], skip: Iterable[str] = ()) -> list[str]:
    """The IRI objects (rdf:type aside) of `nodes` the page does not describe yet."""
    skipped = set(skip)
    return [o.value for iri in nodes for p, o in d.nodes.get(iri, ())
            if p != _TYPE and isinstance(o, pyoxigraph.NamedNode) and o.value not in d.nodes
            and o.value not in skipped]


def figure_description(store: pyoxigraph.Store, record: str) -> Description:
    """The record, its image, the pathways derived from it (`prov:wasDerivedFrom` the record, that
    triple only), its organism counts, its annotations (`<record>#m-…`, in IRI order), then every
    node they link to that the graph describes: paper, journal, publisher, organisms, creator,
    entities, the entities' taxa, match sources."""
    d = Description(record)
    d.add(store, record)
    images = d.iris(record, SCHEMA + "about")
    for image in images:
        d.add(store, image)
    for pathway in _subjects(store, PROV + "wasDerivedFrom", record):
        d.nodes.setdefault(pathway, [(PROV + "wasDerivedFrom", pyoxigraph.NamedNode(record))])
    counts = d.iris(record, PFOCR + "matchCounts")
    for node in counts:
        d.add(store, node)
    own = record + "#"  # an image may be shared: only this record's annotations
    annotations = sorted({m for image in images for m in _subjects(store, OA + "hasTarget", image)
                          if m.startswith(own)}, key=_natural)
    for m in annotations:
        d.add(store, m)
    linked = _linked_from(d, [record, *images, *counts], skip=[record])
    for m in annotations:
        linked += d.iris(m, OA + "hasBody") + d.iris(m, PFOCR + "matchSource")
    _add_linked(store, d, linked)
    return d


def entity_description(store: pyoxigraph.Store, entity: str) -> tuple[Description, list[str]]:
    """A gene, chemical or disease: its node and taxon; each record that mentions it (type,
    identifier, name, image), the image's paper (for the year), the annotations that name it with
    their match sources. Also the record IRIs, in natural order."""
    d = Description(entity)
    d.add(store, entity)
    e = pyoxigraph.NamedNode(entity)
    figures = _subjects(store, SCHEMA + "mentions", entity)
    for f in figures:  # only what the page shows: a figure has ~300 triples, most of them annotations
        pairs = _pairs(store, f, _RECORD_BRIEF)
        d.nodes[f] = sorted([(SCHEMA + "mentions", e), *pairs], key=_pair_key)
    _add_briefs(store, d, figures)
    linked = d.iris(entity, SCHEMA + "taxonomicRange")
    for m in _subjects(store, OA + "hasBody", entity):
        d.add(store, m)
        linked += d.iris(m, PFOCR + "matchSource")
    _add_linked(store, d, linked, rounds=1)
    return d, figures


def _add_briefs(store: pyoxigraph.Store, d: Description, records: Iterable[str]) -> None:
    """The images of `records` (paper, position) and their papers (title, year)."""
    images = [i for f in records for i in d.iris(f, SCHEMA + "about")]
    for image in images:
        d.add(store, image, _IMAGE_BRIEF)
    for paper in (p for i in images for p in d.iris(i, SCHEMA + "isPartOf")):
        d.add(store, paper, _PAPER_BRIEF)


def paper_description(store: pyoxigraph.Store, paper: str) -> tuple[Description, list[str]]:
    """The paper, its journal, publisher and organisms; its images and the records about them
    (brief). Also the record IRIs, in natural order."""
    d = Description(paper)
    d.add(store, paper)
    records: list[str] = []
    for image in _subjects(store, SCHEMA + "isPartOf", paper):
        d.add(store, image)
        records += [f for f in _subjects(store, SCHEMA + "about", image) if figid_of(f) is not None]
    records = sorted(set(records), key=_natural)
    for f in records:
        d.add(store, f, (*_RECORD_BRIEF, SCHEMA + "alternateName", PFOCR + "figureType"))
    _add_linked(store, d, _linked_from(d, [paper]))
    return d, records


def journal_description(store: pyoxigraph.Store, journal: str) -> tuple[Description, list[str]]:
    """The journal and its publisher; its papers (brief, with the link to the journal). Also the
    paper IRIs, in natural order."""
    d = Description(journal)
    d.add(store, journal)
    papers = _subjects(store, SCHEMA + "isPartOf", journal)
    for p in papers:
        d.add(store, p, (*_PAPER_BRIEF, SCHEMA + "isPartOf"))
    _add_linked(store, d, d.iris(journal, SCHEMA + "publisher"), rounds=1)
    return d, papers


def publisher_description(store: pyoxigraph.Store, publisher: str) -> tuple[Description, list[str]]:
    """The publisher; the journals it publishes and the papers that name it (no journal given),
    each brief with its link to the publisher. Also those IRIs: journals, then papers."""
    d = Description(publisher)
    d.add(store, publisher)
    named = _subjects(store, SCHEMA + "publisher", publisher)
    journals = [i for i in named if SCHEMA + "Periodical" in {t.value for t in _type_terms(store, i)}]
    papers = [i for i in named if i not in journals]
    for j in journals:
        d.add(store, j, (_TYPE, SCHEMA + "name", SCHEMA + "alternateName", SCHEMA + "publisher"))
    for p in papers:
        d.add(store, p, (*_PAPER_BRIEF, SCHEMA + "publisher"))
    return d, journals + papers


def _type_terms(store: pyoxigraph.Store, iri: str) -> list[Term]:
    return [cast(Term, q.object) for q in store.quads_for_pattern(
        pyoxigraph.NamedNode(iri), pyoxigraph.NamedNode(_TYPE), None, None)]


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
    """JSON-LD compacted with our context (inline), as `kg build --format jsonld` writes it;
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


def chemical_id_of(iri: str) -> str | None:
    """The MeSH id, or CHEBI_<n> for a chemical only ChEBI names."""
    if (mesh := _local(iri, MESH_BASE, "", _MESH)) is not None:
        return mesh
    chebi = _local(iri, CHEBI_BASE, "", _DIGITS)
    return None if chebi is None else f"CHEBI_{chebi}"


def disease_id_of(iri: str) -> str | None:
    """The MeSH id, or DOID_<n> for a disease only the Disease Ontology names."""
    if (mesh := _local(iri, MESH_BASE, "", _MESH)) is not None:
        return mesh
    doid = _local(iri, DOID_BASE, "", _DIGITS)
    return None if doid is None else f"DOID_{doid}"


def paper_id_of(iri: str) -> str | None:
    return _local(iri, PMC_BASE, "", _PMC)


def journal_slug_of(iri: str) -> str | None:
    return _local(iri, JOURNAL_BASE, "", _SLUG)


def publisher_slug_of(iri: str) -> str | None:
    return _local(iri, PUBLISHER_BASE, "", _SLUG)


@dataclass(frozen=True, slots=True)
class PageKind:
    """Pages of one class of node: `folder/<local>.html` (and .ttl, .jsonld) for each instance."""

    folder: str
    cls: str
    local: Callable[[str], str | None]
    one: str  # what one is called, for the page's header
    expected: str  # the IRI form, for the skip note


GENES = PageKind("genes", SCHEMA + "Gene", gene_id_of, "gene", f"{NCBIGENE_BASE}<id>")
CHEMICALS = PageKind("chemicals", SCHEMA + "ChemicalSubstance", chemical_id_of, "chemical",
                     f"{MESH_BASE}<id> or {CHEBI_BASE}<n>")
DISEASES = PageKind("diseases", SCHEMA + "MedicalCondition", disease_id_of, "disease", f"{MESH_BASE}<id> or {DOID_BASE}<n>")
PAPERS = PageKind("papers", SCHEMA + "ScholarlyArticle", paper_id_of, "paper", f"{PMC_BASE}<pmcid>")
JOURNALS = PageKind("journal", SCHEMA + "Periodical", journal_slug_of, "journal", f"{JOURNAL_BASE}<slug>")
PUBLISHERS = PageKind("publisher", SCHEMA + "Organization", publisher_slug_of, "publisher", f"{PUBLISHER_BASE}<slug>")
ENTITY_KINDS = (GENES, CHEMICALS, DISEASES)
OTHER_KINDS = (PAPERS, JOURNALS, PUBLISHERS)
PAGE_FOLDERS = ("figures", *(k.folder for k in (*ENTITY_KINDS, *OTHER_KINDS)))


def page_path(d: Description, iri: str) -> str | None:
    """The site path (`genes/7124.html`) of the page of `iri`, going by its types in `d`."""
    types = d.types(iri)
    if SCHEMA + "Dataset" in types and (figid := figid_of(iri)) is not None:
        return f"figures/{figid}.html"
    for kind in (*ENTITY_KINDS, *OTHER_KINDS):
        if kind.cls in types and (local := kind.local(iri)) is not None:
            return f"{kind.folder}/{local}.html"
    return None


def _name(d: Description, iri: str) -> str:
    return (d.text(iri, SCHEMA + "name") or _read_name(d, iri) or d.text(iri, SCHEMA + "identifier")
            or iri.rsplit("/", 1)[-1])


def _read_name(d: Description, iri: str) -> str | None:
    """For a chemical or disease the graph gives no name (an inline record's MeSH term, a row
    without `match`): the OCR word the page's annotations read it as, the most frequent (then the
    first in natural order), spaces collapsed. Shown as a name on the pages, never written to the
    graph: OCR words are not names (`Me  Me  MO  Me` is one)."""
    if not d.types(iri) & {SCHEMA + "ChemicalSubstance", SCHEMA + "MedicalCondition"}:
        return None
    words: Counter[str] = Counter()
    for m, pairs in d.nodes.items():
        if (OA + "hasBody", pyoxigraph.NamedNode(iri)) in pairs:
            word = " ".join((d.text(m, PFOCR + "ocrText") or "").split())
            if word:
                words[word] += 1
    if not words:
        return None
    return min(words, key=lambda w: (-words[w], _natural(w)))


def _read_note(d: Description, iri: str) -> Markup | None:
    """" (as read)", when the name shown is an OCR word."""
    if d.text(iri, SCHEMA + "name") is None and _read_name(d, iri) is not None:
        return el("span", {"class": "muted", "title": "no name given: the word as read in the figure"}, " (as read)")
    return None


def _page_link(d: Description, iri: str, root: str, *children: object) -> Markup:
    """A link to the page of `iri` when the site has one, else its name (or `children`) as text."""
    path = page_path(d, iri)
    shown = children or (_name(d, iri),)
    return el("a", {"href": root + path}, *shown) if path is not None else concat(shown)


def entity_links(iri: str) -> list[tuple[str, str]]:
    """(label, URL) of the databases' own pages for an entity IRI."""
    if (gene := gene_id_of(iri)) is not None:
        return [(f"NCBI Gene {gene}", f"https://www.ncbi.nlm.nih.gov/gene/{gene}")]
    if (mesh := _local(iri, MESH_BASE, "", _MESH)) is not None:
        return [(f"MeSH {mesh}", f"https://meshb.nlm.nih.gov/record/ui?ui={mesh}")]
    if (chebi := _local(iri, CHEBI_BASE, "", _DIGITS) or _local(iri, CHEBI_OBO_BASE, "", _DIGITS)) is not None:
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
           el("a", {"href": f"{root}{VOCAB_NAME}.html"}, "vocabulary"), " · ",
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


def _match_info(d: Description, annotation: str) -> tuple[str | None, str | None, bool]:
    """(kind IRI, source label, flagged) of an annotation."""
    sources = d.iris(annotation, PFOCR + "matchSource")
    if not sources:
        return None, None, False
    source = sources[0]
    kinds = d.iris(source, PFOCR + "matchKind")
    kind = kinds[0] if kinds else PFOCR + "UnknownMatch"
    label = d.text(source, RDFS + "label") or source.rsplit("#", 1)[-1]
    return kind, label, MATCH_KINDS.get(kind, ("", True))[1]


def _read_as(d: Description, annotation: str) -> Markup:
    """How an annotation read its word: the word, the match badge, how many entities it names,
    how often PFOCR listed it."""
    kind, label, _ = _match_info(d, annotation)
    word = d.text(annotation, PFOCR + "ocrText")
    named = len(d.iris(annotation, OA + "hasBody"))
    times = d.text(annotation, PFOCR + "occurrences")
    return concat([
        el("code", None, word) if word is not None else None, " ",
        _badge(kind, label) if kind else None,
        el("span", {"class": "muted"}, f" · names {named}") if named > 1 else None,
        el("span", {"class": "muted"}, f" · listed {times}×") if times else None,
    ])


def _taxon_name(d: Description, iri: str) -> str:
    return d.text(iri, SCHEMA + "name") or iri.rsplit("_", 1)[-1]


def _year(d: Description, record: str) -> str | None:
    """The year of the paper the record's image belongs to."""
    paper = d.first(record, SCHEMA + "about", SCHEMA + "isPartOf")
    return d.text(paper, SCHEMA + "datePublished") if paper else None


def _facts(rows: Iterable[tuple[str, object] | None]) -> Markup:
    items = []
    for row in rows:
        if row is None:
            continue
        label, value = row
        items.append(concat([el("dt", None, label), el("dd", None, value)]))
    return el("dl", {"class": "facts"}, *items)


def _as_data(name: str) -> tuple[str, Markup]:
    return ("This page as data", concat([
        el("a", {"href": f"{name}.ttl", "type": "text/turtle"}, "Turtle"), " · ",
        el("a", {"href": f"{name}.jsonld", "type": "application/ld+json"}, "JSON-LD"),
    ]))


def _joined(items: Iterable[object], separator: str = " · ") -> Markup:
    return concat(x for i, item in enumerate(items) for x in ((separator if i else None), item))


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


def _article(root: str, here: str, *content: object) -> Markup:
    return concat([_header(root, here), el("main", None, el("article", None, *content)), _footer(root)])


# --- figure pages ----------------------------------------------------------------------------


def figure_page(d: Description, figid: str, canonical: str | None) -> bytes:
    """The record, its image, its paper (journal, publisher), its organisms (of its genes,
    recognised in it, of its paper), every annotation with the entities it names, the pathways
    WikiPathways derived from it."""
    record = d.main
    title = d.text(record, SCHEMA + "name") or figid
    caption = d.text(record, SCHEMA + "description")
    images = d.iris(record, SCHEMA + "about")
    image = images[0] if images else None
    paper = d.first(image, SCHEMA + "isPartOf")
    year = d.text(paper, SCHEMA + "datePublished") if paper else None
    position = d.text(image, SCHEMA + "position") if image else None

    subtitle: list[object] = []
    if position:
        subtitle += ["Figure ", position]
    if paper:
        subtitle += [" of " if subtitle else "From ", el("cite", None, d.text(paper, SCHEMA + "name") or paper)]
    if year:
        subtitle += [" (", year, ")"]

    image_links: list[Markup] = []
    if image and "#" not in image:
        image_links.append(link(image, "figure at PubMed Central"))
    image_links += [link(u, u.rsplit("/", 1)[-1], " (image file)") for u in d.iris(image, SCHEMA + "contentUrl")] if image else []
    see_also = d.iris(record, RDFS + "seeAlso")
    pathways = [s for s, pairs in d.nodes.items() if (PROV + "wasDerivedFrom", pyoxigraph.NamedNode(record)) in pairs]
    licenses = d.iris(record, SCHEMA + "license")
    facts = _facts([
        ("Figure id", el("code", None, figid)),
        ("Alias", _joined(el("code", None, a.value) for a in d.values(record, SCHEMA + "alternateName")))
        if d.values(record, SCHEMA + "alternateName") else None,
        ("Figure type", d.text(record, PFOCR + "figureType")) if d.text(record, PFOCR + "figureType") else None,
        ("IRI", el("code", None, record)),
        ("Image", _joined(image_links)) if image_links else None,
        ("Pathway score", d.text(record, PFOCR + "pathwayScore")) if d.text(record, PFOCR + "pathwayScore") else None,
        *(("NDEx network", link(u, u.rsplit("/", 1)[-1])) for u in see_also if u.startswith(NDEX_BASE)),
        *(("See also", link(u)) for u in see_also if not u.startswith(NDEX_BASE)),
        ("WikiPathways", concat([
            "drawn from this figure: ",
            _joined(link(p, p.removeprefix(WIKIPATHWAYS_BASE)) for p in pathways),
        ])) if pathways else None,
        ("License", _joined(link(u, "CC0 1.0" if u == CC0 else u) for u in licenses)) if licenses else None,
        _as_data(figid),
    ])

    sections = [el("section", {"class": "caption", "aria-labelledby": "h-caption"},
                   el("h2", {"id": "h-caption"}, "Caption"), el("p", None, caption or "(no caption)"))]
    sections.append(facts)
    if paper:
        sections.append(_paper_section(d, paper))
    sections.append(_organisms_section(d, record, paper))
    sections += _mention_sections(d, record)
    keywords = [k.value for k in d.values(record, SCHEMA + "keywords")]
    if keywords:
        sections.append(el(
            "details", {"class": "keywords"},
            el("summary", None, f"Keywords ({len(keywords)})"),
            el("ul", None, *(el("li", None, k) for k in keywords)),
        ))

    body = _article("../", "figure", el("h1", None, title),
                    el("p", {"class": "subtitle"}, *subtitle) if subtitle else None,
                    _figure_image(d, image, title), *sections)
    return page(f"{shorten(title, 120)} – PFOCR figure {figid}", body, root="../", head=_page_head(d, figid, canonical),
                description=caption or title)


def image_url(d: Description, image: str | None) -> str | None:
    """The image file (`schema:contentUrl`, PMC's `/pmc/articles/<pmcid>/bin/<filename>`, the
    src PFOCR's own figure pages embed) when it is a URL a page may load."""
    for url in d.iris(image, SCHEMA + "contentUrl") if image else ():
        if safe_url(url) is not None and url.startswith(("https://", "http://")):
            return url
    return None


def _figure_image(d: Description, image: str | None, title: str) -> Markup | None:
    """The published figure, loaded from PubMed Central as PFOCR's pages do (lazily), linked to
    the file; the alt text is the figure's title. The image belongs to its paper, not to PFOCR."""
    url = image_url(d, image)
    if url is None:
        return None
    return el(
        "figure", {"class": "figure-image"},
        el("a", {"href": url}, el("img", {"class": "figure", "src": url, "alt": f"Figure: {title}", "loading": "lazy",
                                          "decoding": "async"})),
        el("figcaption", {"class": "muted"}, "The figure as published, from PubMed Central (",
           link(image, "figure page") if image and "#" not in image else "no figure page known", "); it belongs to its paper."),
    )


def _paper_section(d: Description, paper: str) -> Markup:
    name = d.text(paper, SCHEMA + "name")
    citation = d.text(paper, DCTERMS + "bibliographicCitation")
    pmcid = d.text(paper, SCHEMA + "identifier") or paper.rsplit("/", 1)[-1]
    links = [el("li", None, link(u, pmcid, " at PubMed Central")) for u in d.iris(paper, SCHEMA + "url")]
    for u in d.iris(paper, SCHEMA + "sameAs"):
        label = "doi:" + u[len(DOI_BASE):] if u.startswith(DOI_BASE) else u
        links.append(el("li", None, link(u, label)))
    if page_path(d, paper) is not None:
        links.append(el("li", None, _page_link(d, paper, "../", "Every figure of this paper")))
    if not links:
        links.append(el("li", None, el("code", None, paper)))
    return el(
        "section", {"aria-labelledby": "h-paper"},
        el("h2", {"id": "h-paper"}, "Paper"),
        el("p", None, el("cite", None, name)) if name else None,
        el("p", {"class": "citation"}, citation) if citation else None,
        _venue(d, paper, "../"),
        el("ul", {"class": "links"}, *links),
    )


def _venue(d: Description, paper: str, root: str) -> Markup | None:
    """`Journal (NLM abbreviation) · publisher`, each linked to its page."""
    parts: list[Markup] = []
    journal = d.first(paper, SCHEMA + "isPartOf")
    if journal is not None and journal in d.nodes:
        abbreviation = d.text(journal, SCHEMA + "alternateName")
        parts.append(concat(["Journal: ", _page_link(d, journal, root),
                             f" ({abbreviation})" if abbreviation and abbreviation != d.text(journal, SCHEMA + "name") else None]))
    publisher = d.first(journal, SCHEMA + "publisher") or d.first(paper, SCHEMA + "publisher")
    if publisher is not None and publisher in d.nodes:
        parts.append(concat(["Publisher: ", _page_link(d, publisher, root)]))
    return el("p", None, _joined(parts)) if parts else None


def _organism_items(d: Description, taxa: list[str], names: list[str], extra: Callable[[str], list[object]] | None = None) -> list[Markup]:
    items = []
    for taxon in taxa:
        common = d.text(taxon, SCHEMA + "alternateName")
        more: list[object] = [" (", common, ")"] if common else []
        more += [" · ", *(link(u, label) for label, u in entity_links(taxon))]
        if extra is not None:
            more += extra(taxon)
        items.append(el("li", None, el("i", None, _taxon_name(d, taxon)), *more))
    items += [el("li", None, el("i", None, name), el("span", {"class": "muted"}, " (no taxon known)")) for name in names]
    return items


def _organisms_section(d: Description, record: str, paper: str | None) -> Markup:
    """Three lists, as the graph keeps them apart: the organisms of the figure's genes
    (wp:organism, with PFOCR's match counts), those recognised in the figure
    (pfocr:recognisedOrganism), those of its paper (the paper's schema:about)."""
    counts = {d.first(c, PFOCR + "taxon"): c for c in d.iris(record, PFOCR + "matchCounts")}

    def counted(taxon: str) -> list[object]:
        node = counts.get(taxon)
        if node is None:
            return []
        shown = [(label, d.text(node, PFOCR + p)) for label, p in
                 (("direct", "countDirect"), ("synonym", "countSynonym"), ("match", "countMatch"))]
        text = ", ".join(f"{label} {value}" for label, value in shown if value is not None)
        return [el("span", {"class": "muted"}, f" · PFOCR's counts: {text}")] if text else []

    groups = [
        ("Of its genes", _organism_items(d, d.iris(record, WP + "organism"), [], counted)),
        ("Recognised in the figure", _organism_items(
            d, d.iris(record, PFOCR + "recognisedOrganism"),
            [n.value for n in d.values(record, PFOCR + "recognisedOrganismName")])),
    ]
    if paper is not None:
        taxa = [t for t in d.iris(paper, SCHEMA + "about") if SCHEMA + "Taxon" in d.types(t)]
        groups.append(("Of its paper", _organism_items(d, taxa, [n.value for n in d.values(paper, PFOCR + "organismName")])))
    shown = [concat([el("h3", None, heading), el("ul", None, *items)]) for heading, items in groups if items]
    return el(
        "section", {"aria-labelledby": "h-organisms"},
        el("h2", {"id": "h-organisms"}, "Organisms"),
        *(shown or [el("p", None, "(none given)")]),
    )


_KINDS = (
    ("genes", "Genes", SCHEMA + "Gene"),
    ("chemicals", "Chemicals", SCHEMA + "ChemicalSubstance"),
    ("diseases", "Diseases", SCHEMA + "MedicalCondition"),
)


def _mention_sections(d: Description, record: str) -> list[Markup]:
    """One table per kind: each entity the record mentions, and each annotation naming it (the
    word as read, the matched text, how matched, how many entities the word names)."""
    by_body: dict[str, list[str]] = {}
    for m in d.nodes:
        if m.startswith(record + "#") and OA + "Annotation" in d.types(m):
            for body in d.iris(m, OA + "hasBody"):
                by_body.setdefault(body, []).append(m)
    order = {iri: i for i, iri in enumerate(d.nodes)}
    entities = sorted(
        d.iris(record, SCHEMA + "mentions"),
        key=lambda e: (order.get(by_body[e][0], len(order)) if e in by_body else len(order), _natural(e)),
    )
    anchored: set[str] = set()  # an annotation naming several entities is anchored on its first row
    sections = []
    for key, heading, cls in _KINDS:
        rows = []
        for entity in entities:
            if cls not in d.types(entity):
                continue
            rows += _mention_rows(d, key, entity, by_body.get(entity, []), anchored)
        if not rows:
            continue
        header_cells = ["Name", "Identifier"] + (["Organism"] if key == "genes" else []) + ["Read in the figure", "Matched text", "Match"]
        flagged = sum(1 for r in rows if r.startswith('<tr class="flagged"'))
        note = None
        if key == "genes":
            note = el("p", {"class": "note"},
                      "Matches by alias, previous symbol, synonym, family expansion or an unknown source are "
                      "marked ⚠: they are often wrong. ", number(flagged), " of ", number(len(rows)),
                      " gene readings here are marked.")
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


def _identifier_links(d: Description, entity: str) -> list[Markup]:
    ids = [link(u, label) for label, u in entity_links(entity)]
    chebi = dict.fromkeys(u[len(CHEBI_BASE):] for u in d.iris(entity, WP + "bdbChEBI") if u.startswith(CHEBI_BASE))
    chebi.update(dict.fromkeys(u[len(CHEBI_OBO_BASE):] for u in d.iris(entity, SKOS + "exactMatch")
                               if u.startswith(CHEBI_OBO_BASE)))
    if entity.startswith(CHEBI_BASE):
        chebi.pop(entity[len(CHEBI_BASE):], None)  # its own link is there already
    ids += [link(f"https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:{n}", f"ChEBI {n}") for n in chebi]
    ids += [link(u, "DOID " + u[len(DOID_BASE):]) for u in d.iris(entity, SCHEMA + "sameAs") if u.startswith(DOID_BASE)]
    return ids


def _mention_rows(d: Description, key: str, entity: str, annotations: list[str], anchored: set[str]) -> list[Markup]:
    name = _name(d, entity)
    path = page_path(d, entity)
    name_cell = concat([el("a", {"href": f"../{path}"}, name) if path is not None else escape(name), _read_note(d, entity)])
    ids = _identifier_links(d, entity)
    id_cell = _joined(ids) if ids else el("code", None, entity)
    organism = None
    if key == "genes":
        taxa = d.iris(entity, SCHEMA + "taxonomicRange")
        organism = el("td", None, el("i", None, _taxon_name(d, taxa[0])) if taxa else "")
    rows = []
    listed: list[str | None] = [*annotations] or [None]  # an entity without an annotation still gets its row
    for m in listed:
        kind, label, flagged = _match_info(d, m) if m else (None, None, False)
        word = d.text(m, PFOCR + "ocrText") if m else None
        matched = d.text(m, PFOCR + "matchedText") if m else None
        named = len(d.iris(m, OA + "hasBody")) if m else 0
        times = d.text(m, PFOCR + "occurrences") if m else None
        match = concat([
            _badge(kind, label) if m and kind else None,
            el("span", {"class": "muted"}, f" · the word names {named}") if named > 1 else None,
            el("span", {"class": "muted"}, f" · listed {times}×") if times else None,
        ])
        cells = [
            el("td", None, name_cell), el("td", None, id_cell), organism,
            el("td", None, el("code", None, word) if word is not None else ""),
            el("td", None, el("code", None, matched) if matched is not None else ""),
            el("td", None, match),
        ]
        anchor = None
        if m and m not in anchored:
            anchored.add(m)
            anchor = m.rsplit("#", 1)[-1]
        rows.append(el("tr", {"class": "flagged" if flagged else None, "id": anchor}, *cells))
    return rows


# --- gene, chemical and disease pages ---------------------------------------------------------------


def entity_page(d: Description, kind: PageKind, local: str, figures: list[str], canonical: str | None) -> bytes:
    """A gene, chemical or disease: what it is, its identifiers, and every figure that names it
    with how each read it."""
    entity = d.main
    name = _name(d, entity)
    taxa = d.iris(entity, SCHEMA + "taxonomicRange")
    organism = _taxon_name(d, taxa[0]) if taxa else None
    hgnc = d.iris(entity, WP + "bdbHgncSymbol")
    ids = _identifier_links(d, entity)
    facts = _facts([
        ("Symbol" if kind is GENES else "Name", concat([name, _read_note(d, entity)])),
        ("Identifiers", _joined(ids)) if ids else None,
        ("Organism", concat([el("i", None, organism), " · ", *(link(u, label) for label, u in entity_links(taxa[0]))]))
        if taxa else None,
        ("HGNC symbol", _joined(link(u, u.rsplit("/", 1)[-1]) for u in hgnc)) if hgnc else None,
        ("IRI", el("code", None, entity)),
        _as_data(local),
    ])
    reads: dict[str, list[str]] = {}
    for m in d.nodes:
        if entity in d.iris(m, OA + "hasBody"):
            reads.setdefault(m.split("#", 1)[0], []).append(m)
    rows = []
    flagged_figures = 0
    for f in figures:
        figid = figid_of(f)
        title = d.text(f, SCHEMA + "name") or figid or f
        items = []
        flagged = False
        for m in reads.get(f, []):
            flagged = flagged or _match_info(d, m)[2]
            items.append(el("li", None, _read_as(d, m)))
        flagged_figures += flagged
        rows.append(el(
            "tr", {"class": "flagged" if flagged else None},
            el("td", None, el("a", {"href": f"../figures/{figid}.html"}, title) if figid else escape(title)),
            el("td", None, _year(d, f) or ""),
            el("td", None, el("ul", {"class": "reads"}, *items) if items else ""),
        ))
    id_label = f"NCBI Gene {local}" if kind is GENES else local.replace("_", " ")
    body = _article(
        "../", kind.one,
        el("h1", None, name, " ", el("span", {"class": "muted"}, id_label)) if name != local else el("h1", None, id_label),
        el("p", {"class": "subtitle"}, el("i", None, organism)) if organism else None,
        facts,
        el("section", {"aria-labelledby": "h-figures"},
           el("h2", {"id": "h-figures"}, "Figures that mention ", name, " (", number(len(figures)), ")"),
           el("p", {"class": "note"}, number(flagged_figures), " of them by a match marked ⚠ "
              "(alias, previous symbol, synonym, family or unknown source): check those.")
           if flagged_figures else None,
           el("div", {"class": "scroll"}, el(
               "table", {"class": "figures"},
               el("thead", None, el("tr", None, *(el("th", {"scope": "col"}, h) for h in ("Figure", "Year", "Read as")))),
               el("tbody", None, *rows),
           ))),
    )
    title = f"{name} ({id_label})" + (f", {organism}" if organism else "")
    return page(f"{title} – PFOCR figures", body, root="../", head=_page_head(d, local, canonical),
                description=f"Pathway figures that mention the {kind.one} {name}: {len(figures)} in PFOCR.")


def gene_page(d: Description, gene_id: str, figures: list[str], canonical: str | None) -> bytes:
    return entity_page(d, GENES, gene_id, figures, canonical)


# --- paper, journal and publisher pages ---------------------------------------------------------


def paper_page(d: Description, pmcid: str, records: list[str], canonical: str | None) -> bytes:
    paper = d.main
    name = d.text(paper, SCHEMA + "name") or pmcid
    year = d.text(paper, SCHEMA + "datePublished")
    citation = d.text(paper, DCTERMS + "bibliographicCitation")
    links = [link(u, pmcid, " at PubMed Central") for u in d.iris(paper, SCHEMA + "url")]
    links += [link(u, "doi:" + u[len(DOI_BASE):] if u.startswith(DOI_BASE) else u) for u in d.iris(paper, SCHEMA + "sameAs")]
    taxa = [t for t in d.iris(paper, SCHEMA + "about") if SCHEMA + "Taxon" in d.types(t)]
    organisms = _organism_items(d, taxa, [n.value for n in d.values(paper, PFOCR + "organismName")])
    keywords = [k.value for k in d.values(paper, SCHEMA + "keywords")]
    facts = _facts([
        ("PMC id", el("code", None, pmcid)),
        ("Year", year) if year else None,
        ("Citation", citation) if citation else None,
        ("Links", _joined(links)) if links else None,
        ("IRI", el("code", None, paper)),
        _as_data(pmcid),
    ])
    rows = []
    for f in records:
        figid = figid_of(f) or f
        image = d.first(f, SCHEMA + "about")
        rows.append(el(
            "tr", None,
            el("td", None, d.text(image, SCHEMA + "position") or "" if image else ""),
            el("td", None, el("a", {"href": f"../figures/{figid}.html"}, d.text(f, SCHEMA + "name") or figid)),
            el("td", None, d.text(f, PFOCR + "figureType") or ""),
        ))
    body = _article(
        "../", "paper",
        el("h1", None, name),
        el("p", {"class": "subtitle"}, year) if year else None,
        _venue(d, paper, "../"),
        facts,
        el("section", {"aria-labelledby": "h-organisms"}, el("h2", {"id": "h-organisms"}, "Organisms"),
           el("ul", None, *organisms)) if organisms else None,
        el("section", {"aria-labelledby": "h-figures"},
           el("h2", {"id": "h-figures"}, "Figures (", number(len(records)), ")"),
           el("div", {"class": "scroll"}, el(
               "table", {"class": "figures"},
               el("thead", None, el("tr", None, *(el("th", {"scope": "col"}, h) for h in ("Number", "Title", "Type")))),
               el("tbody", None, *rows)))),
        el("details", {"class": "keywords"}, el("summary", None, f"Author keywords ({len(keywords)})"),
           el("ul", None, *(el("li", None, k) for k in keywords))) if keywords else None,
    )
    return page(f"{shorten(name, 120)} – PFOCR paper {pmcid}", body, root="../", head=_page_head(d, pmcid, canonical),
                description=f"Pathway figures of the paper {name}: {len(records)} in PFOCR.")


def _paper_rows(d: Description, papers: list[str]) -> list[Markup]:
    rows = []
    for p in sorted(papers, key=lambda p: (d.text(p, SCHEMA + "datePublished") or "", _natural(p))):
        rows.append(el("tr", None,
                       el("td", None, d.text(p, SCHEMA + "datePublished") or ""),
                       el("td", None, _page_link(d, p, "../")),
                       el("td", None, el("code", None, d.text(p, SCHEMA + "identifier") or p.rsplit("/", 1)[-1]))))
    return rows


def _papers_table(d: Description, papers: list[str]) -> Markup:
    return el("div", {"class": "scroll"}, el(
        "table", {"class": "figures"},
        el("thead", None, el("tr", None, *(el("th", {"scope": "col"}, h) for h in ("Year", "Paper", "PMC id")))),
        el("tbody", None, *_paper_rows(d, papers))))


def journal_page(d: Description, slug: str, papers: list[str], canonical: str | None) -> bytes:
    journal = d.main
    name = d.text(journal, SCHEMA + "name") or d.text(journal, SCHEMA + "alternateName") or slug
    abbreviations = [a.value for a in d.values(journal, SCHEMA + "alternateName")]
    publisher = d.first(journal, SCHEMA + "publisher")
    facts = _facts([
        ("NLM abbreviation", _joined(abbreviations)) if abbreviations else None,
        ("Publisher", _page_link(d, publisher, "../")) if publisher else None,
        ("IRI", el("code", None, journal)),
        _as_data(slug),
    ])
    body = _article(
        "../", "journal", el("h1", None, name), facts,
        el("section", {"aria-labelledby": "h-papers"},
           el("h2", {"id": "h-papers"}, "Papers with figures in PFOCR (", number(len(papers)), ")"), _papers_table(d, papers)),
    )
    return page(f"{shorten(name, 120)} – PFOCR journal", body, root="../", head=_page_head(d, slug, canonical),
                description=f"Papers of {name} whose pathway figures are in PFOCR: {len(papers)}.")


def publisher_page(d: Description, slug: str, named: list[str], canonical: str | None) -> bytes:
    publisher = d.main
    name = d.text(publisher, SCHEMA + "name") or slug
    journals = [i for i in named if SCHEMA + "Periodical" in d.types(i)]
    papers = [i for i in named if i not in journals]
    facts = _facts([("IRI", el("code", None, publisher)), _as_data(slug)])
    sections: list[object] = [el("h1", None, name), facts]
    if journals:
        sections.append(el("section", {"aria-labelledby": "h-journals"},
                           el("h2", {"id": "h-journals"}, "Journals (", number(len(journals)), ")"),
                           el("ul", None, *(el("li", None, _page_link(d, j, "../")) for j in
                                            sorted(journals, key=lambda j: (_name(d, j).lower(), j))))))
    if papers:
        sections.append(el("section", {"aria-labelledby": "h-papers"},
                           el("h2", {"id": "h-papers"}, "Papers without a journal given (", number(len(papers)), ")"),
                           _papers_table(d, papers)))
    body = _article("../", "publisher", *sections)
    return page(f"{shorten(name, 120)} – PFOCR publisher", body, root="../", head=_page_head(d, slug, canonical),
                description=f"Journals and papers of {name} with pathway figures in PFOCR.")


# --- the vocabulary page ------------------------------------------------------------------------


_OWL = "http://www.w3.org/2002/07/owl#"


def vocab_page(triples: list[pyoxigraph.Triple], source: str) -> bytes:
    """The pfocr: vocabulary for people: each term with its label, comment, domain and range,
    anchored by its local name (vocab.html#matchSource), classes, properties, then the rest."""
    nodes: dict[str, Pairs] = {}
    for t in triples:
        if isinstance(t.subject, pyoxigraph.NamedNode):
            nodes.setdefault(t.subject.value, []).append((t.predicate.value, cast(Term, t.object)))
    d = Description(PFOCR.rstrip("#"), {s: sorted(set(p), key=_pair_key) for s, p in nodes.items()})

    def curie(iri: str) -> Markup:
        for prefix, base in PREFIXES.items():
            if iri.startswith(base) and len(iri) > len(base):
                local = iri[len(base):]
                if prefix == "pfocr":
                    return el("a", {"href": f"#{local}"}, el("code", None, f"pfocr:{local}"))
                return el("code", None, f"{prefix}:{local}")
        return el("code", None, iri)

    terms = sorted((s for s in d.nodes if s.startswith(PFOCR) and len(s) > len(PFOCR)), key=lambda s: s[len(PFOCR):].lower())
    groups: dict[str, list[str]] = {"Classes": [], "Properties": [], "Individuals": []}
    for term in terms:
        types = d.types(term)
        if types & {RDFS + "Class", _OWL + "Class"}:
            groups["Classes"].append(term)
        elif types & {RDF + "Property", _OWL + "ObjectProperty", _OWL + "DatatypeProperty", _OWL + "AnnotationProperty"}:
            groups["Properties"].append(term)
        else:
            groups["Individuals"].append(term)
    ontology = d.main
    sections: list[object] = [
        el("h1", None, d.text(ontology, RDFS + "label") or "The pfocr: vocabulary"),
        el("p", {"class": "lead"}, d.text(ontology, RDFS + "comment") or ""),
        _facts([
            ("Namespace", el("code", None, PFOCR)),
            ("As data", concat([el("a", {"href": f"{VOCAB_NAME}.ttl", "type": "text/turtle"}, "Turtle"), " · ",
                                el("a", {"href": f"{VOCAB_NAME}.jsonld", "type": "application/ld+json"}, "JSON-LD")])),
            ("License", _joined(link(u, "CC0 1.0" if u == CC0 else u) for u in d.iris(ontology, DCTERMS + "license")))
            if d.iris(ontology, DCTERMS + "license") else None,
        ]),
    ]
    for heading, members in groups.items():
        if not members:
            continue
        items = []
        for term in members:
            local = term[len(PFOCR):]
            rows = [
                ("Type", _joined(curie(t) for t in sorted(d.types(term)))) if d.types(term) else None,
                ("Domain", _joined(curie(t) for t in d.iris(term, RDFS + "domain"))) if d.iris(term, RDFS + "domain") else None,
                ("Range", _joined(curie(t) for t in d.iris(term, RDFS + "range"))) if d.iris(term, RDFS + "range") else None,
            ]
            items.append(el(
                "section", {"id": local, "class": "term"},
                el("h3", None, el("code", None, f"pfocr:{local}"), " ",
                   el("span", {"class": "muted"}, d.text(term, RDFS + "label") or "")),
                el("p", None, d.text(term, RDFS + "comment")) if d.text(term, RDFS + "comment") else None,
                _facts(rows),
            ))
        sections.append(el("section", {"aria-labelledby": f"h-{heading.lower()}"},
                           el("h2", {"id": f"h-{heading.lower()}"}, heading, " (", number(len(members)), ")"), *items))
    sections.append(el("p", {"class": "muted"}, "From ", el("code", None, source), "."))
    head = [
        el("link", {"rel": "alternate", "type": "text/turtle", "href": f"{VOCAB_NAME}.ttl", "title": "Turtle"}),
        el("link", {"rel": "alternate", "type": "application/ld+json", "href": f"{VOCAB_NAME}.jsonld", "title": "JSON-LD"}),
    ]
    body = concat([_header("", "vocabulary"), el("main", None, el("article", None, *sections)), _footer("")])
    return page("The pfocr: vocabulary – PFOCR knowledge graph", body, root="", head=head,
                description="The terms of the PFOCR knowledge graph that no standard vocabulary has.")


def index_page(counts: dict[str, int], organisms: list[str], organism_figures: Counter[int], has_dumps: list[str],
               has_void: bool, has_vocab: bool = False) -> bytes:
    """The search page. `counts`: figures and genes, and any of chemicals, diseases, papers,
    journal, publisher (pages of each kind)."""
    options = [el("option", {"value": ""}, "any organism")]
    for i, name in enumerate(organisms):
        if organism_figures.get(i):
            options.append(el("option", {"value": str(i)}, name, " (", number(organism_figures[i]), ")"))
    data_links = [
        el("li", None, el("a", {"href": CONTEXT_FILE, "type": "application/ld+json"}, CONTEXT_FILE),
           ": the JSON-LD context of every .jsonld file here (each also carries it inline)"),
        el("li", None, el("a", {"href": "sitemap.xml"}, "sitemap.xml"), ": every page"),
    ]
    if has_vocab:
        data_links.insert(0, el("li", None, el("a", {"href": f"{VOCAB_NAME}.html"}, "The pfocr: vocabulary"), " (",
                                el("a", {"href": f"{VOCAB_NAME}.ttl", "type": "text/turtle"}, f"{VOCAB_NAME}.ttl"), ")"))
    if has_void:
        data_links.insert(0, el("li", None, el("a", {"href": "void.ttl"}, "void.ttl"), " (VoID) and ",
                                el("a", {"href": "dataset.jsonld"}, "dataset.jsonld"), " (schema.org Dataset)"))
    for name in has_dumps:
        data_links.append(el("li", None, el("a", {"href": f"dumps/{name}"}, name), ": the whole graph"))
    others = [(counts.get(folder, 0), one, many) for folder, one, many in (
        ("chemicals", "chemical", "chemicals"), ("diseases", "disease", "diseases"), ("papers", "paper", "papers"),
        ("journal", "journal", "journals"), ("publisher", "publisher", "publishers")) if counts.get(folder)]
    more = concat([
        " Also pages for ",
        _joined((concat([number(n), " ", one if n == 1 else many]) for n, one, many in others), ", "), "."
    ]) if others else None
    body = concat([
        _header("", "search"),
        el("main", None,
           el("h1", None, "Pathway figures and the genes in them"),
           el("p", {"class": "lead"},
              number(counts["figures"]), " figures from published papers (",
              link("https://pfocr.wikipathways.org/", "Pathway Figure OCR"), "), ",
              number(counts["genes"]), " genes. Every figure and gene has a page, and its data as Turtle and JSON-LD.",
              more),
           el("form", {"id": "search", "role": "search", "action": "index.html", "method": "get"},
              el("p", None,
                 el("label", {"for": "q"}, "Gene symbol, or words of a title, caption, chemical or disease"),
                 el("input", {"type": "search", "id": "q", "name": "q", "autocomplete": "off", "spellcheck": "false",
                              "placeholder": "e.g. TNF, apoptosis, glucose"})),
              el("p", None,
                 el("label", {"for": "organism"}, "Organism"),
                 el("select", {"id": "organism", "name": "organism"}, *options)),
              el("p", None,
                 el("label", {"for": "sort"}, "Sort figures by"),
                 el("select", {"id": "sort", "name": "sort"},
                    el("option", {"value": "year"}, "year, newest first"),
                    el("option", {"value": "title"}, "title, A to Z"))),
              el("p", None, el("button", {"type": "submit"}, "Search"))),
           el("noscript", None, el("p", None, "Search runs in the page and needs JavaScript; every page is listed in ",
                                   el("a", {"href": "sitemap.xml"}, "sitemap.xml"), ".")),
           el("section", {"id": "results", "aria-live": "polite", "aria-labelledby": "h-results"},
              el("h2", {"id": "h-results"}, "Results"),
              el("p", {"id": "summary"}, "Loading the index…"),
              el("h3", {"id": "h-genes", "hidden": True}, "Genes"),
              el("ul", {"id": "gene-results", "class": "genes"}),
              el("h3", {"id": "h-terms", "hidden": True}, "Chemicals and diseases"),
              el("ul", {"id": "term-results", "class": "genes"}),
              el("h3", {"id": "h-figs", "hidden": True}, "Figures"),
              el("ol", {"id": "figure-results", "class": "figures"})),
           el("section", {"aria-labelledby": "h-data"},
              el("h2", {"id": "h-data"}, "Data"),
              el("ul", None, *data_links))),
        _footer(""),
    ])
    return page("PFOCR knowledge graph: pathway figures and their genes", body, root="",
                description="Search published pathway figures by gene symbol, title, caption, chemical, disease and organism.",
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


def _vocabulary(nt_path: Path) -> tuple[bytes, str] | None:
    """The vocabulary to publish and where it came from: the build's OUTDIR/pfocr-vocab.ttl (it
    matches the data), else the packaged kg/context/pfocr-vocab.ttl; None when neither is there."""
    built = nt_path.with_name(VOCAB_BUILT)
    if built.is_file():
        return built.read_bytes(), str(built)
    packaged = resources.files("kg").joinpath(VOCAB_RESOURCE)
    if packaged.is_file():
        return packaged.read_bytes(), f"kg/{VOCAB_RESOURCE} (packaged: {nt_path.parent} has no {VOCAB_BUILT})"
    return None


def _write_vocabulary(work: Path, nt_path: Path, base: str) -> str | None:
    """vocab.ttl (the file's bytes), vocab.jsonld (the same triples) and vocab.html; the source
    named, or None when there is no vocabulary (nothing written) or it is not Turtle (a warning)."""
    found = _vocabulary(nt_path)
    if found is None:
        return None
    data, source = found
    try:
        triples = [q.triple for q in pyoxigraph.parse(data, pyoxigraph.RdfFormat.TURTLE)]
    except SyntaxError as exc:
        raise PublishError(f"{source}: not Turtle ({exc}); the site would publish a broken vocabulary") from exc
    _write(work / f"{VOCAB_NAME}.ttl", data)
    _write(work / f"{VOCAB_NAME}.jsonld", jsonld([t for t in triples if not isinstance(t.subject, pyoxigraph.BlankNode)]))
    _write(work / f"{VOCAB_NAME}.html", vocab_page(triples, source.split(" ", 1)[0]))
    return source


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
    """Every organism a figure may be filtered by: the names of the taxa, and the names without a
    taxon (wp:organismName, pfocr:organismName)."""
    names = {q.object.value for p in (WP + "organismName", PFOCR + "organismName")
             for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(p), None, None)
             if isinstance(q.object, pyoxigraph.Literal)}
    for taxon in _select_iris(store, SCHEMA + "Taxon"):
        for q in store.quads_for_pattern(pyoxigraph.NamedNode(taxon), pyoxigraph.NamedNode(SCHEMA + "name"), None, None):
            if isinstance(q.object, pyoxigraph.Literal):
                names.add(q.object.value)
    return sorted(names)


def search_text(d: Description, record: str) -> str:
    """What the search finds a figure by besides its title: the words of its caption and of the
    names (and OCR words, when the graph gives no name) of the chemicals and diseases it mentions,
    lower case, each once, in first-seen order."""
    parts = [d.text(record, SCHEMA + "description") or ""]
    for entity in d.iris(record, SCHEMA + "mentions"):
        if d.types(entity) & {SCHEMA + "ChemicalSubstance", SCHEMA + "MedicalCondition"}:
            parts.append(_name(d, entity))
    return " ".join(dict.fromkeys(" ".join(parts).lower().split()))


def figure_organisms(d: Description, record: str) -> set[str]:
    """The organism names a figure is found under by the search's filter: those of its genes,
    those recognised in it and those of its paper (the page lists them apart)."""
    paper = d.first(record, SCHEMA + "about", SCHEMA + "isPartOf")
    names = {o.value for o in d.values(record, WP + "organismName")}
    names |= {o.value for o in d.values(record, PFOCR + "organismName")}
    taxa = d.iris(record, WP + "organism") + d.iris(record, PFOCR + "recognisedOrganism")
    if paper is not None:
        names |= {o.value for o in d.values(paper, PFOCR + "organismName")}
        taxa += [t for t in d.iris(paper, SCHEMA + "about") if SCHEMA + "Taxon" in d.types(t)]
    return names | {_taxon_name(d, t) for t in taxa}


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




def _pages_of(store: pyoxigraph.Store, kind: PageKind, report: PublishReport) -> list[tuple[str, str]]:
    """(local name, IRI) of every node of the kind's class that can have a page, in natural order;
    the others are noted as skipped (a publisher page only for our publisher IRIs: the creator,
    WikiPathways, is an Organization too)."""
    pages = []
    for iri in _select_iris(store, kind.cls):
        local = kind.local(iri)
        if local is not None:
            pages.append((local, iri))
        elif kind is not PUBLISHERS:
            report.skipped.append(f"{iri}: not a {kind.one} IRI ({kind.expected}), no page")
    pages.sort(key=lambda pair: _natural(pair[0]))
    return pages


def _publish_into(
    store: pyoxigraph.Store, work: Path, base: str, nt_path: Path, dumps: bool,
    progress: Progress | None, sitemap_limit: int,
) -> PublishReport:
    report = PublishReport(work)
    _copy_static(work)
    for folder in PAGE_FOLDERS:
        (work / folder).mkdir()

    figures: list[tuple[str, str]] = []
    for iri in _select_iris(store, SCHEMA + "Dataset"):
        figid = figid_of(iri)
        if figid is None:
            report.skipped.append(f"{iri}: not a PFOCR record IRI ({FIGURE_BASE}<figid>.html), no page")
        else:
            figures.append((figid, iri))
    figures.sort()
    kinds = {kind.folder: _pages_of(store, kind, report) for kind in (*ENTITY_KINDS, *OTHER_KINDS)}
    genes = kinds[GENES.folder]
    organisms = _organism_names(store)
    organism_index = {name: i for i, name in enumerate(organisms)}
    organism_figures: Counter[int] = Counter()

    def documents(folder: str, name: str, d: Description) -> None:
        triples = list(d.triples())
        _write(work / folder / f"{name}.ttl", turtle(triples))
        _write(work / folder / f"{name}.jsonld", jsonld(triples))

    terms: list[list[object]] = []  # chemicals and diseases: [folder, id, name, figures]
    with (work / "search-index.js").open("w", encoding="utf-8", newline="\n") as index, \
            (work / "search-text.js").open("w", encoding="utf-8", newline="\n") as text:
        index.write("/* pfocr-kg search index: organisms; figures [figid, title, year, [organism], image] (image: a URL,"
                    " or a path after imageBase, or \"\"); genes [id, symbol, figures, organism] (organism: a position in"
                    " organisms, -1 none); terms [folder, id, name, figures] (chemicals and diseases) */\n")
        index.write('window.PFOCR_INDEX = {"version":2,\n"imageBase":' + _js_json(IMAGE_BASE)
                    + ',\n"organisms":' + _js_json(organisms) + ',\n"figures":[')
        text.write("/* pfocr-kg search text: for each figure of search-index.js, in its order, the words of its caption"
                   " and of the names of the chemicals and diseases it mentions, lower case, each once */\n")
        text.write("window.PFOCR_TEXT = [")
        for n, (figid, iri) in enumerate(figures):
            d = figure_description(store, iri)
            _write(work / "figures" / f"{figid}.html", figure_page(d, figid, _url(base, f"figures/{figid}.html")))
            documents("figures", figid, d)
            org = sorted(organism_index[name] for name in figure_organisms(d, iri) if name in organism_index)
            organism_figures.update(org)
            year = _year(d, iri)
            image = image_url(d, d.first(iri, SCHEMA + "about")) or ""
            entry = [figid, d.text(iri, SCHEMA + "name") or "", int(year) if year and year.isdigit() else None, org,
                     image.removeprefix(IMAGE_BASE)]
            index.write(("\n" if n == 0 else ",\n") + _js_json(entry))
            text.write(("\n" if n == 0 else ",\n") + _js_json(search_text(d, iri)))
            report.figures += 1
            if progress is not None:
                progress("figures", n + 1, len(figures))
        text.write("];\n")
        index.write('],\n"genes":[')
        for kind in ENTITY_KINDS:
            pages = kinds[kind.folder]
            for n, (local, iri) in enumerate(pages):
                d, mentioned_in = entity_description(store, iri)
                _write(work / kind.folder / f"{local}.html",
                       entity_page(d, kind, local, mentioned_in, _url(base, f"{kind.folder}/{local}.html")))
                documents(kind.folder, local, d)
                if kind is GENES:
                    taxa = d.iris(iri, SCHEMA + "taxonomicRange")
                    org_id = organism_index.get(_taxon_name(d, taxa[0]), -1) if taxa else -1
                    entry = [local, d.text(iri, SCHEMA + "name") or local, len(mentioned_in), org_id]
                    index.write(("\n" if n == 0 else ",\n") + _js_json(entry))
                else:
                    terms.append([kind.folder, local, _name(d, iri), len(mentioned_in)])
                if progress is not None:
                    progress(kind.folder, n + 1, len(pages))
        index.write('],\n"terms":[' + ",\n".join(_js_json(term) for term in terms))
        index.write("]};\n")
    report.genes = len(genes)

    describe = {PAPERS.folder: (paper_description, paper_page), JOURNALS.folder: (journal_description, journal_page),
                PUBLISHERS.folder: (publisher_description, publisher_page)}
    for kind in OTHER_KINDS:
        description, render = describe[kind.folder]
        pages = kinds[kind.folder]
        for n, (local, iri) in enumerate(pages):
            d, listed = description(store, iri)
            _write(work / kind.folder / f"{local}.html", render(d, local, listed, _url(base, f"{kind.folder}/{local}.html")))
            documents(kind.folder, local, d)
            if progress is not None:
                progress(kind.folder, n + 1, len(pages))
    report.pages = {"figures": len(figures), **{folder: len(pages) for folder, pages in kinds.items()}}

    dump_names: list[str] = []
    if dumps:
        (work / "dumps").mkdir()
        for fmt in DUMP_FORMATS:
            source = nt_path.with_name(f"pfocr.{fmt}")
            if source.is_file():
                _link_or_copy(source, work / "dumps" / source.name)
                dump_names.append(source.name)
    report.void = _write_descriptions(work, nt_path, base, [f"dumps/{n}" for n in dump_names], report)
    report.vocabulary = _write_vocabulary(work, nt_path, base)

    _write(work / "index.html", index_page(
        report.pages, organisms, organism_figures, dump_names, report.void, report.vocabulary is not None))
    paths = _site_paths(figures, kinds, report.vocabulary is not None)
    total = 1 + len(figures) + sum(len(pages) for pages in kinds.values()) + (report.vocabulary is not None)
    _write_sitemaps(work, base, paths, total, sitemap_limit)
    _write(work / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {_url(base, 'sitemap.xml')}\n".encode())
    report.files = sum(1 for p in work.rglob("*") if p.is_file())
    return report


def _site_paths(figures: list[tuple[str, str]], kinds: dict[str, list[tuple[str, str]]], vocab: bool) -> Iterator[str]:
    yield "index.html"
    for figid, _ in figures:
        yield f"figures/{figid}.html"
    for folder, pages in kinds.items():
        for local, _ in pages:
            yield f"{folder}/{local}.html"
    if vocab:
        yield f"{VOCAB_NAME}.html"


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write_descriptions(work: Path, nt_path: Path, base: str, dumps: list[str], report: PublishReport | None = None) -> bool:
    """void.ttl and dataset.jsonld through kg.publish.void, when that module is there; where the
    file's dataset node disagrees with the file, a warning in `report`."""
    try:
        from kg.publish.void import write_dataset_jsonld, write_void
    except ImportError:  # HOOK: kg.publish.void (VoID + schema.org Dataset) not installed
        return False
    stats = write_void(nt_path, work / "void.ttl", base, dumps)
    write_dataset_jsonld(work / "dataset.jsonld", base, dumps, stats=stats)
    if report is not None:
        report.warnings.extend(stats.disagreements)
    return True
