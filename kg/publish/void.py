"""VoID (void.ttl) and schema.org Dataset (dataset.jsonld) descriptions of a finished pfocr.nt.

Both describe the dataset node the build writes at the end of pfocr.nt,
`<https://w3id.org/pfocr-kg/dataset>` (docs/vocabulary.md; docs/w3id.md redirects that IRI and
`…/software` to void.ttl): void.ttl repeats what pfocr.nt says of the dataset and the software
(title, description, license, source, version, commits, `pav:createdWith`) and adds what only
the whole file tells (counts, partitions, dumps, examples, vocabularies). Nothing is said twice
in two ways: a title, description or license the node gives is not given again; a file without
the node (an older build, a hand-made file) gets our own.

Counts come from the data, in one streaming pass of pyoxigraph's N-Triples parser
(`dataset_statistics`). Memory: the sets of distinct subjects and of distinct objects (every
term, literals included) are held to count them exactly, so memory grows with the number of
distinct terms, not with the triples; everything else is per subject. Triples are counted once
each (an RDF graph is a set): repeats are recognised inside a subject's block of consecutive
lines, which is all `kg build` ever writes; a file in which a subject comes back after another
subject (hand-made, concatenated, sorted differently) is detected, and then the counts that
repeats could inflate (triples, per property, per class) are taken from an on-disk pyoxigraph
store in a temporary folder instead — still exact, still bounded in memory.

What the counts mean:
- `void:triples`: distinct triples (the dataset node's `void:triples` counts the same: the file's,
  its own included); `void:distinctSubjects`, `void:distinctObjects`: distinct terms.
- `void:entities`: the records, as the dataset node counts them: distinct subjects whose IRI
  starts with `void:uriSpace` (`https://pfocr.wikipathways.org/figures/`) and has no fragment.
  Their parts (`<record>#m-…` annotations, `#image`, `#organism-…` counts) are described with
  them; genes, papers, taxa, chemicals and diseases keep their shared identifiers.org/OBO/MeSH
  IRIs and are counted in their class partitions.
- class partition `void:entities`: distinct subjects with `rdf:type` that class.
- property partition `void:triples`: distinct triples with that predicate.
- `void:vocabulary`: the vocabularies whose terms the data uses as classes or properties (rdf
  and xsd aside), the pfocr: terms as their ontology `https://w3id.org/pfocr-kg/vocab`.
When the dataset node's `void:triples` or `void:entities` differ from the counts (a file changed
after `kg build`), the counts are written and the difference is reported
(`DatasetStatistics.disagreements`).

No blank nodes: the description is `<BASE/void.ttl>`, partitions `#classPartition-<n>` and
`#propertyPartition-<n>` (n counts classes and properties in IRI order), `#build` the activity
that made the data, associated with `<https://w3id.org/pfocr-kg/software>`. Same input, same
bytes; a date is written only when the data (`dcterms:issued`) or SOURCE_DATE_EPOCH gives one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pyoxigraph

from kg import __version__, iris
from kg.vocab import (
    CC0,
    DATASET,
    DCTERMS,
    FIGURE_BASE,
    OA,
    PAV,
    PFOCR,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SOFTWARE,
    VOID,
    WIKIPATHWAYS_ORG,
    WP,
    XSD,
)
from kg.write.atomic import write_bytes

PFOCR_DATABASE = "https://pfocr.wikipathways.org/"
# Hanspers et al. (2020) "Pathway information extracted from 25 years of pathway figures",
# Genome Biology 21:273: the paper that describes PFOCR.
PFOCR_PAPER = "https://doi.org/10.1186/s13059-020-02181-2"
FOAF = "http://xmlns.com/foaf/0.1/"
FORMATS = "http://www.w3.org/ns/formats/"
PFOCR_VOCAB = PFOCR.rstrip("#")  # the ontology of the pfocr: terms (pfocr-vocab.ttl)
# namespace of the terms the data uses → the vocabulary IRI void:vocabulary names
KNOWN_VOCABULARIES = {
    SCHEMA: SCHEMA, WP: WP, OA: OA, DCTERMS: DCTERMS, PROV: PROV, SKOS: SKOS, PAV: PAV, VOID: VOID,
    RDFS: RDFS, PFOCR: PFOCR_VOCAB,
}
TITLE = "PFOCR knowledge graph"
DESCRIPTION = (
    "Pathway figures published in PubMed Central articles and the genes, chemicals and diseases "
    "recognised in them by the Pathway Figure OCR project (PFOCR, https://pfocr.wikipathways.org/), "
    "as a linked RDF knowledge graph checked against SHACL shapes. Each figure links to its paper, "
    "its organisms and the entities it mentions; each mention is a W3C Web Annotation that keeps the "
    "word as OCR read it and how it was matched (exact symbol, alias, previous symbol, synonym, family "
    "expansion). Gene, organism, chemical and disease IRIs are those WikiPathways RDF uses, so SPARQL "
    "queries join PFOCR figures with WikiPathways pathways."
)
KEYWORDS = (
    "pathway figures",
    "biological pathways",
    "optical character recognition",
    "named entity recognition",
    "genes",
    "chemicals",
    "diseases",
    "PubMed Central",
    "PFOCR",
    "WikiPathways",
    "knowledge graph",
    "linked data",
    "RDF",
)

# file suffix → (media type, W3C format IRI for void:feature)
_SERIALIZATIONS = {
    ".nt": ("application/n-triples", FORMATS + "N-Triples"),
    ".ttl": ("text/turtle", FORMATS + "Turtle"),
    ".jsonld": ("application/ld+json", FORMATS + "JSON-LD"),
    ".nq": ("application/n-quads", FORMATS + "N-Quads"),
    ".trig": ("application/trig", FORMATS + "TriG"),
    ".rdf": ("application/rdf+xml", FORMATS + "RDF_XML"),
}
_COMPRESSIONS = {".gz": "application/gzip", ".bz2": "application/x-bzip2", ".zst": "application/zstd"}

_RDF_TYPE = pyoxigraph.NamedNode(RDF + "type")
_XSD_INTEGER = pyoxigraph.NamedNode(XSD + "integer")
_DESCRIBED = (pyoxigraph.NamedNode(DATASET), pyoxigraph.NamedNode(SOFTWARE))

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


@dataclass(frozen=True, slots=True)
class DatasetStatistics:
    """Exact counts of one N-Triples file (see the module docstring for what each one counts)."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, int] = field(default_factory=dict)  # class IRI → instances, in IRI order
    properties: dict[str, int] = field(default_factory=dict)  # property IRI → triples, in IRI order
    examples: tuple[str, ...] = ()  # the first IRI subject of each class (see _examples)
    uri_space: str = FIGURE_BASE
    # what the data says of the dataset node and the software (subject, predicate IRI, object), sorted
    described: tuple[tuple[str, str, Term], ...] = ()
    disagreements: tuple[str, ...] = ()  # the dataset node's counts that are not the file's

    def said(self, subject: str, predicate: str) -> list[Term]:
        """The objects the data gives `subject` for `predicate`, in order."""
        return [o for s, p, o in self.described if s == subject and p == predicate]

    def text(self, subject: str, predicate: str) -> str | None:
        values = self.said(subject, predicate)
        return values[0].value if values else None

    def vocabularies(self) -> list[str]:
        """The vocabularies whose terms are used as classes or properties, in IRI order."""
        found = {vocabulary for term in (*self.classes, *self.properties)
                 for namespace, vocabulary in KNOWN_VOCABULARIES.items() if term.startswith(namespace)}
        return sorted(found)


