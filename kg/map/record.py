"""Assemble one figure record's graph: the figure, its mentions, and every entity they link to.

Entities come back separately so the writer can describe each shared node once while the gate
still sees each figure with complete entity descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg import iris, vocab
from kg.map.chemical import chemical_iri, chemical_triples
from kg.map.disease import disease_iri, disease_triples
from kg.map.figure import creator_triples, figure_triples
from kg.map.gene import gene_iri, gene_triples
from kg.map.mention import MATCH_SOURCES, mention_triples, normalise_source, source_triples
from kg.map.organism import organism_triples
from kg.map.paper import paper_iri, paper_triples
from kg.map.terms import schema
from kg.rdf import Triple, ref
from kg.read.organisms import BUILTIN
from kg.read.record import HUMAN
from kg.records import FigureRecord, Organism, Problem

_BUILTIN_BY_ID = {taxon: Organism(name, taxon, common) for name, (taxon, common) in BUILTIN.items()}
_MENTIONS = schema("mentions")


def _problem(record: FigureRecord, field: str, reason: str) -> Problem:
    return Problem(str(record.file), reason, record.figid, field)


def _merge(entities: dict[str, list[Triple]], iri: str, triples: list[Triple]) -> list[Triple]:
    """Add an entity's description; a repeat fills in only the properties still missing, and
    returns the values it could not keep (the caller warns: nothing is dropped silently).

    Two rows naming the same MeSH id, only the second with a DOID, keep the DOID link; a second
    name or ChEBI link for the same node is not kept rather than breaking the node's
    one-value rules."""
    known = entities.get(iri)
    if known is None:
        entities[iri] = list(triples)
        return []
    present: dict[tuple[object, object], set[object]] = {}
    for t in known:
        present.setdefault((t[0], t[1]), set()).add(t[2])
    dropped = []
    for t in triples:
        values = present.get((t[0], t[1]))
        if values is None:
            known.append(t)
        elif t[2] not in values:
            dropped.append(t)
    return dropped


def _add_taxon(entities: dict[str, list[Triple]], record: FigureRecord, taxon_id: str) -> bool:
    """Describe a gene's taxon even when the figure's organism lists do not name it.

    False when no table names it: a taxon node without a name would break the organism shape."""
    taxon = iris.taxon(taxon_id)
    if taxon in entities:
        return True
    known = next((o for o in record.organisms if o.taxon_id == taxon_id), None)
    known = known or _BUILTIN_BY_ID.get(taxon_id)
    if known is None:
        return False
    entities[taxon] = organism_triples(known)
    return True


@dataclass(slots=True)
class FigureGraph:
    """One figure's triples plus the descriptions of the entities it links to (IRI → triples)."""

    figid: str
    triples: list[Triple]
    entities: dict[str, list[Triple]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def all_triples(self) -> list[Triple]:
        out = list(self.triples)
        for block in self.entities.values():
            out.extend(block)
        return out


def map_record(record: FigureRecord) -> FigureGraph:
    """Record → graph. Raises kg.rdf.UnencodableText for text no RDF syntax can carry."""
    fig = iris.figure(record.figid)
    fig_ref = ref(fig)
    warnings = list(record.warnings)
    entities: dict[str, list[Triple]] = {}
    p_iri = paper_iri(record.paper)
    entities[p_iri] = paper_triples(record.paper)
    entities[vocab.WIKIPATHWAYS_ORG] = creator_triples()
    for organism in record.organisms:
        if organism.taxon_id is not None:
            entities.setdefault(iris.taxon(organism.taxon_id), organism_triples(organism))

    triples = figure_triples(record, p_iri)
    mentioned: dict[str, None] = {}
    mentions: list[Triple] = []
    n = 0

    def add_mention(
        body: str,
        body_triples: list[Triple],
        word: str,
        matched: str | None,
        raw_source: str,
        counts: tuple[int | None, int | None, int | None] = (None, None, None),
    ) -> None:
        nonlocal n
        n += 1  # numbered before any check, so a dropped mention never renumbers the rest
        source = normalise_source(raw_source)
        try:
            source_iri = iris.match_source(source)
        except iris.BadIdentifier:
            warnings.append(_problem(record, "source", f"match source {raw_source!r} is not a valid name; mention of {word!r} dropped"))
            return
        if source not in MATCH_SOURCES:
            warnings.append(_problem(record, "source", f"unknown match source {source!r} (kept, marked UnknownMatch)"))
        if source_iri not in entities:
            entities[source_iri] = source_triples(source)
        for _s, predicate, value in _merge(entities, body, body_triples):
            warnings.append(_problem(
                record, "mentions", f"{body}: {value} for {predicate} differs from the value an earlier "
                f"row gave this node; the first is kept (mention of {word!r})",
            ))
        mentioned.setdefault(body)
        mentions.extend(mention_triples(fig, iris.mention(record.figid, n), body, word, matched, source, counts))

    for gene in record.genes:
        taxon_known = gene.taxon_id is not None and _add_taxon(entities, record, gene.taxon_id)
        if gene.taxon_id is not None and not taxon_known:
            warnings.append(_problem(
                record, "organism_id",
                f"taxon {gene.taxon_id} of gene {gene.gene_id} has no name in any organism table; "
                "schema:taxonomicRange link skipped",
            ))
        hgnc_link = gene.taxon_id == HUMAN
        if hgnc_link:
            try:
                iris.hgnc_symbol(gene.symbol)
            except iris.BadIdentifier as exc:
                hgnc_link = False
                warnings.append(_problem(record, "hgnc_symbol", f"{exc}; wp:bdbHgncSymbol link skipped"))
        described = gene_triples(gene, hgnc_link=hgnc_link, taxon_link=taxon_known)
        add_mention(gene_iri(gene), described, gene.word, gene.matched, gene.source,
                    (gene.count_direct, gene.count_synonym, gene.count_match))
    for chem in record.chemicals:
        add_mention(chemical_iri(chem), chemical_triples(chem), chem.word, chem.matched, chem.source)
    for disease in record.diseases:
        add_mention(disease_iri(disease), disease_triples(disease), disease.word, disease.matched, disease.source)

    triples.extend((fig_ref, _MENTIONS, ref(body)) for body in mentioned)
    triples.extend(mentions)
    return FigureGraph(record.figid, triples, entities, warnings)
