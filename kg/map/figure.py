"""Record and image nodes of one PFOCR figure.

The record (`https://pfocr.wikipathways.org/figures/<figid>.html`, PFOCR's page) is the
schema:Dataset that PFOCR publishes under CC0; the image (PMC's figure page) is the published
figure, part of its paper, under the paper's terms: no license or creator is claimed for it.
Maps the fields of the record's `schema-jsonld` block directly (a test proves pyld's triples from
the block are a subset of the record's), with PFOCR's two bugs fixed: `name` is the figtitle,
`license` the CC0 IRI.
"""

from __future__ import annotations

from kg import iris, vocab
from kg.map.terms import A, pfocr, prov, rdfs, schema, void
from kg.rdf import Triple, decimal, ref, text
from kg.records import FigureRecord

_CREATOR = ref(vocab.WIKIPATHWAYS_ORG)
_CREATOR_TRIPLES = ((_CREATOR, A, schema("Organization")), (_CREATOR, schema("name"), text("WikiPathways")))
_DATASET = ref(vocab.DATASET)


def creator_triples() -> list[Triple]:
    return list(_CREATOR_TRIPLES)


def record_triples(record: FigureRecord, image_iri: str) -> list[Triple]:
    """The record's own triples (organisms and links to entities are added by the assembler)."""
    s = ref(iris.figure(record.figid))
    out = [
        (s, A, schema("Dataset")),
        (s, schema("identifier"), text(record.figid)),
        (s, schema("url"), s),
        (s, schema("license"), ref(vocab.CC0)),
        (s, schema("creator"), _CREATOR),
        (s, void("inDataset"), _DATASET),
        (s, schema("about"), ref(image_iri)),
    ]
    if record.title is not None:
        out.append((s, schema("name"), text(record.title)))
    description = record.description if record.description is not None else record.caption
    if description is not None:
        out.append((s, schema("description"), text(description)))
    out.extend((s, schema("keywords"), text(k)) for k in record.keywords)
    if record.figid_alias is not None:
        out.append((s, schema("alternateName"), text(record.figid_alias)))
    if record.figtype is not None:
        out.append((s, pfocr("figureType"), text(record.figtype)))
    if record.score is not None:
        out.append((s, pfocr("pathwayScore"), decimal(record.score)))
    if record.ndex is not None:
        out.append((s, rdfs("seeAlso"), ref(iris.ndex(record.ndex))))
    return out


def derived_pathway_triples(record: FigureRecord) -> list[Triple]:
    """The WikiPathways pathway drawn from the figure (`wpid`): its own subject, written after the
    record's triples so that each subject's triples stay together."""
    if record.wpid is None:
        return []
    return [(ref(iris.wikipathways(record.wpid)), prov("wasDerivedFrom"), ref(iris.figure(record.figid)))]


def image_triples(record: FigureRecord, image_iri: str, paper_iri: str) -> list[Triple]:
    s = ref(image_iri)
    out = [(s, A, schema("ImageObject")), (s, schema("isPartOf"), ref(paper_iri))]
    if record.filename is not None:
        out.append((s, schema("contentUrl"), ref(iris.pmc_image(record.paper.pmcid, record.filename))))
    if record.number is not None:
        out.append((s, schema("position"), text(record.number)))
    return out
