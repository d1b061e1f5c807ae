"""A finished build's pfocr.nt read back as the figures and entities the exports need.

Reads one OUTDIR after `kg build` has finished (refuses one whose commit journal is still there,
or that has no report.json); never writes, never runs inside a build, never fetches.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from kg import vocab
from kg.write.commit import interrupted_commit

GENE, CHEMICAL, DISEASE, TAXON, PAPER = "gene", "chemical", "disease", "taxon", "paper"
_KINDS = {
    vocab.SCHEMA + "Gene": GENE,
    vocab.SCHEMA + "ChemicalSubstance": CHEMICAL,
    vocab.SCHEMA + "MedicalCondition": DISEASE,
    vocab.SCHEMA + "Taxon": TAXON,
    vocab.SCHEMA + "ScholarlyArticle": PAPER,
}
# A mention is exact when its match source is of one of these kinds: an exact gene symbol, or the
# MeSH/ChEBI/DOID term itself (chemicals and diseases are matched by term, never by alias).
EXACT_KINDS = frozenset({vocab.PFOCR + "ExactSymbolMatch", vocab.PFOCR + "TermMatch"})

_TYPE = vocab.RDF + "type"
_NAME = vocab.SCHEMA + "name"
_IDENTIFIER = vocab.SCHEMA + "identifier"
_KEPT = frozenset({
    _TYPE, _NAME, _IDENTIFIER, vocab.SCHEMA + "alternateName", vocab.SCHEMA + "about",
    vocab.SCHEMA + "isPartOf", vocab.SCHEMA + "taxonomicRange", vocab.SCHEMA + "sameAs",
    vocab.SKOS + "exactMatch", vocab.OA + "hasBody", vocab.PFOCR + "matchSource", vocab.PFOCR + "matchKind",
    vocab.PAV + "version", vocab.DCTERMS + "issued", vocab.PFOCR + "sourceCommit", vocab.WP + "organism",
})


class ExportError(Exception):
    """The OUTDIR is not a finished build that can be exported (message names the file)."""


@dataclass(frozen=True, slots=True)
class Entity:
    iri: str
    kind: str  # GENE, CHEMICAL, DISEASE, TAXON or PAPER
    identifier: str  # schema:identifier: Entrez id, MeSH id, CHEBI:n, DOID:n, taxon id, PMC id
    name: str | None
    taxon: str | None = None  # a gene's taxon IRI
    matches: tuple[str, ...] = ()  # skos:exactMatch and schema:sameAs IRIs (ChEBI, DOID)


@dataclass(frozen=True, slots=True)
class Figure:
    iri: str  # the record, https://pfocr.wikipathways.org/figures/<figid>.html
    figid: str
    title: str
    alias: str  # figid_alias (schema:alternateName), else the figid
    paper: str | None  # the paper IRI
    organisms: tuple[str, ...]  # the record's wp:organism taxa
    mentions: dict[str, bool] = field(default_factory=dict)  # entity IRI → mentioned by an exact match


@dataclass(frozen=True, slots=True)
class BuildGraph:
    figures: list[Figure]  # in figid order
    entities: dict[str, Entity]  # by IRI
    version: str | None  # the dataset node's pav:version
    date: str | None  # its dcterms:issued
    commits: tuple[str, ...]


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while millions of small dicts, tuples and lists are made
    that hold no cycles: its full passes over the growing heap tripled the time of a 5k-record
    export (docs/export.md)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def finished_build(outdir: Path) -> Path:
    """OUTDIR/pfocr.nt of a finished build, or ExportError saying what is missing."""
    if not outdir.is_dir():
        raise ExportError(f"{outdir}: no such folder")
    mixed = interrupted_commit(outdir)
    if mixed is not None:
        raise ExportError(mixed)
    if not (outdir / "report.json").is_file():
        raise ExportError(f"{outdir}/report.json is missing: not a finished kg build (run `kg build -o {outdir}`)")
    nt = outdir / "pfocr.nt"
    if not nt.is_file():
        raise ExportError(f"{nt} is missing: not a finished kg build")
    return nt


def read_build(outdir: Path) -> BuildGraph:
    """The figures and entities of OUTDIR's pfocr.nt (one streaming parse; only the properties
    the exports use are kept)."""
    nt = finished_build(outdir)
    with gc_paused():
        return _graph(_facts(nt))


def _facts(nt: Path) -> dict[str, dict[str, list[str]]]:
    """Subject IRI → predicate → objects, for the predicates in _KEPT. Each predicate and each IRI
    object is held once (the parser makes a new string every time: at 10k records, 0.8M values of
    which most are the same few classes, match sources and entities)."""
    facts: dict[str, dict[str, list[str]]] = {}
    kept = {p: p for p in _KEPT}
    iris: dict[str, str] = {}
    named = pyoxigraph.NamedNode
    try:
        for quad in pyoxigraph.parse(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES):
            predicate = kept.get(quad.predicate.value)
            if predicate is not None and isinstance(quad.subject, named):
                value = quad.object.value
                if isinstance(quad.object, named):
                    value = iris.setdefault(value, value)
                facts.setdefault(quad.subject.value, {}).setdefault(predicate, []).append(value)
    except (SyntaxError, OSError) as exc:
        raise ExportError(f"{nt}: {exc}") from exc
    return facts


def _first(values: dict[str, list[str]], predicate: str) -> str | None:
    found = values.get(predicate)
    return found[0] if found else None


def _graph(facts: dict[str, dict[str, list[str]]]) -> BuildGraph:
    entities: dict[str, Entity] = {}
    records: list[str] = []
    for iri, values in facts.items():
        types = values.get(_TYPE, [])
        kind = next((_KINDS[t] for t in types if t in _KINDS), None)
        if kind is not None:
            entities[iri] = Entity(
                iri=iri, kind=kind, identifier=_first(values, _IDENTIFIER) or iri.rsplit("/", 1)[-1],
                name=_first(values, _NAME), taxon=_first(values, vocab.SCHEMA + "taxonomicRange"),
                matches=tuple(sorted({*values.get(vocab.SKOS + "exactMatch", []),
                                      *values.get(vocab.SCHEMA + "sameAs", [])})),
            )
        elif vocab.SCHEMA + "Dataset" in types and iri.startswith(vocab.FIGURE_BASE) and "#" not in iri:
            records.append(iri)
    exact_sources = {iri for iri, values in facts.items() if EXACT_KINDS & set(values.get(vocab.PFOCR + "matchKind", []))}
    mentions: dict[str, dict[str, bool]] = {}
    for iri, values in facts.items():
        bodies = values.get(vocab.OA + "hasBody")
        if bodies and "#" in iri:
            exact = bool(exact_sources & set(values.get(vocab.PFOCR + "matchSource", [])))
            figure = mentions.setdefault(iri.split("#", 1)[0], {})
            for body in bodies:
                if body in entities:
                    figure[body] = figure.get(body, False) or exact
    figures = []
    for iri in records:
        values = facts[iri]
        figid = _first(values, _IDENTIFIER) or iri[len(vocab.FIGURE_BASE):].removesuffix(".html")
        image = _first(values, vocab.SCHEMA + "about")
        paper = _first(facts.get(image, {}), vocab.SCHEMA + "isPartOf") if image else None
        figures.append(Figure(
            iri=iri, figid=figid, title=_first(values, _NAME) or figid,
            alias=_first(values, vocab.SCHEMA + "alternateName") or figid,
            paper=paper if paper in entities else None,
            organisms=tuple(sorted(set(values.get(vocab.WP + "organism", [])))),
            mentions=dict(sorted(mentions.get(iri, {}).items())),
        ))
    figures.sort(key=lambda f: f.figid)
    dataset = facts.get(vocab.DATASET, {})
    return BuildGraph(
        figures=figures, entities=dict(sorted(entities.items())),
        version=_first(dataset, vocab.PAV + "version"), date=_first(dataset, vocab.DCTERMS + "issued"),
        commits=tuple(sorted(dataset.get(vocab.PFOCR + "sourceCommit", []))),
    )
