"""Assemble one figure record's graph: the record, its image, its annotations, and every entity
they link to.

Entities (the image among them: two figids may show one PMC figure) come back separately so the
writer can describe each shared node once while the gate still sees each figure with complete
entity descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg import iris, vocab
from kg.map.chemical import chemical_iri, chemical_triples
from kg.map.disease import disease_iri, disease_triples
from kg.map.figure import creator_triples, derived_pathway_triples, image_triples, record_triples
from kg.map.gene import gene_iri, gene_triples
from kg.map.mention import MATCH_SOURCES, Annotation, annotation_triples, normalise_source, source_triples
from kg.map.organism import organism_triples
from kg.map.paper import (
    journal_iri,
    journal_triples,
    paper_iri,
    paper_triples,
    publisher_iri,
    publisher_triples,
)
from kg.map.terms import A, pfocr, schema, wp
from kg.rdf import Triple, integer, ref, text
from kg.records import BUILTIN_ORGANISMS, HUMAN, FigureRecord, GeneMention, Organism, Problem

_BUILTIN_BY_ID = {taxon: Organism(name, taxon, common) for name, (taxon, common) in BUILTIN_ORGANISMS.items()}
_MENTIONS = schema("mentions")
_COUNTS = (pfocr("countDirect"), pfocr("countSynonym"), pfocr("countMatch"))


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


def _organism(record: FigureRecord, taxon_id: str) -> Organism | None:
    """The record's name for a taxon, else the built-in table's; None when nothing names it."""
    return record.taxa.get(taxon_id) or _BUILTIN_BY_ID.get(taxon_id)


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
    image = iris.image(record.figid, record.paper.pmcid, record.figlink)
    warnings = list(record.warnings)
    entities: dict[str, list[Triple]] = {}
    p_iri = paper_iri(record.paper)
    entities[p_iri] = paper_triples(record.paper)
    for iri, describe in ((journal_iri(record.paper), journal_triples), (publisher_iri(record.paper), publisher_triples)):
        if iri is not None:
            entities[iri] = describe(record.paper)
    entities[vocab.WIKIPATHWAYS_ORG] = creator_triples()
    # The image is an entity: two figids may show one PMC figure, and its description is then
    # written once (a second, different one warned as for any shared node).
    entities[image] = image_triples(record, image, p_iri)
    for organism in (*record.paper.organisms, *record.recognised_organisms):
        if organism.taxon_id is not None:
            entities.setdefault(iris.taxon(organism.taxon_id), organism_triples(organism))

    triples = record_triples(record, image)
    for organism in record.recognised_organisms:
        if organism.taxon_id is not None:
            triples.append((fig_ref, pfocr("recognisedOrganism"), ref(iris.taxon(organism.taxon_id))))
        else:
            triples.append((fig_ref, pfocr("recognisedOrganismName"), text(organism.name)))
    annotations: dict[tuple[str, str, str | None], Annotation] = {}

    def annotate(body: str, body_triples: list[Triple], word: str, matched: str | None, raw_source: str,
                 repeats: int) -> None:
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
        dropped = _merge(entities, body, body_triples)
        if dropped:  # one warning a row: a ChEBI id is two triples (wp:bdbChEBI, skos:exactMatch)
            values = ", ".join(f"{value} for {predicate}" for _s, predicate, value in dropped)
            one = len(dropped) == 1
            warnings.append(_problem(
                record, "mentions", f"{body}: {values} {'differs' if one else 'differ'} from the "
                f"value{'' if one else 's'} an earlier row gave this node; the first "
                f"{'is' if one else 'are'} kept (mention of {word!r})",
            ))
        key = (word, source, None if matched == word else matched)
        annotation = annotations.get(key)
        if annotation is None:
            annotation = annotations[key] = Annotation(word, source, key[2])
        annotation.bodies.setdefault(body)
        annotation.occurrences = max(annotation.occurrences, repeats)

    gene_taxa: dict[str, GeneMention] = {}  # taxon id → its first gene (its counts)
    for gene in record.genes:
        named = _organism(record, gene.taxon_id) if gene.taxon_id is not None else None
        if named is not None and gene.taxon_id is not None:
            entities.setdefault(iris.taxon(gene.taxon_id), organism_triples(named))
            _gene_taxon(record, gene, gene_taxa, warnings)
        elif gene.taxon_id is not None:
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
        described = gene_triples(gene, hgnc_link=hgnc_link, taxon_link=named is not None)
        annotate(gene_iri(gene), described, gene.word, gene.matched, gene.source, gene.repeats)
    for chem in record.chemicals:
        annotate(chemical_iri(chem), chemical_triples(chem), chem.word, chem.matched, chem.source, chem.repeats)
    for disease in record.diseases:
        annotate(disease_iri(disease), disease_triples(disease), disease.word, disease.matched, disease.source,
                 disease.repeats)

    counts: list[Triple] = []
    for taxon_id, first in gene_taxa.items():
        taxon = _organism(record, taxon_id)
        assert taxon is not None  # only named taxa are listed
        triples.append((fig_ref, wp("organism"), ref(iris.taxon(taxon_id))))
        triples.append((fig_ref, wp("organismName"), text(taxon.name)))
        counts.extend(_counts_triples(fig_ref, record.figid, taxon_id, first))
    mentioned: dict[str, None] = {}
    for annotation in annotations.values():
        mentioned.update(annotation.bodies)
    triples.extend((fig_ref, _MENTIONS, ref(body)) for body in mentioned)
    # the record's own triples are all above: each subject's triples stay together
    triples.extend(t for t in counts if t[0] == fig_ref)
    triples.extend(t for t in counts if t[0] != fig_ref)
    for (word, source, matched), annotation in annotations.items():
        triples.extend(annotation_triples(iris.annotation(record.figid, word, source, matched), image, annotation))
    triples.extend(derived_pathway_triples(record))
    return FigureGraph(record.figid, triples, entities, warnings)


def _gene_taxon(record: FigureRecord, gene: GeneMention, gene_taxa: dict[str, GeneMention],
                warnings: list[Problem]) -> None:
    """List the gene's taxon as one of the figure's organisms; PFOCR's counts are per organism,
    so a gene giving other counts than its organism's first gene is warned (the first kept)."""
    assert gene.taxon_id is not None
    first = gene_taxa.setdefault(gene.taxon_id, gene)
    counts = (gene.count_direct, gene.count_synonym, gene.count_match)
    if first is not gene and counts != (first.count_direct, first.count_synonym, first.count_match):
        warnings.append(_problem(
            record, "count_direct", f"gene {gene.gene_id} gives counts {counts} for taxon {gene.taxon_id}, "
            f"which its first gene gave as {(first.count_direct, first.count_synonym, first.count_match)}; "
            "the first are kept",
        ))


def _counts_triples(fig_ref: str, figid: str, taxon_id: str, gene: GeneMention) -> list[Triple]:
    """PFOCR's per-organism match counts (sidecar genes.tsv), once per figure and organism."""
    counts = (gene.count_direct, gene.count_synonym, gene.count_match)
    if all(c is None for c in counts):
        return []
    s = ref(iris.organism_counts(figid, taxon_id))
    out = [(fig_ref, pfocr("matchCounts"), s), (s, A, pfocr("OrganismMatchCounts")),
           (s, pfocr("taxon"), ref(iris.taxon(taxon_id)))]
    out.extend((s, predicate, integer(value)) for predicate, value in zip(_COUNTS, counts) if value is not None)
    return out