def dataset_statistics(nt_path: Path, uri_space: str = FIGURE_BASE) -> DatasetStatistics:
    """Count `nt_path` in one streaming pass (plus the store fallback described above)."""
    subjects: set[pyoxigraph.NamedNode | pyoxigraph.BlankNode] = set()
    objects: set[object] = set()
    classes: Counter[str] = Counter()
    properties: Counter[str] = Counter()
    first_instance: dict[str, str] = {}
    described: set[tuple[str, str, Term]] = set()
    triples = entities = 0
    recurring = False
    current: object = None
    block: set[tuple[pyoxigraph.NamedNode, object]] = set()
    for quad in pyoxigraph.parse(path=str(nt_path), format=pyoxigraph.RdfFormat.N_TRIPLES):
        subject, predicate, obj = quad.subject, quad.predicate, quad.object
        if subject != current:
            current = subject
            block = set()
            if subject in subjects:
                recurring = True
            else:
                subjects.add(subject)
                if (isinstance(subject, pyoxigraph.NamedNode) and subject.value.startswith(uri_space)
                        and "#" not in subject.value):
                    entities += 1
        if (predicate, obj) in block:
            continue
        block.add((predicate, obj))
        if subject in _DESCRIBED and not isinstance(obj, pyoxigraph.Triple):
            described.add((subject.value, predicate.value, obj))
        triples += 1
        properties[predicate.value] += 1
        objects.add(obj)
        if predicate == _RDF_TYPE and isinstance(obj, pyoxigraph.NamedNode):
            classes[obj.value] += 1
            if isinstance(subject, pyoxigraph.NamedNode):
                first_instance.setdefault(obj.value, subject.value)
    if recurring:
        triples, properties, classes = _counts_from_store(nt_path)
    ordered = tuple(sorted(described, key=lambda t: (t[0], _PREDICATE_RANK.get(t[1], len(_PREDICATE_RANK)), t[1],
                                                   _term_key(t[2]))))
    stats = DatasetStatistics(
        triples=triples,
        entities=entities,
        distinct_subjects=len(subjects),
        distinct_objects=len(objects),
        classes=dict(sorted(classes.items())),
        properties=dict(sorted(properties.items())),
        examples=_examples(first_instance, uri_space),
        uri_space=uri_space,
        described=ordered,
    )
    disagreements = []
    for name, counted in (("triples", triples), ("entities", entities)):
        for value in stats.said(DATASET, VOID + name):
            if value.value != str(counted):
                disagreements.append(f"{nt_path}: its dataset node says void:{name} {value.value}, the file has "
                                     f"{counted} (changed after kg build?); void.ttl gives {counted}")
    if disagreements:
        stats = replace(stats, disagreements=tuple(disagreements))
    return stats


