"""Paper (PMC article) node `https://identifiers.org/pmc/<pmcid>`, a schema:ScholarlyArticle, with
its journal (schema:Periodical) and publisher (schema:Organization) in our own namespace."""

from __future__ import annotations

from kg import iris
from kg.map.terms import A, dcterms, pfocr, schema
from kg.rdf import Triple, gyear, ref, text
from kg.records import Paper


def paper_iri(paper: Paper) -> str:
    return iris.paper(paper.pmcid)


def journal_iri(paper: Paper) -> str | None:
    """Named after the NLM abbreviation, else the journal title (kg.iris.slug)."""
    name = paper.journal_abbreviation or paper.journal
    return iris.journal(name) if name is not None else None


def publisher_iri(paper: Paper) -> str | None:
    return iris.publisher(paper.publisher) if paper.publisher is not None else None


def paper_triples(paper: Paper) -> list[Triple]:
    """The paper; its organisms are the record's `organisms` list (taxa when known, names else)."""
    s = ref(paper_iri(paper))
    out = [
        (s, A, schema("ScholarlyArticle")),
        (s, schema("identifier"), text(paper.pmcid)),
        (s, schema("url"), ref(iris.pmc_article_page(paper.pmcid))),
    ]
    if paper.title is not None:
        out.append((s, schema("name"), text(paper.title)))
    if paper.year is not None:
        out.append((s, schema("datePublished"), gyear(paper.year)))
    if paper.reftext is not None:
        out.append((s, dcterms("bibliographicCitation"), text(paper.reftext)))
    if paper.doi is not None:
        out.append((s, schema("sameAs"), ref(iris.doi(paper.doi))))
    out.extend((s, schema("keywords"), text(k)) for k in paper.keywords)
    journal = journal_iri(paper)
    publisher = publisher_iri(paper)
    if journal is not None:
        out.append((s, schema("isPartOf"), ref(journal)))
    elif publisher is not None:
        out.append((s, schema("publisher"), ref(publisher)))
    for organism in paper.organisms:
        if organism.taxon_id is not None:
            out.append((s, schema("about"), ref(iris.taxon(organism.taxon_id))))
        else:
            out.append((s, pfocr("organismName"), text(organism.name)))
    return out


def journal_triples(paper: Paper) -> list[Triple]:
    iri = journal_iri(paper)
    if iri is None:
        return []
    s = ref(iri)
    out = [(s, A, schema("Periodical"))]
    if paper.journal is not None:
        out.append((s, schema("name"), text(paper.journal)))
    if paper.journal_abbreviation is not None:
        out.append((s, schema("alternateName"), text(paper.journal_abbreviation)))
    publisher = publisher_iri(paper)
    if publisher is not None:
        out.append((s, schema("publisher"), ref(publisher)))
    return out


def publisher_triples(paper: Paper) -> list[Triple]:
    iri = publisher_iri(paper)
    if iri is None or paper.publisher is None:
        return []
    s = ref(iri)
    return [(s, A, schema("Organization")), (s, schema("name"), text(paper.publisher))]
