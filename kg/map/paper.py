"""Paper (PMC article) node: `https://identifiers.org/pmc/<pmcid>`, a schema:ScholarlyArticle."""

from __future__ import annotations

from kg import iris
from kg.map.terms import A, dcterms, schema
from kg.rdf import Triple, gyear, ref, text
from kg.records import Paper


def paper_iri(paper: Paper) -> str:
    return iris.paper(paper.pmcid)


def paper_triples(paper: Paper) -> list[Triple]:
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
    return out