# The dataset node's properties in the order kg build writes them (kg.map.dataset); others after, by IRI.
_PREDICATE_RANK = {p: i for i, p in enumerate((
    RDF + "type", DCTERMS + "title", DCTERMS + "description", DCTERMS + "license", DCTERMS + "source",
    PAV + "createdWith", VOID + "vocabulary", VOID + "entities", PAV + "version", DCTERMS + "issued",
    PFOCR + "sourceCommit", PROV + "wasDerivedFrom", VOID + "triples", SCHEMA + "name", SCHEMA + "softwareVersion",
))}


def _term_key(term: Term) -> tuple[str, str]:
    return (type(term).__name__, str(term))


def _examples(first_instance: dict[str, str], uri_space: str) -> tuple[str, ...]:
    """One instance per class, in class order, the dataset's own IRIs (records, annotations) first;
    not the dataset node or the software, which void.ttl describes itself."""
    ordered = [first_instance[c] for c in sorted(first_instance) if first_instance[c] not in (DATASET, SOFTWARE)]
    own = [e for e in ordered if e.startswith(uri_space)]
    return tuple(dict.fromkeys(own + [e for e in ordered if not e.startswith(uri_space)]))


def _counts_from_store(nt_path: Path) -> tuple[int, Counter[str], Counter[str]]:
    """Distinct triples, per property and per class, when repeats may be far apart in the file."""
    with tempfile.TemporaryDirectory(prefix="kg-void-") as folder:
        store = pyoxigraph.Store(folder)
        store.bulk_load(path=str(nt_path), format=pyoxigraph.RdfFormat.N_TRIPLES)
        triples = len(store)
        by_property = _grouped(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
        by_class = _grouped(
            store, f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF}type> ?c FILTER(isIRI(?c)) }} GROUP BY ?c"
        )
        del store
    return triples, by_property, by_class


