"""Gene node: `https://identifiers.org/ncbigene/<id>`, a schema:Gene with WikiPathways' bdb links."""

from __future__ import annotations

from kg import iris
from kg.map.terms import A, schema, wp
from kg.rdf import Triple, ref, text
from kg.read.record import HUMAN
from kg.records import GeneMention


def gene_iri(mention: GeneMention) -> str:
    return iris.gene(mention.gene_id)


def gene_triples(mention: GeneMention, hgnc_link: bool = True, taxon_link: bool = True) -> list[Triple]:
    """The gene a mention resolved to; wp:bdbHgncSymbol only for human genes (HGNC is human-only).

    The caller turns off the links it cannot back: `hgnc_link` when the symbol cannot be part of
    an IRI (kg.iris.hgnc_symbol raises), `taxon_link` when the taxon has no description."""
    s = ref(gene_iri(mention))
    out = [
        (s, A, schema("Gene")),
        (s, schema("identifier"), text(mention.gene_id)),
        (s, schema("name"), text(mention.symbol)),
        (s, wp("bdbEntrezGene"), s),
    ]
    if hgnc_link and mention.taxon_id == HUMAN:
        out.append((s, wp("bdbHgncSymbol"), ref(iris.hgnc_symbol(mention.symbol))))
    if taxon_link and mention.taxon_id is not None:
        out.append((s, schema("taxonomicRange"), ref(iris.taxon(mention.taxon_id))))
    return out
