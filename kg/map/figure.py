"""Figure node: PFOCR's page IRI, a schema:Dataset and schema:ImageObject.

Maps the fields of the record's `schema-jsonld` block directly (a test proves pyld's triples from
the block are a subset), with PFOCR's two bugs fixed: `name` is the figtitle, `license` the CC0 IRI.
"""

from __future__ import annotations

from kg import iris, vocab
from kg.map.terms import A, dcterms, pfocr, schema, wp
from kg.rdf import Triple, decimal, ref, text
from kg.records import FigureRecord

_CREATOR = ref(vocab.WIKIPATHWAYS_ORG)
_CREATOR_TRIPLES = ((_CREATOR, A, schema("Organization")), (_CREATOR, schema("name"), text("WikiPathways")))


def creator_triples() -> list[Triple]:
    return list(_CREATOR_TRIPLES)


def figure_triples(record: FigureRecord, paper_iri: str) -> list[Triple]:
    """The figure's own triples (links to entities are added by the assembler)."""
    fig = iris.figure(record.figid)
    s = ref(fig)
    out = [
        (s, A, schema("Dataset")),
        (s, A, schema("ImageObject")),
        (s, schema("identifier"), text(record.figid)),
        (s, schema("url"), s),
        (s, schema("license"), ref(vocab.CC0)),
        (s, schema("creator"), ref(vocab.WIKIPATHWAYS_ORG)),
        (s, schema("isPartOf"), ref(paper_iri)),
    ]
    if record.title is not None:
        out.append((s, schema("name"), text(record.title)))
    description = record.description if record.description is not None else record.caption
    if description is not None:
        out.append((s, schema("description"), text(description)))
    out.extend((s, schema("keywords"), text(k)) for k in record.keywords)
    if record.filename is not None:
        out.append((s, schema("contentUrl"), ref(iris.pmc_image(record.paper.pmcid, record.filename))))
    if record.number is not None:
        out.append((s, schema("position"), text(record.number)))
    if record.score is not None:
        out.append((s, pfocr("pathwayScore"), decimal(record.score)))
    if record.ndex is not None:
        out.append((s, schema("sameAs"), ref(iris.ndex(record.ndex))))
    if record.wpid is not None:
        out.append((s, dcterms("relation"), ref(iris.wikipathways(record.wpid))))
    for organism in record.organisms:
        out.append((s, wp("organismName"), text(organism.name)))
        if organism.taxon_id is not None:
            out.append((s, wp("organism"), ref(iris.taxon(organism.taxon_id))))
    return out