def _grouped(store: pyoxigraph.Store, query: str) -> Counter[str]:
    solutions = store.query(query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return Counter({row[0].value: int(row[1].value) for row in solutions})


def _base(base_url: str) -> str:
    return iris.base_url(base_url)


def _dump_url(base: str, dump: str) -> str:
    if urlsplit(dump).scheme:
        return dump
    return urljoin(base, quote(dump, safe="/%"))


def _media_type(dump: str) -> tuple[str | None, str | None]:
    """(encodingFormat, void:feature) from the file name: compressed files keep their feature."""
    path = urlsplit(dump).path
    name = path.rsplit("/", 1)[-1].lower()
    stem, dot, suffix = name.rpartition(".")
    compression = _COMPRESSIONS.get(f".{suffix}") if dot else None
    if compression is not None:
        name = stem
    inner = name.rpartition(".")[2] if "." in name else ""
    media, feature = _SERIALIZATIONS.get(f".{inner}", (None, None))
    return compression or media, feature


def _source_date() -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds), or None: no date, same bytes."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH={value!r} is not a Unix time in seconds") from None


def dataset_iri(base_url: str | None = None, void_name: str = "void.ttl") -> str:
    """The IRI of the dataset that void.ttl and dataset.jsonld both describe: the build's dataset
    node, https://w3id.org/pfocr-kg/dataset, wherever the site is (the arguments are kept for
    callers of the version that minted `<BASE/void.ttl#dataset>`; a bad base URL still raises)."""
    if base_url is not None:
        _base(base_url)
    return DATASET


def void_turtle(
    stats: DatasetStatistics, base_url: str, dumps: Sequence[str], void_name: str = "void.ttl"
) -> bytes:
    """The VoID description as Turtle; its own IRI is `<BASE/void_name>`, its topic the dataset node."""
    base = _base(base_url)
    document = f"{base}{quote(void_name, safe='/%')}"
    n = pyoxigraph.NamedNode

    def iri(local: str) -> pyoxigraph.NamedNode:
        return n(f"{document}#{local}")

    def count(value: int) -> pyoxigraph.Literal:
        return pyoxigraph.Literal(str(value), datatype=_XSD_INTEGER)

    a = _RDF_TYPE
    dataset, software, build = n(DATASET), n(SOFTWARE), iri("build")
    dump_urls = [_dump_url(base, d) for d in dumps]
    features = dict.fromkeys(f for f in (_media_type(d)[1] for d in dumps) if f is not None)
    class_parts = [(iri(f"classPartition-{i}"), c, k) for i, (c, k) in enumerate(stats.classes.items(), 1)]
    prop_parts = [(iri(f"propertyPartition-{i}"), p, k) for i, (p, k) in enumerate(stats.properties.items(), 1)]
    counts = {VOID + "triples", VOID + "entities"}  # written from the counts below, not copied

    triples: list[tuple[Any, Any, Any]] = [
        (n(document), a, n(VOID + "DatasetDescription")),
        (n(document), n(DCTERMS + "title"), pyoxigraph.Literal(f"VoID description of the {TITLE}")),
        (n(document), n(FOAF + "primaryTopic"), dataset),
    ]
    # what the data says of the dataset and the software, then what it leaves unsaid
    triples += [(n(s), n(p), o) for s, p, o in stats.described if s == DATASET and p not in counts]
    said = {p for s, p, _ in stats.described if s == DATASET}
    if not stats.said(DATASET, RDF + "type"):
        triples.append((dataset, a, n(VOID + "Dataset")))
    defaults = [
        (DCTERMS + "title", pyoxigraph.Literal(TITLE)),
        (DCTERMS + "description", pyoxigraph.Literal(DESCRIPTION)),
        (DCTERMS + "license", n(CC0)),
        (DCTERMS + "source", n(PFOCR_DATABASE)),
    ]
    triples += [(dataset, n(p), o) for p, o in defaults if p not in said]
    triples.append((dataset, n(DCTERMS + "creator"), n(WIKIPATHWAYS_ORG)))
    date = _source_date()
    if DCTERMS + "issued" not in said and date is not None:
        triples.append((dataset, n(DCTERMS + "modified"),
                        pyoxigraph.Literal(date.date().isoformat(), datatype=n(XSD + "date"))))
    triples += [(dataset, n(VOID + "feature"), n(f)) for f in features]
    triples += [(dataset, n(VOID + "dataDump"), n(u)) for u in dump_urls]
    stated = {o.value for o in stats.said(DATASET, VOID + "vocabulary")}
    triples += [
        (dataset, n(VOID + "uriSpace"), pyoxigraph.Literal(stats.uri_space)),
        *((dataset, n(VOID + "exampleResource"), n(e)) for e in stats.examples),
        *((dataset, n(VOID + "vocabulary"), n(v)) for v in stats.vocabularies() if v not in stated),
        (dataset, n(VOID + "triples"), count(stats.triples)),
        (dataset, n(VOID + "entities"), count(stats.entities)),
        (dataset, n(VOID + "distinctSubjects"), count(stats.distinct_subjects)),
        (dataset, n(VOID + "distinctObjects"), count(stats.distinct_objects)),
        (dataset, n(VOID + "classes"), count(len(stats.classes))),
        (dataset, n(VOID + "properties"), count(len(stats.properties))),
        *((dataset, n(VOID + "classPartition"), part) for part, _, _ in class_parts),
        *((dataset, n(VOID + "propertyPartition"), part) for part, _, _ in prop_parts),
        (dataset, n(PROV + "wasGeneratedBy"), build),
    ]
    if PAV + "createdWith" not in said:
        triples.append((dataset, n(PAV + "createdWith"), software))
    for part, cls, k in class_parts:
        triples += [(part, n(VOID + "class"), n(cls)), (part, n(VOID + "entities"), count(k))]
    for part, prop, k in prop_parts:
        triples += [(part, n(VOID + "property"), n(prop)), (part, n(VOID + "triples"), count(k))]
    # The software that made the data: its version is the one the data names (the build's), not
    # this process's; a file without the node gets this process's.
    version = stats.text(SOFTWARE, SCHEMA + "softwareVersion") or (None if stats.described else __version__)
    triples += [
        (build, a, n(PROV + "Activity")),
        (build, n(RDFS + "label"), pyoxigraph.Literal("kg build" + (f" with pfocr-kg {version}" if version else ""))),
        (build, n(PROV + "used"), n(PFOCR_DATABASE)),
        (build, n(PROV + "wasAssociatedWith"), software),
        (software, a, n(PROV + "SoftwareAgent")),
    ]
    triples += [(n(s), n(p), o) for s, p, o in stats.described if s == SOFTWARE]
    if not stats.said(SOFTWARE, RDF + "type"):
        triples.append((software, a, n(SCHEMA + "SoftwareApplication")))
    if not stats.said(SOFTWARE, SCHEMA + "name"):
        triples.append((software, n(SCHEMA + "name"), pyoxigraph.Literal("pfocr-kg")))
    if version and not stats.said(SOFTWARE, SCHEMA + "softwareVersion"):
        triples.append((software, n(SCHEMA + "softwareVersion"), pyoxigraph.Literal(version)))
    triples.append((software, n(RDFS + "label"), pyoxigraph.Literal("pfocr-kg" + (f" {version}" if version else ""))))
    prefixes = {**PREFIXES, "void": VOID, "foaf": FOAF, "pfocrkg": "https://w3id.org/pfocr-kg/", "": f"{document}#"}
    data = pyoxigraph.serialize(
        list(dict.fromkeys(pyoxigraph.Triple(*t) for t in triples)),
        format=pyoxigraph.RdfFormat.TURTLE,
        prefixes=prefixes,
    )
    assert data is not None
    return data


def write_void(
    nt_path: Path,
    out_path: Path,
    base_url: str,
    dumps: list[str],
    *,
    stats: DatasetStatistics | None = None,
    uri_space: str = FIGURE_BASE,
) -> DatasetStatistics:
    """Count `nt_path` (unless `stats` is given) and write its VoID description to `out_path`
    atomically. `dumps` are the published files (names relative to `base_url`, or absolute URLs);
    the description's own IRI is `base_url` + `out_path.name`. Returns the counts, for
    `write_dataset_jsonld`."""
    if stats is None:
        stats = dataset_statistics(nt_path, uri_space)
    write_bytes(out_path, void_turtle(stats, base_url, dumps, out_path.name))
    return stats


def dataset_description(
    base_url: str,
    dumps: Sequence[str],
    stats: DatasetStatistics | None = None,
    void_name: str = "void.ttl",
) -> dict[str, Any]:
    """The schema.org `Dataset` (JSON-LD, schema.org context) for dataset search engines: the same
    node as void.ttl's, named and described as the data's dataset node says when `stats` has it."""
    base = _base(base_url)
    said = stats if stats is not None else DatasetStatistics(0, 0, 0, 0)
    description = said.text(DATASET, DCTERMS + "description") or DESCRIPTION
    if stats is not None:
        description += " " + _summary(stats)
    distribution = []
    for dump in dumps:
        url = _dump_url(base, dump)
        entry: dict[str, Any] = {"@type": "DataDownload", "name": urlsplit(url).path.rsplit("/", 1)[-1], "contentUrl": url}
        media = _media_type(dump)[0]
        if media is not None:
            entry["encodingFormat"] = media
        distribution.append(entry)
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": dataset_iri(base_url, void_name),
        "name": said.text(DATASET, DCTERMS + "title") or TITLE,
        "alternateName": "pfocr-kg",
        "description": description,
        "url": base,
        "license": CC0,
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "@id": WIKIPATHWAYS_ORG, "name": "WikiPathways", "url": WIKIPATHWAYS_ORG},
        "keywords": list(KEYWORDS),
        "measurementTechnique": "optical character recognition and named entity recognition of published pathway figures",
        "isBasedOn": {"@type": "Dataset", "name": "Pathway Figure OCR (PFOCR)", "url": PFOCR_DATABASE},
        "citation": PFOCR_PAPER,
        "includedInDataCatalog": {"@type": "DataCatalog", "name": "WikiPathways", "url": WIKIPATHWAYS_ORG},
        "distribution": distribution,
    }
    release = said.text(DATASET, PAV + "version")
    if release is not None:
        document["version"] = release
    issued = said.text(DATASET, DCTERMS + "issued")
    date = _source_date()
    if issued is not None:
        document["datePublished"] = issued
    elif date is not None:
        document["dateModified"] = date.date().isoformat()
    return document


def _summary(stats: DatasetStatistics) -> str:
    kinds = [
        ("Dataset", "figure", "figures"),
        ("ScholarlyArticle", "paper", "papers"),
        ("Periodical", "journal", "journals"),
        ("Gene", "gene", "genes"),
        ("ChemicalSubstance", "chemical", "chemicals"),
        ("MedicalCondition", "disease", "diseases"),
        ("Taxon", "organism", "organisms"),
    ]
    parts = []
    for cls, one, many in kinds:
        k = stats.classes.get(SCHEMA + cls, 0)
        parts.append(f"{k:,} {one if k == 1 else many}")
    annotations = stats.classes.get(OA + "Annotation", 0)
    parts.append(f"{annotations:,} {'annotation' if annotations == 1 else 'annotations'} of their words")
    return f"This release: {', '.join(parts)}; {stats.triples:,} triples."


def write_dataset_jsonld(
    out_path: Path,
    base_url: str,
    dumps: list[str],
    *,
    stats: DatasetStatistics | None = None,
    nt_path: Path | None = None,
    void_name: str = "void.ttl",
) -> dict[str, Any]:
    """Write `dataset_description(...)` to `out_path` atomically (indented JSON, UTF-8) and return it.
    The counts in the description come from `stats`, else from `nt_path`, else are left out."""
    if stats is None and nt_path is not None:
        stats = dataset_statistics(nt_path)
    document = dataset_description(base_url, dumps, stats, void_name)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    write_bytes(out_path, text.encode("utf-8"))
    return document
